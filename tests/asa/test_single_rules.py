"""Single-device ASA rules ASA006-ASA014: metadata, wording, the corner cases behind each silence,
and the reviewed findings on the corpus (every one a true positive, see the reply of the change)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from cfglint.api import FileContext, Severity
from cfglint.registry import load_rules

from .conftest import CORPUS, FIXTURES, corpus_files, parse

CODES = [f"ASA0{n:02d}" for n in range(6, 15)]
RULES = load_rules()
RULE_FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "rules"


def run(code: str, text: str, path: str = "test.cfg"):
    model = parse(text, path)
    return list(RULES[code]().check(model, FileContext(path=path, kind="asa")))


def lines_of(code: str, text: str) -> list[int]:
    return sorted(d.line for d in run(code, text))


def fixture_text(code: str, name: str) -> str:
    return (RULE_FIXTURES / code / name).read_text()


# -- metadata --------------------------------------------------------------------------------------


@pytest.mark.parametrize("code", CODES)
def test_metadata(code: str) -> None:
    rule = RULES[code]
    assert rule.kinds == ("asa",)
    assert rule.example_language == "cisco"
    assert "asa" in rule.tags
    assert rule.doc_section("References")
    assert rule.doc_section("Fix")
    assert rule.__module__.startswith("cfglint.rules.asa.")


def test_severities() -> None:
    want = {
        "ASA006": Severity.ERROR,
        "ASA007": Severity.WARNING,
        "ASA008": Severity.ERROR,
        "ASA009": Severity.ERROR,
        "ASA010": Severity.WARNING,
        "ASA011": Severity.ERROR,
        "ASA012": Severity.INFO,
        "ASA013": Severity.ERROR,
        "ASA014": Severity.ERROR,
    }
    assert {c: RULES[c].severity for c in CODES} == want


HEAD = """ASA Version 9.8(4)
hostname hq
interface GigabitEthernet0/0
 nameif outside
 ip address 192.0.2.1 255.255.255.0
interface GigabitEthernet0/1
 nameif inside
 ip address 10.0.0.1 255.255.255.0
