"""DAV016: `davmail.url` does not fit `davmail.mode`."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

from cfglint.api import Diagnostic, FileContext, Related, Severity
from cfglint.models.davmail import DavmailProperties
from cfglint.rules.davmail._common import DavmailRule

from .dav015_unknown_mode import auth_sets

# Legacy O365 modes pick their own authenticator; `O365` forces the Office 365 URL.
LEGACY_O365_MODES = ("O365Modern", "O365Interactive", "O365Manual", "O365DeviceCode", "O365")
O365_MODES = ("O365EWS", "O365Graph")
WEBDAV_MODES = ("ExchangeWebDav", "WebDav")
EWS_SUFFIXES = ("/ews/exchange.asmx", "/ews/services.wsdl")


def url_host(url: str) -> str | None:
    try:
        host = urlsplit(url.strip()).hostname
    except ValueError:
        return None
    return host.lower().rstrip(".") if host else None


def is_exchange_online_host(host: str) -> bool:
    """outlook.office365.<tld> (com, us, ...) or outlook.office.com."""
    return host.startswith("outlook.office365.") or host == "outlook.office.com"


class ModeUrlMismatch(DavmailRule):
    """`davmail.url` does not fit `davmail.mode`: the URL is ignored, or cannot work with that mode.

    ## What it does
    Flags three combinations:

    - an Office 365 mode that logs in through an O365 authenticator (`O365EWS`/`O365Graph`
      with `davmail.authentication` set, or a legacy `O365*` mode) while `davmail.url` points
      at a host other than `outlook.office365.*` / `outlook.office.com`, and neither
      `davmail.outlookUrl` nor `davmail.tld` is set: the URL is ignored;
    - `ExchangeWebDav` (or legacy `WebDav`) mode with an Exchange Online URL that is not an EWS
      endpoint: Exchange Online has no WebDav (error);
    - `ExchangeEWS` mode with a URL that does not end in `/EWS/Exchange.asmx`: DavMail first
      logs in through the OWA form at that URL (info).

    ## Why is this bad?
    The O365 authenticators build their endpoint from `davmail.outlookUrl`/`davmail.tld`
    (default `https://outlook.office365.com`) and never read `davmail.url`, so an on-premises
    URL there does nothing and the gateway talks to Exchange Online instead. WebDav was
    removed from Exchange 2013 and was never offered by Exchange Online. In `ExchangeEWS` mode,
    only a URL ending in `/ews/exchange.asmx` (or `/ews/services.wsdl`) gives direct EWS; any
    other URL means OWA form login first, which fails where form login is disabled ("EWS
    endpoint not available").

    ## Example
    ```properties
    davmail.mode=O365EWS
    davmail.authentication=O365DeviceCode
    davmail.url=https://mail.example.com/EWS/Exchange.asmx
    ```

    ## Use instead
    ```properties
    davmail.mode=ExchangeEWS
    davmail.url=https://mail.example.com/EWS/Exchange.asmx
    ```

    ## Fix
    For Office 365 set `davmail.url=https://outlook.office365.com/EWS/Exchange.asmx` (or
    `davmail.outlookUrl` for national clouds); for on-premises Exchange use `ExchangeEWS` with
    the `/EWS/Exchange.asmx` endpoint.

    ## References
    - DavMail `ExchangeSessionFactory`, `O365Authenticator.getO365Url()`; DavMail FAQ
      ("EWS endpoint not available")
    """

    code = "DAV016"
    name = "mode-url-mismatch"
    severity = Severity.WARNING
    tags = ("davmail", "correctness")

    def check(self, model: DavmailProperties, ctx: FileContext) -> Iterator[Diagnostic]:
        mode, url = model.setting("davmail.mode"), model.setting("davmail.url")
        if mode.empty or url.empty or mode.entry is None or url.entry is None:
            return
        value = url.raw or ""
        host = url_host(value)
        lower = value.strip().lower()
        mode_rel = [Related(mode.entry.span, f"davmail.mode={mode.raw}")]

        if self.uses_o365_authenticator(model, mode.raw or ""):
            if host is None or is_exchange_online_host(host):
                return
            if not model.setting("davmail.outlookUrl").empty or not model.setting("davmail.tld").empty:
                return
            yield self.diagnostic(
                url.entry.value_span,
                (
                    "davmail.mode=O365 forces the Office 365 URL and ignores davmail.url"
                    if mode.raw == "O365"
                    else f"davmail.mode={mode.raw} logs in through an O365 authenticator, which ignores davmail.url"
                )
                + f": DavMail connects to https://outlook.office365.com, not to {host}",
                related=mode_rel,
                fix_title="For Office 365 use https://outlook.office365.com/EWS/Exchange.asmx (davmail.outlookUrl for "
                "national clouds); for on-premises Exchange use davmail.mode=ExchangeEWS",
                anchor="davmail.url",
            )
        elif mode.raw in WEBDAV_MODES:
            if host is None or not is_exchange_online_host(host) or lower.endswith(EWS_SUFFIXES):
                return
            yield self.diagnostic(
                url.entry.value_span,
                f"davmail.mode={mode.raw} with the Exchange Online URL {value.strip()}: Exchange Online offers no "
                "WebDav, so DavMail cannot log in",
                related=mode_rel,
                fix_title="Use davmail.mode=O365EWS with davmail.authentication for Office 365",
                anchor="davmail.url",
                severity=Severity.ERROR,
            )
        elif mode.raw == "ExchangeEWS":
            if lower.endswith(EWS_SUFFIXES):
                return
            yield self.diagnostic(
                url.entry.value_span,
                f"davmail.mode=ExchangeEWS but davmail.url ({value.strip()}) does not end in /EWS/Exchange.asmx: "
                "DavMail logs in through the OWA form at this URL before it uses EWS, which fails where form "
                "login is not available",
                related=mode_rel,
                fix_title="Point davmail.url at the EWS endpoint, https://<server>/EWS/Exchange.asmx",
                anchor="davmail.url",
                severity=Severity.INFO,
            )

    @staticmethod
    def uses_o365_authenticator(model: DavmailProperties, mode: str) -> bool:
        if not model.setting("davmail.authenticator").empty:
            return False  # a custom authenticator class: unknown behaviour
        if mode in LEGACY_O365_MODES:
            return True
        if mode in O365_MODES:
            auth = model.setting("davmail.authentication")
            # Without davmail.authentication DavMail uses plain EWS against davmail.url.
            current, legacy = auth_sets()
            return not auth.empty and (auth.raw in current or auth.raw in LEGACY_O365_MODES)
        return False
