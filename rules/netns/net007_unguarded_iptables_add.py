from __future__ import annotations

from collections.abc import Iterator

from cfglint.api import Diagnostic, FileContext, Related, Severity
from cfglint.models.netns import NetScript
from cfglint.netns.simulate import Analysis, NetOp
from cfglint.rules.netns._common import NetRule, called_from, dedupe, in_error_region
from cfglint.shell import Command

_CHECK_WORDS = {"-C", "--check"}
_LIST_NAMES = {"iptables-save", "ip6tables-save", "iptables-legacy-save", "iptables-nft-save", "ip6tables-legacy-save",
               "ip6tables-nft-save", "nft"}


def _test_checks_rules(model: NetScript, t: int) -> bool:
    """The tested command (with its pipeline) looks the rule up: `iptables -C`, a function given
    `-C`, `iptables -S | grep`, `iptables-save | grep`..."""
    cmd = model.commands[t]
    group = [cmd]
    if cmd.pipeline is not None:
        pos, n = cmd.pipeline
        group = [model.commands[i] for i in range(t - pos, t - pos + n) if 0 <= i < len(model.commands)]
    # commands substituted into the test's words: `[ -n "$(iptables -S | grep x)" ]`
    for c in list(group):
        span = c.span
        for other in model.commands[c.index + 1 :]:
            if other.substitution is None:
                break
            o = other.span
            if (span.line, span.column) <= (o.line, o.column) and (o.last_line, o.end_column or 0) <= (
                    span.last_line, span.end_column or 0):
                group.append(other)
    for c in group:
        words = {w.text for w in c.argv}
        values = {w.value.text for w in c.argv}
        if words & _CHECK_WORDS or values & _CHECK_WORDS:
            return True
        name = c.name or ""
        if name in _LIST_NAMES:
            return True
        if "iptables" in name and (values & {"-S", "-L", "--list", "--list-rules", "-nL", "-nvL", "-vnL"}):
            return True
    return False


def _commands_of(op: NetOp) -> list[Command]:
    out = [op.inv.command]
    if op.inv.site is not None:
        out.append(op.inv.site)
    if op.inv.step is not None:
        out.extend(op.inv.step.call_stack)
    return out


def guarded(model: NetScript, op: NetOp) -> bool:
    for c in _commands_of(op):
        for cond in c.conditions:
            if any(_test_checks_rules(model, t) for t in cond.tests):
                return True
    return False


def _dominates(first: NetOp, later: NetOp) -> bool:
    """`first` runs before `later` whenever `later` runs (same unit, its conditions a prefix)."""
    return (first.unit == later.unit and first.index < later.index
            and later.frame[: len(first.frame)] == first.frame)


def _same_table(x, y) -> bool:
    return x.family == y.family and x.table_key() == y.table_key()


def _twins(a: Analysis, op: NetOp) -> tuple[list[NetOp], list[NetOp]]:
    """(matching `-D` commands, flushes of the rule's chain or table)."""
    ipt = op.ipt
    key = ipt.spec_key()
    chain = ipt.chain_text
    deletes, flushes = [], []
    for o in a.ops:
        x = o.ipt
        if x is None or o is op:
            continue
        if x.command == "delete" and key is not None and _same_table(x, ipt) and x.chain_text == chain \
                and x.spec_key() == key:
            deletes.append(o)
        elif x.command in ("flush", "delete-chain") and _same_table(x, ipt) and (
                x.chain is None or x.chain_text == chain):
            flushes.append(o)
        elif x.command == "new-chain" and _same_table(x, ipt) and x.chain_text == chain and _dominates(o, op):
            flushes.append(o)  # a chain created just before is empty (or the -N fails on a re-run)
        elif o.inv.name in ("iptables-restore", "ip6tables-restore") and not any(
                (w.value.text or "") in ("-n", "--noflush") for w in o.inv.argv):
            flushes.append(o)
    return deletes, flushes


def _nft_twins(a: Analysis, op: NetOp, stmt) -> tuple[list[NetOp], bool]:
    """Other nft commands that delete or flush the rule's table/chain; and whether the same
    command (or one running before it on every path) flushes it first."""
    found, first = [], False
    for o in a.ops:
        if o.nft is None:
            continue
        for s in o.nft.statements:
            if s.verb not in ("flush", "delete", "destroy"):
                continue
            hit = (s.obj == "ruleset" or (s.obj == "table" and s.table == stmt.table and s.family == stmt.family)
                   or (s.obj == "chain" and s.table == stmt.table and s.family == stmt.family and s.chain == stmt.chain))
            if not hit:
                continue
            if o is op:
                if o.nft.statements.index(s) < o.nft.statements.index(stmt):
                    first = True
            elif _dominates(o, op):
                first = True
            else:
                found.append(o)
    return found, first


