"""Parsers by file kind. Imported lazily: a run loads only the parsers of the kinds it meets.

A parser is `parse(data: bytes, path: str) -> SourceModel`. It never raises on bad input: problems
become `ParseProblem`s on the model (the engine still guards against a parser bug and reports it).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from cfglint.api import SourceModel

Parser = Callable[[bytes, str], SourceModel]

# kind -> "module:function"
PARSERS: dict[str, str] = {
    "davmail": "cfglint.parsers.properties:parse_davmail",
    "asa": "cfglint.parsers.asa:parse_asa",
    "netns": "cfglint.parsers.netns:parse_netns",
    "hadoop-env": "cfglint.parsers.hadoop:parse_hadoop_env",
    "shell-profile": "cfglint.parsers.hadoop:parse_shell_profile",
}


def parser_for(kind: str) -> Parser | None:
    target = PARSERS.get(kind)
    if target is None:
        return None
    module, _, func = target.partition(":")
    return getattr(importlib.import_module(module), func)
