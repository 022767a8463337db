"""Bash scripts read with tree-sitter-bash, then modelled (`cfglint.shell.model`).

Steps, each total (never raises on any input):

1. Decode: UTF-8 with replacement (the engine reports invalid bytes as CFG003), a leading BOM
   dropped (recorded). Lines end at "\\n", "\\r\\n" and a lone "\\r", as the engine numbers them;
   lines ending in "\\r\\n" are recorded. tree-sitter treats "\\r" as blank, bash keeps it in the word:
   a word right before a "\\r" gets it back (`export JAVA_HOME=/usr/java\\r` -> value ends in "\\r").
2. Here-documents are read here, not by tree-sitter (which breaks on `cat <<E; cmd`, `cat <<E &`,
   two heredocs on one line, and nests the pipeline of `cat <<E | cmd` inside the redirect): each
   operator found in the tree (and any further `<<` on its line) gets its body read the bash way,
   then the body and delimiter lines are blanked and `<<DELIM` becomes `< DELIM`, offsets kept, so
   the re-parse sees only commands. Bodies are data on the model.
3. Error recovery. tree-sitter marks what it cannot read with ERROR/MISSING nodes, and its
   recovery may glue the following lines to the bad statement or swallow the rest of the file.
   For the first error: try blanking one `[ ... ]` test or one line near it (the known failure
   modes are a test expression it cannot parse, an extglob in an array); if that does not give a
   clean parse of the statement, cut from the start of the top-level statement to the next
   top-level line that parses (column 0, not a closing keyword); else to the end of the file.
   Repeat. Each cut or blanked range is an error region (a CFG004 ParseProblem): nothing in it is
   modelled, and the lines after it are.
4. Walk the tree into the internal representation (`cfglint.shell.ir`), evaluate it once under an
   unknown environment (`cfglint.shell.interp`), and build the model (`cfglint.shell.model`).

Two more tree-sitter-bash quirks are undone: a line holding only assignments (`A=1 B=2`) is
glued to the command on the next line (the line gets a `;`, offsets kept, before the real
parse), and some words are cut in two (`PATH=$PATH:$HADOOP_HOME/bin` ends at `:$`, `'a b'\\c`
and `R=\\ $x` lose a piece): each word's end is found again with `values.scan_word`, bash's
word boundaries, and the nodes inside it are dropped.
"""

from __future__ import annotations

import gc
import re
from array import array
from bisect import bisect_right
from typing import TypeVar

from cfglint.api import Comment, ParseProblem, Span
from cfglint.shell.ir import IAssign, ICmd, ICond, IFunc, IHeredoc, IRedirect, IWord
from cfglint.shell.model import (
    Assignment,
    Command,
    Condition,
    Function,
    Heredoc,
    Redirect,
    ShellScript,
    Word,
)
from cfglint.shell.values import EMPTY, Value, lex_word, scan_word

__all__ = ["build", "parse_shell"]

S = TypeVar("S", bound=ShellScript)

_PARSER = None
_QUERY = None


def _ts_parser():
    global _PARSER
    if _PARSER is None:
        import tree_sitter_bash
        from tree_sitter import Language, Parser

        _PARSER = Parser(Language(tree_sitter_bash.language()))
    return _PARSER


def _captures(node, name: str) -> list:
    """Nodes of one type under `node`, in document order (a tree-sitter query: fast)."""
    global _QUERY
    if _QUERY is None:
        import tree_sitter_bash
        from tree_sitter import Language, Query

        lang = Language(tree_sitter_bash.language())
        _QUERY = {t: Query(lang, f"({t}) @n") for t in ("heredoc_start", "comment", "command")}
    from tree_sitter import QueryCursor

    nodes = QueryCursor(_QUERY[name]).captures(node).get("n", [])
    nodes.sort(key=lambda n: n.start_byte)
    return nodes


def _ts_parse(buf: bytes, old=None, edit: tuple[int, int] | None = None, old_buf: bytes | None = None):
    """Parse; with `old` (the tree of `old_buf`) and `edit` (a same-length change of bytes
    [s, e)), incrementally."""
    if old is not None and edit is not None and old_buf is not None:
        s, e = edit
        old = old.copy()
        old.edit(start_byte=s, old_end_byte=e, new_end_byte=e, start_point=_point(old_buf, s),
                 old_end_point=_point(old_buf, e), new_end_point=_point(buf, e))
        return _ts_parser().parse(buf, old)
    global _LAST
    if _LAST is not None and _LAST[0] == buf:
        return _LAST[1]  # the pre-passes often parse an unchanged buffer again
    tree = _ts_parser().parse(buf)
    _LAST = (buf, tree)
    return tree


_LAST: tuple[bytes, object] | None = None


def _point(buf: bytes, b: int) -> tuple[int, int]:
    row = buf.count(b"\n", 0, b)
    col = b - (buf.rfind(b"\n", 0, b) + 1)
    return (row, col)


# --------------------------------------------------------------------------------------------------
# Source text and positions

_TERM_RE = re.compile(r"\r\n?|\n")


class _Source:
    def __init__(self, data: bytes, path: str):
        text = data.decode("utf-8", errors="replace")
        self.bom = text.startswith("\ufeff")
        if self.bom:
            text = text[1:]
        self.path = path
        self.text = text
        self.buf = text.encode("utf-8")
        self.b2c: array | None = None
        if len(self.buf) != len(text):
            b2c = array("l")
            for i, ch in enumerate(text):
                o = ord(ch)
                b2c.extend([i] * (1 if o < 0x80 else 2 if o < 0x800 else 3 if o < 0x10000 else 4))
            b2c.append(len(text))
            self.b2c = b2c
        starts = [0]
        crlf: list[int] = []
        cr: list[int] = []
        for m in _TERM_RE.finditer(text):
            t = m.group()
            if t == "\r\n":
                crlf.append(len(starts))
            elif t == "\r":
                cr.append(len(starts))
            starts.append(m.end())
        self.line_starts = starts
        ends = []
        for k, st in enumerate(starts):
            e = starts[k + 1] if k + 1 < len(starts) else len(text)
            while e > st and text[e - 1] in "\r\n":
                e -= 1
            ends.append(e - st)
        self.line_len = ends  # each line's length without its terminator
        self.crlf_lines = crlf
        self.cr_lines = cr
        # byte offsets of "\n"-lines (tree-sitter's rows), for recovery
        self.nl_starts = [0] + [m.end() for m in re.finditer(rb"\n", self.buf)]

    def c(self, b: int) -> int:
        """Char offset of byte offset `b`."""
        if self.b2c is None:
            return b
        if b >= len(self.b2c):
            return len(self.text)
        return self.b2c[b]

    def loc(self, c: int) -> tuple[int, int]:
        idx = bisect_right(self.line_starts, c) - 1
        return idx + 1, c - self.line_starts[idx] + 1

    def span(self, cs: int, ce: int) -> Span:
        line, col = self.loc(cs)
        col = min(col, self.content_len(line) + 1)
        if ce <= cs:
            return Span(path=self.path, line=line, column=col, end_line=line, end_column=col)
        # an end right after a line terminator is shown at the end of the previous line
        eline, ecol = self.loc(ce)
        if ecol == 1 and eline > line:
            eline -= 1
            ecol = self.content_len(eline) + 1
        else:
            # never past the line's content (a word keeps the "\r" of "\r\n": not its span)
            ecol = min(ecol, self.content_len(eline) + 1)
        return Span(path=self.path, line=line, column=col, end_line=eline, end_column=ecol)

    def content_len(self, line: int) -> int:
        """Length of a line (1-based) without its terminator."""
        return self.line_len[line - 1]

    def bspan(self, bs: int, be: int) -> Span:
        return self.span(self.c(bs), self.c(be))

    def nl_line(self, b: int) -> int:
        """0-based "\\n"-line of byte offset b."""
        return bisect_right(self.nl_starts, b) - 1


# --------------------------------------------------------------------------------------------------
# Here-documents

_EXTRA_HD_RE = re.compile(rb"(?<!<)<<(-?)[ \t]*(['\"]?)([^\s;&|<>()'\"]+)\2")


def _delimiter(raw: str) -> tuple[str, bool]:
    if not any(ch in raw for ch in "'\"\\"):
        return raw, False
    return "".join(s[1] for s in lex_word(raw) if s[0] == "lit"), True


