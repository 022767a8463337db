"""Analyses over an `AsaConfig`: operand resolution, ACE expansion into flows, crypto ACL canonical
sets, crypto map views, references. Pure functions (no I/O), memoised per model (`AsaConfig.memo`).

Resolution never guesses: an fqdn object, an undefined name/object/group, a group of the wrong type, an
interface without a static address, an unknown port name... is reported as an `Unresolved` next to
what could be resolved. Nested groups are flattened with a visited set (cycles cannot loop; a group in a
cycle adds an `Unresolved(kind="cycle")`).

Flows
  `Flow(src, dst, protocol, src_ports, dst_ports)`: networks are `ipaddress` networks (host bits
  cleared), `protocol` an IP protocol number (0 = any IP protocol), ports inclusive ranges; `ANY_PORTS`
  = (0, 65535) for "any" and for every protocol without ports. For ICMP/ICMPv6 `dst_ports` carries the
  ICMP type range ((8, 8) for echo) and `src_ports` is ANY_PORTS. Each ACE expands to the product of its
  resolved sources, destinations (same address family only) and services; `neq` splits into two
  ranges; `tcp-udp` into two protocols. Nothing is merged or summarised: that is how the ASA turns
  object-groups into one ACE (and one IPsec proxy identity) per element, so a list of /25s is not equal
  to the /24 they cover (`flowset_covers` tells the /24 covers them).

`any` is IPv4 only before ASA 9.0 and IPv4 + IPv6 from 9.0 (`any4`/`any6` are explicit); with no
`ASA Version` line it is read as IPv4 only.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from ipaddress import IPv4Network, IPv6Network, ip_network, summarize_address_range
from typing import TYPE_CHECKING, NamedTuple

from cfglint.api import Span
from cfglint.asa.tables import (
    ICMP,
    ICMP_PROTOCOLS,
    PORT_PROTOCOLS,
    PROTOCOL_NAMES,
    TCP,
    UDP,
    builtin_service,
    icmp_type_number,
    network_of,
    parse_ip,
    port_number,
    protocol_number,
)

if TYPE_CHECKING:  # pragma: no cover
    from cfglint.models.asa import (
        AccessList,
        AccessListEntry,
        Address,
        AsaConfig,
        CryptoMap,
        CryptoMapEntry,
        Interface,
        IpsecProposal,
        LegacyNat,
        PortMatch,
        ServiceSpec,
        TransformSet,
        TwiceNat,
    )

IPNetwork = IPv4Network | IPv6Network
PortRange = tuple[int, int]
ANY_PORTS: PortRange = (0, 65535)
ANY_V4 = IPv4Network("0.0.0.0/0")
ANY_V6 = IPv6Network("::/0")

__all__ = [
    "ANY_PORTS",
    "CryptoMapEntryView",
    "Expansion",
    "Flow",
    "FlowComparison",
    "FlowSet",
    "NatExemption",
    "NetResolution",
    "Reference",
    "Service",
    "ServiceResolution",
    "Unresolved",
    "acl_flows",
    "address_owners",
    "compare_flowsets",
    "crypto_map_entries",
    "expand_ace",
    "flow_covers",
    "flowset_covers",
    "mirror",
    "nat_exemptions",
    "references",
    "resolve_address",
    "resolve_network_group",
    "resolve_network_object",
    "resolve_ace_services",
    "resolve_port_match",
    "resolve_service_group",
    "resolve_service_object",
    "undefined_references",
]


# --------------------------------------------------------------------------------------------------
# Results


@dataclass(frozen=True)
class Unresolved:
    """Something resolution could not turn into addresses/services (never guessed).

    kind: fqdn, undefined-name, undefined-object, undefined-group, wrong-type, empty-object,
    undefined-interface, interface-address-unknown, cycle, unknown-protocol, unknown-port,
    unknown-icmp-type, identity (user/security-group criteria that are not addresses)."""

    kind: str
    name: str
    span: Span | None = None

    def __str__(self) -> str:
        return f"{self.kind} {self.name}"


@dataclass(frozen=True)
class NetResolution:
    networks: tuple[IPNetwork, ...] = ()
    unresolved: tuple[Unresolved, ...] = ()

    @property
    def complete(self) -> bool:
        return not self.unresolved


class Service(NamedTuple):
    """(protocol number (0 = any), source ports, destination ports or ICMP types)."""

    protocol: int
    src_ports: PortRange = ANY_PORTS
    dst_ports: PortRange = ANY_PORTS


@dataclass(frozen=True)
class ServiceResolution:
    services: tuple[Service, ...] = ()
    unresolved: tuple[Unresolved, ...] = ()

    @property
    def complete(self) -> bool:
        return not self.unresolved


class Flow(NamedTuple):
    """A protected/permitted traffic selector (see the module doc for the normal form)."""

    src: IPNetwork
    dst: IPNetwork
    protocol: int
    src_ports: PortRange = ANY_PORTS
    dst_ports: PortRange = ANY_PORTS

    def mirror(self) -> Flow:
        if self.protocol in ICMP_PROTOCOLS:
            return Flow(self.dst, self.src, self.protocol, self.src_ports, self.dst_ports)
        return Flow(self.dst, self.src, self.protocol, self.dst_ports, self.src_ports)

    def covers(self, other: Flow) -> bool:
        return flow_covers(self, other)

    def __str__(self) -> str:
        return format_flow(self)


def _fmt_ports(r: PortRange) -> str:
    lo, hi = r
    if r == ANY_PORTS:
        return ""
    return f" eq {lo}" if lo == hi else f" range {lo} {hi}"


def format_flow(f: Flow) -> str:
    """`tcp 10.1.0.0/24 -> 10.2.0.0/24 eq 443` (readable; for messages)."""
    proto = PROTOCOL_NAMES.get(f.protocol, str(f.protocol))
    if f.protocol in ICMP_PROTOCOLS:
        t = "" if f.dst_ports == ANY_PORTS else f" type {f.dst_ports[0]}"
        return f"{proto} {f.src} -> {f.dst}{t}"
    return f"{proto} {f.src}{_fmt_ports(f.src_ports)} -> {f.dst}{_fmt_ports(f.dst_ports)}"


@dataclass(frozen=True)
class Expansion:
    """The flows of one ACE (`entry`), and what could not be resolved. Iterable over the flows."""

    entry: AccessListEntry
    flows: tuple[Flow, ...] = ()
    unresolved: tuple[Unresolved, ...] = ()

    @property
    def complete(self) -> bool:
        return not self.unresolved

    def __iter__(self) -> Iterator[Flow]:  # type: ignore[override]
        return iter(self.flows)

    def __len__(self) -> int:
        return len(self.flows)


@dataclass(frozen=True)
class FlowSet:
    """The canonical set form of an ACL: the flows of its active permit entries (`flows`), those of its
    active deny entries (`deny_flows`), what could not be resolved, and the entries read. Two ACLs
    written differently (names, objects, masks, host vs /32, order, ACL name) compare equal on `flows`.
    `defined` is False when no such ACL exists."""

    acl: str
    flows: frozenset[Flow] = frozenset()
    deny_flows: frozenset[Flow] = frozenset()
    unresolved: tuple[Unresolved, ...] = ()
    entries: tuple[AccessListEntry, ...] = ()
    defined: bool = True

    @property
    def complete(self) -> bool:
        return not self.unresolved

    def mirror(self) -> frozenset[Flow]:
        return mirror(self.flows)


# --------------------------------------------------------------------------------------------------
# Flow set algebra


def mirror(flows: Iterable[Flow]) -> frozenset[Flow]:
    """Every flow with source and destination (and their ports) swapped."""
    return frozenset(f.mirror() for f in flows)


def _net_in(inner: IPNetwork, outer: IPNetwork) -> bool:
    return inner.version == outer.version and inner.subnet_of(outer)  # type: ignore[arg-type]


def _range_in(inner: PortRange, outer: PortRange) -> bool:
    return outer[0] <= inner[0] and inner[1] <= outer[1]


def flow_covers(a: Flow, b: Flow) -> bool:
    """Whether flow `a` alone matches all traffic of flow `b` (one selector containing the other)."""
    if a.protocol != 0 and a.protocol != b.protocol:
        return False
    if not (_net_in(b.src, a.src) and _net_in(b.dst, a.dst)):
        return False
    if a.protocol == 0:
        return True
    return _range_in(b.src_ports, a.src_ports) and _range_in(b.dst_ports, a.dst_ports)


def flowset_covers(big: Iterable[Flow], small: Iterable[Flow]) -> bool:
    """Every flow of `small` is covered by a single flow of `big` (how an IPsec responder accepts a
    proposed selector: it must fall within one of its own entries)."""
    bl = list(big)
    bs = set(bl)
    return all(f in bs or any(flow_covers(g, f) for g in bl) for f in small)


@dataclass(frozen=True)
class FlowComparison:
    """`compare_flowsets(a, b)`: relation of a to b, and the flows of each not covered by the other.

    relation: equal (same sets), superset (a covers all of b, not the reverse), subset, overlap (some
    flows of each are covered by the other), disjoint."""

    relation: str
    only_in_a: frozenset[Flow]  # flows of a that b does not cover
    only_in_b: frozenset[Flow]  # flows of b that a does not cover
    missing_in_a: frozenset[Flow]  # set difference b - a (exact)
    missing_in_b: frozenset[Flow]  # set difference a - b (exact)


def compare_flowsets(a: Iterable[Flow], b: Iterable[Flow]) -> FlowComparison:
    sa, sb = frozenset(a), frozenset(b)
    missing_in_a, missing_in_b = sb - sa, sa - sb
    if not missing_in_a and not missing_in_b:
        return FlowComparison("equal", frozenset(), frozenset(), frozenset(), frozenset())
    la, lb = list(sa), list(sb)
    a_not_b = frozenset(f for f in missing_in_b if not any(flow_covers(g, f) for g in lb))
    b_not_a = frozenset(f for f in missing_in_a if not any(flow_covers(g, f) for g in la))
    if not b_not_a and not a_not_b:
        # each covers the other with different writings (e.g. overlapping entries)
        relation = "overlap"
    elif not b_not_a:
        relation = "superset"
    elif not a_not_b:
        relation = "subset"
    elif len(b_not_a) < len(sb) or len(a_not_b) < len(sa):
        relation = "overlap"
    else:
        relation = "disjoint"
        for f in la:
            if any(_flows_intersect(f, g) for g in lb):
                relation = "overlap"
                break
    return FlowComparison(relation, a_not_b, b_not_a, missing_in_a, missing_in_b)


def _flows_intersect(a: Flow, b: Flow) -> bool:
    if a.protocol and b.protocol and a.protocol != b.protocol:
        return False
    if a.src.version != b.src.version or a.dst.version != b.dst.version:
        return False
    if not (a.src.overlaps(b.src) and a.dst.overlaps(b.dst)):  # type: ignore[arg-type]
        return False
    if a.protocol and b.protocol:
        for x, y in ((a.src_ports, b.src_ports), (a.dst_ports, b.dst_ports)):
            if x[1] < y[0] or y[1] < x[0]:
                return False
    return True


# --------------------------------------------------------------------------------------------------
# Addresses


def _any_networks(model: AsaConfig) -> tuple[IPNetwork, ...]:
    v = model.version
    if v is not None and v.at_least(9, 0):
        return (ANY_V4, ANY_V6)
    return (ANY_V4,)


def _dedupe(nets: Iterable[IPNetwork]) -> tuple[IPNetwork, ...]:
    return tuple(dict.fromkeys(nets))


def _name_network(model: AsaConfig, name: str, mask: str | None, span: Span | None) -> NetResolution:
    alias = model.name_alias(name)
    if alias is None:
        return NetResolution((), (Unresolved("undefined-name", name, span),))
    if mask is None:
        return NetResolution((ip_network(alias.address),))
    net = network_of(str(alias.address), mask)
    if net is None:
        return NetResolution((), (Unresolved("undefined-name", f"{name} {mask}", span),))
    return NetResolution((net,))


def resolve_address(model: AsaConfig, op: Address) -> NetResolution:
    """An address operand -> its networks (names, objects, groups and interfaces resolved)."""
    k = op.kind
    if op.literal is not None:
        return NetResolution((op.literal,))
    if k == "any":
        return NetResolution(_any_networks(model))
    if k == "any4":
        return NetResolution((ANY_V4,))
    if k == "any6":
        return NetResolution((ANY_V6,))
    if k == "host":
        return _name_network(model, op.address or "", None, op.span)
    if k == "subnet":
        return _name_network(model, op.address or "", op.mask, op.span)
    if k == "object":
        return _with_span(resolve_network_object(model, op.name or ""), op.span)
    if k == "object-group":
        return _with_span(resolve_network_group(model, op.name or ""), op.span)
    if k == "interface":
        itf = model.interface_by_nameif(op.name or "")
        if itf is None:
            return NetResolution((), (Unresolved("undefined-interface", op.name or "", op.span),))
        addrs = itf.addresses(standby=False)
        if not addrs:
            return NetResolution((), (Unresolved("interface-address-unknown", op.name or "", op.span),))
        return NetResolution(tuple(ip_network(a) for a in addrs))
    return NetResolution((), (Unresolved("undefined-name", str(op), op.span),))


def _with_span(res: NetResolution, span: Span | None) -> NetResolution:
    """Unresolved items without a span get the operand's."""
    if not res.unresolved or span is None:
        return res
    return NetResolution(
        res.networks, tuple(u if u.span is not None else Unresolved(u.kind, u.name, span) for u in res.unresolved)
    )


