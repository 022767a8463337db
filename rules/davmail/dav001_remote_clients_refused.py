from __future__ import annotations

from collections.abc import Iterator

from cfglint.api import Diagnostic, FileContext, Related, Severity
from cfglint.models.davmail import DavmailProperties
from cfglint.rules.davmail._common import (
    DavmailRule,
    bind_of,
    enabled_listeners,
    span_of,
    why_not_true,
)


class RemoteClientsRefused(DavmailRule):
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
