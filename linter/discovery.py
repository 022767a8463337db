"""File discovery: which files a run looks at.

`discover()` expands the paths of the command line into files:

- directories are walked recursively (iteratively, with `os.scandir`), honouring every `.gitignore`
  on the way (a nested one applies to its own subtree, with git's anchoring and negation), the
  `.gitignore` files of the parent directories up to the git top-level (the directory holding
  `.git`), and the repository's `.git/info/exclude`. Matching is pathspec's `gitwildmatch`;
- VCS directories (`.git`, `.hg`, ...) and virtualenvs (directories holding a `pyvenv.cfg`) are
  always pruned; the `exclude` globs (default `DEFAULT_EXCLUDE`: caches, virtualenvs,
  `node_modules`) and the `extend_exclude` globs, gitignore-style and relative to `root`, prune the
  rest;
- a path named on the command line is always taken, even when ignored or excluded, unless
  `force_exclude` is set (pre-commit passes files explicitly; `--force-exclude` applies the
  excludes to them too);
- a symlinked file is taken only when its target lies inside one of the walked directories; a
  symlinked directory is followed only when its target lies inside them and was not walked yet
  (after the real directories, so a real path always wins over a link to it). Dangling links are
  skipped; loops cannot happen.

Filesystem problems never raise: unreadable directories land in `errors`, unusable entries in
`skipped`, paths that do not exist in `missing`.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pathspec

# Always pruned while walking (not affected by `exclude`).
VCS_DIRS: tuple[str, ...] = (".git", ".hg", ".svn", ".bzr", ".jj", "_darcs")

# The default `exclude`: VCS, virtualenv and cache directories. Build directories are NOT excluded:
# configuration files often live in them.
DEFAULT_EXCLUDE: tuple[str, ...] = (
    ".git", ".hg", ".svn", ".bzr", ".jj", "_darcs",
    ".venv", "venv", ".tox", ".nox", ".eggs", "*.egg-info",
    "__pycache__", ".mypy_cache", ".pytest_cache", ".ruff_cache", ".cfglint_cache",
    "node_modules",
)  # fmt: skip

# A directory holding this file is a virtualenv: never walked (unless named explicitly).
VENV_MARKER = "pyvenv.cfg"


@dataclass
class DiscoveryResult:
    # Files to look at, as the user would write them: relative to the current directory when
    # inside it, else absolute; sorted by their string.
    files: list[Path] = field(default_factory=list)
    # Those of `files` that were named explicitly.
    explicit: set[Path] = field(default_factory=set)
    # Explicit paths that do not exist, as given.
    missing: list[str] = field(default_factory=list)
    # Entries left out for a reason worth telling (dangling symlink, target outside the tree, ...).
    skipped: list[tuple[Path, str]] = field(default_factory=list)
    # Filesystem errors met on the way (unreadable directory, unreadable .gitignore, ...).
    errors: list[tuple[Path, str]] = field(default_factory=list)


def _compile(lines: Iterable[str]) -> pathspec.PathSpec | None:
    """A GitIgnoreSpec of `lines`; lines git would reject are dropped (as git does)."""
    lines = list(lines)
    try:
        spec = pathspec.GitIgnoreSpec.from_lines(lines)
    except ValueError:
        kept = []
        for line in lines:
            try:
                pathspec.GitIgnoreSpec.from_lines([line])
            except ValueError:
                continue
            kept.append(line)
        spec = pathspec.GitIgnoreSpec.from_lines(kept)
    return spec if spec.patterns else None


def _verdict(spec: pathspec.PathSpec, rel: str) -> bool | None:
    """True: the last matching pattern ignores `rel`; False: it re-includes it; None: no match."""
    check = getattr(spec, "check_file", None)
    if check is not None:
        return check(rel).include
    result = None  # pathspec < 0.12
    for pattern in spec.patterns:
        if pattern.include is not None and pattern.match_file(rel) is not None:
            result = pattern.include
    return result


def _without_matching(spec: pathspec.PathSpec, rel_dir: str) -> pathspec.PathSpec | None:
    """`spec` without the patterns that exclude `rel_dir` (a directory path ending with `/`)."""
    kept = [p for p in spec.patterns if not (p.include and p.match_file(rel_dir) is not None)]
    if len(kept) == len(spec.patterns):
        return spec
    return pathspec.GitIgnoreSpec(kept) if kept else None


class _Excludes:
    """The `exclude` + `extend_exclude` globs, relative to the project root."""

    def __init__(self, patterns: Sequence[str]) -> None:
        literal: set[str] = set()
        rest: list[str] = []
        negated = any(p.strip().startswith("!") for p in patterns)
        for raw in patterns:
            p = raw.strip()
            if not p or p.startswith("#"):
                continue
            # A bare name matches that name at any depth: a set lookup does it without a regex.
            if not negated and not any(c in p for c in "/*?[]!\\"):
                literal.add(p)
            else:
                rest.append(p)
        self.literal = frozenset(literal)
        try:
            self.spec = pathspec.GitIgnoreSpec.from_lines(rest) if rest else None
        except ValueError as e:
            raise ValueError(f"invalid exclude pattern: {e}") from None

    def without(self, rel_dir: str) -> _Excludes:
        """These excludes without the globs that exclude the directory `rel_dir` (or a parent)."""
        if self.spec is None:
            return self
        spec = _without_matching(self.spec, rel_dir + "/")
        if spec is self.spec:
            return self
        other = object.__new__(_Excludes)
        other.literal, other.spec = self.literal, spec
        return other

    def excluded(self, name: str, rel: str, is_dir: bool) -> bool:
        if name in self.literal:
            return True
        if self.spec is None:
            return False
        return _verdict(self.spec, rel + "/" if is_dir else rel) is True


_Stack = tuple[tuple[str, pathspec.PathSpec], ...]  # (base directory, spec), outermost first
# A directory to walk: (path, path relative to the root, ignore rules above it, excludes, named
# explicitly, reached through a symlink).
_Item = tuple[str, str, _Stack, "_Excludes", bool, bool]


class _Walker:
    def __init__(
        self,
        root: str,
        excludes: _Excludes,
        respect_gitignore: bool,
        result: DiscoveryResult,
    ) -> None:
        self.root = root
        self.root_prefix = root.rstrip(os.sep) + os.sep
        self.cwd = os.getcwd()
        self.cwd_prefix = self.cwd.rstrip(os.sep) + os.sep
        self.excludes = excludes
        self.respect_gitignore = respect_gitignore
        self.result = result
        self.vcs = frozenset(VCS_DIRS)
        self.found: dict[str, bool] = {}  # absolute path -> named explicitly
        self.visited: set[tuple[int, int]] = set()
        self.walk_roots: list[str] = []  # real paths of the walked directories
        self._gitignores: dict[str, pathspec.PathSpec | None] = {}
        self._tops: dict[str, str | None] = {}
        self._stacks: dict[str, _Stack] = {}

    # ---- paths

    def display(self, abs_path: str) -> Path:
        if abs_path.startswith(self.cwd_prefix):
            return Path(abs_path[len(self.cwd_prefix) :])
        if abs_path == self.cwd:
            return Path(".")
        return Path(abs_path)

    def rel_to_root(self, abs_path: str) -> str:
        """The path relative to the root, POSIX style; outside the root, the absolute path without
        its leading separator (unanchored globs still match its components)."""
        if abs_path.startswith(self.root_prefix):
            rel = abs_path[len(self.root_prefix) :]
        elif abs_path == self.root:
            rel = ""
        else:
            rel = abs_path.lstrip(os.sep)
        return rel.replace(os.sep, "/") if os.sep != "/" else rel

    def error(self, abs_path: str, exc: OSError) -> None:
        self.result.errors.append((self.display(abs_path), exc.strerror or str(exc)))

    # ---- gitignore

    def git_top(self, directory: str) -> str | None:
        """The closest directory at or above `directory` holding `.git`."""
        chain = []
        d = directory
        top: str | None = None
        while True:
            if d in self._tops:
                top = self._tops[d]
                break
            chain.append(d)
            if os.path.lexists(os.path.join(d, ".git")):
                top = d
                break
            parent = os.path.dirname(d)
            if parent == d:
                break
            d = parent
        for c in chain:
            self._tops[c] = top
        return top

    def gitignore(self, directory: str, present: bool | None = None) -> pathspec.PathSpec | None:
        """The compiled `.gitignore` of a directory (cached); `present` skips the existence check."""
        if directory in self._gitignores:
            return self._gitignores[directory]
        spec = None
        path = os.path.join(directory, ".gitignore")
        if present or (present is None and os.path.isfile(path)):
            spec = self._read_ignore_file(path)
        self._gitignores[directory] = spec
        return spec

    def _read_ignore_file(self, path: str) -> pathspec.PathSpec | None:
        try:
            with open(path, "rb") as f:
                data = f.read()
        except FileNotFoundError:
            return None
        except OSError as e:
            self.error(path, e)
            return None
        return _compile(data.decode("utf-8", errors="replace").splitlines())

    def info_exclude(self, top: str) -> pathspec.PathSpec | None:
        """The repository's `.git/info/exclude` (also for worktrees, where `.git` is a file)."""
        key = os.path.join(top, ".git", "info", "exclude")
        if key in self._gitignores:
            return self._gitignores[key]
        dot_git = os.path.join(top, ".git")
        path = key
        if os.path.isfile(dot_git):
            try:
                with open(dot_git, encoding="utf-8", errors="replace") as f:
                    line = f.readline().strip()
                git_dir = (
                    os.path.join(top, line[len("gitdir:") :].strip()) if line.startswith("gitdir:") else ""
                )
                common = os.path.join(git_dir, "commondir")
                if git_dir and os.path.isfile(common):
                    with open(common, encoding="utf-8", errors="replace") as f:
                        git_dir = os.path.join(git_dir, f.readline().strip())
                path = os.path.join(git_dir, "info", "exclude") if git_dir else ""
            except OSError:
                path = ""
        spec = self._read_ignore_file(path) if path and os.path.isfile(path) else None
        self._gitignores[key] = spec
        return spec

    def anchor(self, directory: str) -> tuple[str, bool]:
        """Where ignore rules start for `directory`: its git top-level (True), else the project
        root when `directory` is inside it, else `directory` itself."""
        top = self.git_top(directory)
        if top is not None:
            return top, True
        if directory == self.root or directory.startswith(self.root_prefix):
            return self.root, False
        return directory, False

    def stack_above(self, directory: str) -> _Stack:
        """The ignore rules applying to `directory` itself (not its own `.gitignore`)."""
        if not self.respect_gitignore:
            return ()
        top, is_git = self.anchor(directory)
        if directory == top:
            spec = self.info_exclude(top) if is_git else None
            return ((top, spec),) if spec is not None else ()
        return self.stack_for(os.path.dirname(directory))

    def stack_for(self, directory: str) -> _Stack:
        """The ignore rules applying to the entries of `directory` (cached, built iteratively)."""
        if not self.respect_gitignore:
            return ()
        if directory in self._stacks:
            return self._stacks[directory]
        top, is_git = self.anchor(directory)
        chain = [directory]
        d = directory
        while d != top and d not in self._stacks:
            parent = os.path.dirname(d)
            if parent == d:
                break
            chain.append(parent)
            d = parent
        chain.reverse()
        if chain[0] in self._stacks:
            stack = self._stacks[chain[0]]
            chain = chain[1:]
        else:
            spec = self.info_exclude(top) if is_git and chain[0] == top else None
            stack = ((top, spec),) if spec is not None else ()
        for d in chain:
            spec = self.gitignore(d)
            if spec is not None:
                stack = stack + ((d, spec),)
            self._stacks[d] = stack
        return stack

    @staticmethod
    def ignored(stack: _Stack, abs_path: str, is_dir: bool) -> bool:
        """Git's verdict: the deepest `.gitignore` with a matching pattern decides."""
        for base, spec in reversed(stack):
            rel = abs_path[len(base) :].lstrip(os.sep)
            if os.sep != "/":
                rel = rel.replace(os.sep, "/")
            verdict = _verdict(spec, rel + "/" if is_dir else rel)
            if verdict is not None:
                return verdict
        return False

    # ---- explicit paths under --force-exclude

    def force_excluded(self, abs_path: str, is_dir: bool) -> str | None:
        """Why an explicit path is excluded (its own name or one of its directories), or None."""
        rel = self.rel_to_root(abs_path)
        parts = [p for p in rel.split("/") if p]
        if any(p in self.vcs for p in (parts if is_dir else parts[:-1])):
            return "excluded (VCS directory)"
        outside_root = not abs_path.startswith(self.root_prefix)
        # Directories from below the anchor down to the path: excluded, ignored or a virtualenv.
        top, _ = self.anchor(abs_path if is_dir else os.path.dirname(abs_path))
        top_prefix = top.rstrip(os.sep) + os.sep
        chain = []
        d = abs_path if is_dir else os.path.dirname(abs_path)
        while d != top and d.startswith(top_prefix):
            chain.append(d)
            d = os.path.dirname(d)
        chain.reverse()
        for d in chain:
            if os.path.isfile(os.path.join(d, VENV_MARKER)):
                return "excluded (virtualenv)"
            if (outside_root or d.startswith(self.root_prefix)) and self.excludes.excluded(
                os.path.basename(d), self.rel_to_root(d), True
            ):
                return "excluded"
            if self.ignored(self.stack_above(d), d, True):
                return "ignored by .gitignore"
        if not is_dir:
            if self.excludes.excluded(os.path.basename(abs_path), rel, False):
                return "excluded"
            if self.ignored(self.stack_for(os.path.dirname(abs_path)), abs_path, False):
                return "ignored by .gitignore"
        return None

    # ---- the walk

    def inside_walk_roots(self, real: str) -> bool:
        for r in self.walk_roots:
            if real == r or real.startswith(r.rstrip(os.sep) + os.sep):
                return True
        return False

    def add_file(self, abs_path: str, explicit: bool = False) -> None:
        self.found[abs_path] = self.found.get(abs_path, False) or explicit

    def root_item(self, directory: str) -> _Item:
        """The walk item of an explicit directory. Globs match the descendants of what they match,
        so when the directory itself (or a parent) is excluded or ignored, the globs that caught it
        are left out inside it: the user asked for it. All other rules still apply."""
        rel = self.rel_to_root(directory)
        excludes = self.excludes.without(rel) if rel else self.excludes
        stack = self.stack_above(directory)
        if stack and self.ignored(stack, directory, True):
            pruned: list[tuple[str, pathspec.PathSpec]] = []
            for base, spec in stack:
                rel_dir = directory[len(base) :].lstrip(os.sep).replace(os.sep, "/") + "/"
                kept = _without_matching(spec, rel_dir)
                if kept is not None:
                    pruned.append((base, kept))
            stack = tuple(pruned)
        return (directory, rel, stack, excludes, True, False)

    def walk(self, roots: list[str]) -> None:
        queue: list[_Item] = [self.root_item(d) for d in reversed(roots)]
        deferred: list[_Item] = []
        while queue or deferred:
            if not queue:
                # Symlinked directories come last, so that a real path wins over a link to it.
                deferred.sort(key=lambda item: item[0], reverse=True)
                queue.extend(deferred)
                deferred = []
            directory, rel, stack, excludes, is_root, via_link = queue.pop()
            try:
                st = os.stat(directory)
            except OSError as e:
                self.error(directory, e)
                continue
            key = (st.st_dev, st.st_ino)
            if key in self.visited:
                if via_link:
                    self.result.skipped.append(
                        (self.display(directory), "symlink to a directory already walked")
                    )
                continue
            try:
                with os.scandir(directory) as it:
                    entries = list(it)
            except OSError as e:
                self.visited.add(key)
                self.error(directory, e)
                continue
            names = {e.name for e in entries}
            if VENV_MARKER in names and not is_root:
                continue  # a virtualenv (not marked visited: it may still be named explicitly)
            self.visited.add(key)
            if self.respect_gitignore and ".gitignore" in names:
                spec = self.gitignore(directory, present=True)
                if spec is not None:
                    stack = stack + ((directory, spec),)
            prefix = directory if directory.endswith(os.sep) else directory + os.sep
            rel_prefix = rel + "/" if rel else ""
            for entry in entries:
                name = entry.name
                child = prefix + name
                child_rel = rel_prefix + name
                try:
                    is_link = entry.is_symlink()
                    is_dir = not is_link and entry.is_dir(follow_symlinks=False)
                    is_file = not is_link and not is_dir and entry.is_file(follow_symlinks=False)
                except OSError as e:
                    self.error(child, e)
                    continue
                if is_dir and name in self.vcs:
                    continue
                # Like git, a symlink is matched as a file (a `dir/` pattern does not match it).
                if excludes.excluded(name, child_rel, is_dir):
                    continue
                if stack and self.ignored(stack, child, is_dir):
                    continue
                if is_dir:
                    queue.append((child, child_rel, stack, excludes, False, False))
                elif is_file:
                    self.add_file(child)
                elif is_link:
                    if self.symlink(child):
                        deferred.append((child, child_rel, stack, excludes, False, True))
                else:
                    self.result.skipped.append((self.display(child), "not a regular file"))

    def symlink(self, link: str) -> bool:
        """Take a symlinked file; True for a symlinked directory to follow later."""
        try:
            target = os.stat(link)
        except FileNotFoundError:
            self.result.skipped.append((self.display(link), "dangling symlink"))
            return False
        except OSError as e:
            self.result.skipped.append((self.display(link), f"broken symlink ({e.strerror or e})"))
            return False
        real = os.path.realpath(link)
        if not self.inside_walk_roots(real):
            self.result.skipped.append((self.display(link), f"symlink target outside the tree: {real}"))
            return False
        if stat.S_ISDIR(target.st_mode):
            return True
        if stat.S_ISREG(target.st_mode):
            self.add_file(link)
        else:
            self.result.skipped.append(
                (self.display(link), "symlink to something that is not a regular file")
            )
        return False


