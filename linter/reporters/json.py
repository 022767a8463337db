"""JSON: one stable document, diagnostics sorted by path, line, code."""

from __future__ import annotations

import json

from cfglint.reporters import Reporter, ReportOptions, summary
from cfglint.runner import RunResult


def diagnostic_dict(d) -> dict:
    return {
        "code": d.code,
        "name": d.name,
        "severity": d.severity.value,
        "path": d.path,
        "line": d.line,
        "column": d.column,
        "end_line": d.end_line,
        "end_column": d.end_column,
        "message": d.message,
        "related": [{"path": r.span.path, "line": r.span.line, "message": r.message} for r in d.related],
    }


class JsonReporter(Reporter):
    name = "json"
    machine = True

    def render(self, result: RunResult, opts: ReportOptions) -> str:
        diags = sorted(result.diagnostics, key=lambda d: (d.path, d.line, d.code, d.column, d.message))
        doc = {
            "version": opts.version,
            "diagnostics": [diagnostic_dict(d) for d in diags],
            "summary": summary(result) | opts.summary_extra,
        }
        return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
