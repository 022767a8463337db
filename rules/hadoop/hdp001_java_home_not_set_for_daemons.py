from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from cfglint.api import Diagnostic, ProjectContext, ProjectIndex, ProjectRule, Related, Severity, Span
from cfglint.hadoop.facts import holds, tree_root
from cfglint.models.hadoop import INHERITED, HadoopEnv, JavaHomeFacts, ShellProfile, ValueSummary
from cfglint.rules.hadoop._common import shown

_SYMPTOM = "Error: JAVA_HOME is not set and could not be found."
_PATHS = "init scripts run under `env -i`; systemd units and start-dfs.sh over ssh read no login profile"


@dataclass(frozen=True)
class _Outcome:
    state: str  # "ok", "missing", "maybe", "autodetect"
    severity: Severity | None = None
    why: str = ""
    related: tuple[Related, ...] = ()


def _closest(models: Iterable, target: HadoopEnv) -> list:
    """The candidates of the same machine tree as `target` whose tree root is the deepest."""
    found = []
    for m in models:
        root = tree_root(m.path)
        if holds(root, target.path):
            found.append((len(root), m))
    if not found:
        return []
    depth = max(d for d, _ in found)
    return [m for d, m in found if d == depth]


def _state(summary: ValueSummary, facts: JavaHomeFacts) -> str:
    """ok / missing (never non-empty) / maybe (non-empty on some paths only)."""
    set_opts = [t for t in summary.texts if t is None or t != ""]
    unset_possible = summary.maybe_unset or not summary.texts or any(t == "" for t in summary.texts)
    if not unset_possible:
        return "ok"
    if not set_opts:
        return "missing"
    return "ok" if facts.guarded else "maybe"


def _substitute(summary: ValueSummary, inherited: tuple[str | None, ...]) -> ValueSummary:
    """The hadoop-env.sh value with the inherited JAVA_HOME put in (None: unknown but non-empty)."""
    texts: list[str | None] = []
    for t in summary.texts:
        if t is None or INHERITED not in t:
            texts.append(t)
            continue
        for inh in inherited:
            texts.append(None if inh is None else t.replace(INHERITED, inh))
    return ValueSummary(texts=tuple(texts), maybe_unset=summary.maybe_unset)


def _why_missing(env: HadoopEnv, short: bool = False) -> str:
    jh = env.java_home
    if jh.malformed:
        return f"the assignment is malformed: {jh.malformed}"
    if jh.self_reference:
        if short:
            return "hadoop-env.sh only passes on the JAVA_HOME it inherits (`export JAVA_HOME=${JAVA_HOME}`)"
        return (
            "`export JAVA_HOME=${JAVA_HOME}` (the Hadoop 2 template line) only copies the caller's JAVA_HOME, which"
            f" is empty when a daemon starts ({_PATHS})"
        )
    if not jh.assigned:
        return "hadoop-env.sh does not set JAVA_HOME" + ("" if short else " (absent or commented out)")
    if "" in env.java_home.cleared.texts:
        return "JAVA_HOME is set to an empty value here"
    return "JAVA_HOME is unset when hadoop-env.sh has run"


