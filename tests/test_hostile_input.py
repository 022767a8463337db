"""Hostile input, one tree: binary, truncated, NUL, CRLF/CR, Latin-1 and invalid UTF-8, BOM, empty
files, a 30 MB single line, 100k lines, symlink loops, dangling links, 60-deep directories, an
unreadable file and one that vanishes mid-run, beside good copies of examples/.

The run finishes with 0 or 1 (never 2, no traceback), the good files keep their findings, and every
file that could not be read, decoded or parsed is a CFG finding with path and line, never "clean".
The tree (with two 30 MB files) is built once per module: ~0.3 s; each run over it takes ~3 s.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from cfglint.cli import main

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
HUGE = 30 << 20
GOOD = {  # relative path -> a code its example must still produce
    "good/asa-vpn-asymmetric/site-a.cfg": "ASA001",
    "good/davmail-thunderbird/davmail.properties": "DAV001",
    "good/hadoop-cdh-javahome/etc/hadoop/conf/hadoop-env.sh": "HDP001",
    "good/netns-qrouter-lxd/join-router-to-lxd.sh": "NET001",
}
# Each bad file -> the CFG code it must be reported with.
BAD = {
    "bad/binary/davmail.properties": "CFG002",
    "bad/nul/hadoop-env.sh": "CFG002",
    "bad/latin1/hadoop-env.sh": "CFG003",
    "bad/latin1/fw.cfg": "CFG003",
    "bad/badutf8/netns.sh": "CFG003",
    "bad/truncated/fw.cfg": "CFG004",
    "bad/binary/asa-header.cfg": "CFG002",
    "bad/nultail/fw1.txt": "CFG002",
}
UNREADABLE = "bad/unreadable/davmail.properties"
VANISHING = "bad/vanish/fw.cfg"


def _build(root: Path) -> None:
    good = root / "good"
    for src in ("asa-vpn-asymmetric", "davmail-thunderbird", "hadoop-cdh-javahome", "netns-qrouter-lxd"):
        shutil.copytree(EXAMPLES / src / "broken", good / src)
    bad = root / "bad"

    def w(rel: str, data: bytes) -> None:
        p = bad / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data)

    asa = (EXAMPLES / "asa-vpn-asymmetric/broken/site-a.cfg").read_bytes()
    dav = (EXAMPLES / "davmail-thunderbird/broken/davmail.properties").read_bytes()
    had = (EXAMPLES / "hadoop-cdh-javahome/broken/etc/hadoop/conf/hadoop-env.sh").read_bytes()
    net = (EXAMPLES / "netns-qrouter-lxd/broken/join-router-to-lxd.sh").read_bytes()
    noise = bytes((i * 7919 + 13) % 256 for i in range(4096))  # contains NULs and invalid UTF-8
    w("binary/fw.cfg", noise)  # no ASA content: not recognised as a config at all (not "clean")
    w("binary/davmail.properties", noise)
    # Binary content is recognised from the complete lines before its first NUL only: an ASA header
    # then noise is a corrupted ASA config (reported binary), noise alone has no kind.
    w("binary/asa-header.cfg", b"ASA Version 9.8(4)\n" + noise)
    w("nultail/fw1.txt", asa + b"\x00" * 8192)  # what a crash during a write leaves
    w("truncated/fw.cfg", asa[: len(asa) // 2 + 7])
    w("nul/hadoop-env.sh", had[:40] + b"\x00\x00" + had[40:])
    for name, data in (("fw.cfg", asa), ("davmail.properties", dav), ("hadoop-env.sh", had), ("netns.sh", net)):
        w("crlf/" + name, data.replace(b"\n", b"\r\n"))
        w("cr/" + name, data.replace(b"\n", b"\r"))
        w("bom/" + name, b"\xef\xbb\xbf" + data)
        w("empty/" + name, b"")
    w("latin1/hadoop-env.sh", had + b"# caf\xe9\n")
    w("latin1/fw.cfg", asa + b"description caf\xe9\n")
    w("latin1/davmail.properties", dav + b"# caf\xe9\n")  # Java reads ISO-8859-1: fine
    w("badutf8/netns.sh", net + b"# \xff\xfe\x80\n")
    deep = bad / "deep"
    for i in range(60):
        deep = deep / f"d{i}"
    deep.mkdir(parents=True)
    (deep / "davmail.properties").write_bytes(dav)
    os.symlink("loop2", bad / "loop1")
    os.symlink("loop1", bad / "loop2")
    os.symlink("nowhere/fw.cfg", bad / "dangling.cfg")
    (bad / "dirloop").mkdir()
    os.symlink("..", bad / "dirloop" / "up")
    w("unreadable/davmail.properties", dav)
    w("vanish/fw.cfg", asa)
    acl = b"access-list OUT extended permit tcp any host 10.%d.%d.%d eq 443"
    lines = [b"ASA Version 9.8(4)", b"hostname big"] + [acl % (i >> 16, (i >> 8) & 255, i & 255) for i in range(100_000)]
    w("long/fw.cfg", b"\n".join(lines) + b"\n")
    w("huge/fw.cfg", b"ASA Version 9.8(4)\n" + b"x" * HUGE + b"\n")
    w("huge/davmail.properties", b"davmail.server=" + b"y" * HUGE + b"\n")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    _build(root)
    return root


def _check_report(doc: dict, unreadable_simulated: bool) -> None:
    by_path: dict[str, list[dict]] = {}
    for d in doc["diagnostics"]:
        assert d["line"] >= 1 and d["path"]
        by_path.setdefault(d["path"], []).append(d)
    codes = {p: {d["code"] for d in ds} for p, ds in by_path.items()}
    for path, code in GOOD.items():
        assert code in codes.get(path, set()), path
    for path, code in BAD.items():
        assert code in codes.get(path, set()), (path, codes.get(path))
    # Other line endings, BOM, deep directories and Latin-1 in a properties file: linted like the original.
    for variant in ("crlf", "cr", "bom", "latin1", "deep/" + "/".join(f"d{i}" for i in range(60))):
        assert "DAV001" in codes.get(f"bad/{variant}/davmail.properties", set()), variant
    for variant in ("crlf", "cr", "bom"):
        assert "ASA001" in codes.get(f"bad/{variant}/fw.cfg", set()), variant
        assert "HDP004" in codes.get(f"bad/{variant}/hadoop-env.sh", set()) or variant == "bom"
    assert "HDP001" in codes.get("bad/bom/hadoop-env.sh", set())
    assert "NET001" in codes.get("bad/bom/netns.sh", set())
    # Empty files: an empty davmail.properties is DavMail's defaults (clean); an empty hadoop-env.sh
    # leaves JAVA_HOME unset (HDP001); an empty fw.cfg / netns.sh has no content to recognise.
    assert "bad/empty/davmail.properties" not in codes
    assert codes.get("bad/empty/hadoop-env.sh") == {"HDP001"}
    assert not any(p.startswith(("bad/empty/fw.cfg", "bad/empty/netns.sh", "bad/binary/fw.cfg"))
               for p in codes)
    # Links are skipped, never followed into a loop or reported as findings.
    assert not any("loop" in p or "dangling" in p for p in codes)
    if unreadable_simulated:
        for p in (UNREADABLE, VANISHING):
            assert {d["code"] for d in by_path[p]} == {"CFG001"}, p
            assert by_path[p][0]["line"] == 1


def test_in_process(hostile, monkeypatch, capsys):
    monkeypatch.chdir(hostile)
    real = Path.read_bytes
    deny = {str(hostile / UNREADABLE): PermissionError(13, "Permission denied"),
            str(hostile / VANISHING): FileNotFoundError(2, "No such file or directory")}

    def read_bytes(self):
        exc = deny.get(os.path.abspath(self))
        if exc is not None:
            raise exc
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    code = main(["check", ".", "--format", "json", "--no-cache"])
    out, err = capsys.readouterr()
    assert code == 1, err
    assert "Traceback" not in err
    _check_report(json.loads(out), unreadable_simulated=True)


def test_subprocess_json_and_bounded_memory(hostile):
    probe = (
        "import resource, subprocess, sys\n"
        "p = subprocess.run([sys.executable, '-m', 'cfglint', 'check', '.', '--format', 'json', '--no-cache'],"
        " capture_output=True)\n"
        "sys.stdout.buffer.write(p.stdout)\n"
        "sys.stderr.buffer.write(p.stderr)\n"
        "sys.stderr.write('\\nRC=%d MAXRSS_KB=%d\\n' % (p.returncode,"
        " resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))\n"
    )
    p = subprocess.run([sys.executable, "-c", probe], cwd=hostile, capture_output=True, timeout=170)
    err = p.stderr.decode("utf-8", "replace")
    tail = err.rsplit("\nRC=", 1)[1]
    rc, rss_kb = (int(x.split("=")[-1]) for x in ("RC=" + tail).split())
    assert rc == 1, err[:2000]
    assert "Traceback" not in err
    _check_report(json.loads(p.stdout), unreadable_simulated=False)
    # Peak RSS (the lint process, not this probe) stays under 5x the two 30 MB files together;
    # measured ~170 MiB for 60 MiB of huge input, interpreter and rules included (~370 MiB before
    # the lines were decoded on demand and the snippets cut).
    assert rss_kb * 1024 < 5 * 2 * HUGE, rss_kb


def test_a_huge_value_does_not_make_a_huge_message(tmp_path, capsys, monkeypatch):
    """DAV012 on a 3 MB value: the message quotes a shortened value, and no message of any rule
    can exceed the engine's bound."""
    from cfglint.cli import main
    from cfglint.runner import MAX_MESSAGE

    monkeypatch.chdir(tmp_path)
    (tmp_path / "davmail.properties").write_bytes(b"davmail.server=" + b"y" * 3_000_000 + b"\n")
    main(["check", ".", "--format", "json", "--no-cache", "--select", "DAV012"])
    out = capsys.readouterr().out
    doc = json.loads(out)
    assert [d["code"] for d in doc["diagnostics"]] == ["DAV012"]
    assert len(doc["diagnostics"][0]["message"]) < 1000
    assert len(out) < MAX_MESSAGE + 5000


