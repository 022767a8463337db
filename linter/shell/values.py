"""Shell values: what a word or a variable holds, as far as a static reading can tell.

A `Value` is a set of possibilities. Each possibility (an *option*) is a concatenation of `Part`s:

* a literal text part (`Part.text`), known exactly;
* a variable part (`Part.var`): "whatever the environment (or the caller) had in NAME", e.g.
  `$HADOOP_HOME/conf` under an unknown environment is one option `[var HADOOP_HOME, text "/conf"]`;
* an opaque part (`Part.opaque`): cannot be known statically (command substitution, arithmetic,
  `${x^^}`, `~user`, a value changed in a loop...). Its `text` is the source it came from.

`Value.maybe_unset` says the variable may not be set at all (only meaningful for variables, a word
is never unset: an unset variable expands to ""). A value with no option is definitely unset.

    Value.of("/usr/java")             known
    Value.var("JAVA_HOME")            symbolic: the environment's JAVA_HOME
    Value.opaque("$(uname -s)")       unknown
    Value.unset()                     definitely unset
    a.join(b)                         "a or b" (assigned in one branch of an `if`)

Rules must never report on a value as if it were known unless `value.is_known` (or, for a value
with several possibilities, `value.texts` is not None and every option is checked).

This module also reads shell words the way bash does (`lex_word`, `expand_word`: quotes, escapes,
`$VAR`, `${VAR:-def}` and the other `${...}` forms, `$'...'`, `~`, command substitution) and holds
`evaluate`, the entry point of the constant propagation (implemented in `cfglint.shell.interp`).
"""

from __future__ import annotations

import fnmatch
import re
from operator import itemgetter
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from cfglint.shell.interp import Evaluation
    from cfglint.shell.model import ShellScript

__all__ = [
    "MAX_OPTIONS",
    "Part",
    "Value",
    "evaluate",
    "expand_word",
    "lex_word",
]

# More possibilities than this collapse into one opaque part (keeps the analysis linear).
MAX_OPTIONS = 16

TEXT = "text"
VAR = "var"
OPAQUE = "opaque"

_NAME_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_PLAIN_RE = re.compile(r"[A-Za-z0-9_./,:+@%=\-]*\Z")  # words with nothing to expand or unquote
_IFS_WS = " \t\n"


class Part(tuple):
    """One piece of an option: literal text, a variable's unknown value, or something opaque.
    A tuple `(kind, text, split)` (compared and hashed as one)."""

    __slots__ = ()

    def __new__(cls, kind: str, text: str, split: bool = False):
        return tuple.__new__(cls, (kind, text, split))

    kind = property(itemgetter(0), doc='"text" | "var" | "opaque"')
    text = property(itemgetter(1), doc="the literal text | the variable name | the source of the opaque part")
    split = property(itemgetter(2), doc="came from an unquoted expansion: subject to field splitting")

    # -- constructors
    @classmethod
    def lit(cls, text: str, split: bool = False) -> Part:
        return cls(TEXT, text, split)

    @classmethod
    def variable(cls, name: str, split: bool = False) -> Part:
        return cls(VAR, name, split)

    @classmethod
    def unknown(cls, source: str, split: bool = False) -> Part:
        return cls(OPAQUE, source, split)

    @property
    def is_text(self) -> bool:
        return self[0] == TEXT

    @property
    def is_var(self) -> bool:
        return self[0] == VAR

    @property
    def is_opaque(self) -> bool:
        return self[0] == OPAQUE

    def with_split(self, split: bool) -> Part:
        return self if self[2] == split else Part(self[0], self[1], split)

    def __repr__(self) -> str:
        s = "~" if self[2] else ""
        return f"{self[0]}{s}({self[1]!r})"

    def __getnewargs__(self):
        return tuple(self)


Option = tuple[Part, ...]


def _norm(parts: Iterable[Part]) -> Option:
    """Merge adjacent text parts with the same split flag; drop empty text parts."""
    out: list[Part] = []
    for p in parts:
        if p.kind == TEXT:
            if not p.text and not p.split:
                continue  # an empty split part stays: "this came from an unquoted expansion"
            if out and out[-1].kind == TEXT and out[-1].split == p.split:
                out[-1] = Part(TEXT, out[-1].text + p.text, p.split)
                continue
        out.append(p)
    return tuple(out)


def _cat(a: Option, b: Option) -> Option:
    """Concatenate two normalised options (merging the text parts where they meet)."""
    if not a:
        return b
    if not b:
        return a
    x, y = a[-1], b[0]
    if x[0] == TEXT and y[0] == TEXT and x[2] == y[2]:
        return a[:-1] + (Part(TEXT, x[1] + y[1], x[2]),) + b[1:]
    return a + b


