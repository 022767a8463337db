"""The pydantic base of every model: `Span`, `Node`, `Comment`, `ParseProblem`, `SourceModel`.

Import them from `cfglint.api` (which loads this module on first use): pydantic costs ~0.1 s to import
and build, and a run that meets no file of a parsed kind (`cfglint --version`, an empty tree) never
pays for it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from pydantic import BaseModel, ConfigDict


class Span(BaseModel):
    """A source range: 1-based lines and columns, end column exclusive."""

    model_config = ConfigDict(frozen=True)

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


class Node(BaseModel):
    """Base of every model element: carries its span."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    span: Span


class Comment(Node):
    """A comment line, as the format defines it. Suppression directives are read from these."""

    text: str  # the comment text without its leading marker (`#`, `!`)


class ParseProblem(Node):
    """A problem the parser met: becomes a CFG diagnostic (or a rule's, when `code` is set)."""

    message: str
    code: str = "CFG004"


class SourceModel(BaseModel):
    """Root of a parsed file. Each format subclasses it."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

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
