from __future__ import annotations

from collections.abc import Iterator

from cfglint.api import Diagnostic, ProjectContext, ProjectIndex, Related, Severity, Span
from cfglint.asa.ipsec import IpsecSession, KeyCheck, KeySource, Side
from cfglint.rules.asa._common import AsaProjectRule, Once, pair_key, peer_label

_KIND = {
    "masked": "masked (*****, as show running-config prints it)",
    "encrypted": "stored encrypted (password encryption aes / type 8)",
    "absent": "empty",
}


def _group_text(k: KeySource) -> str:
    g = k.group
    if k.isakmp is not None and (g is None or g.ipsec_attributes is None or g.ipsec_attributes.ikev1_psk is None):
        return f"`crypto isakmp key ... address {k.isakmp.address}`"
    if k.default_group:
        return f"DefaultL2LGroup (no tunnel-group {k.group_name})"
    return f"tunnel-group {k.group_name}"


def _has_any_key(k: KeySource) -> bool:
    g = k.group
    if g is None or g.ipsec_attributes is None:
        return False
    ipsec = g.ipsec_attributes
    return any(
        s is not None and s.kind != "absent"
        for s in (ipsec.ikev1_psk, ipsec.ikev2_local_pre_shared_key, ipsec.ikev2_remote_pre_shared_key)
    )


