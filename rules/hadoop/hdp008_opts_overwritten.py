from __future__ import annotations

from collections.abc import Iterator

from cfglint.api import Diagnostic, FileContext, Related, Severity
from cfglint.models.hadoop import HadoopEnv
from cfglint.rules.hadoop._common import HadoopRule, read_between, reads_itself
from cfglint.shell import Assignment


def _lost(text: str | None) -> str:
    if text and "preferIPv4Stack" in text:
        return " (the template's -Djava.net.preferIPv4Stack=true among them)"
    return ""


class OptsOverwritten(HadoopRule):
    """A `*_OPTS` variable is reassigned without itself: the options set earlier in the file are lost.

    ## What it does
    Flags an assignment to a `*_OPTS` variable (`HADOOP_OPTS`, `HDFS_NAMENODE_OPTS`,
    `YARN_RESOURCEMANAGER_OPTS`...) that runs unconditionally, does not reference the variable
    (`"$HADOOP_OPTS ..."` / `"... ${HADOOP_OPTS}"`), and follows an earlier assignment of it in the
    same file whose value nothing read in between. The first assignment of a file may start from
    scratch; an append (`+=` or a self-reference) or a branch that only may run is never flagged.

    ## Why is this bad?
    Options accumulate: the template adds `-Djava.net.preferIPv4Stack=true` (or the Kerberos
    flags on macOS), an admin appends `-Xmx`, a tutorial line at the bottom then sets
    `HADOOP_OPTS="-Djava.library.path=..."` and silently drops everything above it.

    ## Example
    ```sh
    export HADOOP_OPTS="$HADOOP_OPTS -Djava.net.preferIPv4Stack=true"
    export HADOOP_OPTS="-Djava.library.path=/opt/hadoop/lib/native"
    ```

    ## Use instead
    ```sh
    export HADOOP_OPTS="$HADOOP_OPTS -Djava.net.preferIPv4Stack=true"
    export HADOOP_OPTS="$HADOOP_OPTS -Djava.library.path=/opt/hadoop/lib/native"
    ```

    ## References
    - ../shared/domain/davmail-hadoop.md B.5 #5 (corpus: Hadoop 2.7.3 and Homebrew 3.2.1 files)
    """

    code = "HDP008"
    name = "opts-overwritten"
    severity = Severity.WARNING
    tags = ("hadoop", "correctness")

    def check(self, model: HadoopEnv, ctx: FileContext) -> Iterator[Diagnostic]:
        previous: dict[str, Assignment] = {}
        for a in model.assignments:
            if not a.name.endswith("_OPTS") or a.scope != "global" or a.in_function is not None:
                continue
            if a.value is None or a.op is None or model.in_error_region(a.span):
                previous.pop(a.name, None)
                continue
            earlier = previous.get(a.name)
            previous[a.name] = a
            if earlier is None or a.op != "=" or a.conditional or reads_itself(model, a):
                continue
            if earlier.value is not None and earlier.value.is_empty:
                continue
            if read_between(model, a.name, earlier.span, a.span):
                continue
            before = earlier.word.text if earlier.word is not None else None
            where = " (in a branch)" if earlier.conditional else ""
            yield self.diagnostic(
                a.span,
                f"{a.name} is reassigned without ${a.name}: what line {earlier.span.line}{where} set"
                f"{_lost(before)} is lost",
                related=[Related(earlier.span, f"{a.name} set here first")],
                fix_title=f'Append instead: `{a.name}="${a.name} ..."`',
                anchor=a.name,
            )
