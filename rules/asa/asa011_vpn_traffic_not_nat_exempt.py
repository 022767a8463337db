from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from ipaddress import IPv4Network, ip_network

from cfglint.api import Diagnostic, FileContext, Related, Severity, Span
from cfglint.asa.expand import ANY_V4, ANY_V6, Flow, format_flow
from cfglint.asa.tables import network_of, parse_ip
from cfglint.models.asa import (
    AccessListEntry,
    AsaConfig,
    CryptoMapEntry,
    LegacyNat,
    ObjectNat,
    TwiceNat,
)
from cfglint.rules.asa._single import (
    AsaFileRule,
    IPNetwork,
    entry_label,
    interface_behind,
    is_complete_config,
    routed_elsewhere,
)

# --------------------------------------------------------------------------------------------------
# NAT decision for one protected flow entering interface I and leaving through the crypto interface O


@dataclass
class _Outcome:
    status: str  # exempt, translated, untranslated, unknown
    rule: str = ""  # the translating rule, as a command
    spans: list[tuple[Span, str]] = field(default_factory=list)
    late_exemption: TwiceNat | None = None  # an identity rule that would exempt, placed too late


_UNKNOWN = _Outcome("unknown")
_EXEMPT = _Outcome("exempt")
_UNTRANSLATED = _Outcome("untranslated")


def _rel(a: IPNetwork, nets: tuple[IPNetwork, ...] | list[IPNetwork]) -> str:
    """How `a` relates to a set of networks: covered (inside one of them), partial, or none."""
    partial = False
    for n in nets:
        if n.version != a.version:
            continue
        if a.subnet_of(n):  # type: ignore[arg-type]
            return "covered"
        if a.overlaps(n):  # type: ignore[arg-type]
            partial = True
    return "partial" if partial else "none"


def _flows_meet(a: Flow, b: Flow) -> bool:
    """Whether two flows can match a common packet (addresses and protocol only: conservative)."""
    if a.protocol and b.protocol and a.protocol != b.protocol:
        return False
    if a.src.version != b.src.version or a.dst.version != b.dst.version:
        return False
    return a.src.overlaps(b.src) and a.dst.overlaps(b.dst)  # type: ignore[arg-type]


def _operand(model: AsaConfig, name: str | None) -> tuple[IPNetwork, ...] | None:
    """A twice/object NAT operand -> its networks; None when it cannot be resolved."""
    if name is None:
        return None
    if name == "any":
        return (ANY_V4, ANY_V6)
    if name in model.network_objects:
        res = model.resolve_network_object(name)
    elif name in model.object_groups:
        res = model.resolve_network_group(name)
    else:
        return None
    if not res.complete or not res.networks:
        return None
    return res.networks


def _itf_ok(rule_if: str | None, itf: str) -> bool:
    return rule_if is None or rule_if == "any" or rule_if == itf


def _legacy_cmd(n: LegacyNat) -> str:
    what = f"access-list {n.acl}" if n.acl is not None else str(n.address)
    return " ".join([f"nat ({n.interface}) {n.nat_id} {what}", *n.options])


def _twice_cmd(t: TwiceNat) -> str:
    itfs = f"({t.real_interface},{t.mapped_interface}) " if t.real_interface else ""
    after = "after-auto " if t.section == "after-auto" else ""
    mapped = f"pat-pool {t.source_pat_pool}" if t.source_pat_pool else t.source_mapped
    return f"nat {itfs}{after}source {t.source_type} {t.source_real} {mapped}"


def _object_cmd(o: ObjectNat) -> str:
    itfs = f"({o.real_interface},{o.mapped_interface}) " if o.real_interface else ""
    mapped = f"pat-pool {o.pat_pool}" if o.pat_pool else o.mapped
    return f"object network {o.object_name} / nat {itfs}{o.nat_type} {mapped}"


