"""The run: discover -> recognise -> map -> reduce -> suppressions -> severity overrides -> masking.
Reporters receive a finished `RunResult`.

Map (per file): read the bytes, look the file up in the content cache (cfglint.cache); for a miss,
parse and run the per-file rules (`parse_file`), in worker processes when there is enough to parse
(`--jobs`, see `_pool_plan`). A worker sends back a `FileResult`: the findings, the parsed suppression
directives, the secret values (for masking) and positions, the source lines the findings show, and
the model (its redacted `index_view()`) only when a cross-file rule needs that kind.
Reduce (this process, in file order, so any --jobs prints the same bytes): cross-file rules over the
`ProjectIndex`, then suppressions, severity overrides and masking.
"""

from __future__ import annotations

import gc
import os
import re
import sys
import traceback
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cfglint.api import (
    Diagnostic,
    FileContext,
    FileRule,
    ProjectContext,
    ProjectIndex,
    ProjectRule,
    Rule,
    Severity,
    make_diagnostic,
)
from cfglint.registry import rule_info
from cfglint.secrets import Masker, mask_line

if TYPE_CHECKING:
    from cfglint.api import SourceModel, Span
    from cfglint.cache import Cache

# Text encoding each kind's consumer reads. Java reads .properties as ISO-8859-1 (never fails).
KIND_ENCODING = {"davmail": "latin-1"}

# The worker pool is used only when the files to parse (cache misses) add up to this much: below it,
# starting the workers costs more than it saves. Measured with bench/run.py on 2 cores: a forked pool
# starts in ~15 ms, a forkserver one in ~0.2 s; parsing plus the per-file rules run at ~3 MB/s (DavMail)
# to ~10 MB/s (ASA).
POOL_MIN_FILES = 4
POOL_MIN_BYTES = {"fork": 256 * 1024, "forkserver": 4 * 1024 * 1024, "spawn": 8 * 1024 * 1024}


@dataclass
class FileOutcome:
    path: str
    kind: str | None
    linted: bool = False
    note: str = ""  # why a recognised file was not linted


@dataclass
class RunResult:
    diagnostics: list[Diagnostic]
    suppressed: list[Diagnostic]
    files: list[FileOutcome]
    internal_error: bool
    snippets: dict[tuple[str, int], str] = field(default_factory=dict)
    masker: Masker = field(default_factory=Masker)
    rules_run: list[str] = field(default_factory=list)
    # How the map step went: files, parsed, cached (read from the cache), stored (written to it),
    # workers (0: in this process).
    stats: dict[str, int] = field(default_factory=dict)

    def snippet(self, path: str, line: int) -> str | None:
        return self.snippets.get((path, line))

    @property
    def linted_files(self) -> list[FileOutcome]:
        return [f for f in self.files if f.linted]


@dataclass
class _Parsed:
    path: str
    abs_path: Path
    kind: str
    model: SourceModel | None
    lines: Sequence[str]
    diagnostics: list[Diagnostic]
    enabled: frozenset[str]
    crashed: set[str]


@dataclass
class FileTask:
    """One file of the map step, as the parent prepares it."""

    abs_path: Path
    shown: str
    kind: str
    enabled: frozenset[str]
    codes: tuple[str, ...]  # the per-file rules that apply to it (enabled, of its kind)
    options: dict  # their options
    with_model: bool  # a cross-file rule needs its model
    key: str = ""  # its cache entry, when the cache is used


@dataclass
class FileResult:
    """What the map step of one file sends to the reduce phase (from a worker, or the cache)."""

    path: str
    kind: str
    has_model: bool
    note: str
    diagnostics: list[Diagnostic]  # per-file findings (plain, unmasked)
    directives: list  # cfglint.suppressions.Directive
    directive_problems: list[Diagnostic]
    crashed: set[str]
    secrets: list[str]  # the model's secret values, for the masker
    tokens: list[str]  # the fingerprints standing for them in `model`, for the masker too
    spans: list  # cfglint.cache.SpanPos of the secrets
    model: Any  # the redacted index view (or a cache.ModelRef to it), only when a cross-file rule needs it
    n_lines: int
    lines: dict[int, str]  # display lines (secret spans masked) the findings and directives show
    source: str = "parsed"  # "parsed", "cache"
    stored: bool = False


@dataclass
class _MapContext:
    rules: Mapping[str, type[Rule]]
    key: bytes  # the fingerprint key (the cache directory's, else one per run)
    cache: Cache | None
    salt: bytes = b""
    in_worker: bool = False  # send models back pickled (they are unpickled only if needed)


def display_path(p: Path, cwd: Path | None = None) -> str:
    """Relative to the current directory when inside it, else absolute; always forward slashes."""
    cwd = cwd or Path.cwd()
    ap = Path(os.path.abspath(p))
    try:
        return ap.relative_to(cwd).as_posix()
    except ValueError:
        return ap.as_posix()


def _engine(code: str) -> type[Rule]:
    from cfglint.registry import load_rules

    return load_rules()[code]


def _first_undecodable(data: bytes) -> tuple[int, int, int] | None:
    """(line, column, byte) of the first byte that is not valid UTF-8, or None."""
    try:
        data.decode("utf-8")
        return None
    except UnicodeDecodeError as e:
        before = data[: e.start]
        line = before.count(b"\n") + 1
        col = e.start - (before.rfind(b"\n") + 1) + 1
        return line, col, data[e.start]


def decode_lines(data: bytes, kind: str) -> list[str]:
    enc = KIND_ENCODING.get(kind, "utf-8")
    text = data.decode(enc, errors="replace")
    if text.startswith("\ufeff"):
        text = text[1:]
    # Java and the shells end lines at \n, \r\n and \r alike. One split, no intermediate copies of
    # the whole text (a 30 MB one-line file must not be held four times over).
    if "\r" not in text:
        return text.split("\n")
    return _LINE_END_RE.split(text)


