"""One runner for every rule fixture: tests/fixtures/rules/<CODE>/{bad,good}_*.

Only the rule under test runs. `bad_*` files must produce exactly the annotated (code, line)
multiset; `good_*` files must produce nothing.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from cfglint.api import FileContext, FileRule
from cfglint.parsers import parser_for
from cfglint.registry import load_rules

from .annotations import expected_findings

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "rules"
RULES = load_rules()


def _cases():
    for rule_dir in sorted(p for p in FIXTURES.iterdir() if p.is_dir()):
        for f in sorted(rule_dir.iterdir()):
            if f.is_file() and f.name.startswith(("bad_", "good_")):
                yield pytest.param(rule_dir.name, f, id=f"{rule_dir.name}/{f.name}")


def run_file_rule(code: str, path: Path, options: dict | None = None):
    rule_cls = RULES[code]
    assert issubclass(rule_cls, FileRule), f"{code} is not a per-file rule"
    kind = rule_cls.kinds[0]
    model = parser_for(kind)(path.read_bytes(), str(path))
    ctx = FileContext(path=str(path), kind=kind, options=options or {})
    return list(rule_cls().check(model, ctx))


@pytest.mark.parametrize(("code", "path"), list(_cases()))
def test_fixture(code: str, path: Path) -> None:
    assert code in RULES, f"fixture directory for unknown rule {code}"
    diags = run_file_rule(code, path)
    got = Counter((d.code, d.line) for d in diags)
    text = path.read_bytes().decode("latin-1")
    if path.name.startswith("good_"):
        assert not got, f"rule fired on a good fixture: {[(d.line, d.message) for d in diags]}"
    else:
        want = expected_findings(text)
        assert want, f"{path.name}: a bad fixture needs # expect: annotations"
        assert got == want, f"\nwant {sorted(want.items())}\ngot  {sorted(got.items())}\n" + "\n".join(
            f"  {d.line}:{d.column} {d.message}" for d in diags
        )
        for d in diags:
            assert d.path == str(path)
            assert d.line >= 1 and d.column >= 1
