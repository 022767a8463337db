"""Canary secrets planted in fixtures of every kind that has secrets never appear in any output:
every --format, --output FORMAT=FILE, --diff, the baseline file, `cfglint suppressions`, and the
cache directory after cold and warm runs. The shell kinds (hadoop-env, shell-profile, netns) model
no secrets (`SourceModel.secrets()` is the empty default), so they get no canary.
Also: a path holding `::` and a newline cannot inject a workflow command in the github format."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from cfglint.cli import main

FORMATS = ["text", "concise", "json", "json-lines", "sarif", "github", "junit", "gitlab", "html"]
C = "Kz7canary"  # every secret below starts with this; each one is distinct
ENCODINGS = ("utf-8", "latin-1", "utf-16-le")


def _davmail(tag: str) -> str:
    return (
        "davmail.server=true\n"
        "davmail.allowRemote=true # LAN\n"  # DAV001/DAV012
        "davmail.ssl.keystoreFile=/etc/davmail/keystore.p12\n"
        "davmail.ssl.keystoreType=PKCS12\n"
        f"davmail.ssl.keystorePass={C}-ks1-{tag}\n"
        f"davmail.ssl.keyPass={C}-kp-{tag}\n"
        f"davmail.ssl.keystorePass={C}-ks2-{tag}\n"  # DAV013 duplicate, on a secret line
        f"davmail.ssl.clientKeystorePass={C}-cks-{tag}\n"
        f"davmail.oauth.user@example.com.refreshToken={C}-rt-{tag}\n"
        f"davmail.proxyPassword={C}-proxy-{tag}\\\n"  # DAV020: a continuation cut by the end of file
    )


def _asa(me: str, peer: str, psk: str, tag: str) -> str:
    return (
        "ASA Version 9.8(4)\n"
        f"hostname fw-{tag}\n"
        f"enable password {C}-en-{tag}\n"
        f"username admin password {C}-user-{tag} privilege 15\n"
        f"snmp-server community {C}-snmp-{tag}\n"
        f"snmp-server host inside 10.9.9.9 community {C}-snmph-{tag} version 2c\n"
        "interface GigabitEthernet0/0\n nameif outside\n security-level 0\n"
        f" ip address {me} 255.255.255.0\n"
        f"access-list VPN extended permit ip 10.{1 if tag == 'a' else 2}.0.0 255.255.0.0"
        f" 10.{2 if tag == 'a' else 1}.0.0 255.255.0.0\n"
        "crypto ipsec ikev1 transform-set TS esp-aes-256 esp-sha-hmac\n"
        "crypto map M 10 match address VPN\n"
        f"crypto map M 10 set peer {peer}\n"
        "crypto map M 10 set ikev1 transform-set TS\n"
        "crypto map M interface outside\n"
        "crypto ikev1 enable outside\n"
        f"crypto isakmp key {C}-isakmp-{tag} address 192.0.2.{9 if tag == 'a' else 10}\n"
        f"tunnel-group {peer} type ipsec-l2l\n"
        f"tunnel-group {peer} ipsec-attributes\n"
        f" ikev1 pre-shared-key {psk}\n"  # differs between the peers: ASA005
        f" ikev2 remote-authentication pre-shared-key {C}-ik2r-{tag}\n"
        f" ikev2 local-authentication pre-shared-key {C}-ik2l-{tag}\n"
        "tunnel-group 192.0.2.77 general-attributes\n"
        f" pre-shared-key {C}-gen-{tag}\n"
    )


@pytest.fixture
def site(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    a, b = "198.51.100.1", "203.0.113.1"
    for tag, me, peer in (("a", a, b), ("b", b, a)):
        d = tmp_path / tag
        d.mkdir()
        (d / "davmail.properties").write_text(_davmail(tag))
        (d / f"fw-{tag}.cfg").write_text(_asa(me, peer, f"{C}-psk-{tag}", tag))
    return tmp_path


def _clean(what: str, data: str | bytes) -> None:
    raw = data.encode("utf-8", "surrogateescape") if isinstance(data, str) else data
    for enc in ENCODINGS:
        assert C.encode(enc) not in raw, f"canary in {what}"
    assert C.lower() not in raw.decode("latin-1").lower(), f"canary in {what}"


def _run(capsys, *args: str) -> tuple[int, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    _clean(f"stdout of {args}", out)
    _clean(f"stderr of {args}", err)
    assert code in (0, 1), (args, err)
    return code, out


def _tree_files(root: Path) -> list[Path]:
    return [Path(d) / f for d, _, fs in os.walk(root) for f in fs]


def test_the_fixtures_produce_findings_on_the_secret_lines(site, capsys):
    import json

    _, out = _run(capsys, "check", ".", "--format", "json", "--no-cache")
    found = {(d["path"], d["code"]) for d in json.loads(out)["diagnostics"]}
    for tag in "ab":
        assert (f"{tag}/davmail.properties", "DAV013") in found
        assert (f"{tag}/davmail.properties", "DAV020") in found
    assert any(code == "ASA005" for _, code in found), found


def test_no_canary_in_any_output(site, capsys):
    outdir = site.parent / (site.name + "-reports")  # outside the linted tree
    outdir.mkdir()
    for fmt in FORMATS:
        code, _ = _run(capsys, "check", ".", "--no-cache", "--format", fmt, "--color", "always")
        assert code == 1
    outputs = [f"--output={fmt}={outdir / ('report.' + fmt)}" for fmt in FORMATS]
    _run(capsys, "check", ".", "--no-cache", *outputs)
    _run(capsys, "check", ".", "--no-cache", "--diff")
    _run(capsys, "baseline", "create")
    _run(capsys, "suppressions", "--format", "json")
    _run(capsys, "suppressions")
    cache = outdir / "cache"
    for _ in ("cold", "warm"):
        for fmt in ("json", "text"):
            _run(capsys, "check", ".", "--cache-dir", str(cache), "--format", fmt, "-v")
    assert len(_tree_files(cache)) > 2
    written = _tree_files(outdir) + [site / ".cfglint-baseline.json"]
    assert len([p for p in written if p.name.startswith("report.")]) == len(FORMATS)
    for p in written:
        _clean(str(p), p.read_bytes())
    # the default cache directory, written by the runs without --no-cache
    for p in _tree_files(site):
        if p.parent.name not in ("a", "b"):
            _clean(str(p), p.read_bytes())


def test_github_format_escapes_paths(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    evil = tmp_path / "x::y\n::warning file=pwned::injected\r,z"
    evil.mkdir()
    (evil / "davmail.properties").write_text("davmail.server=true\ndavmail.allowRemote=true # LAN\n")
    code = main(["check", ".", "--no-cache", "--format", "github"])
    out = capsys.readouterr().out
    assert code == 1
    commands = [line for line in out.splitlines() if line.startswith("::")]
    assert commands, out
    assert not any(line.startswith("::warning file=pwned") for line in out.splitlines()), out
    assert "\r" not in out
    for line in commands:
        assert "injected" not in line or "%0A" in line, line
