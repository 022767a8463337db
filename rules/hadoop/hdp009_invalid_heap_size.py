from __future__ import annotations

from collections.abc import Iterator

from cfglint.api import Diagnostic, FileContext, Severity
from cfglint.hadoop.variables import HEAP_2X, HEAP_2X_RE, HEAP_3X, HEAP_3X_RE
from cfglint.models.hadoop import HadoopEnv
from cfglint.rules.hadoop._common import HadoopRule, effective_version, shown, version_note


def _flag(name: str) -> str:
    return "-Xms" if name.endswith("_MIN") else "-Xmx"


class InvalidHeapSize(HadoopRule):
    """A heap size Hadoop turns into an invalid JVM option (`HADOOP_HEAPSIZE=4g` -> `-Xmx4gm`).

    ## What it does
    Checks the heap-size variables the launchers turn into `-Xmx`/`-Xms`. Hadoop 2
    (`HADOOP_HEAPSIZE`, `YARN_HEAPSIZE`, `YARN_<DAEMON>_HEAPSIZE`,
    `HADOOP_JOB_HISTORYSERVER_HEAPSIZE`) always appends `m`: only a number of megabytes works.
    Hadoop 3 (`HADOOP_HEAPSIZE_MAX`, `HADOOP_HEAPSIZE_MIN`, and the same per-daemon names)
    appends `m` to a bare number and passes anything else as is: a number with one unit letter
    (`4g`, `512m`) works, `-Xmx4g`, `4gb`, `1.5g` or `4 g` do not. A value with a unit is flagged
    only when the file is known to be for Hadoop 2; a value no version accepts always.

    ## Why is this bad?
    The JVM refuses to start: `Invalid maximum heap size: -Xmx4gm` / `Error: Could not create
    the Java Virtual Machine.`, in the daemon's `.out` file, for every daemon at once.

    ## Example
    ```sh
    export JAVA_HOME=${JAVA_HOME}
    export HADOOP_HEAPSIZE=4g
    ```

    ## Use instead
    ```sh
    export JAVA_HOME=/usr/lib/jvm/java-8-openjdk-amd64
    export HADOOP_HEAPSIZE=4096
    ```

    ## Options
    - `hadoop-version` (`"2"` or `"3"`): the Hadoop version, when the file's content does not tell.

    ## References
    - Hadoop 2.7 `hadoop-config.sh` (`JAVA_HEAP_MAX="-Xmx""$HADOOP_HEAPSIZE""m"`), 3.1
      `hadoop-functions.sh` `hadoop_finalize_hadoop_heap`; ../shared/domain/davmail-hadoop.md B.3
    """

    code = "HDP009"
    name = "invalid-heap-size"
    severity = Severity.ERROR
    tags = ("hadoop", "correctness")

    def check(self, model: HadoopEnv, ctx: FileContext) -> Iterator[Diagnostic]:
        version, how = effective_version(model, ctx.options)
        for a in model.assignments:
            name = a.name
            in2, in3 = name in HEAP_2X, name in HEAP_3X
            if not (in2 or in3) or a.value is None or model.in_error_region(a.span):
                continue
            texts = a.value.texts
            if not texts:
                continue
            for text in texts:
                if text is None or text == "":
                    continue
                ok3 = bool(HEAP_3X_RE.match(text))
                ok2 = bool(HEAP_2X_RE.match(text))
                message = None
                if version is None and in2 and in3 and not ok3:
                    message = (
                        f"{name}={shown(text)}: Hadoop 2 makes it `-Xmx{text}m`, Hadoop 3 `-Xmx{text}`, and the JVM"
                        " rejects both ('Invalid maximum heap size'): a number of megabytes works on every version"
                    )
                    fix = f"Write the size in megabytes without a unit: `{name}={_megabytes(text) or '4096'}`"
                elif in2 and version != "3" and not ok2 and (version == "2" or not in3 or not ok3):
                    message = (
                        f"{name}={shown(text)}: Hadoop 2 appends 'm' to it, giving `-Xmx{text}m`, which the JVM rejects"
                        " ('Invalid maximum heap size'); Hadoop 2 takes a number of megabytes only"
                        f"{version_note(how)}"
                    )
                    fix = f"Write the size in megabytes without a unit: `{name}={_megabytes(text) or '4096'}`"
                elif in3 and version != "2" and not ok3:
                    flag = _flag(name)
                    message = (
                        f"{name}={shown(text)}: Hadoop 3 passes it as `{flag}{text}`, which the JVM rejects"
                        f" ('Invalid {'initial' if flag == '-Xms' else 'maximum'} heap size'); it takes a number"
                        f" with an optional unit (k, m, g, t){version_note(how)}"
                    )
                    fix = f"Write a number with an optional unit: `{name}={_sized(text) or '4g'}`"
                if message is not None:
                    yield self.diagnostic(a.span, message, fix_title=fix, anchor=name)
                    break


def _number_unit(text: str) -> tuple[float, str] | None:
    t = text.strip().lower().removeprefix("-xmx").removeprefix("-xms").replace(" ", "")
    for suffix in ("b",):
        if t.endswith(suffix) and len(t) > 1 and t[-2] in "kmgt":
            t = t[:-1]
    unit = t[-1] if t and t[-1] in "kmgt" else "m"
    digits = t[:-1] if t and t[-1] in "kmgt" else t
    try:
        return float(digits), unit
    except ValueError:
        return None


def _megabytes(text: str) -> str | None:
    nu = _number_unit(text)
    if nu is None:
        return None
    n, unit = nu
    mb = n * {"k": 1 / 1024, "m": 1, "g": 1024, "t": 1024 * 1024}[unit]
    return str(int(mb)) if mb >= 1 else None


def _sized(text: str) -> str | None:
    mb = _megabytes(text)
    return f"{mb}m" if mb else None
