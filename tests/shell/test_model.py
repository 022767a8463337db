"""The model: commands, words, assignments, flow flags, functions, heredocs, comments, errors."""

from __future__ import annotations

from cfglint.shell import ShellScript, build

from .conftest import FIXTURES, parse


def names(m: ShellScript) -> list[str | None]:
    return [c.name for c in m.commands if c.kind != "assignment"]


def test_commands_words_and_spans():
    m = parse("ip link set dev \"$IF\" up  # bring it up\nFOO=1 BAR=x cmd arg >/dev/null 2>&1 &\n")
    c0, c1 = m.commands
    assert c0.name == "ip" and [w.text for w in c0.argv] == ["ip", "link", "set", "dev", '"$IF"', "up"]
    assert c0.argv[4].refs == ("IF",) and c0.argv[4].value.vars == {"IF"}
    sp = c0.argv[4].span
    assert (sp.line, sp.column, sp.end_line, sp.end_column) == (1, 17, 1, 22)
    assert c0.span.column == 1 and c0.span.end_column == 25
    assert c1.name == "cmd" and c1.background and c1.subshell
    assert [(a.name, a.scope, a.via, a.value.text) for a in c1.assignments] == [
        ("FOO", "command", "prefix", "1"), ("BAR", "command", "prefix", "x")]
    assert [(r.op, r.fd, r.target.text) for r in c1.redirects] == [(">", None, "/dev/null"), (">&", 2, "1")]
    # the trailing comment: its column shows code before it on the line
    (cm,) = m.comments
    assert cm.text == " bring it up" and (cm.span.line, cm.span.column) == (1, 27)


def test_comment_lines_and_shebang():
    m = parse("#!/bin/bash\n# cfglint: ignore[NET001] -- reason\nip link  # trailing\n    # indented\n")
    assert m.shebang == "#!/bin/bash"
    assert [(c.span.line, c.span.column, c.text) for c in m.comments] == [
        (2, 1, " cfglint: ignore[NET001] -- reason"), (3, 10, " trailing"), (4, 5, " indented")]


def test_pipeline_subshell_substitution_marks():
    m = parse("a | b | c\n( d )\nx=$(e f) y=`g`\n! h\n")
    by = {c.name: c for c in m.commands if c.name}
    assert [by[n].pipeline for n in "abc"] == [(0, 3), (1, 3), (2, 3)]
    assert all(by[n].subshell for n in "abcd")
    assert by["e"].substitution == "command" and by["g"].substitution == "command"
    assert by["h"].negated
    (asg,) = [c for c in m.commands if c.kind == "assignment"]
    assert [a.name for a in asg.assignments] == ["x", "y"] and asg.assignments[0].value.has_opaque


def test_guards_and_branches():
    src = """\
iptables -C FORWARD -i br0 -j ACCEPT 2>/dev/null || iptables -A FORWARD -i br0 -j ACCEPT
if ! iptables -t nat -C POSTROUTING -j MASQUERADE; then
    iptables -t nat -A POSTROUTING -j MASQUERADE
elif true; then
    echo elif-arm
else
    echo else-arm
fi
[ -d /x ] && mkdir -p /y
while read -r l; do echo "$l"; done < f
for x in a b; do echo "$x"; done
case "$1" in start) ip link add a type dummy ;; stop) ip link del a ;; esac
"""
    m = parse(src)
    cmds = [c for c in m.commands if c.kind != "assignment"]
    check, append = cmds[0], cmds[1]
    assert check.tested and not check.conditional and check.redirects[0].fd == 2
    g = append.guard
    assert g is not None and g.kind == "or" and g.when == "failure" and g.tests == (check.index,)
    assert append.in_branch and append.conditional and not append.in_loop
    test_if = m.commands_named("iptables")[2]
    add_if = m.commands_named("iptables")[3]
    assert test_if.tested
    (cond,) = add_if.conditions
    assert cond.kind == "if" and cond.when == "failure" and cond.tests == (test_if.index,)  # `!` flips it
    elif_arm = next(c for c in m.commands if c.argv and c.argv[-1].text == "elif-arm")
    assert [k.kind for k in elif_arm.conditions] == ["else", "elif"]
    else_arm = next(c for c in m.commands if c.argv and c.argv[-1].text == "else-arm")
    assert [k.kind for k in else_arm.conditions] == ["else", "else"]
    mkdir = m.commands_named("mkdir")[0]
    assert mkdir.guard.kind == "and" and mkdir.guard.when == "success"
    assert m.commands[mkdir.guard.tests[0]].kind == "test"
    loop_echo = [c for c in m.commands_named("echo") if c.in_loop]
    assert len(loop_echo) == 2 and all(c.conditional for c in loop_echo)
    case_cmds = [c for c in m.commands if c.conditions and c.conditions[-1].kind == "case"]
    assert [(c.name, c.conditions[-1].patterns) for c in case_cmds] == [("ip", ("start",)), ("ip", ("stop",))]
    assert case_cmds[0].conditions[-1].subject == '"$1"'