_LINE_END_RE = re.compile(r"\r\n|\r|\n")
_LINE_END_B = re.compile(rb"\r\n|\r|\n")


class SourceLines(Sequence):
    """The lines `decode_lines(data, kind)` gives, each decoded when it is asked for: the engine
    needs a few lines of a file (the ones findings show, directives, secret spans), and decoding
    them all up front held a second copy of every file (of a 30 MB one-line file, 30 MB more).

    Line ends are found in the bytes: in UTF-8 and ISO-8859-1 the bytes CR and LF are those
    characters and nothing else, and an invalid sequence never runs across them, so a line decoded
    alone is the line of the whole decoded text (tests/test_source_lines.py holds them equal)."""

    __slots__ = ("_data", "_enc", "_starts", "_ends")

    def __init__(self, data: bytes, kind: str):
        from array import array

        self._data = data
        self._enc = KIND_ENCODING.get(kind, "utf-8")
        if b"\r" in data:
            starts, ends = array("q", [0]), array("q")
            for m in _LINE_END_B.finditer(data):
                ends.append(m.start())
                starts.append(m.end())
            ends.append(len(data))
        elif data.count(b"\n") < 64:
            starts, ends = array("q", [0]), array("q")
            at = data.find(b"\n")
            while at >= 0:
                ends.append(at)
                starts.append(at + 1)
                at = data.find(b"\n", at + 1)
            ends.append(len(data))
        else:
            # Many lines: their lengths from one split (in C; the pieces are let go at once), the
            # bounds by running sums (in C too) rather than a Python step per line.
            from itertools import accumulate, repeat
            from operator import add

            lengths = array("q", map(len, data.split(b"\n")))
            starts = array("q", accumulate(map(add, lengths[:-1], repeat(1)), initial=0))
            ends = array("q", map(add, starts, lengths))
        self._starts = starts
        self._ends = ends

    def __len__(self) -> int:
        return len(self._starts)

    def _line(self, i: int) -> str:
        # Decoded from a view of the bytes: a 30 MB line is not copied as bytes first.
        text = str(memoryview(self._data)[self._starts[i] : self._ends[i]], self._enc, "replace")
        if i == 0 and text.startswith("\ufeff"):
            text = text[1:]
        return text

    def __getitem__(self, i):  # type: ignore[override]
        n = len(self)
        if isinstance(i, slice):
            return [self._line(k) for k in range(*i.indices(n))]
        if i < 0:
            i += n
        if not 0 <= i < n:
            raise IndexError(i)
        return self._line(i)

    def __iter__(self):
        for i in range(len(self)):
            yield self._line(i)

    def joined(self) -> str:
        """`"\n".join(self)`, decoded in one piece (line ends made `\n`)."""
        text = self._data.decode(self._enc, errors="replace")
        if text.startswith("\ufeff"):
            text = text[1:]
        return _LINE_END_RE.sub("\n", text) if "\r" in text else text


def _joined(lines: Sequence[str]) -> str:
    """`"\n".join(lines)`, in one decode for `SourceLines`."""
    return lines.joined() if isinstance(lines, SourceLines) else "\n".join(lines)


class _Meta:
    """Rule metadata without importing rules: from a LazyRules mapping, else from the classes."""

    def __init__(self, rules: Mapping[str, type[Rule]]):
        self._rules = rules
        self._lazy = getattr(rules, "meta", None)
        self._memo: dict[str, Any] = {}

    def get(self, code: str) -> Any:
        m = self._memo.get(code)
        if m is None and code not in self._memo:
            from cfglint.registry import RuleMeta

            try:
                m = self._lazy(code) if self._lazy is not None else RuleMeta.of(self._rules[code])
            except (KeyError, AttributeError, TypeError):
                m = None
            self._memo[code] = m
        return m


def _file_codes(enabled: frozenset[str], kind: str, meta: _Meta) -> tuple[str, ...]:
    out = []
    for code in sorted(enabled):
        m = meta.get(code)
        if m is not None and m.scope == "file" and m.applies_to(kind):
            out.append(code)
    return tuple(out)


def parse_file(
    abs_path: Path,
    shown: str,
    kind: str,
    data: bytes | None,
    enabled: frozenset[str],
    rules: Mapping[str, type[Rule]],
    rule_options: Mapping[str, dict],
    codes: Sequence[str] | None = None,
) -> _Parsed:
    """The map step for one file: read problems, parse, per-file rules. Never raises.
    `codes`: the per-file rules to run (default: those of `enabled` that apply to `kind`)."""
    from cfglint.parsers import parser_for

    diags: list[Diagnostic] = []
    crashed: set[str] = set()

    def span(line: int = 1, col: int = 1) -> Span:
        from cfglint.api import Span

        return Span(path=shown, line=line, column=col)

    if data is None:
        try:
            data = abs_path.read_bytes()
        except OSError as e:
            diags.append(make_diagnostic(_engine("CFG001"), span(), _unreadable(abs_path, e), anchor="file"))
            return _Parsed(shown, abs_path, kind, None, [], diags, enabled, crashed)
    nul = data.find(b"\x00")
    if nul >= 0:
        line = data.count(b"\n", 0, nul) + 1
        diags.append(
            make_diagnostic(
                _engine("CFG002"),
                span(line),
                f"binary data (NUL byte at offset {nul}); not linted as {kind}",
                anchor="file",
            )
        )
        return _Parsed(shown, abs_path, kind, None, [], diags, enabled, crashed)
    if KIND_ENCODING.get(kind, "utf-8") == "utf-8":
        bad = _first_undecodable(data)
        if bad:
            diags.append(
                make_diagnostic(
                    _engine("CFG003"),
                    span(bad[0], bad[1]),
                    f"invalid UTF-8 (byte 0x{bad[2]:02x}); the rest is read with the byte replaced",
                    anchor="encoding",
                )
            )
    lines = SourceLines(data, kind)
    parser = parser_for(kind)
    if parser is None:
        return _Parsed(shown, abs_path, kind, None, lines, diags, enabled, crashed)
    # A parse builds a large tree of objects that live on and makes little garbage: the cyclic GC,
    # run again and again as the tree grows, only scans it (a 300k-line ASA config took 1.6x as
    # long with it on). Off for the parse; the tree is then frozen for the per-file rules.
    gc_was_on = gc.isenabled()
    gc.disable()
    try:
        model = parser(data, shown)
    except Exception as e:  # a parser bug: report it, never let it escape
        diags.append(
            make_diagnostic(
                _engine("CFG005"),
                span(),
                f"internal error in the {kind} parser: {type(e).__name__}: {e}",
                anchor="parser",
            )
        )
        _debug_trace()
        return _Parsed(shown, abs_path, kind, None, lines, diags, enabled, {"*"})
    finally:
        if gc_was_on:
            gc.enable()
    if _FREEZE_MODELS:
        gc.freeze()  # within a run (which unfreezes at its end): the model is not scanned again
    for p in model.problems:
        rule = rules.get(p.code) or _engine("CFG004")
        diags.append(make_diagnostic(rule, p.span, p.message, anchor="parse"))
    if codes is None:
        codes = _file_codes(enabled, kind, _Meta(rules))
    for code in codes:
        rule = rules.get(code)
        if rule is None or not issubclass(rule, FileRule) or kind not in rule.kinds:
            continue
        if not isinstance(model, rule.model_type):
            continue
        ctx = FileContext(path=shown, kind=kind, options=dict(rule_options.get(code, {})))
        try:
            diags.extend(rule().check(model, ctx))
        except Exception as e:
            crashed.add(code)
            diags.append(
                make_diagnostic(
                    _engine("CFG005"),
                    span(),
                    f"internal error in {code} ({rule.name}): {type(e).__name__}: {e}",
                    anchor=f"rule:{code}",
                )
            )
            _debug_trace()
    return _Parsed(shown, abs_path, kind, model, lines, diags, enabled, crashed)


