"""Every rule: unique code and name, file name matching its code, a complete doc, fixtures."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest

from cfglint.api import DOC_SECTIONS, EngineRule, FileRule, ProjectRule, Severity
from cfglint.registry import load_rules

RULES = load_rules()
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "rules"
FAMILY_PREFIX = {"davmail": "DAV", "engine": "CFG", "asa": "ASA", "hadoop": "HDP", "netns": "NET"}


def test_registry_is_not_empty_and_unique():
    assert "CFG001" in RULES
    names = [r.name for r in RULES.values()]
    assert len(names) == len(set(names))


@pytest.mark.parametrize("code", list(RULES))
def test_module_name_and_family(code):
    rule = RULES[code]
    module = inspect.getmodule(rule)
    parts = module.__name__.split(".")
    assert parts[:2] == ["cfglint", "rules"], module.__name__
    family, mod = parts[2], parts[3]
    assert code.startswith(FAMILY_PREFIX[family]), (code, family)
    assert mod == f"{code.lower()}_{rule.name.replace('-', '_')}", mod
    assert isinstance(rule.severity, Severity)
    assert issubclass(rule, (FileRule, ProjectRule, EngineRule))


@pytest.mark.parametrize("code", list(RULES))
def test_doc_sections_in_order(code):
    doc = RULES[code].doc()
    assert RULES[code].summary(), "first doc line is the summary"
    positions = [doc.find(s) for s in DOC_SECTIONS]
    assert all(p >= 0 for p in positions), f"{code}: missing sections {[s for s, p in zip(DOC_SECTIONS, positions) if p < 0]}"
    assert positions == sorted(positions), f"{code}: sections out of order"
    assert RULES[code].doc_code_block("Example") is not None
    assert RULES[code].doc_code_block("Use instead") is not None


@pytest.mark.parametrize("code", [c for c, r in RULES.items() if issubclass(r, (FileRule, ProjectRule))])
def test_every_rule_has_bad_and_good_fixtures(code):
    d = FIXTURES / code
    assert d.is_dir(), f"no fixtures for {code}"
    names = [p.name for p in d.iterdir()]
    assert any(n.startswith("bad_") for n in names), f"{code}: no bad_ fixture"
    assert any(n.startswith("good_") for n in names), f"{code}: no good_ fixture"
