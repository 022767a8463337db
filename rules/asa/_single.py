"""Helpers shared by the single-device ASA rules (ASA006-ASA014).

The cross-device rules (ASA001-ASA005) have their own helpers; nothing here pairs configs.
"""

from __future__ import annotations

import bisect
import difflib
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from ipaddress import IPv4Address, IPv4Network, IPv6Network, ip_network

from cfglint.api import FileRule
from cfglint.models.asa import (
    AsaConfig,
    CryptoMapEntry,
    RawBlock,
    RawLine,
)

IPNetwork = IPv4Network | IPv6Network


class AsaFileRule(FileRule, abstract=True):
    """Base of the single-device ASA rules: they read one `AsaConfig`; doc examples are ASA CLI."""

    kinds = ("asa",)
    model_type = AsaConfig
    example_language = "cisco"


# --------------------------------------------------------------------------------------------------
# What kind of text the file is


def is_complete_config(model: AsaConfig) -> bool:
    """Whether the file is a whole running-config, not a `show running-config <section>` excerpt.

    A running-config starts with its `ASA Version` (`PIX`/`FWSM`) line; a file without one is taken
    as complete only when it has a hostname and at least one named interface. Rules whose finding
    depends on something that lives in another section (an ACL defined elsewhere, `crypto ikev1
    enable`, an object used by a NAT rule) only judge complete configs: an excerpt says nothing
    about what is missing from it."""
    if model.version is not None:
        return True
    return model.hostname is not None and any(i.nameif for i in model.interfaces)


def problem_lines(model: AsaConfig) -> frozenset[int]:
    """Lines with a parse problem (CFG004)."""
    return model.memo("single:problem_lines", lambda: frozenset(p.span.line for p in model.problems))


def problem_tokens(model: AsaConfig) -> frozenset[str]:
    """Every word of the lines with a parse problem (kept raw by the parser)."""

    def build() -> frozenset[str]:
        bad = problem_lines(model)
        out: set[str] = set()
        if bad:
            for n in _raw_nodes(model):
                if n.pos.line in bad:
                    out.update(n.text.split())
        return frozenset(out)

    return model.memo("single:problem_tokens", build)


def malformed_entry(model: AsaConfig, e: CryptoMapEntry) -> bool:
    """A crypto map entry made only of lines the parser could not read (CFG004 reports them): the
    device would have rejected them, so the entry says nothing about the configuration."""
    bad = problem_lines(model)
    return bool(bad) and all(sp.line in bad for sp in e.lines)


# --------------------------------------------------------------------------------------------------
# Raw lines


def _raw_nodes(model: AsaConfig) -> Iterator[RawLine | RawBlock]:
    """Every raw node of the model (lines the model does not interpret), children included."""
    stack: list[RawLine | RawBlock] = list(model.raw)
    for itf in model.interfaces:
        stack.extend(itf.other)
    for obj in model.network_objects.values():
        stack.extend(obj.other)
    for sobj in model.service_objects.values():
        stack.extend(sobj.other)
    for g in model.object_groups.values():
        stack.extend(m for m in g.members if isinstance(m, (RawLine, RawBlock)))
    for p in model.ike_policies:
        stack.extend(p.other)
    for prop in model.ipsec_proposals.values():
        stack.extend(prop.other)
    for cm in list(model.crypto_maps.values()) + list(model.dynamic_maps.values()):
        for e in cm.entries:
            stack.extend(e.other)
    for tg in model.tunnel_groups.values():
        if tg.general_attributes is not None:
            stack.append(tg.general_attributes)
        stack.extend(tg.other_attributes)
        if tg.ipsec_attributes is not None:
            stack.extend(tg.ipsec_attributes.other)
    while stack:
        n = stack.pop()
        yield n
        if isinstance(n, RawBlock):
            stack.extend(n.children)


def raw_texts(model: AsaConfig) -> list[str]:
    """The text of every raw line (memoised per model)."""
    return model.memo("single:raw_texts", lambda: [n.text for n in _raw_nodes(model)])