def _decide_legacy(model: AsaConfig, i: str, o: str, f: Flow) -> _Outcome:
    """7.x/8.2 order: `nat 0 access-list` (in order), `static` (in order), policy `nat N
    access-list` (in order), then regular `nat N A M` by best match."""
    for n in model.legacy_nat:
        if n.interface != i or not n.exemption or n.acl is None:
            continue
        fs = model.acl_flows(n.acl)
        if not fs.defined or not fs.complete:
            return _UNKNOWN
        if any(_flows_meet(d, f) for d in fs.deny_flows):
            return _UNKNOWN
        index = model.memo(("asa011:exemption-flows", n.acl), lambda fs=fs: _FlowIndex(fs.flows))
        if index.covers(f):
            return _EXEMPT
        if index.meets(f):
            return _UNKNOWN  # exempt in part
    for st in model.legacy_statics:
        if st.real_interface == o and st.mapped_interface == i:
            # outside NAT: translates the destination of inside -> outside traffic
            if st.acl is not None:
                return _UNKNOWN
            alias = model.name_alias(st.mapped)
            mnet = network_of(str(alias.address) if alias is not None else st.mapped, st.netmask or "255.255.255.255")
            if mnet is None or (mnet.version == f.dst.version and mnet.overlaps(f.dst)):  # type: ignore[arg-type]
                return _UNKNOWN
            continue
        if st.real_interface != i or st.mapped_interface != o:
            continue
        if st.acl is not None:
            fs = model.acl_flows(st.acl)
            if not fs.defined or not fs.complete or any(_flows_meet(g, f) for g in fs.flows):
                return _UNKNOWN
            continue
        real = st.real or ""
        alias = model.name_alias(real)
        net = network_of(str(alias.address) if alias is not None else real, st.netmask or "255.255.255.255")
        if net is None:
            return _UNKNOWN
        if net.version == f.src.version and net.overlaps(f.src):  # type: ignore[arg-type]
            return _UNKNOWN  # a static for (part of) the source: identity or translation
    for n in model.legacy_nat:
        if n.interface != i or n.acl is None or n.nat_id == 0:
            continue
        fs = model.acl_flows(n.acl)
        if not fs.defined or not fs.complete or any(_flows_meet(g, f) for g in fs.flows):
            return _UNKNOWN  # policy NAT that may apply
    best: tuple[int, LegacyNat] | None = None
    overlapping: list[tuple[int, LegacyNat]] = []
    for n in model.legacy_nat:
        if n.interface != i or n.address is None:
            continue
        res = model.resolve_address(n.address)
        if not res.complete:
            return _UNKNOWN
        for net in res.networks:
            if net.version != f.src.version or not net.overlaps(f.src):  # type: ignore[arg-type]
                continue
            overlapping.append((net.prefixlen, n))
            if f.src.subnet_of(net):  # type: ignore[arg-type]
                if best is not None and best[0] == net.prefixlen and best[1].nat_id != n.nat_id:
                    return _UNKNOWN
                if best is None or net.prefixlen > best[0]:
                    best = (net.prefixlen, n)
    if best is None:
        return _UNKNOWN if overlapping else _UNTRANSLATED
    if any(p > best[0] for p, _ in overlapping):
        return _UNKNOWN  # a more specific rule takes part of the source
    rule = best[1]
    if rule.nat_id == 0:
        return _EXEMPT  # identity NAT
    if "outside" in rule.options:
        return _UNKNOWN
    globs = [g for g in model.legacy_globals if g.interface == o and g.nat_id == rule.nat_id]
    if not globs:
        return _UNTRANSLATED  # no pool toward the crypto interface
    spans = [(rule.span, "dynamic NAT rule")] + [(g.span, f"its global pool on {o}") for g in globs]
    pools = ", ".join(f"`global ({g.interface}) {g.nat_id} {g.mapped}`" for g in globs)
    return _Outcome("translated", f"`{_legacy_cmd(rule)}` with {pools}", spans)


