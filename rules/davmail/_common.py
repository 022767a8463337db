"""Helpers shared by the DavMail rules: listeners, ports and the bind address as DavMail reads them."""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass

from cfglint.api import FileRule, Span
from cfglint.models.davmail import DavmailProperties, Setting, java_parse_int


@dataclass(frozen=True)
class Listener:
    proto: str  # suffix of davmail.ssl.nosecure<proto>
    key: str  # port key
    label: str  # the protocol name DavMail logs


LISTENERS: tuple[Listener, ...] = (
    Listener("caldav", "davmail.caldavPort", "CalDAV"),
    Listener("imap", "davmail.imapPort", "IMAP"),
    Listener("ldap", "davmail.ldapPort", "LDAP"),
    Listener("pop", "davmail.popPort", "POP"),
    Listener("smtp", "davmail.smtpPort", "SMTP"),
)
PORT_KEYS: tuple[str, ...] = tuple(item.key for item in LISTENERS)


def java_port(setting: Setting) -> int:
    """`Settings.getIntProperty(key)` for a listener port: 0 (= disabled) when absent, empty or unparsable."""
    if setting.empty:
        return 0
    parsed = java_parse_int(setting.raw or "")
    return 0 if parsed is None else parsed


def enabled_listeners(model: DavmailProperties) -> list[tuple[Listener, Setting, int]]:
    """Listeners DavMail creates and can bind: port as Java reads it in 1..65535."""
    out = []
    for item in LISTENERS:
        setting = model.setting(item.key)
        port = java_port(setting)
        if 0 < port <= 65535:
            out.append((item, setting, port))
    return out


def tls_listeners(model: DavmailProperties) -> list[tuple[Listener, Setting, int]]:
    """Enabled listeners that would load the keystore (no `davmail.ssl.nosecure<proto>=true`)."""
    return [e for e in enabled_listeners(model) if not model.setting(f"davmail.ssl.nosecure{e[0].proto}").as_bool]


_LOCAL_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"})
_JAVA_V4_RE = re.compile(r"^[0-9]+(\.[0-9]+){0,3}$")


def _java_ipv4(text: str) -> int | None:
    """`InetAddress.getByName` IPv4 literal forms: 1 to 4 decimal parts, the last one fills the rest."""
    if not _JAVA_V4_RE.match(text):
        return None
    parts = [int(p) for p in text.split(".")]
    *head, last = parts
    if any(p > 255 for p in head) or last >= 256 ** (4 - len(head)):
        return None
    value = 0
    for p in head:
        value = value << 8 | p
    return value << 8 * (4 - len(head)) | last


@dataclass(frozen=True)
class Bind:
    kind: str  # "wildcard", "loopback" or "address"
    setting: Setting

    @property
    def loopback(self) -> bool:
        return self.kind == "loopback"

    def describe(self) -> str:
        if self.kind == "wildcard":
            if self.setting.empty:
                return "on all interfaces (davmail.bindAddress is empty)"
            return f"on all interfaces (davmail.bindAddress={self.setting.shown})"
        return f"on {self.setting.shown.strip()}"


def bind_of(model: DavmailProperties) -> Bind:
    """Where the listeners bind. Empty = wildcard; judged on the value without surrounding blanks
    (a trailing blank makes the lookup fail, which another rule reports)."""
    setting = model.setting("davmail.bindAddress")
    if setting.empty:
        return Bind("wildcard", setting)
    text = (setting.raw or "").strip()
    if text.startswith("[") and text.endswith("]"):
        text = text[1:-1]
    lower = text.lower()
    if lower in _LOCAL_NAMES or lower.endswith(".localhost"):
        return Bind("loopback", setting)
    v4 = _java_ipv4(text)
    if v4 is not None:
        if v4 >> 24 == 127:
            return Bind("loopback", setting)
        return Bind("wildcard" if v4 == 0 else "address", setting)
    try:
        addr = ipaddress.ip_address(text.split("%", 1)[0])
    except ValueError:
        return Bind("address", setting)  # a host name: cannot be known to be loopback
    if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped is not None:
        addr = addr.ipv4_mapped
    if addr.is_loopback:
        return Bind("loopback", setting)
    if addr.is_unspecified:
        return Bind("wildcard", setting)
    return Bind("address", setting)


def why_not_true(setting: Setting) -> str | None:
    """Why `getBooleanProperty` reads a boolean setting as false, as a short clause; None when the
    value is plainly `false` (any case)."""
    if not setting.present:
        return "it is absent and DavMail's default is false"
    raw = setting.raw or ""
    if raw == "":
        return "it is empty and DavMail uses its default, false"
    shown = setting.shown
    if raw.lower() == "false":
        return None
    if raw.strip().lower() == "true":
        return f"{shown!r} has a leading or trailing blank, which .properties keeps and Boolean.parseBoolean rejects"
    if re.match(r"^true\s*[#!]", raw, re.I):
        return f"{shown!r} is one string: .properties has no inline comments"
    return f"{shown!r} is not 'true': Boolean.parseBoolean accepts only 'true', in any case"


def span_of(*settings: Setting) -> Span:
    """The span of the first present setting (rules only call this when one is present)."""
    for s in settings:
        if s.span is not None:
            return s.span
    raise ValueError("no present setting to anchor on")


# --------------------------------------------------------------------------------------------------




class DavmailRule(FileRule, abstract=True):
    """Base of the DAV rules: they read `davmail.properties` models; their doc examples are properties."""

    kinds = ("davmail",)
    model_type = DavmailProperties
    example_language = "properties"
