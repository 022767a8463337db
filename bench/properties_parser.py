"""Measure the hand-written `.properties` reader against a lark LALR grammar for the same line structure.

    python bench/properties_parser.py [--lines 5000] [--runs 20] [--random 2000]

Both variants share the model building (key/value split, escapes, spans) of
`cfglint.parsers.properties`; they differ in how the physical/logical line structure (comments,
blank lines, entries with continuations) is recognised:

(a) lark: grammars/properties.lark (LALR, basic lexer, built once per process),
    `cfglint.parsers.properties.grammar_structure` walks the tree's tokens (the tests' oracle);
(b) hand-written (what ships): `cfglint.parsers.properties.scan_structure`, one pass over the lines.

The script checks that both give identical models on every corpus file (and on random inputs),
then times both on the largest corpus file repeated to about `--lines` lines, best of `--runs`
(time.perf_counter), and on each corpus file.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from importlib import resources
from pathlib import Path

import lark

from cfglint.models.properties import PropertiesFile
from cfglint.parsers import properties as P


def parse_lark(data: bytes, path: str) -> PropertiesFile:
    text = data.decode("latin-1")
    src = P.split_lines(text)
    return P.build_model(PropertiesFile, data, path, src, P.grammar_structure(src))


def parse_hand(data: bytes, path: str) -> PropertiesFile:
    """What ships: `cfglint.parsers.properties.parse_properties` (scan_structure)."""
    return P.parse_properties(data, path)


def best_of(fn, data: bytes, runs: int) -> float:
    best = float("inf")
    for _ in range(runs):
        t0 = time.perf_counter()
        fn(data, "bench.properties")
        best = min(best, time.perf_counter() - t0)
    return best


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    default_corpus = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "davmail"
    ap.add_argument("--corpus", type=Path, default=default_corpus)
    ap.add_argument("--lines", type=int, default=5000)
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--random", type=int, default=2000, help="random inputs to compare both variants on")
    args = ap.parse_args()

    files = sorted(p for p in args.corpus.glob("*.properties"))
    if not files:
        print(f"no corpus at {args.corpus}", file=sys.stderr)
        return 2

    mismatches = 0
    for f in files:
        data = f.read_bytes()
        if parse_lark(data, str(f)) != parse_hand(data, str(f)):
            mismatches += 1
            print(f"MISMATCH {f.name}")
    rng = random.Random(0)
    atoms = [b" ", b"\t", b"\f", b"\\", b"\\", b"\r", b"\n", b"\r\n", b"#", b"!", b"=", b":", b"k", b"v",
             b"\\u0041", b"\\u0", b"\xe9", b"\xef\xbb\xbf"]
    for _ in range(args.random):
        data = b"".join(rng.choice(atoms) for _ in range(rng.randint(0, 30)))
        if parse_lark(data, "r") != parse_hand(data, "r"):
            mismatches += 1
            print(f"MISMATCH random {data!r}")
    print(f"identical models: {len(files)} corpus files + {args.random} random inputs, {mismatches} mismatches")

    biggest = max(files, key=lambda p: p.stat().st_size)
    one = biggest.read_bytes()
    if not one.endswith((b"\n", b"\r")):
        one += b"\n"
    nlines = one.count(b"\n") or 1
    big = one * max(1, round(args.lines / nlines))
    big_lines = big.count(b"\n")
    P._grammar()  # built once per process and cached by the module: not timed
    t_hand = best_of(parse_hand, big, args.runs)
    t_lark = best_of(parse_lark, big, args.runs)
    print(f"{biggest.name} x{round(args.lines / nlines)} = {big_lines} lines, {len(big)} bytes, best of {args.runs}:")
    print(f"  hand-written {t_hand * 1e6:10.0f} us/file  ({t_hand * 1e6 / big_lines:.2f} us/line)")
    print(f"  lark LALR    {t_lark * 1e6:10.0f} us/file  ({t_lark * 1e6 / big_lines:.2f} us/line)")
    print(f"  lark / hand-written = {t_lark / t_hand:.2f}x")

    text = big.decode("latin-1")
    src = P.split_lines(text)
    s_hand = best_of(lambda d, p: P.scan_structure(src), big, args.runs)
    s_lark = best_of(lambda d, p: P.grammar_structure(src), big, args.runs)
    s_both = best_of(lambda d, p: P.build_model(PropertiesFile, d, p, src, P.scan_structure(src)), big, args.runs)
    s_model = s_both - s_hand
    print(f"  line structure only: hand-written {s_hand * 1e6:.0f} us, lark {s_lark * 1e6:.0f} us "
          f"({s_lark / s_hand:.1f}x); shared model building {s_model * 1e6:.0f} us")
    grammar = (resources.files("cfglint.grammars") / "properties.lark").read_text(encoding="utf-8")
    t0 = time.perf_counter()
    lark.Lark(grammar, parser="lalr", lexer="basic")
    print(f"  building the lark parser (once per process): {(time.perf_counter() - t0) * 1e3:.1f} ms")

    per_hand = [best_of(parse_hand, f.read_bytes(), args.runs) for f in files]
    per_lark = [best_of(parse_lark, f.read_bytes(), args.runs) for f in files]
    print(f"corpus ({len(files)} files, best of {args.runs} each): mean per file "
          f"hand-written {statistics.mean(per_hand) * 1e6:.0f} us, lark {statistics.mean(per_lark) * 1e6:.0f} us; "
          f"total hand-written {sum(per_hand) * 1e3:.2f} ms, lark {sum(per_lark) * 1e3:.2f} ms")
    return 1 if mismatches else 0


if __name__ == "__main__":
    raise SystemExit(main())