def unmodelled_tokens(model: AsaConfig) -> frozenset[str]:
    """Every token of every line the model keeps raw, plus the ACL tokens it does not interpret
    (identity criteria such as `object-group-user G`, unparsed trailing tokens, webtype/ethertype
    entries). A structure named here may be used by something the model does not track."""

    def build() -> frozenset[str]:
        out: set[str] = set()
        for t in raw_texts(model):
            out.update(t.split())
        for acl in model.access_lists.values():
            for e in acl.entries:
                if e.src_identity:
                    out.update(e.src_identity)
                if e.dst_identity:
                    out.update(e.dst_identity)
                if e.unparsed:
                    out.update(e.unparsed)
                if e.acl_type in ("webtype", "ethertype"):
                    out.update(e.text.split())
        # options the NAT models keep as words
        for nat in (*model.twice_nat, *model.object_nat, *model.legacy_nat, *model.legacy_statics):
            out.update(nat.options)
        return frozenset(out)

    return model.memo("single:unmodelled_tokens", build)


# --------------------------------------------------------------------------------------------------
# Routing: which interface a network sits behind


def _net(address: str, mask: str | None) -> IPNetwork | None:
    from cfglint.asa.tables import network_of

    return network_of(address, mask)


def interface_networks(model: AsaConfig) -> list[tuple[IPNetwork, str, bool]]:
    """(network, nameif, is_default_route) for every connected network of a named interface that is
    not shut down, and every static `route NAMEIF NET MASK GW` / `ipv6 route NAMEIF PREFIX GW`."""

    def build() -> list[tuple[IPNetwork, str, bool]]:
        out: list[tuple[IPNetwork, str, bool]] = []
        for itf in model.interfaces:
            if itf.nameif is None or itf.shutdown:
                continue
            if itf.address is not None:
                out.append((itf.address.network, itf.nameif, False))
            for a6 in itf.ipv6_addresses:
                if not a6.link_local:
                    out.append((a6.interface.network, itf.nameif, False))
        for text in raw_texts(model):
            toks = text.split()
            net: IPNetwork | None = None
            nameif = ""
            if len(toks) >= 5 and toks[0] == "route":
                nameif = toks[1]
                net = _net(toks[2], toks[3])
                if net is None:  # a `name` alias as the destination
                    alias = model.name_alias(toks[2])
                    if alias is not None:
                        net = _net(str(alias.address), toks[3])
            elif len(toks) >= 5 and toks[0] == "ipv6" and toks[1] == "route":
                nameif = toks[2]
                try:
                    net = ip_network(toks[3], strict=False)
                except ValueError:
                    net = None
            if net is not None and model.interface_by_nameif(nameif) is not None:
                out.append((net, nameif, net.prefixlen == 0))
        return out

    return model.memo("single:interface_networks", build)


def _route_index(model: AsaConfig) -> tuple[dict, dict, dict]:
    """interface_networks indexed for longest-prefix lookups: {(version, prefixlen): {network int:
    first nameif}} and, per version, the routes sorted by start address (for "more specific inside
    this network" scans). Default routes are left out, as the lookups ignore them."""

    def build() -> tuple[dict, dict, dict]:
        by_len: dict[tuple[int, int], dict[int, str]] = {}
        inner: dict[int, list[tuple[int, int, str]]] = {}
        for n, nameif, default in interface_networks(model):
            if default:
                continue
            # the first route of a given network wins, as in a scan in interface_networks order
            by_len.setdefault((n.version, n.prefixlen), {}).setdefault(int(n.network_address), nameif)
            inner.setdefault(n.version, []).append((int(n.network_address), n.prefixlen, nameif))
        for lst in inner.values():
            lst.sort(key=lambda t: t[0])
        starts = {v: [t[0] for t in lst] for v, lst in inner.items()}
        return by_len, inner, starts

    return model.memo("single:route_index", build)


