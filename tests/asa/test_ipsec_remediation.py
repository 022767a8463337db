"""The commands that make a peer's crypto ACL the mirror: syntax era, reuse of existing objects and
groups, minimal edits, and a round trip (apply the commands, pair again: the ACLs mirror)."""

from __future__ import annotations

from ipaddress import ip_network

import pytest
from jinja2 import StrictUndefined

from cfglint.api import ProjectIndex
from cfglint.asa.expand import ANY_PORTS, Flow, mirror
from cfglint.asa.ipsec import ipsec_sessions
from cfglint.asa.remediation import _env, mirror_commands, syntax_era

from .conftest import REPO, parse

EXAMPLE = REPO / "examples" / "asa-vpn-asymmetric"


def flows(*specs: tuple) -> frozenset[Flow]:
    out = set()
    for spec in specs:
        src, dst, *rest = spec
        proto = rest[0] if rest else 0
        sp = rest[1] if len(rest) > 1 else ANY_PORTS
        dp = rest[2] if len(rest) > 2 else ANY_PORTS
        out.add(Flow(ip_network(src), ip_network(dst), proto, sp, dp))
    return frozenset(out)


def apply(text: str, lines: tuple[str, ...]) -> str:
    """What pasting the commands does to the running-config text (enough for these tests)."""
    body = [ln for ln in text.splitlines() if ln.strip() != ": end"]
    for cmd in lines:
        if cmd.startswith("no "):
            target = " ".join(cmd[3:].split())
            body = [ln for ln in body if " ".join(ln.split()) != target]
        else:
            body.append(cmd)
    return "\n".join(body) + "\n"


def test_templates_are_strict_and_not_escaped():
    env = _env()
    assert env.undefined is StrictUndefined and env.autoescape is False
    assert {"macros", "legacy", "modern"} <= set(env.loader.list_templates())  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("header", "era"),
    [
        ("PIX Version 7.2(4)", "legacy"),
        ("ASA Version 8.2(5)", "legacy"),
        ("ASA Version 8.3(1)", "modern"),
        ("ASA Version 9.18(2)", "modern"),
        ("hostname x", "legacy"),
        ("hostname x\nobject network O\n host 10.0.0.1", "modern"),
    ],
)
def test_syntax_era(header, era):
    assert syntax_era(parse(header + "\n")) == era


def test_broken_example_commands_for_site_b():
    b = parse((EXAMPLE / "broken" / "site-b.cfg").read_text(), "site-b.cfg")
    want = flows(
        ("192.168.50.0/24", "10.10.0.0/24"),
        ("192.168.50.0/24", "10.10.20.0/24"),
        ("192.168.60.0/24", "10.10.0.0/24"),
        ("192.168.60.0/24", "10.10.20.0/24"),
    )
    r = mirror_commands(b, "TO-HQ", want, local_host="site-b", remote_host="site-a")
    assert r.era == "legacy" and r.host == "site-b"
    assert r.lines == (
        "object-group network SITE-A-NETS",
        " network-object 10.10.0.0 255.255.255.0",
        " network-object 10.10.20.0 255.255.255.0",
        "access-list TO-HQ extended permit ip object-group LOCAL-NETS object-group SITE-A-NETS",
        "no access-list TO-HQ extended permit ip object-group LOCAL-NETS object-group HQ-SUMMARY",
    )
    assert r.inline().startswith("object-group network SITE-A-NETS | network-object 10.10.0.0 255.255.255.0 | ")


def test_round_trip_on_the_broken_example():
    a_text = (EXAMPLE / "broken" / "site-a.cfg").read_text()
    b_text = (EXAMPLE / "broken" / "site-b.cfg").read_text()
    a, b = parse(a_text, "a.cfg"), parse(b_text, "b.cfg")
    (acl,) = ipsec_sessions(ProjectIndex([a, b])).acls
    assert acl.relation == "subset"
    r = mirror_commands(b, "TO-HQ", mirror(acl.a_flows), local_host="site-b", remote_host="site-a")
    fixed = parse(apply(b_text, r.lines), "b.cfg")
    assert not fixed.problems
    (again,) = ipsec_sessions(ProjectIndex([parse(a_text, "a.cfg"), fixed])).acls
    assert again.relation == "equal"


MODERN = """ASA Version 9.8(4)
hostname hq
object network HQ-SERVERS
 subnet 10.0.10.0 255.255.255.0
object network NETWORK_OBJ_10.0.20.0_24
 host 10.99.99.99
object-group network BRANCH-NETS
 network-object 10.60.1.0 255.255.255.0
 network-object 10.60.2.0 255.255.255.0
object-group network BRANCH-NETS-OLD
 network-object 10.60.0.0 255.255.0.0
access-list VPN extended permit ip 10.0.10.0 255.255.255.0 object-group BRANCH-NETS
access-list VPN extended permit ip 10.0.0.0 255.255.0.0 object-group BRANCH-NETS-OLD
: end
"""


