"""Cross-device IPsec analysis for ASA: pair crypto map peers across the configs of a run and negotiate
each directed pair the way the two ASAs would (Batfish's `IpsecUtil` logic, for a vendor Batfish
cannot parse).

Pairing
  Every *static* crypto map entry that can initiate (bound to an interface, with a `match address`,
  not `set connection-type answer-only`) is an initiator, once per `set peer` address (the IKE rungs
  are only evaluated for the IKE versions its transform sets / proposals use and its interface
  enables; an entry that can use none is left to the single-device rules). The address
  is translated through the `peer-map` option (the public address the initiator dials -> the address
  written in the peer's own config, for NAT-T) and looked up in one index of every interface address
  of every config (`address_owners`, built once: pairing is linear in the number of devices). Several
  owners (two copies of one device in the tree): the one in the initiator's directory, then the one
  with the longest common path; still tied -> ambiguous (reported, never guessed). No owner: an
  unknown peer, unless it is in `external-peers`.

  On the responder, the entries that answer are those of the crypto map bound to the interface that
  owns the address: static entries whose `set peer` lists one of the initiator's addresses (through
  the peer map too), else the dynamic-map entries of that map. The ASA takes the first entry (by
  sequence) whose ACL holds the proposed proxy identities; so does this module.

Sessions
  One `IpsecSession` per directed pair (initiator entry, peer address), with nullable negotiated
  fields as in Batfish's `IpsecSession`: the IKE version, the phase-1 proposal (IKEv1: authentication,
  encryption, hash, DH group with the ASA defaults; IKEv2: encryption, integrity, PRF and group lists
  must intersect), the pre-shared keys (tunnel-groups named after each other's address, else
  `DefaultL2LGroup`; compared with `Secret.same_as`, so masked or encrypted keys are "cannot verify",
  never a mismatch), phase 2 (a transform set / IPsec proposal in common: ESP encryption, integrity,
  mode) and PFS, and the crypto ACL comparison of the device pair. `IpsecSession.status` is the ladder:
  the first rung that fails. Each ASA rule reads its own rung (`ipsec_sessions` is computed once per
  run through `ProjectContext.cached`).

Crypto ACLs are compared per device pair: the union of the flows of A's entries towards B against the
mirror of the union of B's entries towards A (usually one entry each). An IPsec responder accepts a
proposal only when it falls within one of its own entries, so when one side is a superset of the other
only the narrower side can bring the tunnel up for its traffic. A side that also answers with a
dynamic-map entry without ACL on that interface accepts whatever its static entries refuse (the ASA
tries the dynamic map last). ACLs with deny entries are compared only when both sides mirror each
other exactly (permits and denies); an element that cannot be resolved (fqdn object, undefined name,
identity criteria) makes the comparison "unverifiable", never a mismatch.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network, ip_address, ip_network
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any

from cfglint.asa.expand import (
    CryptoMapEntryView,
    Flow,
    Unresolved,
    address_owners,
    compare_flowsets,
    crypto_map_entries,
    flow_covers,
    mirror,
)
from cfglint.asa.tables import ICMP_PROTOCOLS, PORT_PROTOCOLS, PROTOCOL_NAMES

if TYPE_CHECKING:  # pragma: no cover
    from cfglint.api import ProjectIndex, Span
    from cfglint.models.asa import (
        AsaConfig,
        CryptoPeer,
        IkePolicy,
        Interface,
        IpsecProposal,
        IsakmpKey,
        Secret,
        TransformSet,
        TunnelGroup,
    )

IPAddress = IPv4Address | IPv6Address
IPNetwork = IPv4Network | IPv6Network

__all__ = [
    "AclComparison",
    "IpsecAnalysis",
    "IpsecOptions",
    "IpsecSession",
    "KeyCheck",
    "Pairing",
    "PeerLookup",
    "Phase1Proposal",
    "Phase2Proposal",
    "SessionStatus",
    "Side",
    "compare_keys",
    "flow_text",
    "host_of",
    "ipsec_options",
    "ipsec_sessions",
    "negotiate_phase1",
    "negotiate_phase2",
    "pfs_compatible",
    "session_status",
]


# --------------------------------------------------------------------------------------------------
# Options


@dataclass(frozen=True)
class IpsecOptions:
    """The family-level options (`[tool.cfglint.rules.ASA]`), hashable (a cache key)."""

    peer_map: tuple[tuple[IPAddress, IPAddress], ...] = ()
    external_peers: tuple[IPNetwork, ...] = ()

    @property
    def mapping(self) -> dict[IPAddress, IPAddress]:
        return dict(self.peer_map)

    def translate(self, address: IPAddress) -> IPAddress:
        """The address a peer dials -> the address written in the peer's own config."""
        for public, private in self.peer_map:
            if public == address:
                return private
        return address

    def is_external(self, address: IPAddress) -> bool:
        return any(address.version == n.version and address in n for n in self.external_peers)


def ipsec_options(options: Mapping[str, Any] | None) -> IpsecOptions:
    """`peer-map` (table: public address -> address in the peer's config) and `external-peers` (array
    of addresses or networks). Other keys belong to other ASA rules and are ignored. Raises ValueError
    with the offending value for a malformed option."""
    options = options or {}
    pm = options.get("peer-map", {})
    if not isinstance(pm, Mapping):
        raise ValueError('rules.ASA peer-map must be a table of "public address" = "address in the peer\'s config"')
    pairs: list[tuple[IPAddress, IPAddress]] = []
    for k, v in sorted(pm.items(), key=lambda kv: str(kv[0])):
        try:
            pairs.append((ip_address(str(k).strip()), ip_address(str(v).strip())))
        except ValueError:
            raise ValueError(f"rules.ASA peer-map: {k!r} = {v!r} is not an address pair") from None
    ext = options.get("external-peers", [])
    if isinstance(ext, str) or not isinstance(ext, Iterable):
        raise ValueError("rules.ASA external-peers must be an array of addresses or networks")
    nets: list[IPNetwork] = []
    for x in ext:
        try:
            nets.append(ip_network(str(x).strip(), strict=False))
        except ValueError:
            raise ValueError(f"rules.ASA external-peers: {x!r} is not an address or network") from None
    return IpsecOptions(tuple(pairs), tuple(nets))


