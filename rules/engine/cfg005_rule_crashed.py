from cfglint.api import EngineRule, Severity


class RuleCrashed(EngineRule):
    """A rule or a parser raised an internal error on this file.

    ## What it does
    Reports a cfglint bug: a rule (or a parser) raised an exception on a file. The run goes on with
    the other rules and files, and exits with status 2.

    ## Why is this bad?
    The crashed rule's checks did not run on that file, so the result is incomplete. It is reported
    so that it is never mistaken for a clean result.

    ## Example
    ```text
    davmail.properties:1:1: CFG005 [error] internal error in DAV006 (listener-port-clash): KeyError: 'x'
    ```

    ## Use instead
    ```text
    Report the bug with the file (secrets removed); meanwhile `--ignore` the crashing rule.
    ```
    """

    code = "CFG005"
    name = "rule-crashed"
    severity = Severity.ERROR
    tags = ("engine", "internal")
    suppressible = False