def test_modern_reuses_objects_and_groups_and_avoids_name_clashes():
    m = parse(MODERN, "hq.cfg")
    want = flows(
        ("10.0.10.0/24", "10.60.1.0/24"),
        ("10.0.10.0/24", "10.60.2.0/24"),
        ("10.0.20.0/24", "10.60.1.0/24"),
        ("10.0.20.0/24", "10.60.2.0/24"),
    )
    r = mirror_commands(m, "VPN", want, local_host="hq", remote_host="branch")
    assert r.era == "modern"
    # the first entry already protects a subset of what is wanted: it stays; the summary goes
    assert r.lines == (
        "object network NETWORK_OBJ_10.0.20.0_24-2",
        " subnet 10.0.20.0 255.255.255.0",
        "access-list VPN extended permit ip object NETWORK_OBJ_10.0.20.0_24-2 object-group BRANCH-NETS",
        "no access-list VPN extended permit ip 10.0.0.0 255.255.0.0 object-group BRANCH-NETS-OLD",
    )
    fixed = parse(apply(MODERN, r.lines), "hq.cfg")
    assert fixed.acl_flows("VPN").flows == want


def test_modern_new_group_of_objects():
    text = (
        "ASA Version 9.8(4)\nhostname hq\nobject-group network HQ-NETS\n network-object host 1.1.1.1\n"
        "access-list VPN extended permit ip any any\n"
    )
    want = flows(("10.0.10.0/24", "10.60.0.5/32"), ("10.0.20.0/24", "10.60.0.5/32"))
    r = mirror_commands(parse(text), "VPN", want, local_host="hq", remote_host="branch")
    assert r.lines == (
        "object network NETWORK_OBJ_10.0.10.0_24",
        " subnet 10.0.10.0 255.255.255.0",
        "object network NETWORK_OBJ_10.0.20.0_24",
        " subnet 10.0.20.0 255.255.255.0",
        "object network NETWORK_OBJ_10.60.0.5",
        " host 10.60.0.5",
        "object-group network HQ-NETS-2",
        " network-object object NETWORK_OBJ_10.0.10.0_24",
        " network-object object NETWORK_OBJ_10.0.20.0_24",
        "access-list VPN extended permit ip object-group HQ-NETS-2 object NETWORK_OBJ_10.60.0.5",
        "no access-list VPN extended permit ip any any",
    )
    assert parse(apply(text, r.lines)).acl_flows("VPN").flows == want


def test_legacy_services_hosts_and_icmp():
    m = parse("ASA Version 8.2(5)\nhostname br\naccess-list TO-HQ extended permit ip any any\n")
    want = flows(
        ("10.60.1.0/24", "10.0.10.5/32", 6, ANY_PORTS, (443, 443)),
        ("10.60.1.0/24", "10.0.10.5/32", 17, (1000, 2000), ANY_PORTS),
        ("10.60.1.0/24", "10.0.10.5/32", 1, ANY_PORTS, (8, 8)),
    )
    r = mirror_commands(m, "TO-HQ", want, local_host="br", remote_host="hq")
    assert r.lines == (
        "access-list TO-HQ extended permit icmp 10.60.1.0 255.255.255.0 host 10.0.10.5 8",
        "access-list TO-HQ extended permit tcp 10.60.1.0 255.255.255.0 host 10.0.10.5 eq 443",
        "access-list TO-HQ extended permit udp 10.60.1.0 255.255.255.0 range 1000 2000 host 10.0.10.5",
        "no access-list TO-HQ extended permit ip any any",
    )
    assert parse(apply("ASA Version 8.2(5)\nhostname br\n", r.lines)).acl_flows("TO-HQ").flows == want


def test_non_product_flows_get_one_entry_per_source_set():
    m = parse("ASA Version 8.2(5)\nhostname br\n")
    want = flows(("10.1.0.0/24", "10.9.0.0/24"), ("10.2.0.0/24", "10.9.0.0/24"), ("10.2.0.0/24", "10.8.0.0/24"))
    r = mirror_commands(m, "X", want, local_host="br", remote_host="hq")
    assert parse(apply("ASA Version 8.2(5)\nhostname br\n", r.lines)).acl_flows("X").flows == want
    assert sum(1 for ln in r.lines if ln.startswith("access-list")) == 2


def test_ipv6_legacy_and_modern():
    want = flows(("2001:db8:b::/48", "2001:db8:a::/48"))
    leg = mirror_commands(parse("ASA Version 8.2(5)\n"), "V6", want, local_host="b", remote_host="a")
    assert leg.lines == ("access-list V6 extended permit ip 2001:db8:b::/48 2001:db8:a::/48",)
    mod = mirror_commands(parse("ASA Version 9.8(4)\n"), "V6", want, local_host="b", remote_host="a")
    assert " subnet 2001:db8:b::/48" in mod.lines
    assert parse(apply("ASA Version 9.8(4)\n", mod.lines)).acl_flows("V6").flows == want


def test_nothing_to_do_gives_no_commands():
    m = parse("ASA Version 8.2(5)\naccess-list X extended permit ip 10.1.0.0 255.255.255.0 10.2.0.0 255.255.255.0\n")
    r = mirror_commands(m, "X", flows(("10.1.0.0/24", "10.2.0.0/24")), local_host="b", remote_host="a")
    assert not r and r.inline() == ""


def test_commands_never_carry_a_key():
    text = (
        (EXAMPLE / "broken" / "site-b.cfg").read_text().replace("Example-PSK-not-real-4f9a", "Canary-Remediation-Key")
    )
    b = parse(text, "site-b.cfg")
    r = mirror_commands(
        b, "TO-HQ", flows(("192.168.50.0/24", "10.10.0.0/24")), local_host="site-b", remote_host="site-a"
    )
    assert r.lines and not any("Canary-Remediation-Key" in ln or "pre-shared" in ln for ln in r.lines)
