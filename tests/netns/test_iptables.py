"""iptables argv: any option order, negation, tables, targets."""

from __future__ import annotations

from cfglint.netns.iptables import parse_iptables
from cfglint.shell import Arg, Value

from .conftest import argv


def ipt(*words):
    return parse_iptables(argv(*words))


def test_basic_rule():
    r = ipt("iptables", "-t", "nat", "-I", "POSTROUTING", "-o", "veth-qr", "-j", "MASQUERADE")
    assert r.table == "nat" and r.command == "insert" and r.chain_text == "POSTROUTING"
    assert r.first("out").text == "veth-qr" and r.target_text == "MASQUERADE"


def test_options_in_any_order_and_negation():
    r = ipt("ip6tables", "-j", "ACCEPT", "!", "-i", "eth0", "-A", "INPUT", "-p", "udp", "--dport", "53", "-w")
    assert r.family == "ipv6" and r.command == "append" and r.chain_text == "INPUT"
    assert r.first("in").negated and r.first("in").text == "eth0"
    assert r.first("--dport").text == "53" and r.wait
    r = ipt("iptables", "-A", "FORWARD", "-i", "!", "br0", "-j", "DROP")  # old negation
    assert r.first("in").negated and r.first("in").text == "br0"


def test_rule_numbers_and_flags():
    r = ipt("iptables", "-I", "INPUT", "1", "-m", "physdev", "--physdev-is-bridged", "-j", "ACCEPT")
    assert [p.value.text for p in r.positional] == ["1"]
    assert r.first("--physdev-is-bridged").values == []
    r = ipt("iptables", "-A", "INPUT", "-p", "tcp", "--tcp-flags", "SYN,RST", "SYN", "-j", "DROP")
    assert [v.value.text for v in r.first("--tcp-flags").values] == ["SYN,RST", "SYN"]


def test_spec_key_ignores_the_command():
    a = ipt("iptables", "-t", "nat", "-A", "POSTROUTING", "-s", "10.0.0.0/24", "-j", "MASQUERADE")
    d = ipt("iptables", "-t", "nat", "-D", "POSTROUTING", "-j", "MASQUERADE", "-s", "10.0.0.0/24")
    assert a.spec_key() == d.spec_key()


def test_unknown_word_makes_the_table_unknown_unless_explicit():
    unknown = Arg(Value.var("IPT_OPTS"), None, False)
    r = parse_iptables(argv("iptables") + [unknown] + argv("-A", "INPUT", "-j", "ACCEPT"))
    assert not r.table_known and r.unknown
    r = parse_iptables(argv("iptables") + [unknown] + argv("-t", "nat", "-A", "POSTROUTING", "-j", "MASQUERADE"))
    assert r.table_known and r.table == "nat"
