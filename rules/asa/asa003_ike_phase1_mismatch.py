from __future__ import annotations

from collections.abc import Iterator

from cfglint.api import Diagnostic, ProjectContext, ProjectIndex, Related, Severity
from cfglint.asa.ipsec import IpsecSession, describe_policy
from cfglint.rules.asa._common import AsaProjectRule, Once, entry_label, pair_key, peer_label


def _versions(vs: frozenset[int] | set[int]) -> str:
    if not vs:
        return "no IKE version"
    return " and ".join(f"IKEv{v}" for v in sorted(vs))


class IkePhase1Mismatch(AsaProjectRule):
    """Two IPsec peers cannot complete IKE phase 1: no proposal in common, or the IKE version is not enabled.

    ## What it does
    For each paired crypto map entry (see ASA001 for the pairing) it checks what the initiator's
    entry can use (IKEv1 with a transform set, IKEv2 with an IPsec proposal, each enabled on its
    own interface) against what the peer enables on the interface that owns the address
    (`crypto isakmp enable`, `crypto ikev1 enable`, `crypto ikev2 enable`), then looks for an IKE
    policy both accept, the initiator's by priority against each of the peer's: IKEv1 needs the
    same authentication, encryption, hash and DH group (unset values take the ASA defaults:
    pre-share, 3des, sha, group 2); IKEv2 needs an encryption, an integrity, a PRF (the integrity
    when not set) and a DH group in common. IKEv2 is tried first, as the ASA does, and IKEv1 is
    the fallback when both are configured. Lifetimes are not compared (the shorter one is used).
    A side without any policy of that version is not judged. One finding per pair of devices.

    ## Why is this bad?
    Without a common proposal, or with the initiator's IKE version switched off on the peer's
    interface, phase 1 never completes: the initiator logs `no proposal chosen` / `All IKE SA
    proposals found unacceptable`, the peer drops the negotiation, and no traffic of the tunnel
    passes. It typically follows a one-sided upgrade (new policy with aes-256 and group 14 on one
    end) or an 8.4 migration where `crypto ikev2 enable` was added without `crypto ikev1 enable`.

    ## Example
    ```cisco
    ! file: hq.cfg
    ASA Version 9.8(4)
    hostname hq
    interface GigabitEthernet0/0
     nameif outside
     ip address 192.0.2.1 255.255.255.0
    access-list TO-BR extended permit ip 10.0.0.0 255.255.0.0 10.50.0.0 255.255.0.0
    crypto ipsec ikev1 transform-set TS esp-aes-256 esp-sha-hmac
    crypto map VPN 10 match address TO-BR
    crypto map VPN 10 set peer 198.51.100.9
    crypto map VPN 10 set ikev1 transform-set TS
    crypto map VPN interface outside
    crypto ikev1 enable outside
    crypto ikev1 policy 10
     authentication pre-share
     encryption aes-256
     hash sha
     group 14
    ! file: branch.cfg
    ASA Version 9.8(4)
    hostname branch
    interface GigabitEthernet0/0
     nameif outside
     ip address 198.51.100.9 255.255.255.0
    access-list TO-HQ extended permit ip 10.50.0.0 255.255.0.0 10.0.0.0 255.255.0.0
    crypto ipsec ikev1 transform-set TS esp-aes-256 esp-sha-hmac
    crypto map VPN 10 match address TO-HQ
    crypto map VPN 10 set peer 192.0.2.1
    crypto map VPN 10 set ikev1 transform-set TS
    crypto map VPN interface outside
    crypto ikev1 enable outside
    crypto ikev1 policy 10
     authentication pre-share
     encryption 3des
     hash sha
     group 2
    ```

    ## Use instead
    ```cisco
    ! file: hq.cfg
    ASA Version 9.8(4)
    hostname hq
    interface GigabitEthernet0/0
     nameif outside
     ip address 192.0.2.1 255.255.255.0
    access-list TO-BR extended permit ip 10.0.0.0 255.255.0.0 10.50.0.0 255.255.0.0
    crypto ipsec ikev1 transform-set TS esp-aes-256 esp-sha-hmac
    crypto map VPN 10 match address TO-BR
    crypto map VPN 10 set peer 198.51.100.9
    crypto map VPN 10 set ikev1 transform-set TS
    crypto map VPN interface outside
    crypto ikev1 enable outside
    crypto ikev1 policy 10
     authentication pre-share
     encryption aes-256
     hash sha
     group 14
    ! file: branch.cfg
    ASA Version 9.8(4)
    hostname branch
    interface GigabitEthernet0/0
     nameif outside
     ip address 198.51.100.9 255.255.255.0
    access-list TO-HQ extended permit ip 10.50.0.0 255.255.0.0 10.0.0.0 255.255.0.0
    crypto ipsec ikev1 transform-set TS esp-aes-256 esp-sha-hmac
    crypto map VPN 10 match address TO-HQ
    crypto map VPN 10 set peer 192.0.2.1
    crypto map VPN 10 set ikev1 transform-set TS
    crypto map VPN interface outside
    crypto ikev1 enable outside
    crypto ikev1 policy 5
     authentication pre-share
     encryption aes-256
     hash sha
     group 14
    crypto ikev1 policy 10
     authentication pre-share
     encryption 3des
     hash sha
     group 2
    ```

    ## Options
    `peer-map` and `external-peers`, the family options of the ASA cross-device rules (see ASA001).

    ## Fix
    Give both ends one policy with the same values (keep the old one at a lower priority during a
    migration), and enable on each interface the IKE version its peer uses.

    ## References
    - Cisco ASA VPN CLI configuration guide, "Configure IKE policies" (match rules, defaults)
    - Batfish `IpsecUtil.negotiateIkeP1` / `IkePhase1Proposal.isCompatibleWith`
    """

    code = "ASA003"
    name = "ike-phase1-mismatch"
    severity = Severity.ERROR
    tags = ("asa", "ipsec", "cross-file", "correctness")

    def check(self, index: ProjectIndex, ctx: ProjectContext) -> Iterator[Diagnostic]:
        an = self.analysis(index, ctx)
        once = Once()
        for s in an.sessions:
            if s.ike_version_failed:
                if once.first(pair_key(s.initiator.path, s.responder.path)):  # type: ignore[union-attr]
                    yield self._version(s)
            elif s.phase1_failed:
                if once.first(pair_key(s.initiator.path, s.responder.path)):  # type: ignore[union-attr]
                    yield self._proposal(s)

    def _version(self, s: IpsecSession) -> Diagnostic:
        init, resp = s.initiator, s.responder
        assert resp is not None and init.view is not None and s.peer is not None
        nameif = resp.interface.nameif if resp.interface is not None else "?"
        rel = [
            Related(e.span, f"{resp.host} enables IKEv{e.version} on {nameif}")
            for e in resp.model.ike_enables
            if e.interface == nameif
        ]
        if not rel:
            for b in resp.model.crypto_map_bindings:
                if b.interface == nameif:
                    rel.append(Related(b.span, f"{resp.host}'s crypto map on {nameif}, no IKE enabled there"))
        if not rel and resp.interface is not None:
            rel.append(Related(resp.interface.span, f"{resp.host}'s interface {nameif}"))
        how = {1: "IKEv1 (transform set)", 2: "IKEv2 (ikev2 ipsec-proposal)"}
        uses = " or ".join(how[v] for v in sorted(s.initiator_versions, reverse=True))
        enable = {1: "crypto ikev1 enable", 2: "crypto ikev2 enable"}
        if resp.model.version is not None and resp.model.version.before(8, 4):
            enable[1] = "crypto isakmp enable"
        fix = " and ".join(f"`{enable[v]} {nameif}`" for v in sorted(s.initiator_versions))
        enabled = (
            "enables no IKE version" if not s.responder_versions else f"enables only {_versions(s.responder_versions)}"
        )
        return self.diagnostic(
            s.peer.span,
            f"{init.host}'s {entry_label(init)} negotiates with {uses}, but {peer_label(resp)} {enabled} on"
            f" {nameif}: IKE phase 1 never starts and the tunnel stays down",
            related=rel,
            fix_title=f"On {resp.host}: {fix}, or configure this entry for the version {resp.host} enables",
            anchor=f"{entry_label(init)} ike-version {s.peer.text}",
        )

    def _proposal(self, s: IpsecSession) -> Diagnostic:
        init, resp = s.initiator, s.responder
        assert resp is not None and s.peer is not None and s.ike_version is not None
        v = s.ike_version
        mine = init.model.ike_policies_for(v)
        theirs = resp.model.ike_policies_for(v)
        offer = "; ".join(describe_policy(p) for p in mine[:3]) + (" ..." if len(mine) > 3 else "")
        accept = "; ".join(describe_policy(p) for p in theirs[:3]) + (" ..." if len(theirs) > 3 else "")
        rel = [Related(theirs[0].span, f"{resp.host}'s IKEv{v} policies")] if theirs else []
        if mine:
            rel.append(Related(mine[0].span, f"{init.host}'s IKEv{v} policies"))
        return self.diagnostic(
            s.peer.span,
            f"no IKEv{v} proposal in common with {peer_label(resp)}: {init.host} offers policy {offer}; {resp.host}"
            f" accepts policy {accept}: phase 1 fails ('no proposal chosen') whichever side initiates",
            related=rel,
            fix_title=f"Add to one side an IKEv{v} policy with the other's authentication, encryption, hash/integrity"
            " and DH group",
            anchor=f"{entry_label(init)} ike-proposal {s.peer.text}",
        )
