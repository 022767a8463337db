"""The map phase in worker processes (--jobs), the content cache (.cfglint_cache, --no-cache,
--cache-dir, `cfglint clean`), secrets kept out of the cache, and the lean start. No timing here:
bench/run.py measures."""

from __future__ import annotations

import io
import json
import os
import pickle
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import pytest

import cfglint.api as api
import cfglint.runner as runner
from cfglint import cache as C
from cfglint.api import Diagnostic, ProjectIndex, ProjectRule, Related, Severity
from cfglint.cli import main
from cfglint.models.base import SecretStr
from cfglint.registry import load_rules

REPO = Path(__file__).resolve().parents[1]
CANARY = "Canary-7f3a9e"


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def cache_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


def entries(root: Path) -> list[Path]:
    return [p for p in cache_files(root / f"v{C.FORMAT}") if not p.name.startswith(".")]


def file_entries(root: Path) -> list[Path]:
    """The entries of files (not those of the cross-file findings)."""
    return [p for p in entries(root) if isinstance(C.loads(p.read_bytes()), C.Entry)]


@pytest.fixture(autouse=True)
def _env(monkeypatch):
    for var in ("CFGLINT_JOBS", "CFGLINT_NO_CACHE", "CFGLINT_CACHE_DIR", "CFGLINT_MP_START"):
        monkeypatch.delenv(var, raising=False)


@pytest.fixture
def tree(tmp_path, monkeypatch, corpus_dir) -> Path:
    """The DavMail corpus and the examples, in a fresh directory that is the current one."""
    monkeypatch.chdir(tmp_path)
    t = tmp_path / "t"
    shutil.copytree(corpus_dir("davmail"), t / "davmail")
    shutil.copytree(REPO / "examples", t / "examples")
    return t


@pytest.fixture
def pool_always(monkeypatch):
    """Use the worker pool whatever the size of the run (the thresholds are for speed only)."""
    monkeypatch.setattr(runner, "POOL_MIN_FILES", 2)
    monkeypatch.setattr(runner, "POOL_MIN_BYTES", {"fork": 0, "forkserver": 0, "spawn": 0})


@pytest.fixture
def parses(monkeypatch) -> list[str]:
    """The files parsed in this process (run with -j1)."""
    seen: list[str] = []
    real = runner.parse_file

    def counting(abs_path, shown, *a, **kw):
        seen.append(shown)
        return real(abs_path, shown, *a, **kw)

    monkeypatch.setattr(runner, "parse_file", counting)
    return seen


def n_files(capsys, kind: str | None = None) -> int:
    _, out, _ = run(capsys, "files", "t", "--format", "json")
    return sum(1 for f in json.loads(out) if kind is None or f["kind"] == kind)


# --------------------------------------------------------------------------------------------------
# --jobs


@pytest.mark.parametrize("fmt", ["json", "text", "sarif"])
def test_jobs_1_and_2_print_the_same_bytes(tree, capsys, pool_always, fmt):
    one = run(capsys, "check", "t", "--no-cache", "-j1", "--format", fmt)
    two = run(capsys, "check", "t", "--no-cache", "-j2", "--format", fmt, "-v")
    assert "worker process" in two[2]  # 1 with files whose models stay here (Hadoop: cross-file rules), else 2
    assert one[0] == two[0] != 0
    assert one[1] == two[1]


def test_asa_index_views_come_back_from_the_workers(tree, capsys, pool_always, parses, monkeypatch):
    """ASA files are parsed in the workers (their index views are small to send back), and the
    cross-file findings over them are the same as with -j1."""
    one = run(capsys, "check", "t", "--no-cache", "-j1", "--format", "json")
    asa = {p for p in parses if p.endswith(".cfg")}
    assert len(asa) >= 4
    parses.clear()
    monkeypatch.setattr(runner, "STEAL_WORK", False)  # else this process takes a share of them
    two = run(capsys, "check", "t", "--no-cache", "-j2", "--format", "json", "-v")
    assert "worker process" in two[2]
    assert not asa & set(parses)  # none parsed in this process
    assert one[1] == two[1] and '"ASA001"' in two[1]


