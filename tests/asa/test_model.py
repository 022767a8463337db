"""The typed model on hand-written ASA 7.x, 8.2 and 9.x configurations (and PIX 6 forms)."""

from __future__ import annotations

from ipaddress import IPv4Address, IPv4Network, IPv6Address, ip_network

from dataclasses import FrozenInstanceError

import pytest

from cfglint.models.asa import (
    AccessListEntry,
    Address,
    GroupRef,
    Leaf,
    NetworkMember,
    PortMember,
    RawBlock,
    RawLine,
    ServiceMember,
)

from .conftest import assert_valid_and_in_file, fixture_model, parse


# --------------------------------------------------------------------------------------------------
# 8.2


def test_asa82_header_names_interfaces():
    m = fixture_model("site-a-82.cfg")
    assert m.problems == []
    assert m.hostname == "site-a" and m.domain_name == "a.example.net"
    assert m.hostname_span.line == 5 and m.hostname_span.column == 10
    assert m.version.platform == "ASA" and m.version.text == "8.2(5)" and m.version.numbers == (8, 2, 5)
    assert m.version.before(8, 3) and m.version.at_least(8, 2) and not m.version.at_least(9)
    assert m.names_enabled
    assert [(n.name, str(n.address), n.description) for n in m.names] == [
        ("SITE-B-LAN", "10.2.0.0", None),
        ("SITE-B-PEER", "203.0.113.2", "site B firewall"),
    ]
    outside = m.interface_by_nameif("outside")
    assert outside.name == "Ethernet0/0" and outside.security_level == 0
    assert outside.address.address == IPv4Address("198.51.100.2")
    assert outside.address.standby == IPv4Address("198.51.100.3")
    assert outside.address.network == IPv4Network("198.51.100.0/29")
    assert outside.span.line == 13 and outside.span.end_line == 16
    assert m.interface_address("inside") == IPv4Address("10.1.1.1")
    spare = m.interfaces[2]
    assert spare.nameif is None and spare.shutdown
    assert [o.text for o in spare.other] == ["no nameif", "no security-level", "no ip address"]
    assert set(m.owned_addresses()) == {IPv4Address(a) for a in ("198.51.100.2", "198.51.100.3", "10.1.1.1")}


def test_asa82_nat_acl_crypto_tunnel_group():
    m = fixture_model("site-a-82.cfg")
    (nat0, nat1) = m.legacy_nat
    assert (nat0.interface, nat0.nat_id, nat0.acl, nat0.exemption) == ("inside", 0, "inside_nat0_outbound", True)
    assert nat1.nat_id == 1 and nat1.address.literal == ip_network("0.0.0.0/0") and not nat1.exemption
    (g,) = m.legacy_globals
    assert (g.interface, g.nat_id, g.mapped) == ("outside", 1, "interface")
    (st,) = m.legacy_statics
    assert (
        st.real_interface,
        st.mapped_interface,
        st.protocol,
        st.mapped,
        st.mapped_port,
        st.real,
        st.real_port,
        st.netmask,
    ) == ("inside", "outside", "tcp", "interface", "smtp", "10.1.1.25", "smtp", "255.255.255.255")
    (ag,) = m.access_groups
    assert (ag.acl, ag.direction, ag.interface) == ("outside_access_in", "in", "outside")
    acl = m.access_list("outside_access_in")
    assert [e.acl_type for e in acl.entries] == ["remark", "extended", "extended", "extended"]
    assert acl.entries[0].remark == "allow pings back" and acl.entries[0].index == 0
    icmp = acl.entries[1]
    assert icmp.protocol.value == "icmp" and icmp.icmp_type == "echo-reply" and icmp.log is None
    smtp = acl.entries[2]
    assert smtp.dst.kind == "interface" and smtp.dst.name == "outside" and str(smtp.dst_port) == "eq smtp"
    assert acl.entries[3].log == "" and acl.entries[3].action == "deny"
    assert len(acl.rules) == 3
    (cm,) = m.crypto_maps.values()
    assert cm.name == "outside_map" and cm.interfaces == ["outside"]
    (e,) = cm.entries
    assert e.seq == 1 and e.acl == "outside_1_cryptomap"
    assert [p.text for p in e.peers] == ["SITE-B-PEER"] and e.peers[0].address == IPv4Address("203.0.113.2")
    assert e.peers[0].span.column == len("crypto map outside_map 1 set peer ") + 1
    assert e.transform_sets.names == ["ESP-AES-256-SHA", "ESP-3DES-SHA"] and not e.transform_sets.ikev1_keyword
    assert e.pfs.group == "group2" and e.sa_lifetime.seconds == 28800
    assert len(e.lines) == 5
    ts = m.transform_sets["ESP-AES-256-SHA"]
    assert ts.transforms == ["esp-aes-256", "esp-sha-hmac"] and ts.encryption == "esp-aes-256"
    assert ts.integrity == "esp-sha-hmac" and not ts.ikev1_keyword
    (pol,) = m.ike_policies
    assert (pol.version, pol.keyword, pol.priority) == (1, "isakmp", 10)
    assert (pol.authentication, pol.encryption, pol.hash, pol.groups, pol.lifetime) == (
        "pre-share",
        ["aes-256"],
        ["sha"],
        ["2"],
        86400,
    )
    assert [(x.version, x.keyword, x.interface) for x in m.ike_enables] == [(1, "isakmp", "outside")]
    assert m.ike_versions_on("outside") == frozenset({1})
    assert m.nat_traversal.enabled and m.nat_traversal.keepalive == 30
    tg = m.tunnel_group("203.0.113.2")
    assert tg.type == "ipsec-l2l" and tg.peer_address == IPv4Address("203.0.113.2")
    psk = tg.ipsec_attributes.pre_shared_key
    assert psk.kind == "cleartext" and tg.ipsec_attributes.ikev1_psk is psk
    assert m.tunnel_group("nope") is None


