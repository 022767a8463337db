"""Secrets never leave the process: every string that reaches a reporter goes through a Masker."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # only for annotations: the models load on first use
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
            self._re = re.compile(trie_pattern(self._secrets))
        return self._re

    def __bool__(self) -> bool:
        return bool(self._secrets)

    def without_partial_tail(self, text: str) -> str:
        """`text` without its longest tail that is a proper beginning of one of the secrets: what a
        cut through a secret leaves, which `text()` cannot see (it needs the whole value)."""
        cut = 0
        for s in self._secrets:
            for k in range(min(len(s) - 1, len(text)), cut, -1):
                if text.endswith(s[:k]):
                    cut = k
                    break
        return text[: len(text) - cut] if cut else text

    def text(self, s: str | None) -> str | None:
        pattern = self._pattern() if s else None
        if pattern is None:
            return s
        return pattern.sub(MASK, s)


def trie_pattern(strings: Iterable[str]) -> str:
    """A regular expression matching any of `strings`, the longest one where several match at the
    same place: the same matches as `"|".join(longest first)`, but shaped as a prefix tree, so the
    engine tries a handful of branches per position instead of every string (a fleet has thousands
    of secrets: the flat alternation made masking quadratic)."""
    trie: dict = {}
    for word in strings:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = True

    def build(node: dict) -> str:
        end = "" in node
        branches = []
        for ch in sorted(k for k in node if k):
            child = node[ch]
            text = ch
            while len(child) == 1 and "" not in child:  # a chain: one literal, no group
                (nxt,) = child
                text += nxt
                child = child[nxt]
            rest = build(child) if len(child) > 1 or "" not in child else ""
            branches.append(re.escape(text) + rest)
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if end:  # a word ends here: try the longer ones first (greedy), else stop here
            return (body if len(branches) == 1 and len(branches[0]) == 1 else "(?:" + body + ")") + "?"
        return body

    return build(trie)


def mask_lines(lines: list[str], spans: Iterable[Span]) -> list[str]:
    """Replace the text covered by secret spans with a fixed mask (the length is not leaked)."""
    out = list(lines)
    by_line: dict[int, list[Span]] = {}
    for sp in spans:
        for n in range(max(sp.line, 1), min(sp.last_line, len(out)) + 1):
            by_line.setdefault(n, []).append(sp)
    for n, mine in by_line.items():
        out[n - 1] = mask_line(out[n - 1], n, mine)
    return out


def mask_line(line: str, n: int, spans: Iterable[Span]) -> str:
    """Line `n` of a file with the parts the secret spans that cover it replaced by the mask."""
    for sp in sorted(spans, key=lambda s: (s.line, s.column), reverse=True):
        first, last = sp.line, sp.last_line
        if not first <= n <= last:
            continue
        start = sp.column - 1 if n == first else len(line) - len(line.lstrip())
        end = (sp.end_column - 1) if (n == last and sp.end_column is not None) else len(line)
        start = max(0, min(start, len(line)))
        end = max(start, min(end, len(line)))
        if end > start:
            line = line[:start] + MASK + line[end:]
    return line
