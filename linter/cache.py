"""The content cache (`.cfglint_cache/`, `--cache-dir`, `--no-cache`, `cfglint clean`).

One entry per file, named by a key that is the SHA-256 of everything the map step of that file
depends on (see `entry_key`): the file's bytes, the path it is shown as, its kind, the per-file rules
enabled on it and their options, whether its model is kept for the cross-file rules, and the engine
(cfglint's version and the size and time of each file of its code, the installed plugins, Python,
and the pickle layout of the models, `MODEL_FORMAT`). An entry
holds what the map step produced: the per-file findings (before suppressions and severity overrides,
which are applied on every run), the file's parsed suppression directives, the positions of its
secrets, and its model (redacted) when a cross-file rule needs it. A warm run reads and hashes every
file, parses only the ones without an entry, and runs the cross-file rules again over the models.

Layout::

    .cfglint_cache/
      CACHEDIR.TAG  .gitignore        (backup tools and git skip the directory)
      key                             32 random bytes, mode 0600: the fingerprint key (below)
      v1/ab/abcdef...                 entries, sharded by the first two hex digits of their key
      v1/.pruned                      when the last pruning ran

An entry is `MAGIC + sha256(payload) + payload`, the payload a pickle read back by an unpickler that
only builds cfglint's and a few standard-library classes: a truncated, corrupted or foreign
entry is a miss, never a crash, and a poisoned one cannot run code. Entries are written to a temporary
file and renamed (atomic), so concurrent runs can share the directory; a cache directory that cannot
be created or written disables the cache for that run (one warning).

Secrets never reach the disk. Every string of an entry (messages, anchors, suppression reasons, the
model) has each secret value of the file (and the source text under each secret span) replaced by
`secret:<hex>`, hex = HMAC-SHA256(key, value)[:32], with `key` the random key of the cache directory:
equal secrets give equal tokens in every file, and the token reveals nothing without the key. The
entry keeps the *offsets* of the secret values in the file, never the values: a warm run, which has
read the file's bytes anyway, takes the values from there and puts them back into the findings, so a
warm run prints exactly what a cold one prints. Models stay redacted: cross-file rules always see
tokens (cold, warm or --no-cache alike), so comparing two devices' keys compares tokens. Before it is
written, the serialised entry is searched for every secret value of 3 characters or more (UTF-8 and
ISO-8859-1); if one is found the entry is not written (the file is parsed again on the next run).

Size: an entry not read for `MAX_AGE_DAYS` days is deleted, and past `MAX_BYTES` the least recently
used entries go; a run prunes at most once a day. `cfglint clean` removes the directory.
"""

from __future__ import annotations

import dataclasses
import enum
import hashlib
import hmac
import io
import json
import os
import pickle
import re
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cfglint.secrets import trie_pattern

DEFAULT_DIR = ".cfglint_cache"
FORMAT = 1
# How models are pickled, in the engine salt: entries written with another layout are misses (and
# age out). 1: pydantic models; 2: cfglint's frozen slotted dataclasses (cfglint.models.base).
MODEL_FORMAT = 2
MAGIC = b"CFGLINT-CACHE\x00\x01"
KEY_FILE = "key"
KEY_BYTES = 32
MAX_AGE_DAYS = 30
MAX_BYTES = 512 * 1024 * 1024
PRUNE_EVERY = 24 * 3600  # seconds between two prunings
TOUCH_AFTER = 24 * 3600  # a hit refreshes the entry's mtime (its "last used") at most this often
TOKEN_PREFIX = "secret:"
TOKEN_RE = re.compile(r"secret:[0-9a-f]{32}")
# Secret values shorter than this are replaced only where a whole string equals them (models) and are
# not searched for in the serialised entry (they would match anywhere); as the Masker does for text.
MIN_SECRET = 3

_CACHEDIR_TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by cfglint.\n"
    "# For information about cache directory tags, see https://bford.info/cachedir/\n"
)


# --------------------------------------------------------------------------------------------------
# Secret fingerprints


