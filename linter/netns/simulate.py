"""The simulation: the network state a script builds, command by command.

`analyze(script, options)` runs the script's evaluation (`cfglint.shell.evaluate`: top level in
order, function bodies inlined at their call sites, values constant-propagated) through a
`State` (see `cfglint.netns.state`) and records what the rules need:

* `ops`: every effective command (wrappers seen through), with the namespace it runs in, what it
  reads as (`ip`, `iptables`, `brctl`, `sysctl`, `nft`...) and whether it may not run;
* `uses`: each interface a command needs (`dev X`, `master B`...) with its presence at that point
  (NET001), `matches` (iptables `-i`/`-o`, NET003), `port_addrs` (an address on a bridge port),
  `gateways` (a route's gateway against the connected subnets), `veth_ends` (the final state of
  each veth end the script created).

Control flow. The abstract run is one sequence of steps; each step knows the conditions it runs
under (if/elif/else arms, case items, loops, `&&`/`||`, those of its call sites). Entering a
condition pushes a copy of the state; leaving it joins the state with that copy. So a command that
may not run never creates certainty, an `if`'s two arms and a `case`'s `start)`/`stop)` items are
alternatives that do not cancel out, and a command inside one arm sees what that arm did before it.

Functions the script never calls (a sourced library, a `trap` handler, a start/stop function run
through `$0`) are simulated one by one from an unknown state, with their words' values as the
evaluation gives them. Inside a parser error region nothing is simulated; commands there are
treated as unknown commands.

Unknown programs weaken the state of the namespace they run in (they may create, delete or
reconfigure interfaces); an unknown command name (`$CMD ...`) weakens everything. Harmless
programs (text tools, `echo`, `sleep`, `ping`...) change nothing.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from cfglint.api import Span
from cfglint.netns.iproute import IpCommand, parse_ip, parse_tuntap
from cfglint.netns.iptables import IPTABLES_NAMES, IptCommand, Opt, parse_iptables
from cfglint.netns.refs import DIFFERENT, SAME, UNKNOWN_REF, Ref, matches_glob, ref_of, relation
from cfglint.netns.state import (
    MAYBE,
    NO,
    ROOT,
    UNKNOWN_NS,
    YES,
    Event,
    NsRec,
    NsRef,
    Slot,
    State,
    join_ns,
    join_slots,
    join_states,
    tjoin,
)
from cfglint.netns.tools import (
    BrctlCommand,
    NftCommand,
    SysctlCommand,
    parse_brctl,
    parse_nft,
    parse_ovs_vsctl,
    parse_sysctl,
    proc_sys_key,
)
from cfglint.shell import Arg, Command, Invocation, ShellScript, unwrap

DEFAULT_EXTERNAL = ("qrouter-*", "qdhcp-*", "snat-*", "fip-*", "cni-*")

# Programs that never change interfaces, addresses, routes or firewall rules.
HARMLESS = frozenset({
    "echo", "printf", "true", "false", ":", "test", "[", "[[", "sleep", "cat", "grep", "egrep", "fgrep", "sed",
    "awk", "gawk", "mawk", "cut", "tr", "sort", "uniq", "head", "tail", "wc", "tee", "xargs", "date", "logger",
    "id", "whoami", "getent", "which", "type", "basename", "dirname", "readlink", "realpath", "seq", "hostname",
    "chmod", "chown", "chgrp", "cp", "mv", "rm", "mkdir", "rmdir", "touch", "stat", "find", "ls", "pgrep",
    "pidof", "ping", "ping6", "arping", "curl", "wget", "ss", "netstat", "jq", "set", "shift", "return",
    "exit", "local", "export", "declare", "typeset", "readonly", "unset", "read", "trap", "wait", "cd", "pushd",
    "popd", "source", ".", "eval", "let", "shopt", "umask", "ulimit", "hash", "alias", "unalias", "getopts",
    "break", "continue", "env", "printenv", "mktemp", "tput", "stty", "md5sum", "sha256sum", "sha1sum",
    "base64", "od", "hexdump", "xxd", "tac", "rev", "column", "paste", "join", "comm", "diff", "cmp", "expr",
    "bc", "dc", "nproc", "uname", "lsmod", "modinfo", "modprobe", "insmod", "ethtool", "tc", "tcpdump",
    "nc", "ncat", "socat", "iperf", "iperf3", "dig", "nslookup", "host", "traceroute", "tracepath", "mtr",
    "ip6tables-save", "iptables-save", "nft-save", "sync", "stdbuf", "timeout", "flock", "lsof", "fuser",
    "pkill", "kill", "killall", "ps", "systemd-cat", "usleep", "yes", "sum", "cksum", "install", "ln",
    "mount", "umount", "mountpoint", "dd", "gzip", "gunzip", "tar", "zcat", "less", "more", "vi", "file",
    "python", "python3", "conntrack", "ipset", "ebtables", "arptables", "wg", "bridge", "ovs-ofctl",
    "ovs-appctl", "ovs-dpctl", "iptables-restore", "ip6tables-restore", "iptables-legacy-restore",
    "ip6tables-legacy-restore", "iptables-nft-restore", "ip6tables-nft-restore", "nft", "sysctl",
    "restorecon", "chcon", "semanage", "setenforce", "getenforce", "systemd-notify", "notify-send",
})  # fmt: skip
# Programs that start something that keeps a namespace alive (for `ip netns del`).
DAEMONS = frozenset({"dnsmasq", "dhclient", "udhcpc", "openvpn", "haproxy", "nginx", "sshd", "sleep", "iperf3",
                     "socat", "nc", "ncat", "radvd", "keepalived", "bird", "zebra", "wpa_supplicant"})
FATAL = re.compile(r"^(?:die|fail|fatal|error|err|abort|exit|panic|bail|false|fail_\w*|die_\w*|\w*_die|\w*_fail|"
                   r"\w*error\w*)$")

IP_NAMES = frozenset({"ip"})
_PASSES_ARGS = re.compile(r'"?\$(?:@|\{@\}|\*|\{\*\}|[1-9]|\{[1-9]\})"?')
_PROC_WRITE_RE = re.compile(r"(?:echo|printf)\s+['\"]?(\w*)['\"]?\s*>\s*(/proc/sys/\S+)")
NETNS_DIRS = ("/var/run/netns/", "/run/netns/")


@dataclass
class NetOp:
    """One effective command of the script."""

    index: int
    inv: Invocation
    unit: str | None  # None: the script's run; else the never-called function simulated alone
    ns: NsRef
    tool: str  # ip, iptables, brctl, sysctl, proc-sys, nft, ovs-vsctl, harmless, unknown, program, ...
    conditional: bool
    tolerant: bool
    frame: tuple  # the conditions it runs under (see module docstring)
    ns_rec: NsRec  # its namespace's record before it ran
    ip: IpCommand | None = None
    ipt: IptCommand | None = None
    brctl: BrctlCommand | None = None
    sysctl: SysctlCommand | None = None
    nft: NftCommand | None = None
    havoc: bool = False  # it may change anything in its namespace

    @property
    def span(self) -> Span:
        """Where the command is written: the innermost command holding the tool's name (the body
        command of a function inlined at its call, the call of a wrapper like `n0 ip ...`)."""
        inv = self.inv
        w = inv.argv[0].word if inv.argv else None
        cands = [inv.command]
        if inv.step is not None:
            cands.extend(reversed(inv.step.call_stack))
        if inv.site is not None:
            cands.append(inv.site)
        if w is not None:
            ws = w.span
            for c in cands:
                cs = c.span
                if cs.path == ws.path and (cs.line, cs.column) <= (ws.line, ws.column) and (
                        (cs.last_line, cs.end_column or 0) >= (ws.last_line, ws.end_column or 0)):
                    return cs
        return inv.span

    @property
    def command(self) -> Command:
        return self.inv.command

    @property
    def line(self) -> int:
        return self.span.line

    def arg_span(self, arg: Arg | None) -> Span:
        if arg is not None and arg.word is not None and arg.word.span.path == self.inv.span.path:
            return arg.word.span
        return self.inv.span


@dataclass
class Use:
    """An interface a command needs in a namespace (NET001)."""

    op: NetOp
    arg: Arg
    name: Ref
    ns: NsRef
    role: str  # "device", "master", "parent", "port", "bridge"
    presence: str
    slot: Slot
    rec: NsRec
    elsewhere: list[NsRef] = field(default_factory=list)  # namespaces where it certainly is


@dataclass
class IfaceMatch:
    """An iptables rule's `-i` / `-o` (NET003)."""

    op: NetOp
    opt: Opt
    name: Ref
    ns: NsRef
    presence: str
    slot: Slot
    rec: NsRec
    presence_end: str = MAYBE
    elsewhere: list[tuple[NsRef, Slot]] = field(default_factory=list)


