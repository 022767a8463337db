"""The run: discover -> recognise -> parse (map) -> per-file rules -> cross-file rules (reduce)
-> suppressions -> severity overrides -> masking. Reporters receive a finished `RunResult`."""

from __future__ import annotations

import os
import traceback
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from cfglint.api import (
    Diagnostic,
    FileContext,
    FileRule,
    ProjectContext,
    ProjectIndex,
    ProjectRule,
    Rule,
    Severity,
    SourceModel,
    Span,
    make_diagnostic,
)
from cfglint.secrets import Masker, mask_lines

# Text encoding each kind's consumer reads. Java reads .properties as ISO-8859-1 (never fails).
KIND_ENCODING = {"davmail": "latin-1"}


@dataclass
class FileOutcome:
    path: str
    kind: str | None
    linted: bool = False
    note: str = ""  # why a recognised file was not linted


@dataclass
class RunResult:
    diagnostics: list[Diagnostic]
    suppressed: list[Diagnostic]
    files: list[FileOutcome]
    internal_error: bool
    snippets: dict[tuple[str, int], str] = field(default_factory=dict)
    masker: Masker = field(default_factory=Masker)
    rules_run: list[str] = field(default_factory=list)

    def snippet(self, path: str, line: int) -> str | None:
        return self.snippets.get((path, line))

    @property
    def linted_files(self) -> list[FileOutcome]:
        return [f for f in self.files if f.linted]


@dataclass
class _Parsed:
    path: str
    abs_path: Path
    kind: str
    model: SourceModel | None
    lines: list[str]
    diagnostics: list[Diagnostic]
    enabled: frozenset[str]
    crashed: set[str]


def display_path(p: Path, cwd: Path | None = None) -> str:
    """Relative to the current directory when inside it, else absolute; always forward slashes."""
    cwd = cwd or Path.cwd()
    ap = Path(os.path.abspath(p))
    try:
        return ap.relative_to(cwd).as_posix()
    except ValueError:
        return ap.as_posix()


def _engine(code: str) -> type[Rule]:
    from cfglint.registry import load_rules

    return load_rules()[code]


def _first_undecodable(data: bytes) -> tuple[int, int, int] | None:
    """(line, column, byte) of the first byte that is not valid UTF-8, or None."""
    try:
        data.decode("utf-8")
        return None
    except UnicodeDecodeError as e:
        before = data[: e.start]
        line = before.count(b"\n") + 1
        col = e.start - (before.rfind(b"\n") + 1) + 1
        return line, col, data[e.start]


