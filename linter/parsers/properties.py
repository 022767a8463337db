"""java.util.Properties files, read exactly as `Properties.load(InputStream)` (JDK 17) reads them.

The physical/logical line structure (blank lines, comments, entries with their continuation lines)
is read by `scan_structure`, one pass over the lines; the key/value split, escapes and spans are
done here. The same structure is written as a lark LALR grammar, `cfglint/grammars/properties.lark`
(`grammar_structure`): it is the readable specification and the tests' oracle, not the hot path.
Measured with bench/properties_parser.py (identical models on the corpus and on random input): the
grammar's line-structure step is ~26-29x slower than the scan (~35 ms vs ~1.3 ms per 5k lines) and
the whole parse 2.3-3x slower, with super-linear growth on 300k lines from the parse tree's garbage.

What Java does, and this module reproduces (JDK `Properties.LineReader.readLine` and `load0`):

* the bytes are decoded as ISO-8859-1 (a UTF-8 BOM becomes the three chars "ï»¿" of the first line);
* `\\n`, `\\r` and `\\r\\n` end physical lines; blanks are space, tab and form feed;
* a line whose first non-blank char is `#` or `!` is a comment (no inline comments), unless it is
  the continuation of the previous line, in which case it is value text;
* an odd number of trailing backslashes joins the next physical line, whose leading blanks are
  dropped; an empty (or blank) continuation line ends the logical line; a logical line made of a
  single backslash is ignored like a blank line; at end of file the dangling backslash is dropped;
* the key ends at the first unescaped `=`, `:` or blank; then blanks, at most one `=`/`:` and
  blanks are skipped; trailing blanks of the value are kept;
* `\\t \\n \\f \\r \\uXXXX` are escapes, a backslash before any other char yields that char.
  A malformed `\\uXXXX` makes Java throw; here it is recorded on the entry (`malformed_escape`) and
  the `\\u` is read as a plain `u`.

The parser never raises on any input: everything odd is recorded on the model.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from importlib import resources
from typing import TypeVar

from cfglint.api import Comment, Span
from cfglint.models.davmail import DavmailProperties
from cfglint.models.properties import PropEntry, PropertiesFile

__all__ = ["MALFORMED_UNICODE", "load_convert", "parse_davmail", "parse_properties"]

BOM = b"\xef\xbb\xbf"
BLANKS = " \t\f"
# Java's message (IllegalArgumentException from Properties.loadConvert).
MALFORMED_UNICODE = "Malformed \\uxxxx encoding."

_TERMINATOR_RE = re.compile(r"\r\n?|\n")
_NON_ASCII_RE = re.compile(r"[\x80-\xff]")
# The key: chars up to the first unescaped '=', ':' or blank ('\\' escapes the next char).
_KEY_RE = re.compile(r"(?:[^\\=: \t\f]+|\\.?)*", re.DOTALL)
_BLANKS_RE = re.compile(r"[ \t\f]*")
_SURROGATE_RE = re.compile(r"[\ud800-\udfff]")
_HEX = frozenset("0123456789abcdefABCDEF")
_SIMPLE_ESCAPES = {"t": "\t", "n": "\n", "f": "\f", "r": "\r"}


# --------------------------------------------------------------------------------------------------
# Escapes


def load_convert(text: str) -> tuple[str, str | None]:
    """Java's `Properties.loadConvert`: decode escapes. Returns (decoded, malformed message or None).

    Java works on UTF-16 code units; `\\uD83D\\uDE00` therefore yields one code point here, and an
    unpaired surrogate stays an unpaired surrogate (exactly the Java string).
    """
    if "\\" not in text:
        return text, None
    out: list[str] = []
    append = out.append
    malformed: str | None = None
    i = 0
    n = len(text)
    while i < n:
        j = text.find("\\", i)
        if j < 0:
            append(text[i:])
            break
        if j > i:
            append(text[i:j])
        if j + 1 >= n:
            # Cannot happen for lines the reader produced (a trailing odd backslash is removed), but
            # keep a lone backslash rather than fail.
            append("\\")
            break
        c = text[j + 1]
        i = j + 2
        if c == "u":
            digits = text[i : i + 4]
            if len(digits) == 4 and all(d in _HEX for d in digits):
                append(chr(int(digits, 16)))
                i += 4
            else:
                malformed = malformed or MALFORMED_UNICODE
                append("u")
        else:
            append(_SIMPLE_ESCAPES.get(c, c))
    result = "".join(out)
    if _SURROGATE_RE.search(result):
        # Pair up surrogates the way a Java string holds them; unpaired ones are kept as they are.
        result = result.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")
    return result, malformed


# --------------------------------------------------------------------------------------------------
# Physical and logical lines


@dataclass(slots=True)
class _Source:
    text: str
    line_starts: list[int]  # offset of each physical line's first char
    line_ends: list[int]  # offset just past each physical line's content (before its terminator)
    terminators: list[str]  # each line's terminator: "\n", "\r\n", "\r" or "" (last line)


@dataclass(slots=True)
class LogicalLine:
    """One logical line as Java's LineReader returns it, with where each piece came from."""

    first_line: int  # 0-based index of its first physical line
    last_line: int  # 0-based index of its last physical line (a blank continuation line included)
    end: int  # offset just past its last char (end of the last physical line's content)
    segments: list[tuple[int, str]]  # (source offset, text) of the pieces joined into the buffer


