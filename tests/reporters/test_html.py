"""The html format: one self-contained page. Totals, findings with their source lines and related
locations, rule docs in the page, the VPN topology; escaping, masking, determinism. The page in a
real browser: test_html_chromium.py."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from cfglint.reporters.html import HtmlReporter, build_topology, doc_html

from .conftest import EXAMPLES, lint, load_json

ASA_FIXED = EXAMPLES / "asa-vpn-asymmetric" / "fixed"
ASA_BROKEN = EXAMPLES / "asa-vpn-asymmetric" / "broken"
KEYSTORE_CANARY = "Canary-Keystore-7f3a9"
PSK_CANARY_A = "Canary-PSK-a1b2c3"
PSK_CANARY_B = "Canary-PSK-d4e5f6"
EXAMPLE_PSK = "Example-PSK-not-real-4f9a"

DAVMAIL = (
    "davmail.server=true\n"
    "davmail.mode=ExchangeEWS\n"
    "davmail.url=https://mail.example.com/EWS/Exchange.asmx\n"
    "davmail.imapPort=1143\n"
    "davmail.allowRemote=true <script>alert(1)</script>\n"
    "davmail.ssl.keystoreFile=/etc/davmail/keystore.p12\n"
    "davmail.ssl.keystoreType=PKCS12 \n"
    f"davmail.ssl.keystorePass={KEYSTORE_CANARY}\n"
    "davmail.ssl.keyPass=\n"
    f"davmail.proxyPassword={KEYSTORE_CANARY}2\n"
    "# cfglint: ignore[DAV011] -- kept for the next upgrade\n"
    "davmail.someFutureKey=1\n"
    f"davmail.ssl.keystorePass={KEYSTORE_CANARY}3\n"
)


def _copy(src: Path, dest: Path, edits: dict[str, list[tuple[str, str]]] | None = None) -> None:
    dest.mkdir(parents=True, exist_ok=True)
    for f in sorted(src.iterdir()):
        text = f.read_text()
        for old, new in (edits or {}).get(f.name, []):
            assert old in text, (f.name, old)
            text = text.replace(old, new)
        (dest / f.name).write_text(text)


def build_fleet(root: Path) -> None:
    """A DavMail file with markup and secrets in it, and ASA pairs for every verdict:
    vpn/ok (established), vpn/oneway (ASA001: site-b's ACL is wider), vpn/pfs (ASA004: only site-b
    can bring it up), vpn/dynamic (no finding: site-b answers with a dynamic map, only site-a
    initiates), vpn/psk (ASA005: the keys differ), vpn/lonely (ASA002: nobody owns the peer; its
    hostname and an unused object carry markup)."""
    (root / "mail").mkdir(parents=True)
    (root / "mail" / "davmail.properties").write_text(DAVMAIL)
    _copy(ASA_FIXED, root / "vpn" / "ok")
    _copy(ASA_BROKEN, root / "vpn" / "oneway")
    _copy(ASA_FIXED, root / "vpn" / "pfs", {"site-b.cfg": [
        ("crypto map VPN 20 set transform-set", "crypto map VPN 20 set pfs group5\ncrypto map VPN 20 set transform-set"),
    ]})
    _copy(ASA_FIXED, root / "vpn" / "dynamic", {"site-b.cfg": [(
        "crypto map VPN 20 match address TO-HQ\ncrypto map VPN 20 set peer 203.0.113.10\n"
        "crypto map VPN 20 set transform-set AES-SHA\n",
        "crypto dynamic-map DYN 10 set transform-set AES-SHA\ncrypto map VPN 65535 ipsec-isakmp dynamic DYN\n",
    )]})
    _copy(ASA_FIXED, root / "vpn" / "psk", {
        "site-a.cfg": [(EXAMPLE_PSK, PSK_CANARY_A)],
        "site-b.cfg": [(EXAMPLE_PSK, PSK_CANARY_B)],
    })
    lonely = root / "vpn" / "lonely"
    lonely.mkdir(parents=True)
    text = (ASA_FIXED / "site-a.cfg").read_text()
    text = text.replace("hostname site-a", "hostname lonely<i>fw</i>").replace("198.51.100.20", "192.0.2.99")
    text = text.replace(
        "object-group network SITE-A-NETS",
        "object network SPARE<b>x</b>\n host 10.10.99.5\n description <b>x</b>\nobject-group network SITE-A-NETS",
        1,
    )
    (lonely / "site-a.cfg").write_text(text)


@pytest.fixture
def fleet(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    monkeypatch.delenv("GITHUB_BASE_REF", raising=False)
    build_fleet(tmp_path)
    return tmp_path


class Page(HTMLParser):
    """Every element with its attributes, the ids, and the text."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.ids: list[str] = []
        self.text: list[str] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        self.elements.append((tag, a))
        if "id" in a:
            self.ids.append(a["id"])

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_data(self, data):
        self.text.append(data)

    def all(self, tag: str, **attrs: str) -> list[dict[str, str]]:
        return [a for t, a in self.elements if t == tag and all(a.get(k) == v for k, v in attrs.items())]


