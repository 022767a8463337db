"""The whole engine over the shared corpus: every DavMail file is recognised, parsed and linted
with no crash and no internal error (CFG005)."""

from __future__ import annotations

import json

from cfglint.cli import main


def test_davmail_corpus_lints_without_internal_error(corpus_dir, capsys, monkeypatch):
    d = corpus_dir("davmail")
    files = sorted(p for p in d.iterdir() if p.name != "SOURCES.md")
    code = main(["check", str(d), "--format", "json", "--no-cache"])
    doc = json.loads(capsys.readouterr().out)
    assert code in (0, 1)
    assert not [x for x in doc["diagnostics"] if x["code"] == "CFG005"]
    assert doc["summary"]["files"] == len(files)
    # the cry-inc inline-comment bug of the notes (A.8 #1) is found
    hits = {(x["path"].rsplit("/", 1)[-1], x["code"]) for x in doc["diagnostics"]}
    assert ("cry-inc_dmarc-report-viewer--davmail.properties", "DAV012") in hits


def test_every_corpus_kind_runs_through_the_engine(corpus_dir, capsys):
    """Files of kinds whose parsers land later are recognised and never crash the run."""
    for kind in ("asa", "hadoop", "netns"):
        d = corpus_dir(kind)
        code = main(["check", str(d), "--format", "json"])
        doc = json.loads(capsys.readouterr().out)
        assert code in (0, 1), kind
        assert not [x for x in doc["diagnostics"] if x["code"] == "CFG005"], kind
