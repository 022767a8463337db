"""Helpers shared by the cross-device ASA rules (ASA001-ASA005).

The pairing and the negotiation live in `cfglint.asa.ipsec` (computed once per run through
`ctx.cached`); these rules only turn one rung of each session into findings. Single-device helpers are
in `_single.py`.

Conventions
* A finding sits in the file of the side it is about and names the peer (hostname and address); the
  peer's matching line is its related location.
* A mismatch between two devices is one finding, not one per direction: `Once` keeps the first of
  the sessions that describe the same pair (sessions are sorted by initiator path, map, sequence).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import Any

from cfglint.api import ProjectContext, ProjectIndex, ProjectRule, Span
from cfglint.asa.expand import CryptoMapEntryView
from cfglint.asa.ipsec import IpsecAnalysis, Side, flow_text, ipsec_options, ipsec_sessions, sorted_flows
from cfglint.models.asa import AsaConfig

__all__ = [
    "AsaProjectRule",
    "Once",
    "entry_label",
    "flows_list",
    "match_span",
    "pair_key",
    "peer_label",
    "view_label",
]


class AsaProjectRule(ProjectRule, abstract=True):
    """Base of the cross-device ASA rules: they read the IPsec sessions of every ASA config of the run."""

    model_types = (AsaConfig,)
    kinds = ("asa",)
    example_language = "cisco"
    tags: tuple[str, ...] = ("asa", "ipsec", "cross-file")

    def analysis(self, index: ProjectIndex, ctx: ProjectContext) -> IpsecAnalysis:
        """The sessions of the run, computed once for ASA001-ASA005 (the options are part of the key)."""
        return ctx.cached(ipsec_sessions, index, ipsec_options(ctx.options))


class Once:
    """Remembers keys: `first(key)` is True the first time only."""

    def __init__(self) -> None:
        self._seen: set[Hashable] = set()

    def first(self, key: Hashable) -> bool:
        if key in self._seen:
            return False
        self._seen.add(key)
        return True


def pair_key(*parts: Any) -> frozenset:
    """An unordered key: the same for (A, B) and (B, A)."""
    return frozenset(parts)


def view_label(view: CryptoMapEntryView) -> str:
    """`crypto map OUTSIDE 10` / `crypto dynamic-map DYN 10`."""
    kind = "crypto dynamic-map" if view.dynamic else "crypto map"
    return f"{kind} {view.map.name} {view.entry.seq}"


def entry_label(side: Side) -> str:
    return view_label(side.view) if side.view is not None else side.host


def peer_label(side: Side) -> str:
    """`site-b (198.51.100.20)`."""
    return f"{side.host} ({side.address})" if side.address is not None else side.host


def match_span(view: CryptoMapEntryView) -> Span:
    """The entry's `match address` line, else its first line."""
    if view.entry.match_address is not None:
        return view.entry.match_address.span
    return view.entry.span


def flows_list(flows: Iterable[Any], limit: int = 4) -> str:
    """`a <-> b ip, c <-> d ip and 3 more`."""
    fl = sorted_flows(flows)
    shown = ", ".join(flow_text(f) for f in fl[:limit])
    if len(fl) > limit:
        shown += f" and {len(fl) - limit} more"
    return shown
