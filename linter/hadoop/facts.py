"""What the parser works out once about a Hadoop env file or a login profile (see
`cfglint.models.hadoop`): its role from the path, the Hadoop version from the content, the
JAVA_HOME facts, and where a file's tree starts (to pair files of one machine)."""

from __future__ import annotations

import os
import re
from pathlib import PurePath

from cfglint.hadoop.variables import IGNORED_IN_3, ONLY_IN_3, RENAMED_IN_3
from cfglint.kinds import _effective_parts
from cfglint.models.hadoop import INHERITED, JavaHomeFacts, Role, ValueSummary, VersionGuess
from cfglint.shell import Assignment, ShellScript, Value, evaluate

__all__ = [
    "java_home_facts",
    "role_from_header",
    "role_of",
    "self_reference",
    "text_assignments",
    "source_lines",
    "summarize",
    "tree_root",
    "version_guess",
]

_ENV_ROLES: dict[str, Role] = {
    "hadoop-env.sh": "hadoop-env",
    "yarn-env.sh": "yarn-env",
    "mapred-env.sh": "mapred-env",
    "hdfs-env.sh": "hdfs-env",
    "httpfs-env.sh": "httpfs-env",
    "kms-env.sh": "kms-env",
}


def role_of(path: str) -> Role:
    """The role of a Hadoop env file from its path: `etc/hadoop/hadoop-env.sh` -> hadoop-env,
    `/etc/default/bigtop-utils` -> bigtop-utils, `/etc/default/hadoop` -> default-hadoop,
    `/etc/default/hadoop-hdfs-namenode` or Bigtop's `hdfs.default` -> default-service. Corpus
    names flattened with `--` count by their last component (`bigtop-HEAD--etc-default-bigtop-utils`,
    `hdp2--dstreev--etc-default-hadoop`, `bigtop-HEAD--conf.secure-hadoop-env.sh`)."""
    try:
        parts, flattened = _effective_parts(path)
    except (TypeError, ValueError):
        return "other"
    if not parts:
        return "other"
    name = parts[-1]
    parent = parts[-2] if len(parts) > 1 else ""
    for file_name, role in _ENV_ROLES.items():
        if name == file_name or (flattened and name.endswith("-" + file_name)):
            return role
    stem = name[: -len(".default")] if name.endswith(".default") else None
    if name == "bigtop-utils" or stem == "bigtop-utils":
        return "bigtop-utils"
    if parent == "default" or stem is not None:
        base = stem if stem is not None else name
        return "default-hadoop" if base == "hadoop" else "default-service"
    return "other"


_HEADER_PATH_RE = re.compile(r"^#\s*(?:file:\s*)?(/?[\w.-]+(?:/[\w.-]+)+)", re.I)


def role_from_header(lines: list[str]) -> Role:
    """The role named by a first-line comment holding the file's installed path
    (`# /etc/default/hadoop-hdfs-namenode`, `# File: etc/hadoop/mapred-env.sh`), as configuration
    management tools write them; used when the file's own name says nothing."""
    for line in lines[:3]:
        text = line.strip()
        if not text or text.startswith("#!"):
            continue
        m = _HEADER_PATH_RE.match(text)
        return role_of(m.group(1)) if m else "other"
    return "other"


# --------------------------------------------------------------------------------------------------
# Pairing files of one machine


_HOME_DIRS = ("root", "home", "Users")


def tree_root(path: str) -> tuple[str, ...]:
    """The directory a file's machine tree starts at, as path components: the part before the
    `etc` of `etc/default/X`, `etc/profile`, `etc/profile.d/X`, `etc/environment`, `etc/hadoop/...`;
    before `root/` or `home/<user>/` for a dotfile there; else the file's own directory. A file
    pairs with another when its root holds the other (`broken/root/.bash_profile` has the root
    `broken/`, which holds `broken/etc/hadoop/conf/hadoop-env.sh`, not `fixed/...`)."""
    parts = PurePath(os.path.normpath(path).replace("\\", "/")).parts
    directory = parts[:-1]
    for i in range(len(directory) - 1, -1, -1):
        if directory[i] == "etc":
            return directory[:i]
    if len(directory) >= 1 and directory[-1] == "root":
        return directory[:-1]
    if len(directory) >= 2 and directory[-2] in _HOME_DIRS:
        return directory[:-2]
    return directory


