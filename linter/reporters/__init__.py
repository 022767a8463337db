"""Reporters turn a finished RunResult into text. Pluggable: register a class in REPORTERS
(or through the `cfglint.reporters` entry-point group)."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from cfglint.runner import RunResult

# name -> "module:Class"
REPORTERS: dict[str, str] = {
    "text": "cfglint.reporters.text:TextReporter",
    "concise": "cfglint.reporters.text:ConciseReporter",
    "json": "cfglint.reporters.json:JsonReporter",
    "json-lines": "cfglint.reporters.jsonlines:JsonLinesReporter",
    "sarif": "cfglint.reporters.sarif:SarifReporter",
    "github": "cfglint.reporters.github:GithubReporter",
    "junit": "cfglint.reporters.junit:JunitReporter",
    "gitlab": "cfglint.reporters.gitlab:GitlabReporter",
    "html": "cfglint.reporters.html:HtmlReporter",
}


@dataclass
class ReportOptions:
    version: str
    color: bool = False
    statistics: bool = False
    quiet: bool = False
    show_source: bool = True
    # For the CI formats (sarif, github, gitlab, junit): the directory that paths are made relative
    # to; None: `find_root()` when given (the CLI gives the git top level, found when a format first
    # asks: the others do not start git), else the current directory. See `_ci.root_of`.
    root: Path | None = None
    find_root: Callable[[], Path] | None = None
    # sarif: also emit suppressed results, with their justification (--sarif-include-suppressed).
    include_suppressed: bool = False
    # (path, line, code) -> the reason of the inline suppression that silenced that finding.
    suppression_reasons: dict[tuple[str, int, str], str] = field(default_factory=dict)
    # Findings hidden by --baseline (sarif emits them as externally suppressed with the others).
    baseline_hidden: list = field(default_factory=list)
    # sarif: automationDetails.id category (default: by file family); github: changed lines first.
    category: str | None = None
    changed_lines: dict[str, set[int] | None] | None = None
    # Extra keys of the json summary (for example "baseline").
    summary_extra: dict = field(default_factory=dict)


class Reporter:
    name: str = ""
    machine: bool = False  # machine formats never get progress output or colour

    def render(self, result: RunResult, opts: ReportOptions) -> str:  # pragma: no cover
        raise NotImplementedError


def available() -> list[str]:
    names = set(REPORTERS)
    try:
        from importlib.metadata import entry_points

        names |= {ep.name for ep in entry_points(group="cfglint.reporters")}
    except Exception:
        pass
    return sorted(names)


def get_reporter(name: str) -> Reporter:
    target = REPORTERS.get(name)
    if target is None:
        from importlib.metadata import entry_points

        for ep in entry_points(group="cfglint.reporters"):
            if ep.name == name:
                return ep.load()()
        raise KeyError(name)
    module, _, cls = target.partition(":")
    return getattr(importlib.import_module(module), cls)()


def summary(result: RunResult) -> dict:
    by_sev = {"error": 0, "warning": 0, "info": 0}
    by_code: dict[str, int] = {}
    for d in result.diagnostics:
        by_sev[d.severity.value] += 1
        by_code[d.code] = by_code.get(d.code, 0) + 1
    return {
        "files": len(result.linted_files),
        "findings": len(result.diagnostics),
        "by_severity": by_sev,
        "by_code": dict(sorted(by_code.items())),
        "suppressed": len(result.suppressed),
    }
