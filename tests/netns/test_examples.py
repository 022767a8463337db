"""The OpenStack router / LXD bridge incident script, as the guide prints it and fixed."""

from __future__ import annotations

import json
from pathlib import Path

from cfglint.cli import main

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "netns-qrouter-lxd"


def _check(path: Path, capsys) -> list[dict]:
    code = main(["check", str(path), "--select", "NET", "--format", "json", "--no-cache"])
    doc = json.loads(capsys.readouterr().out)
    assert code in (0, 1)
    return doc["diagnostics"]


def test_broken_script(capsys):
    found = {(d["code"], d["line"], d["severity"]) for d in _check(EXAMPLE / "broken", capsys)}
    assert found == {
        ("NET013", 6, "info"),  # the qrouter namespace belongs to the Neutron L3 agent
        ("NET002", 7, "error"),  # ip addr add dev veth-qr: no address
        ("NET011", 10, "info"),  # brctl addif
        ("NET001", 12, "error"),  # ip link set veth-qr up, after veth-qr moved to the router
        ("NET007", 14, "warning"),  # iptables -I without -C
        ("NET003", 14, "error"),  # MASQUERADE -o veth-qr in the root namespace
    }


def test_fixed_script_has_no_error_or_warning(capsys):
    found = [(d["code"], d["severity"]) for d in _check(EXAMPLE / "fixed", capsys)]
    assert found == [("NET013", "info")]


def test_net001_points_at_the_move(capsys):
    d = next(x for x in _check(EXAMPLE / "broken", capsys) if x["code"] == "NET001")
    assert "moved to namespace qrouter-" in d["message"]
    assert [r["line"] for r in d["related"]] == [6]


def test_family_options_reach_every_rule(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "cfglint.toml").write_text('[rules.NET]\nexternal-namespaces = ["amphora-*"]\nwrappers = ["run_cmd"]\n')
    (tmp_path / "s.sh").write_text(
        "#!/bin/sh\nip link add v0 type veth peer name v1\n"
        "ip link set v1 netns amphora-haproxy\n"
        "run_cmd ip link set v1 up\n"
    )
    code = main(["check", ".", "--select", "NET", "--format", "json", "--no-cache"])
    doc = json.loads(capsys.readouterr().out)
    found = {(d["code"], d["line"]) for d in doc["diagnostics"]}
    assert ("NET013", 3) in found  # the configured namespace is external
    assert ("NET001", 4) in found  # `run_cmd ip ...` is seen through
    assert code == 1
