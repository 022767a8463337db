"""The real `pre-commit` runs this repository's hook in a throwaway git repository.

The hook repository is a fresh git repository holding a copy of this work tree's files (tracked and
untracked, as `git ls-files -co --exclude-standard` lists them: uncommitted work is tested too), at
a commit the consumer's `.pre-commit-config.yaml` pins with `rev:`. pre-commit clones it, builds its
own virtualenv and pip-installs cfglint into it, exactly as a user's machine would (this needs the
package index for cfglint's dependencies). The environment is built once per session, in a private
PRE_COMMIT_HOME.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
GIT_ENV = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@t"}

try:
    import pre_commit  # noqa: F401

    HAVE_PRE_COMMIT = True
except ImportError:  # pragma: no cover - the test extras install it
    HAVE_PRE_COMMIT = False

pytestmark = [
    pytest.mark.skipif(not HAVE_PRE_COMMIT, reason="pre-commit is not installed (pip install -e '.[test]')"),
    pytest.mark.skipif(shutil.which("git") is None, reason="needs git"),
]

BROKEN = (
    "davmail.server=true\n"
    "davmail.mode=ExchangeEWS\n"
    "davmail.url=https://mail.example.com/EWS/Exchange.asmx\n"
    "davmail.imapPort=1143\n"
    "davmail.allowRemote=true # LAN clients\n"
)
FIXED = (
    "davmail.server=true\n"
    "davmail.mode=ExchangeEWS\n"
    "davmail.url=https://mail.example.com/EWS/Exchange.asmx\n"
    "davmail.imapPort=1143\n"
    "davmail.bindAddress=127.0.0.1\n"
)


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PRE_COMMIT", "VIRTUAL_ENV"))}
    env.update(GIT_ENV)
    env["PRE_COMMIT_HOME"] = str(home)
    env["PRE_COMMIT_COLOR"] = "never"
    env.pop("GITHUB_STEP_SUMMARY", None)
    return env


def _git(cwd: Path, env: dict, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True, text=True).stdout


def _pre_commit(cwd: Path, env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=600
    )


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory):
    """(hook repo path, commit, env) with the hook's environment already installed."""
    base = tmp_path_factory.mktemp("pre-commit")
    env = _env(base / "home")
    src = base / "cfglint-hook-repo"
    listed = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=REPO, capture_output=True, check=True
    ).stdout.decode().split("\0")
    for f in filter(None, listed):
        if f.startswith("tests/") and not f.startswith("tests/__init__"):
            continue  # the hook needs the package, not the test suite
        if (REPO / f).is_file():
            (src / f).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / f, src / f)
    _git(src, env, "init", "-q")
    _git(src, env, "add", "-A")
    _git(src, env, "commit", "-qm", "cfglint under test")
    sha = _git(src, env, "rev-parse", "HEAD").strip()
    primer = _consumer(base / "primer", src, sha, env)
    r = _pre_commit(primer, env, "install-hooks")
    if r.returncode != 0:
        pytest.fail(f"pre-commit could not install the hook:\n{r.stdout[-3000:]}\n{r.stderr[-3000:]}")
    return src, sha, env


def _consumer(path: Path, src: Path, sha: str, env: dict) -> Path:
    path.mkdir(parents=True)
    _git(path, env, "init", "-q")
    (path / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {src}\n    rev: {sha}\n    hooks:\n      - id: cfglint\n"
    )
    _git(path, env, "add", ".pre-commit-config.yaml")
    return path


@pytest.fixture
def consumer(hook_repo, tmp_path):
    src, sha, env = hook_repo
    return _consumer(tmp_path / "consumer", src, sha, env), env


def test_broken_davmail_file_fails_the_hook(consumer):
    repo, env = consumer
    (repo / "gateway").mkdir()
    (repo / "gateway" / "davmail.properties").write_text(BROKEN)
    _git(repo, env, "add", "gateway/davmail.properties")
    r = _pre_commit(repo, env, "run")  # the staged files, as on `git commit`
    assert r.returncode == 1, r.stdout + r.stderr
    assert "cfglint" in r.stdout and "Failed" in r.stdout
    assert "gateway/davmail.properties:5:1: DAV001 [error]" in r.stdout


def test_clean_tree_passes(consumer):
    repo, env = consumer
    (repo / "gateway").mkdir()
    (repo / "gateway" / "davmail.properties").write_text(FIXED)
    (repo / "README.txt").write_text("gateway configuration\n")
    _git(repo, env, "add", "-A")
    r = _pre_commit(repo, env, "run", "--all-files")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "Passed" in r.stdout


def test_unknown_text_file_passes(consumer):
    repo, env = consumer
    (repo / "notes.txt").write_text("a text file cfglint does not know\n")
    _git(repo, env, "add", "notes.txt")
    r = _pre_commit(repo, env, "run", "--files", "notes.txt")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "Passed" in r.stdout
