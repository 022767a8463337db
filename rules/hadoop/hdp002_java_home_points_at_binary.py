from __future__ import annotations

import re
from collections.abc import Iterator

from cfglint.api import Diagnostic, FileContext, Severity
from cfglint.models.hadoop import HadoopEnv
from cfglint.rules.hadoop._common import HadoopRule, shown

# `$(which java)`, `` `command -v java` ``, `$(readlink -f $(which java))` (blanks removed): the binary.
_WHICH_JAVA_RE = re.compile(
    r"^\"?(?:\$\(|`)(?:(?:readlink-[fe]|realpath)(?:\$\(|`|\\`))?(?:which|command-v|type-[pP])java(?:\)|`|\\`){1,2}\"?$"
)


def _problem(text: str) -> tuple[str, str | None] | None:
    """(what is wrong, the JDK directory to suggest or None) for a JAVA_HOME value."""
    t = text.rstrip("/")
    if t in ("/etc/alternatives/java", "/usr/bin/java"):
        return "the `java` command (a symlink to the binary), not the JDK directory", None
    if t.endswith("/bin/java") or t.endswith("/bin/java.exe"):
        base = t[: t.rfind("/bin/java")]
        return "the java binary, not the JDK directory", base or None
    if t.endswith("/bin"):
        base = t[: -len("/bin")]
        return "the JDK's bin directory, not the JDK directory", base or None
    return None


class JavaHomePointsAtBinary(HadoopRule):
    """JAVA_HOME points at the `java` binary or a `bin` directory instead of the JDK directory.

    ## What it does
    Flags a JAVA_HOME assignment whose value ends in `/bin/java` or `/bin`, is
    `/etc/alternatives/java` or `/usr/bin/java`, or is the output of `which java` /
    `command -v java` (also through `readlink -f`). A value built on another variable is checked
    on its known ending (`$JDK/bin`); a value that cannot be known is not reported.

    ## Why is this bad?
    Hadoop runs `$JAVA_HOME/bin/java`. With `JAVA_HOME=/usr/bin/java` that is
    `/usr/bin/java/bin/java`: Hadoop 2 fails at `exec` with `.../bin/java: Not a directory`,
    Hadoop 3 stops with `ERROR: JAVA_HOME /usr/bin/java does not exist.` or `ERROR:
    .../bin/bin/java is not executable.`. `JAVA_HOME=/usr` happens to work; the JDK directory is
    what every tool (`jps`, `jstack`, the JSVC launcher) expects.

    ## Example
    ```sh
    export JAVA_HOME=/usr/lib/jvm/java-8-openjdk-amd64/bin/java
    ```

    ## Use instead
    ```sh
    export JAVA_HOME=/usr/lib/jvm/java-8-openjdk-amd64
    ```

    ## Fix
    Point JAVA_HOME at the directory that holds `bin/java`; for the system default JDK,
    `readlink -f /usr/bin/java` shows the binary, and JAVA_HOME is that path without `/bin/java`
    (or `/jre/bin/java` for a Java 8 JRE path).

    ## References
    - Hadoop 3 `hadoop-functions.sh` `hadoop_java_setup`; ../shared/domain/davmail-hadoop.md B.5 #2
    - https://github.com/MuhammadBilalYar/Hadoop-On-Window/issues/8
    """

    code = "HDP002"
    name = "java-home-points-at-binary"
    severity = Severity.ERROR
    tags = ("hadoop", "correctness")

    def check(self, model: HadoopEnv, ctx: FileContext) -> Iterator[Diagnostic]:
        for a in model.assignments:
            if a.name != "JAVA_HOME" or a.value is None or a.word is None or model.in_error_region(a.span):
                continue
            found = None
            texts = a.value.texts
            if texts is not None:
                for t in texts:
                    found = _problem(t)
                    if found:
                        value = t
                        break
            if found is None and a.value.suffix and not a.value.is_known:
                found = _problem(a.value.suffix)
                value = a.word.text
                if found is not None:
                    found = (found[0], None)
            if found is None and _WHICH_JAVA_RE.match(re.sub(r"\s+", "", a.word.text)):
                found = ("the path of the java binary (`which java`), not the JDK directory", None)
                value = a.word.text
            if found is None:
                continue
            what, base = found
            fix = (
                f"Set `JAVA_HOME={base}`" if base and base != "/usr"
                else "Set JAVA_HOME to the JDK directory (the one holding bin/java: see `readlink -f /usr/bin/java`)"
            )  # fmt: skip
            yield self.diagnostic(
                a.span,
                f"JAVA_HOME={shown(value)} is {what}: Hadoop runs $JAVA_HOME/bin/java, which does not exist"
                " (Hadoop 2: 'Not a directory'; Hadoop 3: 'ERROR: JAVA_HOME ... does not exist.')",
                fix_title=fix,
                anchor="JAVA_HOME",
            )
