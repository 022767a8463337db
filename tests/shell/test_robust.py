"""The parser never raises and keeps every span inside the file: random bytes, random shell-token
soup, and random line mutations of corpus files."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cfglint.shell import evaluate, invocations, parse_shell, unwrap

from .conftest import CORPUS
from .spans import check_model
from tests.conftest import fuzz_examples

SETTINGS = dict(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

TOKENS = [
    "if", "then", "elif", "else", "fi", "for", "in", "do", "done", "while", "case", "esac", ";;", "{", "}",
    "(", ")", "$(", "`", "'", '"', "\\", ";", "&&", "||", "|", "&", "<<EOF", "<<-'E'", "EOF", "E", "<<<",
    "x=1", "export", "X", "=", "/usr/java", "${A:-b}", "$@", "\"$@\"", "[", "]", "[[", "]]", "-eq", "#",
    "f()", "local", "ip", "netns", "exec", "sudo", "\r", "\t", "~", "*", "$'\\''", "a=(", "\n",
]


def _use(data: bytes) -> None:
    m = parse_shell(data, "fuzz.sh")
    check_model(m, data)
    for c in m.commands:
        unwrap(c, m)
    list(invocations(m.evaluation()))
    evaluate(m, env={})


@settings(max_examples=fuzz_examples(60), **SETTINGS)
@given(st.binary(max_size=200))
def test_random_bytes(data):
    _use(data)


@settings(max_examples=fuzz_examples(60), **SETTINGS)
@given(st.lists(st.lists(st.sampled_from(TOKENS), max_size=8), max_size=12))
def test_token_soup(lines):
    _use("\n".join(" ".join(line) for line in lines).encode())


def _corpus_files() -> list[Path]:
    files = []
    for kind in ("netns", "hadoop"):
        d = CORPUS / kind
        if d.is_dir():
            files += [p for p in sorted(d.iterdir()) if p.name != "SOURCES.md" and p.stat().st_size < 20_000]
    return files


FILES = _corpus_files()

MUTATION = st.tuples(
    st.sampled_from(["delete", "duplicate", "insert", "truncate", "swap", "crlf"]),
    st.integers(min_value=0, max_value=10_000),
    st.integers(min_value=0, max_value=10_000),
    st.sampled_from(TOKENS + ["fi", "done", "}", "esac", "'", '"', "$(", "<<EOF"]),
)


def mutate(data: bytes, muts) -> bytes:
    lines = data.split(b"\n")
    for kind, a, b, tok in muts:
        if not lines:
            lines = [b""]
        i = a % len(lines)
        j = b % len(lines)
        if kind == "delete":
            del lines[i]
        elif kind == "duplicate":
            lines.insert(i, lines[i])
        elif kind == "insert":
            lines.insert(i, tok.encode())
        elif kind == "truncate":
            lines[i] = lines[i][: b % (len(lines[i]) + 1)]
        elif kind == "swap":
            lines[i], lines[j] = lines[j], lines[i]
        else:
            lines[i] = lines[i] + b"\r"
    return b"\n".join(lines)


@pytest.mark.skipif(not FILES, reason="../shared/corpus is absent")
@settings(max_examples=fuzz_examples(40), **SETTINGS)
@given(st.sampled_from(FILES or [Path("x")]), st.lists(MUTATION, min_size=1, max_size=4))
def test_corpus_mutations(path, muts):
    _use(mutate(path.read_bytes(), muts))