def _html(capsys, *paths: str, extra: tuple[str, ...] = ()) -> tuple[int, str]:
    code, out, _err = lint(capsys, "check", "--format", "html", *extra, *paths)
    return code, out


# --------------------------------------------------------------------------------------------------
# The page


def test_examples_page_totals_findings_and_docs(examples, capsys):
    code, page = _html(capsys, "examples")
    assert code == 1
    _c, js, _e = lint(capsys, "check", "--format", "json", "examples")
    summary = load_json(js)["summary"]
    diags = load_json(js)["diagnostics"]
    p = Page(page)
    assert page.startswith("<!DOCTYPE html>\n<html lang=\"en\">")
    # totals by severity
    for sev in ("error", "warning", "info"):
        card = re.search(rf'<div class="card {sev}" data-severity="{sev}"><div class="n">(\d+)</div>', page)
        assert card and int(card.group(1)) == summary["by_severity"][sev], sev
    # by rule: one row per code, with its count
    rows = dict(re.findall(r'<tr data-code="([A-Z]{3}\d{3})"><td><a href="#rule-\1">\1</a></td><td>[a-z-]+</td><td class="num">(\d+)</td>', page))
    assert {k: int(v) for k, v in rows.items()} == summary["by_code"]
    # by file: one row per file with findings
    files = {d["path"] for d in diags}
    assert sorted(re.findall(r'<tr data-path="([^"]+)">', page)) == sorted(files)
    # every finding, in order, with its source line
    articles = p.all("article")
    assert len(articles) == summary["findings"]
    assert [a["id"] for a in articles] == [f"f-{i}" for i in range(1, len(diags) + 1)]
    asa001 = next(d for d in diags if d["code"] == "ASA001")
    assert "crypto map OUTSIDE-MAP 10 match address VPN-TO-SITE-B" in page
    # the related location (the peer's match address line) with its own source line
    rel = asa001["related"][0]
    assert f'<span class="mono">{rel["path"]}:{rel["line"]}:1</span> <span class="rmsg">site-b&#39;s crypto map' in page
    assert '<span class="ln">42</span><mark>crypto map VPN 20 match address TO-HQ</mark>' in page
    # rule docs one click away: every code links to a section of the page that holds its doc
    for c in summary["by_code"]:
        assert f'href="#rule-{c}"' in page
        assert f'id="rule-{c}"' in page
    assert "<h4>Why is this bad?</h4>" in page
    # every in-page link has its target
    ids = set(p.ids)
    assert len(ids) == len(p.ids), "duplicate ids"
    for tag in ("a",):
        for a in p.all(tag):
            href = a.get("href", "")
            assert href.startswith("#") and href[1:] in ids, href


def test_markup_in_config_text_is_escaped(fleet, capsys):
    _code, page = _html(capsys, "mail", "vpn")
    # DavMail value, ASA object name and hostname (the topology label): text, never markup
    assert "true &lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "SPARE&lt;b&gt;x&lt;/b&gt;" in page
    assert "lonely&lt;i&gt;fw&lt;/i&gt;" in page
    assert "<script" not in page.lower()
    assert "<b>" not in page and "<i>" not in page
    p = Page(page)
    assert not p.all("script") and not p.all("b") and not p.all("i")
    assert "true <script>alert(1)</script>" in "".join(p.text)