def token(key: bytes, value: str) -> str:
    """The fingerprint of a secret value: `secret:` + HMAC-SHA256(key, value)[:32 hex digits]."""
    digest = hmac.new(key, value.encode("utf-8", "surrogatepass"), hashlib.sha256).hexdigest()
    return TOKEN_PREFIX + digest[:32]


class SpanPos(tuple):
    """A secret span as positions only (line, column, end_line, end_column): what `mask_lines` needs."""

    __slots__ = ()

    def __new__(cls, line: int, column: int, end_line: int | None, end_column: int | None):
        return tuple.__new__(cls, (line, column, end_line, end_column))

    def __getnewargs__(self):
        return tuple(self)

    line = property(lambda self: self[0])
    column = property(lambda self: self[1])
    end_line = property(lambda self: self[2])
    end_column = property(lambda self: self[3])

    @property
    def last_line(self) -> int:
        return self[2] if self[2] is not None else self[0]

    @classmethod
    def of(cls, span: Any) -> SpanPos:
        return cls(span.line, span.column, span.end_line, span.end_column)


def span_texts(spans: Iterable[SpanPos], lines: list[str]) -> list[str]:
    """The source text under each secret span (the pieces `mask_lines` replaces)."""
    out: list[str] = []
    for sp in spans:
        first, last = sp.line, sp.last_line
        for n in range(first, last + 1):
            if n < 1 or n > len(lines):
                continue
            line = lines[n - 1]
            start = sp.column - 1 if n == first else len(line) - len(line.lstrip())
            end = (sp.end_column - 1) if (n == last and sp.end_column is not None) else len(line)
            start = max(0, min(start, len(line)))
            end = max(start, min(end, len(line)))
            if end > start:
                out.append(line[start:end])
    return out


def secret_forms(values: Iterable[str], spans: Iterable[SpanPos], lines: list[str]) -> list[str]:
    """Every text to take out of what is cached: the secret values, their stripped forms, and the
    source text under the secret spans (which may differ from the value: escapes, quotes)."""
    forms: set[str] = set()
    for v in [*values, *span_texts(spans, lines)]:
        if v:
            forms.add(v)
            if v.strip():
                forms.add(v.strip())
    return sorted(forms, key=lambda s: (-len(s), s))


class Redactor:
    """Replaces a file's secret forms by their fingerprints, and puts them back."""

    def __init__(self, key: bytes, forms: Iterable[str]):
        self.tokens: dict[str, str] = {f: token(key, f) for f in forms}
        self.back: dict[str, str] = {t: f for f, t in self.tokens.items()}
        # Compiled on first use (a run without the cache may never need them), as prefix trees: the
        # longest form wins where several match, as with a flat alternation longest first, but a
        # file with thousands of secrets does not try each of them at every position.
        self._all_re: re.Pattern[str] | None | bool = False
        self._long_re: re.Pattern[str] | None | bool = False

    @property
    def _all(self) -> re.Pattern[str] | None:
        if self._all_re is False:
            forms = [a for a in self.tokens if a]
            self._all_re = re.compile(trie_pattern(forms)) if forms else None
        return self._all_re  # type: ignore[return-value]

    @property
    def _long(self) -> re.Pattern[str] | None:
        if self._long_re is False:
            longs = [a for a in self.tokens if len(a) >= MIN_SECRET]
            self._long_re = re.compile(trie_pattern(longs)) if longs else None
        return self._long_re  # type: ignore[return-value]

    def __bool__(self) -> bool:
        return bool(self.tokens)

    def text(self, s: str) -> str:
        """Every occurrence of every form (for what is restored on load: exact round trip)."""
        pattern = self._all
        if pattern is None:
            return s
        return pattern.sub(lambda m: self.tokens[m.group()], s)

    def model_text(self, s: str) -> str:
        """For models, which stay redacted: a string equal to a form, or occurrences of the forms
        of 3 characters or more (a one-letter password must not rewrite every key name)."""
        hit = self.tokens.get(s)
        if hit is not None:
            return hit
        pattern = self._long
        if pattern is None:
            return s
        return pattern.sub(lambda m: self.tokens[m.group()], s)

    def restore(self, s: str) -> str:
        if TOKEN_PREFIX not in s:
            return s
        return TOKEN_RE.sub(lambda m: self.back.get(m.group(), m.group()), s)

    def leaks(self, blob: bytes) -> bool:
        """Whether a serialised entry still holds a secret form (3 characters or more)."""
        for f in self.tokens:
            if len(f) < MIN_SECRET:
                continue
            for enc in ("utf-8", "latin-1"):
                try:
                    b = f.encode(enc)
                except UnicodeEncodeError:
                    continue
                if b in blob:
                    return True
        return False


