"""The base of every model: `Span`, `Node`, `Comment`, `ParseProblem`, `SourceModel`, and `SecretStr`.

Models are frozen, slotted, keyword-only dataclasses (standard library only). A class deriving from
one of these bases becomes one through their metaclass (`ModelMeta`), without a decorator::

    class PropEntry(Node):
        key: str
        continued: bool = False
        other: list[RawLine] = []          # an empty list/dict/set default: a fresh one per instance
        secret: SecretStr | None = field(default=None, repr=False)
        _memo: dict = private(default_factory=dict)   # a private attribute (below)

* Construction does no validation (the parsers build well-typed values; the tests check every model
  of the corpus and fixtures against its annotations): an `__init__` storing through the slot
  descriptors, keyword-only, with the declared defaults. Unknown keywords raise `TypeError`.
* Frozen (assigning a field raises `dataclasses.FrozenInstanceError`), equal by value (same class,
  equal fields), hashable when every field is, `repr` of the fields declared with `repr=True`.
* Private attributes, annotated names starting with one `_` (memos, caches): not fields, so not in
  `__init__`, equality, hash, repr or `dataclasses.fields`; assignable; they start from their default
  in every new instance, copy (`dataclasses.replace`, redaction) and unpickled instance, except the
  ones a class names in `__private_pickled__`.
* `copy_with(obj, **changes)` copies a model with some fields changed and its private attributes
  kept (what pydantic's `model_copy(update=...)` did); `fields_dict(obj)` gives its fields by name;
  `dump(obj)` turns a model into plain dicts and lists (secrets stay masked).

Import them from `cfglint.api` (which loads this module on first use).
"""

from __future__ import annotations

import copy
import dataclasses
import re
import types
from collections.abc import Callable
from dataclasses import MISSING, FrozenInstanceError, field
from typing import Any, ClassVar

__all__ = [
    "Comment",
    "Model",
    "ModelMeta",
    "Node",
    "ParseProblem",
    "SecretStr",
    "SourceModel",
    "Span",
    "copy_with",
    "dump",
    "field",
    "fields_dict",
    "model_field_names",
    "private",
]


# --------------------------------------------------------------------------------------------------
# Secrets


class SecretStr:
    """A secret string (a password, a key): `get_secret_value()` gives it; `repr()` and `str()`
    never do (`SecretStr('**********')`, `'**********'`). Immutable, equal by value, hashable,
    picklable."""

    __slots__ = ("_secret_value",)

    def __init__(self, secret_value: str) -> None:
        object.__setattr__(self, "_secret_value", secret_value)

    def get_secret_value(self) -> str:
        return self._secret_value

    def __repr__(self) -> str:
        return f"SecretStr({str(self)!r})"

    def __str__(self) -> str:
        return "**********" if self._secret_value else ""

    def __len__(self) -> int:
        return len(self._secret_value)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SecretStr) and self._secret_value == other._secret_value

    def __hash__(self) -> int:
        return hash(self._secret_value)

    def __setattr__(self, name: str, value: Any) -> None:
        raise FrozenInstanceError(f"cannot assign to {name!r}")

    def __delattr__(self, name: str) -> None:
        raise FrozenInstanceError(f"cannot delete {name!r}")

    def __reduce__(self) -> tuple:
        return (type(self), (self._secret_value,))


# --------------------------------------------------------------------------------------------------
# The model machinery


class _Private:
    """The default of a private attribute (see `private`)."""

    __slots__ = ("default", "factory")

    def __init__(self, default: Any = None, factory: Callable[[], Any] | None = None) -> None:
        if factory is None and isinstance(default, (list, dict, set, bytearray)):
            factory = _copier(default)
        self.default = default
        self.factory = factory

    def value(self) -> Any:
        return self.factory() if self.factory is not None else self.default


def private(default: Any = None, *, default_factory: Callable[[], Any] | None = None) -> Any:
    """The default of a private attribute: `_memo: dict = private(default_factory=dict)`. A plain
    value (`_cache: Any = None`) works too; a mutable one is copied for each instance."""
    return _Private(default, default_factory)


def _copier(value: Any) -> Callable[[], Any]:
    if not value:
        return type(value)
    return lambda: copy.deepcopy(value)