def _match_twice(model: AsaConfig, t: TwiceNat, i: str, o: str, f: Flow) -> str:
    """Whether a manual NAT rule applies to the flow: "covers", "no", or "unknown". A static rule is
    bidirectional: it also applies, reversed, to traffic entering its mapped interface."""
    if t.inactive:
        return "no"
    forward = _match_twice_forward(model, t, i, o, f)
    if forward != "no" or t.source_type != "static" or "unidirectional" in t.options:
        return forward
    if not _itf_ok(t.real_interface, o) or not _itf_ok(t.mapped_interface, i):
        return "no"
    # reversed: the packet's source is matched against the real destination, its destination
    # against the mapped source
    if t.destination_type is None:
        mapped = _operand(model, t.source_mapped)
        if mapped is None or _rel(f.dst, mapped) != "none":
            return "unknown"  # translates the destination (or cannot tell)
        return "no"
    rsrc = _operand(model, t.destination_real)
    rdst = _operand(model, t.source_mapped)
    if rsrc is None or rdst is None:
        return "unknown"
    a, b = _rel(f.src, rsrc), _rel(f.dst, rdst)
    if a == "none" or b == "none":
        return "no"
    if a == "partial" or b == "partial" or t.service is not None:
        return "unknown"
    return "covers"


def _match_twice_forward(model: AsaConfig, t: TwiceNat, i: str, o: str, f: Flow) -> str:
    if not _itf_ok(t.real_interface, i) or not _itf_ok(t.mapped_interface, o):
        return "no"
    src = _operand(model, t.source_real)
    if src is None:
        return "unknown"
    r = _rel(f.src, src)
    if r == "none":
        return "no"
    if r == "partial":
        return "unknown"
    if t.destination_type is not None:
        dst = _operand(model, t.destination_real)
        if dst is None:
            return "unknown"
        r = _rel(f.dst, dst)
        if r == "none":
            return "no"
        if r == "partial":
            return "unknown"
    if t.service is not None:
        return "unknown"
    return "covers"


def _walk_twice(model: AsaConfig, rules: list[TwiceNat], i: str, o: str, f: Flow) -> _Outcome | None:
    for k, t in enumerate(rules):
        m = _match_twice(model, t, i, o, f)
        if m == "no":
            continue
        if m == "unknown":
            return _UNKNOWN
        if t.is_identity:
            return _EXEMPT
        if t.source_type == "dynamic" and t.destination_type is None:
            late = next(
                (x for x in rules[k + 1 :] if x.is_identity and _match_twice(model, x, i, o, f) == "covers"), None
            )
            spans = [(t.span, "dynamic NAT rule")]
            if late is not None:
                spans.append((late.span, "this exemption would apply, but comes after the dynamic rule"))
            return _Outcome("translated", f"`{_twice_cmd(t)}`", spans, late)
        return _UNKNOWN  # a static translation, or one that depends on the destination
    return None


# --------------------------------------------------------------------------------------------------
# Which NAT rules can apply to a flow, indexed: a large config has hundreds of manual NAT rules and
# as many protected flows, and a walk over every rule for each flow costs rules x flows. A rule the
# index leaves out is one that `_match_twice` (or the object NAT loop) would pass over for that flow
# ("no" / `continue`), so the walk over the rules it keeps, in order, decides the same.


class _OverlapIndex:
    """Items (by number) with networks: which have a network overlapping a given one. Two CIDR
    blocks overlap when one contains the other: one dict lookup per prefix length in use for the
    networks containing it, a bisect for the ones inside it."""

    __slots__ = ("_exact", "_plens", "_keys", "_items")

    def __init__(self, entries: list[tuple[int, tuple[IPNetwork, ...]]]):
        exact: dict[tuple[int, int, int], list[int]] = {}
        plens: dict[int, set[int]] = {}
        inner: dict[int, list[tuple[int, int, int]]] = {}
        for item, nets in entries:
            for n in nets:
                start = int(n.network_address)
                exact.setdefault((n.version, n.prefixlen, start), []).append(item)
                plens.setdefault(n.version, set()).add(n.prefixlen)
                inner.setdefault(n.version, []).append((start, n.prefixlen, item))
        self._exact = exact
        self._plens = {v: sorted(ps, reverse=True) for v, ps in plens.items()}
        self._keys: dict[int, list[tuple[int, int]]] = {}
        self._items: dict[int, list[int]] = {}
        for v, lst in inner.items():
            lst.sort()
            self._keys[v] = [(s, p) for s, p, _ in lst]
            self._items[v] = [x for _, _, x in lst]

    def overlapping(self, net: IPNetwork, out: set[int]) -> None:
        """Add to `out` the items with a network (of `net`'s version) that overlaps `net`."""
        self.covering(net, out)
        self.inside(net, out)

    def covering(self, net: IPNetwork, out: set[int]) -> None:
        """Add to `out` the items with a network that contains `net` (or is `net`)."""
        v, bits, plen = net.version, net.max_prefixlen, net.prefixlen
        addr = int(net.network_address)
        exact = self._exact
        for p in self._plens.get(v, ()):
            if p <= plen:
                got = exact.get((v, p, addr & (((1 << p) - 1) << (bits - p))))
                if got is not None:
                    out.update(got)

    def inside(self, net: IPNetwork, out: set[int]) -> None:
        """Add to `out` the items with a network strictly inside `net`."""
        v, bits, plen = net.version, net.max_prefixlen, net.prefixlen
        keys = self._keys.get(v)
        if keys:
            addr = int(net.network_address)
            lo = bisect.bisect_right(keys, (addr, plen))
            hi = bisect.bisect_right(keys, (int(net.broadcast_address), bits))
            if lo < hi:
                out.update(self._items[v][lo:hi])


