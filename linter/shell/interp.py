"""Constant propagation over a parsed script: an abstract run, nothing executed or read.

The top level runs in source order. Branches (if/elif/else, case items, the right side of `&&` /
`||`) run on copies of the variables and the copies are joined afterwards, so a variable set in
one branch becomes "the old value or the new one" (`Value.join`). Loops run to a fixpoint (two
passes; what still changes becomes opaque), then once more to record values. Subshells
(`( )`, pipeline parts, `&`, command substitutions) run on a copy that is dropped. A call of a
function defined earlier runs its body at the call site with `$1...`/`"$@"` bound to the call's
arguments (recursion and very deep calls are not followed: the variables the function assigns
become opaque). Functions never called are run once afterwards, under "their globals as the script
leaves them, or whatever a caller had", only to give their words a value.

`${X:=def}`, `read X`, `printf -v X`, `set -a` (every later assignment exported), `set -- args`,
`shift`, `export -n`, `unset`, `local`/`declare` scoping in functions are modelled. `source FILE`
is only followed when the caller passes `resolve_source`; `eval` is not.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from cfglint.api import Span
from cfglint.shell.ir import IAssign, ICmd, IFunc, IHeredoc, IWord
from cfglint.shell.values import (
    EMPTY,
    UNSET,
    Part,
    Scope,
    Value,
    expand_heredoc,
    expand_segments,
)

if TYPE_CHECKING:  # pragma: no cover
    from cfglint.shell.model import Assignment, Command, Heredoc, ShellScript, Word

__all__ = ["Arg", "Evaluation", "SourceRef", "Step", "run"]

_KEEP = object()
MAX_CALL_DEPTH = 16
MAX_LOOP_NESTING = 3
MAX_SOURCE_DEPTH = 8


class IR:
    """What the parser hands the evaluator (kept on the model as a private attribute)."""

    __slots__ = ("root", "cmds", "assigns", "funcs", "heredocs", "words")

    def __init__(self, root, cmds, assigns, funcs, heredocs, words):
        self.root = root
        self.cmds: list[ICmd] = cmds
        self.assigns: list[IAssign] = assigns
        self.funcs: list[IFunc] = funcs
        self.heredocs: list[IHeredoc] = heredocs
        self.words: list[IWord] = words


class Binding:
    __slots__ = ("value", "exported")

    def __init__(self, value: Value, exported: bool | None):
        self.value = value
        self.exported = exported  # True / False / None (maybe)

    def join(self, other: Binding) -> Binding:
        if self is other:
            return self
        return Binding(self.value.join(other.value), self.exported if self.exported == other.exported else None)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Binding) and self.value == other.value and self.exported == other.exported

    def __repr__(self) -> str:  # pragma: no cover
        return f"Binding({self.value!r}, exported={self.exported})"


class Env:
    __slots__ = ("g", "locals", "init", "allexport")

    def __init__(self, init: Callable[[str], Binding]):
        self.g: dict[str, Binding] = {}
        self.locals: list[dict[str, Binding]] = []
        self.init = init
        self.allexport: bool | None = False

    def get(self, name: str) -> Binding:
        for sc in reversed(self.locals):
            b = sc.get(name)
            if b is not None:
                return b
        b = self.g.get(name)
        return b if b is not None else self.init(name)

    def set(self, name: str, value: Value, exported: Any = _KEEP) -> None:
        target = self.g
        for sc in reversed(self.locals):
            if name in sc:
                target = sc
                break
        old = target.get(name)
        if old is None:
            old = self.init(name)
        if exported is _KEEP:
            exp = old.exported
            if self.allexport is True:
                exp = True
            elif self.allexport is None and exp is not True:
                exp = None
        else:
            exp = exported
        target[name] = Binding(value, exp)

    def set_exported(self, name: str, exported: bool) -> None:
        b = self.get(name)
        self.set(name, b.value, exported)

    def declare_local(self, name: str, value: Value, exported: Any = _KEEP) -> None:
        if not self.locals:
            self.set(name, value, exported)
            return
        exp = False if exported is _KEEP else exported
        self.locals[-1][name] = Binding(value, exp)

    def copy(self) -> Env:
        e = Env(self.init)
        e.g = dict(self.g)
        e.locals = [dict(sc) for sc in self.locals]
        e.allexport = self.allexport
        return e

    def join(self, other: Env) -> Env:
        e = Env(self.init)
        e.g = _join_scope(self.g, other.g, self.init)
        n = min(len(self.locals), len(other.locals))
        e.locals = [_join_scope(self.locals[i], other.locals[i], None) for i in range(n)]
        e.allexport = self.allexport if self.allexport == other.allexport else None
        return e

    def same(self, other: Env) -> bool:
        return self.g == other.g and self.locals == other.locals and self.allexport == other.allexport


def _join_scope(a: dict, b: dict, init) -> dict:
    if a is b:
        return dict(a)
    out = {}
    for name in a.keys() | b.keys():
        x = a.get(name)
        y = b.get(name)
        if x is y:
            out[name] = x
            continue
        if x is None:
            x = init(name) if init else Binding(UNSET, False)
        if y is None:
            y = init(name) if init else Binding(UNSET, False)
        out[name] = x.join(y)
    return out


class _ArgV:
    __slots__ = ("value", "word", "exact")

    def __init__(self, value: Value, word: IWord | None, exact: bool = True):
        self.value = value
        self.word = word
        self.exact = exact


class _Frame:
    __slots__ = ("func", "positional")

    def __init__(self, func: IFunc | None, positional: list[_ArgV] | None):
        self.func = func
        self.positional = positional


class RawStep:
    __slots__ = ("ir", "cmd", "fields", "stack", "conditional", "call")

    def __init__(self, ir, cmd, fields, stack, conditional, call):
        self.ir = ir
        self.cmd = cmd
        self.fields = fields
        self.stack = stack
        self.conditional = conditional
        self.call = call


class RawResult:
    def __init__(self):
        self.word_values: dict[IWord, Value] = {}
        self.assign_values: dict[IAssign, Value] = {}
        self.heredoc_values: dict[IHeredoc, Value] = {}
        self.steps: list[RawStep] = []
        self.env: Env | None = None
        self.sources: list[tuple[Any, ICmd, Value, Any]] = []
        self.calls: Counter = Counter()
        self.env_map: Mapping[str, Value] | None = None


class Interp(Scope):
    def __init__(self, ir: IR, env_map: Mapping[str, Value] | None, rest_unknown: bool,
                 resolve_source: Callable[[str], Any] | None):
        self.ir = ir
        self.res = RawResult()
        self.res.env_map = env_map
        self.resolve_source = resolve_source

        def init(name: str) -> Binding:
            if env_map is None:
                return Binding(Value.var(name), None)
            v = env_map.get(name)
            if v is not None:
                return Binding(v, True)
            if rest_unknown:
                return Binding(Value.var(name), None)
            return Binding(UNSET, False)

        self.env = Env(init)
        self.functions: dict[str, IFunc] = {}
        self.frames: list[_Frame] = [_Frame(None, None)]
        self.recording = True
        self.record_steps = True
        self.cond_depth = 0
        self.loop_depth = 0
        self.stack: list[tuple[IR, ICmd]] = []
        self.active: list[IFunc] = []
        self.budget = 40_000 + 40 * len(ir.cmds)
        self.cur_ir = ir
        self.source_depth = 0
        self.no_inline = False
        self.func_ir: dict[IFunc, IR] = {}  # the script each function was defined in

    # -- Scope -------------------------------------------------------------------------------------
    def lookup(self, name: str) -> Value:
        if name.isdigit() and name != "0":
            return Value.var(name)
        return self.env.get(name).value

    def positional(self) -> list[Value] | None:
        pos = self.frames[-1].positional
        return None if pos is None else [a.value for a in pos]

    def assign_default(self, name: str, value: Value) -> None:
        self.env.set(name, value)

    # -- recording ---------------------------------------------------------------------------------
    def expand(self, w: IWord) -> Value:
        c = w.const
        if c is not None:
            if self.recording and w not in self.res.word_values:
                self.res.word_values[w] = c
            return c
        try:
            v = expand_segments(w.segs, self)
        except RecursionError:  # pragma: no cover - absurdly nested ${...}
            v = Value.opaque(w.text)
        if self.recording:
            d = self.res.word_values
            old = d.get(w)
            d[w] = v if old is None else old.join(v)
        return v

    def fields(self, words: list[IWord]) -> list[_ArgV]:
        out: list[_ArgV] = []
        pos = self.frames[-1].positional
        for w in words:
            v = self.expand(w)
            if w._const is not None and w._const is not False:
                out.append(_ArgV(v, w))
                continue
            if pos is not None and w.is_all_args():
                quoted = w.segs[0][4]
                for a in pos:
                    if quoted:
                        out.append(a)
                    else:
                        fs = a.value.as_expansion(True).split_fields()
                        if fs is None:
                            out.append(_ArgV(a.value, a.word, False))
                        else:
                            out.extend(_ArgV(f, a.word, a.exact) for f in fs)
                continue
            fs = v.split_fields_loose()
            if not fs and w.has_quotes:
                fs = [(Value.of(""), True)]  # `""`, `$EMPTY""`: one empty argument
            out.extend(_ArgV(f, w, ex) for f, ex in fs)
        return out

    # -- statements --------------------------------------------------------------------------------
    def run(self, st) -> None:
        if st is None:
            return
        k = st[0]
        if k == "cmd":
            self.cmd(st[1])
        elif k == "seq":
            for s in st[1]:
                self.run(s)
        elif k in ("and", "or"):
            self.run(st[1])
            self.maybe(lambda: self.run(st[2]))
        elif k == "pipe":
            for s in st[1]:
                self.subshell(s)
        elif k == "sub":
            self.subshell(st[1])
        elif k == "if":
            self.if_(st[1], st[2])
        elif k == "case":
            self.case(st)
        elif k == "loop":
            self.loop(st)
        elif k == "func":
            f = st[1]
            self.functions[f.name] = f
            self.func_ir[f] = self.cur_ir
        elif k == "redir":
            for s in st[2]:
                self.subshell(s)
            self.run(st[1])

    def subshell(self, st) -> None:
        saved = self.env
        saved_frames = list(self.frames)
        self.env = saved.copy()
        self.run(st)
        self.env = saved
        self.frames = saved_frames

    def maybe(self, fn) -> None:
        before = self.env.copy()
        self.cond_depth += 1
        fn()
        self.cond_depth -= 1
        self.env = before.join(self.env)

    def if_(self, arms, else_body) -> None:
        paths: list[Env] = []
        depth = self.cond_depth
        for k, (cond, body) in enumerate(arms):
            if k > 0:
                self.cond_depth += 1  # an elif test runs only when the earlier ones failed
            self.run(cond)
            saved = self.env.copy()
            self.cond_depth += 1
            self.run(body)
            self.cond_depth -= 1
            paths.append(self.env)
            self.env = saved
        if else_body is not None:
            self.cond_depth += 1
            self.run(else_body)
        paths.append(self.env)
        self.cond_depth = depth
        env = paths[0]
        for p in paths[1:]:
            env = env.join(p)
        self.env = env

    def case(self, st) -> None:
        _, substs, subj, arms, has_default = st
        for s in substs:
            self.subshell(s)
        if subj is not None:
            self.expand(subj)
        before = self.env
        paths: list[Env] = []
        self.cond_depth += 1
        for body in arms:
            self.env = before.copy()
            self.run(body)
            paths.append(self.env)
        self.cond_depth -= 1
        if not has_default or not paths:
            paths.append(before)
        env = paths[0]
        for p in paths[1:]:
            env = env.join(p)
        self.env = env

    def loop(self, st) -> None:
        _, kind, cond, body, substs, var, words = st
        for s in substs:
            self.subshell(s)
        var_value: Value | None = None
        if var is not None:
            if words is None:
                pos = self.frames[-1].positional
                if pos is None:
                    var_value = Value.opaque('"$@"')
                else:
                    var_value = UNSET
                    for a in pos:
                        var_value = var_value.join(a.value)
            else:
                items = self.fields(words)
                var_value = UNSET
                for a in items:
                    var_value = var_value.join(a.value if a.exact else Value.opaque(a.word.text if a.word else ""))
                if var_value.is_unset:
                    var_value = None  # empty list: the body never runs
        if cond is not None and kind in ("while", "until"):
            self.run(cond)  # the test runs at least once

        def once():
            if var is not None and var_value is not None:
                if self.recording:
                    d = self.res.assign_values
                    old = d.get(var)
                    d[var] = var_value if old is None else old.join(var_value)
                self.env.set(var.name, var_value.mark_unset(False) if var_value.options else var_value)
            self.run(body)
            if cond is not None and kind in ("while", "until"):
                self.run(cond)

        if var is not None and var_value is None:
            return
        self.cond_depth += 1
        self.loop_depth += 1
        before = self.env.copy()
        if self.loop_depth > MAX_LOOP_NESTING or self.budget <= 0:
            once()
            self.env = before.join(self.env)
        else:
            rec = self.recording
            self.recording = False
            rec_steps = self.record_steps
            self.record_steps = False
            once()
            j1 = before.join(self.env)
            self.env = j1.copy()
            once()
            j2 = j1.join(self.env)
            fix = j1 if j2.same(j1) else _widen(j1, j2)
            self.recording = rec
            self.record_steps = rec_steps
            self.env = fix.copy()
            once()
            self.env = fix.join(self.env)
        self.loop_depth -= 1
        self.cond_depth -= 1

    # -- commands ----------------------------------------------------------------------------------
    def cmd(self, c: ICmd) -> None:
        self.budget -= 1
        for s in c.substs:
            self.subshell(s)
        kind = c.kind
        if kind == "assignment":
            for a in c.assigns:
                if a.via != "for":
                    self.assign(a)
            return
        if kind == "declaration":
            fields = self.fields(c.words)
            for a in c.assigns:
                self.assign(a)
            self._record_step(c, fields, None)
            return
        if kind == "unset":
            fields = self.fields(c.words)
            for a in c.assigns:
                self.env.set(a.name, UNSET, False)
            self._record_step(c, fields, None)
            return
        fields = self.fields(c.words)
        for r in c.redirects:
            if r.heredoc is not None:
                h = r.heredoc
                v = Value.of(h.body) if h.quoted else expand_heredoc(h.body, self)
                if self.recording:
                    old = self.res.heredoc_values.get(h)
                    self.res.heredoc_values[h] = v if old is None else old.join(v)
            elif r.target is not None:
                self.expand(r.target)
        if kind == "test":
            self._record_step(c, fields, None)
            return
        # prefix assignments: for this command only
        temps: dict[str, Binding] = {}
        for a in c.assigns:
            if a.scope == "command":
                v = self.expand(a.word).unsplit() if a.word is not None else EMPTY
                if self.recording:
                    old = self.res.assign_values.get(a)
                    self.res.assign_values[a] = v if old is None else old.join(v)
                temps[a.name] = Binding(v, True)
            elif a.via in ("read", "printf"):
                self.env.set(a.name, Value.opaque(f"<{a.via}>"))
                if self.recording:
                    self.res.assign_values[a] = Value.opaque(f"<{a.via}>")
            elif a.malformed in ("spaces-around-equals", "space-before-equals"):
                pass  # `X = v`: a command named X runs
        name = fields[0].value.text if fields else None
        fn = self.functions.get(name) if name is not None else None
        self._record_step(c, fields, fn.name if fn is not None else None)
        if fn is not None:
            self.call(c, fn, fields[1:], temps)
            return
        if name in (".", "source") and len(fields) >= 2:
            self.source(c, fields[1].value, fields[2:])
        elif name == "set":
            self.set_builtin(fields[1:])
        elif name == "shift":
            self.shift(fields[1:])
        elif name == "export" or name == "declare":  # `command export` etc. are not modelled
            pass

    def _record_step(self, c: ICmd, fields: list[_ArgV], call: str | None) -> None:
        if self.recording and self.record_steps:
            self.res.steps.append(RawStep(self.cur_ir, c, tuple(fields), tuple(self.stack), self.cond_depth > 0, call))

    def assign(self, a: IAssign) -> None:
        env = self.env
        if a.malformed in ("spaces-around-equals", "space-before-equals", "local-outside-function"):
            if a.via == "export" and a.malformed != "local-outside-function":
                env.set_exported(a.name, True)  # bash still runs `export X`
            return
        if a.unset:
            env.set(a.name, UNSET, False)
            return
        exported: Any = _KEEP if a.exported is None else a.exported
        if a.op is None:
            if a.via in ("read", "printf"):
                env.set(a.name, Value.opaque(f"<{a.via}>"))
            elif a.scope == "local" and a.via in ("local", "declare", "typeset"):
                env.declare_local(a.name, UNSET, exported)
            elif exported is not _KEEP:
                env.set_exported(a.name, exported)
            return
        if a.array:
            v = Value.opaque("<array>")
        elif a.word is None:
            v = EMPTY
        else:
            v = self.expand(a.word).unsplit()
        if a.op == "+=":
            v = env.get(a.name).value.as_expansion(False) + v
        if self.recording:
            d = self.res.assign_values
            old = d.get(a)
            d[a] = v if old is None else old.join(v)
        if a.scope == "local":
            env.declare_local(a.name, v, exported)
        elif a.scope == "command":
            return
        else:
            env.set(a.name, v, exported)

    def call(self, c: ICmd, fn: IFunc, args: list[_ArgV], temps: dict[str, Binding]) -> None:
        # fixpoint passes of a loop only need what a call may change: not followed (cheap)
        if (fn in self.active or len(self.active) >= MAX_CALL_DEPTH or self.budget <= 0 or not self.recording
                or self.no_inline):
            self.havoc(fn)
            return
        self.res.calls[fn.name] += 1
        self.active.append(fn)
        self.stack.append((self.cur_ir, c))
        self.frames.append(_Frame(fn, list(args)))
        self.env.locals.append(dict(temps))
        saved_ir = self.cur_ir
        self.cur_ir = self.func_ir.get(fn, saved_ir)
        try:
            self.run(fn.body)
        finally:
            self.cur_ir = saved_ir
            self.env.locals.pop()
            self.frames.pop()
            self.stack.pop()
            self.active.pop()

    def havoc(self, fn: IFunc) -> None:
        for name in fn.assigned:
            b = self.env.get(name)
            self.env.set(name, b.value.join(Value.opaque(f"<set by {fn.name}()>")))

    def set_builtin(self, args: list[_ArgV]) -> None:
        i = 0
        while i < len(args):
            t = args[i].value.text
            if t is None:
                return
            if t == "--":
                self.frames[-1].positional = args[i + 1 :] if all(a.exact for a in args[i + 1 :]) else None
                return
            if t in ("-o", "+o") and i + 1 < len(args):
                if args[i + 1].value.text == "allexport":
                    self.env.allexport = t == "-o"
                i += 2
                continue
            if t[:1] in "-+" and len(t) > 1:
                if "a" in t[1:]:
                    self.env.allexport = t[0] == "-"
                i += 1
                continue
            # `set a b c`: new positional parameters
            self.frames[-1].positional = args[i:] if all(a.exact for a in args[i:]) else None
            return

    def shift(self, args: list[_ArgV]) -> None:
        frame = self.frames[-1]
        if frame.positional is None:
            return
        n = 1
        if args:
            t = args[0].value.text
            if t is None or not t.isdigit():
                frame.positional = None
                return
            n = int(t)
        frame.positional = frame.positional[n:]

    def source(self, c: ICmd, path: Value, args: list[_ArgV]) -> None:
        script = None
        if self.resolve_source is not None and path.is_known and self.source_depth < MAX_SOURCE_DEPTH:
            script = self.resolve_source(path.text)  # type: ignore[arg-type]
        ir = getattr(script, "_ir", None) if script is not None else None
        self.res.sources.append((self.cur_ir, c, path, script if ir is not None else None))
        if ir is None:
            return
        saved_ir = self.cur_ir
        self.cur_ir = ir
        self.source_depth += 1
        if args:
            self.frames.append(_Frame(self.frames[-1].func, list(args)))
        try:
            self.run(ir.root)
        finally:
            if args:
                self.frames.pop()
            self.source_depth -= 1
            self.cur_ir = saved_ir

    # -- whole script ------------------------------------------------------------------------------
    def run_all(self) -> RawResult:
        self.run(self.ir.root)
        self.res.env = self.env
        # functions never called: give their words a value
        called = set(self.res.calls)
        pending = [f for f in self.ir.funcs if f.name not in called]
        if pending:
            final = self.env
            weak = Env(final.init)
            weak.g = {n: Binding(b.value.join(Value.var(n)), None) for n, b in final.g.items()}
            by_name = {f.name: f for f in self.ir.funcs}
            self.record_steps = False
            self.no_inline = True  # each of them gets its own pass
            for f in pending:
                if self.res.calls[f.name]:
                    continue  # called from another uncalled function meanwhile
                self.env = weak.copy()
                self.functions = dict(by_name)
                self.frames = [_Frame(f, None)]
                self.cond_depth = 1
                self.active = [f]
                self.env.locals.append({})
                self.run(f.body)
                self.active = []
        return self.res


def _widen(a: Env, b: Env) -> Env:
    out = b.copy()
    for name, bind in b.g.items():
        old = a.g.get(name)
        if old is None or old != bind:
            out.g[name] = Binding(Value((( Part("opaque", "<changed in a loop>"),),), bind.value.maybe_unset),
                                  bind.exported)
    for i, sc in enumerate(b.locals):
        if i < len(a.locals):
            for name, bind in sc.items():
                if a.locals[i].get(name) != bind:
                    out.locals[i][name] = Binding(Value(((Part("opaque", "<changed in a loop>"),),),
                                                        bind.value.maybe_unset), bind.exported)
    return out


def run_ir(ir: IR, env: Mapping[str, Value | str] | None, *, rest_unknown: bool,
           resolve_source: Callable[[str], Any] | None, script: Any) -> RawResult:
    env_map = None
    if env is not None:
        env_map = {k: (v if isinstance(v, Value) else Value.of(str(v))) for k, v in env.items()}
    return Interp(ir, env_map, rest_unknown, resolve_source).run_all()


# --------------------------------------------------------------------------------------------------
# Public results


@dataclass(frozen=True)
class Arg:
    """One argv entry of an executed command (after field splitting and `"$@"`)."""

    value: Value
    word: Word | None  # the source word (for `"$@"`: the caller's word)
    exact: bool = True  # False: may become several entries or none (unquoted unknown expansion)

    @property
    def span(self) -> Span | None:
        return self.word.span if self.word is not None else None

    @property
    def text(self) -> str | None:
        return self.value.text


@dataclass(frozen=True)
class Step:
    """A command as the abstract run executes it: argv values at that point, function bodies at
    their call sites (`call_stack`: the calling commands, outermost first)."""

    command: Command
    argv: tuple[Arg, ...]
    call_stack: tuple[Command, ...] = ()
    conditional: bool = False  # may not run (branch, loop, guard, or a call that may not run)
    function_call: str | None = None  # calls this user function: its body's steps follow

    @property
    def name(self) -> str | None:
        return self.argv[0].value.text if self.argv else None

    @property
    def site(self) -> Command:
        """Where to report: the outermost call site, or the command itself at the top level."""
        return self.call_stack[0] if self.call_stack else self.command

    @property
    def span(self) -> Span:
        return self.site.span


@dataclass(frozen=True)
class SourceRef:
    command: Command
    path: Value
    script: ShellScript | None  # the resolved script, None when not followed


class Evaluation:
    """The result of `cfglint.shell.evaluate`."""

    def __init__(self, script: ShellScript, raw: RawResult):
        self.script = script
        self._raw = raw
        self._scripts = {id(script._ir): script}
        for _, _, _, s in raw.sources:
            if s is not None:
                self._scripts[id(s._ir)] = s
        self._word_of: dict[int, Word] | None = None
        self._steps: list[Step] | None = None

    # -- variables
    def binding(self, name: str) -> Binding:
        return self._raw.env.get(name)  # type: ignore[union-attr]

    def value(self, name: str) -> Value:
        """The variable's value at the end of the script's top level."""
        return self.binding(name).value

    def exported(self, name: str) -> bool | None:
        """Whether the variable is exported at the end (None: maybe)."""
        return self.binding(name).exported

    def variables(self) -> dict[str, Value]:
        """Every variable the script assigns or the given environment holds, at the end."""
        env = self._raw.env
        names = set(env.g)  # type: ignore[union-attr]
        if self._raw.env_map:
            names |= set(self._raw.env_map)
        return {n: self.value(n) for n in sorted(names)}

    def exported_env(self) -> dict[str, Value]:
        """What a child process started at the end sees (to chain evaluations): exported, set
        variables; maybe-exported or maybe-unset ones are marked `maybe_unset`."""
        out = {}
        for n, v in self.variables().items():
            b = self.binding(n)
            if b.exported is False or v.is_unset:
                continue
            out[n] = v if b.exported is True else v.mark_unset(True)
        return out

    # -- words and steps
    def word(self, w: Word) -> Value:
        """The value of a word of this script under this evaluation (joined over executions)."""
        iw = self._iword(w)
        if iw is None:
            return w.value
        v = self._raw.word_values.get(iw)
        return v if v is not None else w.value

    def _iword(self, w: Word) -> IWord | None:
        ir = self.script._ir
        idx = self.script._word_id(w)
        return None if ir is None or idx is None else ir.words[idx]

    def assigned(self, a: Assignment) -> Value | None:
        """The value an assignment of this script assigns under this evaluation."""
        ia = self.script._ir.assigns[a.index] if self.script._ir else None
        if ia is None:
            return a.value
        v = self._raw.assign_values.get(ia)
        return v if v is not None else a.value

    def heredoc(self, h: Heredoc) -> Value:
        i = self.script.heredocs.index(h)
        ih = self.script._ir.heredocs[i]
        v = self._raw.heredoc_values.get(ih)
        return v if v is not None else h.value

    @property
    def steps(self) -> list[Step]:
        """Commands as executed (top level in order, function bodies inlined at call sites; not
        the bodies of functions never called)."""
        if self._steps is None:
            out = []
            for rs in self._raw.steps:
                script = self._scripts.get(id(rs.ir))
                if script is None:  # pragma: no cover
                    continue
                cmd = script.commands[rs.cmd.index]
                argv = tuple(Arg(a.value, self._word_for(a.word), a.exact) for a in rs.fields)
                stack = tuple(self._scripts[id(ir)].commands[c.index] for ir, c in rs.stack if id(ir) in self._scripts)
                out.append(Step(cmd, argv, stack, rs.conditional, rs.call))
            self._steps = out
        return self._steps

    def _word_for(self, iw: IWord | None) -> Word | None:
        if iw is None:
            return None
        for s in self._scripts.values():
            ir = s._ir
            if ir is not None and iw.id < len(ir.words) and ir.words[iw.id] is iw:
                return s._words[iw.id]
        return None

    @property
    def sources(self) -> list[SourceRef]:
        out = []
        for ir, c, path, script in self._raw.sources:
            owner = self._scripts.get(id(ir))
            if owner is not None:
                out.append(SourceRef(owner.commands[c.index], path, script))
        return out

    @property
    def calls(self) -> dict[str, int]:
        """How many times each user function is called by the run."""
        return dict(self._raw.calls)


def run(script: ShellScript, env: Mapping[str, Value | str] | None = None, *, rest_unknown: bool = False,
        resolve_source: Callable[[str], ShellScript | None] | None = None) -> Evaluation:
    ir = script._ir
    if ir is None:
        raise ValueError("this ShellScript was not built by cfglint.shell.build (no internal representation)")
    raw = run_ir(ir, env, rest_unknown=rest_unknown, resolve_source=resolve_source, script=script)
    return Evaluation(script, raw)