class JavaHomeNotSetForDaemons(ProjectRule):
    """JAVA_HOME is not set for the Hadoop daemons: they stop with "JAVA_HOME is not set and could not be found".

    ## What it does
    Evaluates what the daemons read before Java starts, on every start path: `hadoop-env.sh`
    under a cleared environment and, on packaged (Bigtop/CDH) installs, `/etc/default/bigtop-utils`
    of the same machine tree before it (what it exports is what hadoop-env.sh inherits). Flags
    `hadoop-env.sh` when JAVA_HOME ends up unset, empty, self-referential
    (`export JAVA_HOME=${JAVA_HOME}`, the Hadoop 2 template line that works in an interactive
    shell only), set only in a branch, or broken by syntax (`export JAVA_HOME = /usr/java`).

    When a login profile of the same tree (`.bash_profile`, `.bashrc`, `.profile`,
    `/etc/profile`, `profile.d/*.sh`, `/etc/environment`) sets JAVA_HOME, the finding says so and
    points at it: that is the classic incident, where `java -version` works for root and the
    daemons still fail. Files pair by machine tree: a profile under `node1/root/` pairs with
    `node1/etc/hadoop/conf/hadoop-env.sh`, never with `node2/...`.

    A JAVA_HOME exported by `/etc/default/bigtop-utils` is fine. A bigtop-utils without JAVA_HOME
    leaves it to `bigtop-detect-javahome`, which searches a fixed list of JDK directories: then at
    most an info ("depends on autodetection"). A `JAVA_HOME=...` in bigtop-utils without `export`
    stops that search and does not reach the daemon: flagged. A JAVA_HOME exported only by
    `/etc/default/hadoop*` (read by SysV init scripts, not by systemd units or ssh) gives a warning.

    Silent when it cannot know: a value not known statically (`$(/usr/libexec/java_home)`), a
    JAVA_HOME set in a branch guarded by a test of JAVA_HOME itself (`if [ -z "$JAVA_HOME" ]`), in
    a function, in a region the parser could not read, or in a file hadoop-env.sh sources. An
    environment set outside shell files (a Dockerfile's `ENV JAVA_HOME`, a systemd unit's
    `Environment=`) is not read: suppress the finding there, with the reason.

    ## Why is this bad?
    Hadoop's launcher (`hadoop-config.sh`) sources `hadoop-env.sh`, then stops with
    `Error: JAVA_HOME is not set and could not be found.` (3.x: `ERROR: JAVA_HOME is not set and
    could not be found.`) when JAVA_HOME is empty; on Linux there is no detection of its own.
    The daemons never see a login shell's environment:

    | start path | environment | files read |
    |---|---|---|
    | `service hadoop-hdfs-namenode start` (SysV init) | `env -i` (cleared) | /etc/default/hadoop, /etc/default/hadoop-hdfs-namenode, bigtop-utils (via bigtop-detect-javahome), then `runuser`/`su -c` (exported variables only), hadoop-env.sh |
    | systemd unit (Bigtop 3) | clean, no EnvironmentFile | bigtop-utils (via the /usr/bin wrappers), hadoop-env.sh |
    | `start-dfs.sh` / `start-yarn.sh` (tarball) | non-interactive ssh, even to localhost: no /etc/profile, no ~/.bash_profile | hadoop-env.sh |
    | Hadoop 3 started as root with `HDFS_*_USER` | `su -l <user>`: cleared, the daemon user's profile | hadoop-env.sh |
    | cron, Ansible `command:`, Docker `CMD` | no login profile | hadoop-env.sh |

    hadoop-env.sh (and bigtop-utils on packaged installs) is the only place every path reads.

    ## Example
    ```sh
    # etc/hadoop/conf/hadoop-env.sh
    export JAVA_HOME=${JAVA_HOME}
    export HADOOP_PID_DIR=/var/run/hadoop
    ```
    ```sh
    # root/.bash_profile (interactive login shells only)
    export JAVA_HOME=/usr/java/jdk1.8.0_181
    ```

    ## Use instead
    ```sh
    # etc/hadoop/conf/hadoop-env.sh
    export JAVA_HOME=/usr/java/jdk1.8.0_181
    export HADOOP_PID_DIR=/var/run/hadoop
    ```

    ## Fix
    Set `export JAVA_HOME=<JDK directory>` in hadoop-env.sh (the directory holding `bin/java`), or
    `export JAVA_HOME=...` in `/etc/default/bigtop-utils` on a Bigtop/CDH package install.

    ## References
    - Hadoop 2.7 `libexec/hadoop-config.sh` (lines 144-181) and 3.1 `hadoop-functions.sh`
      `hadoop_java_setup`: https://github.com/apache/hadoop
    - Bigtop `bigtop-detect-javahome` and `init.d.tmpl`: https://github.com/apache/bigtop
    - Why ssh-started daemons miss the profile: https://github.com/apache/accumulo-uno/pull/156
    """

    code = "HDP001"
    name = "java-home-not-set-for-daemons"
    severity = Severity.ERROR
    tags = ("hadoop", "correctness", "cross-file")
    kinds = ("hadoop-env", "shell-profile")
    model_types = (HadoopEnv,)
    example_language = "sh"

    def check(self, index: ProjectIndex, ctx: ProjectContext) -> Iterator[Diagnostic]:
        envs = index.of_type(HadoopEnv)
        profiles = index.of_type(ShellProfile)
        bigtops = [m for m in envs if m.role == "bigtop-utils"]
        defaults = [m for m in envs if m.role in ("default-hadoop", "default-service")]
        for env in envs:
            if env.role != "hadoop-env":
                continue
            d = self._check_env(env, _closest(bigtops, env), _closest(profiles, env), _closest(defaults, env))
            if d is not None:
                yield d

    # ----------------------------------------------------------------------------------------------
    def _check_env(
        self, env: HadoopEnv, bigtops: list[HadoopEnv], profiles: list[ShellProfile], defaults: list[HadoopEnv]
    ) -> Diagnostic | None:
        jh = env.java_home
        if not jh.analyzed or jh.in_error_region or jh.unmodelled:
            return None  # cannot be read, or the text holds an assignment the model does not
        outcomes = []
        for b in bigtops or [None]:
            outcome = self._outcome(env, b)
            if outcome is None or outcome.state == "ok":
                return None  # one reading of the tree gives the daemons a JAVA_HOME: precision first
            outcomes.append(outcome)
        rank = {Severity.INFO: 0, Severity.WARNING: 1, Severity.ERROR: 2}
        outcome = min(outcomes, key=lambda o: rank[o.severity])  # type: ignore[index]
        if jh.in_function and outcome.state == "missing":
            return None  # set in a function Hadoop may call: cannot tell
        if jh.sources_files:
            return None  # it sources another file, which may set JAVA_HOME: cannot tell
        severity = outcome.severity
        related = list(outcome.related)
        message = outcome.why
        sysv = None
        if outcome.state == "missing":
            # /etc/default/hadoop* exporting JAVA_HOME: the SysV init path has it, systemd and ssh do not
            for d in defaults:
                djh = d.java_home
                if djh.analyzed and djh.exported is True and djh.sets_value and djh.value_span is not None:
                    sysv = d
                    break
        if sysv is not None:
            djh = sysv.java_home
            severity = Severity.WARNING
            message = (
                f"JAVA_HOME reaches the Hadoop daemons only through {sysv.path}"
                f" (JAVA_HOME={shown(djh.value_text)}), which SysV init scripts source and systemd units and"
                f" start-dfs.sh over ssh do not: {message}; on those start paths they stop with '{_SYMPTOM}'"
            )
            where = djh.value_span
            assert where is not None
            related.append(Related(where, "JAVA_HOME exported here: read by SysV init scripts only"))
        elif outcome.state == "missing":
            message = f"JAVA_HOME is not set for the Hadoop daemons: {message}; they stop with '{_SYMPTOM}'"
        good_value = None
        setters = [p for p in profiles if p.java_home.sets_value and p.java_home.value_span is not None]
        if setters:
            spans = [(p, p.java_home.value_span) for p in setters if p.java_home.value_span is not None]
            names = ", ".join(f"{p.path} (line {span.line})" for p, span in spans)
            verb = "sets" if len(setters) == 1 else "set"
            message += (
                f". {names} {verb} JAVA_HOME={shown(setters[0].java_home.value_text)}, but only interactive login"
                " shells read it: `java` works for you and the daemons still fail"
            )
            for _, span in spans:
                related.append(Related(span, "JAVA_HOME is set here, for login shells only"))
            good_value = _plain(setters[0].java_home.value_text)
        target = f"`export JAVA_HOME={good_value}`" if good_value else "`export JAVA_HOME=<JDK directory>`"
        fix = f"Set {target} in hadoop-env.sh"
        if bigtops:
            fix += " (or export it in /etc/default/bigtop-utils)"
        return self.diagnostic(
            jh.anchor or Span(path=env.path, line=1),
            message,
            related=related,
            fix_title=fix,
            anchor="JAVA_HOME",
            severity=severity,
        )

    def _outcome(self, env: HadoopEnv, bigtop: HadoopEnv | None) -> _Outcome | None:
        jh = env.java_home
        if bigtop is None:
            return self._judge(env, jh.cleared)
        bj = bigtop.java_home
        if not bj.analyzed or bj.in_error_region or bj.in_function or bj.unmodelled or bj.sources_files:
            return None
        if bj.sets_value or bj.assigned:
            if bj.exported is True and not bj.cleared.maybe_unset and bj.cleared.texts:
                if any(t == "" for t in bj.cleared.texts):
                    return self._judge(env, jh.cleared)  # exported empty: as if unset (detection runs on "")
                return self._judge(env, _substitute(jh.inherited, bj.cleared.texts))
            if bj.exported is False and bj.sets_value and not bj.conditional:
                outcome = self._judge(env, jh.cleared)
                if outcome is None or outcome.state == "ok":
                    return outcome
                where = bj.value_span or bj.anchor
                note = (
                    f"; {bigtop.path} sets JAVA_HOME without `export` (line {where.line if where else 1}): that"
                    " stops bigtop-detect-javahome's search, but the variable stays in the init script's shell and"
                    " never reaches the daemon"
                )
                related = outcome.related
                if where is not None:
                    related = (*related, Related(where, "JAVA_HOME set here without export"))
                return _Outcome(outcome.state, outcome.severity, outcome.why + note, related)
            return None  # conditional or maybe exported: cannot tell
        # No JAVA_HOME in bigtop-utils: bigtop-detect-javahome searches its candidate directories.
        detected = self._judge(env, _substitute(jh.inherited, (None,)))
        if detected is None or detected.state != "ok":
            return detected  # wrong even with a detected JDK (JAVA_HOME emptied in hadoop-env.sh)
        undetected = self._judge(env, jh.cleared)
        if undetected is None or undetected.state == "ok":
            return undetected
        return _Outcome(
            "autodetect",
            Severity.INFO,
            f"JAVA_HOME for the Hadoop daemons depends on autodetection: {_why_missing(env, short=True)}, and"
            f" {bigtop.path} does not set it either, so bigtop-detect-javahome searches its fixed list of JDK"
            f" directories; a JDK installed elsewhere is not found and the daemons stop with '{_SYMPTOM}'",
        )

    def _judge(self, env: HadoopEnv, summary: ValueSummary) -> _Outcome | None:
        jh = env.java_home
        state = _state(summary, jh)
        if state == "ok":
            return _Outcome("ok")
        if state == "missing":
            return _Outcome("missing", Severity.ERROR, _why_missing(env))
        return _Outcome(
            "maybe",
            Severity.WARNING,
            "JAVA_HOME is set only in a branch of hadoop-env.sh (an `if`, `case` or `&&` list): on a host where"
            f" that branch does not run, the daemons get no JAVA_HOME and stop with '{_SYMPTOM}'",
        )


def _plain(text: str | None) -> str | None:
    """A profile's JAVA_HOME value, when it is a plain path that can be pasted into hadoop-env.sh."""
    if not text:
        return None
    t = text.strip().strip('"').strip("'")
    if t.startswith("/") and all(c.isalnum() or c in "/._-+" for c in t):
        return t
    return None
