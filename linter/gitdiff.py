"""Git plumbing for `--diff-base` and changed-line ordering. Read-only: the work tree, the index and
the refs are never touched (`git rev-parse`, `git cat-file --batch`, `git diff`)."""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Iterable
from pathlib import Path


class GitError(Exception):
    pass


def _git(args: list[str], cwd: Path, *, input: bytes | None = None, check: bool = True) -> bytes:
    env = dict(os.environ)
    env.setdefault("GIT_OPTIONAL_LOCKS", "0")  # a linter must not take the index lock
    try:
        r = subprocess.run(["git", *args], cwd=str(cwd), input=input, capture_output=True, env=env)
    except FileNotFoundError:
        raise GitError("git is not installed") from None
    if check and r.returncode != 0:
        raise GitError(r.stderr.decode("utf-8", "replace").strip() or f"git {args[0]} failed")
    return r.stdout


def toplevel(start: Path) -> Path | None:
    """The work tree's top directory holding `start`, or None outside a repository."""
    d = start if start.is_dir() else start.parent
    try:
        out = _git(["rev-parse", "--show-toplevel"], d)
    except GitError:
        return None
    top = out.decode("utf-8", "surrogateescape").strip()
    return Path(top) if top else None


def resolve(ref: str, top: Path) -> str:
    """The commit id of `ref`; GitError when it names no commit."""
    if ref.startswith("-"):
        raise GitError(f"not a revision: {ref!r}")
    try:
        return _git(["rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}"], top).decode().strip()
    except GitError:
        raise GitError(f"unknown revision {ref!r} (fetch it first, e.g. `git fetch origin main`)") from None


def read_blobs(commit: str, paths: Iterable[str], top: Path) -> dict[str, bytes | None]:
    """The content of each repo-relative path at `commit` (None: absent there), in one `git cat-file
    --batch` process."""
    paths = list(dict.fromkeys(paths))
    out: dict[str, bytes | None] = {}
    batch = [p for p in paths if "\n" not in p and "\r" not in p]
    for p in paths:
        if p not in batch:  # cannot go through --batch: one `git cat-file blob` each
            try:
                out[p] = _git(["cat-file", "blob", f"{commit}:{p}"], top)
            except GitError:
                out[p] = None
    if not batch:
        return out
    request = "".join(f"{commit}:{p}\n" for p in batch).encode("utf-8", "surrogateescape")
    data = _git(["cat-file", "--batch"], top, input=request)
    pos = 0
    for p in batch:
        nl = data.index(b"\n", pos)
        header = data[pos:nl].decode("utf-8", "surrogateescape")
        pos = nl + 1
        parts = header.split()
        if len(parts) == 3 and parts[1] in ("blob", "commit", "tree", "tag"):
            size = int(parts[2])
            body = data[pos : pos + size]
            pos += size + 1  # content + LF
            out[p] = body if parts[1] == "blob" else None
        else:  # "<object> missing" / "ambiguous"
            out[p] = None
    return out


_HUNK = re.compile(rb"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@")


def changed_lines(commit: str, top: Path, paths: Iterable[str]) -> dict[str, set[int] | None]:
    """Repo-relative path -> the lines of the work-tree file added or changed since `commit`
    (None: the whole file is new there). Paths unchanged since `commit` are absent."""
    paths = list(paths)
    if not paths:
        return {}
    out: dict[str, set[int] | None] = {}
    raw = _git(
        ["-c", "core.quotePath=false", "diff", "--no-color", "--no-ext-diff", "--no-renames", "-U0",
         commit, "--", *paths],
        top,
    )
    current: str | None = None
    for line in raw.split(b"\n"):
        if line.startswith(b"+++ "):
            name = line[4:].decode("utf-8", "surrogateescape")
            if name.endswith("\t"):  # git adds a tab after a name holding a blank
                name = name[:-1]
            current = name[2:] if name.startswith("b/") else None
            if current is not None:
                out.setdefault(current, set())
        elif current is not None and line.startswith(b"@@"):
            m = _HUNK.match(line)
            if m:
                start, count = int(m.group(1)), int(m.group(2) if m.group(2) is not None else 1)
                lines = out[current]
                if lines is not None:
                    lines.update(range(start, start + count))
    # Untracked files, or files absent at `commit`: wholly new.
    present = read_blobs(commit, paths, top)
    for p in paths:
        if present.get(p) is None:
            out[p] = None
    return out


def base_ref_from_env() -> str | None:
    """The pull request's base branch in GitHub Actions (`origin/<GITHUB_BASE_REF>`), if any."""
    base = os.environ.get("GITHUB_BASE_REF")
    return f"origin/{base}" if base else None
