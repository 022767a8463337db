"""The README's rule table is generated from the registry, and its test command is what CI runs."""

from __future__ import annotations

import re
from pathlib import Path

from cfglint.cli import rules_markdown
from cfglint.registry import load_rules

REPO = Path(__file__).resolve().parents[1]


def test_rule_table_in_sync():
    readme = (REPO / "README.md").read_text()
    m = re.search(r"<!-- rules:start -->\n(.*?)<!-- rules:end -->", readme, re.S)
    assert m, "README lacks the rules markers"
    assert m.group(1) == rules_markdown(load_rules().values()), "run: cfglint rules --format markdown"


def test_ci_runs_the_readme_test_command():
    readme = (REPO / "README.md").read_text()
    ci = (REPO / ".ci" / "run").read_text()
    cmd = "python3 -m venv .venv && .venv/bin/pip install -q -e '.[test]' && .venv/bin/python -m pytest -q"
    assert cmd in readme.split("## What it finds")[0]
    assert cmd in ci