def holds(root: tuple[str, ...], path: str) -> bool:
    """Whether the directory `root` (components) holds the file at `path`."""
    parts = PurePath(os.path.normpath(path).replace("\\", "/")).parts[:-1]
    return parts[: len(root)] == root


# --------------------------------------------------------------------------------------------------
# Source text


def source_lines(data: bytes) -> list[str]:
    """The file's lines as the engine numbers them (\\n, \\r\\n and a lone \\r end a line)."""
    text = data.decode("utf-8", errors="replace")
    if text.startswith("\ufeff"):
        text = text[1:]
    return re.split(r"\r\n|\r|\n", text)


# --------------------------------------------------------------------------------------------------
# Version


_STRONG_2_LOOP_RE = re.compile(r"contrib/capacity-scheduler")
_COMMENT_3_RE = re.compile(
    r"\b(?:HADOOP_HEAPSIZE_MAX|HADOOP_OS_TYPE|MAPRED_HISTORYSERVER_OPTS|HDFS_NAMENODE_OPTS|HADOOP_OPTIONAL_TOOLS)\b"
    r"|REQUIRED on ALL platforms except OS X|\bhadoop_add_[a-z_]+"
)
_COMMENT_2_RE = re.compile(r"heap to use, in MB\. Default is 1000|\bHADOOP_NAMENODE_INIT_HEAPSIZE\b")


def self_reference(a: Assignment, name: str) -> bool:
    """`NAME=$NAME` / `export NAME=${NAME}` / `NAME="${NAME}"`: the value is the variable itself."""
    if a.value is None or a.word is None:
        return False
    opts = a.value.options
    return len(opts) == 1 and len(opts[0]) == 1 and opts[0][0].is_var and opts[0][0].text == name


def _source(a: Assignment) -> str:
    """An assignment's value as written (a `for` loop's word list has no single word)."""
    if a.word is not None:
        return a.word.text
    if a.value is None:
        return ""
    return " ".join(p.text for opt in a.value.options for p in opt)


def version_guess(script: ShellScript) -> VersionGuess:
    """The Hadoop major version a file was written for.

    Strong evidence (active code only one version's template or launcher has): 3.x the
    `HADOOP_OS_TYPE` line, `HADOOP_HEAPSIZE_MAX/MIN`, calls of `hadoop_*` functions; 2.x the
    template's `export JAVA_HOME=${JAVA_HOME}`, its capacity-scheduler loop, `JAVA_HEAP_MAX=` (2.x
    yarn-env.sh). Weak evidence: names only one version reads (assigned), and template comments.
    Strong evidence of one version only decides; else weak evidence of one version only; else
    unknown (None): version-specific rules stay silent."""
    strong: dict[str, tuple[str, int]] = {}
    weak: dict[str, tuple[str, int]] = {}

    def note(table: dict[str, tuple[str, int]], version: str, what: str, line: int) -> None:
        if version not in table:
            table[version] = (what, line)

    for a in script.assignments:
        if a.in_function is not None or a.value is None and a.malformed is None:
            continue
        line = a.span.line
        name = a.name
        if name in ("HADOOP_OS_TYPE", "HADOOP_HEAPSIZE_MAX", "HADOOP_HEAPSIZE_MIN"):
            note(strong, "3", f"{name} (line {line}, a Hadoop 3 name)", line)
        elif name == "JAVA_HEAP_MAX":
            note(strong, "2", f"JAVA_HEAP_MAX (line {line}, the Hadoop 2 yarn-env.sh template)", line)
        elif name == "JAVA_HOME" and a.via == "export" and self_reference(a, "JAVA_HOME"):
            note(strong, "2", f"`export JAVA_HOME=${{JAVA_HOME}}` (line {line}, the Hadoop 2 template line)", line)
        elif a.via == "for" and a.value is not None and _STRONG_2_LOOP_RE.search(_source(a)):
            note(strong, "2", f"the capacity-scheduler loop (line {line}, the Hadoop 2 template)", line)
        elif name in ONLY_IN_3:
            note(weak, "3", f"{name} (line {line}, a Hadoop 3 name)", line)
        elif name in IGNORED_IN_3 or name in RENAMED_IN_3:
            note(weak, "2", f"{name} (line {line}, a Hadoop 2 name)", line)
    for c in script.commands:
        if c.name and c.name.startswith("hadoop_") and c.name not in script.functions:
            note(strong, "3", f"a call of {c.name} (line {c.span.line}, a Hadoop 3 shell function)", c.span.line)
            break
    for cm in script.comments:
        if _COMMENT_3_RE.search(cm.text):
            note(weak, "3", f"the Hadoop 3 template's comments (line {cm.span.line})", cm.span.line)
        elif _COMMENT_2_RE.search(cm.text):
            note(weak, "2", f"the Hadoop 2 template's comments (line {cm.span.line})", cm.span.line)
    for table in (strong, weak):
        if len(table) == 1:
            version, (what, line) = next(iter(table.items()))
            return VersionGuess(version=version, evidence=what, line=line)  # type: ignore[arg-type]
        if len(table) > 1:
            return VersionGuess()
    return VersionGuess()