def test_this_process_takes_its_share(tree, capsys, pool_always, parses, monkeypatch):
    """With -j2 this process and one worker parse: the chunks no worker has started are taken
    here (which ones depends on timing); the output is the -j1 output whatever the split."""
    one = run(capsys, "check", "t", "--no-cache", "-j1", "--format", "json")
    n = len(parses)
    parses.clear()
    two = run(capsys, "check", "t", "--no-cache", "-j2", "--format", "json", "-v")
    assert "in 1 worker process and this one" in two[2]
    assert len(parses) < n  # the worker took some
    assert one[1] == two[1]


def test_jobs_with_a_forkserver_pool(tree, capsys, pool_always, monkeypatch):
    one = run(capsys, "check", "t", "--no-cache", "-j1", "--format", "json")
    monkeypatch.setenv("CFGLINT_MP_START", "forkserver")
    two = run(capsys, "check", "t", "-j2", "--format", "json", "-v")  # the workers write the cache
    assert "worker process" in two[2] and f"{n_files(capsys)} stored" in two[2]
    assert one[1] == two[1]
    three = run(capsys, "check", "t", "-j1", "--format", "json", "-v")
    assert "0 parsed" in three[2] and three[1] == one[1]


def test_small_runs_stay_in_process(tree, capsys):
    _, _, err = run(capsys, "check", "t", "--no-cache", "-j2", "-v")
    assert "in this process" in err


def test_jobs_validation(capsys):
    assert main(["check", "--jobs", "0"]) == 2
    assert "--jobs must be 1 or more" in capsys.readouterr().err


# --------------------------------------------------------------------------------------------------
# The cache: warm = cold, what is parsed again, what invalidates


@pytest.mark.parametrize("fmt", ["json", "text", "sarif", "github"])
def test_warm_run_prints_what_a_cold_run_prints(tree, capsys, fmt):
    base = run(capsys, "check", "t", "--no-cache", "--format", fmt)
    cold = run(capsys, "check", "t", "--format", fmt, "-v")
    warm = run(capsys, "check", "t", "--format", fmt, "-v")
    assert f"{n_files(capsys)} from the cache" in warm[2] and " 0 parsed" in warm[2]
    assert base[:2] == cold[:2] == warm[:2]


def test_only_changed_files_are_parsed_again(tree, capsys, parses):
    n = n_files(capsys)
    run(capsys, "check", "t", "-j1")
    assert len(parses) == n
    parses.clear()
    run(capsys, "check", "t", "-j1")
    assert parses == []
    target = tree / "examples" / "davmail-thunderbird" / "broken" / "davmail.properties"
    os.utime(tree / "davmail" / sorted(os.listdir(tree / "davmail"))[1], (1, 1))  # mtime only: same content
    target.write_text(target.read_text() + "davmail.imapPrt=1\n")
    code, out, _ = run(capsys, "check", "t", "-j1", "--format", "json")
    assert parses == ["t/examples/davmail-thunderbird/broken/davmail.properties"]
    assert any(d["code"] == "DAV011" and d["line"] == target.read_text().count("\n") for d in json.loads(out)["diagnostics"])
    assert run(capsys, "check", "t", "--no-cache", "--format", "json")[1] == out


def test_configuration_that_changes_the_map_step_invalidates(tree, capsys, parses):
    n = n_files(capsys, "davmail")
    run(capsys, "check", "t", "-j1")
    parses.clear()
    # another rule selection: another key for every DavMail file (the other kinds do not run DAV011)
    _, out, _ = run(capsys, "check", "t", "-j1", "--ignore", "DAV011", "--format", "json")
    assert len(parses) == n and all(d["code"] != "DAV011" for d in json.loads(out)["diagnostics"])
    parses.clear()
    run(capsys, "check", "t", "-j1", "--ignore", "DAV011")
    assert parses == []
    # a rule's options
    run(capsys, "check", "t", "-j1", "--config", "rules.DAV006 = { some-option = 1 }")
    assert len(parses) == n
    parses.clear()
    # severity overrides and fail-on are applied after the cache: no parse, and they take effect
    code, out, _ = run(capsys, "check", "t", "-j1", "--config", 'severity.DAV011 = "info"', "--format", "json")
    assert parses == []
    sev = {d["severity"] for d in json.loads(out)["diagnostics"] if d["code"] == "DAV011"}
    assert sev == {"info"}
    # so are inline suppressions switched off
    extra = tree / "site" / "davmail.properties"
    extra.parent.mkdir()
    extra.write_text("# cfglint: ignore[DAV011] -- read by our wrapper\ndavmail.siteKey=1\n")
    _, quiet, _ = run(capsys, "check", "t", "-j1", "--format", "json")
    parses.clear()
    _, audit, _ = run(capsys, "check", "t", "-j1", "--no-inline-suppressions", "--format", "json")
    assert parses == [] and json.loads(quiet)["summary"]["suppressed"] == 1
    assert [d["code"] for d in json.loads(audit)["diagnostics"] if d["path"] == "t/site/davmail.properties"] == ["DAV011"]


