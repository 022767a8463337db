from __future__ import annotations

from collections.abc import Iterator

from cfglint.api import Diagnostic, FileContext, Severity
from cfglint.models.netns import NetScript
from cfglint.rules.netns._common import NetRule, called_from, dedupe, in_error_region


class GatewayNotOnLink(NetRule):
    """A route's gateway is outside every subnet connected to the namespace (and `onlink` is not given).

    ## What it does
    Checks `ip route add|replace|append ... via GW` (IPv4) against the subnets the namespace is
    connected to at that point: the addresses (with their prefix lengths, and `peer` addresses)
    and the device routes (`ip route add PREFIX dev X`) the script gave it. Only judged when
    every interface and address of the namespace is known: a namespace the script created (or,
    with `dev X`, an interface it created), with no address or route the linter cannot read.
    Routes with `onlink`, multipath routes and IPv6 are not judged.

    ## Why is this bad?
    The kernel accepts a gateway only if it is reachable on a connected subnet: the command fails
    with `Error: Nexthop has invalid gateway` (or `Network is unreachable`), so the namespace has
    no default route. The usual causes are an address given without its prefix length (IPv4
    then defaults to /32) or the route added before the address.

    ## Example
    ```sh
    ip netns add blue
    ip link add veth-blue netns blue type veth peer name veth-host
    ip -n blue addr add 10.0.0.2 dev veth-blue
    ip -n blue link set veth-blue up
    ip -n blue route add default via 10.0.0.1
    ```

    ## Use instead
    ```sh
    ip netns add blue
    ip link add veth-blue netns blue type veth peer name veth-host
    ip -n blue addr add 10.0.0.2/24 dev veth-blue
    ip -n blue link set veth-blue up
    ip -n blue route add default via 10.0.0.1
    ```

    ## Fix
    Give the address its prefix length, add the address before the route, or add `onlink` when
    the gateway really is reachable on that link without a connected subnet.

    ## References
    - ip-route(8) `via`, `onlink`
    - https://github.com/Jamesits/systemd-named-netns/issues/36
    """

    code = "NET010"
    name = "gateway-not-on-link"
    severity = Severity.ERROR
    tags = ("netns", "routing", "correctness")

    def check(self, model: NetScript, ctx: FileContext) -> Iterator[Diagnostic]:
        yield from dedupe(self._check(model, self.analysis(model, ctx)))

    def _check(self, model, a) -> Iterator[Diagnostic]:
        for g in a.gateways:
            if in_error_region(model, g.op) or g.op.tolerant:
                continue
            where = "the root namespace" if g.op.ns.kind == "root" else g.op.ns.shown
            nets = [n for n in g.subnets if n != "127.0.0.0/8"]
            have = ", ".join(n if "/" in n else f"{n}/32" for n in nets) if nets else "none"
            if any("/" not in n for n in nets):
                have += "; an IPv4 address given without a prefix length is a /32"
            through = f" through {g.dev.shown}" if g.dev is not None else ""
            yield self.diagnostic(
                g.op.arg_span(g.via),
                f"gateway {g.gateway} is not on any subnet connected to {where}{through}{called_from(g.op, g.op.arg_span(g.via))} "
                f"(connected: {have}); ip fails with 'Nexthop has invalid gateway'",
                fix_title="Give the interface an address in the gateway's subnet first (with its /prefix), or add `onlink`",
                anchor=f"gw {g.gateway}@{g.op.ns.short}",
            )