def discover(
    paths: Sequence[str],
    *,
    root: Path,
    exclude: Sequence[str] | None = None,
    extend_exclude: Sequence[str] = (),
    respect_gitignore: bool = True,
    force_exclude: bool = False,
) -> DiscoveryResult:
    """Expand `paths` (files and directories, mixed) into the files to look at.

    `exclude` replaces `DEFAULT_EXCLUDE` when given (None or omitted: the defaults; an empty
    sequence excludes nothing beyond VCS directories and virtualenvs); `extend_exclude` adds to
    it. Both are gitignore-style globs relative to `root`. Raises ValueError only for an invalid
    exclude glob; filesystem problems are recorded in the result.
    """
    result = DiscoveryResult()
    patterns = list(DEFAULT_EXCLUDE if exclude is None else exclude) + list(extend_exclude)
    root_abs = os.path.abspath(os.fspath(root))
    walker = _Walker(root_abs, _Excludes(patterns), respect_gitignore, result)

    seen: set[str] = set()
    dirs: list[str] = []
    for given in paths:
        text = os.fsdecode(os.fspath(given))
        abs_path = os.path.abspath(text) if text else text
        if abs_path in seen:
            continue
        seen.add(abs_path)
        try:
            st = os.stat(abs_path) if abs_path else None
        except (OSError, ValueError):
            st = None
        if st is None:
            if text not in result.missing:
                result.missing.append(text)
            continue
        is_dir = stat.S_ISDIR(st.st_mode)
        if force_exclude:
            why = walker.force_excluded(abs_path, is_dir)
            if why is not None:
                result.skipped.append((walker.display(abs_path), why))
                continue
        if is_dir:
            dirs.append(abs_path)
        elif stat.S_ISREG(st.st_mode):
            walker.add_file(abs_path, explicit=True)
        else:
            result.skipped.append((walker.display(abs_path), "not a regular file"))

    dirs.sort()
    walker.walk_roots = sorted({os.path.realpath(d) for d in dirs})
    walker.walk(dirs)

    shown = sorted(
        ((walker.display(p), explicit) for p, explicit in walker.found.items()), key=lambda t: str(t[0])
    )
    result.files = [p for p, _ in shown]
    result.explicit = {p for p, explicit in shown if explicit}
    result.skipped.sort(key=lambda t: (str(t[0]), t[1]))
    result.errors.sort(key=lambda t: (str(t[0]), t[1]))
    return result


__all__ = ["DEFAULT_EXCLUDE", "VCS_DIRS", "DiscoveryResult", "discover"]