# --------------------------------------------------------------------------------------------------
# Small helpers


def host_of(model: AsaConfig) -> str:
    """The device's hostname, else its file name."""
    return model.hostname or PurePosixPath(model.path).name


def _proto_name(p: int) -> str:
    return PROTOCOL_NAMES.get(p, str(p))


def _ports(label: str, r: tuple[int, int]) -> str:
    lo, hi = r
    if r == (0, 65535):
        return ""
    return f" {label} {lo}" if lo == hi else f" {label} {lo}-{hi}"


def flow_text(f: Flow) -> str:
    """Compact: `10.10.0.0/24 <-> 192.168.50.0/24 ip`, `10.1.0.0/24 <-> 10.2.0.0/24 tcp dport 443`."""
    out = f"{f.src} <-> {f.dst} {_proto_name(f.protocol)}"
    if f.protocol in ICMP_PROTOCOLS:
        if f.dst_ports != (0, 65535):
            out += f" type {f.dst_ports[0]}"
        return out
    if f.protocol in PORT_PROTOCOLS:
        out += _ports("sport", f.src_ports) + _ports("dport", f.dst_ports)
    return out


def _flow_order(f: Flow) -> tuple:
    return (
        f.src.version,
        int(f.src.network_address),
        f.src.prefixlen,
        int(f.dst.network_address),
        f.dst.prefixlen,
        f.protocol,
        f.src_ports,
        f.dst_ports,
    )


def sorted_flows(flows: Iterable[Flow]) -> list[Flow]:
    return sorted(flows, key=_flow_order)


def _answer_only(view: CryptoMapEntryView) -> bool:
    return any("connection-type answer-only" in r.text for r in view.entry.other)


def _originate_only(view: CryptoMapEntryView) -> bool:
    return any("connection-type originate-only" in r.text for r in view.entry.other)


def entry_versions(view: CryptoMapEntryView) -> frozenset[int]:
    """IKE versions an entry is configured for: 1 with a transform set, 2 with an IKEv2 proposal."""
    out = set()
    if view.entry.transform_sets is not None and view.entry.transform_sets.names:
        out.add(1)
    if view.entry.ikev2_proposals is not None and view.entry.ikev2_proposals.names:
        out.add(2)
    return frozenset(out)


def _norm_group(g: str) -> str:
    g = g.lower().strip()
    return g[5:] if g.startswith("group") else g


def _norm_enc(e: str) -> str:
    e = e.lower().strip()
    return {"aes-128": "aes", "aes128": "aes", "aes192": "aes-192", "aes256": "aes-256"}.get(e, e)


def _norm_hash(h: str) -> str:
    h = h.lower().strip().replace("hmac-", "")
    return {
        "sha1": "sha",
        "sha-1": "sha",
        "sha-256": "sha256",
        "sha-384": "sha384",
        "sha-512": "sha512",
        "md5-hmac": "md5",
        "sha-hmac": "sha",
    }.get(h, h)


def _norm_transform(t: str | None) -> str | None:
    if t is None:
        return None
    t = t.lower().strip()
    return {"esp-aes-128": "esp-aes", "esp-sha1-hmac": "esp-sha-hmac"}.get(t, t)


# --------------------------------------------------------------------------------------------------
# Phase 1


@dataclass(frozen=True, eq=False)
class Phase1Proposal:
    """The IKE proposal both sides accept: the initiator's policy and the responder's that matched."""

    version: int
    initiator_policy: IkePolicy | None
    responder_policy: IkePolicy | None
    encryption: str | None = None
    integrity: str | None = None  # IKEv1: the hash
    prf: str | None = None
    group: str | None = None
    authentication: str | None = None


def _v1_offer(p: IkePolicy) -> tuple[str, str, str, str]:
    enc = p.effective_encryption
    hsh = p.effective_hash
    grp = p.effective_groups
    # IKEv1 takes one value per policy; when written twice the device keeps the last.
    return (
        p.effective_authentication.lower(),
        _norm_enc(enc[-1]) if enc else "",
        _norm_hash(hsh[-1]) if hsh else "",
        _norm_group(grp[-1]) if grp else "",
    )


def _common(a: Iterable[str], b: Iterable[str]) -> str | None:
    """The first of `a` (initiator order) also in `b`; "" when either list is empty (not written: the
    device default, not modelled: treated as compatible, never as a mismatch)."""
    la, lb = list(a), list(b)
    if not la or not lb:
        return ""
    sb = set(lb)
    for x in la:
        if x in sb:
            return x
    return None


def negotiate_phase1(
    version: int, initiator: list[IkePolicy], responder: list[IkePolicy]
) -> tuple[Phase1Proposal | None, bool]:
    """(the proposal both accept or None, verifiable). The initiator's policies are tried by
    priority against each of the responder's (Batfish: first initiator proposal compatible with any
    responder proposal). Not verifiable when a side has no policy of that version (the ASA then uses
    built-in defaults this module does not guess)."""
    if not initiator or not responder:
        return None, False
    if version == 1:
        for ip in initiator:
            io = _v1_offer(ip)
            for rp in responder:
                if _v1_offer(rp) == io:
                    return Phase1Proposal(1, ip, rp, io[1], io[2], None, io[3], io[0]), True
        return None, True
    for ip in initiator:
        for rp in responder:
            enc = _common(map(_norm_enc, ip.encryption), map(_norm_enc, rp.encryption))
            integ = _common(map(_norm_hash, ip.integrity), map(_norm_hash, rp.integrity))
            prf = _common(map(_norm_hash, ip.prf or ip.integrity), map(_norm_hash, rp.prf or rp.integrity))
            grp = _common(map(_norm_group, ip.groups), map(_norm_group, rp.groups))
            if None in (enc, integ, prf, grp):
                continue
            return Phase1Proposal(2, ip, rp, enc or None, integ or None, prf or None, grp or None), True
    return None, True


