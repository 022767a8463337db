from cfglint.api import EngineRule, Severity


class BinaryFile(EngineRule):
    """A file recognised as a configuration holds binary data.

    ## What it does
    Reports a file that was selected for linting (by its name, the `kinds` table or an explicit
    path) but contains NUL bytes, so it is not a text configuration.

    ## Why is this bad?
    A firewall backup saved as a compressed or encrypted blob under `fw1.cfg`, or a file truncated
    by a crashed copy, would otherwise pass the gate as if it were clean.

    ## Example
    ```text
    $ gzip -c fw1.cfg > backup/fw1.cfg && cfglint check backup/fw1.cfg
    backup/fw1.cfg:1:1: CFG002 [error] binary data (NUL byte at offset 10); not linted
    ```

    ## Use instead
    ```text
    $ zcat backup/fw1.cfg.gz > fw1.cfg && cfglint check fw1.cfg
    ```

    ## Fix
    Store the text configuration, or exclude the binary file.
    """

    code = "CFG002"
    name = "binary-file"
    severity = Severity.ERROR
    tags = ("engine", "io")
    suppressible = False
