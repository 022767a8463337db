"""Lark grammars used by cfglint's parsers (package data)."""