def interface_behind(model: AsaConfig, net: IPNetwork) -> str | None:
    """The nameif `net` sits behind, by longest match over connected networks and static routes
    (default routes excluded). None when no such route covers `net` entirely, or when part of `net`
    is routed to another interface.

    Indexed (at most one dict lookup per prefix length, then a bisect over the routes inside `net`),
    so a large config does not pay routes x flows; `_interface_behind_scan` is the plain reading
    that the tests hold it equal to."""
    by_len, inner, starts = _route_index(model)
    bits = net.max_prefixlen
    addr = int(net.network_address)
    best: tuple[int, str] | None = None
    for p in range(net.prefixlen, 0, -1):
        table = by_len.get((net.version, p))
        if table is None:
            continue
        mask = ((1 << p) - 1) << (bits - p)
        nameif = table.get(addr & mask)
        if nameif is not None:
            best = (p, nameif)
            break
    if best is None:
        return None
    # A route longer than the best one that overlaps `net` lies strictly inside it (one containing
    # `net` would have been the best match).
    lst = inner.get(net.version, [])
    st = starts.get(net.version, [])
    end = int(net.broadcast_address)
    for i in range(bisect.bisect_left(st, addr), bisect.bisect_right(st, end)):
        _start, plen, nameif = lst[i]
        if plen > net.prefixlen and nameif != best[1]:
            return None  # a more specific route sends part of it elsewhere
    return best[1]


def _interface_behind_scan(model: AsaConfig, net: IPNetwork) -> str | None:
    best: tuple[int, str] | None = None
    for n, nameif, default in interface_networks(model):
        if default or n.version != net.version:
            continue
        if net.subnet_of(n):  # type: ignore[arg-type]
            if best is None or n.prefixlen > best[0]:
                best = (n.prefixlen, nameif)
    if best is None:
        return None
    for n, nameif, default in interface_networks(model):
        if default or n.version != net.version or nameif == best[1]:
            continue
        if n.prefixlen > best[0] and n.overlaps(net):  # type: ignore[arg-type]
            return None
    return best[1]


def _elsewhere_index(model: AsaConfig) -> tuple[dict, dict]:
    """interface_networks indexed for `routed_elsewhere` (default routes left out, as it ignores
    them): {(version, prefixlen): {network int: [nameif of each such route]}} for the routes that
    contain a network, and per version the routes sorted by (start address, prefixlen) with their
    nameifs and, for each position, where its run of equal nameifs ends (the routes inside a network
    that go through another interface: one bisect and one look past the run)."""

    def build() -> tuple[dict, dict]:
        by_net: dict[tuple[int, int], dict[int, list[str]]] = {}
        inner: dict[int, list[tuple[int, int, str]]] = {}
        for n, nameif, default in interface_networks(model):
            if default:
                continue
            start = int(n.network_address)
            by_net.setdefault((n.version, n.prefixlen), {}).setdefault(start, []).append(nameif)
            inner.setdefault(n.version, []).append((start, n.prefixlen, nameif))
        ordered: dict[int, tuple[list[tuple[int, int]], list[str], list[int]]] = {}
        for v, lst in inner.items():
            lst.sort(key=lambda t: (t[0], t[1]))
            names = [t[2] for t in lst]
            run_end = [len(lst)] * len(lst)
            for i in range(len(lst) - 2, -1, -1):
                run_end[i] = i + 1 if names[i + 1] != names[i] else run_end[i + 1]
            ordered[v] = ([(t[0], t[1]) for t in lst], names, run_end)
        return by_net, ordered

    return model.memo("single:elsewhere_index", build)