@dataclass(slots=True)
class CommentLine:
    line: int  # 0-based physical line
    marker: int  # offset of the '#' / '!'
    end: int


@dataclass(slots=True)
class Structure:
    items: list[LogicalLine | CommentLine]
    truncated: bool


def split_lines(text: str) -> _Source:
    starts = [0]
    ends: list[int] = []
    terms: list[str] = []
    for m in _TERMINATOR_RE.finditer(text):
        ends.append(m.start())
        terms.append(m.group())
        starts.append(m.end())
    if starts[-1] < len(text) or not ends:
        ends.append(len(text))
        terms.append("")
    else:
        starts.pop()  # the text ends with a terminator: no empty last line
    return _Source(text, starts, ends, terms)


def _grammar():
    import lark

    global _LARK
    if _LARK is None:
        text = resources.files("cfglint.grammars").joinpath("properties.lark").read_text(encoding="utf-8")
        _LARK = lark.Lark(text, parser="lalr", lexer="basic")
    return _LARK


_LARK = None


def grammar_structure(src: _Source) -> Structure:
    """The oracle: reproduce `Properties.LineReader.readLine`: the grammar finds comments and logical lines; this
    cuts each logical line into the pieces Java joins (continuation backslashes and the next line's
    leading blanks removed) and handles what depends on the end of the input."""
    text = src.text
    size = len(text)
    starts, ends = src.line_starts, src.line_ends
    items: list[LogicalLine | CommentLine] = []
    truncated = False
    import lark

    for node in _grammar().parse(text).children:
        if isinstance(node, lark.Token):  # NL, BLANK
            continue
        tok = node.children[0]
        t = str(tok)
        start = tok.start_pos
        end_pos = tok.end_pos
        first_line = bisect_right(starts, start) - 1
        body = t.lstrip(BLANKS)
        off = end_pos - len(body)
        kind = node.data
        if kind == "comment":
            items.append(CommentLine(first_line, off, end_pos))
        elif kind == "lone":
            # Java peeks one char past the first line-end char: at the end of the input it returns
            # the (empty) line, which gives the entry "" = "". After "\r\n" it reads the "\n"
            # first, then meets the end with an empty line and returns nothing.
            rest = text[end_pos:] if size - end_pos <= 2 else None
            if rest in ("", "\n", "\r", "\r\n"):
                truncated = True
                if rest != "\r\n":
                    items.append(LogicalLine(first_line, first_line, ends[first_line], [(off, "")]))
        else:
            segments: list[tuple[int, str]] = []
            in_continuation = False
            pos = 0
            for m in _TERMINATOR_RE.finditer(body):
                # Inside the token a line end always follows the continuation backslash.
                segments.append((off + pos, body[pos : m.start() - 1]))
                pos = m.end()
                while pos < len(body) and body[pos] in BLANKS:
                    pos += 1
                in_continuation = True
            if pos < len(body):
                last = body[pos:]
                in_continuation = False
                if (len(last) - len(last.rstrip("\\"))) & 1:
                    # A dangling backslash at the end of the input: Java drops it.
                    last = last[:-1]
                    in_continuation = True
                segments.append((off + pos, last))
            if in_continuation and end_pos == size:
                truncated = True
            # A blank continuation line ends the logical line and belongs to it; a continuation
            # cut by the end of the input ends on the line of the backslash.
            last_line = bisect_right(starts, end_pos) - 1
            end = min(end_pos, ends[last_line])
            items.append(LogicalLine(first_line, last_line, end, segments))
    return Structure(items, truncated)


