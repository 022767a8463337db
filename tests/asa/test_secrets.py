"""Keys and passwords: recognised, classified, handed to the engine for masking, never in a repr."""

from __future__ import annotations

import json

import pytest

from cfglint.cli import main
from cfglint.models.base import dump

from .conftest import FIXTURES, fixture_model, parse

CANARIES = {
    "Canary-PSK-Spoke1-99",
    "EncryptedBlob0123456789==",
    "Canary-Tacacs-Key-77",
    "Canary-User-Pass-55",
    "Canary-Snmp-Comm",
}


def test_canaries_are_secrets_with_exact_spans():
    m = fixture_model("hub-98.cfg")
    assert CANARIES <= set(m.secrets())
    lines = (FIXTURES / "hub-98.cfg").read_text().split("\n")
    covered = {lines[sp.line - 1][sp.column - 1 : sp.end_column - 1] for sp in m.secret_spans()}
    assert CANARIES <= covered
    # masked keys are recognised but are no secret to mask
    assert "*****" not in m.secrets()


def test_no_canary_in_reprs_or_dumps():
    m = fixture_model("hub-98.cfg")
    texts = [repr(m), str(m), json.dumps(dump(m), default=str), repr(m.tunnel_groups), repr(m.credentials), repr(m.raw)]
    texts += [str(s) for s in m.all_secrets]
    for t in texts:
        for c in CANARIES:
            assert c not in t
    # raw lines that held a secret keep their text with the value masked
    raw = [r.text for r in m.raw]
    assert "username ops password ***** privilege 15" in raw
    assert "snmp-server host inside 10.0.10.6 community ***** version 2c" in raw


def test_secret_kinds():
    m = parse(
        "ASA Version 9.8(1)\n"
        "enable password 8Ry2YjIyt7RRXU24 encrypted\n"
        "passwd cleartextpass\n"
        "username a password s3cret-a\n"
        "username b password ABC123xyz pbkdf2 privilege 15\n"
        "username c nopassword\n"
        "snmp-server community 8 EncComm==\n"
        "ntp authentication-key 1 md5 ntpkey1\n"
        "failover key fovkey1\n"
        "crypto isakmp key isakmpkey1 address 192.0.2.1 netmask 255.255.255.255\n"
        "tunnel-group 192.0.2.1 ipsec-attributes\n"
        " pre-shared-key *\n"
        " ikev1 pre-shared-key 0 zerokey1\n"
        " ikev2 local-authentication pre-shared-key hex 0a0b0c\n"
        " ikev2 remote-authentication pre-shared-key\n"
        "aaa-server R protocol radius\n"
        "aaa-server R (inside) host 10.0.0.9\n"
        " key *****\n"
    )
    assert m.problems == []
    kinds = {c.kind: (c.user, c.secret.kind) for c in m.credentials}
    assert kinds["enable-password"] == (None, "encrypted")
    assert kinds["passwd"] == (None, "cleartext")
    assert [(c.user, c.secret.kind) for c in m.credentials if c.kind == "username"] == [
        ("a", "cleartext"),
        ("b", "encrypted"),
    ]
    assert kinds["snmp-community"] == (None, "encrypted")
    assert kinds["ntp-key"] == ("1", "cleartext") and kinds["failover-key"] == (None, "cleartext")
    assert kinds["aaa-key"] == (None, "masked")
    (k,) = m.isakmp_keys
    assert k.key.kind == "cleartext" and k.address == "192.0.2.1"
    ipsec = m.tunnel_group("192.0.2.1").ipsec_attributes
    assert ipsec.pre_shared_key.kind == "masked"
    assert ipsec.ikev1_pre_shared_key.kind == "cleartext"
    assert ipsec.ikev1_pre_shared_key.value.get_secret_value() == "zerokey1"
    assert ipsec.ikev2_local_pre_shared_key.value.get_secret_value() == "0a0b0c"
    assert ipsec.ikev2_remote_pre_shared_key.kind == "absent"
    assert set(m.secrets()) == {
        "8Ry2YjIyt7RRXU24",
        "cleartextpass",
        "s3cret-a",
        "ABC123xyz",
        "EncComm==",
        "ntpkey1",
        "fovkey1",
        "isakmpkey1",
        "zerokey1",
        "0a0b0c",
    }
    assert len(m.secret_spans()) == len(m.secrets())


def test_engine_masks_secrets_in_every_output(tmp_path, capsys):
    (tmp_path / "fw.cfg").write_text(
        "ASA Version 9.8(1)\n"
        "hostname fw\n"
        "username ops password Canary-Engine-Pass privilege 15\n"
        "crypto map M 10 match address\n"  # malformed: a CFG004 finding on the file
        "tunnel-group 192.0.2.1 ipsec-attributes\n"
        " ikev1 pre-shared-key Canary-Engine-PSK\n"
    )
    main(["check", str(tmp_path), "--format", "json", "--no-cache"])
    out = capsys.readouterr().out
    doc = json.loads(out)
    assert [d["code"] for d in doc["diagnostics"]] == ["CFG004"]
    assert "Canary-Engine" not in out


@pytest.mark.parametrize("value", ["a b c", "with\ttab"])
def test_psk_with_blanks_is_taken_whole(value):
    m = parse(f"tunnel-group T ipsec-attributes\n ikev1 pre-shared-key {value}\n")
    assert m.secrets() == [value]
