"""Human output, like ruff's `full` format: location, code, severity, message, the source line with a
caret, the fix hint, and the related locations of cross-file findings with their own source lines."""

from __future__ import annotations

from cfglint.api import Diagnostic
from cfglint.reporters import Reporter, ReportOptions, summary
from cfglint.runner import RunResult

SEV_COLOR = {"error": "31", "warning": "33", "info": "36"}


class _Style:
    def __init__(self, on: bool):
        self.on = on

    def __call__(self, text: str, code: str) -> str:
        return f"\x1b[{code}m{text}\x1b[0m" if self.on else text


def _plural(n: int, word: str) -> str:
    if word == "info":
        return f"{n} info"
    return f"{n} {word}{'' if n == 1 else 's'}"


def _printable(s: str) -> str:
    # Control characters in a config line must not drive the terminal.
    return "".join(
        ch if ch == "\t" or (ch >= " " and not "\x7f" <= ch <= "\x9f") else "?" for ch in s
    ).replace("\t", " ")


class TextReporter(Reporter):
    name = "text"
    show_source = True

    def render(self, result: RunResult, opts: ReportOptions) -> str:
        st = _Style(opts.color)
        out: list[str] = []
        for d in result.diagnostics:
            out.extend(self._one(d, result, st, opts))
        if opts.statistics:
            out.extend(statistics_lines(result))
        if not opts.quiet or result.diagnostics:
            out.append(summary_line(result))
        return "\n".join(out) + "\n"

    def _one(self, d: Diagnostic, result: RunResult, st: _Style, opts: ReportOptions) -> list[str]:
        sev = d.severity.value
        head = (
            f"{st(d.path, '1')}:{d.line}:{d.column}: {st(d.code, '1;' + SEV_COLOR[sev])} "
            f"[{st(sev, SEV_COLOR[sev])}] {_printable(d.message)}"
        )
        lines = [head]
        if not (self.show_source and opts.show_source):
            return lines
        lines.extend(_frame(result.snippet(d.path, d.line), d.line, d.column, d, st))
        if d.fix_title:
            lines.append(f"   = {st('help', '1;36')}: {_printable(d.fix_title)}")
        for r in d.related:
            lines.append(f"   = {st('related', '1;34')}: {r.span.path}:{r.span.line}:{r.span.column}: {_printable(r.message)}")
            snip = result.snippet(r.span.path, r.span.line)
            if snip is not None:
                lines.extend(_frame(snip, r.span.line, r.span.column, None, st, indent="     "))
        lines.append("")
        return lines


class ConciseReporter(TextReporter):
    name = "concise"
    show_source = False


def _frame(snippet: str | None, line: int, col: int, d: Diagnostic | None, st: _Style, indent: str = "") -> list[str]:
    if snippet is None:
        return []
    from cfglint.runner import split_cut

    source, cut = split_cut(snippet)
    text = _printable(source)
    w = len(str(line))
    pad = " " * w
    if d is not None and d.end_line == d.line and d.end_column > d.column:
        width = d.end_column - d.column
    elif d is not None and d.end_line > d.line:
        width = max(1, len(text) - (col - 1))
    else:
        width = 1
    start = min(max(col - 1, 0), len(text))
    width = max(1, min(width, max(1, len(text) - start)))
    caret = " " * start + "^" * width
    return [
        f"{indent}{pad} |",
        f"{indent}{line} | {text}{cut}",
        f"{indent}{pad} | {st(caret, '1;31')}",
    ]


def statistics_lines(result: RunResult) -> list[str]:
    counts: dict[str, tuple[int, Diagnostic]] = {}
    for d in result.diagnostics:
        n, first = counts.get(d.code, (0, d))
        counts[d.code] = (n + 1, first)
    rows = sorted(counts.items(), key=lambda kv: (-kv[1][0], kv[0]))
    width = max((len(str(n)) for n, _ in counts.values()), default=1)
    return [f"{n:>{width}}  {code}  [{d.severity.value}]  {d.name}" for code, (n, d) in rows] + (
        [""] if rows else []
    )


def summary_line(result: RunResult) -> str:
    s = summary(result)
    files = _plural(s["files"], "file")
    if not result.diagnostics:
        extra = f" ({_plural(s['suppressed'], 'suppressed finding')})" if s["suppressed"] else ""
        return f"All clean: {files} linted{extra}."
    parts = [_plural(n, sev) for sev, n in s["by_severity"].items() if n]
    if s["suppressed"]:
        parts.append(f"{s['suppressed']} suppressed")
    return f"Found {_plural(s['findings'], 'finding')} ({', '.join(parts)}) in {files} linted."
