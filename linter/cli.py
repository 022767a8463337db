"""The command line. Exit codes: 0 no findings at or above the failure threshold, 1 findings,
2 usage, configuration or internal error."""

from __future__ import annotations

import argparse
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

    c = sub.add_parser("check", help="lint files and directories (default: .)")
    c.add_argument("paths", nargs="*", default=[], metavar="PATH")
    common(c)
    c.add_argument("--format", "--output-format", dest="format", default=None, help="text (default), concise, json")
    c.add_argument("-o", "--output-file", help="write the report to this file instead of stdout")
    c.add_argument("--select", type=_csv, help="rules to enable: codes, prefixes, names or ALL (comma-separated)")
    c.add_argument("--extend-select", type=_csv, help="rules to enable in addition to the configured ones")
    c.add_argument("--ignore", type=_csv, help="rules to disable: codes, prefixes or names")
    c.add_argument("--fail-on", choices=["error", "warning", "info"], help="lowest severity that fails the run (default: info)")
    c.add_argument("--exit-zero", action="store_true", help="exit 0 even when there are findings (internal errors still exit 2)")
    c.add_argument("--statistics", action="store_true", help="print the number of findings per rule")
    c.add_argument("--no-cache", action="store_true", help="do not read or write the cache")
    c.add_argument("--cache-dir", help="cache directory (default .cfglint_cache)")
    c.add_argument("--show-files", action="store_true", help="list the files found and their kind, then exit")
    c.add_argument("--no-inline-suppressions", action="store_true", help="ignore every inline cfglint: directive")
    c.add_argument("--color", choices=["auto", "always", "never"], default="auto")
    c.add_argument("-q", "--quiet", action="store_true", help="print findings only (no summary when clean)")
    c.add_argument("-v", "--verbose", action="store_true", help="also list the files linted and skipped")

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
    from cfglint.registry import load_rules

    path, overrides = _split_config(args.config)
    try:
        return load_settings(_start_dir(paths), config=path, overrides=overrides, cli=cli or {}, rules=load_rules())
    except ConfigError as e:
        raise UsageError(f"configuration: {e}") from None


def _discover(args: argparse.Namespace, paths: list[str], settings):
    from cfglint.discovery import discover
    from cfglint.kinds import detect_kind, read_head

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
        kind = detect_kind(f, head or b"", settings.kinds, root=settings.root)
        if kind is None and head is None and f in res.explicit:
            kind = "unknown"  # an explicit file we cannot read: reported, never silently skipped
        if kind is None:
            unknown.append(f)
        else:
            found.append((f, kind))
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


def cmd_check(args: argparse.Namespace) -> int:
    from cfglint.config import RuleSelection
    from cfglint.registry import load_rules
    from cfglint.reporters import ReportOptions, available, get_reporter
    from cfglint.runner import run

    paths = args.paths or ["."]
    cli: dict = {}
    for key in ("select", "ignore", "extend_select", "fail_on"):
        if getattr(args, key) is not None:
            cli[key] = getattr(args, key)
    settings = _settings(args, paths, cli)
    fmt = args.format or "text"
    if fmt not in available():
        raise UsageError(f"unknown format {fmt!r} (available: {', '.join(available())})")
    if args.show_files:
        args.format = "text"
        return cmd_files(args)
    reporter = get_reporter(fmt)
    for w in settings.warnings:
        print(f"cfglint: warning: {w}", file=sys.stderr)
    rules = load_rules()
    selection = RuleSelection(settings, rules)
    found, unknown, disc = _discover(args, paths, settings)
    for p, why in disc.errors:
        print(f"cfglint: warning: {p}: {why}", file=sys.stderr)

    root = settings.root

    def enabled_for(path: Path) -> frozenset[str]:
        ap = Path(os.path.abspath(path))
        try:
            rel = ap.relative_to(root).as_posix()
        except ValueError:
            rel = ap.as_posix()
        return selection.enabled_for(rel)

    progress = None
    if not reporter.machine and sys.stderr.isatty() and len(found) > 20 and not args.quiet:
        def progress(i: int, total: int) -> None:
            if i == total:
                print("\r\x1b[K", end="", file=sys.stderr, flush=True)
            elif i % 10 == 0:
                print(f"\rcfglint: {i}/{total} files", end="", file=sys.stderr, flush=True)

    result = run(
        found,
        rules=rules,
        enabled_for=enabled_for,
        severity_of=selection.severity_of,
        rule_options=settings.rule_options,
        require_reason=settings.require_suppression_reason,
        inline_suppressions=not args.no_inline_suppressions,
        progress=progress,
    )
    if args.verbose:
        for f in result.files:
            print(f"cfglint: {'linted' if f.linted else 'skipped'} {f.path} ({f.kind}){' - ' + f.note if f.note else ''}", file=sys.stderr)
    to_file = bool(args.output_file)
    color = (
        args.color == "always"
        or (args.color == "auto" and not to_file and sys.stdout.isatty() and not os.environ.get("NO_COLOR"))
    ) and not reporter.machine
    text = reporter.render(
        result,
        ReportOptions(version=__version__, color=color, statistics=args.statistics, quiet=args.quiet),
    )
    if to_file:
        _write_atomic(Path(args.output_file), text)
    else:
        sys.stdout.write(text)
        sys.stdout.flush()
    if result.internal_error:
        return EXIT_ERROR
    if args.exit_zero:
        return EXIT_CLEAN
    threshold = settings.fail_on.rank
    return EXIT_FINDINGS if any(d.severity.rank >= threshold for d in result.diagnostics) else EXIT_CLEAN


def _write_atomic(path: Path, text: str) -> None:
    import tempfile

    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=str(path.parent))
    try:
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