@dataclass
class PortAddr:
    """An address on an interface enslaved to a bridge (NET009)."""

    op: NetOp
    arg: Arg | None
    dev: Ref
    bridge: Ref
    related: Event | None
    order: str  # "addr-on-port" (address added to a port) / "port-with-addr" (addressed iface enslaved)
    ns: NsRef = ROOT
    address: str | None = None


@dataclass
class GatewayCheck:
    op: NetOp
    via: Arg
    gateway: str
    dev: Ref | None
    subnets: list[str]


@dataclass
class VethEnd:
    unit: str | None
    ns: NsRef
    name: Ref
    slot: Slot
    rec: NsRec


@dataclass
class Analysis:
    script: ShellScript
    ops: list[NetOp] = field(default_factory=list)
    uses: list[Use] = field(default_factory=list)
    matches: list[IfaceMatch] = field(default_factory=list)
    port_addrs: list[PortAddr] = field(default_factory=list)
    gateways: list[GatewayCheck] = field(default_factory=list)
    veth_ends: list[VethEnd] = field(default_factory=list)
    final: dict[str | None, State] = field(default_factory=dict)
    external: tuple[str, ...] = DEFAULT_EXTERNAL
    ns_names: set[Ref] = field(default_factory=set)  # refs used as namespace names

    def is_external(self, ns: NsRef) -> bool:
        return ns.kind == "name" and matches_glob(ns.ref, self.external)

    def ops_in(self, unit: str | None) -> list[NetOp]:
        return [o for o in self.ops if o.unit == unit]


# --------------------------------------------------------------------------------------------------


def _invalid_name(name: Ref) -> bool:
    lit = name.literal
    if lit is not None:
        return (len(lit.encode("utf-8")) >= 16 or lit in ("", ".", "..")
                or any(c in "/:" or c.isspace() for c in lit))
    return name.known and name.min_length >= 16


class _Guards:
    """What the script does with each command's exit status."""

    def __init__(self, script: ShellScript):
        self.script = script
        self.by_test: dict[int, list[tuple[str, str, Command]]] = {}
        for c in script.commands:
            for cond in c.conditions:
                for t in cond.tests:
                    self.by_test.setdefault(t, []).append((cond.kind, cond.when, c))
        self._memo: dict[int, bool] = {}

    def tolerant(self, cmd: Command) -> bool:
        """Its failure is expected: stderr thrown away, tested by if/while, `&&`, or `|| true`."""
        r = self._memo.get(cmd.index)
        if r is None:
            r = self._tolerant(cmd)
            self._memo[cmd.index] = r
        return r

    def _tolerant(self, cmd: Command) -> bool:
        for r in cmd.redirects:
            target = r.target.value.text if r.target is not None else None
            if target == "/dev/null" and (r.fd == 2 or r.op in ("&>", "&>>", ">&")):
                return True
        if cmd.negated:
            return True
        if not cmd.tested:
            return False
        guarded = self.by_test.get(cmd.index, [])
        if not guarded:
            return True  # tested by something we do not see (end of a list)
        kinds = {k for k, _, _ in guarded}
        if kinds & {"if", "elif", "else", "while", "until", "and"}:
            return True
        fatal = False
        for kind, when, c in guarded:
            if kind == "or" and c.name is not None and FATAL.match(c.name):
                fatal = True
        return not fatal


def _cond_id(cond) -> tuple:
    s = cond.span
    return (cond.kind, cond.when, s.line, s.column, s.end_line, s.end_column, cond.tests, cond.patterns)


def _frame_of(call_stack: Iterable[Command], cmd: Command) -> tuple:
    tokens = []
    prefix: tuple = ()
    for c in call_stack:
        for cond in c.conditions:
            tokens.append((prefix, _cond_id(cond)))
        prefix = prefix + (c.index,)
    for cond in cmd.conditions:
        tokens.append((prefix, _cond_id(cond)))
    return tuple(tokens)


NET_TOOL_NAMES = frozenset({"ip", "brctl", "nft", "sysctl", "bridge", "ovs-vsctl", "tc", "ethtool"}) | IPTABLES_NAMES
# Commands that run their arguments somewhere else: never seen as local wrappers.
REMOTE_RUNNERS = frozenset({"ssh", "docker", "podman", "kubectl", "lxc", "lxc-attach", "incus", "virsh", "vagrant",
                            "ansible", "salt", "pdsh", "clush", "echo", "printf", "log", "logger", "die", "fail",
                            "error", "warn", "info", "debug", "msg", "usage", "run_in_container", "juju"})


def auto_wrappers(script: ShellScript) -> tuple[str, ...]:
    """Commands the script does not define (a sourced helper: `do_or_die ip ...`,
    `do_without_error iptables ...`) whose first argument is a network tool: seen through."""
    out = []
    for c in script.commands:
        name = c.name
        if name is None or name in script.functions or name in HARMLESS or name in NET_TOOL_NAMES:
            continue
        if name in REMOTE_RUNNERS or name in ("sudo", "env", "exec", "timeout", "nice", "nohup", "xargs", "command",
                                              "nsenter", "unshare", "chroot", "flock", "stdbuf", "setsid", "time"):
            continue
        if len(c.argv) > 1 and c.argv[1].literal in NET_TOOL_NAMES and name not in out:
            out.append(name)
    return tuple(out)


