"""Seeing through command wrappers: what a command really runs, and in which network namespace.

    for inv in invocations(script.evaluation()):      # the executed commands, function bodies inlined
        if inv.name == "ip": ...inv.argv, inv.netns...

    for cmd in script.commands:                        # or statically, command by command
        for inv in unwrap(cmd, script): ...

`unwrap` sees through `sudo [opts] [VAR=v]`, `env [-i] [-u N] [VAR=v]`, `exec`, `timeout [opts]
DURATION`, `nice`, `ionice`, `nohup`, `command` (not `command -v`), `builtin`, `time`, `stdbuf`,
`setsid`, `chroot DIR`, `flock [opts] FILE`, `ip netns exec NS`, `ip -all netns exec` (netns "all"),
`nsenter --net=/run/netns/NS` / `nsenter -t PID -n` (netns by name, pid or path), `unshare -n`
(a new anonymous netns), `sh -c 'STRING'` / `bash -c` / `eval` with a known string (parsed as a
script: one invocation per command in it), user functions whose body passes `"$@"` / `$1..` to a
command (`in_ns() { ip netns exec "$NS" "$@"; }`; statically here, by inlining in `invocations`),
and names passed in `transparent` (wrappers defined elsewhere, e.g. `do_or_die`).
`ip -n NS ...` / `ip -netns NS ...` is kept as is (argv unchanged) with `netns` set: it is the
`ip` command, run inside NS. `xargs CMD` gives CMD's invocation with `complete=False` (its
arguments come from the input).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from cfglint.api import Span
from cfglint.shell.interp import Arg, Evaluation, Step
from cfglint.shell.values import Part, Value

if TYPE_CHECKING:  # pragma: no cover
    from cfglint.shell.model import Command, ShellScript

__all__ = ["Invocation", "Layer", "invocations", "unwrap"]

MAX_DEPTH = 8
_SHELLS = {"sh", "bash", "dash", "ksh", "zsh", "ash", "busybox-sh"}
_NETNS_DIRS = ("/var/run/netns/", "/run/netns/")


@dataclass(frozen=True)
class Layer:
    """One wrapper seen through, with its own words."""

    kind: str  # "sudo", "env", "exec", "timeout", ..., "netns-exec", "ip-netns", "nsenter", "unshare",
    #            "function", "shell-c", "eval", "xargs", "transparent"
    argv: tuple[Arg, ...]
    function: str | None = None  # for kind "function": its name


@dataclass(frozen=True)
class Invocation:
    """An effective command: its argv after the wrappers, and the network namespace it runs in."""

    argv: tuple[Arg, ...]
    command: Command  # the source command (for a function body: the command in the body)
    netns: Value | None = None  # None: the script's own namespace; else the namespace (see netns_kind)
    netns_kind: str | None = None  # "name" | "pid" | "path" | "all" | "new"
    layers: tuple[Layer, ...] = ()  # outermost first
    env: tuple[tuple[str, Value], ...] = ()  # VAR=value set for it by env/sudo/prefix assignments
    env_cleared: bool = False  # `env -i`
    complete: bool = True  # False: argv not exactly known (words that may split, xargs, unknown -c string)
    site: Command | None = None  # where to report (call site for inlined bodies); defaults to command
    step: Step | None = None

    @property
    def name(self) -> str | None:
        """The command's name when known (the basename of a path: `/sbin/ip` -> `ip`)."""
        if not self.argv:
            return None
        t = self.argv[0].value.text
        return t.rsplit("/", 1)[-1] if t else None

    @property
    def args(self) -> tuple[Arg, ...]:
        return self.argv[1:]

    @property
    def texts(self) -> list[str | None]:
        return [a.value.text for a in self.argv]

    @property
    def span(self) -> Span:
        return (self.site or self.command).span


# --------------------------------------------------------------------------------------------------


def _static_args(cmd: Command) -> tuple[list[Arg], bool]:
    out: list[Arg] = []
    complete = True
    for w in cmd.argv:
        for f, exact in w.value.split_fields_loose():
            out.append(Arg(f, w, exact))
            complete = complete and exact
    return out, complete


def _t(a: Arg) -> str | None:
    return a.value.text


def _base(a: Arg) -> str | None:
    t = a.value.text
    return t.rsplit("/", 1)[-1] if t else None


_ASSIGN_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*=")


