"""Pairing crypto map peers across configs: owners index, directory preference, ambiguity, peer map,
external peers, responder entries (static, dynamic), the crypto ACL comparison per device pair, and the
cost of pairing (linear in the number of devices)."""

from __future__ import annotations

import json
from ipaddress import ip_address, ip_network
from pathlib import Path

import pytest

import cfglint.asa.ipsec as ipsec
from cfglint.api import ProjectIndex
from cfglint.asa.ipsec import IpsecOptions, Pairing, SessionStatus, ipsec_options, ipsec_sessions
from cfglint.cli import main
from cfglint.models.asa import AsaConfig

from .conftest import REPO, parse


def site(
    host: str,
    addr: str,
    peer: str,
    lan: str,
    peer_lan: str,
    *,
    version: str = "9.8(4)",
    extra: str = "",
    entry: str = "",
    standby: str = "",
    shutdown: bool = False,
    key: str = "Pairing-Test-Key",
) -> str:
    sb = f" standby {standby}" if standby else ""
    return (
        f"ASA Version {version}\nhostname {host}\n"
        f"interface GigabitEthernet0/0\n nameif outside\n security-level 0\n ip address {addr} 255.255.255.0{sb}\n"
        + (" shutdown\n" if shutdown else "")
        + f"access-list VPN extended permit ip {lan} 255.255.255.0 {peer_lan} 255.255.255.0\n"
        "crypto ipsec ikev1 transform-set TS esp-aes-256 esp-sha-hmac\n"
        "crypto map CM 10 match address VPN\n"
        f"crypto map CM 10 set peer {peer}\n"
        "crypto map CM 10 set ikev1 transform-set TS\n"
        f"{entry}"
        "crypto map CM interface outside\n"
        "crypto ikev1 enable outside\n"
        f"tunnel-group {peer} type ipsec-l2l\ntunnel-group {peer} ipsec-attributes\n ikev1 pre-shared-key {key}\n"
        f"{extra}"
    )


def analyse(files: dict[str, str], options: IpsecOptions | None = None):
    models = [parse(text, path) for path, text in files.items()]
    return ipsec_sessions(ProjectIndex(models), options)


def by_initiator(an) -> dict[str, list]:
    out: dict[str, list] = {}
    for s in an.sessions:
        out.setdefault(s.initiator.path, []).append(s)
    return out


A, B = "192.0.2.10", "192.0.2.20"
A_LAN, B_LAN = "10.1.0.0", "10.2.0.0"


def pair(**kw) -> dict[str, str]:
    return {"a.cfg": site("site-a", A, B, A_LAN, B_LAN, **kw), "b.cfg": site("site-b", B, A, B_LAN, A_LAN)}


def test_mirrored_pair_is_established_both_ways():
    an = analyse(pair())
    assert [(s.initiator.path, s.responder.path, s.status) for s in an.sessions] == [
        ("a.cfg", "b.cfg", SessionStatus.ESTABLISHED),
        ("b.cfg", "a.cfg", SessionStatus.ESTABLISHED),
    ]
    assert len(an.acls) == 1 and an.acls[0].relation == "equal"
    # both directed sessions share the device pair's ACL comparison
    assert an.sessions[0].acl is an.sessions[1].acl


def test_unknown_peer_and_external_peer():
    files = {"a.cfg": site("site-a", A, "198.51.100.9", A_LAN, B_LAN)}
    (s,) = analyse(files).sessions
    assert s.pairing is Pairing.UNKNOWN_PEER and s.status is SessionStatus.MISSING_END_POINT
    opts = ipsec_options({"external-peers": ["198.51.100.0/24"]})
    (s,) = analyse(files, opts).sessions
    assert s.pairing is Pairing.EXTERNAL and s.status is SessionStatus.NOT_EVALUATED


