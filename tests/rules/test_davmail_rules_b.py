"""Extra unit tests for DAV010-DAV019: docs examples, secret masking, options, wording."""

from __future__ import annotations

import pytest

from cfglint.api import FileContext, Severity
from cfglint.parsers.properties import parse_davmail
from cfglint.registry import load_rules

CODES = [f"DAV0{n}" for n in range(10, 20)]
RULES = load_rules()


def run(code: str, text: str | bytes, options: dict | None = None):
    data = text.encode("latin-1") if isinstance(text, str) else text
    model = parse_davmail(data, "davmail.properties")
    ctx = FileContext(path="davmail.properties", kind="davmail", options=options or {})
    return list(RULES[code]().check(model, ctx))


@pytest.mark.parametrize("code", CODES)
def test_metadata_and_doc_sections(code: str) -> None:
    rule = RULES[code]
    assert rule.kinds == ("davmail",)
    assert rule.example_language == "properties"
    assert rule.__module__.rsplit(".", 1)[-1].startswith(code.lower() + "_" + rule.name.replace("-", "_"))
    doc = rule.doc()
    positions = [doc.index(s) for s in ("## What it does", "## Why is this bad?", "## Example", "## Use instead")]
    assert positions == sorted(positions)


@pytest.mark.parametrize("code", CODES)
def test_doc_example_fires_and_use_instead_is_clean(code: str) -> None:
    rule = RULES[code]
    example, good = rule.doc_code_block("Example"), rule.doc_code_block("Use instead")
    assert example is not None and good is not None
    assert run(code, example), f"{code}: the Example does not fire"
    assert not run(code, good), f"{code}: the Use instead block fires"


def test_dav018_example_keeps_its_trailing_blank() -> None:
    assert "127.0.0.1 \n" in RULES["DAV018"].doc_code_block("Example")


# -- secrets never appear in messages ------------------------------------------------------------


def _texts(diags) -> str:
    return "\n".join(
        d.message + " " + (d.fix_title or "") + " " + " ".join(r.message for r in d.related) for d in diags
    )


def test_dav010_masks_secret() -> None:
    diags = run("DAV010", "davmail.proxyPassword=s3cr\\uXYZet\n")
    assert len(diags) == 1
    assert "s3cr" not in _texts(diags) and "XYZ" not in _texts(diags)
    assert "davmail.proxyPassword" in diags[0].message


def test_dav010_shows_escape_and_windows_fix() -> None:
    (d,) = run("DAV010", "davmail.logFilePath=C:\\users\\me\\davmail.log\n")
    assert d.severity is Severity.ERROR
    assert "`\\users`" in d.message and "Malformed \\uxxxx encoding" in d.message
    assert "forward slashes" in d.fix_title
    assert d.anchor == "davmail.logFilePath"


def test_dav013_masks_secret_values() -> None:
    diags = run("DAV013", "davmail.proxyPassword=alpha-pass\ndavmail.proxyPassword=beta-pass\n")
    assert len(diags) == 1
    text = _texts(diags)
    assert "alpha" not in text and "beta" not in text
    assert diags[0].line == 2 and [r.span.line for r in diags[0].related] == [1]


def test_dav013_says_whether_values_differ() -> None:
    (same,) = run("DAV013", "davmail.server=true\ndavmail.server=true\n")
    assert "same" in same.message
    (diff,) = run("DAV013", "davmail.imapPort=1143\ndavmail.imapPort=143\n")
    assert "'1143'" in diff.message and "ignored" in diff.message


# -- rule specifics -----------------------------------------------------------------------------


def test_dav011_suggestions() -> None:
    (case,) = run("DAV011", "davmail.logfilepath=/tmp/x.log\n")
    assert "`davmail.logFilePath`" in case.message and "case" in case.message
    (typo,) = run("DAV011", "davmail.enableKeepalive=true\n")
    assert "davmail.enableKeepAlive" in typo.message


def test_dav011_extra_keys_option() -> None:
    text = "davmail.siteSpecific=1\n"
    assert run("DAV011", text)
    assert not run("DAV011", text, {"extra-keys": ["davmail.siteSpecific"]})


def test_dav011_bom() -> None:
    (d,) = run("DAV011", b"\xef\xbb\xbfdavmail.mode=O365EWS\n")
    assert d.line == 1 and "byte-order mark" in d.message and d.anchor == "davmail.mode"


def test_dav012_message_and_span() -> None:
    (d,) = run("DAV012", "davmail.allowRemote=true # LAN\n")
    assert "'true # LAN'" in d.message and "false" in d.message
    assert d.column == len("davmail.allowRemote=") + 1


