from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterator
from dataclasses import dataclass

from cfglint.api import Diagnostic, FileContext, FileRule, Related, Severity, Span
from cfglint.models.davmail import DavmailProperties, Setting, java_parse_int

# --------------------------------------------------------------------------------------------------
# Listener and bind-address helpers shared by the DAV001-DAV009 rules (values as DavMail reads them).


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


class RemoteClientsRefused(FileRule):
    """Server mode listens for other hosts, but `davmail.allowRemote` is not `true` as Java reads it.

    ## What it does
    Flags a file with `davmail.server=true` and at least one enabled listener whose
    `davmail.allowRemote` is not exactly `true` as `Boolean.parseBoolean` reads it: absent or empty
    (DavMail then uses `false`), `false`, `yes`, `1`, `true ` with a trailing blank, or
    `true # comment` (`.properties` has no inline comments, so the whole string is the value).
    It stays silent when `davmail.bindAddress` is a loopback address (`127.x.x.x`, `::1`,
    `localhost`): the gateway is then local-only by construction and `allowRemote` does not matter.

    ## Why is this bad?
    `allowRemote` does not change where DavMail binds: with an empty `bindAddress` it listens on
    every interface. It is enforced after `accept()`: a connection from any non-loopback peer is
    closed and logged as "Connection from external client refused". A server-mode gateway is run for
    other machines (or for containers, whose connections arrive from the bridge address), so every
    mail client fails while DavMail itself looks healthy. If the gateway really is for this host only,
    the port is still open on the network for nothing.

    ## Example
    ```properties
    davmail.server=true
    davmail.imapPort=1143
    davmail.allowRemote=true # LAN clients
    ```

    ## Use instead
    ```properties
    davmail.server=true
    davmail.imapPort=1143
    # LAN clients
    davmail.allowRemote=true
    ```

    ## Fix
    Put `davmail.allowRemote=true` alone on its line (comments on their own line). If only local
    clients should connect, bind to loopback instead: `davmail.bindAddress=127.0.0.1`.

    ## References
    - DavMail `AbstractServer.run()` (allowRemote checked after accept, `LOG_EXTERNAL_CONNECTION_REFUSED`)
      and `Settings.getBooleanProperty`: https://github.com/mguessan/davmail/blob/master/src/java/davmail/AbstractServer.java
    - Inline-comment bug in the wild: https://github.com/cry-inc/dmarc-report-viewer (`ms-365/davmail.properties`)
    - JDK `java.util.Properties.load` (no inline comments, trailing blanks kept), `Boolean.parseBoolean`
    """

    code = "DAV001"
    name = "remote-clients-refused"
    severity = Severity.ERROR
    tags = ("davmail", "correctness")
    kinds = ("davmail",)
    model_type = DavmailProperties
    example_language = "properties"

    def check(self, model: DavmailProperties, ctx: FileContext) -> Iterator[Diagnostic]:
        server = model.setting("davmail.server")
        if not server.as_bool:
            return
        remote = model.setting("davmail.allowRemote")
        if remote.as_bool:
            return
        bind = bind_of(model)
        if bind.loopback:
            return
        listeners = enabled_listeners(model)
        if not listeners:
            return
        names = ", ".join(f"{item.label} {port}" for item, _, port in listeners)
        where = f"DavMail is in server mode with listeners ({names}) {bind.describe()}"
        why = why_not_true(remote)
        if why is None:
            message = (
                f"davmail.allowRemote=false while {where}: connections from other hosts are accepted, then"
                " dropped ('Connection from external client refused'); if only local clients should connect,"
                " bind to loopback instead"
            )
        else:
            message = (
                f"davmail.allowRemote reads as false ({why}) while {where}: every connection from another"
                " host is accepted, then dropped ('Connection from external client refused')"
            )
        related = [Related(span_of(server), "server mode is switched on here")]
        if bind.setting.span is not None:
            related.append(Related(bind.setting.span, "bind address"))
        yield self.diagnostic(
            remote.span if remote.present else span_of(server),
            message,
            related=related,
            fix_title=(
                "Set `davmail.allowRemote=true` alone on its line, or bind to loopback"
                " (`davmail.bindAddress=127.0.0.1`) if only local clients should connect"
            ),
            anchor="davmail.allowRemote",
        )
