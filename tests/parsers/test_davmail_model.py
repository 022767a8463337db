"""`cfglint.models.davmail`: the key table and how a Setting reads values (domain notes A.3, A.4)."""

from __future__ import annotations

import pytest

from cfglint.models import davmail as dm
from cfglint.models.davmail import (
    DYNAMIC_KEYS,
    KEYS,
    KNOWN_MISTAKES,
    SECRET_KEYS,
    DavmailProperties,
    KeySpec,
    KeyType,
    is_known_key,
    is_secret_key,
    java_parse_boolean,
    java_parse_int,
)
from cfglint.parsers.properties import parse_davmail


def model(text: str) -> DavmailProperties:
    return parse_davmail(text.encode("latin-1"), "davmail.properties")


# -- the key table ---------------------------------------------------------------------------------

# Every key of the A.4 tables, with its type.
EXPECTED_TYPES: dict[str, KeyType] = {
    "davmail.server": KeyType.BOOL,
    "davmail.mode": KeyType.ENUM,
    "davmail.authentication": KeyType.ENUM,
    "davmail.url": KeyType.URL,
    "davmail.tld": KeyType.STR,
    "davmail.loginUrl": KeyType.URL,
    "davmail.outlookUrl": KeyType.URL,
    "davmail.graphUrl": KeyType.URL,
    "davmail.graphVersion": KeyType.STR,
    "davmail.enableGraph": KeyType.BOOL,
    "davmail.enableOidc": KeyType.BOOL,
    "davmail.enableEws": KeyType.STR,
    "davmail.authenticator": KeyType.STR,
    "davmail.userAgent": KeyType.STR,
    "davmail.caldavPort": KeyType.PORT,
    "davmail.imapPort": KeyType.PORT,
    "davmail.ldapPort": KeyType.PORT,
    "davmail.popPort": KeyType.PORT,
    "davmail.smtpPort": KeyType.PORT,
    "davmail.bindAddress": KeyType.HOST,
    "davmail.allowRemote": KeyType.BOOL,
    "davmail.clientSoTimeout": KeyType.INT,
    "davmail.exitOnBindFailed": KeyType.BOOL,
    "davmail.ssl.keystoreType": KeyType.ENUM,
    "davmail.ssl.keystoreFile": KeyType.PATH,
    "davmail.ssl.keystorePass": KeyType.SECRET,
    "davmail.ssl.keyPass": KeyType.SECRET,
    "davmail.ssl.nosecurecaldav": KeyType.BOOL,
    "davmail.ssl.nosecureimap": KeyType.BOOL,
    "davmail.ssl.nosecureldap": KeyType.BOOL,
    "davmail.ssl.nosecurepop": KeyType.BOOL,
    "davmail.ssl.nosecuresmtp": KeyType.BOOL,
    "davmail.ssl.needClientAuth": KeyType.BOOL,
    "davmail.ssl.truststoreFile": KeyType.PATH,
    "davmail.ssl.truststorePass": KeyType.SECRET,
    "davmail.ssl.truststoreType": KeyType.ENUM,
    "davmail.enableProxy": KeyType.BOOL,
    "davmail.useSystemProxies": KeyType.BOOL,
    "davmail.proxyHost": KeyType.HOST,
    "davmail.proxyPort": KeyType.INT,
    "davmail.proxyUser": KeyType.STR,
    "davmail.proxyPassword": KeyType.SECRET,
    "davmail.noProxyFor": KeyType.CSV,
    "davmail.server.certificate.hash": KeyType.STR,
    "davmail.defaultDomain": KeyType.STR,
    "davmail.enableKeepAlive": KeyType.BOOL,
    "davmail.folderSizeLimit": KeyType.INT,
    "davmail.disableUpdateCheck": KeyType.BOOL,
    "davmail.enableKerberos": KeyType.BOOL,
    "davmail.enableJcifs": KeyType.BOOL,
    "davmail.acceptEncodingGzip": KeyType.BOOL,
    "davmail.exchange.connectionTimeout": KeyType.INT,
    "davmail.exchange.soTimeout": KeyType.INT,
    "davmail.httpMaxRedirects": KeyType.INT,
    "davmail.enableChunkedRequest": KeyType.BOOL,
    "davmail.folderFetchPageSize": KeyType.INT,
    "davmail.userWhiteList": KeyType.CSV,
    "davmail.oauth.clientId": KeyType.STR,
    "davmail.oauth.redirectUri": KeyType.URL,
    "davmail.oauth.tenantId": KeyType.STR,
    "davmail.oauth.scope": KeyType.STR,
    "davmail.oauth.tokenFilePath": KeyType.PATH,
    "davmail.oauth.persistToken": KeyType.BOOL,
    "davmail.oauth.refreshTokenOrigin": KeyType.STR,
    "davmail.oauth.fingerprint": KeyType.STR,
    "davmail.oauth.allowSingleSignOnUsingOSPrimaryAccount": KeyType.STR,
    "davmail.caldavPastDelay": KeyType.INT,
    "davmail.caldavAutoSchedule": KeyType.BOOL,
    "davmail.caldavAlarmSound": KeyType.STR,
    "davmail.forceActiveSyncUpdate": KeyType.BOOL,
    "davmail.caldavReadonly": KeyType.BOOL,
    "davmail.caldavDisableReminders": KeyType.BOOL,
    "davmail.caldavDisableTasks": KeyType.BOOL,
    "davmail.caldavEnableLegacyTasks": KeyType.BOOL,
    "davmail.caldavImpersonate": KeyType.BOOL,
    "davmail.deleteBroken": KeyType.BOOL,
    "davmail.caldavEditNotifications": KeyType.BOOL,
    "davmail.carddavReadPhoto": KeyType.BOOL,
    "davmail.excludePrivateEvents": KeyType.BOOL,
    "davmail.ignoreNoneMatchStar": KeyType.BOOL,
    "davmail.caldav.enableOnlineMeeting": KeyType.BOOL,
    "davmail.graph.deltaSync": KeyType.BOOL,
    "davmail.timezoneId": KeyType.STR,
    "davmail.imapAutoExpunge": KeyType.BOOL,
    "davmail.imapIdleDelay": KeyType.INT,
    "davmail.imapAlwaysApproxMsgSize": KeyType.BOOL,
    "davmail.imapIncludeSpecialFolders": KeyType.BOOL,
    "davmail.keepDelay": KeyType.INT,
    "davmail.sentKeepDelay": KeyType.INT,
    "davmail.popMarkReadOnRetr": KeyType.BOOL,
    "davmail.popCommonDeleted": KeyType.BOOL,
    "davmail.smtpSaveInSent": KeyType.BOOL,
    "davmail.smtpStripFrom": KeyType.BOOL,
    "davmail.smtpAllowDuplicateSend": KeyType.BOOL,
    "davmail.logFilePath": KeyType.PATH,
    "davmail.logFileSize": KeyType.SIZE,
    "log4j.rootLogger": KeyType.LEVEL,
    "log4j.logger.davmail": KeyType.LEVEL,
    "log4j.logger.httpclient.wire": KeyType.LEVEL,
    "log4j.logger.httpclient": KeyType.LEVEL,
    "davmail.enableTray": KeyType.BOOL,
    "davmail.disableGuiNotifications": KeyType.BOOL,
    "davmail.disableTrayActivitySwitch": KeyType.BOOL,
    "davmail.showStartupBanner": KeyType.BOOL,
    "davmail.trayGrayscale": KeyType.BOOL,
    "davmail.trayBackgroundColor": KeyType.STR,
    "davmail.webview.debug": KeyType.BOOL,
    "davmail.ssl.pkcs11Config": KeyType.STR,
    "davmail.ssl.pkcs11Library": KeyType.PATH,
    "davmail.ssl.clientKeystoreType": KeyType.ENUM,
    "davmail.ssl.clientKeystoreFile": KeyType.PATH,
    "davmail.ssl.clientKeystorePass": KeyType.SECRET,
    "davmail.dumpICS": KeyType.INT,
}