class _Sim:
    def __init__(self, script: ShellScript, analysis: Analysis, transparent: tuple[str, ...]):
        self.script = script
        self.a = analysis
        self.transparent = tuple(transparent) + auto_wrappers(script)
        self.guards = _Guards(script)
        self.pair_seq = 0
        self.state = State()
        self.stack: list[tuple[tuple, State]] = []
        self.unit: str | None = None
        self.pending: list[IfaceMatch] = []
        self.pending_ports: list[PortAddr] = []
        self.stable_positional = not any(
            c.name == "shift" or (c.name == "set" and any(not (w.literal or "-").startswith(("-", "+")) for w in c.args))
            or (c.name == "set" and any(w.literal == "--" for w in c.args))
            for c in script.commands
        )
        self._fn_mutates: dict[str, bool] = {}

    # -- references ----------------------------------------------------------------------------------
    def ref(self, arg: Arg | None) -> Ref:
        if arg is None:
            return UNKNOWN_REF
        return ref_of(arg.value, stable_positional=self.stable_positional)

    def ns_of(self, inv: Invocation) -> NsRef:
        if inv.netns is None:
            return ROOT
        kind = inv.netns_kind
        v = inv.netns
        if kind == "name":
            r = ref_of(v, stable_positional=self.stable_positional)
            return NsRef("name", r) if r.known else UNKNOWN_NS
        if kind == "pid":
            if v.text == "1":
                return ROOT
            r = ref_of(v, stable_positional=self.stable_positional)
            return NsRef("pid", r) if r.known else UNKNOWN_NS
        if kind == "path" and v.text == "/proc/1/ns/net":
            return ROOT
        return UNKNOWN_NS

    def netns_target(self, arg: Arg | None) -> NsRef:
        """The namespace `ip link set X netns VALUE` names: digits are a PID."""
        if arg is None:
            return UNKNOWN_NS
        t = arg.value.text
        if t is not None:
            if t.isdigit():
                return ROOT if t == "1" else NsRef("pid", Ref((("t", t),), t))
            if t.startswith("/"):
                return UNKNOWN_NS
            return NsRef("name", Ref((("t", t),), t))
        r = self.ref(arg)
        if not r.known:
            return UNKNOWN_NS
        if r in self.a.ns_names and not any("pid" in v.lower() for k, v in r.parts or () if k == "v"):
            return NsRef("name", r)
        return NsRef("pid", r)

    # -- frames --------------------------------------------------------------------------------------
    def enter(self, frame: tuple) -> None:
        k = 0
        cur = [t for t, _ in self.stack]
        while k < len(cur) and k < len(frame) and cur[k] == frame[k]:
            k += 1
        while len(self.stack) > k:
            _, saved = self.stack.pop()
            self.state = join_states(saved, self.state)
        for tok in frame[k:]:
            self.stack.append((tok, self.state.copy()))

    def leave_all(self) -> None:
        while self.stack:
            _, saved = self.stack.pop()
            self.state = join_states(saved, self.state)

    # -- units -------------------------------------------------------------------------------------
    def run(self) -> None:
        script = self.script
        ev = script.evaluation()
        # namespace names used anywhere (to tell `netns $NS` from `netns $PID`)
        self._collect_ns_names()
        self.unit = None
        steps = ev.steps
        regions = sorted((r.line, r.column) for r in script.error_regions)
        for k, step in enumerate(steps):
            cmd = step.command
            if script.in_error_region(cmd.span):
                self.enter(_frame_of(step.call_stack, cmd))
                self.state.havoc_all()
                continue
            site = step.site.span
            while regions and regions[0] < (site.line, site.column):
                # the parser could not read something here: it may have done anything
                regions.pop(0)
                self.enter(())
                self.state.havoc_all()
            if cmd.kind in ("assignment", "declaration", "unset", "test"):
                continue
            if step.function_call is not None:
                nxt = steps[k + 1] if k + 1 < len(steps) else None
                followed = nxt is not None and nxt.call_stack and nxt.call_stack[-1] is cmd
                if not followed and self.fn_mutates(step.function_call):
                    self.enter(_frame_of(step.call_stack, cmd))
                    self.state.havoc_all()
                continue
            frame = _frame_of(step.call_stack, cmd)
            self.enter(frame)
            invs = unwrap(step, transparent=self.transparent)
            if not invs and step.argv and step.argv[0].value.text is None:
                self.state.havoc_all()
            for inv in invs:
                self.process(inv, frame, step.conditional, [*step.call_stack, cmd])
        self.leave_all()
        self.finish_unit()
        called = set(ev.calls)
        for name in sorted(script.functions):
            if name in called:
                continue
            self.unit = name
            self.state = State()
            self.stack = []
            fn = script.functions[name]
            regions = sorted((r.line, r.column) for r in script.error_regions
                             if (fn.span.line, fn.span.column) <= (r.line, r.column) <= (fn.span.last_line, 10**9))
            for cmd in script.commands:
                if cmd.in_function != name or cmd.kind in ("assignment", "declaration", "unset", "test"):
                    continue
                while regions and regions[0] < (cmd.span.line, cmd.span.column):
                    regions.pop(0)
                    self.enter(())
                    self.state.havoc_all()
                if cmd.substitution is not None and cmd.kind != "simple":
                    continue
                frame = _frame_of((), cmd)
                self.enter(frame)
                if script.in_error_region(cmd.span):
                    self.state.havoc_all()
                    continue
                invs = unwrap(cmd, script, transparent=self.transparent)
                if cmd.name in script.functions and self.fn_mutates(cmd.name, passthrough_ok=True):
                    self.state.havoc_all()
                if not invs and cmd.argv and cmd.argv[0].value.text is None:
                    self.state.havoc_all()
                for inv in invs:
                    f2 = frame
                    if inv.command is not cmd:
                        f2 = frame + tuple(((cmd.index,), _cond_id(c)) for c in inv.command.conditions)
                        self.enter(f2)
                    self.process(inv, f2, True, [cmd, inv.command])
            self.leave_all()
            self.finish_unit()

    def _collect_ns_names(self) -> None:
        for cmd in self.script.commands:
            for inv in unwrap(cmd, self.script, transparent=self.transparent):
                if inv.netns is not None and inv.netns_kind == "name":
                    self.a.ns_names.add(ref_of(inv.netns, stable_positional=self.stable_positional))
                if inv.name == "ip":
                    ip = parse_ip(list(inv.argv))
                    if ip.obj == "netns" and ip.cmd in ("add", "delete", "exec", "pids", "attach", "set") and ip.rest:
                        self.a.ns_names.add(self.ref(ip.rest[0]))

    def fn_mutates(self, name: str, passthrough_ok: bool = False, _seen: set | None = None) -> bool:
        """Whether a function's body may change network state by itself (commands that pass the
        call's arguments on are seen through by `unwrap` when `passthrough_ok`)."""
        key = f"{name}:{passthrough_ok}"
        if key in self._fn_mutates:
            return self._fn_mutates[key]
        seen = _seen or set()
        if name in seen:
            return False
        seen.add(name)
        result = False
        for cmd in self.script.function_commands(name):
            if cmd.kind in ("assignment", "declaration", "unset", "test") or cmd.in_function != name:
                continue
            if passthrough_ok and any(_PASSES_ARGS.fullmatch(w.text) for w in cmd.argv):
                continue  # `unwrap` follows the arguments it passes on
            n = cmd.name
            if n is None:
                result = True
                break
            if n in self.script.functions:
                if self.fn_mutates(n, passthrough_ok, seen):
                    result = True
                    break
                continue
            if n in HARMLESS and n not in ("nft", "sysctl", "iptables-restore", "ip6tables-restore"):
                continue
            result = True
            break
        self._fn_mutates[key] = result
        return result

    def finish_unit(self) -> None:
        st = self.state
        self.a.final[self.unit] = st
        for m in self.pending:
            pres, _ = st.presence(m.ns, m.name)
            m.presence_end = pres
            m.elsewhere = [
                (ns, s)
                for (ns, name), s in st.slots.items()
                if s.present != NO and relation(name, m.name) == SAME and st.ns_relation(ns, m.ns) == DIFFERENT
            ]
            if not m.elsewhere and m.slot.gone is not None and "moved to" in m.slot.gone.text:
                m.elsewhere = []
            self.a.matches.append(m)
        self.pending = []
        for p in self.pending_ports:
            # still true when the script is done: the address was not moved to the bridge afterwards
            s = st.slot(p.ns, p.dev)
            if s.present != NO and s.master_state == YES and s.master == p.bridge and dict(s.addrs).get(p.address) == YES:
                self.a.port_addrs.append(p)
        self.pending_ports = []
        for (ns, name), s in st.slots.items():
            if s.kind == "veth" and s.pair is not None and s.present == YES:
                self.a.veth_ends.append(VethEnd(self.unit, ns, name, s, st.rec(ns)))

    # -- one command -------------------------------------------------------------------------------
    def process(self, inv: Invocation, frame: tuple, conditional: bool, cmds: list[Command]) -> None:
        ns = self.ns_of(inv)
        tolerant = any(self.guards.tolerant(c) for c in cmds) or (inv.site is not None and self.guards.tolerant(inv.site))
        op = NetOp(len(self.a.ops), inv, self.unit, ns, "other", conditional or bool(frame), tolerant, frame,
                   self.state.rec(ns))
        self.a.ops.append(op)
        name = inv.name
        if name is None:
            op.tool = "unknown"
            op.havoc = True
            self.state.havoc_all()
            return
        bg = inv.command.background
        if ns.kind != "root" and ns.kind != "unknown" and (bg or name in DAEMONS):
            r = self.state.rec(ns)
            self.state.ns[ns] = replace(r, holders=True)
        if name in IP_NAMES:
            op.tool = "ip"
            op.ip = parse_ip(list(inv.argv))
            self.do_ip(op)
        elif name in IPTABLES_NAMES:
            op.tool = "iptables"
            op.ipt = parse_iptables(list(inv.argv))
            self.do_iptables(op)
        elif name == "brctl":
            op.tool = "brctl"
            op.brctl = parse_brctl(list(inv.argv))
            self.do_brctl(op)
        elif name == "sysctl":
            op.tool = "sysctl"
            op.sysctl = parse_sysctl(list(inv.argv))
            self.do_sysctl(op)
        elif name == "nft":
            op.tool = "nft"
            op.nft = parse_nft(list(inv.argv))
        elif name == "ovs-vsctl":
            op.tool = "ovs-vsctl"
            self.do_ovs(op)
        elif name in ("echo", "printf", "tee"):
            op.tool = "harmless"
            self.do_proc_sys(op)
        elif name in ("ln", "mount"):
            op.tool = "harmless"
            self.do_link_netns(op)
        elif name in HARMLESS:
            op.tool = "harmless"
            if name.endswith("-restore") and ns.kind != "unknown":
                fam = "ipv6" if name.startswith("ip6") else "ipv4"
                self.state.rules_unknown = self.state.rules_unknown | {
                    (ns, fam, t) for t in ("filter", "nat", "mangle", "raw", "security")}
        elif name in self.script.functions:
            op.tool = "function"
            if self.fn_mutates(name):
                op.havoc = True
                self.state.havoc_all()
        else:
            op.tool = "program"
            op.havoc = True
            self.state.havoc_ns(ns)

    # -- helpers -------------------------------------------------------------------------------------
    def event(self, op: NetOp, text: str) -> Event:
        return Event(op.span, text, op.line)

    def use(self, op: NetOp, arg: Arg | None, ns: NsRef, role: str) -> None:
        if arg is None:
            return
        name = self.ref(arg)
        pres, slot = self.state.presence(ns, name)
        elsewhere = []
        if pres == NO:
            elsewhere = [o for (o, n), s in self.state.slots.items()
                         if s.present == YES and n == name and self.state.ns_relation(o, ns) == DIFFERENT]
        self.a.uses.append(Use(op, arg, name, ns, role, pres, slot, self.state.rec(ns), elsewhere))

    def create(self, op: NetOp, ns: NsRef, arg: Arg | None, kind: str | None, up: bool, pair: int | None,
               what: str) -> None:
        st = self.state
        name = self.ref(arg)
        if _invalid_name(name):
            return  # an invalid name: the kernel refuses the device (NET005)
        if ns.kind == "unknown" or not name.known:
            self.add_unknown(ns, name)
            return
        old = st.slot(ns, name)
        ev = self.event(op, what)
        new = Slot(present=YES, origin="created", kind=kind, pair=pair, created=ev, up=YES if up else NO,
                   up_event=ev, master_state=NO, addrs=(), addrs_known=True)
        if old.present == YES:
            return  # "File exists": the command fails, nothing changes
        if old.present == MAYBE and self._recorded(ns, name):
            new = replace(join_slots(old, new), present=YES)
        st.set_slot(ns, name, new)
        st.weaken_related(ns, name, added=True, removed=False)

    def _recorded(self, ns: NsRef, name: Ref) -> bool:
        """Whether the state holds something the script did about (ns, name): a name it never
        touched is taken to be free when the script creates it (a run on a clean host)."""
        st = self.state
        return (ns, name) in st.slots or st.all_open or name in st.wild

    def add_unknown(self, ns: NsRef, name: Ref) -> None:
        st = self.state
        if ns.kind == "unknown":
            if name.known:
                st.wild = st.wild | {name}
                for key, s in list(st.slots.items()):
                    if relation(key[1], name) != DIFFERENT and s.present == NO:
                        st.slots[key] = replace(s, present=MAYBE)
            else:
                st.all_open = True
                for key, s in list(st.slots.items()):
                    if s.present == NO:
                        st.slots[key] = replace(s, present=MAYBE)
            return
        st.weaken_related(ns, name if name.known else None, added=True, removed=False)
        r = st.rec(ns)
        st.ns[ns] = replace(r, closed=False)
        if not name.known:
            for key, s in list(st.slots.items()):
                if key[0] == ns and s.present == NO:
                    st.slots[key] = replace(s, present=MAYBE)

    def remove(self, ns: NsRef, name: Ref, gone: Event, *, with_peer: bool = True) -> None:
        """The interface stops existing in `ns` (deleted, moved away, renamed)."""
        st = self.state
        if ns.kind == "unknown" or not name.known:
            for key, s in list(st.slots.items()):
                if (ns.kind == "unknown" or st.ns_relation(key[0], ns) != DIFFERENT) and s.present == YES:
                    st.slots[key] = replace(s, present=MAYBE)
            return
        old = st.slot(ns, name)
        st.set_slot(ns, name, replace(old, present=NO, gone=gone))
        st.weaken_related(ns, name, added=False, removed=True)

    def delete_link(self, op: NetOp, ns: NsRef, arg: Arg | None, what: str) -> None:
        st = self.state
        name = self.ref(arg)
        old = st.slot(ns, name) if name.known and ns.kind != "unknown" else Slot(present=MAYBE)
        ev = self.event(op, what)
        self.remove(ns, name, ev)
        if old.present == NO:
            return
        # a veth pair goes together
        if old.pair is not None:
            for key, s in list(st.slots.items()):
                if s.pair == old.pair and key != (ns, name) and s.present != NO:
                    gone = self.event(op, f"deleted with its veth peer {name.shown}")
                    st.slots[key] = replace(s, present=NO if old.present == YES else MAYBE, gone=gone)
        # ports of a deleted bridge lose their master
        for key, s in list(st.slots.items()):
            if key[0] == ns and s.master is not None and relation(s.master, name) == SAME and s.present != NO:
                st.slots[key] = replace(s, master_state=NO if old.present == YES else None, master=None)

    def move(self, op: NetOp, ns: NsRef, arg: Arg | None, target: NsRef, new_name: Arg | None) -> tuple[NsRef, Ref]:
        """`ip link set X netns T [name Y]`: returns where the interface now is."""
        st = self.state
        name = self.ref(arg)
        dest_name = self.ref(new_name) if new_name is not None else name
        rel = st.ns_relation(ns, target)
        if rel == SAME:
            return ns, name
        if ns.kind == "unknown" or not name.known:
            self.remove(ns, name, self.event(op, "moved"))
            self.add_unknown(target, dest_name)
            return target, dest_name
        old = st.slot(ns, name)
        ev = self.event(op, f"moved to {target.shown}")
        if rel == DIFFERENT:
            self.remove(ns, name, ev)
        else:
            st.set_slot(ns, name, replace(old, present=MAYBE if old.present != NO else NO, gone=ev))
        if target.kind == "unknown" or not dest_name.known:
            self.add_unknown(target, dest_name)
            return target, dest_name
        trec = st.rec(target)
        if trec.exists == NO:
            return target, dest_name  # fails: the namespace is gone
        present = old.present if rel == DIFFERENT else MAYBE
        new = Slot(present=present, origin="moved", kind=old.kind, pair=old.pair, created=old.created, up=NO,
                   up_event=ev, master_state=NO, addrs=(), addrs_known=True, moved_from=ev)
        prev = st.slot(target, dest_name)
        if prev.present == YES:
            return target, dest_name  # "File exists"
        if prev.present == MAYBE and self._recorded(target, dest_name):
            new = replace(join_slots(prev, new), present=tjoin(present, MAYBE) if present != YES else YES)
        st.set_slot(target, dest_name, new)
        st.weaken_related(target, dest_name, added=True, removed=False)
        return target, dest_name

    # -- ip ----------------------------------------------------------------------------------------
    def do_ip(self, op: NetOp) -> None:
        ip = op.ip
        st = self.state
        ns = op.ns
        if ip.batch or ip.all_netns:
            op.havoc = True
            st.havoc_all()
            return
        if ip.obj is None or (ip.cmd is None and ip.obj in ("link", "address", "route", "netns", "tuntap")):
            if ip.obj_word is not None or ip.uncertain:
                op.havoc = True
                st.havoc_ns(ns)
            return
        if ip.obj == "link":
            self.do_link(op, ip, ns)
        elif ip.obj == "address":
            self.do_addr(op, ip, ns)
        elif ip.obj == "route":
            self.do_route(op, ip, ns)
        elif ip.obj == "netns":
            self.do_netns(op, ip, ns)
        elif ip.obj == "tuntap":
            spec = parse_tuntap(ip.rest)
            if ip.cmd == "add":
                self.create(op, ns, spec.dev, spec.mode or "tun", False, None, "created")
            elif ip.cmd == "delete":
                self.use(op, spec.dev, ns, "device")
                self.delete_link(op, ns, spec.dev, "deleted")
        elif ip.obj in ("tunnel", "l2tp", "macsec", "vrf", "fou", "mptcp", "xfrm", "sr", "nexthop", "ila",
                        "ioam", "token", "addrlabel", "maddress", "mroute", "mrule", "rule", "neighbor", "ntable",
                        "tcpmetrics", "netconf", "monitor", "help", "stats"):
            if ip.obj == "tunnel" and ip.cmd not in ("show", "list", "lst", None):
                op.havoc = True
                st.havoc_ns(ns)

    def do_link(self, op: NetOp, ip: IpCommand, ns: NsRef) -> None:
        spec = ip.link
        st = self.state
        if spec is None or ip.cmd in ("show", "xstats", "afstats", "help", "property"):
            return
        if ip.cmd == "add":
            kind = spec.type_text
            target = self.netns_target(spec.netns) if spec.netns is not None else ns
            if spec.link is not None:
                self.use(op, spec.link, ns, "parent")
            if spec.master is not None:
                self.use(op, spec.master, target, "master")
            names = [spec.new_name] + ([spec.peer.new_name] if spec.peer is not None else [])
            if any(_invalid_name(self.ref(x)) for x in names if x is not None):
                return  # the kernel refuses the command: nothing is created (NET005)
            pair = None
            if kind == "veth":
                self.pair_seq += 1
                pair = self.pair_seq
            self.create(op, target, spec.new_name, kind, bool(spec.up), pair, "created")
            if spec.master is not None:
                self.enslave(op, target, spec.new_name, spec.master)
            if kind == "veth":
                peer = spec.peer
                if peer is not None and peer.new_name is not None:
                    ptarget = self.netns_target(peer.netns) if peer.netns is not None else ns
                    self.create(op, ptarget, peer.new_name, "veth", bool(peer.up), pair, "created as its peer")
                else:
                    self.add_unknown(ns, UNKNOWN_REF)  # the kernel names it vethN
            return
        if ip.cmd == "replace":
            op.havoc = True
            st.havoc_ns(ns)
            return
        if spec.group:
            op.havoc = True
            st.havoc_ns(ns)
            return
        if ip.cmd == "delete":
            self.use(op, spec.dev, ns, "device")
            self.delete_link(op, ns, spec.dev, "deleted")
            return
        # set
        self.use(op, spec.dev, ns, "device")
        if spec.master is not None and spec.netns is None:
            self.use(op, spec.master, ns, "master")
        where, dev_arg = ns, spec.dev
        name = self.ref(spec.dev)
        if spec.netns is not None:
            target = self.netns_target(spec.netns)
            where, name = self.move(op, ns, spec.dev, target, spec.name)
        elif spec.name is not None:
            # rename
            new = self.ref(spec.name)
            if name.known and new.known and ns.kind != "unknown":
                old = st.slot(ns, name)
                ev = self.event(op, f"renamed to {new.shown}")
                self.remove(ns, name, ev)
                if old.present != NO:
                    st.set_slot(ns, new, replace(old, gone=None))
                    st.weaken_related(ns, new, added=True, removed=False)
            else:
                self.remove(ns, name, self.event(op, "renamed"))
                self.add_unknown(ns, new)
            name = new
        if spec.master is not None and spec.netns is None:
            self.enslave(op, where, spec.name or dev_arg, spec.master, name=name)
        if spec.nomaster:
            self.set_attr(where, name, master_state=NO, master=None, master_event=self.event(op, "released"))
        if spec.up is not None:
            self.set_attr(where, name, up=YES if spec.up else NO, up_event=self.event(op, "up" if spec.up else "down"))

    def set_attr(self, ns: NsRef, name: Ref, **kw) -> None:
        st = self.state
        if ns.kind == "unknown" or not name.known:
            # could be any interface there
            for key, s in list(st.slots.items()):
                if ns.kind == "unknown" or st.ns_relation(key[0], ns) != DIFFERENT:
                    upd = {}
                    if "up" in kw and s.up != kw["up"]:
                        upd["up"] = None if s.up is None else MAYBE
                    if "master_state" in kw:
                        upd["master_state"] = None
                    if upd:
                        st.slots[key] = replace(s, **upd)
            return
        s = st.slot(ns, name)
        if s.present == NO:
            return  # the command fails
        st.set_slot(ns, name, replace(s, **kw))
        for key, o in list(st.slots.items()):
            if key != (ns, name) and st.ns_relation(key[0], ns) != DIFFERENT and relation(key[1], name) != DIFFERENT:
                upd = {}
                if "up" in kw and o.up != kw["up"] and o.up is not None:
                    upd["up"] = MAYBE
                if "master_state" in kw:
                    upd["master_state"] = None
                if upd:
                    st.slots[key] = replace(o, **upd)

    def enslave(self, op: NetOp, ns: NsRef, dev: Arg | None, master: Arg | None, name: Ref | None = None,
                bridge: bool = False) -> None:
        st = self.state
        name = name if name is not None else self.ref(dev)
        mref = self.ref(master)
        ev = self.event(op, f"enslaved to {mref.shown}")
        if not mref.known:
            self.set_attr(ns, name, master_state=None)
            return
        s = st.slot(ns, name) if name.known and ns.kind != "unknown" else None
        is_bridge = bridge or (ns.kind != "unknown" and st.slot(ns, mref).kind == "bridge")
        if s is not None and s.present != NO and is_bridge:
            for addr, certainty in s.addrs:
                if certainty == YES:
                    self.pending_ports.append(PortAddr(op, dev, name, mref, s.addr_event, "port-with-addr", ns, addr))
                    break
        self.set_attr(ns, name, master=mref, master_state=YES if is_bridge else MAYBE, master_event=ev)

    def do_addr(self, op: NetOp, ip: IpCommand, ns: NsRef) -> None:
        spec = ip.addr
        st = self.state
        if spec is None:
            return
        if ip.cmd == "show":
            return
        self.use(op, spec.dev, ns, "device")
        name = self.ref(spec.dev)
        if spec.dev is None:
            op.havoc = ip.cmd != "flush"
            return
        if ns.kind == "unknown" or not name.known:
            self.set_attr(ns, name, master_state=None)
            for key, s in list(st.slots.items()):
                if ns.kind == "unknown" or st.ns_relation(key[0], ns) != DIFFERENT:
                    st.slots[key] = replace(s, addrs_known=False)
            return
        s = st.slot(ns, name)
        if s.present == NO:
            return
        ev = self.event(op, "address added")
        if ip.cmd in ("add", "replace", "change"):
            addr = spec.local.value.text if spec.local is not None else None
            if s.master_state == YES and s.master is not None:
                mslot = st.slot(ns, s.master)
                if mslot.kind == "bridge" or (s.master_event is not None and "bridge" in s.master_event.text):
                    if addr is not None:
                        self.pending_ports.append(
                            PortAddr(op, spec.local, name, s.master, s.master_event, "addr-on-port", ns, addr))
            addrs = dict(s.addrs)
            known = s.addrs_known
            if addr is None:
                known = False
            else:
                addrs[addr] = YES
                if spec.peer is not None:
                    p = spec.peer.value.text
                    if p is None:
                        known = False
                    else:
                        addrs["peer " + p] = YES
            st.set_slot(ns, name, replace(s, addrs=tuple(sorted(addrs.items())), addrs_known=known, addr_event=ev))
        elif ip.cmd == "delete":
            addr = spec.local.value.text if spec.local is not None else None
            addrs = dict(s.addrs)
            if addr is not None and addr in addrs:
                addrs.pop(addr)
            elif addr is None:
                addrs = {k: MAYBE for k in addrs}
            st.set_slot(ns, name, replace(s, addrs=tuple(sorted(addrs.items()))))
        elif ip.cmd == "flush":
            st.set_slot(ns, name, replace(s, addrs=(), addrs_known=True))

    def do_route(self, op: NetOp, ip: IpCommand, ns: NsRef) -> None:
        spec = ip.route
        st = self.state
        if spec is None:
            return
        if spec.dev is not None:
            self.use(op, spec.dev, ns, "device")
        if ip.cmd not in ("add", "replace", "change", "append", "prepend"):
            return
        ipv6 = ip.family == "inet6"
        dst = spec.dst.value.text if spec.dst is not None else None
        if spec.via is None and spec.dev is not None and spec.rtype in (None, "unicast"):
            # an on-link route: its prefix reaches gateways through that device
            if dst is None:
                st.routes_unknown = st.routes_unknown | {ns}
            else:
                cur = st.routes.get(ns, ())
                st.routes[ns] = cur + ((dst, self.ref(spec.dev)),)
            return
        if spec.via is None or spec.onlink or spec.multipath or ipv6 or ns.kind == "unknown":
            return
        gw = spec.via.value.text
        if gw is None or ":" in gw:
            return
        try:
            gw_ip = ipaddress.IPv4Address(gw)
        except ValueError:
            return
        dev = self.ref(spec.dev) if spec.dev is not None else None
        subnets = self.connected(ns, dev)
        if subnets is None:
            return
        for net in subnets:
            try:
                if gw_ip in ipaddress.ip_network(net, strict=False):
                    return
            except ValueError:
                return
        self.a.gateways.append(GatewayCheck(op, spec.via, gw, dev, subnets))

    def connected(self, ns: NsRef, dev: Ref | None) -> list[str] | None:
        """The IPv4 subnets reachable on-link in `ns` (through `dev` when given), or None when not
        every address and route there is known."""
        st = self.state
        if ns in st.routes_unknown or st.all_open:
            return None
        rec = st.rec(ns)
        if dev is not None:
            if not dev.known:
                return None
            s = st.slot(ns, dev)
            if s.present == NO or s.origin not in ("created", "moved", "renamed") or not s.addrs_known:
                return None
            slots = [(dev, s)]
        else:
            if not rec.closed or rec.created != YES:
                return None
            slots = [((n), s) for (o, n), s in st.slots.items() if o == ns and s.present != NO]
            if any(not s.addrs_known for _, s in slots):
                return None
            if any(not n.known for n, _ in slots):
                return None
        out: list[str] = []
        for _, s in slots:
            for addr, _c in s.addrs:
                text = addr[5:] if addr.startswith("peer ") else addr
                if ":" in text:
                    continue
                try:
                    ipaddress.ip_interface(text)
                except ValueError:
                    return None
                out.append(text)
        for prefix, rdev in st.routes.get(ns, ()):
            if dev is None or rdev is None or relation(rdev, dev) != DIFFERENT:
                if prefix in ("default", "0.0.0.0/0"):
                    return None
                try:
                    ipaddress.ip_network(prefix, strict=False)
                except ValueError:
                    return None
                out.append(prefix)
        if dev is None:
            out.append("127.0.0.0/8")
        return out

    def do_netns(self, op: NetOp, ip: IpCommand, ns: NsRef) -> None:
        st = self.state
        arg = ip.rest[0] if ip.rest else None
        if ip.cmd in ("add", "delete", "attach", "set") and ns.kind != "root":
            # `ip netns` inside a namespace still manages /run/netns of the mount namespace
            pass
        if ip.cmd == "add":
            name = self.ref(arg)
            if arg is None:
                return
            if not name.known:
                st.havoc_all()
                op.havoc = True
                return
            target = NsRef("name", name)
            old = st.rec(target)
            ev = self.event(op, f"created {target.shown}")
            root_fwd = tuple(sorted(st.rec(ROOT).fwd))
            fresh = NsRec(exists=YES, created=YES, closed=True, created_event=ev, inherited_fwd=root_fwd)
            if old.exists == YES and old.created == YES:
                return  # "File exists"
            if op.tolerant and old.created != YES:
                fresh = replace(fresh, closed=False, created=MAYBE)
            elif old.exists == MAYBE and (old.created != NO or old.deleted_event is not None):
                fresh = replace(join_ns(old, fresh), exists=YES)
            # a fresh namespace holds nothing the state knew about
            for key in [k for k in st.slots if k[0] == target]:
                if fresh.closed:
                    del st.slots[key]
                else:
                    st.slots[key] = replace(st.slots[key], present=MAYBE)
            st.ns[target] = fresh
            st.routes.pop(target, None)
            st.routes_unknown = st.routes_unknown - {target}
        elif ip.cmd == "delete":
            if arg is None:
                return
            name = self.ref(arg)
            if not name.known:
                st.havoc_all()
                op.havoc = True
                return
            target = NsRef("name", name)
            self.delete_ns(op, target)
        elif ip.cmd == "attach":
            name = self.ref(arg)
            if name.known:
                target = NsRef("name", name)
                st.ns[target] = NsRec(exists=YES, created=NO, closed=False, alias=True)

    def delete_ns(self, op: NetOp, target: NsRef) -> None:
        st = self.state
        old = st.rec(target)
        if old.exists == NO:
            return
        ev = self.event(op, f"deleted with {target.shown}")
        # deleted if it existed; if it did not, the command fails and it does not exist either
        st.ns[target] = replace(old, exists=NO, deleted_event=self.event(op, f"{target.shown} deleted"), closed=False)
        pairs: dict[int, Ref] = {}
        for key, s in list(st.slots.items()):
            if key[0] != target or s.present == NO:
                continue
            st.slots[key] = replace(s, present=NO, gone=ev)
            if s.pair is not None:
                pairs[s.pair] = key[1]
            elif s.origin != "created" and s.kind not in ("veth", "bridge", "dummy", "tap", "tun", "wireguard",
                                                           "vlan", "macvlan", "ipvlan", "vxlan", "gre"):
                # a physical device goes back to the root namespace
                rs = st.slot(ROOT, key[1])
                st.set_slot(ROOT, key[1], replace(rs, present=MAYBE if rs.present == NO else rs.present))
        for key, s in list(st.slots.items()):
            if s.pair in pairs and key[0] != target and s.present != NO:
                gone = self.event(op, f"deleted with its veth peer {pairs[s.pair].shown} in {target.shown}")
                st.slots[key] = replace(s, present=MAYBE if old.holders else NO, gone=gone)
        for other in st.related_ns(target):
            st.weaken_related(other, None, added=False, removed=True)

    # -- iptables ----------------------------------------------------------------------------------
    def record_rule(self, op: NetOp) -> None:
        """The per-namespace rule table: -A/-I add, -D removes, -F/-X empty a chain or table."""
        ipt = op.ipt
        st = self.state
        ns = op.ns
        if ns.kind == "unknown":
            return
        if not ipt.table_known or ipt.unknown:
            st.rules_unknown = st.rules_unknown | {(ns, ipt.family, t) for t in
                                                   ("filter", "nat", "mangle", "raw", "security")}
            return
        key = (ns, ipt.family, ipt.table)
        table = dict(st.rules.get(key, {}))
        chain = ipt.chain_text
        if ipt.command in ("append", "insert", "delete") and chain is not None:
            spec = ipt.spec_key()
            if ipt.command == "delete":
                if (chain, spec) in table:
                    del table[(chain, spec)]
            else:
                table[(chain, spec)] = YES
        elif ipt.command in ("flush", "delete-chain"):
            table = {k: v for k, v in table.items() if chain is not None and k[0] != chain}
        elif ipt.command == "replace":
            st.rules_unknown = st.rules_unknown | {key}
        st.rules[key] = table

    def do_iptables(self, op: NetOp) -> None:
        ipt = op.ipt
        self.record_rule(op)
        if ipt.command not in ("append", "insert", "replace"):
            return
        for o in ipt.opts:
            if o.name not in ("in", "out") or o.negated or o.value is None:
                continue
            name = self.ref(o.value)
            lit = name.literal
            if not name.known or (lit is not None and (lit.endswith("+") or lit == "")):
                continue
            if name.suffix.endswith("+"):
                continue
            pres, slot = self.state.presence(op.ns, name)
            self.pending.append(IfaceMatch(op, o, name, op.ns, pres, slot, self.state.rec(op.ns)))

    # -- brctl -------------------------------------------------------------------------------------
    def do_brctl(self, op: NetOp) -> None:
        b = op.brctl
        ns = op.ns
        if b.sub == "addbr":
            for arg in b.operands[:1]:
                self.create(op, ns, arg, "bridge", False, None, "created")
        elif b.sub == "delbr":
            self.use(op, b.bridge, ns, "bridge")
            self.delete_link(op, ns, b.bridge, "deleted")
        elif b.sub == "addif":
            self.use(op, b.bridge, ns, "bridge")
            for port in b.operands[1:]:
                self.use(op, port, ns, "port")
                self.enslave(op, ns, port, b.bridge, bridge=True)
        elif b.sub == "delif":
            self.use(op, b.bridge, ns, "bridge")
            for port in b.operands[1:]:
                self.use(op, port, ns, "port")
                self.set_attr(ns, self.ref(port), master_state=NO, master=None)
        elif b.sub is None:
            op.havoc = True
            self.state.havoc_ns(ns)

    # -- sysctl and /proc/sys ----------------------------------------------------------------------
    def set_fwd(self, ns: NsRef, family: str, value: str) -> None:
        st = self.state
        targets = [ns] if ns.kind != "unknown" else list(st.known_namespaces())
        for t in targets:
            r = st.rec(t)
            fwd = dict(r.fwd)
            fwd[family] = value if ns.kind != "unknown" else MAYBE
            st.ns[t] = replace(r, fwd=tuple(sorted(fwd.items())))

    def _fwd_write(self, ns: NsRef, key: str | None, value: str | None) -> None:
        v = YES if value == "1" else NO if value == "0" else MAYBE
        if key is None:
            self.set_fwd(ns, "ipv4", MAYBE)
            self.set_fwd(ns, "ipv6", MAYBE)
            return
        if key in ("net.ipv4.ip_forward", "net.ipv4.conf.all.forwarding"):
            self.set_fwd(ns, "ipv4", v)
        elif key == "net.ipv6.conf.all.forwarding":
            self.set_fwd(ns, "ipv6", v)

    def do_sysctl(self, op: NetOp) -> None:
        s = op.sysctl
        if s.loads_files or s.unknown:
            self._fwd_write(op.ns, None, None)
        for w in s.writes:
            self._fwd_write(op.ns, w.key, w.value)

    def do_proc_sys(self, op: NetOp) -> None:
        inv = op.inv
        name = inv.name
        targets: list[str | None] = []
        if name == "tee":
            for a in inv.argv[1:]:
                t = a.value.text
                if t is not None and not t.startswith("-"):
                    targets.append(t)
        elif any(layer.kind in ("shell-c", "eval", "flock") for layer in inv.layers):
            # `bash -c 'echo 1 > /proc/sys/...'`: the redirect is inside the string
            layer = next(x for x in inv.layers if x.kind in ("shell-c", "eval", "flock"))
            text = layer.argv[-1].value.text if layer.argv else None
            if text is None or "/proc/sys/" in text:
                m = _PROC_WRITE_RE.search(text or "")
                if m is None:
                    op.tool = "proc-sys"
                    self._fwd_write(op.ns, None, None)
                else:
                    op.tool = "proc-sys"
                    self._fwd_write(op.ns, proc_sys_key(m.group(2)), m.group(1))
            return
        else:
            for r in inv.command.redirects:
                if r.op in (">", ">>", ">|") and r.fd in (None, 1) and r.target is not None:
                    targets.append(r.target.value.text if r.target.value.text is not None else
                                   ("/proc/sys/?" if r.target.value.prefix.startswith("/proc/sys") else None))
        for t in targets:
            if t is None or not t.startswith("/proc/sys/"):
                continue
            key = proc_sys_key(t)
            value = None
            if name in ("echo", "printf") and len(inv.argv) >= 2:
                vals = [a.value.text for a in inv.argv[1:] if (a.value.text or "x")[:1] != "-"]
                value = vals[0] if len(vals) == 1 else None
            op.tool = "proc-sys"
            self._fwd_write(op.ns, key if "?" not in t else None, value)

    def do_link_netns(self, op: NetOp) -> None:
        """`ln -s /proc/PID/ns/net /var/run/netns/NAME`, `mount --bind ... /run/netns/NAME`: a named
        handle on some process's namespace (which may be any, the root one included)."""
        args = [a for a in op.inv.argv[1:] if not (a.value.text or "x").startswith("-")]
        if len(args) < 2:
            return
        dest = args[-1].value
        src = args[0].value
        dest_pre = dest.text if dest.text is not None else dest.prefix
        if not any(dest_pre.startswith(d) for d in NETNS_DIRS):
            return
        src_pre = src.text if src.text is not None else src.prefix
        if not (src_pre.startswith("/proc/") or "/ns/" in (src.text or "") or src.suffix.endswith("/ns/net")):
            return
        from cfglint.shell import Value

        for d in NETNS_DIRS:
            if dest_pre.startswith(d):
                if dest.text is not None:
                    name = ref_of(Value.of(dest.text[len(d):]))
                else:
                    from cfglint.shell.wrappers import _drop_prefix

                    name = ref_of(_drop_prefix(dest, len(d)), stable_positional=self.stable_positional)
                break
        else:  # pragma: no cover
            return
        if not name.known:
            self.state.havoc_all()
            return
        target = NsRef("name", name)
        self.state.ns[target] = NsRec(exists=YES, created=NO, closed=False, alias=True, holders=True)
        for key in [k for k in self.state.slots if k[0] == target]:
            self.state.slots[key] = replace(self.state.slots[key], present=MAYBE)

    # -- ovs ---------------------------------------------------------------------------------------
    def do_ovs(self, op: NetOp) -> None:
        stmts = parse_ovs_vsctl(list(op.inv.argv))
        ns = op.ns
        if stmts is None:
            op.havoc = True
            self.state.havoc_ns(ns)
            return
        for s in stmts:
            if s.verb in ("add-br",):
                if s.args:
                    self.add_unknown(ns, self.ref(s.args[0]))
            elif s.verb in ("add-port", "add-bond"):
                if len(s.args) >= 2:
                    self.add_unknown(ns, self.ref(s.args[1]))
                    self.set_attr(ns, self.ref(s.args[1]), master_state=None)
            elif s.verb in ("del-br", "del-port", "del-bond"):
                arg = s.args[-1] if s.args else None
                self.remove(ns, self.ref(arg), self.event(op, "removed by ovs-vsctl"))
            elif s.verb in ("set", "--", "add", "remove", "clear", "create", "destroy", "emer-reset", "init"):
                if s.verb in ("destroy", "emer-reset"):
                    op.havoc = True
                    self.state.havoc_ns(ns)


def analyze(script: ShellScript, *, external: Iterable[str] = (), wrappers: Iterable[str] = ()) -> Analysis:
    a = Analysis(script, external=tuple(DEFAULT_EXTERNAL) + tuple(external))
    sim = _Sim(script, a, tuple(wrappers))
    sim.run()
    return a


__all__ = [
    "Analysis",
    "DEFAULT_EXTERNAL",
    "GatewayCheck",
    "IfaceMatch",
    "NetOp",
    "PortAddr",
    "Use",
    "VethEnd",
    "analyze",
]
