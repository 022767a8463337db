"""The wheel installs one import package, `cfglint` (rules and grammars inside it), and nothing else
at the top level of site-packages."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_wheel_layout(tmp_path):
    src = tmp_path / "src"
    # build from a clean export of the tracked tree, never from the work tree's build leftovers
    files = subprocess.run(["git", "ls-files", "-co", "--exclude-standard"], cwd=REPO, capture_output=True, text=True, check=True).stdout.split()
    for f in files:
        if not (REPO / f).is_file():
            continue
        (src / f).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / f, src / f)
    r = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path / "dist"), str(src)],
        capture_output=True, text=True,
    )
    # A failed build is a packaging bug (for example a package listed in pyproject that does not
    # exist), never a reason to skip.
    assert r.returncode == 0, r.stderr[-2000:]
    wheel = next((tmp_path / "dist").glob("cfglint-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    top = {n.split("/", 1)[0] for n in names}
    assert {t for t in top if not t.endswith(".dist-info")} == {"cfglint"}
    assert "cfglint/rules/davmail/dav001_remote_clients_refused.py" in names
    assert "cfglint/rules/engine/cfg001_unreadable_file.py" in names
    # every module of the engine, the rules and the grammars is in the wheel (no package forgotten
    # in pyproject's explicit package list)
    for f in files:
        for prefix, pkg in (("linter/", "cfglint/"), ("rules/", "cfglint/rules/"), ("grammars/", "cfglint/grammars/")):
            if f.startswith(prefix) and f.endswith((".py", ".lark")):
                assert pkg + f[len(prefix):] in names, f"{f} is missing from the wheel"
    entry = [n for n in names if n.endswith("entry_points.txt")]
    assert entry and "cfglint = cfglint.cli:main" in zipfile.ZipFile(wheel).read(entry[0]).decode()
