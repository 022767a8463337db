from __future__ import annotations

from collections.abc import Iterator

from cfglint.api import Diagnostic, FileContext, Severity
from cfglint.hadoop.variables import IGNORED_IN_3, ONLY_IN_3
from cfglint.models.hadoop import HadoopEnv
from cfglint.rules.hadoop._common import HadoopRule, effective_version, version_note


class VariableIgnoredByVersion(HadoopRule):
    """The file sets a variable this Hadoop version never reads: the setting silently has no effect.

    ## What it does
    In a Hadoop 3 file, flags the 2.x (and 1.x / MRv1) variables Hadoop 3 ignores without a
    warning: `YARN_HEAPSIZE`, `HADOOP_NAMENODE_INIT_HEAPSIZE`, `YARN_TIMELINE_HEAPSIZE` (the 3.x
    template's own typo for `YARN_TIMELINESERVER_HEAPSIZE`), `HADOOP_JOBTRACKER_OPTS`,
    `HADOOP_TASKTRACKER_OPTS`, `HADOOP_NAMENODE_USER`, `HADOOP_HOME_WARN_SUPPRESS`... In a Hadoop 2
    file, flags the names only Hadoop 3 reads: `HDFS_NAMENODE_USER` and the other `HDFS_*_USER` /
    `YARN_*_USER`, `HDFS_*_OPTS`, `HADOOP_HEAPSIZE_MAX`, `HADOOP_WORKERS`, `MAPRED_HISTORYSERVER_OPTS`.
    Variables Hadoop 3 renamed (and still honours) are HDP006's.

    ## Why is this bad?
    Nothing fails: the heap stays at the JVM default, the audit logger is not configured, the
    daemons run as whoever started them. `HDFS_NAMENODE_USER=root` copied from a Hadoop 3 guide
    into a 2.7 hadoop-env.sh does nothing at all.

    ## Example
    ```sh
    export JAVA_HOME=${JAVA_HOME}
    export HDFS_NAMENODE_USER=hdfs
    ```

    ## Use instead
    ```sh
    export JAVA_HOME=/usr/lib/jvm/java-8-openjdk-amd64
    export HADOOP_NAMENODE_OPTS="-Xmx4g $HADOOP_NAMENODE_OPTS"
    ```

    ## Options
    - `hadoop-version` (`"2"` or `"3"`): the Hadoop version, when the file's content does not tell.

    ## References
    - ../shared/domain/davmail-hadoop.md B.4 ("Silently changed / ignored in 3.x"); Hadoop 3.1
      `bin/yarn` (YARN_TIMELINESERVER_HEAPSIZE), `hadoop-functions.sh` (`hadoop_finalize_hadoop_heap`)
    """

    code = "HDP007"
    name = "variable-ignored-by-version"
    severity = Severity.WARNING
    tags = ("hadoop", "upgrade")

    def check(self, model: HadoopEnv, ctx: FileContext) -> Iterator[Diagnostic]:
        version, how = effective_version(model, ctx.options)
        if version == "3":
            table, what = IGNORED_IN_3, "Hadoop 3 ignores {name} (no warning)"
        elif version == "2":
            table, what = ONLY_IN_3, "{name} is a Hadoop 3 name: Hadoop 2 never reads it"
        else:
            return
        seen: set[str] = set()
        for a in model.assignments:
            hint = table.get(a.name)
            if hint is None or a.name in seen or a.value is None or model.in_error_region(a.span):
                continue
            if a.value.is_empty:
                continue
            seen.add(a.name)
            yield self.diagnostic(
                a.span,
                f"{what.format(name=a.name)}, so this setting has no effect: {hint}{version_note(how)}",
                fix_title="Use the variable this Hadoop version reads, or remove the line",
                anchor=a.name,
            )
