from __future__ import annotations

from collections.abc import Iterator

from cfglint.api import Diagnostic, FileContext, Related, Severity
from cfglint.models.davmail import DavmailProperties, Setting
from cfglint.rules.davmail._common import DavmailRule, span_of, tls_listeners

# KeyStore types the JDK's own providers register (lookup is case-insensitive). Platform-only ones
# (Windows-*, KeychainStore*) are accepted: cfglint cannot know the host OS.
JDK_KEYSTORE_TYPES = frozenset(
    t.upper()
    for t in (
        "JKS",
        "CaseExactJKS",
        "PKCS12",
        "JCEKS",
        "DKS",
        "PKCS11",
        "Windows-MY",
        "Windows-ROOT",
        "Windows-MY-CURRENTUSER",
        "Windows-ROOT-CURRENTUSER",
        "Windows-MY-LOCALMACHINE",
        "Windows-ROOT-LOCALMACHINE",
        "KeychainStore",
        "KeychainStore-ROOT",
    )
)
# Types of a third-party provider (BouncyCastle) that neither the JDK nor DavMail ships.
PROVIDER_KEYSTORE_TYPES = frozenset({"BKS", "BKS-V1", "UBER", "BCFKS", "BCPKCS12", "PKCS12-DEF", "IBCFKS"})
# What people write for a PKCS#12 file.
_PKCS12_ALIASES = frozenset({"P12", "PFX", "PKCS#12", "PKCS-12", "PKCS_12"})

# Client certificate keystore (DavGatewaySSLSocketFactory): exact, case-sensitive comparisons.
CLIENT_FILE_TYPES = ("PKCS12", "JKS")
CLIENT_OTHER_TYPES = ("PKCS11", "MSCAPI")


def type_problem(type_setting: Setting) -> tuple[str, Severity | None] | None:
    """What `KeyStore.getInstance(type)` does with a non-empty type; None when the JDK accepts it."""
    raw = type_setting.raw or ""
    shown = type_setting.shown
    stripped = raw.strip()
    upper = stripped.upper()
    if raw != stripped and upper in JDK_KEYSTORE_TYPES:
        return (
            f"{type_setting.key} {shown!r} has a leading or trailing blank, which .properties keeps:"
            f" KeyStore.getInstance throws KeyStoreException '{raw} not found'",
            None,
        )
    if upper in JDK_KEYSTORE_TYPES:
        return None
    if upper in PROVIDER_KEYSTORE_TYPES:
        return (
            f"{type_setting.key}={shown} is a BouncyCastle keystore type, which neither the JDK nor DavMail"
            f" provides: unless that provider is installed in the JVM, KeyStore.getInstance throws"
            f" KeyStoreException '{raw} not found'",
            Severity.WARNING,
        )
    hint = " (write PKCS12 for a .p12/.pfx file)" if upper in _PKCS12_ALIASES else ""
    return (
        f"{type_setting.key}={shown} is not a JDK keystore type{hint}: KeyStore.getInstance throws"
        f" KeyStoreException '{raw} not found'",
        None,
    )