def test_functions():
    src = "in_ns() { ip netns exec \"$NS\" \"$@\"; }\nfunction g { local x=1; echo $x; }\nin_ns ip link\n"
    m = parse(src)
    assert set(m.functions) == {"in_ns", "g"}
    f = m.functions["in_ns"]
    assert f.name_span.line == 1 and f.span.end_line == 1
    body = m.function_commands("in_ns")
    assert [c.name for c in body] == ["ip"] and body[0].in_function == "in_ns" and body[0].conditional
    (local,) = [a for a in m.assignments if a.name == "x"]
    assert local.via == "local" and local.scope == "local" and local.in_function == "g"
    call = m.commands[-1]
    assert call.name == "in_ns" and call.in_function is None and not call.conditional


def test_assignment_forms():
    src = """\
X=1
export Y=2 Z
declare -x D=3
readonly R=4
typeset T=5
unset X
export -n Y
local L=6
A=(1 2 3)
P+=":/x"
"""
    m = parse(src)
    by = {(a.name, a.via): a for a in m.assignments}
    assert by[("X", "plain")].value.text == "1" and by[("X", "plain")].exported is None
    assert m.assignments_to("Y")[0].exported is True and by[("Z", "export")].op is None
    assert by[("Z", "export")].value is None
    assert by[("D", "declare")].exported is True and by[("D", "declare")].flags == ("-x",)
    assert by[("R", "readonly")].value.text == "4"
    assert by[("T", "typeset")].scope == "global"
    assert by[("X", "unset")].is_unset
    assert [a.exported for a in m.assignments if a.name == "Y"] == [True, False]
    assert by[("L", "local")].malformed == "local-outside-function" and by[("L", "local")].value is None
    assert by[("A", "plain")].array and by[("A", "plain")].value.has_opaque
    assert by[("P", "plain")].op == "+="


def test_export_with_spaces_around_equals():
    m = parse("export JAVA_HOME = /usr/java\n")
    (a,) = m.assignments
    assert a.name == "JAVA_HOME" and a.malformed == "spaces-around-equals"
    assert a.value is None and a.op is None and a.exported is True  # bash ran `export JAVA_HOME`
    assert a.intended.text == "/usr/java" and "not a valid identifier" in a.message
    assert m.evaluate({}).value("JAVA_HOME").is_unset
    assert m.evaluate({}).exported("JAVA_HOME") is True
    (c,) = m.commands
    assert [w.text for w in c.argv] == ["export", "JAVA_HOME", "=", "/usr/java"]


def test_other_spacing_mistakes():
    m = parse("JAVA_HOME =/usr/java\nHADOOP_HOME = /opt/hadoop\nJAVA_HOME= /usr/java\nexport X =/x\nexport Y= /y\nIFS= read -r line\n")
    got = [(a.name, a.malformed, a.intended.text if a.intended else None) for a in m.assignments if a.malformed]
    assert got == [
        ("JAVA_HOME", "space-before-equals", "/usr/java"),
        ("HADOOP_HOME", "spaces-around-equals", "/opt/hadoop"),
        ("JAVA_HOME", "space-after-equals", "/usr/java"),
        ("X", "space-before-equals", "/x"),
        ("Y", "space-after-equals", "/y"),
    ]
    ev = m.evaluate({})
    assert ev.value("JAVA_HOME").is_unset and ev.value("HADOOP_HOME").is_unset
    assert ev.value("X").is_unset and ev.value("Y").text == ""  # `export Y= /y` sets Y to ""
    assert not [a for a in m.assignments if a.name == "IFS" and a.malformed]  # `IFS= read` is fine


