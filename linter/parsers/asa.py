"""Cisco ASA / PIX / FWSM running-config parser.

Two steps:

1. `build_tree(lines)`: a plain indentation tree (a line's parent is the nearest previous non-comment
   line with a smaller indent; blank and `!` lines are not nodes). The tests hold it equal to
   ciscoconfparse's `CiscoConfParse(lines, syntax='asa')` parent/child structure on the corpus.
2. `_Builder`: typed `cfglint.models.asa` models from the tree, in two passes (the first collects
   `name` aliases and object-group types, which the second needs to read ACL operands).

Lines of commands the model does not cover are kept as `RawLine`/`RawBlock`. A covered command whose line
is cut short or malformed (no ACL after `match address`, an ACE without its destination, a bad IP) gives
a `ParseProblem` (CFG004) and is kept raw; an unknown variant of a covered command is kept raw without a
problem (a false parse error is a false positive). The parser never raises: a bug in one line's handler
becomes a problem on that line (tests run with `STRICT = True` to surface such bugs instead).
"""

from __future__ import annotations

import gc
import re
import sys
from ipaddress import IPv4Address, IPv6Address, IPv6Interface
from typing import Any

from cfglint.api import Comment, ParseProblem, Span
from cfglint.models.base import SecretStr, copy_with, fields_dict
from cfglint.asa.tables import LOG_LEVELS, looks_ipv4, mask_prefix, network_of, parse_ip
from cfglint.models.asa import (
    AccessGroup,
    AccessList,
    AccessListEntry,
    Address,
    AsaConfig,
    AsaVersion,
    Credential,
    CryptoDynamicRef,
    CryptoIkev2Proposals,
    CryptoMap,
    CryptoMapBinding,
    CryptoMapEntry,
    CryptoMatchAddress,
    CryptoPeer,
    CryptoPfs,
    CryptoSaLifetime,
    CryptoTransformSets,
    GroupCycle,
    GroupRef,
    IcmpMember,
    IkeEnable,
    IkePolicy,
    Interface,
    InterfaceAddress,
    InterfaceIpv6Address,
    IpsecProposal,
    IsakmpKey,
    LegacyGlobal,
    LegacyNat,
    LegacyStatic,
    NameAlias,
    NatTraversal,
    NetworkMember,
    NetworkObject,
    ObjectGroup,
    ObjectNat,
    PortMatch,
    PortMember,
    Pos,
    Protocol,
    ProtocolMember,
    RawBlock,
    RawLine,
    Secret,
    SecurityMember,
    ServiceMember,
    ServiceObject,
    ServiceSpec,
    TransformSet,
    TunnelGroup,
    TunnelGroupIpsec,
    TwiceNat,
    UserMember,
)

__all__ = ["STRICT", "TreeNode", "build_tree", "decode", "parse_asa"]

# Tests set this to re-raise handler bugs instead of turning them into parse problems.
STRICT = False

_NEWLINES_RE = re.compile(r"\r\n?")
_TOKEN_RE = re.compile(r"\S+")


def decode(data: bytes) -> list[str]:
    """The file's lines exactly as the engine numbers them (UTF-8 with replacement, BOM dropped,
    `\\r\\n`, `\\r` and `\\n` end lines)."""
    text = data.decode("utf-8", errors="replace")
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text:
        text = _NEWLINES_RE.sub("\n", text)
    return text.split("\n")


# --------------------------------------------------------------------------------------------------
# The indentation tree


class TreeNode:
    """One configuration line: 1-based `line`, `indent` (leading whitespace chars), stripped `text`,
    `children`, and where its block ends (`end_line`, `end_column`, exclusive)."""

    __slots__ = ("line", "indent", "text", "children", "end_line", "end_column", "_toks", "_span", "_pos")

    def __init__(self, line: int, indent: int, text: str):
        self.line = line
        self.indent = indent
        self.text = text
        self.children: list[TreeNode] = []
        self.end_line = line
        self.end_column = indent + len(text) + 1
        self._toks: list[str] | None = None
        self._span: Span | None = None
        self._pos: Pos | None = None

    @property
    def tokens(self) -> list[str]:
        t = self._toks
        if t is None:
            t = self._toks = self.text.split()
        return t

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"TreeNode({self.line}, {self.indent}, {self.text!r}, {len(self.children)} children)"


def build_tree(lines: list[str]) -> tuple[list[TreeNode], list[tuple[int, int, str]]]:
    """(root nodes, comments as (line, column of the `!`, text after the `!`)).

    Iterative (no recursion): any nesting depth is fine."""
    roots: list[TreeNode] = []
    comments: list[tuple[int, int, str]] = []
    stack: list[TreeNode] = []
    last: TreeNode | None = None
    for i, line in enumerate(lines, 1):
        s = line.lstrip()
        if not s:
            continue
        indent = len(line) - len(s)
        if s[0] == "!":
            comments.append((i, indent + 1, s[1:].rstrip()))
            continue
        text = s.rstrip()
        node = TreeNode(i, indent, text)
        while stack and stack[-1].indent >= indent:
            done = stack.pop()
            done.end_line = last.line  # type: ignore[union-attr]
            done.end_column = last.end_column if last.line != done.line else done.end_column  # type: ignore[union-attr]
        if stack:
            stack[-1].children.append(node)
        else:
            roots.append(node)
        stack.append(node)
        last = node
    while stack:
        done = stack.pop()
        done.end_line = last.line  # type: ignore[union-attr]
        if last.line != done.line:  # type: ignore[union-attr]
            done.end_column = last.end_column  # type: ignore[union-attr]
    return roots, comments


def _iter_nodes(roots: list[TreeNode]):
    """Every node, depth first, without recursion."""
    stack = list(reversed(roots))
    while stack:
        n = stack.pop()
        yield n
        if n.children:
            stack.extend(reversed(n.children))


# --------------------------------------------------------------------------------------------------
# Helpers


# Construction: models are frozen slotted dataclasses whose `__init__` stores the values through the
# slots without validation (see cfglint.models.base). The values are built with the right types here;
# the tests check every element of every corpus model against its annotations to hold that true.


class _Malformed(Exception):
    """A covered command that cannot be read: becomes a ParseProblem on its line."""

def _mapped_or_pool(toks: list[str], i: int, f: dict, mapped_key: str, pool_key: str) -> int:
    """NAT's mapped operand at toks[i]: `pat-pool POOL` or a mapped object; returns the next index."""
    if toks[i] == "pat-pool":
        if i + 1 >= len(toks):
            raise _Malformed("pat-pool without a pool")
        f[pool_key] = toks[i + 1]
        return i + 2
    f[mapped_key] = toks[i]
    return i + 1



_PORT_OPS = frozenset({"eq", "neq", "lt", "gt", "range"})
_PORT_OP = {k: k for k in ("eq", "neq", "lt", "gt", "range", "object-group")}
_ADDR_KIND = {k: k for k in ("any", "any4", "any6", "host", "object", "object-group", "interface")}
_ACTIONS = {"permit": "permit", "deny": "deny"}
_ICMP_PROTOS = frozenset({"icmp", "icmp6", "1", "58"})
_intern = sys.intern
_ADDR_KEYWORDS = frozenset({"any", "any4", "any6"})
_ACE_OPTION_WORDS = frozenset({"log", "time-range", "inactive"})
_IDENTITY_WORDS = {
    "user": 1,
    "user-group": 1,
    "object-group-user": 1,
    "security-group": 2,
    "object-group-security": 1,
}
_OBJ_VALUE_KEYS = ("kind", "host", "subnet", "range_start", "range_end", "fqdn", "fqdn_family", "value_span")


def _is_masked(value: str) -> bool:
    return bool(value) and set(value) == {"*"}


# --------------------------------------------------------------------------------------------------
# Whether the secrets are isolated (AsaConfig.redacted may then touch them only)

_SEPARATORS_RE = re.compile(r"[\s\-:]+")
_CODE_TEXT: str | None = None


def _code_text() -> str:
    """The source of the code that builds models (casefolded): every constant string the parser or the
    model can put into a model (kinds, keywords, defaults, masks such as `*****`) is written in it.
    "" marks it unreadable (then nothing is deemed isolated)."""
    global _CODE_TEXT
    if _CODE_TEXT is None:
        import cfglint.asa.tables as tables
        import cfglint.models.asa as models
        import cfglint.models.base as base

        parts = []
        try:
            for mod in (sys.modules[__name__], models, base, tables):
                with open(mod.__file__ or "", encoding="utf-8") as fh:
                    parts.append(fh.read())
            _CODE_TEXT = "\n".join(parts).casefold()
        except (OSError, TypeError, ValueError):
            _CODE_TEXT = ""
    return _CODE_TEXT


# Characters of configs and of the code (casefolded), from the rarest to the most common (measured on
# the corpus): one that is not listed is rarer still.
_RARE_FIRST = "%&~^';@\\?/!*<#{}|+>zq`[]7v96x8yw=4)(3:,kh\"fgjum_5b21l0dp.-aricnoste "
_RARITY = {ch: i for i, ch in enumerate(_RARE_FIRST)}


def _any_word_re(words: set[str]) -> re.Pattern[str] | None:
    """A regular expression that finds any of `words` (one pass over a text for all of them: a
    substring test per word costs words x text). Each word is looked for from its rarest character
    c (w = head + c + tail): the pattern is `c tail (?<=w)` for every word, the tails of the words
    that share c in a prefix tree, so the engine only stops at the few places where one of those rare
    characters is, tries a handful of branches there, and the look-behind checks the head. None when
    it cannot be built (then the caller tests each word)."""
    by_char: dict[str, dict] = {}
    for word in words:
        k = min(range(len(word)), key=lambda i: _RARITY.get(word[i], -1))
        node = by_char.setdefault(word[k], {})
        for ch in word[k + 1 :]:
            node = node.setdefault(ch, {})
        node.setdefault("", []).append(word)  # "" holds the words whose tail ends here

    def build(node: dict) -> str:
        alts = [f"(?<={re.escape(w)})" for w in sorted(node.get("", ()))]
        for ch in sorted(k for k in node if k):
            child = node[ch]
            text = ch
            while len(child) == 1 and "" not in child:  # a chain: one literal, no group
                ((nxt, child),) = child.items()
                text += nxt
            alts.append(re.escape(text) + build(child))
        return alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"

    try:
        return re.compile(build(by_char)) if by_char else None
    except (RecursionError, re.error, OverflowError, MemoryError):
        return None


