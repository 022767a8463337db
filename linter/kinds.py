"""File kinds: which linter a file belongs to, recognised by name AND content.

Configuration files rarely carry a telling extension (`fw1.txt`, `running-config`, `davmail.conf`,
`/etc/default/hadoop`), so recognition runs in this order:

1. the project's `kinds` table (`kind_globs`): gitignore-style globs mapped to a kind, or to
   `"ignore"` / `"none"` (not linted). The last matching glob wins, as in a `.gitignore`;
2. names: Hadoop env files (`hadoop-env.sh`, `/etc/default/hadoop`, `*.default`, ...), shell login
   profiles, a file named `davmail.properties`;
3. content sniffing of the file's first bytes (`HEAD_BYTES`): Cisco ASA, DavMail properties,
   Hadoop env shell files, netns/iptables shell scripts.

Content with NUL bytes is binary: its kind is sniffed from the complete lines before the first NUL
only (random bytes have none, so no kind; a config with a NUL-filled tail keeps its kind), unless
a name rule or a glob chose one. The engine reports a file of a kind with NUL bytes as binary
(CFG002), never as clean. The head is decoded as latin-1, so no byte sequence can make
recognition fail: `detect_kind` never raises on content.

Corpus file names flattened with `--` (`bigtop-HEAD--etc-default-bigtop-utils`,
`hdp2--dstreev--hadoop-env.sh`) are recognised by their last `--` component; in it `etc-default-X`,
`etc-profile.d-X`, `etc-profile` and `etc-environment` stand for those paths.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Mapping
from pathlib import Path, PurePath

import pathspec

ASA = "asa"
DAVMAIL = "davmail"
HADOOP_ENV = "hadoop-env"
SHELL_PROFILE = "shell-profile"
NETNS = "netns"

KINDS: tuple[str, ...] = (DAVMAIL, ASA, HADOOP_ENV, SHELL_PROFILE, NETNS)

KIND_DESCRIPTIONS: dict[str, str] = {
    DAVMAIL: "DavMail gateway settings (davmail.properties, Java properties format)",
    ASA: "Cisco ASA / PIX running-config (or a `show running-config` fragment)",
    HADOOP_ENV: "Hadoop env shell file (hadoop-env.sh, yarn-env.sh, /etc/default/hadoop, ...)",
    SHELL_PROFILE: "shell login profile (.bashrc, .profile, /etc/profile, profile.d/*.sh, /etc/environment)",
    NETNS: "shell script configuring network namespaces, veths, bridges or firewalls (ip, brctl, iptables, nft)",
}

# Values of the `kinds` table meaning "do not lint files matching this glob".
IGNORE_KINDS: tuple[str, ...] = ("ignore", "none")

# How many bytes of a file content sniffing looks at.
HEAD_BYTES = 65536


def validate_kind(name: str, *, allow_ignore: bool = True) -> str:
    """Return `name` if it is a known kind (or `ignore`/`none` when allowed), else raise ValueError."""
    if isinstance(name, str):
        if name in KINDS or (allow_ignore and name in IGNORE_KINDS):
            return name
    expected = ", ".join(KINDS) + (", or ignore/none to skip the files" if allow_ignore else "")
    raise ValueError(f"unknown file kind {name!r} (expected one of: {expected})")


def read_head(path: str | os.PathLike[str]) -> bytes:
    """The first `HEAD_BYTES` of a file. Raises OSError; the caller decides how to report it."""
    with open(path, "rb") as f:
        return f.read(HEAD_BYTES)


# --------------------------------------------------------------------------------------------------
# Names


def _expand_flat(last: str) -> list[str]:
    """`etc-default-hadoop` -> [etc, default, hadoop]; other names unchanged."""
    for prefix, middle in (("etc-default-", "default"), ("etc-profile.d-", "profile.d")):
        if last.startswith(prefix) and len(last) > len(prefix):
            return ["etc", middle, last[len(prefix) :]]
    if last in ("etc-profile", "etc-environment", "etc-bashrc", "etc-bash.bashrc"):
        return ["etc", last[4:]]
    return [last]


def _effective_parts(path: str | os.PathLike[str]) -> tuple[tuple[str, ...], bool]:
    """The path's components, with a `--`-flattened last component expanded. Second: flattened?"""
    text = os.fsdecode(os.fspath(path))
    parts = [p for p in PurePath(text.replace("\\", "/")).parts if p not in ("/", "")]
    if not parts:
        return (), False
    name = parts[-1]
    if "--" in name:
        last = name.rsplit("--", 1)[1]
        if last:
            return tuple(parts[:-1] + _expand_flat(last)), True
    return tuple(parts), False