def describe_policy(p: IkePolicy) -> str:
    """`10 (pre-share aes-256 sha group 2)` / `10 (aes-256,aes-192 sha256 prf sha256 group 14,19)`."""
    if p.version == 1:
        auth, enc, hsh, grp = _v1_offer(p)
        return f"{p.priority} ({auth} {enc} {hsh} group {grp})"
    parts = [",".join(p.encryption) or "-", ",".join(p.integrity) or "-"]
    if p.prf:
        parts.append("prf " + ",".join(p.prf))
    parts.append("group " + (",".join(p.groups) or "-"))
    return f"{p.priority} ({' '.join(parts)})"


# --------------------------------------------------------------------------------------------------
# Phase 2


@dataclass(frozen=True, eq=False)
class Phase2Proposal:
    """The transform set (IKEv1) / IPsec proposal (IKEv2) both entries accept."""

    version: int
    initiator: TransformSet | IpsecProposal
    responder: TransformSet | IpsecProposal
    encryption: str | None
    integrity: str | None
    mode: str = "tunnel"


def _ts_key(t: TransformSet) -> tuple[str | None, str | None, str]:
    return (_norm_transform(t.encryption), _norm_transform(t.integrity), (t.mode or "tunnel").lower())


def negotiate_phase2(
    version: int, initiator: CryptoMapEntryView, responder: CryptoMapEntryView
) -> tuple[Phase2Proposal | None, bool]:
    """(the transform/proposal in common or None, verifiable). Not verifiable when an entry names a
    transform set / proposal that is not defined (it could be the matching one) or has none of that
    version (an incomplete entry: a single-device finding)."""
    if version == 1:
        a, b = initiator.transform_sets, responder.transform_sets
        if initiator.missing_transform_sets or responder.missing_transform_sets or not a or not b:
            return None, False
        for x in a:
            kx = _ts_key(x)
            for y in b:
                if _ts_key(y) == kx:
                    return Phase2Proposal(1, x, y, kx[0], kx[1], kx[2]), True
        return None, True
    pa, pb = initiator.ikev2_proposals, responder.ikev2_proposals
    if initiator.missing_ikev2_proposals or responder.missing_ikev2_proposals or not pa or not pb:
        return None, False
    for x in pa:
        for y in pb:
            enc = _common(map(_norm_enc, x.encryption), map(_norm_enc, y.encryption))
            integ = _common(map(_norm_hash, x.integrity), map(_norm_hash, y.integrity))
            if enc is None or integ is None:
                continue
            return Phase2Proposal(2, x, y, enc or None, integ or None), True
    return None, True


def describe_transforms(view: CryptoMapEntryView, version: int) -> str:
    if version == 1:
        return ", ".join(
            f"{t.name} ({' '.join(t.transforms)}{' transport' if (t.mode or '').lower() == 'transport' else ''})"
            for t in view.transform_sets
        )
    return ", ".join(
        f"{p.name} (esp {','.join(p.encryption) or '-'} / {','.join(p.integrity) or '-'})" for p in view.ikev2_proposals
    )


def pfs_compatible(initiator_group: str | None, responder_group: str | None) -> bool:
    """Whether the responder accepts the initiator's PFS offer. The ASA (as IOS) accepts any PFS offer
    when it does not set PFS itself; when it sets PFS the initiator must offer the same group (a bare
    `set pfs` is group 2)."""
    if responder_group is None:
        return True
    if initiator_group is None:
        return False
    return _norm_group(initiator_group) == _norm_group(responder_group)


# --------------------------------------------------------------------------------------------------
# Keys


@dataclass(frozen=True, eq=False)
class KeySource:
    """Where one side's pre-shared key for the peer comes from."""

    model: AsaConfig
    group_name: str  # the tunnel-group looked up (the peer's address)
    group: TunnelGroup | None  # the group used (the named one, or DefaultL2LGroup)
    default_group: bool  # the key comes from DefaultL2LGroup
    ikev1: Secret | None
    ikev2_local: Secret | None
    ikev2_remote: Secret | None
    certificate_v1: bool = False
    certificate_v2_local: bool = False
    certificate_v2_remote: bool = False
    isakmp: IsakmpKey | None = None  # the 7.x `crypto isakmp key ... address` line the IKEv1 key comes from

    @property
    def span(self) -> Span | None:
        g = self.group
        if g is None or (self.isakmp is not None and (g.ipsec_attributes is None or g.ipsec_attributes.ikev1_psk is None)):
            return self.isakmp.span if self.isakmp is not None else None
        return g.ipsec_attributes.span if g.ipsec_attributes is not None else g.span


@dataclass(frozen=True, eq=False)
class KeyCheck:
    """The pre-shared key comparison of a session.

    `same`: True (equal), False (differ, or a side has no key), None (cannot verify: masked `*****`,
    encrypted, or certificate authentication). `problem`: None, "mismatch", "missing" or "unverifiable".
    `missing`: the sides ("initiator"/"responder") with no key; `unverifiable`: (side, kind) pairs."""

    version: int
    same: bool | None
    problem: str | None
    initiator: KeySource
    responder: KeySource
    missing: tuple[str, ...] = ()
    unverifiable: tuple[tuple[str, str], ...] = ()
    mismatched: tuple[str, ...] = ()  # "ikev1", or IKEv2 "initiator-local", "initiator-remote"


def _tg_for(model: AsaConfig, address: IPAddress) -> TunnelGroup | None:
    tg = model.tunnel_group(str(address))
    if tg is not None:
        return tg
    for g in model.tunnel_groups.values():
        if g.peer_address == address:
            return g
    return None


def _raw_texts(tg: TunnelGroup | None) -> list[str]:
    if tg is None or tg.ipsec_attributes is None:
        return []
    return [getattr(r, "text", "") for r in tg.ipsec_attributes.other]


