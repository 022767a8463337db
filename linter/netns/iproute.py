"""iproute2 `ip` argv, read the way `ip` reads it.

Checked against iproute2 (`ip/ip.c`, `ip/iplink.c`, `ip/ipaddress.c`, `ip/iproute.c`,
`ip/ipnetns.c`, `ip/link_veth.c`). Object and command words are prefix-matched in table order,
first hit wins (`matches()`): `ip a a` is `ip address add`, `ip l s` is `ip link set`, `ip n` is
`ip neighbor` (not netns), `ip netns s` is `ip netns show`. Some keywords are exact (`up`, `down`,
`name`, `netns`, `mtu`, `dev`, `peer`), others prefix-matched (`master`, `type`, `address`...), and
keyword/value pairs may come in any order, before or after the bare word (the device of `ip link`,
the address of `ip addr add`).

Every parsed element keeps its `Arg` (value and source word). An argument whose text is unknown
is never taken for a keyword: it fills the bare-word slot when that is free; otherwise the parse
is marked `uncertain`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cfglint.shell import Arg

# ip.c object table, in order
OBJECTS = (
    "address", "addrlabel", "maddress", "route", "rule", "neighbor", "neighbour", "ntable", "ntbl",
    "link", "l2tp", "fou", "ila", "macsec", "tunnel", "tunl", "tuntap", "tap", "token", "tcpmetrics",
    "tcp_metrics", "monitor", "xfrm", "mroute", "mrule", "netns", "netconf", "vrf", "sr", "nexthop",
    "mptcp", "ioam", "help", "stats",
)  # fmt: skip
_CANON_OBJECT = {"neighbour": "neighbor", "ntbl": "ntable", "tunl": "tunnel", "tap": "tuntap",
                 "tcp_metrics": "tcpmetrics"}

# subcommand tables: (word, canonical, exact?) in the order the C code tests them
_LINK_CMDS = (("add", "add"), ("set", "set"), ("change", "set"), ("replace", "replace"),
              ("delete", "delete"), ("show", "show"), ("lst", "show"), ("list", "show"),
              ("xstats", "xstats"), ("afstats", "afstats"), ("property", "property"), ("help", "help"))
_ADDR_CMDS = (("add", "add"), ("change", "change"), ("replace", "replace"), ("delete", "delete"),
              ("list", "show"), ("show", "show"), ("lst", "show"), ("flush", "flush"), ("save", "save"),
              ("showdump", "showdump"), ("restore", "restore"), ("help", "help"))
_ROUTE_CMDS = (("add", "add"), ("change", "change"), ("replace", "replace"), ("prepend", "prepend"),
               ("append", "append"), ("test", "test"), ("delete", "delete"), ("list", "show"),
               ("show", "show"), ("lst", "show"), ("get", "get"), ("flush", "flush"), ("restore", "restore"),
               ("showdump", "showdump"), ("save", "save"), ("help", "help"))
_NETNS_CMDS = (("list", "list"), ("show", "list"), ("lst", "list"), ("list-id", "list-id"), ("help", "help"),
               ("add", "add"), ("set", "set"), ("delete", "delete"), ("identify", "identify"),
               ("pids", "pids"), ("exec", "exec"), ("monitor", "monitor"), ("attach", "attach"))
_NEIGH_CMDS = (("add", "add"), ("change", "change"), ("replace", "replace"), ("delete", "delete"),
               ("list", "show"), ("show", "show"), ("lst", "show"), ("flush", "flush"), ("get", "get"),
               ("help", "help"))
_TUNTAP_CMDS = (("add", "add"), ("delete", "delete"), ("del", "delete"), ("show", "show"), ("list", "show"),
                ("lst", "show"), ("help", "help"))
_SUBCOMMANDS = {"link": _LINK_CMDS, "address": _ADDR_CMDS, "route": _ROUTE_CMDS, "netns": _NETNS_CMDS,
                "neighbor": _NEIGH_CMDS, "tuntap": _TUNTAP_CMDS}
_DEFAULT_CMD = {"link": "show", "address": "show", "route": "show", "netns": "list", "neighbor": "show",
                "tuntap": "show", "rule": "show"}

# global options taking an argument (prefix-matched after one or two dashes)
_OPTS_WITH_ARG = ("-family", "-loops", "-rcvbuf", "-netns", "-batch")
_SHORT_WITH_ARG = {"-f": "-family", "-l": "-loops", "-rc": "-rcvbuf", "-n": "-netns", "-b": "-batch"}
_FAMILY_FLAGS = {"-4": "inet", "-6": "inet6", "-0": "link", "-M": "mpls", "-B": "bridge"}


def matches(word: str, keyword: str) -> bool:
    """iproute2 `matches(word, keyword) == 0`: `word` is a non-empty prefix of `keyword`."""
    return bool(word) and keyword.startswith(word)


def _lookup(word: str, table) -> str | None:
    for w, canon in table:
        if w in ("chg",):
            continue
        if matches(word, w):
            return canon
    return None


@dataclass
class LinkSpec:
    """`ip link add/set/delete/show` arguments (also a veth peer's)."""

    dev: Arg | None = None  # the device (bare word or `dev X`); for `add`, the new name when no `name`
    name: Arg | None = None  # `name X`: the new name (add) / rename (set)
    up: bool | None = None  # `up` / `down`
    netns: Arg | None = None
    master: Arg | None = None
    nomaster: bool = False
    link: Arg | None = None  # `link PARENT`
    type: Arg | None = None
    type_args: list[Arg] = field(default_factory=list)
    peer: LinkSpec | None = None  # veth `peer ...`
    group: bool = False  # `group G`: many devices
    mtu: Arg | None = None
    uncertain: bool = False
    extra: list[Arg] = field(default_factory=list)  # further bare words (an error for ip)

    @property
    def new_name(self) -> Arg | None:
        """The name of the device `ip link add` creates."""
        return self.name or self.dev

    @property
    def type_text(self) -> str | None:
        return self.type.value.text if self.type is not None else None


# ip link keyword -> (how it matches, takes a value); checked in iplink_parse's order
_LINK_KEYWORDS: tuple[tuple[str, str, bool], ...] = (
    ("up", "exact", False), ("down", "exact", False), ("name", "exact", True), ("index", "exact", True),
    ("link", "prefix", True), ("address", "prefix", True), ("broadcast", "prefix", True), ("brd", "exact", True),
    ("txqueuelen", "prefix", True), ("qlen", "exact", True), ("txqlen", "prefix", True), ("mtu", "exact", True),
    ("xdpgeneric", "exact", True), ("xdpdrv", "exact", True), ("xdpoffload", "exact", True), ("xdp", "exact", True),
    ("netns", "exact", True), ("multicast", "exact", True), ("allmulticast", "exact", True),
    ("promisc", "exact", True), ("trailers", "exact", True), ("arp", "exact", True), ("carrier", "exact", True),
    ("master", "prefix", True), ("vrf", "exact", True), ("nomaster", "prefix", False), ("dynamic", "prefix", True),
    ("type", "prefix", True), ("alias", "prefix", True), ("group", "exact", True), ("mode", "exact", True),
    ("state", "exact", True), ("numtxqueues", "prefix", True), ("numrxqueues", "prefix", True),
    ("addrgenmode", "prefix", True), ("link-netns", "prefix", True), ("link-netnsid", "exact", True),
    ("protodown", "exact", True), ("gso_max_size", "exact", True), ("gso_max_segs", "exact", True),
    ("gro_max_size", "exact", True), ("gso_ipv4_max_size", "exact", True), ("gro_ipv4_max_size", "exact", True),
    ("tso_max_size", "exact", True), ("tso_max_segs", "exact", True), ("parentdev", "exact", True),
    ("netns-immutable", "exact", True),
)  # fmt: skip


def _link_keyword(word: str) -> tuple[str, bool] | None:
    return _kw(word, _LINK_KEYWORDS)


def parse_link(args: list[Arg]) -> LinkSpec:
    """iplink_parse: keyword/value pairs and one bare word (the device)."""
    spec = LinkSpec()
    i = 0
    n = len(args)
    while i < n:
        a = args[i]
        t = a.value.text
        if t is None:
            if spec.dev is None:
                spec.dev = a
            else:
                spec.uncertain = True
                spec.extra.append(a)
            i += 1
            continue
        kw = _link_keyword(t)
        if kw is None:
            if t == "dev":
                if i + 1 < n:
                    if spec.dev is None:
                        spec.dev = args[i + 1]
                    else:
                        spec.extra.append(args[i + 1])
                i += 2
                continue
            if matches(t, "help"):
                spec.uncertain = True
                i += 1
                continue
            if spec.dev is None:
                spec.dev = a
            else:
                spec.extra.append(a)
            i += 1
            continue
        word, takes = kw
        val = args[i + 1] if takes and i + 1 < n else None
        if word == "up":
            spec.up = True
        elif word == "down":
            spec.up = False
        elif word == "name":
            spec.name = val
        elif word == "netns":
            spec.netns = val
        elif word == "master":
            spec.master = val
        elif word == "nomaster":
            spec.nomaster = True
        elif word == "link":
            spec.link = val
        elif word == "mtu":
            spec.mtu = val
        elif word == "group":
            spec.group = True
        elif word == "type":
            spec.type = val
            rest = args[i + 2 :]
            spec.type_args = list(rest)
            if val is not None and val.value.text == "veth" and rest:
                first = rest[0].value.text
                if first == "peer":
                    spec.peer = parse_link(list(rest[1:]))
                elif first is None:
                    spec.uncertain = True
            elif val is None or val.value.text is None:
                spec.uncertain = True
            return spec
        if takes and val is None:
            spec.uncertain = True
        i += 2 if takes else 1
    return spec


@dataclass
class AddrSpec:
    """`ip address add/change/replace/delete` arguments."""

    local: Arg | None = None  # the address (bare word or `local X`)
    dev: Arg | None = None
    peer: Arg | None = None
    label: Arg | None = None
    broadcast: Arg | None = None
    extra: list[Arg] = field(default_factory=list)
    uncertain: bool = False


_ADDR_KEYWORDS: tuple[tuple[str, str, bool], ...] = (
    ("peer", "exact", True), ("remote", "exact", True), ("broadcast", "prefix", True), ("brd", "exact", True),
    ("anycast", "exact", True), ("scope", "exact", True), ("dev", "exact", True), ("label", "exact", True),
    ("metric", "prefix", True), ("priority", "prefix", True), ("preference", "prefix", True),
    ("valid_lft", "prefix", True), ("preferred_lft", "prefix", True), ("mngtmpaddr", "exact", False),
    ("nodad", "exact", False), ("optimistic", "exact", False), ("noprefixroute", "exact", False),
    ("autojoin", "exact", False), ("proto", "exact", True), ("home", "exact", False),
)  # fmt: skip


def _kw(word: str, table) -> tuple[str, bool] | None:
    for kw, how, arg in table:
        if (word == kw) if how == "exact" else matches(word, kw):
            return kw, arg
    return None


def parse_addr(args: list[Arg]) -> AddrSpec:
    spec = AddrSpec()
    i = 0
    n = len(args)
    while i < n:
        a = args[i]
        t = a.value.text
        if t is None:
            if spec.local is None:
                spec.local = a
            else:
                spec.extra.append(a)
                spec.uncertain = True
            i += 1
            continue
        kw = _kw(t, _ADDR_KEYWORDS)
        if kw is None:
            if t == "local":
                i += 1
                if i >= n:
                    break
                a = args[i]
            elif matches(t, "help"):
                spec.uncertain = True
                i += 1
                continue
            if spec.local is None:
                spec.local = a
            else:
                spec.extra.append(a)
            i += 1
            continue
        word, takes = kw
        val = args[i + 1] if takes and i + 1 < n else None
        if word == "dev":
            spec.dev = val
        elif word in ("peer", "remote"):
            spec.peer = val
        elif word == "label":
            spec.label = val
        elif word in ("broadcast", "brd"):
            spec.broadcast = val
        if takes and val is None:
            spec.uncertain = True
        i += 2 if takes else 1
    return spec


@dataclass
class RouteSpec:
    dst: Arg | None = None  # prefix or `default`
    rtype: str | None = None  # unicast (default), blackhole, unreachable...
    via: Arg | None = None
    dev: Arg | None = None
    src: Arg | None = None
    table: Arg | None = None
    onlink: bool = False
    multipath: bool = False  # `nexthop ...` / `nhid`
    uncertain: bool = False


_ROUTE_TYPES = ("unicast", "local", "broadcast", "multicast", "throw", "unreachable", "prohibit", "blackhole",
                "nat", "anycast")
# keywords with a value (exact unless noted in _ROUTE_PREFIX)
_ROUTE_WITH_ARG = {
    "src", "as", "via", "from", "tos", "dsfield", "expires", "metric", "priority", "preference", "scope", "table",
    "vrf", "dev", "oif", "iif", "mtu", "protocol", "realms", "realm", "weight", "advmss", "hoplimit", "reordering",
    "rtt", "window", "cwnd", "initcwnd", "initrwnd", "features", "quickack", "congctl", "rttvar", "ssthresh",
    "pref", "encap", "ttl-propagate", "nhid", "fastopen_no_cookie", "lock", "rto_min", "mpath", "ipproto",
    "sport", "dport", "tbl",
}  # fmt: skip
_ROUTE_PREFIX = ("metric", "priority", "preference", "protocol", "realms", "expires", "advmss", "hoplimit",
                 "reordering", "window", "cwnd", "initcwnd", "initrwnd", "quickack", "congctl", "features",
                 "rttvar", "ssthresh")
_ROUTE_FLAGS = {"onlink", "pervasive", "notify", "equalize", "lookup"}


def parse_route(args: list[Arg]) -> RouteSpec:
    spec = RouteSpec()
    i = 0
    n = len(args)
    while i < n:
        a = args[i]
        t = a.value.text
        if t is None:
            if spec.dst is None:
                spec.dst = a
            else:
                spec.uncertain = True
            i += 1
            continue
        kw = t if t in _ROUTE_WITH_ARG or t in _ROUTE_FLAGS else None
        if kw is None:
            for p in _ROUTE_PREFIX:
                if matches(t, p) and len(t) >= 3:
                    kw = p
                    break
        if kw == "lock" and i + 1 < n:
            i += 1  # `mtu lock N`-style: the next keyword follows
            continue
        if kw == "nexthop" or t == "nexthop" or t == "nhid":
            spec.multipath = True
            i += 2
            continue
        if kw in _ROUTE_FLAGS:
            if kw == "onlink":
                spec.onlink = True
            i += 1
            continue
        if kw is not None:
            val = args[i + 1] if i + 1 < n else None
            if val is None:
                spec.uncertain = True
            if kw == "via":
                # `via [inet|inet6] ADDR`
                if val is not None and val.value.text in ("inet", "inet6") and i + 2 < n:
                    val = args[i + 2]
                    i += 1
                spec.via = val
            elif kw in ("dev", "oif"):
                spec.dev = val
            elif kw == "src":
                spec.src = val
            elif kw in ("table", "tbl"):
                spec.table = val
            i += 2
            continue
        if t == "to":
            i += 1
            continue
        if t in _ROUTE_TYPES and spec.dst is None and spec.rtype is None:
            spec.rtype = t
            i += 1
            continue
        if spec.dst is None:
            spec.dst = a
        else:
            spec.uncertain = True
        i += 1
    return spec


@dataclass
class IpCommand:
    """One `ip` invocation, read."""

    args: list[Arg]  # everything after `ip`
    obj: str | None = None  # canonical object; None: unknown (a variable) or none given
    cmd: str | None = None  # canonical subcommand
    obj_word: Arg | None = None
    cmd_word: Arg | None = None
    family: str | None = None
    netns: Arg | None = None  # `-n NS` / `-netns NS`
    all_netns: bool = False
    batch: bool = False
    force: bool = False
    rest: list[Arg] = field(default_factory=list)  # arguments after the subcommand
    uncertain: bool = False
    link: LinkSpec | None = None
    addr: AddrSpec | None = None
    route: RouteSpec | None = None

    @property
    def is_mutation(self) -> bool:
        return self.cmd in ("add", "set", "replace", "delete", "change", "flush", "prepend", "append", "restore",
                            "attach")


def _global_opt(t: str) -> str | None:
    if t.startswith("--"):
        t = t[1:]
    if t in _SHORT_WITH_ARG:
        return _SHORT_WITH_ARG[t]
    if len(t) >= 3:
        for o in _OPTS_WITH_ARG:
            if o.startswith(t):
                return o
    return None


def parse_ip(argv: list[Arg]) -> IpCommand:
    """`argv[0]` is `ip` (or a path to it)."""
    args = list(argv[1:])
    out = IpCommand(args=args)
    i = 0
    n = len(args)
    while i < n:
        a = args[i]
        t = a.value.text
        if t is None:
            if a.value.prefix.startswith("-"):
                out.uncertain = True  # `ip $FAMILY_FLAG route ...`
                i += 1
                continue
            break
        if not t.startswith("-") or t == "-":
            break
        if t == "--":
            i += 1
            break
        long = _global_opt(t)
        if long is not None:
            if long == "-netns" and i + 1 < n:
                out.netns = args[i + 1]
            elif long == "-batch":
                out.batch = True
            elif long == "-family" and i + 1 < n:
                out.family = args[i + 1].value.text
            i += 2
            continue
        if t in _FAMILY_FLAGS:
            out.family = _FAMILY_FLAGS[t]
        else:
            bare = t.lstrip("-")
            if bare and "all".startswith(bare) and bare[0] == "a":
                out.all_netns = True
            elif bare and "force".startswith(bare) and len(bare) >= 2:
                out.force = True
        i += 1
    if i >= n:
        return out
    ow = args[i]
    out.obj_word = ow
    ot = ow.value.text
    if ot is None:
        out.uncertain = True
        return out
    for o in OBJECTS:
        if matches(ot, o):
            out.obj = _CANON_OBJECT.get(o, o)
            break
    if out.obj is None:
        out.uncertain = True
        return out
    i += 1
    table = _SUBCOMMANDS.get(out.obj)
    if i < n:
        cw = args[i]
        ct = cw.value.text
        if ct is None:
            out.uncertain = True
            out.rest = args[i:]
            return out
        if table is not None:
            if out.obj in ("address", "route") and ct == "chg":
                out.cmd = "change"
            else:
                out.cmd = _lookup(ct, table)
            out.cmd_word = cw
            if out.cmd is None:
                # `ip link eth0` style is not valid; `ip addr dev X` neither: unknown
                out.uncertain = True
                out.rest = args[i:]
                return out
            out.rest = args[i + 1 :]
        else:
            out.cmd = ct
            out.cmd_word = cw
            out.rest = args[i + 1 :]
    else:
        out.cmd = _DEFAULT_CMD.get(out.obj)
    if out.obj == "link" and out.cmd in ("add", "set", "replace", "delete", "show"):
        out.link = parse_link(out.rest)
        out.uncertain = out.uncertain or out.link.uncertain
    elif out.obj == "address" and out.cmd in ("add", "change", "replace", "delete"):
        out.addr = parse_addr(out.rest)
        out.uncertain = out.uncertain or out.addr.uncertain
    elif out.obj == "address" and out.cmd in ("flush", "show"):
        out.addr = _parse_addr_select(out.rest)
    elif out.obj == "route" and out.cmd in ("add", "change", "replace", "prepend", "append", "delete", "test"):
        out.route = parse_route(out.rest)
        out.uncertain = out.uncertain or out.route.uncertain
    return out


def _parse_addr_select(args: list[Arg]) -> AddrSpec:
    """`ip addr flush|show [dev] X ...`: only the device matters here."""
    spec = AddrSpec()
    i = 0
    while i < len(args):
        t = args[i].value.text
        if t == "dev" and i + 1 < len(args):
            spec.dev = args[i + 1]
            i += 2
            continue
        if t in ("scope", "to", "label", "type", "master", "vrf", "proto"):
            i += 2
            continue
        if t is not None and t.startswith(("up", "permanent", "dynamic", "secondary", "primary", "tentative",
                                           "deprecated", "dadfailed", "temporary")):
            i += 1
            continue
        if spec.dev is None and t is not None and not t[:1].isdigit() and ":" not in t:
            spec.dev = args[i]
        elif spec.dev is None and t is None:
            spec.dev = args[i]
        i += 1
    return spec


@dataclass
class TuntapSpec:
    dev: Arg | None = None
    mode: str | None = None


def parse_tuntap(args: list[Arg]) -> TuntapSpec:
    spec = TuntapSpec()
    i = 0
    while i < len(args):
        t = args[i].value.text
        if t == "dev" and i + 1 < len(args):
            spec.dev = args[i + 1]
            i += 2
        elif t == "mode" and i + 1 < len(args):
            spec.mode = args[i + 1].value.text
            i += 2
        elif t in ("user", "group", "name") and i + 1 < len(args):
            if t == "name":
                spec.dev = args[i + 1]
            i += 2
        elif t is not None and t in ("tun", "tap") and spec.mode is None:
            spec.mode = t
            i += 1
        elif t in ("one_queue", "pi", "vnet_hdr", "multi_queue", "numqueues"):
            i += 1
        else:
            if spec.dev is None:
                spec.dev = args[i]
            i += 1
    return spec