def resolve_network_object(model: AsaConfig, name: str) -> NetResolution:
    def compute() -> NetResolution:
        obj = model.network_object(name)
        if obj is None:
            if name in model.service_objects:
                return NetResolution((), (Unresolved("wrong-type", name),))
            return NetResolution((), (Unresolved("undefined-object", name),))
        if obj.kind == "host" and obj.host is not None:
            return NetResolution((ip_network(obj.host),))
        if obj.kind == "subnet" and obj.subnet is not None:
            return NetResolution((obj.subnet,))
        if obj.kind == "range" and obj.range_start is not None and obj.range_end is not None:
            a, b = obj.range_start, obj.range_end
            if int(a) > int(b):
                a, b = b, a
            return NetResolution(tuple(summarize_address_range(a, b)))  # type: ignore[arg-type]
        if obj.kind == "fqdn":
            return NetResolution((), (Unresolved("fqdn", f"{name} ({obj.fqdn})", obj.value_span),))
        return NetResolution((), (Unresolved("empty-object", name, obj.span),))

    return model.memo(("netobj", name), compute)


def _reachable_groups(model: AsaConfig, name: str) -> tuple[list[str], list[Unresolved]]:
    """Groups reachable from `name` through `group-object` (itself first), and the undefined ones."""
    groups = model.object_groups
    seen = {name}
    order = [name]
    missing: list[Unresolved] = []
    stack = [name]
    while stack:
        g = groups.get(stack.pop())
        if g is None:
            continue
        for ref in g.group_refs:
            if ref.name in seen:
                continue
            seen.add(ref.name)
            if ref.name not in groups:
                missing.append(Unresolved("undefined-group", ref.name, ref.span))
                continue
            order.append(ref.name)
            stack.append(ref.name)
    return order, missing