"""

HEAD82 = HEAD.replace("9.8(4)", "8.2(5)")


# -- what a whole config is --------------------------------------------------------------------------


def test_complete_config_detection() -> None:
    from cfglint.rules.asa._single import is_complete_config

    assert is_complete_config(parse("ASA Version 9.8(4)\n"))
    assert is_complete_config(parse("PIX Version 7.2(4)\n"))
    assert is_complete_config(parse("hostname fw\ninterface Gi0/0\n nameif outside\n"))
    assert not is_complete_config(parse("hostname fw\n"))
    assert not is_complete_config(parse("crypto map M 10 match address A\ncrypto map M interface outside\n"))


# -- ASA006 ----------------------------------------------------------------------------------------


def test_asa006_lists_every_missing_piece_and_the_binding() -> None:
    (d,) = run("ASA006", HEAD + "crypto map M 10 set pfs\ncrypto map M interface outside\n")
    assert "has no ACL, no peer and no transform set or IKEv2 proposal" in d.message
    assert "`set ikev1 transform-set NAME` or `set ikev2 ipsec-proposal NAME`" in d.fix_title
    assert [r.span.line for r in d.related] == [10]


def test_asa006_legacy_fix_wording() -> None:
    (d,) = run("ASA006", HEAD82 + "crypto map M 10 set peer 1.2.3.4\ncrypto map M 10 match address A\n"
               "crypto map M interface outside\n")
    assert "`set transform-set NAME`" in d.fix_title and "ikev1" not in d.fix_title


def test_asa006_dynamic_entries_only_when_used_by_a_bound_map() -> None:
    dyn = "crypto dynamic-map D 10 set pfs\ncrypto map M 65535 ipsec-isakmp dynamic D\n"
    assert lines_of("ASA006", HEAD + dyn) == []  # M is not bound
    assert lines_of("ASA006", HEAD + dyn + "crypto map M interface outside\n") == [9]


def test_asa006_runs_on_a_crypto_map_excerpt() -> None:
    text = "crypto map M 10 set peer 192.0.2.9\ncrypto map M interface outside\n"
    assert lines_of("ASA006", text) == [1]


# -- ASA007 ----------------------------------------------------------------------------------------


def test_asa007_skips_excerpts() -> None:
    text = fixture_text("ASA007", "good_show_run_crypto_map_excerpt.cfg")
    assert run("ASA007", text) == []
    assert lines_of("ASA007", "ASA Version 9.8(4)\n" + text) == [6]


def test_asa007_points_at_the_empty_bound_map() -> None:
    (d,) = run("ASA007", fixture_text("ASA007", "bad_9x_map_name_typo.cfg"))
    assert "`crypto map outside-map interface outside` binds a map that has no entries" in d.message
    assert d.related and d.related[0].span.line == 14


# -- ASA008 ----------------------------------------------------------------------------------------

MAP_V1 = (
    "crypto map M 10 match address A\ncrypto map M 10 set peer 1.2.3.4\n"
    "crypto map M 10 set ikev1 transform-set T\ncrypto map M interface outside\n"
)


def test_asa008_names_the_command_of_the_version() -> None:
    (d,) = run("ASA008", HEAD82 + MAP_V1.replace("ikev1 ", ""))
    assert "`crypto isakmp enable outside`" in d.message
    (d,) = run("ASA008", HEAD + MAP_V1)
    assert "`crypto ikev1 enable outside`" in d.message


def test_asa008_enabled_version_decides() -> None:
    assert run("ASA008", HEAD + MAP_V1 + "crypto ikev1 enable outside\n") == []
    assert lines_of("ASA008", HEAD + MAP_V1 + "crypto ikev2 enable outside\n") == [11]
    # `crypto isakmp enable` on 8.4+ is IKEv1 too
    assert run("ASA008", HEAD + MAP_V1 + "crypto isakmp enable outside\n") == []


def test_asa008_fragment_and_undefined_interface_are_skipped() -> None:
    assert run("ASA008", MAP_V1) == []
    assert run("ASA008", HEAD + MAP_V1.replace("interface outside", "interface wan9")) == []


# -- ASA009 ----------------------------------------------------------------------------------------


def test_asa009_did_you_mean_by_kind() -> None:
    from cfglint.rules.asa._single import did_you_mean

    assert did_you_mean("BRANCH-NET", ["BRANCH-NETS", "HQ"]) == "BRANCH-NETS"
    assert did_you_mean("branch-nets", ["BRANCH-NETS"]) == "BRANCH-NETS"
    assert did_you_mean("XYZ", ["BRANCH-NETS"]) is None
    assert did_you_mean("A", []) is None
    # an ACL name is not suggested for a missing object-group
    text = HEAD + "access-list ACL-A extended permit ip object-group ACL-B any\naccess-list ACL-BB extended deny ip any any\n"
    (d,) = run("ASA009", text)
    assert d.message == "object-group 'ACL-B' is not defined (used in access-list ACL-A)"


def test_asa009_skips_excerpts_and_names_off() -> None:
    text = "crypto map M 10 match address MISSING\ncrypto map M 10 set ikev1 transform-set NOPE\n"
    assert run("ASA009", text) == []
    assert len(run("ASA009", "ASA Version 9.8(4)\n" + text)) == 2
    peer = HEAD + "crypto map M 10 set peer fw.example.net\n"
    assert run("ASA009", peer) == []
    assert lines_of("ASA009", peer.replace("hostname hq\n", "hostname hq\nnames\n")) == [10]


def test_asa009_builtin_group_policy_and_service() -> None:
    text = HEAD + (
        "object-group service S\n service-object object icmp-echo\n"
        "access-list X extended permit object-group S any any\n"
        "tunnel-group 1.2.3.4 type ipsec-l2l\ntunnel-group 1.2.3.4 general-attributes\n"
        " default-group-policy DfltGrpPolicy\n"
    )
    assert run("ASA009", text) == []


def test_asa009_one_finding_per_name_and_line() -> None:
    text = HEAD + "access-list X extended permit ip object N object N\n"
    assert len(run("ASA009", text)) == 1


# -- ASA010 ----------------------------------------------------------------------------------------


def test_asa010_only_permits_of_static_map_acls() -> None:
    text = HEAD + (
        "access-list C extended deny ip any any\n"
        "access-list C extended permit ip 10.0.0.0 255.255.255.0 any\n"
        "access-list OTHER extended permit ip any any\n"
        "crypto map M 10 match address C\n"
    )
    (d,) = run("ASA010", text)
    assert d.line == 10 and "destination `any`" in d.message


def test_asa010_any_before_9_is_ipv4_only_but_still_any() -> None:
    text = HEAD82 + "access-list C extended permit ip any 10.1.0.0 255.255.255.0\ncrypto map M 10 match address C\n"
    (d,) = run("ASA010", text)
    assert "source `any`" in d.message


# -- ASA011 ----------------------------------------------------------------------------------------

UNDECIDABLE = fixture_text("ASA011", "good_undecidable_cases_say_nothing.cfg")


@pytest.mark.parametrize(
    ("old", "new", "line_of"),
    [
        # with an exemption for another network, inside's flow is translated by `nat (inside) 1`
        ("permit ip 10.1.1.0 255.255.255.128 10.0.0.0", "permit ip 10.1.1.0 255.255.255.128 10.5.0.0",
         "access-list TO-HQ extended permit ip 10.1.1.0 255.255.255.0"),
        # without the static, the dmz server is translated by `nat (dmz) 1`
        ("static (dmz,outside) 198.51.100.4 172.16.1.10 netmask 255.255.255.255\n", "",
         "access-list TO-HQ extended permit ip host 172.16.1.10"),
        # without the policy NAT, the lab network is translated by `nat (lab) 1`
        ("nat (lab) 2 access-list LAB-POLICY\n", "", "access-list TO-HQ extended permit ip 192.168.9.0"),
    ],
)
def test_asa011_each_silence_has_its_reason(old: str, new: str, line_of: str) -> None:
    assert run("ASA011", UNDECIDABLE) == []
    text = UNDECIDABLE.replace(old, new)
    assert text != UNDECIDABLE
    want = next(i for i, ln in enumerate(text.splitlines(), 1) if ln.startswith(line_of))
    assert lines_of("ASA011", text) == [want]


NAT9 = HEAD + (
    "object network LAN\n subnet 10.0.0.0 255.255.255.0\n"
    "object network REMOTE\n subnet 10.9.0.0 255.255.0.0\n"
    "access-list C extended permit ip object LAN object REMOTE\n"
    "crypto map M 10 match address C\ncrypto map M 10 set peer 1.2.3.4\n"
    "crypto map M 10 set ikev1 transform-set T\ncrypto map M interface outside\n"
)
PAT = "nat (inside,outside) after-auto source dynamic any interface\n"
EXEMPT = "nat (inside,outside) source static LAN LAN destination static REMOTE REMOTE no-proxy-arp route-lookup\n"
REVERSED = "nat (outside,inside) source static REMOTE REMOTE destination static LAN LAN\n"


def test_asa011_modern_orders() -> None:
    assert lines_of("ASA011", NAT9 + PAT) == [13]
    assert run("ASA011", NAT9 + EXEMPT + PAT) == []
    # a static twice NAT is bidirectional: the exemption written from the other side works too
    assert run("ASA011", NAT9 + REVERSED + PAT) == []
    # ... unless it is unidirectional
    assert lines_of("ASA011", NAT9 + REVERSED.replace("\n", " unidirectional\n") + PAT) == [13]
    # an inactive exemption exempts nothing
    assert lines_of("ASA011", NAT9 + EXEMPT.replace("\n", " inactive\n") + PAT) == [13]
    # the exemption for another remote network does not cover this one
    other = EXEMPT.replace("destination static REMOTE REMOTE", "destination static LAN LAN")
    assert lines_of("ASA011", NAT9 + other + PAT) == [13]


def test_asa011_object_nat_and_service_rules() -> None:
    obj = "object network LAN\n nat (inside,outside) dynamic interface\n"
    assert lines_of("ASA011", NAT9 + obj) == [13]
    assert run("ASA011", NAT9 + EXEMPT + obj) == []
    # a rule restricted to a service cannot be decided: silence
    svc = EXEMPT.replace("no-proxy-arp", "service HTTPS HTTPS no-proxy-arp")
    assert run("ASA011", NAT9 + "object service HTTPS\n service tcp destination eq https\n" + svc + PAT) == []


def test_asa011_legacy_fix_uses_the_existing_exemption_acl() -> None:
    text = HEAD82 + (
        "access-list C extended permit ip 10.0.0.0 255.255.255.0 10.9.0.0 255.255.0.0\n"
        "access-list NONAT extended permit ip 10.0.0.0 255.255.255.0 10.8.0.0 255.255.0.0\n"
        "global (outside) 1 interface\nnat (inside) 0 access-list NONAT\nnat (inside) 1 0 0\n"
        "crypto map M 10 match address C\ncrypto map M 10 set peer 1.2.3.4\n"
        "crypto map M 10 set transform-set T\ncrypto map M interface outside\n"
    )
    (d,) = run("ASA011", text)
    assert d.line == 9
    assert "`access-list NONAT extended permit ip 10.0.0.0 255.255.255.0 10.9.0.0 255.255.0.0`" in d.fix_title
    assert "nat (inside) 0" not in d.fix_title
    assert {r.span.line for r in d.related} == {11, 13, 14}


def test_asa011_skips_excerpts_and_nat_free_configs() -> None:
    text = NAT9 + PAT
    assert run("ASA011", text.replace("ASA Version 9.8(4)\nhostname hq\n", "")) == []
    assert run("ASA011", NAT9) == []


# -- ASA012 ----------------------------------------------------------------------------------------

USES = fixture_text("ASA012", "good_every_kind_of_use.cfg")


@pytest.mark.parametrize(
    ("uses", "names"),
    [
        (
            [
                "access-list SPOKE-CRYPTO extended permit ip object HQ-LAN object-group SPOKES\n",
                "nat (inside,outside) source static HQ-LAN HQ-LAN destination static SPOKES SPOKES\n",
            ],
            {"HQ-LAN", "SPOKES"},
        ),
        ([" group-object SPOKE1-NETS\n"], {"SPOKE1-NETS"}),
        ([" network-object object SPOKE1-LAN\n"], {"SPOKE1-LAN"}),
        # DMZ-WEB2 loses its NAT line (its only use), WEB-PUBLIC its only reference
        ([" nat (inside,outside) static WEB-PUBLIC\n"], {"WEB-PUBLIC", "DMZ-WEB2"}),
        ([" service-object object HTTPS\n"], set()),  # HTTPS is also the protocol of an ACE
        (
            [" service-object object HTTPS\n", "access-list OUTSIDE-IN extended permit object HTTPS any host 172.16.0.10\n"],
            {"HTTPS"},
        ),
        (["access-list OUTSIDE-IN extended permit object-group MGMT any any\n"], {"MGMT"}),
        (["access-list OUTSIDE-IN extended permit tcp any any object-group WEB-PORTS\n"], {"WEB-PORTS"}),
        (["access-list OUTSIDE-IN extended permit icmp any any object-group PINGS\n"], {"PINGS"}),
        (["access-list OUTSIDE-IN extended permit object-group TUNNEL-PROTOS any any\n"], {"TUNNEL-PROTOS"}),
        (["access-list OUTSIDE-IN extended permit ip object-group-user NOC-USERS any any\n"], {"NOC-USERS"}),
        (["threat-detection scanning-threat shun except object-group SCAN-EXEMPT\n"], {"SCAN-EXEMPT"}),
    ],
)
def test_asa012_each_use_counts(uses: list[str], names: set[str]) -> None:
    assert run("ASA012", USES) == []
    text = USES
    for use in uses:
        assert use in text
        text = text.replace(use, "")
    got = {d.message.split(" is never used")[0].split()[-1] for d in run("ASA012", text)}
    assert got == names


def test_asa012_object_with_its_own_nat_is_used() -> None:
    text = HEAD + "object network WEB\n host 10.0.0.80\n nat (inside,outside) static 192.0.2.80\n"
    assert run("ASA012", text) == []
    assert lines_of("ASA012", text.replace(" nat (inside,outside) static 192.0.2.80\n", "")) == [9]


# -- ASA013 ----------------------------------------------------------------------------------------

TG = HEAD + "tunnel-group 1.2.3.4 type ipsec-l2l\ntunnel-group 1.2.3.4 ipsec-attributes\n"


@pytest.mark.parametrize(
    ("lines", "fires"),
    [
        (" ikev1 pre-shared-key *****\n", False),
        (" pre-shared-key Example-Key\n", False),
        (" ikev1 pre-shared-key\n", True),
        (" ikev2 local-authentication pre-shared-key *****\n", True),
        (" ikev2 local-authentication pre-shared-key *****\n ikev2 remote-authentication pre-shared-key 8 Zm9v\n", False),
        (" ikev2 local-authentication certificate TP\n ikev2 remote-authentication certificate\n", False),
        (" ikev1 trust-point TP\n", False),
        (" peer-id-validate nocheck\n", True),
    ],
)
def test_asa013_key_forms(lines: str, fires: bool) -> None:
    assert bool(run("ASA013", TG + lines)) is fires


def test_asa013_pix_isakmp_key_counts() -> None:
    text = HEAD + "tunnel-group 1.2.3.4 type ipsec-l2l\ncrypto isakmp key Example address 1.2.3.4 netmask 255.255.255.255\n"
    assert run("ASA013", text) == []


# -- ASA014 ----------------------------------------------------------------------------------------


def test_asa014_on_the_cycles_fixture() -> None:
    model = parse((FIXTURES / "groups-cycles.cfg").read_text(), "groups-cycles.cfg")
    diags = list(RULES["ASA014"]().check(model, FileContext(path="groups-cycles.cfg", kind="asa")))
    assert [(d.line, d.message.split(":")[1].strip()) for d in diags] == [
        (13, "A -> B -> C -> A"),
        (16, "the line adds nothing, and recursive expansion of the group never ends"),
        (25, "S1 -> S2 -> S1"),
    ]


# -- the corpus: every finding reviewed by hand ---------------------------------------------------

# (file, code, line): count. Reviewed: every ASA009 names a structure the file does not define
# (batfish grammar tests with deliberately undefined objects, ciscoconfparse's sample_01 with its
# undefined TSUNAMI_addrs); every ASA012 names an object or group nothing in the file refers to;
# ASA007: asa-gh-6042's outside_map has an entry and no `interface` binding.
CORPUS_FINDINGS = {
    ("batfish__asa-acl-object.cfg", "ASA009", 23): 3,
    ("batfish__asa-acl-object.cfg", "ASA012", 12): 1,
    ("batfish__asa-acl-object.cfg", "ASA012", 15): 1,
    ("batfish__asa-filters.cfg", "ASA009", 36): 1,
    ("batfish__asa-gh-6042.cfg", "ASA007", 9): 1,
    ("batfish__asa-gh-6042.cfg", "ASA009", 7): 2,
    ("batfish__asa-nat-twice-static.cfg", "ASA009", 39): 1,
    ("batfish__asa-nat-twice-static.cfg", "ASA009", 40): 1,
    ("batfish__asa-nested-icmp-type-object-group.cfg", "ASA009", 28): 1,
    ("batfish__asa-nested-icmp-type-object-group.cfg", "ASA009", 31): 1,
    ("batfish__asa-nested-icmp-type-object-group.cfg", "ASA012", 17): 1,
    ("batfish__asa-nested-icmp-type-object-group.cfg", "ASA012", 25): 1,
    ("batfish__asa-nested-icmp-type-object-group.cfg", "ASA012", 30): 1,
    ("batfish__asa-nested-network-object-group.cfg", "ASA009", 23): 1,
    ("batfish__asa-nested-network-object-group.cfg", "ASA009", 31): 1,
    ("batfish__asa-nested-network-object-group.cfg", "ASA012", 19): 1,
    ("batfish__asa-nested-network-object-group.cfg", "ASA012", 28): 1,
    ("batfish__asa-nested-protocol-object-group.cfg", "ASA009", 28): 1,
    ("batfish__asa-nested-protocol-object-group.cfg", "ASA009", 31): 1,
    ("batfish__asa-nested-protocol-object-group.cfg", "ASA012", 17): 1,
    ("batfish__asa-nested-protocol-object-group.cfg", "ASA012", 25): 1,
    ("batfish__asa-nested-protocol-object-group.cfg", "ASA012", 30): 1,
    ("batfish__asa-nested-service-object-group.cfg", "ASA009", 28): 1,
    ("batfish__asa-nested-service-object-group.cfg", "ASA009", 31): 1,
    ("batfish__asa-nested-service-object-group.cfg", "ASA012", 17): 1,
    ("batfish__asa-nested-service-object-group.cfg", "ASA012", 25): 1,
    ("batfish__asa-nested-service-object-group.cfg", "ASA012", 30): 1,
    ("batfish__asa-service-object.cfg", "ASA009", 21): 1,
    ("batfish__asa-service-object.cfg", "ASA009", 24): 1,
    ("batfish__asa-service-object.cfg", "ASA012", 10): 1,
    ("batfish__asa-service-object.cfg", "ASA012", 13): 1,
    ("batfish__asa-service-object.cfg", "ASA012", 20): 1,
    ("batfish__asa-service-object.cfg", "ASA012", 23): 1,
    ("batfish__asa-service-object.cfg", "ASA012", 26): 1,
    ("batfish__network-object.cfg", "ASA009", 16): 1,
    ("batfish__network-object.cfg", "ASA012", 10): 1,
    ("batfish__network-object.cfg", "ASA012", 13): 1,
    ("batfish__unit-tests_asa_acl.cfg", "ASA009", 9): 1,
    ("batfish__unit-tests_asa_nat.cfg", "ASA009", 6): 2,
    ("batfish__unit-tests_asa_nat.cfg", "ASA009", 7): 2,
    ("batfish__unit-tests_asa_nat.cfg", "ASA009", 8): 2,
    ("batfish__unit-tests_asa_nat.cfg", "ASA009", 9): 2,
    ("batfish__unit-tests_asa_nat.cfg", "ASA009", 10): 2,
    ("batfish__unit-tests_asa_nat.cfg", "ASA009", 11): 4,
    ("batfish__unit-tests_asa_nat.cfg", "ASA009", 12): 2,
    ("batfish__unit-tests_asa_nat.cfg", "ASA009", 13): 4,
    ("batfish__unit-tests_asa_nat.cfg", "ASA009", 18): 1,
    ("batfish__unit-tests_asa_nat.cfg", "ASA009", 19): 1,
    ("batfish__unit-tests_asa_nat.cfg", "ASA009", 20): 1,
    ("batfish__unit-tests_asa_nat.cfg", "ASA009", 22): 1,
    ("batfish__unit-tests_asa_nat.cfg", "ASA009", 23): 1,
    ("batfish__unit-tests_asa_object_groups.cfg", "ASA012", 9): 1,
    ("batfish__unit-tests_asa_object_groups.cfg", "ASA012", 12): 1,
    ("ciscoconfparse__sample_01.asa", "ASA009", 271): 1,
    ("ciscoconfparse__sample_01.asa", "ASA009", 272): 1,
    ("ciscoconfparse__sample_01.asa", "ASA012", 140): 1,
    ("ciscoconfparse__sample_01.asa", "ASA012", 163): 1,
    ("ciscoconfparse__sample_01.asa", "ASA012", 207): 1,
    ("ciscoconfparse__sample_01.asa", "ASA012", 218): 1,
    ("ciscoconfparse__sample_01.asa", "ASA012", 224): 1,
    ("ciscoconfparse__sample_01.asa", "ASA012", 225): 1,
    ("ciscoconfparse__sample_01.asa", "ASA012", 228): 1,
    ("ciscoconfparse__sample_01.asa", "ASA012", 230): 1,
    ("ciscoconfparse__sample_01.asa", "ASA012", 250): 1,
    ("ciscoconfparse__sample_01.asa", "ASA012", 252): 1,
    ("ciscoconfparse__sample_01.asa", "ASA012", 254): 1,
}


def _findings(paths) -> Counter:
    got: Counter = Counter()
    for p in paths:
        model = parse(p.read_text(encoding="utf-8", errors="replace"), p.name)
        for code in CODES:
            for d in RULES[code]().check(model, FileContext(path=p.name, kind="asa")):
                got[(p.name, d.code, d.line)] += 1
    return got


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus/asa is absent")
def test_corpus_findings_are_the_reviewed_ones() -> None:
    got = _findings(corpus_files())
    assert dict(got) == CORPUS_FINDINGS


def test_fixture_configs_and_example_findings() -> None:
    examples = Path(__file__).resolve().parents[2] / "examples" / "asa-vpn-asymmetric"
    paths = sorted(FIXTURES.glob("*.cfg")) + sorted(examples.glob("*/*.cfg"))
    got = _findings(paths)
    assert dict(got) == {
        ("groups-cycles.cfg", "ASA009", 19): 1,  # group-object MISSING
        ("groups-cycles.cfg", "ASA014", 13): 1,
        ("groups-cycles.cfg", "ASA014", 16): 1,
        ("groups-cycles.cfg", "ASA014", 25): 1,
        ("hub-98.cfg", "ASA009", 120): 1,  # default-group-policy L2L, no `group-policy L2L`
        ("hub-98.cfg", "ASA012", 43): 1,  # object network UPDATES (fqdn), used nowhere
    }


def test_entries_made_of_unreadable_lines_are_left_to_cfg004() -> None:
    text = HEAD + "crypto map M 10 match address\n"
    assert parse(text).problems
    assert run("ASA007", text) == []
    assert run("ASA006", text + "crypto map M interface outside\n") == []
    # one readable line is enough for the entry to count
    assert lines_of("ASA007", text + "crypto map M 10 set peer 1.2.3.4\n") == [9]


def test_asa009_leaves_names_of_unreadable_lines_to_cfg004() -> None:
    text = HEAD + "access-list VPN extended permit ip host\ncrypto map M 10 match address VPN\n"
    assert parse(text).problems
    assert run("ASA009", text) == []
    assert lines_of("ASA009", text.replace("VPN extended", "OTHER extended")) == [10]


def test_asa011_fix_titles() -> None:
    (d,) = run("ASA011", fixture_text("ASA011", "bad_9x_identity_nat_after_the_pat.cfg"))
    assert "as line 1: `nat (inside,outside) 1 source static INSIDE-NET INSIDE-NET" in d.fix_title
    assert any("comes after the dynamic rule" in r.message for r in d.related)
    (d,) = run("ASA011", fixture_text("ASA011", "bad_82_nat0_on_inside_only.cfg"))
    assert d.fix_title == "Exempt it on voice too: `nat (voice) 0 access-list NONAT`"
    (d,) = run("ASA011", fixture_text("ASA011", "bad_9x_object_nat_pat_no_twice_nat.cfg"))
    assert "source static INSIDE-NET INSIDE-NET destination static HQ-NET HQ-NET" in d.fix_title


def _lean_vs_model(model) -> None:
    from cfglint.rules.asa._single import references, undefined_references

    def key(r):
        return (r.kind, r.name, r.span.line, r.span.column, r.context, r.owner)

    want = Counter(key(r) for r in model.references() if r.kind != "time-range")
    assert Counter(key(r) for r in references(model)) == want
    assert Counter(key(r) for r in references(model, with_names=False)) == Counter(
        k for k in want.elements() if k[0] != "name"
    )
    want_undef = Counter(key(r) for r in model.undefined_references())
    assert Counter(key(r) for r in undefined_references(model, with_names=True)) == want_undef


def test_lean_references_match_the_model_analysis() -> None:
    paths = corpus_files() + sorted(FIXTURES.glob("*.cfg")) + sorted(RULE_FIXTURES.glob("ASA0*/*.cfg"))
    assert paths
    for p in paths:
        _lean_vs_model(parse(p.read_text(encoding="utf-8", errors="replace"), p.name))


def test_interface_behind_uses_connected_networks_and_static_routes() -> None:
    from ipaddress import ip_network

    from cfglint.rules.asa._single import interface_behind, routed_elsewhere

    m = parse(
        HEAD
        + "names\nname 10.7.0.0 LAB\n"
        + "route inside 10.0.64.0 255.255.192.0 10.0.0.254 1\n"
        + "route outside 10.0.99.0 255.255.255.0 192.0.2.254\n"
        + "route inside LAB 255.255.0.0 10.0.0.253\n"
        + "route outside 0.0.0.0 0.0.0.0 192.0.2.254 1\n"
    )
    assert interface_behind(m, ip_network("10.0.0.0/25")) == "inside"
    assert interface_behind(m, ip_network("10.0.64.0/24")) == "inside"
    assert interface_behind(m, ip_network("10.7.1.0/24")) == "inside"  # through the `name`
    assert interface_behind(m, ip_network("192.0.2.128/25")) == "outside"
    assert interface_behind(m, ip_network("172.16.0.0/16")) is None  # only the default route
    assert interface_behind(m, ip_network("10.0.0.0/8")) is None  # spans several routes
    # 10.0.99.0/24 is in the inside /18, but its own route sends it outside
    assert routed_elsewhere(m, ip_network("10.0.99.0/24"), "inside")
    assert not routed_elsewhere(m, ip_network("10.0.99.0/24"), "outside")
    assert routed_elsewhere(m, ip_network("10.0.98.0/24"), "outside")
    assert not routed_elsewhere(m, ip_network("172.16.0.0/16"), "outside")


def test_indexed_interface_behind_equals_the_plain_scan():
    """The longest-prefix index gives the same answer as the plain scan over every route."""
    import random
    from ipaddress import ip_network

    from cfglint.parsers.asa import parse_asa
    from cfglint.rules.asa._single import _interface_behind_scan, interface_behind

    rng = random.Random(7)
    for trial in range(30):
        lines = ["ASA Version 9.8(4)", "hostname r"]
        for i, nameif in enumerate(("inside", "dmz", "outside")):
            lines += [f"interface GigabitEthernet0/{i}", f" nameif {nameif}", f" security-level {i * 50}",
                      f" ip address 10.{i}.{rng.randrange(4)}.1 255.255.{rng.choice([0, 252, 255])}.0"]
        for _ in range(rng.randrange(1, 40)):
            p = rng.randrange(8, 31)
            net = ip_network(f"10.{rng.randrange(4)}.{rng.randrange(256)}.{rng.randrange(256)}/{p}", strict=False)
            lines.append(f"route {rng.choice(['inside', 'dmz', 'outside'])} {net.network_address} {net.netmask} 192.0.2.1 1")
        lines.append("route outside 0.0.0.0 0.0.0.0 192.0.2.1 1")
        m = parse_asa("\n".join(lines).encode(), f"r{trial}.cfg")
        for _ in range(60):
            p = rng.randrange(8, 33)
            net = ip_network(f"10.{rng.randrange(4)}.{rng.randrange(256)}.{rng.randrange(256)}/{p}", strict=False)
            assert interface_behind(m, net) == _interface_behind_scan(m, net), (trial, net)
