"""The reduce phase shows the source lines of cross-file findings: lines no per-file finding
showed are read back from the file (only those lines are kept), in the finding's file and in the
peer file its related location points to. (Secrets on such lines: tests/test_parallel_cache.py,
test_text_output_and_snippets_survive_the_cache.)"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import cfglint.runner as runner
from cfglint.cli import main

REPO = Path(__file__).resolve().parents[1]
PAIR = REPO / "examples" / "asa-vpn-asymmetric" / "fixed"
KEY_A = "Canary-PSK-site-a-93f1"
KEY_B = "Canary-PSK-site-b-51c7"


@pytest.fixture
def pair(tmp_path, monkeypatch) -> Path:
    """The fixed example pair, with pre-shared keys that differ: ASA005 points at the key lines."""
    root = tmp_path / "pair"
    shutil.copytree(PAIR, root)
    for name, key in (("site-a.cfg", KEY_A), ("site-b.cfg", KEY_B)):
        p = root / name
        p.write_text(p.read_text().replace("Example-PSK-not-real-4f9a", key))
    monkeypatch.chdir(tmp_path)
    return root


def _lint(capture: dict):
    orig = runner._reduce

    def spy(*a, **k):
        res = orig(*a, **k)
        capture["result"] = res
        return res

    return spy


def test_cross_file_lines_read_back_masked(pair, monkeypatch, capsys):
    reads: list[tuple[str, frozenset[int]]] = []
    orig_reread = runner._reread

    def counting(path, fr, wanted):
        reads.append((fr.path, frozenset(wanted)))
        return orig_reread(path, fr, wanted)

    got: dict = {}
    monkeypatch.setattr(runner, "_reduce", _lint(got))
    monkeypatch.setattr(runner, "_reread", counting)
    code = main(["check", "pair", "--no-cache", "-j1", "--format", "text"])
    out = capsys.readouterr().out
    assert code == 1
    result = got["result"]
    psk = [d for d in result.diagnostics if d.code == "ASA005"]
    assert psk, out
    d = psk[0]
    # The finding's line and its related line in the peer file are both shown, masked.
    assert (d.path, d.line) in result.snippets
    rel = [r for r in d.related if r.span.path != d.path]
    assert rel
    assert (rel[0].span.path, rel[0].span.line) in result.snippets
    for (path, n), text in result.snippets.items():
        assert KEY_A not in text and KEY_B not in text
    assert KEY_A not in out and KEY_B not in out
    # Each file is read back at most once, for the lines that are not already at hand only.
    paths = [p for p, _ in reads]
    assert len(paths) == len(set(paths))
    for path, wanted in reads:
        assert wanted and all((path, n) in result.snippets for n in wanted)


def test_reread_keeps_only_the_wanted_lines(tmp_path):
    p = tmp_path / "f.cfg"
    p.write_text("".join(f"line {i}\n" for i in range(1, 1001)))
    fr = runner.FileResult(
        path="f.cfg", kind="asa", has_model=True, note="", diagnostics=[], directives=[], directive_problems=[],
        crashed=set(), secrets=[], tokens=[], spans=[], model=None, n_lines=1000, lines={},
    )
    assert runner._reread(p, fr, {3, 999, 5000}) == {3: "line 3", 999: "line 999"}
    p.unlink()
    assert runner._reread(p, fr, {3}) == {}  # vanished since: no line, no crash


def test_a_huge_line_is_shown_cut(tmp_path, monkeypatch, capsys):
    """A 3 MB one-line value: the report shows the first MAX_SNIPPET characters of the line and
    says how many are left out (no 3 MB snippet, no 3 MB caret line)."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "davmail.properties").write_bytes(b"davmail.server=" + b"y" * 3_000_000 + b"\n")
    code = main(["check", ".", "--no-cache", "-j1", "--select", "DAV012", "--color", "never"])
    out = capsys.readouterr().out
    assert code == 1
    assert len(out) < 3 * runner.MAX_SNIPPET + 2000
    shown = [ln for ln in out.splitlines() if ln.startswith("1 | ")]
    assert len(shown) == 1 and shown[0].endswith(f" ...[{3_000_015 - runner.MAX_SNIPPET} more characters]")
    carets = [ln for ln in out.splitlines() if "^" in ln]
    assert carets and all(len(c) < runner.MAX_SNIPPET + 20 for c in carets)


def test_a_cut_never_leaves_the_beginning_of_a_secret():
    from cfglint.secrets import Masker

    secret = "Canary-Cut-Secret-77"
    masker = Masker([secret])
    n = runner.MAX_SNIPPET
    for at in (n - 1, n - 5, n - len(secret) + 1, n - len(secret), n - 30):
        line = "x" * at + secret + "y" * 50
        shown = runner._mask_snippet(runner._cut_line(line), masker)
        head, cut = runner.split_cut(shown)
        assert cut, at
        assert not any(head.endswith(secret[:k]) for k in range(1, len(secret))), at
        assert secret not in shown
        kept = len(head.replace("****", secret)) if "****" in head else len(head)
        more = int(cut.split("[")[1].split(" ")[0])
        assert kept + more == len(line), at  # the marker still counts what is left out
    assert Masker(["Canary"]).without_partial_tail("abcCan") == "abc"
    assert Masker(["Canary"]).without_partial_tail("abcCanary") == "abcCanary"  # whole: masked later
    assert Masker([]).without_partial_tail("abc") == "abc"
