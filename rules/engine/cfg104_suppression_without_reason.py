from cfglint.api import EngineRule, Severity


class SuppressionWithoutReason(EngineRule):
    """An inline suppression gives no reason.

    ## What it does
    Reports a `cfglint: ignore[...]` comment with no ` -- reason` after the codes. The suppression
    still applies. Turn the requirement off with `require-suppression-reason = false`.

    ## Why is this bad?
    A reviewer cannot tell a deliberate exception from a silenced bug; a year later nobody knows
    whether the suppression can go.

    ## Example
    ```properties
    # cfglint: ignore[DAV009]
    davmail.imapPort=143
    ```

    ## Use instead
    ```properties
    # cfglint: ignore[DAV009] -- systemd unit grants CAP_NET_BIND_SERVICE
    davmail.imapPort=143
    ```
    """

    code = "CFG104"
    name = "suppression-without-reason"
    severity = Severity.WARNING
    tags = ("engine", "suppression")
    example_language = "properties"
