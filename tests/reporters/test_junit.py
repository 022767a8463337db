"""JUnit XML: a suite per file, a failing case per finding, a passing case per clean file; valid XML
whatever the config text holds."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from cfglint.api import Diagnostic, Severity
from cfglint.reporters import ReportOptions
from cfglint.reporters.junit import JunitReporter
from cfglint.runner import FileOutcome, RunResult

from .conftest import lint


def test_suites_cases_and_counts(tree, capsys):
    code, out, _ = lint(capsys, "check", "--format", "junit")
    assert code == 1
    root = ET.fromstring(out)
    assert root.tag == "testsuites"
    suites = {s.get("name"): s for s in root.findall("testsuite")}
    assert set(suites) == {"broken/davmail.properties", "ok/davmail.properties"}
    broken = suites["broken/davmail.properties"]
    cases = broken.findall("testcase")
    assert len(cases) == int(broken.get("tests")) == int(broken.get("failures")) == 2
    assert {c.find("failure").get("type") for c in cases} == {"DAV001 error", "DAV012 warning"}
    dav001 = next(c for c in cases if c.find("failure").get("type") == "DAV001 error")
    assert dav001.get("line") == "5" and dav001.get("file") == "broken/davmail.properties"
    assert "related: broken/davmail.properties:1:1: server mode is switched on here" in dav001.find("failure").text
    ok = suites["ok/davmail.properties"].findall("testcase")
    assert len(ok) == 1 and ok[0].find("failure") is None
    assert root.get("tests") == "3" and root.get("failures") == "2"


def test_clean_run_is_all_passing(tree, capsys):
    code, out, _ = lint(capsys, "check", "ok", "--format", "junit")
    root = ET.fromstring(out)
    assert code == 0 and root.get("failures") == "0" and root.get("tests") == "1"


def test_markup_and_control_characters_stay_valid_xml(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    msg = "value '<![CDATA[ ]]> & \"quoted\" \x1b[31m\x00\x7f' </failure><x>"
    d = Diagnostic("DAV011", "unknown-key", Severity.WARNING, "a&b<c>.properties", 1, 1, 1, 2, msg, fix_title="\x01fix")
    res = RunResult(diagnostics=[d], suppressed=[], files=[FileOutcome("a&b<c>.properties", "davmail", True)], internal_error=False)
    out = JunitReporter().render(res, ReportOptions(version="0"))
    root = ET.fromstring(out)  # parses: every value escaped, the forbidden characters replaced
    failure = root.find("testsuite/testcase/failure")
    assert root.find("testsuite").get("name") == "a&b<c>.properties"
    assert "</failure><x>" in failure.get("message") and "\x1b" not in failure.get("message")
    assert "\ufffd[31m" in failure.text
