"""JUnit XML: one `<testsuite>` per file, one failing `<testcase>` per finding, one passing
`<testcase>` for a clean file. Built with ElementTree (so every value is escaped), after removing
the characters XML 1.0 cannot carry at all (control characters from a config line)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from cfglint.reporters import Reporter, ReportOptions
from cfglint.reporters._ci import repo_path, root_of
from cfglint.runner import RunResult

_NOT_XML = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _x(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


class JunitReporter(Reporter):
    name = "junit"
    machine = True

    def render(self, result: RunResult, opts: ReportOptions) -> str:
        root = root_of(opts)
        by_path: dict[str, list] = {f.path: [] for f in result.linted_files}
        for d in result.diagnostics:
            by_path.setdefault(d.path, []).append(d)
        suites = ET.Element("testsuites", name="cfglint")
        total = failures = 0
        for path in sorted(by_path):
            diags = by_path[path]
            shown = _x(repo_path(path, root))
            suite = ET.SubElement(
                suites, "testsuite", name=shown, tests=str(max(1, len(diags))), failures=str(len(diags)),
                errors="0", skipped="0", time="0",
            )
            if not diags:
                ET.SubElement(suite, "testcase", name="cfglint", classname=shown, file=shown, time="0")
                total += 1
                continue
            for d in diags:
                case = ET.SubElement(
                    suite, "testcase",
                    name=_x(f"{d.code} ({d.name}) at line {d.line}, column {d.column}"),
                    classname=shown, file=shown, line=str(d.line), time="0",
                )
                body = [f"{shown}:{d.line}:{d.column}: {d.code} [{d.severity.value}] {d.message}"]
                if d.fix_title:
                    body.append(f"help: {d.fix_title}")
                for r in d.related:
                    body.append(f"related: {repo_path(r.span.path, root)}:{r.span.line}:{r.span.column}: {r.message}")
                failure = ET.SubElement(case, "failure", message=_x(d.message), type=_x(f"{d.code} {d.severity.value}"))
                failure.text = _x("\n".join(body))
                total += 1
                failures += 1
        suites.set("tests", str(total))
        suites.set("failures", str(failures))
        suites.set("errors", "0")
        suites.set("time", "0")
        ET.indent(suites)
        return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"
