"""Configuration: discovery, loading, validation, rule selection, and where each setting came from.

Config files
    `.cfglint.toml` and `cfglint.toml` (top-level keys) and `pyproject.toml` (`[tool.cfglint]`). The
    closest one to the start directory wins; within one directory `.cfglint.toml` > `cfglint.toml` >
    `pyproject.toml`. A `pyproject.toml` without `[tool.cfglint]` is skipped. `--config PATH` replaces
    discovery; `extend = "../base.toml"` layers a file on top of another (relative to the file that
    says it).

Layers
    The settings are built as a stack of layers, lowest first: the built-in defaults, the extended
    files (deepest base first), the config file, each `--config KEY=VALUE` override, then the command
    line. Within the stack:

    * scalars (`fail-on`, `respect-gitignore`, ...) and `exclude`: the higher layer replaces;
    * `extend-exclude`: accumulates;
    * tables (`per-file-ignores`, `severity`, `kinds`, `rules`): merged entry by entry, the higher
      layer wins for the same entry (for `rules`, option by option);
    * a `rules` key is a rule code, a rule name, or a code prefix (`[rules.ASA]`: family-level
      options, given to every rule of that prefix). Each layer is resolved at load time into options
      per rule code (`Settings.rule_options`): within a layer the more specific key wins option by
      option (code or name > longer prefix > shorter prefix), across layers the higher layer wins;
    * rule selection works like Ruff: a layer that sets `select` starts a fresh selection and drops the
      `extend-select`/`ignore`/`extend-ignore` of the layers below it; otherwise its selectors adjust
      the set left by the layers below. Inside one layer, when a rule matches both a select-type and an
      ignore-type selector, the more specific selector wins (exact code or name > longer prefix >
      shorter prefix > ALL), and ignore wins a tie. Across layers the higher layer wins.
"""

from __future__ import annotations

import copy
import difflib
import json
import os
import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pathspec

from cfglint.api import Rule, Severity

CONFIG_FILES = (".cfglint.toml", "cfglint.toml", "pyproject.toml")

# Every key a config file may hold, in the order `describe` prints them.
VALID_KEYS = (
    "extend",
    "select",
    "extend-select",
    "ignore",
    "extend-ignore",
    "per-file-ignores",
    "severity",
    "kinds",
    "exclude",
    "extend-exclude",
    "respect-gitignore",
    "fail-on",
    "require-suppression-reason",
    "rules",
)
_SELECTION_KEYS = ("select", "extend-select", "ignore", "extend-ignore")
_TABLE_KEYS = ("per-file-ignores", "severity", "kinds", "rules")
_BOOL_KEYS = ("respect-gitignore", "require-suppression-reason")
_FIELD = {  # TOML key -> Settings attribute
    "select": "select",
    "extend-select": "extend_select",
    "ignore": "ignore",
    "extend-ignore": "extend_ignore",
    "exclude": "exclude",
    "extend-exclude": "extend_exclude",
    "respect-gitignore": "respect_gitignore",
    "fail-on": "fail_on",
    "require-suppression-reason": "require_suppression_reason",
}
# `cli` mapping key -> (TOML key, flag shown in origins)
_CLI_KEYS = {
    "select": ("select", "--select"),
    "extend_select": ("extend-select", "--extend-select"),
    "ignore": ("ignore", "--ignore"),
    "extend_ignore": ("extend-ignore", "--extend-ignore"),
    "per_file_ignores": ("per-file-ignores", "--per-file-ignores"),
    "fail_on": ("fail-on", "--fail-on"),
    "exclude": ("exclude", "--exclude"),
    "extend_exclude": ("extend-exclude", "--extend-exclude"),
    "respect_gitignore": ("respect-gitignore", "--respect-gitignore"),
    "require_suppression_reason": ("require-suppression-reason", "--require-suppression-reason"),
}
DEFAULT_ORIGIN = "default"
EXACT = 6  # specificity of an exact code or a rule name
OPT_IN_MIN = 4  # a selector enables an opt-in rule only from this specificity (exact, or "DAV0")


class ConfigError(Exception):
    """An unusable configuration: the CLI reports it and exits 2."""

    def __init__(self, message: str, path: Path | None = None):
        super().__init__(message)
        self.path = path


