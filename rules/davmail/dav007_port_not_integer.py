from __future__ import annotations

import re
from collections.abc import Iterator

from cfglint.api import Diagnostic, FileContext, Severity
from cfglint.models.davmail import (
    KEYS,
    DavmailProperties,
    KeyType,
    Setting,
    java_parse_int,
)
from cfglint.rules.davmail._common import LISTENERS, DavmailRule, span_of

# Integer keys DavMail reads with getIntProperty (domain notes A.4), used as well as KEYS so the rule
# does not depend on how complete the table is.
INT_KEYS: tuple[str, ...] = (
    *(item.key for item in LISTENERS),
    "davmail.proxyPort",
    "davmail.clientSoTimeout",
    "davmail.folderSizeLimit",
    "davmail.exchange.connectionTimeout",
    "davmail.exchange.soTimeout",
    "davmail.httpMaxRedirects",
    "davmail.folderFetchPageSize",
    "davmail.caldavPastDelay",
    "davmail.imapIdleDelay",
    "davmail.keepDelay",
    "davmail.sentKeepDelay",
    "davmail.dumpICS",
)
_LISTENER_LABELS = {item.key: item.label for item in LISTENERS}


def int_keys() -> list[str]:
    keys = list(INT_KEYS)
    for key, spec in KEYS.items():
        if spec.type in (KeyType.INT, KeyType.PORT) and key not in keys:
            keys.append(key)
    return keys


def why_not_int(raw: str) -> str:
    stripped = raw.strip()
    if stripped != raw and java_parse_int(stripped) is not None:
        return "a blank around the number is kept by .properties and rejected by Integer.parseInt"
    if re.fullmatch(r"[+-]?[0-9]+", stripped):
        return "it is outside the 32-bit int range"
    if re.fullmatch(r"[+-]?[0-9]{1,3}([,._' ][0-9]{3})+", stripped):
        return "Integer.parseInt accepts no digit grouping"
    if re.fullmatch(r"[+-]?0[xX][0-9a-fA-F]+", stripped):
        return "Integer.parseInt reads decimal only, no 0x prefix"
    if re.fullmatch(r"[+-]?[0-9]+\.[0-9]*", stripped):
        return "it is not a whole number"
    if re.match(r"^[+-]?[0-9]+\s*[#!]", raw):
        return ".properties has no inline comments, so the comment is part of the value"
    return "it is not a decimal integer"


class PortNotInteger(DavmailRule):
    """A port or other integer setting is not a number `Integer.parseInt` accepts: DavMail ignores it.

    ## What it does
    Checks every listener port (`davmail.caldavPort`, `imapPort`, `ldapPort`, `popPort`,
    `smtpPort`), `davmail.proxyPort` and the other integer settings (timeouts, delays, limits) whose
    effective value is not empty and is rejected by `Integer.parseInt`: a trailing blank (`1143 `),
    digit grouping (`1,143`), hex (`0x47`), a word (`imap`), an inline comment (`1143 # imap`), or a
    number beyond the 32-bit range. An empty value is DavMail's way to disable a listener (or use the
    default) and is not reported.

    ## Why is this bad?
    `Settings.getIntProperty` catches the `NumberFormatException`, logs "Invalid setting value in
    davmail.imapPort" and returns the default: `0` for a port, so that listener is silently not
    started; the built-in default for the other settings. The value in the file has no effect.

    ## Example
    ```properties
    davmail.imapPort=1143 # IMAP for Thunderbird
    ```

    ## Use instead
    ```properties
    # IMAP for Thunderbird
    davmail.imapPort=1143
    ```

    ## Fix
    Write a plain decimal number with nothing after it; put comments on their own line.

    ## References
    - DavMail `Settings.getIntProperty` (`LOG_INVALID_SETTING_VALUE`): https://github.com/mguessan/davmail/blob/master/src/java/davmail/Settings.java
    - JDK `Integer.parseInt`, `java.util.Properties.load` (trailing blanks kept, no inline comments)
    """

    code = "DAV007"
    name = "port-not-integer"
    severity = Severity.ERROR
    tags = ("davmail", "correctness")

    def check(self, model: DavmailProperties, ctx: FileContext) -> Iterator[Diagnostic]:
        for key in int_keys():
            setting = model.setting(key)
            if setting.empty:
                continue
            raw = setting.raw or ""
            if java_parse_int(raw) is not None:
                continue
            yield self.diagnostic(
                span_of(setting),
                f"{key}={setting.shown!r} is not an integer for Java ({why_not_int(raw)}):"
                f" DavMail logs 'Invalid setting value in {key}' and {self._effect(setting)}",
                fix_title=f"Write `{key}` as a plain decimal number, with comments on their own line",
                anchor=key,
            )

    @staticmethod
    def _effect(setting: Setting) -> str:
        label = _LISTENER_LABELS.get(setting.key)
        if label is not None:
            return f"uses 0, so the {label} listener is silently disabled"
        if setting.key == "davmail.proxyPort":
            return "uses 0 as the proxy port"
        spec = setting.spec
        if spec is not None and isinstance(spec.absent, int) and not isinstance(spec.absent, bool):
            return f"uses the default, {spec.absent}"
        return "uses the built-in default instead"
