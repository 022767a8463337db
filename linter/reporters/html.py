"""One self-contained HTML page: totals by severity, by rule and by file; every finding with its
source lines and related locations; the documentation of every rule that reported, one click away
(each code links to it); and the VPN topology of the ASA configs of the run as an inline SVG.

Safety: rendered with jinja2 with autoescaping on, so config text (snippets, messages, host names)
always shows as text; the rule docs go through a small markdown renderer of our own that escapes
first. The page fetches nothing (inline CSS and SVG, no script, no URL but in-page anchors) and says
so to the browser: its Content-Security-Policy allows no script and no network source. Secrets: every
string comes from the RunResult, already masked, and goes through its masker again. Output is
deterministic: no timestamp, everything sorted.

The topology (`build_topology`): devices are the linted ASA configs, tunnels the device pairs.
  - From the findings (reported, inline-suppressed and baseline-accepted): an ASA001-ASA005 finding
    joins its file to the other files of its related locations. Verdict: `mismatched` (the tunnel does
    not come up, or drops traffic both ways), `one-way` (ASA001 when one side's crypto ACL is narrower,
    ASA004 when only one side's PFS setting works: the tunnel comes up only when the side at the
    arrow's tail initiates), `unverified` (the info findings that could not compare ACLs or keys).
    ASA002 draws an edge to a dashed node standing for the peer address no config owns (`peer
    missing`; `ambiguous` when several configs own it).
  - The pairs without any finding come from the IPsec analysis behind those rules
    (`cfglint.asa.ipsec.ipsec_sessions`), re-run here (the reporter gets no models) over the ASA
    files that a textual pre-scan finds may pair (a `set peer` address that is another file's
    interface address): `established` when every session between the two negotiates, `one-way`
    when only one of them has an entry that initiates (the other answers with a dynamic map), the
    ladder's verdict otherwise (a failure the findings do not show: a rule ignored for that file,
    --diff-base). That re-run uses the default options: a pair joined only through the `peer-map`
    option is not drawn unless a finding joins it.
  Layout: nodes on a circle in path order (a site's devices side by side). Up to 16 nodes, level
  labels and one node per missing peer; beyond, labels along the radius, tunnels bowed towards the
  centre, and one stub per device standing for all its missing peers, so that the picture grows
  with the number of devices only.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from markupsafe import Markup, escape

from cfglint.api import Diagnostic, Severity
from cfglint.reporters import Reporter, ReportOptions
from cfglint.runner import RunResult

SEVERITIES = ("error", "warning", "info")
VERDICTS = ("established", "one-way", "unverified", "mismatched", "peer-missing")
VERDICT_LABEL = {
    "established": "established",
    "one-way": "one-way",
    "unverified": "not verified",
    "mismatched": "mismatched",
    "peer-missing": "peer missing",
}
VERDICT_HELP = {
    "established": "both ends pair, negotiate IKE and IPsec, and mirror each other's crypto ACL",
    "one-way": "comes up only when the side at the arrow's tail initiates",
    "unverified": "could not be compared (keys not shown, ACL elements that cannot be expanded)",
    "mismatched": "does not come up, or drops part of the traffic whichever side initiates",
    "peer-missing": "no config of the run owns the peer address (or several do)",
}
# How bad a verdict is, for the worst of several findings on one pair.
VERDICT_RANK = {"established": 0, "unverified": 1, "one-way": 2, "mismatched": 3, "peer-missing": 4}
VERDICT_COLOR = {
    "established": "#2e7d32",
    "one-way": "#e65100",
    "unverified": "#757575",
    "mismatched": "#c62828",
    "peer-missing": "#6a1b9a",
}
TOPOLOGY_CODES = frozenset({"ASA001", "ASA002", "ASA003", "ASA004", "ASA005"})
MAX_SOURCE_LINES = 12

# Characters that must not reach the page as they are: C0/C1 controls (but tab) and the bidi
# controls that can reorder what a line shows (Trojan Source). One for one, so columns still match.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _clean(text: str | None) -> str:
    return _UNSAFE.sub("\ufffd", text or "")


# --------------------------------------------------------------------------------------------------
# Rule documentation: a small markdown subset, escaped first


def _inline(text: str) -> str:
    escaped = str(escape(_clean(text)))
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", escaped)


def doc_html(markdown: str) -> Markup:
    """Headings, paragraphs, `-` lists, fenced code blocks and inline code; everything else is
    text. Every piece of the input is escaped before the few tags are added."""
    out: list[str] = []
    para: list[str] = []
    items: list[list[str]] = []
    code: list[str] | None = None

    def flush() -> None:
        if para:
            out.append("<p>" + _inline(" ".join(para)) + "</p>")
            para.clear()
        if items:
            out.append("<ul>" + "".join("<li>" + _inline(" ".join(i)) + "</li>" for i in items) + "</ul>")
            items.clear()

    for line in markdown.splitlines():
        s = line.strip()
        if code is not None:
            if s.startswith("```"):
                out.append('<pre class="doc-code">' + str(escape(_clean("\n".join(code)))) + "</pre>")
                code = None
            else:
                code.append(line)
            continue
        if s.startswith("```"):
            flush()
            code = []
        elif m := re.match(r"^#{1,6}\s+(.*)$", s):
            flush()
            out.append("<h4>" + _inline(m.group(1)) + "</h4>")
        elif s.startswith(("- ", "* ")):
            if para:
                out.append("<p>" + _inline(" ".join(para)) + "</p>")
                para.clear()
            items.append([s[2:]])
        elif not s:
            flush()
        elif items and line[:1] in (" ", "\t"):
            items[-1].append(s)
        else:
            if items:
                flush()
            para.append(s)
    if code is not None:
        out.append('<pre class="doc-code">' + str(escape(_clean("\n".join(code)))) + "</pre>")
    flush()
    return Markup("\n".join(out))


# --------------------------------------------------------------------------------------------------
# View model


@dataclass
class SourceLine:
    number: int
    before: str
    marked: str
    after: str


@dataclass
class RelatedView:
    path: str
    line: int
    column: int
    message: str
    href: str | None
    source: list[SourceLine]


@dataclass
class FindingView:
    id: str
    code: str
    name: str
    severity: str
    path: str
    line: int
    column: int
    message: str
    fix_title: str
    source: list[SourceLine]
    related: list[RelatedView]
    state: str  # "reported", "suppressed", "baseline"
    has_doc: bool


@dataclass
class FileView:
    id: str
    path: str
    kind: str
    note: str
    linted: bool
    counts: dict[str, int]
    total: int
    findings: list[FindingView] = field(default_factory=list)


@dataclass
class RuleView:
    code: str
    name: str
    severity: str
    summary: str
    tags: list[str]
    doc: Markup | None
    count: int
    counts: dict[str, int]


@dataclass
class Node:
    key: str  # the config's path, or "peer:<address>" for a peer no config owns
    label: str
    title: str
    ghost: bool
    href: str | None = None
    sub: str = ""  # a second, smaller line: where the config is, or why the peer is drawn
    stub: int = 0  # > 0: stands for that many missing peers of one device (large pictures)
    r: float = 16.0
    rotate: float | None = None  # labels along the radius (large pictures)
    x: float = 0.0
    y: float = 0.0
    lx: float = 0.0
    ly: float = 0.0
    anchor: str = "middle"
    findings: int = 0  # topology findings in this config that name no other config


@dataclass
class Edge:
    a: str
    b: str
    verdict: str
    source: str  # "findings" or "analysis"
    findings: list[tuple[str, str]] = field(default_factory=list)  # (finding id, code)
    initiator: str | None = None  # one-way: the node that can bring the tunnel up
    detail: str = ""
    id: str = ""
    x1: float = 0.0
    y1: float = 0.0
    x2: float = 0.0
    y2: float = 0.0
    path: str = ""  # the SVG path: a straight line, or a curve bowing towards the centre


@dataclass
class Topology:
    nodes: list[Node]
    edges: list[Edge]
    width: int
    height: int
    analysed: bool  # the IPsec analysis could be re-run
    note: str = ""

    def node(self, key: str) -> Node:
        return next(n for n in self.nodes if n.key == key)

    def counts(self) -> dict[str, int]:
        out = dict.fromkeys(VERDICTS, 0)
        for e in self.edges:
            out[e.verdict] += 1
        return out


def _fmt(v: float) -> str:
    return f"{v:.1f}"


def _source(result: RunResult, path: str, line: int, column: int, end_line: int, end_column: int) -> list[SourceLine]:
    out: list[SourceLine] = []
    last = min(max(end_line, line), line + MAX_SOURCE_LINES - 1)
    for n in range(line, last + 1):
        text = result.snippet(path, n)
        if text is None:
            continue
        from cfglint.runner import split_cut

        text, cut = split_cut(_clean(result.masker.text(text)))
        start = min(max(column - 1, 0) if n == line else 0, len(text))
        if n != end_line or end_column <= 0:
            stop = len(text)  # the span goes on below (or its end is unknown): to the end of the line
        elif n == line and end_column <= column:
            stop = min(start + 1, len(text))  # a point: one character
        else:
            stop = min(max(end_column - 1, start), len(text))
        out.append(SourceLine(n, text[:start], text[start:stop], text[stop:] + cut))
    return out


# --------------------------------------------------------------------------------------------------
# Topology


def _finding_verdict(d: Diagnostic, peer: str | None) -> tuple[str, str | None]:
    """(verdict, the path of the side that can initiate a one-way tunnel) of an ASA001-ASA005
    finding. Reads the rules' messages: tests/reporters/test_html.py pins them on real findings."""
    m = d.message
    if d.code == "ASA002":
        return "peer-missing", None
    if m.startswith("cannot verify"):
        return "unverified", None
    if d.code == "ASA001" and " can bring the tunnel up (its proposals fall within " in m:
        # The narrower side can initiate: this file's when the peer's ACL protects more.
        return "one-way", d.path if "which no entry here accepts" in m else peer
    if d.code == "ASA004" and "which side sends first decides" in m:
        return "one-way", peer  # the responder's PFS setting is the one that works
    return "mismatched", None


