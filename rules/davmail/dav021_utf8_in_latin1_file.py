"""DAV021: UTF-8 text in a file Java reads as ISO-8859-1."""

from __future__ import annotations

import re
from collections.abc import Iterator

from cfglint.api import Diagnostic, FileContext, Severity
from cfglint.models.davmail import DavmailProperties, is_secret_key
from cfglint.rules.davmail._common import DavmailRule

# A UTF-8 multi-byte sequence (2 to 4 bytes), as Latin-1 characters.
_UTF8_SEQ = re.compile(r"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")


class Utf8InLatin1File(DavmailRule):
    r"""A setting holds UTF-8 bytes, but Java reads `.properties` files as ISO-8859-1.

    ## What it does
    Flags an entry (key or value) containing byte sequences that are UTF-8 encoded characters.
    `Properties.load(InputStream)` decodes every byte as one ISO-8859-1 character, so each
    non-ASCII character typed in a UTF-8 editor becomes two to four wrong characters.

    ## Why is this bad?
    `Jürgen` is read as `JÃ¼rgen`: a user name, a domain, a folder name or a password with an
    accent silently differs from what the file shows, and authentication or matching fails with
    no hint why. Plain Latin-1 bytes (a file saved as ISO-8859-1) are read correctly and are not
    reported.

    ## Example
    ```properties
    davmail.defaultDomain=BÜRO
    ```

    ## Use instead
    ```properties
    davmail.defaultDomain=B\u00dcRO
    ```

    ## Fix
    Write non-ASCII characters as `\uXXXX` escapes (`native2ascii`, or your editor's "escape
    non-ASCII" option), or save the file as ISO-8859-1.

    ## References
    - JDK `java.util.Properties.load(InputStream)`: "the input stream is in ISO 8859-1 character
      encoding"
    """

    code = "DAV021"
    name = "utf8-in-latin1-file"
    severity = Severity.WARNING
    tags = ("davmail", "encoding")

    def check(self, model: DavmailProperties, ctx: FileContext) -> Iterator[Diagnostic]:
        if not model.non_latin1_lines:
            return
        for entry in model.entries:
            m = _UTF8_SEQ.search(entry.raw)
            if m is None:
                continue
            seq = m.group(0)
            if is_secret_key(entry.key) and m.start() >= len(entry.raw) - len(entry.value) - 1:
                detail = "the value holds UTF-8 encoded characters"
            else:
                char = seq.encode("latin-1").decode("utf-8")
                detail = f"{char!r} is written as UTF-8 and Java reads it as {seq!r}"
            yield self.diagnostic(
                entry.span,
                f"`{entry.key}`: {detail} (the file is read as ISO-8859-1), so DavMail sees other "
                "characters than the file shows",
                fix_title="Write the character as a \\uXXXX escape, or save the file as ISO-8859-1",
                anchor=entry.key,
            )
