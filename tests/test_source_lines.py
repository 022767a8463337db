"""SourceLines (lines decoded on demand) gives exactly what decode_lines gives, for every kind's
encoding, line ends, BOMs and invalid bytes."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from cfglint.runner import SourceLines, _display_lines, decode_lines
from cfglint.secrets import mask_lines

KINDS = ("asa", "davmail", "hadoop-env", "netns", "unknown")
PIECES = [b"a", b"\xc3\xa9", b"\xe2\x82", b"\xff", b"\xef\xbb\xbf", b"\r", b"\n", b"\r\n", b" ", b"\xe9", b"\xf0\x9f\x98"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=40), st.sampled_from(KINDS))
def test_equal_to_decode_lines(pieces, kind):
    data = b"".join(pieces)
    lazy = SourceLines(data, kind)
    eager = decode_lines(data, kind)
    assert len(lazy) == len(eager)
    assert list(lazy) == eager
    assert [lazy[i] for i in range(len(eager))] == eager
    assert lazy[1:3] == eager[1:3] and lazy[-1] == eager[-1]


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=200), st.sampled_from(KINDS))
def test_equal_on_random_bytes(data, kind):
    assert list(SourceLines(data, kind)) == decode_lines(data, kind)


def test_display_lines_mask_per_line_as_mask_lines_does():
    from cfglint.cache import SpanPos

    lines = ["key=secret-one", "  more=x \\", "   continued-secret", "plain"]
    data = "\n".join(lines).encode()
    spans = [SpanPos(1, 5, 1, 15), SpanPos(2, 8, 3, 20)]
    whole = mask_lines(lines, spans)
    got = _display_lines(SourceLines(data, "davmail"), spans, "davmail", {1, 2, 3, 4})
    assert got == {n: whole[n - 1] for n in range(1, 5)}


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES + [b"x" * 3, b"\n" * 70]), max_size=120), st.sampled_from(KINDS))
def test_many_lines_and_joined(pieces, kind):
    """Past 64 lines the bounds come from a split and running sums: the same lines; `joined()` is
    the lines joined with \\n."""
    data = b"".join(pieces)
    lazy = SourceLines(data, kind)
    eager = decode_lines(data, kind)
    assert list(lazy) == eager
    assert lazy.joined() == "\n".join(eager)
