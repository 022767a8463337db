from __future__ import annotations

from collections.abc import Iterator

from cfglint.api import Diagnostic, FileContext, Related, Severity
from cfglint.models.netns import NetScript
from cfglint.netns.simulate import Use
from cfglint.rules.netns._common import NetRule, called_from, dedupe, in_error_region

def _existence_tested(use: Use, model: NetScript) -> bool:
    """The command runs only when a test that names the interface succeeded or failed
    (`if ip link show X`, `[ -d /sys/class/net/X ]`): the script already handles its absence."""
    shown = use.name.shown
    cmds = [use.op.inv.command]
    if use.op.inv.site is not None:
        cmds.append(use.op.inv.site)
    if use.op.inv.step is not None:
        cmds.extend(use.op.inv.step.call_stack)
    for c in cmds:
        for cond in c.conditions:
            for t in cond.tests:
                tc = model.commands[t]
                text = " ".join(w.text for w in tc.argv) + " " + " ".join(
                    (w.value.render() if w.value is not None else "") for w in tc.argv)
                if shown and shown in text:
                    return True
                if use.arg.word is not None and use.arg.word.text in text:
                    return True
    return False


class InterfaceNotInNamespace(NetRule):
    """An interface is used in a namespace where it certainly does not exist at that point.

    ## What it does
    Follows every interface the script creates, moves, renames and deletes, namespace by
    namespace, and flags a command that needs an interface (`ip link set X`, `ip addr add ...
    dev X`, `ip route ... dev X`, `master B`, `brctl addif B X`, `ip link del X`) where it cannot
    be at that point:

    - it was moved to another namespace (`ip link set X netns NS`) and the command still runs in
      the old one;
    - it was deleted, deleted with its veth peer, renamed, or deleted with its namespace
      (`ip netns del NS` destroys the veths in it and their peers elsewhere);
    - in a namespace this script created, it was never created or moved there (a fresh namespace
      holds only `lo`; a veth peer made with `peer X netns OTHER` is in OTHER).

    Commands run in namespaces are resolved through `ip netns exec`, `ip -n`, `nsenter`, `sudo`,
    `env`, `timeout`, and wrapper functions (`in_ns() { ip netns exec "$NS" "$@"; }`). In the
    root namespace only interfaces the script itself moved away or deleted are reported
    (physical NICs and other tools' bridges may exist there). A command that may not run (a
    branch, a `case` arm, a guarded command) only sees what certainly happened before it on
    its own path; a command whose failure the script expects (`2>/dev/null`, `|| true`, tested
    by `if`) and a command guarded by a test on that interface are not reported.

    ## Why is this bad?
    The command fails with `Cannot find device "X"` (exit status 1): with `set -e` the script
    stops half-way, leaving a half-built topology; without it, the address, route or state
    change silently never happens and traffic goes nowhere.

    ## Example
    ```sh
    ip link add veth-qr type veth peer name veth-lxd
    ip link set veth-qr netns qrouter-1234
    ip link set veth-qr up
    ```

    ## Use instead
    ```sh
    ip link add veth-qr type veth peer name veth-lxd
    ip link set veth-qr netns qrouter-1234
    ip -n qrouter-1234 link set veth-qr up
    ```

    ## Options
    - `external-namespaces`, `wrappers` (family options `[rules.NET]`, see NET013).

    ## Fix
    Run the command inside the namespace the interface now lives in (`ip -n NS ...` or
    `ip netns exec NS ...`), or run it before the interface is moved.

    ## References
    - ip-link(8): "netns NETNSNAME | PID: move the device to the network namespace"
    - "Cannot find device" after moving an interface: https://github.com/sandia-minimega/minimega/issues/1373 ,
      https://github.com/p4lang/p4factory/issues/168
    """

    code = "NET001"
    name = "interface-not-in-namespace"
    severity = Severity.ERROR
    tags = ("netns", "correctness")

    def check(self, model: NetScript, ctx: FileContext) -> Iterator[Diagnostic]:
        a = self.analysis(model, ctx)
        yield from dedupe(self._check(model, a))

    def _check(self, model, a) -> Iterator[Diagnostic]:
        for use in a.uses:
            if use.presence != "no" or use.op.tolerant or use.ns.kind == "unknown":
                continue
            if in_error_region(model, use.op):
                continue
            slot = use.slot
            gone = slot.gone
            if use.ns.kind == "root" and gone is None:
                continue
            if _existence_tested(use, model):
                continue
            where = "the root namespace" if use.ns.kind == "root" else use.ns.shown
            name = use.name.shown
            related: list[Related] = []
            if gone is not None:
                why = f"it was {gone.text} at line {gone.line}"
                related.append(Related(gone.span, f"{name} {gone.text} here"))
            elif use.rec.exists == "no":
                ev = use.rec.deleted_event
                why = f"{where} was deleted" + (f" at line {ev.line}" if ev is not None else "")
                if ev is not None:
                    related.append(Related(ev.span, f"{where} deleted here"))
            else:
                ev = use.rec.created_event
                why = (f"{where} was created empty by this script" + (f" at line {ev.line}" if ev is not None else "")
                       + " and nothing creates or moves it there")
                if use.elsewhere:
                    there = use.elsewhere[0]
                    why += f" ({name} is in {'the root namespace' if there.kind == 'root' else there.shown})"
                if ev is not None:
                    related.append(Related(ev.span, f"{where} created here"))
            role = {"master": "bridge/master ", "bridge": "bridge ", "parent": "parent device ", "port": ""}.get(
                use.role, "")
            at = use.op.arg_span(use.arg)
            message = (f"{role}{name} does not exist in {where} here{called_from(use.op, at)}: {why}; "
                       f"the command fails with 'Cannot find device \"{name}\"'")
            if use.ns.kind == "root":
                fix = "Run it where the interface now lives (`ip -n NS ...` / `ip netns exec NS ...`), or before the move"
            else:
                fix = "Run it in the namespace that holds the interface, or create/move the interface there first"
            yield self.diagnostic(at, message, related=related, fix_title=fix,
                                  anchor=f"{name}@{use.ns.short}")
