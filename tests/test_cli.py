"""End to end through the CLI: exit codes, JSON shape, text format, suppressions, masking, config."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from cfglint import __version__
from cfglint.cli import main

BROKEN = (
    "davmail.server=true\n"
    "davmail.mode=ExchangeEWS\n"
    "davmail.url=https://mail.example.com/EWS/Exchange.asmx\n"
    "davmail.imapPort=1143\n"
    "davmail.allowRemote=true # LAN clients\n"
)
CLEAN = (
    "davmail.server=true\n"
    "davmail.mode=ExchangeEWS\n"
    "davmail.url=https://mail.example.com/EWS/Exchange.asmx\n"
    "davmail.imapPort=1143\n"
    "davmail.bindAddress=127.0.0.1\n"
)


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def tree(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "broken").mkdir()
    (tmp_path / "broken" / "davmail.properties").write_text(BROKEN)
    (tmp_path / "ok").mkdir()
    (tmp_path / "ok" / "davmail.properties").write_text(CLEAN)
    (tmp_path / "notes.txt").write_text("nothing to see\n")
    return tmp_path


def test_version(capsys):
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"cfglint {__version__}"


def test_clean_tree_exits_0(tree, capsys):
    code, out, _ = run(capsys, "check", "ok")
    assert code == 0
    assert "All clean: 1 file linted." in out


def test_findings_exit_1_and_text_format(tree, capsys):
    code, out, _ = run(capsys, "check", "--color", "never")
    assert code == 1
    first = out.splitlines()[0]
    assert first.startswith("broken/davmail.properties:5:")
    assert " DAV001 [error] " in out
    # source line and caret
    assert "5 | davmail.allowRemote=true # LAN clients" in out
    assert "^" in out
    # related location of DAV001 points at the server line
    assert "related: broken/davmail.properties:1:1" in out
    assert "\x1b[" not in out  # no colour when not a terminal


def test_exit_zero_and_fail_on(tree, capsys):
    assert run(capsys, "check", "--exit-zero")[0] == 0
    # only warnings+infos above threshold 'error'? DAV001 is an error: still fails
    assert run(capsys, "check", "--fail-on", "error")[0] == 1
    code, out, _ = run(capsys, "check", "--select", "DAV012", "--fail-on", "error")
    assert "DAV012" in out and code == 0


def test_usage_errors_exit_2(tree, capsys):
    assert run(capsys, "check", "does-not-exist")[0] == 2
    assert run(capsys, "check", "--format", "nope")[0] == 2
    assert run(capsys, "check", "--select", "NOPE999")[0] == 2
    assert run(capsys, "rule", "XYZ999")[0] == 2
    assert run(capsys, "--bogus")[0] == 2
    assert run(capsys)[0] == 2


def test_json_shape(tree, capsys):
    code, out, _ = run(capsys, "check", "--format", "json")
    assert code == 1
    doc = json.loads(out)
    assert set(doc) == {"version", "diagnostics", "summary"}
    assert doc["version"] == __version__
    keys = {"code", "name", "severity", "path", "line", "column", "end_line", "end_column", "message", "related"}
    for d in doc["diagnostics"]:
        assert set(d) == keys
        for r in d["related"]:
            assert set(r) == {"path", "line", "message"}
    order = [(d["path"], d["line"], d["code"]) for d in doc["diagnostics"]]
    assert order == sorted(order)
    assert all(not d["path"].startswith("/") for d in doc["diagnostics"])  # relative to cwd
    assert doc["summary"]["findings"] == len(doc["diagnostics"])
    assert doc["summary"]["files"] == 2


def test_output_file(tree, capsys):
    code, out, _ = run(capsys, "check", "--format", "json", "-o", "report/out.json")
    assert code == 1 and out == ""
    assert json.loads((tree / "report" / "out.json").read_text())["diagnostics"]


def test_deterministic(tree, capsys):
    a = run(capsys, "check", "--format", "json")[1]
    b = run(capsys, "check", "--format", "json", "ok", "broken")[1]
    assert a == b


def test_select_ignore_by_code_prefix_and_name(tree, capsys):
    code, out, _ = run(capsys, "check", "--ignore", "remote-clients-refused,DAV012", "--format", "json")
    codes = {d["code"] for d in json.loads(out)["diagnostics"]}
    assert "DAV001" not in codes and "DAV012" not in codes
    code, out, _ = run(capsys, "check", "--select", "DAV00", "--format", "json")
    codes = {d["code"] for d in json.loads(out)["diagnostics"]}
    assert codes == {"DAV001"}


def test_statistics(tree, capsys):
    _, out, _ = run(capsys, "check", "--statistics", "--color", "never")
    assert any(line.split()[1:2] == ["DAV001"] for line in out.splitlines() if line.strip()[:1].isdigit())


def test_suppression_with_reason(tree, capsys):
    p = tree / "broken" / "davmail.properties"
    p.write_text(
        "davmail.server=true\n"
        "davmail.imapPort=1143\n"
        "# cfglint: ignore[DAV001, boolean-reads-false] -- LAN access is off on purpose\n"
        "davmail.allowRemote=true # LAN clients\n"
    )
    code, out, _ = run(capsys, "check", "broken", "--format", "json")
    doc = json.loads(out)
    assert doc["diagnostics"] == [] and code == 0
    assert doc["summary"]["suppressed"] == 2
    # audit mode
    code, out, _ = run(capsys, "check", "broken", "--format", "json", "--no-inline-suppressions")
    assert {d["code"] for d in json.loads(out)["diagnostics"]} >= {"DAV001"}


def test_suppression_hygiene(tree, capsys):
    p = tree / "broken" / "davmail.properties"
    p.write_text(
        "# cfglint: ignore[DAV009]\n"
        "davmail.imapPort=1143\n"
        "# cfglint: ignore[DAV999] -- typo\n"
        "davmail.popPort=1110\n"
        "# cfglint: ignore DAV001\n"
        "davmail.smtpPort=1025\n"
        "# cfglint: file-ignore[DAV006] -- none here\n"
    )
    _, out, _ = run(capsys, "check", "broken", "--format", "json")
    got = sorted((d["code"], d["line"]) for d in json.loads(out)["diagnostics"])
    assert got == [("CFG100", 1), ("CFG100", 7), ("CFG101", 3), ("CFG102", 5), ("CFG104", 1)]


def test_file_wide_suppression(tree, capsys):
    p = tree / "broken" / "davmail.properties"
    p.write_text("# cfglint: file-ignore[DAV001, DAV012] -- lab box\n" + BROKEN)
    code, out, _ = run(capsys, "check", "broken", "--format", "json")
    assert json.loads(out)["diagnostics"] == [] and code == 0


def test_secrets_never_printed(tree, capsys):
    canary = "Canary-Secret-7f3a9"
    (tree / "broken" / "davmail.properties").write_text(
        "davmail.server=true\n"
        "davmail.allowRemote=true\n"
        "davmail.imapPort=1143\n"
        "davmail.ssl.keystoreFile=/etc/davmail/keystore.p12\n"
        "davmail.ssl.keystoreType=PKCS12 \n"
        f"davmail.ssl.keystorePass={canary}\n"
        "davmail.ssl.keyPass=\n"
        f"davmail.proxyPassword={canary}2\n"
        f"davmail.ssl.keystorePass={canary}3\n"
    )
    for fmt in ("text", "concise", "json"):
        code, out, err = run(capsys, "check", "broken", "--format", fmt, "--statistics")
        assert code == 1
        assert canary not in out and canary not in err, fmt
    # even with the source snippet of a line that holds the secret
    _, out, _ = run(capsys, "check", "broken", "--select", "DAV013", "--color", "never")
    assert "DAV013" in out and "****" in out and canary not in out


def test_unreadable_and_binary_are_reported(tree, capsys):
    (tree / "bin").mkdir()
    (tree / "bin" / "davmail.properties").write_bytes(b"davmail.server=true\x00\x01\x02")
    code, out, _ = run(capsys, "check", "bin", "ok", "--format", "json")
    doc = json.loads(out)
    assert code == 1
    assert [(d["code"], d["path"]) for d in doc["diagnostics"]] == [("CFG002", "bin/davmail.properties")]


def test_rule_crash_is_reported_and_exits_2(tree, capsys, monkeypatch):
    from cfglint.registry import load_rules

    rule = load_rules()["DAV006"]

    def boom(self, model, ctx):
        raise KeyError("boom")

    monkeypatch.setattr(rule, "check", boom)
    code, out, _ = run(capsys, "check", "--format", "json")
    doc = json.loads(out)
    crashes = [d for d in doc["diagnostics"] if d["code"] == "CFG005"]
    assert crashes and "DAV006" in crashes[0]["message"]
    assert any(d["code"] == "DAV001" for d in doc["diagnostics"])  # the other rules still ran
    assert code == 2


def test_config_file_and_config_command(tree, capsys):
    (tree / "pyproject.toml").write_text('[tool.cfglint]\nignore = ["DAV012"]\n[tool.cfglint.severity]\nDAV001 = "warning"\n')
    _, out, _ = run(capsys, "check", "--format", "json")
    diags = json.loads(out)["diagnostics"]
    assert not any(d["code"] == "DAV012" for d in diags)
    assert [d["severity"] for d in diags if d["code"] == "DAV001"] == ["warning"]
    code, out, _ = run(capsys, "config")
    assert code == 0 and "pyproject.toml" in out and "DAV012" in out
    (tree / "cfglint.toml").write_text("bogus-key = 1\n")
    assert run(capsys, "check")[0] == 2


def test_per_file_ignores(tree, capsys):
    (tree / "cfglint.toml").write_text('[per-file-ignores]\n"broken/*" = ["DAV"]\n')
    code, out, _ = run(capsys, "check", "--format", "json")
    assert json.loads(out)["diagnostics"] == [] and code == 0


def test_files_command_lists_kinds(tree, capsys):
    (tree / "fw1.txt").write_text(": Saved\nASA Version 9.8(4)\nhostname fw1\n")
    code, out, _ = run(capsys, "files")
    assert code == 0
    lines = out.splitlines()
    assert any(line.split() == ["broken/davmail.properties", "davmail"] for line in lines)
    assert any(line.split() == ["fw1.txt", "asa"] for line in lines)
    assert not any("notes.txt" in line for line in lines)
    _, out2, _ = run(capsys, "check", "--show-files")
    assert out2 == out


def test_rules_and_rule_commands(capsys):
    code, out, _ = run(capsys, "rules")
    assert code == 0 and "DAV001" in out and "remote-clients-refused" in out and "CFG001" in out
    code, out, _ = run(capsys, "rule", "DAV001")
    assert code == 0 and "## What it does" in out and "Severity: error" in out
    code, out, _ = run(capsys, "rule", "remote-clients-refused", "--format", "json")
    assert json.loads(out)["code"] == "DAV001"


def test_unknown_files_are_skipped_silently(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "README.md").write_text("# hi\n")
    code, out, _ = run(capsys, "check", "README.md")
    assert code == 0 and "0 files linted" in out


def test_python_m_and_console_script(tree):
    r = subprocess.run([sys.executable, "-m", "cfglint", "check", "--format", "json"], capture_output=True, text=True)
    assert r.returncode == 1, r.stderr
    assert json.loads(r.stdout)["diagnostics"]
    assert "Traceback" not in r.stderr
    exe = Path(sys.executable).parent / "cfglint"
    if exe.exists():
        r2 = subprocess.run([str(exe), "--version"], capture_output=True, text=True)
        assert r2.stdout.strip() == f"cfglint {__version__}"


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read anything")
def test_unreadable_file(tree, capsys):
    p = tree / "broken" / "davmail.properties"
    p.chmod(0)
    code, out, _ = run(capsys, "check", "broken", "--format", "json")
    assert [d["code"] for d in json.loads(out)["diagnostics"]] == ["CFG001"] and code == 1


def test_vanished_file_is_reported(tree, capsys, monkeypatch):
    from cfglint import runner

    real = Path.read_bytes

    def vanish(self):
        if self.name == "davmail.properties" and self.parent.name == "broken":
            raise FileNotFoundError(2, "No such file or directory")
        return real(self)

    monkeypatch.setattr(runner.Path, "read_bytes", vanish)
    code, out, _ = run(capsys, "check", "--format", "json")
    diags = json.loads(out)["diagnostics"]
    assert [(d["code"], d["path"]) for d in diags] == [("CFG001", "broken/davmail.properties")]
    assert "No such file" in diags[0]["message"]


def test_rule_chosen_severity_is_kept_unless_overridden(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    # DAV017 reports O365Manual in server mode at warning level (its default is error)
    (tmp_path / "davmail.properties").write_text(
        "davmail.server=true\ndavmail.mode=O365EWS\ndavmail.authentication=O365Manual\n"
    )
    _, out, _ = run(capsys, "check", "--select", "DAV017", "--format", "json")
    assert [d["severity"] for d in json.loads(out)["diagnostics"]] == ["warning"]
    _, out, _ = run(capsys, "check", "--select", "DAV017", "--format", "json", "--config", 'severity.DAV017 = "info"')
    assert [d["severity"] for d in json.loads(out)["diagnostics"]] == ["info"]


def test_kinds_table_maps_globs(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "gw.conf").write_text("# no davmail. key sniffable? yes, but force it anyway\nfoo=bar\n")
    (tmp_path / "skip").mkdir()
    (tmp_path / "skip" / "davmail.properties").write_text(BROKEN)
    (tmp_path / "cfglint.toml").write_text('[kinds]\n"gw.conf" = "davmail"\n"skip/*" = "ignore"\n')
    _, out, _ = run(capsys, "files")
    assert out.split() == ["gw.conf", "davmail"]
    (tmp_path / "cfglint.toml").write_text('[kinds]\n"gw.conf" = "davmial"\n')
    code, _, err = run(capsys, "check")
    assert code == 2 and "davmial" in err


def test_output_file_mode_follows_umask_or_existing_file(tree, capsys):
    old = os.umask(0o022)
    try:
        run(capsys, "check", "--format", "json", "-o", "r.json")
        assert (tree / "r.json").stat().st_mode & 0o777 == 0o644
        (tree / "r.json").chmod(0o640)
        run(capsys, "check", "--format", "json", "-o", "r.json")
        assert (tree / "r.json").stat().st_mode & 0o777 == 0o640
    finally:
        os.umask(old)
