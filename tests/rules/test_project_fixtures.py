"""One runner for every cross-file fixture: tests/fixtures/rules/<CODE>/{bad,good}_<case>/.

A case is a directory of 2+ config files (and optionally a `cfglint.toml` with rule options, found by
the engine's usual config discovery). cfglint's engine runs on the directory with only the rule under
test selected (`cfglint check DIR --select CODE --format json --no-cache`). `bad_*` cases must produce
exactly the findings of their `expected.yml`, compared as a multiset of (code, path, line) with the
related locations (path, line) of each; `good_*` cases must produce nothing. Paths are relative to the
case directory (posix).

    - {code: ASA001, path: site-a.cfg, line: 33, related: [{path: site-b.cfg, line: 29}]}
"""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path

import pytest
import yaml

from cfglint.api import FileRule
from cfglint.cli import main
from cfglint.registry import load_rules

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "rules"
RULES = load_rules()


def _cases():
    for rule_dir in sorted(p for p in FIXTURES.iterdir() if p.is_dir()):
        for case in sorted(rule_dir.iterdir()):
            if case.is_dir() and case.name.startswith(("bad_", "good_")):
                yield pytest.param(rule_dir.name, case, id=f"{rule_dir.name}/{case.name}")


CASES = list(_cases())


def run_project_rule(code: str, case: Path, capsys: pytest.CaptureFixture[str]) -> list[dict]:
    """The findings of one rule on one case directory, through the CLI and its JSON output."""
    capsys.readouterr()
    rc = main(["check", str(case), "--select", code, "--format", "json", "--no-cache"])
    out = capsys.readouterr().out
    assert rc in (0, 1), f"cfglint exited {rc}"
    doc = json.loads(out)
    return doc["diagnostics"]


def _rel(path: str, case: Path) -> str:
    return Path(os.path.relpath(os.path.abspath(path), case.resolve())).as_posix()


def findings_key(diags: list[dict], case: Path) -> Counter:
    return Counter(
        (
            d["code"],
            _rel(d["path"], case),
            d["line"],
            tuple(sorted((_rel(r["path"], case), r["line"]) for r in d.get("related", []))),
        )
        for d in diags
    )


def expected_key(case: Path) -> Counter:
    items = yaml.safe_load((case / "expected.yml").read_text()) or []
    return Counter(
        (
            e["code"],
            e["path"],
            e["line"],
            tuple(sorted((r["path"], r["line"]) for r in e.get("related", []) or [])),
        )
        for e in items
    )


def test_cases_exist():
    assert CASES, "no cross-file fixture directories"


@pytest.mark.parametrize(("code", "case"), CASES)
def test_project_fixture(code: str, case: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert code in RULES, f"fixture directory for unknown rule {code}"
    assert not issubclass(RULES[code], FileRule), f"{code} is a per-file rule: use files, not directories"
    configs = [p for p in case.rglob("*") if p.is_file() and p.name not in ("expected.yml", "cfglint.toml")]
    assert len(configs) >= 2, f"{case.name}: a cross-file case needs at least 2 files"
    diags = run_project_rule(code, case, capsys)
    assert all(d["code"] == code for d in diags), [d["code"] for d in diags]
    got = findings_key(diags, case)
    shown = "\n".join(f"  {_rel(d['path'], case)}:{d['line']} [{d['severity']}] {d['message']}" for d in diags)
    if case.name.startswith("good_"):
        assert not (case / "expected.yml").exists(), f"{case.name}: a good case has no expected.yml"
        assert not got, f"rule fired on a good case:\n{shown}"
    else:
        want = expected_key(case)
        assert want, f"{case.name}: a bad case needs an expected.yml"
        assert got == want, f"\nwant {sorted(want.elements())}\ngot  {sorted(got.elements())}\n{shown}"