def _iter_type(node, types: set[str]):
    """Every descendant of the given types, in document order (does not descend into them)."""
    stack = [node]
    while stack:
        n = stack.pop()
        if n.type in types:
            yield n
            continue
        if n.child_count:
            stack.extend(reversed(n.children))


def _unglue(buf: bytearray) -> None:
    """tree-sitter-bash continues a line holding only assignments (`A=1 B=2`) with the command on
    the next line. End such a line with a `;` (same length: the blank after the last assignment,
    or its newline) so it parses as bash reads it."""
    for _ in range(3):
        tree = _ts_parse(bytes(buf))
        patched = False
        for cmd in _captures(tree.root_node, "command"):
            kids = cmd.children
            name_i = next((i for i, ch in enumerate(kids) if ch.type == "command_name"), None)
            if not name_i:
                continue
            prefix = [ch for ch in kids[:name_i] if ch.type == "variable_assignment"]
            if not prefix:
                continue
            end = prefix[-1].end_byte
            gap = bytes(buf[end : kids[name_i].start_byte])
            if not re.search(rb"(?<!\\)\n", gap) or buf[end - 1 : end] == b"\\":
                continue
            if buf[end : end + 1] in (b" ", b"\t", b"\r", b"\n"):
                buf[end] = 0x3B  # ';'
                patched = True
        if not patched:
            return


def _read_heredocs(src: _Source, buf: bytearray) -> list[IHeredoc]:
    """Find heredoc operators, read their bodies, blank them in `buf` (see the module docstring)."""
    found: list[IHeredoc] = []
    known: set[int] = set()
    claimed: list[tuple[int, int]] = []  # byte ranges of bodies already read

    def inside_claimed(b: int) -> bool:
        return any(s <= b < e for s, e in claimed)

    for _ in range(4):
        tree = _ts_parse(bytes(buf))
        new: list[tuple[int, int, str, bool, str, bool]] = []  # op, op_end, delim, quoted, op text, strip
        for hs in _captures(tree.root_node, "heredoc_start"):
            redirect = hs.parent
            lo = redirect.start_byte if redirect is not None else 0
            op = bytes(buf).rfind(b"<<", lo, hs.start_byte)
            if op < 0 or op in known or inside_claimed(op):
                continue
            strip = buf[op + 2 : op + 3] == b"-"
            raw = bytes(buf[hs.start_byte : hs.end_byte]).decode("utf-8", "replace")
            delim, quoted = _delimiter(raw)
            if buf[hs.end_byte : hs.end_byte + 1] == b"\r":
                delim += "\r"
            new.append((op, op + (3 if strip else 2), delim, quoted, "<<-" if strip else "<<", strip))
        if not new:
            break
        # further operators on the same lines (tree-sitter reads only the first of `<<A <<B`)
        lines = {src.nl_line(n[0]) for n in new}
        for ln in sorted(lines):
            ls = src.nl_starts[ln]
            le = src.nl_starts[ln + 1] - 1 if ln + 1 < len(src.nl_starts) else len(buf)
            line = bytes(buf[ls:le])
            for m in _EXTRA_HD_RE.finditer(line):
                op = ls + m.start()
                if op in known or any(n[0] == op for n in new) or line[m.end() : m.end() + 1] == b"<":
                    continue
                before = line[: m.start()]
                if before.count(b"'") % 2 or before.count(b'"') % 2 or before.count(b"((") > before.count(b"))"):
                    continue
                strip = m.group(1) == b"-"
                raw = line[m.start(3) - len(m.group(2)) : m.end()].decode("utf-8", "replace")
                delim, quoted = _delimiter(raw)
                if line[m.end() : m.end() + 1] == b"\r":
                    delim += "\r"
                new.append((op, op + (3 if strip else 2), delim, quoted, "<<-" if strip else "<<", strip))
        new.sort()
        next_body: dict[int, int] = {}  # "\n"-line of an operator -> byte where its next body starts
        for op, op_end, delim, quoted, optext, strip in new:
            if inside_claimed(op):
                continue
            known.add(op)
            hd = IHeredoc(op, op_end, optext, delim, quoted, strip)
            ln = src.nl_line(op)
            pos = next_body.get(ln)
            if pos is None:
                # the body starts after the line (and its backslash continuations)
                k = ln
                while k + 1 < len(src.nl_starts) and buf[src.nl_starts[k + 1] - 2 : src.nl_starts[k + 1] - 1] == b"\\":
                    k += 1
                pos = src.nl_starts[k + 1] if k + 1 < len(src.nl_starts) else len(buf)
            dbytes = delim.encode("utf-8")
            body_start = pos
            body: list[bytes] = []
            terminated = False
            end = len(buf)
            while pos < len(buf):
                nl = buf.find(b"\n", pos)
                line_end = len(buf) if nl < 0 else nl
                line = bytes(buf[pos:line_end])
                cmp = line.lstrip(b"\t") if strip else line
                if cmp == dbytes:
                    terminated = True
                    hd.body_end = pos
                    end = line_end
                    pos = line_end + 1 if nl >= 0 else len(buf)
                    break
                body.append(cmp)
                pos = line_end + 1 if nl >= 0 else len(buf)
            if not terminated:
                hd.body_end = len(buf)
                end = len(buf)
            hd.body_start = body_start
            hd.end = end
            hd.terminated = terminated
            hd.body = b"\n".join(body).decode("utf-8", "replace") + ("\n" if body and terminated else "")
            if body and not terminated and bytes(buf).endswith(b"\n"):
                hd.body += "\n"
            next_body[ln] = pos
            claimed.append((body_start, max(end, body_start)))
            found.append(hd)
            # neutralise: `<<DELIM` -> `< DELIM`, body and delimiter lines blank
            buf[op + 1 : op_end] = b" " * (op_end - op - 1)
            for b in range(body_start, min(end, len(buf))):
                if buf[b] != 0x0A:
                    buf[b] = 0x20
    return found


# --------------------------------------------------------------------------------------------------
# Error recovery

_TEST_RE = re.compile(rb"(?:^|(?<=[\s;&|!(]))\[\[?[ \t].*?[ \t]\]\]?(?=[\s;&|)]|$)", re.S)
_CLOSERS = re.compile(rb"[ \t]*(\}|\)|fi\b|done\b|esac\b|;;|then\b|do\b|else\b|elif\b|\{)")
_STRUCTURE = re.compile(
    rb"(?:^|[\s;&|(])(?:if|then|else|elif|fi|do|done|while|until|for|select|case|esac|function)(?=$|[\s;&|)])"
    rb"|(?:^|\s)\{\s*$|(?:^|[\s;&])\}|\(\)"
)
_MAX_TRIALS = 80
_WINDOW = 12


def _first_error(root):
    """The first ERROR or MISSING node in document order, or None."""
    if not root.has_error:
        return None
    node = root
    while True:
        nxt = None
        for ch in node.children:
            if ch.type == "ERROR" or ch.is_missing:
                return ch
            if ch.has_error:
                nxt = ch
                break
        if nxt is None:
            return node if node is not root else None
        node = nxt


def _top_after(root, b: int):
    """The first top-level statement (not a comment) ending after byte b."""
    for ch in root.children:
        if ch.end_byte > b and ch.type != "comment":
            return ch
    return None


def _accepts(tree, from_byte: int, old_err: int) -> bool:
    """The change at `from_byte` fixed the statement there: no error up to its end, and the
    first error (if any) comes after the one being fixed."""
    err = _first_error(tree.root_node)
    if err is None:
        return True
    st = _top_after(tree.root_node, from_byte)
    return st is not None and not st.has_error and err.start_byte >= st.end_byte and err.start_byte > old_err


def _reason(err, buf: bytes) -> str:
    if err.is_missing:
        return f"missing `{err.type}`"
    text = bytes(buf[err.start_byte : err.end_byte]).decode("utf-8", "replace").strip()
    text = text.splitlines()[0] if text else ""
    if len(text) > 40:
        text = text[:37] + "..."
    return f"unexpected `{text}`" if text else "unexpected end of input"