HADOOP_ENV_NAMES = frozenset(
    {"hadoop-env.sh", "yarn-env.sh", "mapred-env.sh", "httpfs-env.sh", "kms-env.sh", "hdfs-env.sh"}
)
# Stems of Hadoop files installed as /etc/default/<stem> (or shipped as <stem>.default).
_HADOOP_DEFAULT_RE = re.compile(
    r"^(?:(?:hadoop|yarn|hdfs|mapreduce|mapred|httpfs|kms)(?:[-_.].*)?|bigtop-utils)$"
)
SHELL_PROFILE_NAMES = frozenset(
    {".bash_profile", ".bashrc", ".profile", ".bash_login", ".zshrc", ".zprofile", ".zshenv", ".zlogin"}
)
# Files that count as shell profiles only inside an `etc` directory.
_ETC_PROFILE_NAMES = frozenset({"profile", "environment", "bashrc", "bash.bashrc", "zshrc", "zprofile"})


def _kind_by_name(parts: tuple[str, ...], flattened: bool) -> str | None:
    if not parts:
        return None
    name = parts[-1]
    parent = parts[-2] if len(parts) > 1 else ""
    # Hadoop env files.
    if name in HADOOP_ENV_NAMES:
        return HADOOP_ENV
    if flattened and name.endswith(tuple("-" + n for n in HADOOP_ENV_NAMES)):
        return HADOOP_ENV  # bigtop-HEAD--conf.secure-hadoop-env.sh (conf.secure/hadoop-env.sh)
    if name == "bigtop-utils":
        return HADOOP_ENV
    if parent == "default" and _HADOOP_DEFAULT_RE.match(name):
        return HADOOP_ENV
    if name.endswith(".default") and _HADOOP_DEFAULT_RE.match(name[: -len(".default")]):
        return HADOOP_ENV
    # Shell login profiles.
    if name in SHELL_PROFILE_NAMES:
        return SHELL_PROFILE
    if parent == "etc" and name in _ETC_PROFILE_NAMES:
        return SHELL_PROFILE
    if parent == "profile.d" and name.endswith(".sh"):
        return SHELL_PROFILE
    # DavMail.
    if name == "davmail.properties":
        return DAVMAIL
    return None


# --------------------------------------------------------------------------------------------------
# The `kinds` table


@functools.lru_cache(maxsize=64)
def _compile_globs(items: tuple[tuple[str, str], ...]) -> tuple[tuple[pathspec.PathSpec, str], ...]:
    compiled = []
    for glob, kind in items:
        validate_kind(kind)
        try:
            spec = pathspec.GitIgnoreSpec.from_lines([glob])
        except ValueError as e:
            raise ValueError(f"invalid glob {glob!r} in the kinds table: {e}") from None
        compiled.append((spec, kind))
    return tuple(compiled)


def _glob_kind(
    path: str | os.PathLike[str], kind_globs: Mapping[str, str], root: Path | None
) -> str | None | bool:
    """The kind chosen by the table (None for ignore/none), or False when no glob matches."""
    table = _compile_globs(tuple((str(g), str(k)) for g, k in kind_globs.items()))
    text = os.fsdecode(os.fspath(path))
    rel = None
    if root is not None:
        ap, ar = os.path.abspath(text), os.path.abspath(os.fspath(root))
        if ap.startswith(ar.rstrip(os.sep) + os.sep):
            rel = os.path.relpath(ap, ar)
    if rel is None:
        rel = os.path.basename(text)
    rel = rel.replace(os.sep, "/")
    chosen: str | None | bool = False
    for spec, kind in table:
        if spec.match_file(rel):
            chosen = None if kind in IGNORE_KINDS else kind
    return chosen


