from __future__ import annotations

import re
from collections.abc import Iterator

from cfglint.api import Diagnostic, FileContext, Related, Severity
from cfglint.hadoop.variables import LAUNCHER_SET
from cfglint.models.hadoop import HadoopEnv
from cfglint.rules.hadoop._common import HadoopRule, shown


def _default_form(text: str, name: str) -> bool:
    """`${NAME:-x}`, `${NAME-x}`, `${NAME:=x}`, `${NAME:+x}`, `${NAME:?x}`...: the use expects it may be unset."""
    return re.search(r"\$\{" + re.escape(name) + r":?[-=+?]", text) is not None


def _tested_by(model: HadoopEnv, conditions, name: str) -> bool:
    for cond in conditions:
        if cond.subject is not None and name in cond.subject:
            return True
        for i in cond.tests:
            if 0 <= i < len(model.commands):
                c = model.commands[i]
                if any(name in w.refs for w in c.argv):
                    return True
    return False


class VariableUsedBeforeAssignment(HadoopRule):
    """A variable is used before the line of this file that assigns it.

    ## What it does
    Flags the first use of a variable that the file assigns further down, unconditionally
    (`export HADOOP_LOG_DIR=$DATA_ROOT/logs` above `DATA_ROOT=/data`). Not flagged: what the
    launcher sets before it sources the file (`HADOOP_HOME`, `HADOOP_PREFIX`, `HADOOP_CONF_DIR`,
    `HADOOP_LIBEXEC_DIR`, the `*_HOME` and `*_DIR` layout variables) and what every session has
    (`HOME`, `USER`, `PATH`...); uses in tests (`if [ -z "$JAVA_HOME" ]`), in branches such a test
    guards, and in default expansions (`${X:-...}`), which expect the variable may be unset; uses
    in functions; variables whose later assignment builds on themselves (`X=${X:-...}`,
    `X="$X ..."`); and uses after a `. FILE` / `source FILE`, which may set them.

    ## Why is this bad?
    The shell reads the file top to bottom: at the use, the variable holds whatever the caller
    passed, which is nothing under an init script, systemd or ssh. The log directory above
    becomes `/logs` on every node started by `start-dfs.sh`, and whatever the admin's shell had
    when started by hand: the symptom changes with the start path.

    ## Example
    ```sh
    export HADOOP_LOG_DIR=$HADOOP_BASE/logs
    export HADOOP_BASE=/data/hadoop
    ```

    ## Use instead
    ```sh
    export HADOOP_BASE=/data/hadoop
    export HADOOP_LOG_DIR=$HADOOP_BASE/logs
    ```

    ## References
    - ../shared/domain/davmail-hadoop.md B.5 #6; Hadoop `hadoop-config.sh` (what it sets before
      sourcing hadoop-env.sh)
    """

    code = "HDP010"
    name = "variable-used-before-assignment"
    severity = Severity.WARNING
    tags = ("hadoop", "correctness")

    def check(self, model: HadoopEnv, ctx: FileContext) -> Iterator[Diagnostic]:
        seen: set[str] = set()
        sourced = [c.span for c in model.commands if c.name in (".", "source")]
        for name, command, word, assignment in model.uses_before_assignment():
            if any((s.line, s.column) < (word.span.line, word.span.column) for s in sourced):
                continue  # a file sourced above may set it
            if name in seen or name in LAUNCHER_SET or not re.match(r"^[A-Za-z_][A-Za-z0-9_]*$", name):
                continue
            if command.kind == "test" or command.tested or _default_form(word.text, name):
                continue
            if _tested_by(model, command.conditions, name):
                continue  # `if [ -n "$X" ]; then Y=$X; fi`: reads the caller's value on purpose
            if assignment.conditional or assignment.scope != "global" or assignment.value is None:
                continue
            if assignment.word is not None and name in assignment.word.refs:
                continue
            if model.in_error_region(word.span) or model.in_error_region(assignment.span):
                continue
            seen.add(name)
            later = assignment.value.text if assignment.value.is_known else None
            value = f" ({shown(later)})" if later else ""
            yield self.diagnostic(
                word.span,
                f"${name} is used here, before line {assignment.span.line} assigns it{value}: at this point it"
                " holds whatever the caller passed, which is nothing when an init script, systemd or ssh starts"
                " the daemon",
                related=[Related(assignment.span, f"{name} is assigned here")],
                fix_title=f"Move the assignment of {name} above its first use",
                anchor=name,
            )