def _secrets_isolated(lines: list[str], path: str, secrets: list[Secret], problems: list[ParseProblem]) -> bool:
    """True when no secret value can be part of a string of the model other than the `Secret` values.

    Every string of a model is the file's text (outside the secret values: those are kept in `Secret`s
    only, and lines kept raw have them replaced by `*****`), casefolded or not, pieces joined by
    whitespace, `-` or `:`; or a constant of the code; or a problem message; or the path (never
    redacted). So a secret is isolated when the longest run of its value without those separators
    occurs nowhere in the text with the secret values blanked out, in the code, or in the messages
    (casefolded). Conservative: a short or common secret (`cisco`, `1`) is not isolated, and the
    redaction takes the generic walk. One pass over each text for all the secrets (a regular
    expression over the runs): linear in the file, whatever its number of secrets;
    tests/asa/test_scaling_helpers.py holds it equal to the per-secret reading it replaced."""
    values = [s for s in secrets if s.value is not None]
    if not values:
        return True
    code = _code_text()
    if not code:
        return False
    hay = _blanked_text(lines, values)
    if hay is None:
        return False
    words: set[str] = set()
    for s in values:
        v = s.value.get_secret_value()  # type: ignore[union-attr]
        for form in {v, v.strip()}:
            if not form or form == path:
                return False
            parts = [w for w in _SEPARATORS_RE.split(form.casefold()) if w]
            if not parts:
                return False
            words.add(max(parts, key=len))
    messages = "\n".join(p.message for p in problems).casefold()
    pattern = _any_word_re(words)
    if pattern is None:
        return not any(w in hay or w in code or w in messages for w in words)
    return pattern.search(hay) is None and pattern.search(code) is None and pattern.search(messages) is None


def _blanked_text(lines: list[str], values: list[Secret]) -> str | None:
    """The file's text with each secret value replaced by NULs, casefolded; None when a secret's
    span does not hold its value on one line (then nothing is deemed isolated)."""
    blanked = list(lines)
    for s in values:
        sp = s.span
        i = sp.line - 1
        if sp.end_line != sp.line or sp.end_column is None or not 0 <= i < len(blanked):
            return None
        text = blanked[i]
        a, b = sp.column - 1, sp.end_column - 1
        if text[a:b] != s.value.get_secret_value():  # type: ignore[union-attr]
            return None
        blanked[i] = text[:a] + "\x00" * (b - a) + text[b:]
    return "\n".join(blanked).casefold()


def _strip_inline_bang(toks: list[str]) -> list[str]:
    """Member lines of some hand-written configs carry a trailing `! note`: drop it."""
    if "!" in toks:
        return toks[: toks.index("!")]
    return toks


def _join_transforms(toks: list[str]) -> list[str]:
    """`esp-aes 256 esp-sha-hmac` (IOS form) -> [`esp-aes-256`, `esp-sha-hmac`]; lowercased."""
    out: list[str] = []
    for t in toks:
        tl = t.lower()
        if (
            tl.isdigit()
            and out
            and out[-1].startswith(("esp-aes", "esp-gcm", "esp-gmac"))
            and not out[-1][-1].isdigit()
        ):
            out[-1] = f"{out[-1]}-{tl}"
        else:
            out.append(tl)
    return out


# --------------------------------------------------------------------------------------------------
# Builders (mutable, finalised into frozen models)


class _ObjB:
    __slots__ = ("kind", "name", "span", "fields", "nat", "other", "end")

    def __init__(self, kind: str, name: str, span: Span):
        self.kind = kind
        self.name = name
        self.span = span
        self.fields: dict[str, Any] = {}
        self.nat: list[ObjectNat] = []
        self.other: list[Any] = []


class _GroupB:
    __slots__ = ("name", "group_type", "protocol", "span", "description", "members")

    def __init__(self, name: str, group_type: str, protocol: str | None, span: Span):
        self.name = name
        self.group_type = group_type
        self.protocol = protocol
        self.span = span
        self.description: str | None = None
        self.members: list[Any] = []


class _EntryB:
    __slots__ = ("map_name", "seq", "dynamic", "span", "fields", "other", "lines")

    def __init__(self, map_name: str, seq: int, dynamic: bool, span: Span):
        self.map_name = map_name
        self.seq = seq
        self.dynamic = dynamic
        self.span = span
        self.fields: dict[str, Any] = {}
        self.other: list[RawLine] = []
        self.lines: list[Span] = []


class _TgB:
    __slots__ = ("name", "span", "type", "type_span", "general", "ipsec", "others")

    def __init__(self, name: str, span: Span):
        self.name = name
        self.span = span
        self.type: str | None = None
        self.type_span: Span | None = None
        self.general: RawBlock | None = None
        self.ipsec: TunnelGroupIpsec | None = None
        self.others: list[RawBlock] = []


# --------------------------------------------------------------------------------------------------
# Secret patterns for lines the model keeps raw (and credential commands).

_SECRET_HINT_RE = re.compile(r"key|pass|community|secret|pw\b", re.I)
# (regex on the stripped text, kind). Group "v" is the value, optional "t" a type digit, "e" an
# encrypted/pbkdf2 suffix, "u" a user/level/peer.
_SECRET_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^enable password (?P<v>\S+)(?: level (?P<u>\d+))?(?: (?P<e>encrypted|pbkdf2))?"), "enable-password"),
    (re.compile(r"^passwd (?P<v>\S+)(?: (?P<e>encrypted))?"), "passwd"),
    (
        re.compile(r"^username (?P<u>\S+) password (?P<v>\S+)(?: (?P<e>encrypted|pbkdf2|nt-encrypted|mschap))?"),
        "username",
    ),
    (re.compile(r"^snmp-server community (?:(?P<t>[0-9]) )?(?P<v>\S+)"), "snmp-community"),
    (re.compile(r"^snmp-server host .*?\bcommunity (?:(?P<t>[0-9]) )?(?P<v>\S+)"), "snmp-community"),
    (re.compile(r"^snmp-server user (?P<u>\S+) .*?\bauth \S+ (?P<v>\S+)"), "snmp-auth"),
    (re.compile(r"^snmp-server user (?P<u>\S+) .*?\bpriv \S+ (?:\d+ )?(?P<v>\S+)"), "snmp-priv"),
    (re.compile(r"^ntp authentication-key (?P<u>\d+) md5 (?P<v>\S+)(?: (?P<e>encrypted))?"), "ntp-key"),
    (re.compile(r"^failover key (?:hex )?(?P<v>\S+)"), "failover-key"),
    (re.compile(r"^(?:ospf )?message-digest-key (?P<u>\d+) md5 (?:(?P<t>[0-9]) )?(?P<v>\S+)"), "ospf-key"),
    (re.compile(r"^(?:ospf )?authentication-key (?:(?P<t>[0-9]) )?(?P<v>\S+)"), "ospf-key"),
    (re.compile(r"^neighbor (?P<u>\S+) password (?:(?P<t>[0-9]) )?(?P<v>\S+)"), "bgp-password"),
    (re.compile(r"^(?:radius-common-pw|ldap-login-password|server-secret) (?P<v>\S+)"), "aaa-key"),
    (re.compile(r"^pre-shared-key address (?P<u>\S+)(?: \S+)? key (?P<v>\S+)"), "keyring-psk"),
    (re.compile(r"^pre-shared-key (?:local |remote )?(?:(?P<t>[0-9]) )?(?P<v>\S+)"), "keyring-psk"),
    (re.compile(r"^key-string (?:(?P<t>[0-9]) )?(?P<v>.+)"), "key-string"),
]
_AAA_KEY_RE = re.compile(r"^key (?:(?P<t>[0-9]) )?(?P<v>\S+)")


# --------------------------------------------------------------------------------------------------
# The builder


# IKE policy settings that take a list of algorithms: keyword -> (policy field, the problem when
# the list is missing).
_IKE_LISTS: dict[str, tuple[str, str]] = {
    "encryption": ("encryption", "encryption without an algorithm"),
    "encr": ("encryption", "encryption without an algorithm"),
    "hash": ("hash", "hash without an algorithm"),
    "integrity": ("integrity", "integrity without an algorithm"),
    "prf": ("prf", "prf without an algorithm"),
    "group": ("groups", "group without a Diffie-Hellman group"),
}


