from __future__ import annotations

from collections.abc import Iterator

from cfglint.api import Diagnostic, FileContext, Related, Severity
from cfglint.models.asa import AsaConfig, CryptoMapEntry
from cfglint.rules.asa._single import AsaFileRule, entry_label, is_complete_config


def _needs(e: CryptoMapEntry) -> frozenset[int]:
    """IKE versions an entry can negotiate with: 1 with a transform set, 2 with an IKEv2 proposal."""
    out = set()
    if e.transform_sets is not None:
        out.add(1)
    if e.ikev2_proposals is not None:
        out.add(2)
    return frozenset(out)


def _legacy(model: AsaConfig) -> bool:
    """7.x/8.0-8.2 (and PIX/FWSM): IKEv1 only, enabled with `crypto isakmp enable`."""
    v = model.version
    if v is None:
        return any(e.keyword == "isakmp" for e in model.ike_enables) and not any(
            e.keyword != "isakmp" for e in model.ike_enables
        )
    return v.platform != "ASA" or v.before(8, 4)


def _enable_cmd(model: AsaConfig, version: int, nameif: str) -> str:
    if version == 1 and _legacy(model):
        return f"crypto isakmp enable {nameif}"
    return f"crypto ikev{version} enable {nameif}"


class IkeNotEnabled(AsaFileRule):
    """A crypto map is bound to an interface where no IKE version its entries use is enabled.

    ## What it does
    For every `crypto map NAME interface IF` binding, reads which IKE versions are enabled on `IF`
    (`crypto isakmp enable IF` on 7.x/8.2 and PIX, `crypto ikev1 enable IF` and `crypto ikev2
    enable IF` on 8.4+) and which ones each entry can negotiate with: IKEv1 when it sets a
    transform set (`set transform-set` / `set ikev1 transform-set`), IKEv2 when it sets an
    `ikev2 ipsec-proposal` (either, when it sets both). Entries of a dynamic map used through
    `ipsec-isakmp dynamic` count as entries of the bound map. It reports the binding when no IKE
    version at all is enabled on the interface, and each entry whose versions are all disabled
    there (IKEv2 proposals only, with only IKEv1 enabled, or the reverse). Only whole
    running-configs that define the interface are judged.

    ## Why is this bad?
    Without `crypto ikev1|ikev2 enable` on the interface, the ASA does not listen for IKE (UDP
    500/4500) there and does not initiate: phase 1 never starts, in either direction, although the
    crypto map, its peers and keys all look right. Enabling only the other IKE version has the same
    effect for the entries that depend on the disabled one.

    ## Example
    ```cisco
    ASA Version 9.8(4)
    hostname hq
    interface GigabitEthernet0/0
     nameif outside
     ip address 192.0.2.1 255.255.255.0
    access-list TO-BRANCH extended permit ip 10.0.0.0 255.255.255.0 10.1.0.0 255.255.255.0
    crypto ipsec ikev2 ipsec-proposal AES256
     protocol esp encryption aes-256
     protocol esp integrity sha-256
    crypto map outside_map 10 match address TO-BRANCH
    crypto map outside_map 10 set peer 198.51.100.7
    crypto map outside_map 10 set ikev2 ipsec-proposal AES256
    crypto map outside_map interface outside
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
    crypto ipsec ikev2 ipsec-proposal AES256
     protocol esp encryption aes-256
     protocol esp integrity sha-256
    crypto map outside_map 10 match address TO-BRANCH
    crypto map outside_map 10 set peer 198.51.100.7
    crypto map outside_map 10 set ikev2 ipsec-proposal AES256
    crypto map outside_map interface outside
    crypto ikev2 enable outside
    ```

    ## Fix
    Enable the IKE version on the interface the map is bound to: `crypto ikev2 enable outside`,
    `crypto ikev1 enable outside` (8.4+), or `crypto isakmp enable outside` (7.x/8.2).

    ## References
    - Cisco ASA command reference, `crypto ikev1 enable` / `crypto ikev2 enable` / `crypto isakmp
      enable`; Cisco ASA VPN CLI guide, "Enable IKE on the Outside Interface"
    - Batfish does not check this: `crypto ikev1|ikev2 enable` is not modelled for ASA
    """

    code = "ASA008"
    name = "ike-not-enabled"
    severity = Severity.ERROR
    tags = ("asa", "ipsec", "correctness")

    def check(self, model: AsaConfig, ctx: FileContext) -> Iterator[Diagnostic]:
        if not is_complete_config(model):
            return
        seen: set[tuple[bool, str, int, str]] = set()
        for b in model.crypto_map_bindings:
            cm = model.crypto_maps.get(b.map_name)
            itf = model.interface_by_nameif(b.interface)
            if cm is None or itf is None:
                continue
            # (entry, reached through) for every entry that can negotiate with some version
            entries: list[tuple[CryptoMapEntry, CryptoMapEntry | None]] = []
            for e in cm.entries:
                if e.dynamic_ref is not None:
                    dm = model.dynamic_maps.get(e.dynamic_ref.dynamic_map)
                    if dm is not None:
                        entries.extend((de, e) for de in dm.entries if _needs(de))
                elif _needs(e):
                    entries.append((e, None))
            if not entries:
                continue
            enables = [en for en in model.ike_enables if en.interface == b.interface]
            enabled = frozenset(en.version for en in enables)
            if not enabled:
                needed = sorted(set().union(*(_needs(e) for e, _ in entries)))
                cmds = " / ".join(f"`{_enable_cmd(model, v, b.interface)}`" for v in needed)
                elsewhere = sorted({en.interface for en in model.ike_enables})
                where = f"; IKE is enabled on {', '.join(elsewhere)} only" if elsewhere else ""
                which = "its entry" if len(entries) == 1 else f"none of its {len(entries)} entries"
                verb = "cannot" if len(entries) == 1 else "can"
                yield self.diagnostic(
                    b.span,
                    f"crypto map {cm.name} is bound to {b.interface}, but IKE is not enabled on {b.interface}"
                    f" (no {cmds}{where}): the ASA neither answers nor starts IKE there, so {which} {verb}"
                    " bring a tunnel up",
                    related=[
                        Related(en.span, f"IKEv{en.version} is enabled on {en.interface} here")
                        for en in model.ike_enables
                    ],
                    fix_title=f"Add {cmds}",
                    anchor=f"crypto map {cm.name} interface {b.interface}",
                )
                continue
            for e, via in entries:
                need = _needs(e)
                if need & enabled:
                    continue
                key = (e.dynamic, e.map_name, e.seq, b.interface)
                if key in seen:
                    continue
                seen.add(key)
                missing = sorted(need)
                on = " and ".join(f"IKEv{v}" for v in sorted(enabled))
                offers = []
                if e.transform_sets is not None:
                    offers.append("IKEv1 transform sets")
                if e.ikev2_proposals is not None:
                    offers.append("IKEv2 proposals")
                where = e.ikev2_proposals.span if (2 in need and e.ikev2_proposals is not None) else None
                if where is None and e.transform_sets is not None:
                    where = e.transform_sets.span
                assert where is not None
                related = [Related(en.span, f"IKEv{en.version} is enabled on {b.interface} here") for en in enables]
                related.append(Related(b.span, f"{cm.name} is bound to {b.interface} here"))
                if via is not None and via.dynamic_ref is not None:
                    related.append(Related(via.dynamic_ref.span, f"used by crypto map {via.map_name} {via.seq}"))
                cmds = " or ".join(f"`{_enable_cmd(model, v, b.interface)}`" for v in missing)
                yield self.diagnostic(
                    where,
                    f"{entry_label(e)} offers only {' and '.join(offers)}, but only {on} is enabled on"
                    f" {b.interface}: phase 1 can never start for this entry",
                    related=related,
                    fix_title=f"Add {cmds}, or give the entry a proposal for {on}",
                    anchor=f"{entry_label(e)} ike-version",
                )
