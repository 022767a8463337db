"""The jinja2 template of the html format (a Python string: the package ships no data files).
Rendered with autoescaping on: every value is escaped unless it is a `Markup` built by
cfglint.reporters.html (the rule docs, escaped piece by piece)."""

TEMPLATE = r"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="cfglint {{ version }}">
<meta name="referrer" content="no-referrer">
<title>cfglint report: {{ total }} finding{{ '' if total == 1 else 's' }}</title>
<link rel="icon" href="data:,">
<style>
:root { color-scheme: light; --error: #b71c1c; --warning: #a85f00; --info: #1565c0; --muted: #5f6368; --line: #dadce0; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: #202124; background: #f8f9fa; }
header { background: #263238; color: #fff; padding: 14px 24px; position: sticky; top: 0; z-index: 2; }
header h1 { margin: 0; font-size: 20px; display: inline-block; margin-right: 16px; }
header .meta { display: inline; color: #cfd8dc; }
header nav { margin-top: 6px; }
header nav a { color: #b3e5fc; margin-right: 14px; text-decoration: none; }
header nav a:hover { text-decoration: underline; }
.filters { float: right; color: #cfd8dc; }
.filters label { margin-left: 10px; cursor: pointer; }
main { padding: 8px 24px 40px; max-width: 1280px; }
section > h2 { border-bottom: 2px solid var(--line); padding-bottom: 4px; margin-top: 28px; scroll-margin-top: 90px; }
h3 { margin: 18px 0 8px; }
[id] { scroll-margin-top: 96px; }
:target { outline: 3px solid #ffb300; outline-offset: 2px; }
a { color: #1a73e8; }
.cards { display: flex; gap: 12px; flex-wrap: wrap; }
.card { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 10px 16px; min-width: 120px; }
.card .n { font-size: 26px; font-weight: 600; }
.card.error .n { color: var(--error); } .card.warning .n { color: var(--warning); } .card.info .n { color: var(--info); }
table { border-collapse: collapse; background: #fff; border: 1px solid var(--line); }
th, td { padding: 4px 10px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
th { background: #eceff1; font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.sev { display: inline-block; border-radius: 10px; padding: 0 8px; font-size: 12px; font-weight: 600; color: #fff; }
.sev.error { background: var(--error); } .sev.warning { background: var(--warning); } .sev.info { background: var(--info); }
.sev.none { background: #9e9e9e; }
code, pre, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; font-size: 13px; }
.file { background: #fff; border: 1px solid var(--line); border-radius: 8px; margin: 14px 0; padding: 0 14px 6px; }
.file > h3 { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; word-break: break-all; }
.finding { border-top: 1px solid var(--line); padding: 10px 0; }
.finding .head { display: flex; gap: 8px; align-items: baseline; flex-wrap: wrap; }
.finding .code { font-weight: 700; }
.finding .loc { color: var(--muted); }
.finding .msg { margin: 6px 0; white-space: pre-wrap; overflow-wrap: anywhere; }
.finding .help { margin: 4px 0; color: #0d47a1; overflow-wrap: anywhere; }
pre.src { background: #263238; color: #eceff1; padding: 6px 10px; margin: 4px 0; border-radius: 4px; overflow-x: auto; white-space: pre; }
pre.src .ln { color: #90a4ae; display: inline-block; min-width: 3.5em; user-select: none; }
pre.src mark { background: #ff8a80; color: #000; border-radius: 2px; }
.related { margin: 6px 0 0 18px; padding-left: 10px; border-left: 3px solid #90caf9; }
.related .rmsg { overflow-wrap: anywhere; }
.state { font-size: 12px; color: var(--muted); border: 1px solid var(--line); border-radius: 10px; padding: 0 6px; }
body:has(#show-error:not(:checked)) .finding.sev-error,
body:has(#show-warning:not(:checked)) .finding.sev-warning,
body:has(#show-info:not(:checked)) .finding.sev-info { display: none; }
.topo-wrap { display: flex; gap: 24px; flex-wrap: wrap; align-items: flex-start; }
.topo-wrap > .topo-side { flex: 1 1 340px; min-width: 300px; }
.topo-svg { background: #fff; border: 1px solid var(--line); border-radius: 8px; max-width: 100%; max-height: 90vh; overflow: auto; }
svg.topology { display: block; }
svg.topology text { font: 12px system-ui, sans-serif; fill: #202124; }
svg.topology text.sub { font-size: 10.5px; fill: #5f6368; }
svg.topology .node circle { fill: #eceff1; stroke: #37474f; stroke-width: 2; }
svg.topology .node.ghost circle { fill: #fff; stroke: #6a1b9a; stroke-dasharray: 4 3; }
svg.topology .node .badge { font-size: 11px; font-weight: 700; fill: #b71c1c; }
svg.topology .node.stub text.count { font-size: 9px; font-weight: 700; fill: #6a1b9a; }
svg.topology a:hover circle { fill: #cfd8dc; }
svg.topology a:hover path { stroke-width: 6; }
.legend { list-style: none; padding: 0; margin: 0; }
.legend li { margin: 4px 0; }
.swatch { display: inline-block; width: 34px; vertical-align: middle; }
.note { color: var(--muted); max-width: 60em; }
.rule { background: #fff; border: 1px solid var(--line); border-radius: 8px; margin: 12px 0; padding: 0 16px 8px; }
.rule > summary { cursor: pointer; padding: 10px 0; font-size: 15px; }
.rule .doc h4 { margin: 14px 0 4px; }
.rule pre.doc-code { background: #f1f3f4; padding: 8px 10px; border-radius: 4px; overflow-x: auto; }
.tags { color: var(--muted); }
footer { color: var(--muted); padding: 16px 24px; border-top: 1px solid var(--line); }
</style>
</head>
{% macro sevchip(s) %}<span class="sev {{ s or 'none' }}">{{ s or '?' }}</span>{% endmacro %}
{% macro source(lines) %}
{% if lines %}
<pre class="src">{% for l in lines %}<span class="ln">{{ l.number }}</span>{{ l.before }}<mark>{{ l.marked }}</mark>{{ l.after }}{% if not loop.last %}
{% endif %}{% endfor %}</pre>
{% endif %}
{% endmacro %}
{% macro finding(f, show_path=False) %}
<article class="finding sev-{{ f.severity }}" id="{{ f.id }}">
<div class="head">
{% if f.has_doc %}<a class="code" href="#rule-{{ f.code }}" title="documentation of {{ f.code }}">{{ f.code }}</a>{% else %}<span class="code">{{ f.code }}</span>{% endif %}
<span class="name">{{ f.name }}</span>
{{ sevchip(f.severity) }}
<span class="loc mono">{% if show_path %}{{ f.path }}:{% else %}line {% endif %}{{ f.line }}:{{ f.column }}</span>
{% if f.state != 'reported' %}<span class="state">{{ 'suppressed inline' if f.state == 'suppressed' else 'accepted by the baseline' }}</span>{% endif %}
</div>
<p class="msg">{{ f.message }}</p>
{{ source(f.source) }}
{% if f.fix_title %}<p class="help"><strong>help:</strong> {{ f.fix_title }}</p>{% endif %}
{% for r in f.related %}
<div class="related">
<div><span class="mono">{% if r.href %}<a href="{{ r.href }}">{{ r.path }}</a>{% else %}{{ r.path }}{% endif %}:{{ r.line }}:{{ r.column }}</span> <span class="rmsg">{{ r.message }}</span></div>
{{ source(r.source) }}
</div>
{% endfor %}
</article>
{% endmacro %}
<body>
<header>
<h1>cfglint report</h1>
<span class="meta">cfglint {{ version }} &middot; {{ files_linted }} file{{ '' if files_linted == 1 else 's' }} linted &middot; {{ total }} finding{{ '' if total == 1 else 's' }}{% if suppressed %} &middot; {{ suppressed|length }} suppressed{% endif %}{% if baseline %} &middot; {{ baseline|length }} in the baseline{% endif %}</span>
<div class="filters">Show:
<label><input type="checkbox" id="show-error" checked> errors</label>
<label><input type="checkbox" id="show-warning" checked> warnings</label>
<label><input type="checkbox" id="show-info" checked> info</label>
</div>
<nav>
<a href="#summary">Summary</a>
<a href="#by-rule">By rule</a>
<a href="#by-file">By file</a>
{% if topology %}<a href="#topology">VPN topology</a>{% endif %}
<a href="#findings">Findings</a>
{% if suppressed %}<a href="#suppressed">Suppressed</a>{% endif %}
{% if baseline %}<a href="#baseline">Baseline</a>{% endif %}
<a href="#rules">Rules</a>
</nav>
</header>
<main>
<section id="summary">
<h2>Summary</h2>
{% if internal_error %}<p class="note"><strong>An internal error occurred during the run (CFG005): some results may be missing.</strong></p>{% endif %}
<div class="cards" id="by-severity">
{% for s in ['error', 'warning', 'info'] %}
<div class="card {{ s }}" data-severity="{{ s }}"><div class="n">{{ by_sev[s] }}</div><div>{{ s if s == 'info' else s ~ ('' if by_sev[s] == 1 else 's') }}</div></div>
{% endfor %}
<div class="card" data-severity="suppressed"><div class="n">{{ suppressed|length }}</div><div>suppressed inline</div></div>
{% if baseline %}<div class="card" data-severity="baseline"><div class="n">{{ baseline|length }}</div><div>in the baseline</div></div>{% endif %}
<div class="card"><div class="n">{{ files_linted }}</div><div>files linted{% if files_total != files_linted %} (of {{ files_total }}){% endif %}</div></div>
</div>

<h3 id="by-rule">By rule</h3>
{% if rules_with %}
<table class="by-rule">
<thead><tr><th>rule</th><th>name</th><th class="num">findings</th><th class="num">errors</th><th class="num">warnings</th><th class="num">info</th></tr></thead>
<tbody>
{% for r in rules_with %}
<tr data-code="{{ r.code }}"><td>{% if r.doc is not none %}<a href="#rule-{{ r.code }}">{{ r.code }}</a>{% else %}{{ r.code }}{% endif %}</td><td>{{ r.name }}</td><td class="num">{{ r.count }}</td><td class="num">{{ r.counts.error }}</td><td class="num">{{ r.counts.warning }}</td><td class="num">{{ r.counts.info }}</td></tr>
{% endfor %}
</tbody>
</table>
{% else %}
<p>No findings.</p>
{% endif %}

<h3 id="by-file">By file</h3>
{% if files_with %}
<table class="by-file">
<thead><tr><th>file</th><th>kind</th><th class="num">findings</th><th class="num">errors</th><th class="num">warnings</th><th class="num">info</th></tr></thead>
<tbody>
{% for f in files_with %}
<tr data-path="{{ f.path }}"><td class="mono"><a href="#{{ f.id }}">{{ f.path }}</a></td><td>{{ f.kind }}</td><td class="num">{{ f.total }}</td><td class="num">{{ f.counts.error }}</td><td class="num">{{ f.counts.warning }}</td><td class="num">{{ f.counts.info }}</td></tr>
{% endfor %}
</tbody>
</table>
{% else %}
<p>No file has findings.</p>
{% endif %}
{% if files_without %}
<details class="clean-files">
<summary>{{ files_without|length }} file{{ '' if files_without|length == 1 else 's' }} without findings</summary>
<table>
<thead><tr><th>file</th><th>kind</th><th>status</th></tr></thead>
<tbody>
{% for f in files_without %}
<tr><td class="mono">{{ f.path }}</td><td>{{ f.kind }}</td><td>{{ 'linted' if f.linted else 'not linted' }}{% if f.note %}: {{ f.note }}{% endif %}</td></tr>
{% endfor %}
</tbody>
</table>
</details>
{% endif %}
</section>

{% if topology %}
{% set t = topology %}
{% set tc = t.counts() %}
<section id="topology">
<h2>VPN topology</h2>
<div class="topo-wrap">
<div class="topo-svg">
<svg class="topology" viewBox="0 0 {{ t.width }} {{ t.height }}" width="{{ t.width }}" height="{{ t.height }}" role="img" aria-labelledby="topo-title topo-desc">
<title id="topo-title">VPN topology</title>
<desc id="topo-desc">{{ t.nodes|rejectattr('ghost')|list|length }} ASA devices and {{ t.edges|length }} tunnels{% for v in verdicts if tc[v] %}, {{ tc[v] }} {{ verdict_label[v] }}{% endfor %}</desc>
<defs>
<marker id="arrow-one-way" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="{{ verdict_color['one-way'] }}"/></marker>
</defs>
<g class="edges">
{% for e in t.edges %}
<a href="#{{ e.id }}" class="edge {{ e.verdict }}" data-verdict="{{ e.verdict }}" data-a="{{ e.a }}" data-b="{{ e.b }}">
<path d="{{ e.path }}" fill="none" stroke="{{ verdict_color[e.verdict] }}" stroke-width="3.5" stroke-linecap="round"{% if e.verdict in ('unverified', 'peer-missing') %} stroke-dasharray="7 5"{% endif %}{% if e.verdict == 'one-way' and e.initiator %} marker-end="url(#arrow-one-way)"{% endif %}><title>{{ t.node(e.a).label }} &#8596; {{ t.node(e.b).label }}: {{ verdict_label[e.verdict] }}{% if e.findings %} ({{ e.findings|map('last')|unique|join(', ') }}){% endif %}</title></path>
</a>
{% endfor %}
</g>
<g class="nodes">
{% for n in t.nodes %}
<g class="node{{ ' ghost' if n.ghost else '' }}{{ ' stub' if n.stub else '' }}" data-key="{{ n.key }}">
{% if n.href %}<a href="{{ n.href }}">{% endif %}
<circle cx="{{ n.x|f1 }}" cy="{{ n.y|f1 }}" r="{{ n.r|f1 }}"><title>{{ n.title }}</title></circle>
{% if n.stub %}<text class="count" x="{{ n.x|f1 }}" y="{{ (n.y + 4)|f1 }}" text-anchor="middle">{{ n.stub }}</text>{% endif %}
{% if n.findings %}<text class="badge" x="{{ n.x|f1 }}" y="{{ (n.y + 4)|f1 }}" text-anchor="middle">{{ n.findings }}</text>{% endif %}
{% if n.href %}</a>{% endif %}
{% if n.rotate is not none %}
<g transform="rotate({{ n.rotate|f1 }} {{ n.lx|f1 }} {{ n.ly|f1 }})"><text x="{{ n.lx|f1 }}" y="{{ (n.ly - 1)|f1 }}" text-anchor="{{ n.anchor }}">{{ n.label }}</text>{% if n.sub %}<text class="sub" x="{{ n.lx|f1 }}" y="{{ (n.ly + 11)|f1 }}" text-anchor="{{ n.anchor }}">{{ n.sub }}</text>{% endif %}</g>
{% elif not n.stub %}
<text x="{{ n.lx|f1 }}" y="{{ n.ly|f1 }}" text-anchor="{{ n.anchor }}">{{ n.label }}</text>
{% if n.sub %}<text class="sub" x="{{ n.lx|f1 }}" y="{{ (n.ly + 13)|f1 }}" text-anchor="{{ n.anchor }}">{{ n.sub }}</text>{% endif %}
{% endif %}
</g>
{% endfor %}
</g>
</svg>
</div>
<div class="topo-side">
<h3>Legend</h3>
<ul class="legend">
{% for v in verdicts %}
<li data-verdict="{{ v }}"><svg class="swatch" width="34" height="10" aria-hidden="true"><line x1="2" y1="5" x2="32" y2="5" stroke="{{ verdict_color[v] }}" stroke-width="3.5"{% if v in ('unverified', 'peer-missing') %} stroke-dasharray="7 5"{% endif %}/></svg> <strong>{{ verdict_label[v] }}</strong> ({{ tc[v] }}): {{ verdict_help[v] }}</li>
{% endfor %}
<li><svg class="swatch" width="34" height="16" aria-hidden="true"><circle cx="17" cy="8" r="6" fill="#fff" stroke="#6a1b9a" stroke-width="2" stroke-dasharray="3 2"/></svg> a peer address no config of the run owns</li>
</ul>
<p class="note">Devices are the ASA configs linted, on a circle in path order; a device's circle links to its findings. Tunnels named by a finding (ASA001&ndash;ASA005, suppressed and baseline ones included) take the worst verdict of those findings; the other pairs come from the IPsec analysis re-run over the same files with the default options (a pair joined only through the <code>peer-map</code> option is drawn only when a finding names it).{% if t.note %} {{ t.note }}{% endif %}</p>
</div>
</div>
{% if t.edges %}
<h3>Tunnels</h3>
<table class="tunnels">
<thead><tr><th>device</th><th>device</th><th>verdict</th><th>evidence</th></tr></thead>
<tbody>
{% for e in t.edges %}
{% set na = t.node(e.a) %}{% set nb = t.node(e.b) %}
<tr id="{{ e.id }}" data-verdict="{{ e.verdict }}">
<td>{{ na.label }}<br><span class="mono tags">{{ na.key }}</span></td>
<td>{{ nb.label }}<br>{% if nb.ghost %}<span class="tags">{{ nb.sub }}</span>{% else %}<span class="mono tags">{{ nb.key }}</span>{% endif %}</td>
<td><span style="color: {{ verdict_color[e.verdict] }}; font-weight: 600">{{ verdict_label[e.verdict] }}</span>{% if e.verdict == 'one-way' and e.initiator %}<br>only {{ t.node(e.initiator).label }} brings it up{% endif %}</td>
<td>{% if e.findings %}{% for fid, code in e.findings %}<a href="#{{ fid }}">{{ code }}</a>{% if fid[0] == 's' %} (suppressed){% elif fid[0] == 'b' %} (baseline){% endif %}{{ ', ' if not loop.last }}{% endfor %}{% else %}{{ e.detail }}{% endif %}</td>
</tr>
{% endfor %}
</tbody>
</table>
{% endif %}
</section>
{% endif %}

<section id="findings">
<h2>Findings</h2>
{% for f in files_with %}
<section class="file" id="{{ f.id }}">
<h3>{{ f.path }}</h3>
{% for d in f.findings %}{{ finding(d) }}{% endfor %}
</section>
{% else %}
<p>No findings{% if suppressed %} ({{ suppressed|length }} suppressed){% endif %}.</p>
{% endfor %}
</section>

{% if suppressed %}
<section id="suppressed">
<h2>Suppressed inline ({{ suppressed|length }})</h2>
<details>
<summary>Show the findings silenced by <code>cfglint: ignore</code> comments</summary>
{% for d in suppressed %}{{ finding(d, True) }}{% endfor %}
</details>
</section>
{% endif %}

{% if baseline %}
<section id="baseline">
<h2>Accepted by the baseline ({{ baseline|length }})</h2>
<details>
<summary>Show the findings the baseline file hides</summary>
{% for d in baseline %}{{ finding(d, True) }}{% endfor %}
</details>
</section>
{% endif %}

<section id="rules">
<h2>Rules</h2>
{% for r in documented %}
<details class="rule" id="rule-{{ r.code }}" open>
<summary><strong>{{ r.code }}</strong> {{ r.name }} {{ sevchip(r.severity) }}{% if r.count %} &middot; {{ r.count }} finding{{ '' if r.count == 1 else 's' }}{% endif %}{% if r.tags %} <span class="tags">[{{ r.tags|join(', ') }}]</span>{% endif %}</summary>
<div class="doc">{{ r.doc }}</div>
</details>
{% endfor %}
<details class="rules-run">
<summary>{{ rules|length }} rule{{ '' if rules|length == 1 else 's' }} in this run</summary>
<table>
<thead><tr><th>rule</th><th>name</th><th>severity</th><th class="num">findings</th></tr></thead>
<tbody>
{% for r in rules %}
<tr><td>{% if r.doc is not none %}<a href="#rule-{{ r.code }}">{{ r.code }}</a>{% else %}{{ r.code }}{% endif %}</td><td>{{ r.name }}</td><td>{{ sevchip(r.severity) }}</td><td class="num">{{ r.count }}</td></tr>
{% endfor %}
</tbody>
</table>
</details>
</section>
</main>
<footer>Generated by cfglint {{ version }}. This page is self-contained: it loads nothing and runs no script.</footer>
</body>
</html>"""
