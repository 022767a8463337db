"""The models (cfglint.models.base): standard-library frozen slotted dataclasses, no pydantic on any
run's path; every model the parsers build, of every kind, holds what its annotations say."""

from __future__ import annotations

import collections
import copy
import dataclasses
import json
import os
import pickle
import subprocess
import sys
from pathlib import Path
from typing import Any, ClassVar

import pytest

from cfglint.api import Comment, Node, ParseProblem, SourceModel, Span
from cfglint.kinds import detect_kind, read_head
from cfglint.models.base import Model, SecretStr, copy_with, dump, fields_dict, private
from cfglint.parsers import parser_for

from .model_types import assert_well_typed

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus"

# --------------------------------------------------------------------------------------------------
# No pydantic on a run's path

_PROBE = r"""
import json, sys
from cfglint.cli import main

sys.stdout = open(__import__("os").devnull, "w")
for args in json.loads(sys.argv[1]):
    try:
        main(args)
    except SystemExit:
        pass
heavy = sorted(m for m in sys.modules if m.split(".")[0] in ("pydantic", "pydantic_core"))
parsers = sorted(m for m in sys.modules if m.startswith("cfglint.parsers."))
print(repr((heavy, parsers)), file=sys.stderr)
"""


def _run_probe(*runs: list[str]) -> tuple[list[str], list[str]]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CFGLINT_")}
    r = subprocess.run(
        [sys.executable, "-c", _PROBE, json.dumps(runs)], cwd=REPO, capture_output=True, text=True, env=env
    )
    assert r.returncode == 0, r.stderr
    return eval(r.stderr.strip().splitlines()[-1])  # noqa: S307 - our own repr


def test_check_examples_never_imports_pydantic(tmp_path):
    """Every kind of file (ASA, DavMail .properties, Hadoop env, netns scripts), cold and from the
    cache (models unpickled), in this process and with worker processes."""
    cache = str(tmp_path / "cache")
    common = ["--format", "json", "--exit-zero"]
    heavy, parsers = _run_probe(
        ["check", "examples", "--no-cache", *common],
        ["check", "examples", "--cache-dir", cache, *common],
        ["check", "examples", "--cache-dir", cache, *common],
        ["check", "examples", "--no-cache", "-j2", *common],
    )
    assert heavy == []
    assert {"cfglint.parsers.asa", "cfglint.parsers.properties", "cfglint.parsers.hadoop", "cfglint.parsers.netns"} <= set(
        parsers
    ), parsers


def test_importtime_shows_no_pydantic():
    env = {k: v for k, v in os.environ.items() if not k.startswith("CFGLINT_")}
    r = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "cfglint", "check", "examples", "--no-cache", "--exit-zero", "-j1"],
        cwd=REPO, capture_output=True, text=True, env=env,
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    imported = [line.rsplit("|", 1)[-1].strip() for line in r.stderr.splitlines() if line.startswith("import time:")]
    # (modules loaded by importlib.import_module, as the parsers are, are not listed: their models are)
    assert {"cfglint.models.base", "cfglint.models.asa", "cfglint.models.davmail", "cfglint.models.netns"} <= set(imported)
    assert not [m for m in imported if m.split(".")[0] in ("pydantic", "pydantic_core")]


# --------------------------------------------------------------------------------------------------
# Every parsed model is well typed (construction does no validation)


def _files_by_kind() -> dict[str, list[Path]]:
    out: dict[str, list[Path]] = collections.defaultdict(list)
    for root in (REPO / "examples", REPO / "tests" / "fixtures", CORPUS):
        if not root.is_dir():
            continue
        for p in sorted(root.rglob("*")):
            if not p.is_file():
                continue
            kind = detect_kind(p, read_head(p))
            if kind and parser_for(kind) is not None:
                out[kind].append(p)
    return out


_FILES = _files_by_kind()


@pytest.mark.parametrize("kind", ["asa", "davmail", "hadoop-env", "netns", "shell-profile"])
def test_every_parsed_model_is_well_typed(kind):
    files = _FILES.get(kind, [])
    assert files, f"no {kind} file among the examples and fixtures"
    parse = parser_for(kind)
    n = 0
    for p in files:
        model = parse(p.read_bytes(), str(p))
        n += assert_well_typed(model)
        view = model.index_view()
        assert_well_typed(view)
        assert pickle.loads(pickle.dumps(view)) == view
    assert n > len(files)


# --------------------------------------------------------------------------------------------------
# The model machinery


class _Item(Node):
    label: str
    secret: SecretStr | None = dataclasses.field(default=None, repr=False)
    tags: tuple[str, ...] = ()


class _File(SourceModel):
    kind: ClassVar[str] = "test"
    items: list[_Item] = []
    table: dict[str, int] = {}
    _memo: dict[Any, Any] = private(default_factory=dict)
    _fact: bool = False
    __private_pickled__: ClassVar[tuple[str, ...]] = ("_fact",)

    def secrets(self) -> list[str]:
        return [i.secret.get_secret_value() for i in self.items if i.secret is not None] + super().secrets()