def routed_elsewhere(model: AsaConfig, net: IPNetwork, nameif: str) -> bool:
    """Whether some of `net` is connected to, or statically routed through, another interface than
    `nameif` (default routes excluded; a route through another interface that a more specific route
    through `nameif` overrides for all of `net` does not count).

    Indexed (one dict lookup per prefix length for the routes that contain `net`, a bisect for the
    ones inside it), so a large config does not pay routes x flows; `_routed_elsewhere_scan` is the
    plain reading that the tests hold it equal to."""
    by_net, ordered = _elsewhere_index(model)
    v, bits, plen = net.version, net.max_prefixlen, net.prefixlen
    addr = int(net.network_address)
    # routes that contain `net` (two CIDR blocks overlap when one contains the other), longest first
    containing: list[tuple[int, list[str]]] = []
    best: int | None = None
    for p in range(plen, -1, -1):
        table = by_net.get((v, p))
        if table is None:
            continue
        found = table.get(addr & (((1 << p) - 1) << (bits - p)))
        if found is not None:
            containing.append((p, found))
            if best is None and nameif in found:
                best = p
    for p, found in containing:
        if best is not None and p < best:
            break  # overridden for all of `net` by the more specific route through `nameif`
        if any(other != nameif for other in found):
            return True
    # routes strictly inside `net`: start in [addr, broadcast] (one that starts at `addr` with a
    # prefix no longer than `net`'s contains it: already counted)
    got = ordered.get(v)
    if got is None:
        return False
    keys, names, run_end = got
    lo = bisect.bisect_right(keys, (addr, plen))
    hi = bisect.bisect_right(keys, (int(net.broadcast_address), bits))
    if lo >= hi:
        return False
    return names[lo] != nameif or run_end[lo] < hi


def _routed_elsewhere_scan(model: AsaConfig, net: IPNetwork, nameif: str) -> bool:
    """`routed_elsewhere` by a plain scan over every route (the reference the tests compare to)."""
    routes = interface_networks(model)
    best = max(
        (
            n.prefixlen
            for n, other, default in routes
            if other == nameif and not default and n.version == net.version and net.subnet_of(n)  # type: ignore[arg-type]
        ),
        default=None,
    )
    for n, other, default in routes:
        if default or other == nameif or n.version != net.version:
            continue
        if n.overlaps(net):  # type: ignore[arg-type]
            if best is not None and net.subnet_of(n) and n.prefixlen < best:  # type: ignore[arg-type]
                continue
            return True
    return False


# --------------------------------------------------------------------------------------------------
# Wording


def entry_label(e: CryptoMapEntry) -> str:
    kind = "crypto dynamic-map" if e.dynamic else "crypto map"
    return f"{kind} {e.map_name} {e.seq}"


def did_you_mean(name: str, candidates: Iterable[str]) -> str | None:
    """The closest defined name (case-insensitive first, then difflib), or None."""
    return CloseNames(candidates).suggest(name)


_CLOSE_CUTOFF = 0.8


def _ratio(matches: int, length: int) -> float:
    """difflib's `_calculate_ratio`, for the same float comparisons."""
    return 2.0 * matches / length if length else 1.0


