from __future__ import annotations

import re
from collections.abc import Iterator

from cfglint.api import Diagnostic, FileContext, Severity
from cfglint.models.netns import NetScript
from cfglint.rules.netns._common import NetRule, dedupe, in_error_region

_ADDRESS_RE = re.compile(r"^[0-9a-fA-F:.]+(/\d+)?$")
_NETNS_VERBS = {"add", "a", "delete", "del", "d", "exec", "e", "pids", "identify", "attach", "list", "ls", "l"}


class IpNForNetns(NetRule):
    """`ip n ...` used as if it were `ip netns`: `ip n` is `ip neighbor`.

    ## What it does
    iproute2 matches object names by prefix in a fixed order, and `neighbor` comes before
    `netns`: `ip n`, `ip ne`, `ip nei` all mean `ip neighbor`. Flags `ip n add NAME`, `ip n del
    NAME`, `ip n exec NAME CMD` and similar where NAME is not an address and no neighbour
    keyword (`lladdr`, `dev`, `nud`) is given: namespace management written with the wrong
    abbreviation. `ip net` / `ip netn` are netns and are fine.

    ## Why is this bad?
    The command is a neighbour-table command: `ip n add blue` fails (`any valid address is
    expected rather than "blue"`), `ip n exec blue ...` fails (`Command "exec" is unknown`). The
    namespace is never created or entered, and what follows runs in the wrong place.

    ## Example
    ```sh
    ip n add blue
    ip n exec blue ip link set lo up
    ```

    ## Use instead
    ```sh
    ip netns add blue
    ip netns exec blue ip link set lo up
    ```

    ## Fix
    Spell the object out: `ip netns ...` (at least `ip net`).

    ## References
    - iproute2 `ip/ip.c` command table (`neighbor` precedes `netns`); ip-neighbour(8), ip-netns(8)
    """

    code = "NET015"
    name = "ip-n-for-netns"
    severity = Severity.ERROR
    tags = ("netns", "correctness", "typo")

    def check(self, model: NetScript, ctx: FileContext) -> Iterator[Diagnostic]:
        yield from dedupe(self._check(model, self.analysis(model, ctx)))

    def _check(self, model, a) -> Iterator[Diagnostic]:
        for op in a.ops:
            ip = op.ip
            if ip is None or ip.obj != "neighbor" or ip.obj_word is None or in_error_region(model, op):
                continue
            written = ip.obj_word.value.text or ""
            if len(written) > 3:
                continue  # `neigh`, `neighbor`: meant
            words = [x.value.text for x in ip.args[ip.args.index(ip.obj_word) + 1 :]]
            if not words or words[0] not in _NETNS_VERBS:
                continue
            verb = words[0]
            rest = words[1:]
            if verb in ("list", "ls", "l") and rest:
                continue
            if any(w in ("lladdr", "dev", "nud", "proxy", "router", "extern_learn") for w in rest):
                continue
            if rest and (rest[0] is None or _ADDRESS_RE.match(rest[0])):
                continue
            if verb in ("add", "a", "delete", "del", "d", "exec", "e", "pids", "attach") and not rest:
                continue
            yield self.diagnostic(
                op.arg_span(ip.obj_word),
                f"`ip {written} {verb}` is `ip neighbor {verb}` (iproute2 matches `{written}` to `neighbor` before "
                f"`netns`): this command does not manage namespaces and fails",
                fix_title=f"Write `ip netns {verb} ...`",
                anchor=f"ip-n@{op.line}",
            )
