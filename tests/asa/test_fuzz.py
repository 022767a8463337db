"""Robustness: random bytes and random line mutations of corpus files never raise, and every span
stays inside the file."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import cfglint.parsers.asa as asa_parser
from cfglint.parsers.asa import decode, parse_asa

from .conftest import FIXTURES, assert_valid_and_in_file, corpus_files
from tests.conftest import fuzz_examples

SOURCES = [p.read_bytes() for p in corpus_files()] + [p.read_bytes() for p in sorted(FIXTURES.iterdir())]
ASA_WORDS = [
    b"access-list A extended permit ",
    b"object-group network G\n",
    b" group-object G\n",
    b"crypto map M 10 ",
    b"set peer ",
    b"tunnel-group T ipsec-attributes\n",
    b" ikev1 pre-shared-key ",
    b"nat (in,out) source static ",
    b"object network O\n",
    b" host ",
    b"name ",
    b"interface X\n",
    b" ip address ",
    b"any ",
    b"host ",
    b"eq ",
    b"object-group ",
    b"object ",
    b"range ",
    b"255.255.255.0 ",
    b"10.0.0.1 ",
    b"\n",
    b"  ",
    b"!",
    b"\t",
    b"\r\n",
]

_settings = settings(max_examples=fuzz_examples(40), deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _check(data: bytes) -> None:
    old = asa_parser.STRICT
    asa_parser.STRICT = True
    try:
        m = parse_asa(data, "fuzz.cfg")
    finally:
        asa_parser.STRICT = old
    assert_valid_and_in_file(m, decode(data))
    m.references()
    m.nat_exemptions()
    for v in m.crypto_map_entries():
        v.flows(m)
    for acl in list(m.access_lists)[:20]:
        m.acl_flows(acl)


@_settings
@given(st.binary(max_size=2000))
def test_random_bytes(data):
    _check(data)


@_settings
@given(st.lists(st.sampled_from(ASA_WORDS), max_size=80))
def test_random_asa_words(words):
    _check(b"".join(words))


@pytest.mark.skipif(not SOURCES, reason="no sources")
@_settings
@given(st.data())
def test_line_mutations_of_corpus_files(data):
    src = data.draw(st.sampled_from(SOURCES))
    lines = src.split(b"\n")
    for _ in range(data.draw(st.integers(1, 6))):
        if not lines:
            break
        i = data.draw(st.integers(0, len(lines) - 1))
        op = data.draw(st.sampled_from(["drop", "dup", "truncate", "indent", "dedent", "swap"]))
        if op == "drop":
            del lines[i]
        elif op == "dup":
            lines.insert(i, lines[i])
        elif op == "truncate":
            cut = data.draw(st.integers(0, max(0, len(lines[i]))))
            lines[i] = lines[i][:cut]
        elif op == "indent":
            lines[i] = b" " + lines[i]
        elif op == "dedent":
            lines[i] = lines[i].lstrip()
        else:
            j = data.draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
    _check(b"\n".join(lines))