# --------------------------------------------------------------------------------------------------
# Generic redaction of an object graph


_ATOMS = frozenset({int, float, complex, bool, type(None), range, slice, type})
_ATOM, _LIST, _TUPLE, _NAMEDTUPLE, _OTHERTUPLE, _DICT, _SET, _STRSUB, _BYTES, _MODEL, _SECRET, _DATACLASS = range(12)


def _classify(t: type, model_base: type, secret_type: type) -> tuple:
    """How to walk instances of `t` (computed once per type)."""
    if t in _ATOMS or issubclass(t, (enum.Enum, type)):
        return (_ATOM,)
    if t is list:
        return (_LIST,)
    if t is tuple:
        return (_TUPLE,)
    if issubclass(t, tuple):
        return (_NAMEDTUPLE,) if hasattr(t, "_make") else (_OTHERTUPLE,)
    if issubclass(t, dict):
        return (_DICT,)
    if issubclass(t, (set, frozenset)):
        return (_SET,)
    if issubclass(t, str):
        return (_STRSUB,)
    if issubclass(t, (bytes, bytearray)):
        return (_BYTES,)
    if issubclass(t, model_base):
        return (_MODEL, t.__model_fields__, bool(t.__private_attributes__))
    if issubclass(t, secret_type):
        return (_SECRET,)
    if dataclasses.is_dataclass(t):
        names = tuple(f.name for f in dataclasses.fields(t))
        return (_DATACLASS, names, "__dict__" in dir(t) and not hasattr(t, "__slots__"))
    return (_ATOM,)


