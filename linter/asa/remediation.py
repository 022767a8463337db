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
from ipaddress import IPv4Network
from typing import TYPE_CHECKING, Any

from cfglint.asa.expand import ANY_V4, ANY_V6, Flow, expand_ace, resolve_network_group, resolve_network_object
from cfglint.asa.tables import ICMP_PROTOCOLS, PORT_PROTOCOLS, PROTOCOL_NAMES

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


class _Builder:
    def __init__(self, model: AsaConfig, era: str, local_host: str, remote_host: str):
        self.model = model
        self.era = era
        self.names = _Names(model)
        self.local_host = local_host
        self.remote_host = remote_host
        self.objects: list[dict[str, Any]] = []
        self.groups: list[dict[str, Any]] = []
        self._obj_by_net: dict[Any, str] = {}
        self._group_by_set: dict[frozenset, str] = {}
        # Reuse what the peer already has: objects / groups resolving to exactly these networks.
        for name in sorted(model.network_objects):
            r = resolve_network_object(model, name)
            if r.complete and len(r.networks) == 1:
                self._obj_by_net.setdefault(r.networks[0], name)
        for name in sorted(model.object_groups):
            g = model.object_groups[name]
            if g.group_type != "network" or g.cycle:
                continue
            r = resolve_network_group(model, name)
            if r.complete and r.networks:
                self._group_by_set.setdefault(frozenset(r.networks), name)

    def _object(self, n: Any) -> str:
        name = self._obj_by_net.get(n)
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
        self._obj_by_net[n] = name
        return name

    def operand(self, nets: tuple, role: str) -> dict[str, Any]:
        if len(nets) == 1:
            n = nets[0]
            if self.era == "legacy" or n in (ANY_V4, ANY_V6):
                return _net(n, self.era)
            return {"kind": "object", "name": self._object(n)}
        key = frozenset(nets)
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
