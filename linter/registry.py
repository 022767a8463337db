"""The rule registry: every rule module under `cfglint.rules`, plus plugins from the
`cfglint.rules` entry-point group. Codes, names and aliases are unique (checked at load).

Rule modules are imported lazily. `load_rules()` returns a mapping whose keys are every rule code and
whose values are imported on first access: a run imports the rules (and through them the models and
parsers) of the kinds of file it meets only. What the configuration and the selection need without
importing anything (code, name, severity, kinds, scope, opt-in, suppressible) comes from
`rule_metadata()`, read from the generated index `cfglint/rule_index.py`
(`python -m cfglint.registry` rewrites it; a test fails when it is stale). When the rule modules on
disk do not match the index (a rule added without regenerating it), everything is imported, as before.
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from cfglint.api import _REGISTRY, EngineRule, ProjectRule, Rule, Severity, registered_rules


@dataclass(frozen=True)
class RuleMeta:
    """A rule's metadata, known without importing it. Quacks like the rule class for the
    configuration (`cfglint.config` reads code, name, severity, opt_in, suppressible)."""

    code: str
    name: str
    severity: Severity
    scope: str  # "file", "cross-file" or "engine"
    kinds: tuple[str, ...]
    opt_in: bool
    suppressible: bool
    module: str

    @property
    def cross_file(self) -> bool:
        return self.scope == "cross-file"

    def applies_to(self, kind: str) -> bool:
        return not self.kinds or kind in self.kinds

    @classmethod
    def of(cls, rule: type[Rule]) -> RuleMeta:
        scope = "cross-file" if issubclass(rule, ProjectRule) else "engine" if issubclass(rule, EngineRule) else "file"
        return cls(
            code=rule.code,
            name=rule.name,
            severity=rule.severity,
            scope=scope,
            kinds=tuple(rule.kinds),
            opt_in=bool(rule.opt_in),
            suppressible=bool(rule.suppressible),
            module=rule.__module__,
        )


class LazyRules(Mapping[str, type[Rule]]):
    """code -> rule class, sorted by code; a rule's module is imported when its class is first asked
    for. Iterating the keys, `in` and `meta()` import nothing; `values()`/`items()` import all."""

    def __init__(self, meta: dict[str, RuleMeta]):
        self._meta = dict(sorted(meta.items()))

    def __getitem__(self, code: str) -> type[Rule]:
        cls = _REGISTRY.get(code)
        if cls is not None:
            return cls
        meta = self._meta[code]  # KeyError for an unknown code, as a dict
        importlib.import_module(meta.module)
        cls = _REGISTRY.get(code)
        if cls is None:  # the index is wrong about this module: import everything
            _import_all()
            cls = _REGISTRY.get(code)
        if cls is None:
            raise KeyError(code)
        return cls

    def __iter__(self) -> Iterator[str]:
        return iter(self._meta)

    def __len__(self) -> int:
        return len(self._meta)

    def __contains__(self, code: object) -> bool:
        return code in self._meta

    def meta(self, code: str) -> RuleMeta:
        return self._meta[code]

    def metadata(self) -> dict[str, RuleMeta]:
        return dict(self._meta)

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"LazyRules({list(self._meta)})"


def rule_info(rules: Mapping[str, type[Rule]], code: str) -> RuleMeta | type[Rule] | None:
    """What is known of rule `code` (name, severity, suppressible...) without importing its module
    when `rules` is the lazy registry; the class itself for another mapping; None if unknown."""
    meta = getattr(rules, "meta", None)
    if meta is not None:
        try:
            return meta(code)
        except KeyError:
            return None
    return rules.get(code)


def rule_infos(rules: Mapping[str, type[Rule]]) -> Iterator[tuple[str, RuleMeta | type[Rule]]]:
    """(code, `rule_info`) of every rule, without importing any with the lazy registry."""
    metadata = getattr(rules, "metadata", None)
    if metadata is not None:
        yield from metadata().items()
    else:
        yield from rules.items()


@cache
def load_rules() -> LazyRules:
    meta: dict[str, RuleMeta] = {}
    index = _read_index()
    if index is None:
        _import_all()
    else:
        for code, (module, name, severity, scope, kinds, opt_in, suppressible) in index.items():
            meta[code] = RuleMeta(code, name, Severity(severity), scope, tuple(kinds), opt_in, suppressible, module)
    if _plugins_declared():
        _load_plugins()
    # Whatever is imported already (plugins, rules defined at run time, everything on the slow path).
    for code, cls in registered_rules().items():
        known = meta.get(code)
        if known is not None and known.module != cls.__module__:
            raise TypeError(f"duplicate rule code {code}: {known.module} and {cls.__module__}.{cls.__qualname__}")
        meta[code] = RuleMeta.of(cls)
    names: dict[str, str] = {}
    for code, m in sorted(meta.items()):
        if m.name in names:
            raise TypeError(f"rule name {m.name!r} used by {names[m.name]} and {code}")
        names[m.name] = code
    return LazyRules(meta)


def rule_metadata() -> dict[str, RuleMeta]:
    """Every rule's metadata, imports nothing (but the plugins)."""
    return load_rules().metadata()