@dataclass
class SelectionLayer:
    """The rule-selection part of one layer (a config file, an override, the command line)."""

    origin: str
    select: list[str] | None = None
    extend_select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    extend_ignore: list[str] = field(default_factory=list)


def _default_origins() -> dict[str, str]:
    return {k: DEFAULT_ORIGIN for k in VALID_KEYS if k != "extend"}


@dataclass
class Settings:
    # Rule selection, flattened for display: `select` is the effective basis (["ALL"] = the default
    # set: every rule that is not opt-in); the three others gather the adjustments of every layer from
    # the one that set `select` up. `selection_layers`, when not empty, is what RuleSelection applies
    # (it keeps the layer order); when empty the four lists are applied as one layer.
    select: list[str] = field(default_factory=lambda: ["ALL"])
    ignore: list[str] = field(default_factory=list)
    extend_select: list[str] = field(default_factory=list)
    extend_ignore: list[str] = field(default_factory=list)
    per_file_ignores: list[tuple[str, list[str], Path]] = field(default_factory=list)  # (glob, selectors, base dir)
    severity: dict[str, Severity] = field(default_factory=dict)  # selector -> severity
    kinds: dict[str, str] = field(default_factory=dict)  # glob -> kind name (or "ignore")
    exclude: list[str] | None = None  # None = the default excludes
    extend_exclude: list[str] = field(default_factory=list)
    respect_gitignore: bool = True
    fail_on: Severity = Severity.INFO
    require_suppression_reason: bool = True
    rule_options: dict[str, dict] = field(default_factory=dict)  # rule CODE -> options
    config_path: Path | None = None
    root: Path = field(default_factory=Path.cwd)  # dir of the config file, else the start dir
    # key -> origin. Keys are TOML keys ("fail-on"); table entries also have their own
    # ("severity.DAV001", 'per-file-ignores."sub/*.cfg"', "rules.DAV001.max").
    origins: dict[str, str] = field(default_factory=_default_origins)
    warnings: list[str] = field(default_factory=list)
    selection_layers: list[SelectionLayer] = field(default_factory=list)
    config_files: list[Path] = field(default_factory=list)  # every file read: the config file first, then its bases

    def effective_layers(self) -> list[SelectionLayer]:
        if self.selection_layers:
            return self.selection_layers
        return [
            SelectionLayer(
                "configuration", list(self.select), list(self.extend_select), list(self.ignore), list(self.extend_ignore)
            )
        ]


# --------------------------------------------------------------------------------------------------
# Selectors


def _is_prefix(selector: str) -> bool:
    return 0 < len(selector) < 6 and selector != "ALL" and re.fullmatch(r"[A-Z]{1,3}[0-9]{0,2}", selector) is not None


def specificity(selector: str) -> int:
    """ALL = 0, a code prefix = its length (1..5), an exact code or a rule name = 6."""
    if selector == "ALL":
        return 0
    if _is_prefix(selector):
        return len(selector)
    return EXACT


def matches(selector: str, rule: type[Rule]) -> bool:
    """Whether a selector (ALL, exact code, code prefix or kebab name) designates the rule."""
    if selector == "ALL" or selector == rule.code or selector == rule.name:
        return True
    return _is_prefix(selector) and rule.code.startswith(selector)


def _names_explicitly(selector: str) -> bool:
    """Whether a select-type selector may turn on an opt-in rule it matches."""
    return specificity(selector) >= OPT_IN_MIN


def _suggest(word: str, candidates: Iterable[str]) -> str:
    pool = sorted(set(candidates))
    close = difflib.get_close_matches(word, pool, n=1, cutoff=0.6)
    if not close and word.upper() != word:
        close = difflib.get_close_matches(word.upper(), pool, n=1, cutoff=0.6)
    return f" Did you mean {close[0]!r}?" if close else ""


def _check_selector(selector: str, rules: Mapping[str, type[Rule]], where: str) -> None:
    if selector == "ALL" or any(matches(selector, r) for r in rules.values()):
        return
    candidates = ["ALL"]
    for r in rules.values():
        candidates += [r.code, r.name, r.code[:3], r.code[:4]]
    raise ConfigError(f"{where}: unknown rule selector {selector!r}.{_suggest(selector, candidates)}")