_PEER_RE = re.compile(r"^peer (\S+) of ")


_NAME_RE = re.compile(rb"^name[ \t]+(\S+)[ \t]+(\S+)", re.M)
_SET_PEER_RE = re.compile(rb"^[ \t]*crypto[ \t]+map[ \t]+\S+[ \t]+\d+[ \t]+set[ \t]+peer[ \t]+([^\r\n]+)", re.M)
_HOSTNAME_RE = re.compile(rb"^hostname[ \t]+(\S+)", re.M)
_ADDRESS_RE = re.compile(rb"^[ \t]*ipv?6?[ \t]+address[ \t]+([^\r\n]+)", re.M)


def _ip(token: bytes) -> Any:
    from ipaddress import ip_address

    try:
        return ip_address(token.split(b"/", 1)[0].decode("ascii"))
    except (ValueError, UnicodeDecodeError):
        return None


def _paired_candidates(data: dict[str, bytes]) -> list[str]:
    """The files that may be one end of a tunnel with another file of the run: a `set peer` address
    (literal or through a `name`) that is an interface address of another file. A textual pre-scan,
    wider than the parser's pairing (every IP-looking word of an `ip address` line counts), so that
    only those files are parsed again: a fleet without pairs costs a regex per file."""
    owners: dict[Any, set[str]] = {}
    peers: dict[str, set[Any]] = {}
    for path, raw in data.items():
        for m in _ADDRESS_RE.finditer(raw):
            for tok in m.group(1).split():
                a = _ip(tok)
                if a is not None:
                    owners.setdefault(a, set()).add(path)
        names = {n: a for a, n in _NAME_RE.findall(raw)}
        for m in _SET_PEER_RE.finditer(raw):
            for tok in m.group(1).split():
                a = _ip(names.get(tok, tok))
                if a is not None:
                    peers.setdefault(path, set()).add(a)
    out: set[str] = set()
    for path, addresses in peers.items():
        for a in addresses:
            others = owners.get(a, set()) - {path}
            if others:
                out.add(path)
                out |= others
    return sorted(out)


