"""DAV019: `davmail.allowRemote=true` while the listeners are bound to a loopback address."""

from __future__ import annotations

from collections.abc import Iterator

from cfglint.api import Diagnostic, FileContext, Related, Severity
from cfglint.models.davmail import DavmailProperties
from cfglint.rules.davmail._common import DavmailRule, bind_of


class AllowRemoteLoopbackBind(DavmailRule):
    """`davmail.allowRemote=true` has no effect: the listeners are bound to a loopback address.

    ## What it does
    Flags `davmail.allowRemote=true` (as Java reads it) together with a `davmail.bindAddress`
    in 127.0.0.0/8, `::1` or `localhost`.

    ## Why is this bad?
    The two settings contradict each other. `bindAddress` decides where the sockets listen: on a
    loopback address no other host can connect, whatever `allowRemote` says, so the gateway is
    still local-only. `allowRemote` is only checked after a connection was accepted. In a
    container the combination is worse: with published ports (`-p 1143:1143`), connections
    arrive from the bridge gateway, not from the container's loopback, so a listener bound to
    127.0.0.1 inside the container is unreachable from the host, even when the host side is
    published on 127.0.0.1.

    ## Example
    ```properties
    davmail.allowRemote=true
    davmail.bindAddress=127.0.0.1
    ```

    ## Use instead
    ```properties
    davmail.allowRemote=true
    davmail.bindAddress=
    ```

    ## Fix
    To serve other hosts (or a container's published ports), leave `davmail.bindAddress` empty or
    set the LAN address. For a local-only gateway, drop `davmail.allowRemote` (false).

    ## References
    - DavMail `AbstractServer.bind()` and `AbstractServer.run()` (allowRemote check after accept)
    """

    code = "DAV019"
    name = "allow-remote-loopback-bind"
    severity = Severity.INFO
    tags = ("davmail", "network")

    def check(self, model: DavmailProperties, ctx: FileContext) -> Iterator[Diagnostic]:
        remote, bind = model.setting("davmail.allowRemote"), model.setting("davmail.bindAddress")
        if not remote.as_bool or remote.entry is None or bind.empty or bind.entry is None:
            return
        address = bind.raw or ""
        # A value with blanks around it does not resolve at all (DAV018 reports that).
        if address != address.strip() or not bind_of(model).loopback:
            return
        yield self.diagnostic(
            bind.entry.value_span,
            f"davmail.allowRemote=true, but davmail.bindAddress={address} is a loopback address: the listeners "
            "only accept local connections, so the gateway is still local-only (in a container with published "
            "ports it is unreachable from the host, whose connections come from the bridge gateway)",
            related=[Related(remote.entry.span, "allowRemote=true here")],
            fix_title="Leave davmail.bindAddress empty (or set the LAN address) to serve other hosts; "
            "otherwise drop davmail.allowRemote",
            anchor="davmail.bindAddress",
        )