def test_peer_map_pairs_a_nat_address_both_ways():
    files = {
        "a.cfg": site("site-a", A, "203.0.113.50", A_LAN, B_LAN),
        "b.cfg": site("site-b", "10.250.0.5", A, B_LAN, A_LAN),
    }
    assert analyse(files).sessions[0].pairing is Pairing.UNKNOWN_PEER
    an = analyse(files, ipsec_options({"peer-map": {"203.0.113.50": "10.250.0.5"}}))
    assert [s.status for s in an.sessions] == [SessionStatus.ESTABLISHED, SessionStatus.ESTABLISHED]
    assert an.sessions[0].responder.model.path == "b.cfg"


def test_peer_map_translates_the_responder_peer_list_too():
    # site-b lists site-a by its public address 203.0.113.10 (site-a's config holds 192.0.2.10)
    files = {
        "a.cfg": site("site-a", A, B, A_LAN, B_LAN),
        "b.cfg": site("site-b", B, "203.0.113.10", B_LAN, A_LAN),
    }
    s = analyse(files).sessions[0]
    assert s.pairing is Pairing.RESPONDER_UNVERIFIABLE  # an address no config owns: maybe site-a's NAT
    s = analyse(files, ipsec_options({"peer-map": {"203.0.113.10": A}})).sessions[0]
    assert s.status is SessionStatus.ESTABLISHED


def test_standby_address_is_owned():
    files = {
        "a.cfg": site("site-a", A, "192.0.2.21", A_LAN, B_LAN),
        "b.cfg": site("site-b", B, A, B_LAN, A_LAN, standby="192.0.2.21"),
    }
    s = analyse(files).sessions[0]
    assert s.paired and s.responder.path == "b.cfg"


def test_shut_down_interface_owns_nothing():
    files = {
        "a.cfg": site("site-a", A, B, A_LAN, B_LAN),
        "b.cfg": site("site-b", B, A, B_LAN, A_LAN, shutdown=True),
    }
    assert analyse(files).sessions[0].pairing is Pairing.UNKNOWN_PEER


def test_own_address_is_not_a_peer():
    files = {"a.cfg": site("site-a", A, A, A_LAN, B_LAN)}
    assert analyse(files).sessions[0].pairing is Pairing.SELF


def test_directory_preference_then_longest_common_path():
    files = {
        "x/one/site-a.cfg": site("site-a", A, B, A_LAN, B_LAN),
        "x/one/site-b.cfg": site("site-b", B, A, B_LAN, A_LAN),
        "x/two/site-b.cfg": site("site-b", B, A, B_LAN, A_LAN),
        "y/site-b.cfg": site("site-b", B, A, B_LAN, A_LAN),
    }
    s = by_initiator(analyse(files))["x/one/site-a.cfg"][0]
    assert s.responder.path == "x/one/site-b.cfg"
    del files["x/one/site-b.cfg"]
    s = by_initiator(analyse(files))["x/one/site-a.cfg"][0]
    assert s.responder.path == "x/two/site-b.cfg"  # shares x/ with the initiator, y/ does not


def test_tie_is_ambiguous_and_not_guessed():
    files = {
        "site-a.cfg": site("site-a", A, B, A_LAN, B_LAN),
        "old/site-b.cfg": site("site-b", B, A, B_LAN, A_LAN),
        "new/site-b.cfg": site("site-b", B, A, B_LAN, A_LAN),
    }
    s = by_initiator(analyse(files))["site-a.cfg"][0]
    assert s.pairing is Pairing.AMBIGUOUS and s.responder is None
    assert [m.path for m in s.candidates] == ["new/site-b.cfg", "old/site-b.cfg"]


def test_answer_only_entry_never_initiates_and_originate_only_never_answers():
    files = pair(entry="crypto map CM 10 set connection-type answer-only\n")
    an = analyse(files)
    assert [s.initiator.path for s in an.sessions] == ["b.cfg"]
    assert an.sessions[0].status is SessionStatus.ESTABLISHED
    files = {
        "a.cfg": site("site-a", A, B, A_LAN, B_LAN),
        "b.cfg": site("site-b", B, A, B_LAN, A_LAN, entry="crypto map CM 10 set connection-type originate-only\n"),
    }
    s = by_initiator(analyse(files))["a.cfg"][0]
    assert s.pairing is Pairing.NO_RESPONDER_ENTRY