def _analysis(paths: list[str], masker: Any) -> tuple[dict[frozenset[str], list[Any]], dict[str, str]] | None:
    """Sessions by device pair and host names by path, from the IPsec analysis re-run over the ASA
    files that may pair (read again from disk, with the default options); None when it cannot run."""
    try:
        from cfglint.api import ProjectIndex
        from cfglint.asa.ipsec import host_of, ipsec_sessions
        from cfglint.parsers import parser_for

        parse = parser_for("asa")
        if parse is None:
            return None
        data: dict[str, bytes] = {}
        for p in paths:
            try:
                raw = Path(p).read_bytes()
            except OSError:
                continue
            if b"\x00" not in raw:
                data[p] = raw
        models = [parse(data[p], p) for p in _paired_candidates(data)]
        analysis = ipsec_sessions(ProjectIndex(models))
    except Exception:  # a reporter never fails the run: draw from the findings alone
        return None
    hosts = {}
    for p, raw in data.items():  # the parsed models' names below; the others' from their hostname line
        m = _HOSTNAME_RE.search(raw)
        if m:
            hosts[p] = _clean(masker.text(m.group(1).decode("utf-8", "replace")))
    hosts.update((m.path, _clean(masker.text(host_of(m)))) for m in models)
    pairs: dict[frozenset[str], list[Any]] = {}
    for s in analysis.sessions:
        if s.responder is None or s.responder.path == s.initiator.path:
            continue
        pairs.setdefault(frozenset((s.initiator.path, s.responder.path)), []).append(s)
    return pairs, hosts