def test_comments_and_header_lines():
    m = fixture_model("site-a-82.cfg")
    texts = [c.text for c in m.comments]
    assert " cfglint: ignore[ASA001] -- example directive, read as a comment" in texts
    assert all(c.span.column == 1 for c in m.comments)
    raw = [r.text for r in m.raw]
    assert ": Saved" in raw and ":" in raw and ": end" in raw
    assert not any(c.text.startswith(" Saved") for c in m.comments)


# --------------------------------------------------------------------------------------------------
# 7.x


def test_asa72_one_line_isakmp_policy_and_bare_pfs():
    m = fixture_model("site-b-72.cfg")
    assert m.problems == []
    assert m.version.numbers == (7, 2, 4)
    (pol,) = m.ike_policies
    assert pol.span.line == pol.span.end_line  # built from five one-line commands
    assert (pol.authentication, pol.encryption, pol.hash, pol.groups, pol.lifetime) == (
        "pre-share",
        ["aes-256"],
        ["sha"],
        ["2"],
        86400,
    )
    (e,) = m.crypto_maps["outside_map"].entries
    assert e.pfs is not None and e.pfs.group is None
    (v,) = m.crypto_map_entries()
    assert v.pfs_group == "group2"  # the ASA default for a bare `set pfs`
    assert v.peers == (IPv4Address("198.51.100.2"),) and v.local_addresses == (IPv4Address("203.0.113.2"),)


