"""DAV017: server mode with an O365 login that needs a desktop or a console."""

from __future__ import annotations

from collections.abc import Iterator

from cfglint.api import Diagnostic, FileContext, Related, Severity
from cfglint.models.davmail import DavmailProperties
from cfglint.models.properties import PropEntry
from cfglint.rules.davmail._common import DavmailRule

from .dav014_legacy_setting import mode_sets


def effective_authentication(model: DavmailProperties) -> tuple[str, PropEntry] | None:
    """The O365 authentication DavMail selects, with the entry that selects it.

    `davmail.authentication` is consulted when the mode starts with `O365` and no custom
    `davmail.authenticator` is set; when it is empty the mode name itself is used (legacy modes).
    """
    mode = model.setting("davmail.mode")
    current, legacy = mode_sets()
    if mode.empty or mode.entry is None or not (mode.raw or "").startswith("O365"):
        return None
    if mode.raw not in current and mode.raw not in legacy:
        return None  # an unknown mode falls through to the WebDav path (DAV015)
    if not model.setting("davmail.authenticator").empty:
        return None
    auth = model.setting("davmail.authentication")
    if not auth.empty and auth.entry is not None:
        return auth.raw or "", auth.entry
    return mode.raw or "", mode.entry


class InteractiveAuthHeadless(DavmailRule):
    """Server mode with `O365Interactive` login: DavMail cannot open the login window and fails.

    ## What it does
    Flags `davmail.server=true` (as Java reads it) together with
    `davmail.authentication=O365Interactive` under an `O365*` mode, or the legacy
    `davmail.mode=O365Interactive`. Also flags `O365Manual` in server mode, as a warning.

    ## Why is this bad?
    `O365Interactive` opens an embedded browser (OpenJFX/SWT) for the Microsoft login. In server
    mode, which is how DavMail runs under systemd and in containers, there is no window, and
    DavMail fails with `O365Interactive not supported in headless mode` as soon as it needs a
    new token: clients get authentication errors. `O365Manual` in server mode prints the login
    URL and reads the redirected URL from standard input, which nobody can type into under
    systemd or Docker.

    ## Example
    ```properties
    davmail.server=true
    davmail.mode=O365EWS
    davmail.authentication=O365Interactive
    ```

    ## Use instead
    ```properties
    davmail.server=true
    davmail.mode=O365EWS
    davmail.authentication=O365DeviceCode
    ```

    ## Fix
    Use `O365DeviceCode` (the login code is shown in the log), or obtain a refresh token once
    with `davmail -token` on a desktop and keep it (`davmail.oauth.persistToken`,
    `davmail.oauth.tokenFilePath`).

    ## References
    - https://github.com/kran0/davmail-docker/issues/11
    - https://github.com/mguessan/davmail/issues/48 , https://github.com/mguessan/davmail/issues/233
    """

    code = "DAV017"
    name = "interactive-auth-headless"
    severity = Severity.ERROR
    tags = ("davmail", "correctness", "o365")

    def check(self, model: DavmailProperties, ctx: FileContext) -> Iterator[Diagnostic]:
        server = model.setting("davmail.server")
        if not server.as_bool or server.entry is None:
            return
        selected = effective_authentication(model)
        if selected is None:
            return
        method, entry = selected
        related = [Related(server.entry.span, "server mode is on here")]
        if method == "O365Interactive":
            yield self.diagnostic(
                entry.value_span,
                f"server mode with {entry.key}=O365Interactive: there is no login window in server mode, so DavMail "
                "fails with 'O365Interactive not supported in headless mode' whenever it needs a new token",
                related=related,
                fix_title="Use davmail.authentication=O365DeviceCode, or get a refresh token once with "
                "`davmail -token`",
                anchor=entry.key,
            )
        elif method == "O365Manual":
            yield self.diagnostic(
                entry.value_span,
                f"server mode with {entry.key}=O365Manual: DavMail prints the login URL and reads the redirected URL "
                "from standard input, which no one can answer under systemd or in a container",
                related=related,
                fix_title="Use davmail.authentication=O365DeviceCode unless DavMail runs on an attended console",
                anchor=entry.key,
                severity=Severity.WARNING,
            )
