"""Words and values: quoting, escapes, parameter expansion, as bash reads them."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from cfglint.shell import Part, Value, evaluate, expand_word
from cfglint.shell.values import Scope, UNSET

from .conftest import parse


class Env(Scope):
    def __init__(self, **vals: str | None):
        self.vals = vals

    def lookup(self, name: str) -> Value:
        v = self.vals.get(name, "<unknown>")
        if v == "<unknown>":
            return Value.var(name)
        return UNSET if v is None else Value.of(v)


@pytest.mark.parametrize(
    "word, expected",
    [
        ("plain", "plain"),
        ("'single $x \\n'", "single $x \\n"),
        ('"dq \\$x \\" \\\\ \\a"', 'dq $x " \\ \\a'),
        ("a\\ b", "a b"),
        ('"a"b\'c\'', "abc"),
        ("$'a\\tb\\x41\\''", "a\tbA'"),
        ('$"tr"', "tr"),
        ("~/x", "/home/u/x"),
        ('"~/x"', "~/x"),
        ("a~", "a~"),
        ("${E:-d}", "d"),
        ("${E-d}", ""),
        ("${U-d}", "d"),
        ("${U:-d}", "d"),
        ("${S:-d}", "set"),
        ("${S:+alt}", "alt"),
        ("${E:+alt}", ""),
        ("${E+alt}", "alt"),
        ("${U+alt}", ""),
        ('"${U:-"b c"}"', "b c"),
        ('"${U:-\'q\'}"', "'q'"),
        ("${U:-'q'}", "q"),
        ("${#S}", "3"),
        ("${P%/*}", "/a/b"),
        ("${P%%/*}", ""),
        ("${P#/a}", "/b/c.txt"),
        ("${P##*/}", "c.txt"),
        ("${P/b/B}", "/a/B/c.txt"),
        ("$S$S", "setset"),
        ("${S}x", "setx"),
        ("pre-$S-post", "pre-set-post"),
        ("$", "$"),
        ("a$", "a$"),
    ],
)
def test_expand_known(word, expected):
    scope = Env(HOME="/home/u", E="", S="set", U=None, P="/a/b/c.txt")
    v = expand_word(word, scope)
    assert v.is_known, v
    assert v.text == expected


def test_unknown_variables_stay_symbolic():
    v = expand_word("$HADOOP_HOME/conf")
    assert v.kind == "symbolic"
    assert v.vars == {"HADOOP_HOME"}
    assert v.text is None
    assert v.render() == "$HADOOP_HOME/conf"
    assert v.prefix == "" and v.suffix == "/conf"
    assert expand_word("${JAVA_HOME:-/usr/java}").render() == "$JAVA_HOME or /usr/java"


def test_command_substitution_is_opaque():
    for w in ("$(uname -s)", "`uname -s`", "$((1 + 2))", "<(ls)", "${!ref}", "${a[0]}", "${x^^}"):
        v = expand_word(w)
        assert v.has_opaque and not v.is_known, w
    v = expand_word('"/opt/$(uname -m)/jdk"')
    assert v.prefix == "/opt/" and v.suffix == "/jdk" and v.min_length == len("/opt//jdk")


def test_tilde_is_symbolic_home():
    v = expand_word("~/logs")
    assert v.vars == {"HOME"} and v.suffix == "/logs"
    assert expand_word("~root/x").has_opaque


def test_value_algebra():
    a, b = Value.of("/a"), Value.of("/b")
    j = a.join(b)
    assert j.is_maybe and j.texts == ("/a", "/b") and not j.is_known
    m = a.join(Value.unset())
    assert m.maybe_unset and m.texts == ("/a",) and m.is_maybe and not m.is_set
    assert (a + Value.of("x")).text == "/ax"
    assert Value.unset().is_unset and Value.unset().kind == "unset"
    assert Value.of("").is_empty and Value.of("").may_be_empty
    assert Value.var("X").may_be_empty and not Value.of("x").may_be_empty
    assert {Value.of("a"), Value.of("a")} == {Value.of("a")}
    assert Part.lit("x").is_text and Part.variable("X").is_var and Part.unknown("$(x)").is_opaque


def test_field_splitting():
    scope = Env(T="a  b", E="")
    assert [f.text for f in expand_word("$T", scope).split_fields()] == ["a", "b"]
    assert [f.text for f in expand_word('"$T"', scope).split_fields()] == ["a  b"]
    assert expand_word("$E", scope).split_fields() == []
    assert [f.text for f in expand_word('"$E"', scope).split_fields()] == [""]
    assert [f.text for f in expand_word("x$T", scope).split_fields()] == ["xa", "b"]
    assert expand_word("$UNKNOWN").split_fields() is None  # may split into any number of words
    assert len(expand_word('"$UNKNOWN"').split_fields()) == 1


# -- differential: bash itself on assignment-only snippets ------------------------------------------

SNIPPETS = [
    "A=plain B='single $x' C=\"dq \\$x \\\" end\"",
    "A=a\\ b B=$'x\\ty' C=\"${U:-def}\" D=${U-alt}",
    "E=; A=${E:-d} B=${E-d} C=${E:+p} D=${E+p}",
    "A=1; A+=2; B=x; B+=\"$A\"",
    "P=/a/b/c.txt; A=${P%/*} B=${P##*/} C=${P#/a} D=${P/b/B} E=${#P}",
    ": ${A:=dflt}; B=$A",
    "A=~/x B=~:~/y C=\"~\"",
    "A='it'\\''s' B=\"${U:-\"b c\"}\" C=\"${U:-'q'}\"",
    "if true; then A=1; fi; B=${A:-none}",
    "A=1; f() { A=2; local B=3; C=$1; }; f arg",
    "set -- one two; A=$1 B=$# C=\"$*\"",
    "A=x; unset A; B=${A-gone}",
    "read A <<'EOF'\nhello\nEOF\nB=fixed",
    "export A=1 B; declare -x C=2; typeset D=3",
]


def _bash_values(snippet: str, names: list[str]) -> dict[str, str | None]:
    probe = "".join(
        f'if [ -n "${{{n}+x}}" ]; then printf "S%s\\0" "${n}"; else printf "U\\0"; fi\n' for n in names
    )
    out = subprocess.run(
        ["bash", "--norc", "--noprofile", "-c", snippet + "\n" + probe],
        env={"HOME": "/home/u", "PATH": os.environ.get("PATH", "/usr/bin:/bin")},
        capture_output=True,
        timeout=10,
    ).stdout.decode()
    vals = out.split("\0")[: len(names)]
    return {n: (v[1:] if v.startswith("S") else None) for n, v in zip(names, vals)}


def _covers(v: Value, actual: str | None) -> bool:
    """bash's value is one of the possibilities the evaluation allows."""
    if actual is None:
        return v.maybe_unset
    texts = v.texts
    return texts is None or actual in texts


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
@pytest.mark.parametrize("snippet", SNIPPETS)
def test_values_match_bash(snippet):
    names = ["A", "B", "C", "D", "E"]
    expected = _bash_values(snippet, names)
    m = parse(snippet)
    ev = evaluate(m, env={"HOME": Value.of("/home/u")})
    branchy = "if " in snippet
    for n in names:
        v = ev.value(n)
        assert _covers(v, expected[n]), (n, v, expected[n])
        if "read" in snippet and n == "A":
            assert v.has_opaque  # read: not known statically
        elif not branchy:
            if expected[n] is None:
                assert v.is_unset, (n, v)
            else:
                assert v.is_known and v.text == expected[n], (n, v, expected[n])


def test_kinds():
    assert Value.of("x").kind == "known"
    assert Value.var("X").kind == "symbolic" and Value.var("X").maybe_unset
    assert expand_word("$X/bin").kind == "symbolic"
    assert Value.opaque("$(x)").kind == "unknown"
    assert Value.unset().kind == "unset"
    assert Value.of("a").join(Value.of("b")).kind == "maybe"
    assert Value.of("a").join(Value.unset()).kind == "maybe"
