"""Identities of findings that survive edits: the structural key shared by baselines, `--diff-base`,
SARIF and GitLab fingerprints, and GitHub code scanning's `primaryLocationLineHash`.

Structural key
    (rule code, repo-relative posix path, structural anchor) plus an occurrence number. The anchor is
    `Diagnostic.anchor` (a property key, an ACL name and entry, a command); a rule that gives none
    falls back to its message with line references and numbers taken out, so a finding does not
    change identity when lines are inserted above it. The occurrence number (1, 2, ... in source
    order among the findings with the same key) tells identical findings apart. No line number takes
    part. `structural_fingerprint` is the sha256 of that tuple: SARIF's `cfglint/v1` partial
    fingerprint and the GitLab Code Quality fingerprint.

Line hash
    `line_hashes` reimplements GitHub codeql-action's `src/fingerprints.ts` (the value upload-sarif
    computes when a SARIF file has none): for each line, a rolling polynomial hash (base 37, modulo
    2^64) of the next 100 characters of the file from the line's start, skipping spaces and tabs,
    with CR, LF and CRLF read as one LF, over UTF-16 code units, followed by `:<n>` where n counts
    the earlier lines of the file with the same hash value. The tests check it against the vectors
    of codeql-action's own test suite.

    One deliberate difference: the hash covers up to 100 characters of the following lines, and a
    64-bit polynomial hash of a window whose other characters are known can be inverted to recover a
    short password. Lines whose window reaches a secret are hashed over the text with the secret
    masked (`****`), the text every other output shows. Those results keep a stable hash from run to
    run (the alert is still tracked) but it differs from the one upload-sarif would compute, which
    then logs a mismatch warning and keeps ours.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

from cfglint.api import Diagnostic

FINGERPRINT_VERSION = "cfglint/v1"

# --------------------------------------------------------------------------------------------------
# Structural key

_LINE_REF = re.compile(r"\b(?:lines?|ln|at)\s+\d+(?:\s*(?:-|to|and|,)\s*\d+)*", re.I)
_NUMBER = re.compile(r"\d+")
_BLANKS = re.compile(r"\s+")


def normalise_message(message: str) -> str:
    """A message without line references or numbers, blanks collapsed: the fallback anchor."""
    text = _LINE_REF.sub("line", message)
    text = _NUMBER.sub("#", text)
    return _BLANKS.sub(" ", text).strip()


def relpath(path: str, base: Path, cwd: Path | None = None, *, up: bool = False) -> str:
    """A diagnostic path (relative to `cwd`, or absolute) relative to `base`, with forward slashes.
    Outside `base`: absolute, or with `up`, relative through `..`."""
    cwd = cwd or Path.cwd()
    p = Path(path)
    ap = Path(os.path.normpath(p if p.is_absolute() else cwd / p))
    b = Path(os.path.abspath(base))
    try:
        return ap.relative_to(b).as_posix()
    except ValueError:
        if up:
            try:
                return Path(os.path.relpath(ap, b)).as_posix()
            except ValueError:
                pass
        return ap.as_posix()


def anchor_of(d: Diagnostic) -> tuple[str, str]:
    """("anchor", value) or ("message", normalised message)."""
    if d.anchor:
        return ("anchor", d.anchor)
    return ("message", normalise_message(d.message))


Key = tuple[str, str, str, str]  # (code, path, "anchor"|"message", value)


def finding_key(d: Diagnostic, base: Path, cwd: Path | None = None, *, up: bool = False) -> Key:
    kind, value = anchor_of(d)
    return (d.code, relpath(d.path, base, cwd, up=up), kind, value)


def keyed(
    diagnostics: Iterable[Diagnostic], base: Path, cwd: Path | None = None, *, up: bool = False
) -> list[tuple[Diagnostic, Key, int]]:
    """Each diagnostic with its key and occurrence number (1-based, in source order)."""
    seen: dict[Key, int] = {}
    out = []
    for d in sorted(diagnostics, key=Diagnostic.sort_key):
        k = finding_key(d, base, cwd, up=up)
        seen[k] = seen.get(k, 0) + 1
        out.append((d, k, seen[k]))
    return out


def structural_fingerprint(key: Key, occurrence: int) -> str:
    h = hashlib.sha256()
    for part in (FINGERPRINT_VERSION, *key, str(occurrence)):
        h.update(part.encode("utf-8", "surrogatepass"))
        h.update(b"\x00")
    return h.hexdigest()


# --------------------------------------------------------------------------------------------------
# codeql-action's line hash

_BLOCK = 100
_MOD = 37
_MASK64 = (1 << 64) - 1
_FIRST_MOD = pow(_MOD, _BLOCK, 1 << 64)
_EOF = 65535
_TAB, _SPACE, _LF, _CR = 9, 32, 10, 13


def _utf16_units(text: str) -> Iterable[int]:
    data = text.encode("utf-16-le", "surrogatepass")
    return (data[i] | (data[i + 1] << 8) for i in range(0, len(data), 2))


def line_hashes(text: str) -> dict[int, str]:
    """line number (1-based) -> "<hex>:<n>", exactly as codeql-action's `hash()` reports them."""
    window = [0] * _BLOCK
    line_numbers = [-1] * _BLOCK
    out: dict[int, str] = {}
    counts: dict[str, int] = {}
    state = {"hash": 0, "index": 0, "line": 0, "line_start": True, "prev_cr": False}

    def output() -> None:
        value = format(state["hash"], "x")
        counts[value] = counts.get(value, 0) + 1
        out[line_numbers[state["index"]]] = f"{value}:{counts[value]}"
        line_numbers[state["index"]] = -1

    def update(current: int) -> None:
        i = state["index"]
        begin = window[i]
        window[i] = current
        state["hash"] = (_MOD * state["hash"] + current - _FIRST_MOD * begin) & _MASK64
        state["index"] = (i + 1) % _BLOCK

    def process(current: int) -> None:
        if current in (_SPACE, _TAB) or (state["prev_cr"] and current == _LF):
            state["prev_cr"] = False
            return
        if current == _CR:
            current = _LF
            state["prev_cr"] = True
        else:
            state["prev_cr"] = False
        if line_numbers[state["index"]] != -1:
            output()
        if state["line_start"]:
            state["line_start"] = False
            state["line"] += 1
            line_numbers[state["index"]] = state["line"]
        if current == _LF:
            state["line_start"] = True
        update(current)

    for unit in _utf16_units(text):
        process(unit)
    process(_EOF)
    for _ in range(_BLOCK):
        if line_numbers[state["index"]] != -1:
            output()
        update(0)
    return out


