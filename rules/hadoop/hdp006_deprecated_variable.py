from __future__ import annotations

from collections.abc import Iterator

from cfglint.api import Diagnostic, FileContext, Related, Severity
from cfglint.hadoop.variables import RENAMED_IN_3
from cfglint.models.hadoop import HadoopEnv
from cfglint.rules.hadoop._common import HadoopRule, effective_version, shown, version_note


class DeprecatedVariable(HadoopRule):
    """A variable Hadoop 3 has renamed: it still works, with a warning, and wins over the new name.

    ## What it does
    In a Hadoop 3 env file, flags the names `hadoop_deprecate_envvar` and `hadoop_subcommand_opts`
    rename (`HADOOP_PREFIX` -> `HADOOP_HOME`, `HADOOP_SLAVES` -> `HADOOP_WORKERS`,
    `HADOOP_NAMENODE_OPTS` -> `HDFS_NAMENODE_OPTS`, `YARN_LOG_DIR` -> `HADOOP_LOG_DIR`,
    `HADOOP_SECURE_DN_USER` -> `HDFS_DATANODE_SECURE_USER`, ...) with the replacement. When the
    file also sets the new name to a different value, it is an error: the old name wins.

    ## Why is this bad?
    Hadoop 3 prints `WARNING: HADOOP_SLAVES has been replaced by HADOOP_WORKERS. Using value of
    HADOOP_SLAVES.` on every command and copies the old value over the new one: editing
    `HADOOP_WORKERS` (as the 3.x docs say) then has no effect while the old line is there.
    `YARN_OPTS` even replaces `HADOOP_OPTS` for every yarn command.

    ## Example
    ```sh
    export HADOOP_OS_TYPE=${HADOOP_OS_TYPE:-$(uname -s)}
    export HADOOP_SLAVES=/etc/hadoop/conf/slaves
    ```

    ## Use instead
    ```sh
    export HADOOP_OS_TYPE=${HADOOP_OS_TYPE:-$(uname -s)}
    export HADOOP_WORKERS=/etc/hadoop/conf/workers
    ```

    ## Options
    - `hadoop-version` (`"2"` or `"3"`): the Hadoop version, when the file's content does not tell
      (the rule only applies to Hadoop 3).

    ## References
    - Hadoop 3.1 `hadoop-config.sh`, `hdfs-config.sh`, `mapred-config.sh`, `yarn-config.sh`
      (`hadoop_deprecate_envvar`), `hadoop-functions.sh` (`hadoop_subcommand_opts`);
      ../shared/domain/davmail-hadoop.md B.4
    """

    code = "HDP006"
    name = "deprecated-variable"
    severity = Severity.WARNING
    tags = ("hadoop", "upgrade")

    def check(self, model: HadoopEnv, ctx: FileContext) -> Iterator[Diagnostic]:
        version, how = effective_version(model, ctx.options)
        if version != "3":
            return
        seen: set[str] = set()
        for a in model.assignments:
            rename = RENAMED_IN_3.get(a.name)
            if rename is None or a.name in seen or a.value is None or model.in_error_region(a.span):
                continue
            if a.value.is_empty:
                continue  # an empty old name is not copied: no effect, no warning
            seen.add(a.name)
            old, new = rename.old, rename.new
            news = [b for b in model.assignments if b.name == new and b.value is not None and not b.value.is_empty]
            old_v, new_v = model.value(old), model.value(new)
            effect = f"Hadoop 3 ({rename.where}) copies {old} into {new}"
            if rename.generic:
                effect += f" when that subcommand runs, with 'WARNING: {old} has been replaced by {new}.'"
            else:
                effect += f", printing 'WARNING: {old} has been replaced by {new}. Using value of {old}.'"
            if old == "YARN_OPTS":
                effect += "; for yarn commands HADOOP_OPTS is then replaced by YARN_OPTS"
            if news and old_v.is_known and new_v.is_known and old_v.text != new_v.text:
                b = news[-1]
                yield self.diagnostic(
                    a.span,
                    f"{old}={shown(old_v.text)} and {new}={shown(new_v.text)} (line {b.span.line}) are both set:"
                    f" {effect}, so {new}'s value is ignored{version_note(how)}",
                    related=[Related(b.span, f"{new} is set here, and overwritten by {old}")],
                    fix_title=f"Remove {old} and keep {new}",
                    anchor=old,
                    severity=Severity.ERROR,
                )
                continue
            yield self.diagnostic(
                a.span,
                f"{old} is deprecated: {effect}; use {new}{version_note(how)}",
                fix_title=f"Rename {old} to {new}",
                anchor=old,
            )
