from __future__ import annotations

from collections.abc import Iterator

from cfglint.api import Diagnostic, FileContext, Related, Severity
from cfglint.asa.expand import ANY_V4, ANY_V6
from cfglint.models.asa import AccessListEntry, Address, AsaConfig
from cfglint.rules.asa._single import AsaFileRule, entry_label

_ANY = frozenset({ANY_V4, ANY_V6})


def _any_operand(model: AsaConfig, op: Address | None) -> str | None:
    """How the operand says "every address" (`any`, `0.0.0.0 0.0.0.0`, an object or group holding
    0.0.0.0/0 or ::/0), or None."""
    if op is None:
        return None
    if op.kind in ("any", "any4", "any6"):
        return f"`{op.kind}`"
    lit = op.literal
    if lit is not None:
        return f"`{op}` (every address)" if lit in _ANY else None
    if op.kind in ("object", "object-group"):
        res = model.resolve_address(op)
        hit = [n for n in res.networks if n in _ANY]
        if hit:
            return f"`{op}` (holds {hit[0]})"
    return None


class CryptoAclAny(AsaFileRule):
    """A crypto ACL permits traffic to or from `any`: the tunnel claims every address on that side.

    ## What it does
    Reads the ACL of every static crypto map entry (`crypto map NAME SEQ match address ACL`) and
    flags each active `permit` entry whose source or destination is `any`, `any4` or `any6` (or
    the same written as `0.0.0.0 0.0.0.0`, or an object or object-group that holds `0.0.0.0/0` or
    `::/0`). `deny` entries (traffic excluded from the tunnel) and dynamic-map ACLs (which only
    narrow what a connecting peer may propose) are not flagged. Each ACE is reported once, even
    when several entries use the ACL.

    ## Why is this bad?
    The crypto ACL decides which packets are encrypted to the peer. With `any` as destination,
    the ASA sends everything leaving the interface that matches the source into the tunnel: traffic
    to the Internet, to other peers (whose crypto map entries come later in the map), to the peer's
    own public address. With `any` as source, traffic from every network, including the Internet
    and other tunnels, is eligible. The peer must hold the exact mirror, which it rarely does,
    so phase 2 fails or a tunnel comes up that captures traffic it should not. Cisco's guide:
    "We discourage the use of the `any` keyword to specify source or destination addresses" in
    crypto ACLs, and "strongly discourage" `permit ip any any`. A full-tunnel spoke that must send
    all its traffic to the hub is the one deliberate use: suppress the finding there with a reason.

    ## Example
    ```cisco
    ASA Version 9.8(4)
    hostname branch
    access-list TO-HQ extended permit ip 10.1.0.0 255.255.255.0 any
    crypto map outside_map 10 match address TO-HQ
    crypto map outside_map 10 set peer 192.0.2.1
    ```

    ## Use instead
    ```cisco
    ASA Version 9.8(4)
    hostname branch
    access-list TO-HQ extended permit ip 10.1.0.0 255.255.255.0 10.0.0.0 255.255.0.0
    crypto map outside_map 10 match address TO-HQ
    crypto map outside_map 10 set peer 192.0.2.1
    ```

    ## Fix
    List the remote (and local) networks the tunnel is for, and put the exact mirror on the peer.

    ## References
    - Cisco ASA VPN CLI configuration guide, "Create a Crypto Map" / crypto ACL guidelines: "We
      discourage the use of the any keyword to specify source or destination addresses"
    - Cisco ASA command reference, `crypto map match address`
    """

    code = "ASA010"
    name = "crypto-acl-any"
    severity = Severity.WARNING
    tags = ("asa", "ipsec", "security")

    def check(self, model: AsaConfig, ctx: FileContext) -> Iterator[Diagnostic]:
        users: dict[str, list] = {}
        for cm in model.crypto_maps.values():
            for e in cm.entries:
                if e.match_address is not None:
                    users.setdefault(e.match_address.acl, []).append(e)
        for acl_name, entries in users.items():
            acl = model.access_list(acl_name)
            if acl is None:
                continue
            used_by = ", ".join(f"{e.map_name} {e.seq}" for e in entries)
            related = [Related(e.match_address.span, f"used by {entry_label(e)}") for e in entries]
            for ace in acl.entries:
                if not ace.active or ace.action != "permit":
                    continue
                d = self._finding(model, ace, acl_name, used_by, related)
                if d is not None:
                    yield d

    def _finding(
        self, model: AsaConfig, ace: AccessListEntry, acl: str, used_by: str, related: list[Related]
    ) -> Diagnostic | None:
        src = None if ace.acl_type == "standard" else _any_operand(model, ace.src)
        dst = _any_operand(model, ace.dst)
        if src is None and dst is None:
            return None
        if src and dst:
            what = f"source {src} and destination {dst}"
            effect = "every packet leaving the interface would be encrypted to this peer"
        elif dst:
            what = f"destination {dst}"
            effect = "traffic from that source to every destination (the Internet included) is encrypted to this peer"
        else:
            what = f"source {src}"
            effect = "traffic from every source (the Internet and other tunnels included) to that destination is"
            effect += " encrypted to this peer"
        return self.diagnostic(
            ace.span,
            f"crypto ACL {acl} (crypto map {used_by}) permits {what}: {effect}, and the peer must hold"
            " the exact mirror",
            related=related,
            fix_title="Name the local and remote networks of the tunnel instead of `any`",
            anchor=f"access-list {acl} {ace.text}",
        )
