"""`check --fix` / `--diff`: certain autofixes, written atomically, masked diffs."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from cfglint.api import Diagnostic, Edit, Severity
from cfglint.cli import main
from cfglint.fixes import plan_file

NETNS = (
    "#!/bin/bash\n"
    "brctl addbr br-lxd\n"
    "brctl addif lxdbr0 veth-lxd\n"
    "sudo brctl delif br0 eth1\n"
    "ip netns exec blue brctl delbr br1\n"
    'brctl addif "$B" eth2\n'
    "sudo brctl stp br-lxd off\n"
)
NETNS_FIXED = (
    "#!/bin/bash\n"
    "ip link add name br-lxd type bridge\n"
    "ip link set veth-lxd master lxdbr0\n"
    "sudo ip link set eth1 nomaster\n"
    "ip netns exec blue ip link del br1\n"
    'brctl addif "$B" eth2\n'
    "sudo brctl stp br-lxd off\n"
)
HADOOP = (
    "# /etc/default/hadoop-hdfs-namenode\n"
    "HADOOP_PID_DIR=/var/run/hadoop-hdfs\n"
    "export HADOOP_LOG_DIR=/var/log/hadoop-hdfs\n"
    "HADOOP_IDENT_STRING=hdfs JSVC_HOME=/usr/lib/bigtop-utils\n"
)
HADOOP_FIXED = (
    "# /etc/default/hadoop-hdfs-namenode\n"
    "export HADOOP_PID_DIR=/var/run/hadoop-hdfs\n"
    "export HADOOP_LOG_DIR=/var/log/hadoop-hdfs\n"
    "HADOOP_IDENT_STRING=hdfs JSVC_HOME=/usr/lib/bigtop-utils\n"
)
CANARY = "CanaryPw-7f3e9a"
DAVMAIL = (
    "davmail.server=true\r\n"
    f"davmail.proxyPassword={CANARY}\r\n"
    "davmail.allowRemote=true # needed in Docker \xe9t\xe9\r\n"
    "davmail.enableKeepAlive=yes\r\n"
    "davmail.disableUpdateCheck=true  \r\n"
)
DAVMAIL_FIXED = (
    "davmail.server=true\r\n"
    f"davmail.proxyPassword={CANARY}\r\n"
    "# needed in Docker \xe9t\xe9\r\n"
    "davmail.allowRemote=true\r\n"
    "davmail.enableKeepAlive=yes\r\n"
    "davmail.disableUpdateCheck=true\r\n"
)
CLEAN = "davmail.server=true\ndavmail.allowRemote=false\n"


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["check", *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def tree(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "net").mkdir()
    (tmp_path / "net" / "bridges.sh").write_text(NETNS, encoding="utf-8")
    (tmp_path / "default").mkdir()
    (tmp_path / "default" / "hadoop-hdfs-namenode").write_text(HADOOP, encoding="utf-8")
    (tmp_path / "davmail").mkdir()
    (tmp_path / "davmail" / "davmail.properties").write_bytes(DAVMAIL.encode("latin-1"))
    (tmp_path / "clean").mkdir()
    (tmp_path / "clean" / "davmail.properties").write_text(CLEAN)
    return tmp_path


SELECT = ("--select", "NET011,HDP005,DAV012")


def codes(capsys, *paths: str) -> list[str]:
    _, out, _ = run(capsys, "--format", "json", "--no-cache", *SELECT, *paths)
    import json

    return [d["code"] for d in json.loads(out)["diagnostics"]] if out.strip().startswith("{") else out


@pytest.mark.parametrize("cache", [(), ("--no-cache",)])
def test_fix_applies_each_rule_and_the_findings_go(tree, capsys, cache):
    before = codes(capsys, ".")
    assert before.count("NET011") == 6 and before.count("HDP005") == 3 and before.count("DAV012") == 3
    code, out, err = run(capsys, "--fix", *cache, *SELECT, ".")
    assert "fixed 7 findings in 3 files" in err
    assert (tree / "net" / "bridges.sh").read_text() == NETNS_FIXED
    assert (tree / "default" / "hadoop-hdfs-namenode").read_text() == HADOOP_FIXED
    assert (tree / "davmail" / "davmail.properties").read_bytes() == DAVMAIL_FIXED.encode("latin-1")
    # What is reported is what remains (the fixed files were linted again).
    assert code == 1
    assert out.count("NET011") == 2 and out.count("HDP005") == 2 and out.count("DAV012") == 1
    after = codes(capsys, ".")
    assert sorted(after) == sorted(["NET011"] * 2 + ["HDP005"] * 2 + ["DAV012"])
    # Idempotent: a second run changes nothing.
    snap = {p: p.read_bytes() for p in tree.rglob("*") if p.is_file() and ".cfglint_cache" not in p.parts}
    code2, _, err2 = run(capsys, "--fix", *cache, *SELECT, ".")
    assert "fixed" not in err2
    assert {p: p.read_bytes() for p in snap} == snap


def test_diff_writes_nothing_and_masks_secrets(tree, capsys):
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in tree.rglob("*") if p.is_file()}
    code, out, err = run(capsys, "--diff", "--no-cache", *SELECT, ".")
    assert code == 1
    assert "--- a/davmail/davmail.properties" in out and "+++ b/davmail/davmail.properties" in out
    assert "+ip link set veth-lxd master lxdbr0" in out
    assert "+export HADOOP_PID_DIR=/var/run/hadoop-hdfs" in out
    assert "+# needed in Docker" in out
    assert CANARY not in out and CANARY not in err
    assert "davmail.proxyPassword=****" in out
    after = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in tree.rglob("*") if p.is_file()}
    assert after == before


def test_diff_exits_0_without_fixes(tree, capsys):
    code, out, _ = run(capsys, "--diff", "--no-cache", *SELECT, "clean")
    assert code == 0 and out == ""


def test_files_without_fixes_are_untouched_and_mode_kept(tree, capsys):
    clean = tree / "clean" / "davmail.properties"
    os.utime(clean, ns=(1_000_000_000, 1_000_000_000))
    script = tree / "net" / "bridges.sh"
    script.chmod(0o750)
    run(capsys, "--fix", "--no-cache", *SELECT, ".")
    assert clean.stat().st_mtime_ns == 1_000_000_000
    assert stat.S_IMODE(script.stat().st_mode) == 0o750
    assert script.read_text() == NETNS_FIXED
    assert not [p for p in tree.rglob("*.cfglint-fix")]


def test_exit_non_zero_on_fix(tree, capsys):
    (tree / "net" / "bridges.sh").write_text("#!/bin/bash\nbrctl addbr br0\n")
    code, _, _ = run(capsys, "--fix", "--no-cache", *SELECT, "net")
    assert code == 0  # nothing remains
    (tree / "net" / "bridges.sh").write_text("#!/bin/bash\nbrctl addbr br0\n")
    code, _, _ = run(capsys, "--fix", "--exit-non-zero-on-fix", "--no-cache", *SELECT, "net")
    assert code == 1
    assert (tree / "net" / "bridges.sh").read_text() == "#!/bin/bash\nip link add name br0 type bridge\n"
    code, _, _ = run(capsys, "--fix", "--exit-non-zero-on-fix", "--no-cache", *SELECT, "net")
    assert code == 0


def test_symlink_out_of_the_tree_is_not_followed(tmp_path, monkeypatch, capsys):
    outside = tmp_path / "outside"
    outside.mkdir()
    target = outside / "bridges.sh"
    target.write_text(NETNS)
    proj = tmp_path / "proj"
    proj.mkdir()
    (proj / "bridges.sh").symlink_to(target)
    monkeypatch.chdir(proj)
    code, out, err = run(capsys, "--fix", "--no-cache", *SELECT, "bridges.sh")
    assert target.read_text() == NETNS
    assert (proj / "bridges.sh").is_symlink()
    assert "outside the tree" in err


def test_symlink_inside_the_tree_writes_the_target(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "real.sh").write_text(NETNS)
    (tmp_path / "link.sh").symlink_to("real.sh")
    run(capsys, "--fix", "--no-cache", *SELECT, "link.sh")
    assert (tmp_path / "link.sh").is_symlink()
    assert (tmp_path / "real.sh").read_text() == NETNS_FIXED


def _diag(*edits: Edit) -> Diagnostic:
    return Diagnostic("NET011", "deprecated-brctl", Severity.INFO, "f", 1, 1, 1, 1, "m", fixes=edits)


def test_overlapping_fixes_apply_the_first_only(tmp_path):
    f = tmp_path / "f.sh"
    f.write_bytes(b"\xef\xbb\xbfabcdef\nxyz\n")
    a = _diag(Edit("f", 1, 2, 1, 4, "BC"))
    b = _diag(Edit("f", 1, 3, 1, 5, "--"))  # overlaps a: skipped
    c = _diag(Edit("f", 2, 1, 2, 1, "<"), Edit("f", 2, 4, 2, 4, ">"))
    dup = _diag(Edit("f", 1, 2, 1, 4, "BC"))  # the same edit twice: applied once
    p = plan_file("f", f, "netns", [a, b, c, dup])
    assert p.new == "\ufeffaBCdef\n<xyz>\n"
    assert p.skipped == [b]


def test_edits_outside_the_file_are_skipped(tmp_path):
    f = tmp_path / "f.sh"
    f.write_text("abc\n")
    p = plan_file("f", f, "netns", [_diag(Edit("f", 1, 2, 1, 9, "x")), _diag(Edit("f", 7, 1, 7, 1, "x"))])
    assert not p.changed and len(p.skipped) == 2


def test_the_precommit_fix_hook():
    text = (Path(__file__).resolve().parents[1] / ".pre-commit-hooks.yaml").read_text()
    hook = text.split("- id: cfglint-fix")[1]
    assert "entry: cfglint check --fix --exit-non-zero-on-fix --force-exclude" in hook
    assert "language: python" in hook and "types_or: [text]" in hook and "require_serial: true" in hook
