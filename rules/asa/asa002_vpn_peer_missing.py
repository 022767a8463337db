from __future__ import annotations

from collections.abc import Iterator

from cfglint.api import Diagnostic, ProjectContext, ProjectIndex, Related, Severity
from cfglint.asa.ipsec import Pairing, host_of
from cfglint.rules.asa._common import AsaProjectRule, Once


class VpnPeerMissing(AsaProjectRule):
    """A `set peer` address belongs to no configuration of the run: that tunnel is not checked.

    ## What it does
    Reports (as info) each crypto map peer address that no interface of any ASA config in the run
    owns (active or standby address), after the `peer-map` translation, unless it is listed in
    `external-peers`. Also reports, once per address, a peer owned by several configurations
    that neither the initiator's directory nor the longest common path tells apart (two copies
    of one device): the pairing is not guessed.

    ## Why is this bad?
    The cross-device checks (crypto ACL mirror ASA001, IKE ASA003, phase 2 ASA004, keys ASA005)
    need both ends. A peer that is missing from the run is either a third party (say so with
    `external-peers` and this goes quiet), a device whose config was left out, or a NAT address:
    the peer sees its public address, its own config holds the private one (map it with
    `peer-map`). Until then nothing is known about the other end of this tunnel.

    ## Example
    ```cisco
    ! file: hq.cfg
    ASA Version 9.8(4)
    hostname hq
    interface GigabitEthernet0/0
     nameif outside
     ip address 192.0.2.1 255.255.255.0
    access-list TO-BRANCH extended permit ip 10.0.0.0 255.255.0.0 10.50.0.0 255.255.0.0
    crypto ipsec ikev1 transform-set TS esp-aes-256 esp-sha-hmac
    crypto map VPN 10 match address TO-BRANCH
    crypto map VPN 10 set peer 198.51.100.99
    crypto map VPN 10 set ikev1 transform-set TS
    crypto map VPN interface outside
    crypto ikev1 enable outside
    ```

    ## Use instead
    ```cisco
    ! file: hq.cfg
    ASA Version 9.8(4)
    hostname hq
    interface GigabitEthernet0/0
     nameif outside
     ip address 192.0.2.1 255.255.255.0
    access-list TO-BRANCH extended permit ip 10.0.0.0 255.255.0.0 10.50.0.0 255.255.0.0
    crypto ipsec ikev1 transform-set TS esp-aes-256 esp-sha-hmac
    crypto map VPN 10 match address TO-BRANCH
    crypto map VPN 10 set peer 198.51.100.99
    crypto map VPN 10 set ikev1 transform-set TS
    crypto map VPN interface outside
    crypto ikev1 enable outside
    ! file: branch.cfg
    ASA Version 9.8(4)
    hostname branch
    interface GigabitEthernet0/0
     nameif outside
     ip address 198.51.100.99 255.255.255.0
    access-list TO-HQ extended permit ip 10.50.0.0 255.255.0.0 10.0.0.0 255.255.0.0
    crypto ipsec ikev1 transform-set TS esp-aes-256 esp-sha-hmac
    crypto map VPN 10 match address TO-HQ
    crypto map VPN 10 set peer 192.0.2.1
    crypto map VPN 10 set ikev1 transform-set TS
    crypto map VPN interface outside
    crypto ikev1 enable outside
    ```

    ## Options
    - `external-peers` (array of addresses or networks, default `[]`): third-party peers, not
      reported.
    - `peer-map` (table, default `{}`): `"address the initiator dials" = "address in the peer's own
      config"`.

    Both are family options: set them once under `[tool.cfglint.rules.ASA]`, for example
    `external-peers = ["198.51.100.0/24"]`.

    ## Fix
    Lint the peer's config in the same run, or declare the address under `[tool.cfglint.rules.ASA]`
    (`external-peers` for a third party, `peer-map` for a NAT address).

    ## References
    - Batfish `IpsecSessionStatus.MISSING_END_POINT`
    """

    code = "ASA002"
    name = "vpn-peer-missing"
    severity = Severity.INFO
    tags = ("asa", "ipsec", "cross-file")

    def check(self, index: ProjectIndex, ctx: ProjectContext) -> Iterator[Diagnostic]:
        an = self.analysis(index, ctx)
        once = Once()
        for lk in an.lookups:
            if not once.first((lk.model.path, lk.address, lk.outcome)):
                continue
            via = f" (mapped to {lk.target} by peer-map)" if lk.target != lk.address else ""
            entry = f"crypto map {lk.view.map.name} {lk.view.entry.seq}"
            if lk.outcome is Pairing.UNKNOWN_PEER:
                yield self.diagnostic(
                    lk.peer.span,
                    f"peer {lk.peer.text} of {entry}{via} belongs to no configuration in this run: a third-party"
                    " device, a config missing from the run, or a NAT address; the other end of this tunnel"
                    " (crypto ACL mirror, IKE proposals, keys) is not checked",
                    fix_title="Lint the peer's config too, or declare it under [tool.cfglint.rules.ASA]:"
                    f' external-peers = ["{lk.address}"] for a third party, peer-map = {{ "{lk.address}" ='
                    ' "<address in its config>" } for NAT',
                    anchor=f"{entry} peer {lk.peer.text}",
                )
            elif lk.outcome is Pairing.AMBIGUOUS:
                names = ", ".join(c.path for c in lk.candidates)
                rel = []
                for c in lk.candidates:
                    for addr, itf in c.owned_addresses().items():
                        if addr == lk.target:
                            a = itf.address
                            where = a.span if a is not None and lk.target in (a.address, a.standby) else itf.span
                            rel.append(Related(where, f"{host_of(c)} owns {lk.target} here"))
                            break
                yield self.diagnostic(
                    lk.peer.span,
                    f"peer {lk.peer.text} of {entry}{via} is owned by {len(lk.candidates)} configurations ({names})"
                    " that neither the directory nor the path tells apart: the pairing is not guessed and this"
                    " tunnel is not checked",
                    related=rel,
                    fix_title="Lint one copy of the peer per run, or keep each site's pair of configs in its own"
                    " directory",
                    anchor=f"{entry} peer {lk.peer.text} ambiguous",
                )
