from __future__ import annotations

from collections.abc import Iterator

from cfglint.api import Diagnostic, FileContext, Related, Severity
from cfglint.models.netns import NetScript
from cfglint.rules.netns._common import NetRule, called_from, dedupe, in_error_region


class IptablesInterfaceWrongNamespace(NetRule):
    """An iptables rule matches `-i`/`-o` on an interface that is not in the namespace the rule runs in.

    ## What it does
    Flags `iptables`/`ip6tables -A|-I|-R` rules whose `-i IFACE` or `-o IFACE` names an interface
    that certainly does not exist in that rule's namespace when the rule is added and still does
    not at the end of the script: it was moved to another namespace (the usual mistake: the
    MASQUERADE rule for the router's leg is added on the host, while the leg lives in the router
    namespace), deleted, or never created in a namespace the script created. Error when the
    interface lives in another namespace, warning when it exists nowhere. `+` wildcards
    (`veth+`), negated matches and values the script cannot know are not reported; in the root
    namespace only interfaces the script itself moved away or deleted count.

    ## Why is this bad?
    iptables accepts a rule for any interface name, so nothing fails: the rule just never matches.
    Netfilter rules are per network namespace; packets leaving through `veth-qr` inside the router
    namespace never meet a rule of the host's nat table. The NAT (or filter) the script was
    written for silently does not happen.

    ## Example
    ```sh
    ip link add veth-qr type veth peer name veth-lxd
    ip link set veth-qr netns qrouter-1234
    iptables -t nat -A POSTROUTING -o veth-qr -j MASQUERADE
    ```

    ## Use instead
    ```sh
    ip link add veth-qr type veth peer name veth-lxd
    ip link set veth-qr netns qrouter-1234
    ip netns exec qrouter-1234 iptables -t nat -A POSTROUTING -o veth-qr -j MASQUERADE
    ```

    ## Options
    - `external-namespaces`, `wrappers` (family options `[rules.NET]`, see NET013).

    ## Fix
    Add the rule inside the namespace that holds the interface (`ip netns exec NS iptables ...`),
    or name the interface that carries the traffic in this namespace.

    ## References
    - iptables(8) `-i`, `-o` ("If the interface name ends in a '+', then any interface which
      begins with this name will match"); network namespaces have their own netfilter tables
      (network_namespaces(7))
    """

    code = "NET003"
    name = "iptables-interface-wrong-namespace"
    severity = Severity.ERROR
    tags = ("netns", "iptables", "correctness")

    def check(self, model: NetScript, ctx: FileContext) -> Iterator[Diagnostic]:
        yield from dedupe(self._check(model, self.analysis(model, ctx)))

    def _check(self, model, a) -> Iterator[Diagnostic]:
        for m in a.matches:
            if m.presence != "no" or m.presence_end != "no" or m.ns.kind == "unknown":
                continue
            if in_error_region(model, m.op):
                continue
            gone = m.slot.gone
            if m.ns.kind == "root" and gone is None:
                continue
            where = "the root namespace" if m.ns.kind == "root" else m.ns.shown
            flag = "-i" if m.opt.name == "in" else "-o"
            name = m.name.shown
            related: list[Related] = []
            severity = None
            elsewhere = [ns for ns, _s in m.elsewhere]
            if elsewhere:
                there = ", ".join(("the root namespace" if ns.kind == "root" else ns.shown) for ns in elsewhere[:2])
                why = f"{name} is in {there}"
                if gone is not None:
                    what = "moved there" if gone.text.startswith("moved to") else gone.text
                    why += f" ({what} at line {gone.line})"
                    related.append(Related(gone.span, f"{name} {gone.text} here"))
                for ns, s in m.elsewhere[:1]:
                    if s.moved_from is not None and (gone is None or s.moved_from.span != gone.span):
                        related.append(Related(s.moved_from.span, f"{name} {s.moved_from.text} here"))
            else:
                severity = Severity.WARNING
                if gone is not None:
                    why = f"{name} was {gone.text} at line {gone.line} and exists nowhere else"
                    related.append(Related(gone.span, f"{name} {gone.text} here"))
                else:
                    ev = m.rec.created_event
                    why = (f"{where} was created by this script" + (f" at line {ev.line}" if ev else "")
                           + f" and {name} is never created or moved there")
                    if ev is not None:
                        related.append(Related(ev.span, f"{where} created here"))
            yield self.diagnostic(
                m.op.arg_span(m.opt.value),
                f"`{flag} {name}` in a rule added in {where}{called_from(m.op, m.op.arg_span(m.opt.value))}, but {why}: iptables rules are per "
                f"namespace, so this rule never matches",
                related=related,
                severity=severity,
                fix_title="Add the rule in the namespace that holds the interface: `ip netns exec NS iptables ...`",
                anchor=f"{flag} {name}@{m.ns.short}",
            )