def scan_structure(src: _Source) -> Structure:
    """The line structure in one pass over the physical lines (`Properties.LineReader.readLine`).

    This is the parser's hot path. `grammar_structure` reads the same structure with the lark
    grammar; the tests hold the two equal on the corpus and on random input."""
    text = src.text
    starts, ends, terms = src.line_starts, src.line_ends, src.terminators
    n = len(starts)
    size = len(text)
    items: list[LogicalLine | CommentLine] = []
    truncated = False
    i = 0
    while i < n:
        start = starts[i]
        end = ends[i]
        content = text[start:end]
        cur = content.lstrip(BLANKS)
        if not cur:
            i += 1
            continue
        cur_off = end - len(cur)
        first = cur[0]
        if first == "#" or first == "!":
            items.append(CommentLine(i, cur_off, end))
            i += 1
            continue
        first_line = i
        segments: list[tuple[int, str]] = []
        while True:
            nbs = len(cur) - len(cur.rstrip("\\"))
            if not nbs & 1:
                segments.append((cur_off, cur))
                items.append(LogicalLine(first_line, i, end, segments))
                i += 1
                break
            # An odd number of trailing backslashes: the last one is not part of the line.
            segments.append((cur_off, cur[:-1]))
            term = terms[i]
            # Java peeks one char past the first terminator char: at end of input it returns the
            # line as it is (even when empty: a lone "\\" as the last line gives the entry "" = "").
            if not term or (term != "\r\n" and end + 1 >= size):
                truncated = True
                items.append(LogicalLine(first_line, i, end, segments))
                i += 1
                break
            empty = len(segments) == 1 and len(cur) == 1
            i += 1
            if i >= n:
                # Only "\r\n" gets here: the "\n" is swallowed, then end of input.
                truncated = True
                if not empty:
                    items.append(LogicalLine(first_line, i - 1, end, segments))
                break
            if empty:
                # A logical line made of one backslash: the reader goes on as on a fresh line.
                break
            start = starts[i]
            end = ends[i]
            content = text[start:end]
            cur = content.lstrip(BLANKS)
            if not cur:
                # A blank continuation line ends the logical line (it is part of it).
                if not terms[i]:
                    truncated = True
                items.append(LogicalLine(first_line, i, end, segments))
                i += 1
                break
            cur_off = end - len(cur)
    return Structure(items, truncated)



# --------------------------------------------------------------------------------------------------
# Model building (shared by every line-structure implementation)


class _Positions:
    def __init__(self, src: _Source, path: str):
        self.src = src
        self.path = path

    def loc(self, offset: int) -> tuple[int, int]:
        starts = self.src.line_starts
        idx = bisect_right(starts, offset) - 1
        return idx + 1, offset - starts[idx] + 1

    def span(self, start: int, end: int) -> Span:
        line, col = self.loc(start)
        end_line, end_col = self.loc(end) if end != start else (line, col)
        return Span(path=self.path, line=line, column=col, end_line=end_line, end_column=end_col)

    def line_span(self, idx: int, start: int, end: int) -> Span:
        """A span inside physical line `idx` (0-based): no search needed."""
        base = self.src.line_starts[idx] - 1
        return Span(path=self.path, line=idx + 1, column=start - base, end_line=idx + 1, end_column=end - base)


def _buffer_offset(segments: list[tuple[int, str]], index: int) -> int:
    """Source offset of the buffer char at `index` (which must exist)."""
    for off, piece in segments:
        if index < len(piece):
            return off + index
        index -= len(piece)
    raise IndexError(index)  # pragma: no cover - callers pass valid indexes


def _raw_text(ll: LogicalLine, src: _Source) -> str | None:
    """The source text of a logical line (physical lines joined with "\n"), or None when it is its
    one segment (a single line without indentation): the entry then keeps that string itself."""
    start = src.line_starts[ll.first_line]
    if ll.last_line == ll.first_line:
        off, piece = ll.segments[0]
        if off == start and len(piece) == ll.end - start:
            return None
        return src.text[start : ll.end]
    return _TERMINATOR_RE.sub("\n", src.text[start : ll.end])