class _Builder:
    def __init__(self, lines: list[str], path: str):
        self.lines = lines
        self.path = path
        self.problems: list[ParseProblem] = []
        self.secrets: list[Secret] = []
        self.raw: list[Any] = []
        self.credentials: list[Credential] = []
        self.hostname: str | None = None
        self.hostname_span: Span | None = None
        self.domain_name: str | None = None
        self.version: AsaVersion | None = None
        self.interfaces: list[dict[str, Any]] = []  # in order; PIX 6 forms merge by name
        self.interface_by_name: dict[str, dict[str, Any]] = {}
        self.names_enabled = False
        self.names: list[NameAlias] = []
        self.name_ips: dict[str, Any] = {}
        self.objects: dict[str, _ObjB] = {}
        self.groups: dict[str, _GroupB] = {}
        self.group_types: dict[str, str] = {}
        self.acls: dict[str, list[AccessListEntry]] = {}
        self.acl_spans: dict[str, Span] = {}
        self.access_groups: list[AccessGroup] = []
        self.legacy_nat: list[LegacyNat] = []
        self.legacy_globals: list[LegacyGlobal] = []
        self.legacy_statics: list[LegacyStatic] = []
        self.object_nat: list[ObjectNat] = []
        self.twice_nat: list[TwiceNat] = []
        self.map_entries: dict[tuple[bool, str], dict[int, _EntryB]] = {}
        self.map_spans: dict[tuple[bool, str], Span] = {}
        self.bindings: list[CryptoMapBinding] = []
        self.ike_policies: dict[tuple[str, int], dict[str, Any]] = {}
        self.transform_sets: dict[str, TransformSet] = {}
        self.proposals: dict[str, IpsecProposal] = {}
        self.ike_enables: list[IkeEnable] = []
        self.nat_traversal: NatTraversal | None = None
        self.isakmp_keys: list[IsakmpKey] = []
        self.tunnel_groups: dict[str, _TgB] = {}

    # -- spans ----------------------------------------------------------------------------------------
    def span(self, n: TreeNode) -> Span:
        """The line's span (one shared object per line: spans are frozen)."""
        sp = n._span
        if sp is None:
            col = n.indent + 1
            sp = n._span = Span( path=self.path, line=n.line, column=col, end_line=n.line, end_column=col + len(n.text)
            )
        return sp

    def pos(self, n: TreeNode) -> Pos:
        """The line's position for leaf elements (shared by the elements of the line)."""
        p = n._pos
        if p is None:
            col = n.indent + 1
            p = n._pos = Pos(self.path, n.line, col, n.line, col + len(n.text))
        return p

    def block_pos(self, n: TreeNode) -> Pos:
        if not n.children:
            return self.pos(n)
        return Pos(self.path, n.line, n.indent + 1, n.end_line, n.end_column)

    def block_span(self, n: TreeNode) -> Span:
        if not n.children:
            return self.span(n)
        return Span(path=self.path, line=n.line, column=n.indent + 1, end_line=n.end_line, end_column=n.end_column)

    def tok_span(self, n: TreeNode, index: int, to_end: bool = False) -> Span:
        """The span of token `index` of the line (or from it to the end of the line)."""
        for k, m in enumerate(_TOKEN_RE.finditer(n.text)):
            if k == index:
                start = n.indent + m.start() + 1
                end = n.indent + (len(n.text) if to_end else m.end()) + 1
                return Span(path=self.path, line=n.line, column=start, end_line=n.line, end_column=end)
        return self.span(n)

    def problem(self, n: TreeNode, message: str) -> None:
        self.problems.append(ParseProblem(span=self.span(n), message=message))

    # -- raw ------------------------------------------------------------------------------------------
    def raw_node(self, n: TreeNode, parent_text: str = "") -> RawLine | RawBlock:
        """The raw model of a node and its subtree (iterative). Secrets in it are recognised, and a
        line holding one keeps its text with the value replaced by `*****`."""
        if not n.children:
            return RawLine(pos=self.pos(n), text=self.scan_secret(n, parent_text))
        # post-order without recursion
        built: dict[int, Any] = {}
        texts: dict[int, str] = {}
        stack: list[tuple[TreeNode, str, bool]] = [(n, parent_text, False)]
        while stack:
            node, ptext, expanded = stack.pop()
            if not node.children:
                built[id(node)] = RawLine(pos=self.pos(node), text=self.scan_secret(node, ptext))
                continue
            if not expanded:
                texts[id(node)] = self.scan_secret(node, ptext)
                stack.append((node, ptext, True))
                for c in reversed(node.children):
                    stack.append((c, node.text, False))
                continue
            kids = [built.pop(id(c)) for c in node.children]
            built[id(node)] = RawBlock(pos=self.block_pos(node), text=texts.pop(id(node)), children=tuple(kids))
        return built[id(n)]

    def keep_raw(self, n: TreeNode) -> None:
        self.raw.append(self.raw_node(n))

    # -- secrets --------------------------------------------------------------------------------------
    def make_secret(self, n: TreeNode, start: int, value: str, encrypted: bool = False) -> Secret:
        """A Secret for `value` found at offset `start` of the node's text."""
        if not value:
            sec = Secret(span=self.span(n), kind="absent")
        elif _is_masked(value):
            sp = Span(
                path=self.path,
                line=n.line,
                column=n.indent + start + 1,
                end_line=n.line,
                end_column=n.indent + start + len(value) + 1,
            )
            sec = Secret(span=sp, kind="masked")
        else:
            sp = Span(
                path=self.path,
                line=n.line,
                column=n.indent + start + 1,
                end_line=n.line,
                end_column=n.indent + start + len(value) + 1,
            )
            sec = Secret(span=sp, kind="encrypted" if encrypted else "cleartext", value=SecretStr(value))
        self.secrets.append(sec)
        return sec

    def key_after(self, n: TreeNode, keyword_end: int) -> Secret:
        """A PSK written after a keyword ending at offset `keyword_end`: `[0|8|hex] VALUE` to the end."""
        text = n.text
        rest = text[keyword_end:]
        stripped = rest.lstrip()
        start = keyword_end + (len(rest) - len(stripped))
        encrypted = False
        head, _, tail = stripped.partition(" ")
        if tail.strip() and head in ("0", "8", "hex"):
            encrypted = head == "8"
            t2 = tail.lstrip()
            start = start + len(head) + (len(tail) - len(t2)) + 1
            stripped = t2
        return self.make_secret(n, start, stripped.rstrip(), encrypted)

    def scan_secret(self, n: TreeNode, parent_text: str = "") -> str:
        """Recognise a credential in a line kept raw (or a credential command). Returns the line's
        text, with the secret value (if any) replaced by `*****`."""
        text = n.text
        if not _SECRET_HINT_RE.search(text):
            return text
        m = None
        kind = ""
        if parent_text.startswith("aaa-server"):
            m = _AAA_KEY_RE.match(text)
            kind = "aaa-key"
        if m is None:
            for rx, pattern_kind in _SECRET_PATTERNS:
                m = rx.match(text)
                if m:
                    kind = pattern_kind
                    break
        if m is None:
            return text
        sec = self.add_credential(n, m, kind)
        if sec.value is None:
            return text
        start, end = m.start("v"), m.start("v") + len(m.group("v").rstrip())
        return text[:start] + "*****" + text[end:]

    def add_credential(self, n: TreeNode, m: re.Match[str], kind: str) -> Secret:
        gd = m.groupdict()
        value = gd["v"].rstrip()
        encrypted = bool(gd.get("e")) or (gd.get("t") not in (None, "0"))
        sec = self.make_secret(n, m.start("v"), value, encrypted)
        self.credentials.append(Credential(span=self.span(n), kind=kind, user=gd.get("u"), secret=sec))
        return sec

    # -- pass 1 ---------------------------------------------------------------------------------------
    def prescan(self, roots: list[TreeNode]) -> None:
        """Names and object-group types, needed to read operands in pass 2."""
        for n in roots:
            t = n.text
            if t.startswith("name "):
                toks = n.tokens
                if len(toks) >= 3:
                    ip = parse_ip(toks[1])
                    if ip is not None:
                        self.name_ips[toks[2]] = ip
            elif t.startswith("object-group "):
                toks = n.tokens
                if len(toks) >= 3:
                    if toks[1] == "group" and len(toks) >= 4:
                        self.group_types[toks[3]] = toks[2]
                    else:
                        self.group_types[toks[2]] = toks[1]

    # -- pass 2 ---------------------------------------------------------------------------------------
    def run(self, roots: list[TreeNode]) -> None:
        self.prescan(roots)
        handlers = _HANDLERS
        for n in roots:
            toks = n.tokens
            h = handlers.get(toks[0])
            if h is None:
                if n.text[0] != ":":
                    self.keep_raw(n)
                else:
                    self.raw.append(RawLine(pos=self.pos(n), text=n.text))
                continue
            try:
                h(self, n, toks)
            except _Malformed as e:
                self.problem(n, str(e))
                self.raw.append(RawLine(pos=self.pos(n), text=n.text))
            except Exception as e:  # pragma: no cover - a handler bug: keep the run going
                if STRICT:
                    raise
                self.problem(n, f"could not read this line ({type(e).__name__})")
                self.raw.append(RawLine(pos=self.pos(n), text=n.text))
            finally:
                # Done with this line: its token list (rebuilt on demand if ever read again) need not
                # live until the whole file is read (~1 MiB off the peak of a cold run over 30 5k-line
                # configs, bench/run.py).
                n._toks = None

    def child_loop(self, n: TreeNode, handle) -> list[Any]:
        """Run `handle(child, toks)` on each child; malformed children become problems and raw lines.
        `handle` returns False for a child it does not know (kept raw in the returned list)."""
        other: list[Any] = []
        for c in n.children:
            try:
                if handle(c, c.tokens) is False:
                    other.append(self.raw_node(c, n.text))
            except _Malformed as e:
                self.problem(c, str(e))
                other.append(self.raw_node(c, n.text))
            except Exception as e:  # pragma: no cover
                if STRICT:
                    raise
                self.problem(c, f"could not read this line ({type(e).__name__})")
                other.append(self.raw_node(c, n.text))
            finally:
                c._toks = None  # as in `run`
        return other

    # -- header -----------------------------------------------------------------------------------------
    def h_hostname(self, n: TreeNode, toks: list[str]) -> None:
        if len(toks) < 2:
            raise _Malformed("hostname without a name")
        self.hostname = toks[1]
        self.hostname_span = self.tok_span(n, 1)

    def h_domain(self, n: TreeNode, toks: list[str]) -> None:
        if len(toks) >= 2:
            self.domain_name = toks[1]
        else:
            self.keep_raw(n)

    def h_version(self, n: TreeNode, toks: list[str]) -> None:
        if len(toks) < 2 or toks[1] != "Version":
            self.keep_raw(n)
            return
        if len(toks) < 3:
            raise _Malformed(f"{toks[0]} Version without a version")
        text = toks[2]
        numbers = tuple(int(x) for x in re.findall(r"\d+", text)[:6])
        self.version = AsaVersion(span=self.span(n), platform=toks[0], text=text, numbers=numbers)

    # -- credentials ------------------------------------------------------------------------------------
    def h_credential_line(self, n: TreeNode, toks: list[str]) -> None:
        if toks[0] == "passwd" and len(toks) < 2:
            raise _Malformed("passwd without a value")
        self.keep_raw(n)

    def h_enable(self, n: TreeNode, toks: list[str]) -> None:
        if len(toks) >= 2 and toks[1] == "password":
            if len(toks) < 3:
                raise _Malformed("enable password without a value")
        self.h_credential_line(n, toks)

    # -- names ------------------------------------------------------------------------------------------
    def h_names(self, n: TreeNode, toks: list[str]) -> None:
        if len(toks) == 1:
            self.names_enabled = True
        else:
            self.keep_raw(n)

    def h_name(self, n: TreeNode, toks: list[str]) -> None:
        if len(toks) < 3:
            raise _Malformed("name needs an address and a name")
        ip = parse_ip(toks[1])
        if ip is None:
            raise _Malformed(f"name {toks[2]}: {toks[1]!r} is not an IP address")
        desc = None
        if len(toks) > 3 and toks[3] == "description":
            desc = n.text.split("description", 1)[1].strip() or None
        self.names.append(NameAlias(pos=self.pos(n), name=toks[2], address=ip, description=desc))

    def resolve_ip(self, text: str) -> Any:
        ip = parse_ip(text)
        if ip is None:
            ip = self.name_ips.get(text)
        return ip

    # -- interfaces -------------------------------------------------------------------------------------
    def iface(self, name: str, span: Span) -> dict[str, Any]:
        d = self.interface_by_name.get(name)
        if d is None:
            d = {"span": span, "name": name, "other": [], "ipv6_addresses": []}
            self.interface_by_name[name] = d
            self.interfaces.append(d)
        return d

    def h_interface(self, n: TreeNode, toks: list[str]) -> None:
        if len(toks) < 2:
            raise _Malformed("interface without a name")
        name = " ".join(toks[1:]) if len(toks) > 2 and not toks[2][0].isalpha() else toks[1]
        d = self.iface(name, self.block_span(n))
        d["span"] = self.block_span(n)
        if len(toks) > 2 and toks[2] == "shutdown":  # PIX 6: `interface ethernet0 auto shutdown`
            d["shutdown"] = True

        def child(c: TreeNode, ct: list[str]) -> bool | None:
            k = ct[0]
            if k == "nameif":
                if len(ct) < 2:
                    raise _Malformed("nameif without a name")
                d["nameif"] = ct[1]
            elif k == "security-level":
                if len(ct) < 2 or not ct[1].isdigit():
                    raise _Malformed("security-level needs a number 0-100")
                d["security_level"] = int(ct[1])
            elif k == "ip" and len(ct) >= 2 and ct[1] == "address":
                self.ip_address(c, ct[2:], d)
            elif k == "ipv6" and len(ct) >= 2 and ct[1] == "address":
                self.ipv6_address(c, ct[2:], d)
            elif k == "shutdown" and len(ct) == 1:
                d["shutdown"] = True
            elif k == "description":
                d["description"] = c.text[len("description") :].strip()
            elif k == "vlan" and len(ct) >= 2 and ct[1].isdigit():
                d["vlan"] = int(ct[1])
            elif k == "management-only" and len(ct) == 1:
                d["management_only"] = True
            else:
                return False
            return None

        d["other"].extend(self.child_loop(n, child))

    def ip_address(self, n: TreeNode, args: list[str], d: dict[str, Any]) -> None:
        if not args:
            raise _Malformed("ip address without an address")
        a0 = args[0]
        if a0 == "dhcp":
            d["dhcp"] = True
            return
        if a0 == "pppoe":
            d["pppoe"] = True
            return
        ip = self.resolve_ip(a0)
        if not isinstance(ip, IPv4Address):
            raise _Malformed(f"ip address: {a0!r} is not an IPv4 address or a known name")
        if len(args) < 2:
            raise _Malformed("ip address without a netmask")
        mask = parse_ip(args[1])
        if not isinstance(mask, IPv4Address) or mask_prefix(args[1]) is None:
            raise _Malformed(f"ip address: {args[1]!r} is not a netmask")
        standby = None
        if len(args) >= 4 and args[2] == "standby":
            standby = self.resolve_ip(args[3])
            if not isinstance(standby, IPv4Address):
                raise _Malformed(f"ip address: standby {args[3]!r} is not an IPv4 address or a known name")
        d["address"] = InterfaceAddress(span=self.span(n), address=ip, mask=mask, standby=standby)

    def ipv6_address(self, n: TreeNode, args: list[str], d: dict[str, Any]) -> None:
        if not args:
            raise _Malformed("ipv6 address without an address")
        a0 = args[0]
        if a0 in ("autoconfig", "dhcp"):
            return
        link_local = len(args) >= 2 and args[1] == "link-local"
        try:
            itf = IPv6Interface(a0 if "/" in a0 or not link_local else a0 + "/64")
        except ValueError:
            raise _Malformed(f"ipv6 address: {a0!r} is not an IPv6 prefix") from None
        standby = None
        if "standby" in args:
            k = args.index("standby")
            if k + 1 < len(args):
                s = parse_ip(args[k + 1])
                if isinstance(s, IPv6Address):
                    standby = s
        d["ipv6_addresses"].append(
            InterfaceIpv6Address(span=self.span(n), interface=itf, standby=standby, link_local=link_local)
        )

    def h_nameif_pix(self, n: TreeNode, toks: list[str]) -> None:
        """PIX 6: `nameif ethernet0 outside security0`."""
        if len(toks) < 3:
            raise _Malformed("nameif needs a hardware interface and a name")
        d = self.iface(toks[1], self.span(n))
        d["nameif"] = toks[2]
        if len(toks) >= 4 and toks[3].startswith("security") and toks[3][8:].isdigit():
            d["security_level"] = int(toks[3][8:])

    def h_ip(self, n: TreeNode, toks: list[str]) -> None:
        """PIX 6 `ip address NAMEIF A M`; every other `ip ...` line is raw."""
        if len(toks) >= 3 and toks[1] == "address" and not looks_ipv4(toks[2]) and toks[2] not in ("dhcp", "pppoe"):
            target = None
            for d in self.interfaces:
                if d.get("nameif") == toks[2]:
                    target = d
                    break
            if target is None:
                target = self.iface(toks[2], self.span(n))
                target["nameif"] = toks[2]
            self.ip_address(n, toks[3:], target)
            return
        self.keep_raw(n)

    # -- objects ----------------------------------------------------------------------------------------
    def h_object(self, n: TreeNode, toks: list[str]) -> None:
        if len(toks) < 3 or toks[1] not in ("network", "service"):
            self.keep_raw(n)
            return
        kind, name = toks[1], toks[2]
        key = f"{kind}:{name}"
        ob = self.objects.get(key)
        if ob is None:
            ob = self.objects[key] = _ObjB(kind, name, self.block_span(n))
        if kind == "network":
            self.network_object_body(n, ob)
        else:
            self.service_object_body(n, ob)

    def network_object_body(self, n: TreeNode, ob: _ObjB) -> None:
        f = ob.fields

        def set_value(**kw: Any) -> None:
            for k in _OBJ_VALUE_KEYS:
                f.pop(k, None)
            f.update(kw)

        def child(c: TreeNode, ct: list[str]) -> bool | None:
            k = ct[0]
            if k == "host":
                if len(ct) < 2:
                    raise _Malformed("host without an address")
                ip = parse_ip(ct[1])
                if ip is None:
                    raise _Malformed(f"host: {ct[1]!r} is not an IP address")
                set_value(kind="host", host=ip, value_span=self.span(c))
            elif k == "subnet":
                if len(ct) < 2:
                    raise _Malformed("subnet without an address")
                prefix_form = "/" in ct[1]
                net = network_of(ct[1], None if prefix_form else (ct[2] if len(ct) > 2 else None))
                if net is None or (not prefix_form and len(ct) < 3):
                    raise _Malformed(f"subnet: {' '.join(ct[1:3])!r} is not an address and netmask")
                set_value(kind="subnet", subnet=net, value_span=self.span(c))
            elif k == "range":
                if len(ct) < 3:
                    raise _Malformed("range needs a first and a last address")
                a, b = parse_ip(ct[1]), parse_ip(ct[2])
                if a is None or b is None or a.version != b.version:
                    raise _Malformed(f"range: {' '.join(ct[1:3])!r} are not two addresses")
                set_value(kind="range", range_start=a, range_end=b, value_span=self.span(c))
            elif k == "fqdn":
                fam = None
                host = ct[1] if len(ct) > 1 else None
                if host in ("v4", "v6"):
                    fam, host = host, (ct[2] if len(ct) > 2 else None)
                if host is None:
                    raise _Malformed("fqdn without a name")
                set_value(kind="fqdn", fqdn=host, fqdn_family=fam, value_span=self.span(c))
            elif k == "description":
                f["description"] = c.text[len("description") :].strip()
            elif k == "nat":
                nat = self.object_nat_line(c, ct, ob.name)
                ob.nat.append(nat)
                self.object_nat.append(nat)
            else:
                return False
            return None

        ob.other.extend(self.child_loop(n, child))

    def service_object_body(self, n: TreeNode, ob: _ObjB) -> None:
        f = ob.fields

        def child(c: TreeNode, ct: list[str]) -> bool | None:
            k = ct[0]
            if k == "service":
                f["service"] = self.service_spec(c, _strip_inline_bang(ct[1:]))
            elif k == "description":
                f["description"] = c.text[len("description") :].strip()
            else:
                return False
            return None

        ob.other.extend(self.child_loop(n, child))

    def port_match(self, n: TreeNode, toks: list[str], i: int) -> tuple[PortMatch, int]:
        return self.port_match_at(self.pos(n), toks, i)

    def port_match_at(self, sp: Pos, toks: list[str], i: int) -> tuple[PortMatch, int]:
        op = toks[i]
        need = 2 if op == "range" else 1
        vals = toks[i + 1 : i + 1 + need]
        if len(vals) < need:
            raise _Malformed(f"port operator {op!r} without its port{'s' if need > 1 else ''}")
        return PortMatch(pos=sp, op=_PORT_OP[op], values=tuple(map(_intern, vals))), i + 1 + need

    def service_spec(self, n: TreeNode, toks: list[str]) -> ServiceSpec:
        if not toks:
            raise _Malformed("service without a protocol")
        proto = toks[0].lower()
        fields: dict[str, Any] = {}
        if proto in ("icmp", "icmp6"):
            if len(toks) > 1:
                fields["icmp_type"] = toks[1]
            if len(toks) > 2:
                fields["icmp_code"] = toks[2]
            return ServiceSpec(pos=self.pos(n), protocol=proto, **fields)
        i, nt = 1, len(toks)
        while i < nt:
            t = toks[i]
            if t == "source":
                if i + 1 >= nt or toks[i + 1] not in _PORT_OPS:
                    raise _Malformed("source without a port operator")
                fields["source"], i = self.port_match(n, toks, i + 1)
            elif t == "destination":
                if i + 1 >= nt or toks[i + 1] not in _PORT_OPS:
                    raise _Malformed("destination without a port operator")
                fields["destination"], i = self.port_match(n, toks, i + 1)
            elif t in _PORT_OPS:  # `service-object udp eq 53`: destination is implied
                fields["destination"], i = self.port_match(n, toks, i)
            else:
                break
        return ServiceSpec(pos=self.pos(n), protocol=proto, **fields)

    # -- object-groups ----------------------------------------------------------------------------------
    def h_object_group(self, n: TreeNode, toks: list[str]) -> None:
        if len(toks) < 3:
            raise _Malformed("object-group needs a type and a name")
        k = 1
        if toks[1] == "group" and len(toks) >= 4:  # `object-group group network NAME` (seen in tests)
            k = 2
        gtype, name = toks[k], toks[k + 1]
        proto = toks[k + 2].lower() if len(toks) > k + 2 else None
        g = self.groups.get(name)
        if g is None or g.group_type != gtype:
            g = self.groups[name] = _GroupB(name, gtype, proto, self.block_span(n))
        members = g.members

        def child(c: TreeNode, ct: list[str]) -> bool | None:
            ct = _strip_inline_bang(ct)
            if not ct:
                return False
            kw = ct[0]
            sp = self.pos(c)
            if kw == "description":
                g.description = c.text[len("description") :].strip()
            elif kw == "group-object":
                if len(ct) < 2:
                    raise _Malformed("group-object without a group name")
                members.append(GroupRef(pos=sp, name=ct[1]))
            elif kw == "network-object":
                addr, j = self.address(c, ct, 1)
                if addr is None:
                    raise _Malformed("network-object needs host X, an address and netmask, a prefix or object X")
                members.append(NetworkMember(pos=sp, address=addr))
            elif kw == "service-object":
                if len(ct) < 2:
                    raise _Malformed("service-object without a protocol")
                if ct[1] == "object":
                    if len(ct) < 3:
                        raise _Malformed("service-object object without a name")
                    members.append(ServiceMember(pos=sp, object_ref=ct[2]))
                else:
                    members.append(ServiceMember(pos=sp, service=self.service_spec(c, ct[1:])))
            elif kw == "port-object":
                if len(ct) < 2 or ct[1] not in _PORT_OPS:
                    raise _Malformed("port-object needs eq/range and ports")
                pm, _ = self.port_match(c, ct, 1)
                members.append(PortMember(pos=sp, port=pm))
            elif kw == "protocol-object":
                if len(ct) < 2:
                    raise _Malformed("protocol-object without a protocol")
                members.append(ProtocolMember(pos=sp, protocol=ct[1].lower()))
            elif kw == "icmp-object":
                if len(ct) < 2:
                    raise _Malformed("icmp-object without a type")
                members.append(IcmpMember(pos=sp, icmp_type=ct[1]))
            elif kw in ("user", "user-group"):
                if len(ct) < 2:
                    raise _Malformed(f"{kw} without a name")
                members.append(UserMember(pos=sp, kind=kw, name=c.text[len(kw) :].strip()))
            elif kw == "security-group" and len(ct) >= 3 and ct[1] in ("name", "tag"):
                members.append(SecurityMember(pos=sp, kind=ct[1], value=ct[2]))
            else:
                return False
            return None

        members.extend(self.child_loop(n, child))

    # -- operands ---------------------------------------------------------------------------------------
    def address(self, n: TreeNode, toks: list[str], i: int) -> tuple[Address | None, int]:
        """Read an address operand at toks[i]; (None, i) when there is none."""
        return self.address_at(self.pos(n), toks, i)

    def address_at(self, sp: Pos, toks: list[str], i: int) -> tuple[Address | None, int]:
        nt = len(toks)
        if i >= nt:
            return None, i
        t = toks[i]
        k = _ADDR_KIND.get(t)
        if k is not None:
            if k == "host":
                if i + 1 >= nt:
                    return None, i
                a = toks[i + 1]
                return Address(pos=sp, kind="host", address=a), i + 2
            if k in _ADDR_KEYWORDS:
                return Address(pos=sp, kind=k), i + 1
            if i + 1 >= nt:
                return None, i
            return Address(pos=sp, kind=k, name=_intern(toks[i + 1])), i + 2
        if "/" in t:
            if network_of(t, None) is None:
                return None, i
            return Address(pos=sp, kind="prefix", address=t), i + 1
        if i + 1 < nt:
            m = toks[i + 1]
            if mask_prefix(m) is not None and t not in _PORT_OPS and t not in _ACE_OPTION_WORDS and not t.isdigit():
                return Address(
                    pos=sp, kind="subnet", address=t if t[0].isdigit() else _intern(t), mask=_intern(m)
                ), i + 2
        return None, i

    # -- access lists -----------------------------------------------------------------------------------
    def h_access_list(self, n: TreeNode, toks: list[str]) -> None:
        nt = len(toks)
        if nt < 3:
            raise _Malformed("access-list line cut short")
        acl = _intern(toks[1])
        i = 2
        line_no = None
        if toks[2] == "line" and nt > 3 and toks[3].isdigit():
            line_no = int(toks[3])
            i = 4
            if i >= nt:
                raise _Malformed("access-list line cut short")
        kind = toks[i]
        entries = self.acls.get(acl)
        if entries is None:
            entries = self.acls[acl] = []
            self.acl_spans[acl] = self.span(n)
        sp = self.pos(n)
        if kind == "extended":
            self.extended_ace(sp, n.text, toks, i + 1, acl, line_no, entries)
            return
        if kind == "permit" or kind == "deny":  # PIX/old form without `extended`
            self.extended_ace(sp, n.text, toks, i, acl, line_no, entries)
            return
        if kind == "remark":
            m = re.search(r"\bremark\b ?", n.text)
            remark = n.text[m.end() :] if m else ""
            entries.append(
                AccessListEntry(
                    pos=sp,
                    acl=acl,
                    acl_type="remark",
                    index=len(entries),
                    line_number=line_no,
                    remark=remark,
                    text=n.text,
                )
            )
            return
        if kind == "standard":
            self.standard_ace(sp, n.text, toks, i + 1, acl, line_no, entries)
            return
        if kind in ("webtype", "ethertype"):
            action = toks[i + 1] if i + 1 < nt and toks[i + 1] in ("permit", "deny") else None
            entries.append(
                AccessListEntry(
                    pos=sp,
                    acl=acl,
                    acl_type=kind,
                    index=len(entries),
                    line_number=line_no,
                    action=action,
                    text=n.text,
                )
            )
            return
        # `access-list NAME rename ...`, `access-list alert-interval ...`: not an entry
        if not entries:
            del self.acls[acl]
            del self.acl_spans[acl]
        self.keep_raw(n)

    def standard_ace(
        self, sp: Pos, text: str, toks: list[str], i: int, acl: str, line_no: int | None, entries: list
    ) -> None:
        nt = len(toks)
        if i >= nt or toks[i] not in ("permit", "deny"):
            raise _Malformed("standard access-list entry without permit/deny")
        action = _ACTIONS[toks[i]]
        dst, j = self.address_at(sp, toks, i + 1)
        if dst is None:
            if j < nt and parse_ip(toks[j]) is not None and j + 1 == nt:
                # `standard permit 10.0.0.0` (no mask): the ASA reads a host
                dst, j = Address(pos=sp, kind="host", address=toks[j]), j + 1
            else:
                raise _Malformed("standard access-list entry without an address")
        entries.append(
            AccessListEntry(
                pos=sp,
                acl=acl,
                acl_type="standard",
                index=len(entries),
                line_number=line_no,
                action=action,
                dst=dst,
                unparsed=tuple(toks[j:]),
                text=text,
            )
        )

    def extended_ace(
        self, sp: Pos, text: str, toks: list[str], i: int, acl: str, line_no: int | None, entries: list
    ) -> None:
        nt = len(toks)
        if i >= nt or toks[i] not in _ACTIONS:
            raise _Malformed("extended access-list entry without permit/deny")
        action = _ACTIONS[toks[i]]
        i += 1
        if i >= nt:
            raise _Malformed("access-list entry cut short: no protocol")
        t = toks[i]
        if t == "object" or t == "object-group":
            if i + 1 >= nt:
                raise _Malformed(f"access-list entry cut short after {t!r}")
            proto = Protocol(pos=sp, kind=_ADDR_KIND[t], value=_intern(toks[i + 1]))
            i += 2
        else:
            proto = Protocol(pos=sp, kind="number" if t.isdigit() else "name", value=_intern(t.lower()))
            i += 1
        src_ident: tuple[str, ...] = ()
        if i < nt and toks[i] in _IDENTITY_WORDS:
            src_ident, i = self.identity_args(toks, i)
        src, i = self.address_at(sp, toks, i)
        if src is None:
            raise _Malformed("access-list entry cut short or unreadable: no source address")
        src_port = None
        if i < nt:
            t = toks[i]
            if t in _PORT_OPS or t == "object-group":
                src_port, i = self.ace_port(sp, toks, i)
        dst_ident: tuple[str, ...] = ()
        if i < nt and toks[i] in _IDENTITY_WORDS:
            dst_ident, i = self.identity_args(toks, i)
        dst, i = self.address_at(sp, toks, i)
        if dst is None:
            raise _Malformed("access-list entry cut short or unreadable: no destination address")
        dst_port = None
        icmp_type = icmp_group = None
        if i < nt:
            is_icmp = proto.kind != "object" and proto.kind != "object-group" and proto.value in _ICMP_PROTOS
            t = toks[i]
            if t in _PORT_OPS and not is_icmp:
                dst_port, i = self.port_match_at(sp, toks, i)
            elif t == "object-group" and i + 1 < nt:
                g = toks[i + 1]
                gtype = self.group_types.get(g)
                if gtype == "icmp-type" or (gtype is None and is_icmp):
                    icmp_group = _intern(g)
                    i += 2
                elif gtype == "service" or gtype is None:
                    dst_port = PortMatch(pos=sp, op="object-group", values=(_intern(g),))
                    i += 2
            elif is_icmp and t not in _ACE_OPTION_WORDS:
                i += 1
                if i < nt and toks[i].isdigit():
                    icmp_type = f"{t} {toks[i]}"
                    i += 1
                else:
                    icmp_type = t
        log = time_range = None
        inactive = False
        unparsed: tuple[str, ...] = ()
        if i < nt:
            extra: list[str] = []
            while i < nt:
                t = toks[i]
                if t == "log":
                    args: list[str] = []
                    i += 1
                    while i < nt:
                        a = toks[i]
                        if a in LOG_LEVELS or a == "disable" or a == "default":
                            args.append(a)
                            i += 1
                        elif a == "interval" and i + 1 < nt:
                            args.extend(toks[i : i + 2])
                            i += 2
                        else:
                            break
                    log = " ".join(args)
                elif t == "time-range" and i + 1 < nt:
                    time_range = toks[i + 1]
                    i += 2
                elif t == "inactive":
                    inactive = True
                    i += 1
                else:
                    extra.append(t)
                    i += 1
            unparsed = tuple(extra)
        entries.append(
            AccessListEntry(
                pos=sp,
                acl=acl,
                acl_type="extended",
                index=len(entries),
                line_number=line_no,
                action=action,
                protocol=proto,
                src=src,
                src_port=src_port,
                dst=dst,
                dst_port=dst_port,
                icmp_type=icmp_type,
                icmp_group=icmp_group,
                src_identity=src_ident,
                dst_identity=dst_ident,
                log=log,
                inactive=inactive,
                time_range=time_range,
                unparsed=unparsed,
                text=text,
            )
        )

    def identity_args(self, toks: list[str], i: int) -> tuple[tuple[str, ...], int]:
        out: list[str] = []
        while i < len(toks) and toks[i] in _IDENTITY_WORDS:
            k = _IDENTITY_WORDS[toks[i]]
            out.extend(toks[i : i + 1 + k])
            i += 1 + k
        return tuple(out), i

    def ace_port(self, sp: Pos, toks: list[str], i: int) -> tuple[PortMatch | None, int]:
        """A source port operator after the source address, if any. `object-group G` there is a port
        group when G is a service group, or when G is unknown and an address follows it."""
        nt = len(toks)
        t = toks[i]
        if t in _PORT_OPS:
            return self.port_match_at(sp, toks, i)
        if t == "object-group" and i + 1 < nt:
            g = toks[i + 1]
            gtype = self.group_types.get(g)
            if gtype == "service":
                return PortMatch(pos=sp, op="object-group", values=(_intern(g),)), i + 2
            if gtype is None:
                k = i + 2
                if k < nt and toks[k] in _IDENTITY_WORDS:
                    _, k = self.identity_args(toks, k)
                probe, _ = self.address_at(sp, toks, k)
                if probe is not None:
                    return PortMatch(pos=sp, op="object-group", values=(_intern(g),)), i + 2
        return None, i

    # -- access-group -------------------------------------------------------------------------------------
    def h_access_group(self, n: TreeNode, toks: list[str]) -> None:
        nt = len(toks)
        if nt < 3:
            raise _Malformed("access-group needs an ACL and in/out interface or global")
        acl, direction = toks[1], toks[2]
        if direction == "global":
            self.access_groups.append(
                AccessGroup(span=self.span(n), acl=acl, direction="global", options=toks[3:])
            )
            return
        if direction not in ("in", "out"):
            self.keep_raw(n)
            return
        if nt < 5 or toks[3] != "interface":
            raise _Malformed("access-group needs `in|out interface NAMEIF`")
        self.access_groups.append(
            AccessGroup(span=self.span(n), acl=acl, direction=direction, interface=toks[4], options=toks[5:])
        )

    # -- NAT ----------------------------------------------------------------------------------------------
    @staticmethod
    def _ifpair(tok: str) -> tuple[str, str | None] | None:
        if len(tok) < 3 or tok[0] != "(" or tok[-1] != ")":
            return None
        inner = tok[1:-1]
        if "," in inner:
            a, _, b = inner.partition(",")
            return a, b
        return inner, None

    def h_nat(self, n: TreeNode, toks: list[str]) -> None:
        nt = len(toks)
        i = 1
        pair = self._ifpair(toks[1]) if nt > 1 else None
        if pair is not None:
            i = 2
        if i >= nt:
            raise _Malformed("nat line cut short")
        t = toks[i]
        if pair is not None and pair[1] is None and t.isdigit():
            self.legacy_nat_line(n, toks, pair[0], i)
            return
        if t in ("source", "after-auto", "after-object", "line"):
            self.twice_nat_line(n, toks, pair, i)
            return
        self.keep_raw(n)

    def legacy_nat_line(self, n: TreeNode, toks: list[str], itf: str, i: int) -> None:
        nat_id = int(toks[i])
        i += 1
        nt = len(toks)
        if i >= nt:
            raise _Malformed("nat (IF) ID needs access-list ACL or an address and netmask")
        if toks[i] == "access-list":
            if i + 1 >= nt:
                raise _Malformed("nat ... access-list without an ACL name")
            self.legacy_nat.append(
                LegacyNat(span=self.span(n), interface=itf, nat_id=nat_id, acl=toks[i + 1], options=toks[i + 2 :])
            )
            return
        if toks[i : i + 2] == ["0", "0"]:  # PIX shorthand for 0.0.0.0 0.0.0.0
            addr, j = Address(pos=self.pos(n), kind="subnet", address="0.0.0.0", mask="0.0.0.0"), i + 2
        else:
            addr, j = self.address(n, toks, i)
        if addr is None:
            if parse_ip(toks[i]) is not None and i + 1 == nt:
                raise _Malformed("nat (IF) ID address without a netmask")
            raise _Malformed("nat (IF) ID needs access-list ACL or an address and netmask")
        self.legacy_nat.append(
            LegacyNat(span=self.span(n), interface=itf, nat_id=nat_id, address=addr, options=toks[j:])
        )

    def twice_nat_line(self, n: TreeNode, toks: list[str], pair: tuple[str, str | None] | None, i: int) -> None:
        nt = len(toks)
        f: dict[str, Any] = {}
        if pair is not None:
            f["real_interface"], f["mapped_interface"] = pair
        while i < nt and toks[i] in ("after-auto", "after-object", "line"):
            if toks[i] == "line" and i + 1 < nt and toks[i + 1].isdigit():
                f["line_number"] = int(toks[i + 1])
                i += 2
            else:
                if toks[i] == "after-auto":
                    f["section"] = "after-auto"
                i += 1
        if i >= nt or toks[i] != "source":
            raise _Malformed("twice NAT needs `source static|dynamic REAL MAPPED`")
        if i + 2 >= nt or toks[i + 1] not in ("static", "dynamic"):
            raise _Malformed("twice NAT needs `source static|dynamic REAL MAPPED`")
        f["source_type"] = toks[i + 1]
        f["source_real"] = toks[i + 2]
        i += 3
        if i >= nt:
            raise _Malformed("twice NAT source without its mapped object")
        i = _mapped_or_pool(toks, i, f, "source_mapped", "source_pat_pool")
        options: list[str] = []
        while i < nt:
            t = toks[i]
            if t == "destination":
                if i + 3 >= nt or toks[i + 1] != "static":
                    raise _Malformed("twice NAT destination needs `static MAPPED REAL`")
                f["destination_type"] = "static"
                f["destination_mapped"] = toks[i + 2]
                f["destination_real"] = toks[i + 3]
                i += 4
            elif t == "service":
                if i + 2 >= nt:
                    raise _Malformed("twice NAT service needs a real and a mapped service")
                f["service"] = toks[i + 1 : i + 3]
                i += 3
            elif t == "description":
                m = re.search(r"\bdescription\b ?", n.text)
                f["description"] = n.text[m.end() :] if m else ""
                break
            elif t == "inactive":
                f["inactive"] = True
                i += 1
            else:
                options.append(t)
                i += 1
        self.twice_nat.append(TwiceNat(span=self.span(n), options=options, **f))

    def object_nat_line(self, n: TreeNode, toks: list[str], obj: str) -> ObjectNat:
        nt = len(toks)
        i = 1
        f: dict[str, Any] = {}
        pair = self._ifpair(toks[1]) if nt > 1 else None
        if pair is not None:
            f["real_interface"], f["mapped_interface"] = pair
            i = 2
        if i >= nt or toks[i] not in ("static", "dynamic"):
            raise _Malformed("object nat needs static|dynamic")
        f["nat_type"] = toks[i]
        i += 1
        if i >= nt:
            raise _Malformed(f"object nat {toks[i - 1]} without a mapped address")
        i = _mapped_or_pool(toks, i, f, "mapped", "pat_pool")
        options: list[str] = []
        while i < nt:
            t = toks[i]
            if t == "service":
                if i + 3 >= nt:
                    raise _Malformed("object nat service needs a protocol, a real and a mapped port")
                f["service"] = toks[i + 1 : i + 4]
                i += 4
            elif t == "interface" and f.get("nat_type") == "dynamic" and f.get("mapped") != "interface":
                f["interface_fallback"] = True
                i += 1
            else:
                options.append(t)
                i += 1
        return ObjectNat(span=self.span(n), object_name=obj, options=options, **f)

    def h_global(self, n: TreeNode, toks: list[str]) -> None:
        pair = self._ifpair(toks[1]) if len(toks) > 1 else None
        if pair is None or pair[1] is not None:
            self.keep_raw(n)
            return
        if len(toks) < 4 or not toks[2].isdigit():
            raise _Malformed("global (IF) needs an ID and a mapped address or interface")
        netmask = toks[5] if len(toks) >= 6 and toks[4] == "netmask" else None
        self.legacy_globals.append(
            LegacyGlobal( span=self.span(n), interface=pair[0], nat_id=int(toks[2]), mapped=toks[3], netmask=netmask
            )
        )

    def h_static(self, n: TreeNode, toks: list[str]) -> None:
        pair = self._ifpair(toks[1]) if len(toks) > 1 else None
        if pair is None or pair[1] is None:
            self.keep_raw(n)
            return
        f: dict[str, Any] = {"real_interface": pair[0], "mapped_interface": pair[1]}
        i, nt = 2, len(toks)
        if i < nt and toks[i] in ("tcp", "udp"):
            f["protocol"] = toks[i]
            i += 1
        if i >= nt:
            raise _Malformed("static needs a mapped and a real address")
        f["mapped"] = toks[i]
        i += 1
        if "protocol" in f and i < nt:
            f["mapped_port"] = toks[i]
            i += 1
        if i >= nt:
            raise _Malformed("static needs a real address or access-list")
        if toks[i] == "access-list":
            if i + 1 >= nt:
                raise _Malformed("static ... access-list without an ACL name")
            f["acl"] = toks[i + 1]
            i += 2
        else:
            f["real"] = toks[i]
            i += 1
            if "protocol" in f and i < nt and toks[i] != "netmask":
                f["real_port"] = toks[i]
                i += 1
        options: list[str] = []
        while i < nt:
            if toks[i] == "netmask" and i + 1 < nt:
                f["netmask"] = toks[i + 1]
                i += 2
            else:
                options.append(toks[i])
                i += 1
        self.legacy_statics.append(LegacyStatic(span=self.span(n), options=options, **f))

    # -- crypto -------------------------------------------------------------------------------------------
    def h_crypto(self, n: TreeNode, toks: list[str]) -> None:
        nt = len(toks)
        if nt < 2:
            self.keep_raw(n)
            return
        k = toks[1]
        if k == "map" or k == "dynamic-map":
            self.crypto_map(n, toks, dynamic=(k == "dynamic-map"))
        elif k in ("isakmp", "ikev1", "ikev2"):
            self.crypto_ike(n, toks, 1)
        elif k == "ipsec":
            self.crypto_ipsec(n, toks)
        else:
            self.keep_raw(n)

    def h_isakmp_pix(self, n: TreeNode, toks: list[str]) -> None:
        """PIX 6: `isakmp policy|enable|key|nat-traversal ...` without `crypto`."""
        self.crypto_ike(n, toks, 0)

    def crypto_map(self, n: TreeNode, toks: list[str], dynamic: bool) -> None:
        nt = len(toks)
        if nt < 3:
            raise _Malformed("crypto map without a name")
        name = toks[2]
        if nt < 4:
            if n.children and not dynamic:
                self.keep_raw(n)
                return
            raise _Malformed("crypto map line cut short")
        if not dynamic and toks[3] == "interface":
            if nt < 5:
                raise _Malformed("crypto map interface without an interface")
            self.bindings.append(CryptoMapBinding(span=self.span(n), map_name=name, interface=toks[4]))
            self.map_spans.setdefault((False, name), self.span(n))
            return
        if not toks[3].isdigit():
            self.keep_raw(n)  # `crypto map NAME client ...`, `redundancy ...`: not modelled
            return
        seq = int(toks[3])
        key = (dynamic, name)
        self.map_spans.setdefault(key, self.span(n))
        entries = self.map_entries.setdefault(key, {})
        e = entries.get(seq)
        if e is None:
            e = entries[seq] = _EntryB(name, seq, dynamic, self.span(n))
        e.lines.append(self.span(n))
        if nt > 4:
            self.map_setting(n, toks, 4, e)
        elif not n.children:
            raise _Malformed("crypto map entry without a setting")
        for c in n.children:  # the indented (IOS-like) form
            e.lines.append(self.span(c))
            try:
                self.map_setting(c, c.tokens, 0, e)
            except _Malformed as ex:
                self.problem(c, str(ex))
                e.other.append(RawLine(pos=self.pos(c), text=c.text))

    def map_setting(self, n: TreeNode, toks: list[str], i: int, e: _EntryB) -> None:
        k = toks[i]
        f = e.fields
        sp = self.span(n)
        rest = toks[i + 1 :]
        if k == "match":
            if not rest or rest[0] != "address":
                e.other.append(RawLine(pos=self.pos(n), text=n.text))
                return
            if len(rest) < 2:
                raise _Malformed("crypto map match address without an ACL name")
            f["match_address"] = CryptoMatchAddress(span=sp, acl=rest[1])
            return
        if k == "ipsec-isakmp":
            if rest[:1] == ["dynamic"]:
                if len(rest) < 2:
                    raise _Malformed("ipsec-isakmp dynamic without a dynamic map name")
                f["dynamic_ref"] = CryptoDynamicRef(span=sp, dynamic_map=rest[1])
            elif rest:
                e.other.append(RawLine(pos=self.pos(n), text=n.text))
            return
        if k == "ipsec-manual":
            f["ipsec_manual"] = True
            return
        if k != "set":
            e.other.append(RawLine(pos=self.pos(n), text=n.text))
            return
        if not rest:
            raise _Malformed("crypto map set without a setting")
        s = rest[0]
        args = rest[1:]
        base = i + 2  # token index of args[0]
        if s == "peer":
            if not args:
                raise _Malformed("crypto map set peer without an address")
            peers = []
            for j, p in enumerate(args):
                peers.append(CryptoPeer(span=self.tok_span(n, base + j), text=p, address=self.resolve_ip(p)))
            f["peers"] = peers
        elif s == "transform-set":
            if not args:
                raise _Malformed("crypto map set transform-set without a transform set")
            f["transform_sets"] = CryptoTransformSets(span=sp, names=args, ikev1_keyword=False)
        elif s in ("ikev1", "ikev2") and args and args[0] in ("transform-set", "ipsec-proposal"):
            names = args[1:]
            if not names:
                raise _Malformed(f"crypto map set {s} {args[0]} without a name")
            if s == "ikev1" and args[0] == "transform-set":
                f["transform_sets"] = CryptoTransformSets(span=sp, names=names, ikev1_keyword=True)
            elif s == "ikev2" and args[0] == "ipsec-proposal":
                f["ikev2_proposals"] = CryptoIkev2Proposals(span=sp, names=names)
            else:
                e.other.append(RawLine(pos=self.pos(n), text=n.text))
        elif s == "pfs" or (s in ("ikev1", "ikev2") and args[:1] == ["pfs"]):
            gargs = args if s == "pfs" else args[1:]
            f["pfs"] = CryptoPfs(span=sp, group=gargs[0] if gargs else None)
        elif s == "security-association" and args[:1] == ["lifetime"]:
            lf = {k: v for k, v in fields_dict(f["sa_lifetime"]).items() if k != "span"} if "sa_lifetime" in f else {}
            j = 1
            if len(args) < 3:
                raise _Malformed("security-association lifetime needs seconds N or kilobytes N")
            while j + 1 < len(args):
                unit, val = args[j], args[j + 1]
                if unit == "seconds" and val.isdigit():
                    lf["seconds"] = int(val)
                elif unit == "kilobytes" and val.isdigit():
                    lf["kilobytes"] = int(val)
                    lf["kilobytes_unlimited"] = False
                elif unit == "kilobytes" and val == "unlimited":
                    lf["kilobytes"] = None
                    lf["kilobytes_unlimited"] = True
                else:
                    raise _Malformed(f"security-association lifetime: unreadable {unit} {val}")
                j += 2
            f["sa_lifetime"] = CryptoSaLifetime(span=sp, **lf)
        elif s == "nat-t-disable":
            f["nat_t_disable"] = True
        else:
            e.other.append(RawLine(pos=self.pos(n), text=n.text))

    def crypto_ike(self, n: TreeNode, toks: list[str], k: int) -> None:
        """`crypto isakmp|ikev1|ikev2 ...` (k=1) or PIX 6 `isakmp ...` (k=0)."""
        nt = len(toks)
        kw = toks[k]
        if kw not in ("isakmp", "ikev1", "ikev2"):
            self.keep_raw(n)
            return
        version = 2 if kw == "ikev2" else 1
        if nt <= k + 1:
            self.keep_raw(n)
            return
        sub = toks[k + 1]
        if sub == "policy":
            if nt <= k + 2 or not toks[k + 2].isdigit():
                raise _Malformed(f"crypto {kw} policy needs a priority number")
            prio = int(toks[k + 2])
            key = (kw, prio)
            pol = self.ike_policies.get(key)
            if pol is None:
                pol = self.ike_policies[key] = {
                    "span": self.block_span(n),
                    "version": version,
                    "keyword": kw,
                    "priority": prio,
                    "other": [],
                }
            if nt > k + 3:  # one-line form
                if not self.ike_setting(n, toks[k + 3 :], pol):
                    pol["other"].append(RawLine(pos=self.pos(n), text=n.text))
            pol["other"].extend(self.child_loop(n, lambda c, ct: None if self.ike_setting(c, ct, pol) else False))
        elif sub == "enable":
            if nt <= k + 2:
                raise _Malformed(f"crypto {kw} enable without an interface")
            self.ike_enables.append(
                IkeEnable(
                    span=self.span(n),
                    version=version,
                    keyword=kw,
                    interface=toks[k + 2],
                    options=toks[k + 3 :],
                )
            )
        elif sub == "nat-traversal" and version == 1:
            ka = int(toks[k + 2]) if nt > k + 2 and toks[k + 2].isdigit() else None
            self.nat_traversal = NatTraversal(span=self.span(n), enabled=True, keepalive=ka)
        elif sub == "key" and kw == "isakmp":
            # `crypto isakmp key KEY address A [netmask M] [no-xauth] [no-config-mode]`
            if nt <= k + 2:
                raise _Malformed("isakmp key without a key")
            m = re.search(r"\bkey\s+(\S+)", n.text)
            assert m is not None
            sec = self.make_secret(n, m.start(1), m.group(1), encrypted=False)
            addr, mask = "", None
            if "address" in toks:
                j = toks.index("address")
                addr = toks[j + 1] if j + 1 < nt else ""
                if j + 2 < nt and toks[j + 2] == "netmask" and j + 3 < nt:
                    mask = toks[j + 3]
                elif j + 2 < nt and looks_ipv4(toks[j + 2]):
                    mask = toks[j + 2]
            self.isakmp_keys.append(IsakmpKey(span=self.span(n), key=sec, address=addr, netmask=mask))
        else:
            self.keep_raw(n)

    def ike_setting(self, n: TreeNode, toks: list[str], pol: dict[str, Any]) -> bool:
        if not toks:
            return False
        k = toks[0]
        args = [a.lower() for a in toks[1:]]
        if k == "authentication":
            if not args:
                raise _Malformed("authentication without a method")
            pol["authentication"] = args[0] if pol["version"] == 1 else " ".join(args)
        elif k in _IKE_LISTS:
            field_name, problem = _IKE_LISTS[k]
            if not args:
                raise _Malformed(problem)
            pol[field_name] = args
        elif k == "lifetime":
            vals = args[1:] if args[:1] == ["seconds"] else args
            if not vals:
                raise _Malformed("lifetime without a value")
            if vals[0] == "none":
                pol["lifetime_none"] = True
                pol["lifetime"] = None
            elif vals[0].isdigit():
                pol["lifetime"] = int(vals[0])
            else:
                raise _Malformed(f"lifetime: {vals[0]!r} is not a number of seconds")
        else:
            return False
        return True

    def crypto_ipsec(self, n: TreeNode, toks: list[str]) -> None:
        nt = len(toks)
        if nt >= 3 and toks[2] == "transform-set":
            self.transform_set(n, toks, 3, ikev1_kw=False)
        elif nt >= 4 and toks[2] == "ikev1" and toks[3] == "transform-set":
            self.transform_set(n, toks, 4, ikev1_kw=True)
        elif nt >= 4 and toks[2] == "ikev2" and toks[3] == "ipsec-proposal":
            if nt < 5:
                raise _Malformed("ikev2 ipsec-proposal without a name")
            name = toks[4]
            f: dict[str, Any] = {}

            def child(c: TreeNode, ct: list[str]) -> bool | None:
                if ct[0] == "protocol" and len(ct) >= 3 and ct[1] == "esp" and ct[2] in ("encryption", "integrity"):
                    if len(ct) < 4:
                        raise _Malformed(f"protocol esp {ct[2]} without an algorithm")
                    f[ct[2]] = [a.lower() for a in ct[3:]]
                    return None
                return False

            other = self.child_loop(n, child)
            self.proposals[name] = IpsecProposal(span=self.block_span(n), name=name, other=other, **f)
        else:
            self.keep_raw(n)

    def transform_set(self, n: TreeNode, toks: list[str], i: int, ikev1_kw: bool) -> None:
        nt = len(toks)
        if i >= nt:
            raise _Malformed("transform-set without a name")
        name = toks[i]
        rest = toks[i + 1 :]
        prev = self.transform_sets.get(name)
        if rest[:1] == ["mode"]:
            mode = rest[1].lower() if len(rest) > 1 else None
            if mode is None:
                raise _Malformed("transform-set mode without tunnel/transport")
            if prev is not None:
                self.transform_sets[name] = copy_with(prev, mode=mode)
            else:
                self.transform_sets[name] = TransformSet( span=self.span(n), name=name, ikev1_keyword=ikev1_kw, mode=mode
                )
            return
        if not rest:
            raise _Malformed(f"transform-set {name} without transforms")
        mode = prev.mode if prev is not None else None
        for c in n.children:
            ct = c.tokens
            if ct[0] == "mode" and len(ct) > 1:
                mode = ct[1].lower()
            else:
                self.raw.append(self.raw_node(c, n.text))
        self.transform_sets[name] = TransformSet(
            span=self.block_span(n),
            name=name,
            ikev1_keyword=ikev1_kw,
            transforms=_join_transforms(rest),
            mode=mode,
        )

    # -- tunnel-groups ------------------------------------------------------------------------------------
    def h_tunnel_group(self, n: TreeNode, toks: list[str]) -> None:
        nt = len(toks)
        if nt < 3:
            raise _Malformed("tunnel-group needs a name and type or an attribute block")
        name, what = toks[1], toks[2]
        tg = self.tunnel_groups.get(name)
        if tg is None:
            tg = self.tunnel_groups[name] = _TgB(name, self.span(n))
        if what == "type":
            if nt < 4:
                raise _Malformed("tunnel-group type without a type")
            tg.type = toks[3]
            tg.type_span = self.span(n)
        elif what == "ipsec-attributes":
            tg.ipsec = self.tg_ipsec(n, tg.ipsec)
        elif what == "general-attributes":
            blk = self.raw_node(n)
            tg.general = blk if isinstance(blk, RawBlock) else RawBlock(pos=blk.pos, text=blk.text)
        elif what.endswith("-attributes"):
            blk = self.raw_node(n)
            tg.others.append(blk if isinstance(blk, RawBlock) else RawBlock(pos=blk.pos, text=blk.text))
        else:
            self.keep_raw(n)

    def tg_ipsec(self, n: TreeNode, prev: TunnelGroupIpsec | None) -> TunnelGroupIpsec:
        f: dict[str, Any] = {}
        if prev is not None:
            f = {
                k: getattr(prev, k)
                for k in (
                    "pre_shared_key",
                    "ikev1_pre_shared_key",
                    "ikev2_local_pre_shared_key",
                    "ikev2_remote_pre_shared_key",
                )
            }
            f["other"] = list(prev.other)

        def child(c: TreeNode, ct: list[str]) -> bool | None:
            t = c.text
            if ct[0] == "pre-shared-key":
                f["pre_shared_key"] = self.key_after(c, len("pre-shared-key"))
            elif ct[0] == "ikev1" and ct[1:2] == ["pre-shared-key"]:
                f["ikev1_pre_shared_key"] = self.key_after(c, t.index("pre-shared-key") + len("pre-shared-key"))
            elif (
                ct[0] == "ikev2"
                and len(ct) >= 3
                and ct[2] == "pre-shared-key"
                and ct[1]
                in (
                    "local-authentication",
                    "remote-authentication",
                )
            ):
                field = (
                    "ikev2_local_pre_shared_key" if ct[1] == "local-authentication" else "ikev2_remote_pre_shared_key"
                )
                f[field] = self.key_after(c, t.index("pre-shared-key") + len("pre-shared-key"))
            else:
                return False
            return None

        other = self.child_loop(n, child)
        f["other"] = f.get("other", []) + other
        return TunnelGroupIpsec(span=self.block_span(n), **f)

    # -- finalise -----------------------------------------------------------------------------------------
    def finish(self, comments: list[tuple[int, int, str]]) -> AsaConfig:
        path = self.path
        interfaces = []
        for d in self.interfaces:
            interfaces.append(Interface(**d))
        netobjs: dict[str, NetworkObject] = {}
        svcobjs: dict[str, ServiceObject] = {}
        for ob in self.objects.values():
            if ob.kind == "network":
                netobjs[ob.name] = NetworkObject( span=ob.span, name=ob.name, nat=ob.nat, other=ob.other, **ob.fields
                )
            else:
                svcobjs[ob.name] = ServiceObject(span=ob.span, name=ob.name, other=ob.other, **ob.fields)
        groups, cycles = self.finish_groups()
        acls = {
            name: AccessList(
                span=Span(
                    path=path,
                    line=self.acl_spans[name].line,
                    column=self.acl_spans[name].column,
                    end_line=entries[-1].pos.line if entries else self.acl_spans[name].line,
                    end_column=entries[-1].pos.end_column if entries else self.acl_spans[name].end_column,
                ),
                name=name,
                entries=entries,
            )
            for name, entries in self.acls.items()
        }
        crypto_maps: dict[str, CryptoMap] = {}
        dynamic_maps: dict[str, CryptoMap] = {}
        bound: dict[str, list[str]] = {}
        for b in self.bindings:
            bound.setdefault(b.map_name, []).append(b.interface)
        for (dyn, name), span in self.map_spans.items():
            entries_b = self.map_entries.get((dyn, name), {})
            entries = [
                CryptoMapEntry(
                    span=e.span,
                    map_name=e.map_name,
                    seq=e.seq,
                    dynamic=e.dynamic,
                    other=e.other,
                    lines=e.lines,
                    **e.fields,
                )
                for _, e in sorted(entries_b.items())
            ]
            cm = CryptoMap(
                span=span,
                name=name,
                dynamic=dyn,
                entries=entries,
                interfaces=[] if dyn else bound.get(name, []),
            )
            (dynamic_maps if dyn else crypto_maps)[name] = cm
        policies = [
            IkePolicy(**p)
            for _, p in sorted(self.ike_policies.items(), key=lambda kv: (kv[1]["version"], kv[0][1]))
        ]
        tgs = {
            name: TunnelGroup(
                span=tg.span,
                name=name,
                type=tg.type,
                type_span=tg.type_span,
                general_attributes=tg.general,
                ipsec_attributes=tg.ipsec,
                other_attributes=tg.others,
            )
            for name, tg in self.tunnel_groups.items()
        }
        model = AsaConfig(
            path=path,
            comments=[
                Comment(
                    span=Span(path=path, line=ln, column=col, end_line=ln, end_column=col + 1 + len(text)),
                    text=text,
                )
                for ln, col, text in comments
            ],
            problems=self.problems,
            hostname=self.hostname,
            hostname_span=self.hostname_span,
            domain_name=self.domain_name,
            version=self.version,
            interfaces=interfaces,
            names_enabled=self.names_enabled,
            names=self.names,
            network_objects=netobjs,
            service_objects=svcobjs,
            object_groups=groups,
            group_cycles=cycles,
            access_lists=acls,
            access_groups=self.access_groups,
            legacy_nat=self.legacy_nat,
            legacy_globals=self.legacy_globals,
            legacy_statics=self.legacy_statics,
            object_nat=self.object_nat,
            twice_nat=self.twice_nat,
            crypto_maps=crypto_maps,
            dynamic_maps=dynamic_maps,
            crypto_map_bindings=self.bindings,
            ike_policies=policies,
            transform_sets=self.transform_sets,
            ipsec_proposals=self.proposals,
            ike_enables=self.ike_enables,
            nat_traversal=self.nat_traversal,
            isakmp_keys=self.isakmp_keys,
            tunnel_groups=tgs,
            credentials=self.credentials,
            raw=self.raw,
            all_secrets=self.secrets,
        )
        model._secrets_isolated = _secrets_isolated(self.lines, path, self.secrets, self.problems)
        return model

    def finish_groups(self) -> tuple[dict[str, ObjectGroup], list[GroupCycle]]:
        """Groups with their cycles (iterative Tarjan over `group-object` edges between defined groups)."""
        gs = self.groups
        edges: dict[str, list[tuple[str, GroupRef]]] = {
            name: [(m.name, m) for m in g.members if isinstance(m, GroupRef) and m.name in gs] for name, g in gs.items()
        }
        index: dict[str, int] = {}
        low: dict[str, int] = {}
        on_stack: set[str] = set()
        stack: list[str] = []
        sccs: list[list[str]] = []
        counter = 0
        for root in gs:
            if root in index:
                continue
            work: list[tuple[str, int]] = [(root, 0)]
            while work:
                v, pi = work[-1]
                if pi == 0 and v not in index:
                    index[v] = low[v] = counter
                    counter += 1
                    stack.append(v)
                    on_stack.add(v)
                succ = edges[v]
                if pi < len(succ):
                    work[-1] = (v, pi + 1)
                    w = succ[pi][0]
                    if w not in index:
                        work.append((w, 0))
                    elif w in on_stack:
                        low[v] = min(low[v], index[w])
                    continue
                work.pop()
                if work:
                    u = work[-1][0]
                    low[u] = min(low[u], low[v])
                if low[v] == index[v]:
                    comp = []
                    while True:
                        w = stack.pop()
                        on_stack.discard(w)
                        comp.append(w)
                        if w == v:
                            break
                    if len(comp) > 1 or any(t == v for t, _ in edges[v]):
                        sccs.append(comp)
        in_cycle: dict[str, list[str]] = {}
        cycles: list[GroupCycle] = []
        order = {name: k for k, name in enumerate(gs)}
        for comp in sccs:
            members = set(comp)
            start = min(comp, key=lambda x: order[x])
            # a path start -> ... -> start inside the component (BFS), for the message and the span
            prev: dict[str, tuple[str, GroupRef]] = {}
            queue = [start]
            closing: GroupRef | None = None
            last = start
            seen = {start}
            qi = 0
            while qi < len(queue) and closing is None:
                v = queue[qi]
                qi += 1
                for w, ref in edges[v]:
                    if w not in members:
                        continue
                    if w == start:
                        closing, last = ref, v
                        break
                    if w not in seen:
                        seen.add(w)
                        prev[w] = (v, ref)
                        queue.append(w)
            path = [last]
            while path[-1] != start:
                path.append(prev[path[-1]][0])
            path.reverse()
            cyc = [x for x in path]
            for name in comp:
                in_cycle[name] = cyc
            assert closing is not None
            cycles.append(GroupCycle(span=closing.span, groups=cyc))
        out = {
            name: ObjectGroup(
                span=g.span,
                name=name,
                group_type=g.group_type,
                protocol=g.protocol,
                description=g.description,
                members=g.members,
                cycle=in_cycle.get(name),
            )
            for name, g in gs.items()
        }
        cycles.sort(key=lambda c: (c.span.line, c.span.column))
        return out, cycles


