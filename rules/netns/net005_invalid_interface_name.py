from __future__ import annotations

import re
from collections.abc import Iterator

from cfglint.api import Diagnostic, FileContext, Severity
from cfglint.models.netns import NetScript
from cfglint.rules.netns._common import NetRule, called_from, dedupe, in_error_region
from cfglint.shell import Arg

IFNAMSIZ = 16


def _names(op) -> list[tuple[Arg, str]]:
    """(argument, what) of every interface name the command gives to a new or renamed device."""
    out: list[tuple[Arg, str]] = []
    ip = op.ip
    if ip is not None and ip.obj == "link" and ip.link is not None:
        spec = ip.link
        if ip.cmd == "add":
            if spec.new_name is not None:
                out.append((spec.new_name, "name"))
            if spec.peer is not None and spec.peer.new_name is not None:
                out.append((spec.peer.new_name, "veth peer name"))
        elif ip.cmd == "set" and spec.name is not None:
            out.append((spec.name, "new name"))
    elif ip is not None and ip.obj == "tuntap" and ip.cmd == "add":
        from cfglint.netns.iproute import parse_tuntap

        dev = parse_tuntap(ip.rest).dev
        if dev is not None:
            out.append((dev, "name"))
    elif op.brctl is not None and op.brctl.sub == "addbr" and op.brctl.bridge is not None:
        out.append((op.brctl.bridge, "bridge name"))
    return out


_ID_VAR_RE = re.compile(r"(?:^|_)(?:id|uuid|guid|hash)$|uuid", re.I)


def _tight(arg: Arg) -> str | None:
    """A name whose fixed part leaves at most 2 bytes for an identifier (`veth-qrouter-$ID`)."""
    v = arg.value
    if v.text is not None or len(v.options) != 1:
        return None
    fixed = sum(len(p.text.encode("utf-8")) for p in v.options[0] if p.kind == "text")
    ids = [p.text for p in v.options[0] if p.kind == "var" and _ID_VAR_RE.search(p.text)]
    if ids and IFNAMSIZ - 1 - fixed <= 2:
        room = IFNAMSIZ - 1 - fixed
        return (f"{v.render()} leaves {room} byte{'s' if room != 1 else ''} for ${ids[0]}: any identifier longer than "
                f"that makes the name {fixed + 3}+ bytes, over the 15-byte limit")
    return None


def _problem(arg: Arg) -> str | None:
    v = arg.value
    text = v.text
    if text is not None:
        size = len(text.encode("utf-8"))
        if size >= IFNAMSIZ:
            return f"{text!r} is {size} bytes, and Linux interface names hold at most {IFNAMSIZ - 1}"
        if text in (".", ".."):
            return f"{text!r} is reserved"
        bad = [c for c in text if c in "/:" or c.isspace()]
        if bad:
            return f"{text!r} contains {bad[0]!r}, which interface names cannot hold"
        return None
    if not v.options:
        return None
    low = v.min_length
    if low >= IFNAMSIZ:
        return (f"{v.render()} is at least {low} characters whatever the variables hold "
                f"(its fixed part alone overflows the {IFNAMSIZ - 1}-byte limit)")
    return None


class InvalidInterfaceName(NetRule):
    """An interface is given a name the kernel rejects: 16 bytes or more, `/`, `:`, blanks, `.` or `..`.

    ## What it does
    Checks the names given to new devices (`ip link add NAME`, the veth `peer name`, `ip link
    set X name NEW`, `ip tuntap add dev NAME`, `brctl addbr NAME`). Flags a known name of 16
    bytes or more, one holding `/`, `:` or whitespace, and `.` / `..`. A name built from
    variables is flagged when its fixed text alone already reaches 16 characters
    (`veth-qrouter-router-$ID`), and as a warning when the fixed text leaves at most 2 bytes for
    an identifier variable (`veth-qrouter-$ID`, `$ROUTER_UUID`...); other names whose length
    depends on unknown values are not.

    ## Why is this bad?
    Interface names are limited to `IFNAMSIZ - 1` = 15 bytes. `ip` refuses the command
    (`"name" not a valid ifname` / `Attribute failed policy validation`), so the device is never
    created and every later command that uses it fails. Names derived from long identifiers
    (router UUIDs, container IDs) overflow silently until the first real ID comes along.

    ## Example
    ```sh
    ip link add veth-qrouter-6f1f2e5a type veth peer name veth-lxd
    ```

    ## Use instead
    ```sh
    ip link add qr-6f1f2e5a type veth peer name veth-lxd
    ```

    ## Fix
    Shorten the name to 15 bytes at most (for IDs, keep a prefix: `qr-${ID:0:11}`).

    ## References
    - Linux `dev_valid_name()` (net/core/dev.c), iproute2 `check_ifname()` (lib/utils.c)
    """

    code = "NET005"
    name = "invalid-interface-name"
    severity = Severity.ERROR
    tags = ("netns", "correctness")

    def check(self, model: NetScript, ctx: FileContext) -> Iterator[Diagnostic]:
        yield from dedupe(self._check(model, self.analysis(model, ctx)))

    def _check(self, model, a) -> Iterator[Diagnostic]:
        for op in a.ops:
            if op.tool not in ("ip", "brctl") or in_error_region(model, op):
                continue
            for arg, what in _names(op):
                problem = _problem(arg)
                severity = None
                if problem is None:
                    problem = _tight(arg)
                    severity = Severity.WARNING
                    if problem is None:
                        continue
                    tail = "the device is then not created"
                else:
                    tail = "the device is not created"
                yield self.diagnostic(
                    op.arg_span(arg),
                    f"{'invalid interface' if severity is None else 'interface'} {what}"
                    f"{called_from(op, op.arg_span(arg))}: {problem}; {tail}",
                    severity=severity,
                    fix_title="Use a name of 15 bytes at most, without '/', ':' or blanks (keep a short prefix of IDs)",
                    anchor=f"ifname@{op.line}",
                )