_CLASSVAR_RE = re.compile(r"^\s*(?:typing\.|t\.)?ClassVar\b")


def _is_classvar(annotation: Any) -> bool:
    if isinstance(annotation, str):
        return _CLASSVAR_RE.match(annotation) is not None
    return annotation is ClassVar or getattr(annotation, "__origin__", None) is ClassVar


def _slot_setter(cls: type, name: str) -> Callable[[Any, Any], None]:
    for c in cls.__mro__:
        d = c.__dict__.get(name)
        if d is not None:
            if not isinstance(d, types.MemberDescriptorType):  # pragma: no cover - a bug of ours
                raise TypeError(f"{cls.__qualname__}.{name}: not a slot")
            return d.__set__
    raise TypeError(f"{cls.__qualname__}.{name}: no slot")  # pragma: no cover


def fast_init(cls: Any, privates: dict[str, _Private] | None = None) -> Any:
    """Give a slotted dataclass an `__init__` that stores through the slot descriptors: no per-field
    `object.__setattr__` as the generated frozen `__init__` does (~2x faster; the parsers build
    models by the ten thousand). Same signature (keyword-only, same defaults, a fresh value from
    each default factory), immutable afterwards. Private attributes get their defaults."""
    ns: dict[str, Any] = {"_MISSING": MISSING}
    params: list[str] = []
    body: list[str] = []
    for f in dataclasses.fields(cls):
        n = f.name
        ns[f"_s_{n}"] = _slot_setter(cls, n)
        if not f.init:  # pragma: no cover - models declare none
            raise TypeError(f"{cls.__qualname__}.{n}: init=False fields are not supported")
        if f.default is not MISSING:
            ns[f"_d_{n}"] = f.default
            params.append(f"{n}=_d_{n}")
            body.append(f"    _s_{n}(self, {n})")
        elif f.default_factory is not MISSING:
            ns[f"_f_{n}"] = f.default_factory
            params.append(f"{n}=_MISSING")
            body.append(f"    _s_{n}(self, _f_{n}() if {n} is _MISSING else {n})")
        else:
            params.append(n)
            body.append(f"    _s_{n}(self, {n})")
    for n, p in (privates or {}).items():
        ns[f"_s_{n}"] = _slot_setter(cls, n)
        if p.factory is not None:
            ns[f"_pf_{n}"] = p.factory
            body.append(f"    _s_{n}(self, _pf_{n}())")
        else:
            ns[f"_pd_{n}"] = p.default
            body.append(f"    _s_{n}(self, _pd_{n})")
    if hasattr(cls, "__post_init__"):
        body.append("    self.__post_init__()")
    if not body:
        body.append("    pass")
    star = "*, " if params else ""
    src = f"def __init__(self, {star}{', '.join(params)}):\n" + "\n".join(body) + "\n"
    exec(src, ns)  # noqa: S102 - generated from the dataclass fields only
    init = ns["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__module__ = cls.__module__
    cls.__init__ = init
    return cls


def _fix_class_cells(old: type, new: type) -> None:
    """Point the `__class__` cells of the methods (zero-argument `super()`) at the slotted class."""
    for value in new.__dict__.values():
        funcs: list[Any] = []
        if isinstance(value, (classmethod, staticmethod)):
            funcs.append(value.__func__)
        elif isinstance(value, property):
            funcs += [value.fget, value.fset, value.fdel]
        else:
            funcs.append(value)
        for fn in funcs:
            code = getattr(fn, "__code__", None)
            if code is None or "__class__" not in code.co_freevars:
                continue
            cell = fn.__closure__[code.co_freevars.index("__class__")]
            if cell.cell_contents is old:
                cell.cell_contents = new


class ModelMeta(type):
    """Makes every class deriving from `Model` a frozen, slotted, keyword-only dataclass (see the
    module docstring), the way `dataclass(slots=True)` does: the class is built, made a dataclass,
    then built again with `__slots__` (fields and private attributes)."""

    def __new__(mcls, name: str, bases: tuple[type, ...], ns: dict[str, Any], **kw: Any) -> Any:
        if ns.pop("__model_final__", False):
            return super().__new__(mcls, name, bases, ns, **kw)
        ns = dict(ns)
        annotations = dict(ns.get("__annotations__", {}))
        privates: dict[str, _Private] = {}
        for n, ann in list(annotations.items()):
            if _is_classvar(ann):
                continue
            if n.startswith("_") and not n.startswith("__"):
                del annotations[n]
                d = ns.pop(n, None)
                privates[n] = d if isinstance(d, _Private) else _Private(d)
            elif n in ns and isinstance(ns[n], (list, dict, set)):
                # `items: list[X] = []`: a fresh one per instance (as pydantic did)
                ns[n] = field(default_factory=_copier(ns[n]))
        ns["__annotations__"] = annotations
        cls = super().__new__(mcls, name, bases, ns, **kw)
        cls = dataclasses.dataclass(cls, frozen=True, kw_only=True, eq=True, repr=True)
        all_private: dict[str, _Private] = {}
        inherited: set[str] = set()
        for b in cls.__mro__[1:]:
            inherited.update(_slots_of(b))
        for b in reversed(cls.__mro__[1:]):
            all_private.update(b.__dict__.get("__private_attributes__", {}))
        all_private.update(privates)
        names = [f.name for f in dataclasses.fields(cls)]
        cls_dict = dict(cls.__dict__)
        for n in names:
            cls_dict.pop(n, None)
        for n in ("__dict__", "__weakref__", "__setattr__", "__delattr__"):
            cls_dict.pop(n, None)  # the frozen __setattr__ of dataclass: Model's lets private ones through
        cls_dict["__slots__"] = tuple(n for n in [*names, *privates] if n not in inherited)
        cls_dict["__private_attributes__"] = all_private
        cls_dict["__model_fields__"] = tuple(names)
        cls_dict["__model_final__"] = True
        new = mcls(name, bases, cls_dict, **kw)
        new.__qualname__ = cls.__qualname__
        _fix_class_cells(cls, new)
        fast_init(new, all_private)
        new.__model_setters__ = tuple(_slot_setter(new, n) for n in names)
        new.__private_setters__ = tuple((_slot_setter(new, n), p) for n, p in all_private.items())
        return new


def _slots_of(cls: type) -> tuple[str, ...]:
    s = cls.__dict__.get("__slots__", ())
    return (s,) if isinstance(s, str) else tuple(s)


class Model(metaclass=ModelMeta):
    """The root of the models (see the module docstring)."""

    __model_final__ = True
    __slots__ = ()
    __private_attributes__: ClassVar[dict[str, _Private]] = {}
    __private_pickled__: ClassVar[tuple[str, ...]] = ()
    __model_fields__: ClassVar[tuple[str, ...]] = ()
    __model_setters__: ClassVar[tuple[Any, ...]] = ()
    __private_setters__: ClassVar[tuple[Any, ...]] = ()

    def __setattr__(self, name: str, value: Any) -> None:
        if name in type(self).__private_attributes__:
            object.__setattr__(self, name, value)
        else:
            raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise FrozenInstanceError(f"cannot delete field {name!r}")

    # Pickles hold the fields (and the private attributes named in __private_pickled__): the other
    # private attributes start from their defaults when unpickled.
    def __getstate__(self) -> tuple:
        t = type(self)
        values = tuple([getattr(self, n) for n in t.__model_fields__])
        keep = t.__private_pickled__
        return (values, {n: getattr(self, n) for n in keep} if keep else None)

    def __setstate__(self, state: tuple) -> None:
        values, kept = state
        t = type(self)
        for setter, v in zip(t.__model_setters__, values):
            setter(self, v)
        for setter, p in t.__private_setters__:
            setter(self, p.value())
        if kept:
            for n, v in kept.items():
                if n in t.__private_attributes__:
                    object.__setattr__(self, n, v)


def model_field_names(obj_or_cls: Any) -> tuple[str, ...]:
    """The field names of a model (class or instance), in declaration order."""
    t = obj_or_cls if isinstance(obj_or_cls, type) else type(obj_or_cls)
    return t.__model_fields__


def fields_dict(obj: Any) -> dict[str, Any]:
    """A model's (or a dataclass's) fields by name: a shallow dict, private attributes excluded."""
    if isinstance(obj, Model):
        return {n: getattr(obj, n) for n in type(obj).__model_fields__}
    return {f.name: getattr(obj, f.name) for f in dataclasses.fields(obj)}


def rebuilt(obj: Any, values: dict[str, Any]) -> Any:
    """A new instance of `type(obj)` with these field values (all of them), its private attributes
    from their defaults. No validation, no `__init__`."""
    t = type(obj)
    new = t.__new__(t)
    for setter, n in zip(t.__model_setters__, t.__model_fields__):
        setter(new, values[n])
    for setter, p in t.__private_setters__:
        setter(new, p.value())
    return new


def copy_with(obj: Any, /, **changes: Any) -> Any:
    """A copy of model `obj` with some fields changed, its private attributes (caches, memos) kept
    as they are (shared): what pydantic's `model_copy(update=changes)` did. `dataclasses.replace`
    gives a copy whose private attributes start from their defaults."""
    t = type(obj)
    unknown = set(changes) - set(t.__model_fields__)
    if unknown:
        raise TypeError(f"{t.__qualname__} has no field {sorted(unknown)[0]!r}")
    values = fields_dict(obj)
    values.update(changes)
    new = rebuilt(obj, values)
    for n in t.__private_attributes__:
        object.__setattr__(new, n, getattr(obj, n))
    return new


def dump(obj: Any) -> Any:
    """A model as plain data: models and dataclasses become dicts of their fields (private
    attributes left out), named tuples and tuples tuples, lists lists, dicts dicts, sets sets;
    `SecretStr` values stay `SecretStr` (masked when printed); anything else as it is."""
    if isinstance(obj, Model):
        return {n: dump(getattr(obj, n)) for n in type(obj).__model_fields__}
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: dump(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, list):
        return [dump(x) for x in obj]
    if isinstance(obj, tuple):
        return tuple(dump(x) for x in obj)
    if isinstance(obj, dict):
        return {dump(k): dump(v) for k, v in obj.items()}
    if isinstance(obj, (set, frozenset)):
        return type(obj)(dump(x) for x in obj)
    return obj


# --------------------------------------------------------------------------------------------------
# The models


class Span(Model):
    """A source range: 1-based lines and columns, end column exclusive."""

    path: str
    line: int
    column: int = 1
    end_line: int | None = None
    end_column: int | None = None

    @property
    def last_line(self) -> int:
        return self.end_line if self.end_line is not None else self.line

    def __str__(self) -> str:  # pragma: no cover - debugging aid
        return f"{self.path}:{self.line}:{self.column}"


class Node(Model):
    """Base of every model element: carries its span."""

    span: Span


class Comment(Node):
    """A comment line, as the format defines it. Suppression directives are read from these."""

    text: str  # the comment text without its leading marker (`#`, `!`)


class ParseProblem(Node):
    """A problem the parser met: becomes a CFG diagnostic (or a rule's, when `code` is set)."""

    message: str
    code: str = "CFG004"


class SourceModel(Model):
    """Root of a parsed file. Each format subclasses it."""

    kind: ClassVar[str] = ""
    path: str
    comments: list[Comment] = []
    problems: list[ParseProblem] = []

    def secrets(self) -> list[str]:
        """Secret values present in the file (passwords, keys): masked in every output."""
        return []

    def secret_spans(self) -> list[Span]:
        """Where those secret values sit in the source, to mask them in snippets."""
        return []

    # -- the reduce phase and the cache --------------------------------------------------------------
    def index_view(self) -> SourceModel:
        """What the cross-file rules need of this model: it is what is shipped from a worker process
        to the reduce phase and stored in the content cache, so a format with a large model should
        return a lean copy (same class, bulky fields the cross-file rules never read left empty).
        Default: the whole model."""
        return self

    def redacted(self, replace: Callable[[str], str]) -> SourceModel:
        """A copy in which every string, anywhere in the model (nested models, dataclasses, named
        tuples, lists, tuples, dicts and their keys, sets, `SecretStr`), went through `replace`,
        except the path strings (equal to `self.path`). Private attributes (memos) start empty.

        The engine uses it to take secret values out of a model before it is cached or linked:
        `replace` swaps each secret value for a keyed fingerprint (`secret:<hex>`), so `secrets()`
        of the copy returns fingerprints, equal where the values were equal. Override it only to
        make it faster; the result must be the same."""
        from cfglint.cache import redact_object

        return redact_object(self, replace, keep={self.path})