def _resolve_rule(key: str, rules: Mapping[str, type[Rule]], where: str) -> str:
    """A rule code or name -> the code."""
    if key in rules:
        return key
    for code, r in rules.items():
        if r.name == key:
            return code
    candidates = [c for c in rules] + [r.name for r in rules.values()]
    raise ConfigError(f"{where}: unknown rule {key!r} (expected a rule code or name).{_suggest(key, candidates)}")


# --------------------------------------------------------------------------------------------------
# Validation


def _type_name(v: Any) -> str:
    if isinstance(v, bool):
        return "a boolean"
    if isinstance(v, int):
        return "an integer"
    if isinstance(v, float):
        return "a float"
    if isinstance(v, str):
        return "a string"
    if isinstance(v, list):
        return "an array"
    if isinstance(v, dict):
        return "a table"
    return type(v).__name__


def _key_text(k: str) -> str:
    return k if re.fullmatch(r"[A-Za-z0-9_-]+", k) else json.dumps(k)


def _str_list(value: Any, where: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        got = _type_name(value) if not isinstance(value, list) else "an array with non-string items"
        raise ConfigError(f"{where} must be an array of strings, got {got}")
    return list(value)


def _table(value: Any, where: str) -> dict:
    if not isinstance(value, dict):
        raise ConfigError(f"{where} must be a table, got {_type_name(value)}")
    return value


def _severity(value: Any, where: str) -> Severity:
    if isinstance(value, Severity):
        return value
    if not isinstance(value, str):
        raise ConfigError(f"{where} must be one of \"error\", \"warning\", \"info\", got {_type_name(value)}")
    try:
        return Severity.parse(value)
    except ValueError:
        raise ConfigError(f"{where} must be one of \"error\", \"warning\", \"info\", got {value!r}") from None


def _unknown_key(key: str, source: str, *, in_override: bool) -> ConfigError:
    valid = [k for k in VALID_KEYS if not (in_override and k == "extend")]
    if in_override and key == "extend":
        return ConfigError(f"{source}: 'extend' is only allowed in a config file")
    hint = ""
    if key == "tool":
        hint = " (cfglint.toml and .cfglint.toml use top-level keys, without the [tool.cfglint] prefix)"
    elif key.replace("_", "-") in valid:
        hint = f" Did you mean {key.replace('_', '-')!r}?"
    else:
        hint = _suggest(key, valid)
    return ConfigError(f"{source}: unknown setting {key!r}.{hint} Valid settings: {', '.join(valid)}")


def _validate(
    table: Mapping[str, Any], source: str, rules: Mapping[str, type[Rule]], *, allow_extend: bool
) -> tuple[dict[str, Any], str | None]:
    """Check one layer's raw table. Returns (values keyed by TOML key, the `extend` value)."""
    out: dict[str, Any] = {}
    extend: str | None = None
    for key, value in table.items():
        where = f"{source}: {_key_text(key)}"
        if key not in VALID_KEYS or (key == "extend" and not allow_extend):
            raise _unknown_key(key, source, in_override=not allow_extend)
        if key == "extend":
            if not isinstance(value, str) or not value.strip():
                raise ConfigError(f"{where} must be a non-empty string (a path), got {_type_name(value)}")
            extend = value
        elif key in _SELECTION_KEYS:
            sels = _str_list(value, where)
            for s in sels:
                _check_selector(s, rules, where)
            out[key] = sels
        elif key == "per-file-ignores":
            pfi: dict[str, list[str]] = {}
            for glob, sels in _table(value, where).items():
                w = f"{where}.{_key_text(glob)}"
                if not glob.strip() or glob.strip() == "!":
                    raise ConfigError(f"{where}: empty glob")
                sels = _str_list(sels, w)
                for s in sels:
                    _check_selector(s, rules, w)
                pfi[glob] = sels
            out[key] = pfi
        elif key == "severity":
            sev: dict[str, Severity] = {}
            for sel, level in _table(value, where).items():
                w = f"{where}.{_key_text(sel)}"
                _check_selector(sel, rules, w)
                sev[sel] = _severity(level, w)
            out[key] = sev
        elif key == "kinds":
            kinds: dict[str, str] = {}
            for glob, kind in _table(value, where).items():
                w = f"{where}.{_key_text(glob)}"
                if not isinstance(kind, str):
                    raise ConfigError(f"{w} must be a string (a file kind), got {_type_name(kind)}")
                from cfglint.kinds import validate_kind

                try:
                    validate_kind(kind)
                except ValueError as exc:
                    raise ConfigError(f"{w}: {exc}") from None
                kinds[glob] = kind
            out[key] = kinds
        elif key in ("exclude", "extend-exclude"):
            out[key] = _str_list(value, where)
        elif key in _BOOL_KEYS:
            if not isinstance(value, bool):
                raise ConfigError(f"{where} must be true or false, got {_type_name(value)}")
            out[key] = value
        elif key == "fail-on":
            out[key] = _severity(value, where)
        elif key == "rules":
            out[key] = _rule_options(_table(value, where), where, rules)
    return out, extend


def _rule_options(table: Mapping[str, Any], where: str, rules: Mapping[str, type[Rule]]) -> dict[str, dict]:
    """One layer's `rules` table -> options per rule code.

    A key is a rule code, a rule name, or a code prefix (`ASA`, `DAV0`): a family-level table whose
    options apply to every rule of that prefix. Within the layer the more specific key wins option by
    option (exact code or name > longer prefix > shorter prefix); across layers the higher layer wins,
    as for every table (see `_apply_layer`)."""
    prefixed: list[tuple[int, str, dict]] = []
    exact: dict[str, dict] = {}
    seen: dict[str, str] = {}
    for name, options in table.items():
        w = f"{where}.{_key_text(name)}"
        opts = copy.deepcopy(_table(options, w))
        if name not in rules and _is_prefix(name):
            if not any(code.startswith(name) for code in rules):
                candidates = sorted({c[:3] for c in rules} | {c[:4] for c in rules} | set(rules))
                raise ConfigError(
                    f"{w}: no rule code starts with {name!r} (expected a rule code, name or code prefix)."
                    f"{_suggest(name, candidates)}"
                )
            prefixed.append((len(name), name, opts))
            continue
        code = _resolve_rule(name, rules, w)
        if code in seen:
            raise ConfigError(f"{where}: {seen[code]!r} and {name!r} name the same rule {code}")
        seen[code] = name
        exact[code] = opts
    out: dict[str, dict] = {}
    for _, prefix, opts in sorted(prefixed, key=lambda t: (t[0], t[1])):
        for code in rules:
            if code.startswith(prefix):
                out.setdefault(code, {}).update(copy.deepcopy(opts))
    for code, opts in exact.items():
        out.setdefault(code, {}).update(opts)
    return out


# --------------------------------------------------------------------------------------------------
# Files


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with open(path, "rb") as f:
            return tomllib.load(f)
    except FileNotFoundError:
        raise ConfigError(f"config file not found: {path}", path) from None
    except IsADirectoryError:
        raise ConfigError(f"config path is a directory, not a file: {path}", path) from None
    except OSError as e:
        raise ConfigError(f"cannot read {path}: {e.strerror or e}", path) from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not UTF-8 text", path) from None
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"{path}: invalid TOML: {e}", path) from None


