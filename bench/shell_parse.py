"""Shell parsers side by side: tree-sitter-bash, bashlex, a lark grammar, and cfglint.shell.

    python bench/shell_parse.py [--runs 5] [--lines 10000] [--corpus DIR]

Needs `pip install tree-sitter tree-sitter-bash bashlex lark` (bashlex is only a candidate here:
it is not a dependency of cfglint). One run measures, for every candidate:

* corpus: files of ../shared/corpus/netns and ../shared/corpus/hadoop read without an error
  (tree-sitter: no ERROR/MISSING node; bashlex and lark: no exception), and the time for the
  whole corpus (best of --runs);
* speed: time to parse generated scripts of --lines lines (best of --runs; `gc.collect()` before
  each run): "full" (functions with `local` and `${2:-lxdbr0}`, veth/bridge/netns/iptables
  commands, a line continuation, `if ! iptables -C ...; then ...; fi`, a `for` over `$(...)`, a
  `case`, a heredoc piped to `ip netns exec "$NS" iptables-restore -n`, `[ ... ] || sysctl -w`),
  "nocase" (the same with `if` instead of `case`, which bashlex cannot read), "flat" (simple
  commands and assignments only), and a Hadoop-style env file (assignments and exports);
* what a parser makes of the heredoc: commands found per block of the "full" script (lark reads
  the heredoc body as commands).

"cfglint.shell" is `cfglint.shell.parse_shell`: tree-sitter plus heredoc reading, error
recovery, the walk to the model, and constant propagation under an unknown environment; its
corpus column counts files without an error region.

The lark grammar below is a deliberately small LALR grammar (what a day's work gives); it is the
baseline, not a candidate we would ship.
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus"

LARK_GRAMMAR = r"""
start: body
body: _sep? (_item _sep)* _item?
_sep: (_SEMI | _AMP | _NL)+
_SEMI: ";"
_AMP: "&"
_item: and_or
and_or: pipeline ((AND | OR) _NL? pipeline)*
AND.2: "&&"
OR.2: "||"
pipeline: BANG? command ((PIPE | PIPEAMP) _NL? command)*
BANG: "!"
PIPE: "|"
PIPEAMP.2: "|&"
command: simple
       | compound redirect*
       | function_def
compound: brace_group | subshell | if_clause | while_clause | for_clause | case_clause | test_clause
brace_group: "{" body "}"
subshell: "(" body ")"
test_clause: "[[" (WORD | ASSIGN)+ "]]"
if_clause: "if" body "then" body ("elif" body "then" body)* ("else" body)? "fi"
while_clause: ("while" | "until") body "do" body "done"
for_clause: "for" WORD ("in" (WORD | ASSIGN)*)? _sep "do" body "done"
case_clause: "case" WORD _NL? "in" _NL? case_item* "esac"
case_item: "("? WORD ("|" WORD)* ")" body (DSEMI _NL?)?
DSEMI.2: ";;&" | ";;" | ";&"
function_def: WORD "(" ")" _NL? compound
            | "function" WORD ("(" ")")? _NL? compound
simple: (ASSIGN | redirect)+ (WORD (WORD | ASSIGN | redirect)*)?
      | WORD (WORD | ASSIGN | redirect)*
