"""DAV014: a setting of an older DavMail: `davmail.enableEws`, or a pre-6.8 `davmail.mode` value."""

from __future__ import annotations

from collections.abc import Iterator

from cfglint.api import Diagnostic, FileContext, Related, Severity
from cfglint.models.davmail import KEYS, DavmailProperties, spec_for
from cfglint.rules.davmail._common import DavmailRule

CURRENT_MODES = ("O365EWS", "O365Graph", "ExchangeEWS", "ExchangeWebDav")
LEGACY_MODES = ("O365Modern", "O365Interactive", "O365Manual", "O365DeviceCode", "O365", "EWS", "WebDav", "Auto")

# Legacy davmail.mode value -> its 6.8 spelling. `O365` and `Auto` have no one-to-one replacement.
LEGACY_MODE_REPLACEMENT: dict[str, str] = {
    "O365Modern": "davmail.mode=O365EWS with davmail.authentication=O365Transparent",
    "O365Interactive": "davmail.mode=O365EWS with davmail.authentication=O365Interactive",
    "O365Manual": "davmail.mode=O365EWS with davmail.authentication=O365Manual",
    "O365DeviceCode": "davmail.mode=O365EWS with davmail.authentication=O365DeviceCode",
    "EWS": "davmail.mode=ExchangeEWS",
    "WebDav": "davmail.mode=ExchangeWebDav",
}


def mode_sets() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(current, legacy) `davmail.mode` values, from the key table when it has them."""
    spec = KEYS.get("davmail.mode")
    current = spec.choices if spec is not None and spec.choices else CURRENT_MODES
    legacy = spec.legacy_choices if spec is not None and spec.legacy_choices else LEGACY_MODES
    return tuple(current), tuple(legacy)


class LegacySetting(DavmailRule):
    """The file selects the Exchange mode the way an older DavMail did (`davmail.enableEws`, a pre-6.8 mode name).

    ## What it does
    Flags `davmail.enableEws`, the pre-5.0 switch, and says what it resolves to: DavMail only
    consults it when `davmail.mode` is absent, and then only the exact value `false` selects
    WebDav; `true`, `auto` and anything else select EWS. When `davmail.mode` is set the key is
    ignored altogether. It also flags `davmail.mode` values of DavMail 5.0 to 6.7
    (`O365Modern`, `O365Interactive`, `O365Manual`, `O365DeviceCode`, `O365`, `EWS`, `WebDav`,
    `Auto`), which 6.8 still accepts but replaced by a mode plus `davmail.authentication`.
    Other keys that only older versions read (such as
    `log4j.logger.org.apache.commons.httpclient` of pre-HttpClient-4 templates) are reported as
    information: current versions ignore them.

    ## Why is this bad?
    A legacy switch hides what the gateway really does: `davmail.enableEws=auto` reads like
    automatic detection but is plain EWS. DavMail 6.8 split the old O365 modes into
    `davmail.mode` plus `davmail.authentication`; new options (the Graph backend, device-code
    login next to a mode) are documented only in the new form, and the old names may go.

    ## Example
    ```properties
    davmail.enableEws=auto
    ```

    ## Use instead
    ```properties
    davmail.mode=ExchangeEWS
    ```

    ## Fix
    Replace `davmail.enableEws` by `davmail.mode`. Legacy modes map to 6.8 as follows:
    `O365Modern` → `O365EWS` + `davmail.authentication=O365Transparent`; `O365Interactive`,
    `O365Manual`, `O365DeviceCode` → `O365EWS` + `davmail.authentication` of the same name;
    `EWS` → `ExchangeEWS`; `WebDav` → `ExchangeWebDav`. `O365` and `Auto` have no direct
    equivalent: pick the mode that matches the server.

    ## References
    - DavMail 5.0 release (`davmail.mode` replaces `davmail.enableEws`), DavMail 6.8.0 (commit 96e91f3c)
    - https://github.com/mguessan/davmail/issues/15
    """

    code = "DAV014"
    name = "legacy-setting"
    severity = Severity.WARNING
    tags = ("davmail", "deprecated")

    def check(self, model: DavmailProperties, ctx: FileContext) -> Iterator[Diagnostic]:
        mode = model.setting("davmail.mode")
        ews = model.setting("davmail.enableEws")
        if ews.present and not ews.empty and ews.entry is not None:
            if mode.empty:
                resolved = "WebDav" if ews.raw == "false" else "EWS"
                target = (
                    "`davmail.mode=ExchangeWebDav`"
                    if resolved == "WebDav"
                    else "`davmail.mode=ExchangeEWS` (on-premises Exchange), or `davmail.mode=O365EWS` with "
                    "`davmail.authentication` (Office 365)"
                )
                detail = (
                    "only the exact value `false` selects WebDav"
                    if resolved == "EWS"
                    else "`false` selects the WebDav backend"
                )
                yield self.diagnostic(
                    ews.entry.key_span,
                    f"`davmail.enableEws={ews.raw}` is a pre-5.0 setting; DavMail only reads it because "
                    f"`davmail.mode` is not set, and resolves it to {resolved} mode ({detail})",
                    fix_title=f"Replace it with {target}",
                    anchor="davmail.enableEws",
                )
            else:
                assert mode.entry is not None
                yield self.diagnostic(
                    ews.entry.key_span,
                    f"`davmail.enableEws` is a pre-5.0 setting and is ignored: `davmail.mode={mode.raw}` "
                    f"(line {mode.entry.span.line}) decides the mode",
                    related=[Related(mode.entry.span, "davmail.mode is set here")],
                    fix_title="Delete the `davmail.enableEws` line",
                    anchor="davmail.enableEws",
                )
        current, legacy = mode_sets()
        value = mode.raw
        if value and value in legacy and value not in current and mode.entry is not None:
            replacement = LEGACY_MODE_REPLACEMENT.get(value)
            if replacement:
                msg = (
                    f"`davmail.mode={value}` is a legacy mode name (DavMail 5.0-6.7), still accepted; "
                    f"DavMail 6.8 spells it {replacement}"
                )
                fix = f"Use {replacement}"
            else:
                msg = (
                    f"`davmail.mode={value}` is a legacy mode name (DavMail 5.0-6.7), still accepted, "
                    "with no one-to-one 6.8 equivalent"
                )
                fix = "Choose one of O365EWS, O365Graph, ExchangeEWS or ExchangeWebDav for your server"
            yield self.diagnostic(mode.entry.value_span, msg, fix_title=fix, anchor="davmail.mode")
        yield from self._other_legacy_keys(model)

    def _other_legacy_keys(self, model: DavmailProperties) -> Iterator[Diagnostic]:
        """Keys only older versions read (the key table marks them `legacy`): ignored today."""
        effective = model.effective()
        for entry in model.entries:
            if entry.key == "davmail.enableEws" or effective.get(entry.key) is not entry or not entry.value:
                continue
            spec = spec_for(entry.key)
            if spec is None or not spec.legacy:
                continue
            why = f" ({spec.meaning})" if spec.meaning else ""
            instead = f"; `{spec.replacement}` is the key current versions read" if spec.replacement else ""
            yield self.diagnostic(
                entry.key_span,
                f"`{entry.key}` is only read by older DavMail versions and has no effect now{why}{instead}",
                fix_title=f"Replace it with `{spec.replacement}`" if spec.replacement else "Delete the line",
                anchor=entry.key,
                severity=Severity.INFO,
            )