def _config_table(path: Path, data: dict[str, Any]) -> dict[str, Any] | None:
    """The cfglint table of a parsed file, None for a pyproject.toml without [tool.cfglint]."""
    if path.name != "pyproject.toml":
        return data
    tool = data.get("tool")
    if not isinstance(tool, dict) or "cfglint" not in tool:
        return None
    if not isinstance(tool["cfglint"], dict):
        raise ConfigError(f"{path}: tool.cfglint must be a table, got {_type_name(tool['cfglint'])}", path)
    return tool["cfglint"]


def find_config(start: Path) -> Path | None:
    """The closest config file at or above `start` (a directory, or a file whose directory is used).

    Raises ConfigError for a pyproject.toml that is not valid TOML: it cannot be told apart from one
    holding our settings."""
    d = Path(os.path.abspath(start))
    if d.is_file():
        d = d.parent
    for directory in (d, *d.parents):
        for name in CONFIG_FILES:
            candidate = directory / name
            if not candidate.is_file():
                continue
            if name == "pyproject.toml" and _config_table(candidate, _read_toml(candidate)) is None:
                continue
            return candidate
    return None


@dataclass
class _Layer:
    values: dict[str, Any]
    origin: str | Mapping[str, str]  # one origin, or one per TOML key
    base: Path  # the directory per-file-ignores globs are relative to
    path: Path | None = None

    def origin_of(self, key: str) -> str:
        return self.origin if isinstance(self.origin, str) else self.origin.get(key, "command line")

    @property
    def selection_origin(self) -> str:
        return self.origin if isinstance(self.origin, str) else "command line"