def resolve_network_group(model: AsaConfig, name: str) -> NetResolution:
    """A network object-group -> the networks of all its members, nested groups flattened."""

    def compute() -> NetResolution:
        from cfglint.models.asa import NetworkMember

        g = model.object_group(name)
        if g is None:
            return NetResolution((), (Unresolved("undefined-group", name),))
        if g.group_type != "network":
            return NetResolution((), (Unresolved("wrong-type", name, g.span),))
        order, missing = _reachable_groups(model, name)
        nets: list[IPNetwork] = []
        unresolved: list[Unresolved] = list(missing)
        cyc = False
        for gname in order:
            sub = model.object_groups[gname]
            if sub.cycle is not None:
                cyc = True
            if sub.group_type != "network":
                unresolved.append(Unresolved("wrong-type", gname, sub.span))
                continue
            for m in sub.members:
                if isinstance(m, NetworkMember):
                    r = resolve_address(model, m.address)
                    nets.extend(r.networks)
                    unresolved.extend(r.unresolved)
        if cyc:
            unresolved.append(Unresolved("cycle", name, g.span))
        return NetResolution(_dedupe(nets), tuple(dict.fromkeys(unresolved)))

    return model.memo(("netgroup", name), compute)


# --------------------------------------------------------------------------------------------------
# Services