def test_pix6_forms():
    m = parse(
        "PIX Version 6.3(5)\n"
        "nameif ethernet0 outside security0\n"
        "nameif ethernet1 inside security100\n"
        "interface ethernet0 auto\n"
        "ip address outside 192.0.2.5 255.255.255.0\n"
        "ip address inside 10.0.0.1 255.255.255.0\n"
        "access-list 101 permit ip 10.0.0.0 255.255.255.0 10.9.0.0 255.255.255.0\n"
        "nat (inside) 0 access-list 101\n"
        "nat (inside) 1 0 0\n"
        "isakmp enable outside\n"
        "isakmp key ******** address 192.0.2.9 netmask 255.255.255.255 no-xauth no-config-mode\n"
        "isakmp policy 10 authentication pre-share\n"
        "isakmp policy 10 encryption 3des\n"
        "crypto map vpn 10 ipsec-isakmp\n"
        "crypto map vpn 10 match address 101\n"
        "crypto map vpn 10 set peer 192.0.2.9\n"
        "crypto map vpn interface outside\n"
    )
    assert m.problems == []
    assert m.version.platform == "PIX" and m.version.numbers == (6, 3, 5)
    out = m.interface_by_nameif("outside")
    assert out.name == "ethernet0" and out.security_level == 0 and str(out.address.address) == "192.0.2.5"
    assert m.interface_by_nameif("inside").security_level == 100
    (e,) = m.access_list("101").entries
    assert e.acl_type == "extended" and e.action == "permit"
    assert m.legacy_nat[1].address.literal == ip_network("0.0.0.0/0")
    (k,) = m.isakmp_keys
    assert k.key.kind == "masked" and k.address == "192.0.2.9" and k.netmask == "255.255.255.255"
    (pol,) = m.ike_policies
    assert pol.encryption == ["3des"] and pol.effective_hash == ["sha"] and pol.effective_lifetime == 86400
    assert m.ike_versions_on("outside") == frozenset({1})
    (v,) = m.crypto_map_entries()
    assert v.acl_name == "101" and v.peers == (IPv4Address("192.0.2.9"),)


# --------------------------------------------------------------------------------------------------
# 9.x


def test_asa9_objects_and_groups():
    m = fixture_model("hub-98.cfg")
    assert m.problems == []
    assert m.version.numbers == (9, 8, 4, 20)
    web = m.network_object("WEB01")
    assert web.kind == "host" and web.host == IPv4Address("172.16.0.10") and web.description == "public web server"
    assert [(n.real_interface, n.mapped_interface, n.nat_type, n.mapped) for n in web.nat] == [
        ("dmz", "outside", "static", "192.0.2.10")
    ]
    assert web.value_span.line == web.span.line + 1
    spoke2 = m.network_object("SPOKE2-LAN")
    assert spoke2.kind == "range" and str(spoke2.range_start) == "10.30.0.0"
    upd = m.network_object("UPDATES")
    assert upd.kind == "fqdn" and upd.fqdn == "updates.example.com" and upd.fqdn_family == "v4"
    assert m.network_object("INSIDE-ANY").nat[0].mapped == "interface"
    assert len(m.object_nat) == 2
    assert m.service_object("HTTPS").service.destination.values == ("https",)
    hq = m.object_group("HQ-LANS")
    assert hq.group_type == "network" and hq.cycle is None
    assert isinstance(hq.members[0], NetworkMember) and hq.members[0].address.kind == "object"
    assert isinstance(hq.members[1], GroupRef) and hq.group_refs[0].name == "HQ-USERS-GRP"
    ports = m.object_group("WEB-PORTS")
    assert ports.protocol == "tcp" and all(isinstance(x, PortMember) for x in ports.members)
    mgmt = m.object_group("MGMT")
    assert [type(x) for x in mgmt.members] == [ServiceMember] * 3
    assert mgmt.members[2].object_ref == "HTTPS"
    assert [x.protocol for x in m.object_group("VPN-PROTOS").members] == ["esp", "udp"]


def test_asa9_acl_operands():
    m = fixture_model("hub-98.cfg")
    es = m.access_list("outside_in").entries
    web = es[1]
    assert (web.protocol.kind, web.protocol.value) == ("name", "tcp")
    assert web.src.kind == "any" and (web.dst.kind, web.dst.name) == ("object", "WEB01")
    assert (web.dst_port.op, web.dst_port.values) == ("object-group", ("WEB-PORTS",)) and web.log == ""
    mg = es[2]
    assert (mg.protocol.kind, mg.protocol.value) == ("object-group", "MGMT")
    assert (mg.src.kind, mg.src.name, mg.dst.kind, mg.dst.name) == (
        "object-group",
        "SPOKE1-NETS",
        "object",
        "HQ-SERVERS",
    )
    assert es[3].dst.kind == "any6"
    rng = es[4]
    assert (rng.dst.kind, rng.dst.address, rng.dst.literal) == ("host", "192.0.2.10", ip_network("192.0.2.10/32"))
    assert (rng.dst_port.op, rng.dst_port.values, rng.time_range) == ("range", ("8000", "8010"), "WORKHOURS")
    assert es[5].log == "informational interval 300"
    v6 = es[6]
    assert (
        v6.inactive and not v6.active and v6.src.kind == "prefix" and v6.src.literal == ip_network("2001:db8:100::/48")
    )
    (std,) = m.access_list("SPLIT").entries
    assert std.acl_type == "standard" and std.src is None and std.dst.literal == ip_network("10.0.0.0/16")
    assert str(std.dst) == "10.0.0.0 255.255.0.0"


