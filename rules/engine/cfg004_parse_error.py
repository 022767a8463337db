from cfglint.api import EngineRule, Severity


class ParseError(EngineRule):
    """The parser could not read part of a file.

    ## What it does
    Reports a line the format's parser could not understand, with its position. The rest of the
    file is still modelled and linted where possible; rules never look inside the broken region.

    ## Why is this bad?
    A construct the parser cannot read is one the rules cannot check: the file must not be called
    clean while part of it went unseen.

    ## Example
    ```text
    fw1.cfg:40:1: CFG004 [error] cannot parse 'crypto map' line: missing sequence number
    ```

    ## Use instead
    ```text
    Correct the line so the device (and cfglint) can read it.
    ```
    """

    code = "CFG004"
    name = "parse-error"
    severity = Severity.ERROR
    tags = ("engine", "parse")
    suppressible = False
