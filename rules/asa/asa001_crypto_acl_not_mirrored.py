from __future__ import annotations

from collections.abc import Iterator

from cfglint.api import Diagnostic, ProjectContext, ProjectIndex, Related, Severity
from cfglint.asa.expand import mirror
from cfglint.asa.ipsec import AclComparison, IpsecOptions, IpsecSession, Pairing, host_of
from cfglint.asa.remediation import mirror_commands
from cfglint.rules.asa._common import AsaProjectRule, Once, flows_list, match_span, view_label

_DROP = "Type: VPN Subtype: encrypt Result: DROP"


def _acl_names(views) -> str:  # noqa: ANN001
    names = list(dict.fromkeys(v.acl_name for v in views if v.acl_name))
    return " + ".join(names) if names else "(none)"


class CryptoAclNotMirrored(AsaProjectRule):
    """Two IPsec peers' crypto ACLs are not mirror images: part of the traffic is never encrypted.

    ## What it does
    Pairs every crypto map entry with the device that owns its `set peer` address (every ASA
    config of the run; NAT-T addresses through the `peer-map` option), expands both crypto ACLs
    into the protected (source, destination, protocol, ports) selectors, after resolving names,
    objects and nested groups, and compares one side's set with the mirror of the other's.
    Identical sets pass however they are written (names vs objects vs literal masks, `host` vs
    /32, order, ACL names, 7.x vs 8.2 vs 9.x syntax). When they differ it reports what each side
    protects that the other does not accept, which side can still bring the tunnel up, and the
    exact commands that make the peer's ACL the mirror, in the peer's own syntax (object-groups of
    literal `network-object`s for 7.x-8.2, `object network` objects for 8.3+), at the end of the
    message after `commands for <peer>:`, one command after another separated by ` | `
    (sub-commands unindented, as the CLI accepts them).

    One finding per pair of devices, in the file of the side taken as the reference, on its
    `crypto map ... match address` line, with the peer's `match address` line as related
    location. The reference is the narrower side when one side's selectors all fall within the
    other's (it is what both ends already agree on, and the side that can still initiate),
    otherwise the side whose path sorts first; the commands rewrite the other side's ACL. It also
    reports an entry whose peer device has no crypto map entry (static for this peer, or dynamic)
    on the interface that owns the address: nothing there answers. When an ACL cannot be expanded
    completely (fqdn objects, undefined names, identity criteria, deny entries) it says so once as
    info instead of guessing.

    ## Why is this bad?
    Cisco requires each static crypto ACL to be the mirror image of the peer's. An IPsec responder
    accepts a proposed pair of proxy identities only when it falls within one of its own entries.
    When one side is wider (a /16 summary against two /24s), the narrower side can initiate and its
    SAs come up, but the wider side proposes its whole selector and the narrower side rejects it
    ("proxy identities not supported"): traffic from the wider side that no SA covers yet is
    dropped before it is ever encrypted. On that device `packet-tracer input inside tcp ...` ends
    with:

    ```text
    Phase: 9
    Type: VPN
    Subtype: encrypt
    Result: DROP
    ```

    and the tunnel looks healthy whenever the other side happened to start it: the outage comes and
    goes with SA lifetimes. Partially overlapping or disjoint ACLs drop the non-shared traffic in
    both directions.

    ## Example
    ```cisco
    ! file: site-a.cfg
    ASA Version 8.2(5)
    hostname site-a
    interface Ethernet0/0
     nameif outside
     ip address 203.0.113.10 255.255.255.248
    access-list TO-B extended permit ip 10.10.0.0 255.255.255.0 192.168.50.0 255.255.255.0
    crypto ipsec transform-set TS esp-aes esp-sha-hmac
    crypto map VPN 10 match address TO-B
    crypto map VPN 10 set peer 198.51.100.20
    crypto map VPN 10 set transform-set TS
    crypto map VPN interface outside
    crypto isakmp enable outside
    ! file: site-b.cfg
    PIX Version 7.2(4)
    hostname site-b
    interface Ethernet0
     nameif outside
     ip address 198.51.100.20 255.255.255.240
    access-list TO-A extended permit ip 192.168.50.0 255.255.255.0 10.10.0.0 255.255.0.0
    crypto ipsec transform-set TS esp-aes esp-sha-hmac
    crypto map VPN 20 match address TO-A
    crypto map VPN 20 set peer 203.0.113.10
    crypto map VPN 20 set transform-set TS
    crypto map VPN interface outside
    crypto isakmp enable outside
    ```

    ## Use instead
    ```cisco
    ! file: site-a.cfg
    ASA Version 8.2(5)
    hostname site-a
    interface Ethernet0/0
     nameif outside
     ip address 203.0.113.10 255.255.255.248
    access-list TO-B extended permit ip 10.10.0.0 255.255.255.0 192.168.50.0 255.255.255.0
    crypto ipsec transform-set TS esp-aes esp-sha-hmac
    crypto map VPN 10 match address TO-B
    crypto map VPN 10 set peer 198.51.100.20
    crypto map VPN 10 set transform-set TS
    crypto map VPN interface outside
    crypto isakmp enable outside
    ! file: site-b.cfg
    PIX Version 7.2(4)
    hostname site-b
    interface Ethernet0
     nameif outside
     ip address 198.51.100.20 255.255.255.240
    object-group network SITE-A-NETS
     network-object 10.10.0.0 255.255.255.0
    access-list TO-A extended permit ip 192.168.50.0 255.255.255.0 object-group SITE-A-NETS
    crypto ipsec transform-set TS esp-aes esp-sha-hmac
    crypto map VPN 20 match address TO-A
    crypto map VPN 20 set peer 203.0.113.10
    crypto map VPN 20 set transform-set TS
    crypto map VPN interface outside
    crypto isakmp enable outside
    ```

    ## Options
    - `peer-map` (table, default `{}`): `"address the initiator dials" = "address in the peer's own
      config"`, for peers behind NAT (NAT-T).
    - `external-peers` (array of addresses or networks, default `[]`): third-party peers.

    Both are family options: set them once under `[tool.cfglint.rules.ASA]`.

    ## Fix
    Run the commands of the message on the peer (check them first: they rewrite its crypto ACL,
    not its NAT exemption, and a shared ACL such as a `nat 0` one changes too). When the peer
    splits the tunnel over several crypto map entries no commands are printed: edit those ACLs so
    that together they mirror this side's.

    ## References
    - Cisco ASA VPN CLI configuration guide, "Create a static crypto map": mirror-image crypto ACLs
    - Cisco, "Troubleshoot IPsec with packet-tracer" (`Subtype: encrypt Result: DROP`)
    - Batfish `IpsecUtil` (pairing; crypto ACLs are not compared there)
    """

    code = "ASA001"
    name = "crypto-acl-not-mirrored"
    severity = Severity.ERROR
    tags = ("asa", "ipsec", "cross-file", "correctness")

    def check(self, index: ProjectIndex, ctx: ProjectContext) -> Iterator[Diagnostic]:
        an = self.analysis(index, ctx)
        once = Once()
        for s in an.sessions:
            if s.pairing is Pairing.NO_RESPONDER_ENTRY:
                if once.first(("no-entry", s.initiator.key, s.responder.path)):  # type: ignore[union-attr]
                    yield self._no_entry(s)
                continue
            if not s.paired or s.acl is None or not once.first(id(s.acl)):
                continue
            c = s.acl
            if not c.verifiable:
                d = self._unverifiable(c)
                if d is not None:
                    yield d
            elif c.mismatch:
                yield self._mismatch(c, an.options)

    # ----------------------------------------------------------------------------------------------
    def _no_entry(self, s: IpsecSession) -> Diagnostic:
        init, resp = s.initiator, s.responder
        assert resp is not None and s.peer is not None
        nameif = resp.interface.nameif if resp.interface is not None else "?"
        rel = []
        for b in resp.model.crypto_map_bindings:
            if b.interface == nameif:
                rel.append(Related(b.span, f"{resp.host}'s crypto map {b.map_name} on {nameif}"))
        if not rel and resp.interface is not None:
            rel.append(Related(resp.interface.span, f"{resp.host}'s interface {nameif}, no crypto map bound"))
        me = init.address or "its address"
        return self.diagnostic(
            s.peer.span,
            f"{resp.host} ({s.peer.text}) has no crypto map entry for {host_of(init.model)} on {nameif}: no static"
            f" entry with `set peer {me}` and no dynamic map there, so it answers none of {host_of(init.model)}'s"
            " proposals and never protects its side of this traffic: the tunnel does not come up",
            related=rel,
            fix_title=f"Add a crypto map entry for {me} on {resp.host}'s {nameif} whose ACL mirrors"
            f" {init.view.acl_name}, or correct `set peer` here",  # type: ignore[union-attr]
            anchor=f"crypto map {init.view.map.name} {init.view.entry.seq} peer {s.peer.text}",  # type: ignore[union-attr]
        )

    def _unverifiable(self, c: AclComparison) -> Diagnostic | None:
        items = [(m, u) for m, u in c.unresolved if u.kind != "empty-acl"]
        if not items:
            return None
        shown = ", ".join(f"{host_of(m)}: {_unresolved_text(u)}" for m, u in items[:4])
        if len(items) > 4:
            shown += f" and {len(items) - 4} more"
        b_host = host_of(c.b)
        first = c.a_views[0]
        return self.diagnostic(
            match_span(first),
            f"cannot verify that crypto ACL {_acl_names(c.a_views)} mirrors {b_host}'s {_acl_names(c.b_views)}:"
            f" {shown} cannot be expanded into selectors, so the two sides are not compared",
            related=[
                Related(match_span(v), f"{b_host}'s {view_label(v)} match address {v.acl_name}") for v in c.b_views
            ],
            fix_title="Use literal networks or objects with fixed addresses in crypto ACLs",
            anchor=f"crypto map {first.map.name} {first.entry.seq} mirror {b_host}",
            severity=Severity.INFO,
        )

    def _mismatch(self, c: AclComparison, options: IpsecOptions) -> Diagnostic:
        if c.relation == "superset":  # b is the narrower side
            ref, ref_views, ref_only = c.b, c.b_views, c.only_b
            peer, peer_views, peer_only = c.a, c.a_views, c.only_a
            ref_flows = c.b_flows
        else:
            ref, ref_views, ref_only = c.a, c.a_views, c.only_a
            peer, peer_views, peer_only = c.b, c.b_views, c.only_b
            ref_flows = c.a_flows
        rh, ph = host_of(ref), host_of(peer)
        ref_acl, peer_acl = _acl_names(ref_views), _acl_names(peer_views)
        parts = []
        if peer_only:
            parts.append(f"{ph}'s {peer_acl} also protects {flows_list(peer_only)}, which no entry here accepts")
        if ref_only:
            parts.append(f"{ph} has no entry for {flows_list(ref_only)}")
        addr = _peer_address(ref_views, peer, peer_views, options)
        at = f" ({addr})" if addr is not None else ""
        text = f"crypto ACL {ref_acl} is not the mirror of {peer_acl} on {ph}{at}: " + "; ".join(parts)
        if peer_only and ref_only:
            text += (
                ". Neither side accepts the other's proposals for these flows: each side drops that traffic"
                f" (packet-tracer: {_DROP})"
            )
        elif all(v.dynamic for v in ref_views):
            text += (
                f". {ph}'s proposals for those flows are rejected by {rh}'s dynamic map: that traffic is"
                f" dropped on {ph} (packet-tracer: {_DROP})"
            )
        else:
            wide, narrow = (ph, rh) if peer_only else (rh, ph)
            text += (
                f". {narrow} can bring the tunnel up (its proposals fall within {wide}'s entries), but {wide}'s"
                f" proposals for those flows are rejected: traffic from {wide} that no SA {narrow} negotiated"
                f" covers is dropped (packet-tracer on {wide}: {_DROP})"
            )
        if len(peer_views) == 1 and peer_views[0].acl_name:
            r = mirror_commands(peer, peer_views[0].acl_name, mirror(ref_flows), local_host=ph, remote_host=rh)
            text += f"; commands for {ph}: {r.inline()}" if r else ""
        else:
            text += f"; no commands: {ph} splits this tunnel over {len(peer_views)} crypto map entries"
        first = ref_views[0]
        return self.diagnostic(
            match_span(first),
            text,
            related=[Related(match_span(v), f"{ph}'s {view_label(v)} match address {v.acl_name}") for v in peer_views],
            fix_title=f"Make {ph}'s {peer_acl} the mirror of {ref_acl} (commands at the end of the message)",
            anchor=f"crypto map {first.map.name} {first.entry.seq} mirror {ph}",
        )


def _peer_address(views, peer, peer_views, options: IpsecOptions):  # noqa: ANN001, ANN202
    """The address these entries dial to reach `peer`; for dynamic entries (no peer), the address of
    the peer's interface its entries are bound to."""
    owned = peer.owned_addresses()
    for v in views:
        for p in v.peers:
            if options.translate(p) in owned:
                return p
    for v in peer_views:
        for a in v.local_addresses:
            return a
    return None


def _unresolved_text(u) -> str:  # noqa: ANN001
    return {
        "fqdn": f"fqdn object {u.name}",
        "deny-entry": f"a deny entry in {u.name}",
        "undefined-name": f"undefined name {u.name}",
        "undefined-object": f"undefined {u.name}",
        "undefined-group": f"undefined group {u.name}",
        "identity": f"identity criteria ({u.name})",
        "cycle": f"group cycle through {u.name}",
    }.get(u.kind, f"{u.kind} {u.name}")
