from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
CORPUS = SHARED / "corpus"
FIXTURES = REPO / "tests" / "fixtures"


@pytest.fixture
def corpus_dir():
    def get(kind: str) -> Path:
        d = CORPUS / kind
        if not d.is_dir():
            pytest.skip(f"../shared/corpus/{kind} is absent")
        return d

    return get
