"""GitLab Code Quality: the fields GitLab reads, unique fingerprints stable across edits, severities."""

from __future__ import annotations

import json

from .conftest import lint


def report(capsys, *args):
    code, out, _ = lint(capsys, "check", "--format", "gitlab", *args)
    return code, json.loads(out)


def test_fields(tree, capsys):
    code, issues = report(capsys, "broken")
    assert code == 1 and len(issues) == 2
    for i in issues:
        assert {"description", "check_name", "fingerprint", "severity", "location"} <= set(i)
        assert i["location"]["path"] == "broken/davmail.properties"
        assert i["location"]["lines"]["begin"] == 5
    by_code = {i["check_name"].split()[0]: i for i in issues}
    assert by_code["DAV001"]["severity"] == "critical"  # an error
    assert by_code["DAV012"]["severity"] == "major"  # a warning
    assert by_code["DAV001"]["check_name"] == "DAV001 remote-clients-refused"


def test_security_rules_rank_higher(tree, capsys):
    (tree / "broken" / "davmail.properties").write_text(
        "davmail.server=true\ndavmail.allowRemote=true\ndavmail.imapPort=1143\n"
    )
    _code, issues = report(capsys, "broken", "--select", "DAV002")
    assert issues and {i["severity"] for i in issues} == {"blocker"}  # DAV002: security, error
    assert all(i["categories"] == ["Security"] for i in issues)


def test_fingerprints_unique_and_stable(tree, capsys):
    # the same unknown key three times: three findings, three fingerprints
    p = tree / "broken" / "davmail.properties"
    p.write_text("davmail.imapPrt=1\ndavmail.imapPrt=2\ndavmail.imapPrt=3\ndavmail.popPrt=4\n")
    _c, first = report(capsys, "broken", "--select", "DAV011")
    fps = [i["fingerprint"] for i in first]
    assert len(fps) == 4 and len(set(fps)) == 4
    p.write_text("# moved down\n\n" + p.read_text())
    _c, second = report(capsys, "broken", "--select", "DAV011")
    assert [i["fingerprint"] for i in second] == fps
    assert [i["location"]["lines"]["begin"] for i in second] == [3, 4, 5, 6]


def test_no_findings_is_an_empty_array(tree, capsys):
    code, issues = report(capsys, "ok")
    assert code == 0 and issues == []
