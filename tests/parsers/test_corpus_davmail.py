"""Every real-world file of ../shared/corpus/davmail parses, with what we know about each."""

from __future__ import annotations

from pathlib import Path

import pytest

from cfglint.api import Span
from cfglint.models.davmail import KNOWN_MISTAKES, DavmailProperties, is_known_key
from cfglint.parsers.properties import parse_davmail

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "davmail"
FILES = sorted(CORPUS.glob("*.properties")) if CORPUS.is_dir() else []

# Files holding a malformed \uXXXX escape (DavMail would not start): none in the corpus today.
EXPECTED_MALFORMED: dict[str, list[str]] = {}


@pytest.fixture(scope="module")
def corpus() -> dict[str, tuple[bytes, DavmailProperties]]:
    if not FILES:
        pytest.skip(f"{CORPUS} is absent")
    out = {}
    for f in FILES:
        data = f.read_bytes()
        out[f.name] = (data, parse_davmail(data, str(f)))
    return out


def _spans(model: DavmailProperties) -> list[Span]:
    spans = [c.span for c in model.comments] + [p.span for p in model.problems]
    for e in model.entries:
        spans += [e.span, e.key_span, e.value_span]
    return spans


def test_corpus_is_there(corpus: dict[str, tuple[bytes, DavmailProperties]]) -> None:
    assert len(corpus) >= 10


def test_every_file_parses_cleanly(corpus: dict[str, tuple[bytes, DavmailProperties]]) -> None:
    for name, (data, model) in corpus.items():
        assert model.problems == [], name
        assert model.entries, name
        malformed = [e.key for e in model.entries if e.malformed_escape]
        assert malformed == EXPECTED_MALFORMED.get(name, []), name
        assert not model.bom and not model.truncated, name


def test_every_span_lies_inside_its_file(corpus: dict[str, tuple[bytes, DavmailProperties]]) -> None:
    for name, (data, model) in corpus.items():
        lines = data.decode("latin-1").replace("\r\n", "\n").replace("\r", "\n").split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        for s in _spans(model):
            assert s.path == str(CORPUS / name)
            assert s.end_line is not None and s.end_column is not None
            assert 1 <= s.line <= s.end_line <= len(lines), (name, s)
            assert (s.line, s.column) <= (s.end_line, s.end_column), (name, s)
            assert 1 <= s.column <= len(lines[s.line - 1]) + 1, (name, s)
            assert 1 <= s.end_column <= len(lines[s.end_line - 1]) + 1, (name, s)


def test_spans_point_at_the_source_text(corpus: dict[str, tuple[bytes, DavmailProperties]]) -> None:
    for name, (data, model) in corpus.items():
        lines = data.decode("latin-1").splitlines()
        for e in model.entries:
            if e.continued or "\\" in e.raw:
                continue
            line = lines[e.span.line - 1]
            assert line[e.key_span.column - 1 : e.key_span.end_column - 1] == e.key, name
            assert line[e.value_span.column - 1 : e.value_span.end_column - 1] == e.value, name
            assert e.raw == line, name


def test_comment_lines(corpus: dict[str, tuple[bytes, DavmailProperties]]) -> None:
    for name, (data, model) in corpus.items():
        lines = data.decode("latin-1").splitlines()
        expected = [i + 1 for i, line in enumerate(lines) if line.lstrip(" \t\f")[:1] in ("#", "!")]
        assert [c.span.line for c in model.comments] == expected, name


def test_inline_comment_bug(corpus: dict[str, tuple[bytes, DavmailProperties]]) -> None:
    name = "cry-inc_dmarc-report-viewer--davmail.properties"
    if name not in corpus:
        pytest.skip("fixture file absent")
    model = corpus[name][1]
    setting = model.setting("davmail.allowRemote")
    assert setting.raw is not None and setting.raw.startswith("true #")
    assert setting.as_bool is False


def test_unknown_keys_are_the_known_mistakes(corpus: dict[str, tuple[bytes, DavmailProperties]]) -> None:
    unknown = set()
    for _, model in corpus.values():
        unknown |= {e.key for e in model.entries if e.key.startswith("davmail.") and not is_known_key(e.key)}
    assert unknown <= set(KNOWN_MISTAKES), unknown - set(KNOWN_MISTAKES)
    assert "davmail.enableKeepalive" in unknown


def test_invalid_mode_value(corpus: dict[str, tuple[bytes, DavmailProperties]]) -> None:
    name = "dvryltsov_docker-davmail--davmail.properties"
    if name not in corpus:
        pytest.skip("fixture file absent")
    assert corpus[name][1].setting("davmail.mode").raw == "OWA"


def test_upstream_template_ports(corpus: dict[str, tuple[bytes, DavmailProperties]]) -> None:
    name = "mguessan-davmail-HEAD-src-etc-davmail.properties"
    if name not in corpus:
        pytest.skip("fixture file absent")
    model = corpus[name][1]
    ports = {k: model.setting(k).as_int for k in ("davmail.caldavPort", "davmail.imapPort", "davmail.ldapPort",
                                                   "davmail.popPort", "davmail.smtpPort")}
    assert ports == {"davmail.caldavPort": 1080, "davmail.imapPort": 1143, "davmail.ldapPort": 1389,
                     "davmail.popPort": 1110, "davmail.smtpPort": 1025}
    assert model.setting("davmail.allowRemote").as_bool is True
    assert model.setting("davmail.clientSoTimeout").as_int == 300  # empty in the template: the default
