"""The ASA commands that make a peer's crypto ACL the mirror of this side's (ASA001's fix).

`mirror_commands(peer, acl, desired, reference_host)` computes, for the peer device, the smallest edit
of its crypto ACL `acl` whose permit entries then protect exactly `desired` (flows in the peer's
orientation: its networks -> ours): entries whose flows all belong to `desired` stay, the others are
removed (`no access-list ...` as written), and the flows left are added as new entries, grouped into
one entry per (service, source set, destination set) product. Networks are written in the peer's own
syntax era, rendered by jinja2 templates:

* 7.x / 8.0-8.2 (and PIX, FWSM, or no version line with no 8.3+ syntax): literal operands (`host A`,
  `A M`) and `object-group network` with `network-object A M` members;
* 8.3 and later: `object network` objects (`NETWORK_OBJ_<address>_<length>`, as ASDM names them) and
  groups of `network-object object` members.

Existing objects and groups whose resolved networks are exactly the ones needed are reused by name; new
names never collide with an existing object or group. New entries are added before the old ones are
removed, so the ACL is never empty in between. Nothing here ever reads or writes a key.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from ipaddress import IPv4Address, IPv4Network
from typing import TYPE_CHECKING, Any

from cfglint.asa.expand import (
    ANY_V4,
    ANY_V6,
    Flow,
    _reachable_groups,
    expand_ace,
    resolve_address,
    resolve_network_object,
)
from cfglint.asa.tables import (
    ICMP_PROTOCOLS,
    PORT_PROTOCOLS,
    PROTOCOL_NAMES,
    dotted_quad_int,
    mask_prefix,
    network_of,
    parse_ip,
)

if TYPE_CHECKING:  # pragma: no cover
    from jinja2 import Environment

    from cfglint.models.asa import AsaConfig

__all__ = ["Remediation", "mirror_commands", "syntax_era"]

_MACROS = """\
{%- macro net(n) -%}
{%- if n.kind == 'any' -%}{{ n.keyword }}
{%- elif n.kind == 'host' -%}host {{ n.address }}
{%- elif n.kind == 'subnet' -%}{{ n.address }} {{ n.mask }}
{%- elif n.kind == 'prefix' -%}{{ n.address }}/{{ n.prefixlen }}
{%- elif n.kind == 'object' -%}object {{ n.name }}
{%- else -%}object-group {{ n.name }}
{%- endif -%}
{%- endmacro -%}
{%- macro ace(acl, a) -%}
access-list {{ acl }} extended permit {{ a.protocol }} {{ net(a.src) }}
{{- (' ' ~ a.src_port) if a.src_port else '' }} {{ net(a.dst) }}
{{- (' ' ~ a.dst_port) if a.dst_port else '' }}
{%- endmacro -%}
"""

# 7.x / 8.0-8.2: object-groups of literal network-objects.
_LEGACY = """\
{% import "macros" as m %}
{% for g in groups %}
object-group network {{ g.name }}
{% for n in g.members %}
 network-object {{ m.net(n) }}
{% endfor %}
{% endfor %}
{% for a in aces %}
{{ m.ace(acl, a) }}
{% endfor %}
{% for r in removals %}
no {{ r }}
{% endfor %}
"""

# 8.3 and later: network objects, and groups of them.
_MODERN = """\
{% import "macros" as m %}
{% for o in objects %}
object network {{ o.name }}
{% if o.kind == 'host' %}
 host {{ o.address }}
{% elif o.kind == 'subnet' %}
 subnet {{ o.address }} {{ o.mask }}
{% else %}
 subnet {{ o.address }}/{{ o.prefixlen }}
{% endif %}
{% endfor %}
{% for g in groups %}
object-group network {{ g.name }}
{% for n in g.members %}
 network-object {{ m.net(n) }}
{% endfor %}
{% endfor %}
{% for a in aces %}
{{ m.ace(acl, a) }}
{% endfor %}
{% for r in removals %}
no {{ r }}
{% endfor %}
"""


@cache
def _env() -> Environment:
    from jinja2 import DictLoader, Environment, StrictUndefined

    return Environment(
        loader=DictLoader({"macros": _MACROS, "legacy": _LEGACY, "modern": _MODERN}),
        autoescape=False,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )


@dataclass(frozen=True)
class Remediation:
    """The commands for one device (`lines`: sub-commands indented by one space)."""

    host: str
    era: str  # "legacy" (7.x-8.2) or "modern" (8.3+)
    acl: str
    lines: tuple[str, ...]

    def inline(self) -> str:
        """One line for a message: the commands joined with ` | ` (sub-commands unindented: the ASA
        CLI takes them the same way)."""
        return " | ".join(line.strip() for line in self.lines)

    def __bool__(self) -> bool:
        return bool(self.lines)


def syntax_era(model: AsaConfig) -> str:
    """ "modern" (8.3+ objects) or "legacy" (7.x-8.2 literals and object-groups)."""
    reuse = getattr(model, "index_reuse", None)
    if reuse is not None:  # an index view: computed on the whole model
        return reuse.era
    v = model.version
    if v is not None and v.numbers:
        return "modern" if v.numbers >= (8, 3) else "legacy"
    if model.network_objects or model.twice_nat or model.object_nat:
        return "modern"
    return "legacy"


_NAME_OK = re.compile(r"[^A-Za-z0-9_.\-]+")


def _safe(name: str) -> str:
    return _NAME_OK.sub("-", name).strip("-")[:60] or "PEER"


class _Names:
    """Object and object-group names of the peer (one namespace on the ASA) plus those we create."""

    def __init__(self, model: AsaConfig):
        reuse = getattr(model, "index_reuse", None)
        if reuse is not None:
            self.used = set(reuse.used_names)
        else:
            self.used = set(model.network_objects) | set(model.service_objects) | set(model.object_groups)

    def fresh(self, base: str) -> str:
        base = _safe(base)
        name, n = base, 1
        while name in self.used:
            n += 1
            name = f"{base}-{n}"
        self.used.add(name)
        return name


def _net(n: Any, era: str) -> dict[str, Any]:
    """A network as a literal operand."""
    if n == ANY_V4:
        return {"kind": "any", "keyword": "any4" if era == "modern" else "any"}
    if n == ANY_V6:
        return {"kind": "any", "keyword": "any6"}
    if n.prefixlen == n.max_prefixlen:
        return {"kind": "host", "address": str(n.network_address)}
    if isinstance(n, IPv4Network):
        return {"kind": "subnet", "address": str(n.network_address), "mask": str(n.netmask)}
    return {"kind": "prefix", "address": str(n.network_address), "prefixlen": n.prefixlen}


def _port_text(r: tuple[int, int]) -> str:
    lo, hi = r
    if r == (0, 65535):
        return ""
    return f"eq {lo}" if lo == hi else f"range {lo} {hi}"


def _net_order(n: Any) -> tuple:
    return (n.version, int(n.network_address), n.prefixlen)


def _aces_for(flows: Iterable[Flow]) -> list[tuple[tuple, tuple, tuple]]:
    """(service, sources, destinations) products covering the flows exactly: per service, sources
    with the same destination set share an entry."""
    by_service: dict[tuple, dict[Any, set]] = {}
    for f in flows:
        svc = (f.protocol, f.src_ports, f.dst_ports)
        by_service.setdefault(svc, {}).setdefault(f.src, set()).add(f.dst)
    out = []
    for svc in sorted(by_service):
        per_src = by_service[svc]
        by_dsts: dict[frozenset, list] = {}
        for src, dsts in per_src.items():
            by_dsts.setdefault(frozenset(dsts), []).append(src)
        for dsts, srcs in by_dsts.items():
            out.append((svc, tuple(sorted(srcs, key=_net_order)), tuple(sorted(dsts, key=_net_order))))
    out.sort(key=lambda t: (_net_order(t[1][0]), _net_order(t[2][0]), t[0]))
    return out


_KEY_BITS = 139  # version (4 or 6: 3 bits) | address (128 bits at most) | prefix length (8 bits)


def net_key(n: Any) -> int:
    """A network as one int (version, address, prefix length): equal exactly when the networks are.
    The reuse tables are kept per peer until the cross-file rules ran: an int is ~5x smaller than a
    network object, and an int is never touched by redaction (as the networks were not)."""
    return (n.version << 136) | (int(n.network_address) << 8) | n.prefixlen


def nets_key(nets: Iterable[Any]) -> int:
    """A set of networks as one int: equal exactly when the sets are (the sorted distinct `net_key`s
    side by side, each `_KEY_BITS` wide with a non-zero version at its top)."""
    return _pack({net_key(n) for n in nets})


def _addr_key(version: int, address: int, prefixlen: int) -> int:
    return (version << 136) | (address << 8) | prefixlen


_V4_MASKS = [((1 << 32) - 1) ^ ((1 << (32 - n)) - 1) for n in range(33)]


def _literal_key(address: str, mask: str | None) -> int | None:
    """`net_key(network_of(address, mask))` without building the network (None when that is None):
    the literal operands of every network group are keyed at map time."""
    value = dotted_quad_int(address)
    if value is not None:  # the common case: the int of the address, no address object
        if mask is None:
            return _addr_key(4, value, 32)
    elif mask is None:
        if "/" in address:
            n = network_of(address, None)
            return net_key(n) if n is not None else None
        a = parse_ip(address)
        return _addr_key(a.version, int(a), a.max_prefixlen) if a is not None else None
    else:
        a = parse_ip(address)
        if not isinstance(a, IPv4Address):
            return None
        value = int(a)
    plen = mask_prefix(mask)
    if plen is None:
        return None
    return _addr_key(4, value & _V4_MASKS[plen], plen)


def _range_keys(first: Any, last: Any) -> frozenset[int]:
    """The `net_key`s of `summarize_address_range(first, last)` (first <= last, same version),
    computed on ints: the largest aligned block at each step, as `ipaddress` does."""
    bits = first.max_prefixlen
    version = first.version
    a, b = int(first), int(last)
    keys = []
    while a <= b:
        nbits = min(bits if a == 0 else (a & -a).bit_length() - 1, (b - a + 1).bit_length() - 1)
        keys.append(_addr_key(version, a, bits - nbits))
        a += 1 << nbits
    return frozenset(keys)


def _pack(keys: Iterable[int]) -> int:
    acc = 0
    for k in sorted(keys):
        acc = (acc << _KEY_BITS) | k
    return acc


def reuse_data(model: AsaConfig) -> Any:
    """What `mirror_commands` reads of `model`'s objects and groups (`cfglint.models.asa.IndexReuse`):
    its syntax era, the object and object-group names in use, and the objects / network groups it may
    reuse: resolved network -> first object by name, set of networks -> first network group by name."""
    from cfglint.models.asa import IndexReuse, NetworkMember

    # What `resolve_network_object` / `resolve_network_group` give, reduced to (complete, network keys)
    # and computed once per object and group: this runs for every file at map time (the whole model
    # is gone by the time the cross-file rules run), where resolving each group through its nested
    # groups again cost a 5k-line config ~1/3 of its parse.
    objs: dict[str, tuple[bool, frozenset[int]]] = {}
    net_objects = model.network_objects

    def obj(name: str) -> tuple[bool, frozenset[int]]:
        got = objs.get(name)
        if got is None:
            o = net_objects.get(name)
            if o is not None and o.kind == "host" and o.host is not None:  # ip_network(host)
                h = o.host
                got = (True, frozenset((_addr_key(h.version, int(h), h.max_prefixlen),)))
            elif o is not None and o.kind == "subnet" and o.subnet is not None:
                got = (True, frozenset((net_key(o.subnet),)))
            elif (
                o is not None
                and o.kind == "range"
                and o.range_start is not None
                and o.range_end is not None
                and o.range_start.version == o.range_end.version
            ):  # summarize_address_range, on ints
                a, b = o.range_start, o.range_end
                got = (True, _range_keys(a, b) if int(a) <= int(b) else _range_keys(b, a))
            else:
                r = resolve_network_object(model, name)
                got = (r.complete, frozenset(map(net_key, r.networks)))
            objs[name] = got
        return got

    groups = model.object_groups
    own: dict[str, tuple[bool, frozenset[int]]] = {}

    def members(name: str) -> tuple[bool, frozenset[int]]:
        """The group's own network-object members (not its nested groups)."""
        got = own.get(name)
        if got is None:
            sub = groups[name]
            ok = sub.cycle is None and sub.group_type == "network"
            keys: set[int] = set()
            if ok:
                for m in sub.members:
                    if not isinstance(m, NetworkMember):
                        continue
                    a = m.address
                    lit = _literal_key(a.address, a.mask) if a.address is not None else None
                    if lit is not None:  # a.literal is not None: that network's key
                        keys.add(lit)
                        continue
                    if a.kind == "object":
                        c, ks = obj(a.name or "")
                    else:
                        r = resolve_address(model, a)
                        c, ks = r.complete, frozenset(map(net_key, r.networks))
                    ok = ok and c
                    keys.update(ks)
            got = own[name] = (ok, frozenset(keys))
        return got

    obj_by_net: dict[int, str] = {}
    group_by_set: dict[int, str] = {}
    for name in sorted(net_objects):
        complete, keys = obj(name)
        # One key is one network: host, subnet, and a range that summarizes to one network.
        if complete and len(keys) == 1:
            obj_by_net.setdefault(next(iter(keys)), name)
    for name in sorted(groups):
        g = groups[name]
        if g.group_type != "network" or g.cycle:
            continue
        order, missing = _reachable_groups(model, name)
        if missing:
            continue
        complete = True
        keys: set[int] = set()
        for gname in order:
            c, ks = members(gname)
            complete = complete and c
            keys |= ks
        if complete and keys:
            group_by_set.setdefault(_pack(keys), name)
    return IndexReuse(
        era=syntax_era(model),
        used_names=tuple(sorted({*model.network_objects, *model.service_objects, *model.object_groups})),
        object_by_network=tuple(obj_by_net.items()),
        group_by_networks=tuple(group_by_set.items()),
    )


