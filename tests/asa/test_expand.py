"""Resolution, ACE expansion, canonical crypto ACL sets, mirror, coverage, references."""

from __future__ import annotations

from ipaddress import IPv4Address, ip_network

from cfglint.asa import (
    ANY_PORTS,
    Flow,
    acl_flows,
    address_owners,
    compare_flowsets,
    expand_ace,
    flowset_covers,
    format_flow,
    mirror,
    resolve_network_group,
)

from .conftest import CORPUS, fixture_model, parse

N = ip_network


def flows(*specs: tuple) -> frozenset[Flow]:
    out = set()
    for s in specs:
        src, dst, proto, *ports = s
        sp = ports[0] if len(ports) > 0 else ANY_PORTS
        dp = ports[1] if len(ports) > 1 else ANY_PORTS
        out.add(Flow(N(src), N(dst), proto, sp, dp))
    return frozenset(out)


EQUIVALENT = """\
ASA Version 9.1(7)
hostname eq
names
name 10.2.0.0 REMOTE
name 10.1.1.5 SRV
object network LAN1
 subnet 10.1.1.0 255.255.255.0
object network LAN2
 subnet 10.1.2.0 255.255.255.0
object network REMOTE-NET
 subnet 10.2.0.0 255.255.255.0
object network SRV-OBJ
 host 10.1.1.5
object network SRV-RANGE
 range 10.1.1.5 10.1.1.5
object-group network LOCALS
 network-object 10.1.2.0 255.255.255.0
 group-object LOCALS-1
object-group network LOCALS-1
 network-object object LAN1
access-list WITH-NAMES extended permit ip object-group LOCALS REMOTE 255.255.255.0
access-list WITH-NAMES extended permit tcp host SRV REMOTE 255.255.255.0 eq https
access-list WITH-OBJECTS extended permit tcp object SRV-OBJ object REMOTE-NET eq 443
access-list WITH-OBJECTS extended permit ip object LAN2 object REMOTE-NET
access-list WITH-OBJECTS extended permit ip object LAN1 object REMOTE-NET
access-list LITERAL remark written by hand
access-list LITERAL extended permit ip 10.1.1.0 255.255.255.0 10.2.0.0 255.255.255.0
access-list LITERAL extended permit tcp 10.1.1.5 255.255.255.255 10.2.0.0 255.255.255.0 range 443 443
access-list LITERAL extended permit ip 10.1.2.0 255.255.255.0 10.2.0.0 255.255.255.0
access-list LITERAL extended deny ip any any
access-list RANGE-OBJ extended permit ip object-group LOCALS object REMOTE-NET
access-list RANGE-OBJ extended permit tcp object SRV-RANGE 10.2.0.0 255.255.255.0 eq www inactive
access-list RANGE-OBJ extended permit tcp object SRV-RANGE 10.2.0.0 255.255.255.0 eq 443
access-list SUMMARY extended permit ip 10.1.0.0 255.255.0.0 10.2.0.0 255.255.255.0
access-list HALVES extended permit ip 10.1.0.0 255.255.128.0 10.2.0.0 255.255.255.0
access-list HALVES extended permit ip 10.1.128.0 255.255.128.0 10.2.0.0 255.255.255.0
"""


def test_same_protected_set_written_differently_is_equal():
    m = parse(EQUIVALENT)
    assert m.problems == []
    expected = flows(
        ("10.1.1.0/24", "10.2.0.0/24", 0),
        ("10.1.2.0/24", "10.2.0.0/24", 0),
        ("10.1.1.5/32", "10.2.0.0/24", 6, ANY_PORTS, (443, 443)),
    )
    sets = {name: acl_flows(m, name) for name in ("WITH-NAMES", "WITH-OBJECTS", "LITERAL", "RANGE-OBJ")}
    for name, fs in sets.items():
        assert fs.flows == expected, name
        assert fs.complete and fs.defined
    # `any` is IPv4 + IPv6 from 9.0
    assert sets["LITERAL"].deny_flows == flows(("0.0.0.0/0", "0.0.0.0/0", 0), ("::/0", "::/0", 0))
    assert m.acl_flows("LITERAL") is sets["LITERAL"]  # memoised


