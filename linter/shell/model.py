"""The shell model: what `cfglint.shell.parse_shell` returns. Every element carries its span.

Formats subclass `ShellScript` (`class HadoopEnv(ShellScript): kind = "hadoop-env"`) and build it
with `cfglint.shell.build(data, path, HadoopEnv)`.

Flow flags. A command (and each assignment it makes) knows why it may not run:

* `in_function`: the innermost function whose body holds it (runs only when called);
* `conditions`: the enclosing if/elif/else arms, case items, loops and `&&`/`||` right-hand sides,
  outermost first, each a `Condition` with the commands whose exit status decides (`tests`) and
  `when` it runs (`"success"`, `"failure"` of those tests, or `"any"` for case items and loops);
* `in_branch` (if/elif/else/case/&&/||), `in_loop`, `guard` (the innermost `&&`/`||` condition):
  shortcuts over `conditions`;
* `conditional` (property): not certain to run when the script runs top to bottom.

`iptables -C X || iptables -A X` gives the second command `guard=Condition(kind="or",
tests=(i,), when="failure")` where `i` is the index of the `-C` command; `if ! iptables -C X; then
iptables -A X; fi` gives `Condition(kind="if", tests=(i,), when="failure")` (a `!` on the test
flips `when`). An `elif` arm carries one `else` condition per earlier test, then its own `elif`;
the `else` arm one `else` per test. Commands whose exit status is tested (if/while conditions,
left of `&&`/`||`) have `tested=True`. Commands in `$( )` are listed after the command that
holds them, with `substitution` set and the same conditions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, Literal

from cfglint.api import Node, SourceModel, Span
from cfglint.models.base import Model
from cfglint.shell.values import Value

if TYPE_CHECKING:  # pragma: no cover
    from cfglint.shell.interp import Evaluation

__all__ = [
    "Assignment",
    "Command",
    "Condition",
    "Function",
    "Heredoc",
    "Redirect",
    "ShellScript",
    "Word",
]


class Word(Node):
    """One shell word as written (`text`, quotes and all) and its constant-propagated `value`
    (before field splitting; under an unknown environment, function bodies joined over their call
    sites)."""

    text: str
    value: Value
    refs: tuple[str, ...] = ()  # variables it references, in order (`$1`, `$@`, `HOME` for `~` included)

    @property
    def literal(self) -> str | None:
        """The known text of the value, or None."""
        return self.value.text

    @property
    def fields(self) -> list[Value] | None:
        """The argv entries the word becomes after field splitting (an unquoted `$X` holding
        "a b" gives two, an empty one none); None when that depends on something unknown."""
        return self.value.split_fields()


class Condition(Model):
    """Why a command may not run (see the module docstring)."""

    kind: Literal["if", "elif", "else", "case", "and", "or", "while", "until", "for", "select", "cfor"]
    span: Span  # the if statement / case item / loop / `a && b` list
    tests: tuple[int, ...] = ()  # indexes into ShellScript.commands of the deciding commands
    when: Literal["success", "failure", "any"] = "any"
    patterns: tuple[str, ...] = ()  # case item patterns as written
    subject: str | None = None  # the case word as written


class Redirect(Node):
    op: str  # ">", ">>", "<", "<>", ">&", "<&", "&>", "&>>", ">|", "<<", "<<-", "<<<"
    fd: int | None = None  # the explicit descriptor (2 in `2>&1`)
    target: Word | None = None  # the file / descriptor / here-string; None for a heredoc
    heredoc: int | None = None  # index into ShellScript.heredocs


class Heredoc(Node):
    """A here-document: data, never commands. `span` covers the body and the delimiter line."""

    delimiter: str
    quoted: bool  # the delimiter was quoted: the body is taken literally
    strip_tabs: bool  # `<<-`
    body: str  # as the command reads it (leading tabs removed for `<<-`), before expansion
    body_span: Span  # the body lines (empty body: the delimiter line's start)
    value: Value  # the body after expansion (the literal body when quoted)
    command: int | None = None  # index of the command it feeds
    terminated: bool = True  # False: no delimiter line, the body runs to the end of the file


class Assignment(Node):
    """A variable assignment, declaration, export or unset. `span` covers `NAME=value` (the name
    alone when no value is given)."""

    index: int
    name: str
    name_span: Span
    op: Literal["=", "+="] | None = None  # None: no value given (export X, local x, unset X, read X)
    word: Word | None = None  # the value as written (None when none, or an array)
    value: Value | None = None  # what gets assigned (None: nothing is assigned by this form)
    array: bool = False  # `a=(...)`: its elements are not tracked (value is opaque)
    via: Literal[
        "plain", "prefix", "export", "declare", "typeset", "local", "readonly", "unset", "for", "read",
        "printf", "default-expansion"
    ] = "plain"
    flags: tuple[str, ...] = ()  # option words of declare/typeset/local/export/readonly (`-x`, `-n`, `+x`)
    exported: bool | None = None  # True/False: sets/clears the export attribute; None: leaves it
    scope: Literal["global", "local", "command"] = "global"  # command: `FOO=1 cmd`, for that command only
    command: int  # index of the command that makes it
    in_function: str | None = None
    in_branch: bool = False
    in_loop: bool = False
    guard: Condition | None = None
    conditions: tuple[Condition, ...] = ()
    # A broken spelling bash reads differently from what was meant, and what bash does instead:
    #   "spaces-around-equals"  `export X = v` / `X = v`
    #   "space-before-equals"   `export X =v` / `X =v`
    #   "space-after-equals"    `export X= v` / `X= v` (X gets "", v is an identifier error / a command)
    #   "local-outside-function"
    malformed: str | None = None
    intended: Word | None = None  # the value the author meant (malformed forms)
    message: str | None = None  # what bash does with the malformed form

    @property
    def conditional(self) -> bool:
        return self.in_function is not None or bool(self.conditions)

    @property
    def is_unset(self) -> bool:
        return self.via == "unset"


class Command(Node):
    """A simple command (also `[ ... ]` / `[[ ... ]]` tests, declaration builtins and bare
    assignments, whose argv is empty). `span` covers the command with its redirections."""

    index: int
    argv: list[Word] = []
    name: str | None = None  # argv[0]'s value when known
    kind: Literal["simple", "declaration", "unset", "test", "assignment"] = "simple"
    assignments: list[Assignment] = []  # prefix (`FOO=1 cmd`, scope "command") and declared ones
    redirects: list[Redirect] = []
    background: bool = False  # `cmd &`
    pipeline: tuple[int, int] | None = None  # (position, length) in a pipeline of 2+ commands
    negated: bool = False  # `! cmd`
    subshell: bool = False  # runs in a subshell: ( ), pipeline part, background, substitution
    substitution: Literal["command", "process"] | None = None  # inside $( ) / `` / <( ) >( )
    tested: bool = False  # its exit status is tested (if/while condition, left of && / ||)
    in_function: str | None = None
    in_branch: bool = False
    in_loop: bool = False
    guard: Condition | None = None
    conditions: tuple[Condition, ...] = ()

    @property
    def conditional(self) -> bool:
        """May not run when the script runs top to bottom (function body, branch, loop, guard)."""
        return self.in_function is not None or bool(self.conditions)

    @property
    def args(self) -> list[Word]:
        return self.argv[1:]

    def values(self) -> list[Value]:
        return [w.value for w in self.argv]


class Function(Node):
    """A function definition (the last one when a name is defined twice; see `definitions`)."""

    name: str
    name_span: Span
    commands: tuple[int, ...] = ()  # indexes of the commands in its body (nested ones included)
    in_function: str | None = None  # defined inside another function's body
    conditional: bool = False  # the definition itself is in a branch or loop
    definitions: int = 1  # how many times the script defines this name


class ShellScript(SourceModel):
    """A parsed shell script. `kind` is left to the format subclasses."""

    commands: list[Command] = []  # source order (a command before the ones in its substitutions)
    assignments: list[Assignment] = []  # source order
    functions: dict[str, Function] = {}
    heredocs: list[Heredoc] = []
    error_regions: list[Span] = []  # the parser could not read these: nothing in them is modelled
    shebang: str | None = None
    bom: bool = False
    crlf_lines: list[int] = []  # lines ending in "\r\n" (bash keeps the "\r" in the last word)
    cr_lines: list[int] = []  # lines ended by a lone "\r" (bash does not end a line there)

    # Private attributes (cfglint.models.base): not fields, out of equality and repr. Pickles keep the
    # internal representation and the words; the evaluation is recomputed on demand and the ids change.
    _ir: Any = None
    _words: Any = None  # internal word id -> Word
    _word_ids: Any = None  # id(Word) -> internal word id (rebuilt after unpickling)
    _evaluation: Any = None
    __private_pickled__: ClassVar[tuple[str, ...]] = ("_ir", "_words")

    def _word_id(self, w: Word) -> int | None:
        if self._words is None:
            return None
        if self._word_ids is None:
            self._word_ids = {id(x): i for i, x in enumerate(self._words)}
        i = self._word_ids.get(id(w))
        return i if i is not None and self._words[i] is w else None

    # Equal when the fields are (the internal representation is not compared); never hashed.
    __hash__ = None  # type: ignore[assignment]

    # -- lookups -------------------------------------------------------------------------------------
    def commands_named(self, *names: str) -> list[Command]:
        return [c for c in self.commands if c.name in names]

    def assignments_to(self, name: str) -> list[Assignment]:
        return [a for a in self.assignments if a.name == name]

    def function_commands(self, name: str) -> list[Command]:
        f = self.functions.get(name)
        return [self.commands[i] for i in f.commands] if f else []

    def uses_before_assignment(self) -> list[tuple[str, Command, Word, Assignment]]:
        """References read before the script's first assignment of that variable, at the top
        level in source order (`PATH=$PATH:$HADOOP_HOME/bin` before `HADOOP_HOME=...`): (name,
        command, word, the later assignment). Words in function bodies are left out (they run
        when called), and so are names the script never assigns (the environment's)."""
        first: dict[str, Assignment] = {}
        for a in self.assignments:
            if a.value is not None and a.in_function is None and a.name not in first:
                first[a.name] = a
        out = []
        for c in self.commands:
            if c.in_function is not None:
                continue
            seen: set[str] = set()
            # an assignment's value word first: it is the precise place (`export X=$Y` has both)
            words = [a.word for a in c.assignments if a.word is not None] + list(c.argv)
            for w in words:
                for name in w.refs:
                    a = first.get(name)
                    if name in seen or a is None or a.command == c.index:
                        continue
                    if (a.span.line, a.span.column) > (w.span.line, w.span.column):
                        seen.add(name)
                        out.append((name, c, w, a))
        return out

    def in_error_region(self, where: int | Span) -> bool:
        """Whether a line (any part of it) or a span overlaps a region the parser could not read."""
        if isinstance(where, int):
            return any(r.line <= where <= r.last_line for r in self.error_regions)
        start = (where.line, where.column)
        end = (where.last_line, where.end_column if where.end_column is not None else where.column + 1)
        for r in self.error_regions:
            rs = (r.line, r.column)
            re_ = (r.last_line, r.end_column if r.end_column is not None else r.column + 1)
            if start < re_ and rs < end:
                return True
        return False

    # -- evaluation ----------------------------------------------------------------------------------
    def evaluation(self) -> Evaluation:
        """The evaluation under an unknown environment (what `Word.value` holds), computed once."""
        if self._evaluation is None:
            from cfglint.shell.values import evaluate

            self._evaluation = evaluate(self)
        return self._evaluation

    def evaluate(self, env: Any = None, **kw: Any) -> Evaluation:
        """`cfglint.shell.evaluate(self, env, ...)`."""
        from cfglint.shell.values import evaluate

        return evaluate(self, env, **kw)

    def value(self, name: str) -> Value:
        """A variable's value at the end of the script under an unknown environment."""
        return self.evaluation().value(name)
