from __future__ import annotations

from collections.abc import Iterator

from cfglint.api import Diagnostic, FileContext, Severity, Span
from cfglint.hadoop.facts import self_reference, text_assignments
from cfglint.models.hadoop import HadoopEnv
from cfglint.rules.hadoop._common import HadoopRule, effective_version, shown, version_note

PID_DIRS = (
    "HADOOP_PID_DIR", "HADOOP_SECURE_PID_DIR", "HADOOP_SECURE_DN_PID_DIR", "YARN_PID_DIR", "HADOOP_MAPRED_PID_DIR",
    "HADOOP_HDFS_PID_DIR",
)  # fmt: skip


def _in_tmp(text: str) -> bool:
    t = text.rstrip("/")
    return t in ("/tmp", "/var/tmp") or t.startswith(("/tmp/", "/var/tmp/"))


class PidDirInTmp(HadoopRule):
    """Hadoop's pid files live under /tmp, where tmp cleaners delete them.

    ## What it does
    Flags `HADOOP_PID_DIR` (and `HADOOP_SECURE_PID_DIR`, `HADOOP_SECURE_DN_PID_DIR`,
    `YARN_PID_DIR`, `HADOOP_MAPRED_PID_DIR`) set to `/tmp`, `/var/tmp` or a directory under them.
    As info, flags a Hadoop 2 hadoop-env.sh that leaves `HADOOP_PID_DIR` to its default, `/tmp`
    (not set, or only the template's `export HADOOP_PID_DIR=${HADOOP_PID_DIR}`): packaged
    installs set it in `/etc/default/hadoop-*`, tarball installs get `/tmp`.

    ## Why is this bad?
    systemd-tmpfiles and tmpwatch delete files in /tmp that have not been touched for days. Once
    the pid file of a long-running daemon is gone, `stop-dfs.sh` / `hadoop-daemon.sh stop` say
    `no namenode to stop` and the daemon keeps running; a second one then fails to bind its ports.
    A world-writable directory also lets another user plant a pid file (the template warns about
    the symlink attack).

    ## Example
    ```sh
    export HADOOP_PID_DIR=/tmp/hadoop-pids
    ```

    ## Use instead
    ```sh
    export HADOOP_PID_DIR=/var/run/hadoop
    ```

    ## Options
    - `hadoop-version` (`"2"` or `"3"`): the Hadoop version, when the file's content does not tell
      (the default-/tmp info applies to Hadoop 2).

    ## References
    - Hadoop 2.7 `sbin/hadoop-daemon.sh` (`HADOOP_PID_DIR=/tmp` by default), 3.1
      `hadoop_basic_init`; ../shared/domain/davmail-hadoop.md B.5 #8
    """

    code = "HDP012"
    name = "pid-dir-in-tmp"
    severity = Severity.WARNING
    tags = ("hadoop", "operations")

    def check(self, model: HadoopEnv, ctx: FileContext) -> Iterator[Diagnostic]:
        for a in model.assignments:
            if a.name not in PID_DIRS or a.value is None or model.in_error_region(a.span):
                continue
            texts = a.value.texts
            if not texts:
                continue
            bad = next((t for t in texts if t is not None and _in_tmp(t)), None)
            if bad is None:
                continue
            yield self.diagnostic(
                a.span,
                f"{a.name}={shown(bad)} is under /tmp: tmp cleaners delete the pid files of long-running daemons,"
                " and the stop scripts then say 'no <daemon> to stop' while the daemon keeps running",
                fix_title=f"Set {a.name} to a directory only the daemon user can write, such as /var/run/hadoop",
                anchor=a.name,
            )
        if model.role != "hadoop-env":
            return
        version, how = effective_version(model, ctx.options)
        if version != "2":
            return
        assigns = [a for a in model.assignments if a.name == "HADOOP_PID_DIR"]
        if any(model.in_error_region(a.span) for a in assigns):
            return
        if text_assignments(model.lines, "HADOOP_PID_DIR") > len(assigns):
            return  # the text sets it somewhere the model did not read
        if any(c.name in (".", "source") for c in model.commands):
            return  # a sourced file may set it
        if any(not self_reference(a, "HADOOP_PID_DIR") for a in assigns):
            return
        where = assigns[-1].span if assigns else Span(path=model.path, line=1)
        what = "only passes on the caller's HADOOP_PID_DIR" if assigns else "does not set HADOOP_PID_DIR"
        yield self.diagnostic(
            where,
            f"hadoop-env.sh {what}: where nothing else sets it (tarball installs, start-dfs.sh over ssh),"
            f" Hadoop 2 writes its pid files to /tmp, where tmp cleaners delete them{version_note(how)}",
            fix_title="Set `export HADOOP_PID_DIR=/var/run/hadoop` (a directory only the daemon user can write)",
            anchor="HADOOP_PID_DIR",
            severity=Severity.INFO,
        )
