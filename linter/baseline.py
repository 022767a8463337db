"""Baselines: adopt cfglint in a repository with existing findings, and fail only on new ones.

`.cfglint-baseline.json` lists the accepted findings by structural key (see cfglint.fingerprints):
rule code, path relative to the baseline file's directory, and the structural anchor (or the
message with numbers and line references taken out), with the number of such findings. No line
number is stored, so edits elsewhere in a file keep the entries valid.

    {"schema": "cfglint-baseline/1", "generated-by": "cfglint 0.1.0",
     "entries": [{"code": "DAV011", "name": "unknown-key", "path": "etc/davmail.properties",
                  "anchor": "davmail.imapPrt", "count": 1}]}

With `check --baseline FILE`, the first `count` findings of each key (in source order) are hidden;
further ones are new. An entry whose file was linted and that now matches fewer findings than its
count is stale (the finding was fixed): reported, dropped by `cfglint baseline prune`. Rules that
cannot be suppressed (unreadable, binary, undecodable or unparsable files, crashes) are never
baselined. Every string written passes through the run's Masker.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from cfglint.api import Diagnostic, Rule
from cfglint.fingerprints import Key, keyed

SCHEMA = "cfglint-baseline/1"
DEFAULT_FILE = ".cfglint-baseline.json"


class BaselineError(Exception):
    pass


@dataclass
class Entry:
    code: str
    path: str
    kind: str  # "anchor" or "text" (the normalised message)
    value: str
    count: int
    name: str = ""

    @property
    def key(self) -> Key:
        return (self.code, self.path, "anchor" if self.kind == "anchor" else "message", self.value)

    def as_json(self, mask: Callable[[str], str]) -> dict:
        d = {"code": mask(self.code)}
        if self.name:
            d["name"] = mask(self.name)
        d["path"] = mask(self.path)
        d[self.kind] = mask(self.value)
        d["count"] = self.count
        return d


@dataclass
class Baseline:
    file: Path
    entries: dict[Key, Entry] = field(default_factory=dict)

    @property
    def base(self) -> Path:
        return Path(os.path.abspath(self.file)).parent

    @classmethod
    def load(cls, file: Path) -> Baseline:
        try:
            doc = json.loads(file.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise BaselineError(f"baseline file not found: {file} (create it with `cfglint baseline create`)") from None
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
            raise BaselineError(f"cannot read baseline {file}: {e}") from None
        if not isinstance(doc, dict) or doc.get("schema") != SCHEMA or not isinstance(doc.get("entries"), list):
            raise BaselineError(f"{file} is not a cfglint baseline (expected \"schema\": \"{SCHEMA}\")")
        b = cls(file)
        for i, raw in enumerate(doc["entries"]):
            try:
                kind = "anchor" if "anchor" in raw else "text"
                e = Entry(
                    code=str(raw["code"]),
                    path=str(raw["path"]),
                    kind=kind,
                    value=str(raw[kind]),
                    count=int(raw.get("count", 1)),
                    name=str(raw.get("name", "")),
                )
            except (KeyError, TypeError, ValueError):
                raise BaselineError(f"{file}: entry {i + 1} lacks code, path, anchor/text or count") from None
            if e.count < 1:
                continue
            prev = b.entries.get(e.key)
            if prev is not None:
                prev.count += e.count
            else:
                b.entries[e.key] = e
        return b

    def dumps(self, mask: Callable[[str | None], str | None], version: str) -> str:
        def m(s: str) -> str:
            return mask(s) or ""

        entries = sorted(self.entries.values(), key=lambda e: (e.path, e.code, e.kind, e.value))
        doc = {
            "schema": SCHEMA,
            "generated-by": f"cfglint {version}",
            "entries": [e.as_json(m) for e in entries if e.count > 0],
        }
        return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def baselinable(d: Diagnostic, rules: Mapping[str, type[Rule]]) -> bool:
    rule = rules.get(d.code)
    return rule is None or rule.suppressible


def current_counts(
    diagnostics: Iterable[Diagnostic], base: Path, rules: Mapping[str, type[Rule]], cwd: Path | None = None
) -> dict[Key, Entry]:
    out: dict[Key, Entry] = {}
    for d, key, _n in keyed((d for d in diagnostics if baselinable(d, rules)), base, cwd, up=True):
        e = out.get(key)
        if e is None:
            code, path, kind, value = key
            out[key] = Entry(code, path, "anchor" if kind == "anchor" else "text", value, 1, d.name)
        else:
            e.count += 1
    return out


@dataclass
class Outcome:
    kept: list[Diagnostic]
    hidden: list[Diagnostic]
    stale: list[Entry]  # count = how many fewer findings than the entry accepts


def apply(
    baseline: Baseline,
    diagnostics: Iterable[Diagnostic],
    rules: Mapping[str, type[Rule]],
    in_scope: Callable[[str, str], bool],
    cwd: Path | None = None,
) -> Outcome:
    """Hide the findings the baseline accepts. `in_scope(code, path)`: whether an entry's rule ran on
    its path (relative to the baseline) in this run, so that its absence means the finding was fixed."""
    diagnostics = list(diagnostics)
    remaining = {k: e.count for k, e in baseline.entries.items()}
    matched: dict[Key, int] = {}
    kept, hidden = [], []
    for d, key, _n in keyed(diagnostics, baseline.base, cwd, up=True):
        if baselinable(d, rules) and remaining.get(key, 0) > 0:
            remaining[key] -= 1
            matched[key] = matched.get(key, 0) + 1
            hidden.append(d)
        else:
            kept.append(d)
    kept.sort(key=Diagnostic.sort_key)
    stale = []
    for key, e in sorted(baseline.entries.items(), key=lambda kv: (kv[1].path, kv[1].code, kv[1].value)):
        left = remaining.get(key, 0)
        if left > 0 and in_scope(e.code, e.path):
            stale.append(Entry(e.code, e.path, e.kind, e.value, left, e.name))
    return Outcome(kept, hidden, stale)


def create(file: Path, diagnostics: Iterable[Diagnostic], rules: Mapping[str, type[Rule]], cwd: Path | None = None) -> Baseline:
    b = Baseline(file)
    b.entries = current_counts(diagnostics, b.base, rules, cwd)
    return b


def update(
    old: Baseline, diagnostics: Iterable[Diagnostic], rules: Mapping[str, type[Rule]], cwd: Path | None = None
) -> tuple[Baseline, int]:
    """Accept the new findings too (entries are never lowered). Returns (baseline, findings added)."""
    added = 0
    for key, e in current_counts(diagnostics, old.base, rules, cwd).items():
        prev = old.entries.get(key)
        if prev is None:
            old.entries[key] = e
            added += e.count
        elif e.count > prev.count:
            added += e.count - prev.count
            prev.count = e.count
    return old, added


def prune(
    old: Baseline,
    diagnostics: Iterable[Diagnostic],
    rules: Mapping[str, type[Rule]],
    in_scope: Callable[[str, str], bool],
    cwd: Path | None = None,
) -> tuple[Baseline, int]:
    """Drop what was fixed: lower each in-scope entry to the findings still present. Returns
    (baseline, findings dropped)."""
    now = current_counts(diagnostics, old.base, rules, cwd)
    dropped = 0
    for key in list(old.entries):
        e = old.entries[key]
        if not in_scope(e.code, e.path):
            continue
        have = now[key].count if key in now else 0
        if have < e.count:
            dropped += e.count - have
            e.count = have
        if e.count <= 0:
            del old.entries[key]
    return old, dropped


def scope_checker(
    base: Path,
    linted: Iterable[Path],
    roots: Iterable[Path],
    enabled_for: Callable[[Path], frozenset[str]],
) -> Callable[[str, str], bool]:
    """An entry (code, path relative to `base`) is in scope when its rule ran on its file in this run,
    or when the file no longer exists, lies under one of the paths the run was given, and the rule
    would run on it. Entries of files not linted this time, or of rules not selected, are left alone."""
    base = Path(os.path.abspath(base))
    linted_abs = {os.path.normpath(os.path.abspath(p)): p for p in linted}
    roots_abs = [os.path.normpath(os.path.abspath(r)) for r in roots]

    def check(code: str, rel: str) -> bool:
        p = os.path.normpath(rel if os.path.isabs(rel) else os.path.join(base, rel))
        if p in linted_abs:
            return code in enabled_for(linted_abs[p])
        if os.path.lexists(p):
            return False  # present but not linted this time (excluded, another kind, not given)
        under = any(p == r or p.startswith(r.rstrip(os.sep) + os.sep) for r in roots_abs)
        return under and code in enabled_for(Path(p))

    return check
