"""JSON Lines: one JSON object per finding, with the keys of the json format's `diagnostics`, in
the same order (path, line, code). No summary line: an empty output means no findings."""

from __future__ import annotations

import json

from cfglint.reporters import Reporter, ReportOptions
from cfglint.reporters.json import diagnostic_dict
from cfglint.runner import RunResult


# Characters that some line splitters (Python's str.splitlines, JavaScript) take for line breaks:
# escaped, so that one finding is always one line whatever reads it.
_LINE_BREAKS = {c: f"\\u{ord(c):04x}" for c in "\x85\u2028\u2029"}


def _one_line(obj: dict) -> str:
    text = json.dumps(obj, ensure_ascii=False)
    for c, esc in _LINE_BREAKS.items():
        text = text.replace(c, esc)
    return text


class JsonLinesReporter(Reporter):
    name = "json-lines"
    machine = True

    def render(self, result: RunResult, opts: ReportOptions) -> str:
        diags = sorted(result.diagnostics, key=lambda d: (d.path, d.line, d.code, d.column, d.message))
        return "".join(_one_line(diagnostic_dict(d)) + "\n" for d in diags)