@pytest.mark.parametrize(("key", "type_"), sorted(EXPECTED_TYPES.items()))
def test_every_noted_key_has_its_type(key: str, type_: KeyType) -> None:
    spec = KEYS[key]
    assert isinstance(spec, KeySpec)
    assert spec.key == key
    assert spec.type is type_
    assert spec.meaning


def test_no_unexpected_keys() -> None:
    extra = set(KEYS) - set(EXPECTED_TYPES)
    assert extra == {"log4j.logger.org.apache.commons.httpclient"}  # legacy logger of old templates


def test_absent_values() -> None:
    for key in ("davmail.caldavPort", "davmail.imapPort", "davmail.ldapPort", "davmail.popPort", "davmail.smtpPort"):
        assert KEYS[key].absent == 0
    assert KEYS["davmail.allowRemote"].absent is False
    assert KEYS["davmail.enableKeepAlive"].absent is False
    assert KEYS["davmail.disableUpdateCheck"].absent is False
    assert KEYS["davmail.excludePrivateEvents"].absent is True
    assert KEYS["davmail.enableJcifs"].absent is True
    assert KEYS["davmail.clientSoTimeout"].absent == 300
    assert KEYS["davmail.exchange.soTimeout"].absent == 120
    assert KEYS["davmail.graphVersion"].absent == "beta"
    assert KEYS["davmail.logFileSize"].absent == "1MB"
    assert KEYS["davmail.oauth.tenantId"].absent == "common"
    assert KEYS["davmail.mode"].absent == "EWS"
    assert KEYS["davmail.ssl.keystoreType"].absent is None
    for spec in KEYS.values():
        if spec.type is KeyType.BOOL:
            assert spec.absent in (True, False, None), spec.key
        if spec.type in (KeyType.INT, KeyType.PORT):
            assert type(spec.absent) is int, spec.key


