from __future__ import annotations

from collections.abc import Iterator

from cfglint.api import Diagnostic, FileContext, Severity
from cfglint.models.netns import NetScript
from cfglint.rules.netns._common import NetRule, dedupe, in_error_region


def _compat_shim(model: NetScript, op) -> bool:
    """brctl used only where it is installed, with an iproute2 fallback (`if command -v brctl`)."""
    cmds = [op.inv.command]
    if op.inv.step is not None:
        cmds.extend(op.inv.step.call_stack)
    for c in cmds:
        for cond in c.conditions:
            for t in cond.tests:
                tc = model.commands[t]
                if cond.kind == "or" and tc.name == "ip":
                    return True  # `ip link ... || brctl ...`: a fallback for old systems
                if any("brctl" in (w.text or "") for w in tc.argv[1:]) or (
                        tc.name in ("which", "command", "type", "hash") and any("brctl" in w.text for w in tc.argv)):
                    return True
    return False


class DeprecatedBrctl(NetRule):
    """`brctl` (bridge-utils) is deprecated: use `ip link` / `bridge` from iproute2.

    ## What it does
    Flags every `brctl` command and gives the iproute2 equivalent in the fix: `brctl addbr B` is
    `ip link add name B type bridge`, `brctl addif B I` is `ip link set I master B`, `brctl delif
    B I` is `ip link set I nomaster`, `brctl delbr B` is `ip link del B`, `brctl stp B off` is
    `ip link set B type bridge stp_state 0`, `brctl show` is `bridge link` / `ip -d link show
    type bridge`. Not reported where the script only uses brctl after checking that it is
    installed (`if command -v brctl ...; then brctl ...; else ip ...; fi`).

    ## Why is this bad?
    bridge-utils is unmaintained ("This utility is DEPRECATED. No new features will ever be
    added") and missing from many minimal images: the script then fails with `brctl: command not
    found` half-way through. `brctl addif` also hides that the port still has to be brought up.

    ## Example
    ```sh
    brctl addif lxdbr0 veth-lxd
    ```

    ## Use instead
    ```sh
    ip link set veth-lxd master lxdbr0
    ```

    ## Fix
    Replace the command with the iproute2 equivalent shown in the help line.

    ## References
    - bridge-utils README: https://www.kernel.org/pub/scm/network/bridge/bridge-utils.git/about/?h=main
    - ip-link(8), bridge(8)
    """

    code = "NET011"
    name = "deprecated-brctl"
    severity = Severity.INFO
    tags = ("netns", "bridge", "deprecated")

    def check(self, model: NetScript, ctx: FileContext) -> Iterator[Diagnostic]:
        yield from dedupe(self._check(model, self.analysis(model, ctx)))

    def _check(self, model, a) -> Iterator[Diagnostic]:
        for op in a.ops:
            b = op.brctl
            if b is None or b.sub is None or in_error_region(model, op) or _compat_shim(model, op):
                continue
            eq = b.equivalent()
            word = b.sub_arg.word.text if b.sub_arg is not None and b.sub_arg.word is not None else b.sub
            yield self.diagnostic(
                op.span,
                f"`brctl {word}` is deprecated (bridge-utils is unmaintained and often not installed)"
                + (f"; iproute2 does it with `{eq}`" if eq else ""),
                fix_title=f"Use `{eq}`" if eq else "Use `ip link` / `bridge` from iproute2",
                anchor=f"brctl {b.sub}@{op.line}",
            )
