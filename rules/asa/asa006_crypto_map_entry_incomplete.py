from __future__ import annotations

from collections.abc import Iterator

from cfglint.api import Diagnostic, FileContext, Related, Severity
from cfglint.models.asa import AsaConfig, CryptoMapEntry
from cfglint.rules.asa._single import AsaFileRule, entry_label, malformed_entry


def _transform_hint(model: AsaConfig) -> str:
    v = model.version
    if v is not None and v.platform == "ASA" and v.before(8, 4):
        return "`set transform-set NAME`"
    if v is not None and v.platform != "ASA":
        return "`set transform-set NAME`"
    return "`set ikev1 transform-set NAME` or `set ikev2 ipsec-proposal NAME`"


class CryptoMapEntryIncomplete(AsaFileRule):
    """A crypto map entry bound to an interface lacks its ACL, its peer or its transform set.

    ## What it does
    Checks every entry of a static crypto map that is bound to an interface (`crypto map NAME
    interface IF`) for the three settings the ASA needs to build a tunnel: `match address ACL`,
    `set peer ADDRESS`, and a phase-2 proposal (`set transform-set` on 7.x/8.2, `set ikev1
    transform-set` or `set ikev2 ipsec-proposal` on 8.4+). Entries of a dynamic map that a bound
    map uses (`crypto map NAME SEQ ipsec-isakmp dynamic DYN`) need a proposal only: a dynamic
    entry takes its peer and its proxy identities from whoever connects. The reference entry
    itself (`ipsec-isakmp dynamic DYN`) is complete by construction and not checked here.

    ## Why is this bad?
    The ASA accepts an incomplete entry with only a warning ("WARNING: crypto map entry will be
    incomplete") and then ignores it: no security association is ever negotiated for it. Without
    an ACL the entry matches no traffic; without a peer or a transform set it cannot initiate nor
    accept phase 2. The tunnel the entry was written for silently never comes up. Cisco's guide:
    "If either is missing, the crypto map is incomplete and the ASA drops any traffic that it has
    not already matched to an earlier, complete crypto map."

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
    crypto map outside_map 10 set ikev1 transform-set AES256-SHA
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
    crypto ipsec ikev1 transform-set AES256-SHA esp-aes-256 esp-sha-hmac
    crypto map outside_map 10 match address TO-BRANCH
    crypto map outside_map 10 set peer 198.51.100.7
    crypto map outside_map 10 set ikev1 transform-set AES256-SHA
    crypto map outside_map interface outside
    crypto ikev1 enable outside
    ```

    ## Fix
    Add the missing `crypto map NAME SEQ` settings, or remove the entry (`clear configure crypto
    map NAME SEQ`) if the tunnel is gone.

    ## References
    - Cisco ASA VPN CLI configuration guide, "LAN-to-LAN IPsec VPNs" / crypto maps: "Every static
      crypto map must define an access list and an IPsec peer. If either is missing, the crypto map
      is incomplete"; dynamic crypto maps: "the only parameter required is the transform set"
    - Cisco ASA command reference, `crypto map set peer`, `crypto map set ikev1 transform-set`
    """

    code = "ASA006"
    name = "crypto-map-entry-incomplete"
    severity = Severity.ERROR
    tags = ("asa", "ipsec", "correctness")

    def check(self, model: AsaConfig, ctx: FileContext) -> Iterator[Diagnostic]:
        bindings: dict[str, list] = {}
        for b in model.crypto_map_bindings:
            bindings.setdefault(b.map_name, []).append(b)
        hint = _transform_hint(model)
        for cm in model.crypto_maps.values():
            binds = bindings.get(cm.name)
            if not binds:
                continue
            itfs = ", ".join(dict.fromkeys(b.interface for b in binds))
            related = [Related(b.span, f"{cm.name} is bound to {b.interface} here") for b in binds]
            for e in cm.entries:
                if e.dynamic_ref is not None or e.ipsec_manual or malformed_entry(model, e):
                    continue
                missing = self._missing(e, static=True, hint=hint)
                if missing:
                    yield self._finding(e, missing, f"is bound to {itfs}", related)
        # entries of the dynamic maps a bound map refers to: a proposal is all they need
        for v in model.crypto_map_entries():
            if not v.dynamic or not v.interfaces or malformed_entry(model, v.entry):
                continue
            e = v.entry
            missing = self._missing(e, static=False, hint=hint)
            if missing:
                parents = [
                    Related(p.dynamic_ref.span, f"used by crypto map {p.map_name} {p.seq}")
                    for p in v.parents
                    if p.dynamic_ref
                ]
                yield self._finding(e, missing, f"is used on {', '.join(v.interfaces)}", parents)

    @staticmethod
    def _missing(e: CryptoMapEntry, *, static: bool, hint: str) -> list[tuple[str, str]]:
        out: list[tuple[str, str]] = []
        if static and e.match_address is None:
            out.append(("ACL", "`match address ACL`"))
        if static and not e.peers:
            out.append(("peer", "`set peer ADDRESS`"))
        if e.transform_sets is None and e.ikev2_proposals is None:
            out.append(("transform set or IKEv2 proposal", hint))
        return out

    def _finding(
        self, e: CryptoMapEntry, missing: list[tuple[str, str]], where: str, related: list[Related]
    ) -> Diagnostic:
        names = [m[0] for m in missing]
        what = "no " + (names[0] if len(names) == 1 else ", no ".join(names[:-1]) + " and no " + names[-1])
        label = entry_label(e)
        consequence = (
            "the ASA treats the entry as incomplete and never negotiates a tunnel for it"
            if not e.dynamic
            else "the ASA treats the entry as incomplete and no peer can connect through it"
        )
        return self.diagnostic(
            e.span,
            f"{label} {where} but has {what}: {consequence}",
            related=related,
            fix_title="Add " + ", ".join(m[1] for m in missing) + f" to {label}, or remove the entry",
            anchor=label,
        )
