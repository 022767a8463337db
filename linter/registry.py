"""The rule registry: every rule module under `cfglint.rules`, plus plugins from the
`cfglint.rules` entry-point group. Codes, names and aliases are unique (checked at import)."""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache

from cfglint.api import Rule, registered_rules


@cache
def load_rules() -> dict[str, type[Rule]]:
    import cfglint.rules as pkg

    for info in pkgutil.walk_packages(pkg.__path__, prefix=pkg.__name__ + "."):
        importlib.import_module(info.name)
    _load_plugins()
    rules = registered_rules()
    names: dict[str, str] = {}
    for code, cls in rules.items():
        if cls.name in names:
            raise TypeError(f"rule name {cls.name!r} used by {names[cls.name]} and {code}")
        names[cls.name] = code
    return dict(sorted(rules.items()))


def _load_plugins() -> None:
    from importlib.metadata import entry_points

    for ep in entry_points(group="cfglint.rules"):
        ep.load()


def resolve(code_or_name: str) -> type[Rule] | None:
    rules = load_rules()
    key = code_or_name.strip()
    if key.upper() in rules:
        return rules[key.upper()]
    for cls in rules.values():
        if cls.name == key.lower():
            return cls
    return None