def decode_lines(data: bytes, kind: str) -> list[str]:
    enc = KIND_ENCODING.get(kind, "utf-8")
    text = data.decode(enc, errors="replace")
    if text.startswith("\ufeff"):
        text = text[1:]
    # Java and the shells end lines at \n, \r\n and \r alike.
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def parse_file(
    abs_path: Path,
    shown: str,
    kind: str,
    data: bytes | None,
    enabled: frozenset[str],
    rules: Mapping[str, type[Rule]],
    rule_options: Mapping[str, dict],
) -> _Parsed:
    """The map step for one file: read problems, parse, per-file rules. Never raises."""
    from cfglint.parsers import parser_for

    diags: list[Diagnostic] = []
    crashed: set[str] = set()

    def span(line: int = 1, col: int = 1) -> Span:
        return Span(path=shown, line=line, column=col)

    if data is None:
        try:
            data = abs_path.read_bytes()
        except OSError as e:
            reason = e.strerror or type(e).__name__
            diags.append(make_diagnostic(_engine("CFG001"), span(), f"cannot read file: {reason}", anchor="file"))
            return _Parsed(shown, abs_path, kind, None, [], diags, enabled, crashed)
    nul = data.find(b"\x00")
    if nul >= 0:
        line = data.count(b"\n", 0, nul) + 1
        diags.append(
            make_diagnostic(
                _engine("CFG002"),
                span(line),
                f"binary data (NUL byte at offset {nul}); not linted as {kind}",
                anchor="file",
            )
        )
        return _Parsed(shown, abs_path, kind, None, [], diags, enabled, crashed)
    if KIND_ENCODING.get(kind, "utf-8") == "utf-8":
        bad = _first_undecodable(data)
        if bad:
            diags.append(
                make_diagnostic(
                    _engine("CFG003"),
                    span(bad[0], bad[1]),
                    f"invalid UTF-8 (byte 0x{bad[2]:02x}); the rest is read with the byte replaced",
                    anchor="encoding",
                )
            )
    lines = decode_lines(data, kind)
    parser = parser_for(kind)
    if parser is None:
        return _Parsed(shown, abs_path, kind, None, lines, diags, enabled, crashed)
    try:
        model = parser(data, shown)
    except Exception as e:  # a parser bug: report it, never let it escape
        diags.append(
            make_diagnostic(
                _engine("CFG005"),
                span(),
                f"internal error in the {kind} parser: {type(e).__name__}: {e}",
                anchor="parser",
            )
        )
        _debug_trace()
        return _Parsed(shown, abs_path, kind, None, lines, diags, enabled, {"*"})
    for p in model.problems:
        rule = rules.get(p.code) or _engine("CFG004")
        diags.append(make_diagnostic(rule, p.span, p.message, anchor="parse"))
    for code in sorted(enabled):
        rule = rules.get(code)
        if rule is None or not issubclass(rule, FileRule) or kind not in rule.kinds:
            continue
        if not isinstance(model, rule.model_type):
            continue
        ctx = FileContext(path=shown, kind=kind, options=dict(rule_options.get(code, {})))
        try:
            diags.extend(rule().check(model, ctx))
        except Exception as e:
            crashed.add(code)
            diags.append(
                make_diagnostic(
                    _engine("CFG005"),
                    span(),
                    f"internal error in {code} ({rule.name}): {type(e).__name__}: {e}",
                    anchor=f"rule:{code}",
                )
            )
            _debug_trace()
    return _Parsed(shown, abs_path, kind, model, lines, diags, enabled, crashed)


def _debug_trace() -> None:
    if os.environ.get("CFGLINT_DEBUG"):
        traceback.print_exc()