def redact_object(obj: Any, fn: Callable[[str], str], keep: Iterable[str] = ()) -> Any:
    """A copy of `obj` with every string passed through `fn` (strings in `keep` are left alone):
    models (cfglint.models.base: their fields; private attributes start from their defaults, so a
    model with private attributes is always copied), dataclasses (frozen and slotted included),
    named tuples, tuples, lists, dicts (keys too), sets, bytes (as ISO-8859-1 and UTF-8 text) and
    `SecretStr`. Enum members and other objects are kept as they are. Unchanged parts are shared
    with the original."""
    from cfglint.models.base import Model, SecretStr, rebuilt

    keep = frozenset(keep)
    memo: dict[int, Any] = {}
    strings: dict[str, str] = {}
    kinds: dict[type, tuple] = {}
    atoms = _ATOMS

    def walk(o: Any) -> Any:
        t = type(o)
        if t is str:
            if o in keep:
                return o
            new = strings.get(o)
            if new is None:
                new = strings[o] = fn(o)
                if new == o:
                    new = strings[o] = o
            return new
        if t in atoms:
            return o
        how = kinds.get(t)
        if how is None:
            how = kinds[t] = _classify(t, Model, SecretStr)
        tag = how[0]
        if tag == _ATOM:
            return o
        oid = id(o)
        hit = memo.get(oid, memo)
        if hit is not memo:
            return hit
        r = _one(o, t, how)
        memo[oid] = r
        return r

    def seq(o: Any) -> list | None:
        """The walked items, or None when none changed."""
        items = None
        for i, x in enumerate(o):
            if type(x) in atoms:
                continue
            y = walk(x)
            if y is not x:
                if items is None:
                    items = list(o)
                items[i] = y
        return items

    def _one(o: Any, t: type, how: tuple) -> Any:
        tag = how[0]
        if tag == _LIST:
            items = seq(o)
            return o if items is None else items
        if tag in (_TUPLE, _NAMEDTUPLE, _OTHERTUPLE):
            items = seq(o)
            if items is None:
                return o
            if tag == _TUPLE:
                return tuple(items)
            if tag == _NAMEDTUPLE:
                return t._make(items)
            try:
                return t(items)
            except Exception:
                return tuple(items)
        if tag == _DICT:
            pairs = [(walk(k), walk(v)) for k, v in o.items()]
            if not any(k is not k0 or v is not v0 for (k, v), (k0, v0) in zip(pairs, o.items())):
                return o
            return dict(pairs) if t is dict else _rebuild_mapping(t, pairs)
        if tag == _SET:
            items = seq(list(o))
            if items is None:
                return o
            return (frozenset if isinstance(o, frozenset) else set)(items)
        if tag == _STRSUB:
            new = fn(str(o))
            return o if new == o else new
        if tag == _BYTES:
            return _redact_bytes(o, fn)
        if tag == _SECRET:
            value = o.get_secret_value()
            new = walk(value)
            return o if new is value else t(new)
        if tag == _MODEL:
            return _model(o, t, how[1], how[2])
        if tag == _DATACLASS:
            return _dataclass(o, t, how[1], how[2])
        return o

    def _model(o: Any, t: type, names: tuple, has_private: bool) -> Any:
        values = None
        for n in names:
            v = getattr(o, n)
            if type(v) in atoms:
                continue
            w = walk(v)
            if w is not v:
                if values is None:
                    values = {k: getattr(o, k) for k in names}
                values[n] = w
        if values is None:
            if not has_private:
                return o
            values = {k: getattr(o, k) for k in names}
        return rebuilt(o, values)

    def _dataclass(o: Any, t: type, names: tuple, has_dict: bool) -> Any:
        changed = None
        for n in names:
            v = getattr(o, n)
            if type(v) in atoms:
                continue
            w = walk(v)
            if w is not v:
                if changed is None:
                    changed = {}
                changed[n] = w
        if changed is None:
            return o
        new = t.__new__(t)
        if has_dict:
            for k, v in o.__dict__.items():
                object.__setattr__(new, k, v)
        for n in names:
            object.__setattr__(new, n, changed[n] if n in changed else getattr(o, n))
        return new

    return walk(obj)


def replace_fields(o: Any, changes: dict) -> Any:
    """A copy of model `o` with some fields replaced, built exactly as `redact_object` builds its
    copies (private attributes from their defaults; for `SourceModel.redacted` overrides that touch
    only the fields holding secrets). Returns `o` itself when nothing changes and it has no private
    attributes to reset."""
    from cfglint.models.base import fields_dict, rebuilt

    if not changes and not type(o).__private_attributes__:
        return o
    values = fields_dict(o)
    values.update(changes)
    return rebuilt(o, values)


def _rebuild_mapping(t: type, pairs: list) -> Any:
    try:
        return t(pairs)
    except Exception:
        return dict(pairs)


def _redact_bytes(b: bytes | bytearray, fn: Callable[[str], str]) -> Any:
    text = bytes(b).decode("latin-1")
    out = fn(text).encode("latin-1", "replace")
    try:
        u = out.decode("utf-8", "surrogateescape")
        out = fn(u).encode("utf-8", "surrogateescape")
    except (UnicodeError, ValueError):
        pass
    if out == bytes(b):
        return b
    return type(b)(out)


def fresh_private(model: Any) -> Any:
    """A shallow copy of a model whose private attributes (memos) start afresh, so that what a
    per-file rule memoised is not shipped or cached with it."""
    from cfglint.models.base import fields_dict, rebuilt

    if not getattr(type(model), "__private_attributes__", None):
        return model
    return rebuilt(model, fields_dict(model))


# --------------------------------------------------------------------------------------------------
# Entries


@dataclass
class Entry:
    """What the map step of one file produced, as cached (every string redacted)."""

    has_model: bool
    note: str
    diagnostics: list  # per-file findings, before suppressions and severity overrides
    directives: list  # cfglint.suppressions.Directive, parsed from the file's comments
    directive_problems: list  # CFG101/CFG102 findings of those directives
    crashed: set
    spans: list  # SpanPos of the secrets
    secret_offsets: list  # (offset, length) of each secret value in the decoded text
    n_lines: int
    # The redacted index view, pickled on its own when a cross-file rule needs it: unpickled only
    # when the cross-file rules run again (see ProjectEntry).
    model_blob: bytes | None = None
    format: int = FORMAT


