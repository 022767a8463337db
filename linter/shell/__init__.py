"""The shared shell front end: bash scripts parsed with tree-sitter-bash into a typed model, with
constant propagation of variables and wrapper resolution. Formats built on it: Hadoop env files
and login profiles, netns/veth/bridge/iptables scripts.

    from cfglint.shell import ShellScript, build, parse_shell, evaluate, unwrap, invocations, Value

    class HadoopEnv(ShellScript):
        kind = "hadoop-env"

    def parse_hadoop_env(data: bytes, path: str) -> HadoopEnv:
        return build(data, path, HadoopEnv)

    script = parse_hadoop_env(data, path)
    ev = evaluate(script, env={})                 # as an init script runs it (cleared environment)
    java_home = ev.value("JAVA_HOME")             # a Value: .is_known/.text, .is_unset, .maybe_unset...

API (every element has `span`; see each module for details):

    build(data, path, model_cls=ShellScript) -> model_cls     never raises; parse_shell(data, path)
    ShellScript(SourceModel): commands, assignments, functions{name: Function}, heredocs,
        error_regions, comments, problems (CFG004 per error region), shebang, bom, crlf_lines,
        cr_lines; commands_named(*n), assignments_to(n), function_commands(n), in_error_region(line|span),
        uses_before_assignment(), evaluation() (cached, unknown env), evaluate(env, ...), value(n)
    Command: index, argv[Word], name, kind (simple|declaration|unset|test|assignment),
        assignments, redirects, background, pipeline (pos, len), negated, subshell, substitution,
        tested, in_function, in_branch, in_loop, guard: Condition, conditions, .conditional
    Condition: kind (if|elif|else|case|and|or|while|until|for|select|cfor), tests (command
        indexes), when (success|failure|any), patterns, subject
    Word: text (as written), value: Value, refs (variables referenced), .literal, .fields
    Assignment: index, name, name_span, op (=|+=|None), word, value (None: nothing assigned), array,
        via (plain|prefix|export|declare|typeset|local|readonly|unset|for|read|printf), flags,
        exported (True|False|None=unchanged), scope (global|local|command), command, flow flags as
        Command, malformed (spaces-around-equals|space-before-equals|space-after-equals|
        local-outside-function), intended: Word, message
    Function: name, name_span, commands (indexes), in_function, conditional, definitions
    Heredoc: delimiter, quoted, strip_tabs, body, body_span, value, command, terminated
    Redirect: op, fd, target: Word | None, heredoc (index)
    Value: .kind (known|symbolic|unknown|unset|maybe), .is_known/.text, .texts, .is_unset,
        .is_set, .maybe_unset, .is_maybe, .vars, .has_opaque, .is_empty, .may_be_empty, .prefix,
        .suffix, .min_length, .render(), .join(), +, .split_fields(); Value.of/var/opaque/unset
    evaluate(script, env=None | {name: Value|str}, rest_unknown=False, resolve_source=None)
        -> Evaluation: value(n), exported(n), variables(), exported_env(), word(w), assigned(a),
           heredoc(h), steps [Step], sources [SourceRef], calls
    Step: command, argv [Arg(value, word, exact)], call_stack, conditional, function_call, .site
    unwrap(Command | Step, script=None, transparent=()) -> [Invocation]
    invocations(evaluation, transparent=()) -> iterator of Invocation
    Invocation: argv [Arg], name, command, netns: Value | None, netns_kind (name|pid|path|all|new),
        layers [Layer(kind, argv, function)], env, env_cleared, complete, site, step, .span

Why tree-sitter-bash (bench/shell_parse.py, one run, side by side; Python 3.11, 2 cores):

    corpus (27 netns + 25 hadoop files)   tree-sitter-bash   bashlex     lark LALR grammar
      files read without an error           49/52            23/52         40/52
      whole corpus (10,954 lines)            30 ms            158 ms        80 ms
    ms per 10,000 generated lines
      netns script with case + heredoc       38               fails (case)  515 (heredoc read as commands)
      same, `if` instead of `case`           43               2,776         726
      simple commands only                   50               2,761         628
      Hadoop env file                        24               984           142

tree-sitter-bash is the only candidate that reads every construct of the corpus but three known
failure modes, keeps heredocs as data and keeps comments; it is the fastest by an order of
magnitude, ships binary wheels (x86_64, aarch64; tree-sitter-bash is abi3) and is MIT. bashlex
fails on `case`, `[[ ]]`, arrays and `$(( ))` (and is GPL-3.0); a lark grammar cannot express
heredocs. The model on top (heredoc reading, error recovery, the walk, constant propagation and
the model objects) costs ~0.65-0.8 s per 10,000 lines, ~15 ms for a typical 200-line script.
Its failure modes are handled here: error regions are cut small and never swallow the following
lines, heredocs are read by this package, a line of assignments is never glued to the next
line's command, and words tree-sitter cuts in two are made whole again.

Nothing is ever executed or sourced.
"""

from cfglint.shell.interp import Arg, Evaluation, SourceRef, Step
from cfglint.shell.model import (
    Assignment,
    Command,
    Condition,
    Function,
    Heredoc,
    Redirect,
    ShellScript,
    Word,
)
from cfglint.shell.parse import build, parse_shell
from cfglint.shell.values import Part, Value, evaluate, expand_word
from cfglint.shell.wrappers import Invocation, Layer, invocations, unwrap

__all__ = [
    "Arg",
    "Assignment",
    "Command",
    "Condition",
    "Evaluation",
    "Function",
    "Heredoc",
    "Invocation",
    "Layer",
    "Part",
    "Redirect",
    "ShellScript",
    "SourceRef",
    "Step",
    "Value",
    "Word",
    "build",
    "evaluate",
    "expand_word",
    "invocations",
    "parse_shell",
    "unwrap",
]
