"""`cfglint suppressions`: every inline suppression of the linted files, with its reason and what it
suppressed in the run. Also gives the SARIF reporter the justification of each suppressed finding.

The directives are read again from the files (the runner keeps only the findings), with the same
parser and the same `suppressions.parse_directives` the run used, and the run's suppressed findings
are matched to them the way `suppressions.apply` matched them (first directive in file order naming
the code and covering the line)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from cfglint.api import Diagnostic, Rule
from cfglint.suppressions import Directive


@dataclass
class AuditRow:
    path: str
    line: int
    kind: str  # "ignore" or "file-ignore"
    codes: list[str]  # resolved codes
    written: list[str]  # as written
    reason: str | None
    target_line: int | None
    suppressed: dict[str, int] = field(default_factory=dict)  # code -> findings silenced in this run

    @property
    def used(self) -> bool:
        return any(self.suppressed.values())

    def as_json(self) -> dict:
        d = {
            "path": self.path,
            "line": self.line,
            "kind": self.kind,
            "codes": self.codes,
            "written": self.written,
            "reason": self.reason,
            "target_line": self.target_line,
            "used": self.used,
            "suppressed": {c: self.suppressed.get(c, 0) for c in self.codes},
        }
        return d


def directives_of(path: Path, shown: str, kind: str, rules: Mapping[str, type[Rule]]) -> list[Directive]:
    from cfglint.parsers import parser_for
    from cfglint.runner import decode_lines
    from cfglint.suppressions import parse_directives

    parser = parser_for(kind)
    if parser is None:
        return []
    try:
        data = path.read_bytes()
    except OSError:
        return []
    if b"\x00" in data:
        return []
    try:
        model = parser(data, shown)
    except Exception:
        return []
    directives, _problems = parse_directives(model.comments, decode_lines(data, kind), rules)
    return directives


def _match(d: Diagnostic, directives: Sequence[Directive]) -> Directive | None:
    for dv in directives:
        if d.code in dv.codes and (dv.file_wide or dv.target_line == d.line):
            return dv
    return None


def audit(
    files: Iterable[tuple[Path, str, str]],  # (path, shown path, kind)
    suppressed: Iterable[Diagnostic],
    rules: Mapping[str, type[Rule]],
    masker=None,
) -> list[AuditRow]:
    by_path: dict[str, list[Diagnostic]] = {}
    for d in suppressed:
        by_path.setdefault(d.path, []).append(d)
    rows: list[AuditRow] = []

    def mask(s: str | None) -> str | None:
        return masker.text(s) if masker is not None and s is not None else s

    for path, shown, kind in files:
        directives = directives_of(path, shown, kind, rules)
        if not directives:
            continue
        row_of = {}
        for dv in directives:
            row = AuditRow(
                shown, dv.span.line, "file-ignore" if dv.file_wide else "ignore", list(dv.codes),
                list(dv.written), mask(dv.reason), dv.target_line,
            )
            row_of[id(dv)] = row
            rows.append(row)
        for d in by_path.get(shown, []):
            dv = _match(d, directives)
            if dv is not None:
                row = row_of[id(dv)]
                row.suppressed[d.code] = row.suppressed.get(d.code, 0) + 1
    rows.sort(key=lambda r: (r.path, r.line))
    return rows


def reasons(
    files: Iterable[tuple[Path, str, str]], suppressed: Sequence[Diagnostic], rules: Mapping[str, type[Rule]], masker=None
) -> dict[tuple[str, int, str], str]:
    """(path, line, code) of each suppressed finding -> the reason of the directive that silenced it."""
    wanted = {d.path for d in suppressed}
    out: dict[tuple[str, int, str], str] = {}
    for path, shown, kind in files:
        if shown not in wanted:
            continue
        directives = directives_of(path, shown, kind, rules)
        for d in suppressed:
            if d.path != shown:
                continue
            dv = _match(d, directives)
            if dv is not None and dv.reason:
                reason = masker.text(dv.reason) if masker is not None else dv.reason
                if reason:
                    out[(d.path, d.line, d.code)] = reason
    return out
