"""Configuration: discovery, files, validation, rule selection, overrides and origins."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from cfglint.api import _REGISTRY, Rule, Severity
from cfglint.config import (
    ConfigError,
    RuleSelection,
    Settings,
    apply_cli,
    apply_overrides,
    describe,
    find_config,
    load_settings,
    matches,
    specificity,
)


def _rule(code: str, name: str, severity: Severity, **attrs) -> type[Rule]:
    """A throwaway rule, validated by Rule.__init_subclass__ and then taken out of the global registry
    so that it never leaks into the real rule set of other tests."""
    cls = type(
        f"Rule{code}",
        (Rule,),
        {"__doc__": "A test rule.", "code": code, "name": name, "severity": severity, **attrs},
    )
    _REGISTRY.pop(code, None)
    return cls


T1 = _rule("TST001", "tst-first", Severity.WARNING)
T2 = _rule("TST002", "tst-second", Severity.ERROR)
T10 = _rule("TST010", "tst-tenth", Severity.INFO)
OPT = _rule("TST101", "tst-opt-in", Severity.WARNING, opt_in=True)
X1 = _rule("TSX001", "tsx-other", Severity.ERROR)
LOCK = _rule("TSX002", "tsx-locked", Severity.ERROR, suppressible=False)
RULES: dict[str, type[Rule]] = {r.code: r for r in (T1, T2, T10, OPT, X1, LOCK)}
DEFAULT_ON = {"TST001", "TST002", "TST010", "TSX001", "TSX002"}


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def load(start: Path, **kw) -> Settings:
    return load_settings(start, rules=RULES, **kw)


def enabled(settings: Settings) -> set[str]:
    return set(RuleSelection(settings, RULES).enabled)


def cfg(tmp_path: Path, text: str) -> Settings:
    write(tmp_path / "cfglint.toml", text)
    return load(tmp_path)


# --------------------------------------------------------------------------------------------------
# Discovery


def test_find_config_walks_up(tmp_path):
    conf = write(tmp_path / "a" / "cfglint.toml", "")
    deep = tmp_path / "a" / "b" / "c"
    deep.mkdir(parents=True)
    assert find_config(deep) == conf
    f = write(deep / "x.cfg", "")
    assert find_config(f) == conf  # a file starts at its directory


def test_find_config_none_below_tmp(tmp_path):
    found = find_config(tmp_path)
    assert found is None or tmp_path not in found.parents


def test_precedence_in_one_directory(tmp_path):
    write(tmp_path / "pyproject.toml", "[tool.cfglint]\n")
    assert find_config(tmp_path) == tmp_path / "pyproject.toml"
    write(tmp_path / "cfglint.toml", "")
    assert find_config(tmp_path) == tmp_path / "cfglint.toml"
    write(tmp_path / ".cfglint.toml", "")
    assert find_config(tmp_path) == tmp_path / ".cfglint.toml"


def test_pyproject_without_table_is_skipped(tmp_path):
    conf = write(tmp_path / "cfglint.toml", 'fail-on = "error"\n')
    write(tmp_path / "sub" / "pyproject.toml", "[project]\nname = 'x'\n[tool.other]\na = 1\n")
    assert find_config(tmp_path / "sub") == conf
    s = load(tmp_path / "sub")
    assert s.config_path == conf and s.root == tmp_path and s.fail_on is Severity.ERROR


def test_closest_config_wins(tmp_path):
    write(tmp_path / ".cfglint.toml", "")
    near = write(tmp_path / "sub" / "pyproject.toml", '[tool.cfglint]\nfail-on = "warning"\n')
    s = load(tmp_path / "sub")
    assert s.config_path == near
    assert s.fail_on is Severity.WARNING
    assert s.origins["fail-on"] == str(near)


def test_invalid_pyproject_is_an_error(tmp_path):
    write(tmp_path / "pyproject.toml", "[tool.cfglint\n")
    with pytest.raises(ConfigError, match="invalid TOML"):
        find_config(tmp_path)


def test_no_config_uses_defaults_and_start_dir(tmp_path):
    s = load(tmp_path, isolated=True)
    assert s.config_path is None and s.root == tmp_path
    assert s.select == ["ALL"] and s.fail_on is Severity.INFO
    assert s.respect_gitignore is True and s.require_suppression_reason is True
    assert s.exclude is None and s.extend_exclude == []
    assert all(o == "default" for o in s.origins.values())
    assert enabled(s) == DEFAULT_ON


def test_isolated_ignores_config_files(tmp_path):
    write(tmp_path / "cfglint.toml", 'fail-on = "error"\n')
    assert load(tmp_path, isolated=True).fail_on is Severity.INFO
    with pytest.raises(ConfigError, match="isolated"):
        load(tmp_path, isolated=True, config=str(tmp_path / "cfglint.toml"))


def test_explicit_config_overrides_discovery(tmp_path):
    write(tmp_path / "cfglint.toml", 'fail-on = "error"\n')
    other = write(tmp_path / "elsewhere" / "mine.toml", 'fail-on = "warning"\n')
    s = load(tmp_path, config=str(other))
    assert s.config_path == other and s.root == other.parent and s.fail_on is Severity.WARNING


@pytest.mark.parametrize(
    "name, text, message",
    [
        ("missing.toml", None, "not found"),
        ("bad.toml", "fail-on = \n", "invalid TOML"),
        ("pyproject.toml", "[project]\nname='x'\n", r"no \[tool.cfglint\] table"),
    ],
)
def test_explicit_config_errors(tmp_path, name, text, message):
    if text is not None:
        write(tmp_path / name, text)
    with pytest.raises(ConfigError, match=message):
        load(tmp_path, config=str(tmp_path / name))


def test_pyproject_tool_table(tmp_path):
    write(tmp_path / "pyproject.toml", '[tool.cfglint]\nselect = ["TST"]\n[tool.cfglint.severity]\nTST001 = "info"\n')
    s = load(tmp_path)
    assert s.select == ["TST"] and s.severity == {"TST001": Severity.INFO}


# --------------------------------------------------------------------------------------------------
# extend


def test_extend_merges_and_extending_file_wins(tmp_path):
    base = write(
        tmp_path / "base.toml",
        'fail-on = "warning"\nrespect-gitignore = false\nextend-exclude = ["vendor/"]\n'
        '[severity]\nTST001 = "error"\nTST002 = "info"\n[rules.tst-first]\nlimit = 1\nmode = "a"\n',
    )
    child = write(
        tmp_path / "proj" / "cfglint.toml",
        'extend = "../base.toml"\nfail-on = "error"\nextend-exclude = ["build/"]\n'
        '[severity]\nTST002 = "warning"\n[rules.TST001]\nlimit = 2\n',
    )
    s = load(tmp_path / "proj")
    assert s.config_path == child and s.root == child.parent
    assert s.config_files == [child, base]
    assert s.fail_on is Severity.ERROR and s.origins["fail-on"] == str(child)
    assert s.respect_gitignore is False and s.origins["respect-gitignore"] == str(base)
    assert s.severity == {"TST001": Severity.ERROR, "TST002": Severity.WARNING}
    assert s.origins["severity.TST001"] == str(base) and s.origins["severity.TST002"] == str(child)
    assert s.rule_options == {"TST001": {"limit": 2, "mode": "a"}}
    assert s.origins["rules.TST001.limit"] == str(child) and s.origins["rules.TST001.mode"] == str(base)
    assert s.extend_exclude == ["vendor/", "build/"]


def test_extend_select_in_child_resets_base_adjustments(tmp_path):
    write(tmp_path / "base.toml", 'ignore = ["TST001"]\nextend-select = ["TST101"]\n')
    write(tmp_path / "p" / "cfglint.toml", 'extend = "../base.toml"\nselect = ["TST"]\n')
    s = load(tmp_path / "p")
    assert s.ignore == [] and s.extend_select == []
    assert enabled(s) == {"TST001", "TST002", "TST010"}


def test_extend_child_adjusts_base_selection(tmp_path):
    write(tmp_path / "base.toml", 'ignore = ["TST001"]\n')
    write(tmp_path / "p" / "cfglint.toml", 'extend = "../base.toml"\nextend-select = ["tst-first"]\nignore = ["TSX001"]\n')
    s = load(tmp_path / "p")
    # the higher layer wins across layers: the child re-enables TST001
    assert enabled(s) == DEFAULT_ON - {"TSX001"}
    assert s.ignore == ["TST001", "TSX001"]


@pytest.mark.parametrize("self_cycle", [True, False])
def test_extend_cycle(tmp_path, self_cycle):
    if self_cycle:
        write(tmp_path / "cfglint.toml", 'extend = "cfglint.toml"\n')
    else:
        write(tmp_path / "cfglint.toml", 'extend = "other/b.toml"\n')
        write(tmp_path / "other" / "b.toml", 'extend = "../cfglint.toml"\n')
    with pytest.raises(ConfigError, match="extend cycle"):
        load(tmp_path)


def test_extend_missing_file(tmp_path):
    write(tmp_path / "cfglint.toml", 'extend = "nope.toml"\n')
    with pytest.raises(ConfigError, match="no such file"):
        load(tmp_path)


# --------------------------------------------------------------------------------------------------
# Validation


def test_unknown_key_suggests(tmp_path):
    with pytest.raises(ConfigError) as e:
        cfg(tmp_path, 'slect = ["TST"]\n')
    msg = str(e.value)
    assert "'slect'" in msg and "Did you mean 'select'?" in msg and "fail-on" in msg and "per-file-ignores" in msg


def test_snake_case_key_suggests_kebab(tmp_path):
    with pytest.raises(ConfigError, match="Did you mean 'fail-on'"):
        cfg(tmp_path, 'fail_on = "error"\n')


def test_tool_prefix_in_cfglint_toml(tmp_path):
    with pytest.raises(ConfigError, match="top-level keys"):
        cfg(tmp_path, '[tool.cfglint]\nselect = ["TST"]\n')


@pytest.mark.parametrize(
    "text, message",
    [
        ('select = "TST"\n', "select must be an array of strings, got a string"),
        ('ignore = ["TST", 1]\n', "non-string"),
        ('respect-gitignore = "yes"\n', "true or false"),
        ('require-suppression-reason = 1\n', "true or false"),
        ('fail-on = "fatal"\n', "fail-on must be one of"),
        ('fail-on = 2\n', "fail-on must be one of"),
        ('severity = ["TST"]\n', "severity must be a table"),
        ('[severity]\nTST001 = "loud"\n', "severity.TST001 must be one of"),
        ('[kinds]\n"*.cfg" = 1\n', "must be a string"),
        ('[kinds]\n"*.cfg" = "cisco"\n', "unknown file kind 'cisco'"),
        ('per-file-ignores = 3\n', "must be a table"),
        ('[per-file-ignores]\n"*.cfg" = "TST001"\n', "must be an array of strings"),
        ('exclude = "build"\n', "exclude must be an array"),
        ('[rules]\nTST001 = 3\n', "must be a table"),
        ('extend = 3\n', "extend must be a non-empty string"),
    ],
)
def test_bad_types(tmp_path, text, message):
    with pytest.raises(ConfigError, match=message):
        cfg(tmp_path, text)


def test_kinds_kept_as_is(tmp_path):
    s = cfg(tmp_path, '[kinds]\n"*.cfg" = "asa"\n"env/*.sh" = "hadoop-env"\n')
    assert s.kinds == {"*.cfg": "asa", "env/*.sh": "hadoop-env"}


def test_exclude_replaces_extend_exclude_accumulates(tmp_path):
    write(tmp_path / "base.toml", 'exclude = ["a/"]\nextend-exclude = ["b/"]\n')
    write(tmp_path / "p" / "cfglint.toml", 'extend = "../base.toml"\nexclude = ["c/"]\nextend-exclude = ["d/"]\n')
    s = load(tmp_path / "p")
    assert s.exclude == ["c/"] and s.extend_exclude == ["b/", "d/"]


def test_rule_options_by_name_or_code(tmp_path):
    s = cfg(tmp_path, '[rules.tst-second]\nmax = 3\n[rules.TSX001]\nnames = ["a"]\n')
    assert s.rule_options == {"TST002": {"max": 3}, "TSX001": {"names": ["a"]}}
    assert RuleSelection(s, RULES).options_for("TST002") == {"max": 3}


def test_rule_options_errors(tmp_path):
    with pytest.raises(ConfigError, match="Did you mean 'tst-second'"):
        cfg(tmp_path, "[rules.tst-secnd]\nmax = 3\n")
    with pytest.raises(ConfigError, match="same rule TST002"):
        cfg(tmp_path, "[rules.tst-second]\nmax = 3\n[rules.TST002]\nmax = 4\n")


# --------------------------------------------------------------------------------------------------
# Selectors


def test_matches():
    assert matches("ALL", T1) and matches("ALL", OPT)
    assert matches("TST001", T1) and not matches("TST002", T1)
    assert matches("tst-first", T1) and not matches("tst-second", T1)
    for prefix in ("T", "TS", "TST", "TST0", "TST00"):
        assert matches(prefix, T1)
    assert not matches("TSX", T1) and not matches("TST01", T1) and matches("TST01", T10)
    assert not matches("", T1) and not matches("tst", T1)


def test_specificity_order():
    assert specificity("ALL") < specificity("TST") < specificity("TST0") < specificity("TST00")
    assert specificity("TST00") < specificity("TST001") == specificity("tst-first")


@pytest.mark.parametrize(
    "text, expected",
    [
        ('select = ["ALL"]\n', DEFAULT_ON),
        ('select = ["TST001"]\n', {"TST001"}),
        ('select = ["TST0"]\n', {"TST001", "TST002", "TST010"}),
        ('select = ["TSX"]\n', {"TSX001", "TSX002"}),
        ('select = ["tst-second", "tsx-other"]\n', {"TST002", "TSX001"}),
        ('select = []\n', set()),
        ('extend-select = ["TST101"]\n', DEFAULT_ON | {"TST101"}),
    ],
)
def test_select(tmp_path, text, expected):
    assert enabled(cfg(tmp_path, text)) == expected


@pytest.mark.parametrize(
    "selector, suggestions",
    [("TSY", {"TST", "TSX"}), ("tst-frist", {"tst-first"}), ("TST009", {"TST001", "TST00", "TST010"}), ("all", {"ALL"})],
)
def test_unknown_selector(tmp_path, selector, suggestions):
    with pytest.raises(ConfigError) as e:
        cfg(tmp_path, f'ignore = ["{selector}"]\n')
    assert f"unknown rule selector {selector!r}" in str(e.value)
    assert any(f"Did you mean {s!r}?" in str(e.value) for s in suggestions), str(e.value)


def test_unknown_selector_in_tables(tmp_path):
    with pytest.raises(ConfigError, match="unknown rule selector 'NOPE'"):
        cfg(tmp_path, '[severity]\nNOPE = "info"\n')
    with pytest.raises(ConfigError, match="unknown rule selector 'NOPE'"):
        cfg(tmp_path, '[per-file-ignores]\n"*.cfg" = ["NOPE"]\n')


@pytest.mark.parametrize(
    "text, expected",
    [
        # the more specific selector wins
        ('select = ["TST"]\nignore = ["TST001"]\n', {"TST002", "TST010"}),
        ('select = ["TST001"]\nignore = ["TST"]\n', {"TST001"}),
        ('select = ["TST0"]\nignore = ["TST"]\n', {"TST001", "TST002", "TST010"}),
        ('ignore = ["ALL"]\nextend-select = ["TST01"]\n', {"TST010", "TSX002"}),
        ('select = ["ALL"]\nextend-ignore = ["TST00"]\n', {"TST010", "TSX001", "TSX002"}),
        # a tie: ignore wins
        ('select = ["TST001"]\nignore = ["tst-first"]\n', set()),
        ('select = ["TST"]\nignore = ["TST"]\n', set()),
    ],
)
def test_specificity(tmp_path, text, expected):
    assert enabled(cfg(tmp_path, text)) == expected


@pytest.mark.parametrize(
    "selector, on",
    [("ALL", False), ("T", False), ("TST", False), ("TST1", True), ("TST10", True), ("TST101", True), ("tst-opt-in", True)],
)
def test_opt_in_needs_an_explicit_selector(tmp_path, selector, on):
    assert ("TST101" in enabled(cfg(tmp_path, f'select = ["{selector}"]\n'))) is on


def test_opt_in_off_by_default(tmp_path):
    assert "TST101" not in enabled(load(tmp_path, isolated=True))


def test_non_suppressible_rule_survives_ignore(tmp_path):
    s = cfg(tmp_path, 'ignore = ["TSX"]\n')
    assert enabled(s) == {"TST001", "TST002", "TST010", "TSX002"}
    assert any("TSX002" in w and "not suppressible" in w and "'TSX'" in w for w in s.warnings)
    assert len(s.warnings) == 1


def test_non_suppressible_rule_can_be_left_unselected(tmp_path):
    s = cfg(tmp_path, 'select = ["TST"]\n')
    assert "TSX002" not in enabled(s) and s.warnings == []


# --------------------------------------------------------------------------------------------------
# per-file-ignores


def test_per_file_ignores_globs_relative_to_config_dir(tmp_path):
    write(
        tmp_path / "cfglint.toml",
        '[per-file-ignores]\n"sub/*.cfg" = ["TST001"]\n"legacy/" = ["TST"]\n"*.sh" = ["tst-tenth"]\n'
        '"!*.cfg" = ["TST002"]\n"all/**" = ["ALL"]\n',
    )
    s = load(tmp_path)
    sel = RuleSelection(s, RULES)
    assert sel.enabled == DEFAULT_ON
    # anchored: "sub/*.cfg" has a slash, so it is relative to the config's directory
    assert sel.enabled_for("sub/a.cfg") == DEFAULT_ON - {"TST001"}
    assert sel.enabled_for("x/sub/a.cfg") == DEFAULT_ON
    assert sel.enabled_for("legacy/deep/a.cfg") == DEFAULT_ON - {"TST001", "TST002", "TST010"}
    # no slash: matches at any depth
    assert sel.enabled_for("x/y/run.sh") == DEFAULT_ON - {"TST010", "TST002"}
    # negation: files NOT matching *.cfg
    assert sel.enabled_for("notes.txt") == DEFAULT_ON - {"TST002"}
    assert sel.enabled_for("top.cfg") == DEFAULT_ON
    # ALL never removes a non-suppressible rule, and says so
    assert sel.enabled_for("all/a.cfg") == {"TSX002"}
    assert any("TSX002" in w and "all/**" in w for w in s.warnings)
    # an absolute path works too
    assert sel.enabled_for(str(tmp_path / "sub" / "b.cfg")) == DEFAULT_ON - {"TST001"}


def test_per_file_ignores_of_an_extended_file_are_relative_to_that_file(tmp_path):
    write(tmp_path / "shared" / "base.toml", '[per-file-ignores]\n"/proj/sub/*.cfg" = ["TST010"]\n')
    write(tmp_path / "proj" / "cfglint.toml", 'extend = "../shared/base.toml"\n')
    write(tmp_path / "cfglint.toml", "")  # not used
    s = load(tmp_path / "proj")
    assert s.root == tmp_path / "proj"
    assert s.per_file_ignores == [("/proj/sub/*.cfg", ["TST010"], tmp_path / "shared")]
    sel = RuleSelection(s, RULES)
    # the file is outside shared/: the base's entry does not apply to it
    assert sel.enabled_for("sub/a.cfg") == DEFAULT_ON


def test_per_file_ignores_base_above_root(tmp_path):
    write(tmp_path / "base.toml", '[per-file-ignores]\n"proj/sub/*.cfg" = ["TST010"]\n')
    write(tmp_path / "proj" / "cfglint.toml", 'extend = "../base.toml"\n[per-file-ignores]\n"sub/*.cfg" = ["TST001"]\n')
    sel = RuleSelection(load(tmp_path / "proj"), RULES)
    assert sel.enabled_for("sub/a.cfg") == DEFAULT_ON - {"TST001", "TST010"}
    assert sel.enabled_for("./sub/a.cfg") == DEFAULT_ON - {"TST001", "TST010"}


def test_per_file_ignores_do_not_enable_unselected_rules(tmp_path):
    s = cfg(tmp_path, 'select = ["TST001"]\n[per-file-ignores]\n"*.cfg" = ["TST002"]\n')
    sel = RuleSelection(s, RULES)
    assert sel.enabled_for("a.cfg") == {"TST001"}


# --------------------------------------------------------------------------------------------------
# Severity overrides


def test_severity_most_specific_wins(tmp_path):
    s = cfg(tmp_path, '[severity]\nTST001 = "info"\nALL = "warning"\nTST = "error"\nTST01 = "info"\n')
    sel = RuleSelection(s, RULES)
    assert sel.severity_of("TST001") is Severity.INFO
    assert sel.severity_of("TST002") is Severity.ERROR
    assert sel.severity_of("TST010") is Severity.INFO
    assert sel.severity_of("TSX001") is Severity.WARNING


def test_severity_by_name_and_default(tmp_path):
    s = cfg(tmp_path, '[severity]\ntst-second = "Info"\n')
    sel = RuleSelection(s, RULES)
    assert sel.severity_of("TST002") is Severity.INFO
    assert sel.severity_of("TST001") is Severity.WARNING  # the rule's own


# --------------------------------------------------------------------------------------------------
# Command line and KEY=VALUE overrides


def test_cli_select_replaces_config_selection(tmp_path):
    write(tmp_path / "cfglint.toml", 'select = ["TST001"]\nignore = ["TST002"]\nextend-select = ["TSX001"]\n')
    s = load(tmp_path, cli={"select": ["TST"]})
    assert s.select == ["TST"] and s.ignore == [] and s.extend_select == []
    assert s.origins["select"] == "command line (--select)"
    assert enabled(s) == {"TST001", "TST002", "TST010"}


def test_cli_extend_select_and_ignore_adjust_config(tmp_path):
    conf = write(tmp_path / "cfglint.toml", 'select = ["TST001", "TST002"]\n')
    s = load(tmp_path, cli={"extend_select": "TSX001,TST101", "ignore": ["TST"]})
    # the command line is the higher layer: its --ignore TST wins over the file's exact selectors
    assert enabled(s) == {"TSX001", "TST101"}
    assert s.select == ["TST001", "TST002"] and s.origins["select"] == str(conf)
    assert s.extend_select == ["TSX001", "TST101"] and s.origins["extend-select"] == "command line (--extend-select)"
    assert s.origins["ignore"] == "command line (--ignore)"


def test_cli_fail_on_and_others(tmp_path):
    write(tmp_path / "cfglint.toml", 'fail-on = "error"\n')
    s = load(tmp_path, cli={"fail_on": "warning", "respect_gitignore": False, "per_file_ignores": ["sub/*:TST001"]})
    assert s.fail_on is Severity.WARNING and s.origins["fail-on"] == "command line (--fail-on)"
    assert s.respect_gitignore is False
    assert s.per_file_ignores == [("sub/*", ["TST001"], Path(os.getcwd()))]
    s2 = load(tmp_path, cli={"fail_on": None, "select": None})
    assert s2.fail_on is Severity.ERROR


def test_cli_errors(tmp_path):
    with pytest.raises(ConfigError, match="unknown rule selector 'TSQ'"):
        load(tmp_path, isolated=True, cli={"select": "TSQ"})
    with pytest.raises(ValueError, match="unknown command-line setting"):
        load(tmp_path, isolated=True, cli={"exit_zero": True})


def test_key_value_overrides(tmp_path):
    conf = write(tmp_path / "cfglint.toml", 'fail-on = "error"\n[severity]\nTST001 = "error"\n')
    s = load(tmp_path, overrides=['fail-on = "warning"', 'severity.TST002 = "info"', 'rules.tst-first.max = 2'])
    assert s.fail_on is Severity.WARNING
    assert s.origins["fail-on"] == '--config fail-on = "warning"'
    assert s.severity == {"TST001": Severity.ERROR, "TST002": Severity.INFO}  # tables merge by entry
    assert s.origins["severity.TST001"] == str(conf)
    assert s.origins["severity.TST002"] == '--config severity.TST002 = "info"'
    assert s.rule_options == {"TST001": {"max": 2}}


def test_key_value_select_then_cli(tmp_path):
    write(tmp_path / "cfglint.toml", 'ignore = ["TST001"]\n')
    s = load(tmp_path, overrides=['select = ["TST"]'])
    assert enabled(s) == {"TST001", "TST002", "TST010"}  # a fresh selection drops the file's ignore
    s = load(tmp_path, overrides=['select = ["TST"]'], cli={"ignore": "TST002"})
    assert enabled(s) == {"TST001", "TST010"}


@pytest.mark.parametrize(
    "text, message",
    [
        ("fail-on = ", "not a valid TOML"),
        ("fail-on", "not a valid TOML"),
        ('failon = "error"', "Did you mean 'fail-on'"),
        ('extend = "x.toml"', "only allowed in a config file"),
        ('fail-on = "loud"', "must be one of"),
        ('select = ["NOPE"]', "unknown rule selector"),
    ],
)
def test_key_value_override_errors(tmp_path, text, message):
    with pytest.raises(ConfigError, match=message):
        load(tmp_path, isolated=True, overrides=[text])


def test_apply_overrides_returns_a_copy():
    s = Settings()
    s2 = apply_overrides(s, ['fail-on = "error"'], rules=RULES)
    assert s.fail_on is Severity.INFO and s2.fail_on is Severity.ERROR
    s3 = apply_cli(s2, {"select": "TSX"}, rules=RULES)
    assert s2.select == ["ALL"] and s3.select == ["TSX"]


def test_flat_settings_without_layers():
    s = Settings(select=["TST"], ignore=["TST001"], extend_select=["TST101"])
    assert enabled(s) == {"TST002", "TST010", "TST101"}


# --------------------------------------------------------------------------------------------------
# Origins and describe


def test_describe_rows_carry_origins(tmp_path):
    conf = write(
        tmp_path / "cfglint.toml",
        'select = ["TST"]\n[per-file-ignores]\n"sub/*.cfg" = ["TST001"]\n[severity]\nTST002 = "info"\n'
        '[kinds]\n"*.conf" = "asa"\n[rules.TST001]\nmax = 3\nnames = ["a", "b"]\n',
    )
    s = load(tmp_path, overrides=["respect-gitignore = false"], cli={"fail_on": "error"})
    rows = {k: (v, o) for k, v, o in describe(s)}
    assert rows["select"] == ('["TST"]', str(conf))
    assert rows["ignore"] == ("[]", str(conf))
    assert rows['per-file-ignores."sub/*.cfg"'] == ('["TST001"]', str(conf))
    assert rows["severity.TST002"] == ('"info"', str(conf))
    assert rows['kinds."*.conf"'] == ('"asa"', str(conf))
    assert rows["rules.TST001.max"] == ("3", str(conf))
    assert rows["rules.TST001.names"] == ('["a", "b"]', str(conf))
    assert rows["respect-gitignore"] == ("false", "--config respect-gitignore = false")
    assert rows["fail-on"] == ('"error"', "command line (--fail-on)")
    assert rows["require-suppression-reason"] == ("true", "default")
    assert rows["exclude"] == ("(built-in defaults)", "default")
    assert rows["extend-exclude"] == ("[]", "default")


def test_describe_defaults():
    rows = describe(Settings())
    keys = [k for k, _, _ in rows]
    assert keys[:4] == ["select", "extend-select", "ignore", "extend-ignore"]
    assert {"per-file-ignores", "severity", "kinds", "rules", "fail-on"} <= set(keys)
    assert all(o == "default" for _, _, o in rows)
    assert ("select", '["ALL"]', "default") in rows


def test_accumulated_origins_list_every_file(tmp_path):
    base = write(tmp_path / "base.toml", 'extend-exclude = ["a/"]\n')
    child = write(tmp_path / "p" / "cfglint.toml", 'extend = "../base.toml"\nextend-exclude = ["b/"]\n')
    s = load(tmp_path / "p")
    assert s.origins["extend-exclude"] == f"{base}, {child}"