def key_source(model: AsaConfig, peer_address: IPAddress) -> KeySource:
    """The tunnel-group named after the peer's address (the ASA's L2L lookup), else DefaultL2LGroup;
    the 7.x `crypto isakmp key K address A` form is used when neither has an IKEv1 key."""
    named = _tg_for(model, peer_address)
    group = named
    default = False
    if named is None:
        group = model.tunnel_group("DefaultL2LGroup")
        default = group is not None
    ipsec = group.ipsec_attributes if group is not None else None
    v1 = ipsec.ikev1_psk if ipsec is not None else None
    isakmp = None
    if v1 is None:
        isakmp = _isakmp_key(model, peer_address)
        v1 = isakmp.key if isakmp is not None else None
    texts = _raw_texts(group)
    return KeySource(
        model=model,
        group_name=str(peer_address),
        group=group,
        default_group=default,
        ikev1=v1,
        ikev2_local=ipsec.ikev2_local_pre_shared_key if ipsec is not None else None,
        ikev2_remote=ipsec.ikev2_remote_pre_shared_key if ipsec is not None else None,
        certificate_v1=any(t.startswith(("ikev1 trust-point", "trust-point")) for t in texts),
        certificate_v2_local=any(t.startswith("ikev2 local-authentication certificate") for t in texts),
        certificate_v2_remote=any(t.startswith("ikev2 remote-authentication certificate") for t in texts),
        isakmp=isakmp,
    )


def _isakmp_key(model: AsaConfig, address: IPAddress) -> IsakmpKey | None:
    from cfglint.asa.tables import network_of

    for k in model.isakmp_keys:
        net = network_of(k.address, k.netmask) if k.netmask else network_of(k.address, None)
        if net is not None and net.version == address.version and address in net:
            return k
    return None


def _usable(s: Secret | None) -> bool:
    return s is not None and s.kind != "absent"


def compare_keys(version: int, a: KeySource, b: KeySource, authentication: str | None = None) -> KeyCheck | None:
    """Compare the initiator's (`a`) and responder's (`b`) keys for one IKE version. None when the
    tunnel does not authenticate with pre-shared keys (IKEv1 `rsa-sig`, IKEv2 certificates)."""
    pairs: list[tuple[str, Secret | None, Secret | None]] = []
    if version == 1:
        if authentication not in (None, "", "pre-share") or (a.certificate_v1 and b.certificate_v1):
            return None
        pairs.append(("ikev1", a.ikev1, b.ikev1))
    else:
        # IKEv2 keys are one per direction: what one side authenticates with (local) is what the other
        # checks (remote).
        if not (a.certificate_v2_local or b.certificate_v2_remote):
            pairs.append(("initiator-local", a.ikev2_local, b.ikev2_remote))
        if not (a.certificate_v2_remote or b.certificate_v2_local):
            pairs.append(("initiator-remote", a.ikev2_remote, b.ikev2_local))
        if not pairs:
            return None
    missing: list[str] = []
    unverifiable: list[tuple[str, str]] = []
    mismatched: list[str] = []
    for label, x, y in pairs:
        if not _usable(x) or not _usable(y):
            if not _usable(x):
                missing.append("initiator")
            if not _usable(y):
                missing.append("responder")
            continue
        same = x.same_as(y)  # type: ignore[union-attr]
        if same is None:
            for side, s in (("initiator", x), ("responder", y)):
                if not s.verifiable:  # type: ignore[union-attr]
                    unverifiable.append((side, s.kind))  # type: ignore[union-attr]
        elif same is False:
            mismatched.append(label)
    missing_t = tuple(dict.fromkeys(missing))
    unv = tuple(dict.fromkeys(unverifiable))
    if missing_t:
        return KeyCheck(version, False, "missing", a, b, missing_t, unv, tuple(mismatched))
    if mismatched:
        return KeyCheck(version, False, "mismatch", a, b, (), unv, tuple(mismatched))
    if unv:
        return KeyCheck(version, None, "unverifiable", a, b, (), unv)
    return KeyCheck(version, True, None, a, b)


# --------------------------------------------------------------------------------------------------
# Crypto ACLs


@dataclass(frozen=True, eq=False)
class AclComparison:
    """The crypto ACLs of a device pair. `a` sorts first by path. `a_flows`/`b_flows`: the union of
    the permit flows of each side's entries towards the other, each in its own orientation (local ->
    remote). `relation` of a to mirror(b): equal / subset / superset / overlap / disjoint, or
    "unverifiable" (`unresolved` is not empty). `only_a`: a's flows no single entry of b accepts;
    `only_b`: b's flows (b's orientation) no single entry of a accepts."""

    a: AsaConfig
    b: AsaConfig
    a_views: tuple[CryptoMapEntryView, ...]
    b_views: tuple[CryptoMapEntryView, ...]
    a_flows: frozenset[Flow]
    b_flows: frozenset[Flow]
    relation: str
    only_a: frozenset[Flow] = frozenset()
    only_b: frozenset[Flow] = frozenset()
    unresolved: tuple[tuple[AsaConfig, Unresolved], ...] = ()

    @property
    def mismatch(self) -> bool:
        """Some flow of one side is not accepted by any entry of the other."""
        return self.relation != "unverifiable" and bool(self.only_a or self.only_b)

    @property
    def verifiable(self) -> bool:
        return self.relation != "unverifiable"


def _union_flows(
    model: AsaConfig, views: Iterable[CryptoMapEntryView]
) -> tuple[frozenset[Flow], frozenset[Flow], list[Unresolved], list[Unresolved]]:
    """(permit flows, deny flows, what could not be resolved, where the deny entries are)."""
    flows: set[Flow] = set()
    denies: set[Flow] = set()
    unresolved: list[Unresolved] = []
    deny_at: list[Unresolved] = []
    for v in views:
        fs = v.flows(model)
        if fs is None:
            continue
        if not fs.defined:
            unresolved.append(
                Unresolved("undefined-object", fs.acl, v.entry.match_address.span if v.entry.match_address else None)
            )
            continue
        flows |= fs.flows
        denies |= fs.deny_flows
        unresolved.extend(fs.unresolved)
        if fs.deny_flows:
            deny_at.append(Unresolved("deny-entry", fs.acl, _first_deny_span(fs)))
    return frozenset(flows), frozenset(denies), unresolved, deny_at


def _first_deny_span(fs: Any) -> Span | None:
    for e in fs.entries:
        if e.active and e.action == "deny":
            return e.span
    return None