def test_page_is_self_contained(fleet, capsys):
    _code, page = _html(capsys, "mail", "vpn")
    p = Page(page)
    for tag, attrs in p.elements:
        for name in ("src", "srcset", "action", "formaction", "data", "poster", "background"):
            assert name not in attrs, (tag, name)
        href = attrs.get("href")
        if href is not None:
            assert href.startswith("#") or href == "data:,", (tag, href)
        for name, value in attrs.items():
            assert not re.search(r"(?i)\b(?:https?|ftp|file):", value) or name == "content", (tag, name, value)
            assert not name.startswith("on"), (tag, name)
    assert not p.all("script") and not p.all("img") and not p.all("iframe") and not p.all("object")
    assert [a["rel"] for a in p.all("link")] == ["icon"]
    assert "@import" not in page and not re.search(r"url\((?!#)", page)
    # every in-page link (HTML and SVG) has its target, once
    ids = set(p.ids)
    assert len(ids) == len(p.ids), "duplicate ids"
    for _tag, attrs in p.elements:
        if attrs.get("href", "").startswith("#"):
            assert attrs["href"][1:] in ids, attrs["href"]
    for ref in re.findall(r'url\(#([^)]+)\)', page):
        assert ref in ids, ref
    csp = p.all("meta", **{"http-equiv": "Content-Security-Policy"})
    assert csp and "default-src 'none'" in csp[0]["content"] and "script-src" not in csp[0]["content"]


def test_secrets_never_reach_the_page(fleet, capsys):
    _code, page = _html(capsys, "mail", "vpn", extra=("--output", "json=all.json"))
    for canary in (KEYSTORE_CANARY, PSK_CANARY_A, PSK_CANARY_B, EXAMPLE_PSK):
        assert canary not in page, canary
    # the findings on those lines are on the page, the secret masked in message and source line
    assert "DAV013" in page and "ASA005" in page
    assert '<mark>davmail.ssl.keystorePass=****</mark>' in page


def test_output_is_deterministic(fleet, capsys):
    _c1, one = _html(capsys, "mail", "vpn")
    _c2, two = _html(capsys, "vpn", "mail", extra=("--jobs", "2", "--no-cache"))
    _c3, three = _html(capsys, "mail", "vpn")  # from the cache
    assert one == two == three
    assert not re.search(r"\d{4}-\d\d-\d\dT\d\d:\d\d", one)  # no timestamp


def test_suppressed_findings_have_their_own_section(fleet, capsys):
    _code, page = _html(capsys, "mail")
    assert '<section id="suppressed">' in page
    s = page.split('<section id="suppressed">', 1)[1].split("</section>", 1)[0]
    assert 'id="s-1"' in s and "DAV011" in s and "suppressed inline" in s
    assert '<div class="card" data-severity="suppressed"><div class="n">1</div>' in page
    # a DavMail-only run has no topology
    assert 'id="topology"' not in page


# --------------------------------------------------------------------------------------------------
# The VPN topology


def _edges(page: str) -> dict[tuple[str, str], str]:
    return {
        (a, b): v
        for v, a, b in re.findall(r'<a href="#tunnel-\d+" class="edge [a-z-]+" data-verdict="([a-z-]+)" data-a="([^"]+)" data-b="([^"]+)">', page)
    }


def test_topology_verdicts(fleet, capsys):
    _code, page = _html(capsys, "mail", "vpn")
    assert '<section id="topology">' in page
    edges = _edges(page)
    assert edges == {
        ("vpn/dynamic/site-a.cfg", "vpn/dynamic/site-b.cfg"): "one-way",
        ("vpn/lonely/site-a.cfg", "peer:SITE-B-PEER"): "peer-missing",
        ("vpn/ok/site-a.cfg", "vpn/ok/site-b.cfg"): "established",
        ("vpn/oneway/site-a.cfg", "vpn/oneway/site-b.cfg"): "one-way",
        ("vpn/pfs/site-a.cfg", "vpn/pfs/site-b.cfg"): "one-way",
        ("vpn/psk/site-a.cfg", "vpn/psk/site-b.cfg"): "mismatched",
    }
    # devices: every ASA config, on the circle in path order, labelled by hostname; one dashed node
    # for the peer, beside the device that names it
    nodes = re.findall(r'<g class="node( ghost)?" data-key="([^"]+)">', page)
    assert [k for _g, k in nodes] == [
        "vpn/dynamic/site-a.cfg", "vpn/dynamic/site-b.cfg", "vpn/lonely/site-a.cfg", "peer:SITE-B-PEER",
        "vpn/ok/site-a.cfg", "vpn/ok/site-b.cfg", "vpn/oneway/site-a.cfg", "vpn/oneway/site-b.cfg",
        "vpn/pfs/site-a.cfg", "vpn/pfs/site-b.cfg", "vpn/psk/site-a.cfg", "vpn/psk/site-b.cfg",
    ]
    assert [g for g, _k in nodes].count(" ghost") == 1
    # one-way tunnels point at the side that cannot bring them up
    tunnels = page.split('<table class="tunnels">', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r'<tr id="(tunnel-\d+)" data-verdict="([a-z-]+)">(.*?)</tr>', tunnels, re.S)
    by_pair = {}
    for _id, verdict, body in rows:
        keys = re.findall(r'<span class="mono tags">([^<]+)</span>', body)
        by_pair[tuple(keys)] = (verdict, body)
    verdict, body = by_pair[("vpn/oneway/site-a.cfg", "vpn/oneway/site-b.cfg")]
    assert "only site-a brings it up" in body and 'href="#f-' in body and "ASA001" in body
    verdict, body = by_pair[("vpn/pfs/site-a.cfg", "vpn/pfs/site-b.cfg")]
    assert "only site-b brings it up" in body and "ASA004" in body
    verdict, body = by_pair[("vpn/ok/site-a.cfg", "vpn/ok/site-b.cfg")]
    assert body.endswith("<td>IPsec analysis: established</td>\n")
    verdict, body = by_pair[("vpn/dynamic/site-a.cfg", "vpn/dynamic/site-b.cfg")]
    assert "only site-a brings it up" in body and "IPsec analysis: established (only one side initiates)" in body
    assert page.count('marker-end="url(#arrow-one-way)"') == 3
    # the legend counts
    assert "<strong>established</strong> (1)" in page and "<strong>one-way</strong> (3)" in page
    assert "<strong>mismatched</strong> (1)" in page and "<strong>peer missing</strong> (1)" in page


