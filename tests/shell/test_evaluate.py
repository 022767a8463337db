"""Constant propagation: environments, self-reference, branches and loops as "maybe", functions
at their call sites, exports, sourcing by a resolver."""

from __future__ import annotations

from cfglint.shell import Value, evaluate

from .conftest import parse

TEMPLATE = """\
# The java implementation to use.
export JAVA_HOME=${JAVA_HOME}
export HADOOP_CONF_DIR=${HADOOP_CONF_DIR:-"/etc/hadoop"}
export HADOOP_OPTS="$HADOOP_OPTS -Djava.net.preferIPv4Stack=true"
export HADOOP_PID_DIR=${HADOOP_PID_DIR}
"""


def test_self_reference_is_whatever_the_environment_had():
    m = parse(TEMPLATE)
    jh = m.value("JAVA_HOME")  # unknown environment
    assert jh.kind == "symbolic" and jh.vars == {"JAVA_HOME"} and not jh.is_known
    assert jh.is_set  # exported as whatever it was: maybe empty
    cleared = evaluate(m, env={})  # an init script under `env -i`
    assert cleared.value("JAVA_HOME").is_empty and cleared.exported("JAVA_HOME") is True
    login = evaluate(m, env={"JAVA_HOME": Value.of("/usr/java/default")})
    assert login.value("JAVA_HOME").text == "/usr/java/default"
    assert evaluate(m, env={"JAVA_HOME": "/opt/jdk"}).value("JAVA_HOME").text == "/opt/jdk"  # str accepted
    # the assignment's word says it is a self-reference
    (a,) = m.assignments_to("JAVA_HOME")
    assert a.name in a.word.refs


def test_default_expansion():
    m = parse(TEMPLATE)
    assert m.value("HADOOP_CONF_DIR").render() == "$HADOOP_CONF_DIR or /etc/hadoop"
    assert evaluate(m, env={}).value("HADOOP_CONF_DIR").text == "/etc/hadoop"
    assert evaluate(m, env={"HADOOP_CONF_DIR": "/x"}).value("HADOOP_CONF_DIR").text == "/x"
    assert evaluate(m, env={"HADOOP_CONF_DIR": ""}).value("HADOOP_CONF_DIR").text == "/etc/hadoop"
    opts = evaluate(m, env={}).value("HADOOP_OPTS")
    assert opts.text == " -Djava.net.preferIPv4Stack=true"
    # rest_unknown: only what is given is known
    ev = evaluate(m, env={"HADOOP_CONF_DIR": "/c"}, rest_unknown=True)
    assert ev.value("HADOOP_CONF_DIR").text == "/c" and ev.value("JAVA_HOME").vars == {"JAVA_HOME"}


def test_set_only_in_a_branch_is_maybe():
    m = parse('if [ -d /usr/java/default ]; then\n  export JAVA_HOME=/usr/java/default\nfi\n')
    v = evaluate(m, env={}).value("JAVA_HOME")
    assert v.is_maybe and v.maybe_unset and v.texts == ("/usr/java/default",) and not v.is_known
    (a,) = m.assignments
    assert a.in_branch and a.conditional and a.value.text == "/usr/java/default"
    m = parse("JAVA_HOME=/a\n[ -x /b/bin/java ] && JAVA_HOME=/b\ncase $(uname -m) in x86_64) JAVA_HOME=/c ;; esac\n")
    assert set(evaluate(m, env={}).value("JAVA_HOME").texts) == {"/a", "/b", "/c"}
    m = parse("if a; then X=1; else X=2; fi\n")
    v = evaluate(m, env={}).value("X")
    assert v.texts == ("1", "2") and not v.maybe_unset  # set on every path


