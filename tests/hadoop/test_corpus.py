"""../shared/corpus/hadoop: every file parses (no crash, no parse problem, no internal error), and
the HDP findings are exactly the ones reviewed by hand (issue 4's note lists each with why)."""

from __future__ import annotations

import json

from cfglint.cli import main
from cfglint.kinds import detect_kind
from cfglint.parsers.hadoop import parse_hadoop_env, parse_shell_profile

# (file, code, line, severity): each reviewed against the file and Hadoop's/Bigtop's launchers.
REVIEWED = {
    # Bigtop's secure sample sets no JAVA_HOME: a Bigtop install relies on bigtop-detect-javahome.
    ("bigtop-HEAD--conf.secure-hadoop-env.sh", "HDP001", 1, "info"),
    # `${HDFS_DATANODE_OPT}` (missing S): expands to nothing, drops the previous HDFS_DATANODE_OPTS.
    ("bigtop-HEAD--conf.secure-hadoop-env.sh", "HDP014", 34, "warning"),
    # 2.7.3 template: `export HADOOP_PID_DIR=${HADOOP_PID_DIR}`, /tmp when nothing passes it.
    ("hadoop-2.7.3--yiyang3860--hadoop-env.sh", "HDP012", 94, "info"),
    # JAVA_HOME on line 25 (template) is dead: line 103 sets it again.
    ("hadoop-2.7.3--yiyang3860--hadoop-env.sh", "HDP011", 103, "warning"),
    # Hadoop 3 run-as-root names in a 2.7.3 install: never read.
    ("hadoop-2.7.3--yiyang3860--hadoop-env.sh", "HDP007", 107, "warning"),
    ("hadoop-2.7.3--yiyang3860--hadoop-env.sh", "HDP007", 108, "warning"),
    ("hadoop-2.7.3--yiyang3860--hadoop-env.sh", "HDP007", 109, "warning"),
    ("hadoop-2.7.3--yiyang3860--hadoop-env.sh", "HDP007", 110, "warning"),
    ("hadoop-2.7.3--yiyang3860--hadoop-env.sh", "HDP007", 111, "warning"),
    ("hadoop-2.7.3--yiyang3860--hadoop-env.sh", "HDP007", 112, "warning"),
    # HADOOP_OPTS="-Djava.library.path=..." drops line 49's preferIPv4Stack.
    ("hadoop-2.7.3--yiyang3860--hadoop-env.sh", "HDP008", 118, "warning"),
    # HADOOP_OPTS="--add-modules java.activation" drops line 93's options.
    ("hadoop-3.2.1-brew--guanglei1wang--hadoop-env.sh", "HDP008", 428, "warning"),
}


def _files(corpus_dir):
    d = corpus_dir("hadoop")
    return d, sorted(p for p in d.iterdir() if p.is_file() and p.name != "SOURCES.md")


def test_every_corpus_file_parses_cleanly(corpus_dir):
    _, files = _files(corpus_dir)
    assert len(files) >= 25
    for p in files:
        data = p.read_bytes()
        kind = detect_kind(p, data)
        assert kind == "hadoop-env", p.name
        m = parse_hadoop_env(data, p.name)
        assert m.problems == [] and m.error_regions == [], p.name
        assert m.java_home.analyzed, p.name
        assert m.role != "other", p.name
        prof = parse_shell_profile(data, p.name)  # the profile reading never fails either
        assert prof.problems == [], p.name


def test_corpus_findings_are_the_reviewed_ones(corpus_dir, capsys):
    d, files = _files(corpus_dir)
    rc = main(["check", str(d), "--format", "json", "--no-cache"])
    doc = json.loads(capsys.readouterr().out)
    assert rc in (0, 1)
    assert doc["summary"]["files"] == len(files)
    diags = doc["diagnostics"]
    assert not [x for x in diags if x["code"].startswith("CFG")], diags
    got = {(x["path"].rsplit("/", 1)[-1], x["code"], x["line"], x["severity"]) for x in diags}
    assert got == REVIEWED
    assert len(diags) == len(REVIEWED)