# --------------------------------------------------------------------------------------------------
# Content


_NON_CONFIG_EXTS = frozenset(
    {
        ".py", ".pyc", ".md", ".rst", ".html", ".htm", ".json", ".yaml", ".yml", ".toml", ".xml",
        ".js", ".ts", ".java", ".c", ".h", ".cc", ".cpp", ".go", ".rs", ".rb", ".pl", ".lark",
        ".properties", ".sh", ".bash", ".zsh", ".ksh", ".csv", ".ini", ".j2", ".jinja", ".erb",
    }
)  # fmt: skip
_SHEBANG_SH_RE = re.compile(r"#![^\n]*?\b(?:ba|da|k|z|a|mk|po)?sh\b")


def _text(head: bytes) -> str:
    text = head.decode("latin-1")
    if text.startswith("\xef\xbb\xbf"):  # UTF-8 byte order mark
        text = text[3:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def _is_shell(name: str, text: str) -> bool:
    if name.endswith((".sh", ".bash")):
        return True
    return text.startswith("#!") and _SHEBANG_SH_RE.match(text) is not None


# ---- Cisco ASA

_ASA_HEADER_RE = re.compile(r"^(?:ASA|PIX|FWSM) Version \d", re.M)
_IOS_VERSION_RE = re.compile(r"^version \d+\.\d+", re.M)  # IOS / IOS-XE / NX-OS; ASA writes "ASA Version"

# Commands that exist on ASA/PIX and not on IOS; each named group is one distinct marker.
_ASA_MARKERS_RE = re.compile(
    r"""^(?:
      (?P<nameif>[ \t]*nameif[ \t]+\S)
    | (?P<security_level>[ \t]*security-level[ \t]+\d)
    | (?P<object_group>object-group[ \t]+(?:network|service|protocol|icmp-type|user|security)[ \t]+\S)
    | (?P<object_group_member>[ \t]+(?:network|service|port|protocol|icmp)-object[ \t]+\S)
    | (?P<object>object[ \t]+(?:network|service)[ \t]+\S)
    | (?P<access_list>access-list[ \t]+\S+[ \t]+(?:extended|standard|webtype|ethertype)[ \t])
    | (?P<access_group>access-group[ \t]+\S+[ \t]+(?:in|out|global)\b)
    | (?P<crypto_map_entry>crypto[ \t]+(?:dynamic-)?map[ \t]+\S+[ \t]+\d+[ \t]+(?:match[ \t]+address|set)[ \t])
    | (?P<crypto_map_interface>crypto[ \t]+map[ \t]+\S+[ \t]+interface[ \t]+\S)
    | (?P<crypto_ikev1>crypto[ \t]+(?:ikev1[ \t]+(?:policy|enable|am-disable)|ikev2[ \t]+enable)\b)
    | (?P<crypto_ikev1_transform_set>crypto[ \t]+ipsec[ \t]+ikev1[ \t]+transform-set\b)
    | (?P<crypto_ikev2_ipsec_proposal>crypto[ \t]+ipsec[ \t]+ikev2[ \t]+ipsec-proposal\b)
    | (?P<tunnel_group_type>tunnel-group[ \t]+\S+[ \t]+type[ \t]+(?:ipsec-l2l|remote-access|ipsec-ra|webvpn)\b)
    | (?P<tunnel_group_attributes>tunnel-group[ \t]+\S+[ \t]+(?:general|ipsec|webvpn|ppp)-attributes\b)
    | (?P<group_policy>group-policy[ \t]+\S+[ \t]+(?:internal|external|attributes)\b)
    | (?P<same_security_traffic>same-security-traffic[ \t]+permit\b)
    | (?P<nat_ifpair>[ \t]*(?:nat|static|global)[ \t]+\([^()\s]+\))
    | (?P<mtu>mtu[ \t]+\S+[ \t]+\d+[ \t]*$)
    | (?P<asdm>asdm[ \t]+(?:image|history|location)\b)
    | (?P<pager>pager[ \t]+lines\b)
    | (?P<names>names[ \t]*$|name[ \t]+\d+\.\d+\.\d+\.\d+[ \t]+\S)
    | (?P<failover>failover[ \t]+(?:lan|link|interface|polltime)\b)
    | (?P<threat_detection>threat-detection[ \t])
    | (?P<http_server>http[ \t]+server[ \t]+enable\b)
    | (?P<webvpn>webvpn[ \t]*$|[ \t]+anyconnect[ \t]+(?:image|enable|profiles)\b)
    | (?P<global_policy>(?:policy-map|service-policy)[ \t]+global_policy\b)
    | (?P<object_body>[ \t]+(?:host|subnet|range|fqdn|nat|service)[ \t]+\S)
    | (?P<ikev1_body>[ \t]+(?:authentication|encryption|hash|group|lifetime|integrity|prf)[ \t]+\S)
    )""",
    re.M | re.X,
)
# Markers that count only inside a given parent block (the nearest preceding unindented line).
_ASA_CONTEXT = {
    "object_body": re.compile(r"object[ \t]+(?:network|service)[ \t]"),
    "ikev1_body": re.compile(r"crypto[ \t]+ikev1[ \t]+policy[ \t]"),
}


def _parent_line(text: str, pos: int) -> str:
    """The nearest unindented, non-comment line before `pos`."""
    end = text.rfind("\n", 0, pos)
    while end > 0:
        start = text.rfind("\n", 0, end) + 1
        line = text[start:end]
        if line and line[0] not in " \t!:":
            return line
        end = start - 1
    return ""


def _looks_asa(text: str) -> bool:
    if _ASA_HEADER_RE.search(text):
        return True
    if _IOS_VERSION_RE.search(text):
        return False  # an IOS router/switch config, however many ASA-like lines it has
    found: set[str] = set()
    for m in _ASA_MARKERS_RE.finditer(text):
        marker = m.lastgroup
        if marker is None or marker in found:
            continue
        context = _ASA_CONTEXT.get(marker)
        if context is not None and not context.match(_parent_line(text, m.start())):
            continue
        found.add(marker)
        if len(found) >= 2:
            return True
    return False


# ---- Java properties (DavMail)

_PROP_KEY_RE = re.compile(r"((?:[^\s=:\\]|\\.)*)[ \t\f]*([=:]?)")


def _properties_entries(text: str):
    """(key, separator) of each logical line of a properties text, comments and blanks skipped.
    The separator is `=` or `:`, or "" for the `key value` form and bare keys."""
    continued = False
    for raw in text.split("\n"):
        line = raw.lstrip(" \t\f")
        was_continued = continued
        continued = (len(line) - len(line.rstrip("\\"))) % 2 == 1
        if was_continued:
            continue  # the rest of a value continued with a backslash
        if not line or line[0] in "#!":
            continued = False  # a comment never continues
            continue
        m = _PROP_KEY_RE.match(line)
        yield (m.group(1), m.group(2)) if m else ("", "")


def _has_davmail_key(text: str) -> bool:
    return "davmail." in text and any(key.startswith("davmail.") for key, _ in _properties_entries(text))


def _looks_davmail(text: str) -> bool:
    if "davmail." not in text:
        return False
    lines = kv = dav = 0
    for key, sep in _properties_entries(text):
        lines += 1
        if sep and key:
            kv += 1
            dav += key.startswith("davmail.")
    return dav >= 1 and kv >= 0.8 * lines and dav >= 0.5 * kv


# ---- Hadoop env

_HADOOP_VAR = r"(?:HADOOP|YARN|HDFS|MAPRED)_[A-Za-z0-9_]*"
_ASSIGN_RE = re.compile(rf"^[ \t]*(?:export[ \t]+)?({_HADOOP_VAR})\+?=", re.M)
_EXPORT_RE = re.compile(rf"^[ \t]*export[ \t]+(?:{_HADOOP_VAR}|JAVA_HOME)\b", re.M)
# `[export|unset|readonly|declare -x] NAME[=value]`, not a bare shell keyword.
_ENV_STATEMENT_RE = re.compile(
    r"^[ \t]*(?:(?:export|unset|readonly|declare(?:[ \t]+-\w+)*)[ \t]+)?"
    r"(?!(?:fi|done|esac|else|then|do)\b)[A-Za-z_][A-Za-z0-9_]*(?:\+?=|[ \t]*$)"
)


def _looks_hadoop_env(text: str) -> bool:
    if "_" not in text or "export" not in text:
        return False
    names = set(_ASSIGN_RE.findall(text))
    if len(names) < 2 or not _EXPORT_RE.search(text):
        return False
    if re.search(r"hadoop", text, re.I) is None:
        return False
    # An env file is mostly assignments; Hadoop's own launcher scripts (bin/hdfs, sbin/*.sh) set
    # HADOOP_* variables too, but among much more logic.
    statements = [ln for ln in text.split("\n") if ln.strip() and not ln.lstrip().startswith("#")]
    assignments = sum(1 for ln in statements if _ENV_STATEMENT_RE.match(ln))
    return assignments >= 0.5 * len(statements)


# ---- netns / firewall shell scripts

NET_TOOLS = frozenset(
    {
        "ip", "brctl", "iptables", "ip6tables", "nft", "iptables-restore", "ip6tables-restore",
        "iptables-save", "ip6tables-save", "iptables-legacy", "iptables-nft", "ip6tables-legacy",
        "ip6tables-nft", "ebtables", "bridge",
    }
)  # fmt: skip
# Words that run the command that follows them: (options taking a value, leading operands).
_WRAPPERS: dict[str, tuple[frozenset[str], int]] = {
    "sudo": (frozenset({"-u", "-g", "-p", "-C", "-h", "-D", "-r", "-t", "-U", "-T"}), 0),
    "doas": (frozenset({"-u", "-C"}), 0),
    "nice": (frozenset({"-n"}), 0),
    "ionice": (frozenset({"-c", "-n", "-p", "-P", "-u"}), 0),
    "timeout": (frozenset({"-s", "-k", "--signal", "--kill-after"}), 1),
    "nsenter": (frozenset({"-t", "--target", "-S", "-G", "-w", "-r", "--setuid", "--setgid"}), 0),
    "xargs": (frozenset({"-I", "-n", "-P", "-d", "-L", "-s", "-a", "-E", "-i"}), 0),
    "stdbuf": (frozenset({"-i", "-o", "-e"}), 0),
    "watch": (frozenset({"-n", "-d"}), 0),
    "env": (frozenset({"-u", "-C", "-S"}), 0),
    "chroot": (frozenset(), 1),
    **{
        w: (frozenset(), 0)
        for w in ("exec", "command", "builtin", "nohup", "time", "setsid", "unshare", "then", "do",
                  "else", "elif", "if", "while", "until", "!")
    },
}  # fmt: skip
_NET_WORD_RE = re.compile(r"(?<![\w.-])(?:ip|brctl|ip6?tables(?:-[a-z]+)?|nft|ebtables|bridge)(?![\w-])")
_SEPARATORS_RE = re.compile(r"&&|\|\||[;|&()`{}\n]")
_ASSIGNMENT_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(?:\[[^\]]*\])?\+?=")
_HEREDOC_RE = re.compile(r"<<(-?)[ \t]*(['\"]?)([A-Za-z_][A-Za-z0-9_]*)\2")
# What `ip` takes as its first argument: an option, an object, a variable or a quoted word.
_IP_FIRST_ARG_RE = re.compile(
    r"^(?:-\S*|link|l|addr|address|a|addrlabel|route|r|ro|rule|ru|netns|netconf|neigh|neighbor|"
    r"neighbour|n|tunnel|tuntap|tap|maddr|maddress|mroute|mrule|monitor|xfrm|nexthop|nh|vrf|mptcp|"
    r"macsec|fou|gue|l2tp|sr|token|ntable|ntbl|tcp_metrics|tcpmetrics|ioam|stats|help|\$.*|_+)$"  # `_+`: a quoted word
)


