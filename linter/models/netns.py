"""The netns script model: a shell script (`cfglint.shell.ShellScript`) that wires network
namespaces, veth pairs, bridges and firewalls, plus the simulation of the network state it builds
(`cfglint.netns.simulate`), computed once per set of options and shared by the NET rules."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, ClassVar

from cfglint.shell import ShellScript

if TYPE_CHECKING:  # pragma: no cover
    from cfglint.netns.simulate import Analysis


def _strings(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, Iterable):
        return tuple(str(v) for v in value if isinstance(v, (str, int)))
    return ()


class NetScript(ShellScript):
    """A netns / veth / bridge / iptables shell script."""

    kind: ClassVar[str] = "netns"

    _analyses: Any = None  # private (cfglint.models.base): not pickled, not copied

    def analysis(self, options: dict | None = None) -> Analysis:
        """The simulation of this script (see `cfglint.netns.simulate`). Options (family-level,
        `[rules.NET]`): `external-namespaces` (globs of namespaces another tool manages, added to
        `qrouter-*`, `qdhcp-*`, `snat-*`, `fip-*`, `cni-*`) and `wrappers` (command names that run
        their arguments as a command, like `do_or_die ip link ...`)."""
        from cfglint.netns.simulate import analyze

        options = options or {}
        external = _strings(options.get("external-namespaces"))
        wrappers = _strings(options.get("wrappers"))
        key = (external, wrappers)
        if self._analyses is None:
            self._analyses = {}
        a = self._analyses.get(key)
        if a is None:
            a = analyze(self, external=external, wrappers=wrappers)
            self._analyses[key] = a
        return a
