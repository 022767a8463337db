from __future__ import annotations

from collections.abc import Iterator

from cfglint.api import Diagnostic, FileContext, Related, Severity
from cfglint.models.netns import NetScript
from cfglint.netns.refs import DIFFERENT, relation
from cfglint.netns.simulate import Analysis, VethEnd
from cfglint.rules.netns._common import NetRule, dedupe


def _may_come_up(a: Analysis, end: VethEnd) -> bool:
    """Whether any command of the script (in any function) might bring this end up."""
    st = a.final[end.unit]
    for op in a.ops:
        if op.havoc and (op.ns.kind == "unknown" or st.ns_relation(op.ns, end.ns) != DIFFERENT):
            return True
        ip = op.ip
        if ip is None or ip.obj != "link" or ip.link is None:
            continue
        spec = ip.link
        if ip.cmd == "set":
            if spec.group:
                return True
            dev = spec.dev
            from cfglint.netns.refs import ref_of

            r = ref_of(dev.value) if dev is not None else None
            same_name = r is None or relation(r, end.name) != DIFFERENT
            if spec.name is not None:
                new = ref_of(spec.name.value)
                if relation(new, end.name) != DIFFERENT or same_name:
                    return True
            if spec.up and same_name:
                return True
        elif ip.cmd == "add" and spec.up:
            continue
    return False


class VethEndLeftDown(NetRule):
    """A veth end the script creates is left down: it is never brought up where it ends up.

    ## What it does
    Follows both ends of every veth pair the script creates (`ip link add A type veth peer name
    B`, with or without `netns`) through moves, renames and deletions, and flags an end that
    certainly still exists at the end of the script (or of the function that creates it) and is
    still down: a veth is created down, and moving it to another namespace takes it down again.
    Nothing is reported when any command of the script might bring it up (`ip link set X up`
    anywhere, with any spelling of the name, an unknown name, or a program the linter cannot
    follow running in that namespace), or when it was moved to a PID's namespace (the container
    runtime configures it).

    ## Why is this bad?
    A veth pair carries traffic only when both ends are up. With one end down the other shows
    `NO-CARRIER`, ARP gets no answer and the namespace is unreachable, although every address
    and route looks right. The usual cause is the end that was moved: `ip link set X netns NS`
    puts it down, and the `up` given before the move does not carry over.

    ## Example
    ```sh
    ip netns add blue
    ip link add veth-blue type veth peer name veth-host
    ip link set veth-blue netns blue
    ip -n blue addr add 10.0.0.2/24 dev veth-blue
    ip link set veth-host up
    ```

    ## Use instead
    ```sh
    ip netns add blue
    ip link add veth-blue type veth peer name veth-host
    ip link set veth-blue netns blue
    ip -n blue addr add 10.0.0.2/24 dev veth-blue
    ip -n blue link set veth-blue up
    ip link set veth-host up
    ```

    ## Fix
    Bring the end up in the namespace where it ends up: `ip -n NS link set X up` (after the move).

    ## References
    - ip-link(8) `up`/`down`; veth(4): "packets transmitted on one device in the pair are
      immediately received on the other device. When either device is down, the link state of
      the pair is down"
    - https://github.com/networkop/meshnet-cni/issues/19 , https://github.com/nmstate/nmstate/pull/1928
    """

    code = "NET004"
    name = "veth-end-left-down"
    severity = Severity.WARNING
    tags = ("netns", "veth", "correctness")

    def check(self, model: NetScript, ctx: FileContext) -> Iterator[Diagnostic]:
        yield from dedupe(self._check(model, self.analysis(model, ctx)))

    def _check(self, model, a) -> Iterator[Diagnostic]:
        for end in a.veth_ends:
            s = end.slot
            if s.up != "no" or s.present != "yes" or end.ns.kind not in ("root", "name") or end.rec.exists != "yes":
                continue
            if s.created is None or model.in_error_region(s.created.span):
                continue
            if _may_come_up(a, end):
                continue
            where = "the root namespace" if end.ns.kind == "root" else end.ns.shown
            related: list[Related] = []
            if s.moved_from is not None:
                detail = f"it was moved to {where} at line {s.moved_from.line}, which takes it down"
                related.append(Related(s.moved_from.span, f"{end.name.shown} {s.moved_from.text} here"))
            else:
                detail = f"it is created down in {where}"
            unit = f" (in function {end.unit}())" if end.unit else ""
            yield self.diagnostic(
                s.created.span,
                f"veth end {end.name.shown} is never brought up{unit}: {detail} and no command sets it up; "
                f"the pair stays NO-CARRIER and carries no traffic",
                related=related,
                fix_title=(f"Add `ip link set {end.name.shown} up`" if end.ns.kind == "root" else
                           f"Add `ip -n {end.ns.short} link set {end.name.shown} up` after the move"),
                anchor=f"veth {end.name.shown}@{end.ns.short}",
            )