def _protocols(text: str) -> list[int] | None:
    t = text.lower()
    if t == "tcp-udp":
        return [TCP, UDP]
    p = protocol_number(t)
    return None if p is None else [p]


def resolve_port_match(
    model: AsaConfig, pm: PortMatch | None, protocol: int, _seen: frozenset[str] = frozenset()
) -> tuple[list[PortRange], list[Unresolved]]:
    """A port operator for one protocol -> inclusive ranges (`neq` gives two)."""
    if pm is None:
        return [ANY_PORTS], []
    op = pm.op
    if op == "object-group":
        return _port_group(model, pm.values[0], protocol, pm.span)
    nums: list[int] = []
    for v in pm.values:
        p = port_number(v, protocol)
        if p is None:
            return [], [Unresolved("unknown-port", v, pm.span)]
        nums.append(p)
    if op == "eq":
        return [(nums[0], nums[0])], []
    if op == "range":
        lo, hi = nums[0], nums[1]
        if lo > hi:
            lo, hi = hi, lo
        return [(lo, hi)], []
    if op == "lt":
        return ([(0, nums[0] - 1)] if nums[0] > 0 else []), []
    if op == "gt":
        return ([(nums[0] + 1, 65535)] if nums[0] < 65535 else []), []
    # neq
    p = nums[0]
    out = []
    if p > 0:
        out.append((0, p - 1))
    if p < 65535:
        out.append((p + 1, 65535))
    return out, []


def _port_group(
    model: AsaConfig, name: str, protocol: int, span: Span | None
) -> tuple[list[PortRange], list[Unresolved]]:
    """A `port-object` service group used as a port operator."""
    from cfglint.models.asa import PortMember, ServiceMember

    g = model.object_group(name)
    if g is None:
        return [], [Unresolved("undefined-group", name, span)]
    if g.group_type != "service":
        return [], [Unresolved("wrong-type", name, span)]
    order, missing = _reachable_groups(model, name)
    ranges: list[PortRange] = []
    unresolved: list[Unresolved] = list(missing)
    for gname in order:
        sub = model.object_groups[gname]
        for m in sub.members:
            if isinstance(m, PortMember):
                r, u = resolve_port_match(model, m.port, protocol)
                ranges.extend(r)
                unresolved.extend(u)
            elif isinstance(m, ServiceMember) and m.service is not None:
                # a service-object used as a port group: its destination ports when the protocol fits
                ps = _protocols(m.service.protocol) or []
                if protocol in ps or 0 in ps:
                    r, u = resolve_port_match(model, m.service.destination, protocol)
                    ranges.extend(r)
                    unresolved.extend(u)
    if any(model.object_groups[x].cycle for x in order):
        unresolved.append(Unresolved("cycle", name, g.span))
    return list(dict.fromkeys(ranges)), unresolved


def _spec_services(model: AsaConfig, spec: ServiceSpec) -> tuple[list[Service], list[Unresolved]]:
    protos = _protocols(spec.protocol)
    if protos is None:
        return [], [Unresolved("unknown-protocol", spec.protocol, spec.span)]
    out: list[Service] = []
    unresolved: list[Unresolved] = []
    for p in protos:
        if p in ICMP_PROTOCOLS:
            if spec.icmp_type is None:
                out.append(Service(p))
            else:
                t = icmp_type_number(spec.icmp_type, p)
                if t is None:
                    unresolved.append(Unresolved("unknown-icmp-type", spec.icmp_type, spec.span))
                else:
                    out.append(Service(p, ANY_PORTS, (t, t)))
            continue
        if p not in PORT_PROTOCOLS:
            out.append(Service(p))
            continue
        srcs, u1 = resolve_port_match(model, spec.source, p)
        dsts, u2 = resolve_port_match(model, spec.destination, p)
        unresolved.extend(u1)
        unresolved.extend(u2)
        out.extend(Service(p, s, d) for s in srcs for d in dsts)
    return out, unresolved


def resolve_service_object(model: AsaConfig, name: str) -> ServiceResolution:
    """`object service NAME` (or a predefined one: `icmp-echo`, `ospf`, ...) -> services."""

    def compute() -> ServiceResolution:
        obj = model.service_object(name)
        if obj is None:
            b = builtin_service(name)
            if b is not None:
                proto, t = b
                return ServiceResolution((Service(proto, ANY_PORTS, (t, t) if t is not None else ANY_PORTS),))
            return ServiceResolution((), (Unresolved("undefined-object", name),))
        if obj.service is None:
            return ServiceResolution((), (Unresolved("empty-object", name, obj.span),))
        s, u = _spec_services(model, obj.service)
        return ServiceResolution(tuple(dict.fromkeys(s)), tuple(u))

    return model.memo(("svcobj", name), compute)


