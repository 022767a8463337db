"""Expected-finding annotations in rule fixtures.

`# expect: CODE[, CODE]` (or `!` in ASA files) marks the next line that is not an annotation;
`# expect@N: CODE` marks line N. The harness compares the multiset of (code, line) exactly.
"""

from __future__ import annotations

import re
from collections import Counter

ANNOT_RE = re.compile(r"^\s*[#!]\s*expect(?:@(\d+))?\s*:\s*(.+?)\s*$")


def expected_findings(text: str) -> Counter[tuple[str, int]]:
    lines = text.splitlines()
    out: Counter[tuple[str, int]] = Counter()
    pending: list[str] = []
    for i, line in enumerate(lines, 1):
        m = ANNOT_RE.match(line)
        if m:
            codes = [c.strip() for c in m.group(2).split(",") if c.strip()]
            if m.group(1):
                for c in codes:
                    out[(c, int(m.group(1)))] += 1
            else:
                pending.extend(codes)
            continue
        for c in pending:
            out[(c, i)] += 1
        pending = []
    if pending:
        raise ValueError(f"annotation(s) {pending} at end of file mark no line")
    return out