@dataclass
class ProjectEntry:
    """The findings of the cross-file rules over one set of models (keyed by the entry keys of the
    files and the cross-file rules' configuration): when no file changed, a warm run uses them and
    does not load a single model."""

    found: dict  # rule code -> the diagnostics it yielded (before the per-file selection)
    format: int = FORMAT


class ModelRef:
    """A pickled model, unpickled on first use (from the cache, or from a worker process)."""

    __slots__ = ("blob", "_model")

    def __init__(self, blob: bytes):
        self.blob = blob
        self._model: Any = None

    def get(self) -> Any:
        if self._model is None:
            self._model = load_model(self.blob)
        return self._model


def dump_model(model: Any) -> bytes:
    return pickle.dumps(model, protocol=pickle.HIGHEST_PROTOCOL)


def load_model(blob: bytes) -> Any:
    return _Unpickler(io.BytesIO(blob)).load()


_SAFE_BUILTINS = frozenset(
    {"set", "frozenset", "list", "dict", "tuple", "str", "bytes", "bytearray", "int", "float", "complex",
     "bool", "slice", "range", "object", "NoneType"}
)
_SAFE_MODULES = ("cfglint.",)
_SAFE_STDLIB = {
    "collections": {"OrderedDict", "defaultdict", "deque"},
    "pathlib": {"Path", "PosixPath", "WindowsPath", "PurePath", "PurePosixPath", "PureWindowsPath"},
    "ipaddress": {"IPv4Address", "IPv6Address", "IPv4Network", "IPv6Network", "IPv4Interface", "IPv6Interface"},
    "datetime": {"date", "datetime", "time", "timedelta", "timezone"},
    "decimal": {"Decimal"},
    "fractions": {"Fraction"},
}


class _Unpickler(pickle.Unpickler):
    """Builds only classes of cfglint and a few standard types (and copyreg's helper)."""

    def find_class(self, module: str, name: str) -> Any:
        if module == "copyreg" and name == "_reconstructor":
            return super().find_class(module, name)
        if module == "builtins":
            if name in _SAFE_BUILTINS:
                return super().find_class(module, name)
        elif module == "cfglint" or module.startswith(_SAFE_MODULES) or name in _SAFE_STDLIB.get(module, ()):
            obj = super().find_class(module, name)
            if isinstance(obj, type):
                return obj
        raise pickle.UnpicklingError(f"refused {module}.{name}")


def dumps(entry: Entry | ProjectEntry) -> bytes:
    payload = pickle.dumps(entry, protocol=pickle.HIGHEST_PROTOCOL)
    return MAGIC + hashlib.sha256(payload).digest() + payload


def loads(blob: bytes) -> Entry | ProjectEntry | None:
    """The entry, or None for anything that is not a sound entry of this format."""
    n = len(MAGIC)
    if len(blob) < n + 32 or not blob.startswith(MAGIC):
        return None
    digest, payload = blob[n : n + 32], blob[n + 32 :]
    if hashlib.sha256(payload).digest() != digest:
        return None
    try:
        entry = _Unpickler(io.BytesIO(payload)).load()
    except Exception:
        return None
    if not isinstance(entry, (Entry, ProjectEntry)) or entry.format != FORMAT:
        return None
    return entry


# --------------------------------------------------------------------------------------------------
# The directory


