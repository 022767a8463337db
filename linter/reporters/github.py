"""GitHub Actions workflow commands: one annotation per finding, aware of GitHub's caps.

    ::error file=etc/davmail.properties,line=14,col=1,endLine=14,endColumn=54,title=cfglint (DAV001)::message

`error` for errors, `warning` for warnings, `notice` for infos. GitHub shows at most 10 annotations
of each level per step (50 per job) and silently drops the rest in print order, so the findings on
changed lines come first (`--diff-base REF`, or the pull request's base in Actions), the rest keep
their order, and a final notice tells how many were not annotated; those are still printed, as plain
log lines in a collapsed group. Values are escaped as the runner expects (`%`, CR and LF in the
message; also `:` and `,` in properties), and every plain line starts with `cfglint:`, so no text
from a config file or a path can start a workflow command of its own.

`step_summary()` is the markdown the CLI appends to `$GITHUB_STEP_SUMMARY` when it is set: totals by
severity and by rule, and the top findings.
"""

from __future__ import annotations

import html
import re

from cfglint.api import Diagnostic
from cfglint.fingerprints import changed_first
from cfglint.reporters import Reporter, ReportOptions, summary
from cfglint.reporters._ci import repo_path, root_of
from cfglint.runner import RunResult

LEVEL = {"error": "error", "warning": "warning", "info": "notice"}
CAP_PER_LEVEL = 10
TOP_FINDINGS = 25


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _plain(text: str) -> str:
    """Text for a plain log line: no line break can end it early."""
    return text.replace("\r", "\\r").replace("\n", "\\n")


def annotation(d: Diagnostic, path: str) -> str:
    props = [("file", path), ("line", str(d.line))]
    same_line = d.end_line == d.line
    if same_line:
        props.append(("col", str(d.column)))
    props.append(("endLine", str(max(d.end_line, d.line))))
    if same_line and d.end_column > d.column:
        props.append(("endColumn", str(d.end_column)))
    props.append(("title", f"cfglint ({d.code})"))
    message = d.message
    if d.fix_title:
        message += f"\nhelp: {d.fix_title}"
    for r in d.related:
        message += f"\nrelated: {r.span.path}:{r.span.line}: {r.message}"
    head = ",".join(f"{k}={escape_property(v)}" for k, v in props)
    return f"::{LEVEL[d.severity.value]} {head}::{escape_data(message)}"


class GithubReporter(Reporter):
    name = "github"
    machine = True

    def render(self, result: RunResult, opts: ReportOptions) -> str:
        root = root_of(opts)
        ordered = changed_first(result.diagnostics, opts.changed_lines)
        per_level: dict[str, int] = {}
        for d in ordered:
            per_level[LEVEL[d.severity.value]] = per_level.get(LEVEL[d.severity.value], 0) + 1
        overflow = any(n > CAP_PER_LEVEL for n in per_level.values())
        budget = {lvl: CAP_PER_LEVEL for lvl in LEVEL.values()}
        if overflow:
            budget["notice"] -= 1  # room for the "not annotated" notice
        out: list[str] = []
        rest: list[Diagnostic] = []
        for d in ordered:
            lvl = LEVEL[d.severity.value]
            if budget[lvl] > 0:
                budget[lvl] -= 1
                out.append(annotation(d, repo_path(d.path, root)))
            else:
                rest.append(d)
        if rest:
            out.append(f"::group::cfglint: {len(rest)} more findings (not annotated)")
            for d in rest:
                out.append(
                    _plain(f"cfglint: {repo_path(d.path, root)}:{d.line}:{d.column}: {d.code} "
                           f"[{d.severity.value}] {d.message}")
                )
            out.append("::endgroup::")
            shown = len(result.diagnostics) - len(rest)
            out.append(
                "::notice title=cfglint::"
                + escape_data(
                    f"{len(rest)} of {len(result.diagnostics)} findings were not annotated: GitHub shows at most "
                    f"{CAP_PER_LEVEL} errors, {CAP_PER_LEVEL} warnings and {CAP_PER_LEVEL} notices per step "
                    f"({shown} annotated{', findings on changed lines first' if opts.changed_lines else ''}). "
                    "See the log group above, the step summary, or the SARIF upload."
                )
            )
        s = summary(result)
        out.append(
            f"cfglint: {s['findings']} findings ({s['by_severity']['error']} errors, "
            f"{s['by_severity']['warning']} warnings, {s['by_severity']['info']} info) in {s['files']} files"
        )
        return "\n".join(out) + "\n"

    # ----------------------------------------------------------------------------------------------
    def step_summary(self, result: RunResult, opts: ReportOptions) -> str:
        root = root_of(opts)
        s = summary(result)
        lines = ["## cfglint", ""]
        extra = []
        if s["suppressed"]:
            extra.append(f"{s['suppressed']} suppressed inline")
        base = opts.summary_extra.get("baseline") if opts.summary_extra else None
        if base:
            extra.append(f"{base.get('hidden', 0)} accepted by the baseline")
            if base.get("stale"):
                extra.append(f"{len(base['stale'])} stale baseline entries")
        tail = f" ({'; '.join(extra)})" if extra else ""
        if not result.diagnostics:
            lines.append(f"All clean: {s['files']} files linted{tail}.")
            return "\n".join(lines) + "\n\n"
        lines.append(f"**{s['findings']} findings** in {s['files']} files linted{tail}.")
        lines += ["", "| severity | findings |", "|---|---:|"]
        for sev, n in s["by_severity"].items():
            lines.append(f"| {sev} | {n} |")
        by_rule: dict[str, tuple[int, Diagnostic]] = {}
        for d in result.diagnostics:
            n, first = by_rule.get(d.code, (0, d))
            by_rule[d.code] = (n + 1, first)
        lines += ["", "| rule | name | severity | findings |", "|---|---|---|---:|"]
        for code, (n, d) in sorted(by_rule.items(), key=lambda kv: (-kv[1][0], kv[0])):
            lines.append(f"| {code} | {_cell(d.name)} | {d.severity.value} | {n} |")
        ordered = changed_first(
            sorted(result.diagnostics, key=lambda d: (-d.severity.rank, *d.sort_key())), opts.changed_lines
        )
        top = ordered[:TOP_FINDINGS]
        title = "Top findings" if len(ordered) > len(top) else "Findings"
        lines += ["", f"### {title}", "", "| location | rule | severity | message |", "|---|---|---|---|"]
        for d in top:
            loc = f"<code>{_cell(repo_path(d.path, root))}:{d.line}:{d.column}</code>"
            lines.append(f"| {loc} | {d.code} | {d.severity.value} | {_cell(d.message)} |")
        if len(ordered) > len(top):
            lines += ["", f"…and {len(ordered) - len(top)} more (see the log or the SARIF upload)."]
        return "\n".join(lines) + "\n\n"


def _cell(text: str) -> str:
    """Text for a markdown table cell: no markup, no HTML, no line break, no column break."""
    text = html.escape(text, quote=False)
    text = re.sub(r"([\\`*_\[\]~])", r"\\\1", text)
    return text.replace("|", "&#124;").replace("\r", " ").replace("\n", " ")
