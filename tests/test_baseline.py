"""Baselines: create, check, update, prune; keyed by structure (never by line); stale entries; never
a secret in the file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cfglint.api import Diagnostic, Severity
from cfglint.baseline import SCHEMA, Baseline, create
from cfglint.cli import main
from cfglint.registry import load_rules
from cfglint.secrets import Masker

BROKEN = (
    "davmail.server=true\n"
    "davmail.imapPort=1143\n"
    "davmail.allowRemote=true # LAN clients\n"
    "davmail.imapPrt=1\n"
)
CANARY = "Canary-Secret-7f3a9"


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def repo(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "etc").mkdir()
    (tmp_path / "etc" / "davmail.properties").write_text(BROKEN)
    return tmp_path


def entries(path: Path = Path(".cfglint-baseline.json")) -> list[dict]:
    doc = json.loads(path.read_text())
    assert doc["schema"] == SCHEMA
    return doc["entries"]


def codes(out: str) -> list[str]:
    return [d["code"] for d in json.loads(out)["diagnostics"]]


def test_create_then_check_is_clean(repo, capsys):
    code, out, _ = run(capsys, "baseline", "create")
    assert code == 0 and "3 findings accepted" in out
    got = entries()
    assert {(e["code"], e["path"], e.get("anchor")) for e in got} == {
        ("DAV001", "etc/davmail.properties", "davmail.allowRemote"),
        ("DAV012", "etc/davmail.properties", "davmail.allowRemote"),
        ("DAV011", "etc/davmail.properties", "davmail.imapPrt"),
    }
    assert all("line" not in e for e in got), "never keyed by line"
    code, out, err = run(capsys, "check", "--baseline", ".cfglint-baseline.json", "--format", "json")
    assert code == 0 and codes(out) == []
    assert json.loads(out)["summary"]["baseline"] == {"file": ".cfglint-baseline.json", "hidden": 3, "stale": []}
    assert "3 findings accepted by the baseline" in err


def test_survives_edits_elsewhere_and_reports_only_new(repo, capsys):
    run(capsys, "baseline", "create")
    p = repo / "etc" / "davmail.properties"
    p.write_text("# header\ndavmail.logFilePath=/tmp/x.log\n\n" + p.read_text() + "davmail.popPrt=2\n")
    code, out, _ = run(capsys, "check", "--baseline", ".cfglint-baseline.json", "--format", "json")
    assert code == 1
    new = json.loads(out)["diagnostics"]
    assert [(d["code"], d["line"]) for d in new] == [("DAV011", 8)]
    assert "popPrt" in new[0]["message"]


def test_occurrence_counts(repo, capsys):
    p = repo / "etc" / "davmail.properties"
    p.write_text("davmail.imapPrt=1\n")
    run(capsys, "baseline", "create")
    # the same key twice more: one accepted, two new (the first in source order is the known one)
    p.write_text("davmail.imapPrt=1\ndavmail.imapPrt=2\ndavmail.imapPrt=3\n")
    code, out, _ = run(capsys, "check", "--baseline", ".cfglint-baseline.json", "--format", "json", "--select", "DAV011")
    assert code == 1 and [d["line"] for d in json.loads(out)["diagnostics"]] == [2, 3]


def test_stale_entries_reported_then_pruned(repo, capsys):
    run(capsys, "baseline", "create")
    p = repo / "etc" / "davmail.properties"
    p.write_text(BROKEN.replace("davmail.imapPrt=1\n", ""))  # DAV011 fixed
    code, out, err = run(capsys, "check", "--baseline", ".cfglint-baseline.json", "--format", "json")
    assert code == 0
    stale = json.loads(out)["summary"]["baseline"]["stale"]
    assert stale == [{"code": "DAV011", "path": "etc/davmail.properties", "anchor": "davmail.imapPrt", "count": 1}]
    assert "1 stale entries" in err and "cfglint baseline prune" in err and "DAV011 etc/davmail.properties" in err
    assert run(capsys, "check", "--baseline", ".cfglint-baseline.json", "--strict-baseline")[0] == 1
    code, out, _ = run(capsys, "baseline", "prune")
    assert code == 0 and "1 fixed findings dropped" in out
    assert {e["code"] for e in entries()} == {"DAV001", "DAV012"}
    code, _out, err = run(capsys, "check", "--baseline", ".cfglint-baseline.json", "--strict-baseline")
    assert code == 0 and "stale" not in err


def test_rules_not_run_and_files_not_linted_are_not_stale(repo, capsys):
    (repo / "other").mkdir()
    (repo / "other" / "davmail.properties").write_text("davmail.popPrt=1\n")
    run(capsys, "baseline", "create")
    # a narrower run: another rule selection, another path
    code, out, _ = run(capsys, "check", "etc", "--select", "DAV001", "--baseline", ".cfglint-baseline.json", "--format", "json")
    assert code == 0 and json.loads(out)["summary"]["baseline"]["stale"] == []
    run(capsys, "baseline", "prune", "etc", "--select", "DAV001")
    assert len(entries()) == 4, "prune leaves alone what it did not look at"


def test_deleted_file_entries_are_stale(repo, capsys):
    run(capsys, "baseline", "create")
    (repo / "etc" / "davmail.properties").unlink()
    (repo / "etc" / "davmail.properties.bak").write_text("")
    _code, out, _ = run(capsys, "check", "--baseline", ".cfglint-baseline.json", "--format", "json")
    assert len(json.loads(out)["summary"]["baseline"]["stale"]) == 3
    run(capsys, "baseline", "prune")
    assert entries() == []


def test_update_adds_new_findings(repo, capsys):
    run(capsys, "baseline", "create")
    p = repo / "etc" / "davmail.properties"
    p.write_text(p.read_text() + "davmail.popPrt=2\n")
    code, out, _ = run(capsys, "baseline", "update")
    assert code == 0 and "1 new findings accepted" in out
    assert len(entries()) == 4
    assert run(capsys, "check", "--baseline", ".cfglint-baseline.json")[0] == 0


def test_custom_file_and_relative_paths(repo, capsys, monkeypatch):
    (repo / "ci").mkdir()
    run(capsys, "baseline", "create", "--baseline-file", "ci/accepted.json")
    # paths are relative to the baseline file's directory
    assert {e["path"] for e in entries(repo / "ci" / "accepted.json")} == {"../etc/davmail.properties"}
    monkeypatch.chdir(repo / "etc")
    code, _out, _err = run(capsys, "check", ".", "--baseline", "../ci/accepted.json")
    assert code == 0


def test_missing_or_bad_baseline_is_a_usage_error(repo, capsys):
    code, _out, err = run(capsys, "check", "--baseline", "nope.json")
    assert code == 2 and "baseline file not found" in err
    Path("bad.json").write_text('{"entries": []}')
    code, _out, err = run(capsys, "check", "--baseline", "bad.json")
    assert code == 2 and "not a cfglint baseline" in err
    assert run(capsys, "baseline", "update", "--baseline-file", "nope.json")[0] == 2


def test_unsuppressible_findings_are_never_baselined(repo, capsys):
    (repo / "bin").mkdir()
    (repo / "bin" / "davmail.properties").write_bytes(b"davmail.server=true\x00\x01")
    run(capsys, "baseline", "create")
    assert "CFG002" not in {e["code"] for e in entries()}
    code, out, _ = run(capsys, "check", "--baseline", ".cfglint-baseline.json", "--format", "json")
    assert code == 1 and codes(out) == ["CFG002"]


def test_no_secret_in_the_baseline(repo, capsys):
    (repo / "etc" / "davmail.properties").write_text(
        "davmail.server=true\n"
        "davmail.allowRemote=true\n"
        "davmail.imapPort=1143\n"
        "davmail.ssl.keystoreFile=/etc/davmail/keystore.p12\n"
        "davmail.ssl.keystoreType=PKCS12 \n"
        f"davmail.ssl.keystorePass={CANARY}\n"
        f"davmail.ssl.keystorePass={CANARY}2\n"
        f"davmail.{CANARY}=x\n"
    )
    code, out, err = run(capsys, "baseline", "create")
    assert code == 0 and CANARY not in out + err
    text = Path(".cfglint-baseline.json").read_text()
    assert entries() and CANARY not in text
    _c, out, err = run(capsys, "check", "--baseline", ".cfglint-baseline.json", "--format", "json")
    assert CANARY not in out + err


def test_every_stored_string_goes_through_the_masker(tmp_path):
    # Even if a rule put a secret into an anchor, the file would not hold it.
    rules = load_rules()
    d = Diagnostic("DAV011", "unknown-key", Severity.WARNING, str(tmp_path / "x.properties"), 1, 1, 1, 2,
                   f"key {CANARY}", anchor=f"davmail.{CANARY}")
    b = create(tmp_path / ".cfglint-baseline.json", [d], rules)
    text = b.dumps(Masker([CANARY]).text, "0")
    assert CANARY not in text and "davmail.****" in text
    assert Baseline  # the loader round-trips what dumps writes
    (tmp_path / ".cfglint-baseline.json").write_text(b.dumps(lambda s: s, "0"))
    assert Baseline.load(tmp_path / ".cfglint-baseline.json").entries == b.entries


def test_message_fallback_ignores_numbers_and_line_references():
    from cfglint.fingerprints import normalise_message

    assert normalise_message("value '' (line 11) is ignored; port 1143") == normalise_message(
        "value '' (line 14) is ignored; port 2143"
    )
    assert normalise_message("set 2 times, lines 3, 7 and 9") == "set # times, line"