def _load_chain(path: Path, rules: Mapping[str, type[Rule]], stack: list[Path]) -> list[_Layer]:
    """The layers of a config file and of the files it extends, deepest base first."""
    path = Path(os.path.abspath(path))
    real = path.resolve()
    if real in [p.resolve() for p in stack]:
        chain = " -> ".join(str(p) for p in [*stack, path])
        raise ConfigError(f"extend cycle: {chain}", path)
    table = _config_table(path, _read_toml(path))
    if table is None:
        raise ConfigError(f"{path}: no [tool.cfglint] table", path)
    values, extend = _validate(table, str(path), rules, allow_extend=True)
    layers: list[_Layer] = []
    if extend is not None:
        target = Path(os.path.expanduser(extend))
        if not target.is_absolute():
            target = path.parent / target
        if not target.is_file():
            raise ConfigError(f"{path}: extend = {extend!r}: no such file ({os.path.normpath(target)})", path)
        layers = _load_chain(target, rules, [*stack, path])
    layers.append(_Layer(values, str(path), path.parent, path))
    return layers


# --------------------------------------------------------------------------------------------------
# Layering


def _join(old: str | None, new: str) -> str:
    if not old or old == DEFAULT_ORIGIN:
        return new
    parts = old.split(", ")
    return old if new in parts else f"{old}, {new}"


def _apply_layer(s: Settings, layer: _Layer) -> None:
    v = layer.values
    if any(k in v for k in _SELECTION_KEYS):
        sl = SelectionLayer(
            layer.selection_origin,
            list(v["select"]) if "select" in v else None,
            list(v.get("extend-select", [])),
            list(v.get("ignore", [])),
            list(v.get("extend-ignore", [])),
        )
        if sl.select is not None:  # a fresh selection: drops the adjustments of the layers below
            s.selection_layers = [sl]
            for key in _SELECTION_KEYS:
                setattr(s, _FIELD[key], list(v.get(key, [])))
                s.origins[key] = layer.origin_of("select") if key not in v else layer.origin_of(key)
        else:
            s.selection_layers.append(sl)
            for key in _SELECTION_KEYS[1:]:
                if key in v:
                    current = getattr(s, _FIELD[key])
                    old = s.origins.get(key) if current else None  # an empty list owes nothing to its origin
                    current.extend(v[key])
                    s.origins[key] = _join(old, layer.origin_of(key))

    if "per-file-ignores" in v:
        o = layer.origin_of("per-file-ignores")
        for glob, sels in v["per-file-ignores"].items():
            entry = (glob, list(sels), layer.base)
            for i, (g, _, b) in enumerate(s.per_file_ignores):
                if g == glob and b == layer.base:
                    s.per_file_ignores[i] = entry
                    break
            else:
                s.per_file_ignores.append(entry)
            s.origins[f"per-file-ignores.{_key_text(glob)}"] = o
        s.origins["per-file-ignores"] = _join(s.origins.get("per-file-ignores"), o)

    for key, attr in (("severity", "severity"), ("kinds", "kinds")):
        if key in v:
            o = layer.origin_of(key)
            for k, val in v[key].items():
                getattr(s, attr)[k] = val
                s.origins[f"{key}.{_key_text(k)}"] = o
            s.origins[key] = _join(s.origins.get(key), o)

    if "rules" in v:
        o = layer.origin_of("rules")
        for code, opts in v["rules"].items():
            s.rule_options.setdefault(code, {}).update(copy.deepcopy(opts))
            s.origins[f"rules.{code}"] = _join(s.origins.get(f"rules.{code}"), o)
            for opt in opts:
                s.origins[f"rules.{code}.{_key_text(opt)}"] = o
        s.origins["rules"] = _join(s.origins.get("rules"), o)

    if "extend-exclude" in v:
        old = s.origins.get("extend-exclude") if s.extend_exclude else None
        s.extend_exclude.extend(v["extend-exclude"])
        s.origins["extend-exclude"] = _join(old, layer.origin_of("extend-exclude"))
    for key in ("exclude", "respect-gitignore", "fail-on", "require-suppression-reason"):
        if key in v:
            val = v[key]
            setattr(s, _FIELD[key], list(val) if isinstance(val, list) else val)
            s.origins[key] = layer.origin_of(key)


