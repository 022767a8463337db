"""Inline suppressions, in each format's own comment style.

    # cfglint: ignore[DAV009] -- the unit grants CAP_NET_BIND_SERVICE      (next line)
    # cfglint: ignore[DAV009, DAV006] -- reason
    # cfglint: file-ignore[DAV011] -- site-specific keys                    (whole file)
    ! cfglint: ignore[ASA001] -- reason                                     (ASA files)

A directive on a comment line covers the next line that is neither blank nor a comment; a
directive after code on the same line (formats with trailing comments) covers that line. Codes or
kebab rule names are accepted; a blanket suppression does not exist. A directive without a reason
(CFG104), with an unknown code (CFG101), that cannot be read (CFG102) or that suppresses nothing
(CFG100) is itself reported.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from cfglint.api import Comment, Diagnostic, Rule, Span, make_diagnostic

DIRECTIVE_START = re.compile(r"^\s*cfglint\s*:", re.I)
DIRECTIVE = re.compile(
    r"^\s*cfglint\s*:\s*(?P<kind>ignore|file-ignore)\s*\[(?P<codes>[^\]]*)\]\s*(?:--\s*(?P<reason>.*?))?\s*$"
)


@dataclass
class Directive:
    span: Span  # the comment
    file_wide: bool
    codes: list[str]  # resolved rule codes
    written: list[str]  # as written, parallel to codes
    reason: str | None
    target_line: int | None  # None for file-wide, or when no line follows
    used: set[str] = field(default_factory=set)


@dataclass
class SuppressionResult:
    kept: list[Diagnostic]
    suppressed: list[tuple[Diagnostic, Directive]]
    hygiene: list[Diagnostic]
    directives: list[Directive]


def _resolve(token: str, rules: Mapping[str, type[Rule]]) -> str | None:
    t = token.strip()
    if t.upper() in rules:
        return t.upper()
    from cfglint.registry import rule_infos

    for code, info in rule_infos(rules):
        if info.name == t.lower():
            return code
    return None


def _suggest(token: str, rules: Mapping[str, type[Rule]]) -> str:
    from cfglint.registry import rule_infos

    pool = list(rules) + [info.name for _, info in rule_infos(rules)]
    close = difflib.get_close_matches(token.strip(), pool, n=1, cutoff=0.6)
    return f"; did you mean {close[0]}?" if close else ""


def parse_directives(
    comments: Sequence[Comment],
    lines: Sequence[str],
    rules: Mapping[str, type[Rule]],
    comment_lines: set[int] | None = None,
) -> tuple[list[Directive], list[Diagnostic]]:
    """Read the directives of one file. `lines` is the file's text split in lines (for finding the
    next code line); `comment_lines` the set of lines that are comments (default: from `comments`)."""
    from cfglint.registry import load_rules

    engine = load_rules()
    problems: list[Diagnostic] = []
    directives: list[Directive] = []
    if comment_lines is None:
        comment_lines = {c.span.line for c in comments if c.span.column == 1 or not _code_before(c, lines)}
    for c in comments:
        if not DIRECTIVE_START.match(c.text):
            continue
        m = DIRECTIVE.match(c.text)
        codes_text = m.group("codes") if m else ""
        tokens = [t.strip() for t in codes_text.split(",") if t.strip()]
        if not m or not tokens:
            problems.append(
                make_diagnostic(
                    engine["CFG102"],
                    c.span,
                    "malformed cfglint directive; expected `cfglint: ignore[CODE, ...] -- reason` "
                    "(nothing is suppressed)",
                    anchor="suppression",
                )
            )
            continue
        codes, written = [], []
        for tok in tokens:
            code = _resolve(tok, rules)
            if code is None:
                problems.append(
                    make_diagnostic(
                        engine["CFG101"],
                        c.span,
                        f"unknown rule {tok!r} in suppression{_suggest(tok, rules)}",
                        anchor=f"suppression:{tok}",
                    )
                )
                continue
            codes.append(code)
            written.append(tok)
        reason = (m.group("reason") or "").strip() or None
        file_wide = m.group("kind").lower() == "file-ignore"
        target = None
        if not file_wide:
            if _code_before(c, lines):
                target = c.span.line
            else:
                target = _next_code_line(c.span.line, lines, comment_lines)
        directives.append(Directive(c.span, file_wide, codes, written, reason, target))
    return directives, problems


def _code_before(c: Comment, lines: Sequence[str]) -> bool:
    if c.span.column <= 1 or c.span.line > len(lines):
        return False
    return lines[c.span.line - 1][: c.span.column - 1].strip() != ""


def _next_code_line(after: int, lines: Sequence[str], comment_lines: set[int]) -> int | None:
    for n in range(after + 1, len(lines) + 1):
        if n in comment_lines or not lines[n - 1].strip():
            continue
        return n
    return None


def apply(
    diagnostics: Sequence[Diagnostic],
    directives: list[Directive],
    *,
    rules: Mapping[str, type[Rule]],
    enabled: set[str] | frozenset[str],
    require_reason: bool,
    incomplete_codes: set[str] = frozenset(),
) -> SuppressionResult:
    """Suppress what the directives cover; report directive hygiene.

    `enabled`: codes that ran on this file (a directive for a rule that did not run is not called
    unused). `incomplete_codes`: rules that crashed on this file (same)."""
    from cfglint.registry import load_rules

    engine = load_rules()
    kept: list[Diagnostic] = []
    suppressed: list[tuple[Diagnostic, Directive]] = []
    from cfglint.registry import rule_info

    for d in diagnostics:
        rule = rule_info(rules, d.code)
        hit = None
        if rule is None or rule.suppressible:
            for dv in directives:
                if d.code in dv.codes and (dv.file_wide or dv.target_line == d.line):
                    hit = dv
                    break
        if hit is None:
            kept.append(d)
        else:
            hit.used.add(d.code)
            suppressed.append((d, hit))
    hygiene: list[Diagnostic] = []
    for dv in directives:
        if require_reason and not dv.reason and dv.codes:
            hygiene.append(
                make_diagnostic(
                    engine["CFG104"],
                    dv.span,
                    f"suppression of {', '.join(dv.written)} gives no reason; add ` -- why` after the codes",
                    anchor="suppression:" + ",".join(dv.codes),
                )
            )
        unused = [
            w
            for code, w in zip(dv.codes, dv.written)
            if code not in dv.used and code in enabled and code not in incomplete_codes
        ]
        if unused:
            what = "this file" if dv.file_wide else (f"line {dv.target_line}" if dv.target_line else "any line")
            hygiene.append(
                make_diagnostic(
                    engine["CFG100"],
                    dv.span,
                    f"unused suppression: {', '.join(unused)} reports nothing on {what}",
                    anchor="suppression:" + ",".join(unused),
                )
            )
    return SuppressionResult(kept, suppressed, hygiene, directives)
