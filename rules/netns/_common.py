"""Helpers shared by the NET rules: the base class, the analysis with the family options, spans."""

from __future__ import annotations

from collections.abc import Iterator

from cfglint.api import Diagnostic, FileContext, FileRule, Related, Span
from cfglint.models.netns import NetScript
from cfglint.netns.simulate import Analysis, NetOp
from cfglint.netns.state import Event

OPTIONS_DOC = """- `external-namespaces` (list of globs, family option `[rules.NET]`): namespaces another tool
  manages, added to `qrouter-*`, `qdhcp-*`, `snat-*`, `fip-*`, `cni-*`.
- `wrappers` (list of names, family option): commands that run their arguments as a command
  (`do_or_die ip link ...`), seen through like `sudo`."""


class NetRule(FileRule, abstract=True):
    """Base of the NET rules: they read `NetScript` models and share its simulation."""

    kinds = ("netns",)
    model_type = NetScript
    example_language = "sh"

    def analysis(self, model: NetScript, ctx: FileContext) -> Analysis:
        return model.analysis(ctx.options)

    def check(self, model: NetScript, ctx: FileContext) -> Iterator[Diagnostic]:  # pragma: no cover
        raise NotImplementedError


def related_event(event: Event | None, message: str | None = None) -> list[Related]:
    if event is None:
        return []
    return [Related(event.span, message or event.text)]


def in_error_region(model: NetScript, op: NetOp) -> bool:
    return model.in_error_region(op.command.span) or (
        op.inv.site is not None and model.in_error_region(op.inv.site.span)
    )


def called_from(op: NetOp, at: Span | None = None) -> str:
    """`" (called at line N)"` for a command inside a function reached from a call site (nothing
    when the finding is reported on that call's line anyway)."""
    line = None
    site = op.inv.site
    if site is not None and site is not op.command:
        line = site.span.line
    elif op.inv.step is not None and op.inv.step.call_stack:
        line = op.inv.step.call_stack[-1].span.line
    if line is None or line == op.command.span.line:
        return ""
    if at is not None and at.line == line:
        return ""
    return f" (called at line {line})"


def dedupe(diags: Iterator[Diagnostic]) -> Iterator[Diagnostic]:
    seen: set[tuple] = set()
    for d in diags:
        key = (d.line, d.column, d.end_line, d.end_column, d.anchor or d.message)
        if key in seen:
            continue
        seen.add(key)
        yield d


def span_text(span: Span) -> str:
    return f"line {span.line}"
