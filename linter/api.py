"""The rule API: what a rule receives and what it yields.

A rule never reads files or prints. A per-file rule (`FileRule`) receives one parsed model; a
cross-file rule (`ProjectRule`) receives the `ProjectIndex` of every model of the run. Both yield
`Diagnostic`s built with `self.diagnostic(...)`.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

if TYPE_CHECKING:
    from cfglint.models.base import SourceModel, Span

# The models (Span, Node, Comment, ParseProblem, SourceModel: frozen slotted dataclasses) live in
# cfglint.models.base and are loaded on first use (`from cfglint.api import Span` works as always): a run
# with nothing to parse (`--version`, an empty tree) does not build their classes.
_MODEL_NAMES = frozenset({"Span", "Node", "Comment", "ParseProblem", "SourceModel"})


def __getattr__(name: str) -> Any:
    if name in _MODEL_NAMES:
        from cfglint.models import base

        value = getattr(base, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class Severity(str, enum.Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 3, "warning": 2, "info": 1}[self.value]

    @classmethod
    def parse(cls, text: str) -> Severity:
        try:
            return cls(text.strip().lower())
        except ValueError:
            raise ValueError(f"unknown severity {text!r} (expected error, warning or info)") from None


@dataclass(frozen=True)
class Related:
    """A related location, for example the peer's ACL of a cross-file finding."""

    span: Span
    message: str


@dataclass(frozen=True)
class Edit:
    """One text replacement of an autofix: 1-based lines and columns, end exclusive, on the original
    text of the file as the rule saw it (decoded, BOM removed, any line ending a line break). A
    zero-width range inserts; an empty `replacement` deletes."""

    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    replacement: str

    @classmethod
    def of(cls, span: Span, replacement: str) -> Edit:
        """Replace the text of `span`."""
        end_line = span.end_line if span.end_line is not None else span.line
        end_col = span.end_column if span.end_column is not None else span.column
        return cls(span.path, span.line, span.column, end_line, end_col, replacement)

    @classmethod
    def insert(cls, path: str, line: int, column: int, text: str) -> Edit:
        return cls(path, line, column, line, column, text)


@dataclass(frozen=True)
class Diagnostic:
    code: str
    name: str
    severity: Severity
    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    message: str
    related: tuple[Related, ...] = ()
    fix_title: str | None = None
    # A structural anchor (property key, ACL entry, command) that survives edits elsewhere: used by
    # baselines and fingerprints. Never holds a secret.
    anchor: str | None = None
    # A certain fix, applied with `--fix` (all its edits or none of them).
    fixes: tuple[Edit, ...] = ()

    def sort_key(self) -> tuple:
        return (self.path, self.line, self.column, self.code, self.message)

    def with_(self, **changes: Any) -> Diagnostic:
        return replace(self, **changes)


# --------------------------------------------------------------------------------------------------
# Rules

CODE_RE = re.compile(r"^[A-Z]{3}[0-9]{3}$")
NAME_RE = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
DOC_SECTIONS = ("## What it does", "## Why is this bad?", "## Example", "## Use instead")

_REGISTRY: dict[str, type[Rule]] = {}


class Rule:
    """Base of every rule. Subclasses set the metadata below; the docstring is the documentation."""

    code: ClassVar[str]
    name: ClassVar[str]
    severity: ClassVar[Severity]
    tags: ClassVar[tuple[str, ...]] = ()
    since: ClassVar[str] = "0.1.0"
    # Kinds of file the rule applies to (see cfglint.kinds).
    kinds: ClassVar[tuple[str, ...]] = ()
    # Rules that are off unless selected explicitly.
    opt_in: ClassVar[bool] = False
    # Whether inline suppressions and ignores may silence it.
    suppressible: ClassVar[bool] = True
    # Language used for the Example / Use instead code blocks.
    example_language: ClassVar[str] = ""
    # How often a finding is a true positive (SARIF `precision`: very-high, high, medium, low).
    precision: ClassVar[str] = "high"
    # SARIF `security-severity` (0.1-10.0) of a security rule; None: derived from the severity.
    security_severity: ClassVar[float | None] = None

    def __init_subclass__(cls, abstract: bool = False, **kw: Any) -> None:
        super().__init_subclass__(**kw)
        if abstract:
            return
        code = getattr(cls, "code", None)
        if not code or not CODE_RE.match(code):
            raise TypeError(f"{cls.__qualname__}: bad rule code {code!r}")
        if not NAME_RE.match(getattr(cls, "name", "") or ""):
            raise TypeError(f"{cls.__qualname__}: bad rule name {getattr(cls, 'name', None)!r}")
        if not isinstance(getattr(cls, "severity", None), Severity):
            raise TypeError(f"{cls.__qualname__}: severity must be a Severity")
        if not (cls.__doc__ or "").strip():
            raise TypeError(f"{cls.__qualname__}: a rule needs a docstring")
        other = _REGISTRY.get(code)
        if other is not None and other.__qualname__ != cls.__qualname__:
            raise TypeError(f"duplicate rule code {code}: {other.__qualname__} and {cls.__qualname__}")
        _REGISTRY[code] = cls

    # -- documentation -----------------------------------------------------------------------------
    @classmethod
    def doc(cls) -> str:
        import inspect

        return inspect.cleandoc(cls.__doc__ or "")

    @classmethod
    def summary(cls) -> str:
        return cls.doc().splitlines()[0].strip() if cls.doc() else ""

    @classmethod
    def doc_section(cls, title: str) -> str:
        """The body of a `## title` section of the doc, '' when absent."""
        text = cls.doc()
        m = re.search(rf"^## {re.escape(title)}\s*$(.*?)(?=^## |\Z)", text, re.M | re.S)
        return m.group(1).strip() if m else ""

    @classmethod
    def doc_code_block(cls, title: str) -> str | None:
        """The first fenced code block of a section (Example / Use instead)."""
        body = cls.doc_section(title)
        m = re.search(r"^```[^\n]*\n(.*?)^```", body, re.M | re.S)
        return m.group(1) if m else None

    # -- building diagnostics ----------------------------------------------------------------------
    def diagnostic(
        self,
        span: Span,
        message: str,
        *,
        related: Iterable[Related] = (),
        fix_title: str | None = None,
        anchor: str | None = None,
        severity: Severity | None = None,
        fixes: Iterable[Edit] = (),
    ) -> Diagnostic:
        return make_diagnostic(
            type(self), span, message, related=related, fix_title=fix_title, anchor=anchor, severity=severity,
            fixes=fixes,
        )