def test_enum_choices() -> None:
    mode = KEYS["davmail.mode"]
    assert mode.choices == ("O365EWS", "O365Graph", "ExchangeEWS", "ExchangeWebDav")
    assert set(mode.legacy_choices) == {
        "O365Modern", "O365Interactive", "O365Manual", "O365DeviceCode", "O365", "EWS", "WebDav", "Auto",
    }
    auth = KEYS["davmail.authentication"]
    assert auth.choices == ("O365Interactive", "O365Manual", "O365DeviceCode", "O365Transparent")
    assert auth.legacy_choices == ("O365Modern",)
    assert {"JKS", "PKCS12"} <= set(KEYS["davmail.ssl.keystoreType"].choices)
    for spec in KEYS.values():
        assert bool(spec.choices) == (spec.type in (KeyType.ENUM, KeyType.LEVEL)), spec.key


def test_legacy_keys() -> None:
    ews = KEYS["davmail.enableEws"]
    assert ews.legacy is True and ews.replacement == "davmail.mode"
    assert not KEYS["davmail.mode"].legacy
    for spec in KEYS.values():
        assert (spec.replacement is not None) == spec.legacy
        if spec.replacement:
            assert spec.replacement in KEYS


@pytest.mark.parametrize("key", sorted(KNOWN_MISTAKES))
def test_known_mistakes_are_not_keys(key: str) -> None:
    assert key not in KEYS
    assert not is_known_key(key)
    assert KNOWN_MISTAKES[key] in KEYS


def test_known_mistakes_targets() -> None:
    assert KNOWN_MISTAKES["davmail.graphPrefix"] == "davmail.graphVersion"
    assert KNOWN_MISTAKES["davmail.allowedUsers"] == "davmail.userWhiteList"
    assert KNOWN_MISTAKES["davmail.enableKeepalive"] == "davmail.enableKeepAlive"
    assert KNOWN_MISTAKES["davmail.logfilepath"] == "davmail.logFilePath"
    for key in ("davmail.enableOAuth2", "davmail.enableOauth2", "davmail.useEws"):
        assert KNOWN_MISTAKES[key] == "davmail.mode"


@pytest.mark.parametrize(
    ("key", "known", "secret"),
    [
        ("davmail.imapPort", True, False),
        ("davmail.oauth.john.doe@example.com.refreshToken", True, True),
        ("davmail.oauth.totpSecret", True, True),
        ("davmail.oauth.totpSecret.jdoe", True, True),
        ("davmail.imapFlags.$label2", True, False),
        ("davmail.imapFlags.some_test_tag", True, False),
        ("davmail.oauth.refreshTokenOrigin", True, False),
        ("davmail.ssl.keystorePass", True, True),
        ("davmail.ssl.keyPass", True, True),
        ("davmail.ssl.truststorePass", True, True),
        ("davmail.ssl.clientKeystorePass", True, True),
        ("davmail.proxyPassword", True, True),
        ("davmail.imapflags.x", False, False),
        ("davmail.imapFlags.", False, False),
        ("davmail.nosuchkey", False, False),
        ("\u00ef\u00bb\u00bfdavmail.server", False, False),
    ],
)
def test_known_and_secret_keys(key: str, known: bool, secret: bool) -> None:
    assert is_known_key(key) is known
    assert is_secret_key(key) is secret


def test_secret_keys_set() -> None:
    assert {
        "davmail.ssl.keystorePass",
        "davmail.ssl.keyPass",
        "davmail.ssl.truststorePass",
        "davmail.ssl.clientKeystorePass",
        "davmail.proxyPassword",
    } <= SECRET_KEYS
    assert all(is_secret_key(k) for k in SECRET_KEYS)
    flag_patterns = [p for p in DYNAMIC_KEYS if p.fullmatch("davmail.imapFlags.x")]
    assert len(flag_patterns) == 1