class _Ctx:
    __slots__ = ("netns", "netns_kind", "layers", "env", "env_cleared", "complete")

    def __init__(self):
        self.netns: Value | None = None
        self.netns_kind: str | None = None
        self.layers: list[Layer] = []
        self.env: list[tuple[str, Value]] = []
        self.env_cleared = False
        self.complete = True

    def copy(self) -> _Ctx:
        c = _Ctx()
        c.netns, c.netns_kind = self.netns, self.netns_kind
        c.layers = list(self.layers)
        c.env = list(self.env)
        c.env_cleared = self.env_cleared
        c.complete = self.complete
        return c


def _opts(argv: list[Arg], i: int, with_arg: set[str], flags: set[str] | None = None,
          long_with_arg: set[str] = frozenset(), stop_at_assign: bool = False) -> int | None:
    """Skip options from argv[i]; return the index of the first operand, or None when an option
    is unknown text (cannot tell where the command starts)."""
    n = len(argv)
    while i < n:
        t = _t(argv[i])
        if t is None:
            return None if (t is None and not argv[i].exact) else i
        if t == "--":
            return i + 1
        if t.startswith("--"):
            name = t.split("=", 1)[0]
            if "=" not in t and name in long_with_arg:
                i += 2
            else:
                i += 1
            continue
        if t.startswith("-") and len(t) > 1:
            # a cluster of short options; the first that takes an argument ends it
            j = 1
            consumed = 1
            while j < len(t):
                ch = t[j]
                if ch in with_arg:
                    if j == len(t) - 1:
                        consumed = 2
                    break
                j += 1
            i += consumed
            continue
        if stop_at_assign and _ASSIGN_RE.match(t):
            return i
        return i
    return i


def _assignments(argv: list[Arg], i: int, ctx: _Ctx) -> int:
    while i < len(argv):
        t = _t(argv[i])
        if t is None or not _ASSIGN_RE.match(t):
            break
        name, _, val = t.partition("=")
        ctx.env.append((name, Value.of(val)))
        i += 1
    return i


def _drop_prefix(v: Value, n: int) -> Value:
    """The value without its first n (known, literal) characters."""
    out = []
    for o in v.options:
        parts = list(o)
        k = n
        while parts and k > 0 and parts[0].kind == "text":
            t = parts[0].text
            if len(t) <= k:
                k -= len(t)
                parts.pop(0)
            else:
                parts[0] = Part("text", t[k:], parts[0].split)
                k = 0
        out.append(parts)
    return Value(out, v.maybe_unset)


def _strip_netns_dir(v: Value) -> tuple[Value, str]:
    """`/var/run/netns/NS` -> (NS, "name"); `/proc/PID/ns/net` -> (PID, "pid"); else (path, "path")."""
    t = v.text
    if t is not None:
        for d in _NETNS_DIRS:
            if t.startswith(d) and "/" not in t[len(d):]:
                return Value.of(t[len(d):]), "name"
        m = re.fullmatch(r"/proc/([^/]+)/ns/net", t)
        if m:
            return Value.of(m.group(1)), "pid"
        return v, "path"
    if len(v.options) == 1 and not v.maybe_unset:
        parts = list(v.options[0])
        if parts and parts[0].kind == "text":
            for d in _NETNS_DIRS:
                if parts[0].text.startswith(d):
                    return _drop_prefix(v, len(d)), "name"
            if parts[0].text.startswith("/proc/") and v.suffix.endswith("/ns/net"):
                return v, "pid"
    return v, "path"


