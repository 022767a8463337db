"""DavMail's `davmail.properties`: every key DavMail reads, with its type and its effective value when
absent (what DavMail uses for a hand-written file that omits the key, not the template's value).

Source: ../shared/domain/davmail-hadoop.md part A (DavMail `Settings.java`, read at 3b87d523).
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from typing import Any

from cfglint.api import Span
from cfglint.models.properties import PropEntry, PropertiesFile

JAVA_INT_MIN, JAVA_INT_MAX = -(2**31), 2**31 - 1


class KeyType(str, enum.Enum):
    BOOL = "bool"
    INT = "int"
    PORT = "port"
    STR = "str"
    ENUM = "enum"
    PATH = "path"
    URL = "url"
    HOST = "host"
    SECRET = "secret"
    CSV = "csv"
    LEVEL = "log4j-level"
    SIZE = "log4j-size"


@dataclass(frozen=True)
class KeySpec:
    key: str
    type: KeyType
    # Effective value when the key is absent or empty, as DavMail uses it (Python value: bool, int,
    # str or None for "nothing").
    absent: Any = None
    meaning: str = ""
    choices: tuple[str, ...] = ()  # for ENUM: accepted values (current versions)
    legacy_choices: tuple[str, ...] = ()  # for ENUM: values older versions used, still accepted
    legacy: bool = False  # a key only older versions read
    replacement: str | None = None  # for legacy keys: what to use instead


def java_parse_boolean(raw: str) -> bool:
    """`Boolean.parseBoolean`: true only for case-insensitive "true", no trimming."""
    return len(raw) == 4 and raw.lower() == "true"  # no lowered copy of a huge value


def java_parse_int(raw: str) -> int | None:
    """`Integer.parseInt`: an optional sign and decimal digits only (no blanks, no "\\n"), within 32 bits.

    None on NumberFormatException. Like Java (Character.digit), non-ASCII decimal digits count.
    """
    digits = raw[1:] if raw[:1] in ("+", "-") else raw
    if not digits or not all(c.isdecimal() for c in digits):
        return None
    value = int(raw)
    if not JAVA_INT_MIN <= value <= JAVA_INT_MAX:
        return None
    return value


def _spec(key: str, type: KeyType, absent: Any = None, meaning: str = "", **kw: Any) -> KeySpec:
    return KeySpec(key=key, type=type, absent=absent, meaning=meaning, **kw)


T = KeyType
MODES = ("O365EWS", "O365Graph", "ExchangeEWS", "ExchangeWebDav")
LEGACY_MODES = ("O365Modern", "O365Interactive", "O365Manual", "O365DeviceCode", "O365", "EWS", "WebDav", "Auto")
AUTHENTICATIONS = ("O365Interactive", "O365Manual", "O365DeviceCode", "O365Transparent")
# KeyStore.getInstance(type) is case-insensitive: compare these with .casefold().
KEYSTORE_TYPES = ("JKS", "PKCS12", "JCEKS", "PKCS11", "DKS", "Windows-MY", "Windows-ROOT", "KeychainStore")
CLIENT_KEYSTORE_TYPES = ("MSCAPI", "PKCS11", "JKS", "PKCS12")
LOG4J_LEVELS = ("OFF", "FATAL", "ERROR", "WARN", "INFO", "DEBUG", "TRACE", "ALL")

_SPECS: tuple[KeySpec, ...] = (
    # -- basic / mode --------------------------------------------------------------------------------
    _spec("davmail.server", T.BOOL, False,
          "server mode: headless, no tray/GUI; cert and O365Manual prompts go to stdin"),
    _spec("davmail.mode", T.ENUM, "EWS",
          "Exchange backend (6.8+: O365EWS, O365Graph, ExchangeEWS, ExchangeWebDav); absent = legacy EWS "
          "(WebDav if davmail.enableEws=false); unknown values fall through to WebDav",
          choices=MODES, legacy_choices=LEGACY_MODES),
    _spec("davmail.authentication", T.ENUM, None,
          "O365 authentication flow, used when the mode starts with O365; absent = the mode name "
          "(for O365EWS/O365Graph: no authenticator, plain EWS basic auth)",
          choices=AUTHENTICATIONS, legacy_choices=("O365Modern",)),
    _spec("davmail.url", T.URL, None,
          "Exchange OWA or EWS URL; ignored by O365 authenticators; absent = derived O365 EWS URL"),
    _spec("davmail.tld", T.STR, None, "non-standard cloud top-level domain (builds outlook/login/graph host names)"),
    _spec("davmail.loginUrl", T.URL, None,
          "OAuth login endpoint override; absent = derived (login.microsoftonline.<tld>)"),
    _spec("davmail.outlookUrl", T.URL, None,
          "Outlook/O365 endpoint override; absent = derived (outlook.office365.<tld>)"),
    _spec("davmail.graphUrl", T.URL, None, "Graph endpoint override; absent = derived (graph.microsoft.<tld>)"),
    _spec("davmail.graphVersion", T.STR, "beta", "Graph API version (v1.0 or beta)"),
    _spec("davmail.enableGraph", T.BOOL, False, "experimental: use the Graph backend"),
    _spec("davmail.enableOidc", T.BOOL, None, "experimental: OIDC authentication (default depends on the client id)"),
    _spec("davmail.enableEws", T.STR, None,
          "pre-5.0 backend switch, read only when davmail.mode is absent; only the value false matters",
          legacy=True, replacement="davmail.mode"),
    _spec("davmail.authenticator", T.STR, None, "custom authenticator class (fully qualified name)"),
    _spec("davmail.userAgent", T.STR, None, "HTTP User-Agent sent to Exchange; absent = an Edge user agent"),
    # -- listeners -------------------------------------------------------------------------------------
    _spec("davmail.caldavPort", T.PORT, 0, "CalDAV/CardDAV (HTTP) listener port; absent/0/invalid = disabled"),
    _spec("davmail.imapPort", T.PORT, 0, "IMAP listener port; absent/0/invalid = disabled"),
    _spec("davmail.ldapPort", T.PORT, 0, "LDAP (address book) listener port; absent/0/invalid = disabled"),
    _spec("davmail.popPort", T.PORT, 0, "POP3 listener port; absent/0/invalid = disabled"),
    _spec("davmail.smtpPort", T.PORT, 0, "SMTP listener port; absent/0/invalid = disabled"),
    _spec("davmail.bindAddress", T.HOST, None, "address the listeners bind to; absent = all interfaces"),
    _spec("davmail.allowRemote", T.BOOL, False,
          "serve non-loopback clients (checked after accept, not a bind address)"),
    _spec("davmail.clientSoTimeout", T.INT, 300, "client socket timeout in seconds, 0 = none"),
    _spec("davmail.exitOnBindFailed", T.BOOL, False, "exit if any listener fails to bind"),
    _spec("davmail.ssl.keystoreType", T.ENUM, None,
          "listener keystore type (KeyStore.getInstance, case-insensitive); required when keystoreFile is set",
          choices=KEYSTORE_TYPES),
    _spec("davmail.ssl.keystoreFile", T.PATH, None,
          "listener keystore: when set, every listener uses TLS unless nosecure*"),
    _spec("davmail.ssl.keystorePass", T.SECRET, None, "listener keystore password"),
    _spec("davmail.ssl.keyPass", T.SECRET, None, "listener private key password"),
    _spec("davmail.ssl.nosecurecaldav", T.BOOL, False, "keep the CalDAV listener plaintext even with a keystore"),
    _spec("davmail.ssl.nosecureimap", T.BOOL, False, "keep the IMAP listener plaintext even with a keystore"),
    _spec("davmail.ssl.nosecureldap", T.BOOL, False, "keep the LDAP listener plaintext even with a keystore"),
    _spec("davmail.ssl.nosecurepop", T.BOOL, False, "keep the POP3 listener plaintext even with a keystore"),
    _spec("davmail.ssl.nosecuresmtp", T.BOOL, False, "keep the SMTP listener plaintext even with a keystore"),
    _spec("davmail.ssl.needClientAuth", T.BOOL, False, "require client certificates on the listeners"),
    _spec("davmail.ssl.truststoreFile", T.PATH, None, "trust store for listener client authentication"),
    _spec("davmail.ssl.truststorePass", T.SECRET, None, "trust store password"),
    _spec("davmail.ssl.truststoreType", T.ENUM, None, "trust store type (case-insensitive)", choices=KEYSTORE_TYPES),
    # -- network / Exchange side -----------------------------------------------------------------------
    _spec("davmail.enableProxy", T.BOOL, False, "use davmail.proxyHost:davmail.proxyPort"),
    _spec("davmail.useSystemProxies", T.BOOL, False, "use the Java system proxies"),
    _spec("davmail.proxyHost", T.HOST, None, "HTTP proxy host"),
    _spec("davmail.proxyPort", T.INT, 0, "HTTP proxy port (a remote port, not a listener)"),
    _spec("davmail.proxyUser", T.STR, None, "proxy user; domain\\user means NTLM"),
    _spec("davmail.proxyPassword", T.SECRET, None, "proxy password"),
    _spec("davmail.noProxyFor", T.CSV, None, "hosts that bypass the proxy, comma separated"),
    _spec("davmail.server.certificate.hash", T.STR, None,
          "SHA-1 fingerprint (AA:BB:...) of an Exchange certificate to accept"),
    _spec("davmail.defaultDomain", T.STR, None, "Windows domain for NTLM/basic authentication"),
    _spec("davmail.enableKeepAlive", T.BOOL, False, "send keepalive chars during long IMAP fetches"),
    _spec("davmail.folderSizeLimit", T.INT, 0, "message count limit on folder retrieval, 0 = unlimited"),
    _spec("davmail.disableUpdateCheck", T.BOOL, False, "skip the update check (absent = HTTP request at every start)"),
    _spec("davmail.enableKerberos", T.BOOL, False, "transparent client Kerberos authentication"),
    _spec("davmail.enableJcifs", T.BOOL, True, "use the JCIFS NTLM engine"),
    _spec("davmail.acceptEncodingGzip", T.BOOL, True, "accept gzip-encoded HTTP responses"),
    _spec("davmail.exchange.connectionTimeout", T.INT, 10, "HTTP connection timeout in seconds"),
    _spec("davmail.exchange.soTimeout", T.INT, 120, "HTTP socket timeout in seconds"),
    _spec("davmail.httpMaxRedirects", T.INT, 10, "maximum HTTP redirects"),
    _spec("davmail.enableChunkedRequest", T.BOOL, False, "send large mail with chunked requests"),
    _spec("davmail.folderFetchPageSize", T.INT, 500, "folder paging fetch size"),
    _spec("davmail.userWhiteList", T.CSV, None, "allowed users, comma separated; @domain allows a whole domain"),
    _spec("davmail.oauth.clientId", T.STR, "facd6cff-a294-4415-b59f-c5b01937d7bd", "OAuth application (client) id"),
    _spec("davmail.oauth.redirectUri", T.URL, None,
          "OAuth redirect URI; absent = <loginUrl>/common/oauth2/nativeclient (now redirected to /wrongplace)"),
    _spec("davmail.oauth.tenantId", T.STR, "common", "Azure AD tenant id"),
    _spec("davmail.oauth.scope", T.STR, None, "OAuth scopes; absent = derived from the mode"),
    _spec("davmail.oauth.tokenFilePath", T.PATH, None,
          "separate file for OAuth tokens; absent = tokens kept in this file"),
    _spec("davmail.oauth.persistToken", T.BOOL, True, "persist the OAuth refresh token"),
    _spec("davmail.oauth.refreshTokenOrigin", T.STR, None, "experimental: Origin header for SPA client ids"),
    _spec("davmail.oauth.fingerprint", T.STR, None, "token encryption fingerprint override; absent = built-in default"),
    _spec("davmail.oauth.allowSingleSignOnUsingOSPrimaryAccount", T.STR, "true",
          "Windows WebView2: single sign-on with the OS primary account"),
    # -- CalDAV / IMAP / POP / SMTP ----------------------------------------------------------------------
    _spec("davmail.caldavPastDelay", T.INT, 0, "only fetch calendar events newer than this many days, 0 = no limit"),
    _spec("davmail.caldavAutoSchedule", T.BOOL, True, "EWS: server-managed meeting notifications"),
    _spec("davmail.caldavAlarmSound", T.STR, None, "override the default alarm sound"),
    _spec("davmail.forceActiveSyncUpdate", T.BOOL, False, "WebDav only: force event updates for ActiveSync clients"),
    _spec("davmail.caldavReadonly", T.BOOL, False, "read-only calendar events"),
    _spec("davmail.caldavDisableReminders", T.BOOL, False, "drop VALARM sections from events"),
    _spec("davmail.caldavDisableTasks", T.BOOL, False, "do not return tasks with calendar events"),
    _spec("davmail.caldavEnableLegacyTasks", T.BOOL, False, "deprecated: fetch legacy tasks over WebDav"),
    _spec("davmail.caldavImpersonate", T.BOOL, False, "experimental: impersonate shared calendar identity"),
    _spec("davmail.deleteBroken", T.BOOL, False, "deprecated: delete broken events over WebDav"),
    _spec("davmail.caldavEditNotifications", T.BOOL, False, "dialog to edit accept/decline responses"),
    _spec("davmail.carddavReadPhoto", T.BOOL, True, "contact photo support"),
    _spec("davmail.excludePrivateEvents", T.BOOL, True, "exclude private events of shared calendars"),
    _spec("davmail.ignoreNoneMatchStar", T.BOOL, True, "ignore If-None-Match: * on event create/update"),
    _spec("davmail.caldav.enableOnlineMeeting", T.BOOL, True, "create a Teams online meeting automatically"),
    _spec("davmail.graph.deltaSync", T.BOOL, True, "delta sync over Graph"),
    _spec("davmail.timezoneId", T.STR, None, "timezone id override; absent = the mailbox timezone"),
    _spec("davmail.imapAutoExpunge", T.BOOL, True, "delete messages immediately on IMAP STORE \\Deleted"),
    _spec("davmail.imapIdleDelay", T.INT, 0, "IDLE polling delay in minutes; 0 = IDLE not advertised"),
    _spec("davmail.imapAlwaysApproxMsgSize", T.BOOL, False, "answer RFC822.SIZE with Exchange's approximate size"),
    _spec("davmail.imapIncludeSpecialFolders", T.BOOL, False, "EWS: list all folders including special ones"),
    _spec("davmail.keepDelay", T.INT, 0, "POP: delete messages on the server after this many days, 0 = never"),
    _spec("davmail.sentKeepDelay", T.INT, 0, "POP: delete sent messages after this many days, 0 = never"),
    _spec("davmail.popMarkReadOnRetr", T.BOOL, False, "POP: mark retrieved messages read"),
    _spec("davmail.popCommonDeleted", T.BOOL, True, "deprecated: switch the deleted MAPI property"),
    _spec("davmail.smtpSaveInSent", T.BOOL, True, "SMTP: save a copy in the Sent folder"),
    _spec("davmail.smtpStripFrom", T.BOOL, False, "SMTP: remove the From header (send as the connected user)"),
    _spec("davmail.smtpAllowDuplicateSend", T.BOOL, False, "SMTP: allow several messages with the same Message-ID"),
    # -- logging / workstation UI -----------------------------------------------------------------------
    _spec("davmail.logFilePath", T.PATH, None,
          "log file (a directory gets /davmail.log); absent = davmail.log in the working directory (server) "
          "or the home directory"),
    _spec("davmail.logFileSize", T.SIZE, "1MB",
          "log rotation size (log4j syntax); 0 = no rotation (external logrotate)"),
    _spec("log4j.rootLogger", T.LEVEL, None,
          "root log level (unknown level strings become DEBUG)", choices=LOG4J_LEVELS),
    _spec("log4j.logger.davmail", T.LEVEL, None, "DavMail log level", choices=LOG4J_LEVELS),
    _spec("log4j.logger.httpclient.wire", T.LEVEL, None, "HTTP wire log level (DEBUG logs message contents)",
          choices=LOG4J_LEVELS),
    _spec("log4j.logger.httpclient", T.LEVEL, None, "HTTP client log level", choices=LOG4J_LEVELS),
    _spec("log4j.logger.org.apache.commons.httpclient", T.LEVEL, None,
          "commons-httpclient 3 logger of old templates; current versions ignore it",
          choices=LOG4J_LEVELS, legacy=True, replacement="log4j.logger.httpclient"),
    _spec("davmail.enableTray", T.BOOL, None, "tray icon; absent = on except on Linux (GUI mode)"),
    _spec("davmail.disableGuiNotifications", T.BOOL, False, "disable all balloon notifications"),
    _spec("davmail.disableTrayActivitySwitch", T.BOOL, False, "disable the tray icon colour switch on activity"),
    _spec("davmail.showStartupBanner", T.BOOL, True, "startup balloon notification"),
    _spec("davmail.trayGrayscale", T.BOOL, False, "grayscale tray icon"),
    _spec("davmail.trayBackgroundColor", T.STR, None, "tray icon background colour (#RRGGBB, '#' escaped as \\#)"),
    _spec("davmail.webview.debug", T.BOOL, False, "log page content of the embedded OpenJFX browser"),
    _spec("davmail.ssl.pkcs11Config", T.STR, None, "PKCS#11 (smartcard) provider configuration"),
    _spec("davmail.ssl.pkcs11Library", T.PATH, None, "PKCS#11 (smartcard) library"),
    _spec("davmail.ssl.clientKeystoreType", T.ENUM, None,
          "client certificate keystore type for Exchange (Windows first start: MSCAPI)", choices=CLIENT_KEYSTORE_TYPES),
    _spec("davmail.ssl.clientKeystoreFile", T.PATH, None, "client certificate keystore for Exchange"),
    _spec("davmail.ssl.clientKeystorePass", T.SECRET, None, "client certificate keystore password"),
    _spec("davmail.dumpICS", T.INT, 0, "debug: dump calendar events to local files"),
)

# Every key DavMail reads (domain notes A.4), by name.
KEYS: dict[str, KeySpec] = {spec.key: spec for spec in _SPECS}

# The listener port keys and the service each one serves (other int keys such as proxyPort are not
# listeners: no bind, no privileged-port concern).
LISTENER_PORTS: dict[str, str] = {
    "davmail.caldavPort": "CalDAV",
    "davmail.imapPort": "IMAP",
    "davmail.ldapPort": "LDAP",
    "davmail.popPort": "POP3",
    "davmail.smtpPort": "SMTP",
}
# Listener port key -> the key that keeps that listener plaintext when a keystore is set.
NOSECURE_KEYS: dict[str, str] = {
    "davmail.caldavPort": "davmail.ssl.nosecurecaldav",
    "davmail.imapPort": "davmail.ssl.nosecureimap",
    "davmail.ldapPort": "davmail.ssl.nosecureldap",
    "davmail.popPort": "davmail.ssl.nosecurepop",
    "davmail.smtpPort": "davmail.ssl.nosecuresmtp",
}

_DYNAMIC: tuple[tuple[re.Pattern[str], KeySpec], ...] = (
    (re.compile(r"davmail\.oauth\.(?!totpSecret\.)[^\s]+\.refreshToken"),
     _spec("davmail.oauth.<email>.refreshToken", T.SECRET, None,
           "OAuth refresh token written by DavMail ({AES}...), e-mail lower-cased")),
    (re.compile(r"davmail\.oauth\.totpSecret(?:\..+)?"),
     _spec("davmail.oauth.totpSecret[.<user>]", T.SECRET, None, "TOTP secret for MFA, optionally per user")),
    (re.compile(r"davmail\.imapFlags\..+"),
     _spec("davmail.imapFlags.<flag>", T.STR, None, "IMAP keyword <flag> mapped to this Exchange category")),
)

# Keys DavMail reads under a dynamic name (e-mail addresses, flag names); match with fullmatch.
DYNAMIC_KEYS: tuple[re.Pattern[str], ...] = tuple(p for p, _ in _DYNAMIC)

# Keys that hold secrets: their values never leave the process. Dynamic ones (refresh tokens, TOTP
# secrets) are recognised by `is_secret_key`.
SECRET_KEYS: frozenset[str] = frozenset(
    [spec.key for spec in _SPECS if spec.type is KeyType.SECRET] + ["davmail.oauth.totpSecret"]
)

# Invented, misspelt or obsolete keys DavMail silently ignores, seen in real files -> the key meant.
KNOWN_MISTAKES: dict[str, str] = {
    "davmail.enableKeepalive": "davmail.enableKeepAlive",
    "davmail.enableOAuth2": "davmail.mode",
    "davmail.enableOauth2": "davmail.mode",
    "davmail.useEws": "davmail.mode",
    "davmail.allowedUsers": "davmail.userWhiteList",
    "davmail.logfilepath": "davmail.logFilePath",
    "davmail.graphPrefix": "davmail.graphVersion",
}

del T


def spec_for(key: str) -> KeySpec | None:
    """The spec of a key DavMail reads, dynamic names included; None for an unknown key."""
    spec = KEYS.get(key)
    if spec is not None:
        return spec
    for pattern, dyn in _DYNAMIC:
        if pattern.fullmatch(key):
            return dyn
    return None


def is_known_key(key: str) -> bool:
    """Whether DavMail reads this key (a KEYS entry or a dynamic name)."""
    return spec_for(key) is not None


def is_secret_key(key: str) -> bool:
    spec = spec_for(key)
    if spec is not None and spec.type is KeyType.SECRET:
        return True
    return key in SECRET_KEYS or key.endswith((".refreshToken", "Password", "Pass")) or ".totpSecret" in key


@dataclass(frozen=True)
class Setting:
    """A key's effective state in one file, as DavMail reads it."""

    key: str
    spec: KeySpec | None
    entry: PropEntry | None  # the occurrence Java keeps (the last one), None when absent

    @property
    def present(self) -> bool:
        return self.entry is not None

    @property
    def raw(self) -> str | None:
        """The value as Java reads it ('' for `key=`), None when the key is absent."""
        return self.entry.value if self.entry is not None else None

    @property
    def empty(self) -> bool:
        """Absent or empty: DavMail's getProperty returns null and the default applies."""
        return self.entry is None or self.entry.value == ""

    @property
    def as_bool(self) -> bool:
        """`getBooleanProperty(key, default)`: the default when absent or empty, else parseBoolean."""
        if self.empty:
            default = self.spec.absent if self.spec is not None else False
            if isinstance(default, str):
                return java_parse_boolean(default)
            return bool(default)
        return java_parse_boolean(self.raw or "")

    @property
    def as_int(self) -> int | None:
        """`getIntProperty(key, default)`: the default when absent/empty or unparsable."""
        default = self.spec.absent if self.spec is not None and isinstance(self.spec.absent, int) else 0
        if self.empty:
            return default
        parsed = java_parse_int(self.raw or "")
        return default if parsed is None else parsed

    @property
    def int_valid(self) -> bool:
        """Whether a present, non-empty value is a Java int (False means NumberFormatException)."""
        return self.empty or java_parse_int(self.raw or "") is not None

    @property
    def secret(self) -> bool:
        return is_secret_key(self.key)

    @property
    def shown(self) -> str:
        """The value fit for a message: masked for secrets, '<absent>' when absent."""
        if self.entry is None:
            return "<absent>"
        if self.secret and self.entry.value:
            return "****"
        return self.entry.value

    @property
    def span(self) -> Span | None:
        return self.entry.span if self.entry is not None else None

    @property
    def value_span(self) -> Span | None:
        return self.entry.value_span if self.entry is not None else None


class DavmailProperties(PropertiesFile):
    kind = "davmail"

    def setting(self, key: str) -> Setting:
        return Setting(key=key, spec=spec_for(key), entry=self.last(key))

    def secrets(self) -> list[str]:
        return [e.value for e in self.entries if e.value and is_secret_key(e.key)]

    def secret_spans(self) -> list[Span]:
        return [e.value_span for e in self.entries if e.value and is_secret_key(e.key)]
