"""The engine end to end on ASA files: recognised, parsed, no internal error, no parse error."""

from __future__ import annotations

import json
import shutil

from cfglint.cli import main

from .conftest import FIXTURES


def test_fixture_dir_checks_without_cfg004_or_cfg005(tmp_path, capsys):
    d = tmp_path / "asa"
    shutil.copytree(FIXTURES, d)
    code = main(["check", str(d), "--format", "json", "--no-cache"])
    out = capsys.readouterr().out
    doc = json.loads(out)
    assert code in (0, 1)
    codes = [x["code"] for x in doc["diagnostics"]]
    assert "CFG004" not in codes and "CFG005" not in codes
    assert doc["summary"]["files"] == len(list(FIXTURES.iterdir()))
    for canary in ("Canary-PSK-AB-1234", "Canary-PSK-Spoke1-99", "S3cretCommunity"):
        assert canary not in out


def test_suppression_comments_are_read(tmp_path, capsys):
    """Directives come from `!` comment lines (also indented ones): an unknown code in one is reported
    on its line."""
    (tmp_path / "fw.cfg").write_text(
        "ASA Version 9.8(1)\n"
        "hostname fw\n"
        "! cfglint: ignore[ZZZ999] -- no such rule\n"
        "interface Gi0/0\n"
        "  ! cfglint: ignore[ZZZ998] -- indented\n"
        " nameif outside\n"
    )
    main(["check", str(tmp_path), "--format", "json", "--no-cache"])
    doc = json.loads(capsys.readouterr().out)
    assert sorted((d["code"], d["line"]) for d in doc["diagnostics"]) == [("CFG101", 3), ("CFG101", 5)]
