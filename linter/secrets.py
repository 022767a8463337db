"""Secrets never leave the process: every string that reaches a reporter goes through a Masker."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # only for annotations: importing it would load pydantic at start-up
    from cfglint.api import Span

MASK = "****"
# Shorter secrets are masked by position (in snippets) but not replaced in free text, where a
# one- or two-character value would garble every message.
MIN_TEXT_SECRET = 3


class Masker:
    def __init__(self, secrets: Iterable[str] = ()):
        self._secrets: set[str] = set()
        self._re: re.Pattern[str] | None = None
        self.add(secrets)

    def add(self, secrets: Iterable[str]) -> None:
        new = {s for s in secrets if s and len(s) >= MIN_TEXT_SECRET} - self._secrets
        # Also the stripped form: a value with a trailing blank may be quoted without it.
        new |= {s.strip() for s in new if len(s.strip()) >= MIN_TEXT_SECRET}
        if new:
            self._secrets |= new
            self._re = None  # compiled on first use: a run adds the secrets of every file first

    def _pattern(self) -> re.Pattern[str] | None:
        if self._re is None and self._secrets:
            alts = sorted(self._secrets, key=len, reverse=True)
            self._re = re.compile("|".join(re.escape(s) for s in alts))
        return self._re

    def __bool__(self) -> bool:
        return bool(self._secrets)

    def text(self, s: str | None) -> str | None:
        pattern = self._pattern() if s else None
        if pattern is None:
            return s
        return pattern.sub(MASK, s)


def mask_lines(lines: list[str], spans: Iterable[Span]) -> list[str]:
    """Replace the text covered by secret spans with a fixed mask (the length is not leaked)."""
    out = list(lines)
    for sp in sorted(spans, key=lambda s: (s.line, s.column), reverse=True):
        first, last = sp.line, sp.last_line
        for n in range(first, last + 1):
            if n < 1 or n > len(out):
                continue
            line = out[n - 1]
            start = sp.column - 1 if n == first else len(line) - len(line.lstrip())
            end = (sp.end_column - 1) if (n == last and sp.end_column is not None) else len(line)
            start = max(0, min(start, len(line)))
            end = max(start, min(end, len(line)))
            if end > start:
                out[n - 1] = line[:start] + MASK + line[end:]
    return out
