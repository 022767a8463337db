from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from cfglint.cli import main

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"

BROKEN = (
    "davmail.server=true\n"
    "davmail.mode=ExchangeEWS\n"
    "davmail.url=https://mail.example.com/EWS/Exchange.asmx\n"
    "davmail.imapPort=1143\n"
    "davmail.allowRemote=true # LAN clients\n"
)
CLEAN = (
    "davmail.server=true\n"
    "davmail.mode=ExchangeEWS\n"
    "davmail.url=https://mail.example.com/EWS/Exchange.asmx\n"
    "davmail.imapPort=1143\n"
    "davmail.bindAddress=127.0.0.1\n"
)
CANARY = "Canary-Secret-7f3a9"


def lint(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def tree(tmp_path, monkeypatch):
    """A small project: one broken DavMail file, one clean, one unrelated text file."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    monkeypatch.delenv("GITHUB_BASE_REF", raising=False)
    (tmp_path / "broken").mkdir()
    (tmp_path / "broken" / "davmail.properties").write_text(BROKEN)
    (tmp_path / "ok").mkdir()
    (tmp_path / "ok" / "davmail.properties").write_text(CLEAN)
    (tmp_path / "notes.txt").write_text("nothing to see\n")
    return tmp_path


@pytest.fixture
def examples(tmp_path, monkeypatch):
    """A copy of examples/ as the current directory (so paths are short and the tree is private)."""
    dest = tmp_path / "repo"
    shutil.copytree(EXAMPLES, dest / "examples")
    monkeypatch.chdir(dest)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    monkeypatch.delenv("GITHUB_BASE_REF", raising=False)
    return dest


def load_json(text: str):
    return json.loads(text)