def _without_dac_override() -> list[str] | None:
    """A command prefix under which permissions apply to this user: none needed for a normal user;
    for root, util-linux `setpriv` dropping the capabilities that bypass them. None: impossible here."""
    if os.geteuid() != 0:
        return []
    exe = shutil.which("setpriv")
    if exe is None:
        return None
    prefix = [exe, "--inh-caps=-dac_override,-dac_read_search", "--bounding-set=-dac_override,-dac_read_search", "--"]
    import tempfile

    with tempfile.NamedTemporaryFile() as f:
        os.chmod(f.name, 0)
        probe = subprocess.run([*prefix, sys.executable, "-c", f"open({f.name!r}).close()"], capture_output=True)
    return prefix if probe.returncode != 0 else None


def test_subprocess_unreadable_files_and_directories(tmp_path):
    """For real (no monkeypatch): an unreadable config whose name gives no kind, an unreadable
    davmail.properties, a directory that cannot be listed. Each is a CFG001 finding; the readable
    files beside them keep theirs; files that are not configs by name are not reported."""
    prefix = _without_dac_override()
    if prefix is None:
        pytest.skip("cannot drop the capabilities that let root read anything (no setpriv)")
    root = tmp_path / "t"
    shutil.copytree(EXAMPLES / "davmail-thunderbird" / "broken", root / "good")
    (root / "locked").mkdir()
    shutil.copy(EXAMPLES / "asa-vpn-asymmetric" / "broken" / "site-a.cfg", root / "locked" / "fw.cfg")
    shutil.copy(EXAMPLES / "asa-vpn-asymmetric" / "broken" / "site-a.cfg", root / "fw1.txt")
    (root / "dav").mkdir()
    shutil.copy(EXAMPLES / "davmail-thunderbird" / "broken" / "davmail.properties", root / "dav" / "davmail.properties")
    (root / "notes.md").write_text("# notes\n")
    for p in (root / "locked", root / "fw1.txt", root / "dav" / "davmail.properties", root / "notes.md"):
        p.chmod(0)
    try:
        p = subprocess.run([*prefix, sys.executable, "-m", "cfglint", "check", ".", "--format", "json", "--no-cache"],
                           cwd=root, capture_output=True, timeout=120)
    finally:
        for q in (root / "locked", root / "fw1.txt", root / "dav" / "davmail.properties", root / "notes.md"):
            q.chmod(0o755)
    err = p.stderr.decode("utf-8", "replace")
    assert p.returncode == 1, err
    assert "Traceback" not in err
    doc = json.loads(p.stdout)
    by_path: dict[str, set[str]] = {}
    for d in doc["diagnostics"]:
        by_path.setdefault(d["path"], set()).add(d["code"])
    assert by_path.pop("fw1.txt") == {"CFG001"}
    assert by_path.pop("dav/davmail.properties") == {"CFG001"}
    locked = [d for d in doc["diagnostics"] if d["path"] == "locked"]
    assert [d["code"] for d in locked] == ["CFG001"] and "cannot list directory" in locked[0]["message"]
    by_path.pop("locked")
    assert "DAV001" in by_path.pop("good/davmail.properties")
    assert by_path == {}  # notes.md (not a config by name) is not reported
