"""The IPsec session ladder, rung by rung on hand-built sessions (as Batfish's answerer test does), and
the negotiation functions on hand-built policies, transform sets, proposals and keys."""

from __future__ import annotations

import dataclasses
from ipaddress import ip_address, ip_network

import pytest

from cfglint.asa.expand import Flow, crypto_map_entries
from cfglint.asa.ipsec import (
    AclComparison,
    IpsecSession,
    KeyCheck,
    KeySource,
    Pairing,
    Phase1Proposal,
    Phase2Proposal,
    SessionStatus,
    Side,
    compare_keys,
    key_source,
    negotiate_phase1,
    negotiate_phase2,
    pfs_compatible,
)
from cfglint.models.asa import IkePolicy, TransformSet

from .conftest import parse

MODEL = parse("ASA Version 9.8(4)\nhostname fw\n", "fw.cfg")
SIDE = Side(MODEL, None, None, ip_address("192.0.2.1"))
PEER = Side(MODEL, None, None, ip_address("192.0.2.2"))
P1 = Phase1Proposal(1, None, None, "aes-256", "sha", None, "14", "pre-share")
P2 = Phase2Proposal(1, None, None, "esp-aes-256", "esp-sha-hmac")  # type: ignore[arg-type]


def _key(same: bool | None, problem: str | None) -> KeyCheck:
    src = KeySource(MODEL, "192.0.2.2", None, False, None, None, None)
    return KeyCheck(1, same, problem, src, src)


def _acl(mismatch: bool) -> AclComparison:
    f = Flow(ip_network("10.0.0.0/24"), ip_network("10.1.0.0/24"), 0)
    return AclComparison(
        MODEL,
        MODEL,
        (),
        (),
        frozenset({f}),
        frozenset({f.mirror()}),
        "subset" if mismatch else "equal",
        only_b=frozenset({f}) if mismatch else frozenset(),
    )


def established(**changes) -> IpsecSession:
    base = dict(
        initiator=SIDE,
        peer=None,
        pairing=Pairing.PAIRED,
        responder=PEER,
        initiator_versions=frozenset({1}),
        responder_versions=frozenset({1}),
        ike_version=1,
        phase1=P1,
        key=_key(True, None),
        phase2=P2,
        phase2_version=1,
        pfs_ok=True,
        acl=_acl(False),
    )
    base.update(changes)
    return IpsecSession(**base)


# --------------------------------------------------------------------------------------------------
# The ladder


def test_established():
    assert established().status is SessionStatus.ESTABLISHED


@pytest.mark.parametrize(
    ("pairing", "status"),
    [
        (Pairing.UNKNOWN_PEER, SessionStatus.MISSING_END_POINT),
        (Pairing.AMBIGUOUS, SessionStatus.AMBIGUOUS_END_POINT),
        (Pairing.NO_RESPONDER_ENTRY, SessionStatus.NO_RESPONDER_ENTRY),
        (Pairing.EXTERNAL, SessionStatus.NOT_EVALUATED),
        (Pairing.SELF, SessionStatus.NOT_EVALUATED),
        (Pairing.RESPONDER_UNVERIFIABLE, SessionStatus.NOT_EVALUATED),
        (Pairing.RESPONDER_INCOMPLETE, SessionStatus.NOT_EVALUATED),
    ],
)
def test_pairing_rungs(pairing, status):
    s = IpsecSession(SIDE, None, pairing)
    assert s.status is status
    assert not (s.ike_version_failed or s.phase1_failed or s.key_failed or s.phase2_failed or s.acl_failed)


def test_initiator_that_cannot_initiate_is_not_evaluated():
    s = established(initiator_versions=frozenset(), ike_version=None, phase1=None)
    assert s.status is SessionStatus.NOT_EVALUATED
    assert not s.ike_version_failed


def test_ike_version_rung():
    s = established(
        responder_versions=frozenset({2}),
        ike_version=None,
        phase1=None,
        key=None,
        phase2=None,
        phase2_version=None,
        pfs_ok=None,
    )
    assert s.status is SessionStatus.IKE_VERSION_MISMATCH
    assert s.ike_version_failed and not s.phase1_failed and not s.phase2_failed


def test_phase1_rung():
    s = established(phase1=None)
    assert s.status is SessionStatus.IKE_PHASE1_FAILED
    assert s.phase1_failed