def _import_all() -> None:
    import pkgutil

    import cfglint.rules as pkg

    for info in pkgutil.walk_packages(pkg.__path__, prefix=pkg.__name__ + "."):
        importlib.import_module(info.name)


def _load_plugins() -> None:
    from importlib.metadata import entry_points

    for ep in entry_points(group="cfglint.rules"):
        ep.load()


def _plugins_declared() -> bool:
    """Whether an installed distribution declares a `cfglint.rules` entry point. Reads the
    `entry_points.txt` of the distributions on sys.path instead of importing importlib.metadata
    (~20 ms) on every run."""
    for entry in sys.path:
        try:
            with os.scandir(entry or ".") as it:
                dists = [e.path for e in it if e.name.endswith((".dist-info", ".egg-info"))]
        except OSError:
            continue
        for d in dists:
            try:
                with open(os.path.join(d, "entry_points.txt"), encoding="utf-8", errors="replace") as fh:
                    if "[cfglint.rules]" in fh.read():
                        return True
            except OSError:
                continue
    return False


# --------------------------------------------------------------------------------------------------
# The generated index


def _rule_modules() -> list[str]:
    """Every module under cfglint.rules, from the file system (imports nothing)."""
    import cfglint.rules as pkg

    out: list[str] = []

    def walk(directory: str, prefix: str) -> None:
        try:
            entries = sorted(os.scandir(directory), key=lambda e: e.name)
        except OSError:
            return
        for e in entries:
            if e.is_dir() and e.name != "__pycache__" and os.path.exists(os.path.join(e.path, "__init__.py")):
                out.append(prefix + e.name)
                walk(e.path, prefix + e.name + ".")
            elif e.name.endswith(".py") and e.name != "__init__.py":
                out.append(prefix + e.name[:-3])

    for d in pkg.__path__:
        walk(d, pkg.__name__ + ".")
    return sorted(set(out))


def _read_index() -> dict[str, tuple] | None:
    """The generated index, or None when it is missing or does not match the modules on disk."""
    try:
        from cfglint import rule_index
    except ImportError:
        return None
    if list(rule_index.MODULES) != _rule_modules():
        return None
    return rule_index.RULES


def render_index() -> str:
    """The text of cfglint/rule_index.py for the rule modules as they are (imports them all)."""
    _import_all()
    rows = []
    for code, cls in sorted(registered_rules().items()):
        if not cls.__module__.startswith("cfglint.rules."):
            continue  # plugins and rules defined at run time are not indexed
        m = RuleMeta.of(cls)
        rows.append(
            f"    {code!r}: ({m.module!r}, {m.name!r}, {m.severity.value!r}, {m.scope!r}, {m.kinds!r},"
            f" {m.opt_in!r}, {m.suppressible!r}),"
        )
    modules = "".join(f"    {name!r},\n" for name in _rule_modules())
    return (
        '"""Generated by `python -m cfglint.registry`: do not edit. The metadata of every built-in rule, so\n'
        'that a run imports only the rules of the kinds of file it meets (see cfglint.registry)."""\n\n'
        "# code: (module, name, severity, scope, kinds, opt_in, suppressible)\n"
        "RULES = {\n" + "\n".join(rows) + "\n}\n\n"
        "# Every module under cfglint.rules when this was generated: any difference means it is stale.\n"
        "MODULES = [\n" + modules + "]\n"
    )


def resolve(code_or_name: str) -> type[Rule] | None:
    rules = load_rules()
    key = code_or_name.strip()
    if key.upper() in rules:
        return rules[key.upper()]
    for code, meta in rules.metadata().items():
        if meta.name == key.lower():
            return rules[code]
    return None


def main() -> int:  # pragma: no cover - exercised by the index freshness test through render_index
    path = Path(__file__).with_name("rule_index.py")
    text = render_index()
    if path.exists() and path.read_text(encoding="utf-8") == text:
        print(f"{path}: up to date")
        return 0
    path.write_text(text, encoding="utf-8")
    print(f"{path}: written")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
