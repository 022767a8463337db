"""Every corpus script parses and simulates without an error, every NET rule runs on it, and the
findings are exactly the ones reviewed by hand (listed below with the reason they are right)."""

from __future__ import annotations

from collections import Counter

from cfglint.api import FileContext
from cfglint.parsers.netns import parse_netns
from cfglint.registry import load_rules

# (file, line, code, severity) -> why it is a true finding
REVIEWED = {
    ("devstack--lib_neutron.sh", 819, "NET007", "warning"):
        "MASQUERADE appended for each default-route device on every run of stack.sh (no -C, no -D)",
    **{
        ("octavia--devstack_plugin.sh", n, "NET007", "warning"):
            "`sudo iptables -I INPUT -i o-hm0 ...` on every re-stack, never removed"
        for n in (432, 433, 434, 435, 437, 438, 439)
    },
}

def test_every_corpus_file_parses_and_every_rule_runs(netns_corpus):
    rules = [r for code, r in load_rules().items() if code.startswith("NET")]
    assert len(rules) >= 13
    found: list[tuple[str, int, str, str]] = []
    for path in netns_corpus:
        model = parse_netns(path.read_bytes(), str(path))
        assert not [p for p in model.problems if "internal error" in p.message], path.name
        assert model.analysis().ops, path.name
        ctx = FileContext(path=str(path), kind="netns")
        for rule in rules:
            for d in rule().check(model, ctx):
                assert d.path == str(path) and d.line >= 1
                found.append((path.name, d.line, d.code, d.severity.value))
    by = Counter((code, sev) for _, _, code, sev in found)
    # no error anywhere: these are working upstream scripts
    assert not [f for f in found if f[3] == "error"], found
    # the warnings are the reviewed ones
    assert {f for f in found if f[3] == "warning"} == set(REVIEWED)
    # infos: NET007 where the script removes the rule in its stop/cleanup path (lxc-net, anbox,
    # incus, octavia lvs-masquerade, xen colo-proxy), NET012 (opt-in) once for octavia's plugin
    assert {k for k in by if k[1] == "info"} <= {("NET007", "info"), ("NET012", "info")}