def test_phase1_unverifiable_is_not_a_failure():
    s = established(phase1=None, phase1_verifiable=False)
    assert not s.phase1_failed
    assert s.status is SessionStatus.ESTABLISHED


def test_key_rung():
    s = established(key=_key(False, "mismatch"))
    assert s.status is SessionStatus.IKE_PHASE1_KEY_MISMATCH
    assert s.key_failed and not s.key_unverifiable


def test_key_missing_is_a_failure():
    assert established(key=_key(False, "missing")).status is SessionStatus.IKE_PHASE1_KEY_MISMATCH


def test_key_unverifiable_is_not_a_failure():
    s = established(key=_key(None, "unverifiable"))
    assert s.status is SessionStatus.ESTABLISHED
    assert s.key_unverifiable and not s.key_failed


def test_phase2_rung():
    s = established(phase2=None)
    assert s.status is SessionStatus.IPSEC_PHASE2_FAILED
    assert s.phase2_failed


def test_phase2_unverifiable_is_not_a_failure():
    assert established(phase2=None, phase2_verifiable=False).status is SessionStatus.ESTABLISHED


def test_pfs_is_part_of_phase2():
    s = established(pfs_ok=False)
    assert s.status is SessionStatus.IPSEC_PHASE2_FAILED and s.phase2_failed


def test_acl_rung():
    s = established(acl=_acl(True))
    assert s.status is SessionStatus.CRYPTO_ACL_MISMATCH
    assert s.acl_failed


def test_first_failing_rung_wins():
    s = established(phase1=None, key=_key(False, "mismatch"), phase2=None, acl=_acl(True))
    assert s.status is SessionStatus.IKE_PHASE1_FAILED
    # each rule reads its own rung: the later problems are still visible
    assert s.key_failed and s.phase2_failed and s.acl_failed


# --------------------------------------------------------------------------------------------------
# Phase 1


def pol(version: int, priority: int = 10, **kw) -> IkePolicy:
    return IkePolicy(
        span=MODEL.hostname_span,
        version=version,
        keyword="ikev1" if version == 1 else "ikev2",
        priority=priority,
        authentication=kw.get("authentication"),
        encryption=kw.get("encryption", []),
        hash=kw.get("hash", []),
        integrity=kw.get("integrity", []),
        prf=kw.get("prf", []),
        groups=kw.get("groups", []),
        lifetime=kw.get("lifetime"),
        lifetime_none=False,
        other=[],
    )


def test_ikev1_defaults_match_explicit_values():
    implicit = pol(1, authentication="pre-share")
    explicit = pol(1, authentication="pre-share", encryption=["3des"], hash=["sha"], groups=["2"], lifetime=3600)
    prop, ok = negotiate_phase1(1, [implicit], [explicit])
    assert ok and prop is not None
    assert (prop.encryption, prop.integrity, prop.group, prop.authentication) == ("3des", "sha", "2", "pre-share")


@pytest.mark.parametrize("field", ["authentication", "encryption", "hash", "groups"])
def test_ikev1_each_field_must_match(field):
    a = dict(authentication="pre-share", encryption=["aes-256"], hash=["sha"], groups=["14"])
    b = dict(a)
    b[field] = "rsa-sig" if field == "authentication" else ["other"]
    prop, ok = negotiate_phase1(1, [pol(1, **a)], [pol(1, **b)])
    assert ok and prop is None


def test_ikev1_lifetime_is_not_compared():
    a = pol(1, authentication="pre-share", encryption=["aes"], lifetime=86400)
    b = pol(1, authentication="pre-share", encryption=["aes-128"], lifetime=28800)  # aes == aes-128
    assert negotiate_phase1(1, [a], [b])[0] is not None


def test_ikev1_first_initiator_policy_by_priority_against_any_responder_policy():
    a1 = pol(1, 5, authentication="pre-share", encryption=["aes-256"], groups=["14"])
    a2 = pol(1, 10, authentication="pre-share", encryption=["aes"], groups=["2"])
    b1 = pol(1, 1, authentication="pre-share", encryption=["des"])
    b2 = pol(1, 99, authentication="pre-share", encryption=["aes"], groups=["2"])
    prop, _ = negotiate_phase1(1, [a1, a2], [b1, b2])
    assert prop is not None and prop.initiator_policy is a2 and prop.responder_policy is b2


