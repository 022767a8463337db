"""Seeing through wrappers: sudo/env/exec/timeout/..., `ip netns exec`, `ip -n`, nsenter, user
functions passing "$@", shell strings."""

from __future__ import annotations

import pytest

from cfglint.shell import invocations, unwrap

from .conftest import parse


def one(src: str, **kw):
    m = parse(src)
    cmds = [c for c in m.commands if c.kind == "simple" and c.in_function is None and c.substitution is None]
    invs = unwrap(cmds[-1], m, **kw)
    assert len(invs) == 1, invs
    return invs[0]


def test_sudo_ip_netns_exec():
    inv = one('NS=qrouter-1\nIF=veth0\nsudo ip netns exec "$NS" ip link set dev "$IF" up\n')
    assert inv.texts == ["ip", "link", "set", "dev", "veth0", "up"]
    assert inv.netns.text == "qrouter-1" and inv.netns_kind == "name"
    assert [layer.kind for layer in inv.layers] == ["sudo", "netns-exec"]
    assert inv.complete and inv.name == "ip"
    assert inv.argv[4].span.line == 3 and inv.argv[4].word.text == '"$IF"'


def test_unknown_namespace_stays_symbolic():
    inv = one('ip netns exec "$NS" ip link set lo up\n')
    assert inv.netns.vars == {"NS"} and not inv.netns.is_known and inv.complete


@pytest.mark.parametrize(
    "src, netns, kind",
    [
        ("ip -n r1 link set lo up", "r1", "name"),
        ("ip -netns r1 link set lo up", "r1", "name"),
        ("ip --netns r1 -4 addr show", "r1", "name"),
        ("ip -4 -n r1 route add default via 10.0.0.1", "r1", "name"),
    ],
)
def test_ip_n_is_kept_as_context(src, netns, kind):
    inv = one(src + "\n")
    assert inv.netns.text == netns and inv.netns_kind == kind
    assert inv.texts == src.split()  # argv unchanged: it is `ip`, run inside the namespace
    assert [layer.kind for layer in inv.layers] == ["ip-netns"]


def test_ip_object_prefixes():
    assert one("ip netns e r1 ip link\n").netns.text == "r1"  # `netns e` = exec
    assert one("ip net exec r1 ip link\n").netns.text == "r1"
    inv = one("ip n exec r1 ip link\n")  # `ip n` is neighbour, not netns
    assert inv.netns is None and inv.texts[:2] == ["ip", "n"]
    inv = one("ip -all netns exec ip link set lo up\n")
    assert inv.netns_kind == "all" and inv.texts == ["ip", "link", "set", "lo", "up"]
    inv = one("ip netns exec a ip netns exec b sysctl -w net.ipv4.ip_forward=1\n")
    assert inv.netns.text == "b" and inv.name == "sysctl"
    assert unwrap(parse("ip netns exec r1\n").commands[0]) == []


@pytest.mark.parametrize(
    "src, netns, kind, argv",
    [
        ("nsenter --net=/var/run/netns/r1 ip a", "r1", "name", ["ip", "a"]),
        ("nsenter --net=/run/netns/r2 -- ip a", "r2", "name", ["ip", "a"]),
        ("nsenter -t 4242 -n ip link", "4242", "pid", ["ip", "link"]),
        ("nsenter --target=4242 --net --mount sh", "4242", "pid", ["sh"]),
        ("nsenter -t4242 -n -m ip r", "4242", "pid", ["ip", "r"]),
        ("nsenter --net=/proc/77/ns/net ip a", "77", "pid", ["ip", "a"]),
        ("nsenter --net=/tmp/nsfile ip a", "/tmp/nsfile", "path", ["ip", "a"]),
    ],
)
def test_nsenter(src, netns, kind, argv):
    inv = one(src + "\n")
    assert inv.netns.text == netns and inv.netns_kind == kind and inv.texts == argv


