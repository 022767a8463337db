from __future__ import annotations

import re
from collections.abc import Iterator

from cfglint.api import Diagnostic, FileContext, Severity
from cfglint.models.netns import NetScript
from cfglint.rules.netns._common import NetRule, in_error_region

# Signs that the script persists what it builds, or is itself run at every boot.
_PERSIST_RE = re.compile(
    r"iptables-save|ip6tables-save|netfilter-persistent|iptables-persistent|/etc/iptables/|/etc/sysconfig/iptables|"
    r"/etc/sysctl\.d|/etc/sysctl\.conf|systemctl\s+enable|/etc/network/interfaces|netplan|/etc/systemd/network|"
    r"nmcli\s+con|/etc/rc\.local|@reboot|BEGIN INIT INFO|/etc/init\.d|ExecStart|/etc/NetworkManager|"
    r"/etc/nftables\.conf|nft\s+list\s+ruleset\s*>|post-up|pre-up|ifup|udev|hotplug|XENBUS|vif-",
    re.I,
)
_START_STOP_RE = re.compile(r'case\s+"?\$\{?1\}?"?\s+in[\s\S]*?\bstart\)[\s\S]*?\bstop\)', re.M)


def _state_op(op) -> str | None:
    ip = op.ip
    if ip is not None:
        if ip.obj == "netns" and ip.cmd == "add":
            return "a network namespace"
        if ip.obj == "link" and ip.cmd == "add":
            return "an interface"
        if ip.obj == "address" and ip.cmd in ("add", "replace"):
            return "an address"
        if ip.obj == "route" and ip.cmd in ("add", "replace", "append"):
            return "a route"
        if ip.obj == "link" and ip.cmd == "set" and ip.link is not None and ip.link.netns is not None:
            return "an interface move"
    if op.ipt is not None and op.ipt.adds_rule:
        return "an iptables rule"
    if op.brctl is not None and op.brctl.sub in ("addbr", "addif"):
        return "a bridge"
    if op.sysctl is not None and op.sysctl.writes:
        return "a sysctl setting"
    return None


def _tears_down(op) -> bool:
    ip = op.ip
    if ip is not None and ((ip.obj == "netns" and ip.cmd == "delete") or (ip.obj == "link" and ip.cmd == "delete")):
        return True
    if op.ipt is not None and op.ipt.command in ("delete", "flush"):
        return True
    return op.brctl is not None and op.brctl.sub in ("delbr", "delif")


class StateNotPersisted(NetRule):
    """The script builds runtime-only network state (namespaces, veths, rules, sysctls) and nothing persists it.

    ## What it does
    Reports once per script, at the first command that creates runtime-only state (`ip netns
    add`, `ip link add`, `ip addr add`, `ip route add`, `iptables -A/-I`, `brctl addbr/addif`,
    `sysctl -w`), when the script shows no sign of persisting it or of being run at every boot:
    no `iptables-save` / `netfilter-persistent`, no `/etc/sysctl.d`, no systemd unit, ifupdown
    hook, netplan or NetworkManager configuration, no LSB init header or `start)`/`stop)` arms,
    no hotplug hook. Scripts that are tools rather than one-shot setups are left alone: they
    tear down what they build (`ip netns del`, `ip link del`, `iptables -D`, a `trap`), plumb a
    process's namespace (a container's PID), or only define functions. Off by default
    (`opt-in`): a script may well be the boot hook itself, which the linter cannot see.

    ## Why is this bad?
    None of this survives a reboot (and namespaces owned by an agent do not survive the agent's
    restart). The setup works until the next maintenance window, then silently disappears.

    ## Example
    ```sh
    ip link add veth-qr type veth peer name veth-lxd
    ```

    ## Use instead
    ```sh
    # Run at boot by join-router.service (ExecStart=/usr/local/sbin/join-router.sh)
    ip link add veth-qr type veth peer name veth-lxd
    ```

    ## Fix
    Run the script from a systemd unit (or an ifupdown `post-up` hook), save iptables rules with
    `netfilter-persistent save`, and put sysctls in `/etc/sysctl.d/`.

    ## References
    - https://github.com/systemd/systemd/issues/2741 , https://github.com/pivpn/pivpn/issues/1713
    """

    code = "NET012"
    name = "state-not-persisted"
    severity = Severity.INFO
    tags = ("netns", "persistence")
    opt_in = True
    precision = "medium"

    def check(self, model: NetScript, ctx: FileContext) -> Iterator[Diagnostic]:
        text_parts = [c.text for c in model.comments] + [
            " ".join(w.text for w in c.argv) for c in model.commands
        ]
        text = "\n".join(text_parts)
        if _PERSIST_RE.search(text):
            return
        if any(f in model.functions for f in ("start", "stop")) and any(
                c.conditions and any(cond.kind == "case" for cond in c.conditions) for c in model.commands):
            return
        if any(c.name == "trap" for c in model.commands):
            return  # tears down what it builds on exit: ephemeral by design
        a = self.analysis(model, ctx)
        if any(_tears_down(op) for op in a.ops):
            return  # it also removes what it builds (a stop/cleanup path): a tool, not a one-shot setup
        if any(op.ns.kind == "pid" or (op.ip is not None and op.ip.link is not None and op.ip.link.netns is not None
                                       and (op.ip.link.netns.value.text or "x").isdigit()) for op in a.ops):
            return  # plumbing for a process (container) whose lifetime it follows
        if all(op.unit is not None for op in a.ops if _state_op(op) is not None):
            return  # a library of functions: whoever calls them decides
        for op in a.ops:
            what = _state_op(op)
            if what is None or in_error_region(model, op):
                continue
            yield self.diagnostic(
                op.span,
                f"this script creates {what} here (and more runtime-only state) but nothing persists it: it is "
                f"gone after a reboot",
                fix_title="Run the script from a boot-time unit, or persist the state (netfilter-persistent, /etc/sysctl.d, ...)",
                anchor="persistence",
            )
            return