DYN = (
    "ASA Version 9.8(4)\nhostname hub\n"
    "interface GigabitEthernet0/0\n nameif outside\n ip address 192.0.2.20 255.255.255.0\n"
    "crypto ipsec ikev1 transform-set TS esp-aes-256 esp-sha-hmac\n"
    "crypto dynamic-map DYN 10 set ikev1 transform-set TS\n"
    "crypto map CM 65535 ipsec-isakmp dynamic DYN\n"
    "crypto map CM interface outside\n"
    "crypto ikev1 enable outside\n"
    "tunnel-group DefaultL2LGroup ipsec-attributes\n ikev1 pre-shared-key Pairing-Test-Key\n"
)


def test_dynamic_map_answers():
    an = analyse({"a.cfg": site("site-a", A, B, A_LAN, B_LAN), "hub.cfg": DYN})
    (s,) = an.sessions
    assert s.status is SessionStatus.ESTABLISHED
    assert s.responder.view.dynamic and s.responder.view.map.name == "DYN"
    assert s.acl is None  # a dynamic entry without ACL accepts the initiator's proxies


def test_static_entry_is_preferred_to_the_dynamic_map():
    hub = DYN + (
        "access-list VPN extended permit ip 10.2.0.0 255.255.255.0 10.1.0.0 255.255.255.0\n"
        "crypto map CM 10 match address VPN\ncrypto map CM 10 set peer 192.0.2.10\n"
        "crypto map CM 10 set ikev1 transform-set TS\n"
    )
    s = by_initiator(analyse({"a.cfg": site("site-a", A, B, A_LAN, B_LAN), "hub.cfg": hub}))["a.cfg"][0]
    assert not s.responder.view.dynamic and s.responder.view.entry.seq == 10


def test_responder_entry_is_the_first_whose_acl_holds_the_proposal():
    b = site("site-b", B, A, "10.9.0.0", "10.8.0.0") + (
        "access-list VPN2 extended permit ip 10.2.0.0 255.255.255.0 10.1.0.0 255.255.255.0\n"
        "crypto map CM 20 match address VPN2\ncrypto map CM 20 set peer 192.0.2.10\n"
        "crypto map CM 20 set ikev1 transform-set TS\n"
    )
    s = by_initiator(analyse({"a.cfg": site("site-a", A, B, A_LAN, B_LAN), "b.cfg": b}))["a.cfg"][0]
    assert s.responder.view.entry.seq == 20


def test_no_responder_entry():
    files = {"a.cfg": site("site-a", A, B, A_LAN, B_LAN), "b.cfg": site("site-b", B, "192.0.2.30", B_LAN, "10.3.0.0")}
    files["c.cfg"] = site("site-c", "192.0.2.30", B, "10.3.0.0", B_LAN)
    s = by_initiator(analyse(files))["a.cfg"][0]
    assert s.pairing is Pairing.NO_RESPONDER_ENTRY and s.status is SessionStatus.NO_RESPONDER_ENTRY


def test_excerpt_initiator_is_not_judged():
    excerpt = (
        "crypto map CM 10 match address VPN\ncrypto map CM 10 set peer 192.0.2.20\n"
        "crypto map CM 10 set ikev1 transform-set TS\ncrypto map CM interface outside\n"
    )
    files = {"show-run-crypto.txt": excerpt, "b.cfg": site("site-b", B, "192.0.2.30", B_LAN, "10.3.0.0")}
    (s,) = by_initiator(analyse(files))["show-run-crypto.txt"]
    assert s.pairing is Pairing.RESPONDER_UNVERIFIABLE