_HANDLERS = {
    "hostname": _Builder.h_hostname,
    "domain-name": _Builder.h_domain,
    "ASA": _Builder.h_version,
    "PIX": _Builder.h_version,
    "FWSM": _Builder.h_version,
    "interface": _Builder.h_interface,
    "nameif": _Builder.h_nameif_pix,
    "ip": _Builder.h_ip,
    "names": _Builder.h_names,
    "name": _Builder.h_name,
    "object": _Builder.h_object,
    "object-group": _Builder.h_object_group,
    "access-list": _Builder.h_access_list,
    "access-group": _Builder.h_access_group,
    "nat": _Builder.h_nat,
    "global": _Builder.h_global,
    "static": _Builder.h_static,
    "crypto": _Builder.h_crypto,
    "isakmp": _Builder.h_isakmp_pix,
    "tunnel-group": _Builder.h_tunnel_group,
    "enable": _Builder.h_enable,
    "passwd": _Builder.h_credential_line,
    "username": _Builder.h_credential_line,
    "snmp-server": _Builder.h_credential_line,
    "ntp": _Builder.h_credential_line,
    "failover": _Builder.h_credential_line,
}


def parse_asa(data: bytes, path: str) -> AsaConfig:
    """Parse an ASA configuration. Never raises on any input."""
    # The parse allocates many small objects and frees none until it returns, and builds no reference
    # cycles: the cyclic GC's passes during it are pure cost (~25%).
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        lines = decode(data)
        roots, comments = build_tree(lines)
        b = _Builder(lines, path)
        b.run(roots)
        return b.finish(comments)
    finally:
        if gc_was_enabled:
            gc.enable()
