"""Typed models of each format. Every element carries its source span."""
