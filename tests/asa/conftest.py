"""Shared helpers for the ASA parser/model tests."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import cfglint.parsers.asa as asa_parser
from cfglint.api import Span
from cfglint.models.asa import AsaConfig, Leaf
from cfglint.models.base import Model

from ..model_types import type_errors

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures" / "asa"
CORPUS = REPO.parent / "shared" / "corpus" / "asa"
# batfish's IOS crypto peer set sits in the ASA corpus; the kind sniffer rejects these files.
IOS_FILES = frozenset(
    {
        "batfish__ios-crypto-ipsec_r1.cfg",
        "batfish__ios-crypto-ipsec_r2.cfg",
        "batfish__ios-crypto-ipsec_r3.cfg",
        "batfish__ios-crypto-map.cfg",
    }
)


@pytest.fixture(autouse=True)
def strict_parser(monkeypatch):
    """Handler bugs raise in tests instead of becoming parse problems."""
    monkeypatch.setattr(asa_parser, "STRICT", True)


def parse(text: str, path: str = "test.cfg") -> AsaConfig:
    return asa_parser.parse_asa(text.encode(), path)


def fixture_model(name: str) -> AsaConfig:
    return asa_parser.parse_asa((FIXTURES / name).read_bytes(), name)


def corpus_files() -> list[Path]:
    if not CORPUS.is_dir():
        return []
    return sorted(p for p in CORPUS.iterdir() if p.name != "SOURCES.md" and p.name not in IOS_FILES)


def walk(model: AsaConfig) -> Iterator[Any]:
    """Every element of the model (structural nodes and dataclass leaves), without recursion."""
    stack: list[Any] = [model]
    seen: set[int] = set()
    while stack:
        o = stack.pop()
        if isinstance(o, Span):
            continue
        if isinstance(o, (Model, Leaf)):
            if id(o) in seen:
                continue
            seen.add(id(o))
            if o is not model:
                yield o
            stack.extend(getattr(o, f.name) for f in dataclasses.fields(o))
        elif isinstance(o, (list, tuple)):
            stack.extend(o)
        elif isinstance(o, dict):
            stack.extend(o.values())


def revalidate(node: Any) -> Any:
    """Check an element's fields against their annotations, strictly (the parser builds elements
    without validation), and rebuild it from them."""
    errors = type_errors(node)
    assert not errors, f"{type(node).__name__} is not well typed: {errors} in {node!r}"
    return type(node)(**{f.name: getattr(node, f.name) for f in dataclasses.fields(node)})


def assert_valid_and_in_file(model: AsaConfig, lines: list[str]) -> int:
    """Every element validates and equals itself re-validated; every span lies inside the file.
    Returns the number of elements checked."""
    n = 0
    nlines = len(lines)
    for node in walk(model):
        n += 1
        again = revalidate(node)
        assert again == node, f"{type(node).__name__} does not survive validation: {node!r}"
        sp = node.span
        assert sp.path == model.path
        assert 1 <= sp.line <= nlines, (type(node).__name__, sp)
        end_line = sp.end_line if sp.end_line is not None else sp.line
        assert sp.line <= end_line <= nlines, (type(node).__name__, sp)
        assert sp.column >= 1
        if sp.end_column is not None:
            assert sp.end_column <= len(lines[end_line - 1]) + 1, (type(node).__name__, sp, lines[end_line - 1])
            if end_line == sp.line:
                assert sp.column <= sp.end_column
    for c in model.comments:
        assert 1 <= c.span.line <= nlines
        assert lines[c.span.line - 1].lstrip().startswith("!")
    for p in model.problems:
        assert 1 <= p.span.line <= nlines
    for sp in model.secret_spans():
        assert 1 <= sp.line <= nlines and sp.end_column <= len(lines[sp.line - 1]) + 1
    return n
