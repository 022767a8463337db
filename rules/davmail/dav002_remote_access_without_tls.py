from __future__ import annotations

from collections.abc import Iterator

from cfglint.api import Diagnostic, FileContext, Related, Severity
from cfglint.models.davmail import DavmailProperties
from cfglint.rules.davmail._common import (
    DavmailRule,
    bind_of,
    enabled_listeners,
    span_of,
)


class RemoteAccessWithoutTls(DavmailRule):
    """Remote clients are accepted on plaintext listeners: Exchange credentials cross the network in clear text.

    ## What it does
    Flags `davmail.allowRemote=true` (as Java reads it) when the listeners bind to a non-loopback
    address (empty `davmail.bindAddress` = all interfaces, `0.0.0.0`, `::`, a LAN address or a host
    name) and at least one listener is enabled (port > 0), while:

    - `davmail.ssl.keystoreFile` is empty or absent: every listener is plaintext; or
    - a keystore is set but `davmail.ssl.nosecure<proto>=true` keeps an enabled listener plaintext
      (one finding per such listener, naming it).

    Server or workstation mode does not matter: a workstation with `allowRemote=true` is exposed too.

    ## Why is this bad?
    Mail clients log in to DavMail with the user's Exchange / Office 365 password (IMAP `LOGIN`, SMTP
    `AUTH PLAIN`, HTTP Basic for CalDAV, LDAP simple bind). Without TLS on the listener that password,
    and all mail, travel unencrypted between the client and the gateway, readable by anyone on the path.
    DavMail's own documentation says SSL is only unnecessary when clients connect over loopback.

    In a container DavMail must bind all interfaces and allow remote clients (connections arrive from
    the bridge gateway), so the exposure depends on how the ports are published, which this file does
    not show: `-p 127.0.0.1:1143:1143` keeps the plaintext hop on the host, `-p 1143:1143` puts it on
    the network. If the ports are published on loopback only, suppress this finding with that reason.

    ## Example
    ```properties
    davmail.allowRemote=true
    davmail.bindAddress=
    davmail.imapPort=1143
    davmail.ssl.keystoreFile=
    ```

    ## Use instead
    ```properties
    davmail.allowRemote=true
    davmail.bindAddress=
    davmail.imapPort=1143
    davmail.ssl.keystoreType=PKCS12
    davmail.ssl.keystoreFile=/etc/davmail/davmail.p12
    davmail.ssl.keystorePass=changeit
    davmail.ssl.keyPass=changeit
    ```

    ## Fix
    Create a keystore (`keytool -genkeypair -storetype PKCS12 -keystore davmail.p12 ...` or
    `openssl pkcs12 -export ...`), set `davmail.ssl.keystoreType`, `keystoreFile`, `keystorePass` and
    `keyPass`, and switch the mail clients to SSL/TLS on the same ports. Or keep the gateway local:
    `davmail.bindAddress=127.0.0.1`. If TLS is terminated in front of DavMail (a reverse proxy on the
    same host), bind DavMail to loopback so the plaintext hop never leaves the machine.

    ## References
    - DavMail SSL setup: https://davmail.sourceforge.net/sslsetup.html
    - DavMail `AbstractServer.bind()` (keystore makes every listener TLS unless `nosecure*`):
      https://github.com/mguessan/davmail/blob/master/src/java/davmail/AbstractServer.java
    - Client/listener TLS mismatch reports: https://github.com/mguessan/davmail/issues/46 ,
      https://github.com/mguessan/davmail/issues/185
    """

    code = "DAV002"
    name = "remote-access-without-tls"
    severity = Severity.ERROR
    tags = ("davmail", "security")

    def check(self, model: DavmailProperties, ctx: FileContext) -> Iterator[Diagnostic]:
        remote = model.setting("davmail.allowRemote")
        if not remote.as_bool:
            return
        bind = bind_of(model)
        if bind.loopback:
            return
        listeners = enabled_listeners(model)
        if not listeners:
            return
        keystore = model.setting("davmail.ssl.keystoreFile")
        bind_related = [Related(bind.setting.span, "bind address")] if bind.setting.span is not None else []

        if keystore.empty:
            names = ", ".join(f"{item.label} {port}" for item, _, port in listeners)
            why = "is absent" if not keystore.present else "is empty"
            yield self.diagnostic(
                span_of(remote),
                f"remote clients are allowed and the listeners ({names}) bind {bind.describe()},"
                f" but davmail.ssl.keystoreFile {why}: every listener is plaintext, so Exchange passwords"
                " and mail cross the network unencrypted",
                related=[*bind_related, *([Related(keystore.span, "no keystore")] if keystore.span else [])],
                fix_title=(
                    "Configure a keystore (davmail.ssl.keystoreType/keystoreFile/keystorePass/keyPass),"
                    " or bind to 127.0.0.1 if only local clients connect"
                ),
                anchor="davmail.allowRemote",
            )
            return

        for item, port_setting, port in listeners:
            nosecure = model.setting(f"davmail.ssl.nosecure{item.proto}")
            if not nosecure.as_bool:
                continue
            yield self.diagnostic(
                span_of(nosecure),
                f"{nosecure.key}=true keeps the {item.label} listener (port {port}) plaintext although a"
                f" keystore is configured; remote clients are allowed and it binds {bind.describe()},"
                f" so {item.label} logins (Exchange passwords) cross the network unencrypted",
                related=[
                    Related(span_of(port_setting), f"{item.label} listener"),
                    Related(span_of(remote), "remote clients allowed here"),
                    Related(span_of(keystore), "keystore for the other listeners"),
                    *bind_related,
                ],
                fix_title=f"Remove `{nosecure.key}` (or set it to false) and use SSL/TLS in the {item.label} clients",
                anchor=nosecure.key,
            )