def run(
    files: Sequence[tuple[Path, str]],
    *,
    rules: Mapping[str, type[Rule]],
    enabled_for: Callable[[Path], frozenset[str]],
    severity_of: Callable[[str], Severity],
    rule_options: Mapping[str, dict] | None = None,
    require_reason: bool = True,
    inline_suppressions: bool = True,
    progress: Callable[[int, int], None] | None = None,
    cwd: Path | None = None,
) -> RunResult:
    """Lint `files`, a list of (path, kind) already recognised. Never raises for bad input."""
    from cfglint import suppressions

    rule_options = rule_options or {}
    cwd = cwd or Path.cwd()
    parsed: list[_Parsed] = []
    outcomes: list[FileOutcome] = []
    total = len(files)
    for i, (path, kind) in enumerate(files, 1):
        shown = display_path(path, cwd)
        enabled = enabled_for(path)
        p = parse_file(path, shown, kind, None, enabled, rules, rule_options)
        parsed.append(p)
        linted = p.model is not None
        note = "" if linted or p.diagnostics else "recognised; no parser for this kind yet"
        outcomes.append(FileOutcome(shown, kind, linted or bool(p.diagnostics), note))
        if progress:
            progress(i, total)

    # Reduce: cross-file rules over the index of every model.
    index = ProjectIndex(p.model for p in parsed if p.model is not None)
    by_path = {p.path: p for p in parsed}
    pctx_cache = ProjectContext()
    all_enabled = frozenset().union(*(p.enabled for p in parsed)) if parsed else frozenset()
    for code, rule in rules.items():
        if not issubclass(rule, ProjectRule) or code not in all_enabled:
            continue
        if rule.model_types and not any(index.of_type(t) for t in rule.model_types):
            continue
        ctx = ProjectContext(options=dict(rule_options.get(code, {})), _cache=pctx_cache._cache)
        try:
            found = list(rule().check(index, ctx))
        except Exception as e:
            for p in parsed:
                if p.model is not None and code in p.enabled:
                    p.crashed.add(code)
            first = next((p for p in parsed if p.model is not None), None)
            if first is not None:
                first.diagnostics.append(
                    make_diagnostic(
                        _engine("CFG005"),
                        Span(path=first.path, line=1),
                        f"internal error in {code} ({rule.name}): {type(e).__name__}: {e}",
                        anchor=f"rule:{code}",
                    )
                )
            _debug_trace()
            continue
        for d in found:
            target = by_path.get(d.path)
            if target is not None and code in target.enabled:
                target.diagnostics.append(d)

    # Suppressions, severity overrides, masking.
    masker = Masker()
    for p in parsed:
        if p.model is not None:
            masker.add(p.model.secrets())
    kept_all: list[Diagnostic] = []
    suppressed_all: list[Diagnostic] = []
    snippets: dict[tuple[str, int], str] = {}
    internal = False
    for p in parsed:
        diags = p.diagnostics
        if p.model is not None and inline_suppressions:
            directives, problems = suppressions.parse_directives(p.model.comments, p.lines, rules)
            res = suppressions.apply(
                diags,
                directives,
                rules=rules,
                enabled=p.enabled,
                require_reason=require_reason,
                incomplete_codes=p.crashed,
            )
            diags = res.kept + [d for d in problems + res.hygiene if d.code in p.enabled]
            suppressed_all.extend(d for d, _ in res.suppressed)
        out = []
        for d in diags:
            rule = rules.get(d.code)
            if rule is not None and rule.suppressible and d.code not in p.enabled:
                continue
            # A configured override replaces the rule's severity, including the per-finding
            # severities a rule chose; without one, the finding keeps its own.
            if rule is not None and rule.suppressible:
                sev = severity_of(d.code)
                if sev != rule.severity:
                    d = d.with_(severity=sev)
            if d.code == "CFG005":
                internal = True
            out.append(_mask_diag(d, masker))
        kept_all.extend(out)
        if out and p.lines:
            masked = _display(mask_lines(p.lines, p.model.secret_spans()) if p.model is not None else p.lines, p.kind)
            for d in out:
                for ln in {d.line, *(r.span.line for r in d.related if r.span.path == p.path)}:
                    if 1 <= ln <= len(masked):
                        snippets[(p.path, ln)] = masker.text(masked[ln - 1]) or ""
            for d in out:
                for r in d.related:
                    other = by_path.get(r.span.path)
                    if other is not None and other is not p and 1 <= r.span.line <= len(other.lines):
                        om = _display(
                            mask_lines(other.lines, other.model.secret_spans())
                            if other.model is not None
                            else other.lines,
                            other.kind,
                        )
                        snippets[(other.path, r.span.line)] = masker.text(om[r.span.line - 1]) or ""
    kept_all.sort(key=Diagnostic.sort_key)
    suppressed_all.sort(key=Diagnostic.sort_key)
    outcomes.sort(key=lambda f: f.path)
    return RunResult(
        diagnostics=kept_all,
        suppressed=[_mask_diag(d, masker) for d in suppressed_all],
        files=outcomes,
        internal_error=internal,
        snippets=snippets,
        masker=masker,
        rules_run=sorted(all_enabled),
    )


def _display(lines: list[str], kind: str) -> list[str]:
    """Source lines as the user's editor shows them. Files read as ISO-8859-1 (whose spans and
    masks are in Latin-1 characters) are shown as UTF-8 line by line where the bytes are UTF-8."""
    if KIND_ENCODING.get(kind) != "latin-1":
        return lines
    out = []
    for line in lines:
        try:
            out.append(line.encode("latin-1").decode("utf-8") if not line.isascii() else line)
        except (UnicodeDecodeError, UnicodeEncodeError):
            out.append(line)
    return out


def _mask_diag(d: Diagnostic, masker: Masker) -> Diagnostic:
    if not masker:
        return d
    from cfglint.api import Related

    return d.with_(
        message=masker.text(d.message),
        fix_title=masker.text(d.fix_title),
        anchor=masker.text(d.anchor),
        related=tuple(Related(r.span, masker.text(r.message) or "") for r in d.related),
    )
