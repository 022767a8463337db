from cfglint.api import EngineRule, Severity


class UnknownSuppressionCode(EngineRule):
    """An inline suppression names a rule that does not exist.

    ## What it does
    Reports codes or names in a `cfglint: ignore[...]` comment that match no rule, with a
    did-you-mean when one is close.

    ## Why is this bad?
    A typo in a suppression suppresses nothing, and the author believes the finding is handled.

    ## Example
    ```properties
    # cfglint: ignore[DAV999] -- legacy client
    davmail.imapPort=143
    ```

    ## Use instead
    ```properties
    # cfglint: ignore[DAV009] -- runs with CAP_NET_BIND_SERVICE
    davmail.imapPort=143
    ```
    """

    code = "CFG101"
    name = "unknown-suppression-code"
    severity = Severity.WARNING
    tags = ("engine", "suppression")
    example_language = "properties"