def test_asa9_twice_nat():
    m = fixture_model("hub-98.cfg")
    n1, n2, n3 = m.twice_nat
    assert (n1.real_interface, n1.mapped_interface, n1.source_type, n1.source_real, n1.source_mapped) == (
        "inside",
        "outside",
        "static",
        "HQ-LANS",
        "HQ-LANS",
    )
    assert (n1.destination_type, n1.destination_mapped, n1.destination_real) == ("static", "SPOKE1-NETS", "SPOKE1-NETS")
    assert n1.options == ["no-proxy-arp", "route-lookup"] and n1.is_identity and n1.section == "manual"
    assert n3.section == "after-auto" and n3.source_type == "dynamic" and n3.source_mapped == "interface"
    assert not n3.is_identity


def test_asa9_crypto_ikev1_ikev2_dynamic_map():
    m = fixture_model("hub-98.cfg")
    cm = m.crypto_maps["outside_map"]
    assert [e.seq for e in cm.entries] == [10, 20, 65535]
    e10, e20, e65535 = cm.entries
    assert [str(p.address) for p in e10.peers] == ["198.51.100.20", "198.51.100.21"]
    assert e10.transform_sets.ikev1_keyword and e10.transform_set_names == ["ESP-AES-256-SHA", "ESP-AES-128-SHA"]
    assert e10.sa_lifetime.seconds == 28800 and e10.sa_lifetime.kilobytes_unlimited
    assert e20.ikev2_proposal_names == ["AES256-SHA256"] and e20.nat_t_disable and e20.pfs.group == "group14"
    assert e65535.dynamic_ref.dynamic_map == "DYN"
    dyn = m.dynamic_maps["DYN"]
    assert dyn.dynamic and dyn.entries[0].dynamic and dyn.entries[0].pfs.group == "group14"
    prop = m.ipsec_proposals["AES256-SHA256"]
    assert prop.encryption == ["aes-256"] and prop.integrity == ["sha-256", "sha-1"]
    v2, v1 = m.ike_policies_for(2), m.ike_policies_for(1)
    assert [p.keyword for p in m.ike_policies] == ["ikev1", "ikev2"]
    assert v2[0].encryption == ["aes-256", "aes-192"] and v2[0].integrity == ["sha256"] and v2[0].groups == ["14", "19"]
    assert v2[0].prf == ["sha256"] and v2[0].lifetime == 86400 and v2[0].effective_encryption == ["aes-256", "aes-192"]
    assert v1[0].groups == ["5"] and v1[0].lifetime == 28800
    assert m.ike_versions_on("outside") == frozenset({1, 2}) and m.ike_versions_on("inside") == frozenset()
    views = {(v.map.name, v.entry.seq): v for v in m.crypto_map_entries()}
    assert set(views) == {("outside_map", 10), ("outside_map", 20), ("outside_map", 65535), ("DYN", 10)}
    d = views[("DYN", 10)]
    assert d.dynamic and d.interfaces == ("outside",) and d.parents == (e65535,)
    assert views[("outside_map", 65535)].dynamic_map is dyn
    v20 = views[("outside_map", 20)]
    assert [p.name for p in v20.ikev2_proposals] == ["AES256-SHA256"] and v20.acl.name == "SPOKE2-CRYPTO"
    assert IPv6Address("2001:db8:0:1::1") in v20.local_addresses
    assert len(m.crypto_map_entries(include_dynamic=False)) == 3


