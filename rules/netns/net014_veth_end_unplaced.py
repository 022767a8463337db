from __future__ import annotations

from collections.abc import Iterator

from cfglint.api import Diagnostic, FileContext, Related, Severity
from cfglint.models.netns import NetScript
from cfglint.netns.refs import Ref
from cfglint.netns.simulate import Analysis, NetOp, VethEnd
from cfglint.rules.netns._common import NetRule, dedupe

def _mentions(text: str, name: Ref) -> bool:
    lit = name.literal
    if lit is not None:
        return lit in text
    return any(k == "v" and (f"${v}" in text or f"${{{v}}}" in text) for k, v in name.parts or ())


def _plain(op: NetOp) -> bool:
    """The end's own creation, `ip link set X up|mtu N|...`, a read (`ip link show X`)."""
    ip = op.ip
    if ip is None:
        return False
    if ip.obj in ("link", "address", "route", "neighbor") and ip.cmd in ("show", "list", "get", None):
        return True
    if ip.obj == "link" and ip.cmd == "add":
        return True
    if ip.obj == "link" and ip.cmd == "set" and ip.link is not None:
        spec = ip.link
        if spec.netns or spec.master or spec.name or spec.type or spec.nomaster:
            return False
        return True
    return False


def _used_elsewhere(model: NetScript, a: Analysis, end: VethEnd) -> bool:
    for op in a.ops:
        if _plain(op):
            continue
        texts = [x.value.render() for x in op.inv.argv] + [x.word.text for x in op.inv.argv if x.word is not None]
        if any(_mentions(t, end.name) for t in texts):
            return True
        if op.havoc and op.ns == end.ns:
            return True
        # a word the linter cannot read, in a command run where the end is, may name it
        st = a.final.get(end.unit)
        if st is not None and st.ns_relation(op.ns, end.ns) != "different" and op.tool != "harmless" and any(
                x.value.text is None for x in op.inv.argv[1:]):
            return True
    for c in model.commands:
        if c.name in ("ip",) or c.kind in ("assignment",):
            continue
        texts = [w.text for w in c.argv] + [w.value.render() for w in c.argv]
        texts += [r.target.text for r in c.redirects if r.target is not None]
        if c.name not in ("echo", "printf", "log", "logger") and any(_mentions(t, end.name) for t in texts):
            return True
    return any(_mentions(h.body, end.name) for h in model.heredocs)


class VethEndUnplaced(NetRule):
    """A veth end is left in its namespace with nothing attached: no bridge, no address, no route, nothing using it.

    ## What it does
    For each veth pair the script creates, looks at where each end finally is. Flags an end
    that certainly stays where it is with no bridge master, no address, and whose name no other
    command of the script mentions (no route, sysctl, iptables rule, `ovs-vsctl add-port`,
    daemon option, `tc`...): only its creation and `ip link set X up|mtu|...` touch it. Ends in a
    PID's namespace, ends of names the linter cannot know, and ends in a namespace where an
    unknown program runs are not reported.

    ## Why is this bad?
    A veth pair is a cable: what enters one end leaves the other. An end with nothing attached
    delivers the far side's packets into a namespace that has no address, route or bridge for
    them, so the far side (a container, a router namespace) can reach nothing. The usual cause is
    a forgotten `ip link set X master BRIDGE` for the host end.

    ## Example
    ```sh
    ip netns add blue
    ip link add veth-blue type veth peer name veth-host
    ip link set veth-blue netns blue
    ip -n blue addr add 10.0.0.2/24 dev veth-blue
    ip -n blue link set veth-blue up
    ip link set veth-host up
    ```

    ## Use instead
    ```sh
    ip netns add blue
    ip link add veth-blue type veth peer name veth-host
    ip link set veth-blue netns blue
    ip -n blue addr add 10.0.0.2/24 dev veth-blue
    ip -n blue link set veth-blue up
    ip link set veth-host master br0
    ip link set veth-host up
    ```

    ## Fix
    Attach the end: enslave it to a bridge (`ip link set X master BR`), give it an address in the
    far end's subnet, or route the far side's addresses to it.

    ## References
    - veth(4): "veth devices are always created in interconnected pairs"
    """

    code = "NET014"
    name = "veth-end-unplaced"
    severity = Severity.WARNING
    tags = ("netns", "veth", "correctness")

    def check(self, model: NetScript, ctx: FileContext) -> Iterator[Diagnostic]:
        yield from dedupe(self._check(model, self.analysis(model, ctx)))

    def _check(self, model, a) -> Iterator[Diagnostic]:
        for end in a.veth_ends:
            s = end.slot
            if s.present != "yes" or end.ns.kind not in ("root", "name") or end.rec.exists != "yes":
                continue
            if s.master_state != "no" or s.addrs or not s.addrs_known or s.created is None:
                continue
            if model.in_error_region(s.created.span) or not end.name.known:
                continue
            if _used_elsewhere(model, a, end):
                continue
            where = "the root namespace" if end.ns.kind == "root" else end.ns.shown
            related: list[Related] = []
            if s.moved_from is not None:
                related.append(Related(s.moved_from.span, f"{end.name.shown} {s.moved_from.text} here"))
            unit = f" (in function {end.unit}())" if end.unit else ""
            yield self.diagnostic(
                s.created.span,
                f"veth end {end.name.shown} stays in {where} with nothing attached{unit}: no bridge, no address, "
                f"no route and no other command uses it, so what its peer sends ends there",
                related=related,
                fix_title=f"Attach {end.name.shown}: `ip link set {end.name.shown} master BRIDGE`, or give it an address",
                anchor=f"veth-unplaced {end.name.shown}@{end.ns.short}",
            )
