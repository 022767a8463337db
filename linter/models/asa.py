"""Cisco ASA (and PIX/FWSM) running-config: a typed model with spans.

Filled by `cfglint.parsers.asa`. Covers ASA 7.x, 8.0-8.2 (`crypto isakmp`, `crypto ipsec transform-set`,
`names`, `nat 0 access-list`, `global`, `static`, `pre-shared-key` under ipsec-attributes) through 8.3+/9.x
(`object network` with object NAT, twice NAT, `crypto ikev1|ikev2`, `set ikev1 transform-set`, `ikev2
ipsec-proposal`, `ikev1 pre-shared-key`). Lines the model does not know are kept as `RawLine`/`RawBlock`.

Conventions
* Every element has a `span` (1-based lines/columns, end column exclusive). Structural elements
  (interfaces, objects, groups, ACLs, NAT, crypto, tunnel-groups) are frozen slotted models (`Node`,
  standard-library dataclasses: see `cfglint.models.base`).
  The innermost high-count ones (`Leaf`: ACL entries and their operands, group members, names, raw
  lines) are frozen slotted dataclasses whose `span` is a property built from a compact `pos` shared by
  the elements of one line (a 5k-line config keeps ~3 MB of model; see bench/asa_parse.py).
  Both are immutable and hashable; sequences in leaves are tuples.
  A block (interface, object, object-group, policy, attribute block) spans its header and all its
  sub-lines; a crypto map entry written as several `crypto map NAME SEQ ...` lines spans its first line,
  and each setting carries its own span.
* Values are kept as written (names, ports, protocols); resolution (names, objects, nested groups, port
  names) is done by the analyses in `cfglint.asa` (also reachable as methods of `AsaConfig`).
* Secret values (`Secret.value`) are `SecretStr` (`cfglint.models.base`): never in a repr, a `str()` or
  a `dump()`.
  Compare keys with `Secret.same_as()`; `AsaConfig.secrets()` / `secret_spans()` feed the engine's masking.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from ipaddress import IPv4Address, IPv4Interface, IPv4Network, IPv6Address, IPv6Interface, IPv6Network
from typing import TYPE_CHECKING, Any, ClassVar, Literal, NamedTuple, Union

from cfglint.api import Node, SourceModel, Span
from cfglint.models.base import SecretStr, fast_init, private

if TYPE_CHECKING:  # pragma: no cover
    from cfglint.asa.expand import (
        CryptoMapEntryView,
        Expansion,
        FlowSet,
        NetResolution,
        Reference,
        ServiceResolution,
    )

IPAddress = Union[IPv4Address, IPv6Address]
IPNetwork = Union[IPv4Network, IPv6Network]

__all__ = [
    "AccessGroup",
    "AccessList",
    "AccessListEntry",
    "Address",
    "AsaConfig",
    "AsaNode",
    "AsaVersion",
    "Credential",
    "CryptoDynamicRef",
    "CryptoIkev2Proposals",
    "CryptoMap",
    "CryptoMapBinding",
    "CryptoMapEntry",
    "CryptoMatchAddress",
    "CryptoPeer",
    "CryptoPfs",
    "CryptoSaLifetime",
    "CryptoTransformSets",
    "GroupCycle",
    "GroupRef",
    "IcmpMember",
    "IkeEnable",
    "IkePolicy",
    "Interface",
    "InterfaceAddress",
    "InterfaceIpv6Address",
    "IpsecProposal",
    "Leaf",
    "IsakmpKey",
    "LegacyGlobal",
    "LegacyNat",
    "LegacyStatic",
    "NameAlias",
    "NatTraversal",
    "NetworkMember",
    "NetworkObject",
    "ObjectGroup",
    "ObjectNat",
    "PortMatch",
    "PortMember",
    "Pos",
    "Protocol",
    "ProtocolMember",
    "RawBlock",
    "RawLine",
    "Secret",
    "SecurityMember",
    "ServiceMember",
    "ServiceObject",
    "ServiceSpec",
    "TransformSet",
    "TunnelGroup",
    "TunnelGroupIpsec",
    "TwiceNat",
    "UserMember",
]


# --------------------------------------------------------------------------------------------------
# Raw nodes


class AsaNode(Node):
    """Base of the structural elements (frozen slotted models, see `cfglint.models.base`). The parser
    builds them by the thousand: construction stores the fields through the slots, no validation."""


def _fast_init(cls: Any) -> Any:
    """Give a frozen slotted dataclass (a `Leaf`) an `__init__` that stores through the slot
    descriptors (`cfglint.models.base.fast_init`, what every model gets): ~2x faster than the generated
    frozen one (ACL entries are built by the thousand), same signature, same immutability."""
    return fast_init(cls)


class Pos(NamedTuple):
    """Where a leaf element sits (one object shared by the elements of a line)."""

    path: str
    line: int
    column: int
    end_line: int
    end_column: int


@_fast_init
@dataclass(frozen=True, slots=True, kw_only=True)
class Leaf:
    """Base of the high-count leaf elements: `span` is built on demand from `pos`."""

    pos: Pos = field(repr=False)

    @property
    def span(self) -> Span:
        p = self.pos
        return Span(path=p.path, line=p.line, column=p.column, end_line=p.end_line, end_column=p.end_column)


@_fast_init
@dataclass(frozen=True, slots=True, kw_only=True)
class RawLine(Leaf):
    """A line the model does not interpret (kept with its span). `text` is stripped of indentation."""

    text: str


@_fast_init
@dataclass(frozen=True, slots=True, kw_only=True)
class RawBlock(Leaf):
    """A line with indented sub-lines the model does not interpret (`span` covers them all)."""

    text: str
    children: tuple[Union[RawLine, RawBlock], ...] = ()


RawNode = Union[RawLine, RawBlock]


# --------------------------------------------------------------------------------------------------
# Secrets


class Secret(AsaNode):
    """A key or password value as written. `span` covers the value only (what the engine masks).

    kind: `cleartext` (usable as is), `encrypted` (type 7/8, `encrypted`/`pbkdf2` suffixes: the value is
    an encrypted or hashed blob), `masked` (`*****`, as `show running-config` prints it) or `absent`
    (the keyword without a value). `value` is None for masked/absent.
    """

    kind: Literal["cleartext", "encrypted", "masked", "absent"]
    value: SecretStr | None = field(default=None, repr=False)

    @property
    def verifiable(self) -> bool:
        """True only for a cleartext value: the only kind two configs can be compared on."""
        return self.kind == "cleartext" and self.value is not None

    def same_as(self, other: Secret | None) -> bool | None:
        """Whether two keys are equal: None when either cannot be verified (masked, encrypted, absent).

        Never returns or prints the values."""
        if other is None or not self.verifiable or not other.verifiable:
            return None
        return self.value.get_secret_value() == other.value.get_secret_value()  # type: ignore[union-attr]

    def __str__(self) -> str:  # never the value
        return f"<{self.kind} secret>"


class Credential(AsaNode):
    """A password/key line that is not a tunnel-group PSK: `enable password`, `passwd`, `username ...
    password`, `snmp-server community`, `aaa-server` `key`, `ntp authentication-key`, `failover key`,
    IOS-style keyrings and key chains... `span` is the whole line; `secret.span` the value."""

    kind: str  # "enable-password", "passwd", "username", "snmp-community", "aaa-key", ...
    user: str | None = None  # the user (username), the level (enable password) or the peer, when any
    secret: Secret


# --------------------------------------------------------------------------------------------------
# Header, names, interfaces


class AsaVersion(AsaNode):
    """`ASA Version 9.8(4)`, `PIX Version 6.3(5)`, `FWSM Version 3.2(4)`."""

    platform: Literal["ASA", "PIX", "FWSM"]
    text: str  # the version as written, e.g. "9.0(3)", "9.7(1)24"
    numbers: tuple[int, ...]  # comparable: (9, 0, 3), (9, 7, 1, 24); () when unreadable

    def at_least(self, *version: int) -> bool:
        return self.numbers >= version

    def before(self, *version: int) -> bool:
        return bool(self.numbers) and self.numbers < version


@_fast_init
@dataclass(frozen=True, slots=True, kw_only=True)
class NameAlias(Leaf):
    """`name 10.0.0.5 web01 [description ...]` (usable once `names` is on)."""

    name: str
    address: IPAddress
    description: str | None = None


class InterfaceAddress(AsaNode):
    """`ip address A M [standby S]` (or PIX 6 `ip address NAMEIF A M`)."""

    address: IPv4Address
    mask: IPv4Address
    standby: IPv4Address | None = None

    @property
    def interface(self) -> IPv4Interface:
        return IPv4Interface(f"{self.address}/{self.mask}")

    @property
    def network(self) -> IPv4Network:
        return self.interface.network


class InterfaceIpv6Address(AsaNode):
    """`ipv6 address 2001:db8::1/64 [standby 2001:db8::2]` (`link-local` addresses flagged)."""

    interface: IPv6Interface
    standby: IPv6Address | None = None
    link_local: bool = False

    @property
    def address(self) -> IPv6Address:
        return self.interface.ip


class Interface(AsaNode):
    """`interface NAME` block (or the PIX 6 `nameif PHYS NAME securityN` form)."""

    name: str  # physical/logical interface name: GigabitEthernet0/1, Vlan100, Port-channel1.10
    nameif: str | None = None
    security_level: int | None = None  # as written (None: not written)
    address: InterfaceAddress | None = None
    dhcp: bool = False  # ip address dhcp
    pppoe: bool = False  # ip address pppoe
    ipv6_addresses: list[InterfaceIpv6Address] = []
    shutdown: bool = False
    description: str | None = None
    vlan: int | None = None
    management_only: bool = False
    other: list[RawNode] = []

    @property
    def effective_security_level(self) -> int:
        """The security level in force: as written, else 100 for nameif `inside`, else 0."""
        if self.security_level is not None:
            return self.security_level
        return 100 if (self.nameif or "").lower() == "inside" else 0

    def addresses(self, standby: bool = True) -> list[IPAddress]:
        """Active (and standby) IPv4 and IPv6 addresses of the interface."""
        out: list[IPAddress] = []
        if self.address is not None:
            out.append(self.address.address)
            if standby and self.address.standby is not None:
                out.append(self.address.standby)
        for a6 in self.ipv6_addresses:
            out.append(a6.address)
            if standby and a6.standby is not None:
                out.append(a6.standby)
        return out


# --------------------------------------------------------------------------------------------------
# Operands


@_fast_init
@dataclass(frozen=True, slots=True, kw_only=True)
class Address(Leaf):
    """An address operand as written (ACL source/destination, `network-object`, NAT operand).

    kind:
      any / any4 / any6            - the keywords (`any` is IPv4 only before 9.0, IPv4+IPv6 from 9.0)
      host                         - `host X`: `address` is an IP or a `name` alias
      subnet                       - `A M`: `address` (IP or name) and dotted `mask`
      prefix                       - IPv6 `2001:db8::/32` (or `a.b.c.d/len`)
      object / object-group        - `name` is the referenced object / group
      interface                    - `interface NAMEIF`: `name` is the nameif
    `literal` is the network when address (and mask) are literal IPs (host bits cleared, as the
    ASA does), None for names and references (computed on access).
    """

    kind: Literal["any", "any4", "any6", "host", "subnet", "prefix", "object", "object-group", "interface"]
    address: str | None = None
    mask: str | None = None
    name: str | None = None

    @property
    def literal(self) -> IPNetwork | None:
        if self.address is None:
            return None
        from cfglint.asa.tables import network_of

        return network_of(self.address, self.mask)

    def __str__(self) -> str:
        k = self.kind
        if k in ("any", "any4", "any6"):
            return k
        if k == "host":
            return f"host {self.address}"
        if k == "subnet":
            return f"{self.address} {self.mask}"
        if k == "prefix":
            return str(self.address)
        return f"{k} {self.name}"


@_fast_init
@dataclass(frozen=True, slots=True, kw_only=True)
class PortMatch(Leaf):
    """A port operator: `eq X`, `neq X`, `lt X`, `gt X`, `range A B`, or `object-group G` (a service
    group of `port-object`s). `values` are as written (numbers or ASA port names)."""

    op: Literal["eq", "neq", "lt", "gt", "range", "object-group"]
    values: tuple[str, ...]

    def __str__(self) -> str:
        return f"{self.op} {' '.join(self.values)}"


@_fast_init
@dataclass(frozen=True, slots=True, kw_only=True)
class Protocol(Leaf):
    """The protocol operand of an extended ACE: a name/number (`ip`, `tcp`, `50`), or a reference to a
    service object (`object S`) or a protocol/service group (`object-group G`)."""

    kind: Literal["name", "number", "object", "object-group"]
    value: str

    def __str__(self) -> str:
        return self.value if self.kind in ("name", "number") else f"{self.kind} {self.value}"


@_fast_init
@dataclass(frozen=True, slots=True, kw_only=True)
class ServiceSpec(Leaf):
    """`service-object`/`service` body: `PROTO [source OP] [destination OP]` or `icmp [type [code]]`.

    protocol as written: tcp, udp, tcp-udp, icmp, icmp6, ip, sctp, a number or an IP protocol name."""

    protocol: str
    source: PortMatch | None = None
    destination: PortMatch | None = None
    icmp_type: str | None = None
    icmp_code: str | None = None


# --------------------------------------------------------------------------------------------------
# Objects and object-groups


class ObjectNat(AsaNode):
    """Object NAT (8.3+), a `nat` line inside `object network NAME`.

    `nat [(real_if,mapped_if)] static|dynamic MAPPED [options]`. MAPPED: an object/group name, an IP,
    `interface`, or `pat-pool POOL` (then `pat_pool` is set and `mapped` is None)."""

    object_name: str
    real_interface: str | None = None
    mapped_interface: str | None = None
    nat_type: Literal["static", "dynamic"]
    mapped: str | None = None
    pat_pool: str | None = None
    interface_fallback: bool = False  # `... dynamic OBJ interface`
    service: list[str] | None = None  # `service PROTO REAL_PORT MAPPED_PORT`
    options: list[str] = []  # dns, no-proxy-arp, route-lookup, net-to-net, flat, ...


class NetworkObject(AsaNode):
    """`object network NAME` with host/subnet/range/fqdn (and object NAT lines, also from later blocks
    of the same object)."""

    name: str
    kind: Literal["host", "subnet", "range", "fqdn"] | None = None
    host: IPAddress | None = None
    subnet: IPNetwork | None = None
    range_start: IPAddress | None = None
    range_end: IPAddress | None = None
    fqdn: str | None = None
    fqdn_family: Literal["v4", "v6"] | None = None
    description: str | None = None
    value_span: Span | None = None  # the host/subnet/range/fqdn line
    nat: list[ObjectNat] = []
    other: list[RawNode] = []


class ServiceObject(AsaNode):
    """`object service NAME` + `service PROTO [source OP] [destination OP]`."""

    name: str
    service: ServiceSpec | None = None
    description: str | None = None
    other: list[RawNode] = []


@_fast_init
@dataclass(frozen=True, slots=True, kw_only=True)
class NetworkMember(Leaf):
    """`network-object host X | A M | prefix | object O` in a network group."""

    address: Address


@_fast_init
@dataclass(frozen=True, slots=True, kw_only=True)
class GroupRef(Leaf):
    """`group-object NAME` (any group type)."""

    name: str


@_fast_init
@dataclass(frozen=True, slots=True, kw_only=True)
class ServiceMember(Leaf):
    """`service-object PROTO [source OP] [destination OP]` or `service-object object S`."""

    service: ServiceSpec | None = None
    object_ref: str | None = None


@_fast_init
@dataclass(frozen=True, slots=True, kw_only=True)
class PortMember(Leaf):
    """`port-object eq X | range A B` in a `object-group service NAME tcp|udp|tcp-udp` group."""

    port: PortMatch


@_fast_init
@dataclass(frozen=True, slots=True, kw_only=True)
class ProtocolMember(Leaf):
    """`protocol-object PROTO` in a protocol group."""

    protocol: str


@_fast_init
@dataclass(frozen=True, slots=True, kw_only=True)
class IcmpMember(Leaf):
    """`icmp-object TYPE` in an icmp-type group."""

    icmp_type: str


@_fast_init
@dataclass(frozen=True, slots=True, kw_only=True)
class UserMember(Leaf):
    """`user [DOMAIN\\]NAME` / `user-group [DOMAIN\\\\]NAME` in a user group."""

    kind: Literal["user", "user-group"]
    name: str


@_fast_init
@dataclass(frozen=True, slots=True, kw_only=True)
class SecurityMember(Leaf):
    """`security-group name X | tag N` in a security group."""

    kind: Literal["name", "tag"]
    value: str


GroupMember = Union[
    NetworkMember,
    GroupRef,
    ServiceMember,
    PortMember,
    ProtocolMember,
    IcmpMember,
    UserMember,
    SecurityMember,
    RawLine,
    RawBlock,
]


class ObjectGroup(AsaNode):
    """`object-group TYPE NAME [PROTO]` with its members, in order.

    group_type: network, service, protocol, icmp-type, user, security (or another word as written).
    protocol: for `object-group service NAME tcp|udp|tcp-udp` (port-object groups), else None.
    cycle: when the group is part of a `group-object` cycle, the groups of that cycle (else None);
    expansion never loops (the model-level `AsaConfig.group_cycles` lists each cycle once, with the span
    of the `group-object` line that closes it)."""

    name: str
    group_type: str
    protocol: str | None = None
    description: str | None = None
    members: list[GroupMember] = []
    cycle: list[str] | None = None

    @property
    def group_refs(self) -> list[GroupRef]:
        return [m for m in self.members if isinstance(m, GroupRef)]


class GroupCycle(AsaNode):
    """A `group-object` cycle: `groups` in reference order (groups[0] -> groups[1] -> ... -> groups[0]);
    the span is the `group-object` line that closes the cycle."""

    groups: list[str]


# --------------------------------------------------------------------------------------------------
# Access lists


@_fast_init
@dataclass(frozen=True, slots=True, kw_only=True)
class AccessListEntry(Leaf):
    """One `access-list` line.

    acl_type: extended, standard, remark, webtype, ethertype (webtype/ethertype kept opaque: `text`).
    Extended: `protocol`, `src` [`src_port`], `dst` [`dst_port` | `icmp_type` | `icmp_group`].
    Standard ACEs match a destination: the one address is in `dst` (src is None).
    `index`: position in its ACL (0-based, remarks included); `line_number`: an explicit `line N`.
    `log`: None without `log`, "" for a bare `log`, else its arguments ("disable", "informational
    interval 300"). `unparsed`: trailing tokens the parser did not understand (kept, not an error).
    `src_identity`/`dst_identity`: identity-firewall / TrustSec arguments (`user X`, `object-group-user
    G`, `security-group tag N`...) written before the address, kept as tokens.
    """

    acl: str
    acl_type: Literal["extended", "standard", "remark", "webtype", "ethertype"]
    index: int = 0
    line_number: int | None = None
    action: Literal["permit", "deny"] | None = None
    protocol: Protocol | None = None
    src: Address | None = None
    src_port: PortMatch | None = None
    dst: Address | None = None
    dst_port: PortMatch | None = None
    icmp_type: str | None = None  # "echo", "8", "unreachable 3" (type and code)
    icmp_group: str | None = None  # `object-group ICMP_GROUP` after the destination
    src_identity: tuple[str, ...] = ()
    dst_identity: tuple[str, ...] = ()
    log: str | None = None
    inactive: bool = False
    time_range: str | None = None
    remark: str | None = None
    unparsed: tuple[str, ...] = ()
    text: str = ""  # the whole line, stripped

    @property
    def is_rule(self) -> bool:
        """A permit/deny entry (not a remark, not webtype/ethertype)."""
        return self.acl_type in ("extended", "standard") and self.action is not None

    @property
    def active(self) -> bool:
        return self.is_rule and not self.inactive


class AccessList(AsaNode):
    """All lines of one ACL name, in order (span: the first line to the last)."""

    name: str
    entries: list[AccessListEntry] = []

    @property
    def rules(self) -> list[AccessListEntry]:
        return [e for e in self.entries if e.is_rule]


class AccessGroup(AsaNode):
    """`access-group ACL in|out interface NAMEIF [per-user-override|control-plane]` / `access-group ACL global`."""

    acl: str
    direction: Literal["in", "out", "global"]
    interface: str | None = None
    options: list[str] = []


# --------------------------------------------------------------------------------------------------
# NAT


class LegacyNat(AsaNode):
    """8.2 and earlier `nat (IF) ID access-list ACL | A M [options]`. ID 0 with an ACL is NAT exemption."""

    interface: str
    nat_id: int
    acl: str | None = None
    address: Address | None = None
    options: list[str] = []

    @property
    def exemption(self) -> bool:
        return self.nat_id == 0 and self.acl is not None


class LegacyGlobal(AsaNode):
    """8.2 and earlier `global (IF) ID interface | IP | IP1-IP2 [netmask M]`."""

    interface: str
    nat_id: int
    mapped: str
    netmask: str | None = None


class LegacyStatic(AsaNode):
    """8.2 and earlier `static (REAL_IF,MAPPED_IF) [tcp|udp] MAPPED [MPORT] REAL [RPORT] [netmask M]`
    or `... MAPPED access-list ACL` (policy static)."""

    real_interface: str
    mapped_interface: str
    protocol: str | None = None
    mapped: str
    mapped_port: str | None = None
    real: str | None = None
    real_port: str | None = None
    netmask: str | None = None
    acl: str | None = None
    options: list[str] = []


class TwiceNat(AsaNode):
    """8.3+ twice NAT (manual NAT):
    `nat [(REAL_IF,MAPPED_IF)] [line N|after-auto] source static|dynamic REAL MAPPED
     [destination static MAPPED_DST REAL_DST] [service REAL MAPPED] [options] [inactive] [description ...]`.

    Operands are as written: an object or group name, `any`, or `interface`. Note the destination
    order of the ASA syntax: mapped first, then real. NAT exemption is the identity form
    (`is_identity`)."""

    real_interface: str | None = None
    mapped_interface: str | None = None
    section: Literal["manual", "after-auto"] = "manual"
    line_number: int | None = None
    source_type: Literal["static", "dynamic"]
    source_real: str
    source_mapped: str | None = None
    source_pat_pool: str | None = None
    destination_type: Literal["static"] | None = None
    destination_mapped: str | None = None
    destination_real: str | None = None
    service: list[str] | None = None
    options: list[str] = []
    inactive: bool = False
    description: str | None = None

    @property
    def is_identity(self) -> bool:
        """Static identity NAT (source, and destination when present, mapped to themselves)."""
        if self.source_type != "static" or self.source_real != self.source_mapped:
            return False
        if self.destination_type is not None and self.destination_real != self.destination_mapped:
            return False
        return True


# --------------------------------------------------------------------------------------------------
# Crypto


class CryptoMatchAddress(AsaNode):
    """`crypto map NAME SEQ match address ACL`."""

    acl: str


class CryptoPeer(AsaNode):
    """One address of `set peer A [B ...]` (span: the token). `address` is the IP, from a literal or a
    `name` alias; None when it cannot be resolved (a host name)."""

    text: str
    address: IPAddress | None = None


class CryptoTransformSets(AsaNode):
    """`set transform-set T...` (7.x/8.2, `ikev1=False`) or `set ikev1 transform-set T...` (8.4+)."""

    names: list[str]
    ikev1_keyword: bool = True


class CryptoIkev2Proposals(AsaNode):
    """`set ikev2 ipsec-proposal P...`."""

    names: list[str]


class CryptoPfs(AsaNode):
    """`set pfs [groupN]` (`group` None: the ASA default, group2 for IKEv1) or `set ikev1|ikev2 pfs`."""

    group: str | None = None


class CryptoSaLifetime(AsaNode):
    """`set security-association lifetime seconds N | kilobytes N|unlimited` (both may be on one line)."""

    seconds: int | None = None
    kilobytes: int | None = None
    kilobytes_unlimited: bool = False


class CryptoDynamicRef(AsaNode):
    """`crypto map NAME SEQ ipsec-isakmp dynamic DYNMAP`."""

    dynamic_map: str


class CryptoMapEntry(AsaNode):
    """One sequence of a crypto map (or dynamic map), gathered from all its lines (the ASA form
    `crypto map NAME SEQ set ...`, and the indented form under `crypto map NAME SEQ [ipsec-isakmp]`).
    When a setting is written twice the last one wins (as on the device). `lines` are all its lines."""

    map_name: str
    seq: int
    dynamic: bool = False  # an entry of a `crypto dynamic-map`
    match_address: CryptoMatchAddress | None = None
    peers: list[CryptoPeer] = []
    transform_sets: CryptoTransformSets | None = None
    ikev2_proposals: CryptoIkev2Proposals | None = None
    pfs: CryptoPfs | None = None
    sa_lifetime: CryptoSaLifetime | None = None
    nat_t_disable: bool = False
    dynamic_ref: CryptoDynamicRef | None = None
    ipsec_manual: bool = False
    other: list[RawLine] = []  # other settings (connection-type, phase1-mode, reverse-route, ...)
    lines: list[Span] = []

    @property
    def acl(self) -> str | None:
        return self.match_address.acl if self.match_address is not None else None

    @property
    def transform_set_names(self) -> list[str]:
        return list(self.transform_sets.names) if self.transform_sets is not None else []

    @property
    def ikev2_proposal_names(self) -> list[str]:
        return list(self.ikev2_proposals.names) if self.ikev2_proposals is not None else []


class CryptoMapBinding(AsaNode):
    """`crypto map NAME interface NAMEIF`."""

    map_name: str
    interface: str


class CryptoMap(AsaNode):
    """A crypto map (or dynamic map) with its entries sorted by sequence; `interfaces` are the nameifs
    it is bound to (static maps only)."""

    name: str
    dynamic: bool = False
    entries: list[CryptoMapEntry] = []
    interfaces: list[str] = []

    def entry(self, seq: int) -> CryptoMapEntry | None:
        for e in self.entries:
            if e.seq == seq:
                return e
        return None


class IkePolicy(AsaNode):
    """`crypto isakmp policy N` (7.x/8.2), `crypto ikev1 policy N` (8.4+) or `crypto ikev2 policy N`,
    block or one-line form. Values are as written (lowercased); lists keep the written order.

    IKEv1: `authentication`, `encryption` (one), `hash` (one), `groups` (one), `lifetime`.
    IKEv2: `encryption`, `integrity`, `prf`, `groups` lists, `lifetime` (None also for `lifetime seconds
    none`: `lifetime_none`)."""

    version: Literal[1, 2]
    keyword: Literal["isakmp", "ikev1", "ikev2"]
    priority: int
    authentication: str | None = None
    encryption: list[str] = []
    hash: list[str] = []
    integrity: list[str] = []
    prf: list[str] = []
    groups: list[str] = []
    lifetime: int | None = None
    lifetime_none: bool = False
    other: list[RawNode] = []

    # IKEv1 defaults of the ASA (`crypto ikev1 policy`, command reference): pre-share, 3des, sha,
    # group 2, 86400 s. IKEv2 values have no single default and are left to the rules.
    @property
    def effective_authentication(self) -> str:
        return self.authentication or "pre-share"

    @property
    def effective_encryption(self) -> list[str]:
        return self.encryption or (["3des"] if self.version == 1 else [])

    @property
    def effective_hash(self) -> list[str]:
        return self.hash or (["sha"] if self.version == 1 else [])

    @property
    def effective_groups(self) -> list[str]:
        return self.groups or (["2"] if self.version == 1 else [])

    @property
    def effective_lifetime(self) -> int | None:
        if self.lifetime_none:
            return None
        return self.lifetime if self.lifetime is not None else 86400


class TransformSet(AsaNode):
    """`crypto ipsec transform-set NAME T...` (7.x/8.2) or `crypto ipsec ikev1 transform-set NAME T...`.

    `transforms` lowercased, IOS two-token forms joined (`esp-aes 256` -> `esp-aes-256`)."""

    name: str
    ikev1_keyword: bool = False
    transforms: list[str] = []
    mode: str | None = None  # `... NAME mode transport` (None: tunnel, the default)

    @property
    def encryption(self) -> str | None:
        for t in self.transforms:
            if t.startswith("esp-") and not t.endswith("-hmac") and t != "esp-none":
                return t
        return None

    @property
    def integrity(self) -> str | None:
        for t in self.transforms:
            if t.endswith("-hmac") or t == "esp-none":
                return t
        return None


class IpsecProposal(AsaNode):
    """`crypto ipsec ikev2 ipsec-proposal NAME` with `protocol esp encryption ...` / `integrity ...`."""

    name: str
    encryption: list[str] = []
    integrity: list[str] = []
    other: list[RawNode] = []


class IkeEnable(AsaNode):
    """`crypto isakmp enable IF` (IKEv1, 7.x/8.2), `crypto ikev1 enable IF`, `crypto ikev2 enable IF`."""

    version: Literal[1, 2]
    keyword: Literal["isakmp", "ikev1", "ikev2"]
    interface: str
    options: list[str] = []


class NatTraversal(AsaNode):
    """`crypto isakmp nat-traversal [KEEPALIVE]` / `crypto ikev1 nat-traversal` (`enabled` False for the
    `no` form)."""

    enabled: bool = True
    keepalive: int | None = None


class IsakmpKey(AsaNode):
    """`crypto isakmp key KEY address A [netmask M]` (PIX/IOS style), `isakmp key ...` (PIX 6)."""

    key: Secret
    address: str
    netmask: str | None = None


class TunnelGroupIpsec(AsaNode):
    """`tunnel-group NAME ipsec-attributes` block: the pre-shared keys, other lines kept raw.

    pre_shared_key: the 7.x/8.2 `pre-shared-key K`; ikev1_pre_shared_key: `ikev1 pre-shared-key K`;
    ikev2_local / ikev2_remote: `ikev2 local-authentication|remote-authentication pre-shared-key [0|8] K`."""

    pre_shared_key: Secret | None = None
    ikev1_pre_shared_key: Secret | None = None
    ikev2_local_pre_shared_key: Secret | None = None
    ikev2_remote_pre_shared_key: Secret | None = None
    other: list[RawNode] = []

    @property
    def ikev1_psk(self) -> Secret | None:
        """The IKEv1 key in force: `ikev1 pre-shared-key` or the legacy `pre-shared-key`."""
        return self.ikev1_pre_shared_key or self.pre_shared_key


class TunnelGroup(AsaNode):
    """`tunnel-group NAME type ...` and its attribute blocks (span: the first of its lines)."""

    name: str
    type: str | None = None  # ipsec-l2l, remote-access, ipsec-ra, webvpn
    type_span: Span | None = None
    general_attributes: RawBlock | None = None
    ipsec_attributes: TunnelGroupIpsec | None = None
    other_attributes: list[RawBlock] = []  # webvpn-attributes, ppp-attributes, ...

    @property
    def peer_address(self) -> IPAddress | None:
        """The name as an IP address (L2L tunnel-groups are named after the peer), else None."""
        from cfglint.asa.tables import parse_ip

        return parse_ip(self.name)


# --------------------------------------------------------------------------------------------------
# The file


@dataclass(frozen=True)
class IndexReuse:
    """What the ASA001 remediation (`cfglint.asa.remediation`) reads of a peer's objects and groups,
    computed on the whole model when its index view keeps only those its crypto ACLs reach: the syntax
    era, every object and object-group name (one namespace), and the objects / network groups it may
    reuse (resolved network -> object name, set of networks -> group name, first by name), keyed by
    ints (`remediation.net_key`, `nets_key`)."""

    era: str
    used_names: tuple[str, ...]  # sorted
    object_by_network: tuple[tuple[int, str], ...]  # (remediation.net_key, name)
    group_by_networks: tuple[tuple[int, str], ...]  # (remediation.nets_key, name)


def _strings_in(o: Any, out: set[str]) -> None:
    """Every string in `o` (models, dataclasses, containers, dict keys), spans excepted."""
    stack = [o]
    while stack:
        x = stack.pop()
        if isinstance(x, str):
            out.add(x)
        elif isinstance(x, (Span, Pos)):
            continue
        elif isinstance(x, (list, tuple, set, frozenset)):
            stack.extend(x)
        elif isinstance(x, dict):
            stack.extend(x.keys())
            stack.extend(x.values())
        elif isinstance(x, Node):
            stack.extend([getattr(x, f) for f in x.__model_fields__])
        elif hasattr(x, "__dataclass_fields__"):
            stack.extend(getattr(x, f) for f in x.__dataclass_fields__)


class AsaConfig(SourceModel):
    """A parsed ASA/PIX/FWSM configuration.

    Lookups: `interface_by_nameif`, `interface_address`, `owned_addresses`, `access_list`,
    `network_object`, `service_object`, `object_group`, `name_alias`.
    Analyses (memoised per model; see `cfglint.asa`): `resolve_address`, `resolve_network_group`,
    `resolve_protocol`, `expand_ace`, `acl_flows`, `crypto_map_entries`, `references`,
    `undefined_references`, `nat_exemptions`.
    """

    kind: ClassVar[str] = "asa"

    hostname: str | None = None
    hostname_span: Span | None = None
    domain_name: str | None = None
    version: AsaVersion | None = None
    interfaces: list[Interface] = []
    names_enabled: bool = False
    names: list[NameAlias] = []
    network_objects: dict[str, NetworkObject] = {}
    service_objects: dict[str, ServiceObject] = {}
    object_groups: dict[str, ObjectGroup] = {}
    group_cycles: list[GroupCycle] = []
    access_lists: dict[str, AccessList] = {}
    access_groups: list[AccessGroup] = []
    legacy_nat: list[LegacyNat] = []
    legacy_globals: list[LegacyGlobal] = []
    legacy_statics: list[LegacyStatic] = []
    object_nat: list[ObjectNat] = []  # every object NAT line, in file order (also under each object)
    twice_nat: list[TwiceNat] = []
    crypto_maps: dict[str, CryptoMap] = {}
    dynamic_maps: dict[str, CryptoMap] = {}
    crypto_map_bindings: list[CryptoMapBinding] = []
    ike_policies: list[IkePolicy] = []  # sorted by (version, priority)
    transform_sets: dict[str, TransformSet] = {}
    ipsec_proposals: dict[str, IpsecProposal] = {}
    ike_enables: list[IkeEnable] = []
    nat_traversal: NatTraversal | None = None
    isakmp_keys: list[IsakmpKey] = []
    tunnel_groups: dict[str, TunnelGroup] = {}
    credentials: list[Credential] = []
    raw: list[RawNode] = []
    # Every Secret met in the file, in order (tunnel-group keys, isakmp keys, credentials).
    all_secrets: list[Secret] = field(default_factory=list, repr=False)
    # Set on the index view only (see `index_view`): what the ASA001 remediation reads of the whole model.
    index_reuse: IndexReuse | None = field(default=None, repr=False)

    # Private attributes (not fields: out of equality, repr and copies; see cfglint.models.base).
    _memo: dict[Any, Any] = private(default_factory=dict)
    # Set by the parser when no secret value can occur in any string of the model other than the
    # `Secret` values themselves (see `cfglint.parsers.asa._secrets_isolated`): `redacted` may then
    # touch the secrets only. False (the default, and on every copy) means the generic walk.
    _secrets_isolated: bool = False
    # Pickles keep it (a fact of the content, as the parser found it); the memo starts empty.
    __private_pickled__: ClassVar[tuple[str, ...]] = ("_secrets_isolated",)

    # -- engine hooks --------------------------------------------------------------------------------
    def secrets(self) -> list[str]:
        out = []
        for s in self.all_secrets:
            if s.value is not None:
                out.append(s.value.get_secret_value())
        return out

    def secret_spans(self) -> list[Span]:
        return [s.span for s in self.all_secrets if s.value is not None]

    # What the cross-file rules (ASA001-ASA005: cfglint.asa.ipsec, .remediation and the crypto parts of
    # .expand) never read: dropped from the index view. Access lists are kept for the crypto ACLs only.
    _NOT_IN_INDEX: ClassVar[tuple[str, ...]] = (
        "comments",
        "problems",
        "access_groups",
        "legacy_nat",
        "legacy_globals",
        "legacy_statics",
        "credentials",
        "raw",
    )

    def index_view(self) -> AsaConfig:
        """The lean copy the cross-file rules get (see `SourceModel.index_view`): the crypto maps, IKE,
        transform sets/proposals, tunnel-groups, interfaces and names, of the access lists only those a
        crypto map entry matches, and of the objects and groups only those these ACLs reach (directly or
        through other objects and groups). What the ASA001 remediation reads of the others (the names
        in use, the objects and groups it may reuse, the syntax era) is computed here, on the whole
        model, into `index_reuse`. Without the other ACLs, objects, groups, NAT, raw lines, comments
        and credentials: ~0.3 MiB instead of ~1.6 MiB for a generated 5k-line config."""
        from cfglint.asa.remediation import reuse_data
        from cfglint.cache import replace_fields

        crypto_acls = {
            e.match_address.acl
            for maps in (self.crypto_maps, self.dynamic_maps)
            for cm in maps.values()
            for e in cm.entries
            if e.match_address is not None
        }
        acls = {k: v for k, v in self.access_lists.items() if k in crypto_acls}
        changes: dict[str, Any] = {name: [] for name in self._NOT_IN_INDEX}
        changes["access_lists"] = acls
        if self.index_reuse is None:
            reuse = reuse_data(self)
            net_objs, svc_objs, groups = self._reached_by(acls)
            changes.update(
                index_reuse=reuse,
                network_objects=net_objs,
                service_objects=svc_objs,
                object_groups=groups,
                object_nat=[],  # read by `syntax_era` only (in `index_reuse.era`) and by per-file rules
                twice_nat=[],
            )
        view = replace_fields(self, changes)
        # Its strings are a subset of this model's: the secrets stay isolated when they were.
        view._secrets_isolated = self._secrets_isolated
        return view

    def _reached_by(
        self, acls: dict[str, AccessList]
    ) -> tuple[dict[str, NetworkObject], dict[str, ServiceObject], dict[str, ObjectGroup]]:
        """The network objects, service objects and object-groups whose name occurs as a string in the
        access lists `acls`, or (transitively) in an object or group so reached: a superset of what
        resolving these ACLs' entries can look up (any name, in any role)."""
        seen: set[str] = set()
        todo: list[Any] = [acls]
        net: dict[str, NetworkObject] = {}
        svc: dict[str, ServiceObject] = {}
        grp: dict[str, ObjectGroup] = {}
        while todo:
            found: set[str] = set()
            _strings_in(todo, found)
            todo = []
            for name in found - seen:
                seen.add(name)
                for table, out in (
                    (self.network_objects, net),
                    (self.service_objects, svc),
                    (self.object_groups, grp),
                ):
                    o = table.get(name)
                    if o is not None:
                        out[name] = o
                        todo.append(o)
        # In the model's order, so that iterating the view is iterating the model.
        return (
            {k: v for k, v in self.network_objects.items() if k in net},
            {k: v for k, v in self.service_objects.items() if k in svc},
            {k: v for k, v in self.object_groups.items() if k in grp},
        )

    def redacted(self, replace: Any) -> AsaConfig:
        """The same copy as the generic walk (`SourceModel.redacted`), built by touching only the
        `Secret` values and the elements holding them (credentials, isakmp keys, tunnel-group
        ipsec-attributes, `all_secrets`): ~100x faster on a 5k-line config.

        Valid because `replace` (the engine's redactor) changes only strings containing one of this
        model's secret forms (its `secrets()` and the text under its `secret_spans()`, which is the same
        here), and the parser checked at parse time that none of them can occur in another string of
        the model (`_secrets_isolated`); otherwise, and on models not fresh from the parser, the
        generic walk runs. tests/asa/test_redaction.py compares both on every corpus file and fixture."""
        if not self._secrets_isolated:
            return super().redacted(replace)
        from cfglint.cache import replace_fields

        done: dict[int, Secret] = {}

        def sec(s: Secret | None) -> Secret | None:
            if s is None or s.value is None:
                return s
            got = done.get(id(s))
            if got is None:
                value = s.value.get_secret_value()
                new = replace(value)
                got = s if new == value else replace_fields(s, {"value": SecretStr(new)})
                done[id(s)] = got
            return got

        def holder(o: Any, names: tuple[str, ...]) -> Any:
            changes = {}
            for n in names:
                v = getattr(o, n)
                w = sec(v)
                if w is not v:
                    changes[n] = w
            return replace_fields(o, changes) if changes else o

        def each(items: list[Any], fn: Any) -> list[Any]:
            out = [fn(x) for x in items]
            return items if all(a is b for a, b in zip(out, items)) else out

        changes: dict[str, Any] = {}
        secrets = each(self.all_secrets, sec)
        if secrets is not self.all_secrets:
            changes["all_secrets"] = secrets
        credentials = each(self.credentials, lambda c: holder(c, ("secret",)))
        if credentials is not self.credentials:
            changes["credentials"] = credentials
        keys = each(self.isakmp_keys, lambda k: holder(k, ("key",)))
        if keys is not self.isakmp_keys:
            changes["isakmp_keys"] = keys
        psk_fields = (
            "pre_shared_key",
            "ikev1_pre_shared_key",
            "ikev2_local_pre_shared_key",
            "ikev2_remote_pre_shared_key",
        )
        tgs = {}
        tg_changed = False
        for name, tg in self.tunnel_groups.items():
            ipsec = tg.ipsec_attributes
            if ipsec is not None:
                new_ipsec = holder(ipsec, psk_fields)
                if new_ipsec is not ipsec:
                    tg = replace_fields(tg, {"ipsec_attributes": new_ipsec})
                    tg_changed = True
            tgs[name] = tg
        if tg_changed:
            changes["tunnel_groups"] = tgs
        return replace_fields(self, changes)

    # -- memo ------------------------------------------------------------------------------------------
    def memo(self, key: Any, compute: Any) -> Any:
        """Per-model cache for analyses: `compute()` runs once per key."""
        cache = self._memo
        try:
            return cache[key]
        except KeyError:
            value = cache[key] = compute()
            return value

    # -- lookups -----------------------------------------------------------------------------------------
    def _index(self) -> dict[str, Any]:
        def build() -> dict[str, Any]:
            by_nameif: dict[str, Interface] = {}
            for itf in self.interfaces:
                if itf.nameif is not None:
                    by_nameif.setdefault(itf.nameif, itf)
            owned: dict[Any, Interface] = {}
            for itf in self.interfaces:
                if itf.nameif is None or itf.shutdown:
                    continue
                for a in itf.addresses(standby=True):
                    owned.setdefault(a, itf)
            names = {n.name: n for n in self.names}
            return {"nameif": by_nameif, "owned": owned, "names": names}

        return self.memo("index", build)

    def interface_by_nameif(self, nameif: str) -> Interface | None:
        return self._index()["nameif"].get(nameif)

    def interface_address(self, nameif: str) -> IPv4Address | None:
        """The active IPv4 address of the interface with this nameif (None: unknown, dhcp, no address)."""
        itf = self.interface_by_nameif(nameif)
        if itf is None or itf.address is None:
            return None
        return itf.address.address

    def owned_addresses(self) -> dict[IPAddress, Interface]:
        """Every active and standby address of a named, not shut down interface -> its interface (for
        pairing peers across configs: a `set peer` address found here belongs to this device)."""
        return dict(self._index()["owned"])

    def name_alias(self, name: str) -> NameAlias | None:
        return self._index()["names"].get(name)

    def access_list(self, name: str) -> AccessList | None:
        return self.access_lists.get(name)

    def network_object(self, name: str) -> NetworkObject | None:
        return self.network_objects.get(name)

    def service_object(self, name: str) -> ServiceObject | None:
        return self.service_objects.get(name)

    def object_group(self, name: str) -> ObjectGroup | None:
        return self.object_groups.get(name)

    def ike_policies_for(self, version: int) -> list[IkePolicy]:
        """IKE policies of one version (`isakmp` counts as 1), by priority."""
        return [p for p in self.ike_policies if p.version == version]

    def ike_versions_on(self, nameif: str) -> frozenset[int]:
        """IKE versions enabled on an interface (`crypto isakmp|ikev1|ikev2 enable NAMEIF`)."""
        return frozenset(e.version for e in self.ike_enables if e.interface == nameif)

    def tunnel_group(self, name: str) -> TunnelGroup | None:
        return self.tunnel_groups.get(name)

    # -- analyses (cfglint.asa.expand) -----------------------------------------------------------------
    def resolve_address(self, operand: Address) -> NetResolution:
        from cfglint.asa import expand

        return expand.resolve_address(self, operand)

    def resolve_network_group(self, name: str) -> NetResolution:
        from cfglint.asa import expand

        return expand.resolve_network_group(self, name)

    def resolve_network_object(self, name: str) -> NetResolution:
        from cfglint.asa import expand

        return expand.resolve_network_object(self, name)

    def resolve_protocol(self, entry: AccessListEntry) -> ServiceResolution:
        from cfglint.asa import expand

        return expand.resolve_ace_services(self, entry)

    def expand_ace(self, entry: AccessListEntry) -> Expansion:
        from cfglint.asa import expand

        return expand.expand_ace(self, entry)

    def acl_flows(self, acl: str) -> FlowSet:
        from cfglint.asa import expand

        return expand.acl_flows(self, acl)

    def crypto_map_entries(self, include_dynamic: bool = True) -> list[CryptoMapEntryView]:
        from cfglint.asa import expand

        return expand.crypto_map_entries(self, include_dynamic=include_dynamic)

    def references(self) -> list[Reference]:
        from cfglint.asa import expand

        return expand.references(self)

    def undefined_references(self) -> list[Reference]:
        from cfglint.asa import expand

        return expand.undefined_references(self)

    def nat_exemptions(self) -> list[Any]:
        from cfglint.asa import expand

        return expand.nat_exemptions(self)