def _finalize(s: Settings, rules: Mapping[str, type[Rule]]) -> Settings:
    s.warnings = RuleSelection(s, rules).warnings
    return s


def parse_override(text: str, rules: Mapping[str, type[Rule]]) -> dict[str, Any]:
    """One `--config KEY=VALUE` fragment (TOML, e.g. `fail-on = "warning"`) -> validated values."""
    try:
        table = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"--config {text!r}: not a valid TOML `KEY = VALUE` override ({e})") from None
    if not table:
        raise ConfigError(f"--config {text!r}: empty override")
    values, _ = _validate(table, f"--config {text!r}", rules, allow_extend=False)
    return values


def apply_overrides(
    settings: Settings, overrides: Sequence[str], *, rules: Mapping[str, type[Rule]], base: Path | None = None
) -> Settings:
    """A copy of `settings` with `--config KEY=VALUE` overrides applied in order, each as one layer.

    Relative per-file-ignores globs of an override are relative to `base` (default: the cwd)."""
    s = copy.deepcopy(settings)
    b = Path(os.path.abspath(base or Path.cwd()))
    for text in overrides:
        values = parse_override(text, rules)
        _apply_layer(s, _Layer(values, f"--config {text.strip()}", b))
    return _finalize(s, rules)


def _csv(value: Any) -> list[str]:
    items = [value] if isinstance(value, str) else list(value)
    out: list[str] = []
    for item in items:
        out += [p.strip() for p in str(item).split(",") if p.strip()]
    return out


def apply_cli(
    settings: Settings, cli: Mapping[str, Any], *, rules: Mapping[str, type[Rule]], base: Path | None = None
) -> Settings:
    """A copy of `settings` with command-line options applied as the top layer.

    Keys (snake or kebab case): select, extend_select, ignore, extend_ignore (comma-separated strings
    or lists), per_file_ignores ({glob: [selectors]} or ["glob:SEL,SEL", ...]), fail_on,
    exclude, extend_exclude, respect_gitignore, require_suppression_reason. None values are skipped.
    `--select` starts a fresh selection (the config's extend-select/ignore/extend-ignore are dropped),
    as in Ruff; `--ignore`/`--extend-select` adjust the config's selection and win over it."""
    table: dict[str, Any] = {}
    origins: dict[str, str] = {}
    for raw_key, value in cli.items():
        if value is None:
            continue
        key = raw_key.replace("-", "_")
        if key not in _CLI_KEYS:
            raise ValueError(f"unknown command-line setting {raw_key!r} (known: {', '.join(_CLI_KEYS)})")
        toml_key, flag = _CLI_KEYS[key]
        if toml_key in _SELECTION_KEYS or toml_key in ("exclude", "extend-exclude"):
            value = _csv(value)
        elif toml_key == "per-file-ignores" and not isinstance(value, Mapping):
            pfi: dict[str, list[str]] = {}
            for item in [value] if isinstance(value, str) else value:
                glob, sep, sels = str(item).rpartition(":")
                if not sep or not glob:
                    raise ConfigError(f"{flag}: expected GLOB:SELECTOR[,SELECTOR...], got {item!r}")
                pfi.setdefault(glob, []).extend(_csv(sels))
            value = pfi
        elif toml_key == "per-file-ignores":
            value = {g: _csv(sels) for g, sels in value.items()}
        elif toml_key == "fail-on" and isinstance(value, Severity):
            value = value.value
        table[toml_key] = value
        origins[toml_key] = f"command line ({flag})"
    s = copy.deepcopy(settings)
    if table:
        values, _ = _validate(table, "command line", rules, allow_extend=False)
        _apply_layer(s, _Layer(values, origins, Path(os.path.abspath(base or Path.cwd()))))
    return _finalize(s, rules)