class _Builder:
    def __init__(self, model: AsaConfig, era: str, local_host: str, remote_host: str):
        self.model = model
        self.era = era
        self.names = _Names(model)
        self.local_host = local_host
        self.remote_host = remote_host
        self.objects: list[dict[str, Any]] = []
        self.groups: list[dict[str, Any]] = []
        # Reuse what the peer already has: objects / groups resolving to exactly these networks.
        reuse = getattr(model, "index_reuse", None)
        if reuse is None:
            reuse = reuse_data(model)
        self._obj_by_net: dict[int, str] = dict(reuse.object_by_network)  # net_key -> name
        self._group_by_set: dict[int, str] = dict(reuse.group_by_networks)  # nets_key -> name

    def _object(self, n: Any) -> str:
        key = net_key(n)
        name = self._obj_by_net.get(key)
        if name is not None:
            return name
        base = f"NETWORK_OBJ_{n.network_address}" + ("" if n.prefixlen == n.max_prefixlen else f"_{n.prefixlen}")
        name = self.names.fresh(base.replace(":", "-"))
        obj = _net(n, self.era)
        if obj["kind"] == "any":  # an object cannot say any: the 0/0 subnet
            obj = (
                {"kind": "subnet", "address": "0.0.0.0", "mask": "0.0.0.0"}
                if n.version == 4
                else {"kind": "prefix", "address": "::", "prefixlen": 0}
            )
        obj["name"] = name
        self.objects.append(obj)
        self._obj_by_net[key] = name
        return name

    def operand(self, nets: tuple, role: str) -> dict[str, Any]:
        if len(nets) == 1:
            n = nets[0]
            if self.era == "legacy" or n in (ANY_V4, ANY_V6):
                return _net(n, self.era)
            return {"kind": "object", "name": self._object(n)}
        key = nets_key(nets)
        name = self._group_by_set.get(key)
        if name is None:
            host = self.local_host if role == "local" else self.remote_host
            name = self.names.fresh(f"{host.upper()}-NETS")
            if self.era == "legacy":
                members = [_net(n, self.era) for n in nets]
            else:
                members = [{"kind": "object", "name": self._object(n)} for n in nets]
            self.groups.append({"name": name, "members": members})
            self._group_by_set[key] = name
        return {"kind": "object-group", "name": name}