def test_split_entries_compare_as_a_union():
    a = site("site-a", A, B, A_LAN, "10.2.1.0") + (
        "access-list VPN2 extended permit ip 10.1.0.0 255.255.255.0 10.2.2.0 255.255.255.0\n"
        "crypto map CM 20 match address VPN2\ncrypto map CM 20 set peer 192.0.2.20\n"
        "crypto map CM 20 set ikev1 transform-set TS\n"
    )
    b = site("site-b", B, A, "10.2.1.0", A_LAN).replace(
        "access-list VPN extended",
        "access-list VPN extended permit ip 10.2.2.0 255.255.255.0 10.1.0.0 255.255.255.0\naccess-list VPN extended",
    )
    an = analyse({"a.cfg": a, "b.cfg": b})
    assert [s.status for s in an.sessions] == [SessionStatus.ESTABLISHED] * 3
    (acl,) = an.acls
    assert acl.relation == "equal" and len(acl.a_views) == 2 and len(acl.b_views) == 1


def test_ike_version_fallback_and_mismatch():
    v2 = (
        "crypto ipsec ikev2 ipsec-proposal P\n protocol esp encryption aes-256\n protocol esp integrity sha-256\n"
        "crypto map CM 10 set ikev2 ipsec-proposal P\ncrypto ikev2 enable outside\n"
    )
    s = by_initiator(
        analyse({"a.cfg": site("site-a", A, B, A_LAN, B_LAN, extra=v2), "b.cfg": site("site-b", B, A, B_LAN, A_LAN)})
    )["a.cfg"][0]
    assert s.initiator_versions == {1, 2} and s.responder_versions == {1} and s.ike_version == 1
    b = site("site-b", B, A, B_LAN, A_LAN).replace("crypto ikev1 enable outside\n", "crypto ikev2 enable outside\n")
    a = site("site-a", A, B, A_LAN, B_LAN)
    s = by_initiator(analyse({"a.cfg": a, "b.cfg": b}))["a.cfg"][0]
    assert s.status is SessionStatus.IKE_VERSION_MISMATCH


def test_ipv6_peers_pair():
    def s6(host, addr, peer, lan, peer_lan):
        return (
            f"ASA Version 9.8(4)\nhostname {host}\ninterface GigabitEthernet0/0\n nameif outside\n"
            f" ipv6 address {addr}/64\n"
            f"access-list V6 extended permit ip {lan} {peer_lan}\n"
            "crypto ipsec ikev1 transform-set TS esp-aes-256 esp-sha-hmac\n"
            f"crypto map CM 10 match address V6\ncrypto map CM 10 set peer {peer}\n"
            "crypto map CM 10 set ikev1 transform-set TS\ncrypto map CM interface outside\n"
            "crypto ikev1 enable outside\n"
            f"tunnel-group {peer} type ipsec-l2l\ntunnel-group {peer} ipsec-attributes\n ikev1 pre-shared-key K-123\n"
        )

    an = analyse(
        {
            "a.cfg": s6("a", "2001:db8::1", "2001:db8::2", "2001:db8:a::/48", "2001:db8:b::/48"),
            "b.cfg": s6("b", "2001:db8::2", "2001:db8::1", "2001:db8:b::/48", "2001:db8:a::/48"),
        }
    )
    assert [s.status for s in an.sessions] == [SessionStatus.ESTABLISHED] * 2


# --------------------------------------------------------------------------------------------------
# Options


def test_options_parse_and_reject_garbage():
    o = ipsec_options(
        {
            "peer-map": {"192.0.2.10": "203.0.113.10"},
            "external-peers": ["198.51.100.0/24", "192.0.2.99"],
            "other-rule-option": 3,
        }
    )
    assert o.translate(ip_address("192.0.2.10")) == ip_address("203.0.113.10")
    assert o.is_external(ip_address("198.51.100.7")) and o.is_external(ip_address("192.0.2.99"))
    assert not o.is_external(ip_address("192.0.2.98"))
    assert hash(o) == hash(
        ipsec_options({"external-peers": ["198.51.100.0/24", "192.0.2.99"], "peer-map": {"192.0.2.10": "203.0.113.10"}})
    )
    assert o.external_peers[0] == ip_network("198.51.100.0/24")
    for bad in (
        {"peer-map": {"x": "1.2.3.4"}},
        {"peer-map": ["1.2.3.4"]},
        {"external-peers": "10.0.0.0/8"},
        {"external-peers": ["nope"]},
    ):
        with pytest.raises(ValueError, match="rules.ASA"):
            ipsec_options(bad)