def load_settings(
    start: Path,
    *,
    config: str | None = None,
    overrides: Sequence[str] = (),
    cli: Mapping[str, Any] | None = None,
    rules: Mapping[str, type[Rule]],
    isolated: bool = False,
) -> Settings:
    """The effective settings for a run started at `start`.

    `config` is a config file path (`--config PATH`, replaces discovery); `overrides` are
    `--config KEY=VALUE` fragments; `cli` the command-line options (see apply_cli); `isolated` ignores
    every config file (overrides and cli still apply)."""
    start = Path(os.path.abspath(start))
    if start.is_file():
        start = start.parent
    if config is not None and isolated:
        raise ConfigError("--config PATH and --isolated cannot be used together")
    path: Path | None = None
    if config is not None:
        path = Path(os.path.abspath(os.path.expanduser(config)))
        if not path.exists():
            raise ConfigError(f"config file not found: {config}", path)
    elif not isolated:
        path = find_config(start)
    s = Settings(root=start)
    if path is not None:
        layers = _load_chain(path, rules, [])
        for layer in layers:
            _apply_layer(s, layer)
        s.config_path = layers[-1].path
        s.root = layers[-1].base
        s.config_files = [ly.path for ly in reversed(layers) if ly.path is not None]
    s = apply_overrides(s, overrides, rules=rules)
    if cli:
        s = apply_cli(s, cli, rules=rules)
    return s


# --------------------------------------------------------------------------------------------------
# Rule selection


class RuleSelection:
    """Which rules run, globally and per file, and at which severity."""

    def __init__(self, settings: Settings, rules: Mapping[str, type[Rule]]):
        self.settings = settings
        self.rules = dict(rules)
        self.warnings: list[str] = []
        self.enabled: frozenset[str] = frozenset(self._resolve())
        self._pfi: list[tuple[pathspec.PathSpec, bool, frozenset[str], Path]] = []
        for glob, sels, base in settings.per_file_ignores:
            negated = glob.startswith("!")
            spec = pathspec.GitIgnoreSpec.from_lines([glob[1:] if negated else glob])
            codes = {c for c, r in self.rules.items() if any(matches(s, r) for s in sels)}
            protected = sorted(c for c in codes if not self.rules[c].suppressible and c in self.enabled)
            for c in protected:
                self.warnings.append(
                    f"{c} ({self.rules[c].name}) is not suppressible: per-file-ignores {glob!r} "
                    "does not disable it"
                )
            safe = frozenset(c for c in codes if self.rules[c].suppressible)
            self._pfi.append((spec, negated, safe, Path(os.path.abspath(base))))
        self._root = Path(os.path.abspath(settings.root))
        self._per_path: dict[str, frozenset[str]] = {}
        self._severity: dict[str, Severity] = {}

    def _resolve(self) -> set[str]:
        enabled = {c for c, r in self.rules.items() if not r.opt_in}
        for layer in self.settings.effective_layers():
            selects = [*(layer.select or []), *layer.extend_select]
            ignores = [*layer.ignore, *layer.extend_ignore]
            new = set() if layer.select is not None else set(enabled)
            for code, rule in self.rules.items():
                best_sel = max(
                    (
                        specificity(s)
                        for s in selects
                        if matches(s, rule) and (not rule.opt_in or _names_explicitly(s))
                    ),
                    default=None,
                )
                best_ign = max(((specificity(s), s) for s in ignores if matches(s, rule)), default=None)
                if best_sel is None and best_ign is None:
                    continue
                on = best_sel is not None and (best_ign is None or best_sel > best_ign[0])
                if not on and best_ign is not None and not rule.suppressible:
                    if best_sel is not None or code in new:
                        self.warnings.append(
                            f"{code} ({rule.name}) is not suppressible: ignore selector {best_ign[1]!r} "
                            f"from {layer.origin} does not disable it"
                        )
                        on = True
                if on:
                    new.add(code)
                else:
                    new.discard(code)
            enabled = new
        return enabled

    def enabled_for(self, path: str) -> frozenset[str]:
        """The rules enabled for one file (relative to settings.root, posix), after per-file-ignores."""
        cached = self._per_path.get(path)
        if cached is not None:
            return cached
        p = Path(path)
        full = Path(os.path.normpath(p if p.is_absolute() else self._root / p))
        removed: set[str] = set()
        for spec, negated, codes, base in self._pfi:
            try:
                rel = full.relative_to(base).as_posix()
            except ValueError:
                continue  # outside the directory of the config that declared it
            hit = spec.match_file(rel)
            if hit != negated:
                removed |= codes
        result = self.enabled - removed if removed else self.enabled
        self._per_path[path] = result
        return result

    def severity_of(self, code: str) -> Severity:
        """The severity override of the most specific matching selector, else the rule's own."""
        sev = self._severity.get(code)
        if sev is not None:
            return sev
        rule = self.rules[code]
        best: tuple[int, Severity] | None = None
        for sel, level in self.settings.severity.items():
            if matches(sel, rule):
                sp = specificity(sel)
                if best is None or sp >= best[0]:
                    best = (sp, level)
        sev = best[1] if best else rule.severity
        self._severity[code] = sev
        return sev

    def options_for(self, code: str) -> dict:
        return dict(self.settings.rule_options.get(code, {}))


