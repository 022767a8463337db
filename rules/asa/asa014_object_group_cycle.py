from __future__ import annotations

from collections.abc import Iterator

from cfglint.api import Diagnostic, FileContext, Related, Severity
from cfglint.models.asa import AsaConfig
from cfglint.rules.asa._single import AsaFileRule


class ObjectGroupCycle(AsaFileRule):
    """Object-groups include each other in a cycle through `group-object`.

    ## What it does
    Follows the `group-object` lines between the object-groups of the file and reports each cycle
    once (a group that includes itself, or `A -> B -> ... -> A`), on the `group-object` line that
    closes it, with the whole cycle in the message. Every group of the cycle and every group that
    includes one of them is affected.

    ## Why is this bad?
    Group nesting is meant to be a hierarchy. With a loop, every group of the cycle holds the
    members of all the others, so an ACL written for the inner group also matches everything of
    the outer one: rarely what was meant (usually the outer group was added to an inner one instead
    of the reverse). Recursive expansion of the groups never ends: tools that expand nested groups
    (ACL optimisers, migration scripts, compliance checkers) loop or crash on the file.

    ## Example
    ```cisco
    ASA Version 9.8(4)
    hostname hq
    object-group network ALL-SITES
     network-object 10.0.0.0 255.255.0.0
     group-object BRANCHES
    object-group network BRANCHES
     network-object 10.1.0.0 255.255.0.0
     group-object ALL-SITES
    ```

    ## Use instead
    ```cisco
    ASA Version 9.8(4)
    hostname hq
    object-group network ALL-SITES
     network-object 10.0.0.0 255.255.0.0
     group-object BRANCHES
    object-group network BRANCHES
     network-object 10.1.0.0 255.255.0.0
    ```

    ## Fix
    Remove the `group-object` line that closes the cycle; nest groups from the most specific to the
    most general only.

    ## References
    - Cisco ASA command reference, `group-object`
    - Titania Nipper, "Network Filtering Complexity": group recursion
    """

    code = "ASA014"
    name = "object-group-cycle"
    severity = Severity.ERROR
    tags = ("asa", "correctness")

    def check(self, model: AsaConfig, ctx: FileContext) -> Iterator[Diagnostic]:
        for c in model.group_cycles:
            groups = list(c.groups)
            if not groups:
                continue
            path = " -> ".join(groups + [groups[0]])
            closing_in = groups[-1]
            related = []
            for name in groups:
                g = model.object_groups.get(name)
                if g is not None and name != closing_in:
                    related.append(Related(g.span, f"object-group {name}, part of the cycle"))
            if len(groups) == 1:
                text = (
                    f"object-group {groups[0]} includes itself (`group-object {groups[0]}`): the line adds"
                    " nothing, and recursive expansion of the group never ends"
                )
            else:
                text = (
                    f"object-groups include each other in a cycle: {path}: each group of the loop holds the"
                    " members of all the others, and recursive expansion never ends"
                )
            yield self.diagnostic(
                c.span,
                text,
                related=related,
                fix_title=f"Remove `group-object {groups[0]}` from object-group {closing_in}",
                anchor=f"object-group cycle {path}",
            )