def _render_option(opt: Option) -> str:
    out = []
    for i, p in enumerate(opt):
        if p.kind == TEXT:
            out.append(p.text)
        elif p.kind == VAR:
            nxt = opt[i + 1] if i + 1 < len(opt) else None
            if nxt is not None and nxt.kind == TEXT and (nxt.text[:1].isalnum() or nxt.text[:1] == "_"):
                out.append("${" + p.text + "}")
            else:
                out.append("$" + p.text)
        else:
            out.append(p.text or "<unknown>")
    return "".join(out)


class Value:
    """A set of possible values (see the module docstring). Immutable, hashable, comparable."""

    __slots__ = ("options", "maybe_unset")

    def __init__(self, options: Iterable[Iterable[Part]] = ((),), maybe_unset: bool = False):
        opts: list[Option] = []
        for o in options:
            n = _norm(o) if len(o) > 1 or (len(o) == 1 and o[0].kind == TEXT and not o[0].text) else tuple(o)
            if n not in opts:
                opts.append(n)
        if len(opts) > MAX_OPTIONS:
            opts = [(Part(OPAQUE, "<one of many values>"),)]
        object.__setattr__(self, "options", tuple(opts))
        object.__setattr__(self, "maybe_unset", bool(maybe_unset))

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("Value is immutable")

    @classmethod
    def _make(cls, options: tuple, maybe_unset: bool) -> Value:
        """Internal: options already normalised and distinct."""
        v = object.__new__(cls)
        object.__setattr__(v, "options", options)
        object.__setattr__(v, "maybe_unset", maybe_unset)
        return v

    def __reduce__(self):
        return (Value, (self.options, self.maybe_unset))

    # -- constructors -------------------------------------------------------------------------------
    @classmethod
    def of(cls, text: str) -> Value:
        """A known text."""
        return cls._make(((Part(TEXT, text),),) if text else ((),), False)

    @classmethod
    def var(cls, name: str) -> Value:
        """Whatever the environment had in `name` (may be unset)."""
        return cls(((Part(VAR, name),),), maybe_unset=True)

    @classmethod
    def opaque(cls, source: str = "") -> Value:
        """Something that cannot be known (`source` is shown in messages)."""
        return cls(((Part(OPAQUE, source),),))

    @classmethod
    def unset(cls) -> Value:
        return cls((), maybe_unset=True)

    @classmethod
    def concat(cls, parts: Iterable[Part]) -> Value:
        return cls((tuple(parts),))

    # -- questions ----------------------------------------------------------------------------------
    @property
    def is_known(self) -> bool:
        """Exactly one possibility, set, and fully literal."""
        return (
            len(self.options) == 1 and not self.maybe_unset and all(p.kind == TEXT for p in self.options[0])
        )

    @property
    def text(self) -> str | None:
        """The known text, or None when not `is_known`."""
        if not self.is_known:
            return None
        return "".join(p.text for p in self.options[0])

    @property
    def is_unset(self) -> bool:
        """Definitely not set."""
        return not self.options

    @property
    def is_set(self) -> bool:
        """Definitely set (possibly to an unknown or empty value)."""
        return bool(self.options) and not self.maybe_unset

    @property
    def is_maybe(self) -> bool:
        """Several possibilities (assigned in a branch or loop, or maybe unset)."""
        return len(self.options) > 1 or (bool(self.options) and self.maybe_unset)

    @property
    def texts(self) -> tuple[str, ...] | None:
        """Every possible text when each option is fully literal (unset not included: see
        `maybe_unset`), else None."""
        out = []
        for o in self.options:
            if any(p.kind != TEXT for p in o):
                return None
            out.append("".join(p.text for p in o))
        return tuple(out)

    @property
    def vars(self) -> frozenset[str]:
        """Names of the variables whose unknown value this value depends on."""
        return frozenset(p.text for o in self.options for p in o if p.kind == VAR)

    @property
    def has_opaque(self) -> bool:
        return any(p.kind == OPAQUE for o in self.options for p in o)

    @property
    def kind(self) -> str:
        """"known", "symbolic" (literal text and unknown variables: `Value.var("X")`, which may
        also be unset, is symbolic), "unknown" (something opaque), "unset", or "maybe" (several
        possibilities, or a value that may be unset)."""
        if not self.options:
            return "unset"
        o = self.options[0]
        if len(self.options) == 1 and self.maybe_unset and len(o) == 1 and o[0].kind == VAR:
            return "symbolic"
        if self.is_maybe:
            return "maybe"
        if any(p.kind == OPAQUE for p in o):
            return "unknown"
        if any(p.kind == VAR for p in o):
            return "symbolic"
        return "known"

    @property
    def is_empty(self) -> bool:
        """Known to be the empty string."""
        return self.is_known and self.text == ""

    @property
    def may_be_empty(self) -> bool:
        """Some possibility may expand to "" (unset counts as empty)."""
        if self.maybe_unset or not self.options:
            return True
        return any(_option_may_be_empty(o) for o in self.options)

    @property
    def prefix(self) -> str:
        """The literal text every possibility starts with ("" when unknown)."""
        prefixes = []
        for o in self.options:
            pre = []
            for p in o:
                if p.kind != TEXT:
                    break
                pre.append(p.text)
            prefixes.append("".join(pre))
        if not prefixes:
            return ""
        import os.path

        return os.path.commonprefix(prefixes)

    @property
    def suffix(self) -> str:
        """The literal text every possibility ends with ("" when unknown)."""
        sufs = []
        for o in self.options:
            suf = []
            for p in reversed(o):
                if p.kind != TEXT:
                    break
                suf.append(p.text)
            sufs.append("".join(reversed(suf)))
        if not sufs:
            return ""
        rev = [s[::-1] for s in sufs]
        import os.path

        return os.path.commonprefix(rev)[::-1]

    @property
    def min_length(self) -> int:
        """A lower bound of the length of every possibility (unknown parts count 0)."""
        if not self.options:
            return 0
        return min(sum(len(p.text) for p in o if p.kind == TEXT) for o in self.options)

    # -- combining -----------------------------------------------------------------------------------
    def join(self, other: Value) -> Value:
        """Either this or `other` (the value after a branch that may or may not run)."""
        if self is other or self == other:
            return self
        opts = self.options + tuple(o for o in other.options if o not in self.options)
        if len(opts) > MAX_OPTIONS:
            opts = ((Part(OPAQUE, "<one of many values>"),),)
        return Value._make(opts, self.maybe_unset or other.maybe_unset)

    def as_expansion(self, split: bool = False) -> Value:
        """What `$NAME` gives: unset becomes "", `split` marks the parts for field splitting."""
        if not self.maybe_unset and not split and not any(p.split for o in self.options for p in o):
            return self
        empty = (Part(TEXT, "", True),) if split else ()
        opts = [tuple(p.with_split(split) for p in o) or empty for o in self.options]
        # unset expands to "": add it unless an option already may be empty (`$X` unknown)
        if self.maybe_unset and not any(_option_may_be_empty(o) for o in self.options):
            opts.append(empty)
        return Value(opts)

    def unsplit(self) -> Value:
        """The value stored in a variable: no part is subject to splitting any more."""
        if not any(p.split for o in self.options for p in o):
            return self
        return Value([tuple(p.with_split(False) for p in o) for o in self.options], self.maybe_unset)

    def mark_unset(self, maybe: bool = True) -> Value:
        return Value(self.options, maybe)

    def __add__(self, other: Value) -> Value:
        """Concatenation (every combination of possibilities)."""
        if not self.options or not other.options:
            return Value((), self.maybe_unset and other.maybe_unset)
        if len(self.options) * len(other.options) > MAX_OPTIONS:
            return Value(((Part(OPAQUE, "<one of many values>"),),))
        opts: list[Option] = []
        for a in self.options:
            for b in other.options:
                o = _cat(a, b)
                if o not in opts:
                    opts.append(o)
        return Value._make(tuple(opts), False)

    def split_fields(self) -> list[Value] | None:
        """Field splitting (default IFS) of a word's value: the argv entries it becomes. None when
        that depends on something unknown (an unquoted unknown expansion, several possibilities)."""
        if len(self.options) != 1 or self.maybe_unset:
            if any(p.split for o in self.options for p in o):
                return None
            return [self] if self.options else []
        opt = self.options[0]
        if any(p[0] == VAR and p[1] == "@" for p in opt):
            return None  # "$@" of unknown parameters: any number of fields
        if not any(p.split for p in opt):
            return [self]
        fields: list[list[Part]] = []
        cur: list[Part] = []
        started = False  # the current field has content (or a quoted empty part)
        for p in opt:
            if not p.split:
                cur.append(p)
                started = True
                continue
            if p.kind != TEXT:
                return None
            chunks = re.split(r"[ \t\n]+", p.text)
            for k, chunk in enumerate(chunks):
                if k > 0:
                    if started or cur:
                        fields.append(cur)
                    cur = []
                    started = False
                if chunk:
                    cur.append(Part(TEXT, chunk))
                    started = True
        if started or cur:
            fields.append(cur)
        return [Value((tuple(p.with_split(False) for p in f),)) for f in fields]

    def split_fields_loose(self) -> list[tuple[Value, bool]]:
        """Field splitting that always gives a list: (field, exact) pairs. Literal text from an
        unquoted expansion is split at blanks; a part whose text is unknown stays in its field,
        marked inexact (it may split further or vanish). Several possibilities: one inexact field."""
        exact = self.split_fields()
        if exact is not None:
            return [(f, True) for f in exact]
        if len(self.options) != 1 or self.maybe_unset:
            return [(self.unsplit(), False)]
        fields: list[tuple[list[Part], bool]] = []
        cur: list[Part] = []
        cur_exact = True
        started = False
        for p in self.options[0]:
            if not p.split:
                cur.append(p)
                started = True
                continue
            if p.kind != TEXT:
                cur.append(p.with_split(False))
                cur_exact = False
                started = True
                continue
            chunks = re.split(r"[ \t\n]+", p.text)
            for k, chunk in enumerate(chunks):
                if k > 0:
                    if started:
                        fields.append((cur, cur_exact))
                    cur, cur_exact, started = [], True, False
                if chunk:
                    cur.append(Part(TEXT, chunk))
                    started = True
        if started:
            fields.append((cur, cur_exact))
        return [(Value((tuple(f),)), ex) for f, ex in fields]

    # -- display -------------------------------------------------------------------------------------
    def render(self) -> str:
        """Shell-like text for messages: `/usr/java`, `$HADOOP_HOME/conf`, `$(uname -s)`,
        `/a or /b or unset`."""
        if not self.options:
            return "unset"
        parts = [_render_option(o) for o in self.options]
        if self.maybe_unset:
            parts.append("unset")
        return " or ".join(p if p else '""' for p in parts) if len(parts) > 1 else parts[0]

    def __str__(self) -> str:
        return self.render()

    def __repr__(self) -> str:
        if self.is_known:
            return f"Value.of({self.text!r})"
        return f"Value({list(self.options)!r}, maybe_unset={self.maybe_unset})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Value) and self.options == other.options and self.maybe_unset == other.maybe_unset

    def __hash__(self) -> int:
        return hash((self.options, self.maybe_unset))

    def to_json(self) -> dict:
        return {
            "kind": self.kind,
            "text": self.text,
            "render": self.render(),
            "maybe_unset": self.maybe_unset,
            "vars": sorted(self.vars),
        }