def test_crlf_values_end_in_cr():
    m = build((FIXTURES / "crlf-hadoop-env.sh").read_bytes(), "crlf-hadoop-env.sh")
    assert m.crlf_lines == [1, 2, 3, 4, 5, 6] and not m.problems
    jh = m.assignments_to("JAVA_HOME")[0]
    assert jh.value.text == "/usr/java/default\r" and jh.word.text.endswith("\r")
    assert m.value("JAVA_HOME").text == "/usr/java/default\r"
    assert m.comments[0].text == " a comment"  # no "\r" in comment text
    assert m.assignments_to("Y")[0].in_branch
    assert all(c.span.end_line == c.span.line for c in m.comments)


def test_heredocs_are_data():
    m = build((FIXTURES / "heredocs.sh").read_bytes(), "heredocs.sh")
    assert not m.problems
    assert names(m) == ["cat", "ip", "cat", "echo", "cat", "cat", "ip"]
    assert not [c for c in m.commands if c.name in ("-A", "*nat", "COMMIT", "tabbed")]
    h0, h1, ha, hb, ht = m.heredocs
    assert h0.delimiter == "EOF" and not h0.quoted and h0.body.startswith("*nat\n-A POSTROUTING")
    assert m.commands[h0.command].name == "cat"
    pipe = [c for c in m.commands if c.pipeline]
    assert [(c.name, c.pipeline) for c in pipe] == [("cat", (0, 2)), ("ip", (1, 2))]
    assert h1.quoted and h1.body == "ip link set $NOT_A_COMMAND up\n" and h1.value.text == h1.body
    assert (ha.body, hb.body) == ("a body\n", "b body\n")
    assert ht.strip_tabs and ht.body == "tabbed $NS\n" and ht.value.text == "tabbed r1\n"
    assert m.commands[ht.command].background
    assert h0.body_span.line == 3 and h0.span.end_line == 6
    redirect = m.commands[h0.command].redirects[0]
    assert redirect.op == "<<" and redirect.heredoc == 0 and redirect.target is None


def test_heredoc_in_substitution_and_unterminated():
    m = parse("x=$(cat <<EOF\nhello $A\nEOF\n)\necho \"$x\"\ncat <<END\nno end\n")
    assert [h.terminated for h in m.heredocs] == [True, False]
    assert names(m) == ["cat", "echo", "cat"]
    assert m.heredocs[1].body == "no end\n"


def test_assignments_line_is_not_glued_to_next_command():
    # tree-sitter-bash reads `A=1 B=2\nls -l` as one command with prefix assignments
    m = parse("A=1 B=2\nls -l\nC=3 # note\nrm x\n")
    kinds = [(c.kind, c.name, [a.scope for a in c.assignments]) for c in m.commands]
    assert kinds == [("assignment", None, ["global", "global"]), ("simple", "ls", []),
                     ("assignment", None, ["global"]), ("simple", "rm", [])]
    assert m.value("B").text == "2"


def test_words_tree_sitter_splits_are_rejoined():
    m = parse("echo 'a b'\\c x\nR=\\ ${E-a}\nS='x y'\\z\n")
    assert [w.text for w in m.commands[0].argv] == ["echo", "'a b'\\c", "x"]
    assert m.commands[0].argv[1].value.text == "a bc"
    ev = m.evaluate({})
    assert ev.value("R").text == " a" and ev.value("S").text == "x yz"


