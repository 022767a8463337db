"""The html report in a real headless Chromium (Debian's `chromium` package; .ci/run installs it):
the page renders, logs no console message of level error (nor an exception, a blocked load or a
CSP violation), requests nothing but itself, and the markup in config text shows as text.

Driven over the DevTools protocol on a pipe (`--remote-debugging-pipe`: commands on fd 3, replies
and events on fd 4, NUL-separated JSON), so no websocket client is needed. The screenshot is kept
in the test's tmp_path, or at $CFGLINT_HTML_SCREENSHOT when set (to look at the page)."""

from __future__ import annotations

import base64
import json
import os
import select
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cfglint.cli import main

from .test_html import KEYSTORE_CANARY, PSK_CANARY_A, PSK_CANARY_B, build_fleet

CHROMIUM = next((p for p in ("/usr/bin/chromium", shutil.which("chromium") or "") if p and os.path.exists(p)), None)

pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="Chromium not installed (/usr/bin/chromium): apt-get install chromium (.ci/run does)"
)

TIMEOUT = 20.0
_TRAMPOLINE = (
    "import fcntl, os, sys\n"
    "r, w = (fcntl.fcntl(int(fd), fcntl.F_DUPFD, 10) for fd in sys.argv[1:3])\n"
    "os.dup2(r, 3)\n"
    "os.dup2(w, 4)\n"
    "os.execv(sys.argv[3], sys.argv[3:])\n"
)


class Browser:
    """A headless Chromium with one page, driven over the DevTools pipe."""

    def __init__(self, profile: Path):
        to_chrome_r, self._to_chrome = os.pipe()
        self._from_chrome, from_chrome_w = os.pipe()
        args = [
            CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-extensions", "--disable-default-apps", "--mute-audio", "--hide-scrollbars",
            "--window-size=1280,1600", f"--user-data-dir={profile}", "--remote-debugging-pipe", "about:blank",
        ]
        # A trampoline puts our pipe ends on fds 3 and 4, where Chromium expects them (moved out of
        # the way first: either may already be 3 or 4).
        self.proc = subprocess.Popen(
            [sys.executable, "-c", _TRAMPOLINE, str(to_chrome_r), str(from_chrome_w), *args],
            pass_fds=(to_chrome_r, from_chrome_w),
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        self._buf = b""
        self._id = 0
        self.events: list[dict] = []
        self.session: str | None = None

    def send(self, method: str, params: dict | None = None, session: bool = True) -> dict:
        self._id += 1
        msg: dict = {"id": self._id, "method": method, "params": params or {}}
        if session and self.session:
            msg["sessionId"] = self.session
        os.write(self._to_chrome, json.dumps(msg).encode() + b"\0")
        deadline = time.monotonic() + TIMEOUT
        while True:
            m = self._read(deadline)
            if m.get("id") == self._id:
                if "error" in m:
                    raise RuntimeError(f"{method}: {m['error']}")
                return m["result"]
            self.events.append(m)

    def wait_event(self, method: str) -> dict:
        deadline = time.monotonic() + TIMEOUT
        for e in self.events:
            if e.get("method") == method:
                return e
        while True:
            m = self._read(deadline)
            self.events.append(m)
            if m.get("method") == method:
                return m

    def _read(self, deadline: float) -> dict:
        while b"\0" not in self._buf:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("no answer from Chromium")
            ready, _, _ = select.select([self._from_chrome], [], [], left)
            if ready:
                chunk = os.read(self._from_chrome, 1 << 20)
                if not chunk:
                    raise RuntimeError("Chromium closed the DevTools pipe")
                self._buf += chunk
        raw, self._buf = self._buf.split(b"\0", 1)
        return json.loads(raw)

    def open(self, url: str) -> None:
        target = self.send("Target.createTarget", {"url": "about:blank"}, session=False)["targetId"]
        self.session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True}, session=False)["sessionId"]
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.send(f"{domain}.enable")
        self.send("Page.navigate", {"url": url})
        self.wait_event("Page.loadEventFired")

    def evaluate(self, expression: str):  # noqa: ANN201
        r = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True})
        if "exceptionDetails" in r:
            raise RuntimeError(r["exceptionDetails"])
        return r["result"].get("value")

    def close(self) -> None:
        try:
            self.send("Browser.close", session=False)
        except Exception:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        os.close(self._to_chrome)
        os.close(self._from_chrome)