def _option_may_be_empty(o: Option) -> bool:
    for p in o:
        if p.kind == TEXT and p.text:
            return False
    return True


EMPTY = Value.of("")
UNSET = Value.unset()

# ---------------------------------------------------------------------------------------------------
# Lexing words
#
# A word is lexed into segments (tuples, for speed):
#   ("lit", text, quoted)
#   ("param", name, op, arg, quoted, source)   op None for $NAME/${NAME}; arg is raw text (lexed later)
#   ("subst", kind, source, quoted)           kind: "command", "arith", "process", "backtick"
#   ("tilde", user, source)                   unquoted ~ / ~user / ~+ / ~-

_ANSI = {"a": "\a", "b": "\b", "e": "\x1b", "E": "\x1b", "f": "\f", "n": "\n", "r": "\r", "t": "\t",
         "v": "\v", "\\": "\\", "'": "'", '"': '"', "?": "?"}
_PARAM_OPS = (":-", ":=", ":+", ":?", "-", "=", "+", "?", "##", "#", "%%", "%", "//", "/#", "/%", "/",
              "^^", "^", ",,", ",", "@", ":")
_SPECIAL = set("@*#?$!-0123456789")


def _skip_single(text: str, i: int) -> int:
    """text[i] == "'": index after the closing quote (len(text) if unterminated)."""
    j = text.find("'", i + 1)
    return len(text) if j < 0 else j + 1