def _unreadable(path: Path, e: OSError) -> str:
    """Why `path` could not be read: a directory (discovery could not list it) says so."""
    if isinstance(e, IsADirectoryError) or path.is_dir():
        try:
            with os.scandir(path):
                pass
        except OSError as listing:
            e = listing
        return f"cannot list directory: {e.strerror or type(e).__name__}; the files in it are not linted"
    return f"cannot read file: {e.strerror or type(e).__name__}"


def _debug_trace() -> None:
    if os.environ.get("CFGLINT_DEBUG"):
        traceback.print_exc()


# --------------------------------------------------------------------------------------------------
# Map


def _wanted_lines(path: str, diagnostics: Sequence[Diagnostic], directives: Sequence[Any]) -> set[int]:
    """The lines of this file that the findings (and the suppression findings) may show."""
    wanted: set[int] = set()
    for d in diagnostics:
        wanted.add(d.line)
        wanted.update(r.span.line for r in d.related if r.span.path == path)
    wanted.update(dv.span.line for dv in directives)
    return wanted


def _display_lines(lines: Sequence[str], spans: list, kind: str, wanted: set[int]) -> dict[int, str]:
    """Lines `wanted` of a file as shown: secret spans masked, decoded for display, cut when long."""
    if not lines:
        return {}
    numbers = sorted(n for n in wanted if 1 <= n <= len(lines))
    # The secret spans over each wanted line (mask_lines on the whole file gives the same lines).
    over: dict[int, list] = {}
    if spans:
        wanted_set = set(numbers)
        for sp in spans:
            first, last = max(sp.line, 1), min(sp.last_line, len(lines))
            if last - first < len(wanted_set):
                hit = [n for n in range(first, last + 1) if n in wanted_set]
            else:
                hit = [n for n in wanted_set if first <= n <= last]
            for n in hit:
                over.setdefault(n, []).append(sp)
    out = {}
    for n in numbers:
        line = lines[n - 1]
        mine = over.get(n)
        if mine:
            line = mask_line(line, n, mine)
        out[n] = _cut_line(_display_line(line, kind))
    return out


# A source line longer than this is shown cut, with a marker saying how much is left out: a 30 MB
# one-line file must make neither a 30 MB report nor a 30 MB copy kept until the end of the run.
MAX_SNIPPET = 1_000
_CUT_RE = re.compile(r" \.\.\.\[(\d+) more characters\]$")


def _cut_line(line: str) -> str:
    if len(line) <= MAX_SNIPPET:
        return line
    return f"{line[:MAX_SNIPPET]} ...[{len(line) - MAX_SNIPPET} more characters]"


def split_cut(snippet: str) -> tuple[str, str]:
    """(the source text, the cut marker or "") of a snippet line: reporters draw spans on the first."""
    m = _CUT_RE.search(snippet)
    if m is None:
        return snippet, ""
    return snippet[: m.start()], snippet[m.start() :]


def _mask_snippet(text: str, masker: Masker) -> str:
    """Mask a snippet line with every secret of the run. A cut line first loses any tail that could
    be the beginning of a secret the cut went through (masking needs the whole value to see it)."""
    head, cut = split_cut(text)
    if cut and masker:
        trimmed = masker.without_partial_tail(head)
        if len(trimmed) < len(head):
            more = int(_CUT_RE.search(cut).group(1)) + len(head) - len(trimmed)  # type: ignore[union-attr]
            head, cut = trimmed, f" ...[{more} more characters]"
    return (masker.text(head) or "") + cut


