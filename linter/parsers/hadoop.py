"""Hadoop env files and login profiles, read with the shared shell front end (`cfglint.shell`),
then given their Hadoop facts (`cfglint.hadoop.facts`): role, version, JAVA_HOME. Never raises."""

from __future__ import annotations

from cfglint.api import ParseProblem, Span
from cfglint.hadoop.facts import java_home_facts, role_from_header, role_of, source_lines, version_guess
from cfglint.models.base import copy_with
from cfglint.models.hadoop import HadoopEnv, ShellProfile
from cfglint.shell import build

__all__ = ["parse_hadoop_env", "parse_shell_profile"]


def _with_facts(model, data: bytes, path: str, *, evaluate_env: bool):
    try:
        lines = source_lines(data)
        role = role_of(path)
        if role == "other":
            role = role_from_header(lines)
        return copy_with(
            model,
            role=role,
            lines=lines,
            version=version_guess(model),
            java_home=java_home_facts(model, lines, evaluate_env=evaluate_env),
        )
    except RecursionError:
        message = "the script nests too deeply to be evaluated"
    except Exception as e:  # pragma: no cover - a bug: keep the run going, say so
        message = f"internal error in the Hadoop env analysis: {type(e).__name__}: {e}"
    problem = ParseProblem(span=Span(path=path, line=1), message=message)
    return copy_with(model, problems=[*model.problems, problem])


def parse_hadoop_env(data: bytes, path: str) -> HadoopEnv:
    """hadoop-env.sh, yarn-env.sh, mapred-env.sh, httpfs-env.sh, kms-env.sh, /etc/default/hadoop*,
    /etc/default/bigtop-utils and other Hadoop env shell files."""
    return _with_facts(build(data, path, HadoopEnv), data, path, evaluate_env=True)


def parse_shell_profile(data: bytes, path: str) -> ShellProfile:
    """.bash_profile, .bashrc, .profile, /etc/profile, profile.d/*.sh, /etc/environment."""
    return _with_facts(build(data, path, ShellProfile), data, path, evaluate_env=False)
