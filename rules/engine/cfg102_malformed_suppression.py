from cfglint.api import EngineRule, Severity


class MalformedSuppression(EngineRule):
    """An inline suppression comment cannot be read.

    ## What it does
    Reports a comment that starts like a cfglint directive (`cfglint:`) but does not have the form
    `cfglint: ignore[CODE, ...] -- reason` or `cfglint: file-ignore[CODE, ...] -- reason`. A
    malformed directive is never treated as "suppress everything".

    ## Why is this bad?
    The author meant to suppress something and nothing is suppressed; or, in other tools, a typo
    silently suppresses every rule.

    ## Example
    ```properties
    # cfglint: ignore DAV009 because of systemd
    davmail.imapPort=143
    ```

    ## Use instead
    ```properties
    # cfglint: ignore[DAV009] -- runs with CAP_NET_BIND_SERVICE
    davmail.imapPort=143
    ```
    """

    code = "CFG102"
    name = "malformed-suppression"
    severity = Severity.WARNING
    tags = ("engine", "suppression")
    example_language = "properties"
