"""Extra unit tests for DAV001-DAV009: wording, secret masking, options, helpers."""

from __future__ import annotations

import pytest

from cfglint.api import FileContext, Severity
from cfglint.parsers.properties import parse_davmail
from cfglint.registry import load_rules
from cfglint.rules.davmail.dav001_remote_clients_refused import bind_of
from cfglint.models.davmail import java_parse_int

CODES = [f"DAV00{n}" for n in range(1, 10)]
RULES = load_rules()


def model_of(text: str):
    return parse_davmail(text.encode("latin-1"), "davmail.properties")


def run(code: str, text: str, options: dict | None = None):
    ctx = FileContext(path="davmail.properties", kind="davmail", options=options or {})
    return list(RULES[code]().check(model_of(text), ctx))


@pytest.mark.parametrize("code", CODES)
def test_metadata(code: str) -> None:
    rule = RULES[code]
    assert rule.kinds == ("davmail",)
    assert rule.example_language == "properties"
    assert "davmail" in rule.tags
    assert rule.doc_section("References")


def test_severities_and_tags() -> None:
    assert RULES["DAV001"].severity is Severity.ERROR
    assert RULES["DAV002"].severity is Severity.ERROR and "security" in RULES["DAV002"].tags
    assert RULES["DAV004"].severity is Severity.WARNING and "security" in RULES["DAV004"].tags
    # measured: JKS <-> PKCS12 both load on current JDKs (keystore.type.compat), so clarity only
    assert RULES["DAV005"].severity is Severity.INFO
    assert RULES["DAV009"].severity is Severity.WARNING


# -- DAV001: the message says why ------------------------------------------------------------------

BASE = "davmail.server=true\ndavmail.imapPort=1143\n"


@pytest.mark.parametrize(
    ("line", "words"),
    [
        ("", "absent"),
        ("davmail.allowRemote=\n", "empty"),
        ("davmail.allowRemote=true \n", "trailing blank"),
        ("davmail.allowRemote=true # LAN\n", "no inline comments"),
        ("davmail.allowRemote=yes\n", "accepts only 'true'"),
        ("davmail.allowRemote=false\n", "bind to loopback"),
    ],
)
def test_dav001_reason(line: str, words: str) -> None:
    (d,) = run("DAV001", BASE + line)
    assert words in d.message
    assert d.anchor == "davmail.allowRemote"
    assert d.related and d.related[0].span.line == 1  # the davmail.server line


def test_dav001_anchor_on_server_line_when_absent() -> None:
    (d,) = run("DAV001", "# c\n" + BASE)
    assert d.line == 2


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        ("", "wildcard"),
        ("0.0.0.0", "wildcard"),
        ("::", "wildcard"),
        ("127.0.0.1", "loopback"),
        ("127.0.1.1", "loopback"),
        ("127.1", "loopback"),
        ("::1", "loopback"),
        ("[::1]", "loopback"),
        ("0:0:0:0:0:0:0:1", "loopback"),
        ("::ffff:127.0.0.1", "loopback"),
        ("localhost", "loopback"),
        ("LOCALHOST", "loopback"),
        ("localhost ", "loopback"),
        ("192.168.1.5", "address"),
        ("fe80::1%eth0", "address"),
        ("mailgw.example.org", "address"),
    ],
)
def test_bind_classification(value: str, kind: str) -> None:
    assert bind_of(model_of(f"davmail.bindAddress={value}\n")).kind == kind


# -- DAV002 ------------------------------------------------------------------------------------------


def test_dav002_names_listener() -> None:
    text = (
        "davmail.allowRemote=true\ndavmail.imapPort=1143\ndavmail.popPort=1110\n"
        "davmail.ssl.keystoreType=PKCS12\ndavmail.ssl.keystoreFile=k.p12\n"
        "davmail.ssl.keystorePass=Xy7-secret\ndavmail.ssl.keyPass=Xy7-secret\ndavmail.ssl.nosecurepop=true\n"
    )
    (d,) = run("DAV002", text)
    assert "POP" in d.message and "1110" in d.message and d.anchor == "davmail.ssl.nosecurepop"


# -- secrets never appear ----------------------------------------------------------------------------

SECRET = "Sup3r-S3cret!"


