"""DAV015: a `davmail.mode` or `davmail.authentication` value DavMail does not know."""

from __future__ import annotations

from collections.abc import Iterator

from cfglint.api import Diagnostic, FileContext, Related, Severity, shown
from cfglint.models.davmail import KEYS, DavmailProperties, Setting
from cfglint.rules.davmail._common import DavmailRule

from .dav014_legacy_setting import mode_sets

CURRENT_AUTHENTICATIONS = ("O365Interactive", "O365Manual", "O365DeviceCode", "O365Transparent")


def auth_sets() -> tuple[tuple[str, ...], tuple[str, ...]]:
    spec = KEYS.get("davmail.authentication")
    current = spec.choices if spec is not None and spec.choices else CURRENT_AUTHENTICATIONS
    legacy = spec.legacy_choices if spec is not None and spec.legacy_choices else ()
    return tuple(current), tuple(legacy)


def _near(value: str, choices: tuple[str, ...]) -> str | None:
    """A choice equal to `value` once case and surrounding blanks are ignored."""
    folded = value.strip().lower()
    for c in choices:
        if c.lower() == folded:
            return c
    return None


def _blank_note(value: str) -> str:
    return " (the trailing blank is part of the value)" if value != value.rstrip(" \t\f") else ""


class UnknownMode(DavmailRule):
    """`davmail.mode` (or `davmail.authentication`) holds a value DavMail does not recognize.

    ## What it does
    Flags a `davmail.mode` that is neither a current mode (`O365EWS`, `O365Graph`,
    `ExchangeEWS`, `ExchangeWebDav`) nor a legacy one DavMail still accepts (`O365Modern`,
    `O365Interactive`, `O365Manual`, `O365DeviceCode`, `O365`, `EWS`, `WebDav`, `Auto`), for
    example `OWA`, `o365ews` (wrong case) or `O365EWS ` (trailing blank). Also flags a
    `davmail.authentication` outside `O365Interactive`, `O365Manual`, `O365DeviceCode`,
    `O365Transparent`, when DavMail consults it (an `O365*` mode and no
    `davmail.authenticator`).

    ## Why is this bad?
    DavMail compares the mode with exact string equality. An unknown value matches none of the
    branches of `ExchangeSessionFactory` and falls through to the WebDav path: OWA form login
    then WebDav, which Exchange 2013 and later no longer offer, and no OAuth login for Office
    365 (plain EWS only when `davmail.url` ends in `/ews/exchange.asmx`). The resulting errors
    do not mention the mode. An unknown authentication name selects no O365 authenticator.

    ## Example
    ```properties
    davmail.mode=OWA
    ```

    ## Use instead
    ```properties
    davmail.mode=ExchangeEWS
    ```

    ## Fix
    Use one of the listed values, spelled exactly (mode names are case-sensitive).

    ## References
    - DavMail `ExchangeSessionFactory` (mode dispatch), `Settings.java` (mode constants)
    """

    code = "DAV015"
    name = "unknown-mode"
    severity = Severity.ERROR
    tags = ("davmail", "correctness")

    def check(self, model: DavmailProperties, ctx: FileContext) -> Iterator[Diagnostic]:
        mode = model.setting("davmail.mode")
        current, legacy = mode_sets()
        if not mode.empty and mode.raw not in current and mode.raw not in legacy:
            yield self._mode_diagnostic(mode, current, legacy)

        auth = model.setting("davmail.authentication")
        if auth.empty or auth.entry is None:
            return
        # Only consulted for an O365* mode without a custom authenticator class.
        mode_value = mode.raw or ""
        known_mode = mode_value in current or mode_value in legacy
        if not known_mode or not mode_value.startswith("O365") or not model.setting("davmail.authenticator").empty:
            return
        a_current, a_legacy = auth_sets()
        # A legacy O365 mode name may still be matched by the authenticator lookup: do not guess.
        accepted = set(a_current) | set(a_legacy) | {m for m in legacy if m.startswith("O365")}
        if auth.raw in accepted:
            return
        hint = _near(auth.raw or "", tuple(a_current))
        did = f"; did you mean `{hint}`?" if hint else ""
        assert mode.entry is not None
        yield self.diagnostic(
            auth.entry.value_span,
            f"`davmail.authentication` is {shown(auth.raw)}{_blank_note(auth.raw or '')}, which is not an authentication "
            f"DavMail knows ({', '.join(a_current)}): no O365 authenticator matches it{did}",
            related=[Related(mode.entry.span, f"davmail.mode={mode.raw} consults davmail.authentication")],
            fix_title="Set `davmail.authentication` to one of " + ", ".join(a_current),
            anchor="davmail.authentication",
        )

    def _mode_diagnostic(self, mode: Setting, current: tuple[str, ...], legacy: tuple[str, ...]) -> Diagnostic:
        value = mode.raw or ""
        hint = _near(value, current + legacy)
        if hint and hint == value.strip():
            did = f"; did you mean `{hint}`? (remove the trailing blank)"
        elif hint:
            did = f"; did you mean `{hint}`? (mode names are case-sensitive)"
        else:
            did = ""
        assert mode.entry is not None
        return self.diagnostic(
            mode.entry.value_span,
            f"`davmail.mode` is {shown(value)}{_blank_note(value)}, which is not a mode DavMail knows: it falls through "
            "to the WebDav path (OWA form login, then WebDav, which Exchange 2013 and later no longer offer, and "
            f"no O365 login); only a davmail.url ending in /ews/exchange.asmx switches it to plain EWS{did}",
            fix_title="Use one of " + ", ".join(current),
            anchor="davmail.mode",
        )
