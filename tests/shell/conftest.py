from __future__ import annotations

from pathlib import Path

import pytest

from cfglint.shell import ShellScript, parse_shell

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "shell"


def parse(text: str | bytes, path: str = "t.sh") -> ShellScript:
    data = text.encode() if isinstance(text, str) else text
    m = parse_shell(data, path)
    assert not any("internal error" in p.message for p in m.problems), m.problems
    return m


@pytest.fixture
def shell_corpus():
    def get(kind: str) -> list[Path]:
        d = CORPUS / kind
        if not d.is_dir():
            pytest.skip(f"../shared/corpus/{kind} is absent")
        return sorted(p for p in d.iterdir() if p.is_file() and p.name != "SOURCES.md")

    return get
