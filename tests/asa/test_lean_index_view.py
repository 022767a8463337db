"""The lean index view (`AsaConfig.index_view`): of the objects and groups, only those the crypto ACLs
reach, plus what the ASA001 remediation reads of the others (`index_reuse`, computed on the whole
model). The cross-file rules (ASA001-ASA005) must find exactly what they find on the whole models, with
the same remediation commands, on every cross-file fixture, the example and a generated fleet."""

from __future__ import annotations

import importlib.util
import sys
from ipaddress import ip_network
from pathlib import Path

import pytest

from cfglint.api import ProjectContext, ProjectIndex
from cfglint.asa.expand import ANY_PORTS, Flow
from cfglint.asa.remediation import mirror_commands, net_key, nets_key, reuse_data, syntax_era
from cfglint.cache import dump_model, fresh_private, load_model
from cfglint.models.asa import AsaConfig, IndexReuse
from cfglint.registry import load_rules

from .conftest import REPO, corpus_files, parse

CROSS = ("ASA001", "ASA002", "ASA003", "ASA004", "ASA005")
RULES = load_rules()
FIXTURES = REPO / "tests" / "fixtures" / "rules"
EXAMPLE = REPO / "examples" / "asa-vpn-asymmetric"


def _groups() -> list:
    out = []
    for code in CROSS:
        for case in sorted(p for p in (FIXTURES / code).iterdir() if p.is_dir()):
            files = sorted(case.glob("*.cfg"))
            if len(files) >= 2:
                out.append(pytest.param(files, id=f"{code}/{case.name}"))
    for variant in ("broken", "fixed"):
        out.append(pytest.param(sorted((EXAMPLE / variant).glob("*.cfg")), id=f"example/{variant}"))
    if corpus_files():
        out.append(pytest.param(corpus_files(), id="corpus"))
    return out


def _models(files: list[Path]) -> list[AsaConfig]:
    return [parse(p.read_text(encoding="utf-8", errors="replace"), p.name) for p in files]


def _findings(models: list[AsaConfig]) -> dict[str, list[str]]:
    index = ProjectIndex(models)
    shared = ProjectContext()
    out = {}
    for code in CROSS:
        rule = RULES.get(code)
        pctx = ProjectContext(options={}, _cache=shared._cache)
        out[code] = [repr(d) for d in rule().check(index, pctx)]
    return out


def _same_findings(models: list[AsaConfig]) -> dict[str, list[str]]:
    """Findings on the lean views, asserted equal to those on the whole models (fresh memos)."""
    whole = _findings([fresh_private(m) for m in models])
    lean = _findings([m.index_view() for m in models])
    assert lean == whole
    return lean


@pytest.mark.parametrize("files", _groups())
def test_same_findings_and_remediation_as_on_the_whole_models(files):
    models = _models(files)
    _same_findings(models)
    for m in models:
        assert reuse_data(m) == _reuse_reference(m)


def _reuse_reference(model: AsaConfig) -> IndexReuse:
    """`reuse_data` as the remediation computed it before (through the memoised resolvers)."""
    from cfglint.asa.expand import resolve_network_group, resolve_network_object

    obj_by_net: dict[int, str] = {}
    group_by_set: dict[int, str] = {}
    for name in sorted(model.network_objects):
        r = resolve_network_object(model, name)
        if r.complete and len(r.networks) == 1:
            obj_by_net.setdefault(net_key(r.networks[0]), name)
    for name in sorted(model.object_groups):
        g = model.object_groups[name]
        if g.group_type != "network" or g.cycle:
            continue
        r = resolve_network_group(model, name)
        if r.complete and r.networks:
            group_by_set.setdefault(nets_key(r.networks), name)
    names = set(model.network_objects) | set(model.service_objects) | set(model.object_groups)
    return IndexReuse(syntax_era(model), tuple(sorted(names)), tuple(obj_by_net.items()), tuple(group_by_set.items()))


