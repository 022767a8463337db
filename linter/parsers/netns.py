"""Parser of netns / veth / bridge / iptables scripts: the shared shell front end into a
`NetScript`. Never raises: parse problems are recorded on the model."""

from __future__ import annotations

from cfglint.models.netns import NetScript
from cfglint.shell import build


def parse_netns(data: bytes, path: str) -> NetScript:
    return build(data, path, NetScript)
