from __future__ import annotations

from collections.abc import Iterator

from cfglint.api import Diagnostic, FileContext, Severity
from cfglint.models.hadoop import HadoopEnv
from cfglint.rules.hadoop._common import HadoopRule, effective_version, shown

_OFF = frozenset({"false", "no", "0", "off", "n", "disabled", "disable", "none", "f"})


class ShellDebugEnabledByFalse(HadoopRule):
    """`HADOOP_SHELL_SCRIPT_DEBUG=false` turns the shell debug output on: any non-empty value does.

    ## What it does
    Flags `HADOOP_SHELL_SCRIPT_DEBUG` set to a value that reads as "off" (`false`, `no`, `0`,
    `off`...). Hadoop 3's `hadoop_debug` only tests that the variable is non-empty.

    ## Why is this bad?
    Every `hadoop`, `hdfs` and `yarn` command, and every daemon start, then prints its `DEBUG:`
    lines (classpath, options, every file sourced) to stderr: scripts that parse the output of
    `hdfs getconf` or `hadoop classpath` break, and the daemons' `.out` files fill up.

    ## Example
    ```sh
    export HADOOP_SHELL_SCRIPT_DEBUG=false
    ```

    ## Use instead
    ```sh
    # export HADOOP_SHELL_SCRIPT_DEBUG=true
    unset HADOOP_SHELL_SCRIPT_DEBUG
    ```

    ## Options
    - `hadoop-version` (`"2"` or `"3"`): with `"2"` the rule is silent (Hadoop 2 has no such switch).

    ## References
    - Hadoop 3 `hadoop-functions.sh` `hadoop_debug` (`[[ -n "${HADOOP_SHELL_SCRIPT_DEBUG}" ]]`);
      ../shared/domain/davmail-hadoop.md B.5 #10
    """

    code = "HDP013"
    name = "shell-debug-enabled-by-false"
    severity = Severity.WARNING
    tags = ("hadoop", "correctness")

    def check(self, model: HadoopEnv, ctx: FileContext) -> Iterator[Diagnostic]:
        version, _ = effective_version(model, ctx.options)
        if version == "2":
            return
        for a in model.assignments:
            if a.name != "HADOOP_SHELL_SCRIPT_DEBUG" or a.value is None or model.in_error_region(a.span):
                continue
            texts = a.value.texts
            off = next((t for t in texts or () if t is not None and t.strip().lower() in _OFF), None)
            if off is None:
                continue
            yield self.diagnostic(
                a.span,
                f"HADOOP_SHELL_SCRIPT_DEBUG={shown(off)} turns the shell debug output on: Hadoop 3 only tests that"
                " it is non-empty, so every command and daemon start prints its DEBUG lines",
                fix_title="Remove the line (or `unset HADOOP_SHELL_SCRIPT_DEBUG`): only an empty or unset value is off",
                anchor="HADOOP_SHELL_SCRIPT_DEBUG",
            )