def _skip_double(text: str, i: int) -> int:
    """text[i] == '"': index after the closing quote."""
    n = len(text)
    j = i + 1
    while j < n:
        c = text[j]
        if c == "\\":
            j += 2
        elif c == '"':
            return j + 1
        elif c == "$" and j + 1 < n and text[j + 1] in "({":
            j = _match(text, j + 1, dq=True)
        elif c == "`":
            j = _skip_backtick(text, j)
        else:
            j += 1
    return n


def _skip_backtick(text: str, i: int) -> int:
    n = len(text)
    j = i + 1
    while j < n:
        c = text[j]
        if c == "\\":
            j += 2
        elif c == "`":
            return j + 1
        else:
            j += 1
    return n


def _match(text: str, i: int, dq: bool = False) -> int:
    """text[i] is "(" or "{" (after a "$"): index after its match (len(text) if unterminated)."""
    n = len(text)
    opener = text[i]
    closer = ")" if opener == "(" else "}"
    depth = 1
    j = i + 1
    while j < n:
        c = text[j]
        if c == "\\":
            j += 2
            continue
        if c == "'" and not (dq and opener == "{"):
            j = _skip_single(text, j)
            continue
        if c == '"':
            j = _skip_double(text, j)
            continue
        if c == "`":
            j = _skip_backtick(text, j)
            continue
        if c == "$" and j + 1 < n and text[j + 1] in "({":
            j = _match(text, j + 1, dq)
            continue
        if c == "$" and j + 1 < n and text[j + 1] == "'" and not dq:
            k = j + 2
            while k < n and text[k] != "'":
                k += 2 if text[k] == "\\" else 1
            j = k + 1
            continue
        if opener == "(" and c == "(":
            depth += 1
        elif c == closer:
            depth -= 1
            if depth == 0:
                return j + 1
        j += 1
    return n


_WORD_END = frozenset(" \t\n;&|<>()")