def _generated(n: int, lines: int) -> list[AsaConfig]:
    path = REPO / "bench" / "asa_parse.py"
    if not path.exists():
        pytest.skip("no ASA generator in bench/")
    spec = importlib.util.spec_from_file_location("cfglint_bench_asa_parse_test", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(spec.name, module)
    spec.loader.exec_module(module)
    return [parse(module.generate(lines, seed=i + 1), f"fw-{i}.cfg") for i in range(n)]


def test_generated_fleet_same_findings_and_smaller_views():
    models = _generated(8, 1500)
    found = _same_findings(models)
    assert found["ASA002"]  # its peers are third parties (the fixtures pair devices for ASA001)
    for m in models:
        v = m.index_view()
        assert v.index_reuse is not None and v.index_reuse == reuse_data(m) == _reuse_reference(m)
        assert set(v.network_objects) <= set(m.network_objects)
        assert set(v.object_groups) <= set(m.object_groups)
        assert len(v.network_objects) + len(v.object_groups) < len(m.network_objects) + len(m.object_groups)
        assert v.object_nat == [] and v.twice_nat == []


def test_view_keeps_what_crypto_acls_reach_transitively():
    m = parse(
        "ASA Version 9.8(1)\n"
        "hostname a\n"
        "object network LAN\n subnet 10.1.0.0 255.255.255.0\n"
        "object network FAR\n subnet 10.2.0.0 255.255.255.0\n"
        "object network UNUSED\n host 10.9.9.9\n"
        "object-group network INNER\n network-object object FAR\n"
        "object-group network OUTER\n group-object INNER\n"
        "object-group network OTHER\n network-object 10.8.0.0 255.255.0.0\n"
        "object service WEB\n service tcp destination eq www\n"
        "access-list VPN extended permit object WEB object LAN object-group OUTER\n"
        "access-list OUT extended permit ip object-group OTHER any\n"
        "crypto map M 10 match address VPN\n"
        "crypto map M 10 set peer 192.0.2.2\n"
        "crypto map M interface outside\n"
    )
    v = m.index_view()
    assert v.index_reuse == _reuse_reference(m)
    assert set(v.access_lists) == {"VPN"}
    assert set(v.network_objects) == {"LAN", "FAR"}
    assert set(v.object_groups) == {"INNER", "OUTER"}
    assert set(v.service_objects) == {"WEB"}
    reuse = v.index_reuse
    assert reuse is not None
    assert reuse.era == "modern" == syntax_era(v) == syntax_era(m)
    assert set(reuse.used_names) == {"LAN", "FAR", "UNUSED", "INNER", "OUTER", "OTHER", "WEB"}
    # An existing object / group outside the view is still reused by name, and new names avoid it.
    want = frozenset(
        {
            Flow(ip_network("10.9.9.9/32"), ip_network("10.8.0.0/16"), 0, ANY_PORTS, ANY_PORTS),
            Flow(ip_network("10.3.0.0/24"), ip_network("10.8.0.0/16"), 0, ANY_PORTS, ANY_PORTS),
        }
    )
    args = dict(local_host="a", remote_host="b")
    assert mirror_commands(v, "VPN", want, **args) == mirror_commands(fresh_private(m), "VPN", want, **args)
    text = "\n".join(mirror_commands(v, "VPN", want, **args).lines)
    assert "object UNUSED" in text and "object-group OTHER" not in text  # OTHER: a group of one network


def test_view_of_a_view_and_cache_round_trip():
    m = parse(
        "ASA Version 8.2(5)\nhostname a\nobject-group network G\n network-object host 10.0.0.1\n"
        "access-list V extended permit ip object-group G any\ncrypto map M 10 match address V\n"
    )
    v = m.index_view()
    assert v.index_view().index_reuse == v.index_reuse
    back = load_model(dump_model(v))
    assert isinstance(back.index_reuse, IndexReuse) and back.index_reuse == v.index_reuse
    assert back.index_reuse.era == "legacy"


def test_generic_redaction_of_a_view_keeps_the_reuse_keys():
    """Keys are ints (never touched by redaction); names go through it as the view's other strings."""
    m = parse("ASA Version 9.8(1)\nobject network O\n host 10.0.0.1\ncrypto map M 10 match address V\n")
    v = m.index_view()
    r = super(AsaConfig, v).redacted(lambda s: s.replace("O", "X") if s == "O" else s)
    assert r.index_reuse is not None
    assert r.index_reuse.used_names == ("X",)
    assert r.index_reuse.object_by_network == ((net_key(ip_network("10.0.0.1/32")), "X"),)


def test_network_keys_are_exact():
    a, b = ip_network("10.0.0.0/24"), ip_network("10.0.0.0/25")
    assert net_key(a) != net_key(b)
    assert net_key(ip_network("0.0.0.0/0")) != net_key(ip_network("::/0"))
    assert net_key(ip_network("::a00:0/120")) != net_key(ip_network("10.0.0.0/24"))
    assert nets_key([a, b]) == nets_key([b, a, a])
    assert nets_key([a]) != nets_key([a, b])
    assert nets_key([ip_network("0.0.0.0/0")]) != nets_key([ip_network("0.0.0.0/0"), ip_network("0.0.0.0/32")])
    six = [ip_network("2001:db8::/32"), ip_network("10.0.0.0/8")]
    assert nets_key(six) == nets_key(reversed(six)) != nets_key(six[:1])


@pytest.mark.parametrize(
    ("address", "mask"),
    [
        ("10.1.2.3", None),
        ("10.1.2.3", "255.255.255.0"),
        ("10.1.2.3", "255.255.255.255"),
        ("10.1.2.3", "0.0.0.0"),
        ("10.1.2.3", "255.0.255.0"),  # not contiguous
        ("10.1.2.3", "bogus"),
        ("10.1.2.0/24", None),
        ("10.1.2.3/24", None),
        ("2001:db8::1", None),
        ("2001:db8::/32", None),
        ("2001:db8::1", "255.255.255.0"),
        ("HOSTNAME", None),
        ("HOSTNAME", "255.255.255.0"),
        ("300.1.1.1", None),
    ],
)
def test_literal_keys_are_the_literal_networks_keys(address, mask):
    from cfglint.asa.remediation import _literal_key
    from cfglint.asa.tables import network_of

    n = network_of(address, mask)
    assert _literal_key(address, mask) == (net_key(n) if n is not None else None)