def test_ikev2_lists_must_intersect():
    a = pol(2, encryption=["aes-256", "aes-192"], integrity=["sha256"], groups=["19", "20"], prf=["sha256"])
    b = pol(2, encryption=["aes-192"], integrity=["sha256", "sha"], groups=["14", "5"])
    assert negotiate_phase1(2, [a], [b]) == (None, True)
    b2 = pol(2, encryption=["aes-192"], integrity=["sha256", "sha"], groups=["14", "20"])
    prop, ok = negotiate_phase1(2, [a], [b2])
    assert ok and prop is not None and (prop.encryption, prop.group) == ("aes-192", "20")


def test_ikev2_prf_defaults_to_integrity():
    a = pol(2, encryption=["aes-256"], integrity=["sha256"], groups=["14"], prf=["sha384"])
    b = pol(2, encryption=["aes-256"], integrity=["sha256"], groups=["14"])  # prf = sha256
    assert negotiate_phase1(2, [a], [b])[0] is None


def test_ikev2_unwritten_list_is_not_a_mismatch():
    a = pol(2, encryption=["aes-256"], integrity=["sha256"], groups=["14"])
    b = pol(2, encryption=["aes-256"], groups=["14"])  # no integrity written: not guessed
    assert negotiate_phase1(2, [a], [b])[0] is not None


def test_phase1_without_policies_is_unverifiable():
    assert negotiate_phase1(1, [], [pol(1)]) == (None, False)
    assert negotiate_phase1(2, [pol(2)], []) == (None, False)


# --------------------------------------------------------------------------------------------------
# Phase 2 and PFS


def _views(text: str):
    m = parse(text)
    return {(v.map.name, v.entry.seq): v for v in crypto_map_entries(m)}


P2_CFG = """ASA Version 9.8(4)
crypto ipsec ikev1 transform-set A esp-aes-256 esp-sha-hmac
crypto ipsec ikev1 transform-set B esp-aes esp-sha-hmac
crypto ipsec ikev1 transform-set C esp-aes-128 esp-sha-hmac
crypto ipsec ikev2 ipsec-proposal G
 protocol esp encryption aes-gcm-256
 protocol esp integrity null
crypto ipsec ikev2 ipsec-proposal X
 protocol esp encryption aes-256 aes-gcm-256
 protocol esp integrity sha-256 null
crypto map M 1 set ikev1 transform-set A B
crypto map M 2 set ikev1 transform-set C
crypto map M 3 set ikev1 transform-set A
crypto map M 5 set ikev1 transform-set NOPE
crypto map M 6 set ikev2 ipsec-proposal G
crypto map M 7 set ikev2 ipsec-proposal X
"""


def test_phase2_common_transform_normalises_aes128():
    v = _views(P2_CFG)
    prop, ok = negotiate_phase2(1, v[("M", 1)], v[("M", 2)])
    assert ok and prop is not None and prop.initiator.name == "B" and prop.responder.name == "C"


def test_phase2_no_common_transform():
    v = _views(P2_CFG)
    assert negotiate_phase2(1, v[("M", 3)], v[("M", 2)]) == (None, True)


def test_phase2_mode_must_match():
    v = _views(P2_CFG)
    b = v[("M", 1)].transform_sets[1]  # esp-aes esp-sha-hmac, tunnel
    transport = dataclasses.replace(
        v[("M", 1)],
        transform_sets=(
            TransformSet(
                span=b.span, name="T", ikev1_keyword=True, transforms=list(b.transforms), mode="transport"
            ),
        ),
    )
    tunnel = dataclasses.replace(v[("M", 1)], transform_sets=(b,))
    assert negotiate_phase2(1, transport, v[("M", 2)]) == (None, True)
    assert negotiate_phase2(1, tunnel, v[("M", 2)])[0] is not None


def test_phase2_undefined_transform_set_is_unverifiable():
    v = _views(P2_CFG)
    assert negotiate_phase2(1, v[("M", 5)], v[("M", 2)]) == (None, False)


def test_phase2_ikev2_proposals_intersect():
    v = _views(P2_CFG)
    prop, ok = negotiate_phase2(2, v[("M", 6)], v[("M", 7)])
    assert ok and prop is not None and prop.encryption == "aes-gcm-256"