class _CloseIndex:
    """`difflib.get_close_matches(word, words, n=1, cutoff=0.8)` with the same answer, but without
    running difflib over every word.

    difflib keeps a word only if its `real_quick_ratio` (lengths), `quick_ratio` (the size M of the
    multiset intersection of the characters) and `ratio` all reach the cutoff. Both quick tests
    depend on the word's multiset of characters only, so the words are grouped by it (`host-0123`
    and `host-3210` are one group) and the index holds, for each (character, k), the set of the
    groups with at least k of that character: M(g) is the number of the query's own (character, k)
    pairs whose set holds g. A group needs M >= need(its length), so it misses at most P - need of
    the P pairs of the query, and is in one of any P - need + 1 of them: only the groups of the union
    of the smallest such sets can pass. Their M is counted exactly (set intersections, in C), and
    only the words of the groups that reach their need go to difflib: the words left out are ones
    difflib's quick tests would have rejected, so the best match (ties broken as difflib does, by
    the word) is unchanged. A query that shares little with the words (an IP address among host
    names) costs a few set operations instead of a difflib pass over every word."""

    __slots__ = ("words", "groups", "group_len", "sets", "lengths")

    def __init__(self, words: list[str]):
        self.words = words
        by_chars: dict[str, list[int]] = {}
        for i, w in enumerate(words):
            by_chars.setdefault("".join(sorted(w)), []).append(i)
        self.groups = list(by_chars.values())  # word indexes, by group id
        self.group_len = [len(k) for k in by_chars]
        sets: dict[tuple[str, int], set[int]] = {}
        for g, chars in enumerate(by_chars):
            for c, n in Counter(chars).items():
                for k in range(1, n + 1):
                    got = sets.get((c, k))
                    if got is None:
                        sets[(c, k)] = {g}
                    else:
                        got.add(g)
        self.sets = sets
        self.lengths = frozenset(self.group_len)

    def close(self, word: str) -> str | None:
        words = self.words
        la = len(word)
        if not la or len(words) <= 16:
            got = difflib.get_close_matches(word, words, n=1, cutoff=_CLOSE_CUTOFF)
            return got[0] if got else None
        # the least M that passes, per candidate length (lengths that fail real_quick_ratio: absent)
        need: dict[int, int] = {}
        for lb in self.lengths:
            t = la + lb
            if _ratio(min(la, lb), t) >= _CLOSE_CUTOFF:
                need[lb] = next(m for m in range(min(la, lb) + 1) if _ratio(m, t) >= _CLOSE_CUTOFF)
        if not need:
            return None
        sets = self.sets
        empty: set[int] = set()
        sized = sorted((sets.get((c, k), empty) for c, n in Counter(word).items() for k in range(1, n + 1)), key=len)
        take = len(sized) - min(need.values()) + 1
        pool = set().union(*sized[:take])
        if not pool:
            return None
        counts: Counter[int] = Counter()
        for s in sized:
            counts.update(s & pool)
        group_len, groups = self.group_len, self.groups
        picked = sorted(i for g in pool if counts[g] >= need.get(group_len[g], la + 1) for i in groups[g])
        got = difflib.get_close_matches(word, [words[i] for i in picked], n=1, cutoff=_CLOSE_CUTOFF)
        return got[0] if got else None


class CloseNames:
    """`did_you_mean` over one fixed list of defined names, for many queries: the candidates are
    sorted and indexed once, and each distinct query is answered once."""

    __slots__ = ("_lower", "_exact", "_folded", "_memo")

    def __init__(self, candidates: Iterable[str]):
        cands = sorted(set(candidates))
        self._lower = {c.lower(): c for c in cands}
        self._exact = _CloseIndex(cands)
        self._folded: _CloseIndex | None = None
        self._memo: dict[str, str | None] = {}

    def suggest(self, name: str) -> str | None:
        """The closest defined name (case-insensitive first, then difflib), or None."""
        memo = self._memo
        if name in memo:
            return memo[name]
        memo[name] = got = self._suggest(name)
        return got

    def _suggest(self, name: str) -> str | None:
        if not self._exact.words:
            return None
        lower = self._lower
        low = name.lower()
        if low in lower and lower[low] != name:
            return lower[low]
        close = self._exact.close(name)
        if close is not None:
            return close
        if self._folded is None:
            self._folded = _CloseIndex(list(lower))
        by_lower = self._folded.close(low)
        return lower[by_lower] if by_lower is not None else None


# --------------------------------------------------------------------------------------------------
# References, lean


class Ref:
    """A use of a named structure, as `cfglint.asa.expand.Reference` (same kinds, contexts and
    owners), with its span built only when asked for: building a `Span` for each of the thousands of
    references of a large config costs more than the whole check of most rules."""

    __slots__ = ("kind", "name", "_at", "context", "owner")

    def __init__(self, kind: str, name: str, at: object, context: str, owner: str = ""):
        self.kind = kind
        self.name = name
        self._at = at  # the element whose span is the reference's
        self.context = context
        self.owner = owner

    @property
    def span(self):
        return self._at.span  # type: ignore[attr-defined]

    @property
    def line(self) -> int:
        at = self._at
        pos = getattr(at, "pos", None)
        return pos.line if pos is not None else at.span.line  # type: ignore[attr-defined]


_NAT_KEYWORDS = frozenset({"any", "interface"})


_OCTET = r"(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
_DOTTED_QUAD = re.compile(rf"{_OCTET}(?:\.{_OCTET}){{3}}")