def test_topology_from_findings_alone():
    """Without the re-run analysis only the tunnels findings name are drawn, and the page says so."""
    from cfglint.reporters import ReportOptions
    from cfglint.runner import RunResult, FileOutcome

    from cfglint.api import Diagnostic, Related, Severity
    from cfglint.models.base import Span

    def diag(code, path, message, related=()):
        return Diagnostic(code, "x", Severity.ERROR, path, 3, 1, 3, 5, message,
                          tuple(Related(Span(path=p, line=1), "peer") for p in related))

    ds = [
        diag("ASA003", "a.cfg", "no IKEv1 proposal in common with b", ["b.cfg", "a.cfg"]),
        diag("ASA005", "c.cfg", "cannot verify that the keys ...", ["a.cfg"]),
        diag("ASA005", "c.cfg", "c has no tunnel-group X and no DefaultL2LGroup key"),  # names no peer
    ]
    files = [FileOutcome(p, "asa", True) for p in ("a.cfg", "b.cfg", "c.cfg")]
    result = RunResult(ds, [], files, False)
    t = build_topology(result, [(d, f"f-{i}") for i, d in enumerate(ds, 1)], {"a.cfg": "file-1"}, analyse=False)
    assert t is not None
    assert [(e.a, e.b, e.verdict) for e in t.edges] == [("a.cfg", "b.cfg", "mismatched"), ("a.cfg", "c.cfg", "unverified")]
    assert t.node("c.cfg").findings == 1 and t.node("a.cfg").href == "#file-1" and t.node("b.cfg").href is None
    page = HtmlReporter().render(result, ReportOptions(version="0"))
    assert "data-verdict=\"mismatched\"" in page and 'class="badge"' in page


def test_large_topology_stays_readable():
    """Beyond 16 nodes: labels along the radius, tunnels bowed towards the centre, and each device's
    missing peers drawn as one stub with their count (a fleet names hundreds of third-party peers):
    the picture grows with the devices only."""
    from cfglint.api import Diagnostic, Related, Severity
    from cfglint.models.base import Span
    from cfglint.runner import FileOutcome, RunResult

    paths = [f"site-{i:02d}/fw.cfg" for i in range(40)]
    ds = []
    for p in paths:
        for k in range(14):
            ds.append(Diagnostic("ASA002", "vpn-peer-missing", Severity.INFO, p, 10 + k, 1, 10 + k, 2,
                                 f"peer 203.0.{k}.{len(ds) % 250} of crypto map M {k} belongs to no configuration", ()))
    ds.append(Diagnostic("ASA003", "ike-phase1-mismatch", Severity.ERROR, paths[0], 5, 1, 5, 2, "no IKEv1 proposal",
                         (Related(Span(path=paths[1], line=3), "x"),)))
    result = RunResult(ds, [], [FileOutcome(p, "asa", True) for p in paths], False)
    t = build_topology(result, [(d, f"f-{i}") for i, d in enumerate(ds, 1)], {}, analyse=False)
    assert t is not None
    devices = [n for n in t.nodes if not n.ghost]
    stubs = [n for n in t.nodes if n.stub]
    assert len(devices) == 40 and len(stubs) == 40 and all(n.stub == 14 for n in stubs)
    assert stubs[0].label == "14 peers" and len(stubs[0].sub.split(", ")) == 14
    assert len(t.edges) == 41 and t.counts()["peer-missing"] == 40
    assert all(n.rotate is not None for n in devices)
    assert t.width < 1400 and t.height < 1400
    for n in t.nodes:
        assert 0 < n.x < t.width and 0 < n.y < t.height
    pair = next(e for e in t.edges if e.verdict == "mismatched")
    assert " Q" in pair.path and all(" Q" not in e.path for e in t.edges if e.verdict == "peer-missing")
    assert len(pair.findings) == 1 and len(next(e for e in t.edges if e.verdict == "peer-missing").findings) == 14