def test_listener_helpers() -> None:
    assert set(dm.LISTENER_PORTS) == {k for k, s in KEYS.items() if s.type is KeyType.PORT}
    assert all(v in KEYS for v in dm.NOSECURE_KEYS.values())


# -- Java value parsing ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("true", True), ("TRUE", True), ("True", True), ("false", False), ("yes", False), ("1", False),
     ("on", False), ("true ", False), (" true", False), ("true # comment", False), ("", False)],
)
def test_java_parse_boolean(raw: str, expected: bool) -> None:
    assert java_parse_boolean(raw) is expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("1143", 1143), ("+1143", 1143), ("-1", -1), ("0", 0), ("007", 7), ("2147483647", 2147483647),
     ("-2147483648", -2147483648), ("2147483648", None), ("1143 ", None), (" 1143", None), ("1143\n", None),
     ("", None), ("+", None), ("-", None), ("0x10", None), ("1_000", None), ("1,143", None), ("11.0", None),
     ("\u0661\u0661\u0664\u0663", 1143)],
)
def test_java_parse_int(raw: str, expected: int | None) -> None:
    assert java_parse_int(raw) == expected


# -- Setting ---------------------------------------------------------------------------------------


def test_setting_as_bool() -> None:
    m = model("davmail.allowRemote=true # Necessary in Docker\ndavmail.server=TRUE\ndavmail.enableProxy=\n")
    assert m.setting("davmail.allowRemote").as_bool is False
    assert m.setting("davmail.server").as_bool is True
    # Empty and absent: the default of the key.
    assert m.setting("davmail.enableProxy").as_bool is False
    assert m.setting("davmail.caldavAutoSchedule").as_bool is True
    assert m.setting("davmail.smtpSaveInSent").as_bool is True
    assert m.setting("davmail.enableKeepAlive").as_bool is False
    assert m.setting("davmail.unknown").as_bool is False


def test_setting_as_bool_string_default() -> None:
    m = model("")
    assert m.setting("davmail.oauth.allowSingleSignOnUsingOSPrimaryAccount").as_bool is True


def test_setting_as_int_and_int_valid() -> None:
    m = model("davmail.imapPort=1143 \ndavmail.smtpPort=1025\ndavmail.popPort=\ndavmail.clientSoTimeout=abc\n")
    imap = m.setting("davmail.imapPort")
    assert imap.raw == "1143 " and imap.int_valid is False and imap.as_int == 0
    smtp = m.setting("davmail.smtpPort")
    assert smtp.int_valid is True and smtp.as_int == 1025
    pop = m.setting("davmail.popPort")
    assert pop.present and pop.empty and pop.int_valid and pop.as_int == 0
    assert m.setting("davmail.ldapPort").as_int == 0 and not m.setting("davmail.ldapPort").present
    timeout = m.setting("davmail.clientSoTimeout")
    assert timeout.int_valid is False and timeout.as_int == 300
    assert m.setting("davmail.exchange.soTimeout").as_int == 120


def test_setting_last_occurrence_wins() -> None:
    m = model("davmail.imapPort=1143\ndavmail.imapPort=2143\n")
    s = m.setting("davmail.imapPort")
    assert s.as_int == 2143
    assert s.span is not None and s.span.line == 2
    assert s.value_span is not None and s.value_span.column == 18


def test_setting_shown_masks_secrets() -> None:
    m = model(
        "davmail.proxyPassword=s3cret\n"
        "davmail.ssl.keyPass=\n"
        "davmail.oauth.jdoe@example.com.refreshToken={AES}abc\n"
        "davmail.imapPort=1143\n"
    )
    assert m.setting("davmail.proxyPassword").shown == "****"
    assert m.setting("davmail.proxyPassword").secret
    assert m.setting("davmail.ssl.keyPass").shown == ""
    assert m.setting("davmail.oauth.jdoe@example.com.refreshToken").shown == "****"
    assert m.setting("davmail.imapPort").shown == "1143"
    assert m.setting("davmail.ssl.keystorePass").shown == "<absent>"
    assert sorted(m.secrets()) == ["s3cret", "{AES}abc"]
    assert [s.line for s in m.secret_spans()] == [1, 3]


def test_setting_spec_for_dynamic_and_unknown_keys() -> None:
    m = model("davmail.imapFlags.$label2=Hobby\nfoo=bar\n")
    flag = m.setting("davmail.imapFlags.$label2")
    assert flag.spec is not None and flag.spec.type is KeyType.STR and flag.raw == "Hobby"
    assert m.setting("foo").spec is None
    assert m.setting("davmail.imapPort").spec is KEYS["davmail.imapPort"]