class PskMismatch(AsaProjectRule):
    """The pre-shared keys two IPsec peers use for each other differ (or one side has none).

    ## What it does
    For each paired crypto map entry (see ASA001 for the pairing) it finds, on each side, the
    tunnel-group the ASA uses for the other: the one named after the peer's address (for the
    responder, the address it knows the initiator by), else `DefaultL2LGroup`; on 7.x also `crypto
    isakmp key ... address`. With the IKE version the two negotiate it compares the IKEv1 keys
    (`pre-shared-key` / `ikev1 pre-shared-key`), or for IKEv2 each direction: the initiator's
    `local-authentication` key against the responder's `remote-authentication` key, and back.
    Keys are compared for equality only: no key, hash or length is ever printed. A key shown
    masked (`*****`) or stored encrypted (type 8) cannot be compared: that is reported as info
    ("cannot verify"), never as a mismatch. A side with no tunnel-group for its peer and no key in
    `DefaultL2LGroup`, or without a key for the negotiated IKE version, is a finding too (a
    tunnel-group with no key at all is ASA013's). Certificate authentication is not checked.

    ## Why is this bad?
    Phase 1 proposals match, then authentication fails: IKEv1 main mode stops at message 5/6 with
    `Group = 203.0.113.10, IP = 203.0.113.10, Error: Unable to process packet ... possible
    pre-shared key mismatch` (or "Received an un-encrypted INVALID_HASH_INFO"), IKEv2 with
    `AUTHENTICATION_FAILED`. Nothing in either config looks wrong on its own.

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
    tunnel-group 198.51.100.9 type ipsec-l2l
    tunnel-group 198.51.100.9 ipsec-attributes
     ikev1 pre-shared-key Example-Key-One
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
    tunnel-group 192.0.2.1 type ipsec-l2l
    tunnel-group 192.0.2.1 ipsec-attributes
     ikev1 pre-shared-key Example-Key-Two
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
    tunnel-group 198.51.100.9 type ipsec-l2l
    tunnel-group 198.51.100.9 ipsec-attributes
     ikev1 pre-shared-key Example-Key-One
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
    tunnel-group 192.0.2.1 type ipsec-l2l
    tunnel-group 192.0.2.1 ipsec-attributes
     ikev1 pre-shared-key Example-Key-One
    ```

    ## Options
    `peer-map` and `external-peers`, the family options of the ASA cross-device rules (see ASA001).

    ## Fix
    Set the same key on both tunnel-groups (for IKEv2: each side's local key equal to the other's
    remote key). To check configs taken with `show running-config`, lint them from `more
    system:running-config`, which shows the keys.

    ## References
    - Cisco ASA VPN CLI configuration guide, "Configure a LAN-to-LAN connection profile"
      (`ikev1 pre-shared-key`, `ikev2 local-authentication`, `DefaultL2LGroup`)
    - Batfish `IpsecUtil.negotiateIkePhase1Key` (encrypted keys: unverifiable, not wrong)
    """

    code = "ASA005"
    name = "psk-mismatch"
    severity = Severity.ERROR
    tags = ("asa", "ipsec", "cross-file", "correctness", "security")

    def check(self, index: ProjectIndex, ctx: ProjectContext) -> Iterator[Diagnostic]:
        an = self.analysis(index, ctx)
        once = Once()
        for s in an.sessions:
            k = s.key
            if not s.paired or k is None or k.problem is None:
                continue
            resp = s.responder
            assert resp is not None
            pair = pair_key((s.initiator.path, k.initiator.group_name), (resp.path, k.responder.group_name), k.version)
            if k.problem == "missing":
                for side_name in k.missing:
                    side, src = (s.initiator, k.initiator) if side_name == "initiator" else (resp, k.responder)
                    if not src.default_group and src.group is not None and not _has_any_key(src):
                        continue  # a tunnel-group without any key: ASA013 reports it
                    if once.first(("missing", src.model.path, src.group_name, k.version)):
                        yield self._missing(s, k, side, src)
            elif once.first((k.problem, pair)):
                yield self._compare(s, k)

    def _where(self, s: IpsecSession, side: Side, src: KeySource) -> Span:
        if src.span is not None:
            return src.span
        if side is s.initiator and s.peer is not None:
            return s.peer.span
        v = side.view
        if v is not None:
            for p in v.entry.peers:
                return p.span
            return v.entry.span
        return side.interface.span if side.interface is not None else s.initiator.view.entry.span  # type: ignore[union-attr]

    def _missing(self, s: IpsecSession, k: KeyCheck, side: Side, src: KeySource) -> Diagnostic:
        other = s.responder if side is s.initiator else s.initiator
        other_src = k.responder if side is s.initiator else k.initiator
        assert other is not None
        if src.group is None:
            what = f"has no tunnel-group {src.group_name} and no DefaultL2LGroup key"
        elif k.version == 2:
            what = f"has no IKEv2 pre-shared key in its {_group_text(src)}"
        else:
            what = f"has no IKEv1 pre-shared key in its {_group_text(src)}"
        rel = [Related(other_src.span, f"{other.host}'s {_group_text(other_src)}")] if other_src.span else []
        return self.diagnostic(
            self._where(s, side, src),
            f"{side.host} {what} for its IKEv{k.version} peer {peer_label(other)}: phase 1 cannot authenticate and"
            " the tunnel stays down",
            related=rel,
            fix_title=f"On {side.host}: `tunnel-group {src.group_name} type ipsec-l2l` and its ipsec-attributes with"
            f" the key {other.host} uses",
            anchor=f"psk {side.host} {src.group_name}",
        )

    def _compare(self, s: IpsecSession, k: KeyCheck) -> Diagnostic:
        init, resp = s.initiator, s.responder
        assert resp is not None
        a, b = k.initiator, k.responder
        rel = [Related(b.span, f"{resp.host}'s {_group_text(b)}")] if b.span is not None else []
        where = self._where(s, init, a)
        if k.problem == "mismatch":
            if k.version == 1:
                detail = "differ"
            else:
                parts = []
                if "initiator-local" in k.mismatched:
                    parts.append(
                        f"{init.host}'s local-authentication key is not {resp.host}'s remote-authentication key"
                    )
                if "initiator-remote" in k.mismatched:
                    parts.append(
                        f"{init.host}'s remote-authentication key is not {resp.host}'s local-authentication key"
                    )
                detail = "do not match: " + " and ".join(parts)
            return self.diagnostic(
                where,
                f"the IKEv{k.version} pre-shared keys of {_group_text(a)} and of {resp.host}'s {_group_text(b)}"
                f" ({resp.address}) {detail}: phase 1 fails at authentication ('possible pre-shared key"
                " mismatch') whichever side initiates",
                related=rel,
                fix_title="Set the same pre-shared key on both tunnel-groups",
                anchor=f"psk {init.host} {a.group_name} {resp.host}",
            )
        sides = ", ".join(
            f"{(init if side == 'initiator' else resp).host}'s key is {_KIND.get(kind, kind)}"
            for side, kind in k.unverifiable
        )
        return self.diagnostic(
            where,
            f"cannot verify that {_group_text(a)} and {resp.host}'s {_group_text(b)} ({resp.address}) hold the same"
            f" pre-shared key: {sides}",
            related=rel,
            fix_title="Lint configs that show the keys (more system:running-config) to compare them",
            anchor=f"psk {init.host} {a.group_name} {resp.host} unverifiable",
            severity=Severity.INFO,
        )
