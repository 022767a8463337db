"""SARIF: valid against the OASIS 2.1.0 schema on several runs, no empty optional field, and every
property GitHub code scanning reads (rules, fingerprints, regions, categories, suppressions)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest

from cfglint.api import Diagnostic, Related, Severity, Span
from cfglint.fingerprints import line_hashes
from cfglint.registry import load_rules
from cfglint.reporters import ReportOptions
from cfglint.reporters.sarif import SarifReporter
from cfglint.runner import FileOutcome, RunResult
from cfglint.secrets import Masker

from .conftest import BROKEN, CANARY, lint

DATA = Path(__file__).parent / "data"
SHARED_SCHEMA = Path(__file__).resolve().parents[3] / "shared" / "schemas" / "sarif-schema-2.1.0.json"
SCHEMA = json.loads((DATA / "sarif-schema-2.1.0.json").read_text())
# Required by GitHub even when empty: a run without findings, a run where no rule ran.
ALLOWED_EMPTY = {("runs", "*", "results"), ("runs", "*", "tool", "driver", "rules")}


def validate(doc: dict) -> None:
    checker = jsonschema.Draft7Validator.FORMAT_CHECKER
    assert "uri" in checker.checkers, "install the test extras: format 'uri' needs rfc3986-validator"
    errors = sorted(jsonschema.Draft7Validator(SCHEMA, format_checker=checker).iter_errors(doc), key=str)
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:10])
    # The schema declares draft-04: it must hold under its own draft too.
    declared = jsonschema.validators.validator_for(SCHEMA)
    assert not list(declared(SCHEMA, format_checker=declared.FORMAT_CHECKER).iter_errors(doc))


def empty_values(node, path=()) -> list[tuple]:
    """Every None, "", [] or {} in the document, except where GitHub requires the key."""
    bad = []
    generic = tuple("*" if isinstance(p, int) else p for p in path)
    if node is None or node == "" or node == [] or node == {}:
        if generic not in ALLOWED_EMPTY:
            bad.append(path)
    if isinstance(node, dict):
        for k, v in node.items():
            bad += empty_values(v, (*path, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            bad += empty_values(v, (*path, i))
    return bad


def sarif(capsys, *args: str) -> tuple[int, dict]:
    code, out, err = lint(capsys, "check", "--format", "sarif", *args)
    assert code in (0, 1), err
    doc = json.loads(out)
    validate(doc)
    assert empty_values(doc) == []
    return code, doc


def test_vendored_schema_is_the_shared_one():
    if not SHARED_SCHEMA.is_file():
        pytest.skip("../shared/schemas is absent")
    assert json.loads(SHARED_SCHEMA.read_text()) == SCHEMA


# --------------------------------------------------------------------------------------------------
# Schema validity on several fixture runs


def test_examples_validate_and_carry_related_locations(examples, capsys):
    code, doc = sarif(capsys, "examples")
    assert code == 1
    run = doc["runs"][0]
    results = run["results"]
    assert results, "the broken examples have findings"
    dav001 = next(r for r in results if r["ruleId"] == "DAV001")
    assert dav001["relatedLocations"], "DAV001 points at the server line"
    for i, rel in enumerate(dav001["relatedLocations"], 1):
        assert rel["id"] == i and rel["message"]["text"]
        assert f"]({i})" in dav001["message"]["text"], "related locations are linked from the message"


def test_clean_run_validates(tree, capsys):
    code, doc = sarif(capsys, "ok")
    assert code == 0
    run = doc["runs"][0]
    assert run["results"] == []
    assert run["tool"]["driver"]["rules"], "the rules that ran are listed even without findings"


def test_no_files_validates(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "empty").mkdir()
    code, doc = sarif(capsys, "empty")
    assert code == 0 and doc["runs"][0]["results"] == []


def test_suppressed_results_left_out_unless_asked(tree, capsys):
    lines = BROKEN.splitlines(keepends=True)
    lines.insert(4, "# cfglint: ignore[DAV001, DAV012] -- lab box, reviewed by ops\n")
    (tree / "broken" / "davmail.properties").write_text("".join(lines))
    _, plain = sarif(capsys, "broken")
    assert {r["ruleId"] for r in plain["runs"][0]["results"]} & {"DAV001", "DAV012"} == set()
    assert all("suppressions" not in r for r in plain["runs"][0]["results"])
    _, full = sarif(capsys, "broken", "--sarif-include-suppressed")
    sup = [r for r in full["runs"][0]["results"] if "suppressions" in r]
    assert {r["ruleId"] for r in sup} == {"DAV001", "DAV012"}
    for r in sup:
        assert r["suppressions"] == [
            {"kind": "inSource", "status": "accepted", "justification": "lab box, reviewed by ops"}
        ]
    # the same findings keep the same structural fingerprint whether shown or not
    fp = {r["partialFingerprints"]["cfglint/v1"] for r in plain["runs"][0]["results"]}
    fp_full = {r["partialFingerprints"]["cfglint/v1"] for r in full["runs"][0]["results"] if "suppressions" not in r}
    assert fp == fp_full


def test_baseline_accepted_results_are_external_suppressions(tree, capsys):
    assert lint(capsys, "baseline", "create", "broken")[0] == 0
    _, doc = sarif(capsys, "broken", "--baseline", ".cfglint-baseline.json")
    assert doc["runs"][0]["results"] == []
    _, doc = sarif(capsys, "broken", "--baseline", ".cfglint-baseline.json", "--sarif-include-suppressed")
    results = doc["runs"][0]["results"]
    assert results and all(r["suppressions"][0]["kind"] == "external" for r in results)


def test_odd_paths_are_percent_encoded(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    d = tmp_path / "site a#1" / "dav%mail"
    d.mkdir(parents=True)
    (d / "davmail.properties").write_text(BROKEN)
    _, doc = sarif(capsys, ".")
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in doc["runs"][0]["results"]}
    assert uris == {"site%20a%231/dav%25mail/davmail.properties"}


# --------------------------------------------------------------------------------------------------
# What GitHub reads


def test_driver_and_rules(examples, capsys):
    from cfglint import __version__

    _, doc = sarif(capsys, "examples")
    run = doc["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "cfglint" and driver["semanticVersion"] == __version__
    assert "helpUri" not in json.dumps(driver), "no rule has a real documentation URL yet"
    ids = [r["id"] for r in driver["rules"]]
    assert len(ids) == len(set(ids))
    rules = load_rules()
    assert {"DAV001", "DAV021", "CFG004"} <= set(ids)
    for desc in driver["rules"]:
        rule = rules[desc["id"]]
        assert desc["name"] == rule.name
        assert 0 < len(desc["shortDescription"]["text"]) <= 1024
        assert 0 < len(desc["fullDescription"]["text"]) <= 1024
        assert desc["help"]["text"] and desc["help"]["markdown"].startswith(f"# {rule.code} {rule.name}")
        assert desc["defaultConfiguration"]["level"] == {"error": "error", "warning": "warning", "info": "note"}[
            rule.severity.value
        ]
        props = desc["properties"]
        assert props["tags"] == list(rule.tags)
        if rule.code.startswith(("CFG", "DAV")):
            assert props["precision"] == "very-high"  # engine and DavMail rules read files as Java does
        else:
            assert props["precision"] in ("very-high", "high", "medium", "low")
        if "security" in rule.tags:
            assert 0.1 <= float(props["security-severity"]) <= 10.0
        else:
            assert "security-severity" not in props
    for r in run["results"]:
        assert driver["rules"][r["ruleIndex"]]["id"] == r["ruleId"]
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"].endswith("/")
    assert run["columnKind"] == "utf16CodeUnits"


def test_security_severity_derived_from_severity(examples, capsys):
    _, doc = sarif(capsys, "examples")
    rules = {r["id"]: r for r in doc["runs"][0]["tool"]["driver"]["rules"]}
    assert rules["DAV002"]["properties"]["security-severity"] == "8.0"  # an error
    assert rules["DAV004"]["properties"]["security-severity"] == "5.5"  # a warning


def test_results_locations_and_fingerprints(examples, capsys):
    _, doc = sarif(capsys, "examples")
    for r in doc["runs"][0]["results"]:
        art = r["locations"][0]["physicalLocation"]["artifactLocation"]
        assert art["uriBaseId"] == "%SRCROOT%" and not art["uri"].startswith("/") and "\\" not in art["uri"]
        region = r["locations"][0]["physicalLocation"]["region"]
        assert set(region) == {"startLine", "startColumn", "endLine", "endColumn"}
        assert (region["endLine"], region["endColumn"]) >= (region["startLine"], region["startColumn"])
        fps = r["partialFingerprints"]
        assert re.fullmatch(r"[0-9a-f]{1,16}:[1-9][0-9]*", fps["primaryLocationLineHash"])
        assert re.fullmatch(r"[0-9a-f]{64}", fps["cfglint/v1"])


def test_line_hash_matches_codeql_action_on_the_file(examples, capsys):
    from cfglint.parsers import parser_for

    _, doc = sarif(capsys, "examples")
    same_as_upload_sarif = 0
    for r in doc["runs"][0]["results"]:
        loc = r["locations"][0]["physicalLocation"]
        data = (examples / loc["artifactLocation"]["uri"]).read_bytes()
        raw = data.decode("utf-8", "replace")
        masked = raw
        for secret in parser_for("davmail")(data, "x").secrets():
            masked = masked.replace(secret, "****")
        line = loc["region"]["startLine"]
        got = r["partialFingerprints"]["primaryLocationLineHash"]
        assert got == line_hashes(masked)[line]
        same_as_upload_sarif += got == line_hashes(raw)[line]
    # the example's keystore passwords sit near some findings only: the others hash exactly as
    # codeql-action's upload-sarif would
    assert same_as_upload_sarif >= 1


def test_structural_fingerprint_survives_edits_elsewhere(tree, capsys):
    _, before = sarif(capsys, "broken")
    p = tree / "broken" / "davmail.properties"
    p.write_text("# a comment added on top\n\ndavmail.logFilePath=/var/log/davmail.log\n" + p.read_text())
    _, after = sarif(capsys, "broken")

    def by_fp(doc):
        return {r["partialFingerprints"]["cfglint/v1"]: r for r in doc["runs"][0]["results"]}

    b, a = by_fp(before), by_fp(after)
    assert set(b) == set(a)
    for fp in b:
        start = lambda r: r["locations"][0]["physicalLocation"]["region"]["startLine"]  # noqa: E731
        assert start(a[fp]) == start(b[fp]) + 3


def test_category_by_family(tree, capsys, tmp_path):
    _, doc = sarif(capsys, "broken", "ok")
    assert doc["runs"][0]["automationDetails"]["id"] == "cfglint/davmail/"

    def category(*files: FileOutcome) -> str:
        res = RunResult(diagnostics=[], suppressed=[], files=list(files), internal_error=False)
        return SarifReporter().document(res, ReportOptions(version="0", root=tmp_path))["runs"][0]["automationDetails"]["id"]

    # by the families of the linted files, whatever the findings: stable from run to run
    assert category(FileOutcome("a", "davmail", True), FileOutcome("b", "asa", False)) == "cfglint/davmail/"
    assert category(FileOutcome("a", "davmail", True), FileOutcome("b", "asa", True)) == "cfglint/"


def test_category_override(tree, capsys):
    _, doc = sarif(capsys, "broken", "--sarif-category", "configs/davmail")
    assert doc["runs"][0]["automationDetails"]["id"] == "configs/davmail/"


def test_secrets_never_in_sarif_even_through_the_line_hash(tree, capsys):
    p = tree / "broken" / "davmail.properties"
    p.write_text(
        "davmail.server=true\n"
        "davmail.allowRemote=true\n"
        "davmail.imapPort=1143\n"
        "davmail.ssl.keystoreFile=/etc/davmail/keystore.p12\n"
        "davmail.ssl.keystoreType=PKCS12 \n"
        f"davmail.ssl.keystorePass={CANARY}\n"
        f"davmail.ssl.keystorePass={CANARY}3\n"
    )
    code, out, err = lint(capsys, "check", "broken", "--format", "sarif", "--sarif-include-suppressed")
    assert CANARY not in out and CANARY not in err
    doc = json.loads(out)
    validate(doc)
    raw = p.read_text()
    masked = raw.replace(CANARY + "3", "****").replace(CANARY, "****")
    near_secret = 0
    for r in doc["runs"][0]["results"]:
        line = r["locations"][0]["physicalLocation"]["region"]["startLine"]
        got = r["partialFingerprints"]["primaryLocationLineHash"]
        # hashed over the masked text; where the 100-character window reaches a password, that is
        # not the hash of the raw text (which could be inverted to recover a short password)
        assert got == line_hashes(masked)[line]
        near_secret += got != line_hashes(raw)[line]
    assert near_secret >= 1


# --------------------------------------------------------------------------------------------------
# Units: columns, related locations in other files, fallbacks


def _result(tmp_path, files: dict[str, tuple[str, bytes]], diags: list[Diagnostic], **kw) -> RunResult:
    for name, (_kind, data) in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(data)
    return RunResult(
        diagnostics=diags,
        suppressed=[],
        files=[FileOutcome(name, kind, True) for name, (kind, _d) in files.items()],
        internal_error=False,
        masker=kw.get("masker", Masker()),
        rules_run=sorted({d.code for d in diags}),
    )


def _diag(code: str, path: str, line: int, col: int, end_col: int, **kw) -> Diagnostic:
    rules = load_rules()
    return Diagnostic(code, rules[code].name, rules[code].severity, path, line, col, line, end_col, kw.pop("message", "m"), **kw)


def test_columns_are_utf16_code_units(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    # davmail files are read as ISO-8859-1: cfglint's column 17 is a byte offset; "é" is two
    # bytes, one UTF-16 unit. In a UTF-8 kind, "😀" is one character, two UTF-16 units.
    files = {
        "a.properties": ("davmail", "davmail.mode=é Xx\n".encode()),
        "b.sh": ("netns", "echo 😀 bad\n".encode()),
    }
    diags = [_diag("DAV015", "a.properties", 1, 17, 19), _diag("DAV015", "b.sh", 1, 8, 11)]
    doc = SarifReporter().document(_result(tmp_path, files, diags), ReportOptions(version="0.1.0", root=tmp_path))
    validate(doc)
    regions = [r["locations"][0]["physicalLocation"]["region"] for r in doc["runs"][0]["results"]]
    assert (regions[0]["startColumn"], regions[0]["endColumn"]) == (16, 18)
    assert (regions[1]["startColumn"], regions[1]["endColumn"]) == (9, 12)


def test_zero_width_finding_covers_the_rest_of_the_line(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    files = {"a.properties": ("davmail", b"davmail.mode=Bogus\n")}
    doc = SarifReporter().document(
        _result(tmp_path, files, [_diag("DAV015", "a.properties", 1, 1, 1)]), ReportOptions(version="0.1.0", root=tmp_path)
    )
    region = doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]
    assert (region["startColumn"], region["endColumn"]) == (1, 19)


def test_cross_file_related_location_and_link_escaping(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    files = {"site-a/x.properties": ("davmail", b"davmail.imapPort=1\n"), "site-b/x.properties": ("davmail", b"davmail.imapPort=1\n")}
    rel = Related(Span(path="site-b/x.properties", line=1, column=1, end_column=19), "the peer's [mirror] entry")
    d = _diag("DAV006", "site-a/x.properties", 1, 1, 19, related=(rel,), message="uses [brackets] too")
    doc = SarifReporter().document(_result(tmp_path, files, [d]), ReportOptions(version="0.1.0", root=tmp_path))
    validate(doc)
    r = doc["runs"][0]["results"][0]
    assert r["relatedLocations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "site-b/x.properties"
    assert r["message"]["text"] == r"uses \[brackets\] too (related: [the peer's \[mirror\] entry](1))"


def test_unreadable_file_has_no_line_hash_but_a_structural_fingerprint(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    d = Diagnostic("CFG001", "unreadable-file", Severity.ERROR, "gone.properties", 1, 1, 1, 1, "cannot read file", anchor="file")
    res = RunResult(diagnostics=[d], suppressed=[], files=[FileOutcome("gone.properties", "davmail", True)],
                    internal_error=False, rules_run=["CFG001"])
    doc = SarifReporter().document(res, ReportOptions(version="0.1.0", root=tmp_path))
    validate(doc)
    assert empty_values(doc) == []
    assert list(doc["runs"][0]["results"][0]["partialFingerprints"]) == ["cfglint/v1"]


def test_internal_error_marks_the_invocation(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    res = RunResult(diagnostics=[], suppressed=[], files=[], internal_error=True)
    doc = SarifReporter().document(res, ReportOptions(version="0.1.0", root=tmp_path))
    validate(doc)
    assert doc["runs"][0]["invocations"][0]["executionSuccessful"] is False
    assert doc["runs"][0]["automationDetails"]["id"] == "cfglint/"


# --------------------------------------------------------------------------------------------------
# codeql-action's own test vectors (src/fingerprints.test.ts)

VECTORS = [
    ("", ["c129715d7a2bc9a3:1"]),
    (" a\nb\n  \t\tc\n d", ["271789c17abda88f:1", "54703d4cd895b18:1", "180aee12dab6264:1", "a23a3dc5e078b07b:1"]),
    (" hello; \t\nworld!!!\n\n\n  \t\tGreetings\n End",
     ["8b7cf3e952e7aeb2:1", "b1ae1287ec4718d9:1", "bff680108adb0fcc:1", "c6805c5e1288b612:1",
      "b86d3392aea1be30:1", "e6ceba753e1a442:1"]),
    (" hello; \t\nworld!!!\n\n\n  \t\tGreetings\n End\n",
     ["e9496ae3ebfced30:1", "fb7c023a8b9ccb3f:1", "ce8ba1a563dcdaca:1", "e20e36e16fcb0cc8:1",
      "b3edc88f2938467e:1", "c8e28b0b4002a3a0:1", "c129715d7a2bc9a3:1"]),
    (" hello; \t\nworld!!!\r\r\r  \t\tGreetings\r End\r",
     ["e9496ae3ebfced30:1", "fb7c023a8b9ccb3f:1", "ce8ba1a563dcdaca:1", "e20e36e16fcb0cc8:1",
      "b3edc88f2938467e:1", "c8e28b0b4002a3a0:1", "c129715d7a2bc9a3:1"]),
    (" hello; \t\r\nworld!!!\r\n\r\n\r\n  \t\tGreetings\r\n End\r\n",
     ["e9496ae3ebfced30:1", "fb7c023a8b9ccb3f:1", "ce8ba1a563dcdaca:1", "e20e36e16fcb0cc8:1",
      "b3edc88f2938467e:1", "c8e28b0b4002a3a0:1", "c129715d7a2bc9a3:1"]),
    (" hello; \t\nworld!!!\r\n\n\r  \t\tGreetings\r End\r\n",
     ["e9496ae3ebfced30:1", "fb7c023a8b9ccb3f:1", "ce8ba1a563dcdaca:1", "e20e36e16fcb0cc8:1",
      "b3edc88f2938467e:1", "c8e28b0b4002a3a0:1", "c129715d7a2bc9a3:1"]),
    ("Lorem ipsum dolor sit amet.\n" * 10,
     ["a7f2ff13bc495cf2:1", "a7f2ff13bc495cf2:2", "a7f2ff13bc495cf2:3", "a7f2ff13bc495cf2:4",
      "a7f2ff13bc495cf2:5", "a7f2ff13bc495cf2:6", "a7f2ff1481e87703:1", "a9cf91f7bbf1862b:1",
      "55ec222b86bcae53:1", "cc97dc7b1d7d8f7b:1", "c129715d7a2bc9a3:1"]),
    ("x = 2\nx = 1\nprint(x)\nx = 3\nprint(x)\nx = 4\nprint(x)\n",
     ["e54938cc54b302f1:1", "bb609acbe9138d60:1", "1131fd5871777f34:1", "5c482a0f8b35ea28:1",
      "54517377da7028d2:1", "2c644846cb18d53e:1", "f1b89f20de0d133:1", "c129715d7a2bc9a3:1"]),
]


@pytest.mark.parametrize("text,expected", VECTORS)
def test_line_hash_vectors(text, expected):
    got = line_hashes(text)
    assert [got[n] for n in range(1, len(got) + 1)] == expected


def test_precision_and_security_severity_from_the_rule_class():
    from cfglint.api import FileRule
    from cfglint.reporters._ci import rule_precision, security_severity

    class Declared(FileRule, abstract=True):
        code, severity, precision, security_severity = "DAV999", Severity.ERROR, "medium", 9.5

    class DavDefault(FileRule, abstract=True):
        code, severity = "DAV998", Severity.WARNING

    class OtherDefault(FileRule, abstract=True):
        code, severity = "ASA998", Severity.INFO

    assert rule_precision(Declared) == "medium" and security_severity(Declared) == 9.5
    assert rule_precision(DavDefault) == "very-high" and security_severity(DavDefault) == 5.5
    assert rule_precision(OtherDefault) == "high" and security_severity(OtherDefault) == 2.0
    assert "DAV999" not in load_rules()


def test_line_hash_with_a_byte_order_mark(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    data = "\ufeffdavmail.mode=Bogus\ndavmail.imapPort=1143\n".encode()
    files = {"a.properties": ("davmail", data)}
    doc = SarifReporter().document(
        # read as ISO-8859-1, the BOM is three characters of line 1: "Bogus" starts at column 17
        _result(tmp_path, files, [_diag("DAV015", "a.properties", 1, 17, 22)]), ReportOptions(version="0", root=tmp_path)
    )
    r = doc["runs"][0]["results"][0]
    # codeql-action hashes the file as Node decodes it: the BOM is a character of line 1
    assert r["partialFingerprints"]["primaryLocationLineHash"] == line_hashes(data.decode())[1]
    region = r["locations"][0]["physicalLocation"]["region"]
    assert (region["startColumn"], region["endColumn"]) == (14, 19)
