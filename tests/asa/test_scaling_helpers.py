"""The indexed / one-pass helpers that keep a very large ASA config linear give the same answers as
the plain readings they replace (random inputs, each checked against the plain one):

* `_secrets_isolated` (one regular expression over the text for all the secrets) against
  `_secrets_isolated_plain` (a substring test per secret), and `_any_word_re` against `in`;
* `CloseNames` / `did_you_mean` (an index over the characters of the defined names) against
  difflib over every name, and the work it saves (no timing: what reaches difflib);
* `routed_elsewhere` (indexed routes) against `_routed_elsewhere_scan`;
* ASA011's index of the NAT rules that may apply to a flow against the walk over every rule;
* the int fast paths: `parse_ip` / `dotted_quad_int` against `ipaddress`, the reuse keys of ranges
  and literals against the networks they stand for.
"""

from __future__ import annotations

import difflib
import random
from ipaddress import IPv4Address, IPv6Address, ip_address, ip_network, summarize_address_range
from pathlib import Path

import pytest

import cfglint.parsers.asa as asa_parser
from cfglint.parsers.asa import parse_asa

from .conftest import FIXTURES, corpus_files

RULE_FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "rules"


# -- secrets: one pass ------------------------------------------------------------------------------


def test_any_word_re_finds_what_in_finds() -> None:
    rng = random.Random(11)
    alpha = "abcxq7%.\\(ßSſ\x00*"  # regex specials, casefold-sensitive letters, a NUL
    for _ in range(3000):
        words = {"".join(rng.choice(alpha) for _ in range(rng.randrange(1, 7))) for _ in range(rng.randrange(1, 12))}
        pattern = asa_parser._any_word_re(words)
        assert pattern is not None
        for _ in range(8):
            text = "".join(rng.choice(alpha + " -:\n") for _ in range(rng.randrange(0, 60)))
            if rng.random() < 0.4:  # a word, or a word cut short, somewhere in the text
                w = rng.choice(sorted(words))
                i = rng.randrange(len(text) + 1)
                text = text[:i] + (w if rng.random() < 0.5 else w[:-1]) + text[i:]
            assert (pattern.search(text) is not None) == any(w in text for w in words), (words, text)


def _secret_lines(rng: random.Random, value: str, k: int) -> list[str]:
    return rng.choice(
        [
            [f"username user{k} password {value} privilege 15"],
            [f"enable password {value} encrypted"],
            [f"tunnel-group 192.0.2.{k % 250 + 1} ipsec-attributes", f" ikev1 pre-shared-key {value}"],
            [f"snmp-server host inside 10.0.0.{k % 250 + 1} community {value} version 2c"],
            [f"aaa-server T{k} (inside) host 10.1.0.{k % 250 + 1}", f" key {value}"],
            [f"failover key {value}"],
        ]
    )


def _random_config(rng: random.Random) -> tuple[str, str]:
    pieces = ["Passw0rd", "cisco", "Key-42", "x", "Zq9", "pre", "shared", "10.0.0.1", "OBJ", "ßeta", "a:b"]
    values = ["".join(rng.choice(pieces) for _ in range(rng.randrange(1, 4))) for _ in range(rng.randrange(1, 6))]
    lines = ["ASA Version 9.8(4)", f"hostname fw{rng.randrange(9)}"]
    for k in range(rng.randrange(1, 12)):
        lines += _secret_lines(rng, rng.choice(values), k)
        if rng.random() < 0.3:  # a value (or a piece of one) elsewhere in the text
            v = rng.choice(values)
            lines.append(f"object network {v[: rng.randrange(1, len(v) + 1)].upper()}")
            lines.append(" host 10.9.9.9")
        if rng.random() < 0.2:
            lines.append(f"access-list ACL{k} extended permit ip any host {rng.choice(values)}")  # a problem line
        if rng.random() < 0.3:
            lines.append(f"route inside 10.{k}.0.0 255.255.0.0 10.0.0.254 1")
    path = rng.choice(values) if rng.random() < 0.1 else f"fw{rng.randrange(99)}.cfg"
    return "\n".join(lines) + "\n", path


