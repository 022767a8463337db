"""ASA literal names: IP protocols, TCP/UDP ports, ICMP types (Cisco ASA command reference, "Addresses,
Protocols, and Ports" appendix), and small IP parsing helpers that never raise."""

from __future__ import annotations

import re
from functools import lru_cache
from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network, ip_address, ip_network

IPAddress = IPv4Address | IPv6Address
IPNetwork = IPv4Network | IPv6Network

# IP protocol literals. `ip` is any protocol (0); `tcp-udp` is handled by the callers (both 6 and 17).
PROTOCOLS: dict[str, int] = {
    "ip": 0,
    "icmp": 1,
    "igmp": 2,
    "ipinip": 4,
    "tcp": 6,
    "egp": 8,
    "igrp": 9,
    "udp": 17,
    "ipv6": 41,
    "gre": 47,
    "pptp": 47,
    "esp": 50,
    "ipsec": 50,
    "ah": 51,
    "icmp6": 58,
    "eigrp": 88,
    "ospf": 89,
    "nos": 94,
    "pim": 103,
    "pcp": 108,
    "snp": 109,
    "sctp": 132,
}
PROTOCOL_NAMES: dict[int, str] = {}
for _name, _num in PROTOCOLS.items():
    PROTOCOL_NAMES.setdefault(_num, _name)
PROTOCOL_NAMES[0] = "ip"

TCP, UDP, SCTP, ICMP, ICMP6 = 6, 17, 132, 1, 58
PORT_PROTOCOLS = frozenset({TCP, UDP, SCTP})
ICMP_PROTOCOLS = frozenset({ICMP, ICMP6})

_BOTH = {
    "cifs": 3020,
    "discard": 9,
    "domain": 53,
    "echo": 7,
    "http": 80,
    "kerberos": 88,
    "nfs": 2049,
    "pim-auto-rp": 496,
    "sip": 5060,
    "sunrpc": 111,
    "tacacs": 49,
    "talk": 517,
    "www": 80,
}
TCP_PORTS: dict[str, int] = {
    **_BOTH,
    "aol": 5190,
    "bgp": 179,
    "chargen": 19,
    "citrix-ica": 1494,
    "cmd": 514,
    "ctiqbe": 2748,
    "daytime": 13,
    "diameter": 3868,
    "exec": 512,
    "finger": 79,
    "ftp": 21,
    "ftp-data": 20,
    "gopher": 70,
    "h323": 1720,
    "hostname": 101,
    "https": 443,
    "ident": 113,
    "imap4": 143,
    "irc": 194,
    "klogin": 543,
    "kshell": 544,
    "ldap": 389,
    "ldaps": 636,
    "login": 513,
    "lotusnotes": 1352,
    "lpd": 515,
    "netbios-ssn": 139,
    "nntp": 119,
    "pcanywhere-data": 5631,
    "pop2": 109,
    "pop3": 110,
    "pptp": 1723,
    "rsh": 514,
    "rtsp": 554,
    "smtp": 25,
    "sqlnet": 1521,
    "ssh": 22,
    "telnet": 23,
    "uucp": 540,
    "whois": 43,
}
UDP_PORTS: dict[str, int] = {
    **_BOTH,
    "biff": 512,
    "bootpc": 68,
    "bootps": 67,
    "dnsix": 195,
    "isakmp": 500,
    "lisp": 4342,
    "mobile-ip": 434,
    "nameserver": 42,
    "netbios-dgm": 138,
    "netbios-ns": 137,
    "ntp": 123,
    "pcanywhere-status": 5632,
    "radius": 1645,
    "radius-acct": 1646,
    "rip": 520,
    "secureid-udp": 5510,
    "snmp": 161,
    "snmptrap": 162,
    "syslog": 514,
    "tftp": 69,
    "time": 37,
    "vxlan": 4789,
    "who": 513,
    "xdmcp": 177,
}

ICMP_TYPES: dict[str, int] = {
    "echo-reply": 0,
    "unreachable": 3,
    "source-quench": 4,
    "redirect": 5,
    "alternate-address": 6,
    "echo": 8,
    "router-advertisement": 9,
    "router-solicitation": 10,
    "time-exceeded": 11,
    "parameter-problem": 12,
    "timestamp-request": 13,
    "timestamp-reply": 14,
    "information-request": 15,
    "information-reply": 16,
    "mask-request": 17,
    "mask-reply": 18,
    "traceroute": 30,
    "conversion-error": 31,
    "mobile-redirect": 32,
}
ICMP6_TYPES: dict[str, int] = {
    "unreachable": 1,
    "packet-too-big": 2,
    "time-exceeded": 3,
    "parameter-problem": 4,
    "echo": 128,
    "echo-reply": 129,
    "membership-query": 130,
    "membership-report": 131,
    "membership-reduction": 132,
    "router-solicitation": 133,
    "router-advertisement": 134,
    "neighbor-solicitation": 135,
    "neighbor-advertisement": 136,
    "neighbor-redirect": 137,
    "router-renumbering": 138,
}

