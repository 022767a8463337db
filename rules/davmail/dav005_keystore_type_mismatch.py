from __future__ import annotations

from collections.abc import Iterator

from cfglint.api import Diagnostic, FileContext, Related, Severity
from cfglint.models.davmail import DavmailProperties, Setting
from cfglint.rules.davmail._common import DavmailRule, span_of, tls_listeners

# File name extension -> the keystore format it announces.
EXTENSION_FORMATS = {".p12": "PKCS12", ".pfx": "PKCS12", ".jks": "JKS", ".jceks": "JCEKS"}

_COMPAT = (
    "keystore.type.compat=true (the default since JDK 8u60 and 9) lets JKS and PKCS12 KeyStores"
    " detect and load each other's files"
)


def _format_of(path: str) -> tuple[str, str] | None:
    name = path.strip().replace("\\", "/").rsplit("/", 1)[-1].lower()
    for ext, fmt in EXTENSION_FORMATS.items():
        if name.endswith(ext) and len(name) > len(ext):
            return ext, fmt
    return None


class KeystoreTypeMismatch(DavmailRule):
    r"""The keystore type disagrees with the keystore file's extension.

    ## What it does
    Compares `davmail.ssl.keystoreType`, `truststoreType` and `clientKeystoreType` with the
    extension of the matching file (`.p12`/`.pfx` = PKCS12, `.jks` = JKS, `.jceks` = JCEKS):

    - `.p12`/`.pfx` with `JKS`, or `.jks` with `PKCS12`: **info**. These load on current JDKs, only
      thanks to `keystore.type.compat=true` (the default since JDK 8u60 and 9). They fail on older
      JDKs, or where an administrator set `keystore.type.compat=false` in `java.security`.
    - `.p12`/`.pfx` with `JCEKS`, or `.jceks` with `JKS`/`PKCS12`: **warning**. These fail on every
      JDK (`java.io.IOException: Invalid keystore format`), because the compatibility mode covers
      only JKS and PKCS12. (`.jks` with `JCEKS` is fine: JCEKS reads JKS files natively.)

    An extension is only a hint about the content, so nothing here is reported as an error.

    ## Why is this bad?
    Measured with OpenJDK 17.0.15 on keystores made by `keytool`, loading each file with each type
    (`KeyStore.getInstance(type).load(...)`, then `KeyManagerFactory.init`):

    | type, file | .jks | .p12 | .jceks |
    |---|---|---|---|
    | JKS | ok | ok (compat) | Invalid keystore format |
    | PKCS12 | ok (compat) | ok | DerInputStream.getLength(): lengthTag=78, too big |
    | JCEKS | ok | Invalid keystore format | ok |

    With `-Djava.security.properties` setting `keystore.type.compat=false`, `JKS` on a `.p12` fails
    with "Invalid keystore format" and `PKCS12` on a `.jks` fails with "DerInputStream.getLength():
    lengthTag=109, too big". So a JKS/PKCS12 swap is a portability and clarity problem, not a failure
    on a default JDK; a JCEKS mix-up is a real failure: the TLS listeners do not start (or the client
    certificate is not loaded).

    ## Example
    ```properties
    davmail.imapPort=1143
    davmail.ssl.keystoreType=JKS
    davmail.ssl.keystoreFile=/etc/davmail/davmail.p12
    davmail.ssl.keystorePass=changeit
    davmail.ssl.keyPass=changeit
    ```

    ## Use instead
    ```properties
    davmail.imapPort=1143
    davmail.ssl.keystoreType=PKCS12
    davmail.ssl.keystoreFile=/etc/davmail/davmail.p12
    davmail.ssl.keystorePass=changeit
    davmail.ssl.keyPass=changeit
    ```

    ## Fix
    Set the type the file really has (`keytool -list -keystore FILE` prints "Keystore type"), or
    convert the file: `keytool -importkeystore -srckeystore old.jks -destkeystore new.p12 -deststoretype PKCS12`.

    ## References
    - JDK-8062552 (keystore type detection, `keystore.type.compat`): https://bugs.openjdk.org/browse/JDK-8062552
    - JEP 229, PKCS12 as the default keystore type (JDK 9): https://openjdk.org/jeps/229
    - DavMail `AbstractServer.bind()`: https://github.com/mguessan/davmail/blob/master/src/java/davmail/AbstractServer.java
    """

    code = "DAV005"
    name = "keystore-type-mismatch"
    severity = Severity.INFO
    tags = ("davmail", "tls", "portability")

    def check(self, model: DavmailProperties, ctx: FileContext) -> Iterator[Diagnostic]:
        keystore = model.setting("davmail.ssl.keystoreFile")
        if not keystore.empty and tls_listeners(model):
            yield from self._pair(keystore, model.setting("davmail.ssl.keystoreType"))
            truststore = model.setting("davmail.ssl.truststoreFile")
            if not truststore.empty:
                yield from self._pair(truststore, model.setting("davmail.ssl.truststoreType"))
        client = model.setting("davmail.ssl.clientKeystoreFile")
        client_type = model.setting("davmail.ssl.clientKeystoreType")
        # DavMail uses the client file only for these exact values (other values: DAV003).
        if not client.empty and client_type.raw in ("PKCS12", "JKS"):
            yield from self._pair(client, client_type)

    def _pair(self, file: Setting, type_setting: Setting) -> Iterator[Diagnostic]:
        raw = type_setting.raw or ""
        if raw == "" or raw != raw.strip():
            return  # empty or blank-padded types are DAV003's
        declared = raw.upper()
        found = _format_of(file.raw or "")
        if found is None:
            return
        ext, fmt = found
        if declared == fmt or declared not in ("JKS", "PKCS12", "JCEKS"):
            return
        if fmt == "JKS" and declared == "JCEKS":
            return  # JCEKS reads JKS files natively
        related = [Related(span_of(file), f"file with a {ext} name")]
        if {declared, fmt} == {"JKS", "PKCS12"}:
            message = (
                f"{type_setting.key}={type_setting.shown} but the {ext} file name says {fmt}: this loads only"
                f" because {_COMPAT}; it fails on older JDKs or with keystore.type.compat=false"
            )
            severity = None
        else:
            error = "DerInputStream.getLength(): ... too big" if declared == "PKCS12" else "Invalid keystore format"
            message = (
                f"{type_setting.key}={type_setting.shown} but the {ext} file name says {fmt}: a {declared}"
                f" KeyStore cannot read a {fmt} file on any JDK (IOException '{error}'; keystore.type.compat"
                " covers only JKS and PKCS12)"
            )
            severity = Severity.WARNING
        yield self.diagnostic(
            span_of(type_setting),
            message,
            related=related,
            fix_title=f"Set `{type_setting.key}={fmt}` if the file really is {fmt} (`keytool -list` shows the type)",
            anchor=type_setting.key,
            severity=severity,
        )