def make_diagnostic(
    rule: type[Rule],
    span: Span,
    message: str,
    *,
    related: Iterable[Related] = (),
    fix_title: str | None = None,
    anchor: str | None = None,
    severity: Severity | None = None,
    fixes: Iterable[Edit] = (),
) -> Diagnostic:
    end_line = span.end_line if span.end_line is not None else span.line
    end_col = span.end_column if span.end_column is not None else span.column
    return Diagnostic(
        code=rule.code,
        name=rule.name,
        severity=severity or rule.severity,
        path=span.path,
        line=span.line,
        column=span.column,
        end_line=end_line,
        end_column=end_col,
        message=message,
        related=tuple(related),
        fix_title=fix_title,
        anchor=anchor,
        fixes=tuple(fixes),
    )


M = TypeVar("M", bound="SourceModel")


@dataclass
class FileContext:
    """What a per-file rule may know besides its model: its options and the run's settings."""

    path: str
    kind: str
    options: dict[str, Any] = field(default_factory=dict)


class FileRule(Rule, abstract=True):
    """A rule that sees one parsed file."""

    model_type: ClassVar[type[SourceModel]]

    def check(self, model: Any, ctx: FileContext) -> Iterator[Diagnostic]:  # pragma: no cover
        raise NotImplementedError


class ProjectIndex:
    """Every model of the run, by path and by type (the reduce phase's input)."""

    def __init__(self, models: Iterable[SourceModel]):
        self._by_path: dict[str, SourceModel] = {}
        for m in models:
            self._by_path[m.path] = m

    def __len__(self) -> int:
        return len(self._by_path)

    def paths(self) -> list[str]:
        return sorted(self._by_path)

    def get(self, path: str) -> SourceModel | None:
        return self._by_path.get(path)

    def of_type(self, model_type: type[M]) -> list[M]:
        return [m for _, m in sorted(self._by_path.items()) if isinstance(m, model_type)]


@dataclass
class ProjectContext:
    options: dict[str, Any] = field(default_factory=dict)
    _cache: dict[Any, Any] = field(default_factory=dict)

    def cached(self, fn: Any, *args: Any) -> Any:
        """Compute a shared analysis once per run (for example IPsec peer pairing)."""
        key = (fn, *args)
        if key not in self._cache:
            self._cache[key] = fn(*args)
        return self._cache[key]


class ProjectRule(Rule, abstract=True):
    """A cross-file rule: sees the index of all models of the run."""

    model_types: ClassVar[tuple[type[SourceModel], ...]] = ()

    def check(self, index: ProjectIndex, ctx: ProjectContext) -> Iterator[Diagnostic]:  # pragma: no cover
        raise NotImplementedError


class EngineRule(Rule, abstract=True):
    """A diagnostic the engine itself emits (CFG codes): unreadable file, parse error, rule crash..."""


def registered_rules() -> dict[str, type[Rule]]:
    return dict(_REGISTRY)


def shown(value: str, limit: int = 120) -> str:
    """`repr(value)` for a message, shortened in the middle past `limit` characters: a 30 MB value
    must not make a 30 MB message."""
    keep = max(8, (limit - 30) // 2)
    if len(value) > limit:  # its repr is longer still: made from the two ends only, not a copy of it all
        return f"{repr(value[:limit])[:keep]}...[{len(value)} characters]...{repr(value[-limit:])[-keep:]}"
    text = repr(value)
    if len(text) <= limit:
        return text
    return f"{text[:keep]}...[{len(value)} characters]...{text[-keep:]}"
