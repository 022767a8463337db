"""Pre-shared keys never leave cfglint: not in any output format, not in a remediation command, not as a
hash or a token, whether the keys match, differ or cannot be compared."""

from __future__ import annotations

import pytest

from cfglint.cli import main

LEFT, RIGHT = "Canary-Psk-Left-7781", "Canary-Psk-Right-7782"


def site(host: str, addr: str, peer: str, lan: str, peer_lan: str, key: str, *, ikev2: bool = False) -> str:
    if ikev2:
        crypto = (
            "crypto ipsec ikev2 ipsec-proposal P\n protocol esp encryption aes-256\n protocol esp integrity sha-256\n"
            "crypto map CM 10 set ikev2 ipsec-proposal P\ncrypto ikev2 enable outside\n"
            f"tunnel-group {peer} type ipsec-l2l\ntunnel-group {peer} ipsec-attributes\n"
            f" ikev2 remote-authentication pre-shared-key {key}\n ikev2 local-authentication pre-shared-key {key}\n"
        )
    else:
        crypto = (
            "crypto ipsec ikev1 transform-set TS esp-aes-256 esp-sha-hmac\n"
            "crypto map CM 10 set ikev1 transform-set TS\ncrypto ikev1 enable outside\n"
            f"tunnel-group {peer} type ipsec-l2l\ntunnel-group {peer} ipsec-attributes\n ikev1 pre-shared-key {key}\n"
        )
    return (
        f"ASA Version 9.8(4)\nhostname {host}\ninterface GigabitEthernet0/0\n nameif outside\n"
        f" ip address {addr} 255.255.255.0\n"
        f"access-list VPN extended permit ip {lan} {peer_lan}\n"
        f"crypto map CM 10 match address VPN\ncrypto map CM 10 set peer {peer}\n"
        "crypto map CM interface outside\n" + crypto
    )


@pytest.fixture(params=["ikev1", "ikev2"])
def tree(tmp_path, request):
    v2 = request.param == "ikev2"
    # keys differ, and the ACLs are not mirrored (ASA001 prints commands for the peer)
    (tmp_path / "a.cfg").write_text(
        site("site-a", "192.0.2.10", "192.0.2.20", "10.1.0.0 255.255.255.0", "10.2.0.0 255.255.255.0", LEFT, ikev2=v2)
    )
    (tmp_path / "b.cfg").write_text(
        site("site-b", "192.0.2.20", "192.0.2.10", "10.2.0.0 255.255.0.0", "10.1.0.0 255.255.255.0", RIGHT, ikev2=v2)
    )
    return tmp_path


@pytest.mark.parametrize("fmt", ["text", "concise", "json", "json-lines", "sarif", "github", "junit", "gitlab"])
def test_keys_never_printed(tree, fmt, capsys):
    rc = main(
        ["check", str(tree), "--format", fmt, "--no-cache", "--select", "ASA", "--sarif-include-suppressed"]
        if fmt == "sarif"
        else ["check", str(tree), "--format", fmt, "--no-cache", "--select", "ASA"]
    )
    out = capsys.readouterr()
    assert rc == 1
    text = out.out + out.err
    assert "ASA005" in text and "ASA001" in text
    for canary in (LEFT, RIGHT, "Canary-Psk"):
        assert canary not in text
    assert "secret:" not in text  # no fingerprint token either
    assert str(len(LEFT)) + " char" not in text


def test_masked_and_unverifiable_keys_are_info_and_never_printed(tmp_path, capsys):
    (tmp_path / "a.cfg").write_text(
        site("site-a", "192.0.2.10", "192.0.2.20", "10.1.0.0 255.255.255.0", "10.2.0.0 255.255.255.0", "*****")
    )
    (tmp_path / "b.cfg").write_text(
        site("site-b", "192.0.2.20", "192.0.2.10", "10.2.0.0 255.255.255.0", "10.1.0.0 255.255.255.0", LEFT)
    )
    main(["check", str(tmp_path), "--format", "concise", "--no-cache", "--select", "ASA005"])
    out = capsys.readouterr().out
    assert "ASA005 [info] cannot verify" in out and "masked" in out
    assert LEFT not in out


def test_equal_keys_give_nothing(tmp_path, capsys):
    for name, (me, peer, lan, plan) in {
        "a.cfg": ("192.0.2.10", "192.0.2.20", "10.1.0.0 255.255.255.0", "10.2.0.0 255.255.255.0"),
        "b.cfg": ("192.0.2.20", "192.0.2.10", "10.2.0.0 255.255.255.0", "10.1.0.0 255.255.255.0"),
    }.items():
        (tmp_path / name).write_text(site(name[0], me, peer, lan, plan, LEFT))
    rc = main(["check", str(tmp_path), "--format", "concise", "--no-cache", "--select", "ASA"])
    out = capsys.readouterr().out
    assert rc == 0 and LEFT not in out
