"""JSON Lines: one object per finding, the json format's diagnostic keys, one line each."""

from __future__ import annotations

import json

from cfglint.api import Diagnostic, Severity
from cfglint.reporters import ReportOptions
from cfglint.reporters.jsonlines import JsonLinesReporter
from cfglint.runner import FileOutcome, RunResult

from .conftest import lint


def test_same_objects_as_json(tree, capsys):
    _c, full, _ = lint(capsys, "check", "--format", "json")
    code, out, _ = lint(capsys, "check", "--format", "json-lines")
    assert code == 1
    rows = [json.loads(line) for line in out.splitlines()]
    assert rows == json.loads(full)["diagnostics"]
    assert len(rows) == 2


def test_clean_is_empty(tree, capsys):
    code, out, _ = lint(capsys, "check", "ok", "--format", "json-lines")
    assert code == 0 and out == ""


def test_one_line_per_finding_whatever_splits_lines():
    msg = "a\nb\u2028c\u2029d\x85e\x1cf"
    d = Diagnostic("DAV011", "unknown-key", Severity.WARNING, "p", 1, 1, 1, 1, msg)
    res = RunResult(diagnostics=[d, d], suppressed=[], files=[FileOutcome("p", "davmail", True)], internal_error=False)
    out = JsonLinesReporter().render(res, ReportOptions(version="0"))
    assert len(out.splitlines()) == 2  # str.splitlines splits on \u2028, \x85, \x1c...
    assert json.loads(out.splitlines()[0])["message"] == msg
