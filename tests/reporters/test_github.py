"""GitHub workflow commands: shape, escaping (no injection), the 10-per-level cap with changed lines
first, and the step summary."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from cfglint.api import Diagnostic, Severity
from cfglint.reporters import ReportOptions
from cfglint.reporters.github import GithubReporter, annotation, escape_data, escape_property
from cfglint.runner import FileOutcome, RunResult

from .conftest import lint

COMMAND_STARTS = ("::error ", "::warning ", "::notice ", "::group::", "::endgroup::", "cfglint:")


def _d(line: int, sev: Severity = Severity.WARNING, path: str = "a.properties", message: str = "m", code: str = "DAV011"):
    return Diagnostic(code, "unknown-key", sev, path, line, 1, line, 5, message)


def _result(diags) -> RunResult:
    return RunResult(diagnostics=diags, suppressed=[], files=[FileOutcome("a.properties", "davmail", True)], internal_error=False)


def test_annotation_shape(tree, capsys):
    code, out, _ = lint(capsys, "check", "broken", "--format", "github")
    assert code == 1
    first = out.splitlines()[0]
    assert first.startswith(
        "::error file=broken/davmail.properties,line=5,col=1,endLine=5,endColumn=39,title=cfglint (DAV001)::"
    )
    assert "::warning file=broken/davmail.properties,line=5,col=21," in out  # DAV012 is a warning
    assert all(line.startswith(COMMAND_STARTS) for line in out.splitlines())


def test_info_is_a_notice():
    line = annotation(_d(3, Severity.INFO), "a.properties")
    assert line.startswith("::notice file=a.properties,line=3,col=1,endLine=3,endColumn=5,title=cfglint (DAV011)::")


def test_escaping_rules():
    assert escape_data("50% a\r\nb") == "50%25 a%0D%0Ab"
    assert escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"
    line = annotation(_d(1, message="x\n::add-mask::secret\r%"), "p::q,r\n::warning::boom")
    assert "\n" not in line and "\r" not in line
    assert line == (
        "::warning file=p%3A%3Aq%2Cr%0A%3A%3Awarning%3A%3Aboom,line=1,col=1,endLine=1,endColumn=5,"
        "title=cfglint (DAV011)::x%0A::add-mask::secret%0D%25"
    )


def test_path_with_newline_cannot_inject_a_command(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    evil = tmp_path / "site\n::error file=x::injected, 100%"
    evil.mkdir()
    (evil / "davmail.properties").write_text("davmail.imapPrt=1143\n")
    code, out, _ = lint(capsys, "check", ".", "--format", "github")
    assert code == 1
    lines = out.splitlines()
    assert all(line.startswith(COMMAND_STARTS) for line in lines), lines
    assert not any(line.startswith("::error file=x") for line in lines)
    assert "site%0A%3A%3Aerror file=x%3A%3Ainjected%2C 100%25/davmail.properties" in out


def test_cap_changed_lines_first_and_not_annotated_notice():
    warnings = [_d(n) for n in range(1, 16)]  # 15 warnings
    infos = [_d(100 + n, Severity.INFO) for n in range(12)]  # 12 notices
    errors = [_d(200, Severity.ERROR)]
    res = _result(warnings + infos + errors)
    opts = ReportOptions(version="0", changed_lines={"a.properties": {14, 15, 111}})
    out = GithubReporter().render(res, opts).splitlines()
    ann = [line for line in out if line.startswith(("::error ", "::warning ", "::notice file"))]
    warn = [line for line in ann if line.startswith("::warning ")]
    assert len(warn) == 10
    assert "line=14," in warn[0] and "line=15," in warn[1], "changed lines first"
    notices = [line for line in out if line.startswith("::notice ")]
    assert len(notices) == 10, "9 findings + the summary notice: GitHub keeps 10 notices per step"
    assert "line=111," in notices[0]
    summary = notices[-1]
    assert summary.startswith("::notice title=cfglint::")
    not_annotated = (15 - 10) + (12 - 9)
    assert f"{not_annotated} of 28 findings were not annotated" in summary
    # the rest are still in the log, as plain lines in a group
    group = out[out.index(next(line for line in out if line.startswith("::group::"))) + 1 : out.index("::endgroup::")]
    assert len(group) == not_annotated and all(line.startswith("cfglint: a.properties:") for line in group)


def test_no_notice_when_under_the_cap():
    out = GithubReporter().render(_result([_d(1), _d(2, Severity.INFO)]), ReportOptions(version="0"))
    assert "not annotated" not in out and "::group::" not in out


def test_step_summary_written_and_escaped(tree, capsys, monkeypatch):
    summary = tree / "summary.md"
    summary.write_text("previous step\n")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    lint(capsys, "check", "broken", "ok", "--format", "github")
    text = summary.read_text()
    assert text.startswith("previous step\n## cfglint\n"), "appended, never overwritten"
    assert "| error | 1 |" in text and "| warning | 1 |" in text
    assert "| DAV001 | remote-clients-refused | error | 1 |" in text
    assert "<code>broken/davmail.properties:5:1</code>" in text
    md = GithubReporter().step_summary(
        _result([_d(1, message="a | b <img src=x onerror=alert(1)> `c` [l](javascript:x)\nnext")]), ReportOptions(version="0")
    )
    row = next(line for line in md.splitlines() if "DAV011 | warning" in line)
    assert row.count("|") == 5 and "<img" not in row and "&lt;img" in row and "\\[l\\]" in row


def test_step_summary_only_when_set(tree, capsys):
    lint(capsys, "check", "broken", "--format", "github")
    assert not list(tree.glob("*.md"))


def test_clean_summary(tree, capsys, monkeypatch):
    summary = tree / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    code, _out, _ = lint(capsys, "check", "ok", "--format", "github")
    assert code == 0 and "All clean: 1 files linted." in summary.read_text()


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_pull_request_changed_lines_come_first(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    env = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@t"}
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    git = lambda *a: subprocess.run(["git", *a], check=True, capture_output=True)  # noqa: E731
    git("init", "-q", "-b", "main")
    p = tmp_path / "davmail.properties"
    p.write_text("".join(f"davmail.unknownKey{n}=1\n" for n in range(12)))
    git("add", ".")
    git("commit", "-qm", "base")
    git("update-ref", "refs/remotes/origin/main", "HEAD")
    p.write_text(p.read_text() + "davmail.brandNewTypo=1\n")
    monkeypatch.setenv("GITHUB_BASE_REF", "main")
    _code, out, _ = lint(capsys, "check", ".", "--format", "github")
    first = next(line for line in out.splitlines() if line.startswith("::warning "))
    assert "line=13," in first and "brandNewTypo" in first
