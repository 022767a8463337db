"""The command line. Exit codes: 0 no findings at or above the failure threshold, 1 findings,
2 usage, configuration or internal error."""

from __future__ import annotations

import argparse
import dataclasses
import functools
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from cfglint import __version__

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


class UsageError(Exception):
    pass


def _csv(value: str) -> list[str]:
    return [v.strip() for v in value.split(",") if v.strip()]


def _jobs(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of processes, got {value!r}") from None
    if n < 1:
        raise argparse.ArgumentTypeError("--jobs must be 1 or more")
    return n


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse exits 2 already; keep the message short
        self.print_usage(sys.stderr)
        print(f"cfglint: error: {message}", file=sys.stderr)
        raise SystemExit(EXIT_ERROR)


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="cfglint",
        description="Static analysis for Cisco ASA, DavMail, Hadoop env and netns/iptables configurations.",
        epilog="Exit codes: 0 clean, 1 findings at or above --fail-on, 2 usage, config or internal error.",
    )
    p.add_argument("--version", action="version", version=f"cfglint {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    def common(sp: argparse.ArgumentParser) -> None:
        sp.add_argument(
            "--config",
            action="append",
            default=[],
            metavar="PATH|KEY=VALUE",
            help="configuration file to use instead of the discovered one, or a TOML setting override (repeatable)",
        )
        sp.add_argument("--force-exclude", action="store_true", help="apply excludes to explicitly named files too")
        sp.add_argument(
            "--no-respect-gitignore", dest="respect_gitignore", action="store_false", default=None,
            help="lint files that .gitignore excludes",
        )

    def cache_options(sp: argparse.ArgumentParser) -> None:
        sp.add_argument("-j", "--jobs", type=_jobs, default=None, metavar="N",
                        help="worker processes for parsing (default: the CPU count; 1: none). "
                        "The pool starts only when there is enough to parse")
        sp.add_argument("--no-cache", action="store_true", help="do not read or write the cache")
        sp.add_argument("--cache-dir", help="cache directory (default: .cfglint_cache in the current directory)")

    c = sub.add_parser("check", help="lint files and directories (default: .)")
    c.add_argument("paths", nargs="*", default=[], metavar="PATH")
    common(c)
    c.add_argument(
        "--format", "--output-format", dest="format", default=None,
        help="text (default), concise, json, json-lines, sarif, github, junit, gitlab",
    )
    c.add_argument("-o", "--output-file", help="write the report to this file instead of stdout")
    c.add_argument(
        "--output", action="append", default=[], metavar="FORMAT=FILE",
        help="also write the report in FORMAT to FILE, atomically ('-' = stdout); repeatable, "
        "e.g. --output sarif=cfglint.sarif --output junit=report.xml",
    )
    c.add_argument("--sarif-include-suppressed", action="store_true",
                   help="sarif: also emit suppressed findings, with suppressions[] (GitHub ignores those and opens alerts)")
    c.add_argument("--sarif-category", metavar="CATEGORY",
                   help="sarif: automationDetails.id category (default: cfglint/<family>/)")
    c.add_argument("--baseline", metavar="FILE", help="hide the findings FILE accepts; report new ones and stale entries")
    c.add_argument("--strict-baseline", action="store_true", help="with --baseline: stale entries fail the run too")
    c.add_argument("--diff-base", metavar="REF",
                   help="report only findings that are new against git revision REF (lints REF's version too)")
    c.add_argument("--no-project-index", action="store_true",
                   help="with explicit files: do not read the rest of the project for cross-file rules")
    c.add_argument("--select", type=_csv, help="rules to enable: codes, prefixes, names or ALL (comma-separated)")
    c.add_argument("--extend-select", type=_csv, help="rules to enable in addition to the configured ones")
    c.add_argument("--ignore", type=_csv, help="rules to disable: codes, prefixes or names")
    c.add_argument("--fail-on", choices=["error", "warning", "info"], help="lowest severity that fails the run (default: info)")
    c.add_argument("--exit-zero", action="store_true", help="exit 0 even when there are findings (internal errors still exit 2)")
    c.add_argument("--fix", action="store_true", help="apply the fixes that are certain, then report what remains")
    c.add_argument("--diff", action="store_true",
                   help="print the fixes as a unified diff, write nothing; exit 1 when there are fixes")
    c.add_argument("--exit-non-zero-on-fix", action="store_true",
                   help="with --fix: exit 1 when a file was fixed, even if no finding remains")
    c.add_argument("--statistics", action="store_true", help="print the number of findings per rule")
    cache_options(c)
    c.add_argument("--show-files", action="store_true", help="list the files found and their kind, then exit")
    c.add_argument("--no-inline-suppressions", action="store_true", help="ignore every inline cfglint: directive")
    c.add_argument("--color", choices=["auto", "always", "never"], default="auto")
    c.add_argument("-q", "--quiet", action="store_true", help="print findings only (no summary when clean)")
    c.add_argument("-v", "--verbose", action="store_true", help="also list the files linted and skipped")

    cl = sub.add_parser("clean", help="remove the cache directory (.cfglint_cache, or --cache-dir)")
    cl.add_argument("--cache-dir", help="cache directory (default: .cfglint_cache in the current directory)")

    f = sub.add_parser("files", help="list the files that would be linted and the kind of each")
    f.add_argument("paths", nargs="*", default=[], metavar="PATH")
    common(f)
    f.add_argument("--format", choices=["text", "json"], default="text")

    r = sub.add_parser("rule", help="print the documentation of a rule")
    r.add_argument("rule", metavar="CODE|NAME")
    r.add_argument("--format", choices=["text", "json"], default="text")

    rs = sub.add_parser("rules", help="list every rule with code, name, severity and summary")
    rs.add_argument("--format", choices=["text", "json", "markdown"], default="text")
    rs.add_argument("--tag", help="only rules with this tag")

    b = sub.add_parser("baseline", help="create, update or prune the baseline of accepted findings")
    b.add_argument("action", choices=["create", "update", "prune"],
                   help="create: accept every current finding; update: also accept new ones; prune: drop fixed ones")
    b.add_argument("paths", nargs="*", default=[], metavar="PATH")
    common(b)
    b.add_argument("--baseline-file", metavar="FILE", help=".cfglint-baseline.json in the current directory by default")
    b.add_argument("--select", type=_csv, help="rules to enable (as for check)")
    b.add_argument("--ignore", type=_csv, help="rules to disable (as for check)")
    cache_options(b)

    su = sub.add_parser("suppressions", help="list every inline suppression with its reason and what it silenced")
    su.add_argument("paths", nargs="*", default=[], metavar="PATH")
    common(su)
    su.add_argument("--format", choices=["text", "json"], default="text")
    cache_options(su)

    cf = sub.add_parser("config", help="print the effective settings and where each came from")
    cf.add_argument("paths", nargs="*", default=[], metavar="PATH")
    cf.add_argument("--config", action="append", default=[], metavar="PATH|KEY=VALUE")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as e:
        return int(e.code or 0) if isinstance(e.code, int) else EXIT_ERROR
    if args.command is None:
        parser.print_help()
        return EXIT_ERROR
    try:
        if args.command == "check":
            return cmd_check(args)
        if args.command == "files":
            return cmd_files(args)
        if args.command == "rule":
            return cmd_rule(args)
        if args.command == "rules":
            return cmd_rules(args)
        if args.command == "config":
            return cmd_config(args)
        if args.command == "baseline":
            return cmd_baseline(args)
        if args.command == "suppressions":
            return cmd_suppressions(args)
        if args.command == "clean":
            return cmd_clean(args)
    except UsageError as e:
        print(f"cfglint: error: {e}", file=sys.stderr)
        return EXIT_ERROR
    except BrokenPipeError:
        return EXIT_CLEAN
    except KeyboardInterrupt:
        print("cfglint: interrupted", file=sys.stderr)
        return EXIT_ERROR
    except Exception as e:  # a bug: say so without a traceback (CFGLINT_DEBUG=1 shows it)
        if os.environ.get("CFGLINT_DEBUG"):
            raise
        print(f"cfglint: internal error: {type(e).__name__}: {e}", file=sys.stderr)
        return EXIT_ERROR
    return EXIT_ERROR


# --------------------------------------------------------------------------------------------------


def _split_config(values: list[str]) -> tuple[str | None, list[str]]:
    path, overrides = None, []
    for v in values:
        if "=" in v and not Path(v).exists():
            overrides.append(v)
        elif path is None:
            path = v
        else:
            raise UsageError("--config PATH given twice")
    return path, overrides


def _start_dir(paths: list[str]) -> Path:
    existing = [Path(os.path.abspath(p)) for p in paths if os.path.exists(p)]
    if not existing:
        return Path.cwd()
    dirs = [p if p.is_dir() else p.parent for p in existing]
    return Path(os.path.commonpath([str(d) for d in dirs]))


def _settings(args: argparse.Namespace, paths: list[str], cli: dict | None = None):
    from cfglint.config import ConfigError, load_settings
    from cfglint.registry import rule_metadata

    path, overrides = _split_config(args.config)
    try:
        # Validation needs the rules' metadata only: no rule module (nor model) is imported here.
        return load_settings(_start_dir(paths), config=path, overrides=overrides, cli=cli or {}, rules=rule_metadata())
    except ConfigError as e:
        raise UsageError(f"configuration: {e}") from None


def _discover(args: argparse.Namespace, paths: list[str], settings):
    from cfglint.discovery import discover
    from cfglint.kinds import UNKNOWN, detect_kind, read_head, unreadable_kind

    respect = settings.respect_gitignore if args.respect_gitignore is None else args.respect_gitignore
    res = discover(
        paths,
        root=settings.root,
        exclude=settings.exclude,  # None: the default excludes
        extend_exclude=settings.extend_exclude,
        respect_gitignore=respect,
        force_exclude=args.force_exclude,
    )
    if res.missing:
        raise UsageError("no such file or directory: " + ", ".join(res.missing))
    found: list[tuple[Path, str]] = []
    unknown: list[Path] = []
    for f in res.files:
        try:
            head = read_head(f)
        except OSError:
            head = None
        if head is None:
            # A file we cannot read may be a config (content decides): reported (CFG001), never
            # silently skipped, unless its name or the kinds table says it is not one.
            kind = unreadable_kind(f, settings.kinds, root=settings.root)
        else:
            kind = detect_kind(f, head, settings.kinds, root=settings.root)
        if kind is None:
            unknown.append(f)
        else:
            found.append((f, kind))
    # A directory that cannot be listed (or an ignore file that cannot be read) hides files: each is
    # reported like an unreadable file, never a warning only.
    listed = {p for p, _ in found}
    for p, _why in res.errors:
        if p not in listed:
            listed.add(p)
            found.append((p, UNKNOWN))
    return found, unknown, res


def cmd_files(args: argparse.Namespace) -> int:
    from cfglint.runner import display_path

    paths = args.paths or ["."]
    settings = _settings(args, paths)
    found, _unknown, _res = _discover(args, paths, settings)
    if args.format == "json":
        print(json.dumps([{"path": display_path(p), "kind": k} for p, k in found], indent=2))
    else:
        width = max((len(display_path(p)) for p, _ in found), default=0)
        for p, k in found:
            print(f"{display_path(p):<{width}}  {k}")
    return EXIT_CLEAN


@dataclasses.dataclass
class _Lint:
    """A finished run and what the commands built on `check` need to know about it."""

    result: object  # RunResult
    rules: dict
    settings: object
    given: list  # [(Path, kind)]: the files named or found under the paths given
    run_files: list  # [(Path, kind)]: given + the project's other files (cross-file context)
    enabled_for: object
    selection: object
    project_mode: bool = False


def _project_root(settings, paths: list[str]) -> Path:
    """Where the cross-file index is built from: the directory holding the config file, else the
    git top level, else the current directory."""
    from cfglint.gitdiff import toplevel

    if settings.config_path is not None:
        return Path(os.path.abspath(settings.root))
    top = toplevel(_start_dir(paths))
    return top if top is not None else Path.cwd()


def _lint(args: argparse.Namespace, paths: list[str], *, progress_ok: bool = False, inline: bool = True) -> _Lint:
    from cfglint.config import RuleSelection
    from cfglint.registry import load_rules
    from cfglint.runner import display_path, run

    cli: dict = {}
    for key in ("select", "ignore", "extend_select", "fail_on"):
        if getattr(args, key, None) is not None:
            cli[key] = getattr(args, key)
    settings = _settings(args, paths, cli)
    for w in settings.warnings:
        print(f"cfglint: warning: {w}", file=sys.stderr)
    rules = load_rules()  # imported lazily: a rule's module loads when a file of its kind needs it
    meta = rules.metadata()
    selection = RuleSelection(settings, meta)
    found, _unknown, disc = _discover(args, paths, settings)  # disc.errors are among `found`: CFG001

    root = settings.root

    def enabled_for(path: Path) -> frozenset[str]:
        ap = Path(os.path.abspath(path))
        try:
            rel = ap.relative_to(root).as_posix()
        except ValueError:
            rel = ap.as_posix()
        return selection.enabled_for(rel)

    # pre-commit passes only the staged files. Cross-file rules still need their peers: with
    # explicit files only, the rest of the project is read for the cross-file rules alone (its own
    # findings are not reported), and the findings that involve a given file are kept.
    run_files = list(found)
    project_mode = False
    project_codes = frozenset(code for code in selection.enabled if code in meta and meta[code].cross_file)
    explicit_only = bool(paths) and all(os.path.isfile(p) for p in paths)
    if explicit_only and project_codes and not getattr(args, "no_project_index", False):
        project_mode = True
        kinds: set[str] | None = set()
        for code in project_codes:
            if not meta[code].kinds:
                kinds = None
                break
            kinds.update(meta[code].kinds)
        project = _project_root(settings, paths)
        ctx_args = argparse.Namespace(**{**vars(args), "force_exclude": False})
        context, _u, _d = _discover(ctx_args, [str(project)], settings)
        given_abs = {os.path.abspath(p) for p, _ in found}
        extra = [(p, k) for p, k in context if os.path.abspath(p) not in given_abs and (kinds is None or k in kinds)]
        context_abs = {os.path.abspath(p) for p, _ in extra}
        run_files = sorted(found + extra, key=lambda t: str(t[0]))
        base_enabled = enabled_for

        def enabled_for(path: Path) -> frozenset[str]:  # noqa: F811 - the project-mode variant
            codes = base_enabled(path)
            return codes & project_codes if os.path.abspath(path) in context_abs else codes

    progress = None
    if progress_ok and sys.stderr.isatty() and len(run_files) > 20 and not getattr(args, "quiet", False):
        def progress(i: int, total: int) -> None:
            if i == total:
                print("\r\x1b[K", end="", file=sys.stderr, flush=True)
            elif i % 10 == 0:
                print(f"\rcfglint: {i}/{total} files", end="", file=sys.stderr, flush=True)

    result = run(
        run_files,
        rules=rules,
        enabled_for=enabled_for,
        severity_of=selection.severity_of,
        rule_options=settings.rule_options,
        require_reason=settings.require_suppression_reason,
        inline_suppressions=inline and not getattr(args, "no_inline_suppressions", False),
        progress=progress,
        jobs=_jobs_of(args),
        cache=_cache_of(args) if run_files else None,  # nothing to lint: no cache directory either
    )
    if project_mode:
        shown = {display_path(p) for p, _ in found}

        def involves(d) -> bool:
            return d.path in shown or any(r.span.path in shown for r in d.related)

        result = dataclasses.replace(
            result,
            diagnostics=[d for d in result.diagnostics if involves(d)],
            suppressed=[d for d in result.suppressed if involves(d)],
            files=[f for f in result.files if f.path in shown],
        )
    return _Lint(result, rules, settings, found, run_files, enabled_for, selection, project_mode)


def _jobs_of(args: argparse.Namespace) -> int:
    jobs = getattr(args, "jobs", None)
    if jobs is None:
        env = os.environ.get("CFGLINT_JOBS", "")
        jobs = int(env) if env.isdigit() and int(env) > 0 else (os.cpu_count() or 1)
    return jobs


def _cache_dir(args: argparse.Namespace) -> Path:
    from cfglint.cache import DEFAULT_DIR

    return Path(getattr(args, "cache_dir", None) or os.environ.get("CFGLINT_CACHE_DIR") or DEFAULT_DIR)


def _cache_of(args: argparse.Namespace):
    """The opened cache, or None with --no-cache (or when it cannot be used: one warning)."""
    if getattr(args, "no_cache", False) or os.environ.get("CFGLINT_NO_CACHE"):
        return None
    from cfglint.cache import Cache

    cache = Cache(_cache_dir(args))
    if not cache.open():
        print(f"cfglint: warning: cache disabled: {cache.problem}", file=sys.stderr)
        return None
    return cache


def cmd_clean(args: argparse.Namespace) -> int:
    from cfglint.cache import clean

    directory = _cache_dir(args)
    try:
        removed = clean(directory)
    except (OSError, ValueError) as e:
        raise UsageError(str(e)) from None
    print(f"cfglint: removed {directory}" if removed else f"cfglint: no cache at {directory}")
    return EXIT_CLEAN


def _shown_files(lint: _Lint) -> list[tuple[Path, str, str]]:
    from cfglint.runner import display_path

    return [(p, display_path(p), k) for p, k in lint.run_files]


def _repo_root() -> Path:
    from cfglint.gitdiff import toplevel

    return toplevel(Path.cwd()) or Path.cwd()


def _diff_base(lint: _Lint, ref: str, args: argparse.Namespace):
    """Keep the findings that are new against `ref`: lint REF's version of the same files (read
    with `git cat-file` into a private temporary directory; the work tree is never touched) and drop
    the findings whose structural key (rule, path, anchor, occurrence) exists there too."""
    import shutil
    import tempfile

    from cfglint.fingerprints import finding_key, keyed
    from cfglint.gitdiff import GitError, read_blobs, resolve, toplevel
    from cfglint.runner import run

    top = toplevel(Path.cwd())
    if top is None:
        raise UsageError("--diff-base needs a git repository")
    try:
        commit = resolve(ref, top)
    except GitError as e:
        raise UsageError(f"--diff-base: {e}") from None
    top_abs = Path(os.path.realpath(top))
    rel_of: dict[Path, str] = {}
    for p, _k in lint.run_files:
        try:
            rel_of[p] = Path(os.path.realpath(p)).relative_to(top_abs).as_posix()
        except ValueError:
            continue  # outside the repository: nothing to compare with, every finding is new
    try:
        blobs = read_blobs(commit, rel_of.values(), top)
    except GitError as e:
        raise UsageError(f"--diff-base: {e}") from None
    tmp = Path(tempfile.mkdtemp(prefix="cfglint-base-"))
    try:
        try:
            cwd_rel = Path(os.path.realpath(Path.cwd())).relative_to(top_abs)
        except ValueError:
            cwd_rel = Path(".")
        base_cwd = tmp / cwd_rel
        base_cwd.mkdir(parents=True, exist_ok=True)
        origin: dict[Path, Path] = {}
        base_files = []
        for p, kind in lint.run_files:
            rel = rel_of.get(p)
            data = blobs.get(rel) if rel is not None else None
            if data is None:
                continue
            dest = tmp / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_bytes(data)
            origin[dest] = p
            base_files.append((dest, kind))
        settings = lint.settings
        base = run(
            base_files,
            rules=lint.rules,
            enabled_for=lambda q: lint.enabled_for(origin[q]),
            severity_of=lint.selection.severity_of,
            rule_options=settings.rule_options,
            require_reason=settings.require_suppression_reason,
            inline_suppressions=not getattr(args, "no_inline_suppressions", False),
            cwd=base_cwd,
            jobs=_jobs_of(args),
            cache=_cache_of(args),  # entries are keyed by content and shown path: REF's versions hit too
        )
        counts: dict = {}
        for d in base.diagnostics:
            k = finding_key(d, tmp, cwd=base_cwd)
            k = (k[0], k[1], k[2], k[3].replace(str(tmp), str(top)))
            counts[k] = counts.get(k, 0) + 1
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    kept, existing = [], 0
    for d, k, n in keyed(lint.result.diagnostics, top):
        rule = lint.rules.get(d.code)
        if (rule is None or rule.suppressible) and n <= counts.get(k, 0):
            existing += 1
            continue
        kept.append(d)
    from cfglint.api import Diagnostic

    kept.sort(key=Diagnostic.sort_key)
    return dataclasses.replace(lint.result, diagnostics=kept), existing


def _changed_lines(lint: _Lint, ref: str | None) -> dict[str, set[int] | None] | None:
    """display path -> changed lines since `ref` (for the github format's ordering); None when
    unknown. Never fails the run."""
    from cfglint.gitdiff import GitError, changed_lines, resolve, toplevel
    from cfglint.runner import display_path

    if not ref:
        return None
    top = toplevel(Path.cwd())
    if top is None:
        return None
    try:
        commit = resolve(ref, top)
        top_abs = Path(os.path.realpath(top))
        rels = {}
        for p, _k in lint.given:
            try:
                rels[Path(os.path.realpath(p)).relative_to(top_abs).as_posix()] = display_path(p)
            except ValueError:
                continue
        changed = changed_lines(commit, top, list(rels))
    except GitError:
        return None
    return {rels[r]: lines for r, lines in changed.items() if r in rels}


def _parse_outputs(values: list[str]) -> list[tuple[str, str]]:
    from cfglint.reporters import available

    out = []
    for v in values:
        fmt, sep, file = v.partition("=")
        fmt = fmt.strip()
        if not sep or not fmt or not file:
            raise UsageError(f"--output expects FORMAT=FILE, got {v!r}")
        if fmt not in available():
            raise UsageError(f"unknown format {fmt!r} in --output (available: {', '.join(available())})")
        out.append((fmt, file))
    return out


def cmd_check(args: argparse.Namespace) -> int:
    from cfglint.reporters import REPORTERS, ReportOptions, available, get_reporter

    paths = args.paths or ["."]
    fmt = args.format or "text"
    if fmt not in REPORTERS and fmt not in available():  # available() reads entry points: slow
        raise UsageError(f"unknown format {fmt!r} (available: {', '.join(available())})")
    extra_outputs = _parse_outputs(args.output)
    if args.show_files:
        args.format = "text"
        return cmd_files(args)
    if args.strict_baseline and not args.baseline:
        raise UsageError("--strict-baseline needs --baseline FILE")
    reporter = get_reporter(fmt)
    baseline = None
    if args.baseline:
        from cfglint.baseline import Baseline, BaselineError

        try:
            baseline = Baseline.load(Path(args.baseline))
        except BaselineError as e:
            raise UsageError(str(e)) from None

    lint = _lint(args, paths, progress_ok=not reporter.machine, inline=True)
    result = lint.result
    if args.verbose:
        for f in result.files:
            print(f"cfglint: {'linted' if f.linted else 'skipped'} {f.path} ({f.kind}){' - ' + f.note if f.note else ''}", file=sys.stderr)
        st = result.stats
        if st:
            n = st.get("workers", 0)
            where = f"{n} worker process{'es' if n > 1 else ''} and this one" if n else "this process"
            print(f"cfglint: {st['files']} files: {st['parsed']} parsed in {where}, {st['cached']} from the cache,"
                  f" {st['stored']} stored", file=sys.stderr)

    fixed = 0
    if args.fix or args.diff:
        from cfglint import fixes as fx
        from cfglint.runner import display_path

        files = [(display_path(p), Path(os.path.abspath(p)), k) for p, k in lint.given]
        roots = [_start_dir(paths), _project_root(lint.settings, paths)]
        plans, warnings = fx.plan(result.diagnostics, files, roots)
        for w in warnings:
            print(f"cfglint: warning: {result.masker.text(w)}", file=sys.stderr)
        if args.diff:
            text = fx.unified_diff(plans, result.masker.text)
            sys.stdout.write(text)
            sys.stdout.flush()
            n = sum(len(p.fixed) for p in plans if p.changed)
            if not args.quiet:
                print(f"cfglint: {n} fixable finding{'s' if n != 1 else ''} (--diff: nothing written)", file=sys.stderr)
            if result.internal_error:
                return EXIT_ERROR
            return EXIT_FINDINGS if text else EXIT_CLEAN
        fixed = fx.apply(plans)
        if fixed:
            nfiles = sum(1 for p in plans if p.changed)
            if not args.quiet:
                print(f"cfglint: fixed {fixed} finding{'s' if fixed != 1 else ''} in {nfiles} file{'s' if nfiles != 1 else ''}",
                      file=sys.stderr)
            # Report what remains, like ruff: the fixed files are linted again (once).
            lint = _lint(args, paths, progress_ok=False, inline=True)
            result = lint.result

    summary_extra: dict = {}
    if args.diff_base:
        result, existing = _diff_base(lint, args.diff_base, args)
        summary_extra["diff_base"] = {"ref": args.diff_base, "existing": existing}
        if existing and not args.quiet:
            print(f"cfglint: {existing} findings already present at {args.diff_base} not reported (--diff-base)", file=sys.stderr)

    hidden: list = []
    stale_count = 0
    if baseline is not None:
        from cfglint.baseline import apply, scope_checker

        scope = scope_checker(
            baseline.base, [p for p, _ in lint.given], [Path(p) for p in paths], lint.enabled_for
        )
        outcome = apply(baseline, result.diagnostics, lint.rules, scope)
        result = dataclasses.replace(result, diagnostics=outcome.kept)
        hidden = outcome.hidden
        stale_count = sum(e.count for e in outcome.stale)
        mask = result.masker.text
        summary_extra["baseline"] = {
            "file": args.baseline,
            "hidden": len(hidden),
            "stale": [
                {"code": e.code, "path": mask(e.path), e.kind: mask(e.value), "count": e.count} for e in outcome.stale
            ],
        }
        if hidden and not args.quiet:
            print(f"cfglint: {len(hidden)} findings accepted by the baseline {args.baseline} not reported", file=sys.stderr)
        if outcome.stale:
            print(
                f"cfglint: baseline {args.baseline}: {len(outcome.stale)} stale entries ({stale_count} findings no longer"
                " found, probably fixed); drop them with `cfglint baseline prune`:",
                file=sys.stderr,
            )
            for e in outcome.stale[:20]:
                print(f"cfglint:   {e.code} {mask(e.path)} [{mask(e.value)}] x{e.count}", file=sys.stderr)
            if len(outcome.stale) > 20:
                print(f"cfglint:   ...and {len(outcome.stale) - 20} more", file=sys.stderr)

    formats = [fmt] + [f for f, _ in extra_outputs]
    reasons: dict = {}
    if args.sarif_include_suppressed and "sarif" in formats and result.suppressed:
        from cfglint.suppression_audit import reasons as find_reasons

        reasons = find_reasons(_shown_files(lint), result.suppressed, lint.rules, result.masker)
    changed = None
    if "github" in formats:
        from cfglint.gitdiff import base_ref_from_env

        changed = _changed_lines(lint, args.diff_base or base_ref_from_env())

    # The repository root (`git rev-parse`): found once, when a format first asks for it.
    find_root = functools.cache(_repo_root)

    def options(color: bool) -> ReportOptions:
        return ReportOptions(
            version=__version__, color=color, statistics=args.statistics, quiet=args.quiet,
            find_root=find_root, include_suppressed=args.sarif_include_suppressed, suppression_reasons=reasons,
            baseline_hidden=hidden, category=args.sarif_category, changed_lines=changed, summary_extra=summary_extra,
        )

    to_file = bool(args.output_file)
    color = (
        args.color == "always"
        or (args.color == "auto" and not to_file and sys.stdout.isatty() and not os.environ.get("NO_COLOR"))
    ) and not reporter.machine
    stdout_parts: list[str] = []
    text = reporter.render(result, options(color))
    if to_file:
        _write_atomic(Path(args.output_file), text)
    else:
        stdout_parts.append(text)
    for ofmt, ofile in extra_outputs:
        other = get_reporter(ofmt)
        out = other.render(result, options(False))
        if ofile == "-":
            stdout_parts.append(out)
        else:
            _write_atomic(Path(ofile), out)
    if "github" in formats and os.environ.get("GITHUB_STEP_SUMMARY"):
        gh = reporter if fmt == "github" else get_reporter("github")
        try:
            with open(os.environ["GITHUB_STEP_SUMMARY"], "a", encoding="utf-8") as fh:
                fh.write(gh.step_summary(result, options(False)))
        except OSError as e:
            print(f"cfglint: warning: cannot write the step summary: {e}", file=sys.stderr)
    for part in stdout_parts:
        sys.stdout.write(part)
    sys.stdout.flush()
    if result.internal_error:
        return EXIT_ERROR
    if args.exit_non_zero_on_fix and fixed:
        return EXIT_FINDINGS
    if args.exit_zero:
        return EXIT_CLEAN
    threshold = lint.settings.fail_on.rank
    failed = any(d.severity.rank >= threshold for d in result.diagnostics)
    if args.strict_baseline and stale_count:
        failed = True
    return EXIT_FINDINGS if failed else EXIT_CLEAN


def cmd_baseline(args: argparse.Namespace) -> int:
    from cfglint import baseline as bl

    paths = args.paths or ["."]
    file = Path(args.baseline_file or bl.DEFAULT_FILE)
    lint = _lint(args, paths, inline=True)
    result = lint.result
    if result.internal_error:
        print("cfglint: error: a rule or parser crashed (CFG005); the baseline was not written", file=sys.stderr)
        return EXIT_ERROR
    mask = result.masker.text
    if args.action == "create":
        b = bl.create(file, result.diagnostics, lint.rules)
        n = sum(e.count for e in b.entries.values())
        what = f"{n} findings accepted ({len(b.entries)} entries)"
    else:
        try:
            old = bl.Baseline.load(file)
        except bl.BaselineError as e:
            raise UsageError(str(e)) from None
        if args.action == "update":
            b, n = bl.update(old, result.diagnostics, lint.rules)
            what = f"{n} new findings accepted"
        else:
            scope = bl.scope_checker(
                old.base, [p for p, _ in lint.given], [Path(p) for p in paths], lint.enabled_for
            )
            b, n = bl.prune(old, result.diagnostics, lint.rules, scope)
            what = f"{n} fixed findings dropped"
    _write_atomic(file, b.dumps(mask, __version__))
    skipped = sum(1 for d in result.diagnostics if not bl.baselinable(d, lint.rules))
    print(f"cfglint: wrote {file}: {what}.")
    if skipped:
        print(
            f"cfglint: {skipped} findings of rules that cannot be suppressed (unreadable, binary, undecodable or"
            " unparsable files) are never baselined: fix or exclude those files",
            file=sys.stderr,
        )
    return EXIT_CLEAN


def cmd_suppressions(args: argparse.Namespace) -> int:
    from cfglint.suppression_audit import audit

    paths = args.paths or ["."]
    lint = _lint(args, paths, inline=True)
    shown = {f.path for f in lint.result.files}
    files = [t for t in _shown_files(lint) if t[1] in shown]
    rows = audit(files, lint.result.suppressed, lint.rules, lint.result.masker)
    if args.format == "json":
        print(json.dumps([r.as_json() for r in rows], indent=2, ensure_ascii=False))
        return EXIT_CLEAN
    from cfglint.reporters.text import _printable

    for r in rows:
        where = "whole file" if r.kind == "file-ignore" else (f"line {r.target_line}" if r.target_line else "no line")
        used = ", ".join(f"{c} x{r.suppressed[c]}" for c in r.codes if r.suppressed.get(c))
        status = f"suppressed {used}" if used else "suppressed nothing"
        reason = _printable(r.reason) if r.reason else "(no reason)"
        print(f"{r.path}:{r.line}: {r.kind}[{', '.join(r.written)}] -> {where}: {status} -- {reason}")
    unused = sum(1 for r in rows if not r.used)
    noreason = sum(1 for r in rows if not r.reason)
    print(f"{len(rows)} suppressions in {len({r.path for r in rows})} files; {unused} suppressed nothing; {noreason} give no reason.")
    return EXIT_CLEAN


def _write_atomic(path: Path, text: str) -> None:
    import tempfile

    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=str(path.parent))
    try:
        # mkstemp creates the file 0600; a report gets the mode a plain open() would give it (an
        # existing file keeps its own mode).
        try:
            mode = path.stat().st_mode & 0o7777
        except OSError:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.fchmod(fd, mode)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def cmd_rule(args: argparse.Namespace) -> int:
    from cfglint.registry import load_rules, resolve

    rule = resolve(args.rule)
    if rule is None:
        import difflib

        pool = list(load_rules()) + [r.name for r in load_rules().values()]
        close = difflib.get_close_matches(args.rule, pool, n=1)
        hint = f"; did you mean {close[0]}?" if close else ""
        raise UsageError(f"unknown rule {args.rule!r}{hint}")
    if args.format == "json":
        print(json.dumps(rule_info(rule) | {"doc": rule.doc()}, indent=2))
        return EXIT_CLEAN
    tags = ", ".join(rule.tags) or "-"
    print(f"# {rule.code} {rule.name}\n")
    print(f"Severity: {rule.severity.value}  ·  Tags: {tags}  ·  Since: {rule.since}"
          + ("  ·  Opt-in" if rule.opt_in else "") + ("  ·  Not suppressible" if not rule.suppressible else ""))
    print()
    print(rule.doc())
    return EXIT_CLEAN