def _blank(buf: bytearray, s: int, e: int, colon: bool = False) -> bytearray:
    """Blank bytes [s, e), keeping line ends. `colon`: leave a `:` command in place of the first
    non-blank byte, and blank line ends too (a test over continuation lines becomes one `:`)."""
    out = bytearray(buf)
    placed = not colon
    for b in range(s, min(e, len(out))):
        ch = out[b]
        if ch == 0x0A and not colon:
            continue
        if not placed and ch not in (0x20, 0x09, 0x0A, 0x0D):
            out[b] = 0x3A  # ':'
            placed = True
        else:
            out[b] = 0x20
    return out


def _recover(src: _Source, buf: bytearray):
    """Parse `buf`, blanking error regions until the tree is clean (or the budget is spent).
    Returns (tree, buf, regions) with regions as (start byte, end byte, reason)."""
    tree = _ts_parse(bytes(buf))
    regions: list[tuple[int, int, str]] = []
    trials = 0
    nls = src.nl_starts
    nlines = len(nls)

    def line_range(ln: int) -> tuple[int, int]:
        s = nls[ln]
        e = nls[ln + 1] - 1 if ln + 1 < nlines else len(buf)
        return s, e

    while tree.root_node.has_error and trials < _MAX_TRIALS:
        err = _first_error(tree.root_node)
        if err is None:
            break
        reason = _reason(err, buf)
        root = tree.root_node
        top = None
        for ch in root.children:
            if ch.start_byte > err.start_byte:
                break
            top = ch  # the last top-level statement starting at or before the error
            if err.start_byte < ch.end_byte or ch is err:
                break
        if top is None:
            top = err
        s_line = src.nl_line(min(top.start_byte, err.start_byte))
        f_line = src.nl_line(err.start_byte)
        last_line = src.nl_line(max(top.end_byte - 1, top.start_byte))
        fixed = False
        # a construct left open at the end of the file (`f() {`, `"...`): bash runs none of it
        at_eof = err.is_missing and not bytes(buf[err.start_byte :]).strip()
        # tier 1: blank one test expression or one line near the error
        after = list(range(f_line + 1, min(f_line + _WINDOW, last_line, nlines - 1) + 1))
        before = list(range(f_line - 1, max(s_line, f_line - _WINDOW) - 1, -1))
        order = [f_line]
        for k in range(max(len(after), len(before))):
            order += before[k : k + 1] + after[k : k + 1]
        for ln in ([] if at_eof else order):
            if trials >= _MAX_TRIALS:
                break
            ls, le = line_range(ln)
            line = bytes(buf[ls:le])
            stripped = line.strip()
            if not stripped or stripped.startswith(b"#") or stripped == b":":
                continue
            # a test may run over continuation lines
            k, le2 = ln, le
            while le2 > 0 and buf[le2 - 1 : le2] == b"\\" and k + 1 < nlines:
                k += 1
                le2 = line_range(k)[1]
            logical = bytes(buf[ls:le2])
            masks = [(ls + m.start(), ls + m.end()) for m in _TEST_RE.finditer(logical)]
            # a whole line, unless it opens or closes a compound (blanking it would re-nest the rest)
            if not _CLOSERS.match(line) and not _STRUCTURE.search(line):
                first = ls + (len(line) - len(line.lstrip()))
                masks.append((first, le))
            for ms, me in masks:
                trial = _blank(buf, ms, me, colon=True)
                trials += 1
                t2 = _ts_parse(bytes(trial), tree, (ms, me), bytes(buf))
                if _accepts(t2, ms, err.start_byte):
                    buf, tree = trial, t2
                    snippet = bytes(src.buf[ms:me]).decode("utf-8", "replace").strip()
                    if len(snippet) > 60:
                        snippet = snippet[:57] + "..."
                    regions.append((ms, me, f"`{snippet}`"))
                    fixed = True
                    break
                if trials >= _MAX_TRIALS:
                    break
            if fixed:
                break
        if fixed:
            continue
        # tier 2: cut from the statement's first line to a later top-level line that parses
        start = nls[s_line]
        cut_end = len(buf)
        for ln in range(max(f_line, s_line) + 1, nlines):
            if trials >= _MAX_TRIALS:
                break
            ls, le = line_range(ln)
            line = bytes(buf[ls:le])
            if not line.strip() or line[:1] in (b" ", b"\t", b"#") or _CLOSERS.match(line):
                continue
            trial = _blank(buf, start, ls)
            trials += 1
            t2 = _ts_parse(bytes(trial), tree, (start, ls), bytes(buf))
            if _accepts(t2, ls, err.start_byte):
                cut_end = ls
                buf, tree = trial, t2
                fixed = True
                break
        if not fixed:
            buf = _blank(buf, start, len(buf))
            tree = _ts_parse(bytes(buf))
            trials += 1
            if tree.root_node.has_error:  # pragma: no cover - blanking to the end always parses
                trials = _MAX_TRIALS
        # the region ends at its last non-blank line
        end = cut_end
        while end > start and src.buf[end - 1 : end] in (b"\n", b"\r", b" ", b"\t"):
            end -= 1
        regions.append((start, max(end, start), f"{reason} on line {f_line + 1}"))
    if tree.root_node.has_error:
        # budget spent: every remaining statement with an error is a region (the walker skips it)
        for ch in tree.root_node.children:
            if ch.has_error or ch.type == "ERROR":
                err = _first_error(ch) or ch
                regions.append((ch.start_byte, ch.end_byte,
                                f"{_reason(err, buf)} on line {src.nl_line(err.start_byte) + 1}"))
    return tree, buf, regions


# --------------------------------------------------------------------------------------------------
# The walk

_WORDISH = {
    "word", "string", "raw_string", "concatenation", "simple_expansion", "expansion",
    "command_substitution", "number", "ansi_c_string", "translated_string", "process_substitution",
    "arithmetic_expansion", "brace_expression", "extglob_pattern", "regex", "test_operator",
    "variable_name", "special_variable_name",
}
_DECL_KEYWORDS = {"export", "declare", "typeset", "local", "readonly"}
_WORD_END_CHARS = frozenset(" \t\n;&|<>()")
# word nodes whose end is re-found with scan_word (tree-sitter splits some words)
_SCANNED = {
    "word", "string", "raw_string", "concatenation", "simple_expansion", "expansion",
    "command_substitution", "number", "ansi_c_string", "translated_string", "variable_name",
}
_VALUE_LOOKING = re.compile(r"""[/~$"'.0-9\\]|-[A-Za-z]""")
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_READ_OPTS_WITH_ARG = set("adinNptu")
_BAD_IDENT_MSG = "bash runs `{kw} {name}` and then fails on `{rest}`: not a valid identifier; {name} is not assigned"


