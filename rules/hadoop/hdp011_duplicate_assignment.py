from __future__ import annotations

from collections.abc import Iterator

from cfglint.api import Diagnostic, FileContext, Related, Severity
from cfglint.models.hadoop import HadoopEnv
from cfglint.rules.hadoop._common import HadoopRule, read_between, reads_itself, shown
from cfglint.shell import Assignment

_VIAS = ("plain", "export", "declare", "typeset", "readonly")


class DuplicateAssignment(HadoopRule):
    """A variable is assigned twice at the top level: the first value is dead.

    ## What it does
    Flags an unconditional top-level assignment of a variable that an earlier unconditional
    top-level assignment already set, when the new value does not use the variable and nothing
    read it in between. `*_OPTS` variables are HDP008's. Identical values are reported as info.

    ## Why is this bad?
    Only the last assignment counts, and the one a reader finds first is not it: someone fixes
    JAVA_HOME on line 25 of a 100-line hadoop-env.sh and nothing changes, because line 103 sets it
    again. Hand-edited env files accumulate such pairs (a template line plus a tutorial block at
    the bottom).

    ## Example
    ```sh
    export JAVA_HOME=/usr/lib/jvm/java-7-openjdk-amd64
    export HADOOP_PID_DIR=/var/run/hadoop
    export JAVA_HOME=/usr/lib/jvm/java-8-openjdk-amd64
    ```

    ## Use instead
    ```sh
    export JAVA_HOME=/usr/lib/jvm/java-8-openjdk-amd64
    export HADOOP_PID_DIR=/var/run/hadoop
    ```

    ## References
    - ../shared/domain/davmail-hadoop.md B.5 #5 (corpus: Hadoop 2.7.3 hadoop-env.sh, JAVA_HOME on
      lines 25 and 103)
    """

    code = "HDP011"
    name = "duplicate-assignment"
    severity = Severity.WARNING
    tags = ("hadoop", "maintainability")

    def check(self, model: HadoopEnv, ctx: FileContext) -> Iterator[Diagnostic]:
        last: dict[str, Assignment] = {}
        for a in model.assignments:
            if a.in_function is not None or a.scope != "global":
                continue
            if a.conditional or a.via not in _VIAS or a.value is None or a.op != "=" or a.array:
                last.pop(a.name, None)  # a branch or an odd form: the chain restarts
                continue
            if model.in_error_region(a.span) or a.name.endswith("_OPTS") or a.name == "IFS":
                last.pop(a.name, None)
                continue
            earlier = last.get(a.name)
            last[a.name] = a
            if earlier is None or reads_itself(model, a):
                continue
            if earlier.value is not None and earlier.value.is_empty:
                continue  # `X=` first: clearing what the environment passed, then setting it
            if read_between(model, a.name, earlier.span, a.span):
                continue
            same = earlier.value is not None and earlier.value.is_known and earlier.value == a.value
            if same:
                message = (
                    f"{a.name} is assigned the same value again ({shown(a.value.text)}, as on line"
                    f" {earlier.span.line})"
                )
                severity = Severity.INFO
            else:
                before = earlier.word.text if earlier.word is not None else None
                message = (
                    f"{a.name} is assigned again: the value line {earlier.span.line} gave it ({shown(before)}) is"
                    " never used, only this one counts"
                )
                severity = None
            yield self.diagnostic(
                a.span,
                message,
                related=[Related(earlier.span, f"{a.name} first assigned here")],
                fix_title=f"Keep one assignment of {a.name}",
                anchor=a.name,
                severity=severity,
            )
