from __future__ import annotations

from collections.abc import Iterator

from cfglint.api import Diagnostic, ProjectContext, ProjectIndex, Related, Severity
from cfglint.asa.ipsec import IpsecSession, describe_transforms, pfs_compatible
from cfglint.rules.asa._common import AsaProjectRule, Once, entry_label, pair_key, peer_label


class IpsecPhase2Mismatch(AsaProjectRule):
    """Two paired crypto map entries share no transform set / IPsec proposal, or disagree on PFS.

    ## What it does
    For each paired crypto map entry (see ASA001 for the pairing; the peer's entry is the one that
    answers this initiator: its static entry for this address, else its dynamic map), with the IKE
    version the two negotiate:

    - IKEv1: looks for a transform set of the initiator's entry with the same ESP encryption,
      integrity and mode (tunnel / transport) as one of the peer entry's (`esp-aes` is
      `esp-aes-128`);
    - IKEv2: looks for an IPsec proposal pair with an encryption and an integrity in common;
    - PFS: the peer must accept the initiator's offer. An entry with `set pfs` requires the same DH
      group from the initiator (a bare `set pfs` is group 2); an entry without PFS accepts any offer.

    Entries naming an undefined transform set or proposal are not judged (the undefined one could
    be the match). One finding per pair of entries and per problem.

    ## Why is this bad?
    Phase 1 comes up, then every quick mode / CREATE_CHILD_SA fails: the ASA logs `no proposal
    chosen` or, for PFS, `PFS group mismatch`; `show crypto isakmp sa` looks healthy while `show
    crypto ipsec sa` stays empty and no traffic passes. A PFS disagreement is worse: when only one
    side sets PFS, tunnels the PFS side starts come up and those the other side starts fail, so
    the outage depends on who sends first.

    ## Example
    ```cisco
    ! file: hq.cfg
    ASA Version 9.8(4)
    hostname hq
    interface GigabitEthernet0/0
     nameif outside
     ip address 192.0.2.1 255.255.255.0
    access-list TO-BR extended permit ip 10.0.0.0 255.255.0.0 10.50.0.0 255.255.0.0
    crypto ipsec ikev1 transform-set AES256 esp-aes-256 esp-sha-hmac
    crypto map VPN 10 match address TO-BR
    crypto map VPN 10 set peer 198.51.100.9
    crypto map VPN 10 set ikev1 transform-set AES256
    crypto map VPN interface outside
    crypto ikev1 enable outside
    ! file: branch.cfg
    ASA Version 8.2(5)
    hostname branch
    interface Ethernet0/0
     nameif outside
     ip address 198.51.100.9 255.255.255.0
    access-list TO-HQ extended permit ip 10.50.0.0 255.255.0.0 10.0.0.0 255.255.0.0
    crypto ipsec transform-set AES128 esp-aes esp-sha-hmac
    crypto map VPN 10 match address TO-HQ
    crypto map VPN 10 set peer 192.0.2.1
    crypto map VPN 10 set transform-set AES128
    crypto map VPN interface outside
    crypto isakmp enable outside
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
    crypto ipsec ikev1 transform-set AES256 esp-aes-256 esp-sha-hmac
    crypto map VPN 10 match address TO-BR
    crypto map VPN 10 set peer 198.51.100.9
    crypto map VPN 10 set ikev1 transform-set AES256
    crypto map VPN interface outside
    crypto ikev1 enable outside
    ! file: branch.cfg
    ASA Version 8.2(5)
    hostname branch
    interface Ethernet0/0
     nameif outside
     ip address 198.51.100.9 255.255.255.0
    access-list TO-HQ extended permit ip 10.50.0.0 255.255.0.0 10.0.0.0 255.255.0.0
    crypto ipsec transform-set AES256 esp-aes-256 esp-sha-hmac
    crypto ipsec transform-set AES128 esp-aes esp-sha-hmac
    crypto map VPN 10 match address TO-HQ
    crypto map VPN 10 set peer 192.0.2.1
    crypto map VPN 10 set transform-set AES256 AES128
    crypto map VPN interface outside
    crypto isakmp enable outside
    ```

    ## Options
    `peer-map` and `external-peers`, the family options of the ASA cross-device rules (see ASA001).

    ## Fix
    Add to one entry a transform set (IKEv1) or IPsec proposal (IKEv2) the other accepts; set the
    same `set pfs groupN` on both entries, or on neither.

    ## References
    - Cisco ASA VPN CLI configuration guide, "Create a static crypto map" (`set pfs`, transform sets)
    - Batfish `IpsecUtil.negotiateIpsecP2` (PFS groups must intersect, batfish#782)
    """

    code = "ASA004"
    name = "ipsec-phase2-mismatch"
    severity = Severity.ERROR
    tags = ("asa", "ipsec", "cross-file", "correctness")

    def check(self, index: ProjectIndex, ctx: ProjectContext) -> Iterator[Diagnostic]:
        an = self.analysis(index, ctx)
        once = Once()
        for s in an.sessions:
            if not s.phase2_failed:
                continue
            pair = pair_key(s.initiator.key, s.responder.key)  # type: ignore[union-attr]
            if s.phase2 is None and s.phase2_verifiable and once.first(("p2", pair)):
                yield self._transforms(s)
            if s.pfs_ok is False and once.first(("pfs", pair)):
                yield self._pfs(s)

    def _transforms(self, s: IpsecSession) -> Diagnostic:
        init, resp = s.initiator, s.responder
        assert resp is not None and init.view is not None and resp.view is not None
        v = s.phase2_version or 1
        what = "transform set" if v == 1 else "IKEv2 IPsec proposal"
        node_a = init.view.entry.transform_sets if v == 1 else init.view.entry.ikev2_proposals
        node_b = resp.view.entry.transform_sets if v == 1 else resp.view.entry.ikev2_proposals
        where = node_a.span if node_a is not None else init.view.entry.span
        rel = [
            Related(node_b.span if node_b is not None else resp.view.entry.span, f"{resp.host}'s {entry_label(resp)}")
        ]
        return self.diagnostic(
            where,
            f"no {what} in common with {entry_label(resp)} on {peer_label(resp)}: {init.host} offers"
            f" {describe_transforms(init.view, v) or 'none'}; {resp.host} accepts"
            f" {describe_transforms(resp.view, v) or 'none'}: phase 1 comes up, phase 2 fails ('no proposal"
            " chosen') and no traffic passes",
            related=rel,
            fix_title=f"Give both entries a {what} with the same ESP encryption, integrity"
            + (" and mode" if v == 1 else ""),
            anchor=f"{entry_label(init)} phase2 {resp.host}",
        )

    def _pfs(self, s: IpsecSession) -> Diagnostic:
        init, resp = s.initiator, s.responder
        assert resp is not None and init.view is not None and resp.view is not None
        mine, theirs = init.view.pfs_group, resp.view.pfs_group
        a_node, b_node = init.view.entry.pfs, resp.view.entry.pfs
        where = a_node.span if a_node is not None else init.view.entry.span
        rel = [
            Related(b_node.span if b_node is not None else resp.view.entry.span, f"{resp.host}'s {entry_label(resp)}")
        ]
        if mine is None:
            text = (
                f"{peer_label(resp)} requires PFS {theirs} on its {entry_label(resp)}, but {init.host}'s"
                f" {entry_label(init)} sets no PFS: phase 2 fails when {init.host} initiates"
            )
        else:
            text = (
                f"PFS groups differ: {init.host}'s {entry_label(init)} offers {mine}, {peer_label(resp)} requires"
                f" {theirs} on its {entry_label(resp)}: phase 2 fails"
            )
        reverse_ok = not resp.view.dynamic and pfs_compatible(theirs, mine)
        if reverse_ok:
            text += f" (tunnels {resp.host} initiates come up: which side sends first decides)"
        elif mine is not None:
            text += " whichever side initiates"
        group = theirs or mine
        return self.diagnostic(
            where,
            text,
            related=rel,
            fix_title=f"Set the same `set pfs {group}` on both entries, or remove it from both",
            anchor=f"{entry_label(init)} pfs {resp.host}",
        )