# --------------------------------------------------------------------------------------------------
# A source file as GitHub sees it


_LINE_SPLIT = re.compile(r"\r\n|\r|\n")


class SourceText:
    """One file read again for a reporter: the text as codeql-action and editors decode it (UTF-8),
    secrets masked, plus column conversion from cfglint's columns to UTF-16 code units."""

    def __init__(self, path: Path, kind: str | None, masker) -> None:
        from cfglint.runner import KIND_ENCODING, decode_lines

        self.ok = False
        self.lines: list[str] = []  # the editor's lines (UTF-8, invalid bytes replaced)
        self._raw_lines: list[str] = []  # cfglint's lines (the kind's own encoding)
        self._encoding = KIND_ENCODING.get(kind or "", "utf-8")
        try:
            data = path.read_bytes()
        except OSError:
            return
        self.ok = True
        bom = data.startswith(b"\xef\xbb\xbf")
        text = data.decode("utf-8", errors="replace")
        if bom:
            text = text[1:]  # as in cfglint's lines; put back in front for the hash only
        self.lines = _LINE_SPLIT.split(text)
        self._raw_lines = decode_lines(data, kind or "") if b"\x00" not in data else []
        secret_lines = self._secret_lines(data, path, kind)
        hashed = list(self.lines)
        if secret_lines:
            from cfglint.runner import _display
            from cfglint.secrets import mask_lines

            shown = _display(mask_lines(self._raw_lines, self._spans), kind or "")
            for n in secret_lines:
                if 1 <= n <= min(len(hashed), len(shown)):
                    hashed[n - 1] = shown[n - 1]
        if masker:
            hashed = [masker.text(line) or "" for line in hashed]
        self._hash_text = "\n".join(hashed)
        self._bom = bom
        self._hashes: dict[int, str] | None = None

    def _secret_lines(self, data: bytes, path: Path, kind: str | None) -> set[int]:
        self._spans = []
        if not kind:
            return set()
        from cfglint.parsers import parser_for

        parser = parser_for(kind)
        if parser is None or b"\x00" in data:
            return set()
        try:
            model = parser(data, str(path))
            self._spans = list(model.secret_spans())
        except Exception:
            return set()
        lines: set[int] = set()
        for sp in self._spans:
            lines.update(range(sp.line, sp.last_line + 1))
        return lines

    def line_hash(self, line: int) -> str | None:
        if not self.ok:
            return None
        if self._hashes is None:
            text = ("\ufeff" if self._bom else "") + self._hash_text
            self._hashes = line_hashes(text)
        return self._hashes.get(line)

    def utf16_column(self, line: int, column: int) -> int:
        """cfglint's 1-based column (a character of the kind's encoding) -> a UTF-16 column."""
        if not self.ok or not 1 <= line <= len(self._raw_lines):
            return max(1, column)
        raw = self._raw_lines[line - 1]
        prefix = raw[: max(0, column - 1)]
        try:
            as_editor = prefix.encode(self._encoding, "surrogatepass").decode("utf-8", errors="replace")
        except (UnicodeEncodeError, LookupError):
            as_editor = prefix
        if line == 1 and as_editor.startswith("\ufeff"):
            as_editor = as_editor[1:]  # editors do not show the byte order mark as a character
        extra = max(0, column - 1 - len(raw))  # a column past the end of the line (an EOL caret)
        return len(as_editor.encode("utf-16-le", "surrogatepass")) // 2 + extra + 1

    def line_length_utf16(self, line: int) -> int:
        if not 1 <= line <= len(self.lines):
            return 0
        return len(self.lines[line - 1].encode("utf-16-le", "surrogatepass")) // 2


def changed_first(diagnostics: Sequence[Diagnostic], changed: dict[str, set[int] | None] | None) -> list[Diagnostic]:
    """Findings touching changed lines first (stable), then the rest. `changed`: path -> lines
    (None: the whole file is new)."""
    if not changed:
        return list(diagnostics)

    def on_change(d: Diagnostic) -> bool:
        if d.path not in changed:
            return False
        lines = changed[d.path]
        return lines is None or any(n in lines for n in range(d.line, d.end_line + 1))

    first = [d for d in diagnostics if on_change(d)]
    rest = [d for d in diagnostics if not on_change(d)]
    return first + rest