class _Walker:
    def __init__(self, src: _Source, buf: bytes, heredocs: list[IHeredoc], skip: list[tuple[int, int]]):
        self.src = src
        self.buf = buf
        self.hd_by_op = {h.op_start: h for h in heredocs}
        self.skip = skip
        self.nwords = 0
        self.words: list[IWord] = []
        self.cmds: list[ICmd] = []
        self.assigns: list[IAssign] = []
        self.funcs: list[IFunc] = []
        self.conds: tuple[ICond, ...] = ()
        self.func_stack: list[IFunc] = []
        self.subshell = False
        self.subst: str | None = None
        self.pending: list = []
        self.limit: int | None = None  # words end before the closing `)`/backquote of a substitution

    # -- helpers -------------------------------------------------------------------------------------
    def c(self, b: int) -> int:
        return self.src.c(b)

    def text(self, node) -> str:
        return self.src.text[self.c(node.start_byte) : self.c(node.end_byte)]

    def mkword(self, cs: int, ce: int, assignment: bool = False) -> IWord:
        text = self.src.text
        # bash keeps a "\r" before the line end in the word; tree-sitter reads it as a blank
        if ce < len(text) and text[ce] == "\r" and ce > cs:
            ce += 1
        w = IWord(self.nwords, cs, ce, text[cs:ce], assignment)
        self.nwords += 1
        self.words.append(w)
        return w

    def word(self, node, assignment: bool = False, start: int | None = None, end: int | None = None) -> IWord:
        cs = self.c(node.start_byte) if start is None else start
        if start is None:
            # tree-sitter starts `\ $x` at the `$`: an escaped blank belongs to the word
            text = self.src.text
            while cs >= 2 and text[cs - 1] in " \t" and text[cs - 2] == "\\" and (cs < 3 or text[cs - 3] != "\\"):
                cs -= 2
        ce = self.c(node.end_byte) if end is None else max(end, self.c(node.end_byte))
        if node.type in _SCANNED:
            ce = self.word_end(cs, ce)
        w = self.mkword(cs, ce, assignment)
        t = w.text
        if "$(" in t or "`" in t or "<(" in t or ">(" in t:
            for sub in _iter_type(node, {"command_substitution", "process_substitution"}):
                self.substitution(sub)
        return w

    def substitution(self, node) -> None:
        saved = (self.subst, self.subshell, self.limit)
        self.subst = "process" if node.type == "process_substitution" else "command"
        self.subshell = True
        self.limit = self.c(node.end_byte) - 1
        saved_pending = self.pending
        self.pending = []
        body = self.seq([ch for ch in node.children if ch.is_named])
        inner = self.pending
        self.pending = saved_pending
        self.subst, self.subshell, self.limit = saved
        stmt = ("seq", inner + [body]) if inner else body
        self.pending.append(("sub", stmt))

    def take_pending(self) -> list:
        p, self.pending = self.pending, []
        return p

    def new_cmd(self, node_start: int, node_end: int, kind: str = "simple") -> ICmd:
        cmd = ICmd(self.c(node_start), self.c(node_end), kind)
        cmd.conds = self.conds
        cmd.function = self.func_stack[-1].name if self.func_stack else None
        cmd.subshell = self.subshell
        cmd.substitution = self.subst
        self.cmds.append(cmd)
        if self.func_stack:
            self.func_stack[-1].cmds.append(cmd)
        return cmd

    def add_assign(self, cmd: ICmd, a: IAssign) -> IAssign:
        a.cmd = cmd
        cmd.assigns.append(a)
        self.assigns.append(a)
        if self.func_stack and a.scope == "global" and a.via not in ("local",):
            for f in self.func_stack:
                f.assigned.add(a.name)
        return a

    def mark(self, start: int, **flags) -> None:
        """Set flags on the commands created since index `start` (same substitution level)."""
        for cmd in self.cmds[start:]:
            for k, v in flags.items():
                if k == "subshell":
                    cmd.subshell = cmd.subshell or v
                elif k in ("negated", "pipeline"):
                    if cmd.substitution == self.subst and (k != "pipeline" or cmd.pipeline is None):
                        setattr(cmd, k, v)
                else:
                    setattr(cmd, k, v)

    def tests_since(self, start: int) -> list[ICmd]:
        out = [c for c in self.cmds[start:] if c.substitution == self.subst]
        for c in out:
            c.tested = True
        return out

    def word_end(self, cs: int, ce: int) -> int:
        """Where the bash word starting at cs ends, given that tree-sitter ends it at ce."""
        text = self.src.text
        if ce >= len(text) or text[ce] in _WORD_END_CHARS or (self.limit is not None and ce >= self.limit):
            return ce
        return max(ce, scan_word(text, cs, self.limit))

    def in_region(self, b: int) -> bool:
        return any(rs <= b < re_ for rs, re_ in self.skip)

    # -- statements ----------------------------------------------------------------------------------
    def seq(self, nodes) -> tuple:
        out = []
        nodes = list(nodes)
        for i, node in enumerate(nodes):
            if not node.is_named or node.type == "comment":
                continue
            nxt = nodes[i + 1] if i + 1 < len(nodes) else None
            bg = nxt is not None and not nxt.is_named and nxt.type == "&"
            start = len(self.cmds)
            if bg:
                saved = self.subshell
                self.subshell = True
                st = self.stmt(node)
                self.subshell = saved
                self.mark(start, background=True)
                if st is not None:
                    out.append(("sub", st))
            else:
                st = self.stmt(node)
                if st is not None:
                    out.append(st)
        return ("seq", out)

    def stmt(self, node):
        t = node.type
        if t == "ERROR" or node.is_missing:
            return None
        if self.in_region(node.start_byte) and t not in ("list", "pipeline", "negated_command", "redirected_statement"):
            return None  # a placeholder (or what tree-sitter glued to it) in an error region
        if node.has_error and node.parent is not None and node.parent.type == "program":
            return None
        handler = getattr(self, "st_" + t, None)
        if handler is not None:
            return handler(node)
        if t in ("comment", "heredoc_body", "heredoc_start", "heredoc_end"):
            return None
        # unknown construct: look for statements inside
        return self.seq([ch for ch in node.children if ch.is_named])

    def st_program(self, node):
        return self.seq(node.children)

    st_do_group = st_program

    def st_compound_statement(self, node):
        if node.child_count and node.children[0].type == "((":
            return None  # arithmetic command ((...)): no effect modelled
        return self.seq(node.children)

    def st_subshell(self, node):
        saved = self.subshell
        self.subshell = True
        start = len(self.cmds)
        body = self.seq(node.children)
        self.mark(start, subshell=True)
        self.subshell = saved
        return ("sub", body)

    def st_negated_command(self, node):
        start = len(self.cmds)
        inner = [ch for ch in node.children if ch.is_named]
        st = self.seq(inner)
        self.mark(start, negated=True)
        return st

    def st_pipeline(self, node):
        parts = [ch for ch in node.children if ch.is_named and ch.type != "comment"]
        n = len(parts)
        out = []
        for i, p in enumerate(parts):
            start = len(self.cmds)
            saved = self.subshell
            if n > 1:
                self.subshell = True
            st = self.stmt(p)
            self.subshell = saved
            if n > 1:
                self.mark(start, pipeline=(i, n))
            if st is not None:
                out.append(st)
        return ("pipe", out) if n > 1 else (out[0] if out else None)

    def st_list(self, node):
        kids = node.children
        op_i = next((i for i, ch in enumerate(kids) if not ch.is_named and ch.type in ("&&", "||")), None)
        if op_i is None:
            return self.seq(kids)
        left_nodes = [ch for ch in kids[:op_i] if ch.is_named]
        right_nodes = [ch for ch in kids[op_i + 1 :] if ch.is_named]
        op = kids[op_i].type
        start = len(self.cmds)
        left = self.seq(left_nodes)
        tests = self.tests_since(start)
        when = "success" if op == "&&" else "failure"
        cond = ICond("and" if op == "&&" else "or", self.c(node.start_byte), self.c(node.end_byte), tests, when)
        saved = self.conds
        self.conds = saved + (cond,)
        right = self.seq(right_nodes)
        self.conds = saved
        return ("and" if op == "&&" else "or", left, right)

    def _test_when(self, cond_nodes, base: str) -> str:
        named = [n for n in cond_nodes if n.is_named and n.type != "comment"]
        if len(named) == 1 and named[0].type == "negated_command":
            return "failure" if base == "success" else "success"
        return base

    def st_if_statement(self, node):
        arms: list[tuple[list, list]] = []  # (condition nodes, body nodes)
        else_body = None
        cur_cond: list = []
        cur_body: list = []
        state = "cond"
        for ch in node.children:
            t = ch.type
            if not ch.is_named:
                if t == "then":
                    state = "body"
                elif t == "fi":
                    pass
                continue
            if t == "elif_clause" or t == "else_clause":
                continue
            (cur_cond if state == "cond" else cur_body).append(ch)
        arms.append((cur_cond, cur_body))
        for ch in node.children:
            if ch.type == "elif_clause":
                c2: list = []
                b2: list = []
                st2 = "cond"
                for k in ch.children:
                    if not k.is_named:
                        if k.type == "then":
                            st2 = "body"
                        continue
                    (c2 if st2 == "cond" else b2).append(k)
                arms.append((c2, b2))
            elif ch.type == "else_clause":
                else_body = [k for k in ch.children if k.is_named]
        saved = self.conds
        chain = saved
        out_arms = []
        span = (self.c(node.start_byte), self.c(node.end_byte))
        for i, (cn, bn) in enumerate(arms):
            self.conds = chain
            start = len(self.cmds)
            cst = self.seq(cn)
            tests = self.tests_since(start)
            when = self._test_when(cn, "success")
            arm = ICond("if" if i == 0 else "elif", *span, tests, when)
            self.conds = chain + (arm,)
            bst = self.seq(bn)
            out_arms.append((cst, bst))
            other = "failure" if when == "success" else "success"
            chain = chain + (ICond("else", *span, tests, other),)
        est = None
        if else_body is not None:
            self.conds = chain
            est = self.seq(else_body)
        self.conds = saved
        return ("if", out_arms, est)

    def st_while_statement(self, node):
        kw = node.children[0].type if node.child_count else "while"
        cond_nodes = [ch for ch in node.children if ch.is_named and node.field_name_for_child(node.children.index(ch)) == "condition"]
        body = node.child_by_field_name("body")
        start = len(self.cmds)
        cst = self.seq(cond_nodes)
        tests = self.tests_since(start)
        base = "success" if kw == "while" else "failure"
        when = self._test_when(cond_nodes, base)
        cond = ICond("until" if kw == "until" else "while", self.c(node.start_byte), self.c(node.end_byte), tests, when)
        saved = self.conds
        self.conds = saved + (cond,)
        bst = self.stmt(body) if body is not None else ("seq", [])
        self.conds = saved
        return ("loop", "until" if kw == "until" else "while", cst, bst, [], None, None)

    def st_for_statement(self, node):
        kw = node.children[0].type if node.child_count else "for"
        var = node.child_by_field_name("variable")
        body = node.child_by_field_name("body")
        values = []
        has_in = False
        for i, ch in enumerate(node.children):
            if not ch.is_named and ch.type == "in":
                has_in = True
            if node.field_name_for_child(i) == "value":
                values.append(ch)
        words = [self.word(v) for v in values] if has_in else None
        substs = self.take_pending()
        cond = ICond("select" if kw == "select" else "for", self.c(node.start_byte), self.c(node.end_byte), [], "any")
        saved = self.conds
        self.conds = saved + (cond,)
        assign = None
        # the loop variable is assigned by the loop: an assignment attached to a pseudo command
        if var is not None:
            name = self.text(var)
            vcmd = self.new_cmd(var.start_byte, var.end_byte, "assignment")
            assign = self.add_assign(vcmd, IAssign(name, self.c(var.start_byte), self.c(var.end_byte),
                                                   self.c(var.start_byte), self.c(var.end_byte), op="=", via="for"))
        bst = self.stmt(body) if body is not None else ("seq", [])
        self.conds = saved
        return ("loop", "select" if kw == "select" else "for", None, bst, substs, assign, words)

    def st_c_style_for_statement(self, node):
        body = node.child_by_field_name("body")
        cond = ICond("cfor", self.c(node.start_byte), self.c(node.end_byte), [], "any")
        saved = self.conds
        self.conds = saved + (cond,)
        bst = self.stmt(body) if body is not None else ("seq", [])
        self.conds = saved
        return ("loop", "cfor", None, bst, [], None, None)

    def st_case_statement(self, node):
        subj_node = node.child_by_field_name("value")
        subj = self.word(subj_node) if subj_node is not None else None
        substs = self.take_pending()
        arms = []
        has_default = False
        saved = self.conds
        for item in node.children:
            if item.type != "case_item":
                continue
            pats = []
            body_nodes = []
            for i, k in enumerate(item.children):
                if item.field_name_for_child(i) == "value":
                    pats.append(self.text(k))
                elif k.is_named and k.type != "comment":
                    body_nodes.append(k)
            if any(p in ("*", "*)") for p in pats):
                has_default = True
            cond = ICond("case", self.c(item.start_byte), self.c(item.end_byte), [], "any", tuple(pats),
                         subj.text if subj else None)
            self.conds = saved + (cond,)
            self.pending = []
            arms.append(self.seq(body_nodes))
        self.conds = saved
        return ("case", substs, subj, arms, has_default)

    def st_function_definition(self, node):
        name_node = node.child_by_field_name("name")
        body = node.child_by_field_name("body")
        name = self.text(name_node) if name_node is not None else ""
        f = IFunc(name, self.c(node.start_byte), self.c(node.end_byte),
                  self.c(name_node.start_byte) if name_node else self.c(node.start_byte),
                  self.c(name_node.end_byte) if name_node else self.c(node.start_byte))
        f.in_function = self.func_stack[-1].name if self.func_stack else None
        f.conds = self.conds
        saved = (self.conds, self.subshell, self.subst, self.pending)
        self.conds = ()
        self.subshell = False
        self.subst = None
        self.pending = []
        self.func_stack.append(f)
        f.body = self.stmt(body) if body is not None else ("seq", [])
        # redirections on the definition apply to each call
        for i, ch in enumerate(node.children):
            if node.field_name_for_child(i) == "redirect":
                self.redirect(ch)
        self.func_stack.pop()
        self.conds, self.subshell, self.subst, self.pending = saved
        self.funcs.append(f)
        return ("func", f)

    def st_redirected_statement(self, node):
        body = node.child_by_field_name("body")
        start = len(self.cmds)
        simple = body is not None and body.type in ("command", "declaration_command", "unset_command", "test_command")
        st = self.stmt(body) if body is not None else None
        reds = []
        for i, ch in enumerate(node.children):
            if node.field_name_for_child(i) == "redirect" or ch.type in ("file_redirect", "heredoc_redirect", "herestring_redirect"):
                if ch is body:
                    continue
                r = self.redirect(ch)
                if r is not None:
                    reds.append(r)
        substs = self.take_pending()
        first = next((c for c in self.cmds[start:] if c.substitution == self.subst), None)
        if first is not None:
            target = self._last_simple(start) if simple else None
            for r in reds:
                if target is not None:
                    target.redirects.append(r)
                    target.end = max(target.end, r.end)
                if r.heredoc is not None and r.heredoc.cmd is None:
                    r.heredoc.cmd = target or first
        if substs:
            return ("redir", st if st is not None else ("seq", []), substs)
        return st

    def _last_simple(self, start: int) -> ICmd | None:
        cands = [c for c in self.cmds[start:] if c.substitution == self.subst]
        return cands[-1] if cands else None

    def st_variable_assignment(self, node):
        cmd = self.new_cmd(node.start_byte, node.end_byte, "assignment")
        self.assignment(cmd, node, via="plain", scope="global")
        cmd.substs = self.take_pending()
        return ("cmd", cmd)

    def st_variable_assignments(self, node):
        cmd = self.new_cmd(node.start_byte, node.end_byte, "assignment")
        for ch in node.children:
            if ch.type == "variable_assignment":
                self.assignment(cmd, ch, via="plain", scope="global")
        cmd.substs = self.take_pending()
        return ("cmd", cmd)

    # -- simple commands -----------------------------------------------------------------------------
    def assignment(self, cmd: ICmd, node, *, via: str, scope: str, flags: tuple[str, ...] = (),
                   exported: bool | None = None) -> IAssign:
        name_node = node.child_by_field_name("name")
        value_node = node.child_by_field_name("value")
        op = "="
        for ch in node.children:
            if not ch.is_named and ch.type in ("=", "+="):
                op = ch.type
        if name_node is not None:
            ns, ne = self.c(name_node.start_byte), self.c(name_node.end_byte)
            name = self.src.text[ns:ne]
        else:  # pragma: no cover - the grammar always has a name
            ns = ne = self.c(node.start_byte)
            name = ""
        if "[" in name:  # a[1]=x: an array element
            name = name.split("[", 1)[0]
            array = True
        else:
            array = False
        word = None
        eq_end = None
        for ch in node.children:
            if not ch.is_named and ch.type in ("=", "+="):
                eq_end = self.c(ch.end_byte)
        if value_node is not None:
            if value_node.type == "array":
                array = True
                for el in value_node.children:
                    if el.is_named:
                        self.word(el)
            else:
                # the value starts right after `=` (tree-sitter drops a leading `\ `)
                word = self.word(value_node, assignment=True, start=eq_end)
        elif eq_end is not None and eq_end < len(self.src.text) and self.src.text[eq_end] not in " \t\n\r;&|<>()":
            end = scan_word(self.src.text, eq_end, self.limit)
            if end > eq_end:
                word = self.mkword(eq_end, end, assignment=True)
        end = self.c(node.end_byte)
        if word is not None:
            end = max(end, word.end)
        elif value_node is None:
            # `X=` followed by a "\r" (CRLF): bash assigns "\r"
            ce = self.c(node.end_byte)
            if ce < len(self.src.text) and self.src.text[ce] == "\r":
                word = self.mkword(ce, ce + 1, assignment=True)
                word.start = ce
                end = ce + 1
        a = IAssign(name, self.c(node.start_byte), end, ns, ne, op=op, word=word, array=array, via=via,
                    flags=flags, scope=scope, exported=exported)
        return self.add_assign(cmd, a)

    def redirect(self, node) -> IRedirect | None:
        t = node.type
        fd = None
        op = None
        target = None
        for i, ch in enumerate(node.children):
            field = node.field_name_for_child(i)
            if ch.type == "file_descriptor" or field == "descriptor":
                try:
                    fd = int(self.text(ch))
                except ValueError:
                    fd = None
            elif not ch.is_named and op is None:
                op = ch.type
            elif ch.is_named and target is None and ch.type in _WORDISH:
                target = ch
        if t == "herestring_redirect":
            op = "<<<"
        if op is None:
            op = "<<" if t == "heredoc_redirect" else ">"
        hd = None
        if op == "<":
            b = node.start_byte
            # the operator follows the descriptor, if any
            k = self.buf.find(b"<", b, node.end_byte)
            hd = self.hd_by_op.get(k)
        if hd is not None:
            r = IRedirect(self.c(hd.op_start), self.c(node.end_byte), hd.op, fd, None, hd)
            return r
        tw = self.word(target) if target is not None else None
        return IRedirect(self.c(node.start_byte), self.c(node.end_byte), op, fd, tw)

    def st_command(self, node):
        kids = node.children
        name_i = next((i for i, ch in enumerate(kids) if ch.type == "command_name"), None)
        # tree-sitter glues a line of assignments to the command on the next line
        if name_i is not None and name_i > 0:
            prefix_end = max(
                (ch.end_byte for ch in kids[:name_i] if ch.type in ("variable_assignment", "comment", "file_redirect")),
                default=None,
            )
            if prefix_end is not None:
                gap = self.buf[prefix_end : kids[name_i].start_byte]
                if re.search(rb"(?<!\\)\n", gap):
                    assigns = [ch for ch in kids[:name_i] if ch.type == "variable_assignment"]
                    out = []
                    if assigns:
                        cmd0 = self.new_cmd(assigns[0].start_byte, assigns[-1].end_byte, "assignment")
                        for a in assigns:
                            self.assignment(cmd0, a, via="plain", scope="global")
                        cmd0.substs = self.take_pending()
                        out.append(("cmd", cmd0))
                    if not self.in_region(kids[name_i].start_byte):
                        out.append(self._command(node, kids[name_i:], kids[name_i].start_byte))
                    return ("seq", out)
        return self._command(node, kids, node.start_byte)

    def _command(self, node, kids, start_byte):
        cmd = self.new_cmd(start_byte, node.end_byte, "simple")
        prefix = []
        words_nodes = []
        for ch in kids:
            t = ch.type
            if t == "variable_assignment" and not words_nodes:
                prefix.append(ch)
            elif t == "command_name":
                inner = [k for k in ch.children if k.is_named]
                words_nodes.append(inner[0] if len(inner) == 1 else ch)
            elif t in ("file_redirect", "herestring_redirect", "heredoc_redirect"):
                r = self.redirect(ch)
                if r is not None:
                    cmd.redirects.append(r)
                    if r.heredoc is not None and r.heredoc.cmd is None:
                        r.heredoc.cmd = cmd
            elif t == "comment" or not ch.is_named:
                continue
            else:
                words_nodes.append(ch)
        # tree-sitter may split one bash word in two: a node inside the previous word is part of it
        last_end = -1
        if prefix:
            probe = [self._assign_end(p) for p in prefix]
            last_end = max(probe)
        kept = []
        for w in words_nodes:
            if self.c(w.start_byte) < last_end:
                continue
            kept.append(w)
            last_end = (self.word_end(self.c(w.start_byte), self.c(w.end_byte))
                        if w.type in _SCANNED else self.c(w.end_byte))
        words_nodes = kept
        for p in prefix:
            self.assignment(cmd, p, via="prefix" if words_nodes else "plain",
                            scope="command" if words_nodes else "global",
                            exported=True if words_nodes else None)
        cmd.words = [self.word(w) for w in words_nodes]
        if not words_nodes:
            cmd.kind = "assignment"
        self._malformed_plain(cmd)
        self._assigning_builtins(cmd)
        cmd.substs = self.take_pending()
        return ("cmd", cmd)

    def _assign_end(self, node) -> int:
        """Where an assignment word really ends (see scan_word)."""
        for ch in node.children:
            if not ch.is_named and ch.type in ("=", "+="):
                return self.word_end(self.c(ch.end_byte), self.c(node.end_byte))
        return self.c(node.end_byte)

    def _malformed_plain(self, cmd: ICmd) -> None:
        w = cmd.words
        if len(w) >= 2 and _IDENT.match(w[0].text) and w[1].text.startswith("=") and not cmd.assigns:
            name = w[0].text
            if w[1].text == "=":
                kind = "spaces-around-equals"
                intended = w[2] if len(w) > 2 else None
                msg = f"bash runs a command named `{name}` with the arguments `= ...` (command not found); {name} is not assigned"
            else:
                kind = "space-before-equals"
                intended = self.mkword(w[1].start + 1, w[1].end, assignment=True)
                msg = f"bash runs a command named `{name}` with the argument `{w[1].text}` (command not found); {name} is not assigned"
            a = IAssign(name, w[0].start, (intended or w[1]).end, w[0].start, w[0].end, op=None, via="plain",
                        malformed=kind, intended=intended, message=msg)
            self.add_assign(cmd, a)
            return
        if w and cmd.assigns and cmd.assigns[-1].via == "prefix":
            last = cmd.assigns[-1]
            if last.word is None and w[0].start > last.end and _VALUE_LOOKING.match(w[0].text):
                last.malformed = "space-after-equals"
                last.intended = w[0]
                last.message = (f"bash assigns an empty {last.name} for the command `{w[0].text}` only "
                                f"and runs `{w[0].text}` as a command; {last.name} is not set in the script")

    def _assigning_builtins(self, cmd: ICmd) -> None:
        w = cmd.words
        if not w:
            return
        name = w[0].text
        if name == "read":
            i = 1
            while i < len(w) and w[i].text.startswith("-") and w[i].text != "--":
                opt = w[i].text
                if opt[-1] in _READ_OPTS_WITH_ARG and len(opt) == 2:
                    if opt == "-a" and i + 1 < len(w):
                        arr = w[i + 1]
                        self.add_assign(cmd, IAssign(arr.text, arr.start, arr.end, arr.start, arr.end, via="read", array=True))
                    i += 2
                    continue
                i += 1
            if i < len(w) and w[i].text == "--":
                i += 1
            names = w[i:] or []
            if not names:
                self.add_assign(cmd, IAssign("REPLY", w[0].start, w[0].end, w[0].start, w[0].end, via="read"))
            for n in names:
                if _IDENT.match(n.text):
                    self.add_assign(cmd, IAssign(n.text, n.start, n.end, n.start, n.end, via="read"))
        elif name == "printf":
            for i in range(1, len(w) - 1):
                if w[i].text == "-v" and _IDENT.match(w[i + 1].text.split("[")[0]):
                    n = w[i + 1]
                    self.add_assign(cmd, IAssign(n.text.split("[")[0], n.start, n.end, n.start, n.end, via="printf"))
                    break

    def st_declaration_command(self, node):
        cmd = self.new_cmd(node.start_byte, node.end_byte, "declaration")
        kids = node.children
        kw_node = kids[0] if kids else None
        kw = kw_node.type if kw_node is not None else "declare"
        if kw not in _DECL_KEYWORDS:
            kw = self.text(kw_node) if kw_node is not None else "declare"
        words = [self.mkword(self.c(kw_node.start_byte), self.c(kw_node.end_byte))] if kw_node is not None else []
        flags: list[str] = []
        in_func = bool(self.func_stack)
        args = [ch for ch in kids[1:] if ch.is_named and ch.type != "comment"]
        # tree-sitter cuts some assignment words (`PATH=$PATH:$HADOOP_HOME/bin` ends at `:$`):
        # nodes inside the real word are part of it
        kept = []
        last_end = -1
        for ch in args:
            if self.c(ch.start_byte) < last_end:
                continue
            kept.append(ch)
            if ch.type == "variable_assignment":
                last_end = self._assign_end(ch)
            elif ch.type in _SCANNED:
                last_end = self.word_end(self.c(ch.start_byte), self.c(ch.end_byte))
            else:
                last_end = self.c(ch.end_byte)
        args = kept
        i = 0
        names_seen = False
        while i < len(args):
            ch = args[i]
            t = ch.type
            if t == "variable_assignment":
                names_seen = True
                exported = self._decl_exported(kw, flags)
                scope = self._decl_scope(kw, flags, in_func)
                w = self.word(ch, end=self._assign_end(ch))
                words.append(w)
                a = self.assignment(cmd, ch, via=kw, scope=scope, flags=tuple(flags), exported=exported)
                if kw == "local" and not in_func:
                    self._local_outside(a)
                # `export X= value`
                if a.word is None and i + 1 < len(args) and args[i + 1].type not in ("variable_assignment", "variable_name"):
                    nxt_text = self.text(args[i + 1])
                    if not nxt_text.startswith("-") and not _IDENT.match(nxt_text):
                        iw = self.word(args[i + 1])
                        words.append(iw)
                        a.malformed = "space-after-equals"
                        a.intended = iw
                        a.message = (f"bash sets {a.name} to the empty string, then `{kw}` fails on "
                                     f"`{nxt_text}`: not a valid identifier")
                        i += 2
                        continue
                i += 1
                continue
            text = self.text(ch)
            if t == "word" and not names_seen and text[:1] in ("-", "+") and text != "=" and not text.startswith("="):
                flags.append(text)
                words.append(self.word(ch))
                i += 1
                continue
            if t == "variable_name" or (t == "word" and _IDENT.match(text)):
                names_seen = True
                nw = self.word(ch)
                words.append(nw)
                exported = self._decl_exported(kw, flags)
                scope = self._decl_scope(kw, flags, in_func)
                nxt = args[i + 1] if i + 1 < len(args) else None
                ntext = self.text(nxt) if nxt is not None else ""
                if nxt is not None and ntext.startswith("="):
                    # `export X = value` / `export X =value`
                    eqw = self.word(nxt)
                    words.append(eqw)
                    if ntext == "=" and i + 2 < len(args):
                        intended = self.word(args[i + 2])
                        words.append(intended)
                        kind = "spaces-around-equals"
                        rest = "="
                        i += 3
                    else:
                        intended = self.mkword(eqw.start + 1, eqw.end, assignment=True) if ntext != "=" else None
                        kind = "space-before-equals" if ntext != "=" else "spaces-around-equals"
                        rest = ntext
                        i += 2
                    a = IAssign(text, nw.start, (intended or eqw).end, nw.start, nw.end, op=None, via=kw,
                                flags=tuple(flags), scope=scope, exported=exported, malformed=kind, intended=intended,
                                message=_BAD_IDENT_MSG.format(kw=kw, name=text, rest=rest))
                    self.add_assign(cmd, a)
                    if kw == "local" and not in_func:
                        self._local_outside(a)
                    continue
                a = IAssign(text, nw.start, nw.end, nw.start, nw.end, op=None, via=kw, flags=tuple(flags),
                            scope=scope, exported=exported)
                self.add_assign(cmd, a)
                if kw == "local" and not in_func:
                    self._local_outside(a)
                i += 1
                continue
            words.append(self.word(ch))
            i += 1
        cmd.words = words
        cmd.substs = self.take_pending()
        if any(f.startswith("-") and "f" in f[1:] for f in flags):
            # export -f / declare -f: functions, not variables
            for a in cmd.assigns:
                a.via = kw
                a.op = None
                a.exported = None
        return ("cmd", cmd)

    def _local_outside(self, a: IAssign) -> None:
        a.malformed = "local-outside-function"
        a.message = "`local` outside a function is an error in bash (local: can only be used in a function); nothing is assigned"

    @staticmethod
    def _decl_exported(kw: str, flags: list[str]) -> bool | None:
        opts = "".join(f[1:] for f in flags if f.startswith("-"))
        plus = "".join(f[1:] for f in flags if f.startswith("+"))
        if kw == "export":
            return False if "n" in opts else True
        if "x" in opts:
            return True
        if "x" in plus:
            return False
        return None

    @staticmethod
    def _decl_scope(kw: str, flags: list[str], in_func: bool) -> str:
        if kw == "local":
            return "local"
        if kw in ("declare", "typeset") and in_func and not any("g" in f[1:] for f in flags if f.startswith("-")):
            return "local"
        return "global"

    def st_unset_command(self, node):
        cmd = self.new_cmd(node.start_byte, node.end_byte, "unset")
        kids = node.children
        words = []
        funcs = False
        for ch in kids:
            if not ch.is_named and ch.type == "unset":
                words.append(self.mkword(self.c(ch.start_byte), self.c(ch.end_byte)))
                continue
            if not ch.is_named or ch.type == "comment":
                continue
            w = self.word(ch)
            words.append(w)
            if w.text.startswith("-"):
                funcs = funcs or "f" in w.text
                continue
            if not funcs and _IDENT.match(w.text):
                self.add_assign(cmd, IAssign(w.text, w.start, w.end, w.start, w.end, via="unset", unset=True))
        cmd.words = words
        cmd.substs = self.take_pending()
        return ("cmd", cmd)

    def st_test_command(self, node):
        cmd = self.new_cmd(node.start_byte, node.end_byte, "test")
        words: list[IWord] = []

        def leaves(n):
            for ch in n.children:
                if ch.type == "comment":
                    continue
                if ch.type in _WORDISH or not ch.child_count:
                    if ch.type in _WORDISH:
                        words.append(self.word(ch))
                    else:
                        words.append(self.mkword(self.c(ch.start_byte), self.c(ch.end_byte)))
                else:
                    leaves(ch)

        leaves(node)
        cmd.words = words
        cmd.substs = self.take_pending()
        return ("cmd", cmd)

    # `$(( ))` and other expression statements: nothing modelled
    def st_arithmetic_expansion(self, node):
        return None