def test_dav014_enableews_resolution() -> None:
    (auto,) = run("DAV014", "davmail.enableEws=auto\n")
    assert "EWS" in auto.message and "WebDav" in auto.message
    (off,) = run("DAV014", "davmail.enableEws=false\n")
    assert "resolves it to WebDav" in off.message
    (ignored,) = run("DAV014", "davmail.mode=ExchangeEWS\ndavmail.enableEws=true\n")
    assert "ignored" in ignored.message and ignored.related


def test_dav014_legacy_mode_mapping() -> None:
    (d,) = run("DAV014", "davmail.mode=O365Modern\n")
    assert "O365Transparent" in d.message
    (d,) = run("DAV014", "davmail.mode=WebDav\n")
    assert "ExchangeWebDav" in d.message
    (d,) = run("DAV014", "davmail.mode=Auto\n")
    assert "no one-to-one" in d.message


def test_dav015_hints() -> None:
    (case,) = run("DAV015", "davmail.mode=o365ews\n")
    assert "`O365EWS`" in case.message and "case-sensitive" in case.message
    (blank,) = run("DAV015", "davmail.mode=O365EWS \n")
    assert "trailing blank" in blank.message


def test_dav016_severities() -> None:
    (webdav,) = run("DAV016", "davmail.mode=ExchangeWebDav\ndavmail.url=https://outlook.office365.com/owa/\n")
    assert webdav.severity is Severity.ERROR
    (ews,) = run("DAV016", "davmail.mode=ExchangeEWS\ndavmail.url=https://mail.example.com/owa/\n")
    assert ews.severity is Severity.INFO
    (o365,) = run(
        "DAV016",
        "davmail.mode=O365EWS\ndavmail.authentication=O365DeviceCode\ndavmail.url=https://mail.example.com/ews\n",
    )
    assert o365.severity is Severity.WARNING and "mail.example.com" in o365.message


def test_dav017_manual_is_a_warning() -> None:
    (d,) = run("DAV017", "davmail.server=true\ndavmail.mode=O365Manual\n")
    assert d.severity is Severity.WARNING and "standard input" in d.message
    (e,) = run("DAV017", "davmail.server=true\ndavmail.mode=O365Interactive\n")
    assert e.severity is Severity.ERROR and "headless" in e.message


def test_dav018_shows_the_blank() -> None:
    (d,) = run("DAV018", "davmail.bindAddress=127.0.0.1 \n")
    assert "'127.0.0.1 '" in d.message and "UnknownHostException" in d.message


def test_dav018_skips_secrets() -> None:
    assert not run("DAV018", "davmail.ssl.keystorePass=pass \ndavmail.proxyPassword=x \n")


@pytest.mark.parametrize(
    "addr", ["127.0.0.1", "127.1.2.3", "localhost", "LOCALHOST", "::1", "[::1]", "::ffff:127.0.0.1"]
)
def test_dav019_loopback_forms(addr: str) -> None:
    assert run("DAV019", f"davmail.allowRemote=true\ndavmail.bindAddress={addr}\n")


@pytest.mark.parametrize("addr", ["0.0.0.0", "192.168.1.10", "::", "davmail.example.com", "127.0.0.1 "])
def test_dav019_not_loopback(addr: str) -> None:
    assert not run("DAV019", f"davmail.allowRemote=true\ndavmail.bindAddress={addr}\n")


def test_dav011_extra_keys_option_must_be_a_list_of_strings() -> None:
    with pytest.raises(TypeError):
        run("DAV011", "davmail.siteSpecific=1\n", {"extra-keys": 3})
    assert not run("DAV011", "davmail.siteSpecific=1\n", {"extra-keys": "davmail.siteSpecific"})


def test_dav011_dynamic_and_foreign_keys_are_accepted() -> None:
    text = (
        "davmail.oauth.alice@example.com.refreshToken={AES}abc\n"
        "davmail.imapFlags.urgent=Red category\n"
        "mail.smtp.host=localhost\n"
    )
    assert not run("DAV011", text)


def test_dav014_legacy_log4j_key_is_info() -> None:
    (d,) = run("DAV014", "log4j.logger.org.apache.commons.httpclient=WARN\n")
    assert d.severity is Severity.INFO and "log4j.logger.httpclient" in d.message


def test_dav018_url_ignored_under_o365_authenticator_and_proxy_off() -> None:
    assert not run(
        "DAV018",
        "davmail.mode=O365Modern\ndavmail.url=https://outlook.office365.com/EWS/Exchange.asmx \n"
        "davmail.proxyHost=proxy \n",
    )
    assert run("DAV018", "davmail.enableProxy=true\ndavmail.proxyHost=proxy \n")