def _resolve(argv: list[Arg], ctx: _Ctx, cmd: Command, script: ShellScript | None, depth: int,
             transparent: frozenset[str], site: Command | None, step: Step | None) -> list[Invocation]:
    def done(av: list[Arg], c: _Ctx = ctx) -> list[Invocation]:
        return [Invocation(tuple(av), cmd, c.netns, c.netns_kind, tuple(c.layers), tuple(c.env), c.env_cleared,
                           c.complete and all(a.exact for a in av), site, step)]

    if not argv or depth > MAX_DEPTH:
        return done(argv) if argv else []
    name = _base(argv[0])
    if name is None:
        return done(argv)

    def wrap(kind: str, i: int | None, **kw) -> list[Invocation]:
        if i is None:  # cannot tell where the wrapped command starts
            c = ctx.copy()
            c.complete = False
            return done(argv, c)
        c = ctx.copy()
        c.layers.append(Layer(kind, tuple(argv[:i]), kw.get("function")))
        for k, v in kw.items():
            if k != "function":
                setattr(c, k, v)
        if i >= len(argv):
            return []  # the wrapper runs nothing (`exec 3>&1`, `sudo -v`, ...)
        return _resolve(argv[i:], c, cmd, script, depth + 1, transparent, site, step)

    if name == "sudo":
        i = _opts(argv, 1, set("CDghpRrTtUu"), long_with_arg={"--user", "--group", "--host", "--prompt",
                                                               "--chdir", "--close-from", "--role", "--type",
                                                               "--other-user", "--command-timeout"})
        if i is not None:
            for a in argv[1:i]:
                if _t(a) in ("-l", "-v", "-k", "-K", "-V", "-e", "--list", "--validate", "--version", "--edit"):
                    return []
            c = ctx.copy()
            i2 = _assignments(argv, i, c)
            c.layers.append(Layer("sudo", tuple(argv[:i2])))
            return [] if i2 >= len(argv) else _resolve(argv[i2:], c, cmd, script, depth + 1, transparent, site, step)
        return wrap("sudo", None)
    if name == "env":
        c = ctx.copy()
        i = 1
        n = len(argv)
        while i < n:
            t = _t(argv[i])
            if t is None:
                c.complete = False
                return done(argv, c)
            if t in ("-i", "-", "--ignore-environment"):
                c.env_cleared = True
                c.env = []
                i += 1
            elif t in ("-u", "-C", "--unset", "--chdir"):
                i += 2
            elif t.startswith(("--unset=", "--chdir=", "-u", "-C")) and len(t) > 2:
                i += 1
            elif t in ("-S", "--split-string") and i + 1 < n:
                s = _t(argv[i + 1])
                if s is None:
                    c.complete = False
                    return done(argv, c)
                split = [Arg(Value.of(x), argv[i + 1].word) for x in s.split()]
                c.layers.append(Layer("env", tuple(argv[: i + 2])))
                return _resolve(split + argv[i + 2 :], c, cmd, script, depth + 1, transparent, site, step)
            elif t == "--":
                i += 1
                break
            elif t.startswith("-") and len(t) > 1:
                i += 1
            else:
                break
        i = _assignments(argv, i, c)
        c.layers.append(Layer("env", tuple(argv[:i])))
        return [] if i >= n else _resolve(argv[i:], c, cmd, script, depth + 1, transparent, site, step)
    if name == "exec":
        return wrap("exec", _opts(argv, 1, {"a"}))
    if name == "timeout":
        i = _opts(argv, 1, set("ks"), long_with_arg={"--kill-after", "--signal"})
        return wrap("timeout", None if i is None else i + 1)
    if name == "nice":
        i = 1
        while i < len(argv):
            t = _t(argv[i])
            if t is None:
                return wrap("nice", None)
            if t == "-n":
                i += 2
            elif t.startswith("-") and len(t) > 1 and t != "--":
                i += 1
            else:
                if t == "--":
                    i += 1
                break
        return wrap("nice", i)
    if name == "ionice":
        for a in argv[1:]:
            if _t(a) in ("-p", "-P", "-u", "--pid", "--pgid", "--uid"):
                return done(argv)  # changes an existing process: runs nothing
        return wrap("ionice", _opts(argv, 1, set("cn")))
    if name in ("nohup", "builtin"):
        return wrap(name, 2 if len(argv) > 1 and _t(argv[1]) == "--" else 1)
    if name == "command":
        i = 1
        while i < len(argv) and (_t(argv[i]) or "").startswith("-"):
            if _t(argv[i]) == "--":
                i += 1
                break
            if "v" in (_t(argv[i]) or "") or "V" in (_t(argv[i]) or ""):
                return done(argv)  # `command -v X` looks X up, runs nothing
            i += 1
        return wrap("command", i)
    if name == "time" and cmd.argv and cmd.argv[0].text == "time":
        return wrap("time", 2 if len(argv) > 1 and _t(argv[1]) == "-p" else 1)
    if name == "time":  # /usr/bin/time
        return wrap("time", _opts(argv, 1, set("fo"), long_with_arg={"--format", "--output"}))
    if name == "stdbuf":
        return wrap("stdbuf", _opts(argv, 1, set("ioe"), long_with_arg={"--input", "--output", "--error"}))
    if name == "setsid":
        return wrap("setsid", _opts(argv, 1, set()))
    if name == "chroot":
        i = _opts(argv, 1, set(), long_with_arg={"--userspec", "--groups"})
        return wrap("chroot", None if i is None else i + 1)
    if name == "flock":
        i = _opts(argv, 1, set("wEc"), long_with_arg={"--timeout", "--wait", "--conflict-exit-code", "--command"})
        if i is None:
            return wrap("flock", None)
        for k in range(1, len(argv) - 1):
            if _t(argv[k]) in ("-c", "--command"):
                return _shell_string(argv, k + 1, "flock", ctx, cmd, script, depth, transparent, site, step)
        return wrap("flock", i + 1)  # flock FILE CMD...
    if name == "xargs":
        i = _opts(argv, 1, set("adEeILlnPs"), long_with_arg={"--arg-file", "--delimiter", "--eof",
                                                               "--replace", "--max-lines", "--max-args",
                                                               "--max-procs", "--max-chars", "--process-slot-var"})
        c = ctx.copy()
        c.complete = False
        c.layers.append(Layer("xargs", tuple(argv[: i or 1])))
        if i is None or i >= len(argv):
            return [Invocation((Arg(Value.of("echo"), None),), cmd, c.netns, c.netns_kind, tuple(c.layers), tuple(c.env),
                               c.env_cleared, False, site, step)]
        return _resolve(argv[i:], c, cmd, script, depth + 1, transparent, site, step)
    if name in _SHELLS:
        for k in range(1, len(argv)):
            t = _t(argv[k])
            if t is None:
                break
            if not t.startswith("-"):
                break
            if t == "-c" or (t.startswith("-") and not t.startswith("--") and "c" in t[1:]):
                return _shell_string(argv, k + 1, "shell-c", ctx, cmd, script, depth, transparent, site, step)
        return done(argv)
    if name == "eval":
        texts = [_t(a) for a in argv[1:]]
        if any(t is None for t in texts):
            c = ctx.copy()
            c.complete = False
            return done(argv, c)
        joined = Arg(Value.of(" ".join(texts)), argv[1].word if len(argv) > 1 else argv[0].word)  # type: ignore[arg-type]
        return _shell_string([argv[0], joined], 1, "eval", ctx, cmd, script, depth, transparent, site, step)
    if name == "unshare":
        i = _opts(argv, 1, {"S", "G", "R", "w"}, long_with_arg={"--setuid", "--setgid", "--root", "--wd",
                                                                 "--map-user", "--map-group", "--propagation"})
        new_net = any((_t(a) or "") in ("-n", "--net") or (_t(a) or "").startswith("--net=")
                      or re.fullmatch(r"-[a-zA-Z]*n[a-zA-Z]*", _t(a) or "") is not None for a in argv[1 : i or 1])
        if new_net:
            return wrap("unshare", i, netns=Value.opaque("<new netns>"), netns_kind="new")
        return wrap("unshare", i)
    if name == "nsenter":
        return _nsenter(argv, ctx, cmd, script, depth, transparent, site, step, wrap)
    if name == "ip":
        return _ip(argv, ctx, cmd, script, depth, transparent, site, step, wrap, done)
    if name in transparent:
        return wrap("transparent", 1)
    if script is not None and name in script.functions and step is None:
        return _function(argv, ctx, cmd, script, depth, transparent, site, step)
    return done(argv)


