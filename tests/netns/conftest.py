from __future__ import annotations

from pathlib import Path

import pytest

from cfglint.models.netns import NetScript
from cfglint.parsers.netns import parse_netns
from cfglint.shell import Arg, Value

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "netns"


def script(text: str, path: str = "t.sh") -> NetScript:
    return parse_netns(text.encode(), path)


def argv(*words: str) -> list[Arg]:
    return [Arg(Value.of(w), None) for w in words]


@pytest.fixture
def netns_corpus():
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus/netns is absent")
    return sorted(p for p in CORPUS.iterdir() if p.is_file() and p.name != "SOURCES.md")