# --------------------------------------------------------------------------------------------------
# Building the model


class _Builder:
    def __init__(self, src: _Source, walker: _Walker, values: dict, assign_values: dict, heredoc_values: dict):
        self.src = src
        self.w = walker
        self.values = values
        self.assign_values = assign_values
        self.heredoc_values = heredoc_values
        self.words: dict[int, Word] = {}
        self.cond_cache: dict[int, Condition] = {}

    def word(self, iw: IWord | None) -> Word | None:
        if iw is None:
            return None
        w = self.words.get(iw.id)
        if w is None:
            v = self.values.get(iw)
            if v is None:
                v = _static_value(iw)
            w = Word(span=self.src.span(iw.start, iw.end), text=iw.text, value=v, refs=tuple(iw.refs))
            self.words[iw.id] = w
        return w

    def cond(self, c: ICond) -> Condition:
        m = c._model
        if m is None:
            m = Condition(kind=c.kind, span=self.src.span(c.start, c.end), tests=tuple(t.index for t in c.tests),
                          when=c.when, patterns=c.patterns, subject=c.subject)
            c._model = m
        return m

    def flow(self, conds: tuple[ICond, ...]) -> dict:
        cs = tuple(self.cond(c) for c in conds)
        return {
            "in_branch": any(c.kind in ("if", "elif", "else", "case", "and", "or") for c in cs),
            "in_loop": any(c.kind in ("while", "until", "for", "select", "cfor") for c in cs),
            "guard": next((c for c in reversed(cs) if c.kind in ("and", "or")), None),
            "conditions": cs,
        }


