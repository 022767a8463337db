"""Every file of ../shared/corpus/hadoop and ../shared/corpus/netns parses without an exception,
with every span inside the file; the error regions per file are recorded here so a regression
(or an improvement) shows."""

from __future__ import annotations

from cfglint.shell import evaluate, invocations, parse_shell, unwrap

from .spans import check_model

# file -> lines of each error region (tree-sitter-bash failure modes, see netns-scripts.md 3.2)
EXPECTED_REGIONS = {
    # escaped parentheses inside [ ] (tree-sitter-bash#269): only the test is skipped
    # (171-175: the same over continuation lines)
    "weave--weave.sh": [(171, 175), (858, 858), (1270, 1270)],
    # extglob in an array: `NPROC=( /sys/devices/system/cpu/cpu+([0-9]) ); NPROC=${#NPROC[@]}`
    "wireguard-compat--src_tests_netns.sh": [(30, 30)],
    # `[ "$t" "$file" ]` (operator from a variable): only the test is skipped
    "xen--tools_hotplug_Linux_xen-network-common.sh": [(57, 57)],
}


def _check(files):
    seen = {}
    for p in files:
        data = p.read_bytes()
        m = parse_shell(data, p.name)
        check_model(m, data)
        seen[p.name] = [(r.line, r.last_line) for r in m.error_regions]
        assert len(m.problems) == len(m.error_regions)
        # the rest of the API runs on every file
        ev = m.evaluation()
        list(invocations(ev))
        for c in m.commands:
            unwrap(c, m)
        evaluate(m, env={})
    return seen


def test_netns_corpus(shell_corpus):
    files = shell_corpus("netns")
    seen = _check(files)
    assert {k: v for k, v in seen.items() if v} == EXPECTED_REGIONS


def test_hadoop_corpus(shell_corpus):
    files = shell_corpus("hadoop")
    seen = _check(files)
    assert {k: v for k, v in seen.items() if v} == {}


def test_corpus_facts(shell_corpus):
    """A few facts of the corpus the format rules will rely on."""
    by = {p.name: p for p in shell_corpus("netns") + shell_corpus("hadoop")}
    # wireguard's n0/ip0 wrappers: `n0 ip link ...` runs in $netns0
    m = parse_shell(by["wireguard-compat--src_tests_netns.sh"].read_bytes(), "wg")
    invs = [i for i in invocations(m.evaluation()) if i.name == "ip" and i.netns is not None]
    assert any(i.netns.prefix == "wg-test-" for i in invs)
    # the 2.7.3 template line: a self-reference, empty under a cleared environment
    m = parse_shell(by["hadoop-2.7.3--yiyang3860--hadoop-env.sh"].read_bytes(), "h")
    assert "JAVA_HOME" in m.assignments_to("JAVA_HOME")[0].word.refs or m.value("JAVA_HOME").is_known
    # Bigtop /etc/default files: plain assignments, nothing in a branch
    m = parse_shell(by["bigtop-HEAD--hdfs.default"].read_bytes(), "d")
    assert m.assignments and not any(a.conditional for a in m.assignments)
