"""Helpers shared by the CI formats (sarif, github, gitlab, junit)."""

from __future__ import annotations

from pathlib import Path

from cfglint.api import Diagnostic, Rule
from cfglint.fingerprints import keyed, relpath, structural_fingerprint
from cfglint.runner import RunResult


def root_of(opts) -> Path:
    """The directory the paths of a CI format are made relative to (see `ReportOptions.root`)."""
    if opts.root is None and getattr(opts, "find_root", None) is not None:
        opts.root = opts.find_root()
    return Path(opts.root) if opts.root is not None else Path.cwd()


def repo_path(path: str, root: Path) -> str:
    """A diagnostic path relative to the repository root, with forward slashes (absolute if outside)."""
    return relpath(path, root)


def kinds_by_path(result: RunResult) -> dict[str, str]:
    return {f.path: f.kind for f in result.files if f.kind}


def fingerprints(diagnostics: list[Diagnostic], root: Path) -> dict[int, str]:
    """id(diagnostic) -> structural fingerprint, occurrences counted over every finding given."""
    return {id(d): structural_fingerprint(k, n) for d, k, n in keyed(diagnostics, root)}


def rule_for(code: str) -> type[Rule] | None:
    from cfglint.registry import load_rules

    return load_rules().get(code)


def is_security(rule: type[Rule] | None) -> bool:
    return rule is not None and "security" in rule.tags


def security_severity(rule: type[Rule]) -> float:
    if rule.security_severity is not None:
        return float(rule.security_severity)
    # Derived: an error is high (7.0-8.9), a warning medium (4.0-6.9), an info low (0.1-3.9).
    return {"error": 8.0, "warning": 5.5, "info": 2.0}[rule.severity.value]


def rule_precision(rule: type[Rule]) -> str:
    """The rule's declared precision; engine and DavMail rules that declare none are very-high
    (they read the file exactly as the consuming program does)."""
    declared = any("precision" in vars(k) for k in rule.__mro__ if k is not Rule)
    if declared:
        return rule.precision
    if rule.code.startswith(("CFG", "DAV")):
        return "very-high"
    return rule.precision