def _map_parse(task: FileTask, data: bytes | None, ctx: _MapContext) -> FileResult:
    """A cache miss: parse, run the per-file rules, store the entry."""
    from cfglint.cache import Redactor, SpanPos, fresh_private, secret_forms

    p = parse_file(task.abs_path, task.shown, task.kind, data, task.enabled, ctx.rules, task.options, task.codes)
    model = p.model
    directives: list = []
    problems: list[Diagnostic] = []
    secrets: list[str] = []
    spans: list = []
    if model is not None:
        from cfglint import suppressions

        directives, problems = suppressions.parse_directives(model.comments, p.lines, ctx.rules)
        secrets = [s for s in model.secrets()]
        spans = [SpanPos.of(s) for s in model.secret_spans()]
    redactor = Redactor(ctx.key, secret_forms(secrets, spans, p.lines) if (secrets or spans) else ())
    linked = view = None
    tokens: list[str] = []
    if model is not None and task.with_model:
        view = model.index_view()
        linked = view.redacted(redactor.model_text) if redactor else fresh_private(view)
        tokens = sorted(redactor.tokens.values())
    has_model = model is not None
    note = "" if has_model or p.diagnostics else "recognised; no parser for this kind yet"
    wanted = _wanted_lines(task.shown, [*p.diagnostics, *problems], directives)
    # The model is done with (the cross-file rules get `linked`): let it go before the lines the
    # findings show are decoded, so that a huge file's model and its lines are not held at once.
    del model, view
    p.model = None
    fr = FileResult(
        path=task.shown,
        kind=task.kind,
        has_model=has_model,
        note=note,
        diagnostics=p.diagnostics,
        directives=directives,
        directive_problems=problems,
        crashed=p.crashed,
        secrets=secrets,
        tokens=tokens,
        spans=spans,
        model=linked,
        n_lines=len(p.lines),
        lines=_display_lines(p.lines, spans, task.kind, wanted),
    )
    blob = None
    if linked is not None and (ctx.in_worker or ctx.cache is not None):
        from cfglint.cache import ModelRef, dump_model

        try:
            blob = dump_model(linked)
        except Exception:  # a model that cannot be pickled stays here (and is not cached)
            _debug_trace()
        if blob is not None and ctx.in_worker:
            fr.model = ModelRef(blob)
    if ctx.cache is not None and data is not None and not p.crashed and (linked is None or blob is not None):
        fr.stored = _store(task, data, p.lines, fr, redactor, ctx, blob)
    return fr


def _store(
    task: FileTask, data: bytes, lines: Sequence[str], fr: FileResult, redactor: Any, ctx: _MapContext, blob: bytes | None
) -> bool:
    from cfglint.cache import Entry, dumps, entry_key, redact_object

    cache = ctx.cache
    assert cache is not None
    offsets = []
    if fr.secrets:
        text = _joined(lines)
        for value in fr.secrets:
            at = text.find(value)
            if at < 0:  # not in the text as written (escapes, continuations): cannot be restored
                return False
            offsets.append((at, len(value)))
    key = task.key or entry_key(
        ctx.salt, content=data, shown=task.shown, kind=task.kind, codes=task.codes, options=task.options,
        with_model=task.with_model,
    )
    red = redactor.text if redactor else None
    entry = Entry(
        has_model=fr.has_model,
        note=fr.note,
        diagnostics=redact_object(fr.diagnostics, red) if red else fr.diagnostics,
        directives=redact_object(fr.directives, red) if red else fr.directives,
        directive_problems=redact_object(fr.directive_problems, red) if red else fr.directive_problems,
        crashed=set(fr.crashed),
        spans=list(fr.spans),
        secret_offsets=offsets,
        n_lines=fr.n_lines,
        model_blob=blob,
    )
    try:
        blob = dumps(entry)
    except Exception:  # a model that cannot be pickled: not cached
        _debug_trace()
        return False
    if redactor and redactor.leaks(blob):
        return False  # a secret would reach the disk: never
    return cache.store(key, blob)


def _from_entry(task: FileTask, data: bytes, entry: Any, ctx: _MapContext) -> FileResult:
    """A cache hit: the secrets are read back from the file's bytes (the entry has their offsets only)
    and put back into the findings; the lines the findings show are taken from the bytes too."""
    from cfglint.cache import ModelRef, Redactor, redact_object, secret_forms

    needs_lines = entry.n_lines and (
        entry.secret_offsets or entry.spans or entry.diagnostics or entry.directives or entry.directive_problems
    )
    lines: Sequence[str] = SourceLines(data, task.kind) if needs_lines else []
    secrets: list[str] = []
    if entry.secret_offsets:
        text = _joined(lines)
        secrets = [text[at : at + n] for at, n in entry.secret_offsets]
    redactor = Redactor(ctx.key, secret_forms(secrets, entry.spans, lines) if (secrets or entry.spans) else ())
    restore = redactor.restore if redactor else None
    diagnostics = redact_object(entry.diagnostics, restore) if restore else entry.diagnostics
    directives = redact_object(entry.directives, restore) if restore else entry.directives
    problems = redact_object(entry.directive_problems, restore) if restore else entry.directive_problems
    wanted = _wanted_lines(task.shown, [*diagnostics, *problems], directives)
    return FileResult(
        path=task.shown,
        kind=task.kind,
        has_model=entry.has_model,
        note=entry.note,
        diagnostics=list(diagnostics),
        directives=list(directives),
        directive_problems=list(problems),
        crashed=set(entry.crashed),
        secrets=secrets,
        tokens=sorted(redactor.tokens.values()) if entry.model_blob is not None else [],
        spans=list(entry.spans),
        model=ModelRef(entry.model_blob) if entry.model_blob is not None else None,
        n_lines=entry.n_lines,
        lines=_display_lines(lines, entry.spans, task.kind, wanted),
        source="cache",
    )


# Kinds whose index view (`SourceModel.index_view`, what the cross-file rules read) is small: a
# worker sends it back. An ASA view of a 5k-line config pickles to ~83 KiB, 2.3 ms to dump and
# load against ~30 ms to parse and ~30 ms of per-file rules (the whole model: 706 KiB).
SHIPPED_VIEWS = frozenset({"asa"})

# True during `run()` (and in the workers it forks): what is kept is frozen for the cyclic GC as it
# comes (`gc.freeze`), and unfrozen when the run is over.
_FREEZE_MODELS = False

