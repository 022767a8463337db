"""`AsaConfig.redacted` (the fast path touching the secrets only) gives the same copy as the generic
walk of `SourceModel.redacted` (cfglint.cache.redact_object): same model, same tokens, same secrets(),
on every corpus file, every fixture and configs built to defeat the fast path (a secret that is also
an ACL name, a keyword, a code constant, a one-letter key), where the parser must fall back."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import cfglint.parsers.asa as asa_parser
from cfglint.cache import Redactor, SpanPos, redact_object, secret_forms
from cfglint.models.asa import AsaConfig
from cfglint.models.base import fields_dict
from cfglint.runner import decode_lines

from .conftest import CORPUS, FIXTURES, REPO, corpus_files

RULE_FIXTURES = REPO / "tests" / "fixtures" / "rules"
KEY = b"k" * 32


def _asa_files() -> list[Path]:
    files = list(corpus_files()) + sorted(FIXTURES.glob("*.cfg"))
    for d in sorted(RULE_FIXTURES.glob("ASA*")):
        files += sorted(p for p in d.rglob("*") if p.is_file() and p.suffix in (".cfg", ".txt", ""))
    return files


def _redactor(model: AsaConfig, data: bytes) -> Redactor:
    spans = [SpanPos.of(s) for s in model.secret_spans()]
    return Redactor(KEY, secret_forms(model.secrets(), spans, decode_lines(data, "asa")))


def _both(data: bytes, path: str) -> tuple[AsaConfig, AsaConfig, AsaConfig, Redactor]:
    model = asa_parser.parse_asa(data, path)
    red = _redactor(model, data)
    fast = model.redacted(red.model_text)
    generic = redact_object(model, red.model_text, keep={model.path})
    return model, fast, generic, red


def _same(fast: AsaConfig, generic: AsaConfig) -> None:
    assert type(fast) is type(generic)
    assert fast == generic
    assert fields_dict(fast) == fields_dict(generic)
    assert fast.secrets() == generic.secrets()
    assert [s.span for s in fast.all_secrets] == [s.span for s in generic.all_secrets]
    private = AsaConfig.__private_attributes__
    assert private and {n: getattr(fast, n) for n in private} == {n: getattr(generic, n) for n in private}


@pytest.mark.parametrize("path", _asa_files(), ids=lambda p: str(p.relative_to(p.parents[1])))
def test_fast_redaction_equals_generic(path: Path) -> None:
    data = path.read_bytes()
    model, fast, generic, red = _both(data, path.name)
    _same(fast, generic)
    if red:
        for value in model.secrets():
            assert value not in fast.secrets()
        assert set(fast.secrets()) <= set(red.tokens.values())


def test_corpus_has_isolated_secrets() -> None:
    """The fast path is taken on real configs (not always the fallback)."""
    if not CORPUS.is_dir():
        pytest.skip("no corpus")
    models = [asa_parser.parse_asa(p.read_bytes(), p.name) for p in corpus_files()]
    with_secrets = [m for m in models if m.secrets()]
    assert with_secrets
    assert any(m._secrets_isolated for m in with_secrets)


BASE = """\
ASA Version 9.8(4)
hostname fw1
enable password {enable} encrypted
username admin password {user} privilege 15
snmp-server host inside 10.0.0.9 community {community} version 2c
interface GigabitEthernet0/0
 nameif outside
 security-level 0
 ip address 198.51.100.1 255.255.255.0
access-list {acl} extended permit ip 10.1.0.0 255.255.0.0 10.2.0.0 255.255.0.0
crypto ipsec ikev1 transform-set TS esp-aes-256 esp-sha-hmac
crypto map M 10 match address {acl}
crypto map M 10 set peer 203.0.113.2
crypto map M 10 set ikev1 transform-set TS
crypto map M interface outside
crypto ikev1 enable outside
tunnel-group 203.0.113.2 type ipsec-l2l
tunnel-group 203.0.113.2 ipsec-attributes
 ikev1 pre-shared-key {psk}
"""

ISOLATED = dict(enable="Xq9zEnab1e", user="Us3rPw0rdQz", community="C0mmQzSnmp", acl="VPN-ACL", psk="PskQz77rt")


def _config(**kw: str) -> bytes:
    return BASE.format(**{**ISOLATED, **kw}).encode()


def test_isolated_config_takes_the_fast_path() -> None:
    model, fast, generic, red = _both(_config(), "fw1.cfg")
    assert model._secrets_isolated
    assert set(model.secrets()) == {"Xq9zEnab1e", "Us3rPw0rdQz", "C0mmQzSnmp", "PskQz77rt"}
    _same(fast, generic)
    assert not fast._secrets_isolated  # a copy goes the generic way


@pytest.mark.parametrize(
    "kw",
    [
        {"psk": "VPN-ACL"},  # the key is also the crypto ACL's name
        {"psk": "vpn-acl"},  # ... in another case
        {"psk": "clear"},  # part of a model constant ("cleartext")
        {"psk": "GigabitEthernet0/0"},  # part of the source elsewhere
        {"psk": "a"},  # one letter: whole strings equal to it
        {"user": "203.0.113.2"},  # an address of the file
        {"community": "esp-aes"},  # a piece of a joined transform
        {"psk": "fw1.cfg"},  # the path (never redacted by the generic walk)
    ],
)
def test_shared_secret_falls_back_and_still_equals(kw: dict[str, str]) -> None:
    model, fast, generic, _ = _both(_config(**kw), "fw1.cfg")
    assert not model._secrets_isolated
    _same(fast, generic)


def test_equal_keys_give_equal_tokens_across_files() -> None:
    a = asa_parser.parse_asa(_config(), "a.cfg")
    b = asa_parser.parse_asa(_config(enable="Other1Enab"), "b.cfg")
    ra, rb = _redactor(a, _config()), _redactor(b, _config(enable="Other1Enab"))
    fa, fb = a.redacted(ra.model_text), b.redacted(rb.model_text)
    ka = fa.tunnel_groups["203.0.113.2"].ipsec_attributes.ikev1_psk
    kb = fb.tunnel_groups["203.0.113.2"].ipsec_attributes.ikev1_psk
    assert ka.same_as(kb) is True
    assert ka.value.get_secret_value().startswith("secret:")
    assert fa.credentials[0].secret.value.get_secret_value() != fb.credentials[0].secret.value.get_secret_value()


def test_random_key_per_run_still_hides_values() -> None:
    data = _config()
    model = asa_parser.parse_asa(data, "fw1.cfg")
    spans = [SpanPos.of(s) for s in model.secret_spans()]
    red = Redactor(os.urandom(32), secret_forms(model.secrets(), spans, decode_lines(data, "asa")))
    fast = model.redacted(red.model_text)
    import pickle

    blob = pickle.dumps(fast)
    for value in model.secrets():
        assert value.encode() not in blob