@dataclass
class Cache:
    """A cache directory. `open()` prepares it (or disables the cache, with a reason in `problem`)."""

    directory: Path
    key: bytes = b""
    problem: str | None = None
    _salt: bytes = b""
    stats: dict = field(default_factory=lambda: {"hits": 0, "misses": 0, "writes": 0, "refused": 0})

    @property
    def usable(self) -> bool:
        return bool(self.key) and self.problem is None

    @property
    def entries(self) -> Path:
        return self.directory / f"v{FORMAT}"

    def open(self) -> bool:
        try:
            if self.directory.exists() and not self.directory.is_dir():
                raise NotADirectoryError(f"{self.directory} is not a directory")
            fresh = not self.directory.is_dir()
            self.entries.mkdir(parents=True, exist_ok=True)
            if fresh or not (self.directory / "CACHEDIR.TAG").exists():
                _write_atomic(self.directory / "CACHEDIR.TAG", _CACHEDIR_TAG.encode())
                _write_atomic(self.directory / ".gitignore", b"# Created by cfglint.\n*\n")
            self.key = _load_or_create_key(self.directory / KEY_FILE)
            if not os.access(self.entries, os.W_OK | os.X_OK):
                raise PermissionError(f"{self.entries} is not writable")
        except (OSError, ValueError) as e:
            self.problem = f"{type(e).__name__}: {e}" if not isinstance(e, OSError) or not e.strerror else f"{e.strerror}: {e.filename or self.directory}"
            self.key = b""
            return False
        return True

    @property
    def salt(self) -> bytes:
        """What every key of this directory starts from: the engine (see engine_salt) and the key id."""
        if not self._salt:
            self._salt = engine_salt() + hashlib.sha256(self.key).digest()[:8]
        return self._salt

    def path_of(self, key_hex: str) -> Path:
        return self.entries / key_hex[:2] / key_hex[2:]

    def load(self, key_hex: str) -> Entry | ProjectEntry | None:
        path = self.path_of(key_hex)
        try:
            with open(path, "rb") as fh:
                st = os.fstat(fh.fileno())
                blob = fh.read()
        except OSError:
            return None
        entry = loads(blob)
        if entry is None:
            return None
        if time.time() - st.st_mtime > TOUCH_AFTER:
            try:
                os.utime(path)
            except OSError:
                pass
        return entry

    def store(self, key_hex: str, blob: bytes) -> bool:
        path = self.path_of(key_hex)
        try:
            path.parent.mkdir(exist_ok=True)
            _write_atomic(path, blob)
        except OSError:
            return False
        return True

    # -- size ---------------------------------------------------------------------------------------
    def maybe_prune(self, now: float | None = None) -> int:
        """Prune at most once every PRUNE_EVERY seconds (shared by concurrent runs)."""
        now = time.time() if now is None else now
        marker = self.entries / ".pruned"
        try:
            if now - marker.stat().st_mtime < PRUNE_EVERY:
                return 0
        except OSError:
            pass
        try:
            marker.touch()
        except OSError:
            return 0
        return prune(self.entries, now=now)


def prune(entries: Path, *, now: float | None = None, max_age_days: float = MAX_AGE_DAYS, max_bytes: int = MAX_BYTES) -> int:
    """Delete entries unused for `max_age_days`, then the least recently used ones past `max_bytes`
    (down to 80% of it), and temporary files left by interrupted writes. Returns how many went."""
    now = time.time() if now is None else now
    removed = 0
    kept: list[tuple[float, int, str]] = []
    try:
        shards = [e.path for e in os.scandir(entries) if e.is_dir(follow_symlinks=False)]
    except OSError:
        return 0
    for shard in shards:
        try:
            items = list(os.scandir(shard))
        except OSError:
            continue
        for e in items:
            try:
                st = e.stat(follow_symlinks=False)
            except OSError:
                continue
            stale_tmp = e.name.startswith(".tmp") and now - st.st_mtime > 3600
            if stale_tmp or now - st.st_mtime > max_age_days * 86400:
                try:
                    os.unlink(e.path)
                    removed += 1
                except OSError:
                    pass
            elif not e.name.startswith(".tmp"):
                kept.append((st.st_mtime, st.st_size, e.path))
    total = sum(size for _, size, _ in kept)
    if total > max_bytes:
        for _mtime, size, path in sorted(kept):
            if total <= max_bytes * 0.8:
                break
            try:
                os.unlink(path)
                removed += 1
                total -= size
            except OSError:
                pass
    return removed


