"""Docs as tests: each per-file rule's `## Example` must fire, its `## Use instead` must not."""

from __future__ import annotations

import pytest

from cfglint.api import FileContext, FileRule
from cfglint.parsers import parser_for
from cfglint.registry import load_rules

RULES = {c: r for c, r in load_rules().items() if issubclass(r, FileRule)}


def _run(rule, text: str):
    kind = rule.kinds[0]
    # Docs are text as typed in an editor: UTF-8 bytes (a .properties parser reads them as Latin-1).
    model = parser_for(kind)(text.encode("utf-8"), "example")
    return [d for d in rule().check(model, FileContext(path="example", kind=kind)) if d.code == rule.code]


@pytest.mark.parametrize("code", list(RULES))
def test_example_fires(code):
    rule = RULES[code]
    assert _run(rule, rule.doc_code_block("Example")), f"{code}: the doc's Example does not fire"


@pytest.mark.parametrize("code", list(RULES))
def test_use_instead_is_clean(code):
    rule = RULES[code]
    assert not _run(rule, rule.doc_code_block("Use instead")), f"{code}: the doc's Use instead fires"
