"""File kind recognition: names, content sniffing, the `kinds` table, the shared corpus."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cfglint.kinds import (
    ASA,
    DAVMAIL,
    HADOOP_ENV,
    HEAD_BYTES,
    KIND_DESCRIPTIONS,
    KINDS,
    NETNS,
    SHELL_PROFILE,
    detect_kind,
    read_head,
    validate_kind,
)
from tests.conftest import fuzz_examples

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"


def kind(path: str, text: str | bytes = b"", **kw) -> str | None:
    head = text.encode("latin-1") if isinstance(text, str) else text
    return detect_kind(path, head, **kw)


def test_constants():
    assert set(KINDS) == {"asa", "davmail", "hadoop-env", "shell-profile", "netns"}
    assert set(KIND_DESCRIPTIONS) == set(KINDS)
    assert HEAD_BYTES == 65536


# --------------------------------------------------------------------------------------------------
# DavMail

DAVMAIL_PROPS = """\
# DavMail settings
davmail.url=https://outlook.office365.com/EWS/Exchange.asmx
davmail.mode=O365Modern
davmail.imapPort=1143
davmail.allowRemote = false
log4j.rootLogger=WARN
"""


def test_davmail_by_name_even_empty():
    assert kind("davmail.properties") == DAVMAIL
    assert kind("/opt/davmail/conf/davmail.properties", b"") == DAVMAIL
    assert kind("corpus/robdyke_docker-davmail--davmail.properties", b"") == DAVMAIL  # flattened name


def test_davmail_properties_any_name():
    assert kind("gateway.properties", DAVMAIL_PROPS) == DAVMAIL
    assert kind("x/ms-365_davmail.properties", "  davmail.url: https://x\n") == DAVMAIL


def test_properties_without_davmail_keys():
    assert kind("app.properties", "server.port=8080\nlog4j.logger.davmail=WARN\n") is None
    assert kind("app.properties", "# davmail.url=https://x\n! davmail.mode=EWS\nfoo=bar\n") is None
    assert kind("empty.properties", b"") is None


def test_davmail_content_other_extensions():
    assert kind("davmail.conf", DAVMAIL_PROPS) == DAVMAIL
    assert kind("etc/davmail", DAVMAIL_PROPS) == DAVMAIL
    assert kind("gateway.cfg", "davmail.server=true\r\ndavmail.caldavPort=1080\r\n") == DAVMAIL


def test_davmail_content_negative():
    prose = "DavMail is configured with davmail.url and davmail.mode.\nSee the documentation.\n"
    assert kind("notes.txt", prose) is None
    mostly_other = "a=1\nb=2\nc=3\nd=4\ndavmail.url=x\n"
    assert kind("app.conf", mostly_other) is None
    assert kind("README.md", DAVMAIL_PROPS) is None  # documentation quoting a config


# --------------------------------------------------------------------------------------------------
# Cisco ASA

ASA_WITH_HEADER = """\
: Saved
:
: Serial Number: JMX0000X0XX
: Hardware:   ASA5506, 4096 MB RAM
:
ASA Version 9.8(4)
!
hostname fw1
"""

ASA_HEADERLESS = """\
interface GigabitEthernet0/0
 nameif outside
 security-level 0
 ip address 203.0.113.2 255.255.255.0
!
access-list outside_in extended permit tcp any host 10.0.0.5 eq https
"""

IOS_CONFIG = """\
!
version 15.2
service timestamps debug datetime msec
hostname r1
!
crypto isakmp policy 10
 encr aes 256
 authentication pre-share
 group 14
crypto map VPN 10 ipsec-isakmp
 set peer 198.51.100.1
 match address CRYPTO
!
object-group network SERVERS
 host 10.0.0.5
object-group service WEB
 tcp eq www
!
interface GigabitEthernet0/0
 ip address 192.0.2.1 255.255.255.0
 crypto map VPN
!
ip access-list extended CRYPTO
 permit ip 10.0.0.0 0.0.0.255 10.1.0.0 0.0.0.255
