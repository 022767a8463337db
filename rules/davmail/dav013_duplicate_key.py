"""DAV013: a key set more than once; Java keeps the last value."""

from __future__ import annotations

from collections.abc import Iterator

from cfglint.api import Diagnostic, FileContext, Related, Severity
from cfglint.models.davmail import DavmailProperties, is_secret_key
from cfglint.models.properties import PropEntry
from cfglint.rules.davmail._common import DavmailRule


def _shown(entry: PropEntry) -> str:
    if is_secret_key(entry.key) and entry.value:
        return "****"
    return repr(entry.value)


class DuplicateKey(DavmailRule):
    """A key is set more than once: only the last value counts, the earlier lines are dead.

    ## What it does
    Flags a key that appears on several lines. The finding sits on the last occurrence, the one
    Java keeps, and points at the earlier ones; it says whether their values differ.

    ## Why is this bad?
    `Properties.load` stores each line with `Hashtable.put`, so a later line silently replaces
    an earlier one. Someone who edits the first occurrence (often the one near the top, next
    to its comment) sees no effect. Duplicates also appear by themselves: DavMail's own writer
    only recognizes `key=value` lines, so when it saves a setting written as `key value` or
    `key: value` it appends the key again at the end of the file.

    ## Example
    ```properties
    davmail.imapPort=1143
    davmail.imapPort=143
    ```

    ## Use instead
    ```properties
    davmail.imapPort=1143
    ```

    ## Fix
    Keep one line per key, with the value you want, and delete the others.

    ## References
    - JDK `java.util.Properties.load` (`Hashtable.put`: the last occurrence wins)
    - DavMail `Settings.save()` / `convertLine`
    """

    code = "DAV013"
    name = "duplicate-key"
    severity = Severity.WARNING
    tags = ("davmail", "maintainability")

    def check(self, model: DavmailProperties, ctx: FileContext) -> Iterator[Diagnostic]:
        by_key: dict[str, list[PropEntry]] = {}
        for entry in model.entries:
            by_key.setdefault(entry.key, []).append(entry)
        for key, entries in by_key.items():
            if len(entries) < 2:
                continue
            last, earlier = entries[-1], entries[:-1]
            lines = ", ".join(str(e.span.line) for e in earlier)
            plural = "s" if len(earlier) > 1 else ""
            differing = [e for e in earlier if e.value != last.value]
            if not differing:
                outcome = f"the value is the same, so line{plural} {lines} {'are' if plural else 'is'} redundant"
            elif is_secret_key(key):
                where = ", ".join(str(e.span.line) for e in differing)
                many = len(differing) > 1
                outcome = (
                    f"the different earlier value{'s' if many else ''} on line{'s' if many else ''} {where} "
                    f"(masked) {'are' if many else 'is'} ignored"
                )
            else:
                shown = ", ".join(f"{_shown(e)} (line {e.span.line})" for e in differing)
                verb = "are" if len(differing) > 1 else "is"
                outcome = f"the earlier value{'s' if len(differing) > 1 else ''} {shown} {verb} ignored"
            yield self.diagnostic(
                last.key_span,
                f"`{key}` is set {len(entries)} times; Java keeps this last one ({_shown(last)}) and {outcome}",
                related=[Related(e.span, f"earlier `{key}`, ignored") for e in earlier],
                fix_title=f"Keep a single `{key}` line",
                anchor=key,
            )