def test_loops_are_maybe_and_widen():
    m = parse("for d in /a /b; do JAVA_HOME=$d; done\n")
    v = evaluate(m, env={}).value("JAVA_HOME")
    assert set(v.texts) == {"/a", "/b"} and v.maybe_unset
    (a,) = [a for a in m.assignments if a.name == "JAVA_HOME"]
    assert a.in_loop and a.conditional
    (d,) = [a for a in m.assignments if a.via == "for"]
    assert set(d.value.texts) == {"/a", "/b"}
    m = parse('CP=/x\nfor j in /lib/*.jar; do CP="$CP:$j"; done\nN=0\nwhile read l; do N=$((N+1)); done\n')
    ev = evaluate(m, env={})
    assert not ev.value("CP").is_known and ev.value("CP").has_opaque
    assert not ev.value("N").is_known
    assert "/x" in (ev.value("CP").texts or ("/x",)) or ev.value("CP").maybe_unset is False


def test_word_values_are_propagated_in_source_order():
    m = parse('IF=veth0\nip link set "$IF" up\nIF=veth1\nip link set "$IF" up\necho "$LATER"\nLATER=1\n')
    ip0, ip1 = m.commands_named("ip")
    assert ip0.argv[3].value.text == "veth0" and ip1.argv[3].value.text == "veth1"
    later = m.commands_named("echo")[0].argv[1]
    assert later.value.vars == {"LATER"}  # used before it is defined: still the environment's
    assert evaluate(m, env={}).word(later).is_empty


def test_functions_run_at_their_call_sites():
    src = """\
NS=ns0
setup() {
    local dev=$1
    ip -n "$NS" link set "$dev" up
    CONFIGURED=yes
}
setup veth0
NS=ns1
setup veth1
"""
    m = parse(src)
    ev = m.evaluation()
    steps = [s for s in ev.steps if s.name == "ip"]
    assert [(s.argv[2].text, s.argv[5].text) for s in steps] == [("ns0", "veth0"), ("ns1", "veth1")]
    assert [s.site.span.line for s in steps] == [7, 9]  # reported at the calls
    assert all(s.call_stack and s.call_stack[0].name == "setup" for s in steps)
    assert steps[0].argv[5].span.line == 4  # "$dev" is the body's word (its value is the call's)
    # the static word value joins every call
    ip = m.commands_named("ip")[0]
    assert set(ip.argv[5].value.texts) == {"veth0", "veth1"}
    assert ev.value("CONFIGURED").text == "yes" and ev.calls == {"setup": 2}
    calls = [s for s in ev.steps if s.function_call]
    assert [s.function_call for s in calls] == ["setup", "setup"]


def test_function_positional_shift_and_all_args():
    src = 'w() { local ns=$1; shift; ip netns exec "$ns" "$@"; }\nw r1 ip addr add 10.0.0.1/24 dev "a b"\n'
    m = parse(src)
    (step,) = [s for s in m.evaluation().steps if s.name == "ip"]
    assert [a.text for a in step.argv] == ["ip", "netns", "exec", "r1", "ip", "addr", "add", "10.0.0.1/24", "dev", "a b"]
    assert step.argv[-1].span.line == 2 and step.argv[-1].exact


def test_uncalled_functions_still_get_values():
    m = parse('IF=veth0\nup() { ip link set "$IF" up; }\n')
    w = m.commands_named("ip")[0].argv[3]
    assert w.value.is_maybe and "veth0" in (w.value.texts or ()) or w.value.vars == {"IF"}
    assert not w.value.is_known  # a caller elsewhere may have changed IF
    assert not [s for s in m.evaluation().steps if s.name == "ip"]  # never executed


def test_conditional_call_and_recursion():
    m = parse("f() { X=1; f; }\n[ -n \"$A\" ] && f\n")
    v = evaluate(m, env={}).value("X")
    assert v.maybe_unset and not v.is_known  # recursion is not followed: opaque or 1


def test_exports_and_set_a():
    m = parse("A=1\nexport B=2\nC=3\nexport C\nset -a\nD=4\nset +a\nE=5\ndeclare -x F=6\nexport -n B\n")
    ev = evaluate(m, env={})
    assert [ev.exported(n) for n in "ABCDEF"] == [False, False, True, True, False, True]
    assert set(ev.exported_env()) == {"C", "D", "F"}
    m = parse("export G\n")
    ev = evaluate(m, env={})
    assert ev.exported("G") is True and "G" not in ev.exported_env()  # exported but never set