def _shell_string(argv, k, kind, ctx, cmd, script, depth, transparent, site, step) -> list[Invocation]:
    from cfglint.shell.parse import parse_shell

    c = ctx.copy()
    if k >= len(argv):
        return []
    s = argv[k].value.text
    if s is None:
        c.complete = False
        return [Invocation(tuple(argv), cmd, c.netns, c.netns_kind, tuple(c.layers), tuple(c.env), c.env_cleared,
                           False, site, step)]
    c.layers.append(Layer(kind, tuple(argv[: k + 1])))
    sub = parse_shell(s.encode("utf-8"), cmd.span.path)
    out: list[Invocation] = []
    word = argv[k].word
    for sc in sub.commands:
        if sc.kind in ("assignment", "declaration", "unset") or sc.in_function:
            continue
        av, complete = _static_args(sc)
        # the sub-script's words have spans relative to the string: point at the string instead
        av = [Arg(a.value, word, a.exact) for a in av]
        c2 = c.copy()
        c2.complete = c.complete and complete and not sub.error_regions
        out.extend(_resolve(av, c2, cmd, None, depth + 1, transparent, site, step))
    return out


def _nsenter(argv, ctx, cmd, script, depth, transparent, site, step, wrap) -> list[Invocation]:
    i = 1
    n = len(argv)
    target: Value | None = None
    net: Value | None = None
    net_flag = False
    optional = set("nmuipUCTrw")
    required = set("tSG")
    while i < n:
        t = _t(argv[i])
        if t is None:
            pre = argv[i].value.prefix
            for opt in ("--net=", "--target="):
                if pre.startswith(opt):
                    rest = _drop_prefix(argv[i].value, len(opt))
                    if opt == "--net=":
                        net_flag, net = True, rest
                    else:
                        target = rest
                    break
            else:
                return wrap("nsenter", None)
            i += 1
            continue
        if t == "--":
            i += 1
            break
        if t.startswith("--"):
            key, eq, val = t.partition("=")
            if key == "--target":
                if eq:
                    target = Value.of(val)
                    i += 1
                else:
                    target = argv[i + 1].value if i + 1 < n else None
                    i += 2
                continue
            if key == "--net":
                net_flag = True
                if eq:
                    net = Value.of(val)
            if key in ("--setuid", "--setgid") and not eq:
                i += 2
                continue
            i += 1
            continue
        if t.startswith("-") and len(t) > 1:
            j = 1
            consumed = 1
            while j < len(t):
                ch = t[j]
                if ch in required:
                    val = t[j + 1 :]
                    if not val:
                        consumed = 2
                        v = argv[i + 1].value if i + 1 < n else None
                    else:
                        v = Value.of(val)
                    if ch == "t":
                        target = v
                    break
                if ch in optional:
                    if ch == "n":
                        net_flag = True
                        if t[j + 1 :]:
                            net = Value.of(t[j + 1 :])
                    if t[j + 1 :]:
                        break
                j += 1
            i += consumed
            continue
        break
    kw = {}
    if net_flag:
        if net is not None:
            v, kind = _strip_netns_dir(net)
            kw = {"netns": v, "netns_kind": kind}
        else:
            kw = {"netns": target if target is not None else Value.opaque("<nsenter target>"), "netns_kind": "pid"}
    return wrap("nsenter", i, **kw)