def test_subnet_list_vs_summary_not_equal_but_covered():
    m = parse(EQUIVALENT)
    lst = acl_flows(m, "WITH-NAMES").flows
    summary = acl_flows(m, "SUMMARY").flows
    assert lst != summary
    assert flowset_covers(summary, lst) and not flowset_covers(lst, summary)
    c = compare_flowsets(summary, lst)
    assert c.relation == "superset" and c.only_in_b == frozenset() and c.only_in_a == summary
    assert compare_flowsets(lst, summary).relation == "subset"
    # two halves are not the whole: the ASA proposes one selector per entry
    halves = acl_flows(m, "HALVES").flows
    assert not flowset_covers(halves, summary) and flowset_covers(summary, halves)
    assert compare_flowsets(lst, lst).relation == "equal"
    assert compare_flowsets(flows(("10.9.0.0/24", "10.8.0.0/24", 0)), lst).relation == "disjoint"


def test_any_depends_on_the_version():
    old = parse("ASA Version 8.2(5)\naccess-list A extended permit ip any any\n")
    new = parse(
        "ASA Version 9.0(1)\naccess-list A extended permit ip any any\naccess-list B extended permit ip any4 any\n"
    )
    assert acl_flows(old, "A").flows == flows(("0.0.0.0/0", "0.0.0.0/0", 0))
    assert acl_flows(new, "A").flows == flows(("0.0.0.0/0", "0.0.0.0/0", 0), ("::/0", "::/0", 0))
    assert acl_flows(new, "B").flows == flows(("0.0.0.0/0", "0.0.0.0/0", 0))  # families never mix


def test_mirrored_pair_across_versions():
    a = fixture_model("site-a-82.cfg")
    b = fixture_model("site-b-72.cfg")
    fa = acl_flows(a, "outside_1_cryptomap")
    fb = acl_flows(b, "outside_20_cryptomap")
    assert fa.flows == mirror(fb.flows) == fb.mirror()
    assert mirror(mirror(fa.flows)) == fa.flows
    assert compare_flowsets(fa.flows, fb.mirror()).relation == "equal"
    assert sorted(map(format_flow, fa.flows)) == ["ip 10.1.1.0/24 -> 10.2.0.0/24", "ip 10.1.2.0/24 -> 10.2.0.0/24"]
    # site B's NAT exemption is the /16 summary: it covers the crypto flows
    (ex,) = b.nat_exemptions()
    assert all(ex.exempts(f) for f in fb.flows)


def test_mirror_swaps_ports_but_not_icmp_types():
    f = Flow(N("10.0.0.0/24"), N("10.1.0.0/24"), 6, (1024, 65535), (443, 443))
    assert f.mirror() == Flow(N("10.1.0.0/24"), N("10.0.0.0/24"), 6, (443, 443), (1024, 65535))
    i = Flow(N("10.0.0.0/24"), N("10.1.0.0/24"), 1, ANY_PORTS, (8, 8))
    assert i.mirror().dst_ports == (8, 8)