# Worker processes: the context is set once per process (inherited through fork, or sent once).
_WORKER_CTX: _MapContext | None = None


def _init_worker(ctx: _MapContext | None) -> None:
    global _WORKER_CTX
    if ctx is not None:
        _WORKER_CTX = ctx


def _work(task: FileTask) -> FileResult | None:
    """In a worker: read the file and map it. None on an unexpected error (the parent retries it)."""
    ctx = _WORKER_CTX
    if ctx is None:
        return None
    try:
        return _read_and_map(task, ctx)
    except Exception:
        _debug_trace()
        return None


def _read_and_map(task: FileTask, ctx: _MapContext) -> FileResult:
    """Read the file (its cache key from the bytes read) and map it."""
    try:
        data = task.abs_path.read_bytes()
    except OSError:
        data = None
    if data is not None and ctx.cache is not None:
        from cfglint.cache import entry_key

        task.key = entry_key(
            ctx.salt, content=data, shown=task.shown, kind=task.kind, codes=task.codes, options=task.options,
            with_model=task.with_model,
        )
    return _map_parse(task, data, ctx)


def _start_method() -> str:
    """fork where it is safe (POSIX, this process has a single thread, not macOS): ~15 ms to start
    two workers against ~0.2 s for forkserver and ~0.35 s for spawn. CFGLINT_MP_START overrides."""
    import multiprocessing as mp
    import threading

    methods = mp.get_all_start_methods()
    wanted = os.environ.get("CFGLINT_MP_START", "")
    if wanted in methods:
        return wanted
    if "fork" in methods and sys.platform != "darwin" and threading.active_count() == 1:
        return "fork"
    return "forkserver" if "forkserver" in methods else "spawn"


def _importable(cls: type) -> bool:
    return "<locals>" not in cls.__qualname__ and cls.__module__ != "__main__"


def _pool_plan(
    jobs: int, pending: list[tuple[FileTask, int]], rules: Mapping[str, type[Rule]], busy_here: bool = False
) -> tuple[int, str]:
    """(workers, start method) for the files to parse; (0, "") to parse them in this process.
    `busy_here`: this process has files of its own to parse meanwhile (it counts as one of `jobs`)."""
    workers = jobs - 1 if busy_here else jobs
    if jobs <= 1 or workers < 1 or len(pending) < POOL_MIN_FILES:
        return 0, ""
    method = _start_method()
    size = sum(n for _, n in pending)
    if size < POOL_MIN_BYTES.get(method, POOL_MIN_BYTES["spawn"]):
        return 0, ""
    if method != "fork":
        # A fresh interpreter imports the rules by name: rules defined at run time (tests) cannot go.
        codes = {c for t, _ in pending for c in t.codes}
        for code in codes:
            cls = _lookup(rules, code)
            if cls is not None and not _importable(cls):
                return 0, ""
    return min(workers, len(pending)), method


def _lookup(rules: Mapping[str, type[Rule]], code: str) -> type[Rule] | None:
    try:
        return rules[code]
    except KeyError:
        return None


def _modules_for(tasks: list[FileTask], rules: Mapping[str, type[Rule]]) -> list[str]:
    """The modules the map step of these files needs: engine, parsers and rules of their kinds."""
    from cfglint.parsers import PARSERS

    names = ["cfglint.runner", "cfglint.cache", "cfglint.registry", "cfglint.suppressions", "cfglint.parsers"]
    for kind in sorted({t.kind for t in tasks}):
        target = PARSERS.get(kind)
        if target:
            names.append(target.partition(":")[0])
    meta = getattr(rules, "meta", None)
    for code in sorted({c for t in tasks for c in t.codes} | {"CFG001", "CFG002", "CFG003", "CFG004", "CFG005"}):
        try:
            module = meta(code).module if meta is not None else rules[code].__module__
        except (KeyError, AttributeError):
            continue
        if module not in names:
            names.append(module)
    return names


