from __future__ import annotations

from collections.abc import Iterator

from cfglint.api import Diagnostic, FileContext, Severity, Span
from cfglint.hadoop.variables import did_you_mean
from cfglint.models.hadoop import HadoopEnv
from cfglint.rules.hadoop._common import HadoopRule, mentions


class MisspelledVariable(HadoopRule):
    """A HADOOP_/HDFS_/YARN_/MAPRED_ variable Hadoop does not know, one typo away from one it does.

    ## What it does
    Flags a variable name with a Hadoop prefix that no Hadoop version reads, at edit distance 1
    (one letter added, dropped, changed, or two swapped) of exactly one name Hadoop reads: set
    but never used (`YARN_RESOURCE_MANAGER_OPTS`), or used but never set (`${HDFS_DATANODE_OPT}`).
    A name the file both sets and uses is its own helper and is left alone; so are the
    per-daemon names the launchers build from any subcommand (`HDFS_<CMD>_OPTS`, `YARN_<CMD>_USER`...).

    ## Why is this bad?
    Nothing reads the misspelled variable: a setting has no effect, and a reference expands to
    the empty string. Bigtop's own secure-cluster template appends `${HDFS_DATANODE_OPT}` to
    `HDFS_DATANODE_OPTS`, dropping whatever the variable held before; the Hadoop 3.1
    yarn-env.sh template documents `YARN_RESOURCE_MANAGER_OPTS`, which bin/yarn never reads.

    ## Example
    ```sh
    export YARN_RESOURCE_MANAGER_OPTS="-Xmx4g"
    ```

    ## Use instead
    ```sh
    export YARN_RESOURCEMANAGER_OPTS="-Xmx4g"
    ```

    ## References
    - Bigtop `bigtop-packages/src/common/hadoop/conf.secure/hadoop-env.sh`; Hadoop 3.1
      `yarn-env.sh` line 51; ../shared/domain/davmail-hadoop.md B.5 #11
    """

    code = "HDP014"
    name = "misspelled-variable"
    severity = Severity.WARNING
    tags = ("hadoop", "correctness")

    def check(self, model: HadoopEnv, ctx: FileContext) -> Iterator[Diagnostic]:
        assigned: dict[str, Span] = {}
        for a in model.assignments:
            if a.value is not None and not model.in_error_region(a.span):
                assigned.setdefault(a.name, a.span)
        used: dict[str, tuple[Span, str | None]] = {}  # name -> (first use, the variable that assignment sets)
        for c in model.commands:
            words = [(w, None) for w in c.argv] + [(x.word, x.name) for x in c.assignments if x.word is not None]
            for w, target in words:
                for name in w.refs:
                    if name not in used and not model.in_error_region(w.span):
                        used[name] = (w.span, target)
        for name in sorted(set(assigned) | set(used), key=lambda n: _first(n, assigned, used)):
            if name in assigned and name in used:
                continue
            suggestion = did_you_mean(name)
            if suggestion is None:
                continue
            if name in assigned:
                if mentions(model, name) > sum(1 for a in model.assignments if a.name == name):
                    continue  # named again somewhere the model does not see a use (arithmetic, `let`)
                yield self.diagnostic(
                    assigned[name],
                    f"{name} is not a variable Hadoop reads, so this setting has no effect: did you mean {suggestion}?",
                    fix_title=f"Rename it to {suggestion}",
                    anchor=name,
                )
            else:
                span, target = used[name]
                tail = ""
                if target == suggestion:
                    tail = f", and the value {suggestion} had before this line is dropped"
                yield self.diagnostic(
                    span,
                    f"${name} is never set and Hadoop knows no such variable, so it expands to nothing{tail};"
                    f" did you mean {suggestion}?",
                    fix_title=f"Write ${{{suggestion}}}",
                    anchor=name,
                )


def _first(name: str, assigned: dict, used: dict) -> tuple[int, int, str]:
    spans = [s for s in (assigned.get(name), used.get(name, (None,))[0]) if s is not None]
    first = min(spans, key=lambda s: (s.line, s.column))
    return (first.line, first.column, name)