redirect: IO_NUMBER? REDIR_OP WORD
REDIR_OP: ">>" | ">|" | "<>" | ">&" | "<&" | "&>>" | "&>" | ">" | "<<<" | "<<-" | "<<" | "<"
IO_NUMBER.3: /[0-9]+(?=[<>])/
ASSIGN.2: /[A-Za-z_][A-Za-z0-9_]*(\[[^\]]*\])?\+?=/ WORD?
WORD: /(?:[^\s;&|<>()"'`$\\#]|\\.|'[^']*'|"(?:\\.|\$\((?:[^()]|\([^()]*\))*\)|[^"\\])*"|\$\((?:[^()]|\((?:[^()]|\([^()]*\))*\))*\)|\$\{[^}]*\}|\$[A-Za-z_][A-Za-z0-9_]*|\$[0-9@*#?$!-]|`[^`]*`|\$|(?<=\S)#)+/
_NL: /(\r?\n[ \t]*)+/
COMMENT: /#[^\n]*/
%ignore /[ \t]+/
%ignore /\\\r?\n/
%ignore COMMENT
"""

BLOCK = """\
setup_ns_{n}() {{
    local ns="$1"
    local br="${{2:-lxdbr0}}"
    ip netns add "$ns"
    ip link add "veth-{n}" type veth peer name "${{ns}}-br"
    ip link set "veth-{n}" netns "$ns"
    ip link set "${{ns}}-br" master "$br" up
    ip netns exec "$ns" ip addr add 10.{a}.{b}.1/24 dev "veth-{n}"
    ip -n "$ns" link set lo up && \\
        ip -n "$ns" link set "veth-{n}" up
    if ! iptables -t nat -C POSTROUTING -s 10.{a}.{b}.0/24 -j MASQUERADE; then
        iptables -t nat -A POSTROUTING -s 10.{a}.{b}.0/24 -j MASQUERADE
    fi
}}
NS{n}=qrouter-{n}
for ifc in $(ip -o link show | awk -F': ' '{{print $2}}'); do
    echo "found $ifc"
done
case "$1" in
    start) setup_ns_{n} "$NS{n}" ;;
    stop) ip netns del "$NS{n}" ;;
    *) echo "usage" ;;
esac
cat <<EOF | ip netns exec "$NS{n}" iptables-restore -n
*nat
-A POSTROUTING -o eth0 -j MASQUERADE
COMMIT
EOF
[ "$(sysctl -n net.ipv4.ip_forward)" = 1 ] || sysctl -w net.ipv4.ip_forward=1
"""

NOCASE = """\
if [ "$1" = start ]; then setup_ns_{n} "$NS{n}"
elif [ "$1" = stop ]; then ip netns del "$NS{n}"
else echo "usage"
fi
"""

FLAT = """\
IF{n}=veth{n}
ip link add "$IF{n}" type veth peer name "$IF{n}-p"
ip link set "$IF{n}" up
ip addr add 10.{a}.{b}.1/24 dev "$IF{n}"
iptables -t nat -A POSTROUTING -o "$IF{n}" -j MASQUERADE
sysctl -w net.ipv4.conf.{n}.forwarding=1
brctl addif br0 "$IF{n}-p"
ip route add 10.{a}.{b}.0/24 dev "$IF{n}"
ip -n ns{n} link set lo up
echo "done {n}"
"""

ENV = """\
# Settings for block {n}
export JAVA_HOME=/usr/lib/jvm/java-8-openjdk-{n}
export HADOOP_CONF_DIR=${{HADOOP_CONF_DIR:-"/etc/hadoop"}}
export HADOOP_OPTS="$HADOOP_OPTS -Djava.net.preferIPv4Stack=true"
export HADOOP_HEAPSIZE={n}
HADOOP_LOG_DIR=/var/log/hadoop/$USER
export HADOOP_PID_DIR=${{HADOOP_PID_DIR}}
export HADOOP_NAMENODE_OPTS="-Xmx{n}m -Dhadoop.security.logger=INFO,RFAS $HADOOP_NAMENODE_OPTS"
"""


def generate(kind: str, lines: int) -> str:
    out: list[str] = []
    n = 0
    count = 0
    while count < lines:
        a, b = n // 250 % 250, n % 250
        if kind == "flat":
            block = FLAT.format(n=n, a=a, b=b)
        elif kind == "env":
            block = ENV.format(n=n)
        else:
            block = BLOCK.format(n=n, a=a, b=b)
            if kind == "nocase":
                start = block.index('case "$1" in')
                end = block.index("esac\n") + len("esac\n")
                block = block[:start] + NOCASE.format(n=n) + block[end:]
        out.append(block)
        count += block.count("\n")
        n += 1
    return "".join(out)


# --------------------------------------------------------------------------------------------------
# Candidates: each returns (ok, commands found or -1)


def make_tree_sitter():
    import tree_sitter_bash
    from tree_sitter import Language, Parser

    parser = Parser(Language(tree_sitter_bash.language()))

    def parse(data: bytes):
        tree = parser.parse(data)
        return not tree.root_node.has_error, tree

    def count(tree) -> int:
        n = 0
        stack = [tree.root_node]
        while stack:
            node = stack.pop()
            if node.type == "command":
                n += 1
            stack.extend(node.children)
        return n

    return parse, count


def make_bashlex():
    import bashlex

    def parse(data: bytes):
        try:
            return True, bashlex.parse(data.decode("utf-8", "replace"))
        except Exception:  # bashlex raises many kinds (NotImplementedError for case patterns...)
            return False, None

    def count(parts) -> int:
        n = 0

        class V(bashlex.ast.nodevisitor):
            def visitcommand(self, node, parts):
                nonlocal n
                n += 1

        for p in parts:
            V().visit(p)
        return n

    return parse, count


def make_lark():
    import lark

    parser = lark.Lark(LARK_GRAMMAR, parser="lalr", lexer="contextual", maybe_placeholders=False)

    def parse(data: bytes):
        try:
            return True, parser.parse(data.decode("utf-8", "replace"))
        except Exception:
            return False, None

    def count(tree) -> int:
        return sum(1 for _ in tree.find_data("simple"))

    return parse, count


def make_cfglint():
    from cfglint.shell import parse_shell

    def parse(data: bytes):
        m = parse_shell(data, "bench.sh")
        return not m.error_regions, m

    def count(m) -> int:
        return sum(1 for c in m.commands if c.kind == "simple")

    return parse, count


CANDIDATES = {
    "tree-sitter-bash": make_tree_sitter,
    "bashlex": make_bashlex,
    "lark (LALR)": make_lark,
    "cfglint.shell": make_cfglint,
}


def best_of(fn, data: bytes, runs: int) -> float:
    times = []
    for _ in range(runs):
        gc.collect()
        t0 = time.perf_counter()
        fn(data)
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--lines", type=int, default=10000)
    args = ap.parse_args()

    files: list[Path] = []
    for kind in ("netns", "hadoop"):
        d = args.corpus / kind
        if d.is_dir():
            files += sorted(p for p in d.iterdir() if p.is_file() and p.name != "SOURCES.md")
    datas = [p.read_bytes() for p in files]
    corpus_lines = sum(d.count(b"\n") for d in datas)

    candidates = {}
    for name, make in CANDIDATES.items():
        try:
            candidates[name] = make()
        except ImportError as e:
            print(f"{name}: not installed ({e})", file=sys.stderr)

    gens = {k: generate(k, args.lines).encode() for k in ("full", "nocase", "flat", "env")}
    print(f"python {sys.version.split()[0]}; corpus: {len(files)} files, {corpus_lines} lines; "
          f"generated scripts: {', '.join(f'{k} {v.count(10)} lines' for k, v in gens.items())}; best of {args.runs}")
    print()

    # corpus
    header = f"{'':18}" + "".join(f"{n:>18}" for n in candidates)
    print("corpus files read without an error")
    print(header)
    failures: dict[str, list[str]] = {}
    for kind in ("netns", "hadoop"):
        idx = [i for i, p in enumerate(files) if p.parent.name == kind]
        row = f"{kind:18}"
        for name, (parse, _) in candidates.items():
            ok = 0
            for i in idx:
                good, _ = parse(datas[i])
                ok += good
                if not good:
                    failures.setdefault(name, []).append(files[i].name)
            row += f"{f'{ok}/{len(idx)}':>18}"
        print(row)
    row = f"{'total':18}"
    for name in candidates:
        row += f"{f'{len(files) - len(failures.get(name, []))}/{len(files)}':>18}"
    print(row)
    row = f"{'whole corpus, ms':18}"
    for name, (parse, _) in candidates.items():
        t = min(sum(best_of(parse, d, 1) for d in datas) for _ in range(args.runs))
        row += f"{t * 1000:>18.1f}"
    print(row)
    print()
    for name in ("tree-sitter-bash", "cfglint.shell"):
        if name in failures:
            print(f"{name} errors in: {', '.join(failures[name])}")
    print()

    # speed
    print(f"ms per {args.lines} lines (best of {args.runs})")
    print(header)
    for k, data in gens.items():
        row = f"{k:18}"
        for name, (parse, _) in candidates.items():
            ok, _ = parse(data)
            if not ok and name != "cfglint.shell":
                row += f"{'fails':>18}"
                continue
            t = best_of(parse, data, args.runs)
            row += f"{t * 1000 * args.lines / max(data.count(10), 1):>18.1f}"
        print(row)
    print()

    # heredoc handling
    one = generate("full", 1).encode()
    print("simple commands found in one 'full' block (19 are written in it, plus 2 `local` and a `[ ]` test;\n"
          "the heredoc holds 3 lines of data; lark also counts `local` as a command)")
    print(header)
    row = f"{'commands':18}"
    for name, (parse, count) in candidates.items():
        ok, tree = parse(one)
        row += f"{(count(tree) if ok else 'fails')!s:>18}"
    print(row)
    return 0


if __name__ == "__main__":
    sys.exit(main())