# `ip` global options that take an argument (prefix-matched, `--x` accepted as `-x`)
_IP_OPTS_ARG = ("-family", "-loops", "-rcvbuf", "-netns", "-batch")
_IP_SHORT_ARG = {"-f": "-family", "-l": "-loops", "-rc": "-rcvbuf", "-n": "-netns", "-b": "-batch"}


def _ip_opt(t: str) -> str | None:
    """The long name of an `ip` global option that takes an argument, or None."""
    if t.startswith("--"):
        t = t[1:]
    if t in _IP_SHORT_ARG:
        return _IP_SHORT_ARG[t]
    if len(t) >= 3:
        for o in _IP_OPTS_ARG:
            if o.startswith(t):
                return o
    return None


def _ip(argv, ctx, cmd, script, depth, transparent, site, step, wrap, done) -> list[Invocation]:
    i = 1
    n = len(argv)
    netns: Value | None = None
    all_ns = False
    while i < n:
        t = _t(argv[i])
        if t is None:
            if not argv[i].exact:
                c = ctx.copy()
                c.complete = False
                return done(argv, c)
            break
        if not t.startswith("-") or t == "-":
            break
        if t == "--":
            i += 1
            break
        long = _ip_opt(t)
        if long is not None:
            if long == "-netns" and i + 1 < n:
                netns = argv[i + 1].value
            i += 2
            continue
        if t.lstrip("-") and "-all".startswith("-" + t.lstrip("-")) and len(t.lstrip("-")) >= 1 and t.lstrip("-")[0] == "a":
            all_ns = True
        i += 1
    c = ctx.copy()
    if netns is not None:
        c.netns, c.netns_kind = netns, "name"
    obj = _t(argv[i]) if i < n else None
    if obj is not None and len(obj) >= 3 and "netns".startswith(obj) and i + 1 < n:
        sub = _t(argv[i + 1])
        if sub is not None and sub and "exec".startswith(sub):
            if all_ns:
                if i + 2 >= n:
                    return []
                c.layers.append(Layer("netns-exec", tuple(argv[: i + 2])))
                c.netns, c.netns_kind = Value.of("<all>"), "all"
                return _resolve(argv[i + 2 :], c, cmd, script, depth + 1, transparent, site, step)
            if i + 2 >= n:
                return []
            c.layers.append(Layer("netns-exec", tuple(argv[: i + 3])))
            c.netns, c.netns_kind = argv[i + 2].value, "name"
            if i + 3 >= n:
                return []
            return _resolve(argv[i + 3 :], c, cmd, script, depth + 1, transparent, site, step)
    if netns is not None:
        c.layers.append(Layer("ip-netns", tuple(argv[: i])))
    return done(argv, c)


