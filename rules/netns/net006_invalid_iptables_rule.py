from __future__ import annotations

from collections.abc import Iterator

from cfglint.api import Diagnostic, FileContext, Severity
from cfglint.models.netns import NetScript
from cfglint.netns.iptables import (
    ALL_BUILTIN,
    BUILTIN_CHAINS,
    NAT_TARGETS,
    PORT_PROTOCOLS,
    PORTLESS_PROTOCOLS,
    IptCommand,
)
from cfglint.netns.simulate import Analysis
from cfglint.rules.netns._common import NetRule, called_from, dedupe, in_error_region

_PORT_MATCHES = {"tcp", "udp", "sctp", "dccp", "udplite"}


def _user_chains(a: Analysis) -> set[tuple[str, str, str]]:
    """(family, table, chain) of every chain the script creates with -N (or names in a way we
    cannot read)."""
    out = set()
    for op in a.ops:
        ipt = op.ipt
        if ipt is None or ipt.command != "new-chain":
            continue
        c = ipt.chain_text
        out.add((ipt.family, ipt.table if ipt.table_known else "?", c if c is not None else "?"))
    return out


def problems(ipt: IptCommand, user_chains: set[tuple[str, str, str]]) -> list[tuple[str, object]]:
    """What iptables rejects in this rule: (message, argument to point at)."""
    out: list[tuple[str, object]] = []
    chain = ipt.chain_text
    if chain is None:
        return out
    table = ipt.table
    builtin = chain in ALL_BUILTIN
    known_table = ipt.table_known and table in BUILTIN_CHAINS
    created = any(fam == ipt.family and t in (table, "?") and c in (chain, "?") for fam, t, c in user_chains)
    if known_table and builtin and chain not in BUILTIN_CHAINS[table] and not created:
        where = ", ".join(BUILTIN_CHAINS[table])
        out.append((f"table {table} has no chain {chain} (its built-in chains: {where}): iptables fails with "
                    f"'No chain/target/match by that name'", ipt.chain))
        return out
    target = ipt.target_text
    if target in NAT_TARGETS and ipt.target is not None and ipt.target.name == "jump":
        allowed = NAT_TARGETS[target]
        if known_table and table != "nat":
            out.append((f"{target} is only valid in the nat table (here: {table}); iptables fails with "
                        f"'No chain/target/match by that name' / 'only valid in nat table'", ipt.target.value))
        elif known_table and builtin and chain not in allowed:
            out.append((f"{target} is only valid in nat {'/'.join(allowed)} (or a chain jumped to from there), "
                        f"not in {chain}; iptables rejects the rule", ipt.target.value))
    if builtin:
        for o in ipt.opts:
            if o.name == "out" and chain in ("PREROUTING", "INPUT"):
                out.append((f"-o cannot be used in {chain} (packets there have no output interface yet); iptables "
                            f"fails with \"Can't use -o with {chain}\"", o.arg))
            if o.name == "in" and chain in ("POSTROUTING", "OUTPUT"):
                out.append((f"-i cannot be used in {chain} (locally generated / leaving packets); iptables "
                            f"fails with \"Can't use -i with {chain}\"", o.arg))
    if not ipt.unknown:
        ports = [o for o in ipt.opts if o.name in ("--dport", "--sport", "--destination-port", "--source-port")]
        if ports:
            protos = [o for o in ipt.opts if o.name == "proto"]
            mods = {(o.text or "").lower() for o in ipt.opts if o.name == "match"}
            if not (mods & _PORT_MATCHES):
                if not protos:
                    out.append((f"{ports[0].name} needs -p tcp|udp|sctp|dccp (or -m tcp/udp): iptables fails with "
                                f"'unknown option \"{ports[0].name}\"'", ports[0].arg))
                else:
                    p = (protos[0].text or "").lower()
                    if protos[0].text is not None and p in PORTLESS_PROTOCOLS and p not in PORT_PROTOCOLS:
                        out.append((f"{ports[0].name} needs -p tcp|udp|sctp|dccp, not -p {protos[0].text}: iptables "
                                    f"fails with 'unknown option \"{ports[0].name}\"'", ports[0].arg))
    return out


class InvalidIptablesRule(NetRule):
    """An iptables rule iptables rejects: a chain its table lacks, a NAT target outside its chain, a misplaced `-i`/`-o`, `--dport` without `-p`.

    ## What it does
    Checks each `iptables`/`ip6tables -A|-I|-R` rule (options in any order) for combinations
    iptables refuses at run time:

    - a built-in chain of another table (`-t nat -A FORWARD`, `-A POSTROUTING` in filter);
    - `MASQUERADE` / `SNAT` outside nat `POSTROUTING` (SNAT: also `INPUT`), `DNAT` / `REDIRECT`
      outside nat `PREROUTING` / `OUTPUT`, or any of them outside the nat table;
    - `-o` in `PREROUTING` / `INPUT`, `-i` in `POSTROUTING` / `OUTPUT`;
    - `--dport` / `--sport` with no `-p tcp|udp|sctp|dccp` (or `-m tcp|udp...`), or with
      `-p icmp` / `-p all`.

    User chains (`-N`) are only checked for what holds in any chain. Rules with words the
    linter cannot read (`$IPT_OPTS`) are only checked for what those words cannot change.

    ## Why is this bad?
    iptables exits with an error and adds nothing: the NAT or filter rule the script relies on is
    simply missing, and with `set -e` the rest of the script does not run either.

    ## Example
    ```sh
    iptables -A POSTROUTING -o eth0 -j MASQUERADE
    iptables -A INPUT -i br0 --dport 53 -j ACCEPT
    ```

    ## Use instead
    ```sh
    iptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE
    iptables -A INPUT -i br0 -p udp --dport 53 -j ACCEPT
    ```

    ## Fix
    Put NAT targets in the nat table's chain they belong to, drop `-i`/`-o` where the chain
    cannot have that interface, and give `-p` before port matches.

    ## References
    - iptables(8), iptables-extensions(8) (MASQUERADE: "only valid in the nat table, in the
      POSTROUTING chain"; DNAT: "PREROUTING and OUTPUT chains"; tcp/udp `--dport`)
    """

    code = "NET006"
    name = "invalid-iptables-rule"
    severity = Severity.ERROR
    tags = ("netns", "iptables", "correctness")

    def check(self, model: NetScript, ctx: FileContext) -> Iterator[Diagnostic]:
        yield from dedupe(self._check(model, self.analysis(model, ctx)))

    def _check(self, model, a) -> Iterator[Diagnostic]:
        chains = _user_chains(a)
        for op in a.ops:
            ipt = op.ipt
            if ipt is None or ipt.command not in ("append", "insert", "replace") or in_error_region(model, op):
                continue
            for message, arg in problems(ipt, chains):
                yield self.diagnostic(
                    op.arg_span(arg),  # type: ignore[arg-type]
                    f"{message}{called_from(op, op.arg_span(arg))}",
                    fix_title="Fix the table/chain/option combination (see the rule's page)",
                    anchor=f"ipt@{op.line}",
                )
