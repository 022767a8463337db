"""iproute2 argv as `ip` reads it: prefixes, keyword order, veth peers, netns."""

from __future__ import annotations

import pytest

from cfglint.netns.iproute import parse_ip

from .conftest import argv


def ip(*words):
    return parse_ip(argv("ip", *words))


@pytest.mark.parametrize(
    ("words", "obj", "cmd"),
    [
        (("a", "a", "10.0.0.1/24", "dev", "x"), "address", "add"),
        (("addr", "add"), "address", "add"),
        (("address", "d", "10.0.0.1/24", "dev", "x"), "address", "delete"),
        (("l", "s", "x", "up"), "link", "set"),
        (("li", "delete", "x"), "link", "delete"),
        (("link",), "link", "show"),
        (("r", "add", "default", "via", "10.0.0.1"), "route", "add"),
        (("ro", "chg", "default", "via", "10.0.0.1"), "route", "change"),
        (("ru", "show"), "rule", "show"),
        (("n", "add", "10.0.0.1", "lladdr", "aa:bb:cc:dd:ee:ff", "dev", "x"), "neighbor", "add"),
        (("net", "a", "blue"), "netns", "add"),
        (("netns", "s"), "netns", "list"),
        (("netns", "d", "blue"), "netns", "delete"),
        (("tuntap", "add", "dev", "tap0", "mode", "tap"), "tuntap", "add"),
    ],
)
def test_objects_and_commands_are_prefix_matched_in_table_order(words, obj, cmd):
    p = ip(*words)
    assert (p.obj, p.cmd) == (obj, cmd)


def test_global_options():
    p = ip("-n", "blue", "-4", "-br", "addr", "show")
    assert p.netns.value.text == "blue" and p.family == "inet" and p.obj == "address"
    p = ip("-netns", "red", "link", "set", "x", "up")
    assert p.netns.value.text == "red"
    assert ip("-batch", "cmds.txt").batch
    assert ip("-6", "route", "add", "default", "dev", "wg0").family == "inet6"


def test_addr_keywords_before_the_address():
    a = ip("-6", "addr", "add", "dev", "lxcbr0", "fd00::1/64").addr
    assert a.local.value.text == "fd00::1/64" and a.dev.value.text == "lxcbr0"
    a = ip("addr", "add", "10.0.0.1/24", "broadcast", "+", "dev", "br0").addr
    assert a.local.value.text == "10.0.0.1/24" and a.broadcast.value.text == "+"
    a = ip("addr", "add", "dev", "veth-qr").addr
    assert a.local is None and a.dev.value.text == "veth-qr"
    a = ip("addr", "add", "local", "10.0.0.1/24", "peer", "10.0.0.2", "dev", "x").addr
    assert a.local.value.text == "10.0.0.1/24" and a.peer.value.text == "10.0.0.2"
    a = ip("a", "a", "dev", "eth1", "label", "eth1:0", "scope", "link", "nodad").addr
    assert a.local is None


def test_link_add_veth_with_peer_in_a_namespace():
    link = ip("link", "add", "A", "netns", "ns1", "type", "veth", "peer", "name", "B", "netns", "ns2").link
    assert link.new_name.value.text == "A" and link.netns.value.text == "ns1"
    assert link.type_text == "veth"
    assert link.peer.new_name.value.text == "B" and link.peer.netns.value.text == "ns2"
    link = ip("link", "add", "tunnel0", "type", "veth", "peer", "tunnel1").link
    assert link.peer.new_name.value.text == "tunnel1"
    link = ip("link", "add", "name", "br0", "up", "type", "bridge", "stp_state", "0").link
    assert link.new_name.value.text == "br0" and link.up is True and link.type_text == "bridge"
    link = ip("link", "add", "link", "eth0", "name", "eth0.2", "type", "vlan", "id", "102").link
    assert link.link.value.text == "eth0" and link.new_name.value.text == "eth0.2"


def test_link_set_keywords():
    link = ip("link", "set", "dev", "veth1", "master", "br0", "up").link
    assert link.dev.value.text == "veth1" and link.master.value.text == "br0" and link.up is True
    link = ip("l", "s", "veth1", "m", "br0").link  # `m` is a prefix of master
    assert link.master.value.text == "br0"
    link = ip("link", "set", "veth1", "netns", "blue", "name", "eth0").link
    assert link.netns.value.text == "blue" and link.name.value.text == "eth0"
    link = ip("link", "set", "veth1", "nomaster", "down").link
    assert link.nomaster and link.up is False


def test_route_spec():
    r = ip("route", "add", "default", "via", "10.0.0.1", "dev", "eth0", "onlink").route
    assert r.dst.value.text == "default" and r.via.value.text == "10.0.0.1" and r.dev.value.text == "eth0" and r.onlink
    r = ip("route", "add", "10.1.0.0/24", "dev", "r1", "proto", "static", "metric", "10").route
    assert r.dst.value.text == "10.1.0.0/24" and r.via is None
    r = ip("route", "add", "blackhole", "10.9.0.0/16").route
    assert r.rtype == "blackhole" and r.dst.value.text == "10.9.0.0/16"
    r = ip("route", "add", "default", "via", "inet", "10.0.0.1").route
    assert r.via.value.text == "10.0.0.1"


def test_unknown_words_are_never_keywords():
    from cfglint.shell import Arg, Value

    p = parse_ip([Arg(Value.of("ip"), None), Arg(Value.opaque("$(x)"), None), Arg(Value.of("link"), None)])
    assert p.obj is None and p.uncertain
