from __future__ import annotations

from collections.abc import Iterator

from cfglint.api import Diagnostic, FileContext, Severity, Span
from cfglint.models.hadoop import HadoopEnv
from cfglint.rules.hadoop._common import HadoopRule, shown


def _ends_in_cr(a) -> bool:
    if a.word is not None and a.word.text.endswith("\r"):
        return True
    texts = a.value.texts if a.value is not None else None
    return bool(texts) and any(t is not None and t.endswith("\r") for t in texts)


class CarriageReturnLineEndings(HadoopRule):
    """The file has Windows (CRLF) or old Mac (CR) line endings: bash keeps the carriage return.

    ## What it does
    Flags a Hadoop env file with lines ending in CR LF and names the variables whose value gets a
    trailing carriage return; flags a file whose lines end in a lone CR (bash does not end a line
    there at all).

    ## Why is this bad?
    bash ends a line at LF only: the CR stays in the last word of the line.
    `export JAVA_HOME=/opt/jdk` saved on Windows sets JAVA_HOME to `/opt/jdk\\r`, and Hadoop
    reports `ERROR: JAVA_HOME /opt/jdk does not exist.` for a directory that exists (the `\\r` does
    not show); `-Xmx4g\\r` is an invalid heap size; a blank CRLF line prints
    `$'\\r': command not found`. With CR-only endings the whole file is one line for bash: one
    long comment from the first `#`, so nothing is set, or `syntax error near unexpected token`.

    ## Example
    ```sh
    export JAVA_HOME=/usr/lib/jvm/java-8-openjdk-amd64\r
    export HADOOP_PID_DIR=/var/run/hadoop\r
    ```
    (each line ends in a carriage return, which editors do not show)

    ## Use instead
    ```sh
    export JAVA_HOME=/usr/lib/jvm/java-8-openjdk-amd64
    export HADOOP_PID_DIR=/var/run/hadoop
    ```

    ## Fix
    Convert the file to LF line endings: `dos2unix hadoop-env.sh` or `sed -i 's/\\r$//' hadoop-env.sh`
    (CR-only files: `tr '\\r' '\\n'`); in Git, `* text=auto eol=lf` in `.gitattributes`.

    ## References
    - ../shared/domain/davmail-hadoop.md B.5 #4
    - https://github.com/mesosphere-backup/hdfs-deprecated/issues/274
    """

    code = "HDP004"
    name = "carriage-return-line-endings"
    severity = Severity.ERROR
    tags = ("hadoop", "syntax")

    def check(self, model: HadoopEnv, ctx: FileContext) -> Iterator[Diagnostic]:
        if model.cr_lines:
            first, n = model.cr_lines[0], len(model.cr_lines)
            yield self.diagnostic(
                Span(path=model.path, line=first),
                f"{n} line{'s' if n != 1 else ''} from line {first} on end with a lone carriage return (CR, old Mac"
                " line endings): bash ends a line at LF only, so it reads them as one line: a comment from its"
                " first `#` (nothing after it is set) or a syntax error",
                fix_title="Convert the line endings to LF (`tr '\\r' '\\n'`)",
            )
        if not model.crlf_lines:
            return
        crlf = set(model.crlf_lines)
        affected = [a for a in model.assignments if a.span.last_line in crlf and _ends_in_cr(a)]
        commands = [c for c in model.commands if c.span.last_line in crlf]
        n = len(model.crlf_lines)
        lines = f"{n} line{'s' if n != 1 else ''} end{'s' if n == 1 else ''} in CR LF (Windows line endings)"
        if affected:
            names = []
            for a in affected:
                if a.name not in names:
                    names.append(a.name)
            listed = ", ".join(names[:6]) + (f" and {len(names) - 6} more" if len(names) > 6 else "")
            sample = affected[0]
            text = sample.value.texts[0] if sample.value is not None and sample.value.texts else None
            example = f" ({sample.name}={shown(text)})" if text else ""
            yield self.diagnostic(
                sample.span,
                f"{lines}: bash keeps the carriage return at the end of each line, so {listed} get a trailing"
                f" '\\r'{example}: paths do not exist, options and heap sizes are invalid",
                fix_title="Convert the file to LF line endings (`dos2unix`, or `sed -i 's/\\r$//'`)",
            )
        elif commands:
            yield self.diagnostic(
                Span(path=model.path, line=commands[0].span.last_line),
                f"{lines}: bash keeps the carriage return in the last word of each line (commands and keywords"
                " like `fi\\r` fail)",
                fix_title="Convert the file to LF line endings (`dos2unix`, or `sed -i 's/\\r$//'`)",
            )
        else:
            blank = [ln for ln in model.crlf_lines if not any(c.span.line == ln for c in model.comments)]
            if blank:
                yield self.diagnostic(
                    Span(path=model.path, line=blank[0]),
                    f"{lines}: every blank one runs a command named '\\r' (`$'\\r': command not found` each time"
                    " the file is sourced)",
                    fix_title="Convert the file to LF line endings (`dos2unix`, or `sed -i 's/\\r$//'`)",
                    severity=Severity.WARNING,
                )
