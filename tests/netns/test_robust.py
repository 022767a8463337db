"""Odd and truncated commands never crash the simulation or a rule."""

from __future__ import annotations

import pytest

from cfglint.api import FileContext
from cfglint.registry import load_rules

from .conftest import script

SNIPPETS = [
    "",
    "ip\n",
    "ip -n\n",
    "ip -n blue\n",
    "ip link\nip link set\nip link add\nip link add type veth peer\nip link del\n",
    "ip addr add\nip a a dev\nip route add via\nip route add default via\n",
    "ip netns add\nip netns del\nip netns exec\nip netns exec blue\nip -all netns del\n",
    "iptables\niptables -t\niptables -A\niptables -A INPUT -i\niptables -j\niptables ! \n",
    "brctl\nbrctl addif\nbrctl addif br0\nbrctl delbr\n",
    "sysctl\nsysctl -w\nsysctl -w =\necho > /proc/sys/net/ipv4/ip_forward\n",
    "nft\nnft -f\nnft add rule\nnft 'add rule ip t c {'\n",
    "ovs-vsctl\novs-vsctl -- --\novs-vsctl add-port\n",
    "ln -s /proc/1/ns/net /var/run/netns/\nmount --bind\n",
    'ip link set "$(echo x)" netns "$$" name "$RANDOM"\n',
    "f() { f; }\nf\nip link set x up\n",
    "for i in 1 2; do ip link add v$i type veth peer name p$i; done\n",
    "ip link add veth0 type veth peer name veth1 netns 1\nip link set veth1 up\n",
    "ip 'link' 'set' 'dev'\nip l s d\nip a\nip r\nip n\nip netns s\n",
    "[ \\( -n x \\) -o \\( y \\) ]\nip link add v0 type dummy\n",
    "ip link add a$'\\t'b type dummy\nip link set 'a b' up\n",
    "ip -batch - <<EOF\nlink add x type dummy\nEOF\n",
    "cat <<EOF | ip netns exec blue sh\nip link set x up\nEOF\n",
]

RULES = [r for code, r in load_rules().items() if code.startswith("NET")]


@pytest.mark.parametrize("text", SNIPPETS)
def test_no_crash(text):
    m = script(text)
    m.analysis()
    ctx = FileContext(path="t.sh", kind="netns")
    for rule in RULES:
        list(rule().check(m, ctx))


from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from tests.conftest import fuzz_examples

WORDS = ["ip", "link", "l", "s", "set", "add", "a", "del", "addr", "route", "netns", "exec", "-n", "blue", "red",
         "veth0", "veth1", "type", "veth", "peer", "name", "netns", "up", "down", "master", "br0", "dev", "via",
         "10.0.0.1", "10.0.0.2/24", "default", "onlink", "iptables", "-t", "nat", "-A", "-I", "-D", "-C", "-F",
         "POSTROUTING", "FORWARD", "-o", "-i", "-j", "MASQUERADE", "-p", "tcp", "--dport", "80", "brctl", "addbr",
         "addif", "sysctl", "-w", "net.ipv4.ip_forward=1", "nft", "rule", "$X", '"$NS"', "$(x)", "||", "&&", ";",
         "true", "if", "then", "fi", "{", "}", "sudo", "nsenter", "--net=/run/netns/blue", "2>/dev/null", "lo", "1"]


@settings(max_examples=fuzz_examples(60), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(st.sampled_from(WORDS), min_size=1, max_size=12), min_size=1, max_size=8))
def test_random_commands_never_crash(lines):
    text = "\n".join(" ".join(words) for words in lines) + "\n"
    m = script(text)
    m.analysis()
    ctx = FileContext(path="t.sh", kind="netns")
    for rule in RULES:
        for d in rule().check(m, ctx):
            assert d.line >= 1
