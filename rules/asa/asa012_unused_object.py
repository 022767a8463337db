from __future__ import annotations

from collections.abc import Iterator

from cfglint.api import Diagnostic, FileContext, Severity
from cfglint.models.asa import AsaConfig
from cfglint.rules.asa._single import AsaFileRule, is_complete_config, references, unmodelled_tokens

_OBJECT_KINDS = frozenset({"network-object", "service-object", "object", "object-group", "object-or-group"})


class UnusedObject(AsaFileRule):
    """An object or object-group is defined but nothing refers to it.

    ## What it does
    Lists every `object network`, `object service` and `object-group` (any type) that nothing
    refers to. Uses counted: ACL entries (every ACL, crypto ACLs and NAT-exemption ACLs included,
    as protocol, address, port or ICMP operands), `network-object object`, `service-object
    object` and `group-object` in other groups, twice NAT operands and services, object NAT mapped
    addresses and pat-pools, and an object's own `nat` line (an object that carries a NAT rule is
    in use). A name that appears as a word on any line the model does not interpret (policy maps,
    `object-group-user` criteria, WebVPN, ...) also counts as a use, so that nothing the model does
    not track is reported. Only whole running-configs are judged: a `show running-config object`
    excerpt does not show the ACLs that use the objects.

    ## Why is this bad?
    Unused objects are what audits ask to remove (Titania Nipper "unused objects", the ASA cleanup
    scripts): they make the rule base harder to read, and an object that looks like it grants or
    protects something but is referenced nowhere misleads the next change ("the VPN network is
    already in the group"). They are also often the trace of a rename where a user was forgotten.

    ## Example
    ```cisco
    ASA Version 9.8(4)
    hostname hq
    object network OLD-WEB
     host 10.0.0.80
    object network WEB
     host 10.0.0.81
    access-list OUTSIDE-IN extended permit tcp any object WEB eq https
    access-group OUTSIDE-IN in interface outside
    ```

    ## Use instead
    ```cisco
    ASA Version 9.8(4)
    hostname hq
    object network WEB
     host 10.0.0.81
    access-list OUTSIDE-IN extended permit tcp any object WEB eq https
    access-group OUTSIDE-IN in interface outside
    ```

    ## Fix
    Remove it (`no object network NAME`, `no object-group network NAME`), or use it where it was
    meant to be used.

    ## References
    - Titania Nipper, "Network Filtering Complexity": unused objects
    - PackeTsar/ASA-Cleanup, mikepitagno/asa_cleanup: objects referenced by crypto-map ACLs are used
    - Batfish `unusedStructures` question
    """

    code = "ASA012"
    name = "unused-object"
    severity = Severity.INFO
    tags = ("asa", "unused", "maintainability")

    def check(self, model: AsaConfig, ctx: FileContext) -> Iterator[Diagnostic]:
        if not is_complete_config(model):
            return
        used = {r.name for r in references(model, with_names=False) if r.kind in _OBJECT_KINDS}
        raw = unmodelled_tokens(model)
        for obj in model.network_objects.values():
            if obj.name in used or obj.nat or obj.name in raw:
                continue
            yield self._finding(obj.span, "object network", obj.name)
        for sobj in model.service_objects.values():
            if sobj.name in used or sobj.name in raw:
                continue
            yield self._finding(sobj.span, "object service", sobj.name)
        for g in model.object_groups.values():
            if g.name in used or g.name in raw:
                continue
            yield self._finding(g.span, f"object-group {g.group_type}", g.name)

    def _finding(self, span, what: str, name: str) -> Diagnostic:
        return self.diagnostic(
            span,
            f"{what} {name} is never used: no ACL, NAT rule or object-group refers to it",
            fix_title=f"Remove it (`no {what} {name}`) or use it where it was meant to be",
            anchor=f"{what} {name}",
        )