def test_ports_and_services():
    m = parse(
        "ASA Version 9.8(1)\n"
        "object service WEB\n"
        " service tcp source range 1024 65535 destination eq www\n"
        "object-group service TCPUDP-DNS tcp-udp\n"
        " port-object eq domain\n"
        "object-group service MIX\n"
        " service-object tcp-udp destination eq 514\n"
        " service-object icmp echo\n"
        " service-object esp\n"
        " service-object object WEB\n"
        "object-group protocol PROTOS\n"
        " protocol-object gre\n"
        " protocol-object 50\n"
        "object-group icmp-type PINGS\n"
        " icmp-object echo\n"
        " icmp-object echo-reply\n"
        "access-list P extended permit tcp any4 any4 lt 1024\n"
        "access-list P extended permit tcp any4 any4 range 0 1023\n"
        "access-list P extended permit udp any4 eq syslog any4 neq 53\n"
        "access-list P extended permit object WEB any4 any4\n"
        "access-list P extended permit object-group MIX any4 any4\n"
        "access-list P extended permit object-group PROTOS any4 any4\n"
        "access-list P extended permit tcp any4 any4 object-group TCPUDP-DNS\n"
        "access-list P extended permit icmp any4 any4 object-group PINGS\n"
        "access-list P extended permit icmp any4 any4 unreachable 3\n"
        "access-list P extended permit object icmp-echo any4 any4\n"
        "access-list P extended permit tcp any4 any4 eq bogus-port\n"
    )
    assert m.problems == []
    es = m.access_list("P").rules
    x = [frozenset((f.protocol, f.src_ports, f.dst_ports) for f in expand_ace(m, e)) for e in es]
    assert x[0] == x[1] == {(6, ANY_PORTS, (0, 1023))}
    assert x[2] == {(17, (514, 514), (0, 52)), (17, (514, 514), (54, 65535))}
    assert x[3] == {(6, (1024, 65535), (80, 80))}
    assert x[4] == {
        (6, ANY_PORTS, (514, 514)),
        (17, ANY_PORTS, (514, 514)),
        (1, ANY_PORTS, (8, 8)),
        (50, ANY_PORTS, ANY_PORTS),
        (6, (1024, 65535), (80, 80)),
    }
    assert x[5] == {(47, ANY_PORTS, ANY_PORTS), (50, ANY_PORTS, ANY_PORTS)}
    assert x[6] == {(6, ANY_PORTS, (53, 53))}
    assert x[7] == {(1, ANY_PORTS, (8, 8)), (1, ANY_PORTS, (0, 0))}
    assert x[8] == {(1, ANY_PORTS, (3, 3))}
    assert x[9] == {(1, ANY_PORTS, (8, 8))}  # predefined service object
    bad = expand_ace(m, es[10])
    assert len(bad) == 0 and [(u.kind, u.name) for u in bad.unresolved] == [("unknown-port", "bogus-port")]
    assert not bad.complete and bad.unresolved[0].span.line == 27


def test_unresolved_is_reported_never_guessed():
    m = parse(
        "ASA Version 9.8(1)\n"
        "interface Gi0/0\n"
        " nameif outside\n"
        " ip address dhcp setroute\n"
        "object network WWW\n"
        " fqdn www.example.com\n"
        "object network EMPTY\n"
        "object-group service SVC tcp\n"
        " port-object eq 22\n"
        "access-list U extended permit ip object WWW any4\n"
        "access-list U extended permit ip object NOPE any4\n"
        "access-list U extended permit ip host UNKNOWN-NAME any4\n"
        "access-list U extended permit ip any4 interface outside\n"
        "access-list U extended permit ip any4 interface nowhere\n"
        "access-list U extended permit ip object-group SVC any4\n"
        "access-list U extended permit ip object EMPTY any4\n"
        "access-list U extended permit ip 10.0.0.0 255.0.0.0 any4\n"
    )
    assert m.problems == []
    fs = acl_flows(m, "U")
    assert fs.flows == flows(("10.0.0.0/8", "0.0.0.0/0", 0))
    kinds = [(u.kind, u.name.split()[0]) for u in fs.unresolved]
    assert kinds == [
        ("fqdn", "WWW"),
        ("undefined-object", "NOPE"),
        ("undefined-name", "UNKNOWN-NAME"),
        ("interface-address-unknown", "outside"),
        ("undefined-interface", "nowhere"),
        ("wrong-type", "SVC"),
        ("empty-object", "EMPTY"),
    ]
    assert all(u.span is not None for u in fs.unresolved)
    assert not acl_flows(m, "NOT-THERE").defined


def test_cycles_are_recorded_and_expansion_terminates():
    m = fixture_model("groups-cycles.cfg")
    assert m.problems == []
    assert [(c.groups, c.span.line) for c in m.group_cycles] == [
        (["A", "B", "C"], 13),
        (["SELF"], 16),
        (["S1", "S2"], 25),
    ]
    for g in ("A", "B", "C"):
        assert set(m.object_group(g).cycle) == {"A", "B", "C"}
    assert m.object_group("SELF").cycle == ["SELF"] and m.object_group("OUTER").cycle is None
    r = resolve_network_group(m, "B")
    assert set(r.networks) == {N("10.9.0.1/32"), N("10.9.0.2/32"), N("10.9.1.0/24")}
    assert ("cycle", "B") in [(u.kind, u.name) for u in r.unresolved]
    outer = resolve_network_group(m, "OUTER")
    assert {u.kind for u in outer.unresolved} == {"cycle", "undefined-group"}
    e1, e2 = m.access_list("CYC").rules
    assert len(expand_ace(m, e1)) == 3
    assert {f.dst_ports for f in expand_ace(m, e2)} == {(22, 22), (8000, 8080)}


