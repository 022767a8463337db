"""Hadoop env files and login profiles: shell scripts (`cfglint.shell.ShellScript`) with what the
Hadoop rules need on top, computed once by the parser (`cfglint.parsers.hadoop`):

* `role`: what the file is for, from its path (see `cfglint.hadoop.facts.role_of`): `hadoop-env`
  (hadoop-env.sh), `yarn-env`, `mapred-env`, `hdfs-env`, `httpfs-env`, `kms-env`, `bigtop-utils`
  (/etc/default/bigtop-utils), `default-hadoop` (/etc/default/hadoop), `default-service`
  (/etc/default/hadoop-hdfs-namenode, yarn.default, ...) or `other`;
* `version`: the Hadoop major version the file was written for, inferred from its content (a rule
  option `hadoop-version` overrides it);
* `java_home`: what JAVA_HOME ends up being when the file runs under a cleared environment (as
  init scripts and systemd run it) and when JAVA_HOME is inherited, with the line to report on.
  The cross-file rule HDP001 reads these facts: the models it gets carry no shell IR, so nothing
  can be evaluated there.

Nothing is ever executed or sourced.
"""

from __future__ import annotations

from typing import Literal

from cfglint.api import Span
from cfglint.models.base import Model, copy_with
from cfglint.shell import ShellScript

Role = Literal[
    "hadoop-env", "yarn-env", "mapred-env", "hdfs-env", "httpfs-env", "kms-env", "bigtop-utils", "default-hadoop",
    "default-service", "other",
]  # fmt: skip

# The text JAVA_HOME holds when it is inherited (evaluation with JAVA_HOME given): replaced by the
# inherited value when the facts are combined across files.
INHERITED = "\x00inherited-JAVA_HOME\x00"


class ValueSummary(Model):
    """A variable's possible values at the end of a file, as plain data: each possibility's text
    (None: not known statically), and whether the variable may be unset. No possibility and
    `maybe_unset`: definitely unset."""

    texts: tuple[str | None, ...] = ()
    maybe_unset: bool = True

    @property
    def is_unset(self) -> bool:
        return not self.texts

    @property
    def has_unknown(self) -> bool:
        return any(t is None for t in self.texts)


class JavaHomeFacts(Model):
    """JAVA_HOME in one file (see the module docstring)."""

    cleared: ValueSummary = ValueSummary()  # the file run with an empty environment
    inherited: ValueSummary = ValueSummary()  # the file run with JAVA_HOME inherited (INHERITED)
    exported: bool | None = False  # under the cleared environment, at the end of the file
    anchor: Span | None = None  # the line to report on: the last top-level assignment to JAVA_HOME
    assigned: bool = False  # some assignment (or malformed attempt) names JAVA_HOME
    sets_value: bool = False  # some assignment gives JAVA_HOME a non-empty (or unknown) value
    value_text: str | None = None  # that value as written (for messages)
    value_span: Span | None = None  # where (the last such assignment)
    self_reference: bool = False  # the last assignment only copies JAVA_HOME into itself
    malformed: str | None = None  # what bash does with a malformed assignment to JAVA_HOME
    guarded: bool = False  # every conditional assignment is guarded by a test of JAVA_HOME itself
    conditional: bool = False  # some assignment is in a branch, loop or function
    in_function: bool = False  # some assignment is in a function body (runs only when called)
    in_error_region: bool = False  # a region the parser could not read mentions JAVA_HOME
    unmodelled: bool = False  # the text has more `JAVA_HOME=` than the model has assignments
    sources_files: bool = False  # the file sources another (`. FILE`, `source FILE`), not followed
    analyzed: bool = False  # the file was evaluated (cleared/inherited/exported are meaningful)


class VersionGuess(Model):
    """The Hadoop major version a file was written for, and why."""

    version: Literal["2", "3"] | None = None
    evidence: str = ""  # "HADOOP_OS_TYPE (line 97)": shown in messages
    line: int | None = None


class _HadoopShell(ShellScript):
    role: Role = "other"
    version: VersionGuess = VersionGuess()
    java_home: JavaHomeFacts = JavaHomeFacts()
    # The source lines as the engine numbers them: what the model does not hold (arithmetic such as
    # `(( i++ ))`, `let`) can still be seen by the rules' conservative checks.
    lines: list[str] = []

    def index_view(self) -> _HadoopShell:
        """The cross-file rule reads the facts, the role, the path and the error regions only."""
        return copy_with(self, commands=[], assignments=[], functions={}, heredocs=[], comments=[], lines=[])


class HadoopEnv(_HadoopShell):
    """A Hadoop env file: hadoop-env.sh, yarn-env.sh, mapred-env.sh, /etc/default/hadoop*, bigtop-utils."""

    kind = "hadoop-env"


class ShellProfile(_HadoopShell):
    """A login profile (.bash_profile, .bashrc, .profile, /etc/profile, profile.d/*.sh,
    /etc/environment): context for the Hadoop rules, never a target."""

    kind = "shell-profile"


__all__ = ["INHERITED", "HadoopEnv", "JavaHomeFacts", "Role", "ShellProfile", "ValueSummary", "VersionGuess"]
