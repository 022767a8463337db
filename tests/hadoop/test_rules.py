"""The HDP rules end to end: the cross-file rule's cases and severities, its doc example, the
version option (per rule and for the family), the examples/ scenario, the cache."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from cfglint.cli import main
from cfglint.registry import load_rules

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures" / "rules"
EXAMPLE = REPO / "examples" / "hadoop-cdh-javahome"


def run(capsys, *args: str) -> tuple[int, list[dict]]:
    capsys.readouterr()
    rc = main(["check", *args, "--format", "json"])
    out = capsys.readouterr().out
    return rc, json.loads(out)["diagnostics"]


def rel(d: dict, base: Path) -> str:
    return Path(d["path"]).resolve().relative_to(base.resolve()).as_posix()


@pytest.mark.parametrize(
    ("case", "severity", "words"),
    [
        ("bad_cdh_profile", "error", ["`export JAVA_HOME=${JAVA_HOME}`", "/root/.bash_profile (line 4)", "interactive login"]),
        ("bad_3x_template_unset", "error", ["does not set JAVA_HOME", "/etc/environment (line 2)"]),
        ("bad_malformed", "error", ["malformed", "not a valid identifier"]),
        ("bad_empty", "error", ["empty value"]),
        ("bad_bigtop_not_exported", "error", ["without `export`", "stops bigtop-detect-javahome"]),
        ("bad_branch_only", "warning", ["only in a branch"]),
        ("bad_autodetect", "info", ["depends on autodetection", "bigtop-detect-javahome"]),
        ("bad_sysv_default_only", "warning", ["etc/default/hadoop (JAVA_HOME=/usr/lib/jvm", "SysV"]),
        ("bad_two_nodes", "error", ["`export JAVA_HOME=${JAVA_HOME}`"]),
    ],
)
def test_hdp001_cases(capsys, case, severity, words):
    d = FIXTURES / "HDP001" / case
    rc, diags = run(capsys, str(d), "--select", "HDP001", "--no-cache")
    assert rc == 1 and len(diags) == 1
    (diag,) = diags
    assert diag["severity"] == severity
    for w in words:
        assert w in diag["message"], (w, diag["message"])
    assert "JAVA_HOME is not set and could not be found" in diag["message"]
    (direct,) = project_findings(d)
    assert direct.fix_title.startswith("Set `export JAVA_HOME=")


def project_findings(root: Path) -> list:
    """HDP001 run directly on the models of a tree (to see what the JSON report leaves out)."""
    from cfglint.api import ProjectContext, ProjectIndex
    from cfglint.kinds import detect_kind
    from cfglint.parsers import parser_for

    models = []
    for p in sorted(root.rglob("*")):
        if p.is_file():
            kind = detect_kind(p, p.read_bytes())
            if kind in ("hadoop-env", "shell-profile"):
                models.append(parser_for(kind)(p.read_bytes(), str(p)).index_view())
    return list(load_rules()["HDP001"]().check(ProjectIndex(models), ProjectContext()))


def test_hdp001_fix_title_uses_the_profile_value():
    (diag,) = project_findings(FIXTURES / "HDP001" / "bad_cdh_profile")
    assert diag.fix_title == "Set `export JAVA_HOME=/usr/java/jdk1.8.0_181` in hadoop-env.sh"
    (diag,) = project_findings(FIXTURES / "HDP001" / "bad_bigtop_not_exported")
    assert diag.fix_title == "Set `export JAVA_HOME=<JDK directory>` in hadoop-env.sh (or export it in /etc/default/bigtop-utils)"


def test_hdp001_doc_example_fires_and_use_instead_is_clean(tmp_path, capsys):
    rule = load_rules()["HDP001"]
    example = rule.doc_section("Example")
    blocks = [b.split("```", 1)[0] for b in example.split("```sh\n")[1:]]
    assert len(blocks) == 2
    bad = tmp_path / "bad"
    (bad / "etc/hadoop/conf").mkdir(parents=True)
    (bad / "root").mkdir()
    (bad / "etc/hadoop/conf/hadoop-env.sh").write_text(blocks[0])
    (bad / "root/.bash_profile").write_text(blocks[1])
    _, diags = run(capsys, str(bad), "--select", "HDP001", "--no-cache")
    assert [(d["code"], rel(d, bad)) for d in diags] == [("HDP001", "etc/hadoop/conf/hadoop-env.sh")]
    assert [rel(r, bad) for r in diags[0]["related"]] == ["root/.bash_profile"]
    good = tmp_path / "good"
    shutil.copytree(bad, good)
    (good / "etc/hadoop/conf/hadoop-env.sh").write_text(rule.doc_code_block("Use instead"))
    _, diags = run(capsys, str(good), "--select", "HDP001", "--no-cache")
    assert diags == []


def test_examples_broken_fixed_and_pairing(capsys):
    rc, diags = run(capsys, str(EXAMPLE / "broken"), "--no-cache")
    assert rc == 1
    assert [(d["code"], rel(d, EXAMPLE / "broken"), d["line"]) for d in diags] == [
        ("HDP001", "etc/hadoop/conf/hadoop-env.sh", 5)
    ]
    assert [(rel(r, EXAMPLE / "broken"), r["line"]) for r in diags[0]["related"]] == [("root/.bash_profile", 6)]
    rc, diags = run(capsys, str(EXAMPLE / "fixed"), "--no-cache")
    assert rc == 0 and diags == []
    # the whole examples/ tree: broken pairs with broken only, fixed stays clean
    _, diags = run(capsys, str(REPO / "examples"), "--select", "HDP", "--no-cache")
    hdp = [d for d in diags if d["code"].startswith("HDP")]
    assert [(rel(d, EXAMPLE), [rel(r, EXAMPLE) for r in d["related"]]) for d in hdp] == [
        ("broken/etc/hadoop/conf/hadoop-env.sh", ["broken/root/.bash_profile"])
    ]


def test_hdp001_through_the_cache(tmp_path, capsys):
    """Second run: the models (and their JAVA_HOME facts) come from the cache, without the shell IR."""
    tree = tmp_path / "node"
    shutil.copytree(EXAMPLE / "broken", tree)
    cache = tmp_path / "cache"
    first = run(capsys, str(tree), "--cache-dir", str(cache), "--select", "HDP", "-j", "1")
    (tree / "note.txt").write_text("force a new project key, not a new model\n")
    second = run(capsys, str(tree), "--cache-dir", str(cache), "--select", "HDP", "-j", "1")
    assert first == second and first[1][0]["code"] == "HDP001"
    # a changed profile: the finding follows the cached hadoop-env.sh model
    (tree / "root/.bash_profile").write_text("export JAVA_HOME=/opt/jdk-17\n")
    _, diags = run(capsys, str(tree), "--cache-dir", str(cache), "--select", "HDP", "-j", "1")
    assert "JAVA_HOME=/opt/jdk-17" in diags[0]["message"]


TEMPLATE_2X = "export HDFS_NAMENODE_USER=hdfs\nexport YARN_HEAPSIZE=1024\n"


@pytest.mark.parametrize(
    ("config", "codes"),
    [
        ("", []),  # no marker: the version is unknown (YARN_HEAPSIZE vs HDFS_NAMENODE_USER)
        ('[rules.HDP]\nhadoop-version = "2"\n', [("HDP007", 1)]),
        ('[rules.HDP]\nhadoop-version = "3"\n', [("HDP007", 2)]),
        ('[rules.HDP007]\nhadoop-version = 3\n', [("HDP007", 2)]),
        ('[rules.variable-ignored-by-version]\nhadoop-version = "2.7.3"\n', [("HDP007", 1)]),
    ],
)
def test_hadoop_version_option(tmp_path, capsys, config, codes):
    (tmp_path / "hadoop-env.sh").write_text(TEMPLATE_2X)
    if config:
        (tmp_path / "cfglint.toml").write_text(config)
    _, diags = run(capsys, str(tmp_path), "--select", "HDP007", "--no-cache")
    assert [(d["code"], d["line"]) for d in diags] == codes
    for d in diags:
        assert "per the option hadoop-version" in d["message"]


def test_bad_hadoop_version_option_is_an_internal_error_not_a_silent_pass(tmp_path, capsys):
    (tmp_path / "hadoop-env.sh").write_text(TEMPLATE_2X)
    (tmp_path / "cfglint.toml").write_text('[rules.HDP007]\nhadoop-version = "4"\n')
    rc, diags = run(capsys, str(tmp_path), "--select", "HDP007", "--no-cache")
    assert rc == 2
    assert any(d["code"] == "CFG005" and "hadoop-version" in d["message"] for d in diags)


def test_inferred_version_is_named_in_the_message(capsys):
    _, diags = run(capsys, str(FIXTURES / "HDP007" / "bad_3x_names_in_2x--hadoop-env.sh"), "--select", "HDP007",
                   "--no-cache")  # fmt: skip
    assert diags and all("inferred from `export JAVA_HOME=${JAVA_HOME}` (line 2" in d["message"] for d in diags)


def test_login_profiles_are_context_not_targets(tmp_path, capsys):
    (tmp_path / ".bashrc").write_text("export HADOOP_OPTS = -Xmx1g\nexport JAVA_HOME=/usr/bin/java\n")
    _, diags = run(capsys, str(tmp_path), "--select", "HDP", "--no-cache")
    assert diags == []
