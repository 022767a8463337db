"""DAV012: a boolean setting whose value Java's `Boolean.parseBoolean` reads as false."""

from __future__ import annotations

import re
from collections.abc import Iterator

from cfglint.api import Diagnostic, Edit, FileContext, Severity, shown
from cfglint.models.davmail import KEYS, DavmailProperties, KeySpec, KeyType
from cfglint.rules.davmail._common import DavmailRule

# Values that plainly say "false" another way: Java reads them as false, which is what they say.
_FALSE_WORDS = frozenset({"false", "no", "n", "off", "0", "disable", "disabled"})
_FIRST_WORD_RE = re.compile(r"[^\s#!;]*")


_LEADING_BLANKS_RE = re.compile(r"\s*")
_LONGEST_FALSE_WORD = max(map(len, _FALSE_WORDS))


def _intends_false(value: str) -> bool:
    # Offsets, not copies: the first word of a 30 MB value is not copied (nor lowered) to be compared.
    start = _LEADING_BLANKS_RE.match(value).end()  # type: ignore[union-attr]
    first = _FIRST_WORD_RE.match(value, start)
    if first is None or first.end() - start > _LONGEST_FALSE_WORD:
        return False
    return first.group().lower() in _FALSE_WORDS


def _describe(spec: KeySpec | None) -> str:
    if spec is None:
        return ""
    parts = []
    if spec.meaning:
        parts.append(spec.meaning.rstrip("."))
    if isinstance(spec.absent, bool):
        parts.append(f"default when absent: {'true' if spec.absent else 'false'}")
    return f" [{'; '.join(parts)}]" if parts else ""


_COMMENTED_RE = re.compile(r"^(true|false)[ \t\f]+#[ \t\f]*(.*?)[ \t\f]*$", re.I)
_TRAILING_RE = re.compile(r"^(true|false)[ \t\f]+$", re.I)


def _fix(entry) -> tuple[Edit, ...]:
    """The certain cases: `true # note` (the comment moves to its own line above) and `true `
    (trailing blanks removed). Only where the value is written as read: one physical line, no
    escapes (the source text ends with the value, the span is exactly as wide)."""
    value, vs = entry.value, entry.value_span
    if entry.continued or vs.end_line not in (None, vs.line) or vs.end_column is None:
        return ()
    if vs.end_column - vs.column != len(value) or not entry.raw.endswith(value) or "\\" in entry.raw:
        return ()
    m = _COMMENTED_RE.match(value)
    if m:
        return (
            Edit.insert(vs.path, entry.span.line, 1, f"# {m.group(2)}\n" if m.group(2) else "#\n"),
            Edit.of(vs, m.group(1)),
        )
    m = _TRAILING_RE.match(value)
    if m:
        return (Edit.of(vs, m.group(1)),)
    return ()


class BooleanReadsFalse(DavmailRule):
    """A boolean setting holds something other than `true`/`false`, and DavMail reads it as false.

    ## What it does
    Flags boolean keys whose value is not, ignoring case, exactly `true` or `false`: `yes`, `1`,
    `on`, `true ` with a trailing blank, or `true # note` (a `.properties` file has no inline
    comments, so the comment is part of the value). Values that spell false another way (`no`,
    `0`, `off`, `false # note`) are not reported: Java reads them as false, as they say.

    ## Why is this bad?
    DavMail reads booleans with `Boolean.parseBoolean`, which returns true only for the string
    `true` in any case, with no trimming. Everything else is false, without a log line. A file
    that says `davmail.allowRemote=true # for Docker` therefore refuses every remote client,
    and `davmail.enableKeepAlive=yes` leaves keep-alive off.

    ## Example
    ```properties
    davmail.allowRemote=true # needed in Docker
    ```

    ## Use instead
    ```properties
    # needed in Docker
    davmail.allowRemote=true
    ```

    ## Fix
    Write exactly `true` or `false` alone after the separator; move comments to their own line
    and remove trailing blanks. The fix is automatic under `--fix` for `true # note` (the
    comment moves to its own line above) and `true ` (trailing blanks removed); `yes`, `1`, `on`
    are left to you.

    ## References
    - DavMail `Settings.getBooleanProperty`; JDK `Boolean.parseBoolean`
    """

    code = "DAV012"
    name = "boolean-reads-false"
    severity = Severity.WARNING
    tags = ("davmail", "correctness")

    def check(self, model: DavmailProperties, ctx: FileContext) -> Iterator[Diagnostic]:
        effective = model.effective()
        for entry in model.entries:
            if effective.get(entry.key) is not entry:
                continue  # an earlier occurrence: Java keeps the last one (DAV013)
            spec = KEYS.get(entry.key)
            if spec is None or spec.type is not KeyType.BOOL:
                continue
            value = entry.value
            if value == "" or (len(value) <= 5 and value.lower() in ("true", "false")) or _intends_false(value):
                continue
            yield self.diagnostic(
                entry.value_span,
                f"`{entry.key}` is {shown(value)}, which Boolean.parseBoolean reads as false, so DavMail runs "
                f"with `{entry.key}=false`{_describe(spec)}",
                fix_title="Write exactly `true` or `false`, with comments on their own line and no trailing blank",
                anchor=entry.key,
                fixes=_fix(entry),
            )