def test_phase2_entry_without_that_version_is_unverifiable():
    v = _views(P2_CFG)
    assert negotiate_phase2(2, v[("M", 1)], v[("M", 6)]) == (None, False)


@pytest.mark.parametrize(
    ("initiator", "responder", "ok"),
    [
        (None, None, True),
        ("group14", None, True),  # a responder without PFS accepts any offer
        (None, "group14", False),  # a responder with PFS requires it
        ("group2", "group2", True),
        ("group5", "group14", False),
        ("group2", "2", True),
    ],
)
def test_pfs(initiator, responder, ok):
    assert pfs_compatible(initiator, responder) is ok


# --------------------------------------------------------------------------------------------------
# Keys


KEYS = """ASA Version 9.8(4)
hostname k
tunnel-group 192.0.2.1 type ipsec-l2l
tunnel-group 192.0.2.1 ipsec-attributes
 ikev1 pre-shared-key {k1}
 ikev2 local-authentication pre-shared-key {local}
 ikev2 remote-authentication pre-shared-key {remote}
"""


def ks(k1="Same-Key-1", local="Key-L", remote="Key-R") -> KeySource:
    m = parse(KEYS.format(k1=k1, local=local, remote=remote), "k.cfg")
    return key_source(m, ip_address("192.0.2.1"))


def test_keys_equal():
    k = compare_keys(1, ks(), ks())
    assert k is not None and k.same is True and k.problem is None


def test_keys_differ():
    k = compare_keys(1, ks(k1="Key-One"), ks(k1="Key-Two"))
    assert k is not None and k.same is False and k.problem == "mismatch"


@pytest.mark.parametrize("value", ["*****", "8 AAAABBBBCCCCDDDD=="])
def test_masked_or_encrypted_key_cannot_be_verified(value):
    k = compare_keys(1, ks(k1=value), ks(k1="Key-Two"))
    assert k is not None and k.same is None and k.problem == "unverifiable"
    assert k.unverifiable[0][0] == "initiator"


def test_ikev2_keys_go_crosswise():
    a = ks(local="A-to-B", remote="B-to-A")
    b = ks(local="B-to-A", remote="A-to-B")
    assert compare_keys(2, a, b).same is True  # type: ignore[union-attr]
    swapped = compare_keys(2, a, a)
    assert swapped is not None and swapped.problem == "mismatch"
    assert set(swapped.mismatched) == {"initiator-local", "initiator-remote"}


def test_missing_tunnel_group_falls_back_to_default_l2l_group():
    m = parse(
        "ASA Version 9.8(4)\nhostname d\n"
        "tunnel-group DefaultL2LGroup ipsec-attributes\n ikev1 pre-shared-key Same-Key-1\n",
        "d.cfg",
    )
    src = key_source(m, ip_address("198.51.100.7"))
    assert src.default_group and src.group is not None
    assert compare_keys(1, src, ks()).same is True  # type: ignore[union-attr]


def test_no_key_at_all_is_missing():
    m = parse("ASA Version 9.8(4)\nhostname d\n", "d.cfg")
    k = compare_keys(1, key_source(m, ip_address("198.51.100.7")), ks())
    assert k is not None and k.problem == "missing" and k.missing == ("initiator",)


def test_certificate_authentication_is_not_compared():
    assert compare_keys(1, ks(), ks(k1="Other"), authentication="rsa-sig") is None


def test_legacy_isakmp_key_address():
    m = parse(
        "PIX Version 7.2(4)\nhostname p\ncrypto isakmp key Same-Key-1 address 192.0.2.1 netmask 255.255.255.255\n"
    )
    assert compare_keys(1, key_source(m, ip_address("192.0.2.1")), ks()).same is True  # type: ignore[union-attr]


def test_secret_never_in_key_check_repr():
    k = compare_keys(1, ks(k1="Canary-Key-Repr-1"), ks(k1="Canary-Key-Repr-2"))
    assert "Canary-Key-Repr" not in repr(k) and "Canary-Key-Repr" not in str(k)


def test_ike_version_unverifiable_is_not_a_failure():
    s = established(
        responder_versions=frozenset(),
        ike_version=None,
        ike_verifiable=False,
        phase1=None,
        key=None,
        phase2=None,
        phase2_version=None,
        pfs_ok=None,
    )
    assert not s.ike_version_failed and s.status is SessionStatus.ESTABLISHED