def test_asa9_tunnel_groups_keys():
    m = fixture_model("hub-98.cfg")
    s1 = m.tunnel_group("198.51.100.20")
    assert s1.ipsec_attributes.ikev1_pre_shared_key.kind == "cleartext"
    assert isinstance(s1.general_attributes, RawBlock)
    assert [c.text for c in s1.general_attributes.children] == ["default-group-policy L2L"]
    s2 = m.tunnel_group("198.51.100.30").ipsec_attributes
    assert s2.ikev2_remote_pre_shared_key.kind == "encrypted"
    assert s2.ikev2_local_pre_shared_key.kind == "masked" and s2.ikev2_local_pre_shared_key.value is None
    s3 = m.tunnel_group("198.51.100.40").ipsec_attributes
    assert s3.ikev1_psk.kind == "masked"
    assert s3.ikev1_psk.same_as(s1.ipsec_attributes.ikev1_psk) is None  # unverifiable, not a mismatch
    a = fixture_model("site-a-82.cfg").tunnel_group("203.0.113.2").ipsec_attributes.ikev1_psk
    b = fixture_model("site-b-72.cfg").tunnel_group("198.51.100.2").ipsec_attributes.ikev1_psk
    assert a.same_as(b) is True and a.same_as(s1.ipsec_attributes.ikev1_psk) is False


# --------------------------------------------------------------------------------------------------
# Generic


@pytest.mark.parametrize("name", ["site-a-82.cfg", "site-b-72.cfg", "hub-98.cfg", "groups-cycles.cfg"])
def test_fixture_elements_validate_and_spans_in_file(name):
    from .conftest import FIXTURES

    m = fixture_model(name)
    lines = (FIXTURES / name).read_text().split("\n")
    assert assert_valid_and_in_file(m, lines) > 20


def test_leaves_are_immutable_hashable_with_spans():
    m = fixture_model("hub-98.cfg")
    e = m.access_list("outside_in").entries[1]
    assert isinstance(e, (AccessListEntry, Leaf))
    with pytest.raises(AttributeError):
        e.acl = "x"  # type: ignore[misc]
    assert hash(e) == hash(e) and e == e and {e: 1}[e] == 1
    assert e.span.line == e.src.span.line == e.pos.line
    assert e.span.column == 1 and e.span.end_column == len(e.text) + 1
    with pytest.raises(FrozenInstanceError):
        m.hostname = "x"  # type: ignore[misc]
    a = Address(pos=e.pos, kind="any")
    assert a == e.src and str(a) == "any"


def test_unknown_lines_are_raw_and_blocks_keep_children():
    m = parse(
        "hostname fw\n"
        "policy-map global_policy\n"
        " class inspection_default\n"
        "  inspect dns\n"
        "  inspect ftp\n"
        "logging enable\n"
        "no crypto isakmp nat-traversal\n"
        "crypto ca trustpoint TP\n"
        " enrollment self\n"
        "object-group network G\n"
        " weird-member 1 2 3\n"
    )
    assert m.problems == []
    pm = m.raw[0]
    assert isinstance(pm, RawBlock) and pm.span.end_line == 5 and pm.children[0].children[1].text == "inspect ftp"
    assert isinstance(m.raw[1], RawLine) and m.raw[1].text == "logging enable"
    assert [type(x).__name__ for x in m.object_group("G").members] == ["RawLine"]


def test_transform_set_mode_line_after_definition():
    """`crypto ipsec ikev1 transform-set T mode transport` after T is defined updates T's mode
    (it used to be a CFG004 AttributeError)."""
    from cfglint.parsers.asa import parse_asa

    text = (
        "ASA Version 9.8(4)\nhostname x\n"
        "crypto ipsec ikev1 transform-set T esp-aes esp-sha-hmac\n"
        "crypto ipsec ikev1 transform-set T mode transport\n"
    )
    m = parse_asa(text.encode(), "t.cfg")
    assert m.problems == []
    ts = m.transform_sets["T"]
    assert ts.mode == "transport" and list(ts.transforms) == ["esp-aes", "esp-sha-hmac"]