def test_long_group_chain_does_not_recurse():
    text = (
        "ASA Version 9.8(1)\n"
        + "".join(
            f"object-group network G{i}\n network-object host 10.0.{i // 250}.{i % 250 + 1}\n group-object G{i + 1}\n"
            for i in range(3000)
        )
        + "object-group network G3000\n network-object host 10.99.0.1\n"
    )
    m = parse(text)
    r = resolve_network_group(m, "G0")
    assert len(r.networks) == 3001 and r.complete


def test_references_and_undefined():
    m = fixture_model("hub-98.cfg")
    refs = m.references()
    kinds = {(r.kind, r.name, r.context) for r in refs}
    assert ("object-group", "HQ-USERS-GRP", "group") in kinds
    assert ("access-list", "SPOKE1-CRYPTO", "crypto-map") in kinds
    assert ("transform-set", "ESP-AES-128-SHA", "crypto-map") in kinds
    assert ("ikev2-proposal", "AES256-SHA256", "crypto-map") in kinds
    assert ("dynamic-map", "DYN", "crypto-map") in kinds
    assert ("object-or-group", "SPOKE2-NETS", "nat") in kinds
    assert ("access-list", "outside_in", "access-group") in kinds
    assert ("service-object", "HTTPS", "group") in kinds
    assert ("network-object", "WEB01", "acl") in kinds
    assert m.undefined_references() == []
    used = {r.name for r in refs}
    unused_objects = sorted(set(m.network_objects) - used)
    assert unused_objects == ["INSIDE-ANY", "UPDATES"]


def test_undefined_references_in_the_corpus():
    import pytest

    if not CORPUS.is_dir():
        pytest.skip("corpus absent")
    from cfglint.parsers.asa import parse_asa

    def undefined(name):
        m = parse_asa((CORPUS / name).read_bytes(), name)
        return sorted({(r.kind, r.name) for r in m.undefined_references()})

    assert undefined("batfish__asa-gh-6042.cfg") == [("network-object", "X"), ("network-object", "Y")]
    assert undefined("ciscoconfparse__sample_01.asa") == [("object-group", "TSUNAMI_addrs")]
    assert undefined("batfish__asa-nested-network-object-group.cfg") == [
        ("object-group", "UNDEFINED_GROUP"),
        ("object-group", "UNDEFINED_GROUP_MIXED"),
    ]
    assert ("service-object", "OS_UNDEFINED") in undefined("batfish__asa-service-object.cfg")
    # predefined service objects are not undefined
    assert undefined("batfish__unit-tests_asa_acl.cfg") == [("object-group", "drawbridge_hosts")]


def test_nat_exemptions_82_and_9x():
    a = fixture_model("site-a-82.cfg")
    (ex,) = a.nat_exemptions()
    assert ex.node.acl == "inside_nat0_outbound" and ex.flows == acl_flows(a, "outside_1_cryptomap").flows
    hub = fixture_model("hub-98.cfg")
    ex1, ex2 = hub.nat_exemptions()
    assert ex1.real_interface == "inside" and ex1.mapped_interface == "outside"
    assert ex1.flows == acl_flows(hub, "SPOKE1-CRYPTO").flows
    assert ex2.flows == acl_flows(hub, "SPOKE2-CRYPTO").flows


def test_pairing_index():
    a, b, hub = fixture_model("site-a-82.cfg"), fixture_model("site-b-72.cfg"), fixture_model("hub-98.cfg")
    owners = address_owners([a, b, hub])
    (va,) = a.crypto_map_entries()
    ((peer_model, peer_itf),) = owners[va.peers[0]]
    assert peer_model is b and peer_itf.nameif == "outside"
    ((back, _),) = owners[b.crypto_map_entries()[0].peers[0]]
    assert back is a
    assert IPv4Address("198.51.100.3") in owners  # standby address
    assert IPv4Address("198.51.100.20") not in owners  # a spoke with no file