def test_nsenter_symbolic_namespace_path():
    inv = one('nsenter --net=/var/run/netns/"$NS" ip a\n')
    assert inv.netns_kind == "name" and inv.netns.vars == {"NS"} and inv.netns.prefix == ""


@pytest.mark.parametrize(
    "src, argv, layers",
    [
        ("sudo -E -u root ip link", ["ip", "link"], ["sudo"]),
        ("sudo FOO=1 ip link", ["ip", "link"], ["sudo"]),
        ("env -i PATH=/bin ip link", ["ip", "link"], ["env"]),
        ("env -u X -- ip link", ["ip", "link"], ["env"]),
        ("exec ip link", ["ip", "link"], ["exec"]),
        ("exec -a name ip link", ["ip", "link"], ["exec"]),
        ("timeout 10 ip link", ["ip", "link"], ["timeout"]),
        ("timeout -s KILL -k 5 10s ip link", ["ip", "link"], ["timeout"]),
        ("timeout --signal=KILL 10 ip link", ["ip", "link"], ["timeout"]),
        ("nice -n 10 ip link", ["ip", "link"], ["nice"]),
        ("nice -10 ip link", ["ip", "link"], ["nice"]),
        ("ionice -c2 -n7 ip link", ["ip", "link"], ["ionice"]),
        ("ionice -c 3 ip link", ["ip", "link"], ["ionice"]),
        ("nohup ip link", ["ip", "link"], ["nohup"]),
        ("command ip link", ["ip", "link"], ["command"]),
        ("builtin echo x", ["echo", "x"], ["builtin"]),
        ("time -p ip link", ["ip", "link"], ["time"]),
        ("stdbuf -oL ip monitor", ["ip", "monitor"], ["stdbuf"]),
        ("setsid -f ip link", ["ip", "link"], ["setsid"]),
        ("flock -w 5 /run/lock ip link", ["ip", "link"], ["flock"]),
        ("sudo -E env -i FOO=1 timeout -s KILL 10 nice -n 5 /sbin/ip l s x up",
         ["/sbin/ip", "l", "s", "x", "up"], ["sudo", "env", "timeout", "nice"]),
    ],
)
def test_prefix_wrappers(src, argv, layers):
    inv = one(src + "\n")
    assert inv.texts == argv and [layer.kind for layer in inv.layers] == layers and inv.netns is None
    assert inv.complete


def test_env_assignments_and_clearing():
    inv = one("FOO=1 sudo BAR=2 env -i BAZ=3 ip link\n")
    assert [(n, v.text) for n, v in inv.env] == [("BAZ", "3")] and inv.env_cleared
    inv = one("FOO=1 sudo BAR=2 ip link\n")
    assert [(n, v.text) for n, v in inv.env] == [("FOO", "1"), ("BAR", "2")]


def test_commands_that_run_nothing():
    m = parse("command -v ip\nexec 3>&1\nsudo -v\nionice -p 42\n")
    assert [len(unwrap(c, m)) for c in m.commands] == [1, 0, 0, 1]
    assert unwrap(m.commands[0], m)[0].texts == ["command", "-v", "ip"]  # not run: reported as is


def test_shell_strings_and_eval():
    m = parse("ip netns exec r1 bash -c 'ip link set lo up; sysctl -w net.ipv4.ip_forward=1'\n")
    invs = unwrap(m.commands[0], m)
    assert [(i.name, i.netns.text) for i in invs] == [("ip", "r1"), ("sysctl", "r1")]
    assert all(i.argv[0].span == m.commands[0].argv[6].span for i in invs)  # the string's span
    assert [layer.kind for layer in invs[0].layers] == ["netns-exec", "shell-c"]
    m = parse('sh -c "$CMD"\neval ip link set "$X" up\n')
    a, b = (unwrap(c, m) for c in m.commands)
    assert not a[0].complete and a[0].name == "sh"
    assert not b[0].complete


