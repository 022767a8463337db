"""iptables / ip6tables argv (and the `-legacy` / `-nft` variants), read the way iptables reads it.

Options may come in any order. Exactly one command (`-A -C -D -I -R -L -S -F -Z -N -X -P -E`);
the table (`-t`, default filter); the rule specification: `[!] -p`, `[!] -s`, `[!] -d`, `[!] -i`,
`[!] -o` (a trailing `+` is a prefix wildcard), `-m MODULE [--opt ...]`, `-j TARGET [--opt ...]`.
Match and target options take one value unless listed as flags or as two-valued.
An argument whose text is unknown is kept in `unknown` (it may be `-w`, or `-t nat`...): rules
decide what they can still say.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cfglint.shell import Arg

IPTABLES_NAMES = frozenset({
    "iptables", "ip6tables", "iptables-legacy", "ip6tables-legacy", "iptables-nft", "ip6tables-nft",
})  # fmt: skip

COMMANDS = {
    "-A": "append", "--append": "append", "-C": "check", "--check": "check", "-D": "delete", "--delete": "delete",
    "-I": "insert", "--insert": "insert", "-R": "replace", "--replace": "replace", "-L": "list", "--list": "list",
    "-S": "list-rules", "--list-rules": "list-rules", "-F": "flush", "--flush": "flush", "-Z": "zero",
    "--zero": "zero", "-N": "new-chain", "--new-chain": "new-chain", "-X": "delete-chain",
    "--delete-chain": "delete-chain", "-P": "policy", "--policy": "policy", "-E": "rename-chain",
    "--rename-chain": "rename-chain",
}  # fmt: skip

BUILTIN_CHAINS = {
    "filter": ("INPUT", "FORWARD", "OUTPUT"),
    "nat": ("PREROUTING", "INPUT", "OUTPUT", "POSTROUTING"),
    "mangle": ("PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING"),
    "raw": ("PREROUTING", "OUTPUT"),
    "security": ("INPUT", "FORWARD", "OUTPUT"),
}
ALL_BUILTIN = frozenset(c for chains in BUILTIN_CHAINS.values() for c in chains)

_SPEC_WITH_ARG = {
    "-p": "proto", "--protocol": "proto", "--proto": "proto", "-s": "source", "--source": "source",
    "--src": "source", "-d": "destination", "--destination": "destination", "--dst": "destination",
    "-i": "in", "--in-interface": "in", "-o": "out", "--out-interface": "out", "-j": "jump", "--jump": "jump",
    "-g": "goto", "--goto": "goto", "-m": "match", "--match": "match", "-t": "table", "--table": "table",
    "-W": "wait-interval", "--wait-interval": "wait-interval", "--modprobe": "modprobe",
}  # fmt: skip
_FLAGS = {"-f", "--fragment", "-n", "--numeric", "-v", "--verbose", "-x", "--exact", "--line-numbers", "-4",
          "--ipv4", "-6", "--ipv6", "-h", "--help", "-V", "--version"}
# long options of matches / targets that take no value
_LONG_FLAGS = {
    "--checksum-fill", "--physdev-is-bridged", "--physdev-is-in", "--physdev-is-out", "--random",
    "--random-fully", "--persistent", "--clamp-mss-to-pmtu", "--syn", "--log-uid", "--log-tcp-sequence",
    "--log-tcp-options", "--log-ip-options", "--log-macdecode", "--rsource", "--rdest", "--set", "--update",
    "--rcheck", "--remove", "--notrack", "--reap", "--restore", "--save", "--nodst", "--ctstate-invert",
    "--kerneltz", "--rttl", "--queue-bypass", "--fail-open", "--transparent", "--hashlimit-rate-match",
    "--restore-mark", "--save-mark", "--ecn-tcp-remove", "--tproxy-mark-only", "--strict", "--next",
}  # fmt: skip
_LONG_TWO = {"--tcp-flags", "--match-set", "--set-counters", "-c"}

NAT_TARGETS = {"MASQUERADE": ("POSTROUTING",), "SNAT": ("POSTROUTING", "INPUT"),
               "DNAT": ("PREROUTING", "OUTPUT"), "REDIRECT": ("PREROUTING", "OUTPUT")}
PORT_PROTOCOLS = {"tcp", "udp", "sctp", "dccp", "udplite", "6", "17", "132", "33", "136"}
PORTLESS_PROTOCOLS = {"icmp", "icmpv6", "ipv6-icmp", "all", "esp", "ah", "gre", "0", "1", "58", "igmp", "ospf"}


@dataclass
class Opt:
    """A rule-spec option as written: its word, its value(s), negated or not."""

    name: str
    arg: Arg
    values: list[Arg] = field(default_factory=list)
    negated: bool = False

    @property
    def value(self) -> Arg | None:
        return self.values[0] if self.values else None

    @property
    def text(self) -> str | None:
        return self.values[0].value.text if self.values else None


@dataclass
class IptCommand:
    argv: list[Arg]
    binary: str  # iptables / ip6tables (variants folded)
    family: str  # "ipv4" / "ipv6"
    table: str = "filter"
    table_arg: Arg | None = None
    table_known: bool = True
    command: str | None = None
    command_arg: Arg | None = None
    chain: Arg | None = None
    positional: list[Arg] = field(default_factory=list)  # after the chain: rule number, policy...
    opts: list[Opt] = field(default_factory=list)  # rule spec, in order (matches and targets included)
    unknown: list[Arg] = field(default_factory=list)  # arguments with unknown text
    wait: bool = False

    @property
    def chain_text(self) -> str | None:
        return self.chain.value.text if self.chain is not None else None

    def find(self, key: str) -> list[Opt]:
        return [o for o in self.opts if o.name == key]

    def first(self, key: str) -> Opt | None:
        for o in self.opts:
            if o.name == key:
                return o
        return None

    @property
    def target(self) -> Opt | None:
        return self.first("jump") or self.first("goto")

    @property
    def target_text(self) -> str | None:
        t = self.target
        return t.text if t is not None else None

    @property
    def adds_rule(self) -> bool:
        return self.command in ("append", "insert")

    def spec_key(self) -> tuple | None:
        """The rule specification as comparable texts (None when a part is unknown): two commands
        with the same key name the same rule (for `-A` / `-D` twins)."""
        out = []
        for o in self.opts:
            texts = [v.value.text if v.value.text is not None else v.value.render() for v in o.values]
            out.append((o.name, o.negated, tuple(texts)))
        return tuple(sorted(out))

    def table_key(self) -> tuple:
        """The table as comparable data: the name when known; else the unknown words that may set it."""
        if self.table_known:
            return ("known", self.table)
        return ("unknown", tuple(sorted(u.value.render() for u in self.unknown)))

    @property
    def complete(self) -> bool:
        return not self.unknown


def _canon(name: str) -> tuple[str, str]:
    base = name.rsplit("/", 1)[-1]
    if base.startswith("ip6tables"):
        return "ip6tables", "ipv6"
    return "iptables", "ipv4"


def parse_iptables(argv: list[Arg]) -> IptCommand:
    binary, family = _canon(argv[0].value.text or "iptables")
    out = IptCommand(argv=list(argv), binary=binary, family=family)
    args = argv[1:]
    n = len(args)
    i = 0
    negate = False
    while i < n:
        a = args[i]
        t = a.value.text
        if t is None:
            out.unknown.append(a)
            i += 1
            continue
        if t == "!":
            negate = True
            i += 1
            continue
        # `--opt=value`
        if t.startswith("--") and "=" in t:
            name, _, val = t.partition("=")
            key = _SPEC_WITH_ARG.get(name, name)
            from cfglint.shell import Value

            if key == "table":
                out.table = val
                out.table_arg = a
            else:
                out.opts.append(Opt(key, a, [Arg(Value.of(val), a.word, a.exact)], negate))
            negate = False
            i += 1
            continue
        if t in COMMANDS:
            out.command = COMMANDS[t]
            out.command_arg = a
            i += 1
            nt = args[i].value.text if i < n else "-"
            if i < n and (nt is None or not nt.startswith("-") or nt == "-") and nt != "!":
                out.chain = args[i]
                i += 1
                # positional operands (rule number, policy target, new chain name)
                while i < n:
                    pt = args[i].value.text
                    if pt is None or pt.startswith("-") or pt == "!":
                        break
                    out.positional.append(args[i])
                    i += 1
            continue
        # short clusters like `-nvL` are only for listing: read the command letter
        if len(t) > 2 and t[0] == "-" and t[1] != "-" and all(c.isalpha() for c in t[1:]):
            for c in t[1:]:
                if "-" + c in COMMANDS:
                    out.command = COMMANDS["-" + c]
                    out.command_arg = a
            i += 1
            continue
        if t in ("-w", "--wait"):
            out.wait = True
            i += 1
            if i < n and (args[i].value.text or "").isdigit():
                i += 1
            continue
        if t in _SPEC_WITH_ARG:
            key = _SPEC_WITH_ARG[t]
            val = args[i + 1] if i + 1 < n else None
            # old style negation: `-i ! eth0`
            if val is not None and val.value.text == "!" and i + 2 < n:
                negate = True
                val = args[i + 2]
                i += 1
            if key == "table":
                out.table_arg = val
                if val is not None and val.value.text is not None:
                    out.table = val.value.text
                else:
                    out.table_known = False
            else:
                out.opts.append(Opt(key, a, [val] if val is not None else [], negate))
            negate = False
            i += 2
            continue
        if t in _FLAGS:
            i += 1
            continue
        if t.startswith("--") or (t.startswith("-") and len(t) == 2):
            if t in _LONG_TWO:
                vals = [v for v in args[i + 1 : i + 3]]
                out.opts.append(Opt(t, a, vals, negate))
                negate = False
                i += 3
                continue
            if t in _LONG_FLAGS:
                out.opts.append(Opt(t, a, [], negate))
                negate = False
                i += 1
                continue
            val = args[i + 1] if i + 1 < n else None
            vt = val.value.text if val is not None else None
            if val is not None and (vt is None or not (vt.startswith("-") and len(vt) > 1) or vt == "!"):
                if vt == "!" and i + 2 < n:  # `--ctstate ! NEW` (old negation)
                    out.opts.append(Opt(t, a, [args[i + 2]], True))
                    i += 3
                else:
                    out.opts.append(Opt(t, a, [val], negate))
                    i += 2
            else:
                out.opts.append(Opt(t, a, [], negate))
                i += 1
            negate = False
            continue
        # a stray bare word
        out.positional.append(a)
        i += 1
    if out.table_arg is None:
        for u in out.unknown:
            pre = u.value.prefix
            if pre == "" or "-t".startswith(pre) or "--table".startswith(pre) or pre.startswith(("-t", "--t")):
                out.table_known = False
    return out
