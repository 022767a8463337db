"""The Hadoop env model: roles from paths, the version from content, the JAVA_HOME facts, pairing."""

from __future__ import annotations

import pickle

import pytest

from cfglint.hadoop.facts import holds, role_from_header, role_of, tree_root
from cfglint.hadoop.variables import did_you_mean, is_known
from cfglint.models.hadoop import INHERITED, HadoopEnv, ShellProfile
from cfglint.parsers import parser_for
from cfglint.parsers.hadoop import parse_hadoop_env, parse_shell_profile
from cfglint.rules.hadoop._common import effective_version


def env(text: str, path: str = "etc/hadoop/hadoop-env.sh") -> HadoopEnv:
    return parse_hadoop_env(text.encode(), path)


@pytest.mark.parametrize(
    ("path", "role"),
    [
        ("etc/hadoop/conf/hadoop-env.sh", "hadoop-env"),
        ("/opt/hadoop-2.7.3/etc/hadoop/yarn-env.sh", "yarn-env"),
        ("conf/mapred-env.sh", "mapred-env"),
        ("httpfs-env.sh", "httpfs-env"),
        ("kms-env.sh", "kms-env"),
        ("hdfs-env.sh", "hdfs-env"),
        ("/etc/default/bigtop-utils", "bigtop-utils"),
        ("bigtop-utils.default", "bigtop-utils"),
        ("/etc/default/hadoop", "default-hadoop"),
        ("hadoop.default", "default-hadoop"),
        ("/etc/default/hadoop-hdfs-namenode", "default-service"),
        ("hdfs.default", "default-service"),
        # the corpus's flattened names
        ("bigtop-HEAD--etc-default-bigtop-utils", "bigtop-utils"),
        ("bigtop-0.5.0--etc-default-bigtop-utils", "bigtop-utils"),
        ("hdp2--dstreev--etc-default-hadoop", "default-hadoop"),
        ("bigtop-HEAD--hdfs.default", "default-service"),
        ("bigtop-HEAD--conf.secure-hadoop-env.sh", "hadoop-env"),
        ("hadoop-2.7.3--yiyang3860--mapred-env.sh", "mapred-env"),
        ("hadoop-env.sh.bak", "other"),
        ("env/site.sh", "other"),
        ("", "other"),
    ],
)
def test_role_of(path, role):
    assert role_of(path) == role


def test_role_from_a_header_comment():
    assert role_from_header(["# /etc/default/hadoop-hdfs-namenode", "X=1"]) == "default-service"
    assert role_from_header(["#!/bin/bash", "# File: etc/hadoop/mapred-env.sh"]) == "mapred-env"
    assert role_from_header(["# Sourced by hadoop-env.sh"]) == "other"  # no path
    assert role_from_header(["export X=1", "# /etc/default/hadoop"]) == "other"  # not the first line
    m = parse_hadoop_env(b"# /etc/default/bigtop-utils\nJAVA_HOME=/x\n", "example")
    assert m.role == "bigtop-utils"
    # the name wins over the header
    assert parse_hadoop_env(b"# /etc/default/hadoop\n", "yarn-env.sh").role == "yarn-env"


def test_tree_roots_pair_one_machine_only():
    prof = "examples/x/broken/root/.bash_profile"
    assert tree_root(prof) == ("examples", "x", "broken")
    assert holds(tree_root(prof), "examples/x/broken/etc/hadoop/conf/hadoop-env.sh")
    assert not holds(tree_root(prof), "examples/x/fixed/etc/hadoop/conf/hadoop-env.sh")
    assert tree_root("n1/home/hdfs/.bashrc") == ("n1",)
    assert tree_root("n1/etc/profile.d/java.sh") == ("n1",)
    assert tree_root("n1/etc/default/bigtop-utils") == ("n1",)
    assert tree_root("/etc/environment") == ("/",)
    assert holds(tree_root("/etc/environment"), "/etc/hadoop/conf/hadoop-env.sh")
    assert tree_root("corpus/bigtop-HEAD--etc-default-bigtop-utils") == ("corpus",)
    assert tree_root("dotfiles/.bashrc") == ("dotfiles",)
    assert holds(("dotfiles",), "dotfiles/hadoop/conf/hadoop-env.sh")


@pytest.mark.parametrize(
    ("text", "version"),
    [
        ("export JAVA_HOME=${JAVA_HOME}\n", "2"),
        ("for f in $HADOOP_HOME/contrib/capacity-scheduler/*.jar; do :; done\n", "2"),
        ("JAVA_HEAP_MAX=-Xmx1000m\n", "2"),
        ("export HADOOP_OS_TYPE=${HADOOP_OS_TYPE:-$(uname -s)}\n", "3"),
        ("export HADOOP_HEAPSIZE_MAX=4g\n", "3"),
        ("hadoop_add_classpath /opt/x.jar\n", "3"),
        ("export HDFS_NAMENODE_OPTS=-Xmx1g\n", "3"),  # weak
        ("export HADOOP_NAMENODE_INIT_HEAPSIZE=1000\n", "2"),  # weak
        ("# export HADOOP_HEAPSIZE_MAX=\n", "3"),  # the 3.x template's comments
        ("# The maximum amount of heap to use, in MB. Default is 1000.\n", "2"),
        # strong beats weak; both strong or both weak: unknown
        ("export JAVA_HOME=${JAVA_HOME}\nexport HDFS_NAMENODE_USER=root\n", "2"),
        ("export HADOOP_OS_TYPE=x\nexport HADOOP_NAMENODE_OPTS=-Xmx1g\n", "3"),
        ("export JAVA_HOME=${JAVA_HOME}\nexport HADOOP_HEAPSIZE_MAX=4g\n", None),
        ("export HDFS_NAMENODE_OPTS=a\nHADOOP_JOBTRACKER_OPTS=b\n", None),
        ("export JAVA_HOME=/usr/java/default\n", None),
        # markers in a function do not count
        ("f() { export HADOOP_OS_TYPE=x; }\n", None),
    ],
)
def test_version_guess(text, version):
    assert env(text).version.version == version


