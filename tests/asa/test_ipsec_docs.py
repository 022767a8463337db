"""Docs as tests for the cross-device ASA rules: each `## Example` (several files, each introduced by a
`! file: NAME` comment line) must fire the rule, each `## Use instead` must not."""

from __future__ import annotations

import re

import pytest

from cfglint.api import ProjectContext, ProjectIndex, ProjectRule
from cfglint.registry import load_rules

from .conftest import parse

RULES = {c: r for c, r in load_rules().items() if c in ("ASA001", "ASA002", "ASA003", "ASA004", "ASA005")}


def split_files(block: str) -> dict[str, str]:
    files: dict[str, list[str]] = {}
    current = None
    for line in block.splitlines():
        m = re.match(r"^! file: (\S+)\s*$", line)
        if m:
            current = files.setdefault(m.group(1), [])
            continue
        assert current is not None, "a cross-file example starts with `! file: NAME`"
        current.append(line)
    return {name: "\n".join(lines) + "\n" for name, lines in files.items()}


def run(rule: type[ProjectRule], block: str):
    models = [parse(text, name) for name, text in split_files(block).items()]
    for m in models:
        assert not m.problems, [p.message for p in m.problems]
    return [d for d in rule().check(ProjectIndex(models), ProjectContext()) if d.code == rule.code]


def test_all_five_rules_are_cross_file():
    assert sorted(RULES) == ["ASA001", "ASA002", "ASA003", "ASA004", "ASA005"]
    assert all(issubclass(r, ProjectRule) for r in RULES.values())


@pytest.mark.parametrize("code", sorted(RULES))
def test_example_fires(code):
    rule = RULES[code]
    diags = run(rule, rule.doc_code_block("Example"))
    assert diags, f"{code}: the doc's Example does not fire"
    assert all(d.severity == rule.severity for d in diags)


@pytest.mark.parametrize("code", sorted(RULES))
def test_use_instead_is_clean(code):
    rule = RULES[code]
    assert not run(rule, rule.doc_code_block("Use instead")), f"{code}: the doc's Use instead fires"


def test_asa001_doc_shows_the_packet_tracer_symptom():
    why = RULES["ASA001"].doc_section("Why is this bad?")
    assert "packet-tracer" in why and "Subtype: encrypt" in why and "Result: DROP" in why
