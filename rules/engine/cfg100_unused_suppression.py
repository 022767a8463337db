from cfglint.api import EngineRule, Severity


class UnusedSuppression(EngineRule):
    """An inline suppression that suppresses nothing.

    ## What it does
    Reports a `cfglint: ignore[...]` or `file-ignore[...]` comment whose codes matched no finding
    on the line it covers (or in the file).

    ## Why is this bad?
    Stale suppressions pile up after the problem they excused was fixed, and later hide a new
    problem on the same line.

    ## Example
    ```properties
    # cfglint: ignore[DAV009] -- runs with CAP_NET_BIND_SERVICE
    davmail.imapPort=1143
    ```

    ## Use instead
    ```properties
    davmail.imapPort=1143
    ```
    """

    code = "CFG100"
    name = "unused-suppression"
    severity = Severity.WARNING
    tags = ("engine", "suppression")
    example_language = "properties"
