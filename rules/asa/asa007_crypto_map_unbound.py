from __future__ import annotations

from collections.abc import Iterator

from cfglint.api import Diagnostic, FileContext, Related, Severity
from cfglint.models.asa import AsaConfig
from cfglint.rules.asa._single import AsaFileRule, is_complete_config, malformed_entry


class CryptoMapUnbound(AsaFileRule):
    """A crypto map is never bound to an interface, or a dynamic map is used by no crypto map.

    ## What it does
    Flags a static crypto map that has entries but no `crypto map NAME interface IF` line, and a
    `crypto dynamic-map` that no `crypto map NAME SEQ ipsec-isakmp dynamic DYN` entry refers to.
    Only whole running-configs are judged (the file has its `ASA Version` line, or a hostname and
    named interfaces): a `show running-config crypto map` excerpt may simply not show the rest.

    ## Why is this bad?
    A crypto map does nothing until it is applied to an interface, and only one crypto map can be
    applied per interface: every peer, ACL and transform set of an unbound map is dead
    configuration. Usually the entries were meant for the map that *is* bound: a typo in the map
    name, or a new peer added as a new map (an interface takes a single crypto map, and binding the
    new one would replace the old). The tunnel they describe never comes up. A dynamic map that no
    crypto map refers to never answers a peer either.

    ## Example
    ```cisco
    ASA Version 9.8(4)
    hostname hq
    interface GigabitEthernet0/0
     nameif outside
     ip address 192.0.2.1 255.255.255.0
    access-list TO-BRANCH extended permit ip 10.0.0.0 255.255.255.0 10.1.0.0 255.255.255.0
    crypto ipsec ikev1 transform-set AES256-SHA esp-aes-256 esp-sha-hmac
    crypto map outside_map 10 match address TO-BRANCH
    crypto map outside_map 10 set peer 198.51.100.7
    crypto map outside_map 10 set ikev1 transform-set AES256-SHA
    crypto map outside-map interface outside
    crypto ikev1 enable outside
    ```

    ## Use instead
    ```cisco
    ASA Version 9.8(4)
    hostname hq
    interface GigabitEthernet0/0
     nameif outside
     ip address 192.0.2.1 255.255.255.0
    access-list TO-BRANCH extended permit ip 10.0.0.0 255.255.255.0 10.1.0.0 255.255.255.0
    crypto ipsec ikev1 transform-set AES256-SHA esp-aes-256 esp-sha-hmac
    crypto map outside_map 10 match address TO-BRANCH
    crypto map outside_map 10 set peer 198.51.100.7
    crypto map outside_map 10 set ikev1 transform-set AES256-SHA
    crypto map outside_map interface outside
    crypto ikev1 enable outside
    ```

    ## Fix
    Move the entries into the map that is bound to the interface (same name), or bind the map
    (`crypto map NAME interface IF`) if the interface has none; delete it if it is left over.
    Refer to a dynamic map from the bound map with `crypto map NAME 65535 ipsec-isakmp dynamic DYN`.

    ## References
    - Cisco ASA command reference, `crypto map interface`: "you can assign only one crypto map set
      to an interface"; Cisco ASA VPN CLI guide, "Applying Crypto Maps to Interfaces"
    - Titania Nipper "unassigned filter lists"; Batfish `unusedStructures` (CRYPTO_MAP_SET)
    """

    code = "ASA007"
    name = "crypto-map-unbound"
    severity = Severity.WARNING
    tags = ("asa", "ipsec", "unused")

    def check(self, model: AsaConfig, ctx: FileContext) -> Iterator[Diagnostic]:
        if not is_complete_config(model):
            return
        bound = {b.map_name for b in model.crypto_map_bindings}
        # bindings of maps that have no entry: typically the intended binding, with a typo
        empty = [
            b
            for b in model.crypto_map_bindings
            if b.map_name in model.crypto_maps and not model.crypto_maps[b.map_name].entries
        ]
        for cm in model.crypto_maps.values():
            entries = [e for e in cm.entries if not malformed_entry(model, e)]
            if not entries or cm.name in bound:
                continue
            seqs = ", ".join(str(e.seq) for e in entries)
            noun = "entry" if len(entries) == 1 else "entries"
            hint = ""
            related = []
            if empty:
                hint = "; " + ", ".join(
                    f"`crypto map {b.map_name} interface {b.interface}` binds a map that has no entries" for b in empty
                )
                related = [Related(b.span, f"{b.map_name} (no entries) is bound to {b.interface} here") for b in empty]
            else:
                used = [b for b in model.crypto_map_bindings if b not in empty]
                if used:
                    hint = (
                        "; "
                        + ", ".join(f"{b.interface} already uses crypto map {b.map_name}" for b in used)
                        + (" (an interface takes one crypto map: add these entries to it under new sequence numbers)")
                    )
                    related = [Related(b.span, f"{b.map_name} is bound to {b.interface} here") for b in used]
            yield self.diagnostic(
                cm.span,
                f"crypto map {cm.name} ({noun} {seqs}) is not bound to any interface: none of its tunnels can"
                f" come up{hint}",
                related=related,
                fix_title=f"Bind it with `crypto map {cm.name} interface IF`, move its entries into the bound map,"
                " or delete it",
                anchor=f"crypto map {cm.name}",
            )
        used: dict[str, list[str]] = {}
        for cm in model.crypto_maps.values():
            for e in cm.entries:
                if e.dynamic_ref is not None:
                    used.setdefault(e.dynamic_ref.dynamic_map, []).append(f"{cm.name} {e.seq}")
        for dm in model.dynamic_maps.values():
            if dm.name in used or not any(not malformed_entry(model, e) for e in dm.entries):
                continue
            yield self.diagnostic(
                dm.span,
                f"crypto dynamic-map {dm.name} is used by no crypto map entry (`ipsec-isakmp dynamic"
                f" {dm.name}`): no peer can connect through it",
                fix_title=f"Refer to it from the bound crypto map (`crypto map NAME 65535 ipsec-isakmp dynamic"
                f" {dm.name}`), or delete it",
                anchor=f"crypto dynamic-map {dm.name}",
            )