def _secrets_isolated_plain(lines: list[str], path: str, secrets: list, problems: list) -> bool:
    """`_secrets_isolated` as it was: one substring test per secret (secrets x file size)."""
    values = [s for s in secrets if s.value is not None]
    if not values:
        return True
    code = asa_parser._code_text()
    if not code:
        return False
    hay = asa_parser._blanked_text(lines, values)
    if hay is None:
        return False
    messages = "\n".join(p.message for p in problems).casefold()
    for s in values:
        v = s.value.get_secret_value()
        for form in {v, v.strip()}:
            if not form or form == path:
                return False
            words = [w for w in asa_parser._SEPARATORS_RE.split(form.casefold()) if w]
            if not words:
                return False
            w = max(words, key=len)
            if w in hay or w in code or w in messages:
                return False
    return True


def _both_isolated(monkeypatch: pytest.MonkeyPatch, data: bytes, path: str) -> list[tuple[bool, bool]]:
    seen: list[tuple[bool, bool]] = []
    fast = asa_parser._secrets_isolated

    def both(lines, path, secrets, problems):  # noqa: ANN001
        got = fast(lines, path, secrets, problems)
        seen.append((got, _secrets_isolated_plain(lines, path, secrets, problems)))
        return got

    monkeypatch.setattr(asa_parser, "_secrets_isolated", both)
    parse_asa(data, path)
    return seen


