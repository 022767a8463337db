"""Diagnostics the engine itself emits (CFG codes)."""