def resolve_service_group(model: AsaConfig, name: str) -> ServiceResolution:
    """A service group (service-object / port-object members), a protocol group or an icmp-type group
    -> services. Port-object members take the group's protocol (`object-group service N tcp`)."""

    def compute() -> ServiceResolution:
        from cfglint.models.asa import IcmpMember, PortMember, ProtocolMember, ServiceMember

        g = model.object_group(name)
        if g is None:
            return ServiceResolution((), (Unresolved("undefined-group", name),))
        if g.group_type not in ("service", "protocol", "icmp-type"):
            return ServiceResolution((), (Unresolved("wrong-type", name, g.span),))
        order, missing = _reachable_groups(model, name)
        out: list[Service] = []
        unresolved: list[Unresolved] = list(missing)
        for gname in order:
            sub = model.object_groups[gname]
            gprotos = _protocols(sub.protocol) if sub.protocol else None
            for m in sub.members:
                if isinstance(m, ServiceMember):
                    if m.object_ref is not None:
                        r = resolve_service_object(model, m.object_ref)
                        out.extend(r.services)
                        unresolved.extend(_span_all(r.unresolved, m.span))
                    elif m.service is not None:
                        s, u = _spec_services(model, m.service)
                        out.extend(s)
                        unresolved.extend(u)
                elif isinstance(m, PortMember):
                    protos = gprotos if gprotos is not None else [TCP]
                    if gprotos is None:
                        unresolved.append(
                            Unresolved("unknown-protocol", f"{gname} (port-object without a protocol)", m.span)
                        )
                    for p in protos:
                        r2, u2 = resolve_port_match(model, m.port, p)
                        out.extend(Service(p, ANY_PORTS, d) for d in r2)
                        unresolved.extend(u2)
                elif isinstance(m, ProtocolMember):
                    ps = _protocols(m.protocol)
                    if ps is None:
                        unresolved.append(Unresolved("unknown-protocol", m.protocol, m.span))
                    else:
                        out.extend(Service(p) for p in ps)
                elif isinstance(m, IcmpMember):
                    t = icmp_type_number(m.icmp_type, ICMP)
                    if t is None:
                        unresolved.append(Unresolved("unknown-icmp-type", m.icmp_type, m.span))
                    else:
                        out.append(Service(ICMP, ANY_PORTS, (t, t)))
        if any(model.object_groups[x].cycle for x in order):
            unresolved.append(Unresolved("cycle", name, g.span))
        return ServiceResolution(tuple(dict.fromkeys(out)), tuple(dict.fromkeys(unresolved)))

    return model.memo(("svcgroup", name), compute)


def _span_all(us: Iterable[Unresolved], span: Span | None) -> list[Unresolved]:
    return [u if u.span is not None else Unresolved(u.kind, u.name, span) for u in us]


def resolve_ace_services(model: AsaConfig, entry: AccessListEntry) -> ServiceResolution:
    """The services an extended ACE matches: its protocol operand with its port / ICMP operands."""
    proto = entry.protocol
    if proto is None:
        return ServiceResolution((Service(0),)) if entry.acl_type == "standard" else ServiceResolution()
    if proto.kind == "object":
        r = resolve_service_object(model, proto.value)
        return ServiceResolution(r.services, tuple(_span_all(r.unresolved, proto.span)))
    if proto.kind == "object-group":
        g = model.object_group(proto.value)
        r = resolve_service_group(model, proto.value)
        services = list(r.services)
        unresolved = _span_all(r.unresolved, proto.span)
        if g is not None and g.group_type == "protocol" and (entry.src_port or entry.dst_port):
            services = _apply_ports(model, entry, [s.protocol for s in services], unresolved)
        return ServiceResolution(tuple(dict.fromkeys(services)), tuple(unresolved))
    protos = _protocols(proto.value)
    if protos is None:
        return ServiceResolution((), (Unresolved("unknown-protocol", proto.value, proto.span),))
    unresolved: list[Unresolved] = []
    services = _apply_ports(model, entry, protos, unresolved)
    return ServiceResolution(tuple(dict.fromkeys(services)), tuple(unresolved))


def _apply_ports(
    model: AsaConfig, entry: AccessListEntry, protos: list[int], unresolved: list[Unresolved]
) -> list[Service]:
    out: list[Service] = []
    for p in protos:
        if p in ICMP_PROTOCOLS:
            if entry.icmp_group is not None:
                r = resolve_service_group(model, entry.icmp_group)
                unresolved.extend(_span_all(r.unresolved, entry.span))
                out.extend(Service(p, ANY_PORTS, s.dst_ports) for s in r.services if s.protocol == ICMP)
            elif entry.icmp_type is not None:
                t = icmp_type_number(entry.icmp_type.split()[0], p)
                if t is None:
                    unresolved.append(Unresolved("unknown-icmp-type", entry.icmp_type, entry.span))
                else:
                    out.append(Service(p, ANY_PORTS, (t, t)))
            else:
                out.append(Service(p))
            continue
        if p not in PORT_PROTOCOLS:
            out.append(Service(p))
            continue
        srcs, u1 = resolve_port_match(model, entry.src_port, p)
        dsts, u2 = resolve_port_match(model, entry.dst_port, p)
        unresolved.extend(u1)
        unresolved.extend(u2)
        out.extend(Service(p, s, d) for s in srcs for d in dsts)
    return out


# --------------------------------------------------------------------------------------------------
# ACE expansion and ACL flow sets


def expand_ace(model: AsaConfig, entry: AccessListEntry) -> Expansion:
    """An ACE -> its flows (product of sources, destinations of the same family, and services)."""

    def compute() -> Expansion:
        if not entry.is_rule:
            return Expansion(entry)
        unresolved: list[Unresolved] = []
        if entry.acl_type == "standard":
            srcs = NetResolution(_any_networks(model))
        else:
            if entry.src is None:
                return Expansion(entry)
            srcs = resolve_address(model, entry.src)
        if entry.dst is None:
            return Expansion(entry)
        dsts = resolve_address(model, entry.dst)
        svcs = resolve_ace_services(model, entry)
        unresolved.extend(srcs.unresolved)
        unresolved.extend(dsts.unresolved)
        unresolved.extend(svcs.unresolved)
        if entry.src_identity or entry.dst_identity:
            unresolved.append(Unresolved("identity", " ".join(entry.src_identity + entry.dst_identity), entry.span))
        flows: list[Flow] = []
        for s in srcs.networks:
            for d in dsts.networks:
                if s.version != d.version:
                    continue
                for sv in svcs.services:
                    flows.append(Flow(s, d, sv.protocol, sv.src_ports, sv.dst_ports))
        return Expansion(entry, tuple(dict.fromkeys(flows)), tuple(dict.fromkeys(unresolved)))

    return model.memo(("ace", entry), compute)