def _analysis_verdict(sessions: list[Any]) -> tuple[str, str | None, str]:
    """(verdict, initiator path for one-way, detail) of a device pair no finding names."""
    from cfglint.asa.ipsec import SessionStatus

    evaluated = [s for s in sessions if s.status is not SessionStatus.NOT_EVALUATED]
    statuses = sorted({s.status.value for s in sessions})
    detail = "IPsec analysis: " + ", ".join(statuses)
    if not evaluated:
        return "unverified", None, detail
    failed = [s for s in evaluated if s.status is not SessionStatus.ESTABLISHED]
    one_sided = [
        s for s in failed
        if s.status is SessionStatus.CRYPTO_ACL_MISMATCH and s.acl is not None and s.acl.relation in ("subset", "superset")
    ]
    if failed and len(one_sided) < len(failed):
        return "mismatched", None, detail
    if one_sided:
        c = one_sided[0].acl
        return "one-way", (c.a.path if c.relation == "subset" else c.b.path), detail
    if any(s.key_unverifiable or (s.acl is not None and not s.acl.verifiable) for s in evaluated):
        return "unverified", None, detail
    initiators = sorted({s.initiator.path for s in evaluated})
    if len(initiators) == 1:
        return "one-way", initiators[0], detail + " (only one side initiates)"
    return "established", None, detail