def compare_acls(
    a: AsaConfig,
    a_views: tuple[CryptoMapEntryView, ...],
    b: AsaConfig,
    b_views: tuple[CryptoMapEntryView, ...],
    a_open: bool = False,
    b_open: bool = False,
) -> AclComparison:
    """`a_open` / `b_open`: that side also has a dynamic-map entry without ACL facing the other, which
    the ASA tries after its static entries: it accepts any proposal the static entries refuse. The flows
    of a side whose entries are all dynamic-map entries are never proposed: only what it refuses counts."""
    fa, da, ua, xa = _union_flows(a, a_views)
    fb, db, ub, xb = _union_flows(b, b_views)
    unresolved = tuple((a, u) for u in ua) + tuple((b, u) for u in ub)
    if (da or db) and not unresolved and not (fa == mirror(fb) and da == mirror(db)):
        # A deny entry carves traffic out of the protected set in a way a set of selectors cannot
        # show: unless both sides are exact mirrors (permits and denies), compare nothing.
        unresolved = tuple((a, u) for u in xa) + tuple((b, u) for u in xb)
    if unresolved or not fa or not fb:
        if not unresolved:  # an ACL without a permit entry: single-device territory
            unresolved = ((a if not fa else b, Unresolved("empty-acl", "no permit entry")),)
        return AclComparison(a, b, a_views, b_views, fa, fb, "unverifiable", unresolved=unresolved)
    cmp = compare_flowsets(fa, mirror(fb))
    only_a, only_b = cmp.only_in_a, mirror(cmp.only_in_b)
    relation = cmp.relation
    # A side's flows the other does not accept matter only if that side proposes them (a dynamic-map
    # entry never initiates) and the other has no catch-all dynamic map to accept them.
    a_dynamic = all(v.dynamic for v in a_views)
    b_dynamic = all(v.dynamic for v in b_views)
    if b_open or a_dynamic:
        only_a = frozenset()
    if a_open or b_dynamic:
        only_b = frozenset()
    if (only_a, only_b) != (cmp.only_in_a, mirror(cmp.only_in_b)) and bool(only_a) != bool(only_b):
        relation = "subset" if only_b else "superset"
    return AclComparison(a, b, a_views, b_views, fa, fb, relation, only_a, only_b)


def _open_dynamic(model: AsaConfig, nameifs: Iterable[str], other: set[IPAddress], opts: IpsecOptions) -> bool:
    """A dynamic-map entry without ACL on one of these interfaces that does not restrict its peers to
    others: it answers any proposal (the ASA tries the dynamic map after the static entries)."""
    wanted = set(nameifs)
    for v in _dynamic_entries(model):
        if v.acl_name is not None or not wanted & set(v.interfaces) or _originate_only(v):
            continue
        if not v.peers or _peer_addresses(v, opts) & other:
            return True
    return False


# --------------------------------------------------------------------------------------------------
# Sessions


class Pairing(str, enum.Enum):
    PAIRED = "paired"
    UNKNOWN_PEER = "unknown-peer"  # no config of the run owns the address
    EXTERNAL = "external"  # in external-peers
    AMBIGUOUS = "ambiguous"  # several configs own it, no way to choose
    SELF = "self"  # the initiator owns it
    NO_RESPONDER_ENTRY = "no-responder-entry"  # the owner has no entry that answers this initiator
    RESPONDER_UNVERIFIABLE = "responder-unverifiable"  # its entries name peers that cannot be resolved
    RESPONDER_INCOMPLETE = "responder-incomplete"  # its entry for the initiator has no match address


class SessionStatus(str, enum.Enum):
    """The ladder (Batfish's `IpsecSessionStatus` with ASA rungs): the first rung that fails."""

    MISSING_END_POINT = "missing-end-point"
    AMBIGUOUS_END_POINT = "ambiguous-end-point"
    NO_RESPONDER_ENTRY = "no-responder-entry"
    NOT_EVALUATED = "not-evaluated"  # external peer, own address, unverifiable responder
    IKE_VERSION_MISMATCH = "ike-version-mismatch"
    IKE_PHASE1_FAILED = "ike-phase1-failed"
    IKE_PHASE1_KEY_MISMATCH = "ike-phase1-key-mismatch"
    IPSEC_PHASE2_FAILED = "ipsec-phase2-failed"
    CRYPTO_ACL_MISMATCH = "crypto-acl-mismatch"
    ESTABLISHED = "established"


@dataclass(frozen=True, eq=False)
class Side:
    """One end of a session: the device, its crypto map entry (None: a responder without one), the
    interface facing the peer and the address used there."""

    model: AsaConfig
    view: CryptoMapEntryView | None
    interface: Interface | None
    address: IPAddress | None

    @property
    def host(self) -> str:
        return host_of(self.model)

    @property
    def path(self) -> str:
        return self.model.path

    @property
    def key(self) -> tuple[str, str, int] | tuple[str]:
        v = self.view
        return (self.model.path, v.map.name, v.entry.seq) if v is not None else (self.model.path,)


@dataclass(frozen=True, eq=False)
class PeerLookup:
    """One `set peer` address of an initiating entry and what it resolved to."""

    model: AsaConfig
    view: CryptoMapEntryView
    peer: CryptoPeer
    address: IPAddress  # as written (resolved from a name)
    target: IPAddress  # after the peer map
    outcome: Pairing
    owner: tuple[AsaConfig, Interface] | None = None
    candidates: tuple[AsaConfig, ...] = ()


@dataclass(frozen=True, eq=False)
class IpsecSession:
    """A directed pair initiator -> responder with its negotiated fields (None: failed or not
    evaluated; the `*_verifiable` flags tell which)."""

    initiator: Side
    peer: CryptoPeer | None
    pairing: Pairing
    responder: Side | None = None
    candidates: tuple[AsaConfig, ...] = ()
    initiator_versions: frozenset[int] = frozenset()
    responder_versions: frozenset[int] = frozenset()  # enabled on the responder's interface
    ike_version: int | None = None
    ike_verifiable: bool = True  # False: the responder's file is an excerpt without any IKE enable line
    phase1: Phase1Proposal | None = None
    phase1_verifiable: bool = True
    key: KeyCheck | None = None
    phase2: Phase2Proposal | None = None
    phase2_verifiable: bool = True
    phase2_version: int | None = None  # the version phase 2 was evaluated for
    pfs_ok: bool | None = None
    acl: AclComparison | None = None

    # -- rungs ------------------------------------------------------------------------------------
    @property
    def paired(self) -> bool:
        return self.pairing is Pairing.PAIRED and self.responder is not None

    @property
    def ike_version_failed(self) -> bool:
        return self.paired and bool(self.initiator_versions) and self.ike_version is None and self.ike_verifiable

    @property
    def phase1_failed(self) -> bool:
        return self.paired and self.ike_version is not None and self.phase1 is None and self.phase1_verifiable

    @property
    def key_failed(self) -> bool:
        return self.paired and self.key is not None and self.key.same is False

    @property
    def key_unverifiable(self) -> bool:
        return self.paired and self.key is not None and self.key.problem == "unverifiable"

    @property
    def phase2_failed(self) -> bool:
        if not self.paired or self.phase2_version is None:
            return False
        return (self.phase2 is None and self.phase2_verifiable) or self.pfs_ok is False

    @property
    def acl_failed(self) -> bool:
        return self.paired and self.acl is not None and self.acl.mismatch

    @property
    def status(self) -> SessionStatus:
        return session_status(self)