def scan_word(text: str, i: int, limit: int | None = None) -> int:
    """The end of the shell word starting at text[i], as bash's tokenizer finds it (quotes,
    escapes, `$(...)`, `${...}`, backquotes and `$'...'` do not end it; an unquoted blank or
    metacharacter does). tree-sitter-bash splits some words (`'a b'\\x`, `R=\\ $x`), so the
    parser extends its words to this end."""
    n = len(text) if limit is None else min(limit, len(text))
    j = i
    if j < n and text[j] in "<>" and j + 1 < n and text[j + 1] == "(":
        j = _match(text, j + 1)
    while j < n:
        c = text[j]
        if c in _WORD_END:
            return j
        if c == "\\":
            j += 2
        elif c == "'":
            j = _skip_single(text, j)
        elif c == '"':
            j = _skip_double(text, j)
        elif c == "`":
            j = _skip_backtick(text, j)
        elif c == "$" and j + 1 < n and text[j + 1] in "({":
            j = _match(text, j + 1)
        elif c == "$" and j + 1 < n and text[j + 1] == "'":
            k = j + 2
            while k < n and text[k] != "'":
                k += 2 if text[k] == "\\" else 1
            j = k + 1
        else:
            j += 1
    return min(j, n)


def _ansi_c(body: str) -> str:
    out = []
    i = 0
    n = len(body)
    while i < n:
        c = body[i]
        if c != "\\" or i + 1 >= n:
            out.append(c)
            i += 1
            continue
        d = body[i + 1]
        if d in _ANSI:
            out.append(_ANSI[d])
            i += 2
        elif d in "01234567":
            m = re.match(r"[0-7]{1,3}", body[i + 1 :])
            out.append(chr(int(m.group(), 8) & 0xFF))  # type: ignore[union-attr]
            i += 1 + len(m.group())  # type: ignore[union-attr]
        elif d == "x":
            m = re.match(r"[0-9a-fA-F]{1,2}", body[i + 2 :])
            if m:
                out.append(chr(int(m.group(), 16)))
                i += 2 + len(m.group())
            else:
                out.append("\\x")
                i += 2
        elif d in "uU":
            m = re.match(r"[0-9a-fA-F]{1,%d}" % (4 if d == "u" else 8), body[i + 2 :])
            if m:
                code = int(m.group(), 16)
                out.append(chr(code) if code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else "\ufffd")
                i += 2 + len(m.group())
            else:
                out.append("\\" + d)
                i += 2
        elif d == "c" and i + 2 < n:
            out.append(chr(ord(body[i + 2]) & 0x1F))
            i += 3
        else:
            out.append("\\" + d)
            i += 2
    return "".join(out)


def _braced(body: str, quoted: bool, source: str) -> tuple:
    """The inside of ${...} -> a param segment."""
    if not body:
        return ("subst", "bad-substitution", source, quoted)
    if body[0] == "#" and len(body) > 1:
        rest = body[1:]
        if _NAME_RE.fullmatch(rest) or rest.isdigit() or rest in ("@", "*"):
            return ("param", rest, "len", None, quoted, source)
    if body[0] == "!":
        return ("subst", "indirect", source, quoted)
    m = _NAME_RE.match(body)
    if m:
        name = body[: m.end()]
    elif body[0].isdigit():
        name = re.match(r"[0-9]+", body).group()  # type: ignore[union-attr]
    elif body[0] in _SPECIAL:
        name = body[0]
    else:
        return ("subst", "bad-substitution", source, quoted)
    rest = body[len(name) :]
    if not rest:
        return ("param", name, None, None, quoted, source)
    if rest[0] == "[":
        return ("subst", "array", source, quoted)
    for op in _PARAM_OPS:
        if rest.startswith(op):
            return ("param", name, op, rest[len(op) :], quoted, source)
    return ("subst", "bad-substitution", source, quoted)


def _dollar(text: str, i: int, quoted: bool, out: list) -> int:
    """text[i] == "$": append the segment, return the index after it."""
    n = len(text)
    if i + 1 >= n:
        out.append(("lit", "$", quoted))
        return i + 1
    c = text[i + 1]
    if c == "{":
        j = _match(text, i + 1, dq=quoted)
        src = text[i:j]
        body = text[i + 2 : j - 1] if text[j - 1 : j] == "}" and j - 1 > i + 1 else text[i + 2 : j]
        out.append(_braced(body, quoted, src))
        return j
    if c == "(":
        if i + 2 < n and text[i + 2] == "(":
            j = _match(text, i + 1)
            out.append(("subst", "arith", text[i:j], quoted))
            return j
        j = _match(text, i + 1)
        out.append(("subst", "command", text[i:j], quoted))
        return j
    if c == "'" and not quoted:
        # $'...': backslash escapes (\' included) are decoded
        k = i + 2
        while k < n and text[k] != "'":
            k += 2 if text[k] == "\\" else 1
        out.append(("lit", _ansi_c(text[i + 2 : min(k, n)]), True))
        return min(k + 1, n)
    if c == '"' and not quoted:
        # $"..." (translated): like "..."
        return _double(text, i + 1, out)
    m = _NAME_RE.match(text, i + 1)
    if m:
        out.append(("param", m.group(), None, None, quoted, text[i : m.end()]))
        return m.end()
    if c in _SPECIAL:
        out.append(("param", c, None, None, quoted, text[i : i + 2]))
        return i + 2
    out.append(("lit", "$", quoted))
    return i + 1


