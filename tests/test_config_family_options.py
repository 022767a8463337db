"""Family-level rule options: a `rules` key that is a code prefix (`[rules.ASA]`) gives its options to
every rule of that prefix; a code- or name-keyed table overrides them per key. Resolved at load time
into `Settings.rule_options` per code."""

from __future__ import annotations

from pathlib import Path

import pytest

from cfglint.api import _REGISTRY, Rule, Severity
from cfglint.config import ConfigError, RuleSelection, apply_cli, apply_overrides, describe, load_settings
from cfglint.registry import load_rules


def _rule(code: str, name: str) -> type[Rule]:
    cls = type(
        f"Rule{code}", (Rule,), {"__doc__": "A test rule.", "code": code, "name": name, "severity": Severity.ERROR}
    )
    _REGISTRY.pop(code, None)
    return cls


RULES = {
    r.code: r
    for r in (
        _rule("FAM001", "fam-one"),
        _rule("FAM002", "fam-two"),
        _rule("FAM101", "fam-hundred-one"),
        _rule("FAX001", "fax-one"),
    )
}


def cfg(tmp_path: Path, text: str, name: str = "cfglint.toml", **kw):
    (tmp_path / name).write_text(text)
    return load_settings(tmp_path, rules=RULES, **kw)


def test_prefix_table_applies_to_every_rule_of_the_prefix(tmp_path):
    s = cfg(tmp_path, '[rules.FAM]\npeer-map = { "192.0.2.10" = "203.0.113.10" }\n')
    assert s.rule_options == {
        "FAM001": {"peer-map": {"192.0.2.10": "203.0.113.10"}},
        "FAM002": {"peer-map": {"192.0.2.10": "203.0.113.10"}},
        "FAM101": {"peer-map": {"192.0.2.10": "203.0.113.10"}},
    }
    assert RuleSelection(s, RULES).options_for("FAX001") == {}
    # each rule gets its own copy
    s.rule_options["FAM001"]["peer-map"]["x"] = "y"
    assert "x" not in s.rule_options["FAM002"]["peer-map"]


def test_code_or_name_table_overrides_option_by_option(tmp_path):
    s = cfg(tmp_path, '[rules.FAM]\nmax = 3\nmode = "a"\n[rules.FAM001]\nmax = 5\n[rules.fam-two]\nmode = "b"\n')
    assert s.rule_options["FAM001"] == {"max": 5, "mode": "a"}
    assert s.rule_options["FAM002"] == {"max": 3, "mode": "b"}
    assert s.rule_options["FAM101"] == {"max": 3, "mode": "a"}


def test_longer_prefix_wins_over_shorter(tmp_path):
    s = cfg(tmp_path, "[rules.FA]\nlevel = 1\nshared = true\n[rules.FAM1]\nlevel = 2\n[rules.FAM0]\nlevel = 3\n")
    assert s.rule_options["FAX001"] == {"level": 1, "shared": True}
    assert s.rule_options["FAM101"] == {"level": 2, "shared": True}
    assert s.rule_options["FAM001"] == {"level": 3, "shared": True}


def test_pyproject_family_table(tmp_path):
    s = cfg(tmp_path, '[tool.cfglint.rules.FAM]\nexternal-peers = ["198.51.100.0/24"]\n', name="pyproject.toml")
    assert set(s.rule_options) == {"FAM001", "FAM002", "FAM101"}
    assert s.origins["rules.FAM001.external-peers"] == str(tmp_path / "pyproject.toml")


def test_layers_higher_wins_and_merge(tmp_path):
    base = tmp_path / "base.toml"
    base.write_text("[rules.FAM001]\nmax = 1\nkeep = true\n")
    s = cfg(tmp_path, 'extend = "base.toml"\n[rules.FAM]\nmax = 9\n')
    assert s.rule_options["FAM001"] == {"max": 9, "keep": True}  # the extending file is the higher layer
    assert s.rule_options["FAM002"] == {"max": 9}
    assert s.origins["rules.FAM001.max"] == str(tmp_path / "cfglint.toml")
    assert s.origins["rules.FAM001.keep"] == str(base)


def test_override_on_the_command_line(tmp_path):
    s = cfg(tmp_path, "[rules.FAM]\nmax = 3\n", overrides=["rules.FAM0.max = 4"])
    assert s.rule_options["FAM001"] == {"max": 4} and s.rule_options["FAM101"] == {"max": 3}
    s2 = apply_overrides(s, ["rules.FAM = { max = 7 }"], rules=RULES)
    assert {c: o["max"] for c, o in s2.rule_options.items()} == {"FAM001": 7, "FAM002": 7, "FAM101": 7}
    assert apply_cli(s2, {"select": "FAM"}, rules=RULES).rule_options == s2.rule_options


def test_describe_lists_the_resolved_options(tmp_path):
    s = cfg(tmp_path, "[rules.FAM]\nmax = 3\n")
    rows = {k: (v, o) for k, v, o in describe(s)}
    for code in ("FAM001", "FAM002", "FAM101"):
        assert rows[f"rules.{code}.max"] == ("3", str(tmp_path / "cfglint.toml"))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[rules.ZZ]\nmax = 1\n", "no rule code starts with 'ZZ'"),
        ("[rules.FAM]\nmax = 1\n[rules.FAM]\n", "invalid TOML"),
        ("[rules]\nFAM = 3\n", "must be a table"),
        ("[rules.FAM001]\nmax = 1\n[rules.fam-one]\nmax = 2\n", "name the same rule FAM001"),
    ],
)
def test_errors(tmp_path, text, message):
    with pytest.raises(ConfigError, match=message):
        cfg(tmp_path, text)


def test_real_asa_family(tmp_path):
    """With the real registry: `[rules.ASA]` reaches the five cross-device rules."""
    (tmp_path / "cfglint.toml").write_text('[rules.ASA]\npeer-map = { "192.0.2.10" = "203.0.113.10" }\n')
    s = load_settings(tmp_path, rules=load_rules())
    for code in ("ASA001", "ASA002", "ASA003", "ASA004", "ASA005"):
        assert s.rule_options[code] == {"peer-map": {"192.0.2.10": "203.0.113.10"}}
    assert not any(c.startswith("DAV") for c in s.rule_options)
