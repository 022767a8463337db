"""Several outputs in one run: --output FORMAT=FILE (repeatable) beside the stdout format."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

from .conftest import lint


def test_several_outputs_one_run(tree, capsys):
    code, out, _ = lint(
        capsys, "check", "broken", "ok", "--format", "concise",
        "--output", "sarif=reports/cfglint.sarif", "--output", "junit=reports/report.xml",
        "--output", "gitlab=gl-code-quality.json", "--output", "json-lines=all.jsonl",
    )
    assert code == 1
    assert "DAV001 [error]" in out  # stdout keeps its own format
    sarif = json.loads((tree / "reports" / "cfglint.sarif").read_text())
    assert len(sarif["runs"][0]["results"]) == 2
    assert ET.parse(tree / "reports" / "report.xml").getroot().get("failures") == "2"
    assert len(json.loads((tree / "gl-code-quality.json").read_text())) == 2
    assert len((tree / "all.jsonl").read_text().splitlines()) == 2
    # written atomically: no temporary file left beside them
    assert sorted(p.name for p in (tree / "reports").iterdir()) == ["cfglint.sarif", "report.xml"]


def test_output_to_stdout_too(tree, capsys):
    code, out, _ = lint(capsys, "check", "broken", "--format", "concise", "--output", "github=-")
    lines = out.splitlines()
    assert lines[0].startswith("broken/davmail.properties:5:1: DAV001")
    assert any(line.startswith("::error file=broken/davmail.properties") for line in lines)


def test_bad_output_spec_is_a_usage_error(tree, capsys):
    code, _out, err = lint(capsys, "check", "--output", "sarif")
    assert code == 2 and "FORMAT=FILE" in err
    code, _out, err = lint(capsys, "check", "--output", "xml=x.xml")
    assert code == 2 and "unknown format 'xml'" in err
    assert not (tree / "x.xml").exists()


def test_exit_code_unchanged_by_outputs(tree, capsys):
    code, _o, _e = lint(capsys, "check", "ok", "--output", "sarif=o.sarif")
    assert code == 0 and json.loads((tree / "o.sarif").read_text())["runs"][0]["results"] == []


def test_every_format_masks_secrets(tree, capsys):
    from .conftest import CANARY

    (tree / "broken" / "davmail.properties").write_text(
        "davmail.server=true\n"
        "davmail.allowRemote=true\n"
        "davmail.imapPort=1143\n"
        "davmail.ssl.keystoreFile=/etc/davmail/keystore.p12\n"
        "davmail.ssl.keystoreType=PKCS12 \n"
        f"davmail.ssl.keystorePass={CANARY}\n"
        "davmail.ssl.keyPass=\n"
        f"davmail.proxyPassword={CANARY}2\n"
        f"davmail.ssl.keystorePass={CANARY}3\n"
    )
    for fmt in ("sarif", "github", "junit", "gitlab", "json-lines"):
        code, out, err = lint(capsys, "check", "broken", "--format", fmt, "--sarif-include-suppressed")
        assert code == 1, fmt
        assert CANARY not in out and CANARY not in err, fmt
