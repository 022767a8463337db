"""`cfglint.parsers.properties`: java.util.Properties.load(InputStream) semantics (domain notes A.2).

Every expected (key, value) below was checked against JDK 17's `Properties.load`.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cfglint.api import Span
from cfglint.models.davmail import DavmailProperties
from cfglint.models.properties import PropertiesFile
from cfglint.parsers.properties import MALFORMED_UNICODE, load_convert, parse_davmail, parse_properties
from tests.conftest import fuzz_examples

PATH = "t.properties"


def parse(data: bytes) -> PropertiesFile:
    return parse_properties(data, PATH)


def pairs(data: bytes) -> list[tuple[str, str]]:
    return [(e.key, e.value) for e in parse(data).entries]


def pos(span: Span) -> tuple[int, int, int | None, int | None]:
    return (span.line, span.column, span.end_line, span.end_column)


def assert_spans_inside(model: PropertiesFile, data: bytes) -> None:
    """Every span lies inside the file, start before end, path kept."""
    text = data.decode("latin-1")
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if len(lines) > 1 and lines[-1] == "":
        lines.pop()
    spans: list[Span] = [c.span for c in model.comments] + [p.span for p in model.problems]
    for e in model.entries:
        spans += [e.span, e.key_span, e.value_span]
        assert (e.span.line, e.span.column) <= (e.key_span.line, e.key_span.column)
        assert (e.value_span.end_line, e.value_span.end_column) == (e.span.end_line, e.span.end_column)
    for s in spans:
        assert s.path == PATH
        assert s.end_line is not None and s.end_column is not None
        assert 1 <= s.line <= s.end_line <= len(lines)
        assert (s.line, s.column) <= (s.end_line, s.end_column)
        assert 1 <= s.column <= len(lines[s.line - 1]) + 1
        assert 1 <= s.end_column <= len(lines[s.end_line - 1]) + 1


# -- table A.2, row by row -------------------------------------------------------------------------


def test_latin1_decoding() -> None:
    m = parse(b"name=Jos\xe9\n")
    assert pairs(b"name=Jos\xe9\n") == [("name", "José")]
    assert m.non_latin1_lines == [1]


def test_utf8_bytes_are_read_as_latin1() -> None:
    data = "proxyPassword=пароль\n".encode()
    (entry,) = parse(data).entries
    assert entry.value == "пароль".encode().decode("latin-1")
    assert parse(data).non_latin1_lines == [1]


def test_non_latin1_lines_lists_each_line_once() -> None:
    data = b"a=1\nb=\xe9\xe9\n# \xff\nc=3\r\nd=\xe0"
    assert parse(data).non_latin1_lines == [2, 3, 5]
    assert parse(b"a=1\n").non_latin1_lines == []


def test_bom_becomes_part_of_first_key() -> None:
    m = parse(b"\xef\xbb\xbfbomkey=v\nother=w\n")
    assert m.bom is True
    assert [e.key for e in m.entries] == ["\u00ef\u00bb\u00bfbomkey", "other"]
    assert m.non_latin1_lines == []  # the BOM is reported by `bom` only
    assert pos(m.entries[0].key_span) == (1, 1, 1, 10)


def test_bom_turns_a_first_comment_into_an_entry() -> None:
    m = parse(b"\xef\xbb\xbf# DavMail settings\nk=v\n")
    assert [(e.key, e.value) for e in m.entries] == [("\u00ef\u00bb\u00bf#", "DavMail settings"), ("k", "v")]
    assert m.comments == []


def test_no_bom() -> None:
    assert parse(b"k=v").bom is False


@pytest.mark.parametrize(
    ("data", "endings"),
    [
        (b"a=1\nb=2\n", ["\n"]),
        (b"a=1\r\nb=2\r\n", ["\r\n"]),
        (b"a=1\rb=2\r", ["\r"]),
        (b"a=1\r\nb=2\rc=3\n", ["\r\n", "\r", "\n"]),
        (b"a=1", []),
    ],
)
def test_line_endings(data: bytes, endings: list[str]) -> None:
    m = parse(data)
    assert m.line_endings == endings
    assert [e.key for e in m.entries] == ["a", "b", "c"][: len(m.entries)]


def test_cr_only_lines_and_spans() -> None:
    m = parse(b"# head\ra=1\r\rb=2\r")
    assert pairs(b"# head\ra=1\r\rb=2\r") == [("a", "1"), ("b", "2")]
    assert [e.span.line for e in m.entries] == [2, 4]
    assert m.comments[0].span.line == 1


def test_crlf_value_has_no_cr() -> None:
    m = parse(b"davmail.imapPort=1143\r\nb=2\r\n")
    assert pairs(b"davmail.imapPort=1143\r\nb=2\r\n") == [("davmail.imapPort", "1143"), ("b", "2")]
    assert pos(m.entries[0].span) == (1, 1, 1, 22)


def test_comments() -> None:
    m = parse(b"# hash comment\n   ! bang comment\n\t#indented\nk=v\n#")
    assert [c.text for c in m.comments] == [" hash comment", " bang comment", "indented", ""]
    assert pos(m.comments[1].span) == (2, 4, 2, 18)
    assert pairs(b"# hash comment\n   ! bang comment\n") == []


def test_no_inline_comments() -> None:
    assert pairs(b"davmail.allowRemote=true # comment\n") == [("davmail.allowRemote", "true # comment")]
    assert pairs(b"k=v ! not a comment") == [("k", "v ! not a comment")]


def test_comment_ending_in_backslash_does_not_continue() -> None:
    m = parse(b"# c\\\nkey8=x\n")
    assert pairs(b"# c\\\nkey8=x\n") == [("key8", "x")]
    assert m.comments[0].text == " c\\"


@pytest.mark.parametrize(
    ("line", "key", "value", "separator"),
    [
        (b"key1=value1", "key1", "value1", "="),
        (b"key3 value3", "key3", "value3", " "),
        (b"key4:value4", "key4", "value4", ":"),
        (b"key5 = = v5", "key5", "= v5", "="),
        (b"key6 : = v6", "key6", "= v6", ":"),
        (b"key7=:v7", "key7", ":v7", "="),
        (b"key8\t\f=\tv8", "key8", "v8", "="),
        (b"bare", "bare", "", ""),
        (b"bare2   ", "bare2", "", " "),
        (b"empty=", "empty", "", "="),
        (b"=novalue", "", "novalue", "="),
        (b"  port2= 1143", "port2", "1143", "="),
    ],
)
def test_key_value_separator(line: bytes, key: str, value: str, separator: str) -> None:
    (entry,) = parse(line + b"\n").entries
    assert (entry.key, entry.value, entry.separator) == (key, value, separator)


def test_trailing_blanks_kept() -> None:
    assert pairs(b"b1=true \nb2=1143\t\n") == [("b1", "true "), ("b2", "1143\t")]


def test_continuation_drops_leading_blanks() -> None:
    m = parse(b"key7=line1\\\n   line2\nnext=1\n")
    assert pairs(b"key7=line1\\\n   line2\nnext=1\n") == [("key7", "line1line2"), ("next", "1")]
    e = m.entries[0]
    assert e.continued is True
    assert e.raw == "key7=line1\\\n   line2"
    assert m.entries[1].continued is False


def test_continuation_spans() -> None:
    data = b"  long.key = first \\\r\n\t  second\\\r\n  third\r\nx=1\r\n"
    m = parse(data)
    e = m.entries[0]
    assert (e.key, e.value) == ("long.key", "first secondthird")
    assert pos(e.span) == (1, 1, 3, 8)
    assert pos(e.key_span) == (1, 3, 1, 11)
    assert pos(e.value_span) == (1, 14, 3, 8)
    assert e.raw == "  long.key = first \\\n\t  second\\\n  third"
    assert m.entries[1].span.line == 4


def test_key_continued_over_lines() -> None:
    m = parse(b"dav\\\n   mail.imapPort=1143\n")
    e = m.entries[0]
    assert (e.key, e.value) == ("davmail.imapPort", "1143")
    assert pos(e.key_span) == (1, 1, 2, 17)
    assert pos(e.value_span) == (2, 18, 2, 22)


def test_value_starting_on_continuation_line() -> None:
    e = parse(b"k=\\\n  v\n").entries[0]
    assert (e.key, e.value) == ("k", "v")
    assert pos(e.value_span) == (2, 3, 2, 4)


def test_comment_looking_continuation_line_is_value_text() -> None:
    assert pairs(b"k=v\\\n   # not a comment\n") == [("k", "v# not a comment")]
    assert parse(b"k=v\\\n   # not a comment\n").comments == []


def test_empty_continuation_line_ends_the_entry() -> None:
    m = parse(b"k=v\\\n\nnext=1\n")
    assert pairs(b"k=v\\\n\nnext=1\n") == [("k", "v"), ("next", "1")]
    assert pos(m.entries[0].span) == (1, 1, 2, 1)
    assert pairs(b"k=v\\\n   \t\nnext=1\n") == [("k", "v"), ("next", "1")]
    assert m.truncated is False


def test_even_backslashes_do_not_continue() -> None:
    assert pairs(b"path=C:\\\\\nnext=1\n") == [("path", "C:\\"), ("next", "1")]
    assert pairs(b"a=x\\\\\\\n  y\n") == [("a", "x\\y")]


def test_lone_backslash_line_is_ignored() -> None:
    assert pairs(b"\\\n# comment\nk=v\n") == [("k", "v")]
    assert parse(b"\\\n# comment\nk=v\n").comments[0].text == " comment"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"a=1\n\\", [("a", "1"), ("", "")]),
        (b"a=1\n\\\n", [("a", "1"), ("", "")]),
        (b"a=1\n\\\r", [("a", "1"), ("", "")]),
        (b"a=1\n\\\r\n", [("a", "1")]),  # Java reads the "\n" before meeting the end
    ],
)
def test_lone_backslash_at_end_of_file(data: bytes, expected: list[tuple[str, str]]) -> None:
    m = parse(data)
    assert [(e.key, e.value) for e in m.entries] == expected
    assert m.truncated is True
    assert_spans_inside(m, data)


@pytest.mark.parametrize("data", [b"k=v\\", b"k=v\\\n", b"k=v\\\r\n", b"k=v\\\n   "])
def test_truncated_continuation_at_eof(data: bytes) -> None:
    m = parse(data)
    assert pairs(data) == [("k", "v")]
    assert m.truncated is True
    assert m.entries[0].span.line == 1
    assert_spans_inside(m, data)


def test_not_truncated() -> None:
    assert parse(b"k=v\n").truncated is False
    assert parse(b"k=v\\\\").truncated is False


@pytest.mark.parametrize(
    ("escaped", "decoded"),
    [
        (b"a\\tb", "a\tb"),
        (b"a\\nb", "a\nb"),
        (b"a\\fb", "a\fb"),
        (b"a\\rb", "a\rb"),
        (b"\\u0041\\u00e9\\u20AC", "Aé€"),
        (b"\\b", "b"),  # not an escape
        (b"\\\\", "\\"),
        (b"https\\://owa", "https://owa"),
        (b"\\#DDF6E8", "#DDF6E8"),
        (b"a\\=b", "a=b"),
        (b"\\x\\y", "xy"),
        (b"\\ud83d\\ude00", "\U0001f600"),
    ],
)
def test_escapes(escaped: bytes, decoded: str) -> None:
    (entry,) = parse(b"k=" + escaped).entries
    assert entry.value == decoded
    assert entry.malformed_escape is None


def test_windows_path_loses_backslashes() -> None:
    assert pairs(b"win=C:\\Program Files\\DavMail\\x.log\n") == [("win", "C:Program FilesDavMailx.log")]


def test_key_escapes() -> None:
    assert pairs(b"key\\ with\\ space=v\n") == [("key with space", "v")]
    assert pairs(b"a\\:b\\=c:d\n") == [("a:b=c", "d")]
    assert pairs(b"Key=1\nkey=2\n") == [("Key", "1"), ("key", "2")]  # case-sensitive


@pytest.mark.parametrize(
    "data",
    [
        b"davmail.logFilePath=C:\\users\\me\\davmail.log\n",
        b"k=\\u12",
        b"k=\\u",
        b"k=\\uZZZZ",
        b"k=\\u00g0",
        b"k\\u12=v",
    ],
)
def test_malformed_unicode_escape(data: bytes) -> None:
    m = parse(data)
    (entry,) = m.entries
    assert entry.malformed_escape == MALFORMED_UNICODE == "Malformed \\uxxxx encoding."
    assert m.problems == []


def test_malformed_unicode_escape_rest_decoded() -> None:
    (entry,) = parse(b"p=C:\\users\\me\\davmail.log").entries
    assert entry.value == "C:usersmedavmail.log"
    assert load_convert("\\u12") == ("u12", MALFORMED_UNICODE)
    assert load_convert("x\\u004") == ("xu004", MALFORMED_UNICODE)


def test_unicode_escape_split_over_continuation() -> None:
    (entry,) = parse(b"k=\\u00\\\n   41").entries
    assert entry.value == "A"
    assert entry.malformed_escape is None


def test_duplicate_keys_all_kept_last_wins() -> None:
    m = parse(b"key9=first\nother=x\nkey9=second\n")
    assert [e.value for e in m.occurrences("key9")] == ["first", "second"]
    last = m.last("key9")
    assert last is not None and last.value == "second" and last.span.line == 3
    assert m.effective()["key9"].value == "second"
    assert m.last("missing") is None


def test_empty_file() -> None:
    m = parse(b"")
    assert (m.entries, m.comments, m.line_endings, m.truncated, m.bom) == ([], [], [], False, False)


def test_blank_only_file() -> None:
    m = parse(b"\n \t\f\n\r\n")
    assert m.entries == [] and m.comments == []


def test_only_comments() -> None:
    m = parse(b"# one\n! two\n  # three")
    assert m.entries == []
    assert [c.text for c in m.comments] == [" one", " two", " three"]
    assert [c.span.line for c in m.comments] == [1, 2, 3]


def test_spans_single_line() -> None:
    e = parse(b"\n  davmail.imapPort = 1143 \n").entries[0]
    assert e.span.path == PATH
    assert pos(e.span) == (2, 1, 2, 27)
    assert pos(e.key_span) == (2, 3, 2, 19)
    assert pos(e.value_span) == (2, 22, 2, 27)
    assert e.raw == "  davmail.imapPort = 1143 "


def test_empty_value_span_is_zero_width_at_end() -> None:
    e = parse(b"davmail.bindAddress=\n").entries[0]
    assert pos(e.value_span) == (1, 21, 1, 21)
    e = parse(b"bare").entries[0]
    assert pos(e.value_span) == (1, 5, 1, 5)
    e = parse(b"k = ").entries[0]
    assert pos(e.value_span) == (1, 5, 1, 5)


def test_value_span_of_truncated_entry_ends_with_the_line() -> None:
    e = parse(b"k=\\").entries[0]
    assert e.value == ""
    assert pos(e.value_span) == (1, 4, 1, 4)
    assert pos(e.span) == (1, 1, 1, 4)


def test_parse_davmail_returns_davmail_model() -> None:
    m = parse_davmail(b"davmail.imapPort=1143\n", PATH)
    assert isinstance(m, DavmailProperties)
    assert m.kind == "davmail"
    assert m.setting("davmail.imapPort").as_int == 1143
    assert type(parse(b"k=v")) is PropertiesFile


def test_nul_and_control_bytes() -> None:
    data = b"k\x00=v\x0b\x85\x1c\n"
    assert pairs(data) == [("k\x00", "v\x0b\x85\x1c")]


# -- never raises ----------------------------------------------------------------------------------

_ALPHABET = [
    b" ", b"\t", b"\f", b"\\", b"\r", b"\n", b"#", b"!", b"=", b":", b"u", b"0", b"a", b"\xe9", b"\xef\xbb\xbf",
]


@settings(max_examples=fuzz_examples(200), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=300))
def test_random_bytes_never_raise(data: bytes) -> None:
    m = parse(data)
    assert_spans_inside(m, data)
    assert isinstance(parse_davmail(data, PATH), DavmailProperties)


@settings(max_examples=fuzz_examples(200), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(_ALPHABET), max_size=60).map(b"".join))
def test_tricky_bytes_never_raise(data: bytes) -> None:
    m = parse(data)
    assert_spans_inside(m, data)
    for e in m.entries:
        assert e.separator in ("=", ":", " ", "")
        assert "\r" not in e.raw