def build_entry(ll: LogicalLine, pos: _Positions, raw: str | None) -> PropEntry:
    """Java's `Properties.load0` on one logical line, plus spans. `raw`: `_raw_text` of the line."""
    src = pos.src
    segments = ll.segments
    buf = segments[0][1] if len(segments) == 1 else "".join(s for _, s in segments)
    limit = len(buf)
    key_len = _KEY_RE.match(buf).end()  # type: ignore[union-attr]
    separator = ""
    value_start = limit
    has_sep = False
    if key_len < limit:
        c = buf[key_len]
        value_start = key_len + 1
        if c == "=" or c == ":":
            has_sep = True
            separator = c
        else:
            separator = " "
        value_start = _BLANKS_RE.match(buf, value_start).end()  # type: ignore[union-attr]
        if not has_sep and value_start < limit and buf[value_start] in "=:":
            separator = buf[value_start]
            value_start = _BLANKS_RE.match(buf, value_start + 1).end()  # type: ignore[union-attr]

    key, bad_key = load_convert(buf[:key_len])
    value, bad_value = load_convert(buf[value_start:])

    line_start = src.line_starts[ll.first_line]
    if ll.last_line == ll.first_line:
        # One physical line (the common case): every offset is on it.
        idx = ll.first_line
        span = pos.line_span(idx, line_start, ll.end)
        key_start = segments[0][0]
        key_span = pos.line_span(idx, key_start, key_start + key_len)
        value_from = key_start + value_start if value_start < limit else ll.end
        value_span = pos.line_span(idx, value_from, ll.end)
    else:
        span = pos.span(line_start, ll.end)
        if key_len:
            key_span = pos.span(segments[0][0], _buffer_offset(segments, key_len - 1) + 1)
        else:
            key_span = pos.span(segments[0][0], segments[0][0])
        if value_start < limit:
            value_span = pos.span(_buffer_offset(segments, value_start), ll.end)
        else:
            value_span = pos.span(ll.end, ll.end)

    continued = ll.last_line != ll.first_line
    if raw is None:  # the line is its one segment: the same string, not a second copy of it
        raw = buf
    return PropEntry(
        span=span,
        key=key,
        value=value,
        raw=raw,
        key_span=key_span,
        value_span=value_span,
        separator=separator,
        continued=continued,
        malformed_escape=bad_key or bad_value,
    )


def build_comment(cl: CommentLine, pos: _Positions) -> Comment:
    return Comment(span=pos.line_span(cl.line, cl.marker, cl.end), text=pos.src.text[cl.marker + 1 : cl.end])


M = TypeVar("M", bound=PropertiesFile)


def build_model(
    cls: type[M], data: bytes, path: str, src: _Source, structure: Structure, *, release_text: bool = False
) -> M:
    """The model. Everything that reads the source text is taken first; with `release_text` the
    text is then let go (`src.text` becomes ""), so that the entries are built beside the lines'
    own strings only: a 30 MB one-line file is not held as text, line and value at once."""
    pos = _Positions(src, path)
    comments: list[Comment] = []
    raws: dict[int, str | None] = {}
    for k, item in enumerate(structure.items):
        if isinstance(item, LogicalLine):
            raws[k] = _raw_text(item, src)
        else:
            comments.append(build_comment(item, pos))

    bom = data.startswith(BOM)
    text = src.text
    non_latin1: list[int] = []
    if not text.isascii():
        skip = len(BOM) if bom else 0  # the BOM is reported by `bom`, not as a non-ASCII line
        seen = -1
        for m in _NON_ASCII_RE.finditer(text, skip):
            line = pos.loc(m.start())[0]
            if line != seen:
                non_latin1.append(line)
                seen = line

    endings: list[str] = []
    for t in src.terminators:
        if t and t not in endings:
            endings.append(t)
            if len(endings) == 3:
                break

    del text
    if release_text:
        src.text = ""
    entries: list[PropEntry] = []
    for k, item in enumerate(structure.items):
        if isinstance(item, LogicalLine):
            entries.append(build_entry(item, pos, raws[k]))

    return cls(
        path=path,
        comments=comments,
        entries=entries,
        bom=bom,
        line_endings=endings,
        non_latin1_lines=non_latin1,
        truncated=structure.truncated,
    )


def _parse(cls: type[M], data: bytes, path: str) -> M:
    src = split_lines(data.decode("latin-1"))  # `src` holds the text: build_model lets it go
    return build_model(cls, data, path, src, scan_structure(src), release_text=True)


def parse_properties(data: bytes, path: str) -> PropertiesFile:
    """Parse a `.properties` file as `java.util.Properties.load(InputStream)` does."""
    return _parse(PropertiesFile, data, path)


def parse_davmail(data: bytes, path: str) -> DavmailProperties:
    """Parse a `davmail.properties` file (same reading, DavMail model)."""
    return _parse(DavmailProperties, data, path)
