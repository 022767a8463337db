from __future__ import annotations

from collections.abc import Iterator

from cfglint.api import Diagnostic, FileContext, Severity
from cfglint.models.netns import NetScript
from cfglint.netns.state import NsRef
from cfglint.rules.netns._common import NetRule, in_error_region

_OWNERS = {"qrouter-": "the Neutron L3 agent", "snat-": "the Neutron L3 agent", "fip-": "the Neutron L3 agent",
           "qdhcp-": "the Neutron DHCP agent", "cni-": "the CNI runtime"}


def _mutates(op) -> bool:
    ip = op.ip
    if ip is not None:
        return ip.is_mutation and ip.obj not in ("netns",)
    if op.ipt is not None:
        return op.ipt.command in ("append", "insert", "delete", "replace", "flush", "new-chain", "delete-chain",
                                  "policy", "rename-chain", "zero")
    if op.brctl is not None:
        return op.brctl.sub not in ("show", "showmacs", "showstp", None)
    if op.sysctl is not None:
        return bool(op.sysctl.writes) or op.sysctl.loads_files
    if op.nft is not None:
        return any(s.verb not in ("list",) for s in op.nft.statements)
    return op.tool == "proc-sys"


class ExternalNamespaceModified(NetRule):
    """The script changes a namespace another tool owns (Neutron `qrouter-*`, `qdhcp-*`...): the changes are lost when it is recreated.

    ## What it does
    Reports, once per namespace, the first command that changes a namespace managed by another
    tool: Neutron's `qrouter-*`, `snat-*`, `fip-*` (L3 agent), `qdhcp-*` (DHCP agent), `cni-*`,
    and the globs of the `external-namespaces` option. Changes are: moving an interface into
    it, `ip link/addr/route` changes run inside it, iptables/nft rules and sysctls set inside it.
    Reading (`ip netns exec qrouter-X ip addr show`, `ping`) is not reported.

    ## Why is this bad?
    The owning agent creates, rebuilds and deletes these namespaces on its own schedule (agent
    restart, router rescheduled to another node, HA failover, `neutron-netns-cleanup`): whatever
    the script plumbed into them silently disappears, and the agent does not expect foreign
    interfaces or rules there.

    ## Example
    ```sh
    ip link set veth-qr netns qrouter-6f1f2e5a
    ```

    ## Use instead
    ```sh
    # let Neutron plug the router into the network instead
    openstack router add subnet router1 lxd-subnet
    ```

    ## Options
    - `external-namespaces` (list of globs, family option `[rules.NET]`): namespaces another tool
      manages, added to `qrouter-*`, `qdhcp-*`, `snat-*`, `fip-*`, `cni-*`.
    - `wrappers` (list of names, family option): commands that run their arguments as a command
      (`do_or_die ip link ...`), seen through like `sudo`.

    ## Fix
    Make the owning tool do the plumbing (a Neutron port/subnet on the router), or re-apply the
    changes from a hook the agent runs when it recreates the namespace.

    ## References
    - https://github.com/CiscoSystems/neutron/pull/32 (L3 agent restart destroys qrouter namespaces),
      https://github.com/containerd/containerd/issues/10431
    """

    code = "NET013"
    name = "external-namespace-modified"
    severity = Severity.INFO
    tags = ("netns", "operations")

    def check(self, model: NetScript, ctx: FileContext) -> Iterator[Diagnostic]:
        a = self.analysis(model, ctx)
        seen: set[NsRef] = set()
        for op in a.ops:
            if in_error_region(model, op):
                continue
            targets: list[tuple[NsRef, object]] = []
            if a.is_external(op.ns) and _mutates(op):
                targets.append((op.ns, None))
            ip = op.ip
            if ip is not None and ip.obj == "link" and ip.link is not None and ip.link.netns is not None:
                from cfglint.netns.refs import ref_of

                r = ref_of(ip.link.netns.value)
                ns = NsRef("name", r)
                if r.known and a.is_external(ns):
                    targets.append((ns, ip.link.netns))
            for ns, arg in targets:
                if ns in seen:
                    continue
                seen.add(ns)
                owner = next((o for p, o in _OWNERS.items() if ns.ref.prefix.startswith(p)), "another tool")
                yield self.diagnostic(
                    op.arg_span(arg) if arg is not None else op.span,  # type: ignore[arg-type]
                    f"{ns.shown} is managed by {owner}, which recreates it (agent restart, rescheduling, "
                    f"failover): what this script puts there is lost without notice",
                    fix_title="Let the owning tool do the plumbing, or re-apply it from a hook run when the namespace is recreated",
                    anchor=f"external {ns.short}",
                )
