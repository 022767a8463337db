from __future__ import annotations

from collections.abc import Iterator

from cfglint.api import Diagnostic, FileContext, Related, Severity
from cfglint.models.netns import NetScript
from cfglint.netns.iptables import NAT_TARGETS
from cfglint.netns.refs import ref_of
from cfglint.netns.simulate import _PROC_WRITE_RE, Analysis, NetOp
from cfglint.netns.state import ROOT, NsRef
from cfglint.netns.tools import FORWARDING_KEYS, proc_sys_key
from cfglint.rules.netns._common import NetRule, called_from, in_error_region

_FAMILY_KEY = {"ipv4": "net.ipv4.ip_forward", "ipv6": "net.ipv6.conf.all.forwarding"}


def _created_namespaces(a: Analysis) -> dict[NsRef, NetOp]:
    out: dict[NsRef, NetOp] = {}
    for op in a.ops:
        ip = op.ip
        if ip is None or ip.obj != "netns" or ip.cmd != "add" or not ip.rest:
            continue
        r = ref_of(ip.rest[0].value)
        if r.known:
            out.setdefault(NsRef("name", r), op)
    return out


def _forwarding_writes(op: NetOp) -> dict[str, str | None] | None:
    """Family -> value written by this command; None when it may write anything (`sysctl -p`)."""
    out: dict[str, str | None] = {}
    if op.sysctl is not None:
        if op.sysctl.loads_files or op.sysctl.unknown:
            return None
        for w in op.sysctl.writes:
            for fam, keys in FORWARDING_KEYS.items():
                if w.key in keys:
                    out[fam] = w.value
    elif op.tool == "proc-sys":
        for layer in op.inv.layers:
            if layer.kind in ("shell-c", "eval", "flock") and layer.argv:
                t = layer.argv[-1].value.text
                if t is None:
                    return None
                m = _PROC_WRITE_RE.search(t)
                if m is None:
                    return None
                key = proc_sys_key(m.group(2))
                for fam, keys in FORWARDING_KEYS.items():
                    if key in keys:
                        out[fam] = m.group(1) or None
                return out
        value = None
        if op.inv.name in ("echo", "printf"):
            vals = [x.value.text for x in op.inv.argv[1:] if (x.value.text or "x")[:1] != "-"]
            value = vals[0] if len(vals) == 1 else None
        targets = []
        if op.inv.name == "tee":
            targets = [x.value.text for x in op.inv.argv[1:] if not (x.value.text or "").startswith("-")]
        else:
            targets = [r.target.value.text for r in op.inv.command.redirects if r.target is not None]
        for t in targets:
            if t is None:
                return None
            key = proc_sys_key(t)
            for fam, keys in FORWARDING_KEYS.items():
                if key in keys:
                    out[fam] = value
    return out