def rule_info(rule) -> dict:
    from cfglint.api import EngineRule, ProjectRule

    scope = "cross-file" if issubclass(rule, ProjectRule) else "engine" if issubclass(rule, EngineRule) else "file"
    return {
        "code": rule.code,
        "name": rule.name,
        "severity": rule.severity.value,
        "summary": rule.summary(),
        "tags": list(rule.tags),
        "kinds": list(rule.kinds),
        "scope": scope,
        "opt_in": rule.opt_in,
        "since": rule.since,
    }


def cmd_rules(args: argparse.Namespace) -> int:
    from cfglint.registry import load_rules

    rules = [r for r in load_rules().values() if not args.tag or args.tag in r.tags]
    if args.format == "json":
        print(json.dumps([rule_info(r) for r in rules], indent=2))
        return EXIT_CLEAN
    if args.format == "markdown":
        print(rules_markdown(rules), end="")
        return EXIT_CLEAN
    wn = max((len(r.name) for r in rules), default=4)
    for r in rules:
        print(f"{r.code}  {r.name:<{wn}}  {r.severity.value:<7}  {r.summary()}")
    return EXIT_CLEAN


def rules_markdown(rules) -> str:
    """The README's rule table, generated from the registry."""
    lines = ["| code | name | severity | scope | summary |", "|---|---|---|---|---|"]
    for r in rules:
        info = rule_info(r)
        lines.append(f"| {r.code} | `{r.name}` | {info['severity']} | {info['scope']} | {info['summary']} |")
    return "\n".join(lines) + "\n"


def cmd_config(args: argparse.Namespace) -> int:
    from cfglint.config import describe

    paths = args.paths or ["."]
    settings = _settings(args, paths)
    rows = describe(settings)
    print(f"# config file: {settings.config_path or '(none: defaults)'}")
    w = max((len(k) for k, _, _ in rows), default=0)
    for key, value, origin in rows:
        print(f"{key:<{w}} = {value}    # {origin}")
    return EXIT_CLEAN
