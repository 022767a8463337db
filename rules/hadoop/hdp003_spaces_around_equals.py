from __future__ import annotations

from collections.abc import Iterator

from cfglint.api import Diagnostic, FileContext, Severity
from cfglint.models.hadoop import HadoopEnv
from cfglint.rules.hadoop._common import HadoopRule

_FORMS = ("spaces-around-equals", "space-before-equals", "space-after-equals")


class SpacesAroundEquals(HadoopRule):
    """An assignment has a blank around `=`, so bash does not assign what it says.

    ## What it does
    Flags `export X = value`, `X = value`, `export X =value` and `export X= value` (also with
    `declare`/`readonly`): the shell front end reads them as bash does and says what happens instead.

    ## Why is this bad?
    A shell assignment is one word. `export JAVA_HOME = /usr/java` runs `export JAVA_HOME`, then
    fails with `export: '=': not a valid identifier`: JAVA_HOME is not set and the daemons stop
    with `JAVA_HOME is not set and could not be found`. `HADOOP_OPTS = "-Xmx4g"` runs a command
    named `HADOOP_OPTS` (`command not found`); `export X= /opt` sets X to the empty string.
    hadoop-env.sh is sourced, so the error scrolls by in the daemon's `.out` file at best.

    ## Example
    ```sh
    export JAVA_HOME = /usr/lib/jvm/java-8-openjdk-amd64
    ```

    ## Use instead
    ```sh
    export JAVA_HOME=/usr/lib/jvm/java-8-openjdk-amd64
    ```

    ## References
    - bash(1), SHELL GRAMMAR / PARAMETERS: `name=[value]`, no blanks
    - The Hadoop 3.1 yarn-env.sh template's commented `# export YARN_SERVICE_EXAMPLES_DIR = ...`
    """

    code = "HDP003"
    name = "spaces-around-equals"
    severity = Severity.ERROR
    tags = ("hadoop", "syntax")

    def check(self, model: HadoopEnv, ctx: FileContext) -> Iterator[Diagnostic]:
        for a in model.assignments:
            if a.malformed not in _FORMS or model.in_error_region(a.span):
                continue
            intended = a.intended.text if a.intended is not None else "value"
            keyword = " ".join((a.via, *a.flags)) + " " if a.via in ("export", "declare", "readonly", "typeset") else ""
            yield self.diagnostic(
                a.span,
                f"blank around `=` in the assignment to {a.name}: {a.message}",
                fix_title=f"Write `{keyword}{a.name}={intended}` with no blank around `=`",
                anchor=a.name,
            )