def test_error_regions_do_not_swallow_later_lines():
    for name, region_lines, later in [
        ("ts-escaped-parens.sh", [(4, 4)], ["usage", "ip", "ip", "ip"]),  # only the test is skipped
        ("ts-test-operator-variable.sh", [(9, 9)], ["shift", "echo", "return", "first_match", "ip", "ip"]),
        ("ts-extglob-array.sh", [(3, 3)], ["ip", "n0"]),
    ]:
        m = build((FIXTURES / name).read_bytes(), name)
        assert [(r.line, r.last_line) for r in m.error_regions] == region_lines, name
        assert len(m.problems) == len(region_lines) and all(p.code == "CFG004" for p in m.problems)
        assert [c.name for c in m.commands if c.kind == "simple"] == later, name
        # nothing inside a region is modelled
        for c in m.commands:
            assert not m.in_error_region(c.span), (name, c)
        assert m.in_error_region(region_lines[0][0])
    m = build((FIXTURES / "ts-test-operator-variable.sh").read_bytes(), "x")
    assert "[ \"$t\" \"$file\" ]" in m.problems[0].message
    assert m.functions["first_match"].commands  # the function around the bad test is still read
    ip = m.commands_named("ip")
    assert not ip[0].conditional and ip[0].in_function is None


def test_unterminated_construct_is_one_region_to_the_end():
    m = build((FIXTURES / "ts-unterminated.sh").read_bytes(), "x")
    assert [(r.line, r.last_line) for r in m.error_regions] == [(2, 3)]
    assert names(m) == [] and m.value("A").text == "1"  # the line before is read


def test_invalid_utf8_and_bom_never_raise():
    m = parse(b"\xef\xbb\xbfA=\xff\nB=\xc3\xa9 # \xc3\xa9t\xc3\xa9\n")
    assert m.bom and m.value("A").text == "\ufffd" and m.value("B").text == "\u00e9"
    assert m.comments[0].span.column == 5  # columns count characters, not bytes


def test_subclassing():
    class HadoopEnv(ShellScript):
        kind = "hadoop-env"

        def java_home(self):
            return self.evaluate({}).value("JAVA_HOME")

    m = build(b"export JAVA_HOME=/usr/lib/jvm/java\n", "hadoop-env.sh", HadoopEnv)
    assert isinstance(m, HadoopEnv) and m.kind == "hadoop-env"
    assert m.java_home().text == "/usr/lib/jvm/java"


def test_pickle_round_trip():
    import pickle

    m = parse('NS=r1\nin_ns() { ip netns exec "$NS" "$@"; }\nin_ns ip link set lo up\n')
    m2 = pickle.loads(pickle.dumps(m))
    assert m2 == m and m2 == parse('NS=r1\nin_ns() { ip netns exec "$NS" "$@"; }\nin_ns ip link set lo up\n')
    ev = m2.evaluate({})
    w = m2.commands_named("ip")[0].argv[3]
    assert ev.word(w).text == "r1"
    assert [s.name for s in m2.evaluation().steps] == ["in_ns", "ip"]


def test_uses_before_assignment():
    m = parse('export PATH=$PATH:$HADOOP_HOME/bin\nexport HADOOP_HOME=/opt/hadoop\nf() { echo $LATE; }\nLATE=1\n')
    got = [(name, w.text, a.span.line) for name, _, w, a in m.uses_before_assignment()]
    assert got == [("HADOOP_HOME", "$PATH:$HADOOP_HOME/bin", 2)]


def test_tree_sitter_cut_assignment_words():
    # tree-sitter-bash ends `$PATH:$HADOOP_HOME/bin` at `:$` and makes `HADOOP_HOME/bin` a word
    m = parse("export PATH=$PATH:$HADOOP_HOME/bin\nPATH=$PATH:$HADOOP_HOME/sbin\nprintf '%s' a:$B/c\n")
    exp, plain, pr = m.commands
    assert [w.text for w in exp.argv] == ["export", "PATH=$PATH:$HADOOP_HOME/bin"]
    assert plain.kind == "assignment" and plain.assignments[0].word.text == "$PATH:$HADOOP_HOME/sbin"
    assert [w.text for w in pr.argv] == ["printf", "'%s'", "a:$B/c"]
    ev = m.evaluate({"PATH": "/bin", "HADOOP_HOME": "/h"})
    assert ev.value("PATH").text == "/bin:/h/bin:/h/sbin"
