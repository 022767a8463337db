"""The runner turns the cyclic GC off while a parser builds its tree and freezes what a run keeps:
the GC is always back on after a parse (even one that raises), and nothing stays frozen after a run."""

from __future__ import annotations

import gc
from pathlib import Path

import cfglint.parsers as parsers
import cfglint.runner as runner
from cfglint.cli import main

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def _parse(tmp_path: Path, parser) -> runner._Parsed:
    p = tmp_path / "davmail.properties"
    p.write_text("davmail.server=true\n")
    return runner.parse_file(p, "davmail.properties", "davmail", None, frozenset(), {}, {}, codes=())


def test_gc_is_back_on_after_a_parse_that_raises(tmp_path, monkeypatch):
    seen = []

    def broken(data, path):
        seen.append(gc.isenabled())
        raise RuntimeError("parser bug")

    monkeypatch.setattr(parsers, "parser_for", lambda kind: broken)
    assert gc.isenabled()
    got = _parse(tmp_path, broken)
    assert seen == [False]  # off during the parse
    assert gc.isenabled()
    assert [d.code for d in got.diagnostics] == ["CFG005"]


def test_gc_state_is_kept_when_it_was_off(tmp_path):
    gc.disable()
    try:
        _parse(tmp_path, None)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_nothing_stays_frozen_after_a_run(monkeypatch, capsys):
    monkeypatch.chdir(EXAMPLES)
    before = gc.get_freeze_count()
    main(["check", ".", "--no-cache", "-j1", "--format", "json"])
    capsys.readouterr()
    assert gc.get_freeze_count() == before == 0
    assert gc.isenabled() and not runner._FREEZE_MODELS
