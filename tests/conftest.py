from __future__ import annotations

from pathlib import Path

import pytest

# Fuzzing budget: small in the normal run; `pytest --fuzz-long` (or CFGLINT_FUZZ_SCALE=N) multiplies
# every property-based test's example count (x50 for --fuzz-long).
import os as _os

FUZZ_SCALE = max(1, int(_os.environ.get("CFGLINT_FUZZ_SCALE", "1") or 1))


def fuzz_examples(n: int) -> int:
    return n * FUZZ_SCALE


def pytest_addoption(parser):
    parser.addoption("--fuzz-long", action="store_true", help="run the property-based fuzz tests 50x longer")


def pytest_configure(config):
    global FUZZ_SCALE
    if config.getoption("--fuzz-long", default=False):
        FUZZ_SCALE = max(FUZZ_SCALE, 50)

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