def _dq(text: str, j: int, out: list, nested: bool) -> int:
    """Lex double-quote context from text[j]. Outside `nested` a '"' ends it (the index of that
    quote is returned); `nested` is the word of "${x:-word}", where '"' opens an inner string."""
    n = len(text)
    buf: list[str] = []
    opened = len(out)
    while j < n:
        c = text[j]
        if c == '"':
            if not nested:
                break
            if buf:
                out.append(("lit", "".join(buf), True))
                buf = []
            j = _double(text, j, out)
            continue
        if c == "\\":
            if j + 1 < n and text[j + 1] in '$`"\\\n':
                if text[j + 1] != "\n":
                    buf.append(text[j + 1])
                j += 2
                continue
            buf.append("\\")
            j += 1
            continue
        if c == "$" or c == "`":
            if buf:
                out.append(("lit", "".join(buf), True))
                buf = []
            if c == "$":
                j = _dollar(text, j, True, out)
            else:
                k = _skip_backtick(text, j)
                out.append(("subst", "backtick", text[j:k], True))
                j = k
            continue
        buf.append(c)
        j += 1
    if buf or (len(out) == opened and not nested):
        out.append(("lit", "".join(buf), True))  # "" keeps an empty quoted string a field
    return j


def _double(text: str, i: int, out: list) -> int:
    """text[i] == '"': lex the double-quoted string, return the index after it."""
    j = _dq(text, i + 1, out, nested=False)
    return j + 1 if j < len(text) else len(text)


def lex_word(text: str, assignment: bool = False) -> list[tuple]:
    """Lex one shell word (as tree-sitter delimited it) into segments. `assignment`: the word is
    the value of an assignment (tilde expansion after `=` and `:`)."""
    if _PLAIN_RE.match(text) and not (assignment and ":~" in text):
        return [("lit", text, False)] if text else []
    out: list[tuple] = []
    n = len(text)
    i = 0
    buf: list[str] = []

    def flush() -> None:
        if buf:
            out.append(("lit", "".join(buf), False))
            buf.clear()

    # tilde after `=` in an assignment-looking word (bash does this for arguments too)
    tilde_ok = {0}
    m = None if assignment else _NAME_RE.match(text)
    if m and text[m.end() : m.end() + 1] == "=":
        tilde_ok.add(m.end() + 1)
        assignment = True
    elif m and text[m.end() : m.end() + 2] == "+=":
        tilde_ok.add(m.end() + 2)
        assignment = True
    while i < n:
        c = text[i]
        if c == "~" and i in tilde_ok:
            k = i + 1
            while k < n and text[k] not in "/:" and (text[k].isalnum() or text[k] in "._-+"):
                k += 1
            if k == n or text[k] in "/:":
                flush()
                user = text[i + 1 : k]
                out.append(("tilde", user, text[i:k]))
                i = k
                continue
        if c == "\\":
            flush()
            if i + 1 < n:
                if text[i + 1] != "\n":
                    out.append(("lit", text[i + 1], True))
                i += 2
            else:
                out.append(("lit", "\\", True))
                i += 1
            continue
        if c == "'":
            flush()
            j = _skip_single(text, i)
            end = j - 1 if j <= n and text[j - 1 : j] == "'" and j - 1 > i else j
            out.append(("lit", text[i + 1 : end], True))
            i = j
            continue
        if c == '"':
            flush()
            i = _double(text, i, out)
            continue
        if c == "$":
            flush()
            i = _dollar(text, i, False, out)
            continue
        if c == "`":
            flush()
            j = _skip_backtick(text, i)
            out.append(("subst", "backtick", text[i:j], False))
            i = j
            continue
        if c in "<>" and i + 1 < n and text[i + 1] == "(":
            flush()
            j = _match(text, i + 1)
            out.append(("subst", "process", text[i:j], False))
            i = j
            continue
        buf.append(c)
        if assignment and c == ":":
            tilde_ok.add(i + 1)
        i += 1
    flush()
    return out


def word_refs(segs: list[tuple]) -> list[str]:
    """Names of the variables a lexed word references (positional and special ones included)."""
    out: list[str] = []
    for s in segs:
        if s[0] == "param":
            if s[1] not in out:
                out.append(s[1])
            if s[3]:
                for r in word_refs(lex_word(s[3])):
                    if r not in out:
                        out.append(r)
        elif s[0] == "tilde" and s[1] == "" and "HOME" not in out:
            out.append("HOME")
    return out


# ---------------------------------------------------------------------------------------------------
# Expanding words