# operand kinds that name a structure -> the kind of the reference
_OPERAND_REF_KINDS = {"object": "network-object", "object-group": "object-group", "interface": "interface"}
_ANY_KINDS = frozenset({"any", "any4", "any6"})


def _dotted_quad(text: str) -> bool:
    """An IPv4 literal as `ipaddress` accepts it (four decimal octets, no leading zero), quickly."""
    return _DOTTED_QUAD.fullmatch(text) is not None


def references(model: AsaConfig, with_names: bool = True) -> list[Ref]:
    """Every reference to a named structure (what `AsaConfig.references()` lists, time-ranges aside),
    cheaply; `with_names=False` leaves out the uses of `name` aliases."""

    if not with_names:
        return model.memo("single:references-no-names", lambda: [r for r in references(model) if r.kind != "name"])

    def build() -> list[Ref]:
        from cfglint.asa.tables import builtin_service, parse_ip
        from cfglint.models.asa import GroupRef, NetworkMember, ServiceMember

        out: list[Ref] = []
        add = out.append

        is_quad = _DOTTED_QUAD.fullmatch

        def addr(op, context: str, owner: str) -> None:
            if op is None:
                return
            k = op.kind
            ref_kind = _OPERAND_REF_KINDS.get(k)
            if ref_kind is not None:
                add(Ref(ref_kind, op.name or "", op, context, owner))
            elif (k == "host" or k == "subnet") and op.address:
                text = op.address
                if is_quad(text) is not None:
                    return  # an IPv4 literal (most operands): no need for the slower parse
                a = parse_ip(text)
                literal = a is not None if k == "host" else isinstance(a, IPv4Address)
                if not literal:
                    add(Ref("name", text, op, context, owner))

        services = model.service_objects
        for g in model.object_groups.values():
            for m in g.members:
                if isinstance(m, GroupRef):
                    add(Ref("object-group", m.name, m, "group", g.name))
                elif isinstance(m, NetworkMember):
                    addr(m.address, "group", g.name)
                elif isinstance(m, ServiceMember) and m.object_ref is not None:
                    if builtin_service(m.object_ref) is None or m.object_ref in services:
                        add(Ref("service-object", m.object_ref, m, "group", g.name))
        for acl in model.access_lists.values():
            name = acl.name
            for e in acl.entries:
                if e.action is None or (e.acl_type != "extended" and e.acl_type != "standard"):
                    continue  # not `e.is_rule`
                p = e.protocol
                if p is not None:
                    pk = p.kind
                    if pk == "object":
                        if builtin_service(p.value) is None or p.value in services:
                            add(Ref("service-object", p.value, p, "acl", name))
                    elif pk == "object-group":
                        add(Ref("object-group", p.value, p, "acl", name))
                op = e.src
                if op is not None and op.kind not in _ANY_KINDS:
                    addr(op, "acl", name)
                op = e.dst
                if op is not None and op.kind not in _ANY_KINDS:
                    addr(op, "acl", name)
                pm = e.src_port
                if pm is not None and pm.op == "object-group":
                    add(Ref("object-group", pm.values[0], pm, "acl", name))
                pm = e.dst_port
                if pm is not None and pm.op == "object-group":
                    add(Ref("object-group", pm.values[0], pm, "acl", name))
                if e.icmp_group is not None:
                    add(Ref("object-group", e.icmp_group, e, "acl", name))
        for ag in model.access_groups:
            add(Ref("access-list", ag.acl, ag, "access-group", ag.acl))
            if ag.interface is not None:
                add(Ref("interface", ag.interface, ag, "access-group", ag.acl))
        for n in model.legacy_nat:
            add(Ref("interface", n.interface, n, "nat", ""))
            if n.acl is not None:
                add(Ref("access-list", n.acl, n, "nat", ""))
            addr(n.address, "nat", "")
        for st in model.legacy_statics:
            if st.acl is not None:
                add(Ref("access-list", st.acl, st, "nat", ""))
            for itf in (st.real_interface, st.mapped_interface):
                add(Ref("interface", itf, st, "nat", ""))
        for gl in model.legacy_globals:
            add(Ref("interface", gl.interface, gl, "nat", ""))
        for on in model.object_nat:
            if on.mapped is not None and on.mapped not in _NAT_KEYWORDS and parse_ip(on.mapped) is None:
                add(Ref("object-or-group", on.mapped, on, "object-nat", on.object_name))
            if on.pat_pool is not None:
                add(Ref("object-or-group", on.pat_pool, on, "object-nat", on.object_name))
            for itf in (on.real_interface, on.mapped_interface):
                if itf is not None and itf != "any":
                    add(Ref("interface", itf, on, "object-nat", on.object_name))
        for tn in model.twice_nat:
            for x in (tn.source_real, tn.source_mapped, tn.source_pat_pool, tn.destination_mapped, tn.destination_real):
                if x is not None and x not in _NAT_KEYWORDS and parse_ip(x) is None:
                    add(Ref("object-or-group", x, tn, "nat", ""))
            if tn.service is not None:
                for x in tn.service:
                    add(Ref("service-object", x, tn, "nat", ""))
            for itf in (tn.real_interface, tn.mapped_interface):
                if itf is not None and itf != "any":
                    add(Ref("interface", itf, tn, "nat", ""))
        for cm in list(model.crypto_maps.values()) + list(model.dynamic_maps.values()):
            for e in cm.entries:
                owner = f"{cm.name} {e.seq}"
                if e.match_address is not None:
                    add(Ref("access-list", e.match_address.acl, e.match_address, "crypto-map", owner))
                if e.transform_sets is not None:
                    for n in e.transform_sets.names:
                        add(Ref("transform-set", n, e.transform_sets, "crypto-map", owner))
                if e.ikev2_proposals is not None:
                    for n in e.ikev2_proposals.names:
                        add(Ref("ikev2-proposal", n, e.ikev2_proposals, "crypto-map", owner))
                if e.dynamic_ref is not None:
                    add(Ref("dynamic-map", e.dynamic_ref.dynamic_map, e.dynamic_ref, "crypto-map", owner))
                for p in e.peers:
                    if p.address is None and parse_ip(p.text) is None:
                        add(Ref("name", p.text, p, "crypto-map", owner))
        for b in model.crypto_map_bindings:
            add(Ref("crypto-map", b.map_name, b, "crypto-map", b.map_name))
            add(Ref("interface", b.interface, b, "crypto-map", b.map_name))
        for en in model.ike_enables:
            add(Ref("interface", en.interface, en, "ike", ""))
        return out

    return model.memo("single:references", build)


