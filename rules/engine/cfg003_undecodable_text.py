from cfglint.api import EngineRule, Severity


class UndecodableText(EngineRule):
    """A file's bytes are not valid in the encoding its format uses.

    ## What it does
    Reports bytes that cannot be decoded in the encoding the file's consumer reads (UTF-8 for shell
    scripts and ASA configs; `.properties` files are ISO-8859-1 and always decode). Reports the
    first bad line and lints the rest with the bad bytes replaced.

    ## Why is this bad?
    The program reading the file will see different characters than the author typed: a Latin-1
    `é` in a shell script or a stray byte from a bad copy can change a value silently.

    ## Example
    ```text
    hadoop-env.sh:12:1: CFG003 [error] invalid UTF-8 (byte 0xe9 at column 24); decoded with replacement
    ```

    ## Use instead
    ```text
    Save the file as UTF-8 (iconv -f latin1 -t utf-8).
    ```
    """

    code = "CFG003"
    name = "undecodable-text"
    severity = Severity.ERROR
    tags = ("engine", "encoding")
    suppressible = False
