from __future__ import annotations

from collections.abc import Iterator

from cfglint.api import Diagnostic, FileContext, Severity
from cfglint.models.netns import NetScript
from cfglint.rules.netns._common import NetRule, called_from, dedupe, in_error_region


def _sources_files(model: NetScript) -> bool:
    """`. FILE` / `source FILE`: variables may be set there (the evaluation does not follow it)."""
    return any(c.name in (".", "source") for c in model.commands)


def _tested(model: NetScript, op, names: set[str]) -> bool:
    """An enclosing condition tests one of these variables (`[ -n "$ADDR" ] && ip addr add $ADDR ...`)."""
    cmds = [op.inv.command]
    if op.inv.site is not None:
        cmds.append(op.inv.site)
    if op.inv.step is not None:
        cmds.extend(op.inv.step.call_stack)
    for c in cmds:
        for cond in c.conditions:
            for t in cond.tests:
                tc = model.commands[t]
                if any(set(w.refs) & names for w in tc.argv):
                    return True
    return False


def _empty_refs(op) -> set[str]:
    """Variables in the command's words whose value is known to be empty (or unset)."""
    out: set[str] = set()
    for w in op.command.argv:
        for r in w.refs:
            out.add(r)
    return out


def _vanished(op) -> list[str]:
    """Unquoted words of the command that expand to nothing (known empty or unset variables)."""
    out = []
    for w in op.command.argv:
        if not w.refs or w.text.startswith(('"', "'")):
            continue
        if w.value.is_empty or w.value.is_unset:
            out.append(w.text)
    return out


class AddrAddWithoutAddress(NetRule):
    """`ip addr add` is given no address (only `dev X` and options), or an empty one.

    ## What it does
    Reads `ip address add|replace|change` the way iproute2 does, in any abbreviation (`ip a a`,
    `ip addr add`, `ip address add`) and with keywords in any order (`ip addr add dev X
    10.0.0.1/24` is valid): every word that is not a keyword or a keyword's value is the address.
    Flags the command when nothing is left, when the address is a variable known to be empty
    (`ADDR=""` then `ip addr add $ADDR dev X`: the unquoted word vanishes), when it is an empty
    string (`"$ADDR"`), or when it is only a prefix length (`"$IP/24"` with `IP` empty). Values
    the script cannot know (environment variables, command substitutions) are not reported.

    ## Why is this bad?
    `ip` cannot add an address it is not given: it fails (`RTNETLINK answers: Operation not
    supported`, or `Error: any valid prefix is expected rather than ""`) and the interface stays
    without an address, so nothing behind it is reachable. This is the step of the OpenStack
    router-to-LXD guide that cannot work as printed (`ip netns exec $ROUTER ip addr add dev
    veth-qr`).

    ## Example
    ```sh
    ip netns exec qrouter-1234 ip addr add dev veth-qr
    ```

    ## Use instead
    ```sh
    ip netns exec qrouter-1234 ip addr add 10.0.3.254/24 dev veth-qr
    ```

    ## Fix
    Give the address with its prefix length (`ADDR/LEN`), or make sure the variable holding it is
    set before the command runs.

    ## References
    - ip-address(8): `ip address { add | change | replace } IFADDR dev IFNAME ...`
    - Empty address in the wild: https://github.com/GLab/ToMaTo/issues/106 ,
      https://github.com/openshift-metal3/dev-scripts/issues/356
    """

    code = "NET002"
    name = "addr-add-without-address"
    severity = Severity.ERROR
    tags = ("netns", "correctness")

    def check(self, model: NetScript, ctx: FileContext) -> Iterator[Diagnostic]:
        yield from dedupe(self._check(model, self.analysis(model, ctx)))

    def _check(self, model, a) -> Iterator[Diagnostic]:
        for op in a.ops:
            ip = op.ip
            if ip is None or ip.obj != "address" or ip.cmd not in ("add", "replace", "change") or ip.addr is None:
                continue
            if ip.batch or in_error_region(model, op):
                continue
            spec = ip.addr
            written = [w.word.text if w is not None and w.word is not None else "" for w in (ip.obj_word, ip.cmd_word)]
            verb = "ip " + " ".join(written) if all(written) else f"ip address {ip.cmd}"
            where = called_from(op, op.arg_span(ip.cmd_word))
            if spec.local is None:
                if any(not a_.exact and a_ is not spec.dev and a_ is not spec.label for a_ in ip.rest):
                    continue  # an unquoted unknown word could still hold the address
                gone = _vanished(op)
                if gone and (_sources_files(model) or _tested(model, op, _empty_refs(op))):
                    continue
                if gone:
                    detail = f"{', '.join(gone)} expands to nothing here, so no address is left"
                else:
                    given = " ".join((x.value.text or (x.word.text if x.word else "?")) for x in ip.rest) or "nothing"
                    detail = f"only `{given}` is given"
                anchor_arg = ip.cmd_word
                yield self.diagnostic(
                    op.arg_span(anchor_arg),
                    f"`{verb}` has no address{where}: {detail}; ip fails and the interface gets no address",
                    fix_title="Give the address with its prefix length: `ip addr add ADDR/LEN dev IFACE`",
                    anchor=f"{verb}@{op.line}",
                )
                continue
            text = spec.local.value.text
            if text is None:
                continue
            if text == "" or text.startswith("/"):
                refs = set(spec.local.word.refs) if spec.local.word is not None else set()
                if refs and (_sources_files(model) or _tested(model, op, refs)):
                    continue
                word = spec.local.word.text if spec.local.word is not None else repr(text)
                what = "is empty" if text == "" else f"is only a prefix length ({text!r})"
                yield self.diagnostic(
                    op.arg_span(spec.local),
                    f"the address of `{verb}` {what}{where}: {word} expands to {text!r}; ip fails with "
                    f"'any valid prefix is expected'",
                    fix_title="Set the variable holding the address before this command (or give the address literally)",
                    anchor=f"{verb}@{op.line}",
                )