class Scope:
    """What expansion needs from the evaluator. The default reads nothing: every variable is the
    environment's (symbolic)."""

    def lookup(self, name: str) -> Value:
        return Value.var(name)

    def positional(self) -> list[Value] | None:
        """The positional parameters when known (inside an inlined function call), else None."""
        return None

    def assign_default(self, name: str, value: Value) -> None:
        """`${NAME:=word}` assigns: called with the variable's new value."""


def _glob_re(pattern: str) -> re.Pattern | None:
    try:
        return re.compile(fnmatch.translate(pattern), re.S)
    except re.error:  # pragma: no cover - translate escapes everything
        return None


def _trim(text: str, op: str, pattern: str) -> str:
    rx = _glob_re(pattern)
    if rx is None:  # pragma: no cover
        return text
    n = len(text)
    if op == "#":
        for k in range(0, n + 1):
            if rx.match(text[:k]):
                return text[k:]
    elif op == "##":
        for k in range(n, -1, -1):
            if rx.match(text[:k]):
                return text[k:]
    elif op == "%":
        for k in range(n, -1, -1):
            if rx.match(text[k:]):
                return text[:k]
    elif op == "%%":
        for k in range(0, n + 1):
            if rx.match(text[k:]):
                return text[:k]
    return text


def _param_value(seg: tuple, scope: Scope) -> Value:
    _, name, op, arg, quoted, source = seg
    split = not quoted
    pos = scope.positional()
    if name in ("@", "*"):
        if pos is None:
            return Value.concat([Part(VAR, name, split)])
        if op == "len":
            return Value.of(str(len(pos)))
        if op is not None:
            return Value.opaque(source)
        # "$@" stays one field per parameter: the separators split even inside quotes ("$*" joins)
        sep = Part(TEXT, " ", split or name == "@")
        if all(len(v.options) == 1 and not v.maybe_unset for v in pos):
            parts: list[Part] = []
            for k, v in enumerate(pos):
                if k:
                    parts.append(sep)
                parts.extend(p.with_split(split) for p in v.options[0])
            return Value((parts,))
        acc = Value.of("")
        for k, v in enumerate(pos):
            if k:
                acc = acc + Value(((sep,),))
            acc = acc + v.as_expansion(split)
        return acc
    if name == "#":
        if pos is None or op is not None:
            return Value.concat([Part(OPAQUE, source, split)])
        return Value.of(str(len(pos)))
    if name in ("?", "$", "!", "-", "_"):
        return Value.concat([Part(OPAQUE, source, split)])
    if name.isdigit() and name != "0" and pos is not None:
        k = int(name)
        binding = pos[k - 1] if k <= len(pos) else UNSET
    else:
        binding = scope.lookup(name)
    if op is None:
        return binding.as_expansion(split)
    if op == "len":
        t = binding.texts
        if t is not None and not binding.maybe_unset and len(set(map(len, t))) == 1:
            return Value.of(str(len(t[0])))
        return Value.concat([Part(OPAQUE, source, split)])
    if op in (":-", "-", ":=", "=", ":+", "+"):
        colon = op[0] == ":"
        base = op[-1]
        # each possibility: set-and-nonempty / empty / unset
        use_value: list[Option] = []
        use_alt = False
        for o in binding.options:
            if colon and not any(p.kind == TEXT and p.text for p in o):
                # possibly empty: an all-literal empty option is empty; otherwise either way
                if all(p.kind == TEXT for p in o):
                    use_alt = True
                    continue
                use_alt = True
            use_value.append(o)
        if binding.maybe_unset:
            use_alt = True
        needed = bool(use_value) if base == "+" else use_alt
        # bash expands the word only when it is used (its own `${y:=...}` included)
        arg_val = (
            expand_segments(lex_word(arg or "") if not quoted else _lex_in_quotes(arg or ""), scope, split)
            if needed
            else EMPTY
        )
        if base == "+":
            # ${x+alt}: alt when set (and non-empty for :+), else ""
            opts: list[Option] = []
            if use_value:
                opts.extend(arg_val.options)
            if use_alt:
                opts.append(())
            return Value(opts)
        kept = Value([tuple(p.with_split(split) for p in o) for o in use_value]) if use_value else None
        if use_alt:
            result = arg_val if kept is None else kept.join(arg_val)
        else:
            result = kept if kept is not None else EMPTY
        if base == "=" and use_alt:
            new = arg_val.unsplit() if kept is None else Value(use_value).join(arg_val.unsplit())
            scope.assign_default(name, new)
        return result
    if op in (":?", "?"):
        return Value(binding.options or [()]).as_expansion(split)
    if op in ("#", "##", "%", "%%"):
        t = binding.texts
        pat = expand_segments(_lex_in_quotes(arg or "") if quoted else lex_word(arg or ""), scope).text
        if t is None or pat is None:
            return Value.concat([Part(OPAQUE, source, split)])
        opts = [(Part(TEXT, _trim(x, op, pat), split),) for x in t]
        if binding.maybe_unset:
            opts.append(())
        return Value(opts)
    if op in ("/", "//"):
        t = binding.texts
        pat, _, rep = (arg or "").partition("/")
        if t is None or any(ch in pat for ch in "*?[\\$'\"") or any(ch in rep for ch in "\\$'\"`"):
            return Value.concat([Part(OPAQUE, source, split)])
        if not pat:
            return binding.as_expansion(split)
        opts = [(Part(TEXT, x.replace(pat, rep, -1 if op == "//" else 1), split),) for x in t]
        if binding.maybe_unset:
            opts.append(())
        return Value(opts)
    return Value.concat([Part(OPAQUE, source, split)])