# --------------------------------------------------------------------------------------------------
# Cost: the owners index is built once; unrelated devices are never scanned per peer


def test_pairing_is_linear_in_devices(monkeypatch):
    calls = {"owners": 0}
    real = ipsec.address_owners

    def counting(models):
        calls["owners"] += 1
        return real(models)

    monkeypatch.setattr(ipsec, "address_owners", counting)
    owned_calls: dict[str, int] = {}
    real_owned = AsaConfig.owned_addresses

    def owned(self):
        owned_calls[self.path] = owned_calls.get(self.path, 0) + 1
        return real_owned(self)

    monkeypatch.setattr(AsaConfig, "owned_addresses", owned)
    files = {}
    for i in range(20):
        files[f"spoke{i}.cfg"] = site(f"spoke{i}", f"198.51.100.{i + 1}", "192.0.2.1", f"10.{100 + i}.0.0", "10.0.0.0")
    hub = site("hub", "192.0.2.1", "198.51.100.1", "10.0.0.0", "10.100.0.0")
    for i in range(1, 20):
        hub += (
            f"access-list S{i} extended permit ip 10.0.0.0 255.255.255.0 10.{100 + i}.0.0 255.255.255.0\n"
            f"crypto map CM {10 + i} match address S{i}\ncrypto map CM {10 + i} set peer 198.51.100.{i + 1}\n"
            f"crypto map CM {10 + i} set ikev1 transform-set TS\n"
            f"tunnel-group 198.51.100.{i + 1} type ipsec-l2l\ntunnel-group 198.51.100.{i + 1} ipsec-attributes\n"
            " ikev1 pre-shared-key Pairing-Test-Key\n"
        )
    files["hub.cfg"] = hub
    for i in range(30):  # bystanders: no crypto at all
        files[f"other{i}.cfg"] = (
            f"ASA Version 9.8(4)\nhostname o{i}\ninterface G0/0\n nameif outside\n"
            f" ip address 172.16.{i}.1 255.255.255.0\n"
        )
    an = analyse(files)
    assert calls["owners"] == 1
    assert len(an.sessions) == 40 and all(s.status is SessionStatus.ESTABLISHED for s in an.sessions)
    # a device that takes part in no tunnel is read once (by the owners index), never per peer
    assert all(owned_calls.get(f"other{i}.cfg") == 1 for i in range(30))


def test_sessions_are_computed_once_per_run(monkeypatch, capsys):
    import cfglint.rules.asa._common as common

    calls = {"n": 0}
    real = common.ipsec_sessions

    def counting(index, options=None):
        calls["n"] += 1
        return real(index, options)

    monkeypatch.setattr(common, "ipsec_sessions", counting)
    d = REPO / "examples" / "asa-vpn-asymmetric" / "broken"
    main(["check", str(d), "--select", "ASA001,ASA002,ASA003,ASA004,ASA005", "--format", "json", "--no-cache"])
    capsys.readouterr()
    assert calls["n"] == 1


# --------------------------------------------------------------------------------------------------
# The examples


def _codes(capsys, *paths: Path) -> list[tuple[str, str, int]]:
    capsys.readouterr()
    main(
        ["check", *map(str, paths), "--select", "ASA001,ASA002,ASA003,ASA004,ASA005", "--format", "json", "--no-cache"]
    )
    doc = json.loads(capsys.readouterr().out)
    return sorted((d["code"], Path(d["path"]).as_posix().split("examples/")[-1], d["line"]) for d in doc["diagnostics"])


EXAMPLES = REPO / "examples"


