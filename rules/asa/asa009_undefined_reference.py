from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from cfglint.api import Diagnostic, FileContext, Severity, Span
from cfglint.models.asa import AsaConfig, RawBlock, RawLine
from cfglint.rules.asa._single import (
    AsaFileRule,
    CloseNames,
    is_complete_config,
    problem_tokens,
    undefined_references,
)

# kind of reference -> how a message names it
_LABELS = {
    "access-list": "access-list",
    "network-object": "network object",
    "service-object": "service object",
    "object": "object",
    "object-group": "object-group",
    "object-or-group": "network object or object-group",
    "name": "name",
    "interface": "interface (nameif)",
    "transform-set": "transform set",
    "ikev2-proposal": "IKEv2 IPsec proposal",
    "dynamic-map": "dynamic crypto map",
    "crypto-map": "crypto map",
    "group-policy": "group-policy",
}

# group policies every ASA has
_BUILTIN_GROUP_POLICIES = frozenset({"DfltGrpPolicy"})


@dataclass(frozen=True)
class _Ref:
    kind: str
    name: str
    span: Span
    where: str


def _where(context: str, owner: str) -> str:
    if context == "acl":
        return f"in access-list {owner}"
    if context == "group":
        return f"in object-group {owner}"
    if context == "crypto-map":
        if owner and " " in owner:
            return f"in crypto map entry {owner}"
        return f"by crypto map {owner}" if owner else "by a crypto map"
    if context == "access-group":
        return "by access-group"
    if context == "nat":
        return "in a NAT rule"
    if context == "object-nat":
        return f"in the NAT rule of object {owner}"
    if context == "ike":
        return "by crypto ikev1/ikev2 enable"
    if context == "tunnel":
        return f"in tunnel-group {owner}"
    return f"in {context}"


def _candidates(model: AsaConfig, kind: str, group_policies: set[str]) -> list[str]:
    if kind == "access-list":
        return list(model.access_lists)
    if kind == "network-object":
        return list(model.network_objects)
    if kind == "service-object":
        return list(model.service_objects)
    if kind == "object":
        return list(model.network_objects) + list(model.service_objects)
    if kind == "object-group":
        return list(model.object_groups)
    if kind == "object-or-group":
        return list(model.network_objects) + list(model.object_groups)
    if kind == "name":
        return [n.name for n in model.names]
    if kind == "interface":
        return [i.nameif for i in model.interfaces if i.nameif]
    if kind == "transform-set":
        return list(model.transform_sets)
    if kind == "ikev2-proposal":
        return list(model.ipsec_proposals)
    if kind == "dynamic-map":
        return list(model.dynamic_maps)
    if kind == "crypto-map":
        return list(model.crypto_maps)
    if kind == "group-policy":
        return sorted(group_policies)
    return []


def _raw_references(model: AsaConfig) -> tuple[list[_Ref], set[str]]:
    """References the model keeps in raw lines: `class-map` `match access-list ACL`, group-policy
    `split-tunnel-network-list value ACL` / `vpn-filter value ACL`, tunnel-group
    `default-group-policy POLICY`. Returns them and the group policies the file defines."""
    refs: list[_Ref] = []
    policies: set[str] = set(_BUILTIN_GROUP_POLICIES)
    for n in model.raw:
        toks = n.text.split()
        if len(toks) >= 3 and toks[0] == "group-policy":
            policies.add(toks[1])
        if not isinstance(n, RawBlock) or len(toks) < 2:
            continue
        if toks[0] == "class-map":
            owner = toks[-1]
            for c in n.children:
                ct = c.text.split()
                if len(ct) == 3 and ct[:2] == ["match", "access-list"]:
                    refs.append(_Ref("access-list", ct[2], c.span, f"in class-map {owner}"))
        elif toks[0] == "group-policy" and len(toks) == 3 and toks[2] == "attributes":
            for c in n.children:
                ct = c.text.split()
                if len(ct) == 3 and ct[0] in ("split-tunnel-network-list", "vpn-filter") and ct[1] == "value":
                    refs.append(_Ref("access-list", ct[2], c.span, f"in group-policy {toks[1]} ({ct[0]})"))
    for tg in model.tunnel_groups.values():
        ga = tg.general_attributes
        if ga is None:
            continue
        for c in ga.children:
            if not isinstance(c, RawLine):
                continue
            ct = c.text.split()
            if len(ct) == 2 and ct[0] == "default-group-policy":
                refs.append(_Ref("group-policy", ct[1], c.span, f"in tunnel-group {tg.name}"))
    return refs, policies