def clean(directory: Path) -> bool:
    """Remove a cache directory. Refuses a directory that does not look like one of cfglint's."""
    import shutil

    if not directory.exists():
        return False
    tag = directory / "CACHEDIR.TAG"
    try:
        ours = "cfglint" in tag.read_text(encoding="utf-8", errors="replace")
    except OSError:
        ours = False
    ours = ours or ((directory / f"v{FORMAT}").is_dir() and (directory / KEY_FILE).is_file())
    if not directory.is_dir() or not ours:
        raise ValueError(f"{directory} does not look like a cfglint cache directory; not removed")
    shutil.rmtree(directory)
    return True


def _write_atomic(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=str(path.parent))
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _load_or_create_key(path: Path) -> bytes:
    """The directory's fingerprint key: created once (first writer wins), mode 0600."""
    for _attempt in range(3):
        try:
            with open(path, "rb") as fh:
                data = fh.read()
            if len(data) == KEY_BYTES:
                return data
            # A damaged key file: replace it (the entries written with the old key become misses).
            os.unlink(path)
        except FileNotFoundError:
            pass
        data = os.urandom(KEY_BYTES)
        fd, tmp = tempfile.mkstemp(prefix=".tmp-key-", dir=str(path.parent))
        try:
            os.fchmod(fd, 0o600)
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            try:
                os.link(tmp, path)  # fails if another run created it first: read theirs
            except FileExistsError:
                continue
            except OSError:
                os.replace(tmp, path)  # a file system without hard links
                tmp = ""
            return data
        finally:
            if tmp:
                try:
                    os.unlink(tmp)
                except OSError:
                    pass
    raise ValueError(f"cannot create the cache key {path}")


# --------------------------------------------------------------------------------------------------
# Keys


_SALT: bytes | None = None


def engine_salt() -> bytes:
    """What every entry depends on besides its file: the cache format, cfglint's version, the size and
    modification time of every file of its code (so an edited rule or parser in a development
    install never reads stale entries; ~1 ms, where hashing the code took ~50 ms), the plugins
    installed, Python's version and the models' pickle layout (`MODEL_FORMAT`)."""
    global _SALT
    if _SALT is not None:
        return _SALT
    import importlib.util

    import cfglint
    import cfglint.rules

    h = hashlib.sha256()
    h.update(f"cfglint-cache/{FORMAT}/models-{MODEL_FORMAT}/{cfglint.__version__}/{sys.version}".encode())
    roots = [Path(cfglint.__file__).parent, *map(Path, cfglint.rules.__path__)]
    spec = importlib.util.find_spec("cfglint.grammars")
    if spec is not None and spec.submodule_search_locations:
        roots += list(map(Path, spec.submodule_search_locations))
    for root in roots:
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
            for name in sorted(filenames):
                if name.endswith((".py", ".lark")):
                    p = os.path.join(dirpath, name)
                    try:
                        st = os.stat(p)
                    except OSError:
                        continue
                    h.update(f"{os.path.relpath(p, root)}:{st.st_size}:{st.st_mtime_ns};".encode())
    from cfglint.registry import _plugins_declared

    if _plugins_declared():
        from importlib.metadata import entry_points

        for ep in sorted(entry_points(group="cfglint.rules"), key=lambda e: e.name):
            dist = getattr(ep, "dist", None)
            h.update(f"{ep.name}={ep.value}@{getattr(dist, 'name', '')}{getattr(dist, 'version', '')}".encode())
    _SALT = h.digest()
    return _SALT


def entry_key(salt: bytes, *, content: bytes, shown: str, kind: str, codes: Iterable[str], options: dict, with_model: bool) -> str:
    """The entry's name: SHA-256 of the engine salt and everything the file's map step depends on."""
    h = hashlib.sha256(salt)
    h.update(hashlib.sha256(content).digest())
    meta = json.dumps(
        {"path": shown, "kind": kind, "codes": sorted(codes), "options": options, "model": with_model},
        sort_keys=True,
        default=str,
        ensure_ascii=False,
    )
    h.update(meta.encode("utf-8", "surrogatepass"))
    return h.hexdigest()
