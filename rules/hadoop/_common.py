"""Helpers shared by the Hadoop env rules (HDP codes).

Conventions
* Per-file rules read `HadoopEnv` models (kind `hadoop-env`); login profiles (`shell-profile`) are
  context for the cross-file rule HDP001 only, never a target.
* Nothing is reported inside a region the shell parser could not read, and never on a value that
  is not known statically as if it were (`Value.is_known` / `.texts`).
* Version-specific rules use the option `hadoop-version` ("2" or "3", per rule or for the family:
  `[tool.cfglint.rules.HDP]`), else the version inferred from the file (`HadoopEnv.version`), and
  stay silent when neither says.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from cfglint.api import FileRule, Span
from cfglint.models.hadoop import HadoopEnv
from cfglint.shell import Assignment, Command

__all__ = [
    "HadoopRule",
    "VERSION_OPTION",
    "effective_version",
    "mentions",
    "read_between",
    "reads_itself",
    "references_between",
    "shown",
    "top_level_assignments",
    "version_note",
]

VERSION_OPTION = "hadoop-version"

# Roles whose variables reach the daemons only through a child process: /etc/default files are
# sourced by init scripts that then start `runuser ... -c` / `su -c` (B.2).
DEFAULT_ROLES = ("default-hadoop", "default-service", "bigtop-utils")
ROLE_FILES = {
    "hadoop-env": "hadoop-env.sh",
    "yarn-env": "yarn-env.sh",
    "mapred-env": "mapred-env.sh",
    "hdfs-env": "hdfs-env.sh",
    "httpfs-env": "httpfs-env.sh",
    "kms-env": "kms-env.sh",
    "bigtop-utils": "/etc/default/bigtop-utils",
    "default-hadoop": "/etc/default/hadoop",
    "default-service": "an /etc/default file",
    "other": "this file",
}


def option_version(options: Mapping[str, Any]) -> str | None:
    """The `hadoop-version` option: "2", "3" (a number or a string like "3.1.1"), or None."""
    value = options.get(VERSION_OPTION)
    if value is None:
        return None
    text = str(value).strip()
    major = text.split(".", 1)[0]
    if major in ("2", "3"):
        return major
    raise ValueError(f"option {VERSION_OPTION!r} must be \"2\" or \"3\" (or a version like \"3.1.1\"), got {value!r}")


def effective_version(model: HadoopEnv, options: Mapping[str, Any]) -> tuple[str | None, str]:
    """(major version or None, how it is known) for messages."""
    configured = option_version(options)
    if configured is not None:
        return configured, f"Hadoop {configured}.x per the option {VERSION_OPTION}"
    guess = model.version
    if guess.version is None:
        return None, ""
    how = f"Hadoop {guess.version}.x inferred from {guess.evidence}; set the option {VERSION_OPTION} if wrong"
    return guess.version, how


def version_note(how: str) -> str:
    return f" ({how})" if how else ""


def shown(text: str | None, limit: int = 60) -> str:
    """A value as written, shortened for a message (control characters made visible)."""
    if text is None:
        return "an unknown value"
    t = text.replace("\r", "\\r").replace("\n", "\\n")
    return t if len(t) <= limit else t[: limit - 3] + "..."


def top_level_assignments(model: HadoopEnv) -> Iterator[Assignment]:
    """Assignments that run whenever the file runs: not in a function, branch or loop, not a
    prefix assignment (`X=1 cmd`), not in an error region."""
    for a in model.assignments:
        if a.conditional or a.scope != "global" or model.in_error_region(a.span):
            continue
        yield a


def references_between(model: HadoopEnv, name: str, start: Span, end: Span) -> bool:
    """Whether a word after the span `start` and before the span `end` (function bodies included,
    since they may be called in between) references `name`."""
    lo = (start.last_line, start.end_column if start.end_column is not None else start.column)
    hi = (end.line, end.column)
    for c in model.commands:
        for w in _words(c):
            if name in w.refs and lo <= (w.span.line, w.span.column) < hi:
                return True
    for h in model.heredocs:
        if name in h.value.vars and lo <= (h.span.line, h.span.column) < hi:
            return True
    return False


def _name_re(name: str) -> re.Pattern[str]:
    return re.compile(r"(?<![A-Za-z0-9_])" + re.escape(name) + r"(?![A-Za-z0-9_])")


def source_between(model: HadoopEnv, start: Span, end: Span) -> str:
    """The source text after the span `start` and before the span `end`, comment lines left out."""
    lines = model.lines
    s_line, s_col = start.last_line, (start.end_column if start.end_column is not None else start.column)
    e_line, e_col = end.line, end.column
    if not lines or s_line > len(lines) or e_line > len(lines) or (s_line, s_col) >= (e_line, e_col):
        return ""
    if s_line == e_line:
        return lines[s_line - 1][s_col - 1 : e_col - 1]
    parts = [lines[s_line - 1][s_col - 1 :], *lines[s_line : e_line - 1], lines[e_line - 1][: e_col - 1]]
    return "\n".join(p for p in parts if not p.lstrip().startswith("#"))


def span_text(model: HadoopEnv, span: Span) -> str:
    lines = model.lines
    if not lines or span.last_line > len(lines):
        return ""
    chunk = lines[span.line - 1 : span.last_line]
    if span.end_column is not None:
        chunk[-1] = chunk[-1][: span.end_column - 1]
    chunk[0] = chunk[0][span.column - 1 :]
    return "\n".join(chunk)


def read_between(model: HadoopEnv, name: str, start: Span, end: Span) -> bool:
    """Whether anything between the two spans may read `name`: a word referencing it, or (a
    conservative look at the text, for what the model does not hold: arithmetic, `let`) the name
    written anywhere in the code between."""
    if references_between(model, name, start, end):
        return True
    return _name_re(name).search(source_between(model, start, end)) is not None


def reads_itself(model: HadoopEnv, a: Assignment) -> bool:
    """Whether an assignment's value may use the variable it assigns (`X="$X -y"`,
    `X=$(f "$X")`, `X=$((X+1))`): its text names the variable more than once."""
    if a.word is not None and a.name in a.word.refs:
        return True
    if a.word is None:
        return True  # nothing to look at: assume it may
    return len(_name_re(a.name).findall(span_text(model, a.span))) > 1


def mentions(model: HadoopEnv, name: str) -> int:
    """How many times the code (comment lines left out) names `name`."""
    rx = _name_re(name)
    return sum(len(rx.findall(line)) for line in model.lines if not line.lstrip().startswith("#"))


def _words(c: Command):
    yield from c.argv
    for a in c.assignments:
        if a.word is not None:
            yield a.word
    for r in c.redirects:
        if r.target is not None:
            yield r.target


class HadoopRule(FileRule, abstract=True):
    """Base of the per-file HDP rules: they read Hadoop env models; their doc examples are shell."""

    kinds = ("hadoop-env",)
    model_type = HadoopEnv
    example_language = "sh"
    tags: tuple[str, ...] = ("hadoop",)