def _file() -> _File:
    sp = Span(path="f", line=2, column=3, end_line=2, end_column=9)
    return _File(path="f", items=[_Item(span=sp, label="a", secret=SecretStr("hunter22"), tags=("x",))])


def test_span_keyword_construction_defaults_equality_hash():
    s = Span(path="p", line=3)
    assert (s.column, s.end_line, s.end_column, s.last_line) == (1, None, None, 3)
    assert s == Span(path="p", line=3, column=1, end_line=None, end_column=None)
    assert hash(s) == hash(Span(path="p", line=3)) and len({s, Span(path="p", line=3)}) == 1
    assert s != Span(path="p", line=4) and repr(s) == "Span(path='p', line=3, column=1, end_line=None, end_column=None)"
    with pytest.raises(TypeError):
        Span("p", 3)  # keywords only
    with pytest.raises(TypeError):
        Span(path="p", line=3, bogus=1)  # no unknown field
    assert not hasattr(s, "__dict__")  # slotted
    c, p = Comment(span=s, text="x"), ParseProblem(span=s, message="m")
    assert p.code == "CFG004" and hash(c) == hash(Comment(span=s, text="x"))
    assert [f.name for f in dataclasses.fields(ParseProblem)] == ["span", "message", "code"]


def test_models_are_frozen():
    m = _file()
    for obj, name in ((m, "path"), (m.items[0], "label"), (m.items[0].span, "line")):
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(obj, name, 1)
        with pytest.raises(dataclasses.FrozenInstanceError):
            delattr(obj, name)
    with pytest.raises(dataclasses.FrozenInstanceError):
        m.undeclared = 1  # type: ignore[attr-defined]
    m._memo["k"] = 1  # private attributes may change
    m._fact = True
    assert m._memo == {"k": 1} and m._fact


def test_mutable_defaults_are_fresh_and_private_attributes_are_out_of_equality():
    a, b = _File(path="f"), _File(path="f")
    assert a.items == [] and a.items is not b.items and a.table is not b.table and a._memo is not b._memo
    a._memo["x"] = 1
    a._fact = True
    assert a == b and repr(a) == repr(b) and "_memo" not in repr(a)
    assert [f.name for f in dataclasses.fields(_File)] == ["path", "comments", "problems", "items", "table"]
    with pytest.raises(TypeError):
        hash(a)  # a list field: unhashable, as before


def test_pickle_copy_and_replace_reset_private_attributes():
    m = _file()
    m._memo["x"] = 1
    m._fact = True
    for back in (pickle.loads(pickle.dumps(m)), copy.copy(m), copy.deepcopy(m)):
        assert back == m and back._memo == {} and back._fact  # pickled privates: __private_pickled__ only
    r = dataclasses.replace(m, path="g")
    assert r.path == "g" and r.items is m.items and r._memo == {} and not r._fact
    c = copy_with(m, path="g")
    assert c.path == "g" and c._memo is m._memo and c._fact  # model_copy's semantics: privates kept
    with pytest.raises(TypeError):
        copy_with(m, bogus=1)
    assert fields_dict(m) == {"path": "f", "comments": [], "problems": [], "items": m.items, "table": {}}


def test_zero_argument_super_works_in_slotted_models():
    assert _file().secrets() == ["hunter22"]


def test_secret_str_never_shows_its_value():
    s = SecretStr("hunter22")
    assert s.get_secret_value() == "hunter22" and len(s) == 8
    assert repr(s) == "SecretStr('**********')" and str(s) == "**********" and str(SecretStr("")) == ""
    assert s == SecretStr("hunter22") and s != SecretStr("other") and s != "hunter22"
    assert hash(s) == hash(SecretStr("hunter22"))
    assert pickle.loads(pickle.dumps(s)) == s and copy.deepcopy(s) == s
    with pytest.raises(dataclasses.FrozenInstanceError):
        s._secret_value = "x"  # type: ignore[misc]
    m = _file()
    for text in (repr(m), str(m), repr(dump(m)), str(dump(m))):
        assert "hunter22" not in text
    assert dump(m)["items"][0]["secret"] == SecretStr("hunter22")


class _Extra(Model):
    """A model on the root class, with a `__post_init__`."""

    name: str
    values: list[int] = []
    _seen: bool = False

    def __post_init__(self) -> None:
        self._seen = True


def test_subclass_without_fields_and_plugin_style_models():
    class Script(_File):
        kind = "script"

        def first(self) -> _Item | None:
            return self.items[0] if self.items else None

    s = Script(path="x", items=_file().items)
    assert s.first().label == "a" and s.kind == "script" and s != _File(path="x", items=s.items)
    e = _Extra(name="n")
    assert e._seen and e.values == [] and pickle.loads(pickle.dumps(e)) == e
