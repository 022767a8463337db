from __future__ import annotations

import re
from collections.abc import Iterator

from cfglint.api import Diagnostic, Edit, FileContext, Severity
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


# The subcommands rewritten by --fix: (operands, template).
_FIXABLE = {
    "addbr": (1, "ip link add name {0} type bridge"),
    "delbr": (1, "ip link del {0}"),
    "addif": (2, "ip link set {1} master {0}"),
    "delif": (2, "ip link set {1} nomaster"),
}
_PLAIN_WORD_RE = re.compile(r"^[A-Za-z0-9_.:@%+=,/-]+$")


def _fix(op) -> tuple[Edit, ...]:
    """The edit rewriting the brctl argv span of the source command, when certain: a known
    subcommand with exactly its operands, every word a plain literal written in this very command
    (not a function's `$1`, not a `sh -c` string), all on one line without redirections between
    them. Wrapper prefixes (`sudo`, `ip netns exec NS`) are kept: only the brctl words change."""
    b, inv = op.brctl, op.inv
    if b.sub not in _FIXABLE or not inv.complete or (inv.step is not None and inv.step.call_stack):
        return ()
    n, template = _FIXABLE[b.sub]
    if len(inv.argv) != 2 + n:
        return ()
    cmd = inv.command
    k = len(cmd.argv) - len(inv.argv)
    if k < 0:
        return ()
    words = []
    for arg, word in zip(inv.argv, cmd.argv[k:]):
        w = arg.word
        if w is None or w.span != word.span or not arg.exact or w.refs or not _PLAIN_WORD_RE.match(w.text):
            return ()
        if w.value.text != w.text or w.span.end_line not in (None, w.span.line):
            return ()
        words.append(w)
    if (inv.name or "") != "brctl" or words[1].text != b.sub:
        return ()
    first, last = words[0].span, words[-1].span
    if last.line != first.line or last.end_column is None:
        return ()
    for r in cmd.redirects:
        if r.span.line == first.line and first.column <= r.span.column < last.end_column:
            return ()
    new = template.format(*(w.text for w in words[2:]))
    return (Edit(first.path, first.line, first.column, last.line, last.end_column, new),)


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
    Replace the command with the iproute2 equivalent shown in the help line. The fix is
    automatic under `--fix` for `addbr`, `delbr`, `addif` and `delif` with literal operands
    (a `sudo` or `ip netns exec NS` prefix is kept).

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
                fixes=_fix(op),
            )