def session_status(s: IpsecSession) -> SessionStatus:
    """The first rung that fails (Batfish: MISSING_END_POINT, IKE_PHASE1_FAILED,
    IKE_PHASE1_KEY_MISMATCH, IPSEC_PHASE2_FAILED, IPSEC_SESSION_ESTABLISHED), with ASA rungs added."""
    if s.pairing is Pairing.UNKNOWN_PEER:
        return SessionStatus.MISSING_END_POINT
    if s.pairing is Pairing.AMBIGUOUS:
        return SessionStatus.AMBIGUOUS_END_POINT
    if s.pairing is Pairing.NO_RESPONDER_ENTRY:
        return SessionStatus.NO_RESPONDER_ENTRY
    if not s.paired or not s.initiator_versions:
        return SessionStatus.NOT_EVALUATED
    if s.ike_version_failed:
        return SessionStatus.IKE_VERSION_MISMATCH
    if s.phase1_failed:
        return SessionStatus.IKE_PHASE1_FAILED
    if s.key_failed:
        return SessionStatus.IKE_PHASE1_KEY_MISMATCH
    if s.phase2_failed:
        return SessionStatus.IPSEC_PHASE2_FAILED
    if s.acl_failed:
        return SessionStatus.CRYPTO_ACL_MISMATCH
    return SessionStatus.ESTABLISHED


@dataclass(frozen=True, eq=False)
class IpsecAnalysis:
    """Everything the ASA cross-device rules read: the peer lookups, the sessions (sorted by initiator
    path, map, sequence, peer), and the crypto ACL comparisons of the device pairs."""

    lookups: tuple[PeerLookup, ...]
    sessions: tuple[IpsecSession, ...]
    acls: tuple[AclComparison, ...]
    options: IpsecOptions

    def __iter__(self):  # noqa: ANN204 - iterate the sessions
        return iter(self.sessions)


# --------------------------------------------------------------------------------------------------
# Pairing


def _common_prefix(a: str, b: str) -> int:
    pa, pb = PurePosixPath(a).parent.parts, PurePosixPath(b).parent.parts
    n = 0
    for x, y in zip(pa, pb, strict=False):
        if x != y:
            break
        n += 1
    return n


def choose_owner(
    initiator: AsaConfig, owners: list[tuple[AsaConfig, Interface]]
) -> tuple[tuple[AsaConfig, Interface] | None, tuple[AsaConfig, ...]]:
    """(the owner, ()) or (None, the tied candidates). Several configs own the address: prefer the one
    in the initiator's directory, then the one sharing the longest directory prefix with it."""
    by_model: dict[int, tuple[AsaConfig, Interface]] = {}
    for m, itf in owners:
        if m is initiator:
            continue
        by_model.setdefault(id(m), (m, itf))
    cands = list(by_model.values())
    if len(cands) <= 1:
        return (cands[0] if cands else None), ()
    here = PurePosixPath(initiator.path).parent
    same_dir = [c for c in cands if PurePosixPath(c[0].path).parent == here]
    if len(same_dir) == 1:
        return same_dir[0], ()
    pool = same_dir or cands
    best = max(_common_prefix(initiator.path, c[0].path) for c in pool)
    top = [c for c in pool if _common_prefix(initiator.path, c[0].path) == best]
    if len(top) == 1:
        return top[0], ()
    return None, tuple(sorted((c[0] for c in top), key=lambda m: m.path))


def _initiator_versions(model: AsaConfig, view: CryptoMapEntryView) -> frozenset[int]:
    enabled: set[int] = set()
    for nameif in view.interfaces:
        enabled |= model.ike_versions_on(nameif)
    return entry_versions(view) & frozenset(enabled)


def _initiates(view: CryptoMapEntryView) -> bool:
    return (
        not view.dynamic
        and bool(view.interfaces)
        and bool(view.entry.peers)
        and view.acl_name is not None
        and not _answer_only(view)
        and not view.entry.ipsec_manual
    )


def _entries(model: AsaConfig) -> list[CryptoMapEntryView]:
    return crypto_map_entries(model, include_dynamic=True)


def _peer_addresses(view: CryptoMapEntryView, opts: IpsecOptions) -> set[IPAddress]:
    return {opts.translate(p) for p in view.peers}  # type: ignore[arg-type]


def _owned_on(model: AsaConfig, nameifs: Iterable[str]) -> set[IPAddress]:
    out: set[IPAddress] = set()
    for n in nameifs:
        itf = model.interface_by_nameif(n)
        if itf is not None and not itf.shutdown:
            out.update(itf.addresses(standby=True))
    return out


def _by_peer(model: AsaConfig, opts: IpsecOptions) -> dict[IPAddress, list[tuple[int, CryptoMapEntryView]]]:
    """`model`'s static, bound, complete entries by peer address (through the peer map), each with its
    position: built once per model, so finding a device's entries towards another costs the number of
    the other's addresses, not a scan of every entry."""

    def build() -> dict[IPAddress, list[tuple[int, CryptoMapEntryView]]]:
        out: dict[IPAddress, list[tuple[int, CryptoMapEntryView]]] = {}
        for i, v in enumerate(_entries(model)):
            if v.dynamic or not v.interfaces or v.acl_name is None or v.entry.ipsec_manual:
                continue
            for addr in _peer_addresses(v, opts):
                out.setdefault(addr, []).append((i, v))
        return out

    return model.memo(("ipsec:by-peer", opts), build)