def test_broken_example_reports_asa001_only(capsys):
    got = _codes(capsys, EXAMPLES / "asa-vpn-asymmetric" / "broken")
    assert got == [("ASA001", "asa-vpn-asymmetric/broken/site-a.cfg", 48)]


def test_fixed_example_is_clean(capsys):
    assert _codes(capsys, EXAMPLES / "asa-vpn-asymmetric" / "fixed") == []


def test_both_trees_pair_broken_with_broken_and_fixed_with_fixed(capsys):
    got = _codes(capsys, EXAMPLES)
    assert got == [("ASA001", "asa-vpn-asymmetric/broken/site-a.cfg", 48)]
    models = [parse(p.read_text(), p.relative_to(REPO).as_posix()) for p in sorted(EXAMPLES.rglob("*.cfg"))]
    an = ipsec_sessions(ProjectIndex(models))
    for s in an.sessions:
        assert Path(s.initiator.path).parent == Path(s.responder.path).parent, (s.initiator.path, s.responder.path)


def test_a_catch_all_dynamic_map_accepts_what_the_static_entry_refuses():
    # hub's static entry for site-a is narrower than site-a's ACL, but hub also answers with a dynamic
    # map without ACL (remote access): site-a's wider proposals land there, nothing is rejected
    hub = site("hub", B, A, B_LAN, A_LAN) + (
        "crypto dynamic-map RA 10 set ikev1 transform-set TS\ncrypto map CM 65535 ipsec-isakmp dynamic RA\n"
    )
    wide = site("site-a", A, B, A_LAN, B_LAN).replace(
        f"permit ip {A_LAN} 255.255.255.0 {B_LAN} 255.255.255.0",
        f"permit ip {A_LAN} 255.255.255.0 10.2.0.0 255.255.0.0",
    )
    (acl,) = analyse({"a.cfg": wide, "hub.cfg": hub}).acls
    assert not acl.mismatch and not acl.only_a and not acl.only_b
    # without the dynamic map the same pair is a mismatch: site-a's wider proposals are rejected
    hub_static = site("hub", B, A, B_LAN, A_LAN)
    (acl,) = analyse({"a.cfg": wide, "hub.cfg": hub_static}).acls
    assert acl.mismatch and acl.relation == "superset" and acl.only_a and not acl.only_b


def test_deny_entries_mirrored_on_both_sides_compare_equal_else_cannot_verify():
    def with_deny(text: str, src: str, dst: str) -> str:
        return text.replace(
            "access-list VPN extended",
            f"access-list VPN extended deny ip host {src} host {dst}\naccess-list VPN extended",
            1,
        )

    a = with_deny(site("site-a", A, B, A_LAN, B_LAN), "10.1.0.5", "10.2.0.5")
    b = with_deny(site("site-b", B, A, B_LAN, A_LAN), "10.2.0.5", "10.1.0.5")
    (acl,) = analyse({"a.cfg": a, "b.cfg": b}).acls
    assert acl.relation == "equal" and not acl.mismatch
    (acl,) = analyse({"a.cfg": a, "b.cfg": site("site-b", B, A, B_LAN, A_LAN)}).acls
    assert acl.relation == "unverifiable" and [u.kind for _, u in acl.unresolved] == ["deny-entry"]


def test_a_dynamic_map_wider_than_the_static_side_is_not_a_mismatch():
    # the hub's dynamic entry accepts more than the spoke proposes: fine, a dynamic entry never initiates
    hub = DYN + (
        "access-list DYN-ACL extended permit ip 10.2.0.0 255.255.0.0 10.1.0.0 255.255.0.0\n"
        "crypto dynamic-map DYN 10 match address DYN-ACL\n"
    )
    an = analyse({"a.cfg": site("site-a", A, B, A_LAN, B_LAN), "hub.cfg": hub})
    (acl,) = an.acls
    assert acl.relation == "subset" and not acl.mismatch
    assert an.sessions[0].status is SessionStatus.ESTABLISHED
