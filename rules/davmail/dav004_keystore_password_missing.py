from __future__ import annotations

from collections.abc import Iterator

from cfglint.api import Diagnostic, FileContext, Related, Severity
from cfglint.models.davmail import DavmailProperties, Setting
from cfglint.rules.davmail._common import DavmailRule, span_of, tls_listeners


def _state(setting: Setting) -> str:
    return "absent" if not setting.present else "empty"


class KeystorePasswordMissing(DavmailRule):
    """The listener keystore is configured without a keystore password or without a key password.

    ## What it does
    Flags `davmail.ssl.keystoreFile` set (with at least one enabled TLS listener: port > 0 and no
    `davmail.ssl.nosecure<proto>=true`) while `davmail.ssl.keystorePass` or `davmail.ssl.keyPass`
    is empty or absent. DavMail reads both with `getCharArrayProperty`, which turns an empty value
    into `null`. The password values are never shown in messages.

    ## Why is this bad?
    Measured with JDK 17 on keystores made by `keytool`:

    - `keyPass` empty: `KeyManagerFactory.init(keystore, null)` throws `UnrecoverableKeyException`
      (JKS: "Password must not be null"; PKCS12: "Get Key failed"), so every TLS listener fails to
      bind with "Exception creating secured server socket".
    - `keystorePass` empty: `KeyStore.load(stream, null)` skips the integrity check (a tampered
      keystore is accepted) and, for PKCS12 files whose certificates are encrypted (the default of
      `keytool` and `openssl pkcs12 -export`), loads no certificate chain: the listener starts but
      has no server certificate, so every TLS handshake fails.

    DavMail's SSL setup guide says it plainly: do not use blank passwords, both keystore and key
    passwords must be set.

    ## Example
    ```properties
    davmail.imapPort=1143
    davmail.ssl.keystoreType=PKCS12
    davmail.ssl.keystoreFile=/etc/davmail/davmail.p12
    davmail.ssl.keystorePass=
    davmail.ssl.keyPass=
    ```

    ## Use instead
    ```properties
    davmail.imapPort=1143
    davmail.ssl.keystoreType=PKCS12
    davmail.ssl.keystoreFile=/etc/davmail/davmail.p12
    davmail.ssl.keystorePass=s3cret-store
    davmail.ssl.keyPass=s3cret-store
    ```

    ## Fix
    Protect the keystore and the key with a password (for PKCS12 they are usually the same) and set
    both keys; keep the file readable only by the DavMail user (`chmod 600`).

    ## References
    - DavMail SSL setup ("both keystore and key passwords must be set"): https://davmail.sourceforge.net/sslsetup.html
    - DavMail `AbstractServer.bind()`: https://github.com/mguessan/davmail/blob/master/src/java/davmail/AbstractServer.java
    - Blank passwords in a deployment example: https://github.com/davidjb/djb.davmail (`example/davmail.properties`)
    - Keystore password errors: https://github.com/jberrenberg/docker-davmail/issues/5 ,
      https://github.com/jberrenberg/docker-davmail/issues/12
    """

    code = "DAV004"
    name = "keystore-password-missing"
    severity = Severity.WARNING
    tags = ("davmail", "security", "tls")

    def check(self, model: DavmailProperties, ctx: FileContext) -> Iterator[Diagnostic]:
        keystore = model.setting("davmail.ssl.keystoreFile")
        if keystore.empty or not tls_listeners(model):
            return
        store_pass = model.setting("davmail.ssl.keystorePass")
        key_pass = model.setting("davmail.ssl.keyPass")
        related = [Related(span_of(keystore), "keystore file set here")]
        fix = "Set both `davmail.ssl.keystorePass` and `davmail.ssl.keyPass` (for PKCS12 usually the same password)"

        store_tail = (
            "its integrity is not checked, and a PKCS12 file with encrypted certificates yields no"
            " server certificate, so TLS handshakes fail"
        )
        store_msg = f"DavMail then loads the keystore with a null password, so {store_tail}"
        key_msg = (
            "KeyManagerFactory.init then gets a null key password and throws UnrecoverableKeyException,"
            " so every TLS listener fails to bind ('Exception creating secured server socket')"
        )
        missing = [(s, m) for s, m in ((store_pass, store_msg), (key_pass, key_msg)) if s.empty]
        if not missing:
            return
        absent = [(s, m) for s, m in missing if not s.present]
        if len(absent) == 2:
            # Both keys missing from the file: one finding, on the keystore line.
            yield self.diagnostic(
                span_of(keystore),
                f"{keystore.key} is set but davmail.ssl.keystorePass and davmail.ssl.keyPass are absent: "
                f"{key_msg}; and without a store password {store_tail}",
                related=[],
                fix_title=fix,
                anchor="davmail.ssl.keystorePass",
            )
            return
        for setting, msg in missing:
            yield self.diagnostic(
                span_of(setting, keystore),
                f"{setting.key} is {_state(setting)} while {keystore.key} is set: {msg}",
                related=related,
                fix_title=fix,
                anchor=setting.key,
            )