class KeystoreTypeMissing(DavmailRule):
    """A keystore file is configured with an empty, unknown or mistyped keystore type.

    ## What it does
    For the listener keystore (`davmail.ssl.keystoreFile` / `keystoreType`) and the listener trust
    store (`davmail.ssl.truststoreFile` / `truststoreType`), when at least one enabled listener uses
    TLS (port > 0 and no `davmail.ssl.nosecure<proto>=true`), it flags a type that is:

    - empty or absent: DavMail calls `KeyStore.getInstance(null)`, which throws
      `NullPointerException: null type name`; DavMail only catches `IOException` and
      `GeneralSecurityException` there, so it stops at startup;
    - not a JDK keystore type (`P12`, `PFX`, `PEM`, a typo) or written with a trailing blank
      (`PKCS12 `): `KeyStoreException: PKCS12  not found`, and every TLS listener fails to bind
      ("Exception creating secured server socket");
    - a BouncyCastle type (`BKS`, `UBER`, `BCFKS`): reported as a warning, it only works when that
      provider was added to the JVM.

    The JDK compares types case-insensitively: `pkcs12` and `jks` are fine.

    For the client certificate used towards Exchange (`davmail.ssl.clientKeystoreFile` /
    `clientKeystoreType`) DavMail behaves differently: an empty type means `PKCS11` (smart card), and
    the file is used only when the type is exactly `PKCS12` or `JKS` (case-sensitive, no blanks).
    With a file set and any other type (empty, `pkcs12`, `P12`, `PKCS12 `) the file is silently
    ignored. `PKCS11` and `MSCAPI` are deliberate choices of another source and are not flagged.

    ## Why is this bad?
    The listeners never come up with TLS (or DavMail does not start at all), and the error only
    appears in the log at bind time; for the client certificate, Exchange silently never receives it.

    ## Example
    ```properties
    davmail.imapPort=1143
    davmail.ssl.keystoreFile=/etc/davmail/davmail.p12
    davmail.ssl.keystoreType=
    davmail.ssl.keystorePass=changeit
    davmail.ssl.keyPass=changeit
    ```

    ## Use instead
    ```properties
    davmail.imapPort=1143
    davmail.ssl.keystoreFile=/etc/davmail/davmail.p12
    davmail.ssl.keystoreType=PKCS12
    davmail.ssl.keystorePass=changeit
    davmail.ssl.keyPass=changeit
    ```

    ## Fix
    Set the type of the file: `PKCS12` for `.p12`/`.pfx` (what `keytool` creates by default since
    JDK 9 and what `openssl pkcs12 -export` writes), `JKS` for an old `.jks` keystore.

    ## References
    - DavMail `AbstractServer.bind()` (`KeyStore.getInstance(Settings.getProperty("davmail.ssl.keystoreType"))`):
      https://github.com/mguessan/davmail/blob/master/src/java/davmail/AbstractServer.java
    - DavMail `DavGatewaySSLSocketFactory.createSSLContext()` (client keystore: empty type -> PKCS11,
      file only for `"PKCS12".equals(type) || "JKS".equals(type)`):
      https://github.com/mguessan/davmail/blob/master/src/java/davmail/http/DavGatewaySSLSocketFactory.java
    - Keystore errors reported by users: https://github.com/jberrenberg/docker-davmail/issues/5 ,
      https://github.com/kran0/davmail-docker/issues/1
    - JDK KeyStore types: https://docs.oracle.com/en/java/javase/17/docs/specs/security/standard-names.html#keystore-types
    """

    code = "DAV003"
    name = "keystore-type-missing"
    severity = Severity.ERROR
    tags = ("davmail", "tls")

    def check(self, model: DavmailProperties, ctx: FileContext) -> Iterator[Diagnostic]:
        keystore = model.setting("davmail.ssl.keystoreFile")
        if not keystore.empty and tls_listeners(model):
            yield from self._server_store(model, keystore, "davmail.ssl.keystoreType", "keystore")
            truststore = model.setting("davmail.ssl.truststoreFile")
            if not truststore.empty:
                yield from self._server_store(model, truststore, "davmail.ssl.truststoreType", "trust store")
        yield from self._client_store(model)

    def _server_store(
        self, model: DavmailProperties, file: Setting, type_key: str, what: str
    ) -> Iterator[Diagnostic]:
        type_setting = model.setting(type_key)
        related = [Related(span_of(file), f"{what} file set here")]
        if type_setting.empty:
            why = "is absent" if not type_setting.present else "is empty"
            yield self.diagnostic(
                span_of(type_setting, file),
                f"{file.key} is set but {type_key} {why}: DavMail calls KeyStore.getInstance(null), which"
                " throws NullPointerException ('null type name'); it is not caught and DavMail stops at startup",
                related=related,
                fix_title=f"Set `{type_key}` to the file's format (PKCS12 for .p12/.pfx, JKS for .jks)",
                anchor=type_key,
            )
            return
        problem = type_problem(type_setting)
        if problem is None:
            return
        message, severity = problem
        yield self.diagnostic(
            span_of(type_setting),
            f"{message}; every TLS listener then fails to bind ('Exception creating secured server socket')",
            related=related,
            fix_title=f"Set `{type_key}` to a JDK keystore type matching the file (PKCS12 or JKS)",
            anchor=type_key,
            severity=severity,
        )

    def _client_store(self, model: DavmailProperties) -> Iterator[Diagnostic]:
        file = model.setting("davmail.ssl.clientKeystoreFile")
        if file.empty:
            return
        type_key = "davmail.ssl.clientKeystoreType"
        type_setting = model.setting(type_key)
        raw = type_setting.raw or ""
        if raw in CLIENT_FILE_TYPES or raw in CLIENT_OTHER_TYPES:
            return
        if type_setting.empty:
            why = "is absent" if not type_setting.present else "is empty"
            cause = f"{type_key} {why}, so DavMail uses PKCS11 (smart card)"
        elif raw.strip().upper() in (*CLIENT_FILE_TYPES, *CLIENT_OTHER_TYPES):
            cause = (
                f"DavMail compares {type_key} case-sensitively and without trimming with 'PKCS12' and 'JKS',"
                f" and {type_setting.shown!r} matches neither"
            )
        else:
            cause = (
                f"{type_key}={type_setting.shown} is not one of DavMail's client keystore types"
                " (PKCS12, JKS, PKCS11, MSCAPI)"
            )
        yield self.diagnostic(
            span_of(type_setting, file),
            f"{cause}: the client certificate file {file.key}={file.shown} is silently ignored and never"
            " presented to Exchange",
            related=[Related(span_of(file), "client certificate file set here")],
            fix_title=f"Set `{type_key}=PKCS12` (or `JKS`), exactly in upper case",
            anchor=type_key,
        )