def test_version_option_overrides_and_is_checked():
    m = env("export JAVA_HOME=${JAVA_HOME}\n")
    assert effective_version(m, {})[0] == "2"
    assert "inferred from `export JAVA_HOME=${JAVA_HOME}` (line 1" in effective_version(m, {})[1]
    assert effective_version(m, {"hadoop-version": "3"}) == ("3", "Hadoop 3.x per the option hadoop-version")
    assert effective_version(m, {"hadoop-version": 3})[0] == "3"
    assert effective_version(m, {"hadoop-version": "3.1.1"})[0] == "3"
    with pytest.raises(ValueError, match="hadoop-version"):
        effective_version(m, {"hadoop-version": "4"})


def test_java_home_facts_under_cleared_and_inherited_environments():
    jh = env("export JAVA_HOME=${JAVA_HOME}\n").java_home
    assert jh.analyzed and jh.self_reference and jh.exported is True
    assert jh.cleared.texts == ("",) and jh.inherited.texts == (INHERITED,)
    assert jh.anchor is not None and jh.anchor.line == 1

    jh = env("# export JAVA_HOME=\n").java_home
    assert jh.cleared.is_unset and not jh.assigned and jh.anchor is None

    jh = env("if [ -z \"$JAVA_HOME\" ]; then\n  export JAVA_HOME=/opt/jdk\nfi\n").java_home
    assert jh.guarded and jh.conditional and jh.cleared.maybe_unset

    jh = env("if [ -d /opt/jdk ]; then export JAVA_HOME=/opt/jdk; fi\n").java_home
    assert not jh.guarded and jh.conditional

    jh = env("export JAVA_HOME = /usr/java\n").java_home
    assert jh.malformed and "not a valid identifier" in jh.malformed and jh.cleared.is_unset

    jh = env("JAVA_HOME=`/usr/libexec/java_home`\n").java_home
    assert jh.cleared.texts == (None,) and jh.exported is False and jh.sets_value

    jh = parse_shell_profile(b"export JAVA_HOME=/usr/java/jdk1.8.0_181\nPATH=$JAVA_HOME/bin:$PATH\n", ".bash_profile").java_home
    assert jh.sets_value and jh.value_span.line == 1 and jh.value_text == "/usr/java/jdk1.8.0_181"
    assert not jh.analyzed  # profiles are context: not evaluated


def test_error_region_mentioning_java_home_is_recorded():
    jh = env('X=$(\nexport JAVA_HOME=/usr/java\n').java_home
    assert jh.in_error_region


def test_index_view_is_lean_and_keeps_the_facts():
    m = env("export JAVA_HOME=${JAVA_HOME}\nexport HADOOP_PID_DIR=/var/run/hadoop\n")
    view = m.index_view()
    assert isinstance(view, HadoopEnv) and view.commands == [] and view.assignments == []
    assert view.java_home == m.java_home and view.role == m.role and view.version == m.version
    back = pickle.loads(pickle.dumps(view))
    assert back.java_home == m.java_home
    prof = parse_shell_profile(b"export JAVA_HOME=/x\n", "root/.profile")
    assert isinstance(prof.index_view(), ShellProfile)


def test_parsers_are_registered():
    assert parser_for("hadoop-env") is parse_hadoop_env
    assert parser_for("shell-profile") is parse_shell_profile


@pytest.mark.parametrize(
    "data",
    [b"", b"\x00\xff\xfe", b"((((((((((", b"export JAVA_HOME=$(" * 50, b"f() {\n" * 300, b"\r\r\r", "é=1\n".encode()],
)
def test_parsers_never_raise(data):
    for parse in (parse_hadoop_env, parse_shell_profile):
        m = parse(data, "hadoop-env.sh")
        assert m.path == "hadoop-env.sh"


def test_variable_tables():
    assert is_known("HDFS_NAMENODE_OPTS") and is_known("HDFS_DFSADMIN_OPTS") and is_known("YARN_TIMELINE_HEAPSIZE")
    assert not is_known("YARN_RESOURCE_MANAGER_OPTS") and not is_known("HDFS_DATANODE_OPT")
    assert did_you_mean("HDFS_DATANODE_OPT") == "HDFS_DATANODE_OPTS"
    assert did_you_mean("YARN_RESOURCE_MANAGER_OPTS") == "YARN_RESOURCEMANAGER_OPTS"
    assert did_you_mean("HADOOP_CLASPATH") == "HADOOP_CLASSPATH"
    assert did_you_mean("HADOOP_HEAPISZE") == "HADOOP_HEAPSIZE"  # a transposition counts 1
    assert did_you_mean("HADOOP_OPTS") is None  # known
    assert did_you_mean("JAVA_HOMES") is None  # not a Hadoop prefix
    assert did_you_mean("HADOOP_WHATEVER_DIR") is None  # nothing close
