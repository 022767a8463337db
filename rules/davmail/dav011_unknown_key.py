"""DAV011: a `davmail.*` / `log4j.*` key that DavMail never reads."""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from cfglint.api import Diagnostic, FileContext, Severity
from cfglint.models import davmail as dm
from cfglint.models.davmail import DavmailProperties
from cfglint.models.properties import PropEntry
from cfglint.rules.davmail._common import DavmailRule

# The UTF-8 BOM as ISO-8859-1 reads it: it becomes the first three chars of the first key.
BOM_CHARS = "\u00ef\u00bb\u00bf"
NAMESPACES = ("davmail.", "log4j.")


def _ours(key: str) -> bool:
    return key.startswith(NAMESPACES)


def suggest(key: str) -> tuple[str, str] | None:
    """Did-you-mean: (key, how) from a known mistake, a case-insensitive match or a close spelling.

    `how` is "mistake", "case" or "spelling".
    """
    mistakes = getattr(dm, "KNOWN_MISTAKES", {}) or {}
    if key in mistakes:
        meant = mistakes[key]
        return meant, "case" if meant.lower() == key.lower() else "mistake"
    folded = key.lower()
    for k in dm.KEYS:
        if k.lower() == folded:
            return k, "case"
    # `log4j.logger.rootLogger`: the root level is `log4j.rootLogger`.
    if key.startswith("log4j.logger.") and "log4j." + key[len("log4j.logger.") :] in dm.KEYS:
        return "log4j." + key[len("log4j.logger.") :], "spelling"
    known = [k for k, spec in dm.KEYS.items() if not spec.legacy]
    close = difflib.get_close_matches(key, known, n=1, cutoff=0.85)
    return (close[0], "spelling") if close else None


def _is_known(key: str) -> bool:
    fn = getattr(dm, "is_known_key", None)
    if fn is not None:
        return bool(fn(key))
    return key in dm.KEYS or any(p.fullmatch(key) for p in getattr(dm, "DYNAMIC_KEYS", ()))


class UnknownKey(DavmailRule):
    """A `davmail.*` key that DavMail never reads: the setting is silently ignored.

    ## What it does
    Flags keys in the `davmail.` and `log4j.` namespaces that DavMail does not read: misspelled
    or wrongly-cased keys (`davmail.enableKeepalive`, `davmail.logfilepath`), invented ones
    (`davmail.enableOAuth2`, `davmail.useEws`, `davmail.allowedUsers`) and keys of old
    templates. It suggests the key that was probably meant. It also flags a file that starts with
    a UTF-8 byte-order mark: Java reads the file as ISO-8859-1, so the BOM becomes three
    characters (`ï»¿`) at the front of the first key, which DavMail then ignores. Keys outside
    these two namespaces are left alone.

    ## Why is this bad?
    `java.util.Properties` accepts any key and DavMail only looks up the names it knows, with
    exact, case-sensitive matching. A misspelled key produces no warning anywhere: DavMail runs
    with the default for the real key, which is often the opposite of what the file asks for
    (`davmail.enableKeepAlive` is false when absent).

    ## Example
    ```properties
    davmail.enableKeepalive=true
    ```

    ## Use instead
    ```properties
    davmail.enableKeepAlive=true
    ```

    ## Options
    - `extra-keys` (list of strings, default `[]`): further keys to accept, for example keys
      read by a patched DavMail build or by a wrapper script.

    ## Fix
    Rename the key to the suggested one, or delete the line. For the BOM, save the file as
    ISO-8859-1 or "UTF-8 without BOM" (non-ASCII characters belong in `\\uXXXX` escapes).

    ## References
    - DavMail `Settings.java` (every key is read by its exact name)
    - JDK `java.util.Properties.load(InputStream)` (ISO-8859-1)
    """

    code = "DAV011"
    name = "unknown-key"
    severity = Severity.WARNING
    tags = ("davmail", "correctness", "typo")

    def check(self, model: DavmailProperties, ctx: FileContext) -> Iterator[Diagnostic]:
        extra = set(_option_list(ctx.options.get("extra-keys", ())))
        bom_entry = self._bom_entry(model)
        for entry in model.entries:
            if entry is bom_entry:
                yield self._bom_diagnostic(entry, extra)
                continue
            key = entry.key
            if not _ours(key) or key in extra or _is_known(key):
                continue
            yield self._unknown_diagnostic(entry)

    @staticmethod
    def _bom_entry(model: DavmailProperties) -> PropEntry | None:
        if not model.entries:
            return None
        first = model.entries[0]
        if not first.key.startswith(BOM_CHARS) or first.span.line != 1:
            return None
        if not model.bom:
            return None
        return first if _ours(first.key[len(BOM_CHARS) :]) else None

    def _bom_diagnostic(self, entry: PropEntry, extra: set[str]) -> Diagnostic:
        real = entry.key[len(BOM_CHARS) :]
        note = ""
        if real not in extra and not _is_known(real):
            found = suggest(real)
            note = f" (`{real}` itself is not a key DavMail reads either" + (
                f"; did you mean `{found[0]}`?)" if found else ")"
            )
        return self.diagnostic(
            entry.key_span,
            f"the file starts with a UTF-8 byte-order mark: Java reads it as ISO-8859-1, so the first key is "
            f"`{BOM_CHARS}{real}`, not `{real}`, and DavMail ignores this setting{note}",
            fix_title="Save the file without a BOM (ISO-8859-1 or UTF-8 without BOM)",
            anchor=real,
        )

    def _unknown_diagnostic(self, entry: PropEntry) -> Diagnostic:
        key = entry.key
        found = suggest(key)
        if found is None:
            message = f"DavMail never reads `{key}`, so this setting is ignored"
            fix = "Delete the line, or check the key name against DavMail's documentation"
        else:
            hint, how = found
            fix = f"Rename the key to `{hint}`" if how != "mistake" else f"Use `{hint}` instead"
            if how == "case":
                message = (
                    f"`{key}` differs only in case from `{hint}` and keys are case-sensitive: "
                    "DavMail never reads this one, so the setting is ignored"
                )
            elif how == "mistake":
                message = (
                    f"DavMail never reads `{key}`, so this setting is ignored; "
                    f"the key DavMail reads for this is `{hint}`"
                )
            else:
                message = f"DavMail never reads `{key}`, so this setting is ignored (did you mean `{hint}`?)"
        return self.diagnostic(entry.key_span, message, fix_title=fix, anchor=key)


def _option_list(value: object) -> list[str]:
    """The `extra-keys` option: a list of key names (a single string is accepted too)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, (list, tuple, set, frozenset)) and all(isinstance(v, str) for v in value):
        return list(value)
    raise TypeError(f"DAV011 option extra-keys must be a list of strings, got {value!r}")