@pytest.mark.parametrize("code", CODES)
@pytest.mark.parametrize(
    "text",
    [
        # keyPass missing, keystorePass set: DAV004 fires, must not print the password
        f"davmail.imapPort=143\ndavmail.ssl.keystoreFile=k.p12\ndavmail.ssl.keystoreType=P12\n"
        f"davmail.ssl.keystorePass={SECRET}\ndavmail.allowRemote=true\ndavmail.ssl.nosecureimap=true\n"
        f"davmail.ssl.truststoreFile=t.jks\ndavmail.ssl.truststorePass={SECRET}\n"
        f"davmail.ssl.clientKeystoreFile=c.p12\ndavmail.ssl.clientKeystorePass={SECRET}\n"
        f"davmail.proxyPassword={SECRET}\ndavmail.enableProxy=true\ndavmail.proxyPort=99999\n",
        # store password missing, key password set
        f"davmail.smtpPort=25\ndavmail.ssl.keystoreFile=k.jks\ndavmail.ssl.keystoreType=PKCS12\n"
        f"davmail.ssl.keyPass={SECRET}\ndavmail.server=true\n",
    ],
)
def test_no_secret_in_output(code: str, text: str) -> None:
    for d in run(code, text):
        blob = " ".join([d.message, d.fix_title or "", d.anchor or "", *(r.message for r in d.related)])
        assert SECRET not in blob, (code, d.message)


def test_dav004_both_absent_is_one_finding() -> None:
    (d,) = run("DAV004", "davmail.imapPort=1143\ndavmail.ssl.keystoreType=PKCS12\ndavmail.ssl.keystoreFile=k.p12\n")
    assert d.line == 3


# -- DAV003 / DAV005 severities ----------------------------------------------------------------------


def test_dav003_bks_is_a_warning() -> None:
    (d,) = run("DAV003", "davmail.imapPort=1143\ndavmail.ssl.keystoreFile=k.bks\ndavmail.ssl.keystoreType=BKS\n")
    assert d.severity is Severity.WARNING


def test_dav003_trailing_blank_quotes_jdk_message() -> None:
    (d,) = run("DAV003", "davmail.imapPort=1143\ndavmail.ssl.keystoreFile=k.p12\ndavmail.ssl.keystoreType=PKCS12 \n")
    assert "'PKCS12  not found'" in d.message and d.severity is Severity.ERROR


@pytest.mark.parametrize(
    ("type_", "file", "severity"),
    [
        ("JKS", "k.p12", Severity.INFO),
        ("PKCS12", "k.jks", Severity.INFO),
        ("JCEKS", "k.pfx", Severity.WARNING),
        ("PKCS12", "k.jceks", Severity.WARNING),
    ],
)
def test_dav005_severity_follows_measurement(type_: str, file: str, severity: Severity) -> None:
    text = f"davmail.imapPort=1143\ndavmail.ssl.keystoreFile={file}\ndavmail.ssl.keystoreType={type_}\n"
    (d,) = run("DAV005", text)
    assert d.severity is severity


# -- DAV006: related location is the other key -----------------------------------------------------


def test_dav006_related_other_key() -> None:
    (d,) = run("DAV006", "davmail.smtpPort=1025\ndavmail.popPort=1110\ndavmail.imapPort=1025\n")
    assert d.line == 3 and d.related[0].span.line == 1 and "SMTP" in d.message


# -- DAV007 ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("1143", 1143),
        ("+1143", 1143),
        ("-1", -1),
        ("2147483647", 2147483647),
        ("-2147483648", -2147483648),
        ("\u0661\u0661\u0664\u0663", 1143),
        ("2147483648", None),
        ("1143 ", None),
        (" 1143", None),
        ("+", None),
        ("", None),
        ("0x47", None),
        ("1_143", None),
    ],
)
def test_java_parse_int_as_dav007_uses_it(raw: str, value: int | None) -> None:
    assert java_parse_int(raw) == value


def test_dav007_effect_for_listener() -> None:
    (d,) = run("DAV007", "davmail.smtpPort=1025 \n")
    assert "SMTP listener is silently disabled" in d.message and "'1025 '" in d.message


# -- DAV009 option -----------------------------------------------------------------------------------


@pytest.mark.parametrize("value", [True, "true", "yes", 1])
def test_dav009_allow_privileged(value) -> None:
    assert not run("DAV009", "davmail.imapPort=143\n", {"allow-privileged": value})


@pytest.mark.parametrize("value", [False, "false", 0])
def test_dav009_option_off(value) -> None:
    assert len(run("DAV009", "davmail.imapPort=143\n", {"allow-privileged": value})) == 1


def test_dav009_bad_option_value() -> None:
    with pytest.raises(ValueError):
        run("DAV009", "davmail.imapPort=143\n", {"allow-privileged": "maybe"})


def test_dav009_options_documented() -> None:
    assert "`allow-privileged`" in RULES["DAV009"].doc_section("Options")