def test_xargs_is_incomplete():
    inv = one("ip netns list | xargs -n1 ip netns delete\n")
    assert inv.texts == ["ip", "netns", "delete"] and not inv.complete
    assert [layer.kind for layer in inv.layers] == ["xargs"]


def test_unshare_new_namespace():
    inv = one("unshare -n ip link\n")
    assert inv.netns_kind == "new" and inv.texts == ["ip", "link"]
    assert one("unshare --mount ip link\n").netns is None


def test_command_held_in_a_variable():
    inv = one('NET_NS_CMD="ip netns exec $NS"\n$NET_NS_CMD ping -c1 8.8.8.8\n')
    assert inv.texts == ["ping", "-c1", "8.8.8.8"] and inv.netns.vars == {"NS"}
    assert not inv.complete  # $NS unquoted inside the variable: may split
    inv = one('NET_NS_CMD="ip netns exec r1"\n$NET_NS_CMD ping -c1 8.8.8.8\n')
    assert inv.texts == ["ping", "-c1", "8.8.8.8"] and inv.netns.text == "r1" and inv.complete
    inv = one("$UNKNOWN_CMD ip link\n")
    assert not inv.complete


def test_user_function_wrappers_statically():
    src = """\
netns0="wg-test-0"
n0() { ip netns exec $netns0 "$@"; }
ip0() { ip -n $netns0 "$@"; }
in_ns() { local ns=$1; shift; ip netns exec "$ns" "$@"; }
do_or_die() { "$@" || { echo "failed: $*"; exit 1; }; }
n0 ip link set lo up
ip0 link set wg0 up
in_ns r1 ip addr add 10.0.0.1/24 dev eth0
do_or_die ip link add br0 type bridge
"""
    m = parse(src)
    top = [c for c in m.commands if c.in_function is None and c.kind == "simple"]
    got = [[(i.texts, i.netns.text if i.netns else None, [lay.kind for lay in i.layers]) for i in unwrap(c, m)]
           for c in top]
    assert got[0] == [(["ip", "link", "set", "lo", "up"], "wg-test-0", ["function", "netns-exec"])]
    assert got[1] == [(["ip", "-n", "wg-test-0", "link", "set", "wg0", "up"], "wg-test-0", ["function", "ip-netns"])]
    assert got[2][0][0] == ["ip", "addr", "add", "10.0.0.1/24", "dev", "eth0"]
    assert got[2][0][1] is None or got[2][0][1] == "r1"  # `local ns=$1`: statically the join of calls
    assert got[3] == [(["ip", "link", "add", "br0", "type", "bridge"], None, ["function"])]
    # reported at the call site
    assert all(i.span.line == c.span.line for c in top for i in unwrap(c, m))


def test_invocations_over_the_run_inline_functions():
    src = """\
in_ns() { local ns=$1; shift; ip netns exec "$ns" "$@"; }
for ns in r1 r2; do
    in_ns "$ns" ip link set lo up
done
iptables -t nat -C POSTROUTING -o eth0 -j MASQUERADE || \\
    iptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE
"""
    m = parse(src)
    invs = list(invocations(m.evaluation()))
    ips = [i for i in invs if i.name == "ip"]
    assert len(ips) == 1 and set(ips[0].netns.texts) == {"r1", "r2"}  # the loop joins both
    assert ips[0].span.line == 3 and ips[0].step.conditional
    check, add = [i for i in invs if i.name == "iptables"]
    assert add.command.guard.kind == "or" and m.commands[add.command.guard.tests[0]] is check.command
    assert "-C" in check.texts and "-A" in add.texts


def test_transparent_names():
    m = parse("do_or_die ip link set eth0 up\n")
    assert unwrap(m.commands[0], m)[0].name == "do_or_die"
    (inv,) = unwrap(m.commands[0], m, transparent=["do_or_die"])
    assert inv.texts == ["ip", "link", "set", "eth0", "up"] and inv.layers[0].kind == "transparent"