def undefined_references(model: AsaConfig, with_names: bool) -> list[Ref]:
    """References whose target the file does not define (as `AsaConfig.undefined_references()`:
    interfaces only when the file names at least one), in file order."""
    from cfglint.asa.tables import builtin_service

    has_interfaces = any(i.nameif for i in model.interfaces)
    nets, svcs, groups = model.network_objects, model.service_objects, model.object_groups
    names = {n.name for n in model.names}
    nameifs = {i.nameif for i in model.interfaces if i.nameif}
    defined = {
        "network-object": lambda n: n in nets,
        "service-object": lambda n: n in svcs or builtin_service(n) is not None,
        "object": lambda n: n in nets or n in svcs,
        "object-group": lambda n: n in groups,
        "object-or-group": lambda n: n in nets or n in groups,
        "name": lambda n: n in names,
        "access-list": lambda n: n in model.access_lists,
        "interface": lambda n: not has_interfaces or n in nameifs,
        "transform-set": lambda n: n in model.transform_sets,
        "ikev2-proposal": lambda n: n in model.ipsec_proposals,
        "dynamic-map": lambda n: n in model.dynamic_maps,
        "crypto-map": lambda n: n in model.crypto_maps,
    }
    out = [r for r in references(model, with_names) if not defined[r.kind](r.name)]
    out.sort(key=lambda r: r.line)
    return out