class UndefinedReference(AsaFileRule):
    """A command refers to an ACL, object, object-group, name, transform set or map the file does not define.

    ## What it does
    Resolves every reference of the configuration and reports the ones whose target is not
    defined in the file: ACLs (`crypto map ... match address`, `access-group`, `nat (IF) 0
    access-list`, `static ... access-list`, `class-map` `match access-list`, group-policy
    `split-tunnel-network-list value` / `vpn-filter value`), network and service objects and
    object-groups (ACL operands, `network-object object`, `group-object`, `service-object object`,
    NAT operands and pat-pools), `name` aliases (when `names` is on), interfaces (nameifs in
    `access-group`, NAT, `crypto map ... interface`, `crypto ikev1|ikev2 enable`), transform sets
    and IKEv2 proposals (`crypto map ... set ...`), dynamic maps (`ipsec-isakmp dynamic`) and
    group policies (tunnel-group `default-group-policy`). Each finding names the kind of structure
    and suggests the closest defined name of that kind. Only whole running-configs are judged (the
    file has its `ASA Version` line, or a hostname and named interfaces): a `show running-config
    crypto map` excerpt does not show the ACLs it uses.

    ## Why is this bad?
    A reference to nothing is a configuration that does not do what it says. A crypto map entry
    whose ACL does not exist matches no traffic and never brings its tunnel up; an `access-group`
    of a missing ACL filters nothing; a `nat 0 access-list` of a missing ACL exempts nothing, so
    VPN traffic is translated. The ASA rejects most of these lines when they are typed (an ACL
    entry, `group-object` or NAT rule that names a missing object is refused with an error), so a
    file holding them does not load as written: a config pushed from a template, or one where a
    rename missed some users, fails half-way.

    ## Example
    ```cisco
    ASA Version 9.8(4)
    hostname hq
    object-group network BRANCH-NETS
     network-object 10.1.0.0 255.255.255.0
    access-list TO-BRANCH extended permit ip 10.0.0.0 255.255.255.0 object-group BRANCH-NET
    crypto map outside_map 10 match address TO-BRANCH
    ```

    ## Use instead
    ```cisco
    ASA Version 9.8(4)
    hostname hq
    object-group network BRANCH-NETS
     network-object 10.1.0.0 255.255.255.0
    access-list TO-BRANCH extended permit ip 10.0.0.0 255.255.255.0 object-group BRANCH-NETS
    crypto map outside_map 10 match address TO-BRANCH
    ```

    ## Fix
    Correct the name (see the suggestion), or define the missing structure before the line that
    uses it.

    ## References
    - Cisco ASA command reference, `object-group`, `access-list extended`, `crypto map match address`
    - Batfish `undefinedReferences` question (AsaStructureUsage / AsaStructureType)
    """

    code = "ASA009"
    name = "undefined-reference"
    severity = Severity.ERROR
    tags = ("asa", "correctness")

    def check(self, model: AsaConfig, ctx: FileContext) -> Iterator[Diagnostic]:
        if not is_complete_config(model):
            return
        refs = [
            _Ref(r.kind, r.name, r.span, _where(r.context, r.owner))
            for r in undefined_references(model, with_names=model.names_enabled)
        ]
        raw_refs, policies = _raw_references(model)
        for r in raw_refs:
            if r.kind == "access-list" and r.name not in model.access_lists:
                refs.append(r)
            elif r.kind == "group-policy" and r.name not in policies:
                refs.append(r)
        # a name on an unreadable line (CFG004) may be defined there: the parse problem is the finding
        unreadable = problem_tokens(model)
        refs = [r for r in refs if r.name not in unreadable]
        seen: set[tuple[str, str, int, int]] = set()
        refs.sort(key=lambda r: (r.span.line, r.span.column))
        # the defined names of each kind, indexed once: a file with hundreds of undefined references
        # does not run difflib over every defined name for each of them
        suggesters: dict[str, CloseNames] = {}
        for r in refs:
            key = (r.kind, r.name, r.span.line, r.span.column)
            if key in seen:
                continue
            seen.add(key)
            label = _LABELS.get(r.kind, r.kind)
            names = suggesters.get(r.kind)
            if names is None:
                names = suggesters[r.kind] = CloseNames(_candidates(model, r.kind, policies))
            guess = names.suggest(r.name)
            hint = f"; did you mean {guess!r}?" if guess else ""
            yield self.diagnostic(
                r.span,
                f"{label} {r.name!r} is not defined (used {r.where}){hint}",
                fix_title=f"Use the defined {label} {guess!r}" if guess else f"Define {label} {r.name!r}",
                anchor=f"{r.kind} {r.name}",
            )
