"""The parser's internal representation: plain objects the walker fills and the evaluator runs.

Not public: rules use the model (`cfglint.shell.model`). Offsets are character offsets
into the decoded text (BOM removed).
"""

from __future__ import annotations

from cfglint.shell.values import lex_word, word_refs


class IWord:
    __slots__ = ("id", "start", "end", "text", "assignment", "_segs", "_refs", "_const")

    def __init__(self, id: int, start: int, end: int, text: str, assignment: bool = False):
        self.id = id
        self.start = start
        self.end = end
        self.text = text
        self.assignment = assignment  # an assignment's value (tilde after `:` too)
        self._segs: list | None = None
        self._refs: list | None = None
        self._const = False  # not computed yet

    @property
    def const(self):
        """The word's value when it has nothing to expand (a Value), else None."""
        c = self._const
        if c is False:
            segs = self.segs
            if all(s[0] == "lit" for s in segs):
                from cfglint.shell.values import Value

                c = Value.of("".join(s[1] for s in segs))
            else:
                c = None
            self._const = c
        return c

    @property
    def segs(self) -> list:
        if self._segs is None:
            self._segs = lex_word(self.text, self.assignment)
        return self._segs

    @property
    def refs(self) -> list[str]:
        if self._refs is None:
            self._refs = word_refs(self.segs)
        return self._refs

    @property
    def has_quotes(self) -> bool:
        """A quoted part: the word never vanishes, even when it expands to nothing."""
        return any((seg[0] == "lit" and seg[2]) or (seg[0] == "param" and seg[4]) or (seg[0] == "subst" and seg[3])
                   for seg in self.segs)

    def is_all_args(self) -> bool:
        """`"$@"` (or `$@`, `"${@}"`): the positional parameters as separate words."""
        s = self.segs
        return len(s) == 1 and s[0][0] == "param" and s[0][1] == "@" and s[0][2] is None


class ICond:
    """Why a command may not run: the enclosing if/case/loop/&&/||, innermost last."""

    __slots__ = ("kind", "start", "end", "tests", "when", "patterns", "subject", "_model")

    def __init__(self, kind: str, start: int, end: int, tests: list, when: str,
                 patterns: tuple[str, ...] = (), subject: str | None = None):
        self.kind = kind
        self.start = start
        self.end = end
        self.tests = tests  # list[ICmd]
        self.when = when
        self.patterns = patterns
        self.subject = subject
        self._model = None


class IAssign:
    __slots__ = (
        "id", "start", "end", "name", "name_start", "name_end", "op", "word", "array", "via",
        "flags", "scope", "exported", "unset", "malformed", "intended", "message", "cmd",
    )

    def __init__(self, name: str, start: int, end: int, name_start: int, name_end: int, *,
                 op: str | None = None, word: IWord | None = None, array: bool = False, via: str = "plain",
                 flags: tuple[str, ...] = (), scope: str = "global", exported: bool | None = None,
                 unset: bool = False, malformed: str | None = None, intended: IWord | None = None,
                 message: str | None = None):
        self.id = -1
        self.name = name
        self.start = start
        self.end = end
        self.name_start = name_start
        self.name_end = name_end
        self.op = op  # "=", "+=" or None (no value: export X, local x, unset X, read X)
        self.word = word
        self.array = array
        self.via = via
        self.flags = flags
        self.scope = scope  # "global" | "local" | "command"
        self.exported = exported  # True/False: sets/clears the export attribute; None: unchanged
        self.unset = unset
        self.malformed = malformed
        self.intended = intended
        self.message = message
        self.cmd: ICmd | None = None


class IHeredoc:
    __slots__ = ("id", "op_start", "op_end", "op", "delimiter", "quoted", "strip_tabs", "body",
                 "body_start", "body_end", "end", "terminated", "cmd")

    def __init__(self, op_start: int, op_end: int, op: str, delimiter: str, quoted: bool, strip_tabs: bool):
        self.id = -1
        self.op_start = op_start  # byte offsets until the walker converts them
        self.op_end = op_end
        self.op = op
        self.delimiter = delimiter
        self.quoted = quoted
        self.strip_tabs = strip_tabs
        self.body = ""
        self.body_start = 0
        self.body_end = 0
        self.end = 0  # after the delimiter line
        self.terminated = True
        self.cmd: ICmd | None = None


class IRedirect:
    __slots__ = ("start", "end", "op", "fd", "target", "heredoc")

    def __init__(self, start: int, end: int, op: str, fd: int | None, target: IWord | None,
                 heredoc: IHeredoc | None = None):
        self.start = start
        self.end = end
        self.op = op
        self.fd = fd
        self.target = target
        self.heredoc = heredoc


class ICmd:
    __slots__ = (
        "index", "start", "end", "words", "assigns", "redirects", "kind", "conds", "function",
        "tested", "background", "pipeline", "negated", "subshell", "substitution", "substs",
    )

    def __init__(self, start: int, end: int, kind: str = "simple"):
        self.index = -1
        self.start = start
        self.end = end
        self.words: list[IWord] = []
        self.assigns: list[IAssign] = []
        self.redirects: list[IRedirect] = []
        self.kind = kind  # "simple" | "declaration" | "unset" | "test" | "assignment"
        self.conds: tuple[ICond, ...] = ()
        self.function: str | None = None
        self.tested = False
        self.background = False
        self.pipeline: tuple[int, int] | None = None
        self.negated = False
        self.subshell = False
        self.substitution: str | None = None
        self.substs: list = []  # statements of the command substitutions in its words (run first)


class IFunc:
    __slots__ = ("name", "start", "end", "name_start", "name_end", "body", "cmds", "in_function",
                 "conds", "assigned")

    def __init__(self, name: str, start: int, end: int, name_start: int, name_end: int):
        self.name = name
        self.start = start
        self.end = end
        self.name_start = name_start
        self.name_end = name_end
        self.body = None  # statement
        self.cmds: list[ICmd] = []
        self.in_function: str | None = None
        self.conds: tuple[ICond, ...] = ()
        self.assigned: set[str] = set()  # names assigned (not as locals) anywhere in the body


# Statements (tuples; the evaluator dispatches on the first item):
#   ("cmd", ICmd)
#   ("seq", [stmt, ...])
#   ("and", left, right) / ("or", left, right)
#   ("pipe", [stmt, ...])                       more than one: each part in a subshell
#   ("sub", stmt)                               ( ... ), background, substitution
#   ("if", [(cond, body), ...], else_or_None)
#   ("case", substs, IWord|None, [body, ...], has_default)
#   ("loop", kind, cond_or_None, body, substs, IAssign_or_None, [IWord] or None)
#        kind "while"/"until" (cond), "for"/"select" (variable, words; None = "$@"), "cfor"
#   ("func", IFunc)
#   ("redir", stmt, substs)                     redirections of a compound statement