def _static_value(iw: IWord) -> Value:
    """A word never evaluated (inside an error region's neighbourhood or unreachable): symbolic."""
    from cfglint.shell.values import expand_segments, Scope

    try:
        return expand_segments(iw.segs, Scope())
    except RecursionError:  # pragma: no cover - absurd nesting
        return Value.opaque(iw.text)


def _build(cls: type[S], data: bytes, path: str) -> S:
    src = _Source(data, path)
    buf = bytearray(src.buf)
    heredocs = _read_heredocs(src, buf)
    if b"=" in buf:
        _unglue(buf)
    tree, buf, regions = _recover(src, buf)
    walker = _Walker(src, bytes(buf), heredocs, [(s, e) for s, e, _ in regions])
    root_stmt = walker.stmt(tree.root_node) or ("seq", [])

    # order and index
    walker.cmds.sort(key=lambda c: c.start)
    for i, c in enumerate(walker.cmds):
        c.index = i
    walker.assigns.sort(key=lambda a: (a.cmd.index if a.cmd else 0, a.start))
    for i, a in enumerate(walker.assigns):
        a.id = i
    # heredocs whose operator sits in an error region have no command
    heredocs.sort(key=lambda h: h.op_start)
    for i, h in enumerate(heredocs):
        h.id = i

    from cfglint.shell.interp import IR, run_ir

    ir = IR(root_stmt, walker.cmds, walker.assigns, walker.funcs, heredocs, walker.words)
    result = run_ir(ir, None, rest_unknown=False, resolve_source=None, script=None)
    b = _Builder(src, walker, result.word_values, result.assign_values, result.heredoc_values)

    # assignments
    assigns: list[Assignment] = []
    for a in walker.assigns:
        cmd = a.cmd
        flow = b.flow(cmd.conds if cmd else ())
        if a.op is None or a.unset or a.malformed in ("spaces-around-equals", "space-before-equals",
                                                      "local-outside-function"):
            value = None
        elif a.array:
            value = Value.opaque(src.text[a.start:a.end])
        else:
            value = result.assign_values.get(a)
            if value is None:
                value = b.word(a.word).value if a.word is not None else (EMPTY if a.via not in ("read", "for", "printf") else Value.opaque(a.via))
        assigns.append(Assignment(
            span=src.span(a.start, a.end), index=a.id, name=a.name, name_span=src.span(a.name_start, a.name_end),
            op=a.op if a.op in ("=", "+=") else None, word=b.word(a.word) if a.via not in ("for", "read", "printf") else None,
            value=value, array=a.array, via=a.via if a.via in _VIAS else "plain", flags=a.flags,
            exported=a.exported, scope=a.scope, command=cmd.index if cmd else 0,
            in_function=cmd.function if cmd else None, malformed=a.malformed, intended=b.word(a.intended),
            message=a.message, **flow,
        ))

    # heredocs
    hd_models: list[Heredoc] = []
    for h in heredocs:
        bs, be = src.c(h.body_start), src.c(h.body_end)
        end = src.c(h.end)
        hv = result.heredoc_values.get(h)
        if hv is None:
            from cfglint.shell.values import expand_heredoc

            hv = Value.of(h.body) if h.quoted else expand_heredoc(h.body)
        hd_models.append(Heredoc(
            span=src.span(bs, max(end, bs)), delimiter=h.delimiter.rstrip("\r"), quoted=h.quoted,
            strip_tabs=h.strip_tabs, body=h.body, body_span=src.span(bs, max(be, bs)), value=hv,
            command=h.cmd.index if h.cmd is not None and h.cmd.index >= 0 else None, terminated=h.terminated,
        ))

    # commands
    by_cmd: dict[int, list[Assignment]] = {}
    for a in assigns:
        by_cmd.setdefault(a.command, []).append(a)
    commands: list[Command] = []
    for c in walker.cmds:
        argv = [b.word(w) for w in c.words]
        reds = [
            Redirect(span=src.span(r.start, r.end), op=r.op, fd=r.fd, target=b.word(r.target),
                     heredoc=r.heredoc.id if r.heredoc is not None else None)
            for r in c.redirects
        ]
        end = max([c.end] + [w.end for w in c.words] + [r.end for r in c.redirects])
        commands.append(Command(
            span=src.span(c.start, end), index=c.index, argv=argv,
            name=argv[0].value.text if argv else None, kind=c.kind, assignments=by_cmd.get(c.index, []),
            redirects=reds, background=c.background, pipeline=c.pipeline, negated=c.negated, subshell=c.subshell,
            substitution=c.substitution, tested=c.tested, in_function=c.function, **b.flow(c.conds),
        ))

    # functions
    functions: dict[str, Function] = {}
    counts: dict[str, int] = {}
    for f in walker.funcs:
        counts[f.name] = counts.get(f.name, 0) + 1
    for f in sorted(walker.funcs, key=lambda f: f.start):
        functions[f.name] = Function(
            span=src.span(f.start, f.end), name=f.name, name_span=src.span(f.name_start, f.name_end),
            commands=tuple(sorted(c.index for c in f.cmds)), in_function=f.in_function,
            conditional=bool(f.conds), definitions=counts[f.name],
        )

    # comments (the tree's, plus comment lines inside error regions)
    comments: list[Comment] = []
    shebang = None
    text = src.text
    seen_lines: set[int] = set()
    for node in _captures(tree.root_node, "comment"):
        cs, ce = src.c(node.start_byte), src.c(node.end_byte)
        body = text[cs + 1 : ce].rstrip("\r")
        if cs == 0 and body.startswith("!"):
            shebang = text[cs:ce].rstrip("\r")
            continue
        sp = src.span(cs, cs + 1 + len(body))
        comments.append(Comment(span=sp, text=body))
        seen_lines.add(sp.line)
    if shebang is None and text.startswith("#!"):
        shebang = text.split("\n", 1)[0].rstrip("\r")
    error_spans: list[Span] = []
    problems: list[ParseProblem] = []
    for s, e, reason in sorted(regions):
        cs, ce = src.c(s), src.c(e)
        sp = src.span(cs, max(ce, cs))
        error_spans.append(sp)
        if reason.startswith("`"):
            msg = f"the shell parser cannot read {reason}: it is skipped, nothing in it is linted"
        elif sp.last_line == sp.line:
            msg = f"the shell parser cannot read line {sp.line} ({reason}): it is skipped, nothing in it is linted"
        else:
            msg = (f"the shell parser cannot read lines {sp.line}-{sp.last_line} ({reason}): they are "
                   f"skipped, nothing in them is linted")
        problems.append(ParseProblem(span=sp, message=msg))
        for ln in range(sp.line, sp.last_line + 1):
            if ln in seen_lines or (ln == 1 and shebang):
                continue
            ls = src.line_starts[ln - 1]
            le = src.line_starts[ln] if ln < len(src.line_starts) else len(text)
            line = text[ls:le].rstrip("\r\n")
            k = len(line) - len(line.lstrip(" \t"))
            if line[k:k + 1] == "#":
                comments.append(Comment(span=src.span(ls + k, ls + len(line)), text=line[k + 1 :]))
    comments.sort(key=lambda c: (c.span.line, c.span.column))

    model = cls(
        path=path, comments=comments, problems=problems, commands=commands, assignments=assigns,
        functions=functions, heredocs=hd_models, error_regions=error_spans, shebang=shebang, bom=src.bom,
        crlf_lines=src.crlf_lines, cr_lines=src.cr_lines,
    )
    model._ir = ir
    model._words = [b.word(iw) for iw in walker.words]
    from cfglint.shell.interp import Evaluation

    model._evaluation = Evaluation(model, result)  # the run that gave Word.value: reused
    return model


_VIAS = {"plain", "prefix", "export", "declare", "typeset", "local", "readonly", "unset", "for", "read", "printf",
         "default-expansion"}


def build(data: bytes, path: str, model_cls: type[S] = ShellScript) -> S:  # type: ignore[assignment]
    """Parse `data` into `model_cls` (ShellScript or a subclass). Never raises: a failure of the
    parser itself becomes a ParseProblem on an empty model."""
    # The build allocates many small objects that all live as long as the model: the cyclic
    # garbage collector's passes during it find nothing to free (~30% of the time), so pause it.
    gc_was_on = gc.isenabled()
    gc.disable()
    try:
        return _build(model_cls, data, path)
    except RecursionError:
        msg = "the script nests too deeply to be read"
    except Exception as e:  # pragma: no cover - a bug: keep the run going, say so
        msg = f"internal error in the shell parser: {type(e).__name__}: {e}"
    finally:
        global _LAST
        _LAST = None
        if gc_was_on:
            gc.enable()
    return model_cls(path=path, problems=[ParseProblem(span=Span(path=path, line=1), message=msg)])


def parse_shell(data: bytes, path: str) -> ShellScript:
    """Parse a bash/sh script (see the module docstring)."""
    return build(data, path, ShellScript)
