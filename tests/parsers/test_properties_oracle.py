"""The shipped scanner (`scan_structure`) and the lark grammar (`grammar_structure`, the readable
specification in grammars/properties.lark) must read every input the same way."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from cfglint.models.properties import PropertiesFile
from cfglint.parsers import properties as P
from tests.conftest import fuzz_examples


def _both(data: bytes) -> tuple[PropertiesFile, PropertiesFile]:
    src = P.split_lines(data.decode("latin-1"))
    a = P.build_model(PropertiesFile, data, "f", src, P.scan_structure(src))
    b = P.build_model(PropertiesFile, data, "f", src, P.grammar_structure(src))
    return a, b


def test_corpus_agrees(corpus_dir):
    for f in sorted(corpus_dir("davmail").iterdir()):
        if f.name != "SOURCES.md":
            a, b = _both(f.read_bytes())
            assert a == b, f.name


TOKENS = st.sampled_from(
    ["a", "key", "=", ":", " ", "\t", "\f", "\\", "\\\\", "\n", "\r", "\r\n", "#", "!", "\\u00e9", "\\u12", "\xef\xbb\xbf", "\xe9", "v"]
)


@settings(max_examples=fuzz_examples(300), deadline=None)
@given(st.lists(TOKENS, max_size=40))
def test_random_agrees(tokens):
    data = "".join(tokens).encode("latin-1")
    a, b = _both(data)
    assert a == b