def _function(argv, ctx, cmd, script, depth, transparent, site, step) -> list[Invocation]:
    """A call of a user function, statically: each command of its body that passes the call's
    arguments on (`"$@"`, `$*`, `$1`...) with them substituted."""
    name = _base(argv[0])
    f = script.functions[name]
    args = argv[1:]
    out: list[Invocation] = []
    c = ctx.copy()
    c.layers.append(Layer("function", (argv[0],), name))
    shift = 0
    for idx in f.commands:
        bc = script.commands[idx]
        if bc.substitution is not None or bc.in_function != name:
            continue
        if bc.kind in ("assignment", "declaration", "unset", "test"):
            continue
        if bc.name == "shift" and not bc.conditions:
            t = bc.argv[1].value.text if len(bc.argv) > 1 else "1"
            shift += int(t) if t and t.isdigit() else 0
            continue
        uses = False
        new: list[Arg] = []
        complete = True
        for w in bc.argv:
            refs = w.refs
            pos = [r for r in refs if r.isdigit() and r != "0" or r in ("@", "*")]
            if not pos:
                for v, exact in w.value.split_fields_loose():
                    new.append(Arg(v, w, exact))
                    complete = complete and exact
                continue
            # only a whole word passes the call's arguments on ("$@", $1...), not "failed: $*"
            t = w.text.strip('"')
            if t in ("$@", "${@}", "$*", "${*}"):
                uses = True
                new.extend(args[shift:])
                continue
            m = re.fullmatch(r"\$\{?([1-9])\}?", t)
            if m:
                uses = True
                k = int(m.group(1)) - 1 + shift
                if k < len(args):
                    new.append(args[k])
                continue
            new.append(Arg(w.value, w, False))
            complete = False
        if not uses:
            continue
        c2 = c.copy()
        c2.complete = c.complete and complete
        out.extend(_resolve(new, c2, bc, script, depth + 1, frozenset(), site or cmd, step))
    if not out:
        return []
    return out


def unwrap(item: Command | Step, script: ShellScript | None = None, *,
           transparent: Iterable[str] = ()) -> list[Invocation]:
    """The effective command(s) of a command or an executed step, with the wrappers seen through.

    A `Command` is read statically (its words' values); pass `script` to see through the user
    functions it defines. A `Step` (from `Evaluation.steps`) uses the values of that execution;
    a step that calls a user function gives [] (its body's steps follow it in the trace). An
    empty list also means the command runs nothing (`exec 3>&1`, `command -v ip`, `sudo -v`).
    """
    trans = frozenset(transparent)
    ctx = _Ctx()
    if isinstance(item, Step):
        if item.function_call is not None:
            return []
        argv = list(item.argv)
        cmd = item.command
        site = item.site
        if cmd.kind in ("assignment",):
            return []
        for a in cmd.assignments:
            if a.scope == "command" and a.value is not None:
                ctx.env.append((a.name, a.value))
        return _resolve(argv, ctx, cmd, None, 0, trans, site, item)
    cmd = item
    if cmd.kind == "assignment":
        return []
    argv, complete = _static_args(cmd)
    ctx.complete = complete
    for a in cmd.assignments:
        if a.scope == "command" and a.value is not None:
            ctx.env.append((a.name, a.value))
    return _resolve(argv, ctx, cmd, script, 0, trans, None, None)


def invocations(evaluation: Evaluation, *, transparent: Iterable[str] = ()) -> Iterator[Invocation]:
    """Every effective command of an evaluation's run, in execution order (function bodies at
    their call sites, so `n0 ip link set x up` with `n0() { ip netns exec $ns0 "$@"; }` gives
    `ip link set x up` in `$ns0`, reported at the call)."""
    for step in evaluation.steps:
        if step.command.kind in ("assignment", "declaration", "unset", "test"):
            continue
        yield from unwrap(step, transparent=transparent)