"""


def test_asa_header_any_extension():
    assert kind("fw1.txt", ASA_WITH_HEADER) == ASA
    assert kind("configs/fw1", ASA_WITH_HEADER) == ASA
    assert kind("fw1.cfg", "PIX Version 6.3(5)\nnameif ethernet0 outside security0\n") == ASA


def test_asa_two_markers_without_header():
    assert kind("running-config", ASA_HEADERLESS) == ASA
    assert (
        kind("fw1.txt", "same-security-traffic permit inter-interface\ntunnel-group 1.2.3.4 type ipsec-l2l\n")
        == ASA
    )
    crypto = "crypto map outside_map 1 match address VPN\ncrypto map outside_map interface outside\n"
    assert kind("vpn.raw", crypto) == ASA


def test_asa_one_marker_is_not_enough():
    assert kind("fw1.txt", "object-group network SERVERS\n host 10.0.0.5\n") is None
    assert kind("fw1.txt", "access-list X extended permit ip any any\n") is None
    assert kind("fw1.txt", "tunnel-group 1.2.3.4 type ipsec-l2l\n") is None


def test_ios_config_is_not_asa():
    assert kind("r1.cfg", IOS_CONFIG) is None
    # even with lines an ASA would also accept
    assert kind("r1.cfg", IOS_CONFIG + ASA_HEADERLESS) is None
    assert kind("r1", "hostname r1\ninterface GigabitEthernet0/1\n ip address 10.0.0.1 255.0.0.0\n") is None


def test_asa_context_markers():
    # an `object network` body line counts only inside an object
    assert kind("objects.raw", "object network web\n host 10.0.0.5\n") == ASA
    assert kind("objects.raw", "object network web\n description x\n") is None
    assert kind("x.raw", "interface Vlan1\n host 10.0.0.5\n") is None


def test_asa_not_for_sources_or_shell():
    assert kind("notes.md", ASA_WITH_HEADER) is None
    assert kind("gen.sh", ASA_WITH_HEADER) is None
    assert kind("gen", "#!/bin/sh\n" + ASA_WITH_HEADER) is None


def test_asa_non_utf8_and_crlf():
    head = ASA_HEADERLESS.replace("\n", "\r\n").encode() + b"! caf\xe9 \xff\xfe\n"
    assert detect_kind("fw1.txt", head) == ASA
    assert detect_kind("fw1.txt", b"\xef\xbb\xbf" + ASA_WITH_HEADER.encode()) == ASA


# --------------------------------------------------------------------------------------------------
# Hadoop env


@pytest.mark.parametrize(
    "name",
    [
        "hadoop-env.sh",
        "etc/hadoop/yarn-env.sh",
        "mapred-env.sh",
        "httpfs-env.sh",
        "kms-env.sh",
        "/etc/default/hadoop",
        "/etc/default/hadoop-hdfs-namenode",
        "/etc/default/yarn",
        "/etc/default/hdfs",
        "/etc/default/mapreduce",
        "/etc/default/bigtop-utils",
        "/usr/lib/bigtop-utils/bigtop-utils",
        "src/hdfs.default",
        "hadoop-fuse.default",
        "bigtop-utils.default",
        # `--`-flattened corpus names
        "bigtop-HEAD--etc-default-bigtop-utils",
        "hdp2--dstreev--etc-default-hadoop",
        "bigtop-HEAD--hdfs.default",
        "hadoop-3.1.1--deepcodejam--yarn-env.sh",
        "bigtop-HEAD--conf.secure-hadoop-env.sh",
    ],
)
def test_hadoop_env_by_name(name):
    assert kind(name, b"") == HADOOP_ENV
    assert kind(name, b"\x00binary") == HADOOP_ENV  # the name decides; the engine reports binary


@pytest.mark.parametrize(
    "name", ["/etc/default/grub", "grub.default", "hadoop-env.sh.bak", "docs/hadoop", "etc-default-hadoop"]
)
def test_hadoop_env_name_negative(name):
    assert kind(name, b"") is None


HADOOP_ENV_TEXT = """\
# cluster settings
export JAVA_HOME=/usr/lib/jvm/java-8-openjdk-amd64
export HADOOP_HOME=/opt/hadoop
export HADOOP_CONF_DIR=${HADOOP_HOME}/etc/hadoop
HADOOP_OPTS="$HADOOP_OPTS -Djava.net.preferIPv4Stack=true"
"""


def test_hadoop_env_by_content():
    assert kind("cluster-env.sh", HADOOP_ENV_TEXT) == HADOOP_ENV
    assert kind("conf/site-env", HADOOP_ENV_TEXT) == HADOOP_ENV


def test_hadoop_env_content_negative():
    one_var = "export JAVA_HOME=/usr/lib/jvm\nexport HADOOP_HOME=/opt/hadoop\n"
    assert kind("env.sh", one_var) is None
    no_export = "HADOOP_HOME=/opt/hadoop\nHADOOP_CONF_DIR=/etc/hadoop\n"
    assert kind("env.sh", no_export) is None
    launcher = "#!/bin/bash\nexport HADOOP_HOME=/opt/hadoop\nexport HADOOP_CONF_DIR=/etc/hadoop\n" + (
        'if [ -n "$1" ]; then\n  exec "$HADOOP_HOME/bin/hdfs" "$@"\nfi\nfor f in a b; do\n  echo $f\ndone\n'
        * 3
    )
    assert kind("start-all.sh", launcher) is None
    assert kind("hadoop.xml", HADOOP_ENV_TEXT) is None


# --------------------------------------------------------------------------------------------------
# Shell profiles


@pytest.mark.parametrize(
    "name",
    [
        ".bash_profile",
        "/home/hdfs/.bashrc",
        "/root/.profile",
        ".bash_login",
        ".zshrc",
        "/etc/profile",
        "/etc/profile.d/hadoop.sh",
        "/etc/environment",
        "ansible--etc-profile.d-java.sh",
    ],
)
def test_shell_profile_by_name(name):
    assert kind(name, "export JAVA_HOME=/usr/lib/jvm\nip link set lo up\n") == SHELL_PROFILE


@pytest.mark.parametrize(
    "name", ["docs/profile", "profile", "app/environment", "/etc/profile.d/README", "bashrc"]
)
def test_shell_profile_negative(name):
    assert kind(name, "export PATH=$PATH:/opt/bin\n") is None


# --------------------------------------------------------------------------------------------------
# netns scripts


@pytest.mark.parametrize(
    "text",
    [
        "sudo ip netns exec x ip link set lo up\n",
        "ip link add veth0 type veth peer name veth1\n",
        "set -e; ip -n ns1 addr add 10.0.0.1/24 dev veth1\n",
        "brctl addbr br0\n",
        "iptables -t nat -A POSTROUTING -j MASQUERADE\n",
        "ip6tables -A INPUT -j DROP\n",
        "nft add table inet filter\n",
        "/sbin/ip route add default via 10.0.0.1\n",
        "ns=$(ip netns list | head -n1)\n",
        'echo "netns: $(ip -n "$ns" link show)"\n',
        "cleanup() { ip netns del ns1; }\n",
        "if ! ip link show br0 >/dev/null 2>&1; then\n  exit 1\nfi\n",
        "[ -x /sbin/ip ] && ip addr flush dev eth0\n",
        "ip \\\n  link set eth0 up\n",
        "command -v nft >/dev/null || iptables-restore < rules.v4\n",
        "timeout 5 ip route get 1.1.1.1\n",
        "sudo -E ip link set eth0 up\n",
        'ip "$@"\n',
        "ip $IPV6 route flush table main\n",
        "nsenter -t 1 -n ip link set lo up\n",
        "chroot /mnt iptables -L\n",
        "env -u X FOO=1 brctl show\n",
        "echo 1 | xargs -I {} ip -n ns addr add {} dev veth0\n",
    ],
)
def test_netns_positive(text):
    assert kind("setup.sh", text) == NETNS


@pytest.mark.parametrize(
    "text",
    [
        "# use ip link to see the devices\necho done\n",
        'echo "run: ip link set eth0 up"\n',
        "echo 'iptables -F is dangerous'\n",
        "for ip in 10.0.0.1 10.0.0.2; do ping -c1 $ip; done\n",
        "ip=10.0.0.1\nlocal ip\nread ip\n",
        "cat <<EOF\nip link set eth0 up\nEOF\necho ok\n",
        "cat <<-'END'\n\tiptables -F\n\tEND\n",
        "case $x in\n  ip) echo ip ;;\nesac\n",
        "echo ${ip} ${#ip}\n",
        "my_ip link\n",
    ],
)
def test_netns_negative(text):
    assert kind("script.sh", text) is None


def test_netns_shebang_without_extension():
    assert kind("bin/netup", "#!/bin/bash\nip link set eth0 up\n") == NETNS
    assert kind("bin/netup", "#!/usr/bin/env bash\nnft flush ruleset\n") == NETNS
    assert kind("bin/netup", "#!/bin/sh -e\nbrctl addif br0 eth0\n") == NETNS
    assert kind("bin/netup.bash", "iptables -L\n") == NETNS


def test_netns_requires_a_shell_script():
    assert kind("notes.txt", "ip link set eth0 up\n") is None
    assert kind("bin/netup", "#!/usr/bin/python3\nip link set eth0 up\n") is None


def test_hadoop_env_name_wins_over_netns():
    assert kind("hadoop-env.sh", "iptables -A INPUT -j ACCEPT\n") == HADOOP_ENV


# --------------------------------------------------------------------------------------------------
# Binary, the kinds table, validation


def test_binary_content():
    # Recognised from the complete lines before the first NUL only: the engine then reports the
    # file as binary (CFG002) instead of skipping a corrupted config.
    assert kind("fw1.txt", b"ASA Version 9.8\n\x00\x01") == ASA
    assert kind("fw1.txt", b"ASA Version 9.8\nhostname fw\n" + b"\x00" * 4096) == ASA
    assert kind("fw1.txt", b"ASA Version 9.8\x00\n") is None  # no complete line before it
    assert kind("setup.sh", b"ip link\x00") is None
    assert kind("fw.cfg", bytes((i * 7919 + 13) % 256 for i in range(4096))) is None  # noise
    assert kind("fw1.bin", b"\x00\x00", kind_globs={"*.bin": "asa"}) == ASA


def test_kind_globs_override_and_ignore(tmp_path):
    assert kind("fw1.cfg", b"", kind_globs={"*.cfg": "asa"}) == ASA
    # the table wins over names and content
    assert kind("conf/davmail.properties", DAVMAIL_PROPS, kind_globs={"davmail.properties": "ignore"}) is None
    assert kind("hadoop-env.sh", b"", kind_globs={"*.sh": "none"}) is None
    # relative to root: anchored globs
    globs = {"*.cfg": "asa", "/legacy/**": "ignore"}
    assert kind(tmp_path / "legacy" / "fw1.cfg", b"", kind_globs=globs, root=tmp_path) is None
    assert kind(tmp_path / "site" / "fw1.cfg", b"", kind_globs=globs, root=tmp_path) == ASA
    # last matching glob wins
    assert kind("a.conf", b"", kind_globs={"*.conf": "ignore", "a.conf": "davmail"}) == DAVMAIL
    assert kind("a.conf", b"", kind_globs={"a.conf": "davmail", "*.conf": "ignore"}) is None
    # no glob matches: the usual rules apply
    assert kind("hadoop-env.sh", b"", kind_globs={"*.cfg": "asa"}) == HADOOP_ENV
    # without a root, globs see the base name
    assert kind("deep/dir/fw1.cfg", b"", kind_globs={"fw1.cfg": "asa"}) == ASA


def test_unknown_kind_in_table():
    with pytest.raises(ValueError, match="unknown file kind 'cisco'"):
        kind("fw1.cfg", b"", kind_globs={"*.cfg": "cisco"})


def test_validate_kind():
    for k in KINDS:
        assert validate_kind(k) == k
    assert validate_kind("ignore") == "ignore"
    assert validate_kind("none") == "none"
    with pytest.raises(ValueError, match="expected one of: davmail, asa"):
        validate_kind("yaml")
    with pytest.raises(ValueError):
        validate_kind("ignore", allow_ignore=False)


def test_read_head(tmp_path):
    big = tmp_path / "big.cfg"
    big.write_bytes(b"x" * (HEAD_BYTES + 100))
    assert len(read_head(big)) == HEAD_BYTES
    with pytest.raises(OSError):
        read_head(tmp_path / "missing")
    with pytest.raises(OSError):
        read_head(tmp_path)


@settings(max_examples=fuzz_examples(150), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    name=st.sampled_from(
        ["x", "x.sh", "a.properties", "fw1.txt", "davmail.conf", "hadoop-env.sh", "", "a--b"]
    ),
    prefix=st.sampled_from(
        [b"", b"#!/bin/sh\n", b"ASA Version 9\n", b"davmail.url=", b"export HADOOP_X=1\n"]
    ),
    head=st.binary(max_size=400),
)
def test_random_bytes_never_raise(name, prefix, head):
    result = detect_kind(name, prefix + head)
    assert result is None or result in KINDS


@settings(max_examples=fuzz_examples(100), deadline=None)
@given(st.text(alphabet="ip link;&|$()`'\"\\#\n<-EOF{}", max_size=200))
def test_shell_scanner_never_raises(text):
    assert kind("s.sh", text.encode("utf-8")) in (None, NETNS)


# --------------------------------------------------------------------------------------------------
# The shared corpus: every file is recognised as the kind of its directory, except those listed.

CORPUS_DIRS = {"asa": ASA, "davmail": DAVMAIL, "hadoop": HADOOP_ENV, "netns": NETNS}

# Files that are NOT of their directory's kind, and why.
CORPUS_EXCEPTIONS: dict[str, str | None] = {
    # IOS router configs kept in corpus/asa as the IPsec peer set for cross-file rules: no ASA
    # header, `crypto isakmp` / `crypto map X N ipsec-isakmp` (IOS syntax), `ip access-list
    # extended`, no nameif. Not ASA, so not recognised.
    "asa/batfish__ios-crypto-ipsec_r1.cfg": None,
    "asa/batfish__ios-crypto-ipsec_r2.cfg": None,
    "asa/batfish__ios-crypto-ipsec_r3.cfg": None,
    "asa/batfish__ios-crypto-map.cfg": None,
}
# corpus/netns: every script was checked by hand and does call ip / brctl / iptables / nft as a
# command (xen vif-nat only in `if ip route | grep ...`; its other calls go through do_or_die),
# so there is no exception there.


def _corpus_cases():
    for dirname, expected in CORPUS_DIRS.items():
        d = CORPUS / dirname
        if not d.is_dir():
            yield pytest.param(
                dirname, None, None, marks=pytest.mark.skip(reason=f"{d} is absent"), id=dirname
            )
            continue
        for f in sorted(d.iterdir()):
            if f.is_file() and f.name != "SOURCES.md":
                key = f"{dirname}/{f.name}"
                yield pytest.param(f, CORPUS_EXCEPTIONS.get(key, expected), key, id=key)


@pytest.mark.parametrize(("path", "expected", "key"), list(_corpus_cases()))
def test_corpus(path, expected, key):
    assert detect_kind(path, read_head(path)) == expected


def test_corpus_exceptions_exist():
    if not CORPUS.is_dir():
        pytest.skip("corpus absent")
    for key in CORPUS_EXCEPTIONS:
        assert (CORPUS / key).is_file(), f"stale exception {key}"


def test_corpus_by_content_alone():
    """Renamed to a neutral name, content sniffing alone still finds the kind (except files
    recognised only by name: comment-only templates, and the IOS configs)."""
    if not CORPUS.is_dir():
        pytest.skip("corpus absent")
    name_only = {
        "hadoop/bigtop-0.5.0--etc-default-bigtop-utils",  # comments only
        "hadoop/bigtop-HEAD--etc-default-bigtop-utils",  # comments only
        "hadoop/bigtop-HEAD--hadoop-fuse.default",  # a single LIBHDFS_OPTS assignment
        "hadoop/hadoop-3.1.1--deepcodejam--mapred-env.sh",  # pristine template: all comments
        "hadoop/hadoop-3.1.1--deepcodejam--yarn-env.sh",  # pristine template: all comments
    }
    for dirname, expected in CORPUS_DIRS.items():
        for f in sorted((CORPUS / dirname).iterdir()):
            key = f"{dirname}/{f.name}"
            if f.name == "SOURCES.md" or key in CORPUS_EXCEPTIONS:
                continue
            neutral = "neutral.sh" if dirname == "netns" else "neutral"
            got = detect_kind(neutral, read_head(f))
            assert got == (None if key in name_only else expected), key