def _dynamic_entries(model: AsaConfig) -> list[CryptoMapEntryView]:
    return model.memo("ipsec:dynamic", lambda: [v for v in _entries(model) if v.dynamic])


def _views_towards(
    model: AsaConfig, other_addresses: Iterable[IPAddress], opts: IpsecOptions, nameif: str | None = None
) -> list[CryptoMapEntryView]:
    """`model`'s static, bound, complete entries whose peers (through the peer map) are addresses of
    the other device, in map order; only those bound to `nameif` when given."""
    index = _by_peer(model, opts)
    found: dict[int, CryptoMapEntryView] = {}
    for addr in other_addresses:
        for i, v in index.get(addr, ()):
            if nameif is None or nameif in v.interfaces:
                found[i] = v
    return [found[i] for i in sorted(found)]


def _accepts_any(model: AsaConfig, view: CryptoMapEntryView, proposals: frozenset[Flow]) -> bool:
    """Whether the entry's ACL (as responder, mirrored) holds at least one proposal; an entry without
    an ACL (a dynamic template) accepts any."""
    fs = view.flows(model)
    if fs is None:
        return True
    mine = fs.flows  # the responder's orientation, as the proposals (the initiator's flows mirrored)
    return any(p in mine or any(flow_covers(g, p) for g in mine) for p in proposals)


def ipsec_sessions(index: ProjectIndex, options: IpsecOptions | None = None) -> IpsecAnalysis:
    """Pair every initiating entry of every ASA config of the run with its responder and negotiate.
    Meant for `ctx.cached(ipsec_sessions, index, options)`: computed once per run."""
    from cfglint.models.asa import AsaConfig

    opts = options or IpsecOptions()
    models: list[AsaConfig] = index.of_type(AsaConfig)
    owners = address_owners(models)  # one pass over every config

    lookups: list[PeerLookup] = []
    for m in models:
        for v in _entries(m):
            if not _initiates(v):
                continue
            for p in v.entry.peers:
                if p.address is None:
                    continue  # a host name: undefined-reference territory
                target = opts.translate(p.address)
                found = owners.get(target, [])
                if not found:
                    ext = opts.is_external(p.address) or opts.is_external(target)
                    lookups.append(
                        PeerLookup(m, v, p, p.address, target, Pairing.EXTERNAL if ext else Pairing.UNKNOWN_PEER)
                    )
                    continue
                if all(o[0] is m for o in found):
                    lookups.append(PeerLookup(m, v, p, p.address, target, Pairing.SELF))
                    continue
                owner, tied = choose_owner(m, found)
                if owner is None:
                    lookups.append(PeerLookup(m, v, p, p.address, target, Pairing.AMBIGUOUS, candidates=tied))
                else:
                    lookups.append(PeerLookup(m, v, p, p.address, target, Pairing.PAIRED, owner=owner))

    acl_cache: dict[tuple, AclComparison] = {}
    sessions: list[IpsecSession] = []
    for lk in lookups:
        init = Side(
            lk.model, lk.view, _facing(lk.model, lk.view, lk.address), _local_address(lk.model, lk.view, lk.address)
        )
        if lk.outcome is not Pairing.PAIRED:
            sessions.append(IpsecSession(init, lk.peer, lk.outcome, candidates=lk.candidates))
            continue
        sessions.append(_session(lk, init, opts, owners, acl_cache))
    sessions.sort(
        key=lambda s: (
            s.initiator.path,
            s.initiator.view.map.name,
            s.initiator.view.entry.seq,  # type: ignore[union-attr]
            s.peer.span.line if s.peer else 0,
            s.peer.span.column if s.peer else 0,
        )
    )
    acls = sorted(acl_cache.values(), key=lambda c: (c.a.path, c.b.path))
    return IpsecAnalysis(tuple(lookups), tuple(sessions), tuple(acls), opts)


def _facing(model: AsaConfig, view: CryptoMapEntryView, peer: IPAddress) -> Interface | None:
    itfs = [model.interface_by_nameif(n) for n in view.interfaces]
    itfs = [i for i in itfs if i is not None]
    for i in itfs:
        if i.address is not None and isinstance(peer, IPv4Address):
            return i
        if i.ipv6_addresses and isinstance(peer, IPv6Address):
            return i
    return itfs[0] if itfs else None


def _local_address(model: AsaConfig, view: CryptoMapEntryView, peer: IPAddress) -> IPAddress | None:
    for a in view.local_addresses:
        if getattr(a, "version", None) == peer.version:
            return a  # type: ignore[return-value]
    return None