def acl_flows(model: AsaConfig, acl: str) -> FlowSet:
    """The canonical set form of an ACL (see `FlowSet`)."""

    def compute() -> FlowSet:
        a = model.access_list(acl)
        if a is None:
            return FlowSet(acl, defined=False)
        permit: set[Flow] = set()
        deny: set[Flow] = set()
        unresolved: list[Unresolved] = []
        for e in a.entries:
            if not e.active:
                continue
            x = expand_ace(model, e)
            (permit if e.action == "permit" else deny).update(x.flows)
            unresolved.extend(x.unresolved)
        return FlowSet(acl, frozenset(permit), frozenset(deny), tuple(dict.fromkeys(unresolved)), tuple(a.entries))

    return model.memo(("acl", acl), compute)


# --------------------------------------------------------------------------------------------------
# Crypto maps


@dataclass(frozen=True)
class CryptoMapEntryView:
    """A crypto map entry with everything it refers to resolved.

    `interfaces`: nameifs the map is bound to (for a dynamic-map entry: those of the static maps that
    reference it); `local_addresses`: their active IPv4/IPv6 addresses; `ike_versions`: IKE versions
    enabled on any of them; `peers`: resolved `set peer` addresses (`unresolved_peers`: the others);
    `acl`: the ACL named by `match address` (None: no match address, or undefined: see
    `acl_defined`); transform sets / IKEv2 proposals resolved, with the names that are not defined;
    `pfs_group`: the group written, "group2" for a bare `set pfs` (the ASA default), None without PFS.
    """

    map: CryptoMap
    entry: CryptoMapEntry
    interfaces: tuple[str, ...]
    local_addresses: tuple[object, ...]
    ike_versions: frozenset[int]
    peers: tuple[object, ...]
    unresolved_peers: tuple[str, ...]
    acl_name: str | None
    acl: AccessList | None
    transform_sets: tuple[TransformSet, ...]
    missing_transform_sets: tuple[str, ...]
    ikev2_proposals: tuple[IpsecProposal, ...]
    missing_ikev2_proposals: tuple[str, ...]
    pfs_group: str | None
    dynamic: bool
    dynamic_map: CryptoMap | None = None  # for `ipsec-isakmp dynamic X` entries
    parents: tuple[CryptoMapEntry, ...] = field(default=())  # for dynamic entries: referencing entries

    @property
    def acl_defined(self) -> bool:
        return self.acl is not None

    @property
    def span(self) -> Span:
        return self.entry.span

    def flows(self, model: AsaConfig) -> FlowSet | None:
        """The canonical protected set (None without `match address`)."""
        return acl_flows(model, self.acl_name) if self.acl_name else None


def crypto_map_entries(model: AsaConfig, include_dynamic: bool = True) -> list[CryptoMapEntryView]:
    """One view per entry of every static crypto map (by map name, then sequence), then (when
    `include_dynamic`) one per entry of every dynamic map."""

    def compute() -> list[CryptoMapEntryView]:
        out: list[CryptoMapEntryView] = []
        dyn_parents: dict[str, list[tuple[CryptoMap, CryptoMapEntry]]] = {}
        for cm in model.crypto_maps.values():
            for e in cm.entries:
                if e.dynamic_ref is not None:
                    dyn_parents.setdefault(e.dynamic_ref.dynamic_map, []).append((cm, e))
        for cm in model.crypto_maps.values():
            for e in cm.entries:
                out.append(_view(model, cm, e, tuple(cm.interfaces), False))
        for dm in model.dynamic_maps.values():
            parents = dyn_parents.get(dm.name, [])
            itfs = tuple(dict.fromkeys(i for pm, _ in parents for i in pm.interfaces))
            for e in dm.entries:
                out.append(_view(model, dm, e, itfs, True, tuple(pe for _, pe in parents)))
        return out

    views = model.memo("crypto_map_entries", compute)
    return [v for v in views if include_dynamic or not v.dynamic]


def _view(
    model: AsaConfig,
    cm: CryptoMap,
    e: CryptoMapEntry,
    interfaces: tuple[str, ...],
    dynamic: bool,
    parents: tuple[CryptoMapEntry, ...] = (),
) -> CryptoMapEntryView:
    local: list[object] = []
    versions: set[int] = set()
    for nameif in interfaces:
        itf = model.interface_by_nameif(nameif)
        if itf is not None:
            local.extend(itf.addresses(standby=False))
        versions |= model.ike_versions_on(nameif)
    peers = tuple(p.address for p in e.peers if p.address is not None)
    unresolved_peers = tuple(p.text for p in e.peers if p.address is None)
    ts = [model.transform_sets[n] for n in e.transform_set_names if n in model.transform_sets]
    ts_missing = tuple(n for n in e.transform_set_names if n not in model.transform_sets)
    props = [model.ipsec_proposals[n] for n in e.ikev2_proposal_names if n in model.ipsec_proposals]
    props_missing = tuple(n for n in e.ikev2_proposal_names if n not in model.ipsec_proposals)
    pfs = None
    if e.pfs is not None:
        pfs = e.pfs.group or "group2"
    acl_name = e.acl
    return CryptoMapEntryView(
        map=cm,
        entry=e,
        interfaces=interfaces,
        local_addresses=tuple(local),
        ike_versions=frozenset(versions),
        peers=peers,
        unresolved_peers=unresolved_peers,
        acl_name=acl_name,
        acl=model.access_list(acl_name) if acl_name else None,
        transform_sets=tuple(ts),
        missing_transform_sets=ts_missing,
        ikev2_proposals=tuple(props),
        missing_ikev2_proposals=props_missing,
        pfs_group=pfs,
        dynamic=dynamic,
        dynamic_map=model.dynamic_maps.get(e.dynamic_ref.dynamic_map) if e.dynamic_ref is not None else None,
        parents=parents,
    )