def _lex_in_quotes(text: str) -> list[tuple]:
    """Lex the word of "${x:-word}" (inside double quotes)."""
    out: list[tuple] = []
    _dq(text, 0, out, nested=True)
    return out


def expand_segments(segs: list[tuple], scope: Scope, lit_split: bool = False) -> Value:
    """`lit_split`: unquoted literal text is subject to field splitting (the word of an unquoted
    `${x:-a b}`)."""
    if len(segs) == 1 and segs[0][0] == "lit":
        return Value._make(((Part(TEXT, segs[0][1], lit_split and not segs[0][2]),),) if segs[0][1] else ((),), False)
    opts: list[list[Part]] = [[]]
    for s in segs:
        k = s[0]
        if k == "lit":
            if s[1]:
                p = Part(TEXT, s[1], lit_split and not s[2])
                for o in opts:
                    o.append(p)
            continue
        if k == "param":
            v = _param_value(s, scope)
        elif k == "tilde":
            user = s[1]
            name = {"": "HOME", "+": "PWD", "-": "OLDPWD"}.get(user)
            if name is None:
                v = Value.opaque(s[2])
            else:
                b = scope.lookup(name)
                v = Value.opaque(s[2]) if b.is_unset else b.as_expansion(False)
        else:  # subst
            p = Part(OPAQUE, s[2], not s[3])
            for o in opts:
                o.append(p)
            continue
        vo = v.options
        if s[0] == "param" and not s[4] and any(not o for o in vo) and not (s[3] and ('"' in s[3] or "'" in s[3])):
            # an empty result of an unquoted expansion: marked, so that the word may vanish
            vo = tuple(o or (Part(TEXT, "", True),) for o in vo)
        if len(vo) == 1:
            for o in opts:
                o.extend(vo[0])
        elif not vo:
            continue
        elif len(opts) * len(vo) > MAX_OPTIONS:
            return Value(((Part(OPAQUE, "<one of many values>"),),))
        else:
            opts = [o + list(x) for o in opts for x in vo]
    return Value(opts)


def expand_word(text: str, scope: Scope | None = None, assignment: bool = False) -> Value:
    """The value of one shell word as bash expands it (before field splitting). Unknown variables
    are symbolic unless `scope` knows them."""
    return expand_segments(lex_word(text, assignment), scope or Scope())


def expand_heredoc(body: str, scope: Scope | None = None) -> Value:
    """An unquoted heredoc body: `$`, `` ` `` and `\\` work as in double quotes, quotes are plain."""
    out: list[tuple] = []
    n = len(body)
    i = 0
    buf: list[str] = []
    while i < n:
        c = body[i]
        if c == "\\" and i + 1 < n and body[i + 1] in "$`\\\n":
            if body[i + 1] != "\n":
                buf.append(body[i + 1])
            i += 2
            continue
        if c == "$" or c == "`":
            if buf:
                out.append(("lit", "".join(buf), True))
                buf = []
            if c == "$":
                i = _dollar(body, i, True, out)
            else:
                k = _skip_backtick(body, i)
                out.append(("subst", "backtick", body[i:k], True))
                i = k
            continue
        buf.append(c)
        i += 1
    if buf:
        out.append(("lit", "".join(buf), True))
    return expand_segments(out, scope or Scope())


# ---------------------------------------------------------------------------------------------------
# Evaluation entry point


def evaluate(
    script: ShellScript,
    env: Mapping[str, Value | str] | None = None,
    *,
    rest_unknown: bool = False,
    resolve_source: Callable[[str], ShellScript | None] | None = None,
) -> Evaluation:
    """Constant-propagate the script's variables, top level in source order, function bodies at
    their call sites. See `cfglint.shell.interp.Evaluation` for what it returns.

    env None: the environment is unknown (every variable the script does not set is symbolic).
    env a mapping: exactly that environment (exported variables); names absent from it are unset,
    unless `rest_unknown` (then they are symbolic), e.g. `{}` for an init script run under
    `env -i`, `{"JAVA_HOME": Value.of("/usr/java")}` for a login shell whose profile set it.
    `resolve_source(path)` may return a parsed script for `. path` / `source path` (never read
    from disk by this module); unresolved sources are listed on the result.
    """
    from cfglint.shell.interp import run

    return run(script, env, rest_unknown=rest_unknown, resolve_source=resolve_source)