def _session(
    lk: PeerLookup,
    init: Side,
    opts: IpsecOptions,
    owners: Mapping[object, list[tuple[AsaConfig, Interface]]],
    acl_cache: dict[tuple, AclComparison],
) -> IpsecSession:
    a, av = lk.model, lk.view
    b, b_itf = lk.owner  # type: ignore[misc]
    nameif = b_itf.nameif or ""
    a_addrs = _owned_on(a, av.interfaces)
    resp_addr = lk.target

    # The responder's entries on the interface that owns the address.
    static = [v for v in _views_towards(b, a_addrs, opts, nameif) if not _originate_only(v)]
    dynamic = [v for v in _dynamic_entries(b) if nameif in v.interfaces and not _originate_only(v)]
    dynamic = [v for v in dynamic if not v.peers or (_peer_addresses(v, opts) & a_addrs)]
    a_flows = av.flows(a)
    proposals = mirror(a_flows.flows) if a_flows is not None else frozenset()
    chosen: CryptoMapEntryView | None = None
    for v in static + dynamic:
        if _accepts_any(b, v, proposals):
            chosen = v
            break
    if chosen is None:
        chosen = (static or dynamic or [None])[0]
    if chosen is None and not a_addrs:
        # The initiator's own addresses are unknown (a `show running-config crypto` excerpt, an
        # interface without a static address): whether the peer lists it cannot be told.
        return IpsecSession(init, lk.peer, Pairing.RESPONDER_UNVERIFIABLE, responder=Side(b, None, b_itf, resp_addr))
    if chosen is None:
        # Nothing answers this initiator. Unless some entry there names a peer we cannot place (a
        # name, or an address owned by no config: maybe this initiator's public address).
        unsure = False
        incomplete = False
        for v in _entries(b):
            if v.dynamic or nameif not in v.interfaces:
                continue
            if v.acl_name is None and _peer_addresses(v, opts) & a_addrs:
                incomplete = True
            if v.unresolved_peers:
                unsure = True
            for p in v.peers:
                t = opts.translate(p)  # type: ignore[arg-type]
                if t not in owners and not opts.is_external(p):  # type: ignore[arg-type]
                    unsure = True
        if incomplete:
            outcome = Pairing.RESPONDER_INCOMPLETE
        else:
            outcome = Pairing.RESPONDER_UNVERIFIABLE if unsure else Pairing.NO_RESPONDER_ENTRY
        return IpsecSession(init, lk.peer, outcome, responder=Side(b, None, b_itf, resp_addr))
    resp = Side(b, chosen, b_itf, resp_addr)

    # IKE versions: what the initiator's entry can use (and has enabled) vs what the responder enables
    # on the interface; then the first version (IKEv2 first, as the ASA tries it) that negotiates.
    iv = _initiator_versions(a, av)
    rv = b.ike_versions_on(nameif)
    # An excerpt (no `ASA Version` header) without any `crypto ... enable` line says nothing about IKE.
    ike_verifiable = bool(rv) or b.version is not None or bool(b.ike_enables)
    common = sorted(iv & rv, reverse=True)
    ike_version = None
    p1: Phase1Proposal | None = None
    p1_ok_verifiable = True
    p2: Phase2Proposal | None = None
    p2_verifiable = True
    p2_version: int | None = None
    pfs_ok: bool | None = None
    results = []
    for ver in common:
        prop, verifiable = negotiate_phase1(ver, a.ike_policies_for(ver), b.ike_policies_for(ver))
        q, q_ver = negotiate_phase2(ver, av, chosen)
        pfs = pfs_compatible(av.pfs_group, chosen.pfs_group)
        results.append((ver, prop, verifiable, q, q_ver, pfs))
    if results:

        def works(r: tuple) -> bool:
            _, prop, verifiable, q, q_ver, pfs = r
            return (prop is not None or not verifiable) and (q is not None or not q_ver) and pfs

        def p1_works(r: tuple) -> bool:
            return r[1] is not None or not r[2]

        pick = next((r for r in results if works(r)), None) or next((r for r in results if p1_works(r)), None)
        if pick is not None:
            ike_version, p1, p1_ok_verifiable, p2, p2_verifiable, pfs_ok = pick
            p2_version = ike_version
        else:
            # phase 1 fails for every common version: report on the one the ASA tries first (its
            # phase 2 is evaluated too: a second problem waiting behind the first)
            ike_version, p1, p1_ok_verifiable, p2, p2_verifiable, pfs_ok = results[0]
            p1 = None
            p2_version = ike_version
    key: KeyCheck | None = None
    if ike_version is not None:
        ka = key_source(a, lk.address)
        kb = key_source(b, _address_seen_by(b, chosen, a, a_addrs, av, lk.address, opts))
        auth = p1.authentication if p1 is not None else _auth_of(a, ike_version)
        key = compare_keys(ike_version, ka, kb, auth)

    # Crypto ACLs: per device pair, the union of each side's entries towards the other.
    a_views = tuple(_views_towards(a, _owned_all(b), opts))
    b_static = tuple(_views_towards(b, a_addrs | _owned_all(a), opts))
    b_views = b_static or ((chosen,) if chosen.dynamic and chosen.acl_name else ())
    acl: AclComparison | None = None
    if a_views and b_views:
        (x, xv), (y, yv) = sorted([(a, a_views), (b, b_views)], key=lambda t: t[0].path)
        ck = (x.path, tuple(v.span for v in xv), y.path, tuple(v.span for v in yv))
        acl = acl_cache.get(ck)
        if acl is None:
            x_open = _open_dynamic(x, {n for v in xv for n in v.interfaces}, _owned_all(y), opts)
            y_open = _open_dynamic(y, {n for v in yv for n in v.interfaces}, _owned_all(x), opts)
            acl = acl_cache[ck] = compare_acls(x, xv, y, yv, x_open, y_open)

    return IpsecSession(
        initiator=init,
        peer=lk.peer,
        pairing=Pairing.PAIRED,
        responder=resp,
        initiator_versions=iv,
        responder_versions=rv,
        ike_version=ike_version,
        ike_verifiable=ike_verifiable,
        phase1=p1,
        phase1_verifiable=p1_ok_verifiable,
        key=key,
        phase2=p2,
        phase2_verifiable=p2_verifiable,
        phase2_version=p2_version,
        pfs_ok=pfs_ok,
        acl=acl,
    )


def _owned_all(model: AsaConfig) -> frozenset[IPAddress]:
    return model.memo("ipsec:owned", lambda: frozenset(model.owned_addresses()))


def _auth_of(model: AsaConfig, version: int) -> str | None:
    pols = model.ike_policies_for(version)
    if version == 1 and pols:
        return pols[0].effective_authentication
    return None


def _address_seen_by(
    b: AsaConfig,
    chosen: CryptoMapEntryView,
    a: AsaConfig,
    a_addrs: set[IPAddress],
    av: CryptoMapEntryView,
    dialed: IPAddress,
    opts: IpsecOptions,
) -> IPAddress:
    """The address the responder knows the initiator by (its tunnel-group's name): the `set peer`
    address of its entry that designates the initiator; for a dynamic entry the initiator's public
    address from the peer map, else its local address."""
    if not chosen.dynamic:
        for p in chosen.peers:
            if opts.translate(p) in a_addrs:  # type: ignore[arg-type]
                return p  # type: ignore[return-value]
    local = None
    for x in av.local_addresses:
        if getattr(x, "version", None) == dialed.version:
            local = x
            break
    if local is not None:
        publics = [pub for pub, priv in opts.peer_map if priv == local]
        if len(publics) == 1:
            return publics[0]
        return local  # type: ignore[return-value]
    return dialed
