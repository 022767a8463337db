"""File discovery: gitignore, excludes, explicit paths, symlinks, errors, order."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from cfglint.discovery import DEFAULT_EXCLUDE, DiscoveryResult, discover


def make(base: Path, spec: dict) -> None:
    """Build a tree: {"name": "content" | {...subtree}}."""
    for name, content in spec.items():
        p = base / name
        if isinstance(content, dict):
            p.mkdir(parents=True, exist_ok=True)
            make(p, content)
        else:
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_text(content)


def names(result: DiscoveryResult) -> list[str]:
    return [p.as_posix() for p in result.files]


@pytest.fixture
def tree(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(paths=(".",), root=None, **kw) -> DiscoveryResult:
    return discover(list(paths), root=Path(root) if root else Path.cwd(), **kw)


# --------------------------------------------------------------------------------------------------
# .gitignore


def test_root_gitignore(tree):
    make(
        tree,
        {
            ".gitignore": "*.log\nbuild/\n",
            "a.cfg": "",
            "b.log": "",
            "build": {"x.cfg": ""},
            "sub": {"c.log": "", "d.cfg": ""},
        },
    )
    assert names(run()) == [".gitignore", "a.cfg", "sub/d.cfg"]


def test_nested_gitignore_applies_to_its_subtree(tree):
    make(
        tree,
        {
            "a.tmp": "",
            "sub": {".gitignore": "*.tmp\n", "b.tmp": "", "deep": {"c.tmp": "", "ok.cfg": ""}},
            "other": {"d.tmp": ""},
        },
    )
    assert names(run()) == ["a.tmp", "other/d.tmp", "sub/.gitignore", "sub/deep/ok.cfg"]


def test_anchored_patterns(tree):
    make(
        tree,
        {
            ".gitignore": "/top.cfg\n/gen/\n",
            "top.cfg": "",
            "gen": {"g.cfg": ""},
            "a": {"top.cfg": "", "gen": {"g.cfg": ""}},
            "sub": {".gitignore": "/here.cfg\n", "here.cfg": "", "deeper": {"here.cfg": ""}},
        },
    )
    assert names(run()) == [
        ".gitignore",
        "a/gen/g.cfg",
        "a/top.cfg",
        "sub/.gitignore",
        "sub/deeper/here.cfg",
    ]


def test_negation(tree):
    make(
        tree,
        {
            ".gitignore": "*.cfg\n!keep.cfg\nbuild/\n!build/rescued.cfg\n",
            "drop.cfg": "",
            "keep.cfg": "",
            "x": {"keep.cfg": "", "drop.cfg": ""},
            "build": {"rescued.cfg": ""},  # git cannot re-include inside an excluded directory
            "sub": {".gitignore": "!special.cfg\n", "special.cfg": "", "other.cfg": ""},
        },
    )
    assert names(run()) == [".gitignore", "keep.cfg", "sub/.gitignore", "sub/special.cfg", "x/keep.cfg"]


def test_deeper_gitignore_overrides_parent(tree):
    make(tree, {".gitignore": "!*.env\n", "sub": {".gitignore": "*.env\n", "a.env": ""}, "b.env": ""})
    assert names(run()) == [".gitignore", "b.env", "sub/.gitignore"]


def test_git_info_exclude(tree):
    make(
        tree,
        {
            ".git": {"info": {"exclude": "secret.cfg\n"}},
            "secret.cfg": "",
            "a": {"secret.cfg": ""},
            "ok.cfg": "",
        },
    )
    assert names(run()) == ["ok.cfg"]


def test_git_info_exclude_is_overridden_by_gitignore(tree):
    make(
        tree,
        {".git": {"info": {"exclude": "*.cfg\n"}}, ".gitignore": "!keep.cfg\n", "keep.cfg": "", "x.cfg": ""},
    )
    assert names(run()) == [".gitignore", "keep.cfg"]


def test_parent_gitignore_when_run_on_subdir(tree):
    make(
        tree,
        {
            ".git": {},
            ".gitignore": "*.bak\n/sub/local.cfg\n",
            "sub": {"a.bak": "", "a.cfg": "", "local.cfg": ""},
        },
    )
    assert names(run(["sub"])) == ["sub/a.cfg"]
    # also from inside the subdirectory, with the project root there
    os.chdir(tree / "sub")
    assert names(run(["."], root=tree / "sub")) == ["a.cfg"]


def test_parent_gitignore_without_git_stops_at_root(tree):
    make(tree, {".gitignore": "*.bak\n", "sub": {"a.bak": "", "a.cfg": ""}})
    # the project root is the top: its .gitignore applies to a walk of a subdirectory
    assert names(run(["sub"], root=tree)) == ["sub/a.cfg"]
    # outside any repository, nothing above the root is read
    assert names(run(["sub"], root=tree / "sub")) == ["sub/a.bak", "sub/a.cfg"]


def test_respect_gitignore_false(tree):
    make(tree, {".git": {"info": {"exclude": "x.cfg\n"}}, ".gitignore": "*.log\n", "a.log": "", "x.cfg": ""})
    assert names(run(respect_gitignore=False)) == [".gitignore", "a.log", "x.cfg"]


def test_invalid_gitignore_lines_are_ignored(tree):
    make(tree, {".gitignore": "!\n\\\n*.log\n", "a.log": "", "a.cfg": ""})
    assert names(run()) == [".gitignore", "a.cfg"]


# --------------------------------------------------------------------------------------------------
# Excludes


def venv(path: Path) -> None:
    path.mkdir(parents=True)
    (path / "pyvenv.cfg").write_text("home = /usr/bin\n")
    (path / "lib").mkdir()
    (path / "lib" / "site.cfg").write_text("")


def test_default_excludes(tree):
    make(
        tree,
        {
            "a.cfg": "",
            ".git": {"config": ""},
            ".hg": {"hgrc": ""},
            "node_modules": {"x": {"y.cfg": ""}},
            "__pycache__": {"m.pyc": ""},
            ".tox": {"py": {"t.cfg": ""}},
            "pkg.egg-info": {"PKG-INFO": ""},
            "build": {"keep.cfg": ""},  # build dirs are NOT excluded
            "sub": {".mypy_cache": {"c": ""}, "b.cfg": ""},
        },
    )
    venv(tree / ".venv")
    venv(tree / "custom-env")  # any directory holding pyvenv.cfg
    assert names(run()) == ["a.cfg", "build/keep.cfg", "sub/b.cfg"]
    assert ".venv" in DEFAULT_EXCLUDE and "node_modules" in DEFAULT_EXCLUDE and "build" not in DEFAULT_EXCLUDE


def test_exclude_replaces_defaults_but_not_vcs(tree):
    make(tree, {"a.cfg": "", "a.bak": "", ".git": {"config": ""}, "node_modules": {"m.cfg": ""}})
    venv(tree / "env")
    assert names(run(exclude=["*.bak"])) == ["a.cfg", "node_modules/m.cfg"]
    assert names(run(exclude=[])) == ["a.bak", "a.cfg", "node_modules/m.cfg"]


def test_extend_exclude(tree):
    make(
        tree,
        {
            "a.cfg": "",
            "gen": {"g.cfg": ""},
            "x": {"gen": {"h.cfg": ""}, "y.bak": ""},
            "node_modules": {"m": ""},
        },
    )
    assert names(run(extend_exclude=["/gen/", "*.bak"])) == ["a.cfg", "x/gen/h.cfg"]


def test_exclude_relative_to_root(tree):
    make(tree, {"proj": {"site": {"a.cfg": "", "b.cfg": ""}}})
    os.chdir(tree / "proj" / "site")
    assert names(discover(["."], root=tree / "proj", extend_exclude=["site/b.cfg"])) == ["a.cfg"]


def test_invalid_exclude_raises_value_error(tree):
    with pytest.raises(ValueError, match="exclude"):
        run(extend_exclude=["foo\\"])


# --------------------------------------------------------------------------------------------------
# Explicit paths


def test_explicit_ignored_file_is_included(tree):
    make(tree, {".gitignore": "*.log\n", "a.log": "", "node_modules": {"m.cfg": ""}, "b.cfg": ""})
    res = run(["a.log", "node_modules/m.cfg"])
    assert names(res) == ["a.log", "node_modules/m.cfg"]
    assert res.explicit == {Path("a.log"), Path("node_modules/m.cfg")}


def test_force_exclude(tree):
    make(
        tree,
        {
            ".gitignore": "*.log\nignored_dir/\n",
            "a.log": "",
            "b.cfg": "",
            "node_modules": {"m.cfg": ""},
            "ignored_dir": {"x.cfg": ""},
            "gen": {"g.cfg": ""},
        },
    )
    venv(tree / "env")
    paths = [
        "a.log",
        "b.cfg",
        "node_modules/m.cfg",
        "ignored_dir/x.cfg",
        "gen/g.cfg",
        "env/lib/site.cfg",
        "node_modules",
    ]
    res = run(paths, force_exclude=True, extend_exclude=["gen/"])
    assert names(res) == ["b.cfg"]
    assert res.explicit == {Path("b.cfg")}
    skipped = dict((p.as_posix(), why) for p, why in res.skipped)
    assert set(skipped) == {
        "a.log",
        "node_modules/m.cfg",
        "ignored_dir/x.cfg",
        "gen/g.cfg",
        "env/lib/site.cfg",
        "node_modules",
    }
    assert "gitignore" in skipped["a.log"] and "gitignore" in skipped["ignored_dir/x.cfg"]
    # without force_exclude, all of them are taken, and the explicit directory is walked
    res = run(paths, extend_exclude=["gen/"])
    assert names(res) == sorted(
        ["a.log", "b.cfg", "node_modules/m.cfg", "ignored_dir/x.cfg", "gen/g.cfg", "env/lib/site.cfg"]
    )


def test_explicit_excluded_directory_is_walked(tree):
    make(tree, {"node_modules": {"a.cfg": "", "__pycache__": {"x": ""}}})
    venv(tree / "env")
    assert names(run(["node_modules"])) == ["node_modules/a.cfg"]
    assert names(run(["env"])) == ["env/lib/site.cfg", "env/pyvenv.cfg"]


def test_explicit_ignored_or_excluded_directory_is_walked(tree):
    make(
        tree,
        {
            ".gitignore": "ignored_dir/\n*.log\n",
            "ignored_dir": {"x.cfg": "", "y.log": "", ".gitignore": "*.tmp\n", "z.tmp": ""},
            "gen": {"g.cfg": "", "sub": {"h.cfg": ""}},
        },
    )
    # only the rule that caught the directory is left out: *.log and its own *.tmp still apply
    assert names(run(["ignored_dir"])) == ["ignored_dir/.gitignore", "ignored_dir/x.cfg"]
    assert names(run(["gen"], extend_exclude=["gen/"])) == ["gen/g.cfg", "gen/sub/h.cfg"]
    assert names(run(["gen"], extend_exclude=["gen/", "h.cfg"])) == ["gen/g.cfg"]
    assert names(run(["gen/sub"], extend_exclude=["gen/"])) == ["gen/sub/h.cfg"]
    assert names(run(["."], extend_exclude=["gen/"])) == [".gitignore"]
    res = run(["gen", "ignored_dir"], extend_exclude=["gen/"], force_exclude=True)
    assert res.files == [] and {p.as_posix() for p, _ in res.skipped} == {"gen", "ignored_dir"}


def test_mixed_explicit_files_and_dirs_deduplicated(tree):
    make(tree, {"a": {"x.cfg": "", "y.cfg": ""}, "b": {"z.cfg": ""}, "c.cfg": ""})
    res = run(["a", "a/x.cfg", "./a/x.cfg", "c.cfg", "a/", "b/z.cfg", "a/../a"])
    assert names(res) == ["a/x.cfg", "a/y.cfg", "b/z.cfg", "c.cfg"]
    assert res.explicit == {Path("a/x.cfg"), Path("b/z.cfg"), Path("c.cfg")}
    # overlapping directories
    assert names(run([".", "a"])) == ["a/x.cfg", "a/y.cfg", "b/z.cfg", "c.cfg"]


def test_missing_paths(tree):
    make(tree, {"a.cfg": ""})
    res = run(["a.cfg", "nope.cfg", "gone/", "nope.cfg"])
    assert names(res) == ["a.cfg"]
    assert res.missing == ["nope.cfg", "gone/"]


def test_paths_relative_to_cwd_or_absolute(tree, tmp_path_factory):
    outside = tmp_path_factory.mktemp("outside")
    make(outside, {"o.cfg": ""})
    make(tree, {"in": {"i.cfg": ""}})
    res = run(["in", str(tree / "in" / "i.cfg"), str(outside)])
    assert res.files == sorted([Path("in/i.cfg"), outside / "o.cfg"], key=str)
    assert res.explicit == {Path("in/i.cfg")}


# --------------------------------------------------------------------------------------------------
# Symlinks

symlinks = pytest.mark.skipif(not hasattr(os, "symlink") or os.name == "nt", reason="needs POSIX symlinks")


@symlinks
def test_symlink_to_file_outside_tree_is_skipped(tree, tmp_path_factory):
    outside = tmp_path_factory.mktemp("outside")
    (outside / "secret.cfg").write_text("")
    make(tree, {"proj": {"a.cfg": ""}})
    os.symlink(outside / "secret.cfg", tree / "proj" / "link.cfg")
    os.symlink(tree / "proj" / "a.cfg", tree / "proj" / "inside.cfg")
    res = run(["proj"])
    assert names(res) == ["proj/a.cfg", "proj/inside.cfg"]
    assert [(p.as_posix(), "outside" in why) for p, why in res.skipped] == [("proj/link.cfg", True)]
    # named explicitly, the link is taken
    assert names(run(["proj/link.cfg"])) == ["proj/link.cfg"]


@symlinks
def test_symlink_loop_terminates(tree):
    make(tree, {"a": {"b": {"x.cfg": ""}}})
    os.symlink("..", tree / "a" / "b" / "up")  # a/b/up -> a
    os.symlink(tree, tree / "a" / "root")  # a/root -> the walk root
    os.symlink("loop2", tree / "loop1")
    os.symlink("loop1", tree / "loop2")
    res = run()
    assert names(res) == ["a/b/x.cfg"]
    reasons = {p.as_posix(): why for p, why in res.skipped}
    assert "already walked" in reasons["a/b/up"] and "already walked" in reasons["a/root"]
    assert "loop1" in reasons and "loop2" in reasons


@symlinks
def test_symlinked_directory_inside_tree(tree):
    make(tree, {"real": {"x.cfg": ""}, "node_modules": {"vendored": {"v.cfg": ""}}})
    os.symlink("real", tree / "alias")  # same directory: walked once, under its real name
    os.symlink("node_modules/vendored", tree / "vendored")  # target pruned by excludes: followed
    res = run()
    assert names(res) == ["real/x.cfg", "vendored/v.cfg"]
    assert [p.as_posix() for p, _ in res.skipped] == ["alias"]


@symlinks
def test_symlinked_directory_outside_tree(tree, tmp_path_factory):
    outside = tmp_path_factory.mktemp("outside")
    (outside / "o.cfg").write_text("")
    make(tree, {"proj": {"a.cfg": ""}})
    os.symlink(outside, tree / "proj" / "ext")
    res = run(["proj"])
    assert names(res) == ["proj/a.cfg"]
    assert [p.as_posix() for p, _ in res.skipped] == ["proj/ext"]


@symlinks
def test_dangling_symlink_skipped(tree):
    make(tree, {"a.cfg": ""})
    os.symlink("does-not-exist", tree / "dangling.cfg")
    res = run()
    assert names(res) == ["a.cfg"]
    assert [(p.as_posix(), why) for p, why in res.skipped] == [("dangling.cfg", "dangling symlink")]
    # named explicitly, it does not exist
    assert run(["dangling.cfg"]).missing == ["dangling.cfg"]


@symlinks
def test_gitignored_symlink_not_reported(tree):
    make(tree, {".gitignore": "*.lnk\n"})
    os.symlink("nowhere", tree / "x.lnk")
    res = run()
    assert res.skipped == [] and names(res) == [".gitignore"]


# --------------------------------------------------------------------------------------------------
# Errors, order, depth, speed


def test_unreadable_directory_with_monkeypatch(tree, monkeypatch):
    make(tree, {"ok": {"a.cfg": ""}, "locked": {"b.cfg": ""}, "z.cfg": ""})
    real_scandir = os.scandir

    def scandir(path="."):
        if os.path.basename(os.fspath(path)) == "locked":
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    res = run()
    assert names(res) == ["ok/a.cfg", "z.cfg"]
    assert res.errors == [(Path("locked"), "Permission denied")]


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root can read anything")
def test_unreadable_directory_chmod(tree):
    make(tree, {"locked": {"b.cfg": ""}, "z.cfg": ""})
    (tree / "locked").chmod(0)
    try:
        res = run()
    finally:
        (tree / "locked").chmod(0o755)
    assert names(res) == ["z.cfg"]
    assert [p.as_posix() for p, _ in res.errors] == ["locked"]


def test_deterministic_sorted_order(tree):
    for n in ["b", "a", "c/z", "c/a", "B", "a0/x", "a-b"]:
        p = tree / (n + ".cfg")
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text("")
    first = run()
    assert [str(p) for p in first.files] == sorted(str(p) for p in first.files)
    assert run().files == first.files
    assert run(["c", "a.cfg", "."]).files == first.files


def test_deep_tree(tree):
    d = tree
    for i in range(70):
        d = d / f"d{i}"
    d.mkdir(parents=True)
    (d / "deep.cfg").write_text("")
    res = run()
    assert len(res.files) == 1 and res.files[0].name == "deep.cfg"


def test_many_files_fast(tree):
    (tree / ".gitignore").write_text("*.log\n")
    for a in range(20):
        d = tree / f"d{a}"
        d.mkdir()
        (d / ".gitignore").write_text("/skip.cfg\n")
        for b in range(150):
            (d / f"f{b}.cfg").write_text("")
    start = time.perf_counter()
    res = run()
    elapsed = time.perf_counter() - start
    assert len(res.files) == 20 * 150 + 21
    assert elapsed < 5  # typically ~20 ms; a generous bound against pathological slowness


def test_result_types(tree):
    make(tree, {"a.cfg": ""})
    res = run(["a.cfg", "missing"])
    assert isinstance(res.files[0], Path) and isinstance(res.explicit, set)
    assert res.missing == ["missing"] and res.skipped == [] and res.errors == []
