"""Helpers: every span of a model, and whether it lies inside the file as the engine numbers it."""

from __future__ import annotations

from collections.abc import Iterator

from cfglint.api import Span
from cfglint.models.base import Model, model_field_names
from cfglint.runner import decode_lines
from cfglint.shell import ShellScript


def iter_spans(obj) -> Iterator[Span]:
    if isinstance(obj, Span):
        yield obj
    elif isinstance(obj, Model):
        for name in model_field_names(obj):
            yield from iter_spans(getattr(obj, name))
    elif isinstance(obj, (list, tuple)):
        for x in obj:
            yield from iter_spans(x)
    elif isinstance(obj, dict):
        for x in obj.values():
            yield from iter_spans(x)


def check_model(m: ShellScript, data: bytes) -> None:
    """No internal error, and every span inside the file (1-based, end exclusive)."""
    assert not any("internal error" in p.message for p in m.problems), m.problems
    lines = decode_lines(data, "netns")
    n = len(lines)
    for sp in iter_spans(m):
        assert sp.path == m.path
        assert 1 <= sp.line <= n, sp
        assert 1 <= sp.column <= len(lines[sp.line - 1]) + 1, (sp, lines[sp.line - 1])
        end_line = sp.last_line
        assert sp.line <= end_line <= n, sp
        end_col = sp.end_column if sp.end_column is not None else sp.column
        assert 1 <= end_col <= len(lines[end_line - 1]) + 1, (sp, lines[end_line - 1])
        assert (end_line, end_col) >= (sp.line, sp.column), sp
    # no command starts inside a region (one may contain it: a `$( )` whose inner line was cut)
    for c in m.commands:
        start = Span(path=c.span.path, line=c.span.line, column=c.span.column,
                     end_line=c.span.line, end_column=c.span.column + 1)
        assert not m.in_error_region(start), c
