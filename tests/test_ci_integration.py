"""CI integration: --diff-base, `cfglint suppressions`, the cross-file index for explicit files
(pre-commit), the composite GitHub Action, the pre-commit hook definitions, and the README."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

import cfglint.api as api
from cfglint.api import Diagnostic, ProjectIndex, ProjectRule, Related, Severity
from cfglint.cli import main
from cfglint.models.davmail import DavmailProperties
from cfglint.registry import load_rules

REPO = Path(__file__).resolve().parents[1]
needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
GIT_ENV = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@t"}


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def git(cwd: Path, *args: str) -> str:
    env = {**os.environ, **GIT_ENV}
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True, env=env).stdout


def found(out: str) -> list[tuple[str, str, int]]:
    return [(d["code"], d["path"], d["line"]) for d in json.loads(out)["diagnostics"]]


# --------------------------------------------------------------------------------------------------
# --diff-base


@pytest.fixture
def gitrepo(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    git(tmp_path, "init", "-q", "-b", "main")
    (tmp_path / "etc").mkdir()
    (tmp_path / "etc" / "davmail.properties").write_text("davmail.imapPrt=1\ndavmail.popPrt=2\n")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-qm", "base")
    return tmp_path


@needs_git
def test_diff_base_reports_only_new_findings(gitrepo, capsys):
    p = gitrepo / "etc" / "davmail.properties"
    p.write_text("# moved down by a comment\ndavmail.imapPrt=1\ndavmail.popPrt=2\ndavmail.smtpPrt=3\n")
    before = git(gitrepo, "status", "--porcelain")
    code, out, err = run(capsys, "check", "--diff-base", "HEAD", "--format", "json")
    assert code == 1
    assert found(out) == [("DAV011", "etc/davmail.properties", 4)]
    assert "2 findings already present at HEAD" in err
    assert json.loads(out)["summary"]["diff_base"] == {"ref": "HEAD", "existing": 2}
    assert git(gitrepo, "status", "--porcelain") == before, "the work tree and index are never touched"
    assert p.read_text().startswith("# moved down")


@needs_git
def test_diff_base_new_file_and_fixed_findings(gitrepo, capsys):
    (gitrepo / "new").mkdir()
    (gitrepo / "new" / "davmail.properties").write_text("davmail.imapPrt=1\n")  # untracked: all new
    (gitrepo / "etc" / "davmail.properties").write_text("davmail.imapPort=1143\n")  # both fixed
    code, out, _ = run(capsys, "check", "--diff-base", "main", "--format", "json")
    assert code == 1 and found(out) == [("DAV011", "new/davmail.properties", 1)]


@needs_git
def test_diff_base_from_a_subdirectory(gitrepo, capsys, monkeypatch):
    (gitrepo / "etc" / "davmail.properties").write_text("davmail.imapPrt=1\ndavmail.popPrt=2\ndavmail.x=1\n")
    monkeypatch.chdir(gitrepo / "etc")
    code, out, _ = run(capsys, "check", ".", "--diff-base", "HEAD", "--format", "json")
    assert code == 1 and found(out) == [("DAV011", "davmail.properties", 3)]


@needs_git
def test_diff_base_errors(gitrepo, capsys, tmp_path_factory, monkeypatch):
    code, _o, err = run(capsys, "check", "--diff-base", "no-such-branch")
    assert code == 2 and "unknown revision 'no-such-branch'" in err
    code, _o, err = run(capsys, "check", "--diff-base", "--output=x")
    assert code == 2
    outside = tmp_path_factory.mktemp("plain")
    monkeypatch.chdir(outside)
    (outside / "davmail.properties").write_text("davmail.imapPrt=1\n")
    inside = subprocess.run(["git", "rev-parse", "--is-inside-work-tree"], cwd=outside, capture_output=True)
    if inside.returncode == 0:
        pytest.skip("the temporary directory lies inside a git work tree")
    code, _o, err = run(capsys, "check", "--diff-base", "HEAD")
    assert code == 2 and "needs a git repository" in err


@needs_git
def test_diff_base_keeps_parse_errors(gitrepo, capsys):
    # unsuppressible engine findings (here a binary file) are never hidden as "already there"
    (gitrepo / "bin").mkdir()
    (gitrepo / "bin" / "davmail.properties").write_bytes(b"davmail.server=true\x00")
    git(gitrepo, "add", ".")
    git(gitrepo, "commit", "-qm", "binary")
    code, out, _ = run(capsys, "check", "--diff-base", "HEAD", "--format", "json")
    assert code == 1 and [c for c, _p, _l in found(out)] == ["CFG002"]


# --------------------------------------------------------------------------------------------------
# cfglint suppressions


@pytest.fixture
def suppressed_tree(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "davmail.properties").write_text(
        "# cfglint: ignore[DAV011] -- site key, read by our wrapper\n"
        "davmail.siteKey=1\n"
        "# cfglint: ignore[unknown-key]\n"
        "davmail.imapPort=1143\n"
        "# cfglint: file-ignore[DAV009] -- CAP_NET_BIND_SERVICE\n"
        "davmail.popPort=110\n"
    )
    return tmp_path


def test_suppressions_listing_text(suppressed_tree, capsys):
    code, out, _ = run(capsys, "suppressions")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == (
        "a/davmail.properties:1: ignore[DAV011] -> line 2: suppressed DAV011 x1 -- site key, read by our wrapper"
    )
    assert lines[1] == "a/davmail.properties:3: ignore[unknown-key] -> line 4: suppressed nothing -- (no reason)"
    assert lines[2] == "a/davmail.properties:5: file-ignore[DAV009] -> whole file: suppressed DAV009 x1 -- CAP_NET_BIND_SERVICE"
    assert lines[3] == "3 suppressions in 1 files; 1 suppressed nothing; 1 give no reason."


def test_suppressions_listing_json(suppressed_tree, capsys):
    code, out, _ = run(capsys, "suppressions", "--format", "json")
    rows = json.loads(out)
    assert code == 0 and len(rows) == 3
    assert rows[0] == {
        "path": "a/davmail.properties", "line": 1, "kind": "ignore", "codes": ["DAV011"], "written": ["DAV011"],
        "reason": "site key, read by our wrapper", "target_line": 2, "used": True, "suppressed": {"DAV011": 1},
    }
    assert rows[1]["codes"] == ["DAV011"] and rows[1]["written"] == ["unknown-key"] and rows[1]["used"] is False
    assert rows[2]["kind"] == "file-ignore" and rows[2]["target_line"] is None


# --------------------------------------------------------------------------------------------------
# pre-commit: explicit files get the whole project as cross-file index


@pytest.fixture
def pair_rule() -> Iterator[type[ProjectRule]]:
    class SharedImapPort(ProjectRule):
        """Two DavMail gateways of the project listen on the same IMAP port.

        ## What it does
        A throwaway cross-file rule for the tests.
        """

        code = "TST901"
        name = "test-shared-imap-port"
        severity = Severity.ERROR
        kinds = ("davmail",)
        model_types = (DavmailProperties,)

        def check(self, index: ProjectIndex, ctx) -> Iterator[Diagnostic]:
            models = index.of_type(DavmailProperties)
            for a in models:
                for b in models:
                    pa, pb = a.setting("davmail.imapPort"), b.setting("davmail.imapPort")
                    if a.path < b.path and pa.present and pb.present and pa.raw == pb.raw:
                        yield self.diagnostic(
                            pb.span, f"IMAP port {pb.raw} is also used by {a.path}",
                            related=[Related(pa.span, "the other gateway")], anchor="davmail.imapPort",
                        )

    load_rules.cache_clear()
    try:
        yield SharedImapPort
    finally:
        api._REGISTRY.pop("TST901", None)
        load_rules.cache_clear()


@pytest.fixture
def sites(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    git(tmp_path, "init", "-q")
    for site in ("site-a", "site-b"):
        (tmp_path / site).mkdir()
    (tmp_path / "site-a" / "davmail.properties").write_text("davmail.imapPort=1143\n")
    # site B also has a per-file finding of its own (DAV011)
    (tmp_path / "site-b" / "davmail.properties").write_text("davmail.imapPort=1143\ndavmail.popPrt=1\n")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "notes.txt").write_text("not a config\n")
    return tmp_path


@needs_git
def test_staging_one_site_still_reports_the_cross_file_finding(pair_rule, sites, capsys):
    # the finding's primary location is in site B; its related location is in site A
    code, out, _ = run(capsys, "check", "site-a/davmail.properties", "--format", "json")
    assert code == 1
    doc = json.loads(out)
    assert found(out) == [("TST901", "site-b/davmail.properties", 1)]
    assert doc["diagnostics"][0]["related"][0]["path"] == "site-a/davmail.properties"
    assert doc["summary"]["files"] == 1, "only the given file counts as linted"
    # site B's own per-file finding is not reported: only the given files' are
    code, out, _ = run(capsys, "check", "site-b/davmail.properties", "--format", "json")
    assert sorted(found(out)) == [("DAV011", "site-b/davmail.properties", 2), ("TST901", "site-b/davmail.properties", 1)]


@needs_git
def test_no_project_index_and_directories(pair_rule, sites, capsys):
    code, out, _ = run(capsys, "check", "site-a/davmail.properties", "--no-project-index", "--format", "json")
    assert code == 0 and found(out) == []
    # a directory is not "explicit files": its own contents are the index
    code, out, _ = run(capsys, "check", "site-a", "--format", "json")
    assert code == 0 and found(out) == []
    code, out, _ = run(capsys, "check", ".", "--format", "json")
    assert {c for c, _p, _l in found(out)} == {"TST901", "DAV011"}


@needs_git
def test_project_root_is_the_config_directory(pair_rule, sites, capsys, monkeypatch):
    # with a config file in site-a/, the project is site-a/: site B is not read
    (sites / "site-a" / "cfglint.toml").write_text('fail-on = "info"\n')
    code, out, _ = run(capsys, "check", "site-a/davmail.properties", "--format", "json")
    assert code == 0 and found(out) == []


def test_unknown_text_file_alone_is_clean(pair_rule, sites, capsys):
    code, out, _ = run(capsys, "check", "docs/notes.txt")
    assert code == 0


def test_throwaway_rule_is_gone_afterwards():
    assert "TST901" not in load_rules()


# --------------------------------------------------------------------------------------------------
# The composite GitHub Action


def action() -> dict:
    return yaml.safe_load((REPO / "action.yml").read_text())


def test_action_structure():
    a = action()
    assert a["name"] and a["description"]
    assert a["runs"]["using"] == "composite"
    inputs = a["inputs"]
    assert {"version", "args", "src", "sarif", "category", "only-changed"} <= set(inputs)
    for name, spec in inputs.items():
        assert spec.get("description"), name
        assert "default" in spec, name
    assert inputs["sarif"]["default"] == "false" and inputs["only-changed"]["default"] == "false"
    steps = a["runs"]["steps"]
    upload = [s for s in steps if str(s.get("uses", "")).startswith("github/codeql-action/upload-sarif@")]
    assert len(upload) == 1
    assert upload[0]["with"]["category"] == "${{ inputs.category }}"
    assert "inputs.sarif == 'true'" in upload[0]["if"]
    for s in steps:
        if "run" in s:
            assert s.get("shell") == "bash", s.get("name")
            # inputs reach scripts through env only: no `${{ }}` expression inside a script
            assert "${{" not in s["run"], f"script injection risk in step {s.get('name')!r}"
    runner = next(s for s in steps if s.get("id") == "run")
    assert "--format github" in runner["run"] and "sarif=" in runner["run"] and "--diff-base" in runner["run"]
    assert steps.index(upload[0]) < steps.index(next(s for s in steps if s.get("name") == "Fail on findings"))
    assert set(a["outputs"]) == {"exit-code", "sarif-file"}


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_action_run_script_works(tmp_path):
    """The `Run cfglint` step's script, run by bash as the runner would run it."""
    runner = next(s for s in action()["runs"]["steps"] if s.get("id") == "run")
    temp = tmp_path / "runner-temp"
    (temp / "cfglint-venv" / "bin").mkdir(parents=True)
    exe = shutil.which("cfglint") or str(Path(os.sys.executable).parent / "cfglint")
    (temp / "cfglint-venv" / "bin" / "cfglint").symlink_to(exe)
    work = tmp_path / "work"
    (work / "etc").mkdir(parents=True)
    (work / "etc" / "davmail.properties").write_text("davmail.imapPrt=1\n")
    out_file, summary = tmp_path / "github_output", tmp_path / "summary.md"
    env = {
        **os.environ, "RUNNER_TEMP": str(temp), "GITHUB_OUTPUT": str(out_file), "GITHUB_STEP_SUMMARY": str(summary),
        "INPUT_ARGS": "--fail-on warning", "INPUT_SRC": "etc", "INPUT_SARIF": "true", "INPUT_ONLY_CHANGED": "false",
        "BASE_REF": "",
    }
    r = subprocess.run(["bash", "-e", "-c", runner["run"]], cwd=work, env=env, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert "::warning file=etc/davmail.properties,line=1," in r.stdout
    assert "etc/davmail.properties:1:1: DAV011 [warning]" in r.stdout  # the text report too
    outputs = dict(line.split("=", 1) for line in out_file.read_text().splitlines())
    assert outputs["exit-code"] == "1"
    sarif = json.loads(Path(outputs["sarif-file"]).read_text())
    assert sarif["runs"][0]["results"][0]["ruleId"] == "DAV011"
    assert "## cfglint" in summary.read_text()


# --------------------------------------------------------------------------------------------------
# pre-commit hook definitions, README


def test_pre_commit_hooks_yaml():
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    by_id = {h["id"]: h for h in hooks}
    h = by_id["cfglint"]
    assert h["entry"].startswith("cfglint check") and h["language"] == "python"
    assert h["types_or"] == ["text"] and h.get("require_serial") is True
    assert h.get("pass_filenames", True) is True


def test_readme_documents_each_format_and_integration():
    readme = (REPO / "README.md").read_text()
    for fmt in ("sarif", "github", "junit", "gitlab", "json-lines"):
        assert f"`{fmt}`" in readme, fmt
    for heading in ("## Output formats", "## Baseline", "## CI integration", "### GitHub Actions", "### GitLab CI", "### pre-commit"):
        assert heading in readme, heading
    assert "github/codeql-action/upload-sarif" in readme or "sarif: true" in readme
    assert "codequality:" in readme
    assert "cfglint baseline create" in readme and "--diff-base" in readme


def test_staging_one_site_of_the_asymmetric_pair_still_reports_asa001(capsys, monkeypatch):
    """pre-commit passes only the staged file; the cross-file index comes from the whole project,
    so staging either site of examples/asa-vpn-asymmetric/broken reports ASA001."""
    import json
    from pathlib import Path

    from cfglint.cli import main

    repo = Path(__file__).resolve().parents[1]
    monkeypatch.chdir(repo)
    for staged in ("site-a.cfg", "site-b.cfg"):
        code = main(["check", f"examples/asa-vpn-asymmetric/broken/{staged}", "--format", "json", "--no-cache"])
        doc = json.loads(capsys.readouterr().out)
        found = [(d["code"], d["path"]) for d in doc["diagnostics"]]
        assert ("ASA001", "examples/asa-vpn-asymmetric/broken/site-a.cfg") in found, staged
        assert code == 1