def test_chaining_files_through_the_environment():
    bigtop = parse("export JAVA_HOME=/usr/lib/jvm/java-8\nBIGTOP_X=not-exported\n", "bigtop-utils")
    hadoop_env = parse(TEMPLATE, "hadoop-env.sh")
    env = evaluate(bigtop, env={}).exported_env()
    assert set(env) == {"JAVA_HOME"}
    assert evaluate(hadoop_env, env=env).value("JAVA_HOME").text == "/usr/lib/jvm/java-8"


def test_source_is_followed_only_through_the_resolver():
    lib = parse("export JAVA_HOME=/opt/jdk\nhelper() { echo hi; }\n", "/etc/default/hadoop")
    main = parse(". /etc/default/hadoop\nsource $MISSING\nhelper\n", "init")
    ev = evaluate(main, env={})
    assert ev.value("JAVA_HOME").is_unset
    # `source $MISSING` sources nothing under a cleared environment (an error in bash)
    assert [(s.path.text, s.script) for s in ev.sources] == [("/etc/default/hadoop", None)]
    assert [s.path.vars for s in main.evaluation().sources] == [frozenset(), {"MISSING"}]
    ev = evaluate(main, env={}, resolve_source={"/etc/default/hadoop": lib}.get)
    assert ev.value("JAVA_HOME").text == "/opt/jdk"
    assert ev.sources[0].script is lib
    (echo,) = [s for s in ev.steps if s.name == "echo"]
    assert echo.command.span.path == "/etc/default/hadoop" and echo.site.span.path == "init"


def test_default_assignment_expansion_and_unset():
    m = parse(": ${HADOOP_LOG_DIR:=/var/log/hadoop}\nX=1\nunset X\n")
    ev = evaluate(m, env={})
    assert ev.value("HADOOP_LOG_DIR").text == "/var/log/hadoop" and ev.value("X").is_unset
    assert evaluate(m, env={"HADOOP_LOG_DIR": "/l"}).value("HADOOP_LOG_DIR").text == "/l"


def test_subshells_do_not_leak():
    m = parse("X=1\n( X=2 )\necho | X=3\nY=$(X=4; echo)\n")
    assert evaluate(m, env={}).value("X").text == "1"


def test_assignment_values_under_an_evaluation():
    m = parse('export HADOOP_HOME=/opt/h\nexport HADOOP_CONF_DIR=$HADOOP_HOME/conf\n')
    a = m.assignments_to("HADOOP_CONF_DIR")[0]
    assert a.value.text == "/opt/h/conf"
    m = parse('export HADOOP_CONF_DIR=$HADOOP_HOME/conf\n')
    a = m.assignments_to("HADOOP_CONF_DIR")[0]
    assert a.value.kind == "symbolic" and a.value.vars == {"HADOOP_HOME"}
    assert evaluate(m, env={"HADOOP_HOME": "/h"}).assigned(a).text == "/h/conf"


def test_cdh_incident_shape():
    """hadoop-env.sh with the 2.x template line, root's .bash_profile setting JAVA_HOME: the
    daemons (init script, cleared environment) get nothing; a login shell gets the profile's."""
    hadoop_env = parse("export JAVA_HOME=${JAVA_HOME}\nexport HADOOP_HEAPSIZE=1000\n", "etc/hadoop/hadoop-env.sh")
    profile = parse('PATH=$PATH:$HOME/bin\nexport JAVA_HOME=/usr/java/jdk1.8.0_144\nexport PATH\n', "root/.bash_profile")
    daemon = evaluate(hadoop_env, env={})
    assert daemon.value("JAVA_HOME").is_empty
    login_env = evaluate(profile, env={"HOME": "/root", "PATH": "/usr/bin"}).exported_env()
    assert login_env["JAVA_HOME"].text == "/usr/java/jdk1.8.0_144"
    assert evaluate(hadoop_env, env=login_env).value("JAVA_HOME").text == "/usr/java/jdk1.8.0_144"
    related = profile.assignments_to("JAVA_HOME")[0]
    assert related.span.path == "root/.bash_profile" and related.span.line == 2