@pytest.fixture
def report(tmp_path, monkeypatch, capsys) -> Path:
    project = tmp_path / "project"
    project.mkdir()
    monkeypatch.chdir(project)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    monkeypatch.delenv("GITHUB_BASE_REF", raising=False)
    build_fleet(project)
    out = tmp_path / "report.html"
    assert main(["check", "--format", "html", "-o", str(out), "mail", "vpn"]) == 1
    capsys.readouterr()
    return out


def test_report_in_chromium(report, tmp_path):
    browser = Browser(tmp_path / "profile")
    try:
        browser.open(report.as_uri())
        dom = browser.evaluate(
            """(() => {
              const q = s => document.querySelectorAll(s);
              const svg = document.querySelector('svg.topology');
              const box = svg.getBoundingClientRect();
              const mark = Array.from(q('pre.src')).map(e => e.textContent).join('\\n');
              return {
                title: document.title,
                findings: q('article.finding').length,
                visible: Array.from(q('article.finding')).filter(e => e.offsetHeight > 0).length,
                svg: [box.width, box.height],
                nodes: q('svg.topology g.node').length,
                edges: Array.from(q('svg.topology a.edge')).map(e => e.dataset.verdict).sort(),
                lines: Array.from(q('svg.topology a.edge path')).filter(l => l.getTotalLength() > 10).length,
                scripts: q('script').length,
                injected: q('main b, main i, main img, main iframe, svg b, svg i').length,
                text: document.body.innerText,
                labels: Array.from(q('svg.topology text')).map(t => t.textContent),
                src: mark,
                rulesLinked: Array.from(q('a.code')).every(a => document.getElementById(a.hash.slice(1))),
                docOpen: Array.from(q('details.rule')).every(d => d.open),
                html: document.documentElement.outerHTML.length,
              };
            })()"""
        )
        # filtering with the CSS-only checkboxes hides the info findings
        browser.evaluate("document.getElementById('show-info').click()")
        after = browser.evaluate(
            "Array.from(document.querySelectorAll('article.finding')).filter(e => e.offsetHeight > 0).length"
        )
        info = browser.evaluate("document.querySelectorAll('article.finding.sev-info').length")
        browser.evaluate("document.getElementById('show-info').click()")
        shot = browser.send("Page.captureScreenshot", {"format": "png"})
        events = list(browser.events)
    finally:
        browser.close()

    png = base64.b64decode(shot["data"])
    assert png.startswith(b"\x89PNG") and len(png) > 20_000  # a rendered page, not a blank one
    (tmp_path / "report.png").write_bytes(png)
    if os.environ.get("CFGLINT_HTML_SCREENSHOT"):
        Path(os.environ["CFGLINT_HTML_SCREENSHOT"]).write_bytes(png)

    # no console error, no exception, no blocked load, no CSP violation, no dialog (an alert() that ran)
    problems = []
    for e in events:
        m, p = e.get("method"), e.get("params", {})
        if m == "Runtime.exceptionThrown":
            problems.append(p)
        elif m == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert", "warning"):
            problems.append(p)
        elif m == "Log.entryAdded" and p.get("entry", {}).get("level") in ("error", "warning"):
            problems.append(p["entry"])
        elif m == "Page.javascriptDialogOpening":
            problems.append(p)
    assert problems == []
    # nothing requested but the page itself
    requests = [e["params"]["request"]["url"] for e in events if e.get("method") == "Network.requestWillBeSent"]
    assert requests == [report.as_uri()]

    # it renders: findings laid out, the SVG has a size, its nodes and edges are drawn
    assert dom["title"].startswith("cfglint report: ")
    assert dom["findings"] == dom["visible"] > 5
    assert dom["svg"][0] > 300 and dom["svg"][1] > 300
    assert dom["nodes"] == 12 and dom["lines"] == 6
    assert dom["edges"] == ["established", "mismatched", "one-way", "one-way", "one-way", "peer-missing"]
    assert dom["rulesLinked"] and dom["docOpen"]
    assert after == dom["findings"] - info and info > 0
    # markup in config text shows as text, and builds no element
    assert dom["scripts"] == 0 and dom["injected"] == 0
    assert "true <script>alert(1)</script>" in dom["src"]
    assert "object network SPARE<b>x</b>" in dom["src"]
    assert "lonely<i>fw</i>" in dom["labels"]
    assert "SPARE<b>x</b> is never used" in dom["text"]
    for canary in (KEYSTORE_CANARY, PSK_CANARY_A, PSK_CANARY_B):
        assert canary not in dom["text"]
