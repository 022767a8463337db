"""The environment variables of Hadoop's shell launchers, by version.

Sources: ../shared/domain/davmail-hadoop.md part B. B.3 (the 2.x and 3.x templates), B.4 (the 3.x
`hadoop_deprecate_envvar` calls of hadoop-config.sh, hdfs-config.sh, mapred-config.sh,
yarn-config.sh and bin/hdfs, the generic `hadoop_subcommand_opts` renames, and the variables 3.x
silently ignores), B.1 (what hadoop-config.sh sets before it sources hadoop-env.sh).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

PREFIXES = ("HADOOP_", "HDFS_", "YARN_", "MAPRED_")

# Daemons (and a few client commands) whose <PROG>_<CMD>_OPTS / _USER / _HEAPSIZE the launchers read.
HDFS_DAEMONS = (
    "NAMENODE", "DATANODE", "SECONDARYNAMENODE", "JOURNALNODE", "ZKFC", "BALANCER", "MOVER", "NFS3",
    "PORTMAP", "DFSROUTER", "DISKBALANCER", "SPS", "HTTPFS",
)  # fmt: skip
YARN_DAEMONS = (
    "RESOURCEMANAGER", "NODEMANAGER", "PROXYSERVER", "TIMELINESERVER", "TIMELINEREADER", "ROUTER",
    "SHAREDCACHEMANAGER", "REGISTRYDNS", "HISTORYSERVER", "GLOBALPOLICYGENERATOR", "CLIENT",
)  # fmt: skip
MAPRED_DAEMONS = ("HISTORYSERVER",)
# Hadoop 2.x HADOOP_<CMD>_OPTS that 3.x renames to HDFS_<CMD>_OPTS / MAPRED_<CMD>_OPTS (B.4, generic).
_GENERIC_HDFS_RENAMES = (
    "NAMENODE", "DATANODE", "SECONDARYNAMENODE", "JOURNALNODE", "ZKFC", "BALANCER", "MOVER", "NFS3", "PORTMAP",
)  # fmt: skip


@dataclass(frozen=True)
class Rename:
    old: str
    new: str
    where: str  # the 3.x launcher that makes the copy
    generic: bool = False  # a hadoop_subcommand_opts rename: applied only when that subcommand runs


def _renames() -> dict[str, Rename]:
    out: dict[str, Rename] = {}

    def add(old: str, new: str, where: str, generic: bool = False) -> None:
        out[old] = Rename(old, new, where, generic)

    add("HADOOP_PREFIX", "HADOOP_HOME", "hadoop-config.sh")
    add("HADOOP_SLAVES", "HADOOP_WORKERS", "hadoop-config.sh")
    add("HADOOP_SLAVE_NAMES", "HADOOP_WORKER_NAMES", "hadoop-config.sh")
    add("HADOOP_SLAVE_SLEEP", "HADOOP_WORKER_SLEEP", "hadoop-config.sh")
    for suffix in ("LOG_DIR", "LOGFILE", "NICENESS", "STOP_TIMEOUT", "PID_DIR", "ROOT_LOGGER", "IDENT_STRING"):
        add(f"HADOOP_HDFS_{suffix}", f"HADOOP_{suffix}", "hdfs-config.sh")
        add(f"HADOOP_MAPRED_{suffix}", f"HADOOP_{suffix}", "mapred-config.sh")
        add(f"YARN_{suffix}", f"HADOOP_{suffix}", "yarn-config.sh")
    add("HADOOP_DN_SECURE_EXTRA_OPTS", "HDFS_DATANODE_SECURE_EXTRA_OPTS", "hdfs-config.sh")
    add("HADOOP_NFS3_SECURE_EXTRA_OPTS", "HDFS_NFS3_SECURE_EXTRA_OPTS", "hdfs-config.sh")
    add("HADOOP_SECURE_DN_USER", "HDFS_DATANODE_SECURE_USER", "hdfs-config.sh")
    add("HADOOP_PRIVILEGED_NFS_USER", "HDFS_NFS3_SECURE_USER", "hdfs-config.sh")
    add("HADOOP_SECURE_DN_PID_DIR", "HADOOP_SECURE_PID_DIR", "bin/hdfs")
    add("HADOOP_SECURE_DN_LOG_DIR", "HADOOP_SECURE_LOG_DIR", "bin/hdfs")
    add("HADOOP_SECURE_NFS3_PID_DIR", "HADOOP_SECURE_PID_DIR", "bin/hdfs")
    add("HADOOP_SECURE_NFS3_LOG_DIR", "HADOOP_SECURE_LOG_DIR", "bin/hdfs")
    add("HADOOP_JOB_HISTORYSERVER_OPTS", "MAPRED_HISTORYSERVER_OPTS", "mapred-config.sh")
    add("YARN_CONF_DIR", "HADOOP_CONF_DIR", "yarn-config.sh")
    add("YARN_OPTS", "HADOOP_OPTS", "yarn-config.sh")
    add("YARN_SLAVES", "HADOOP_WORKERS", "yarn-config.sh")
    add("YARN_USER_CLASSPATH", "HADOOP_CLASSPATH", "yarn-config.sh")
    add("YARN_USER_CLASSPATH_FIRST", "HADOOP_USER_CLASSPATH_FIRST", "yarn-config.sh")
    for cmd in _GENERIC_HDFS_RENAMES:
        add(f"HADOOP_{cmd}_OPTS", f"HDFS_{cmd}_OPTS", "hadoop_subcommand_opts in hadoop-functions.sh", True)
    add("HADOOP_HISTORYSERVER_OPTS", "MAPRED_HISTORYSERVER_OPTS", "hadoop_subcommand_opts in hadoop-functions.sh", True)
    return out


# Hadoop 3 copies the old variable into the new one, with `WARNING: X has been replaced by Y. Using
# value of X.`: the old name still works, and wins over the new one when both are set.
RENAMED_IN_3: dict[str, Rename] = _renames()

# Read by 2.x (or 1.x / MRv1), silently ignored by 3.x: name -> what to do instead.
IGNORED_IN_3: dict[str, str] = {
    "YARN_HEAPSIZE": "set HADOOP_HEAPSIZE_MAX, or YARN_RESOURCEMANAGER_HEAPSIZE / YARN_NODEMANAGER_HEAPSIZE per daemon"
    " (only the Windows yarn.cmd still reads YARN_HEAPSIZE)",
    "HADOOP_NAMENODE_INIT_HEAPSIZE": "put -Xms into HDFS_NAMENODE_OPTS, or set HADOOP_HEAPSIZE_MIN",
    "YARN_TIMELINE_HEAPSIZE": "bin/yarn reads YARN_TIMELINESERVER_HEAPSIZE (the 3.x template's name is a typo)",
    "HADOOP_HOME_WARN_SUPPRESS": "remove it: it silenced a Hadoop 1.x warning",
    "HADOOP_JOBTRACKER_OPTS": "remove it: the MRv1 JobTracker does not exist in Hadoop 3 (YARN ResourceManager:"
    " YARN_RESOURCEMANAGER_OPTS)",
    "HADOOP_TASKTRACKER_OPTS": "remove it: the MRv1 TaskTracker does not exist in Hadoop 3 (YARN NodeManager:"
    " YARN_NODEMANAGER_OPTS)",
    "HADOOP_JOBTRACKER_USER": "remove it: the MRv1 JobTracker does not exist in Hadoop 3",
    "HADOOP_TASKTRACKER_USER": "remove it: the MRv1 TaskTracker does not exist in Hadoop 3",
    "HADOOP_NAMENODE_USER": "Hadoop 3 reads HDFS_NAMENODE_USER (for start-dfs.sh run as root)",
    "HADOOP_DATANODE_USER": "Hadoop 3 reads HDFS_DATANODE_USER (for start-dfs.sh run as root)",
    "HADOOP_SECONDARYNAMENODE_USER": "Hadoop 3 reads HDFS_SECONDARYNAMENODE_USER (for start-dfs.sh run as root)",
    "HADOOP_HISTORYSERVER_USER": "Hadoop 3 reads MAPRED_HISTORYSERVER_USER",
}


def _only_in_3() -> dict[str, str]:
    out: dict[str, str] = {
        "HADOOP_HEAPSIZE_MAX": "2.x reads HADOOP_HEAPSIZE (a number of MB)",
        "HADOOP_HEAPSIZE_MIN": "2.x has no equivalent: put -Xms into HADOOP_OPTS or the daemon's *_OPTS",
        "MAPRED_HISTORYSERVER_OPTS": "2.x reads HADOOP_JOB_HISTORYSERVER_OPTS",
        "MAPRED_HISTORYSERVER_USER": "2.x has no equivalent",
        "HDFS_DATANODE_SECURE_USER": "2.x reads HADOOP_SECURE_DN_USER",
        "HDFS_NFS3_SECURE_USER": "2.x reads HADOOP_PRIVILEGED_NFS_USER",
        "HDFS_DATANODE_SECURE_EXTRA_OPTS": "2.x reads HADOOP_DN_SECURE_EXTRA_OPTS",
        "HDFS_NFS3_SECURE_EXTRA_OPTS": "2.x reads HADOOP_NFS3_SECURE_EXTRA_OPTS",
        "HADOOP_WORKERS": "2.x reads HADOOP_SLAVES",
        "HADOOP_WORKER_NAMES": "2.x reads HADOOP_SLAVE_NAMES",
        "HADOOP_WORKER_SLEEP": "2.x reads HADOOP_SLAVE_SLEEP",
        "HADOOP_SHELL_SCRIPT_DEBUG": "2.x has no shell debug switch (use bash -x)",
        "HADOOP_OPTIONAL_TOOLS": "2.x puts the tools on the classpath through HADOOP_CLASSPATH",
    }
    for cmd in ("NAMENODE", "DATANODE", "SECONDARYNAMENODE", "JOURNALNODE", "ZKFC", "BALANCER", "MOVER", "NFS3",
                "PORTMAP"):  # fmt: skip
        out[f"HDFS_{cmd}_OPTS"] = f"2.x reads HADOOP_{cmd}_OPTS"
    for cmd in ("NAMENODE", "DATANODE", "SECONDARYNAMENODE", "JOURNALNODE", "ZKFC", "NFS3", "PORTMAP",
                "DFSROUTER"):  # fmt: skip
        out[f"HDFS_{cmd}_USER"] = "2.x start scripts never switch users: run them as the daemon's user"
    for cmd in ("RESOURCEMANAGER", "NODEMANAGER", "PROXYSERVER", "TIMELINESERVER", "TIMELINEREADER", "ROUTER",
                "SHAREDCACHEMANAGER", "REGISTRYDNS"):  # fmt: skip
        out[f"YARN_{cmd}_USER"] = "2.x start scripts never switch users: run them as the daemon's user"
    out["HDFS_DFSROUTER_OPTS"] = "the HDFS router exists from Hadoop 3.0 on"
    return out


# Read by 3.x only; a 2.x launcher never looks at them: name -> the 2.x way.
ONLY_IN_3: dict[str, str] = _only_in_3()

# Heap sizes. 2.x appends "m" to these unconditionally (`-Xmx""$X""m`): only a number of MB works.
HEAP_2X = (
    "HADOOP_HEAPSIZE", "YARN_HEAPSIZE", "YARN_RESOURCEMANAGER_HEAPSIZE", "YARN_NODEMANAGER_HEAPSIZE",
    "YARN_TIMELINESERVER_HEAPSIZE", "YARN_PROXYSERVER_HEAPSIZE", "YARN_HISTORYSERVER_HEAPSIZE",
    "HADOOP_JOB_HISTORYSERVER_HEAPSIZE",
)  # fmt: skip
# 3.x (hadoop_finalize_hadoop_heap, bin/yarn, bin/mapred): a bare number gets "m", anything else is
# passed as `-Xmx<value>` / `-Xms<value>`, which the JVM accepts only as digits and one unit letter.
HEAP_3X = (
    "HADOOP_HEAPSIZE_MAX", "HADOOP_HEAPSIZE_MIN", "HADOOP_HEAPSIZE", "YARN_RESOURCEMANAGER_HEAPSIZE",
    "YARN_NODEMANAGER_HEAPSIZE", "YARN_TIMELINESERVER_HEAPSIZE", "YARN_PROXYSERVER_HEAPSIZE",
    "HADOOP_JOB_HISTORYSERVER_HEAPSIZE",
)  # fmt: skip
HEAP_3X_RE = re.compile(r"^[0-9]+[kKmMgGtT]?$")
HEAP_2X_RE = re.compile(r"^[0-9]+$")

# Set by hadoop-config.sh / hadoop-functions.sh before hadoop-env.sh is sourced (B.1), or by the
# login session: a reference to them ahead of the file's own assignment reads the launcher's value.
LAUNCHER_SET = frozenset(
    {
        "HADOOP_HOME", "HADOOP_PREFIX", "HADOOP_CONF_DIR", "HADOOP_LIBEXEC_DIR", "HADOOP_COMMON_HOME",
        "HADOOP_HDFS_HOME", "HADOOP_YARN_HOME", "HADOOP_MAPRED_HOME", "HADOOP_COMMON_DIR",
        "HADOOP_COMMON_LIB_JARS_DIR", "HADOOP_COMMON_LIB_NATIVE_DIR", "HDFS_DIR", "HDFS_LIB_JARS_DIR", "YARN_DIR",
        "YARN_LIB_JARS_DIR", "MAPRED_DIR", "MAPRED_LIB_JARS_DIR", "HADOOP_DEFAULT_PREFIX", "TOOL_PATH",
        "HADOOP_OS_TYPE", "HADOOP_SHELL_EXECNAME", "HADOOP_ENV_PROCESSED", "HADOOP_SUBCMD", "HADOOP_SUBCMD_ARGS",
        "HADOOP_DAEMON_MODE", "HADOOP_USER_PARAMS", "YARN_CONF_DIR",
        # the session's own
        "HOME", "USER", "LOGNAME", "PATH", "SHELL", "PWD", "OLDPWD", "HOSTNAME", "HOSTTYPE", "OSTYPE", "LANG",
        "LANGUAGE", "LC_ALL", "LC_CTYPE", "TERM", "UID", "EUID", "PPID", "IFS", "TMPDIR", "MAIL", "DISPLAY",
        "SHLVL", "MACHTYPE", "RANDOM", "SECONDS", "LINENO", "BASH", "BASH_VERSION", "BASH_SOURCE", "FUNCNAME",
        "PS1", "PS2", "LD_LIBRARY_PATH", "CLASSPATH", "SUDO_USER",
    }
)  # fmt: skip

# Every name the launchers, the templates (2.x, 3.x, HDP, Bigtop) and the packaging read or set.
_EXPLICIT_KNOWN = """
HADOOP_BALANCER_OPTS HADOOP_CLASSPATH HADOOP_CLIENT_CLASSLOADER_SYSTEM_CLASSES HADOOP_CLIENT_OPTS
HADOOP_COMMON_HOME HADOOP_COMMON_LIB_NATIVE_DIR HADOOP_COMMON_LIB_JARS_DIR HADOOP_COMMON_DIR HADOOP_CONF_DIR
HADOOP_DAEMON_ROOT_LOGGER HADOOP_DATANODE_OPTS HADOOP_DATANODE_USER HADOOP_ENABLE_BUILD_PATHS HADOOP_GC_SETTINGS
HADOOP_HDFS_HOME HADOOP_HDFS_USER HADOOP_HEAPSIZE HADOOP_HEAPSIZE_MAX HADOOP_HEAPSIZE_MIN HADOOP_HISTORYSERVER_USER
HADOOP_HOME HADOOP_HOME_WARN_SUPPRESS HADOOP_IDENT_STRING HADOOP_JAAS_DEBUG HADOOP_JAVA_PLATFORM_OPTS
HADOOP_JHS_LOGGER HADOOP_JOBTRACKER_OPTS HADOOP_JOBTRACKER_USER HADOOP_JOB_HISTORYSERVER_HEAPSIZE
HADOOP_JOB_HISTORYSERVER_OPTS HADOOP_LIBEXEC_DIR HADOOP_LOG_DIR HADOOP_LOGFILE HADOOP_LOGLEVEL HADOOP_MAPRED_HOME
HADOOP_MAPRED_IDENT_STRING HADOOP_MAPRED_LOG_DIR HADOOP_MAPRED_NICENESS HADOOP_MAPRED_PID_DIR
HADOOP_MAPRED_ROOT_LOGGER HADOOP_MAPRED_LOGFILE HADOOP_MAPRED_STOP_TIMEOUT HADOOP_MASTER HADOOP_MOVER_OPTS
HADOOP_NAMENODE_INIT_HEAPSIZE HADOOP_NAMENODE_OPTS HADOOP_NAMENODE_USER HADOOP_NFS3_OPTS HADOOP_NICENESS
HADOOP_OPTIONAL_TOOLS HADOOP_OPTS HADOOP_OS_TYPE HADOOP_PID_DIR HADOOP_POLICYFILE HADOOP_PORTMAP_OPTS HADOOP_PREFIX
HADOOP_ROOT_LOGGER HADOOP_SECONDARYNAMENODE_OPTS HADOOP_SECONDARYNAMENODE_USER HADOOP_SECURE_DN_LOG_DIR
HADOOP_SECURE_DN_PID_DIR HADOOP_SECURE_DN_USER HADOOP_SECURE_IDENT_PRESERVE HADOOP_SECURE_LOG HADOOP_SECURE_LOG_DIR
HADOOP_SECURE_PID_DIR HADOOP_SECURITY_LOGGER HADOOP_SLAVES HADOOP_SLAVE_NAMES HADOOP_SLAVE_SLEEP HADOOP_SSH_OPTS
HADOOP_SSH_PARALLEL HADOOP_STOP_TIMEOUT HADOOP_TASKTRACKER_OPTS HADOOP_TASKTRACKER_USER HADOOP_USER_CLASSPATH_FIRST
HADOOP_USE_CLIENT_CLASSLOADER HADOOP_WORKERS HADOOP_WORKER_NAMES HADOOP_WORKER_SLEEP HADOOP_YARN_HOME
HADOOP_YARN_USER HADOOP_SHELL_SCRIPT_DEBUG HADOOP_SHELL_PROFILES HADOOP_USER_NAME HADOOP_PROXY_USER
HADOOP_TOKEN_FILE_LOCATION HADOOP_KEYSTORE_PASSWORD HADOOP_CREDSTORE_PASSWORD HADOOP_JOB_HISTORYSERVER_HEAPSIZE
HADOOP_HDFS_LOG_DIR HADOOP_HDFS_LOGFILE HADOOP_HDFS_NICENESS HADOOP_HDFS_STOP_TIMEOUT HADOOP_HDFS_PID_DIR
HADOOP_HDFS_ROOT_LOGGER HADOOP_HDFS_IDENT_STRING HADOOP_DN_SECURE_EXTRA_OPTS HADOOP_NFS3_SECURE_EXTRA_OPTS
HADOOP_PRIVILEGED_NFS_USER HADOOP_PRIVILEGED_NFS_PID_DIR HADOOP_PRIVILEGED_NFS_LOG_DIR HADOOP_SECURE_NFS3_LOG_DIR
HADOOP_SECURE_NFS3_PID_DIR HADOOP_HISTORYSERVER_OPTS HADOOP_JOURNALNODE_OPTS HADOOP_ZKFC_OPTS HADOOP_KMS_OPTS
HADOOP_HTTPFS_OPTS HADOOP_DEFAULT_PREFIX HADOOP_ENV_PROCESSED HADOOP_SHELL_EXECNAME HADOOP_SUBCMD
HADOOP_SUBCMD_ARGS HADOOP_DAEMON_MODE HADOOP_USER_PARAMS HADOOP_MAPRED_CLASSPATH HADOOP_TOOLS_HOME HADOOP_TOOLS_DIR
HADOOP_TOOLS_LIB_JARS_DIR HADOOP_COMMON_LIB HADOOP_VERSION HADOOP_CLIENT_CONF_DIR HADOOP_SECURE_COMMAND
HADOOP_SECURE_USER HADOOP_DAEMON_OUTFILE HADOOP_DAEMON_PID HADOOP_DAEMON_JSVC_EXTRA_OPTS HADOOP_JSVC_HOME
HADOOP_KMS_TEMP HADOOP_HTTPFS_TEMP HADOOP_CONF HADOOP_BIN_PATH HADOOP_SBIN_DIR
HDFS_AUDIT_LOGGER HDFS_DIR HDFS_LIB_JARS_DIR HDFS_DATANODE_SECURE_EXTRA_OPTS HDFS_DATANODE_SECURE_USER
HDFS_NFS3_SECURE_EXTRA_OPTS HDFS_NFS3_SECURE_USER HDFS_STORAGECONTAINERMANAGER_OPTS
YARN_COMMON_HOME YARN_CONF_DIR YARN_CONTAINER_RUNTIME_DOCKER_RUN_OVERRIDE_DISABLE YARN_HEAPMAX YARN_HEAPSIZE
YARN_HOME YARN_IDENT_STRING YARN_LOGFILE YARN_LOG_DIR YARN_NICENESS YARN_STOP_TIMEOUT YARN_PID_DIR YARN_OPTS
YARN_POLICYFILE YARN_ROOT_LOGGER YARN_SLAVES YARN_USER_CLASSPATH YARN_USER_CLASSPATH_FIRST YARN_SERVICE_EXAMPLES_DIR
YARN_TIMELINE_HEAPSIZE YARN_DIR YARN_LIB_JARS_DIR YARN_REGISTRYDNS_SECURE_EXTRA_OPTS YARN_REGISTRYDNS_SECURE_USER
YARN_CLIENT_OPTS
MAPRED_DIR MAPRED_LIB_JARS_DIR MAPRED_HISTORYSERVER_OPTS MAPRED_HISTORYSERVER_USER
"""


@lru_cache(maxsize=1)
def known_names() -> frozenset[str]:
    """The names did-you-mean compares against (explicit list, tables, per-daemon variables)."""
    names = set(_EXPLICIT_KNOWN.split())
    names.update(RENAMED_IN_3)
    names.update(r.new for r in RENAMED_IN_3.values())
    names.update(IGNORED_IN_3)
    names.update(ONLY_IN_3)
    names.update(HEAP_2X)
    names.update(HEAP_3X)
    for prog, daemons in (("HDFS", HDFS_DAEMONS), ("YARN", YARN_DAEMONS), ("MAPRED", MAPRED_DAEMONS),
                          ("HADOOP", HDFS_DAEMONS + ("JOBTRACKER", "TASKTRACKER", "CLIENT", "KMS"))):  # fmt: skip
        for d in daemons:
            names.update({f"{prog}_{d}_OPTS", f"{prog}_{d}_USER"})
    for d in YARN_DAEMONS:
        names.add(f"YARN_{d}_HEAPSIZE")
    return frozenset(names)


# <PROG>_<ONE WORD>_OPTS / _USER / _HEAPSIZE / _SECURE_USER / _SECURE_EXTRA_OPTS: the launchers build
# these from any subcommand name (`hadoop_subcommand_opts`, `hadoop_build_custom_subcmd_var`).
_PER_COMMAND_RE = re.compile(
    r"^(?:HADOOP|HDFS|YARN|MAPRED)_[A-Z0-9]+_(?:OPTS|USER|HEAPSIZE|SECURE_USER|SECURE_EXTRA_OPTS)$"
)


def is_known(name: str) -> bool:
    return name in known_names() or bool(_PER_COMMAND_RE.match(name))


def _osa_distance(a: str, b: str, limit: int) -> int:
    """Optimal string alignment distance (adjacent transpositions count 1), capped at limit + 1."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list[int] | None = None
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if prev2 is not None and i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if min(cur) > limit:
            return limit + 1
        prev2, prev = prev, cur
    return prev[-1]


def did_you_mean(name: str) -> str | None:
    """The one known name at edit distance 1 of `name` (a HADOOP_/HDFS_/YARN_/MAPRED_ name Hadoop
    does not know), or None: no candidate, several candidates, or `name` is known."""
    if not name.startswith(PREFIXES) or len(name) < 9 or is_known(name):
        return None
    found = [k for k in known_names() if _osa_distance(name, k, 1) <= 1]
    return found[0] if len(found) == 1 else None
