from cfglint.api import EngineRule, Severity


class UnreadableFile(EngineRule):
    """A file that was found could not be read.

    ## What it does
    Reports a file the run could not open or read (permission denied, vanished during the run,
    an I/O error). The file is not linted.

    ## Why is this bad?
    A CI gate that skips a file it cannot read would call a broken tree clean. cfglint says so
    instead, with the operating system's reason.

    ## Example
    ```text
    $ chmod 000 fw1.cfg && cfglint check .
    fw1.cfg:1:1: CFG001 [error] cannot read file: Permission denied
    ```

    ## Use instead
    ```text
    $ chmod 644 fw1.cfg && cfglint check .
    ```

    ## Fix
    Make the file readable by the user running cfglint, or exclude it in the configuration.
    """

    code = "CFG001"
    name = "unreadable-file"
    severity = Severity.ERROR
    tags = ("engine", "io")
    suppressible = False
