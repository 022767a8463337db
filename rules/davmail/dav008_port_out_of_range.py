from __future__ import annotations

from collections.abc import Iterator

from cfglint.api import Diagnostic, FileContext, Related, Severity
from cfglint.models.davmail import DavmailProperties, java_parse_int
from cfglint.rules.davmail._common import LISTENERS, DavmailRule, span_of


class PortOutOfRange(DavmailRule):
    """A listener or proxy port is a valid integer outside 0..65535: DavMail does not start (or cannot reach the proxy).

    ## What it does
    Flags a listener port (`davmail.caldavPort`, `imapPort`, `ldapPort`, `popPort`, `smtpPort`)
    that `Integer.parseInt` reads as a number below 0 or above 65535, and `davmail.proxyPort` above
    65535 or below -1 when the proxy is in use (`davmail.enableProxy=true`). `0` (or empty) disables
    a listener and is fine; values that are not integers at all are DAV007's.

    ## Why is this bad?
    DavMail creates a listener for every port other than 0 and binds it with `new ServerSocket(port)`,
    which throws `IllegalArgumentException: Port value out of range`. `AbstractServer.bind()` only
    catches `IOException` and `DavGateway.start()` only `DavMailException`, so the exception is not
    caught and DavMail does not start at all, not just that listener. For the proxy, Java rejects the
    port when the connection is opened (`IllegalArgumentException: port out of range`), so no request
    reaches Exchange (`-1` is allowed there: the HTTP client reads it as "default port").

    ## Example
    ```properties
    davmail.imapPort=114300
    ```

    ## Use instead
    ```properties
    davmail.imapPort=11430
    ```

    ## References
    - DavMail `AbstractServer.bind()`, `DavGateway.start()`: https://github.com/mguessan/davmail/blob/master/src/java/davmail/AbstractServer.java
    - JDK `java.net.ServerSocket(int)` ("port value out of range"), `java.net.InetSocketAddress`
    """

    code = "DAV008"
    name = "port-out-of-range"
    severity = Severity.ERROR
    tags = ("davmail", "correctness")

    def check(self, model: DavmailProperties, ctx: FileContext) -> Iterator[Diagnostic]:
        for item in LISTENERS:
            setting = model.setting(item.key)
            if setting.empty:
                continue
            port = java_parse_int(setting.raw or "")
            if port is None or 0 <= port <= 65535:
                continue
            yield self.diagnostic(
                span_of(setting),
                f"{item.key}={port} is outside the TCP port range 0..65535: binding the {item.label} listener"
                " throws IllegalArgumentException ('Port value out of range'), which DavMail does not catch,"
                " so DavMail does not start",
                fix_title=f"Use a port in 1024..65535 for {item.label}, or 0 / an empty value to disable it",
                anchor=item.key,
            )

        proxy_port = model.setting("davmail.proxyPort")
        enable = model.setting("davmail.enableProxy")
        if proxy_port.empty or not enable.as_bool:
            return
        port = java_parse_int(proxy_port.raw or "")
        if port is None or -1 <= port <= 65535:
            return
        yield self.diagnostic(
            span_of(proxy_port),
            f"davmail.proxyPort={port} is outside the TCP port range 0..65535 while davmail.enableProxy is true:"
            " opening the proxy connection throws IllegalArgumentException ('port out of range'), so no"
            " request reaches Exchange",
            related=[Related(span_of(enable), "proxy switched on here")],
            fix_title="Set davmail.proxyPort to the proxy's port (for example 3128 or 8080)",
            anchor="davmail.proxyPort",
        )
