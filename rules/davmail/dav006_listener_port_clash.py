from __future__ import annotations

from collections.abc import Iterator

from cfglint.api import Diagnostic, FileContext, Related, Severity
from cfglint.models.davmail import DavmailProperties
from cfglint.rules.davmail._common import DavmailRule, enabled_listeners, span_of


class ListenerPortClash(DavmailRule):
    """Two enabled DavMail listeners use the same port: the second one cannot bind.

    ## What it does
    Compares the ports of the enabled listeners (`davmail.caldavPort`, `imapPort`, `ldapPort`,
    `popPort`, `smtpPort`, as `Integer.parseInt` reads them, in 1..65535; empty, `0` and unparsable
    values disable a listener and are ignored here). Each clash is reported once, on the later line,
    with the other key as related location.

    ## Why is this bad?
    All listeners bind the same `davmail.bindAddress`. The first one to start takes the port; the
    other fails with "Unable to bind server socket for IMAP on port 1143: port not allowed or in use
    by another process" and its service is down (or DavMail exits, with
    `davmail.exitOnBindFailed=true`). Typical cause: copying a line and editing only the key.

    ## Example
    ```properties
    davmail.imapPort=1143
    davmail.smtpPort=1143
    ```

    ## Use instead
    ```properties
    davmail.imapPort=1143
    davmail.smtpPort=1025
    ```

    ## References
    - DavMail `DavGateway.start()` / `AbstractServer.bind()`: https://github.com/mguessan/davmail/blob/master/src/java/davmail/DavGateway.java
    - "port not allowed or in use" reports: https://github.com/mguessan/davmail/issues/29 ,
      https://github.com/mguessan/davmail/issues/143
    """

    code = "DAV006"
    name = "listener-port-clash"
    severity = Severity.ERROR
    tags = ("davmail", "correctness")

    def check(self, model: DavmailProperties, ctx: FileContext) -> Iterator[Diagnostic]:
        listeners = sorted(enabled_listeners(model), key=lambda e: (span_of(e[1]).line, span_of(e[1]).column))
        first_on_port: dict[int, tuple] = {}
        for item, setting, port in listeners:
            earlier = first_on_port.get(port)
            if earlier is None:
                first_on_port[port] = (item, setting)
                continue
            other_item, other_setting = earlier
            yield self.diagnostic(
                span_of(setting),
                f"{setting.key}={port} is the port of the {other_item.label} listener too ({other_setting.key}):"
                f" the second listener to start fails with 'Unable to bind server socket ... port not allowed"
                f" or in use' and {item.label} or {other_item.label} is down",
                related=[Related(span_of(other_setting), f"{other_item.label} listener on port {port}")],
                fix_title=f"Give {item.label} its own port (DavMail defaults: CalDAV 1080, IMAP 1143, LDAP 1389, POP 1110, SMTP 1025)",
                anchor=setting.key,
            )