# --------------------------------------------------------------------------------------------------
# Describing


def _toml(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, Severity):
        return json.dumps(v.value)
    if isinstance(v, (int, float)):
        return repr(v)
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, Path):
        return json.dumps(str(v), ensure_ascii=False)
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(_toml(x) for x in v) + "]"
    if isinstance(v, dict):
        if not v:
            return "{}"
        return "{ " + ", ".join(f"{_key_text(str(k))} = {_toml(x)}" for k, x in v.items()) + " }"
    return json.dumps(str(v))


def describe(settings: Settings) -> list[tuple[str, str, str]]:
    """(key, value as TOML text, origin) for every effective setting, one row per table entry."""
    o = settings.origins
    rows: list[tuple[str, str, str]] = []

    def row(key: str, value: Any, parent: str | None = None) -> None:
        origin = o.get(key) or (o.get(parent) if parent else None) or DEFAULT_ORIGIN
        rows.append((key, _toml(value), origin))

    row("select", settings.select)
    row("extend-select", settings.extend_select)
    row("ignore", settings.ignore)
    row("extend-ignore", settings.extend_ignore)
    if settings.per_file_ignores:
        for glob, sels, _base in settings.per_file_ignores:
            row(f"per-file-ignores.{_key_text(glob)}", sels, "per-file-ignores")
    else:
        row("per-file-ignores", {})
    for key, table in (("severity", settings.severity), ("kinds", settings.kinds)):
        if table:
            for k, val in table.items():
                row(f"{key}.{_key_text(k)}", val, key)
        else:
            row(key, {})
    if settings.exclude is None:
        rows.append(("exclude", "(built-in defaults)", o.get("exclude", DEFAULT_ORIGIN)))
    else:
        row("exclude", settings.exclude)
    row("extend-exclude", settings.extend_exclude)
    row("respect-gitignore", settings.respect_gitignore)
    row("fail-on", settings.fail_on)
    row("require-suppression-reason", settings.require_suppression_reason)
    if settings.rule_options:
        for code in sorted(settings.rule_options):
            opts = settings.rule_options[code]
            if not opts:
                row(f"rules.{code}", {}, "rules")
            for opt, val in opts.items():
                key = f"rules.{code}.{_key_text(opt)}"
                rows.append((key, _toml(val), o.get(key) or o.get(f"rules.{code}") or o.get("rules", DEFAULT_ORIGIN)))
    else:
        row("rules", {})
    return rows


__all__ = [
    "CONFIG_FILES",
    "ConfigError",
    "RuleSelection",
    "SelectionLayer",
    "Settings",
    "VALID_KEYS",
    "apply_cli",
    "apply_overrides",
    "describe",
    "find_config",
    "load_settings",
    "matches",
    "parse_override",
    "specificity",
]