class NamespaceForwardingDisabled(NetRule):
    """A namespace the script creates routes or NATs traffic, but IP forwarding is never enabled inside it.

    ## What it does
    For each namespace the script creates (`ip netns add`), looks for what makes it a router:
    NAT rules (`MASQUERADE`, `SNAT`, `DNAT`, `REDIRECT`) or `FORWARD` rules added inside it.
    Flags it when nothing run inside that namespace enables forwarding for that address family
    (`ip netns exec NS sysctl -w net.ipv4.ip_forward=1`, `echo 1 > /proc/sys/net/ipv4/ip_forward`,
    `net.ipv6.conf.all.forwarding=1`) and, for IPv4, the host's forwarding was not enabled
    before the namespace was created. Nothing is reported when a command the linter cannot
    follow runs in that namespace (`sysctl -p`, a script, `sh -c` with an unknown string).

    ## Why is this bad?
    `net.*` sysctls are per network namespace. A new namespace copies the host's IPv4 settings
    *at creation time* (IPv6 starts from the defaults, forwarding off), so enabling forwarding on
    the host afterwards, or relying on the host's `/etc/sysctl.conf`, does not make the namespace
    forward: the NAT rules are in place and nothing goes through.

    ## Example
    ```sh
    ip netns add router
    ip netns exec router iptables -t nat -A POSTROUTING -o veth-out -j MASQUERADE
    ```

    ## Use instead
    ```sh
    ip netns add router
    ip netns exec router sysctl -w net.ipv4.ip_forward=1
    ip netns exec router iptables -t nat -A POSTROUTING -o veth-out -j MASQUERADE
    ```

    ## Fix
    Enable forwarding inside the namespace: `ip netns exec NS sysctl -w net.ipv4.ip_forward=1`
    (and `net.ipv6.conf.all.forwarding=1` for IPv6).

    ## References
    - Linux `net.core.devconf_inherit_init_net` (Documentation/admin-guide/sysctl/net.rst): new
      namespaces inherit IPv4 settings from init_net, IPv6 ones are reset to defaults
    - NAT not working without forwarding: https://github.com/pritunl/pritunl/issues/390
    """

    code = "NET008"
    name = "namespace-forwarding-disabled"
    severity = Severity.WARNING
    tags = ("netns", "routing", "correctness")

    def check(self, model: NetScript, ctx: FileContext) -> Iterator[Diagnostic]:
        a = self.analysis(model, ctx)
        created = _created_namespaces(a)
        for ns, creation in created.items():
            if a.is_external(ns):
                continue
            st = a.final.get(creation.unit)
            if st is None:
                continue
            evidence: dict[str, NetOp] = {}
            for op in a.ops:
                ipt = op.ipt
                if ipt is None or not ipt.adds_rule or op.ns != ns or in_error_region(model, op):
                    continue
                target = ipt.target_text
                if (ipt.table_known and ipt.table == "nat" and target in NAT_TARGETS) or ipt.chain_text == "FORWARD":
                    if target in ("DROP", "REJECT") and ipt.chain_text == "FORWARD":
                        continue
                    evidence.setdefault(ipt.family, op)
            if not evidence:
                continue
            enabled: set[str] = set()
            unknown = False
            root_after: dict[str, NetOp] = {}
            for op in a.ops:
                rel = st.ns_relation(op.ns, ns)
                if op.havoc and rel != "different":
                    unknown = True
                    break
                writes = _forwarding_writes(op)
                if writes is None:
                    if rel != "different":
                        unknown = True
                        break
                    if op.ns == ROOT:
                        writes = {"ipv4": None}  # `sysctl -p` / `--system` on the host: may enable it
                    else:
                        continue
                if rel != "different":
                    for fam, val in writes.items():
                        if val != "0":
                            enabled.add(fam)
                elif op.ns == ROOT and "ipv4" in writes and writes["ipv4"] != "0":
                    before = (op.unit == creation.unit and op.index < creation.index
                              and creation.frame[: len(op.frame)] == op.frame)
                    if before:
                        enabled.add("ipv4-inherited")
                    else:
                        root_after.setdefault("ipv4", op)
            if unknown:
                continue
            for fam, op in sorted(evidence.items()):
                if fam in enabled or (fam == "ipv4" and "ipv4-inherited" in enabled):
                    continue
                key = _FAMILY_KEY[fam]
                related = [Related(creation.span, f"{ns.shown} created here")]
                if fam == "ipv4" and "ipv4" in root_after:
                    r = root_after["ipv4"]
                    detail = (f"the host's forwarding is enabled at line {r.line}, after {ns.shown} was created "
                              f"(line {creation.line}), and a namespace copies it only at creation")
                    related.append(Related(r.span, "host forwarding enabled here"))
                elif fam == "ipv6":
                    detail = "a new namespace starts with IPv6 forwarding off"
                else:
                    detail = (f"it only has what the host had when it was created (line {creation.line}), "
                              f"which the script does not set")
                ipt = op.ipt
                what = f"{ipt.target_text} rule" if ipt.target_text in NAT_TARGETS else "FORWARD rule"
                yield self.diagnostic(
                    op.arg_span(ipt.command_arg),
                    f"{ns.shown} gets a {what}{called_from(op, op.arg_span(ipt.command_arg))} but {key} is never enabled inside it: {detail}",
                    related=related,
                    fix_title=f"Add `ip netns exec {ns.short} sysctl -w {key}=1`",
                    anchor=f"fwd@{ns.short}:{fam}",
                )
