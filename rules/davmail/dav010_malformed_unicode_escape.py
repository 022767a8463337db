"""DAV010: a malformed `\\uXXXX` escape: `Properties.load` throws and DavMail does not start."""

from __future__ import annotations

import re
from collections.abc import Iterator

from cfglint.api import Diagnostic, FileContext, Severity
from cfglint.models.davmail import DavmailProperties, is_secret_key
from cfglint.models.properties import PropEntry
from cfglint.rules.davmail._common import DavmailRule

_HEX = frozenset("0123456789abcdefABCDEF")
# A Windows drive path (`C:\...`, `D:/...`) or a UNC path (`\\server\share`).
_WINDOWS_PATH_RE = re.compile(r"(^|[\s=:])([A-Za-z]:\\|\\\\[^\\])")


def first_malformed_escape(raw: str) -> str | None:
    """The first `\\u` sequence of `raw` that is not followed by four hex digits, as written.

    Escapes are read left to right the way Java reads them (`\\\\u` is an escaped backslash then a
    plain `u`). Continuation backslashes at line ends are skipped like Java's line reader does.
    """
    i, n = 0, len(raw)
    while i < n:
        if raw[i] != "\\":
            i += 1
            continue
        if i + 1 >= n or raw[i + 1] == "\n":
            i += 2  # a continuation backslash
            continue
        if raw[i + 1] == "u":
            digits = raw[i + 2 : i + 6]
            if not (len(digits) == 4 and all(d in _HEX for d in digits)):
                end = i + 2
                while end < min(n, i + 6) and raw[end] not in "\\\n":
                    end += 1
                return raw[i:end]
            i += 6
            continue
        i += 2
    return None


class MalformedUnicodeEscape(DavmailRule):
    r"""A `\u` in the file is not followed by four hex digits: DavMail fails to load the file and does not start.

    ## What it does
    Flags every entry that holds a `\u` escape without four hexadecimal digits after it, in the
    key or in the value. The usual cause is a Windows path written with single backslashes:
    `C:\users\me\davmail.log` contains `\us`.

    ## Why is this bad?
    `java.util.Properties.load` throws `IllegalArgumentException: Malformed \uxxxx encoding`
    on the first such sequence and the whole file is rejected. DavMail's `Settings.load()` only
    catches `IOException`, so the exception ends startup: no listener is ever opened. Other
    single backslashes in such a path are silently dropped (`C:\Program Files` reads as
    `C:Program Files`), so a path that does not crash is still wrong.

    ## Example
    ```properties
    davmail.logFilePath=C:\users\me\davmail.log
    ```

    ## Use instead
    ```properties
    davmail.logFilePath=C:/users/me/davmail.log
    ```

    ## Fix
    Double every backslash (`C:\\users\\me\\davmail.log`) or use forward slashes, which Java
    accepts on Windows too. A real non-Latin-1 character must be written as `\u` plus exactly
    four hex digits (`\u00e9`).

    ## References
    - JDK `java.util.Properties.load(InputStream)` (`loadConvert`)
    - DavMail `Settings.load()`
    """

    code = "DAV010"
    name = "malformed-unicode-escape"
    severity = Severity.ERROR
    tags = ("davmail", "correctness", "startup")

    def check(self, model: DavmailProperties, ctx: FileContext) -> Iterator[Diagnostic]:
        first = True
        for entry in model.entries:
            if not entry.malformed_escape:
                continue
            yield self.diagnostic(
                entry.span,
                self._message(entry, first),
                fix_title=self._fix_title(entry),
                anchor=entry.key,
            )
            first = False

    @staticmethod
    def _message(entry: PropEntry, first: bool) -> str:
        secret = is_secret_key(entry.key)
        seq = None if secret else first_malformed_escape(entry.raw)
        what = f"`{seq}` is not a valid \\uXXXX escape" if seq else "a `\\u` escape without four hex digits"
        where = "in the value of" if secret else "in"
        cause = (
            "Properties.load throws `IllegalArgumentException: Malformed \\uxxxx encoding` and "
            "DavMail does not start (Settings.load only catches IOException)"
        )
        if not first:
            cause = "the same IllegalArgumentException would follow once the earlier one is fixed"
        return f"{what} {where} `{entry.key}`: {cause}"

    @staticmethod
    def _fix_title(entry: PropEntry) -> str:
        if not is_secret_key(entry.key) and _WINDOWS_PATH_RE.search(entry.raw):
            return "Windows path: double the backslashes (`C:\\\\dir\\\\file`) or use forward slashes (`C:/dir/file`)"
        return "Double the backslash (`\\\\u`) for a literal `\\u`, or write `\\u` plus four hex digits"