class _FlowIndex:
    """The flows of an exemption ACL, by destination network: a hub's `nat 0` ACL lists every
    spoke, and each protected flow asked whether one of them covers it or meets it."""

    __slots__ = ("_flows", "_by_dst")

    def __init__(self, flows: Iterable[Flow]):
        self._flows = list(flows)
        self._by_dst = _OverlapIndex([(k, (g.dst,)) for k, g in enumerate(self._flows)])

    def covers(self, f: Flow) -> bool:
        """`any(g == f or g.covers(f) for g in flows)`: only a flow whose destination holds f's can."""
        near: set[int] = set()
        self._by_dst.covering(f.dst, near)
        return any(g == f or g.covers(f) for g in (self._flows[k] for k in near))

    def meets(self, f: Flow) -> bool:
        """`any(_flows_meet(g, f) for g in flows)`: only a flow whose destination meets f's can."""
        near: set[int] = set()
        self._by_dst.overlapping(f.dst, near)
        return any(_flows_meet(g, f) for g in (self._flows[k] for k in near))


class _NatIndex:
    """For the manual (twice) NAT rules and the object NAT rules of a model: the ones that may apply
    to a flow, and the ones to try whatever the flow (`always`: an operand that does not resolve, a
    static object NAT to an interface...). A manual rule with a destination applies forward only
    to a flow whose source meets its real source (in part: "unknown"; whole: on to the destination)
    and whose destination meets its real destination (a hub's rules share their source: indexing
    the source alone made a hub of 1,000 spokes walk half a million rules), and reversed (static)
    only when the flow's source meets its real destination and its destination its mapped source."""

    __slots__ = (
        "numbered", "twice_always", "fwd_src", "fwd_dst", "fwd_src_only", "rev_src", "rev_dst", "rev_dst_only",
        "obj_always", "obj_src", "obj_dst",
    )  # fmt: skip

    def __init__(self, model: AsaConfig):
        self.numbered = any(t.line_number is not None for t in model.twice_nat)
        always: set[int] = set()
        fwd_src: list[tuple[int, tuple[IPNetwork, ...]]] = []
        fwd_dst: list[tuple[int, tuple[IPNetwork, ...]]] = []
        fwd_src_only: set[int] = set()  # forward: the source decides alone (no destination, or it does not resolve)
        rev_src: list[tuple[int, tuple[IPNetwork, ...]]] = []
        rev_dst: list[tuple[int, tuple[IPNetwork, ...]]] = []
        rev_dst_only: set[int] = set()  # reversed: the destination decides alone (no destination operand)
        for k, t in enumerate(model.twice_nat):
            if t.inactive:
                continue  # `_match_twice` says "no" whatever the flow
            try:
                # forward: "no" unless the source meets `source_real` (or it does not resolve), and
                # the destination meets `destination_real` when there is one
                nets = _operand(model, t.source_real)
                if nets is None:
                    always.add(k)
                    continue
                fwd_src.append((k, nets))
                dnets = _operand(model, t.destination_real) if t.destination_type is not None else None
                if dnets is None:
                    fwd_src_only.add(k)
                else:
                    fwd_dst.append((k, dnets))
                if t.source_type != "static" or "unidirectional" in t.options:
                    continue
                # reversed: the flow's source against `destination_real`, its destination against
                # `source_mapped` (alone when there is no destination)
                if t.destination_type is None:
                    mapped = _operand(model, t.source_mapped)
                    if mapped is None:
                        always.add(k)
                    else:
                        rev_dst.append((k, mapped))
                        rev_dst_only.add(k)
                else:
                    rsrc = _operand(model, t.destination_real)
                    rdst = _operand(model, t.source_mapped)
                    if rsrc is None or rdst is None:
                        always.add(k)
                    else:
                        rev_src.append((k, rsrc))
                        rev_dst.append((k, rdst))
            except Exception:  # pragma: no cover - let the plain walk meet it (and fail the same way)
                always.add(k)
        self.twice_always = always
        self.fwd_src = _OverlapIndex(fwd_src)
        self.fwd_dst = _OverlapIndex(fwd_dst)
        self.fwd_src_only = fwd_src_only
        self.rev_src = _OverlapIndex(rev_src)
        self.rev_dst = _OverlapIndex(rev_dst)
        self.rev_dst_only = rev_dst_only
        always = set()
        src = []
        dst = []
        for k, on in enumerate(model.object_nat):
            try:
                if on.nat_type == "static":  # reversed: toward its mapped address
                    if on.mapped is None or on.mapped == "interface":
                        always.add(k)
                    else:
                        if parse_ip(on.mapped) is not None:
                            mapped = (ip_network(on.mapped),)
                        else:
                            mapped = _operand(model, on.mapped)
                        if mapped is None:
                            always.add(k)
                        else:
                            dst.append((k, mapped))
                nets = _operand(model, on.object_name)
                if nets is None:
                    always.add(k)
                else:
                    src.append((k, nets))
            except Exception:  # pragma: no cover - as above
                always.add(k)
        self.obj_always = always
        self.obj_src = _OverlapIndex(src)
        self.obj_dst = _OverlapIndex(dst)

    def twice(self, f: Flow) -> set[int]:
        """The positions in `model.twice_nat` of the rules `_match_twice` may not say "no" to for `f`."""
        # forward: a source met only in part is "unknown" before the destination is looked at; a
        # source inside the rule's goes on to the destination
        covered: set[int] = set()
        partly: set[int] = set()
        dst: set[int] = set()
        self.fwd_src.covering(f.src, covered)
        self.fwd_src.inside(f.src, partly)
        self.fwd_dst.overlapping(f.dst, dst)
        out = self.twice_always | (partly - covered) | (covered & (dst | self.fwd_src_only))
        src: set[int] = set()
        dst = set()
        self.rev_src.overlapping(f.src, src)
        self.rev_dst.overlapping(f.dst, dst)
        out |= dst & (src | self.rev_dst_only)
        return out

    def objects(self, f: Flow) -> set[int]:
        """The positions in `model.object_nat` of the rules the object NAT step may act on for `f`."""
        out = set(self.obj_always)
        self.obj_src.overlapping(f.src, out)
        self.obj_dst.overlapping(f.dst, out)
        return out


