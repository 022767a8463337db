"""The simulated network state: moves, deletions, namespaces, control flow, unknowns."""

from __future__ import annotations

from cfglint.netns.refs import Ref
from cfglint.netns.state import MAYBE, NO, ROOT, YES, NsRef

from .conftest import script


def lit(name: str) -> Ref:
    return Ref((("t", name),), name)


def ns(name: str) -> NsRef:
    return NsRef("name", lit(name))


def final(text: str, unit=None):
    a = script(text).analysis()
    return a, a.final[unit]


def presence(st, where, name):
    return st.presence(where, lit(name))[0]


def test_move_takes_the_interface_out_and_down():
    a, st = final("ip link add v0 up type veth peer name v1\nip link set v0 netns blue\n")
    assert presence(st, ROOT, "v0") == NO
    s = st.slot(ns("blue"), lit("v0"))
    assert s.present == YES and s.up == NO and s.kind == "veth" and s.moved_from is not None
    assert presence(st, ROOT, "v1") == YES


def test_veth_peer_created_in_another_namespace():
    _, st = final("ip netns add n1\nip link add va type veth peer vb netns n1\n")
    assert presence(st, ns("n1"), "vb") == YES
    assert presence(st, ns("n1"), "va") == NO  # n1 is fresh: only lo and what the script puts there
    assert presence(st, ns("n1"), "lo") == YES
    assert presence(st, ROOT, "vb") == MAYBE  # the root namespace may hold anything


def test_a_bare_word_that_prefixes_a_keyword_is_that_keyword():
    # iproute2 reads `ip link add a ...` as `address`: the device is not named "a"
    _, st = final("ip link add a type veth peer name b\n")
    assert (ROOT, lit("a")) not in st.slots


def test_deleting_a_namespace_deletes_its_veths_and_their_peers():
    _, st = final("ip netns add n1\nip link add va type veth peer vb netns n1\nip netns del n1\n")
    assert presence(st, ROOT, "va") == NO
    assert "veth peer" in st.slot(ROOT, lit("va")).gone.text
    assert st.rec(ns("n1")).exists == NO


def test_a_process_left_in_the_namespace_keeps_the_peer():
    _, st = final("ip netns add n1\nip link add va type veth peer vb netns n1\n"
                  "ip netns exec n1 dnsmasq\nip netns del n1\n")
    assert presence(st, ROOT, "va") == MAYBE


def test_branches_never_create_certainty():
    _, st = final('if [ -n "$X" ]; then ip link set eth1 netns blue; fi\n')
    assert presence(st, ROOT, "eth1") == MAYBE
    _, st = final('case "$1" in start) ip link add v0 type dummy ;; stop) ip link del v0 ;; esac\n')
    assert presence(st, ROOT, "v0") == MAYBE


def test_a_branch_sees_its_own_earlier_commands():
    a = script('if [ "$1" = go ]; then\n ip link set eth1 netns blue\n ip link set eth1 up\nfi\n').analysis()
    use = [u for u in a.uses if u.op.line == 3][0]
    assert use.presence == NO


def test_unknown_program_weakens_its_namespace():
    _, st = final("ip link add v0 type veth peer name v1\nip link set v1 netns blue\nweird-tool\n")
    assert presence(st, ROOT, "v1") == MAYBE
    _, st = final("ip link add v0 type veth peer name v1\nip link set v1 netns blue\n$HOOK\n")
    assert presence(st, ROOT, "v1") == MAYBE


def test_harmless_programs_change_nothing():
    _, st = final("ip link add v0 type veth peer name v1\nip link set v1 netns blue\necho done\nsleep 1\n")
    assert presence(st, ROOT, "v1") == NO


def test_rename_and_bridge_membership():
    _, st = final("ip link add br0 type bridge\nip link add t0 type dummy\nip link set t0 name up0\n"
                  "ip link set up0 master br0\n")
    assert presence(st, ROOT, "t0") == NO
    s = st.slot(ROOT, lit("up0"))
    assert s.master == lit("br0") and s.master_state == YES
    _, st = final("ip link add br0 type bridge\nip link set eth1 master br0\nip link del br0\n")
    assert st.slot(ROOT, lit("eth1")).master_state == NO


def test_wrappers_and_namespaces_of_commands():
    a = script('NS=blue\nn() { ip netns exec "$NS" "$@"; }\nn ip link set x up\nip -n red link set y up\n'
               "nsenter --net=/run/netns/green ip link set z up\nsudo ip netns exec gold ip link set w up\n").analysis()
    where = {u.name.shown: u.ns.short for u in a.uses}
    assert where == {"x": "blue", "y": "red", "z": "green", "w": "gold"}


def test_uncalled_functions_are_simulated_alone():
    a = script("setup() {\n ip link add v0 type veth peer name v1\n ip link set v1 netns blue\n"
               " ip link set v1 up\n}\n").analysis()
    assert "setup" in a.final
    assert [u.presence for u in a.uses if u.op.line == 4] == [NO]


def test_forwarding_per_namespace():
    _, st = final("sysctl -w net.ipv4.ip_forward=1\nip netns add r\n"
                  "ip netns exec r sh -c 'echo 1 > /proc/sys/net/ipv6/conf/all/forwarding'\n")
    assert st.rec(ROOT).fwd_of("ipv4") == YES
    assert st.rec(ns("r")).fwd_of("ipv6") == YES
    assert dict(st.rec(ns("r")).inherited_fwd).get("ipv4") == YES


def test_error_regions_weaken_everything():
    m = script("ip link add v0 type veth peer name v1\nip link set v1 netns blue\n"
               '[ \\( "$a" -lt 1 \\) -o \\( "$b" \\) ]\nip link set v1 up\n')
    a = m.analysis()
    assert m.error_regions
    assert [u.presence for u in a.uses if u.op.line == 4] == [MAYBE]


def test_iptables_rules_per_namespace_and_table():
    _, st = final("ip netns add r\n"
                  "ip netns exec r iptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE\n"
                  "ip netns exec r iptables -A FORWARD -i eth0 -j ACCEPT\n"
                  "ip netns exec r iptables -D FORWARD -i eth0 -j ACCEPT\n"
                  "iptables -A INPUT -i lo -j ACCEPT\n")
    r = ns("r")
    masq = (("jump", False, ("MASQUERADE",)), ("out", False, ("eth0",)))
    fwd = (("in", False, ("eth0",)), ("jump", False, ("ACCEPT",)))
    assert st.rule_state(r, "ipv4", "nat", "POSTROUTING", masq) == YES
    assert st.rule_state(r, "ipv4", "filter", "FORWARD", fwd) == NO  # deleted, and r is the script's own
    assert st.rule_state(ROOT, "ipv4", "filter", "FORWARD", fwd) == MAYBE  # the host may have anything
    assert st.rule_state(ROOT, "ipv4", "filter", "INPUT", (("in", False, ("lo",)), ("jump", False, ("ACCEPT",)))) == YES
