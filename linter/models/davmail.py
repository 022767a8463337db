"""DavMail's `davmail.properties`: every key DavMail reads, with its type and its effective value when
absent (what DavMail uses for a hand-written file that omits the key, not the template's value).

Source: ../shared/domain/davmail-hadoop.md part A (DavMail `Settings.java`, read at 3b87d523).
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from typing import Any

from cfglint.api import Span
from cfglint.models.properties import PropEntry, PropertiesFile

JAVA_INT_MIN, JAVA_INT_MAX = -(2**31), 2**31 - 1
_JAVA_INT_RE = re.compile(r"^[+-]?[0-9]+$")


class KeyType(str, enum.Enum):
    BOOL = "bool"
    INT = "int"
    PORT = "port"
    STR = "str"
    ENUM = "enum"
    PATH = "path"
    URL = "url"
    HOST = "host"
    SECRET = "secret"
    CSV = "csv"
    LEVEL = "log4j-level"
    SIZE = "log4j-size"


@dataclass(frozen=True)
class KeySpec:
    key: str
    type: KeyType
    # Effective value when the key is absent or empty, as DavMail uses it (Python value: bool, int,
    # str or None for "nothing").
    absent: Any = None
    meaning: str = ""
    choices: tuple[str, ...] = ()  # for ENUM: accepted values (current versions)
    legacy_choices: tuple[str, ...] = ()  # for ENUM: values older versions used, still accepted
    legacy: bool = False  # a key only older versions read
    replacement: str | None = None  # for legacy keys: what to use instead


def java_parse_boolean(raw: str) -> bool:
    """`Boolean.parseBoolean`: true only for case-insensitive "true", no trimming."""
    return raw.lower() == "true"


def java_parse_int(raw: str) -> int | None:
    """`Integer.parseInt`: optional sign and ASCII digits only, no blanks, within 32 bits. None on NFE."""
    if not _JAVA_INT_RE.match(raw):
        return None
    value = int(raw)
    if not JAVA_INT_MIN <= value <= JAVA_INT_MAX:
        return None
    return value


# Filled from the domain notes (A.4): every davmail.* key the code reads.
KEYS: dict[str, KeySpec] = {}

# Keys DavMail reads under a dynamic name (e-mail addresses, flag names).
DYNAMIC_KEYS: tuple[re.Pattern[str], ...] = ()

# Keys that hold secrets: their values never leave the process.
SECRET_KEYS: frozenset[str] = frozenset()


def is_secret_key(key: str) -> bool:
    spec = KEYS.get(key)
    if spec is not None and spec.type is KeyType.SECRET:
        return True
    return key in SECRET_KEYS or key.endswith((".refreshToken", "Password", "Pass")) or ".totpSecret" in key


@dataclass(frozen=True)
class Setting:
    """A key's effective state in one file, as DavMail reads it."""

    key: str
    spec: KeySpec | None
    entry: PropEntry | None  # the occurrence Java keeps (the last one), None when absent

    @property
    def present(self) -> bool:
        return self.entry is not None

    @property
    def raw(self) -> str | None:
        """The value as Java reads it ('' for `key=`), None when the key is absent."""
        return self.entry.value if self.entry is not None else None

    @property
    def empty(self) -> bool:
        """Absent or empty: DavMail's getProperty returns null and the default applies."""
        return self.entry is None or self.entry.value == ""

    @property
    def as_bool(self) -> bool:
        """`getBooleanProperty(key, default)`: the default when absent or empty, else parseBoolean."""
        if self.empty:
            default = self.spec.absent if self.spec is not None else False
            return bool(default)
        return java_parse_boolean(self.raw or "")

    @property
    def as_int(self) -> int | None:
        """`getIntProperty(key, default)`: the default when absent/empty or unparsable."""
        default = self.spec.absent if self.spec is not None and isinstance(self.spec.absent, int) else 0
        if self.empty:
            return default
        parsed = java_parse_int(self.raw or "")
        return default if parsed is None else parsed

    @property
    def int_valid(self) -> bool:
        """Whether a present, non-empty value is a Java int (False means NumberFormatException)."""
        return self.empty or java_parse_int(self.raw or "") is not None

    @property
    def secret(self) -> bool:
        return is_secret_key(self.key)

    @property
    def shown(self) -> str:
        """The value fit for a message: masked for secrets, '<absent>' when absent."""
        if self.entry is None:
            return "<absent>"
        if self.secret and self.entry.value:
            return "****"
        return self.entry.value

    @property
    def span(self) -> Span | None:
        return self.entry.span if self.entry is not None else None

    @property
    def value_span(self) -> Span | None:
        return self.entry.value_span if self.entry is not None else None


class DavmailProperties(PropertiesFile):
    kind = "davmail"

    def setting(self, key: str) -> Setting:
        return Setting(key=key, spec=KEYS.get(key), entry=self.last(key))

    def secrets(self) -> list[str]:
        return [e.value for e in self.entries if e.value and is_secret_key(e.key)]

    def secret_spans(self) -> list[Span]:
        return [e.value_span for e in self.entries if e.value and is_secret_key(e.key)]