def _nat_index(model: AsaConfig) -> _NatIndex:
    return model.memo("asa011:nat_index", lambda: _NatIndex(model))


def _decide_modern(model: AsaConfig, i: str, o: str, f: Flow) -> _Outcome:
    """8.3+ order: manual (twice) NAT in order, object NAT (static, then dynamic by size), then
    `after-auto` manual NAT in order."""
    index = _nat_index(model)
    if index.numbered:
        return _UNKNOWN
    # only the rules that may apply to the flow (the others would all be passed over), in order
    twice = model.twice_nat
    rules = [twice[k] for k in sorted(index.twice(f))]
    manual = [t for t in rules if t.section == "manual"]
    after = [t for t in rules if t.section == "after-auto"]
    out = _walk_twice(model, manual, i, o, f)
    if out is not None:
        return out
    dyn: list[tuple[int, bool, ObjectNat]] = []
    objects = model.object_nat
    for on in [objects[k] for k in sorted(index.objects(f))]:
        if on.nat_type == "static" and _itf_ok(on.real_interface, o) and _itf_ok(on.mapped_interface, i):
            # a static object NAT applies, reversed, to traffic toward its mapped address
            if on.mapped is None or on.mapped == "interface":
                mapped = None
            elif parse_ip(on.mapped) is not None:
                mapped = (ip_network(on.mapped),)
            else:
                mapped = _operand(model, on.mapped)
            if mapped is None or _rel(f.dst, mapped) != "none":
                return _UNKNOWN
        if not _itf_ok(on.real_interface, i) or not _itf_ok(on.mapped_interface, o):
            continue
        nets = _operand(model, on.object_name)
        if nets is None:
            return _UNKNOWN
        r = _rel(f.src, nets)
        if r == "none":
            continue
        if on.nat_type == "static" or r == "partial" or on.service is not None:
            return _UNKNOWN
        size = sum(n.num_addresses for n in nets)
        dyn.append((size, r == "covered", on))
    if dyn:
        dyn.sort(key=lambda x: x[0])
        size, covered, on = dyn[0]
        if not covered or sum(1 for s, _, _ in dyn if s == size) > 1:
            return _UNKNOWN
        return _Outcome("translated", f"`{_object_cmd(on)}`", [(on.span, "dynamic object NAT rule")])
    out = _walk_twice(model, after, i, o, f)
    if out is not None:
        return out
    return _UNTRANSLATED