def test_a_new_cfglint_version_misses(tree, capsys, parses, monkeypatch):
    run(capsys, "check", "t", "-j1")
    parses.clear()
    monkeypatch.setattr(C, "_SALT", b"another cfglint")
    run(capsys, "check", "t", "-j1")
    assert len(parses) == n_files(capsys)


# --------------------------------------------------------------------------------------------------
# Robustness


def _truncate(p: Path) -> None:
    p.write_bytes(p.read_bytes()[: len(p.read_bytes()) // 2])


def _garbage(p: Path) -> None:
    p.write_bytes(os.urandom(200))


def _empty(p: Path) -> None:
    p.write_bytes(b"")


def _flip(p: Path) -> None:
    b = bytearray(p.read_bytes())
    b[-1] ^= 0xFF
    p.write_bytes(bytes(b))


def _directory(p: Path) -> None:
    p.unlink()
    p.mkdir()


def _foreign_pickle(p: Path) -> None:
    payload = pickle.dumps({"not": "an entry"})
    p.write_bytes(C.MAGIC + __import__("hashlib").sha256(payload).digest() + payload)


@pytest.mark.parametrize("damage", [_truncate, _garbage, _empty, _flip, _directory, _foreign_pickle])
def test_a_damaged_entry_is_a_miss(tree, capsys, parses, damage):
    cold = run(capsys, "check", "t", "-j1", "--format", "json")
    n = n_files(capsys)
    assert len(file_entries(Path(".cfglint_cache"))) == n
    for p in entries(Path(".cfglint_cache")):
        damage(p)
    parses.clear()
    again = run(capsys, "check", "t", "-j1", "--format", "json")
    assert again[:2] == cold[:2]
    assert len(parses) == n
    parses.clear()
    assert run(capsys, "check", "t", "-j1", "--format", "json")[:2] == cold[:2]
    # rewritten, except where a directory stands in the way (a miss every time, never a crash)
    assert len(parses) == (n if damage is _directory else 0)


def test_a_damaged_key_file_is_replaced(tree, capsys, parses):
    cold = run(capsys, "check", "t", "-j1", "--format", "json")
    (Path(".cfglint_cache") / "key").write_bytes(b"short")
    parses.clear()
    assert run(capsys, "check", "t", "-j1", "--format", "json")[:2] == cold[:2]
    assert len(parses) == n_files(capsys)  # entries of the old key are not read
    assert len((Path(".cfglint_cache") / "key").read_bytes()) == C.KEY_BYTES


@pytest.mark.parametrize("where", ["a-file", "a-file/below"])
def test_a_cache_dir_that_cannot_be_used_disables_the_cache(tree, capsys, where):
    Path("a-file").write_text("not a directory\n")
    base = run(capsys, "check", "t", "--no-cache", "--format", "json")
    code, out, err = run(capsys, "check", "t", "--cache-dir", where, "--format", "json")
    assert (code, out) == base[:2]
    assert "cfglint: warning: cache disabled" in err
    assert Path("a-file").read_text() == "not a directory\n"


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root can write anything")
def test_an_unwritable_cache_dir_disables_the_cache(tree, capsys):
    d = Path("ro")
    d.mkdir()
    d.chmod(0o555)
    try:
        base = run(capsys, "check", "t", "--no-cache", "--format", "json")
        code, out, err = run(capsys, "check", "t", "--cache-dir", "ro/cache", "--format", "json")
        assert (code, out) == base[:2] and "cache disabled" in err
    finally:
        d.chmod(0o755)


def test_entries_that_cannot_be_written_are_skipped(tree, capsys, monkeypatch):
    monkeypatch.setattr(C, "_write_atomic", lambda *a: (_ for _ in ()).throw(OSError(28, "No space left on device")))
    base = run(capsys, "check", "t", "--no-cache", "--format", "json")
    got = run(capsys, "check", "t", "--format", "json")
    assert got[:2] == base[:2]


def test_two_runs_at_once_share_the_cache(tree):
    env = {k: v for k, v in os.environ.items() if not k.startswith("CFGLINT_")}
    cmd = [sys.executable, "-m", "cfglint", "check", "t", "--format", "json", "-j1"]
    base = subprocess.run([*cmd, "--no-cache"], capture_output=True, text=True, env=env)
    assert base.returncode != 0 and base.stdout
    for _ in range(2):  # first both cold (racing for the key and every entry), then both warm
        procs = [subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env) for _ in range(2)]
        outs = [p.communicate() for p in procs]
        for p, (out, err) in zip(procs, outs):
            assert p.returncode == base.returncode, err
            assert out == base.stdout
            assert "warning" not in err
    assert len(file_entries(Path(".cfglint_cache"))) == len(json.loads(subprocess.run(
        [sys.executable, "-m", "cfglint", "files", "t", "--format", "json"], capture_output=True, text=True, env=env
    ).stdout))


# --------------------------------------------------------------------------------------------------
# Secrets


@pytest.fixture
def shared_keystore_rule() -> Iterator[type[ProjectRule]]:
    """A cross-file rule comparing secrets between files, so that models are cached."""
    from cfglint.models.davmail import DavmailProperties

    class SharedKeystorePassword(ProjectRule):
        """Two DavMail gateways use the same keystore password.

        ## What it does
        A throwaway cross-file rule for the tests.
        """

        code = "TST902"
        name = "test-shared-keystore-password"
        severity = Severity.WARNING
        kinds = ("davmail",)
        model_types = (DavmailProperties,)

        def check(self, index: ProjectIndex, ctx) -> Iterator[Diagnostic]:
            models = index.of_type(DavmailProperties)
            for a in models:
                for b in models:
                    pa, pb = a.setting("davmail.ssl.keystorePass"), b.setting("davmail.ssl.keystorePass")
                    if a.path < b.path and pa.entry and pb.entry and pa.entry.value == pb.entry.value:
                        yield self.diagnostic(
                            pb.entry.span, f"keystore password {pb.entry.value} is also {a.path}'s",
                            related=[Related(pa.entry.span, f"the other gateway: {pa.entry.value}")],
                            anchor="davmail.ssl.keystorePass",
                        )

    load_rules.cache_clear()
    try:
        yield SharedKeystorePassword
    finally:
        api._REGISTRY.pop("TST902", None)
        load_rules.cache_clear()


def _secret_site(d: Path, keystore: str, proxy: str) -> None:
    d.mkdir(parents=True)
    (d / "davmail.properties").write_text(
        "# cfglint: ignore[DAV013] -- the second line wins; " + keystore + " is rotated monthly\n"
        "davmail.server=true\n"
        "davmail.allowRemote=true\n"
        "davmail.imapPort=1143\n"
        "davmail.ssl.keystoreFile=/etc/davmail/keystore.p12\n"
        "davmail.ssl.keystoreType=PKCS12\n"
        f"davmail.ssl.keystorePass={keystore}\n"
        f"davmail.ssl.keyPass={keystore}\n"
        f"davmail.proxyPassword={proxy}\n"
        f"davmail.ssl.keystorePass={keystore}\n"
        f"davmail.imapPrt={keystore}\n"  # a secret value under a key that is not secret: DAV011 quotes it
    )


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_no_secret_reaches_the_cache(tmp_path, monkeypatch, capsys, shared_keystore_rule, pool_always, jobs):
    monkeypatch.chdir(tmp_path)
    _secret_site(tmp_path / "a", f"{CANARY}-ks", f"{CANARY}-proxy-a")
    _secret_site(tmp_path / "b", f"{CANARY}-ks", f"{CANARY}-proxy-b")
    shutil.copytree(REPO / "examples", tmp_path / "examples")
    base = run(capsys, "check", ".", "--no-cache", "--format", "json", "-j", jobs)
    cold = run(capsys, "check", ".", "--format", "json", "-j", jobs)
    warm = run(capsys, "check", ".", "--format", "json", "-j", jobs, "-v")
    assert "0 parsed" in warm[2]
    assert base[:2] == cold[:2] == warm[:2]
    doc = json.loads(warm[1])
    codes = {d["code"] for d in doc["diagnostics"]}
    assert "TST902" in codes and "DAV011" in codes, codes  # the secrets were compared, and quoted
    assert CANARY not in warm[1]
    cached = cache_files(tmp_path / ".cfglint_cache")
    n = len(json.loads(run(capsys, "files", ".", "--format", "json")[1]))
    assert len(file_entries(tmp_path / ".cfglint_cache")) == n
    for p in cached:
        data = p.read_bytes()
        for enc in ("utf-8", "latin-1", "utf-16-le"):
            assert CANARY.encode(enc) not in data, p
    # the cached models hold fingerprints, equal where the secrets were equal
    models = {}
    for p in entries(tmp_path / ".cfglint_cache"):
        e = C.loads(p.read_bytes())
        if isinstance(e, C.Entry) and e.model_blob is not None:
            m = C.load_model(e.model_blob)
            if not m.path.startswith("examples"):
                models[m.path] = m
    assert set(models) == {"a/davmail.properties", "b/davmail.properties"}
    sa, sb = (sorted(m.secrets()) for m in (models["a/davmail.properties"], models["b/davmail.properties"]))
    assert all(s.startswith("secret:") for s in sa + sb)
    assert set(sa) & set(sb) and set(sa) != set(sb)  # the shared keystore password; distinct proxy ones
    assert (tmp_path / ".cfglint_cache" / "key").stat().st_mode & 0o777 == 0o600


def _asa_site(path: Path, me: str, peer: str, psk: str, tag: str) -> None:
    """An ASA with a L2L tunnel to `peer`: PSK, enable password, username password, SNMP community."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        "ASA Version 9.8(4)\n"
        f"hostname fw-{tag}\n"
        f"enable password {CANARY}-en-{tag}\n"
        f"username admin password {CANARY}-user-{tag} privilege 15\n"
        f"snmp-server host inside 10.9.9.9 community {CANARY}-snmp-{tag} version 2c\n"
        "interface GigabitEthernet0/0\n nameif outside\n security-level 0\n"
        f" ip address {me} 255.255.255.0\n"
        "interface GigabitEthernet0/1\n nameif inside\n security-level 100\n"
        f" ip address 10.{1 if tag == 'a' else 2}.0.1 255.255.0.0\n"
        f"access-list VPN extended permit ip 10.{1 if tag == 'a' else 2}.0.0 255.255.0.0"
        f" 10.{2 if tag == 'a' else 1}.0.0 255.255.0.0\n"
        "crypto ipsec ikev1 transform-set TS esp-aes-256 esp-sha-hmac\n"
        "crypto map M 10 match address VPN\n"
        f"crypto map M 10 set peer {peer}\n"
        "crypto map M 10 set ikev1 transform-set TS\n"
        "crypto map M interface outside\n"
        "crypto ikev1 enable outside\n"
        "crypto ikev1 policy 10\n authentication pre-share\n encryption aes-256\n hash sha\n group 14\n"
        f"tunnel-group {peer} type ipsec-l2l\n"
        f"tunnel-group {peer} ipsec-attributes\n"
        f" ikev1 pre-shared-key {psk}\n"
    )


@pytest.mark.parametrize("jobs", ["1", "2"])
@pytest.mark.parametrize("same_psk", [True, False])
def test_no_asa_secret_reaches_the_cache(tmp_path, monkeypatch, capsys, pool_always, jobs, same_psk):
    """The ASA canary: PSKs, enable and user passwords, SNMP community never reach the cache; the
    cross-file rules see tokens, equal where the keys are equal (ASA005 says the same on --no-cache,
    cold and warm runs)."""
    monkeypatch.chdir(tmp_path)
    a, b = "198.51.100.1", "203.0.113.1"
    _asa_site(tmp_path / "a" / "fw-a.cfg", a, b, f"{CANARY}-psk", "a")
    _asa_site(tmp_path / "b" / "fw-b.cfg", b, a, f"{CANARY}-psk" if same_psk else f"{CANARY}-psk-other", "b")
    base = run(capsys, "check", ".", "--no-cache", "--format", "json", "-j", jobs)
    cold = run(capsys, "check", ".", "--format", "json", "-j", jobs)
    warm = run(capsys, "check", ".", "--format", "json", "-j", jobs, "-v")
    assert "0 parsed" in warm[2]
    assert base[:2] == cold[:2] == warm[:2]
    codes = {d["code"] for d in json.loads(warm[1])["diagnostics"]}
    assert ("ASA005" in codes) is (not same_psk), codes
    assert CANARY not in warm[1]
    for p in cache_files(tmp_path / ".cfglint_cache"):
        data = p.read_bytes()
        for enc in ("utf-8", "latin-1", "utf-16-le"):
            assert CANARY.encode(enc) not in data, p
    models = {}
    for p in entries(tmp_path / ".cfglint_cache"):
        e = C.loads(p.read_bytes())
        if isinstance(e, C.Entry) and e.model_blob is not None:
            m = C.load_model(e.model_blob)
            models[m.path] = m
    assert set(models) == {"a/fw-a.cfg", "b/fw-b.cfg"}
    ka = models["a/fw-a.cfg"].tunnel_groups[b].ipsec_attributes.ikev1_psk
    kb = models["b/fw-b.cfg"].tunnel_groups[a].ipsec_attributes.ikev1_psk
    assert ka.value.get_secret_value().startswith("secret:")
    assert ka.same_as(kb) is same_psk


def test_text_output_and_snippets_survive_the_cache(tmp_path, monkeypatch, capsys, shared_keystore_rule):
    monkeypatch.chdir(tmp_path)
    _secret_site(tmp_path / "a", f"{CANARY}-ks", f"{CANARY}-p1")
    _secret_site(tmp_path / "b", f"{CANARY}-ks", f"{CANARY}-p2")
    base = run(capsys, "check", ".", "--no-cache", "--color", "never")
    cold = run(capsys, "check", ".", "--color", "never")
    warm = run(capsys, "check", ".", "--color", "never")
    assert base[:2] == cold[:2] == warm[:2]
    assert "****" in warm[1] and CANARY not in warm[1]


def test_a_secret_that_cannot_be_restored_is_not_cached(tmp_path, monkeypatch, capsys, parses):
    # the value is written with an escape: its offset in the text cannot give it back
    monkeypatch.chdir(tmp_path)
    (tmp_path / "davmail.properties").write_text(
        "davmail.server=true\ndavmail.ssl.keystorePass=Can\\u0061ry-escaped-1\ndavmail.popPrt=1\n"
    )
    a = run(capsys, "check", ".", "-j1", "--format", "json")
    b = run(capsys, "check", ".", "-j1", "--format", "json")
    assert a[:2] == b[:2] and parses == ["davmail.properties", "davmail.properties"]
    assert file_entries(tmp_path / ".cfglint_cache") == []


# --------------------------------------------------------------------------------------------------
# clean, --no-cache, lean start


def test_clean(tree, capsys):
    run(capsys, "check", "t")
    assert Path(".cfglint_cache/CACHEDIR.TAG").exists() and entries(Path(".cfglint_cache"))
    code, out, _ = run(capsys, "clean")
    assert code == 0 and "removed" in out and not Path(".cfglint_cache").exists()
    code, out, _ = run(capsys, "clean")
    assert code == 0 and "no cache" in out
    Path("mine").mkdir()
    (Path("mine") / "notes.txt").write_text("keep me\n")
    code, _, err = run(capsys, "clean", "--cache-dir", "mine")
    assert code == 2 and "does not look like a cfglint cache" in err and Path("mine/notes.txt").exists()
    run(capsys, "check", "t", "--cache-dir", "elsewhere")
    assert run(capsys, "clean", "--cache-dir", "elsewhere")[0] == 0 and not Path("elsewhere").exists()


def test_no_cache_writes_nothing(tree, capsys):
    run(capsys, "check", "t", "--no-cache")
    assert not Path(".cfglint_cache").exists()
    Path("empty").mkdir()
    run(capsys, "check", "empty")  # nothing to lint: no cache directory either
    assert not Path(".cfglint_cache").exists()


def test_the_cache_directory_is_ignored_by_git_and_by_discovery(tree, capsys):
    run(capsys, "check", ".")
    assert Path(".cfglint_cache/.gitignore").read_text().splitlines()[-1] == "*"
    _, out, _ = run(capsys, "files", ".", "--format", "json")
    assert not any(".cfglint_cache" in f["path"] for f in json.loads(out))


def test_the_rule_index_is_current():
    from cfglint.registry import render_index

    path = REPO / "linter" / "rule_index.py"
    assert path.read_text(encoding="utf-8") == render_index(), "regenerate it: python -m cfglint.registry"


_PROBE = (
    "import sys\n"
    "from cfglint.cli import main\n"
    "sys.stdout = open(__import__('os').devnull, 'w')\n"
    "main(sys.argv[1:])\n"
    "heavy = sorted(m for m in ('pydantic', 'lark', 'tree_sitter', 'importlib.metadata') if m in sys.modules)\n"
    "rules = sorted(m.split('.')[2] for m in sys.modules if m.startswith('cfglint.rules.') and m.count('.') >= 3)\n"
    "parsers = sorted(m for m in sys.modules if m.startswith(('cfglint.parsers.', 'cfglint.shell', 'cfglint.asa')))\n"
    "print(repr((heavy, sorted(set(rules)), parsers)), file=sys.stderr)\n"
)


def _probe(cwd: Path, *args: str) -> tuple:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CFGLINT_")}
    r = subprocess.run([sys.executable, "-c", _PROBE, *args], cwd=cwd, capture_output=True, text=True, env=env)
    return eval(r.stderr.strip().splitlines()[-1])  # noqa: S307 - our own repr


def test_lean_start(tmp_path):
    from cfglint.registry import _read_index

    assert _read_index() is not None, "the rule index is stale (every rule gets imported): python -m cfglint.registry"
    (tmp_path / "empty").mkdir()
    assert _probe(tmp_path, "check", "empty") == ([], [], [])
    (tmp_path / "dav").mkdir()
    (tmp_path / "dav" / "davmail.properties").write_text("davmail.server=true\ndavmail.popPrt=1\n")
    heavy, families, parsers = _probe(tmp_path, "check", "dav", "--no-cache")
    assert "davmail" in families and set(families) <= {"davmail", "engine"}, families  # no other kind's
    assert parsers == ["cfglint.parsers.properties"], parsers
    assert "lark" not in heavy and "tree_sitter" not in heavy


def test_a_warm_run_imports_no_rule_and_no_parser(tmp_path):
    """Nothing changed: the findings (per file and cross-file) come from the cache, and reporting
    them needs the rules' metadata only."""
    shutil.copytree(REPO / "examples", tmp_path / "ex")
    cold = _probe(tmp_path, "check", "ex")
    assert cold[1] and cold[2]  # the cold run imported rules and parsers
    heavy, families, parsers = _probe(tmp_path, "check", "ex")
    assert families == [] and parsers == [], (families, parsers)
    assert "tree_sitter" not in heavy and "lark" not in heavy


def test_version_imports_nothing_heavy(tmp_path):
    code = "import sys\nfrom cfglint.cli import main\ntry:\n    main(['--version'])\nexcept SystemExit:\n    pass\nprint('pydantic' in sys.modules)"
    r = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True)
    assert r.stdout.strip().endswith("False"), r.stdout


