"""Covered commands that cannot be read give a ParseProblem (CFG004); unknown variants stay raw and
silent (a false parse error is a false positive)."""

from __future__ import annotations

import pytest

from cfglint.models.asa import RawLine

from .conftest import parse

MALFORMED = [
    ("crypto map X 10 match address", "without an ACL name"),
    ("crypto map X 10 set peer", "without an address"),
    ("crypto map X 10 set ikev1 transform-set", "without a name"),
    ("crypto map X 10", "without a setting"),
    ("crypto map X interface", "without an interface"),
    ("crypto map X 10 set security-association lifetime seconds", "lifetime"),
    ("access-list A extended permit", "no protocol"),
    ("access-list A extended permit tcp any", "no destination"),
    ("access-list A extended permit tcp", "no source"),
    ("access-list A extended permit tcp any any eq", "without its port"),
    ("access-list A extended permit tcp any any range 1", "without its ports"),
    ("access-list A standard permit", "without an address"),
    ("access-list A", "cut short"),
    ("access-group A in", "access-group"),
    ("access-group A in interface", "access-group"),
    ("name 999.1.1.1 foo", "not an IP address"),
    ("name 10.0.0.1", "needs an address and a name"),
    ("nat (inside) 0 access-list", "without an ACL name"),
    ("nat (inside,outside) source static A", "mapped"),
    ("nat (inside,outside) source static A B destination static C", "destination"),
    ("global (outside) 1", "global"),
    ("tunnel-group T type", "without a type"),
    ("crypto ikev1 policy x", "priority"),
    ("crypto ikev2 enable", "without an interface"),
    ("crypto ipsec ikev1 transform-set T", "without transforms"),
    ("hostname", "without a name"),
]


@pytest.mark.parametrize(("line", "message"), MALFORMED, ids=[m[0] for m in MALFORMED])
def test_malformed_line_is_a_problem_and_kept_raw(line, message):
    m = parse(f"ASA Version 9.8(1)\n{line}\nhostname after\n")
    assert len(m.problems) == 1, m.problems
    p = m.problems[0]
    assert p.code == "CFG004" and p.span.line == 2 and message in p.message
    assert any(isinstance(r, RawLine) and r.text == line for r in m.raw)
    assert m.hostname == "after" or line == "hostname"


MALFORMED_CHILDREN = [
    ("interface Gi0/0\n ip address 10.0.0.1", "without a netmask"),
    ("interface Gi0/0\n ip address 10.0.0.1 255.0.255.0", "not a netmask"),
    ("interface Gi0/0\n security-level high", "security-level"),
    ("object network N\n host not-an-ip", "not an IP address"),
    ("object network N\n subnet 10.0.0.0", "address and netmask"),
    ("object network N\n range 10.0.0.9", "first and a last"),
    ("object-group network G\n network-object 10.0.0.1", "network-object"),
    ("object-group network G\n group-object", "without a group name"),
    ("object-group service S tcp\n port-object eq", "without its port"),
    ("object service S\n service tcp destination", "destination without a port operator"),
    ("crypto ikev1 policy 10\n lifetime forever", "lifetime"),
    ("crypto ipsec ikev2 ipsec-proposal P\n protocol esp encryption", "without an algorithm"),
]


@pytest.mark.parametrize(("text", "message"), MALFORMED_CHILDREN, ids=[m[0].split("\n")[1] for m in MALFORMED_CHILDREN])
def test_malformed_sub_line_is_a_problem(text, message):
    m = parse(text + "\n")
    assert len(m.problems) == 1 and m.problems[0].span.line == 2 and message in m.problems[0].message


SILENT = [
    "access-list A extended permit tcp any any eq 80 log 7 interval 600 some-future-option",
    "access-list A rename B",
    "access-list alert-interval 300",
    "access-list A webtype permit url http://x/*",
    "access-list A ethertype deny bpdu",
    "access-list A line 3 extended permit ip any any",
    "crypto map X 10 set tfc-packets",
    "crypto map X 10 set reverse-route",
    "crypto map X client authentication LOCAL",
    "crypto ikev1 am-disable",
    "crypto isakmp identity address",
    "crypto ipsec security-association pmtu-aging infinite",
    "nat (inside,outside) static A B",
    "global (inside,outside) 1 interface",
    "static (inside) 1.1.1.1 2.2.2.2",
    "tunnel-group T frobnicate",
    "object wibble X",
    "ASA something",
    "ip local pool P 10.0.0.1-10.0.0.9 mask 255.255.255.0",
    "ip verify reverse-path interface outside",
    "interface Gi0/0 shutdown",
]


@pytest.mark.parametrize("line", SILENT)
def test_unknown_variants_are_silent(line):
    m = parse(f"ASA Version 9.8(1)\n{line}\n")
    assert m.problems == []


def test_unparsed_trailing_tokens_are_kept():
    m = parse("access-list A extended permit tcp any any eq 80 log 7 interval 600 some-future-option\n")
    (e,) = m.access_list("A").entries
    assert e.log == "7 interval 600" and e.unparsed == ("some-future-option",)