def _decide(model: AsaConfig, i: str, o: str, f: Flow) -> _Outcome:
    legacy = bool(model.legacy_nat or model.legacy_globals or model.legacy_statics)
    modern = bool(model.twice_nat or model.object_nat)
    if legacy and modern:
        return _UNKNOWN
    if legacy:
        return _decide_legacy(model, i, o, f)
    if modern:
        return _decide_modern(model, i, o, f)
    return _UNTRANSLATED


# --------------------------------------------------------------------------------------------------


def _asa_net(n: IPNetwork) -> str:
    if isinstance(n, IPv4Network):
        return f"host {n.network_address}" if n.prefixlen == 32 else f"{n.network_address} {n.netmask}"
    return f"host {n.network_address}" if n.prefixlen == 128 else str(n)


def _operand_name(op) -> str | None:
    """The object or group an ACE operand names (what an identity NAT can reuse)."""
    if op is not None and op.kind in ("object", "object-group"):
        return op.name
    return None


def _numbered(t: TwiceNat) -> str:
    itfs = f"({t.real_interface},{t.mapped_interface}) " if t.real_interface else ""
    dst = f" destination static {t.destination_mapped} {t.destination_real}" if t.destination_type else ""
    opts = "".join(f" {x}" for x in t.options)
    return f"nat {itfs}1 source static {t.source_real} {t.source_mapped}{dst}{opts}"


@dataclass
class _Hit:
    ace: AccessListEntry
    acl: str
    ingress: str
    egress: str
    outcome: _Outcome
    flows: list[Flow] = field(default_factory=list)
    entries: list[CryptoMapEntry] = field(default_factory=list)


