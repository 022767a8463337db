"""SARIF 2.1.0, shaped for GitHub code scanning (and valid against the OASIS schema; a test checks).

- `tool.driver`: name, version, semanticVersion, informationUri (the package's home page, when its
  metadata has one), and one `rules[]` entry for every rule that ran: id, name, short and full
  description, help text and markdown (the rule's documentation), default level, tags, precision,
  `problem.severity`, and `security-severity` for rules tagged `security`. `helpUri` only when the
  rule class names a real URL (`help_uri`): a guessed or empty one breaks uploads.
- results: ruleId, ruleIndex, level, message (related locations linked as `[text](id)`),
  repo-relative `uri` with `uriBaseId: %SRCROOT%`, a full region in UTF-16 columns, and
  `partialFingerprints`: `primaryLocationLineHash` (codeql-action's algorithm, see
  cfglint.fingerprints) and `cfglint/v1` (the structural fingerprint, stable across edits elsewhere).
- suppressed findings are left out (GitHub ignores `suppressions` and would open alerts for them)
  unless `--sarif-include-suppressed`: then inline suppressions come with `kind: inSource` and their
  reason, baseline-accepted findings with `kind: external`.
- `automationDetails.id`: `cfglint/<family>/` when every linted file is of one family (stable from
  run to run whatever the findings), else `cfglint/`; `--sarif-category` overrides it.
- No optional property is ever empty or null.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from urllib.parse import quote

from cfglint.api import Diagnostic, Rule
from cfglint.fingerprints import SourceText
from cfglint.reporters import Reporter, ReportOptions
from cfglint.reporters._ci import (
    fingerprints,
    is_security,
    kinds_by_path,
    repo_path,
    root_of,
    rule_for,
    rule_precision,
    security_severity,
)
from cfglint.runner import RunResult

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
LEVEL = {"error": "error", "warning": "warning", "info": "note"}
PROBLEM_SEVERITY = {"error": "error", "warning": "warning", "info": "recommendation"}
MAX_TEXT = 1024  # GitHub's limit for short and full descriptions
MAX_TAGS = 20


def information_uri() -> str | None:
    """The package's home page from its metadata (`[project.urls]`), if it declares one."""
    try:
        from importlib.metadata import metadata

        md = metadata("cfglint")
    except Exception:
        return None
    urls = [u.split(",", 1)[1].strip() for u in (md.get_all("Project-URL") or []) if "," in u]
    if md.get("Home-page"):
        urls.insert(0, md["Home-page"])
    return next((u for u in urls if re.match(r"^https://[^\s]+$", u)), None)


def _clip(text: str, limit: int = MAX_TEXT) -> str:
    text = text.strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _plain(markdown: str) -> str:
    """The rule doc as plain text: headings and code fences kept readable, inline marks removed."""
    out = []
    for line in markdown.splitlines():
        if line.startswith("```"):
            continue
        line = re.sub(r"^#+\s*", "", line)
        line = line.replace("`", "")
        out.append(line)
    return re.sub(r"\n{3,}", "\n\n", "\n".join(out)).strip()


def _full_description(rule: type[Rule]) -> str:
    body = rule.doc_section("What it does")
    text = " ".join(_plain(body).split()) if body else ""
    return _clip(text or rule.summary() or rule.code)


def rule_descriptor(rule: type[Rule]) -> dict:
    doc = rule.doc()
    desc: dict = {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": _clip(_plain(rule.summary()) or rule.code)},
        "fullDescription": {"text": _full_description(rule)},
        "help": {
            "text": _plain(doc) or rule.code,
            "markdown": f"# {rule.code} {rule.name}\n\n{doc}" if doc else f"# {rule.code} {rule.name}",
        },
    }
    help_uri = getattr(rule, "help_uri", None)
    if isinstance(help_uri, str) and re.match(r"^https?://\S+$", help_uri):
        desc["helpUri"] = help_uri
    desc["defaultConfiguration"] = {"level": LEVEL[rule.severity.value]}
    props: dict = {}
    tags = list(dict.fromkeys(t for t in rule.tags if t))[:MAX_TAGS]
    if tags:
        props["tags"] = tags
    props["precision"] = rule_precision(rule)
    props["problem.severity"] = PROBLEM_SEVERITY[rule.severity.value]
    if is_security(rule):
        props["security-severity"] = f"{security_severity(rule):.1f}"
    desc["properties"] = props
    return desc


def _fallback_descriptor(code: str) -> dict:
    return {
        "id": code,
        "shortDescription": {"text": code},
        "fullDescription": {"text": code},
        "help": {"text": code},
    }


def _uri(path: str, root: Path) -> tuple[str, bool]:
    """(uri, relative?)"""
    rel = repo_path(path, root)
    if rel.startswith("/"):
        return Path(rel).as_uri(), False
    return quote(rel, safe="/"), True


def _escape_links(text: str) -> str:
    return text.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")