def test_secrets_isolated_equals_the_plain_reading_on_random_configs(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(5)
    outcomes = set()
    for _ in range(150):
        text, path = _random_config(rng)
        for got, plain in _both_isolated(monkeypatch, text.encode(), path):
            assert got == plain, (path, text)
            outcomes.add(got)
    assert outcomes == {True, False}  # both answers were exercised


def test_secrets_isolated_equals_the_plain_reading_on_the_corpus(monkeypatch: pytest.MonkeyPatch) -> None:
    files = list(corpus_files()) + sorted(FIXTURES.glob("*.cfg")) + sorted(RULE_FIXTURES.glob("ASA0*/**/*.cfg"))
    assert files
    for p in files:
        for got, plain in _both_isolated(monkeypatch, p.read_bytes(), p.name):
            assert got == plain, p


# -- did you mean -----------------------------------------------------------------------------------


def _did_you_mean_plain(name: str, candidates: list[str]) -> str | None:
    """The reading `CloseNames` replaces: difflib over every candidate."""
    cands = sorted(set(candidates))
    if not cands:
        return None
    lower = {c.lower(): c for c in cands}
    if name.lower() in lower and lower[name.lower()] != name:
        return lower[name.lower()]
    close = difflib.get_close_matches(name, cands, n=1, cutoff=0.8)
    if close:
        return close[0]
    by_lower = difflib.get_close_matches(name.lower(), list(lower), n=1, cutoff=0.8)
    return lower[by_lower[0]] if by_lower else None


def test_close_names_equal_difflib_over_every_name() -> None:
    from cfglint.rules.asa._single import CloseNames, did_you_mean

    rng = random.Random(1)
    alpha = "abAB-01.xyz"

    def word() -> str:
        return "".join(rng.choice(alpha) for _ in range(rng.randrange(0, 12)))

    def typo(w: str) -> str:
        cs = list(w)
        for _ in range(rng.randrange(0, 3)):
            op = rng.randrange(3)
            if op == 0 and cs:
                del cs[rng.randrange(len(cs))]
            elif op == 1:
                cs.insert(rng.randrange(len(cs) + 1), rng.choice(alpha))
            elif cs:
                cs[rng.randrange(len(cs))] = rng.choice(alpha)
        s = "".join(cs)
        return s.upper() if rng.random() < 0.1 else s

    found = 0
    for _ in range(100):
        names = [word() for _ in range(rng.randrange(0, 300))]
        close = CloseNames(names)
        for _ in range(30):
            q = typo(rng.choice(names)) if names and rng.random() < 0.8 else word()
            want = _did_you_mean_plain(q, names)
            assert close.suggest(q) == want, (q, names)
            assert close.suggest(q) == want  # memoised
            assert did_you_mean(q, names) == want
            found += want is not None
    assert found > 500


def test_close_names_bound_the_work(monkeypatch: pytest.MonkeyPatch) -> None:
    """An undefined IP-like name among thousands of similar host names sends (almost) nothing to
    difflib; a real typo sends only the names that pass difflib's quick tests; each distinct name is
    answered once."""
    import cfglint.rules.asa._single as single

    sizes: list[int] = []
    real = difflib.get_close_matches

    def spy(word, possibilities, n=3, cutoff=0.6):  # noqa: ANN001
        possibilities = list(possibilities)
        sizes.append(len(possibilities))
        return real(word, possibilities, n=n, cutoff=cutoff)

    monkeypatch.setattr(single.difflib, "get_close_matches", spy)
    names = [f"host-{i:04d}" for i in range(7200)]
    close = single.CloseNames(names)
    for i in range(200):
        assert close.suggest(f"203.0.{256 + i}.{i % 250 + 1}") is None
    assert sum(sizes) <= 200  # against 2 x 200 x 7200 for difflib over every name
    sizes.clear()
    assert close.suggest("host-1234x") == "host-1234"
    assert close.suggest("host-1234x") == "host-1234"
    assert len(sizes) == 1 and sizes[0] < 7200
    s = difflib.SequenceMatcher()
    s.set_seq2("host-1234x")
    passing = 0
    for n in names:  # what difflib itself keeps past its quick tests
        s.set_seq1(n)
        passing += s.real_quick_ratio() >= 0.8 and s.quick_ratio() >= 0.8
    assert sizes[0] <= passing


# -- routes -----------------------------------------------------------------------------------------

NAMEIFS = ("inside", "dmz", "outside")


def _v4(rng: random.Random):  # noqa: ANN202
    address = f"10.{rng.randrange(4)}.{rng.randrange(256)}.{rng.randrange(256)}"
    return ip_network(f"{address}/{rng.randrange(0, 33)}", strict=False)


def _v6(rng: random.Random, plen_below: int):  # noqa: ANN202
    return ip_network(f"2001:db8:{rng.randrange(4)}:{rng.randrange(4)}::/{rng.randrange(0, plen_below)}", strict=False)



def test_indexed_routed_elsewhere_equals_the_plain_scan() -> None:
    from cfglint.rules.asa._single import _routed_elsewhere_scan, routed_elsewhere

    rng = random.Random(3)
    answers = set()
    for trial in range(60):
        lines = ["ASA Version 9.8(4)", "hostname r"]
        for i, nameif in enumerate(("inside", "dmz", "outside")):
            lines += [
                f"interface GigabitEthernet0/{i}",
                f" nameif {nameif}",
                f" security-level {i * 50}",
                f" ip address 10.{i}.{rng.randrange(4)}.1 255.255.{rng.choice([0, 252, 255])}.0",
                f" ipv6 address 2001:db8:{i}::1/{rng.choice([48, 64])}",
            ]
        for _ in range(rng.randrange(1, 40)):
            net = _v4(rng)
            lines.append(f"route {rng.choice(NAMEIFS)} {net.network_address} {net.netmask} 192.0.2.1 1")
            if rng.random() < 0.2:
                lines.append(lines[-1])  # the same route twice
            if rng.random() < 0.2:
                lines.append(f"ipv6 route {rng.choice(NAMEIFS)} {_v6(rng, 80)} 2001:db8::9")
        lines.append("route outside 0.0.0.0 0.0.0.0 192.0.2.1 1")
        m = parse_asa("\n".join(lines).encode(), f"r{trial}.cfg")
        for _ in range(80):
            net = _v6(rng, 129) if rng.random() < 0.2 else _v4(rng)
            nameif = rng.choice(["inside", "dmz", "outside", "nope"])
            got = routed_elsewhere(m, net, nameif)
            assert got == _routed_elsewhere_scan(m, net, nameif), (trial, net, nameif)
            answers.add(got)
    assert answers == {True, False}


# -- ASA011: the NAT rules that may apply to a flow -------------------------------------------------


def _nat_config(rng: random.Random) -> str:
    lines = ["ASA Version 9.8(4)", "hostname r"]
    for i, nameif in enumerate(("inside", "dmz", "outside")):
        lines += [f"interface GigabitEthernet0/{i}", f" nameif {nameif}", f" security-level {i * 50}",
                  f" ip address 10.{i}.0.1 255.255.0.0"]
    nets = [f"10.{rng.randrange(3)}.{rng.randrange(4)}.0 255.255.{rng.choice([255, 254, 252])}.0" for _ in range(6)]
    remote = [f"172.16.{rng.randrange(4)}.0 255.255.{rng.choice([255, 254])}.0" for _ in range(4)]
    for k, n in enumerate(nets + remote):
        lines += [f"object network N{k}", f" subnet {n}"]
    lines += ["object network R1", " range 10.0.1.10 10.0.1.200"]
    lines += ["object-group network G1", " network-object object N0", " network-object object N7"]
    names = [f"N{k}" for k in range(len(nets) + len(remote))] + ["R1", "G1", "any", "MISSING"]
    itfs = ["(inside,outside)", "(dmz,outside)", "(any,outside)", "(inside,any)", ""]
    for _ in range(rng.randrange(0, 25)):
        itf = rng.choice(itfs)
        after = "after-auto " if rng.random() < 0.2 else ""
        if rng.random() < 0.6:
            a, b = rng.choice(names), rng.choice(names)
            line = f"nat {itf} {after}source static {a} {a if rng.random() < 0.7 else b}"
            if rng.random() < 0.7:
                c = rng.choice(names)
                line += f" destination static {c} {c}"
        else:
            line = f"nat {itf} {after}source dynamic {rng.choice(names)} interface"
        if rng.random() < 0.1:
            line += " unidirectional"
        if rng.random() < 0.05:
            line += " inactive"
        lines.append(line.replace("nat  ", "nat "))
    for k in range(len(nets)):
        if rng.random() < 0.3:
            kind = rng.choice(["dynamic interface", f"static 198.51.100.{k + 1}", "static N8", "dynamic N9"])
            lines += [f"object network N{k}", f" nat {rng.choice(itfs[:4])} {kind}"]
    return "\n".join(lines) + "\n"


def test_asa011_nat_index_decides_as_the_walk_over_every_rule(monkeypatch: pytest.MonkeyPatch) -> None:
    import cfglint.rules.asa.asa011_vpn_traffic_not_nat_exempt as a11
    from cfglint.asa.expand import Flow

    class Everything:
        """The plain walk: every rule is a candidate for every flow."""

        def __init__(self, model):  # noqa: ANN001
            self.numbered = any(t.line_number is not None for t in model.twice_nat)
            self._twice = set(range(len(model.twice_nat)))
            self._objects = set(range(len(model.object_nat)))

        def twice(self, f):  # noqa: ANN001
            return set(self._twice)

        def objects(self, f):  # noqa: ANN001
            return set(self._objects)

    rng = random.Random(9)
    statuses = set()
    for trial in range(150):
        text = _nat_config(rng)
        indexed = parse_asa(text.encode(), f"n{trial}.cfg")
        plain = parse_asa(text.encode(), f"n{trial}.cfg")
        for _ in range(25):
            src = f"10.{rng.randrange(3)}.{rng.randrange(4)}.{rng.randrange(256)}/{rng.choice([16, 22, 24, 28, 32])}"
            dst = f"172.16.{rng.randrange(4)}.{rng.randrange(256)}/{rng.choice([16, 23, 24, 32])}"
            f = Flow(ip_network(src, strict=False), ip_network(dst, strict=False), rng.choice([0, 6, 17]))
            i, o = rng.choice([("inside", "outside"), ("dmz", "outside"), ("inside", "dmz")])
            got = a11._decide(indexed, i, o, f)
            with monkeypatch.context() as mp:
                mp.setattr(a11, "_nat_index", lambda model: Everything(model))
                want = a11._decide(plain, i, o, f)
            assert (got.status, got.rule, got.spans, got.late_exemption) == (
                want.status, want.rule, want.spans, want.late_exemption
            ), (trial, text, f, i, o)
            statuses.add(got.status)
    assert {"exempt", "translated", "unknown"} <= statuses


# -- int fast paths ---------------------------------------------------------------------------------


def _parse_ip_plain(text: str):  # noqa: ANN202
    if not text or len(text) > 64:
        return None
    c = text[0]
    if not (c.isdigit() or c in "abcdefABCDEF:"):
        return None
    try:
        return ip_address(text)
    except ValueError:
        return None


def test_parse_ip_fast_path_equals_ipaddress() -> None:
    from cfglint.asa.tables import dotted_quad_int, parse_ip

    rng = random.Random(5)
    octets = [0, 1, 9, 10, 99, 100, 199, 200, 249, 250, 255, 256, 300, 999, "01", "00", "", "1a", "٣", "²"]
    n = 0
    for _ in range(50000):
        if rng.random() < 0.6:
            t = ".".join(str(rng.choice(octets)) for _ in range(rng.choice([3, 4, 4, 4, 5])))
        else:
            t = "".join(rng.choice("0123456789.:a٣ ") for _ in range(rng.randrange(0, 16)))
        a, b = parse_ip(t), _parse_ip_plain(t)
        assert a == b and type(a) is type(b), t
        if a is not None:
            assert (str(a), int(a), hash(a), a.version) == (str(b), int(b), hash(b), b.version)
            n += 1
        q = dotted_quad_int(t)
        assert q == (int(b) if isinstance(b, IPv4Address) else None), t
    assert n > 1000


def test_reuse_keys_on_ints_equal_the_networks() -> None:
    from cfglint.asa.remediation import _literal_key, _range_keys, net_key
    from cfglint.asa.tables import network_of

    rng = random.Random(3)
    for _ in range(5000):
        if rng.random() < 0.5:
            x, y = sorted(rng.randrange(2**32) >> rng.randrange(32) for _ in range(2))
            cls = IPv4Address
            if rng.random() < 0.3:
                y = min(2**32 - 1, x + rng.randrange(600))
        else:
            x, y = sorted(rng.randrange(2**128) >> rng.randrange(128) for _ in range(2))
            cls = IPv6Address
            if rng.random() < 0.3:
                y = min(2**128 - 1, x + rng.randrange(600))
        a, b = cls(x), cls(y)
        assert _range_keys(a, b) == frozenset(map(net_key, summarize_address_range(a, b)))
    for address in ["1.2.3.4", "255.255.255.255", "0.0.0.0", "01.2.3.4", "256.1.1.1", "1.2.3", "10.0.0.0/8",
                    "2001:db8::1", "2001:db8::/32", "host-1", ""]:
        for mask in (None, "255.255.255.0", "255.0.255.0", "0.0.0.0", "bad"):
            want = None
            if mask is not None or "/" in address or _parse_ip_plain(address) is not None:
                n = network_of(address, mask)
                want = net_key(n) if n is not None else None
            assert _literal_key(address, mask) == want, (address, mask)


def test_asa011_exemption_flow_index_answers_as_any_over_every_flow() -> None:
    """`_FlowIndex.covers` / `.meets` against `any(...)` over every flow of the ACL."""
    import cfglint.rules.asa.asa011_vpn_traffic_not_nat_exempt as a11
    from cfglint.asa.expand import Flow

    rng = random.Random(17)

    def net() -> object:
        plen = rng.choice([8, 16, 20, 24, 28, 32])
        return ip_network(f"10.{rng.randrange(3)}.{rng.randrange(4)}.{rng.randrange(256)}/{plen}", strict=False)

    def flow() -> Flow:
        proto = rng.choice([0, 0, 6, 17])
        ports = (0, 65535) if proto == 0 else rng.choice([(0, 65535), (443, 443), (1000, 2000)])
        return Flow(net(), net(), proto, (0, 65535), ports)

    hits = {True: 0, False: 0}
    for _ in range(300):
        flows = [flow() for _ in range(rng.randrange(0, 30))]
        index = a11._FlowIndex(flows)
        for _ in range(30):
            f = rng.choice(flows) if flows and rng.random() < 0.2 else flow()
            want_cover = any(g == f or g.covers(f) for g in flows)
            assert index.covers(f) == want_cover
            assert index.meets(f) == any(a11._flows_meet(g, f) for g in flows)
            hits[want_cover] += 1
    assert hits[True] > 50 and hits[False] > 50
