from __future__ import annotations

from collections.abc import Iterator

from cfglint.api import Diagnostic, FileContext, Related, Severity
from cfglint.models.netns import NetScript
from cfglint.rules.netns._common import NetRule, called_from, dedupe, in_error_region


class AddressOnBridgePort(NetRule):
    """An IP address is configured on an interface that is a bridge port.

    ## What it does
    Flags `ip addr add ... dev X` while X is certainly enslaved to a bridge (`ip link set X
    master BR`, `brctl addif BR X`, `ip link add X master BR`), and enslaving an interface that
    certainly holds an address the script gave it. The bridge must be known as one: created by
    the script as `type bridge` / `brctl addbr`, or joined with `brctl addif`. Bonds, VRFs and
    Open vSwitch ports are not judged.

    ## Why is this bad?
    Once enslaved, the port hands every frame it receives to the bridge: the host answers on the
    bridge, not on the port, so an address on the port is unreachable from the bridged segment
    (and confuses ARP and routing: the connected route points at a device that never delivers
    locally). The address belongs on the bridge itself.

    ## Example
    ```sh
    ip link add br0 type bridge
    ip link set eth1 master br0
    ip addr add 192.168.10.1/24 dev eth1
    ```

    ## Use instead
    ```sh
    ip link add br0 type bridge
    ip link set eth1 master br0
    ip addr add 192.168.10.1/24 dev br0
    ```

    ## Fix
    Move the address to the bridge (`ip addr del A dev PORT; ip addr add A dev BR`).

    ## References
    - Linux bridge documentation (Documentation/networking/bridge.rst); ip-link(8) `master`
    """

    code = "NET009"
    name = "address-on-bridge-port"
    severity = Severity.WARNING
    tags = ("netns", "bridge", "correctness")

    def check(self, model: NetScript, ctx: FileContext) -> Iterator[Diagnostic]:
        yield from dedupe(self._check(model, self.analysis(model, ctx)))

    def _check(self, model, a) -> Iterator[Diagnostic]:
        for p in a.port_addrs:
            if in_error_region(model, p.op) or p.op.tolerant:
                continue
            related = []
            if p.related is not None:
                related.append(Related(p.related.span,
                                       f"{p.dev.shown} enslaved to {p.bridge.shown} here" if p.order == "addr-on-port"
                                       else f"address given to {p.dev.shown} here"))
            if p.order == "addr-on-port":
                msg = (f"address added to {p.dev.shown}{called_from(p.op, p.op.arg_span(p.arg))}, which is a port of bridge {p.bridge.shown}: "
                       f"frames arriving on a port go to the bridge, so this address is unreachable from the bridged "
                       f"segment")
            else:
                msg = (f"{p.dev.shown} holds an address and is made a port of bridge {p.bridge.shown}{called_from(p.op, p.op.arg_span(p.arg))}: "
                       f"frames arriving on it go to the bridge, so that address stops being reachable")
            yield self.diagnostic(
                p.op.arg_span(p.arg),
                msg,
                related=related,
                fix_title=f"Put the address on the bridge {p.bridge.shown} instead of its port {p.dev.shown}",
                anchor=f"port-addr {p.dev.shown}",
            )