def build_topology(
    result: RunResult,
    findings: Iterable[tuple[Diagnostic, str]],
    file_ids: dict[str, str],
    analyse: bool = True,
) -> Topology | None:
    """The VPN topology of the run (None without ASA configs). `findings`: (finding, its id in the page)."""
    asa_paths = sorted({f.path for f in result.files if f.kind == "asa" and f.linted})
    if not asa_paths:
        return None
    analysed = _analysis(asa_paths, result.masker) if analyse else None
    hosts = analysed[1] if analysed else {}
    nodes: dict[str, Node] = {}
    for p in asa_paths:
        label = hosts.get(p) or PurePosixPath(p).name
        nodes[p] = Node(p, label, p, False, href=f"#{file_ids[p]}" if p in file_ids else None, sub=_short(p))

    edges: dict[frozenset[str], Edge] = {}

    def add(a: str, b: str, verdict: str, source: str, fid: str | None, code: str | None,
            initiator: str | None = None, detail: str = "") -> None:
        key = frozenset((a, b))
        e = edges.get(key)
        if e is None:
            a, b = sorted((a, b), key=lambda k: (nodes[k].ghost, k))
            e = edges[key] = Edge(a, b, verdict, source, initiator=initiator, detail=detail)
        elif VERDICT_RANK[verdict] > VERDICT_RANK[e.verdict]:
            e.verdict, e.initiator = verdict, initiator
        elif verdict == e.verdict == "one-way" and initiator != e.initiator:
            e.verdict, e.initiator = "mismatched", None  # each side can initiate only part of it
        if fid is not None and code is not None and (fid, code) not in e.findings:
            e.findings.append((fid, code))

    missing: dict[str, list[tuple[str, bool, str]]] = {}  # device -> (peer, ambiguous, finding id)
    for d, fid in findings:
        if d.code not in TOPOLOGY_CODES or d.path not in nodes:
            continue
        if d.code == "ASA002":
            m = _PEER_RE.match(d.message)
            ambiguous = " configurations (" in d.message and "is owned by" in d.message
            missing.setdefault(d.path, []).append((_clean(m.group(1)) if m else "?", ambiguous, fid))
            continue
        peers = sorted({r.span.path for r in d.related if r.span.path != d.path and r.span.path in nodes})
        if not peers:
            nodes[d.path].findings += 1
            continue
        for peer in peers:
            verdict, initiator = _finding_verdict(d, peer)
            add(d.path, peer, verdict, "findings", fid, d.code, initiator)

    if analysed:
        for pair, sessions in sorted(analysed[0].items(), key=lambda kv: sorted(kv[0])):
            if pair in edges or not pair <= nodes.keys():
                continue
            verdict, initiator, detail = _analysis_verdict(sessions)
            a, b = sorted(pair)
            add(a, b, verdict, "analysis", None, None, initiator, detail)

    # Peers no config owns. A small picture draws each as a node of the circle, right after the first
    # device that names it; a large one draws one short stub per device, towards the centre, that
    # stands for all its missing peers (a fleet can name hundreds of third-party peers).
    devices = sorted(nodes)
    n_peers = len({(a, amb) for v in missing.values() for a, amb, _ in v})
    compact = len(devices) + n_peers <= COMPACT_MAX
    ghosts_of: dict[str, list[str]] = {}
    for dev in devices:
        found = sorted(missing.get(dev, []))
        if not found:
            continue
        if compact:
            for address, ambiguous, fid in found:
                key = f"peer:{address}" + (" ambiguous" if ambiguous else "")
                if key not in nodes:
                    title = f"peer {address}: " + (
                        "owned by several configs of the run" if ambiguous else "no config of the run owns it"
                    )
                    nodes[key] = Node(key, address, title, True, sub="ambiguous" if ambiguous else "not in this run")
                    ghosts_of.setdefault(dev, []).append(key)
                add(dev, key, "peer-missing", "findings", fid, "ASA002")
        else:
            names = sorted({a + (" (ambiguous)" if amb else "") for a, amb, _ in found})
            shown = ", ".join(names[:20]) + (f" and {len(names) - 20} more" if len(names) > 20 else "")
            key = f"peers:{dev}"
            nodes[key] = Node(
                key, names[0] if len(names) == 1 else f"{len(names)} peers",
                f"{nodes[dev].label}: peers no config of the run owns: {shown}", True, stub=len(names), sub=shown,
            )
            for _a, _amb, fid in found:
                add(dev, key, "peer-missing", "findings", fid, "ASA002")

    ordered = [nodes[k] for k in devices]
    if compact:
        ordered = []
        for k in devices:
            ordered.append(nodes[k])
            ordered.extend(nodes[g] for g in ghosts_of.get(k, ()))
    stubs = {k[len("peers:"):]: nodes[k] for k in nodes if k.startswith("peers:")}
    edge_list = sorted(edges.values(), key=lambda e: (nodes[e.a].ghost, e.a, nodes[e.b].ghost, e.b))
    for i, e in enumerate(edge_list, 1):
        e.id = f"tunnel-{i}"
    width, height = _layout(ordered, stubs, edge_list, nodes)
    note = ""
    if not analysed and analyse:
        note = "The IPsec analysis could not be re-run on these files: only the tunnels that findings name are drawn."
    return Topology(ordered + [stubs[k] for k in sorted(stubs)], edge_list, width, height, bool(analysed), note)