def address_owners(models: Iterable[AsaConfig]) -> dict[object, list[tuple[AsaConfig, Interface]]]:
    """Every interface address (active and standby, named interfaces not shut down) of every model ->
    the (model, interface) pairs that own it. One pass over the models: pairing `set peer` addresses
    with this index is linear in the number of devices, not quadratic."""
    out: dict[object, list[tuple[AsaConfig, Interface]]] = {}
    for m in models:
        for addr, itf in m.owned_addresses().items():
            out.setdefault(addr, []).append((m, itf))
    return out


# --------------------------------------------------------------------------------------------------
# References (undefined / unused structures)


@dataclass(frozen=True)
class Reference:
    """A use of a named structure.

    kind: object (network or service object), network-object, service-object, object-group,
    object-or-group (NAT operands), name, access-list, interface, transform-set, ikev2-proposal,
    dynamic-map, crypto-map, time-range.
    context: where the use is: acl, group, nat, object-nat, access-group, crypto-map, ike, tunnel.
    `owner`: the using structure's name (ACL, group, map `NAME SEQ`, object)."""

    kind: str
    name: str
    span: Span
    context: str
    owner: str = ""


def _addr_refs(op: Address | None, context: str, owner: str, out: list[Reference]) -> None:
    if op is None:
        return
    k = op.kind
    if k == "object":
        out.append(Reference("network-object", op.name or "", op.span, context, owner))
    elif k == "object-group":
        out.append(Reference("object-group", op.name or "", op.span, context, owner))
    elif k == "interface":
        out.append(Reference("interface", op.name or "", op.span, context, owner))
    elif k in ("host", "subnet") and op.literal is None and op.address:
        out.append(Reference("name", op.address, op.span, context, owner))


_NAT_KEYWORDS = frozenset({"any", "interface"})


def references(model: AsaConfig) -> list[Reference]:
    """Every reference to a named structure, in file order of the referring element."""

    def compute() -> list[Reference]:
        from cfglint.models.asa import GroupRef, NetworkMember, PortMember, ServiceMember  # noqa: F401

        out: list[Reference] = []
        for g in model.object_groups.values():
            for m in g.members:
                if isinstance(m, GroupRef):
                    out.append(Reference("object-group", m.name, m.span, "group", g.name))
                elif isinstance(m, NetworkMember):
                    _addr_refs(m.address, "group", g.name, out)
                elif isinstance(m, ServiceMember) and m.object_ref is not None:
                    if builtin_service(m.object_ref) is None or m.object_ref in model.service_objects:
                        out.append(Reference("service-object", m.object_ref, m.span, "group", g.name))
        for acl in model.access_lists.values():
            for e in acl.entries:
                if not e.is_rule:
                    continue
                p = e.protocol
                if p is not None and p.kind == "object":
                    if builtin_service(p.value) is None or p.value in model.service_objects:
                        out.append(Reference("service-object", p.value, p.span, "acl", acl.name))
                elif p is not None and p.kind == "object-group":
                    out.append(Reference("object-group", p.value, p.span, "acl", acl.name))
                _addr_refs(e.src, "acl", acl.name, out)
                _addr_refs(e.dst, "acl", acl.name, out)
                for pm in (e.src_port, e.dst_port):
                    if pm is not None and pm.op == "object-group":
                        out.append(Reference("object-group", pm.values[0], pm.span, "acl", acl.name))
                if e.icmp_group is not None:
                    out.append(Reference("object-group", e.icmp_group, e.span, "acl", acl.name))
                if e.time_range is not None:
                    out.append(Reference("time-range", e.time_range, e.span, "acl", acl.name))
        for ag in model.access_groups:
            out.append(Reference("access-list", ag.acl, ag.span, "access-group", ag.acl))
            if ag.interface is not None:
                out.append(Reference("interface", ag.interface, ag.span, "access-group", ag.acl))
        for n in model.legacy_nat:
            out.append(Reference("interface", n.interface, n.span, "nat", ""))
            if n.acl is not None:
                out.append(Reference("access-list", n.acl, n.span, "nat", ""))
            _addr_refs(n.address, "nat", "", out)
        for st in model.legacy_statics:
            if st.acl is not None:
                out.append(Reference("access-list", st.acl, st.span, "nat", ""))
            for itf in (st.real_interface, st.mapped_interface):
                out.append(Reference("interface", itf, st.span, "nat", ""))
        for gl in model.legacy_globals:
            out.append(Reference("interface", gl.interface, gl.span, "nat", ""))
        for on in model.object_nat:
            if on.mapped is not None and on.mapped not in _NAT_KEYWORDS and parse_ip(on.mapped) is None:
                out.append(Reference("object-or-group", on.mapped, on.span, "object-nat", on.object_name))
            if on.pat_pool is not None:
                out.append(Reference("object-or-group", on.pat_pool, on.span, "object-nat", on.object_name))
            for itf in (on.real_interface, on.mapped_interface):
                if itf is not None and itf != "any":
                    out.append(Reference("interface", itf, on.span, "object-nat", on.object_name))
            if on.service is None:
                pass
        for tn in model.twice_nat:
            for x in (tn.source_real, tn.source_mapped, tn.source_pat_pool, tn.destination_mapped, tn.destination_real):
                if x is not None and x not in _NAT_KEYWORDS and parse_ip(x) is None:
                    out.append(Reference("object-or-group", x, tn.span, "nat", ""))
            if tn.service is not None:
                for x in tn.service:
                    out.append(Reference("service-object", x, tn.span, "nat", ""))
            for itf in (tn.real_interface, tn.mapped_interface):
                if itf is not None and itf != "any":
                    out.append(Reference("interface", itf, tn.span, "nat", ""))
        for cm in list(model.crypto_maps.values()) + list(model.dynamic_maps.values()):
            for e in cm.entries:
                owner = f"{cm.name} {e.seq}"
                if e.match_address is not None:
                    out.append(Reference("access-list", e.match_address.acl, e.match_address.span, "crypto-map", owner))
                if e.transform_sets is not None:
                    for n in e.transform_sets.names:
                        out.append(Reference("transform-set", n, e.transform_sets.span, "crypto-map", owner))
                if e.ikev2_proposals is not None:
                    for n in e.ikev2_proposals.names:
                        out.append(Reference("ikev2-proposal", n, e.ikev2_proposals.span, "crypto-map", owner))
                if e.dynamic_ref is not None:
                    out.append(
                        Reference("dynamic-map", e.dynamic_ref.dynamic_map, e.dynamic_ref.span, "crypto-map", owner)
                    )
                for p in e.peers:
                    if p.address is None and parse_ip(p.text) is None:
                        out.append(Reference("name", p.text, p.span, "crypto-map", owner))
        for b in model.crypto_map_bindings:
            out.append(Reference("crypto-map", b.map_name, b.span, "crypto-map", b.map_name))
            out.append(Reference("interface", b.interface, b.span, "crypto-map", b.map_name))
        for en in model.ike_enables:
            out.append(Reference("interface", en.interface, en.span, "ike", ""))
        out.sort(key=lambda r: (r.span.line, r.span.column))
        return out

    return model.memo("references", compute)