def _map_pool(
    items: list[tuple[int, FileTask, int]], workers: int, method: str, ctx: _MapContext,
    done: Callable[[int, FileResult], None], local_work: Callable[[], None] = lambda: None,
) -> list[int]:
    """Map the files in `workers` processes, and run `local_work()` here meanwhile. Returns the
    indexes that still need doing (a worker failed): the caller maps those in this process."""
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    global _WORKER_CTX
    mp_ctx = mp.get_context(method)
    modules = _modules_for([t for _, t, _ in items], ctx.rules)
    if method == "fork":
        # Import the parsers, models and rules once, here: every forked worker shares them.
        import importlib

        for name in modules:
            try:
                importlib.import_module(name)
            except Exception:  # the worker will report it on its file
                _debug_trace()
    elif method == "forkserver":
        mp_ctx.set_forkserver_preload(modules)
    # Largest first: the long files start early and the pool finishes together.
    order = sorted(items, key=lambda it: -it[2])
    chunk = max(1, min(16, len(order) // ((workers + 1) * 8)))
    chunks = [order[k : k + chunk] for k in range(0, len(order), chunk)]
    left = {i for i, _, _ in order}
    import dataclasses

    wctx = dataclasses.replace(ctx, in_worker=True)
    _WORKER_CTX = wctx if method == "fork" else None
    try:
        with ProcessPoolExecutor(
            max_workers=workers, mp_context=mp_ctx, initializer=_init_worker, initargs=(None if method == "fork" else wctx,)
        ) as ex:
            futures = [ex.submit(_work_chunk, [t for _, t, _ in c]) for c in chunks]
            local_work()
            # This process is one of the jobs too: it takes the chunks no worker has started yet,
            # from the smallest files up (a model it parses needs no pickling either).
            for c, fut in zip(reversed(chunks), reversed(futures)):
                if STEAL_WORK and fut.cancel():
                    for i, task, _n in c:
                        done(i, _read_and_map(task, ctx))
                        left.discard(i)
            for c, fut in zip(chunks, futures):
                if fut.cancelled():
                    continue
                for (i, _task, _n), fr in zip(c, fut.result()):
                    if fr is not None:
                        left.discard(i)
                        done(i, fr)
    except (BrokenProcessPool, OSError, RuntimeError):  # a worker died or could not start: finish here
        _debug_trace()
    finally:
        _WORKER_CTX = None
    return sorted(left)


# This process takes the chunks of the pool's queue that no worker has started (tests turn it off
# to see what the workers send back).
STEAL_WORK = True


def _work_chunk(tasks: list[FileTask]) -> list[FileResult | None]:
    return [_work(t) for t in tasks]


# --------------------------------------------------------------------------------------------------
# The run


def run(
    files: Sequence[tuple[Path, str]],
    *,
    rules: Mapping[str, type[Rule]],
    enabled_for: Callable[[Path], frozenset[str]],
    severity_of: Callable[[str], Severity],
    rule_options: Mapping[str, dict] | None = None,
    require_reason: bool = True,
    inline_suppressions: bool = True,
    progress: Callable[[int, int], None] | None = None,
    cwd: Path | None = None,
    jobs: int = 1,
    cache: Cache | None = None,
) -> RunResult:
    """Lint `files`, a list of (path, kind) already recognised. Never raises for bad input.

    `jobs`: worker processes for the map step (1: this process only; the pool is used only when
    there is enough to parse). `cache`: an opened `cfglint.cache.Cache`, or None."""
    rule_options = rule_options or {}
    cwd = cwd or Path.cwd()
    meta = _Meta(rules)
    tasks: list[FileTask] = []
    for path, kind in files:
        enabled = enabled_for(path)
        tasks.append(FileTask(Path(path), display_path(path, cwd), kind, enabled, (), {}, False))
    all_enabled = frozenset().union(*(t.enabled for t in tasks)) if tasks else frozenset()
    project_codes = [c for c in sorted(all_enabled) if (m := meta.get(c)) is not None and m.scope == "cross-file"]
    for t in tasks:
        t.codes = _file_codes(t.enabled, t.kind, meta)
        t.options = {c: rule_options[c] for c in t.codes if rule_options.get(c)}
        t.with_model = any(meta.get(c).applies_to(t.kind) for c in project_codes)

    use_cache = cache is not None and cache.usable
    ctx = _MapContext(rules=rules, key=cache.key if use_cache else os.urandom(32), cache=cache if use_cache else None)
    if use_cache:
        ctx.salt = cache.salt + _run_salt(meta, rules)
    results: list[FileResult | None] = [None] * len(tasks)
    total = len(tasks)
    count = 0
    # What each file leaves for the reduce phase lives until the end of the run: keep the cyclic GC
    # from scanning it again and again (quadratic in the fleet size: a cold run over 440 files took
    # 1.8x as long). Objects are frozen as they come, and unfrozen when the run is over.
    global _FREEZE_MODELS

    def done(i: int, fr: FileResult) -> None:
        nonlocal count
        results[i] = fr
        count += 1
        gc.freeze()
        if progress:
            progress(count, total)

    _FREEZE_MODELS = True
    try:
        return _run(tasks, ctx, results, done, jobs, rules, meta, project_codes, all_enabled, severity_of,
                    rule_options, require_reason, inline_suppressions)
    finally:
        _FREEZE_MODELS = False
        gc.unfreeze()


def _run(
    tasks: list[FileTask],
    ctx: _MapContext,
    results: list[FileResult | None],
    done: Callable[[int, FileResult], None],
    jobs: int,
    rules: Mapping[str, type[Rule]],
    meta: _Meta,
    project_codes: list[str],
    all_enabled: frozenset[str],
    severity_of: Callable[[str], Severity],
    rule_options: Mapping[str, dict],
    require_reason: bool,
    inline_suppressions: bool,
) -> RunResult:
    # Map, in this process: read, hash, look up.
    pending: list[tuple[int, FileTask, bytes | None]] = []
    sizes: dict[int, int] = {}
    for i, t in enumerate(tasks):
        if ctx.cache is None:
            # Nothing to look up: each file is read when it is parsed, so that the bytes of the
            # whole tree are never held at once.
            try:
                sizes[i] = t.abs_path.stat().st_size
            except OSError:
                sizes[i] = 0
            pending.append((i, t, None))
            continue
        try:
            data: bytes | None = t.abs_path.read_bytes()
        except OSError:
            data = None
        if data is not None:
            from cfglint.cache import entry_key

            t.key = entry_key(
                ctx.salt, content=data, shown=t.shown, kind=t.kind, codes=t.codes, options=t.options,
                with_model=t.with_model,
            )
            entry = ctx.cache.load(t.key)
            if (
                entry is not None
                and hasattr(entry, "has_model")
                and (entry.model_blob is not None or not (t.with_model and entry.has_model))
            ):
                try:
                    done(i, _from_entry(t, data, entry, ctx))
                    continue
                except Exception:  # an entry that does not fit after all: a miss
                    _debug_trace()
        pending.append((i, t, data))

    # Map, the misses: parse (in worker processes when it pays). A file whose model the cross-file
    # rules need is parsed here, unless its kind's index view is cheap to send back: a whole model
    # costs 1.3x to 2.7x its parse to pickle and load (bench/run.py --ship), more than a worker
    # saves. This process parses those while the workers do the rest.
    def stays(t: FileTask) -> bool:
        return t.with_model and t.kind not in SHIPPED_VIEWS

    local = [p for p in pending if stays(p[1])]
    remote = [p for p in pending if not stays(p[1])]

    def size(i: int, d: bytes | None) -> int:
        return len(d) if d is not None else sizes.get(i, 0)

    # This process counts as one of the jobs: it parses the files kept here, then takes its share of
    # the others (`_map_pool`).
    workers, method = _pool_plan(jobs, [(t, size(i, d)) for i, t, d in remote], rules, True)
    if workers:
        items = [(i, t, size(i, d)) for i, t, d in remote]
        del remote, pending  # the workers read the files themselves: do not hold them all in memory

        def local_work() -> None:
            while local:
                i, t, data = local.pop(0)
                done(i, _map_parse(t, data, ctx))

        left = _map_pool(items, workers, method, ctx, done, local_work)
        pending = local + [(i, tasks[i], None) for i in left]
    pending.reverse()
    while pending:  # popped, so that each file's bytes are let go once it is parsed
        i, t, data = pending.pop()
        if data is None:
            try:
                data = t.abs_path.read_bytes()
            except OSError:
                data = None
        done(i, _map_parse(t, data, ctx))

    frs: list[FileResult] = [r for r in results if r is not None]
    stats = {
        "files": len(frs),
        "parsed": sum(1 for r in frs if r.source == "parsed"),
        "cached": sum(1 for r in frs if r.source == "cache"),
        "stored": sum(1 for r in frs if r.stored),
        "workers": workers,
    }
    if ctx.cache is not None and stats["stored"]:
        ctx.cache.maybe_prune()
    result = _reduce(tasks, frs, rules, meta, project_codes, all_enabled, severity_of, rule_options,
                     require_reason, inline_suppressions, ctx)
    result.stats = stats
    return result


def _run_salt(meta: _Meta, rules: Mapping[str, type[Rule]]) -> bytes:
    """The rules known to this run (suppression directives resolve codes and names against them)."""
    import hashlib

    h = hashlib.sha256()
    for code in rules:
        m = meta.get(code)
        h.update(f"{code}:{getattr(m, 'name', '')}:{getattr(m, 'module', '')};".encode())
    return h.digest()


# --------------------------------------------------------------------------------------------------
# Reduce


def _reduce(
    tasks: list[FileTask],
    frs: list[FileResult],
    rules: Mapping[str, type[Rule]],
    meta: _Meta,
    project_codes: list[str],
    all_enabled: frozenset[str],
    severity_of: Callable[[str], Severity],
    rule_options: Mapping[str, dict],
    require_reason: bool,
    inline_suppressions: bool,
    ctx: _MapContext,
) -> RunResult:
    enabled_of = {t.shown: t.enabled for t in tasks}
    abs_of = {t.shown: t.abs_path for t in tasks}
    outcomes = [
        FileOutcome(fr.path, fr.kind, fr.has_model or bool(fr.diagnostics), fr.note) for fr in frs
    ]
    # Per-file findings are extended below with the cross-file ones: work on copies.
    diags_of: dict[str, list[Diagnostic]] = {fr.path: list(fr.diagnostics) for fr in frs}
    crashed_of: dict[str, set[str]] = {fr.path: set(fr.crashed) for fr in frs}
    by_path = {fr.path: fr for fr in frs}

    # Cross-file rules over the index of the models that were kept for them.
    present_kinds = {fr.kind for fr in frs if fr.has_model}
    if project_codes and present_kinds:
        found_by_code, crashes = _cross_file(tasks, frs, rules, meta, project_codes, present_kinds, rule_options, ctx)
        for code, message in crashes:
            for fr in frs:
                if fr.has_model and code in enabled_of[fr.path]:
                    crashed_of[fr.path].add(code)
            first = next((fr for fr in frs if fr.has_model), None)
            if first is not None:
                from cfglint.api import Span

                diags_of[first.path].append(
                    make_diagnostic(_engine("CFG005"), Span(path=first.path, line=1), message, anchor=f"rule:{code}")
                )
        for code, found in found_by_code.items():
            for d in found:
                target = by_path.get(d.path)
                if target is not None and code in enabled_of[target.path]:
                    diags_of[target.path].append(d)

    # Suppressions, severity overrides, masking.
    masker = Masker()
    for fr in frs:
        masker.add(fr.secrets)
        masker.add(fr.tokens)
    kept_all: list[Diagnostic] = []
    suppressed_all: list[Diagnostic] = []
    snippets: dict[tuple[str, int], str] = {}
    internal = False
    # The lines the kept findings show, by file; gathered first so that a file whose lines a
    # cross-file finding shows is read again once, and only those lines are kept.
    needed: dict[str, set[int]] = {}

    for fr in frs:
        enabled = enabled_of[fr.path]
        diags = diags_of[fr.path]
        if fr.has_model and inline_suppressions:
            from cfglint import suppressions

            res = suppressions.apply(
                diags,
                fr.directives,
                rules=rules,
                enabled=enabled,
                require_reason=require_reason,
                incomplete_codes=crashed_of[fr.path],
            )
            diags = res.kept + [d for d in fr.directive_problems + res.hygiene if d.code in enabled]
            suppressed_all.extend(d for d, _ in res.suppressed)
        out = []
        for d in diags:
            rule = rule_info(rules, d.code)  # metadata: no rule module is imported to report
            if rule is not None and rule.suppressible and d.code not in enabled:
                continue
            # A configured override replaces the rule's severity, including the per-finding
            # severities a rule chose; without one, the finding keeps its own.
            if rule is not None and rule.suppressible:
                sev = severity_of(d.code)
                if sev != rule.severity:
                    d = d.with_(severity=sev)
            if d.code == "CFG005":
                internal = True
            out.append(_mask_diag(d, masker))
        kept_all.extend(out)
        if out and fr.n_lines:
            mine = needed.setdefault(fr.path, set())
            for d in out:
                mine.add(d.line)
                for r in d.related:
                    if r.span.path == fr.path:
                        mine.add(r.span.line)
                    elif r.span.path in by_path:
                        needed.setdefault(r.span.path, set()).add(r.span.line)
    for path in sorted(needed):
        fr = by_path[path]
        wanted = {n for n in needed[path] if 1 <= n <= fr.n_lines}
        missing = {n for n in wanted if n not in fr.lines}
        # A line no per-file finding shows (a cross-file one's): read the file again, keep those lines.
        extra = _reread(abs_of[path], fr, missing) if missing else {}
        for n in sorted(wanted):
            got = fr.lines.get(n)
            if got is None:
                got = extra.get(n)
            if got is not None:
                snippets[(path, n)] = _mask_snippet(got, masker)
    kept_all.sort(key=Diagnostic.sort_key)
    suppressed_all.sort(key=Diagnostic.sort_key)
    outcomes.sort(key=lambda f: f.path)
    return RunResult(
        diagnostics=kept_all,
        suppressed=[_mask_diag(d, masker) for d in suppressed_all],
        files=outcomes,
        internal_error=internal,
        snippets=snippets,
        masker=masker,
        rules_run=sorted(all_enabled),
    )


def _cross_file(
    tasks: list[FileTask],
    frs: list[FileResult],
    rules: Mapping[str, type[Rule]],
    meta: _Meta,
    project_codes: list[str],
    present_kinds: set[str],
    rule_options: Mapping[str, dict],
    ctx: _MapContext,
) -> tuple[dict[str, list[Diagnostic]], list[tuple[str, str]]]:
    """({code: findings}, [(code, crash message)]) of the cross-file rules. With the cache, the
    findings over an unchanged set of files are read back and no model is loaded."""
    codes = []
    for code in project_codes:
        m = meta.get(code)
        if m is not None and m.kinds and not present_kinds.intersection(m.kinds):
            continue
        codes.append(code)
    if not codes:
        return {}, []
    linked = [fr for fr in frs if fr.model is not None]
    key = None
    if ctx.cache is not None:
        import hashlib
        import json

        keys = {t.shown: t.key for t in tasks}
        if all(keys.get(fr.path) for fr in linked):
            h = hashlib.sha256(ctx.salt + b"project")
            h.update(json.dumps(
                [[c, rule_options.get(c) or {}] for c in codes], sort_keys=True, default=str
            ).encode())
            for fr in linked:
                h.update(f"\0{fr.path}\0{keys[fr.path]}".encode())
            key = h.hexdigest()
            got = ctx.cache.load(key)
            if got is not None and isinstance(getattr(got, "found", None), dict) and set(got.found) == set(codes):
                return got.found, []
    from cfglint.cache import ModelRef

    models = [fr.model.get() if isinstance(fr.model, ModelRef) else fr.model for fr in linked]
    index = ProjectIndex(models)
    pctx_cache = ProjectContext()
    found_by_code: dict[str, list[Diagnostic]] = {}
    crashes: list[tuple[str, str]] = []
    for code in codes:
        rule = rules.get(code)
        if rule is None or not issubclass(rule, ProjectRule):
            found_by_code[code] = []
            continue
        if rule.model_types and not any(index.of_type(t) for t in rule.model_types):
            found_by_code[code] = []
            continue
        pctx = ProjectContext(options=dict(rule_options.get(code, {})), _cache=pctx_cache._cache)
        try:
            found_by_code[code] = list(rule().check(index, pctx))
        except Exception as e:
            crashes.append((code, f"internal error in {code} ({rule.name}): {type(e).__name__}: {e}"))
            _debug_trace()
    if key is not None and not crashes:
        _store_project(key, found_by_code, frs, ctx)
    return found_by_code, crashes


def _store_project(key: str, found: dict[str, list[Diagnostic]], frs: list[FileResult], ctx: _MapContext) -> None:
    """The findings come from redacted models (tokens, no secret); the written bytes are still
    searched for every secret of every file before they are."""
    from cfglint.cache import ProjectEntry, Redactor, dumps, secret_forms

    assert ctx.cache is not None
    try:
        blob = dumps(ProjectEntry(found=found))
    except Exception:
        _debug_trace()
        return
    forms: set[str] = set()
    for fr in frs:
        if fr.secrets:
            forms.update(secret_forms(fr.secrets, [], []))
    if forms and Redactor(ctx.key, forms).leaks(blob):
        return
    ctx.cache.store(key, blob)


def _reread(path: Path, fr: FileResult, wanted: set[int]) -> dict[int, str]:
    """Display lines `wanted` of a file (secret spans masked), read again for cross-file findings:
    only those lines are kept, not the file."""
    try:
        data = path.read_bytes()
    except OSError:
        return {}
    if b"\x00" in data:
        return {}
    return _display_lines(SourceLines(data, fr.kind), fr.spans, fr.kind, wanted)


def _display_line(line: str, kind: str) -> str:
    if KIND_ENCODING.get(kind) != "latin-1" or line.isascii():
        return line
    try:
        return line.encode("latin-1").decode("utf-8")
    except (UnicodeDecodeError, UnicodeEncodeError):
        return line


def _display(lines: list[str], kind: str) -> list[str]:
    """Source lines as the user's editor shows them. Files read as ISO-8859-1 (whose spans and
    masks are in Latin-1 characters) are shown as UTF-8 line by line where the bytes are UTF-8."""
    if KIND_ENCODING.get(kind) != "latin-1":
        return lines
    return [_display_line(line, kind) for line in lines]


# A message longer than this is cut in the middle: a rule quoting a 30 MB value must not make a
# 30 MB report. ASA001's remediation commands for a large ACL fit well below it.
MAX_MESSAGE = 16_000


def _bounded(text: str | None) -> str | None:
    if text is None or len(text) <= MAX_MESSAGE:
        return text
    keep = MAX_MESSAGE // 2 - 40
    return f"{text[:keep]} ...[{len(text) - 2 * keep} characters cut]... {text[-keep:]}"


def _mask_diag(d: Diagnostic, masker: Masker) -> Diagnostic:
    if len(d.message) > MAX_MESSAGE or (d.fix_title is not None and len(d.fix_title) > MAX_MESSAGE):
        d = d.with_(message=_bounded(d.message), fix_title=_bounded(d.fix_title))
    if not masker:
        return d
    from cfglint.api import Related

    return d.with_(
        message=masker.text(d.message),
        fix_title=masker.text(d.fix_title),
        anchor=masker.text(d.anchor),
        related=tuple(Related(r.span, masker.text(r.message) or "") for r in d.related),
    )
