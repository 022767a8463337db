"""Small argv readers: brctl, sysctl (and `/proc/sys` writes), nft, ovs-vsctl."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from cfglint.shell import Arg

# ---------------------------------------------------------------------------------------------------
# brctl

# brctl subcommand -> (operands, the iproute2 / bridge equivalent as a template)
BRCTL_EQUIVALENTS: dict[str, tuple[int, str]] = {
    "addbr": (1, "ip link add name {0} type bridge"),
    "delbr": (1, "ip link del {0}"),
    "addif": (2, "ip link set {1} master {0}"),
    "delif": (2, "ip link set {1} nomaster"),
    "stp": (2, "ip link set {0} type bridge stp_state {stp}"),
    "setfd": (2, "ip link set {0} type bridge forward_delay {cs1} (centiseconds)"),
    "sethello": (2, "ip link set {0} type bridge hello_time {cs1} (centiseconds)"),
    "setmaxage": (2, "ip link set {0} type bridge max_age {cs1} (centiseconds)"),
    "setageing": (2, "ip link set {0} type bridge ageing_time {cs1} (centiseconds)"),
    "setageingtime": (2, "ip link set {0} type bridge ageing_time {cs1} (centiseconds)"),
    "setbridgeprio": (2, "ip link set {0} type bridge priority {1}"),
    "setpathcost": (3, "bridge link set dev {1} cost {2}"),
    "setportprio": (3, "bridge link set dev {1} priority {2}"),
    "hairpin": (3, "bridge link set dev {1} hairpin {2}"),
    "show": (0, "bridge link show (ports) / ip -d link show type bridge (bridges)"),
    "showmacs": (1, "bridge fdb show br {0}"),
    "showstp": (1, "ip -d link show {0}"),
}


@dataclass
class BrctlCommand:
    sub: str | None
    sub_arg: Arg | None
    operands: list[Arg]

    @property
    def bridge(self) -> Arg | None:
        return self.operands[0] if self.operands else None

    @property
    def port(self) -> Arg | None:
        return self.operands[1] if len(self.operands) > 1 else None

    def equivalent(self) -> str | None:
        """The iproute2 command that replaces this one (operands as written), or None."""
        if self.sub is None or self.sub not in BRCTL_EQUIVALENTS:
            return None
        _, template = BRCTL_EQUIVALENTS[self.sub]
        ops = [(a.word.text if a.word is not None and a.value.text is None else a.value.text) or "<?>"
               for a in self.operands]
        while len(ops) < 3:
            ops.append("<?>")
        extra = {"stp": "1" if ops[1] in ("on", "yes", "1") else "0" if ops[1] in ("off", "no", "0") else ops[1]}
        try:
            extra["cs1"] = str(int(float(ops[1]) * 100))
        except ValueError:
            extra["cs1"] = f"{ops[1]}*100"
        return template.format(*ops, **extra)


def parse_brctl(argv: list[Arg]) -> BrctlCommand:
    if len(argv) < 2:
        return BrctlCommand(None, None, [])
    sub = argv[1].value.text
    return BrctlCommand(sub, argv[1], list(argv[2:]))


# ---------------------------------------------------------------------------------------------------
# sysctl


@dataclass
class SysctlWrite:
    key: str | None  # dotted (`net.ipv4.ip_forward`); None when unknown
    value: str | None
    arg: Arg | None


@dataclass
class SysctlCommand:
    writes: list[SysctlWrite] = field(default_factory=list)
    loads_files: bool = False  # -p / --system / --load: settings we cannot see
    unknown: bool = False


def norm_key(key: str) -> str:
    key = key.strip()
    if "/" in key and "." not in key.split("/")[0]:
        return key.strip("/").replace("/", ".")
    if "/" in key:
        # `net/ipv4/conf/eth0.100/forwarding`: slashes separate, dots belong to names
        return key.strip("/").replace(".", "\x00").replace("/", ".").replace("\x00", "/")
    return key


def parse_sysctl(argv: list[Arg]) -> SysctlCommand:
    out = SysctlCommand()
    read_only = False
    for a in argv[1:]:
        t = a.value.text
        if t is None:
            pre = a.value.prefix
            if "=" in pre:
                k, _, v = pre.partition("=")
                out.writes.append(SysctlWrite(norm_key(k), None, a))
            else:
                out.unknown = True
            continue
        if t.startswith("-"):
            if t in ("-p", "--load", "--system") or t.startswith(("-p", "--load=")):
                out.loads_files = True
            if t in ("-n", "--values", "-N", "--names", "-a", "--all", "-A", "-X"):
                read_only = True
            continue
        if "=" in t:
            k, _, v = t.partition("=")
            out.writes.append(SysctlWrite(norm_key(k), v.strip(), a))
    if read_only and not out.writes:
        return out
    return out


_PROC_SYS_RE = re.compile(r"^/proc/sys/(.+)$")


def proc_sys_key(path: str) -> str | None:
    m = _PROC_SYS_RE.match(path)
    if not m:
        return None
    return m.group(1).strip("/").replace(".", "\x00").replace("/", ".").replace("\x00", "/")


# forwarding keys by address family
FORWARDING_KEYS = {
    "ipv4": ("net.ipv4.ip_forward", "net.ipv4.conf.all.forwarding"),
    "ipv6": ("net.ipv6.conf.all.forwarding",),
}


# ---------------------------------------------------------------------------------------------------
# nft


@dataclass
class NftStatement:
    verb: str  # add, create, insert, delete, flush, list, replace, ...
    obj: str | None  # table, chain, rule, ruleset, set, map, element...
    family: str | None
    table: str | None
    chain: str | None
    words: list[str]  # the rest (rule expression)

    @property
    def adds_rule(self) -> bool:
        return self.verb in ("add", "insert") and self.obj == "rule"


_NFT_FAMILIES = {"ip", "ip6", "inet", "arp", "bridge", "netdev"}
_NFT_OPTS_WITH_ARG = {"-f", "--file", "-I", "--includepath", "-D", "--define", "-o"}


@dataclass
class NftCommand:
    statements: list[NftStatement] = field(default_factory=list)
    from_file: bool = False
    unknown: bool = False


def _split_nft(text: str) -> list[str]:
    out, cur, depth = [], [], 0
    for ch in text:
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth = max(0, depth - 1)
        if ch in ";\n" and depth == 0:
            out.append("".join(cur))
            cur = []
            continue
        cur.append(ch)
    out.append("".join(cur))
    return [s.strip() for s in out if s.strip()]


def parse_nft_text(text: str) -> list[NftStatement]:
    out = []
    for stmt in _split_nft(text):
        words = stmt.replace("{", " { ").replace("}", " } ").split()
        if not words or words[0].startswith("#"):
            continue
        verb = words[0]
        obj = words[1] if len(words) > 1 else None
        rest = words[2:]
        family = None
        if rest and rest[0] in _NFT_FAMILIES:
            family = rest[0]
            rest = rest[1:]
        table = rest[0] if rest else None
        chain = rest[1] if obj in ("rule", "chain") and len(rest) > 1 else None
        expr = rest[2:] if obj in ("rule", "chain") else rest[1:]
        out.append(NftStatement(verb, obj, family, table, chain, expr))
    return out


def parse_nft(argv: list[Arg]) -> NftCommand:
    out = NftCommand()
    i = 1
    n = len(argv)
    while i < n:
        t = argv[i].value.text
        if t is None:
            out.unknown = True
            return out
        if t == "--":
            i += 1
            break
        if t in ("-f", "--file"):
            out.from_file = True
            return out
        if t.startswith("-") and len(t) > 1:
            i += 2 if t in _NFT_OPTS_WITH_ARG else 1
            continue
        break
    texts = [a.value.text for a in argv[i:]]
    if any(t is None for t in texts):
        out.unknown = True
        return out
    out.statements = parse_nft_text(" ".join(t for t in texts if t is not None))
    return out


# ---------------------------------------------------------------------------------------------------
# ovs-vsctl


@dataclass
class OvsStatement:
    verb: str
    args: list[Arg]


def parse_ovs_vsctl(argv: list[Arg]) -> list[OvsStatement] | None:
    """`ovs-vsctl [opts] CMD ARGS [-- CMD ARGS]...`; None when a word is unknown where it matters."""
    out: list[OvsStatement] = []
    cur: list[Arg] = []
    for a in argv[1:] + [None]:  # type: ignore[list-item]
        t = a.value.text if a is not None else "--"
        if t == "--":
            words = [x for x in cur if not (x.value.text or "").startswith("--")]
            if words:
                verb = words[0].value.text
                if verb is None:
                    return None
                out.append(OvsStatement(verb, words[1:]))
            cur = []
            continue
        cur.append(a)
    return out