# --------------------------------------------------------------------------------------------------
# JAVA_HOME


def summarize(value: Value) -> ValueSummary:
    texts: list[str | None] = []
    for opt in value.options:
        texts.append("".join(p.text for p in opt) if all(p.is_text for p in opt) else None)
    return ValueSummary(texts=tuple(texts), maybe_unset=value.maybe_unset)


def text_assignments(lines: list[str], name: str) -> int:
    """How many times the code (comment lines left out) reads like an assignment to `name`
    (`NAME=`, `export NAME =`...): more than the model holds means the model missed some."""
    rx = re.compile(r"(?<![$\w{])" + re.escape(name) + r"\s*\+?=(?!=)")
    return sum(len(rx.findall(line)) for line in lines if not line.lstrip().startswith("#"))


def _mentions(script: ShellScript, lines: list[str], name: str) -> bool:
    for r in script.error_regions:
        chunk = "\n".join(lines[r.line - 1 : r.last_line])
        if name in chunk:
            return True
    return False


def _guarded(script: ShellScript, a: Assignment, name: str) -> bool:
    """The assignment runs only when a test of `name` itself says so (`if [ -z "$JAVA_HOME" ]`,
    `[ -n "$JAVA_HOME" ] || JAVA_HOME=...`, `case $JAVA_HOME in "") ...`): under a cleared
    environment such a guard lets it run."""
    for cond in a.conditions:
        if cond.subject is not None and name in cond.subject:
            return True
        for i in cond.tests:
            if 0 <= i < len(script.commands):
                c = script.commands[i]
                words = list(c.argv) + [x.word for x in c.assignments if x.word is not None]
                if any(name in w.refs for w in words):
                    return True
    return False


def java_home_facts(script: ShellScript, lines: list[str], *, evaluate_env: bool = True) -> JavaHomeFacts:
    """JAVA_HOME in `script`. With `evaluate_env` (Hadoop env files), the file is run twice:
    with an empty environment and with JAVA_HOME inherited; login profiles only need the
    assignments."""
    name = "JAVA_HOME"
    assigns = [a for a in script.assignments if a.name == name and a.via != "unset"]
    top = [a for a in assigns if a.in_function is None]
    last = top[-1] if top else (assigns[-1] if assigns else None)
    setting = [
        a for a in assigns
        if a.value is not None and (a.value.texts is None or any(t for t in a.value.texts))
    ]  # fmt: skip
    shown = setting[-1] if setting else None
    conditional = [a for a in assigns if a.conditional]
    facts = dict(
        anchor=last.span if last is not None else None,
        assigned=bool(assigns),
        sets_value=bool(setting),
        value_text=shown.word.text if shown is not None and shown.word is not None else None,
        value_span=shown.span if shown is not None else None,
        in_function=any(a.in_function is not None for a in assigns),
        self_reference=last is not None and self_reference(last, name),
        malformed=last.message if last is not None and last.malformed else None,
        guarded=bool(conditional) and all(_guarded(script, a, name) for a in conditional if a.value is not None),
        conditional=bool(conditional),
        in_error_region=_mentions(script, lines, name),
        unmodelled=text_assignments(lines, name) > len(assigns),
        sources_files=any(c.name in (".", "source") for c in script.commands),
    )
    if evaluate_env and getattr(script, "_ir", None) is not None:
        cleared = evaluate(script, env={})
        inherited = evaluate(script, env={name: Value.of(INHERITED)})
        facts.update(
            cleared=summarize(cleared.value(name)),
            inherited=summarize(inherited.value(name)),
            exported=cleared.exported(name),
            analyzed=True,
        )
    return JavaHomeFacts(**facts)