def _shell_code(text: str) -> str:
    """Shell text with comments, quoted strings and heredoc bodies blanked out, keeping command
    substitutions (`$(...)`, backticks) even inside double quotes. Command boundaries survive as
    separators: newlines, `;`, `|`, `&`, parentheses, braces and backticks."""
    out: list[str] = []
    # Frames: "code" (top or inside $( )), "dq" (double quotes), "bt" (backticks).
    stack: list[list] = [["code", 0, False]]  # [type, paren depth, is a $( substitution]
    heredocs: list[tuple[str, bool]] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        frame = stack[-1]
        kind = frame[0]
        if c == "\n":
            out.append("\n")
            i += 1
            if heredocs and kind != "dq":
                # Skip heredoc bodies up to their terminators.
                for delim, strip_tabs in heredocs:
                    while i < n:
                        j = text.find("\n", i)
                        line = text[i:] if j < 0 else text[i:j]
                        i = n if j < 0 else j + 1
                        out.append("\n")
                        if (line.lstrip("\t") if strip_tabs else line) == delim:
                            break
                heredocs = []
            continue
        if kind == "dq":
            if c == "\\":
                out.append("__")
                i += 2
            elif c == '"':
                stack.pop()
                out.append(" ")
                i += 1
            elif c == "$" and text.startswith("$(", i) and not text.startswith("$((", i):
                stack.append(["code", 0, True])
                out.append(" (")
                i += 2
            elif c == "`":
                stack.append(["bt", 0, True])
                out.append(" `")
                i += 1
            else:
                out.append("_")
                i += 1
            continue
        # code or backtick frame
        if c == "\\":
            if i + 1 < n and text[i + 1] == "\n":
                out.append("  ")  # line continuation
            else:
                out.append("__")
            i += 2
        elif c == "'":
            j = text.find("'", i + 1)
            j = n - 1 if j < 0 else j
            out.append(" " + "".join("\n" if ch == "\n" else "_" for ch in text[i + 1 : j]) + " ")
            i = j + 1
        elif c == '"':
            stack.append(["dq", 0, False])
            out.append(" ")
            i += 1
        elif c == "#" and (i == 0 or text[i - 1] in " \t\n;&|()`"):  # a word starting with #
            j = text.find("\n", i)
            i = n if j < 0 else j
        elif c == "`":
            if kind == "bt":
                stack.pop()
            else:
                stack.append(["bt", 0, True])
            out.append("`")
            i += 1
        elif c == "$" and text.startswith("$(", i):
            stack.append(["code", 0, True])
            out.append(" (")
            i += 2
        elif c == "(":
            frame[1] += 1
            out.append("(")
            i += 1
        elif c == ")":
            if frame[1] == 0 and frame[2] and len(stack) > 1:
                stack.pop()
            else:
                frame[1] = max(0, frame[1] - 1)
            out.append(")")
            i += 1
        elif c == "<" and text.startswith("<<", i) and not text.startswith("<<<", i):
            m = _HEREDOC_RE.match(text, i)
            if m:
                heredocs.append((m.group(3), m.group(1) == "-"))
                out.append(" " * (m.end() - i))
                i = m.end()
            else:
                out.append("<<")
                i += 2
        else:
            out.append(c)
            i += 1
    return "".join(out)


