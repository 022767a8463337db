"""DAV018: a trailing blank kept in a host, URL, path, enum or log level value."""

from __future__ import annotations

from collections.abc import Iterator

from cfglint.api import Diagnostic, FileContext, Severity, shown
from cfglint.models.davmail import KEYS, DavmailProperties, KeySpec, KeyType
from cfglint.rules.davmail._common import DavmailRule

from .dav016_mode_url_mismatch import ModeUrlMismatch

BLANKS = " \t\f"
CHECKED_TYPES = frozenset({KeyType.HOST, KeyType.URL, KeyType.PATH, KeyType.ENUM, KeyType.LEVEL})
# Reported by other rules: keystore types (DAV003), mode and authentication (DAV015).
EXCLUDED_KEYS = frozenset(
    {
        "davmail.ssl.keystoreType",
        "davmail.ssl.truststoreType",
        "davmail.ssl.clientKeystoreType",
        "davmail.mode",
        "davmail.authentication",
    }
)


def _consequence(key: str, spec: KeySpec) -> str:
    if key == "davmail.bindAddress":
        return "InetAddress.getByName throws UnknownHostException and every listener fails to bind"
    if spec.type is KeyType.HOST:
        return "the host name cannot be resolved"
    if spec.type is KeyType.URL:
        return "it is not a valid URL for java.net.URI (illegal character)"
    if spec.type is KeyType.PATH:
        return "DavMail uses a file whose name ends in a blank, not the one meant"
    if spec.type is KeyType.LEVEL:
        return "log4j's Level.toLevel does not recognize the level and silently uses DEBUG"
    choices = f" ({', '.join(spec.choices)})" if spec.choices else ""
    return f"DavMail compares it exactly and it matches none of the accepted values{choices}"


class ValueTrailingBlank(DavmailRule):
    """A host, URL, path or level value ends in a blank: Java keeps it, so the value names something else.

    ## What it does
    Flags a trailing space, tab or form feed at the end of the value of a host, URL, path,
    enumerated or log-level key, for example `davmail.bindAddress`, `davmail.proxyHost`,
    `davmail.url`, `davmail.logFilePath`, `davmail.ssl.keystoreFile` or `log4j.rootLogger`.
    Booleans (DAV012), numbers and ports (DAV007), keystore types (DAV003) and mode /
    authentication (DAV015) have their own rules; passwords are skipped, a blank may be part of
    one. Values DavMail does not use are skipped too: `davmail.proxyHost` while
    `davmail.enableProxy` is not true, `davmail.url` under an O365 authenticator, legacy keys.

    ## Why is this bad?
    `Properties.load` strips blanks before a value but keeps those after it, and DavMail does
    not trim. `davmail.bindAddress=127.0.0.1 ` makes `InetAddress.getByName` throw
    `UnknownHostException`, so every listener fails to bind; a keystore path with a trailing
    blank names a file that does not exist; `log4j.rootLogger=WARN ` is an unknown level that
    log4j turns into DEBUG. The blank is invisible in most editors.

    ## Example
    ```properties
    davmail.bindAddress=127.0.0.1\x20
    ```

    ## Use instead
    ```properties
    davmail.bindAddress=127.0.0.1
    ```

    ## Fix
    Delete the blanks at the end of the line.

    ## References
    - JDK `java.util.Properties.load` (trailing blanks are kept)
    - DavMail `AbstractServer.bind()` (`InetAddress.getByName(bindAddress)`)
    """

    code = "DAV018"
    name = "value-trailing-blank"
    severity = Severity.WARNING
    tags = ("davmail", "correctness", "whitespace")

    def check(self, model: DavmailProperties, ctx: FileContext) -> Iterator[Diagnostic]:
        effective = model.effective()
        for entry in model.entries:
            if effective.get(entry.key) is not entry:
                continue  # overridden by a later occurrence (DAV013)
            key = entry.key
            spec = KEYS.get(key)
            if spec is None or spec.legacy or key in EXCLUDED_KEYS or spec.type not in CHECKED_TYPES:
                continue
            if not self._in_use(model, key):
                continue
            value = entry.value
            stripped = value.rstrip(BLANKS)
            if not stripped or stripped == value:
                continue
            yield self.diagnostic(
                entry.value_span,
                f"`{key}` is {shown(value)}: Java keeps the trailing blank, so {_consequence(key, spec)}",
                fix_title="Delete the blank at the end of the line",
                anchor=key,
            )

    @staticmethod
    def _in_use(model: DavmailProperties, key: str) -> bool:
        """Skip values DavMail does not use in this configuration: the blank then does no harm."""
        if key == "davmail.proxyHost":
            return model.setting("davmail.enableProxy").as_bool
        if key == "davmail.url":
            # O365 authenticators build their own URL and ignore davmail.url (DAV016).
            return not ModeUrlMismatch.uses_o365_authenticator(model, model.setting("davmail.mode").raw or "")
        return True