# Predefined service objects usable as `object NAME` in an ACE's protocol position (9.x): every IP
# protocol literal and `icmp-<type>`.
LOG_LEVELS = frozenset(
    {"emergencies", "alerts", "critical", "errors", "warnings", "notifications", "informational", "debugging"}
    | {str(i) for i in range(8)}
)


def protocol_number(text: str) -> int | None:
    """An IP protocol literal or number (0-255) -> its number; None when unknown. `tcp-udp` is None."""
    t = text.lower()
    n = PROTOCOLS.get(t)
    if n is not None:
        return n
    if t.isdigit() and len(t) <= 3:
        v = int(t)
        return v if v <= 255 else None
    return None


def port_number(text: str, protocol: int) -> int | None:
    """A port literal or number (0-65535) for a protocol -> its number; None when unknown.

    SCTP uses the TCP names. The names differ between TCP and UDP (514 is `cmd`/`rsh` in TCP, `syslog`
    in UDP)."""
    if text.isdigit():
        v = int(text)
        return v if v <= 65535 else None
    t = text.lower()
    if protocol == UDP:
        return UDP_PORTS.get(t)
    return TCP_PORTS.get(t)


def icmp_type_number(text: str, protocol: int = ICMP) -> int | None:
    if text.isdigit():
        v = int(text)
        return v if v <= 255 else None
    table = ICMP6_TYPES if protocol == ICMP6 else ICMP_TYPES
    return table.get(text.lower())


def builtin_service(name: str) -> tuple[int, int | None] | None:
    """A predefined service object name (`icmp-echo`, `ospf`, `tcp`...) -> (protocol, icmp type or None)."""
    n = name.lower()
    p = PROTOCOLS.get(n)
    if p is not None:
        return p, None
    if n.startswith("icmp-"):
        t = ICMP_TYPES.get(n[5:])
        if t is not None:
            return ICMP, t
    if n.startswith("icmp6-"):
        t = ICMP6_TYPES.get(n[6:])
        if t is not None:
            return ICMP6, t
    return None


# 1024, not more: these caches live for the whole run, and at 8192 entries each they held ~5 MiB of a
# cold run over 30 5k-line configs (bench/run.py) for a few more hits (same run time).
@lru_cache(maxsize=1024)
def parse_ip(text: str) -> IPAddress | None:
    """An IPv4/IPv6 address literal, or None (never raises)."""
    if not text or len(text) > 64:
        return None
    c = text[0]
    if not (c.isdigit() or c in "abcdefABCDEF:"):
        return None
    v = dotted_quad_int(text)
    if v is not None:
        return ipv4_of_int(v)
    try:
        return ip_address(text)
    except ValueError:
        return None


# A dotted quad exactly as `ipaddress` reads one (four ASCII decimal octets up to 255, no leading
# zero): the common case, built from its int (twice as fast as `ip_address`, which splits and checks
# each octet in Python). Anything else goes the `ip_address` way.
_OCTET = r"(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
_is_dotted_quad = re.compile(rf"{_OCTET}(?:\.{_OCTET}){{3}}").fullmatch
_new_object = object.__new__


def dotted_quad_int(text: str) -> int | None:
    """The int of an IPv4 address written as `ipaddress` reads one, or None (for anything else,
    which may still be an address: IPv6)."""
    if _is_dotted_quad(text) is None:
        return None
    a, b, c, d = text.split(".")
    return int(a) << 24 | int(b) << 16 | int(c) << 8 | int(d)


def ipv4_of_int(value: int) -> IPv4Address:
    """`IPv4Address(value)` for an int known to be in range, without the constructor's checks."""
    a = _new_object(IPv4Address)
    a._ip = value  # type: ignore[attr-defined]
    return a


def looks_ipv4(text: str) -> bool:
    return text.count(".") == 3 and text.replace(".", "").isdigit()


@lru_cache(maxsize=4096)
def mask_prefix(mask: str) -> int | None:
    """A dotted contiguous netmask -> its prefix length; None when not a contiguous mask."""
    a = parse_ip(mask)
    if not isinstance(a, IPv4Address):
        return None
    v = int(a)
    inv = (~v) & 0xFFFFFFFF
    if inv & (inv + 1):
        return None
    return 32 - inv.bit_length()


@lru_cache(maxsize=1024)
def network_of(address: str, mask: str | None) -> IPNetwork | None:
    """`A M` (or `A/len`, or a host when mask is None) -> the network with host bits cleared, or None."""
    try:
        if mask is None:
            if "/" in address:
                return ip_network(address, strict=False)
            a = parse_ip(address)
            return ip_network(a) if a is not None else None
        a = parse_ip(address)
        if not isinstance(a, IPv4Address):
            return None
        plen = mask_prefix(mask)
        if plen is None:
            return None
        return IPv4Network((int(a), plen), strict=False)
    except ValueError:
        return None