class SarifReporter(Reporter):
    name = "sarif"
    machine = True

    def render(self, result: RunResult, opts: ReportOptions) -> str:
        return json.dumps(self.document(result, opts), indent=2, ensure_ascii=False) + "\n"

    # ----------------------------------------------------------------------------------------------
    def document(self, result: RunResult, opts: ReportOptions) -> dict:
        root = Path(os.path.abspath(root_of(opts)))
        kinds = kinds_by_path(result)
        reasons = opts.suppression_reasons
        # Every finding of the run takes part in the occurrence numbering, shown or not, so that a
        # fingerprint does not depend on whether a neighbour was suppressed.
        everything = list(result.diagnostics) + list(result.suppressed) + list(opts.baseline_hidden)
        fps = fingerprints(everything, root)
        shown: list[tuple[Diagnostic, dict | None]] = [(d, None) for d in result.diagnostics]
        if opts.include_suppressed:
            for d in result.suppressed:
                sup = {"kind": "inSource", "status": "accepted"}
                reason = reasons.get((d.path, d.line, d.code))
                if reason:
                    sup["justification"] = reason
                shown.append((d, sup))
            for d in opts.baseline_hidden:
                shown.append((d, {"kind": "external", "status": "accepted", "justification": "accepted in the cfglint baseline"}))
        shown.sort(key=lambda item: item[0].sort_key())

        codes = sorted(set(result.rules_run) | {d.code for d, _ in shown})
        descriptors, index = [], {}
        for code in codes:
            rule = rule_for(code)
            index[code] = len(descriptors)
            descriptors.append(rule_descriptor(rule) if rule is not None else _fallback_descriptor(code))

        sources: dict[str, SourceText] = {}

        def source(path: str) -> SourceText:
            if path not in sources:
                sources[path] = SourceText(Path(path), kinds.get(path), result.masker)
            return sources[path]

        results = [self._result(d, sup, index, fps, source, root) for d, sup in shown]

        driver: dict = {"name": "cfglint", "version": opts.version, "semanticVersion": opts.version}
        info = information_uri()
        if info:
            driver["informationUri"] = info
        driver["rules"] = descriptors
        run: dict = {"tool": {"driver": driver}}
        run["automationDetails"] = {"id": self._category(result, opts)}
        run["originalUriBaseIds"] = {"%SRCROOT%": {"uri": root.as_uri().rstrip("/") + "/"}}
        run["invocations"] = [
            {
                "executionSuccessful": not result.internal_error,
                "workingDirectory": {"uri": Path.cwd().as_uri().rstrip("/") + "/"},
            }
        ]
        run["columnKind"] = "utf16CodeUnits"
        run["results"] = results
        return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}

    def _category(self, result: RunResult, opts: ReportOptions) -> str:
        if opts.category:
            cat = opts.category.strip()
            return cat if cat.endswith("/") else cat + "/"
        families = sorted({f.kind for f in result.files if f.linted and f.kind})
        return f"cfglint/{families[0]}/" if len(families) == 1 else "cfglint/"

    def _location(self, path: str, line: int, column: int, end_line: int | None, end_column: int | None,
                  src: SourceText, root: Path) -> dict:
        uri, relative = _uri(path, root)
        artifact = {"uri": uri}
        if relative:
            artifact["uriBaseId"] = "%SRCROOT%"
        line = max(1, line)
        start_col = src.utf16_column(line, max(1, column))
        if end_line is None or end_line < line:
            end_line = line
        end_col = src.utf16_column(end_line, max(1, end_column or 1))
        if end_line == line and end_col <= start_col:
            # No extent given: the rest of the line (at least the character at the column).
            end_col = max(start_col, src.line_length_utf16(line) + 1)
        region = {"startLine": line, "startColumn": start_col, "endLine": end_line, "endColumn": end_col}
        return {"physicalLocation": {"artifactLocation": artifact, "region": region}}

    def _result(self, d: Diagnostic, sup: dict | None, index: dict, fps: dict, source, root: Path) -> dict:
        src = source(d.path)
        message = d.message or d.code
        related = []
        if d.related:
            links = []
            for i, r in enumerate(d.related, 1):
                loc = self._location(r.span.path, r.span.line, r.span.column, r.span.end_line, r.span.end_column,
                                     source(r.span.path), root)
                loc["id"] = i
                text = r.message or f"{r.span.path}:{r.span.line}"
                loc["message"] = {"text": text}
                related.append(loc)
                links.append(f"[{_escape_links(text)}]({i})")
            message = f"{_escape_links(message)} (related: {'; '.join(links)})"
        res: dict = {
            "ruleId": d.code,
            "ruleIndex": index[d.code],
            "level": LEVEL[d.severity.value],
            "message": {"text": message},
            "locations": [self._location(d.path, d.line, d.column, d.end_line, d.end_column, src, root)],
        }
        partial = {}
        line_hash = src.line_hash(max(1, d.line))
        if line_hash:
            partial["primaryLocationLineHash"] = line_hash
        partial["cfglint/v1"] = fps[id(d)]
        res["partialFingerprints"] = partial
        if related:
            res["relatedLocations"] = related
        if sup is not None:
            res["suppressions"] = [sup]
        return res
