"""Models hold what their annotations say: a strict check of every field of every element.

The models (cfglint.models.base) do no validation when built: the parsers build well-typed values.
These helpers hold that true in the tests (no coercion: a list where a tuple is declared, a bool
where an int is declared, a string outside a Literal fail)."""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Iterator
from typing import Any, Literal, Union, get_args, get_origin, get_type_hints

from cfglint.api import Span

_HINTS: dict[type, dict[str, Any]] = {}


def field_types(cls: type) -> dict[str, Any]:
    """The resolved annotation of each dataclass field of `cls`."""
    h = _HINTS.get(cls)
    if h is None:
        hints = get_type_hints(cls)
        h = _HINTS[cls] = {f.name: hints[f.name] for f in dataclasses.fields(cls)}
    return h


def conforms(value: Any, tp: Any) -> bool:
    """Whether `value` is an instance of annotation `tp`, strictly (containers item by item)."""
    if tp is Any:
        return True
    if tp is None or tp is type(None):
        return value is None
    origin = get_origin(tp)
    if origin is Union or origin is types.UnionType:
        return any(conforms(value, a) for a in get_args(tp))
    if origin is Literal:
        return any(value == a and type(value) is type(a) for a in get_args(tp))
    args = get_args(tp)
    if origin is list:
        return type(value) is list and all(conforms(x, args[0]) for x in value)
    if origin is tuple:
        if not isinstance(value, tuple):
            return False
        if len(args) == 2 and args[1] is Ellipsis:
            return all(conforms(x, args[0]) for x in value)
        if args == ((),):
            return value == ()
        return len(value) == len(args) and all(conforms(x, a) for x, a in zip(value, args))
    if origin is dict:
        return type(value) is dict and all(conforms(k, args[0]) and conforms(v, args[1]) for k, v in value.items())
    if origin in (set, frozenset):
        return isinstance(value, origin) and all(conforms(x, args[0]) for x in value)
    if isinstance(tp, typing.TypeVar):
        return True
    if isinstance(tp, type):
        if tp is int:
            return type(value) is int
        if tp is float:
            return type(value) in (int, float)
        if tp is bool:
            return type(value) is bool
        return isinstance(value, tp)
    raise TypeError(f"unsupported annotation {tp!r}")


def type_errors(node: Any) -> list[str]:
    """The fields of one element (a model or a dataclass) whose value does not conform."""
    out = []
    for name, tp in field_types(type(node)).items():
        value = getattr(node, name)
        if not conforms(value, tp):
            out.append(f"{type(node).__name__}.{name}: {value!r} is not {tp!r}")
    return out


def elements(root: Any) -> Iterator[Any]:
    """Every model and dataclass element reachable from `root` (root included), once each, without
    recursion."""
    stack: list[Any] = [root]
    seen: set[int] = set()
    while stack:
        o = stack.pop()
        if dataclasses.is_dataclass(o) and not isinstance(o, type):
            if id(o) in seen:
                continue
            seen.add(id(o))
            yield o
            if not isinstance(o, Span):
                stack.extend(getattr(o, f.name) for f in dataclasses.fields(o))
        elif isinstance(o, (list, tuple, set, frozenset)):
            stack.extend(o)
        elif isinstance(o, dict):
            stack.extend(o.keys())
            stack.extend(o.values())


def assert_well_typed(root: Any) -> int:
    """Every element reachable from `root` conforms to its annotations; returns how many."""
    n = 0
    errors: list[str] = []
    for node in elements(root):
        n += 1
        errors += type_errors(node)
    assert not errors, "\n".join(errors[:20])
    return n
