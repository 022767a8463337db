from __future__ import annotations

from collections.abc import Iterator

from cfglint.api import Diagnostic, FileContext, Related, Severity
from cfglint.models.asa import AsaConfig, Secret, TunnelGroup
from cfglint.rules.asa._single import AsaFileRule, is_complete_config

# Connection profiles every ASA has: they exist (and may stay keyless) whether used or not.
_BUILTIN = frozenset({"defaultl2lgroup", "defaultragroup", "defaultwebvpngroup"})


def _present(s: Secret | None) -> bool:
    """A key is configured: cleartext, encrypted (`8 ...`) or masked (`*****`, as show run prints it)."""
    return s is not None and s.kind != "absent"


def _cert_lines(tg: TunnelGroup) -> list[str]:
    """Certificate authentication in the ipsec-attributes block (trust-point, certificate
    authentication, certificate peer-id validation)."""
    out = []
    ipsec = tg.ipsec_attributes
    if ipsec is None:
        return out
    for n in ipsec.other:
        toks = n.text.split()
        if not toks:
            continue
        if toks[0] in ("trust-point", "chain") or toks[:2] == ["ikev1", "trust-point"]:
            out.append(n.text)
        elif toks[0] == "peer-id-validate" and toks[1:2] == ["cert"]:
            out.append(n.text)
        elif toks[0] == "ikev2" and len(toks) >= 3 and toks[2] == "certificate":
            out.append(n.text)
    return out


def _ikev2_ok(tg: TunnelGroup) -> bool:
    """IKEv2 can authenticate both ways: a local and a remote method (pre-shared key, certificate
    or EAP) are both configured."""
    ipsec = tg.ipsec_attributes
    if ipsec is None:
        return False
    local = _present(ipsec.ikev2_local_pre_shared_key)
    remote = _present(ipsec.ikev2_remote_pre_shared_key)
    for n in ipsec.other:
        toks = n.text.split()
        if len(toks) >= 3 and toks[0] == "ikev2":
            if toks[1] == "local-authentication" and toks[2] == "certificate":
                local = True
            elif toks[1] == "remote-authentication" and toks[2] in ("certificate", "eap"):
                remote = True
    return local and remote


def _map_trustpoints(model: AsaConfig) -> bool:
    """A crypto map entry names a trustpoint (`set trustpoint TP`, `set ikev1 trustpoint TP`)."""
    for cm in list(model.crypto_maps.values()) + list(model.dynamic_maps.values()):
        for e in cm.entries:
            for r in e.other:
                if "trustpoint" in r.text.split():
                    return True
    return False


class TunnelGroupWithoutKey(AsaFileRule):
    """A LAN-to-LAN tunnel-group has neither a pre-shared key nor a certificate: phase 1 cannot authenticate.

    ## What it does
    Flags a `tunnel-group NAME type ipsec-l2l` whose `ipsec-attributes` set no pre-shared key
    (`pre-shared-key` on 7.x/8.2, `ikev1 pre-shared-key`, or both `ikev2 local-authentication`
    and `ikev2 remote-authentication`) and no certificate authentication (`trust-point` /
    `ikev1 trust-point`, `ikev2 ... certificate`, `peer-id-validate cert`, a crypto map `set
    trustpoint`). A key shown masked (`*****`, as `show running-config` prints it) or encrypted
    counts as configured; the keyword without a value does not. The built-in `DefaultL2LGroup` is
    not checked. Only whole running-configs are judged.

    ## Why is this bad?
    IKE phase 1 with a peer is authenticated with the tunnel-group named after the peer's
    address. Without a key or a certificate, the ASA has nothing to authenticate with: phase 1
    fails at the authentication exchange, whichever side initiates, and the tunnel never comes up
    although the crypto map, the proposals and the ACLs are right. It is a common leftover of
    copying a tunnel-group's `type` line without its `ipsec-attributes` block.

    ## Example
    ```cisco
    ASA Version 9.8(4)
    hostname hq
    tunnel-group 198.51.100.7 type ipsec-l2l
    tunnel-group 198.51.100.7 general-attributes
     default-group-policy DfltGrpPolicy
    ```

    ## Use instead
    ```cisco
    ASA Version 9.8(4)
    hostname hq
    tunnel-group 198.51.100.7 type ipsec-l2l
    tunnel-group 198.51.100.7 ipsec-attributes
     ikev1 pre-shared-key *****
    ```

    ## Fix
    Add the key the peer uses: `tunnel-group PEER ipsec-attributes` then `ikev1 pre-shared-key KEY`
    (8.4+), `pre-shared-key KEY` (7.x/8.2), or `ikev2 local-authentication pre-shared-key KEY` and
    `ikev2 remote-authentication pre-shared-key KEY`; or a trustpoint for certificates.

    ## References
    - Cisco ASA VPN CLI configuration guide, "Configure LAN-to-LAN IPsec attributes"
      (`ikev1 pre-shared-key`, `ikev1 trust-point`, `ikev2 local-authentication`)
    - Cisco ASA command reference, `tunnel-group ipsec-attributes`
    """

    code = "ASA013"
    name = "tunnel-group-without-key"
    severity = Severity.ERROR
    tags = ("asa", "ipsec", "correctness")

    def check(self, model: AsaConfig, ctx: FileContext) -> Iterator[Diagnostic]:
        if not is_complete_config(model):
            return
        map_certs = None
        for tg in model.tunnel_groups.values():
            if (tg.type or "").lower() != "ipsec-l2l" or tg.name.lower() in _BUILTIN:
                continue
            ipsec = tg.ipsec_attributes
            if ipsec is not None and (_present(ipsec.ikev1_psk) or _ikev2_ok(tg) or _cert_lines(tg)):
                continue
            if any(_present(k.key) and k.address in (tg.name, "0.0.0.0") for k in model.isakmp_keys):
                continue  # PIX-style `isakmp key K address PEER`
            if map_certs is None:
                map_certs = _map_trustpoints(model)
            if map_certs:
                continue
            span = tg.type_span or tg.span
            related = [Related(ipsec.span, "its ipsec-attributes")] if ipsec is not None else []
            partial = ""
            if ipsec is not None and (
                _present(ipsec.ikev2_local_pre_shared_key) or _present(ipsec.ikev2_remote_pre_shared_key)
            ):
                side = "local" if _present(ipsec.ikev2_local_pre_shared_key) else "remote"
                other = "remote" if side == "local" else "local"
                partial = f" (IKEv2 has a {side}-authentication key but no {other}-authentication)"
            where = "its ipsec-attributes set" if ipsec is not None else "it has no ipsec-attributes block, so"
            yield self.diagnostic(
                span,
                f"L2L tunnel-group {tg.name}: {where} no usable pre-shared key and no certificate{partial}: IKE phase 1"
                " with this peer cannot authenticate and the tunnel never comes up",
                related=related,
                fix_title=f"Add `tunnel-group {tg.name} ipsec-attributes` with `ikev1 pre-shared-key KEY`"
                " (`pre-shared-key KEY` on 7.x/8.2), IKEv2 local and remote keys, or a trust-point",
                anchor=f"tunnel-group {tg.name}",
            )