# --------------------------------------------------------------------------------------------------
# Units: redaction, the unpickler, pruning


class _Pos(NamedTuple):
    path: str
    line: int


@dataclass(frozen=True, slots=True)
class _Leaf:
    pos: _Pos
    text: str
    tags: tuple[str, ...] = ()


class _Inner(api.Node):
    label: str
    secret: SecretStr | None = None
    leaves: list = []


class _Model(api.SourceModel):
    items: list[_Inner] = []
    table: dict[str, str] = {}
    tags: set[str] = set()


def test_redact_object_reaches_every_string_and_round_trips():
    from cfglint.api import Span

    Inner, Model = _Inner, _Model
    span = Span(path="f.cfg", line=1)
    pos = _Pos("f.cfg", 3)
    m = Model(
        path="f.cfg",
        items=[Inner(span=span, label="pw=hunter22 and more", secret=SecretStr("hunter22"),
                     leaves=[_Leaf(pos, "x hunter22 y", ("hunter22",)), _Leaf(pos, "clean")])],
        table={"hunter22": "key hunter22", "plain": "value"},
        tags={"hunter22", "t"},
    )
    red = C.Redactor(b"k" * 32, ["hunter22"])
    tok = red.tokens["hunter22"]
    r = m.redacted(red.model_text)
    assert r.items[0].label == f"pw={tok} and more"
    assert r.items[0].secret.get_secret_value() == tok
    assert r.items[0].leaves[0].text == f"x {tok} y" and r.items[0].leaves[0].tags == (tok,)
    assert r.items[0].leaves[1] is m.items[0].leaves[1]  # unchanged parts are shared
    assert r.items[0].leaves[0].pos is pos and r.path == "f.cfg" and r.items[0].span.path == "f.cfg"
    assert r.table == {tok: f"key {tok}", "plain": "value"} and r.tags == {tok, "t"}
    assert b"hunter22" not in pickle.dumps(r)
    assert m.items[0].label == "pw=hunter22 and more"  # the original is untouched
    back = C.redact_object(C.redact_object(m, red.text), red.restore)
    assert back == m