NODE_R = 16
STUB_R = 10
LINE = 13  # the label's second line, below the first
COMPACT_MAX = 16  # up to this many nodes: labels level, missing peers drawn one by one


def _short(path: str, limit: int = 40) -> str:
    """The path, else its first directory and its file name (a site's directory tells devices of the
    same name apart), else its last two parts."""
    if len(path) <= limit:
        return path
    parts = PurePosixPath(path).parts
    head = f"{parts[0]}/\u2026/{parts[-1]}"
    return head if len(head) <= limit else "\u2026/" + "/".join(parts[-2:])


def _layout(ring: list[Node], stubs: dict[str, Node], edges: list[Edge], nodes: dict[str, Node]) -> tuple[int, int]:
    """`ring` on a circle in that order. Up to COMPACT_MAX nodes, level labels outside (beside,
    above, below); beyond, labels along the radius (as in a chord diagram) and nodes closer together.
    `stubs` (device -> the node standing for its missing peers) inside the circle, near the device."""
    n = len(ring)
    radial = n > COMPACT_MAX
    radius = max(110.0, (40.0 if radial else 120.0) * n / (2 * math.pi))
    node_r = 9.0 if radial else float(NODE_R)
    longest = max((max(len(nd.label), len(nd.sub)) for nd in ring), default=0)
    if radial:
        mx = my = node_r + 14 + 6.5 * min(longest, 40)
    else:
        mx, my = 190.0, 56.0  # room for the labels: beside the circle, above and below it
    cx, cy = radius + mx, radius + my
    for i, node in enumerate(ring):
        angle = -math.pi / 2 + 2 * math.pi * i / n if n > 1 else -math.pi / 2
        r = radius if n > 1 else 0.0
        c, s = math.cos(angle), math.sin(angle)
        node.x, node.y = round(cx + r * c, 1), round(cy + r * s, 1)
        node.r = node_r
        if radial:
            node.lx = round(cx + (r + node_r + 6) * c, 1)
            node.ly = round(cy + (r + node_r + 6) * s, 1)
            deg = math.degrees(angle)
            node.rotate = round(deg + 180 if c < 0 else deg, 1)
            node.anchor = "end" if c < 0 else "start"
        elif n > 1 and abs(c) > 0.3:  # beside the node, outwards
            node.anchor = "start" if c > 0 else "end"
            node.lx = round(node.x + (NODE_R + 6) * (1 if c > 0 else -1), 1)
            node.ly = round(node.y - 2 + 10 * s, 1)
        else:  # above a node at the top, below the others
            node.anchor = "middle"
            node.lx = node.x
            above = n > 1 and s < 0
            node.ly = round(node.y - NODE_R - 8 - LINE if above else node.y + NODE_R + 14, 1)
        stub = stubs.get(node.key)
        if stub is not None:
            inward = r - node_r - 30 if n > 1 else -(node_r + 30)
            stub.x, stub.y = round(cx + inward * c, 1), round(cy + inward * s, 1)
            stub.r = STUB_R
    for e in edges:
        a, b = nodes[e.a], nodes[e.b]
        if e.verdict == "one-way" and e.initiator == e.b:
            a, b = b, a  # drawn from the initiator, the arrow at the responder
        # A large picture bows each tunnel towards the centre (the closer its ends, the deeper), so
        # that two neighbours' tunnel is not hidden between their circles.
        curved = radial and not (a.stub or b.stub)
        if curved:
            mx_, my_ = (a.x + b.x) / 2, (a.y + b.y) / 2
            qx, qy = cx + (mx_ - cx) * 0.35, cy + (my_ - cy) * 0.35
        else:
            qx, qy = (a.x + b.x) / 2, (a.y + b.y) / 2
        x1, y1 = _towards(a.x, a.y, qx, qy, a.r + 3)
        x2, y2 = _towards(b.x, b.y, qx, qy, b.r + 5)
        e.x1, e.y1, e.x2, e.y2 = x1, y1, x2, y2
        if curved:
            e.path = f"M{_fmt(x1)} {_fmt(y1)} Q{_fmt(qx)} {_fmt(qy)} {_fmt(x2)} {_fmt(y2)}"
        else:
            e.path = f"M{_fmt(x1)} {_fmt(y1)} L{_fmt(x2)} {_fmt(y2)}"
    return int(2 * (radius + mx)), int(2 * (radius + my))


