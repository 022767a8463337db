"""netns / veth / bridge / iptables scripts: argv readers for the tools (`iproute`, `iptables`,
`tools`: brctl, sysctl, nft, ovs-vsctl), identities of names (`refs`), the state lattice (`state`)
and the simulation of what a script builds (`simulate`). The NET rules read `Analysis` objects
(`cfglint.models.netns.NetScript.analysis`)."""

from cfglint.netns.iproute import IpCommand, parse_ip
from cfglint.netns.iptables import IptCommand, parse_iptables
from cfglint.netns.refs import DIFFERENT, MAYBE, SAME, Ref, ref_of, relation

__all__ = [
    "DIFFERENT",
    "IpCommand",
    "IptCommand",
    "MAYBE",
    "Ref",
    "SAME",
    "parse_ip",
    "parse_iptables",
    "ref_of",
    "relation",
]