def _defined(model: AsaConfig, kind: str, name: str) -> bool:
    if kind == "network-object":
        return name in model.network_objects
    if kind == "service-object":
        return name in model.service_objects or builtin_service(name) is not None
    if kind == "object":
        return name in model.network_objects or name in model.service_objects
    if kind == "object-group":
        return name in model.object_groups
    if kind == "object-or-group":
        return name in model.network_objects or name in model.object_groups
    if kind == "name":
        return model.name_alias(name) is not None
    if kind == "access-list":
        return name in model.access_lists
    if kind == "interface":
        return model.interface_by_nameif(name) is not None
    if kind == "transform-set":
        return name in model.transform_sets
    if kind == "ikev2-proposal":
        return name in model.ipsec_proposals
    if kind == "dynamic-map":
        return name in model.dynamic_maps
    if kind == "crypto-map":
        return name in model.crypto_maps
    return True  # time-range and others: not modelled, never reported


def undefined_references(model: AsaConfig) -> list[Reference]:
    """References whose target is not defined in this file. Interfaces are only checked when the file
    defines at least one nameif (configuration fragments such as `show running-config crypto map` have
    none)."""
    has_interfaces = any(i.nameif for i in model.interfaces)
    out = []
    for r in references(model):
        if r.kind == "interface" and not has_interfaces:
            continue
        if r.kind == "time-range":
            continue
        if not _defined(model, r.kind, r.name):
            out.append(r)
    return out


# --------------------------------------------------------------------------------------------------
# NAT exemption


@dataclass(frozen=True)
class NatExemption:
    """A rule that exempts traffic from NAT: 8.2 `nat (IF) 0 access-list ACL` (`flows`: the ACL's
    permit flows) or an 8.3+ identity twice NAT `source static A A destination static B B` (`flows`:
    A -> B, any protocol). `unresolved`: parts that could not be resolved."""

    node: LegacyNat | TwiceNat
    real_interface: str | None
    mapped_interface: str | None
    flows: frozenset[Flow]
    unresolved: tuple[Unresolved, ...] = ()

    def exempts(self, flow: Flow) -> bool:
        return flow in self.flows or any(flow_covers(f, flow) for f in self.flows)


def _nat_operand(model: AsaConfig, name: str, span: Span) -> NetResolution:
    if name == "any":
        return NetResolution(_any_networks(model))
    if name in model.network_objects:
        return resolve_network_object(model, name)
    if name in model.object_groups:
        return resolve_network_group(model, name)
    return NetResolution((), (Unresolved("undefined-object", name, span),))


def nat_exemptions(model: AsaConfig) -> list[NatExemption]:
    def compute() -> list[NatExemption]:
        out: list[NatExemption] = []
        for n in model.legacy_nat:
            if not n.exemption or n.acl is None:
                continue
            fs = acl_flows(model, n.acl)
            un = fs.unresolved if fs.defined else (Unresolved("undefined-object", n.acl, n.span),)
            out.append(NatExemption(n, n.interface, None, fs.flows, tuple(un)))
        for t in model.twice_nat:
            if t.inactive or not t.is_identity or t.destination_real is None:
                continue
            src = _nat_operand(model, t.source_real, t.span)
            dst = _nat_operand(model, t.destination_real, t.span)
            flows = frozenset(Flow(s, d, 0) for s in src.networks for d in dst.networks if s.version == d.version)
            un = src.unresolved + dst.unresolved
            if t.service is not None:
                un = un + (Unresolved("identity", "service " + " ".join(t.service), t.span),)
            out.append(NatExemption(t, t.real_interface, t.mapped_interface, flows, un))
        return out

    return model.memo("nat_exemptions", compute)
