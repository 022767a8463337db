"""The network state a script builds, as a lattice a static run can join.

Every fact is three-valued: `YES`, `NO` or `MAYBE`. A command that may not run (a branch, a
loop, a guarded command) changes the state on a copy that is then joined with the state before
it, so what it did becomes `MAYBE`. Rules only report on `YES` / `NO`.

* `NsRef`: a namespace: the script's own (`ROOT`), a named one (`ip netns add`, `ip -n`, `ip netns
  exec`), a PID's (`netns 1234`, `nsenter -t`) or an unknown one. Named namespaces are distinct
  from each other and from the root namespace, unless one was made by linking a PID's namespace
  (`ln -s /proc/PID/ns/net /var/run/netns/N`, `ip netns attach`, a bind mount): those may be any.
* `Slot`: one interface name in one namespace: present or not, and, when present, its kind, veth
  pair, up/down, bridge master and addresses, with the command that decided each fact.
* `NsRec`: a namespace's existence, whether the script created it (its contents are then fully
  known: `closed`), whether it was deleted, and IP forwarding inside it.

An interface the script never touched is `MAYBE` in the root namespace (physical NICs, bridges of
other tools) and in namespaces the script did not create, `NO` in a namespace the script created
(only `lo` is born there). Unknown names or namespaces weaken every fact they might touch.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from cfglint.api import Span
from cfglint.netns.refs import DIFFERENT, MAYBE as REL_MAYBE, SAME, UNKNOWN_REF, Ref, relation

YES = "yes"
NO = "no"
MAYBE = "maybe"


def tjoin(a: str, b: str) -> str:
    return a if a == b else MAYBE


def ojoin(a, b):
    """Join of optional facts (None = unknown)."""
    if a is None or b is None:
        return None
    return a if a == b else MAYBE


@dataclass(frozen=True)
class Event:
    """A command that decided a fact, for messages and related locations."""

    span: Span
    text: str  # "moved to namespace qrouter-x", "deleted", ...
    line: int = 0


@dataclass(frozen=True)
class NsRef:
    kind: str  # "root" | "name" | "pid" | "unknown"
    ref: Ref

    @property
    def shown(self) -> str:
        if self.kind == "root":
            return "the root namespace"
        if self.kind == "pid":
            return f"the namespace of PID {self.ref.shown}"
        if self.kind == "unknown":
            return f"namespace {self.ref.shown}"
        return f"namespace {self.ref.shown}"

    @property
    def short(self) -> str:
        return "root" if self.kind == "root" else self.ref.shown


ROOT = NsRef("root", Ref((("t", "\x00root"),), "root"))
UNKNOWN_NS = NsRef("unknown", UNKNOWN_REF)


@dataclass(frozen=True)
class Slot:
    present: str
    gone: Event | None = None  # why absent (moved, deleted, renamed, namespace deleted)
    origin: str = "unknown"  # "created" (by the script), "moved", "renamed", "unknown"
    kind: str | None = None  # "veth", "bridge", "tap", ... None: unknown
    pair: int | None = None  # veth pair id
    created: Event | None = None
    up: str | None = None  # YES / NO / MAYBE, None = unknown
    up_event: Event | None = None
    master: Ref | None = None
    master_state: str | None = None  # YES: enslaved to `master`; NO: no master; None/MAYBE: unknown
    master_event: Event | None = None
    addrs: tuple[tuple[str, str], ...] = ()  # (address as written, YES/MAYBE)
    addrs_known: bool = False  # every address it holds is in `addrs`
    addr_event: Event | None = None
    moved_from: Event | None = None  # the move that brought it here


def _join_addrs(a: Slot, b: Slot) -> tuple[tuple[tuple[str, str], ...], bool]:
    da, db = dict(a.addrs), dict(b.addrs)
    out = {}
    for k in da.keys() | db.keys():
        x, y = da.get(k, NO), db.get(k, NO)
        j = tjoin(x, y)
        if j != NO:
            out[k] = j
    return tuple(sorted(out.items())), a.addrs_known and b.addrs_known


def join_slots(a: Slot, b: Slot) -> Slot:
    if a == b:
        return a
    present = tjoin(a.present, b.present)
    # attributes only describe the interface where it exists
    if a.present == NO:
        return replace(b, present=present, gone=b.gone or a.gone)
    if b.present == NO:
        return replace(a, present=present, gone=a.gone or b.gone)
    addrs, known = _join_addrs(a, b)
    return Slot(
        present=present,
        gone=a.gone or b.gone,
        origin=a.origin if a.origin == b.origin else "unknown",
        kind=a.kind if a.kind == b.kind else None,
        pair=a.pair if a.pair == b.pair else None,
        created=a.created if a.created == b.created else None,
        up=ojoin(a.up, b.up),
        up_event=a.up_event or b.up_event,
        master=a.master if a.master == b.master else None,
        master_state=ojoin(a.master_state, b.master_state) if a.master == b.master else None,
        master_event=a.master_event or b.master_event,
        addrs=addrs,
        addrs_known=known,
        addr_event=a.addr_event or b.addr_event,
        moved_from=a.moved_from if a.moved_from == b.moved_from else None,
    )


@dataclass(frozen=True)
class NsRec:
    exists: str = MAYBE
    created: str = NO  # created by the script (fresh: only lo)
    closed: bool = False  # every interface in it is known to the state
    created_event: Event | None = None
    deleted_event: Event | None = None
    alias: bool = False  # a PID's namespace given a name: may be any namespace, root included
    holders: bool = False  # a process may keep it alive after `ip netns del`
    fwd: tuple[tuple[str, str], ...] = ()  # (family, YES/NO/MAYBE) set inside it
    inherited_fwd: tuple[tuple[str, str], ...] = ()  # root's forwarding when it was created

    def fwd_of(self, family: str) -> str | None:
        return dict(self.fwd).get(family)


def join_ns(a: NsRec, b: NsRec) -> NsRec:
    if a == b:
        return a
    fa, fb = dict(a.fwd), dict(b.fwd)
    fwd = tuple(sorted((k, tjoin(fa.get(k, MAYBE), fb.get(k, MAYBE))) for k in fa.keys() | fb.keys()))
    ia, ib = dict(a.inherited_fwd), dict(b.inherited_fwd)
    inh = tuple(sorted((k, tjoin(ia.get(k, MAYBE), ib.get(k, MAYBE))) for k in ia.keys() | ib.keys()))
    return NsRec(
        exists=tjoin(a.exists, b.exists),
        created=tjoin(a.created, b.created),
        closed=a.closed and b.closed,
        created_event=a.created_event or b.created_event,
        deleted_event=a.deleted_event or b.deleted_event,
        alias=a.alias or b.alias,
        holders=a.holders or b.holders,
        fwd=fwd,
        inherited_fwd=inh,
    )


ROOT_REC = NsRec(exists=YES, created=NO, closed=False)
DEFAULT_REC = NsRec()


@dataclass
class Route:
    prefix: str  # on-link prefix (`ip route add 10.0.0.0/24 dev X`)
    dev: Ref | None


@dataclass
class State:
    slots: dict[tuple[NsRef, Ref], Slot] = field(default_factory=dict)
    ns: dict[NsRef, NsRec] = field(default_factory=dict)
    wild: frozenset[Ref] = frozenset()  # names that may have appeared in any namespace
    all_open: bool = False  # an unknown interface may have appeared in any namespace
    routes: dict[NsRef, tuple[tuple[str, Ref | None], ...]] = field(default_factory=dict)  # link routes
    routes_unknown: frozenset[NsRef] = frozenset()
    # iptables rules per (namespace, family, table): {(chain, rule spec): YES/MAYBE}; a table whose
    # rules cannot all be known (an unreadable command, iptables-restore) is in `rules_unknown`
    rules: dict[tuple[NsRef, str, str], dict[tuple, str]] = field(default_factory=dict)
    rules_unknown: frozenset[tuple[NsRef, str, str]] = frozenset()

    def copy(self) -> State:
        return State(dict(self.slots), dict(self.ns), self.wild, self.all_open, dict(self.routes),
                     self.routes_unknown, {k: dict(v) for k, v in self.rules.items()}, self.rules_unknown)

    def rule_state(self, ns: NsRef, family: str, table: str, chain: str, spec: tuple) -> str:
        """Whether the rule is in that chain: YES, NO (certainly not: the script knows the whole
        table, e.g. in a namespace it created) or MAYBE."""
        key = (ns, family, table)
        got = self.rules.get(key, {}).get((chain, spec))
        if got is not None:
            return got
        rec = self.rec(ns)
        if rec.created == YES and key not in self.rules_unknown and ns not in self.routes_unknown:
            return NO
        return MAYBE

    # -- namespaces ----------------------------------------------------------------------------------
    def rec(self, ns: NsRef) -> NsRec:
        r = self.ns.get(ns)
        if r is not None:
            return r
        return ROOT_REC if ns.kind == "root" else DEFAULT_REC

    def ns_relation(self, a: NsRef, b: NsRef) -> str:
        if a == b and a.kind != "unknown":
            return SAME
        if a.kind == "unknown" or b.kind == "unknown":
            return REL_MAYBE
        aliased = (a.kind == "name" and self.rec(a).alias) or (b.kind == "name" and self.rec(b).alias)
        if a.kind == "root" or b.kind == "root":
            other = b if a.kind == "root" else a
            if other.kind == "root":
                return SAME
            if other.kind == "pid" or aliased:
                return REL_MAYBE
            return DIFFERENT
        if a.kind == "pid" or b.kind == "pid":
            if a.kind == b.kind and relation(a.ref, b.ref) == SAME:
                return SAME
            return REL_MAYBE
        rel = relation(a.ref, b.ref)
        if aliased and rel != SAME:
            return REL_MAYBE
        return rel

    def known_namespaces(self) -> set[NsRef]:
        out = {ns for ns, _ in self.slots}
        out.update(self.ns)
        out.add(ROOT)
        return out

    def related_ns(self, ns: NsRef) -> list[NsRef]:
        """Recorded namespaces that may be `ns` without certainly being it."""
        return [o for o in self.known_namespaces() if o != ns and self.ns_relation(o, ns) != DIFFERENT]

    # -- interfaces ----------------------------------------------------------------------------------
    def default_slot(self, ns: NsRef, name: Ref) -> Slot:
        if name.literal == "lo":
            return Slot(present=YES if self.rec(ns).exists == YES else MAYBE, origin="unknown", kind="loopback")
        rec = self.rec(ns)
        if rec.exists == NO:
            return Slot(present=NO, gone=rec.deleted_event)
        if rec.closed and not self.all_open and name not in self.wild and name.known:
            return Slot(present=NO, origin="never", addrs_known=True, up=NO)
        return Slot(present=MAYBE)

    def slot(self, ns: NsRef, name: Ref) -> Slot:
        s = self.slots.get((ns, name))
        return s if s is not None else self.default_slot(ns, name)

    def presence(self, ns: NsRef, name: Ref) -> tuple[str, Slot]:
        """Whether `name` exists in `ns`, taking names and namespaces that may alias into account."""
        if ns.kind == "unknown" or not name.known:
            return MAYBE, Slot(present=MAYBE)
        s = self.slot(ns, name)
        if s.present != NO:
            return s.present, s
        if self.rec(ns).exists == NO:
            return NO, s
        # another recorded (namespace, name) that may be this one and may be present
        for (ons, oname), o in self.slots.items():
            if o.present == NO or (ons == ns and oname == name):
                continue
            if self.ns_relation(ons, ns) == DIFFERENT or relation(oname, name) == DIFFERENT:
                continue
            return MAYBE, s
        return NO, s

    def set_slot(self, ns: NsRef, name: Ref, s: Slot) -> None:
        self.slots[(ns, name)] = s

    def weaken_related(self, ns: NsRef, name: Ref | None, *, added: bool, removed: bool) -> None:
        """After a change to (ns, name): facts about names/namespaces that may be the same become
        MAYBE (an addition may have made an absent one present, a removal a present one absent)."""
        for key, s in list(self.slots.items()):
            ons, oname = key
            if ons == ns and oname == name:
                continue
            if self.ns_relation(ons, ns) == DIFFERENT:
                continue
            if name is not None and relation(oname, name) == DIFFERENT:
                continue
            if (added and s.present == NO) or (removed and s.present == YES):
                self.slots[key] = replace(s, present=MAYBE)
        if added:
            for ons in [ns, *self.related_ns(ns)]:
                r = self.rec(ons)
                if r.closed and (ons != ns or name is None or not name.known):
                    self.ns[ons] = replace(r, closed=False)

    def havoc_ns(self, ns: NsRef) -> None:
        """Something unknown ran in `ns`: any interface there may have appeared, gone or changed."""
        targets = [ns, *self.related_ns(ns)] if ns.kind != "unknown" else list(self.known_namespaces())
        if ns.kind == "unknown":
            self.all_open = True
        for key, s in list(self.slots.items()):
            if key[0] in targets or ns.kind == "unknown":
                self.slots[key] = replace(
                    s,
                    present=MAYBE if s.present != MAYBE else s.present,
                    up=None,
                    master_state=None,
                    addrs_known=False,
                    addrs=tuple((a, MAYBE) for a, _ in s.addrs),
                )
        for t in targets:
            r = self.rec(t)
            self.ns[t] = replace(r, closed=False, holders=True,
                                 fwd=tuple((k, MAYBE) for k, _ in r.fwd) or (("ipv4", MAYBE), ("ipv6", MAYBE)))
            self.routes_unknown = self.routes_unknown | {t}

    def havoc_all(self) -> None:
        self.havoc_ns(UNKNOWN_NS)
        for t in list(self.ns):
            r = self.ns[t]
            self.ns[t] = replace(r, exists=MAYBE if r.exists != MAYBE else r.exists)


def join_states(a: State, b: State) -> State:
    out = State()
    for key in a.slots.keys() | b.slots.keys():
        ns, name = key
        sa, sb = a.slots.get(key), b.slots.get(key)
        if sa is None:
            sa = a.default_slot(ns, name)
        if sb is None:
            sb = b.default_slot(ns, name)
        out.slots[key] = join_slots(sa, sb)
    for ns in a.ns.keys() | b.ns.keys():
        out.ns[ns] = join_ns(a.rec(ns), b.rec(ns))
    out.wild = a.wild | b.wild
    out.all_open = a.all_open or b.all_open
    for ns in a.routes.keys() | b.routes.keys():
        ra, rb = a.routes.get(ns, ()), b.routes.get(ns, ())
        out.routes[ns] = tuple(dict.fromkeys(ra + rb))
    out.routes_unknown = a.routes_unknown | b.routes_unknown
    for key in a.rules.keys() | b.rules.keys():
        ra, rb = a.rules.get(key, {}), b.rules.get(key, {})
        out.rules[key] = {r: (ra.get(r) if ra.get(r) == rb.get(r) else MAYBE) for r in ra.keys() | rb.keys()}
    out.rules_unknown = a.rules_unknown | b.rules_unknown
    return out