def _calls_net_tool(text: str) -> bool:
    if _NET_WORD_RE.search(text) is None:
        return False
    code = _shell_code(text)
    for segment in _SEPARATORS_RE.split(code):
        words = segment.split()
        k = 0
        while k < len(words):
            word = words[k]
            if _ASSIGNMENT_RE.match(word):
                k += 1  # `VAR=value cmd`
                continue
            base = word.rsplit("/", 1)[-1]
            wrapper = _WRAPPERS.get(base)
            if wrapper is not None:
                value_opts, operands = wrapper
                k += 1
                # Skip the wrapper's options (with their values) and assignments, then operands.
                while k < len(words) and (words[k].startswith("-") or _ASSIGNMENT_RE.match(words[k])):
                    k += 2 if words[k] in value_opts else 1
                k += operands
                continue
            if base in NET_TOOLS and k + 1 < len(words):
                if base != "ip" or _IP_FIRST_ARG_RE.match(words[k + 1]):
                    return True
            break
    return False


# --------------------------------------------------------------------------------------------------
# Entry point


def detect_kind(
    path: str | os.PathLike[str],
    head: bytes,
    kind_globs: Mapping[str, str] | None = None,
    root: Path | None = None,
) -> str | None:
    """The kind of the file at `path` whose first bytes are `head`, or None (not linted).

    `kind_globs` (the project's `kinds` table) maps gitignore-style globs, matched against the path
    relative to `root` (or the base name without a root), to a kind or to `ignore`/`none`; it wins
    over every other rule. An unknown kind in it raises ValueError. Nothing else raises.
    """
    if kind_globs:
        chosen = _glob_kind(path, kind_globs, root)
        if chosen is not False:
            return chosen  # type: ignore[return-value]
    try:
        parts, flattened = _effective_parts(path)
    except (TypeError, ValueError):
        parts, flattened = (), False
    by_name = _kind_by_name(parts, flattened)
    if by_name is not None:
        return by_name
    if not isinstance(head, (bytes, bytearray, memoryview)):
        return None
    head = bytes(head[:HEAD_BYTES])
    nul = head.find(b"\x00")
    if nul >= 0:
        # Binary, or a text file with NUL bytes in it (a crash leaves blocks of NULs at the end of a
        # file that was being written): recognised from the complete lines before the first NUL
        # only, so that the engine reports a corrupted config as binary instead of skipping it.
        head = head[: head.rfind(b"\n", 0, nul) + 1]
        if not head:
            return None
    name = parts[-1].lower() if parts else ""
    ext = os.path.splitext(name)[1]
    text = _text(head)
    if ext == ".properties":
        return DAVMAIL if _has_davmail_key(text) else None
    shell = _is_shell(name, text)
    if not shell and ext not in _NON_CONFIG_EXTS:
        if _looks_asa(text):
            return ASA
        if _looks_davmail(text):
            return DAVMAIL
    if ext not in _NON_CONFIG_EXTS or shell:
        if _looks_hadoop_env(text):
            return HADOOP_ENV
    if shell and _calls_net_tool(text):
        return NETNS
    return None


