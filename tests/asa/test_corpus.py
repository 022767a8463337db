"""Every ASA file of ../shared/corpus/asa parses with no exception and no ParseProblem; every element
validates and its span lies inside the file. The 4 IOS files there are not recognised as ASA."""

from __future__ import annotations

import pytest

from cfglint.kinds import detect_kind
from cfglint.parsers.asa import decode, parse_asa

from .conftest import CORPUS, IOS_FILES, assert_valid_and_in_file, corpus_files

FILES = corpus_files()


@pytest.mark.skipif(not FILES, reason="../shared/corpus/asa is absent")
@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_corpus_file_parses_cleanly(path):
    data = path.read_bytes()
    assert detect_kind(str(path), data[:65536]) == "asa"
    m = parse_asa(data, path.name)
    assert m.problems == [], [(p.span.line, p.message) for p in m.problems]
    assert assert_valid_and_in_file(m, decode(data)) > 0
    # the analyses run on every file without raising
    m.references()
    m.undefined_references()
    m.nat_exemptions()
    for v in m.crypto_map_entries():
        v.flows(m)
    for acl in m.access_lists.values():
        m.acl_flows(acl.name)


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus/asa is absent")
def test_ios_files_are_not_asa():
    for name in sorted(IOS_FILES):
        data = (CORPUS / name).read_bytes()
        assert detect_kind(str(CORPUS / name), data[:65536]) is None


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus/asa is absent")
def test_corpus_highlights():
    def model(name):
        return parse_asa((CORPUS / name).read_bytes(), name)

    tg = model("ntc-templates__show_running-config_tunnel-group.raw")
    assert tg.tunnel_group("tun01").type == "remote-access"
    assert tg.tunnel_group("10.15.20.25").ipsec_attributes.ikev1_psk.kind == "masked"
    assert tg.tunnel_group("tun01").ipsec_attributes.ikev2_remote_pre_shared_key.kind == "masked"
    assert tg.secrets() == []
    cm = model("ntc-templates__show_running-config_crypto_map.raw")
    views = cm.crypto_map_entries()
    assert [(v.entry.seq, v.unresolved_peers, v.pfs_group) for v in views] == [
        (20, ("Peer-1",), "group5"),
        (25, ("Peer-2",), "group2"),
    ]
    big = model("ntc-templates__show_running-config_all_crypto_map2.raw")
    e40 = big.crypto_maps["WAN1_CMAP"].entry(40)
    assert e40.sa_lifetime.kilobytes == 100000 and e40.sa_lifetime.seconds == 3600
    assert [o.text.split()[-2] for o in e40.other] == ["connection-type", "phase1-mode", "mode"]
    crypto = model("batfish__unit-tests_cisco_crypto.cfg")
    assert crypto.crypto_maps["VPN"].entry(5).pfs.group == "group14"  # the indented form
    assert crypto.dynamic_maps["mydefaultcryptomap"].entry(65535).sa_lifetime.kilobytes == 4608000
    assert crypto.transform_sets["IPSEC_AES_256"].transforms == ["esp-aes-256", "esp-sha-hmac"]
    assert crypto.ike_policies_for(2)[0].lifetime_none
    sample = model("ciscoconfparse__sample_01.asa")
    assert sample.version.numbers == (9, 0, 3) and len(sample.names) == 19
    assert sample.interface_by_nameif("OUTSIDE").dhcp
    # `host Machine01` is the name (192.0.2.13), `object Machine01` the object (192.0.2.5)
    assert str(sample.name_alias("Machine01").address) == "192.0.2.13"
    assert str(sample.network_object("Machine01").host) == "192.0.2.5"
    svc = model("batfish__asa-service-object.cfg")
    ogs1 = svc.object_group("OGS1").members
    assert ogs1[2].service.destination.values == ("1235",)  # `udp eq 1235  ! note`
    assert (ogs1[3].service.source.values, ogs1[3].service.destination.values) == (("3",), ("1236",))
