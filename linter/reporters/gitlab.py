"""GitLab Code Quality (a Code Climate subset): a JSON array of issues with `description`,
`check_name`, `fingerprint`, `severity` and `location.path` + `location.lines.begin`.

The fingerprint is the structural fingerprint (rule, repo-relative path, anchor, occurrence; see
cfglint.fingerprints): unique within a report, and stable when lines move, so the merge request
widget shows only what really changed. Severities:

| cfglint | GitLab | rule tagged `security` |
|---|---|---|
| error | critical | blocker |
| warning | major | critical |
| info | info | minor |
"""

from __future__ import annotations

import json

from cfglint.reporters import Reporter, ReportOptions
from cfglint.reporters._ci import fingerprints, is_security, repo_path, root_of, rule_for
from cfglint.runner import RunResult

SEVERITY = {"error": "critical", "warning": "major", "info": "info"}
SECURITY_SEVERITY = {"error": "blocker", "warning": "critical", "info": "minor"}


class GitlabReporter(Reporter):
    name = "gitlab"
    machine = True

    def render(self, result: RunResult, opts: ReportOptions) -> str:
        root = root_of(opts)
        everything = list(result.diagnostics) + list(result.suppressed) + list(opts.baseline_hidden)
        fps = fingerprints(everything, root)
        issues = []
        for d in sorted(result.diagnostics, key=lambda d: d.sort_key()):
            rule = rule_for(d.code)
            security = is_security(rule)
            sev = (SECURITY_SEVERITY if security else SEVERITY)[d.severity.value]
            issues.append(
                {
                    "type": "issue",
                    "check_name": f"{d.code} {d.name}",
                    "description": f"{d.code}: {d.message}",
                    "categories": ["Security"] if security else ["Bug Risk"],
                    "fingerprint": fps[id(d)],
                    "severity": sev,
                    "location": {
                        "path": repo_path(d.path, root),
                        "lines": {"begin": d.line, "end": max(d.line, d.end_line)},
                    },
                }
            )
        return json.dumps(issues, indent=2, ensure_ascii=False) + "\n"
