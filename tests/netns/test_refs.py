"""Identities of names: literal, symbolic (stable unknowns), unknown."""

from __future__ import annotations

from cfglint.netns.refs import DIFFERENT, MAYBE, SAME, ref_of, relation
from cfglint.shell import Value
from cfglint.shell.values import Part


def sym(*parts):
    return ref_of(Value.concat([Part.lit(p[1:]) if p.startswith("=") else Part.variable(p) for p in parts]))


def test_literal_and_symbolic_relations():
    a, b = ref_of(Value.of("veth0")), ref_of(Value.of("veth1"))
    assert relation(a, b) == DIFFERENT and relation(a, ref_of(Value.of("veth0"))) == SAME
    x = sym("NS")
    assert relation(x, sym("NS")) == SAME
    assert relation(x, a) == MAYBE
    assert relation(sym("=veth0_", "uuid"), sym("=veth1_", "uuid")) == DIFFERENT  # same shape, other text
    assert relation(sym("=br-", "X"), ref_of(Value.of("eth0"))) == DIFFERENT  # prefixes disagree
    assert relation(sym("A"), sym("B")) == MAYBE


def test_pid_of_the_script_is_stable_other_opaque_parts_are_not():
    v = Value.concat([Part.lit("wg-test-"), Part.unknown("$$"), Part.lit("-0")])
    w = Value.concat([Part.lit("wg-test-"), Part.unknown("$$"), Part.lit("-1")])
    assert relation(ref_of(v), ref_of(w)) == DIFFERENT
    assert not ref_of(Value.opaque("$(cat f)")).known
    assert not ref_of(Value.of("a").join(Value.of("b"))).known


def test_positional_parameters_can_be_declared_unstable():
    v = Value.var("1")
    assert ref_of(v).known
    assert not ref_of(v, stable_positional=False).known
    assert not ref_of(Value.var("@")).known
