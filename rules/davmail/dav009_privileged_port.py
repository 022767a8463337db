from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from cfglint.api import Diagnostic, FileContext, Severity
from cfglint.models.davmail import DavmailProperties
from cfglint.rules.davmail._common import DavmailRule, enabled_listeners, span_of

OPTION = "allow-privileged"


def _option_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        text = value.strip().lower()
        if text in ("true", "yes", "1", "on"):
            return True
        if text in ("false", "no", "0", "off", ""):
            return False
    if isinstance(value, int):
        return bool(value)
    raise ValueError(f"DAV009 option {OPTION!r} must be a boolean, got {value!r}")


class PrivilegedPort(DavmailRule):
    """A listener uses a privileged port (1-1023), which a non-root DavMail cannot bind.

    ## What it does
    Flags each enabled listener (`davmail.caldavPort`, `imapPort`, `ldapPort`, `popPort`,
    `smtpPort`, as `Integer.parseInt` reads them) on a port from 1 to 1023.

    ## Why is this bad?
    On Linux, binding a port below 1024 needs root or the `CAP_NET_BIND_SERVICE` capability (unless
    `net.ipv4.ip_unprivileged_port_start` was lowered, as Docker 20.10+ does inside containers).
    DavMail should not run as root, and a plain `davmail` run lacks the capability: the bind fails with
    `java.net.BindException: Permission denied`, logged as "Unable to bind server socket for IMAP on
    port 143: port not allowed or in use by another process". That listener stays down while the
    others run (or DavMail exits with `davmail.exitOnBindFailed=true`). DavMail's own defaults are
    above 1024 for this reason: CalDAV 1080, IMAP 1143, LDAP 1389, POP 1110, SMTP 1025.

    ## Example
    ```properties
    davmail.imapPort=143
    ```

    ## Use instead
    ```properties
    davmail.imapPort=1143
    ```

    ## Options
    - `allow-privileged` (bool, default `false`): do not report privileged ports, for services that
      do get the capability, like the upstream systemd unit (`User=davmail` with
      `AmbientCapabilities=CAP_NET_BIND_SERVICE`) or a container with an unprivileged-port sysctl of 0.

    ## Fix
    Use a port above 1023 and point the clients at it, or grant the capability:
    `AmbientCapabilities=CAP_NET_BIND_SERVICE` in the systemd unit, or
    `setcap cap_net_bind_service=+ep` on the java binary.

    ## References
    - Upstream systemd unit: https://github.com/mguessan/davmail/blob/master/src/init/davmail.service
    - DavMail default ports (`Settings.setDefaultSettings`, "ports above 1024 for unix/linux"):
      https://github.com/mguessan/davmail/blob/master/src/java/davmail/Settings.java
    - "port not allowed or in use" reports: https://github.com/mguessan/davmail/issues/29 ,
      https://github.com/mguessan/davmail/issues/51
    """

    code = "DAV009"
    name = "privileged-port"
    severity = Severity.WARNING
    tags = ("davmail", "deployment")

    def check(self, model: DavmailProperties, ctx: FileContext) -> Iterator[Diagnostic]:
        if _option_bool(ctx.options.get(OPTION, False)):
            return
        for item, setting, port in enabled_listeners(model):
            if port > 1023:
                continue
            yield self.diagnostic(
                span_of(setting),
                f"{item.key}={port} is a privileged port: binding it needs root or CAP_NET_BIND_SERVICE,"
                f" otherwise DavMail logs 'Unable to bind server socket for {item.label} on port {port}:"
                f" port not allowed or in use by another process' and {item.label} stays down",
                fix_title=(
                    f"Use a port above 1023 for {item.label} (DavMail's defaults are 1080/1143/1389/1110/1025),"
                    " or grant CAP_NET_BIND_SERVICE and set the DAV009 option allow-privileged"
                ),
                anchor=item.key,
            )
