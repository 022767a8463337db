"""Autofixes: apply the `Edit`s of findings to their files (`check --fix`) or show them (`--diff`).

A finding's edits are applied together or not at all. Where the edits of two findings overlap in
one file, the first (in source order) is applied and the other skipped: the next run picks it up.
Files are written atomically (a temporary file in the same directory, then `os.replace`), keep
their mode, encoding, byte-order mark and line endings, and are never written when nothing
changes. A symlink is written through only when its target stays inside the tree being linted.
"""

from __future__ import annotations

import difflib
import os
import re
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from cfglint.api import Diagnostic, Edit

_NEWLINE_RE = re.compile(r"\r\n|\r|\n")
BOM = "\ufeff"


@dataclass
class FilePlan:
    """The fixes of one file: its original and fixed text (decoded, BOM and line endings kept)."""

    path: str  # as reported
    target: Path  # the file written (a symlink's target inside the tree)
    encoding: str
    old: str
    new: str
    fixed: list[Diagnostic] = field(default_factory=list)
    skipped: list[Diagnostic] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.new != self.old


def encoding_of(kind: str) -> str:
    from cfglint.runner import KIND_ENCODING

    return KIND_ENCODING.get(kind, "utf-8")


class _Text:
    """Maps the rules' (line, column) positions to offsets of the file's text as stored."""

    def __init__(self, text: str):
        self.text = text
        self.base = 1 if text.startswith(BOM) else 0
        self.starts: list[int] = []  # offset of each line's first character
        self.lengths: list[int] = []  # length of each line without its ending
        self.endings: list[str] = []
        pos = self.base
        for m in _NEWLINE_RE.finditer(text, self.base):
            self.starts.append(pos)
            self.lengths.append(m.start() - pos)
            self.endings.append(m.group())
            pos = m.end()
        self.starts.append(pos)
        self.lengths.append(len(text) - pos)
        self.endings.append("")
        self.newline = next((e for e in self.endings if e), "\n")

    def offset(self, line: int, column: int) -> int | None:
        if line < 1 or line > len(self.starts) or column < 1 or column - 1 > self.lengths[line - 1]:
            return None
        return self.starts[line - 1] + column - 1

    def ending_at(self, line: int) -> str:
        e = self.endings[line - 1] if 1 <= line <= len(self.endings) else ""
        return e or self.newline


def _ranges(t: _Text, edits: Sequence[Edit]) -> list[tuple[int, int, str]] | None:
    out = []
    for e in edits:
        s, end = t.offset(e.line, e.column), t.offset(e.end_line, e.end_column)
        if s is None or end is None or end < s:
            return None  # positions outside the file: the file changed since the rule saw it
        # A line break in a replacement is written as the file's own line ending.
        out.append((s, end, e.replacement.replace("\n", t.ending_at(e.line))))
    return out


def _overlaps(a: tuple[int, int, str], b: tuple[int, int, str]) -> bool:
    return (a[0] < b[1] and b[0] < a[1]) or a[0] == b[0]


def plan_file(path: str, target: Path, kind: str, diagnostics: Iterable[Diagnostic]) -> FilePlan | None:
    """The fixed text of one file, or None when it cannot be read or decoded exactly."""
    enc = encoding_of(kind)
    try:
        old = target.read_bytes().decode(enc)  # strict: a file that does not decode is left alone
    except (OSError, UnicodeDecodeError):
        return None
    t = _Text(old)
    plan = FilePlan(path, target, enc, old, old)
    accepted: list[tuple[int, int, str]] = []
    groups: list[tuple[Diagnostic, list[tuple[int, int, str]]]] = []
    for d in diagnostics:
        if not d.fixes:
            continue
        ranges = _ranges(t, d.fixes)
        if ranges is None:
            plan.skipped.append(d)
            continue
        groups.append((d, sorted(ranges)))
    groups.sort(key=lambda g: (g[1][0][0], g[1][0][1]))
    for d, ranges in groups:
        new = [r for r in ranges if r not in accepted]
        if not new:  # the same edits as an applied finding (one command reported twice)
            plan.fixed.append(d)
            continue
        if any(_overlaps(r, a) for r in new for a in accepted):
            plan.skipped.append(d)
            continue
        accepted.extend(new)
        plan.fixed.append(d)
    text = old
    for s, e, rep in sorted(accepted, key=lambda r: (r[0], r[1]), reverse=True):
        text = text[:s] + rep + text[e:]
    plan.new = text
    return plan


def plan(
    diagnostics: Iterable[Diagnostic], files: Iterable[tuple[str, Path, str]], roots: Iterable[Path]
) -> tuple[list[FilePlan], list[str]]:
    """Plans for the files with fixes. `files`: (reported path, path, kind) of the files that may be
    written; `roots`: the trees a symlink may point into. Returns the plans and warnings."""
    by_path: dict[str, list[Diagnostic]] = {}
    for d in diagnostics:
        if d.fixes:
            by_path.setdefault(d.path, []).append(d)
    real_roots = [os.path.realpath(r) for r in roots]
    plans: list[FilePlan] = []
    warnings: list[str] = []
    seen: set[str] = set()
    for shown, path, kind in files:
        diags = by_path.get(shown)
        if not diags:
            continue
        real = os.path.realpath(path)
        if not any(real == r or real.startswith(r.rstrip(os.sep) + os.sep) for r in real_roots):
            warnings.append(f"{shown}: not fixed: it is a symlink to {real}, outside the tree")
            continue
        if real in seen:
            continue
        seen.add(real)
        p = plan_file(shown, Path(real), kind, diags)
        if p is None:
            warnings.append(f"{shown}: not fixed: cannot read it as {encoding_of(kind)}")
            continue
        plans.append(p)
    return plans, warnings


def write_atomic(path: Path, data: bytes) -> None:
    """Replace `path` (a regular file) by `data`: a temporary file in the same directory, then
    `os.replace`; the file keeps its mode."""
    mode = path.stat().st_mode & 0o7777
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".cfglint-fix", dir=str(path.parent))
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def apply(plans: Iterable[FilePlan]) -> int:
    """Write the changed files; returns how many findings were fixed."""
    fixed = 0
    for p in plans:
        if not p.changed:
            continue
        write_atomic(p.target, p.new.encode(p.encoding))
        fixed += len(p.fixed)
    return fixed


def unified_diff(plans: Iterable[FilePlan], mask: Callable[[str], str | None] = lambda s: s) -> str:
    """A unified diff of the changes, every line through `mask` (the run's secret masker)."""
    out: list[str] = []
    for p in plans:
        if not p.changed:
            continue
        old = p.old.removeprefix(BOM).replace("\r\n", "\n").replace("\r", "\n")
        new = p.new.removeprefix(BOM).replace("\r\n", "\n").replace("\r", "\n")
        for line in difflib.unified_diff(
            old.splitlines(keepends=True), new.splitlines(keepends=True), f"a/{p.path}", f"b/{p.path}"
        ):
            if not line.endswith("\n"):
                line += "\n\\ No newline at end of file\n"
            out.append(mask(line) or "")
    return "".join(out)