class VpnTrafficNotNatExempt(AsaFileRule):
    """Traffic a crypto map protects is translated by dynamic NAT/PAT before it is encrypted.

    ## What it does
    For each entry of a crypto map bound to an interface (`outside`), expands its ACL into the
    protected flows (names, objects and nested groups resolved). For each flow whose source sits
    behind another interface of the ASA (a connected network or a static `route`, `inside`), it
    follows the NAT rules that traffic from `inside` to `outside` meets, in the ASA's order:
    - 7.x/8.2: `nat (inside) 0 access-list ACL` (exemption), `static`, policy NAT, then the best
      matching `nat (inside) N A M` with its `global (outside) N`;
    - 8.3+: manual (twice) NAT in order, object NAT, then `after-auto` manual NAT; an identity rule
      `nat (inside,outside) source static L L destination static R R` exempts.

    It reports the crypto ACL entry when a dynamic NAT/PAT rule translates a flow and no exemption
    comes first. When it cannot decide (an unresolved object, a `static` or a policy NAT for part of
    the flow, an exemption covering only part of it, a rule with `service`) it says nothing. Only
    whole running-configs are judged.

    ## Why is this bad?
    The ASA applies NAT before the crypto map, and checks the translated packet against the crypto
    ACL written on the real (pre-NAT) addresses. PAT rewrites the source to the outside address,
    so the traffic is not sent through the tunnel: packet-tracer shows the dynamic translation,
    then the VPN phase fails (`Type: VPN  Subtype: encrypt  Result: DROP`) or there is none and the
    packet leaves in clear toward the default route. The tunnel may even be up (the peer can
    initiate), yet the remote site is unreachable from this network. Every L2L tunnel behind a
    PAT rule needs its NAT exemption.

    ## Example
    ```cisco
    ASA Version 8.2(5)
    hostname branch
    interface Ethernet0/0
     nameif outside
     security-level 0
     ip address 198.51.100.2 255.255.255.0
    interface Ethernet0/1
     nameif inside
     security-level 100
     ip address 10.1.1.1 255.255.255.0
    access-list TO-HQ extended permit ip 10.1.1.0 255.255.255.0 10.0.0.0 255.255.255.0
    global (outside) 1 interface
    nat (inside) 1 0.0.0.0 0.0.0.0
    crypto ipsec transform-set AES-SHA esp-aes esp-sha-hmac
    crypto map outside_map 10 match address TO-HQ
    crypto map outside_map 10 set peer 192.0.2.1
    crypto map outside_map 10 set transform-set AES-SHA
    crypto map outside_map interface outside
    ```

    ## Use instead
    ```cisco
    ASA Version 8.2(5)
    hostname branch
    interface Ethernet0/0
     nameif outside
     security-level 0
     ip address 198.51.100.2 255.255.255.0
    interface Ethernet0/1
     nameif inside
     security-level 100
     ip address 10.1.1.1 255.255.255.0
    access-list TO-HQ extended permit ip 10.1.1.0 255.255.255.0 10.0.0.0 255.255.255.0
    access-list NONAT extended permit ip 10.1.1.0 255.255.255.0 10.0.0.0 255.255.255.0
    global (outside) 1 interface
    nat (inside) 0 access-list NONAT
    nat (inside) 1 0.0.0.0 0.0.0.0
    crypto ipsec transform-set AES-SHA esp-aes esp-sha-hmac
    crypto map outside_map 10 match address TO-HQ
    crypto map outside_map 10 set peer 192.0.2.1
    crypto map outside_map 10 set transform-set AES-SHA
    crypto map outside_map interface outside
    ```
    On 8.3+ the exemption is an identity twice NAT placed above the PAT rule:
    `nat (inside,outside) source static LOCAL LOCAL destination static REMOTE REMOTE no-proxy-arp route-lookup`.

    ## Fix
    Exempt the protected traffic: 7.x/8.2 `access-list NONAT extended permit ip LOCAL REMOTE` with
    `nat (inside) 0 access-list NONAT` (one per inside interface); 8.3+ an identity twice NAT
    `nat (inside,outside) source static LOCAL LOCAL destination static REMOTE REMOTE` before the
    dynamic rule (manual NAT comes before object NAT; `after-auto` rules come last).

    ## References
    - Cisco ASA 8.2 configuration guide, "NAT exemption" and "Order of NAT Rules Used to Match Real
      Addresses"; ASA 9.x, "NAT for VPN" / "NAT rule order" (manual, object, after-auto)
    - Troubleshooting `Subtype: encrypt Result: DROP` in packet-tracer: the crypto ACL is matched
      after NAT
    """

    code = "ASA011"
    name = "vpn-traffic-not-nat-exempt"
    severity = Severity.ERROR
    tags = ("asa", "ipsec", "nat", "correctness")

    def check(self, model: AsaConfig, ctx: FileContext) -> Iterator[Diagnostic]:
        if not is_complete_config(model):
            return
        if not (model.legacy_nat or model.twice_nat or model.object_nat):
            return
        hits: dict[tuple[int, str, str, str], _Hit] = {}
        for cm in model.crypto_maps.values():
            for o in dict.fromkeys(cm.interfaces):
                if model.interface_by_nameif(o) is None:
                    continue
                for e in cm.entries:
                    if e.dynamic_ref is not None or e.match_address is None:
                        continue
                    self._entry(model, e, o, hits)
        for h in sorted(hits.values(), key=lambda h: (h.ace.pos.line, h.egress)):
            yield self._finding(model, h)

    def _entry(self, model: AsaConfig, e: CryptoMapEntry, o: str, hits: dict) -> None:
        acl = model.access_list(e.match_address.acl) if e.match_address else None
        if acl is None:
            return
        denies: list[Flow] = []
        for ace in acl.entries:
            if not ace.active:
                continue
            exp = model.expand_ace(ace)
            if not exp.complete:
                if ace.action == "deny":
                    return  # what follows depends on an unresolved deny
                continue
            if ace.action == "deny":
                denies.extend(exp.flows)
                continue
            for f in exp.flows:
                if any(_flows_meet(d, f) for d in denies):
                    continue
                i = interface_behind(model, f.src)
                if i is None or i == o or routed_elsewhere(model, f.dst, o):
                    continue
                out = _decide(model, i, o, f)
                if out.status != "translated":
                    continue
                key = (id(ace), i, o, out.rule)
                h = hits.get(key)
                if h is None:
                    h = hits[key] = _Hit(ace, acl.name, i, o, out)
                if f not in h.flows:
                    h.flows.append(f)
                if e not in h.entries:
                    h.entries.append(e)

    def _finding(self, model: AsaConfig, h: _Hit) -> Diagnostic:
        shown = ", ".join(format_flow(f) for f in h.flows[:3])
        if len(h.flows) > 3:
            shown += f" and {len(h.flows) - 3} more"
        entries = ", ".join(f"{e.map_name} {e.seq}" for e in h.entries)
        related = [Related(sp, msg) for sp, msg in h.outcome.spans]
        related += [
            Related(e.match_address.span, f"crypto ACL of {entry_label(e)}") for e in h.entries if e.match_address
        ]
        if model.legacy_nat or model.legacy_globals:
            existing = next(
                (n.acl for n in model.legacy_nat if n.exemption and n.interface == h.ingress and n.acl), None
            )
            # an exemption ACL of another interface that already covers the flows: reuse it
            reuse = None
            if existing is None:
                for n in model.legacy_nat:
                    if n.exemption and n.acl and n.interface != h.ingress:
                        fs = model.acl_flows(n.acl)
                        if fs.complete and all(any(g == f or g.covers(f) for g in fs.flows) for f in h.flows):
                            reuse = n.acl
                            break
            acl = existing or "NONAT"
            lines = "; ".join(
                f"`access-list {acl} extended permit ip {_asa_net(f.src)} {_asa_net(f.dst)}`" for f in h.flows[:2]
            )
            if reuse is not None:
                fix = f"Exempt it on {h.ingress} too: `nat ({h.ingress}) 0 access-list {reuse}`"
            else:
                fix = f"Exempt it: {lines}" + ("" if existing else f" with `nat ({h.ingress}) 0 access-list {acl}`")
        elif h.outcome.late_exemption is not None:
            fix = (
                "Move the exemption above the dynamic rule (manual NAT is first match, in order): remove it and"
                f" add it again as line 1: `{_numbered(h.outcome.late_exemption)}`"
            )
        else:
            local = _operand_name(h.ace.src) or "LOCAL"
            remote = _operand_name(h.ace.dst) or "REMOTE"
            placeholders = [x for x, y in ((local, "LOCAL"), (remote, "REMOTE")) if x == y]
            note = f" ({' and '.join(placeholders)}: objects for the protected networks)" if placeholders else ""
            fix = (
                f"Add an identity NAT above the dynamic rule: `nat ({h.ingress},{h.egress}) source static {local}"
                f" {local} destination static {remote} {remote} no-proxy-arp route-lookup`{note}"
            )
        return self.diagnostic(
            h.ace.span,
            f"protected traffic {shown} (crypto map {entries}, ACL {h.acl}) enters from {h.ingress} and is"
            f" translated by {h.outcome.rule} before the crypto map sees it, with no NAT exemption first: the"
            f" translated packets no longer match the crypto ACL and are not sent through the tunnel",
            related=related,
            fix_title=fix,
            anchor=f"access-list {h.acl} {h.ace.text} nat {h.ingress},{h.egress}",
        )