def test_no_topology_without_asa():
    from cfglint.runner import RunResult, FileOutcome

    result = RunResult([], [], [FileOutcome("x.properties", "davmail", True)], False)
    assert build_topology(result, [], {}) is None


# --------------------------------------------------------------------------------------------------
# Rule docs


def test_doc_html_escapes_before_marking_up():
    out = str(doc_html(
        "Summary <b>bold</b>\n\n## What it does\nUses `<script>` & `x`.\n\n- item <i>one</i>\n  continued\n"
        "- two\n\n```cisco\nhostname <img src=x onerror=alert(1)>\n```\n"
    ))
    assert "<b>" not in out and "<i>" not in out and "<img" not in out and "<script>" not in out
    assert "<p>Summary &lt;b&gt;bold&lt;/b&gt;</p>" in out
    assert "<h4>What it does</h4>" in out
    assert "<code>&lt;script&gt;</code> &amp; <code>x</code>" in out
    assert "<li>item &lt;i&gt;one&lt;/i&gt; continued</li><li>two</li>" in out
    assert '<pre class="doc-code">hostname &lt;img src=x onerror=alert(1)&gt;</pre>' in out


def test_control_and_bidi_characters_are_neutralised():
    from cfglint.reporters import ReportOptions
    from cfglint.runner import RunResult, FileOutcome

    from cfglint.api import Diagnostic, Severity

    d = Diagnostic("DAV011", "unknown-key", Severity.WARNING, "d.properties", 1, 1, 1, 4, "key \x1b[31m\u202eevil", ())
    result = RunResult([d], [], [FileOutcome("d.properties", "davmail", True)], False,
                       snippets={("d.properties", 1): "abc\u202edef\x07"})
    page = HtmlReporter().render(result, ReportOptions(version="0"))
    assert "\x1b" not in page and "\u202e" not in page and "\x07" not in page
    assert '<span class="ln">1</span><mark>abc</mark>\ufffddef\ufffd</pre>' in page


def test_source_lines_mark_the_span():
    from cfglint.reporters.html import _source
    from cfglint.runner import RunResult

    result = RunResult([], [], [], False, snippets={("f", 1): "abcdef", ("f", 2): "ghijkl", ("f", 3): "mnop"})

    def marks(*span):
        return [(s.number, s.before, s.marked, s.after) for s in _source(result, "f", *span)]

    assert marks(1, 2, 1, 4) == [(1, "a", "bc", "def")]
    assert marks(1, 3, 1, 3) == [(1, "ab", "c", "def")]  # a point: one character
    assert marks(1, 3, 1, 0) == [(1, "ab", "cdef", "")]  # no end column: to the end of the line
    assert marks(1, 5, 3, 3) == [(1, "abcd", "ef", ""), (2, "", "ghijkl", ""), (3, "", "mn", "op")]
    assert marks(1, 40, 1, 50) == [(1, "abcdef", "", "")]  # past the end: nothing to mark
    assert marks(9, 1, 9, 2) == []  # a line the run did not keep


def test_registered_and_listed():
    from cfglint.reporters import REPORTERS, available, get_reporter

    assert REPORTERS["html"] == "cfglint.reporters.html:HtmlReporter"
    assert "html" in available()
    assert isinstance(get_reporter("html"), HtmlReporter) and HtmlReporter.machine


def test_html_output_file(fleet, capsys):
    code, out, _err = lint(capsys, "check", "mail", "--output", "html=report/cfglint.html")
    assert code == 1 and "DAV012" in out
    page = (fleet / "report" / "cfglint.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
