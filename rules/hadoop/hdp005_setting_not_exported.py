from __future__ import annotations

from collections.abc import Iterator

from cfglint.api import Diagnostic, Edit, FileContext, Severity
from cfglint.hadoop.variables import PREFIXES, is_known
from cfglint.models.hadoop import HadoopEnv
from cfglint.rules.hadoop._common import DEFAULT_ROLES, HadoopRule, effective_version, version_note
from cfglint.shell import evaluate

# Besides HADOOP_/HDFS_/YARN_/MAPRED_ names: what the packaging's child processes read.
_OTHER_PREFIXES = ("BIGTOP_", "HTTPFS_", "KMS_", "CATALINA_")
_OTHER_NAMES = frozenset({"JAVA_HOME", "JSVC_HOME", "JAVA_NATIVE_PATH", "LIBHDFS_OPTS", "JAVA_LIBRARY_PATH"})


def _relevant(name: str) -> bool:
    return name.startswith(PREFIXES + _OTHER_PREFIXES) or name in _OTHER_NAMES


def _fix(model: HadoopEnv, a) -> tuple[Edit, ...]:
    """`export ` before a plain top-level `NAME=value` statement holding this one assignment (not
    `A=1 B=2`, where `export` would export B too; not a value with a command substitution, whose
    exit status `export` would hide)."""
    if a.via != "plain" or a.malformed is not None or a.array or a.op != "=" or a.conditions or a.in_loop:
        return ()
    if not (0 <= a.command < len(model.commands)):
        return ()
    cmd = model.commands[a.command]
    if cmd.kind != "assignment" or cmd.argv or cmd.redirects or len(cmd.assignments) != 1 or cmd.pipeline:
        return ()
    if cmd.subshell or cmd.background or cmd.negated or cmd.tested or cmd.substitution is not None:
        return ()
    if a.word is not None and ("$(" in a.word.text or "`" in a.word.text):
        return ()
    if (cmd.span.line, cmd.span.column) != (a.span.line, a.span.column):
        return ()
    return (Edit.insert(a.span.path, a.span.line, a.span.column, "export "),)


class SettingNotExported(HadoopRule):
    """A setting in an /etc/default file (or a Hadoop 2 mapred-env.sh) is assigned but not exported.

    ## What it does
    Flags Hadoop settings (HADOOP_/HDFS_/YARN_/MAPRED_ names, JAVA_HOME, JSVC_HOME, BIGTOP_*...)
    that are assigned without `export` (and never exported later, `set -a` counts) in files whose
    variables reach the daemon only through a child process: `/etc/default/hadoop`,
    `/etc/default/hadoop-<service>` (Bigtop's `*.default`), `/etc/default/bigtop-utils`, and
    Hadoop 2's `mapred-env.sh`. It stays silent for hadoop-env.sh, yarn-env.sh and 3.x env files,
    which the launcher sources into the shell that starts Java. A helper variable with a name
    Hadoop does not read and that the file uses itself is left alone.

    ## Why is this bad?
    Init scripts source `/etc/default/*`, then start the daemon with `runuser`/`su -c`: only
    exported variables cross. `JAVA_HOME=/usr/java/default` in `/etc/default/bigtop-utils`
    without `export` is the worst case: it stops `bigtop-detect-javahome`'s search (JAVA_HOME is
    not empty) but never reaches Hadoop, which stops with `JAVA_HOME is not set and could not be
    found`. Hadoop 2's `mr-jobhistory-daemon.sh` sources `mapred-env.sh`, then runs `bin/mapred`
    as a child: an unexported `HADOOP_JOB_HISTORYSERVER_HEAPSIZE` is ignored.

    ## Example
    ```sh
    # /etc/default/hadoop-hdfs-namenode
    HADOOP_PID_DIR=/var/run/hadoop-hdfs
    export HADOOP_LOG_DIR=/var/log/hadoop-hdfs
    ```

    ## Use instead
    ```sh
    # /etc/default/hadoop-hdfs-namenode
    export HADOOP_PID_DIR=/var/run/hadoop-hdfs
    export HADOOP_LOG_DIR=/var/log/hadoop-hdfs
    ```

    ## Fix
    Automatic under `--fix` for a plain top-level `NAME=value` statement: `export ` is written
    before it.

    ## Options
    - `hadoop-version` (`"2"` or `"3"`): the Hadoop version of mapred-env.sh files, when their
      content does not tell.

    ## References
    - Bigtop `init.d.tmpl` (`runuser -s /bin/bash $SVC_USER -c ...`), `bigtop-detect-javahome`;
      Hadoop 2.7 `sbin/mr-jobhistory-daemon.sh`; ../shared/domain/davmail-hadoop.md B.2, B.3
    """

    code = "HDP005"
    name = "setting-not-exported"
    severity = Severity.WARNING
    tags = ("hadoop", "correctness")

    def check(self, model: HadoopEnv, ctx: FileContext) -> Iterator[Diagnostic]:
        how = ""
        if model.role == "mapred-env":
            version, how = effective_version(model, ctx.options)
            if version != "2":
                return
        elif model.role not in DEFAULT_ROLES:
            return
        if getattr(model, "_ir", None) is None:
            return
        ev = evaluate(model, env={})
        referenced = {name for c in model.commands for w in c.argv for name in w.refs}
        referenced |= {name for a in model.assignments if a.word is not None for name in a.word.refs}
        seen: set[str] = set()
        for a in model.assignments:
            name = a.name
            if (
                name in seen
                or a.value is None
                or a.scope != "global"
                or a.in_function is not None
                or a.via not in ("plain", "declare", "typeset", "readonly")
                or not _relevant(name)
                or model.in_error_region(a.span)
            ):
                continue
            if a.exported is True or ev.exported(name) is not False:
                continue
            if not is_known(name) and name not in _OTHER_NAMES and name in referenced:
                continue  # a helper the file uses itself
            seen.add(name)
            if model.role == "bigtop-utils" and name == "JAVA_HOME":
                why = (
                    "bigtop-detect-javahome sources this file: a JAVA_HOME set here stops its search for a JDK,"
                    " but without `export` it stays in that shell and never reaches the daemon, which stops with"
                    " 'JAVA_HOME is not set and could not be found.'"
                )
            elif model.role == "mapred-env":
                why = (
                    "mr-jobhistory-daemon.sh sources mapred-env.sh, then runs bin/mapred as a child process, which"
                    f" sees exported variables only{version_note(how)}"
                )
            else:
                why = (
                    "init scripts source this file, then start the daemon through `runuser`/`su -c`, which passes"
                    " exported variables only"
                )
            yield self.diagnostic(
                a.span,
                f"{name} is assigned but not exported: {why}",
                fix_title=f"Write `export {name}=...`",
                anchor=name,
                fixes=_fix(model, a),
            )