def test_short_secrets_do_not_rewrite_models():
    from cfglint.api import Comment, Span

    red = C.Redactor(b"k" * 32, ["ab"])
    c = Comment(span=Span(path="p", line=1), text="about ab")
    assert C.redact_object(c, red.model_text).text == "about ab"  # a whole-string match only
    assert C.redact_object("ab", red.model_text) == red.tokens["ab"]
    assert red.restore(red.text("about ab")) == "about ab"


class _Evil:
    def __reduce__(self):
        return (os.system, ("echo pwned",))


def test_the_unpickler_builds_only_known_classes():
    payload = pickle.dumps(_Evil())
    blob = C.MAGIC + __import__("hashlib").sha256(payload).digest() + payload
    assert C.loads(blob) is None
    with pytest.raises(pickle.UnpicklingError):
        C._Unpickler(io.BytesIO(payload)).load()


def test_prune(tmp_path):
    entries_dir = tmp_path / "v1"
    shard = entries_dir / "ab"
    shard.mkdir(parents=True)
    now = time.time()
    for name, age_days, size in [("old", 40, 10), ("a", 3, 400), ("b", 2, 400), ("c", 1, 400)]:
        p = shard / name
        p.write_bytes(b"x" * size)
        os.utime(p, (now - age_days * 86400, now - age_days * 86400))
    (shard / ".tmp-leftover").write_bytes(b"x")
    os.utime(shard / ".tmp-leftover", (now - 7200, now - 7200))
    removed = C.prune(entries_dir, now=now, max_age_days=30, max_bytes=1000)
    assert sorted(p.name for p in shard.iterdir()) == ["b", "c"] and removed == 3


def test_prune_runs_at_most_once_a_day(tmp_path):
    cache = C.Cache(tmp_path / "c")
    assert cache.open()
    old = cache.path_of("ab" * 32)
    cache.store("ab" * 32, b"x")
    os.utime(old, (1, 1))
    assert cache.maybe_prune() == 1
    cache.store("ab" * 32, b"x")
    os.utime(old, (1, 1))
    assert cache.maybe_prune() == 0  # pruned less than a day ago