def mirror_commands(
    peer: AsaConfig, acl: str, desired: Iterable[Flow], *, local_host: str, remote_host: str
) -> Remediation:
    """The commands that make `peer`'s ACL `acl` protect exactly `desired` (peer orientation).

    `local_host` names the peer (its new groups of its own networks are `<LOCAL_HOST>-NETS`),
    `remote_host` the other side (`<REMOTE_HOST>-NETS`)."""
    era = syntax_era(peer)
    want = frozenset(desired)
    a = peer.access_list(acl)
    kept: set[Flow] = set()
    removals: list[str] = []
    if a is not None:
        for e in a.entries:
            if not e.active or e.action != "permit":
                continue
            x = expand_ace(peer, e)
            if x.complete and x.flows and set(x.flows) <= want:
                kept |= set(x.flows)
            else:
                removals.append(" ".join(e.text.split()))
    todo = want - kept
    b = _Builder(peer, era, local_host, remote_host)
    aces = []
    for (proto, sp, dp), srcs, dsts in _aces_for(todo):
        src_port = dst_port = ""
        if proto in PORT_PROTOCOLS:
            src_port, dst_port = _port_text(sp), _port_text(dp)
        elif proto in ICMP_PROTOCOLS and dp != (0, 65535):
            dst_port = str(dp[0])
        aces.append(
            {
                "protocol": PROTOCOL_NAMES.get(proto, str(proto)),
                "src": b.operand(srcs, "local"),
                "src_port": src_port,
                "dst": b.operand(dsts, "remote"),
                "dst_port": dst_port,
            }
        )
    text = _env().get_template(era).render(acl=acl, objects=b.objects, groups=b.groups, aces=aces, removals=removals)
    lines = tuple(line.rstrip() for line in text.splitlines() if line.strip())
    from cfglint.asa.ipsec import host_of

    return Remediation(host_of(peer), era, acl, lines)
