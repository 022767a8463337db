"""Identities of namespaces and interface names as a static reading can know them.

A shell value becomes a reference with one of three precisions:

* literal: the text is known (`veth-qr`, `qrouter-6f1f...`);
* symbolic: literal text and *stable* unknowns only (`$NS`, `veth0_$uuid`, `wg-test-$$-0`): the
  environment's variables (never reassigned by the script, or the value would not be symbolic)
  and the script's own PID (`$$`). Two uses of one symbolic value name the same thing;
* unknown: anything else (command substitutions, values changed in loops, several possibilities,
  positional parameters of a script that shifts them). Unknown references are never compared.

`relation(a, b)` says whether two references certainly name the same thing (`SAME`), certainly
different things (`DIFFERENT`) or cannot be told apart (`MAYBE`). Rules only report on `SAME` or
`DIFFERENT`; everything else degrades to "unknown".
"""

from __future__ import annotations

from dataclasses import dataclass

from cfglint.shell import Value

SAME = "same"
DIFFERENT = "different"
MAYBE = "maybe"

# Opaque parts that stay the same for the whole run of a script.
_STABLE_OPAQUE = frozenset({"$$", "${$}"})
_POSITIONAL = frozenset("0123456789@*#")


@dataclass(frozen=True)
class Ref:
    """A name (interface or namespace) as far as it is known.

    `parts` is the canonical form of a literal or symbolic value: a tuple of ("t", text) and
    ("v", name) items; None for an unknown value."""

    parts: tuple[tuple[str, str], ...] | None
    shown: str

    @property
    def known(self) -> bool:
        return self.parts is not None

    @property
    def literal(self) -> str | None:
        if self.parts is None:
            return None
        if all(k == "t" for k, _ in self.parts):
            return "".join(t for _, t in self.parts)
        return None

    @property
    def symbolic(self) -> bool:
        return self.parts is not None and self.literal is None

    @property
    def prefix(self) -> str:
        out = []
        for k, t in self.parts or ():
            if k != "t":
                break
            out.append(t)
        return "".join(out)

    @property
    def suffix(self) -> str:
        out = []
        for k, t in reversed(self.parts or ()):
            if k != "t":
                break
            out.append(t)
        return "".join(reversed(out))

    @property
    def min_length(self) -> int:
        return sum(len(t.encode("utf-8")) for k, t in self.parts or () if k == "t")

    def __str__(self) -> str:
        return self.shown


UNKNOWN_REF = Ref(None, "<unknown>")


def ref_of(value: Value | None, *, stable_positional: bool = True) -> Ref:
    """The reference a shell value names (see the module docstring)."""
    if value is None:
        return UNKNOWN_REF
    text = value.text
    if text is not None:
        return Ref((("t", text),), text)
    shown = value.render()
    if len(value.options) != 1:
        return Ref(None, shown)
    parts: list[tuple[str, str]] = []
    for p in value.options[0]:
        if p.kind == "text":
            if parts and parts[-1][0] == "t":
                parts[-1] = ("t", parts[-1][1] + p.text)
            elif p.text:
                parts.append(("t", p.text))
        elif p.kind == "var":
            if p.text in _POSITIONAL and (not stable_positional or p.text in "@*#0"):
                return Ref(None, shown)
            parts.append(("v", p.text))
        elif p.kind == "opaque" and p.text in _STABLE_OPAQUE:
            parts.append(("v", "$"))
        else:
            return Ref(None, shown)
    if not parts:
        return Ref((("t", ""),), "")
    return Ref(tuple(parts), shown)


def relation(a: Ref, b: Ref) -> str:
    """SAME, DIFFERENT or MAYBE (see the module docstring)."""
    if a.parts is None or b.parts is None:
        return MAYBE
    if a.parts == b.parts:
        return SAME
    la, lb = a.literal, b.literal
    if la is not None and lb is not None:
        return DIFFERENT
    # literal prefixes / suffixes that cannot both hold
    pa, pb = a.prefix, b.prefix
    if not (pa.startswith(pb) or pb.startswith(pa)):
        return DIFFERENT
    sa, sb = a.suffix, b.suffix
    if not (sa.endswith(sb) or sb.endswith(sa)):
        return DIFFERENT
    # same shape: the same variables at the same places, text pieces of equal lengths
    if len(a.parts) == len(b.parts):
        same_shape = True
        differs = False
        for (ka, ta), (kb, tb) in zip(a.parts, b.parts):
            if ka != kb:
                same_shape = False
                break
            if ka == "v":
                if ta != tb:
                    same_shape = False
                    break
            else:
                if len(ta) != len(tb):
                    same_shape = False
                    break
                differs = differs or ta != tb
        if same_shape and differs:
            return DIFFERENT
    return MAYBE


def matches_glob(ref: Ref, patterns: tuple[str, ...]) -> bool:
    """Whether the reference certainly matches one of the fnmatch patterns (a symbolic name whose
    literal prefix already matches a `prefix-*` pattern counts)."""
    import fnmatch

    lit = ref.literal
    for pat in patterns:
        if lit is not None:
            if fnmatch.fnmatchcase(lit, pat):
                return True
        elif ref.parts is not None and pat.endswith("*") and not any(c in pat[:-1] for c in "*?["):
            if ref.prefix.startswith(pat[:-1]) and pat[:-1]:
                return True
    return False
