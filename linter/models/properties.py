"""A java.util.Properties file, exactly as `Properties.load(InputStream)` reads it.

Filled by cfglint.parsers.properties; every occurrence of a key is kept (duplicates: last wins).
"""

from __future__ import annotations

from cfglint.api import Node, SourceModel, Span


class PropEntry(Node):
    """One logical line `key<sep>value` (continuations joined). `span` covers the whole logical line."""

    key: str  # as Java reads it: escapes decoded
    value: str  # as Java reads it: escapes decoded, continuations joined, trailing blanks kept
    raw: str  # the source text of the logical line, physical lines joined with "\n"
    key_span: Span
    value_span: Span  # from the first value character to the end of the logical line
    separator: str  # "=", ":", " " (whitespace only) or "" (bare key)
    continued: bool = False  # the logical line spans several physical lines
    # Set when the entry holds a malformed \uXXXX escape: Properties.load throws
    # IllegalArgumentException and the whole file fails to load.
    malformed_escape: str | None = None


class PropertiesFile(SourceModel):
    kind = "properties"

    entries: list[PropEntry] = []
    bom: bool = False  # file starts with a UTF-8 BOM (becomes part of the first key in Java)
    line_endings: list[str] = []  # the distinct line terminators seen: "\n", "\r\n", "\r"
    non_latin1_lines: list[int] = []  # lines whose bytes were not plain ASCII (the file is read as ISO-8859-1)
    truncated: bool = False  # the file ends inside a continuation (a trailing backslash on the last line)

    def occurrences(self, key: str) -> list[PropEntry]:
        return [e for e in self.entries if e.key == key]

    def last(self, key: str) -> PropEntry | None:
        for e in reversed(self.entries):
            if e.key == key:
                return e
        return None

    def effective(self) -> dict[str, PropEntry]:
        """Key -> the entry Java keeps (the last occurrence)."""
        out: dict[str, PropEntry] = {}
        for e in self.entries:
            out[e.key] = e
        return out
