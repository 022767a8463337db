"""DAV020: the file ends inside a continuation line."""

from __future__ import annotations

from collections.abc import Iterator

from cfglint.api import Diagnostic, FileContext, Severity, shown
from cfglint.models.davmail import DavmailProperties, is_secret_key
from cfglint.rules.davmail._common import DavmailRule


class TruncatedContinuation(DavmailRule):
    r"""The last line ends with a continuation backslash, so the file ends in the middle of a value.

    ## What it does
    Flags a `.properties` file whose last logical line ends with an odd number of backslashes:
    the line announces a continuation that never comes.

    ## Why is this bad?
    Either the file was cut short (a failed copy, a full disk, an editor crash) and the settings
    after that point are missing, or the value really ends with a backslash, which Java drops
    (`C:\dir\` reads as `C:dir`). In both cases DavMail runs with something other than what the
    file seems to say.

    ## Example
    ```properties
    davmail.imapPort=1143
    davmail.logFilePath=/var/log/davmail/\
    ```

    ## Use instead
    ```properties
    davmail.imapPort=1143
    davmail.logFilePath=/var/log/davmail/davmail.log
    ```

    ## Fix
    Restore the rest of the file from its source, or double the final backslash (`\\`) when the
    value is meant to end with one.

    ## References
    - JDK `java.util.Properties.load` (`LineReader.readLine`: a dangling backslash at end of input
      is dropped)
    """

    code = "DAV020"
    name = "truncated-continuation"
    severity = Severity.WARNING
    tags = ("davmail", "correctness", "input")

    def check(self, model: DavmailProperties, ctx: FileContext) -> Iterator[Diagnostic]:
        if not model.truncated or not model.entries:
            return
        last = model.entries[-1]
        what = "its value" if is_secret_key(last.key) else f"value {shown(last.value)}"
        yield self.diagnostic(
            last.span,
            f"the file ends inside a continuation of `{last.key}`: the final backslash announces a next "
            f"line that does not exist; Java drops it and keeps {what}. Was the file truncated?",
            fix_title="Restore the end of the file, or write `\\\\` if the value must end with a backslash",
            anchor=last.key,
        )