# A file we cannot read: its content cannot tell its kind.
UNKNOWN = "unknown"
_SCRIPT_EXTS = frozenset({".properties", ".sh", ".bash", ".zsh", ".ksh"})


def unreadable_kind(
    path: str | os.PathLike[str],
    kind_globs: Mapping[str, str] | None = None,
    root: Path | None = None,
) -> str | None:
    """The kind to give a file whose content cannot be read: the one a name rule or a glob gives,
    else `UNKNOWN` (the engine reports it as unreadable, CFG001) unless its name says it is not a
    configuration file of any kind (`.py`, `.md`, ... ) or the kinds table ignores it."""
    kind = detect_kind(path, b"", kind_globs, root)
    if kind is not None:
        return kind
    if kind_globs and _glob_kind(path, kind_globs, root) is None:
        return None  # the project says: not linted
    ext = os.path.splitext(os.path.basename(os.fsdecode(os.fspath(path))).lower())[1]
    if ext in _NON_CONFIG_EXTS and ext not in _SCRIPT_EXTS:
        return None
    return UNKNOWN


__all__ = [
    "ASA",
    "DAVMAIL",
    "HADOOP_ENV",
    "HEAD_BYTES",
    "IGNORE_KINDS",
    "KINDS",
    "KIND_DESCRIPTIONS",
    "NETNS",
    "SHELL_PROFILE",
    "UNKNOWN",
    "detect_kind",
    "read_head",
    "unreadable_kind",
    "validate_kind",
]