def _towards(x: float, y: float, tx: float, ty: float, d: float) -> tuple[float, float]:
    """The point `d` away from (x, y) in the direction of (tx, ty)."""
    dx, dy = tx - x, ty - y
    length = math.hypot(dx, dy) or 1.0
    return round(x + dx / length * d, 1), round(y + dy / length * d, 1)


# --------------------------------------------------------------------------------------------------
# The reporter


_TEMPLATE = None


def _template():  # noqa: ANN202
    global _TEMPLATE
    if _TEMPLATE is None:
        from jinja2 import Environment, StrictUndefined

        from cfglint.reporters.html_template import TEMPLATE

        env = Environment(autoescape=True, undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
        env.filters["f1"] = _fmt
        _TEMPLATE = env.from_string(TEMPLATE)
    return _TEMPLATE


def _rule_class(code: str) -> Any:
    try:
        from cfglint.registry import load_rules

        return load_rules().get(code)
    except Exception:
        return None


def _rule_meta(code: str) -> Any:
    try:
        from cfglint.registry import load_rules

        rules = load_rules()
        meta = getattr(rules, "meta", None)
        return meta(code) if meta is not None else rules.get(code)
    except Exception:
        return None


class HtmlReporter(Reporter):
    name = "html"
    machine = True

    def render(self, result: RunResult, opts: ReportOptions) -> str:
        return _template().render(**self.context(result, opts)) + "\n"

    def context(self, result: RunResult, opts: ReportOptions) -> dict[str, Any]:
        mask = result.masker.text

        def text(s: str | None) -> str:
            return _clean(mask(s) or "")

        groups = [
            ("reported", "f", list(result.diagnostics)),
            ("suppressed", "s", sorted(result.suppressed, key=Diagnostic.sort_key)),
            ("baseline", "b", sorted(opts.baseline_hidden, key=Diagnostic.sort_key)),
        ]
        paths = {f.path for f in result.files}
        for _, _, ds in groups:
            for d in ds:
                paths.add(d.path)
        file_ids = {p: f"file-{i}" for i, p in enumerate(sorted(paths), 1)}
        sections = {d.path for d in result.diagnostics}  # the files with a section of findings
        doc_codes = sorted({d.code for _, _, ds in groups for d in ds})
        rule_classes = {c: _rule_class(c) for c in doc_codes}
        documented = {c for c, r in rule_classes.items() if r is not None}

        def view(d: Diagnostic, fid: str, state: str) -> FindingView:
            related = []
            for r in d.related:
                sp = r.span
                related.append(RelatedView(
                    text(sp.path), sp.line, sp.column, text(r.message),
                    f"#{file_ids[sp.path]}" if sp.path in sections and sp.path != d.path else None,
                    _source(result, sp.path, sp.line, sp.column, sp.last_line,
                            sp.end_column if sp.end_column is not None else 0) if opts.show_source else [],
                ))
            return FindingView(
                fid, d.code, d.name, d.severity.value, text(d.path), d.line, d.column, text(d.message),
                text(d.fix_title),
                _source(result, d.path, d.line, d.column, d.end_line, d.end_column) if opts.show_source else [],
                related, state, d.code in documented,
            )

        views: dict[str, list[FindingView]] = {}
        reported_in: dict[str, list[FindingView]] = {}
        pairs: list[tuple[Diagnostic, str]] = []
        for state, prefix, ds in groups:
            out = views[state] = []
            for i, d in enumerate(ds, 1):
                fid = f"{prefix}-{i}"
                v = view(d, fid, state)
                out.append(v)
                pairs.append((d, fid))
                if state == "reported":
                    reported_in.setdefault(d.path, []).append(v)

        # Totals
        by_sev = dict.fromkeys(SEVERITIES, 0)
        by_code: dict[str, dict[str, int]] = {}
        by_path: dict[str, dict[str, int]] = {}
        for d in result.diagnostics:
            sev = d.severity.value
            by_sev[sev] += 1
            by_code.setdefault(d.code, dict.fromkeys(SEVERITIES, 0))[sev] += 1
            by_path.setdefault(d.path, dict.fromkeys(SEVERITIES, 0))[sev] += 1

        outcomes = {f.path: f for f in result.files}
        files: list[FileView] = []
        for p in sorted(paths):
            f = outcomes.get(p)
            counts = by_path.get(p, dict.fromkeys(SEVERITIES, 0))
            fv = FileView(
                file_ids[p], text(p), (f.kind or "") if f else "", text(f.note) if f else "",
                bool(f.linted) if f else True, counts, sum(counts.values()),
            )
            fv.findings = reported_in.get(p, [])
            files.append(fv)

        rules: list[RuleView] = []
        for code in sorted(set(doc_codes) | set(result.rules_run)):
            cls = rule_classes.get(code)
            counts = by_code.get(code, dict.fromkeys(SEVERITIES, 0))
            if cls is not None:
                rules.append(RuleView(
                    code, cls.name, cls.severity.value, _clean(cls.summary()), sorted(cls.tags),
                    doc_html(cls.doc()), sum(counts.values()), counts,
                ))
                continue
            meta = _rule_meta(code)
            sev = getattr(meta, "severity", None)
            name = getattr(meta, "name", "") or next(
                (d.name for _, _, ds in groups for d in ds if d.code == code), ""
            )
            rules.append(RuleView(
                code, name, sev.value if isinstance(sev, Severity) else "", "", [], None,
                sum(counts.values()), counts,
            ))

        topology = build_topology(result, pairs, {p: file_ids[p] for p in sections})
        return {
            "version": opts.version,
            "files_linted": len(result.linted_files),
            "files_total": len(result.files),
            "total": len(result.diagnostics),
            "by_sev": by_sev,
            "suppressed": views["suppressed"],
            "baseline": views["baseline"],
            "files": files,
            "files_with": [f for f in files if f.total],
            "files_without": [f for f in files if not f.total],
            "rules": rules,
            "rules_with": [r for r in rules if r.count],
            "documented": [r for r in rules if r.doc is not None],
            "topology": topology,
            "verdicts": VERDICTS,
            "verdict_label": VERDICT_LABEL,
            "verdict_help": VERDICT_HELP,
            "verdict_color": VERDICT_COLOR,
            "internal_error": result.internal_error,
        }