class UnguardedIptablesAdd(NetRule):
    """`iptables -A/-I` (or `nft add rule`) with no check that the rule is already there: every run adds it again.

    ## What it does
    Flags rules added with `iptables`/`ip6tables -A|-I` or `nft add|insert rule` that are not
    guarded by a check of the same rule: `iptables -C ... || iptables -A ...`, `if ! iptables
    -C ...; then`, a helper called with `-C` first, `iptables -S | grep -q`. Not reported: a
    rule deleted (`-D` with the same table, chain and specification) or its chain/table flushed
    on every path just before (delete-then-add is idempotent), rules in a namespace the script
    has just created (it starts empty on each run), and nft rules whose table or chain the same
    ruleset flushes first. When the script removes the rule elsewhere (a matching `-D` in a
    stop/cleanup path) or flushes its chain elsewhere, the finding is an info: re-running
    `start` without `stop` still duplicates it.

    ## Why is this bad?
    iptables does not deduplicate: `-A`/`-I` add one more copy on every run, restart or
    re-stack. Duplicates slow every packet down, and a later `-D` removes only one copy, so a
    "removed" rule keeps working (or blocking) until reboot.

    ## Example
    ```sh
    iptables -t nat -I POSTROUTING -s 10.0.3.0/24 -o eth0 -j MASQUERADE
    ```

    ## Use instead
    ```sh
    iptables -t nat -C POSTROUTING -s 10.0.3.0/24 -o eth0 -j MASQUERADE 2>/dev/null ||
        iptables -t nat -I POSTROUTING -s 10.0.3.0/24 -o eth0 -j MASQUERADE
    ```

    ## Fix
    Check first (`iptables -C CHAIN SPEC || iptables -A CHAIN SPEC`), or keep the script's rules
    in a chain of its own that it flushes before filling it.

    ## References
    - iptables(8) `-C, --check`
    - Duplicated rules on re-run: https://github.com/moby/libnetwork/pull/375 ,
      https://github.com/containernetworking/cni/issues/215 ,
      https://github.com/angristan/wireguard-install/issues/578
    """

    code = "NET007"
    name = "unguarded-iptables-add"
    severity = Severity.WARNING
    tags = ("netns", "iptables", "idempotency")

    def check(self, model: NetScript, ctx: FileContext) -> Iterator[Diagnostic]:
        yield from dedupe(self._check(model, self.analysis(model, ctx)))

    def _check(self, model, a) -> Iterator[Diagnostic]:
        for op in a.ops:
            if in_error_region(model, op) or op.ns_rec.created == "yes":
                continue
            if op.ipt is not None and op.ipt.adds_rule:
                yield from self._iptables(model, a, op)
            elif op.nft is not None:
                for stmt in op.nft.statements:
                    if stmt.adds_rule:
                        yield from self._nft(model, a, op, stmt)

    def _iptables(self, model, a, op) -> Iterator[Diagnostic]:
        ipt = op.ipt
        if guarded(model, op):
            return
        deletes, flushes = _twins(a, op)
        if any(_dominates(o, op) for o in deletes + flushes):
            return
        flag = "-A" if ipt.command == "append" else "-I"
        table = f"-t {ipt.table} " if ipt.table_arg is not None and ipt.table_known else ""
        what = f"`{ipt.binary} {table}{flag} {ipt.chain_text or '?'}`"
        related: list[Related] = []
        severity = None
        if deletes or flushes:
            severity = Severity.INFO
            other = (deletes or flushes)[0]
            how = "the matching -D" if deletes else "the flush of its chain"
            extra = (f"; {how} at line {other.line} removes it on the other path, so it only duplicates when this "
                     f"runs again without that (a second start, a restart that skips stop)")
            related.append(Related(other.span, "removed here" if deletes else "flushed here"))
        else:
            extra = ": every run adds another copy"
        yield self.diagnostic(
            op.arg_span(ipt.command_arg),
            f"{what} is not guarded by a check of the same rule{called_from(op, op.arg_span(ipt.command_arg))}{extra}",
            related=related,
            severity=severity,
            fix_title=f"Guard it: `{ipt.binary} ... -C {ipt.chain_text or 'CHAIN'} SPEC 2>/dev/null || {ipt.binary} ... {flag} ...`",
            anchor=f"ipt-add@{op.line}",
        )

    def _nft(self, model, a, op, stmt) -> Iterator[Diagnostic]:
        if guarded(model, op):
            return
        others, first = _nft_twins(a, op, stmt)
        if first:
            return
        related: list[Related] = []
        severity = None
        if others:
            severity = Severity.INFO
            extra = (f"; its table/chain is flushed or deleted at line {others[0].line} on another path, so it only "
                     f"duplicates when this runs again without that")
            related.append(Related(others[0].span, "flushed or deleted here"))
        else:
            extra = ": every run adds another copy"
        fam = f"{stmt.family} " if stmt.family else ""
        yield self.diagnostic(
            op.span,
            f"`nft {stmt.verb} rule {fam}{stmt.table} {stmt.chain}` is not guarded{called_from(op, op.span)}{extra}",
            related=related,
            severity=severity,
            fix_title="Flush the chain (or delete and re-add the table) before adding its rules, in the same ruleset",
            anchor=f"nft-add@{op.line}",
        )
