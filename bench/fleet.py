"""Generate a realistic fleet of configuration files into a directory, for bench/run.py.

    python bench/fleet.py DIR [--scale 4] [--kinds davmail,asa,hadoop-env,netns] [--asa-lines 5000]

Layout: one directory per site, each with what a site runs::

    DIR/site-000/davmail-a/davmail.properties    DavMail gateways (Java properties)
    DIR/site-000/firewalls/fw-000-a.cfg          Cisco ASA running-configs (bench/asa_parse.generate)
    DIR/site-000/hadoop/hadoop-env.sh            a Hadoop env file
    DIR/site-000/netns/setup-netns.sh            a netns/veth/bridge/iptables script

At `--scale 1` the fleet has BASE[kind] files of each kind; `--scale N` has N times as many (more
sites), so timings at 1x, 4x and 16x show how a run grows. Everything is seeded: the same arguments
write the same bytes.

A generator is a function `(rng, index) -> (relative path, text)`; GENERATORS maps a kind to one.
The ASA generator comes from bench/asa_parse.py (the ASA engineer's, imported when present), the
others are here. To add a kind, add a generator and a BASE count.
"""

from __future__ import annotations

import argparse
import importlib.util
import random
import sys
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent

# Files of each kind at scale 1.
BASE = {"davmail": 40, "asa": 30, "hadoop-env": 20, "netns": 20}
SITES_AT_1X = 20
DEFAULT_KINDS = ("davmail", "asa", "hadoop-env", "netns")

Generator = Callable[[random.Random, int], tuple[str, str]]


def site(index: int, per_site: int) -> str:
    return f"site-{index // max(1, per_site):03d}"


# --------------------------------------------------------------------------------------------------
# DavMail


def davmail(rng: random.Random, i: int) -> tuple[str, str]:
    """A davmail.properties as sites write them: the shipped template's sections, edited; a few
    carry the classic mistakes (an inline comment after a boolean, a typo'd key, a duplicate)."""
    server = rng.random() < 0.8
    mode = rng.choice(["O365Modern", "O365Manual", "EWS", "O365EWS", "ExchangeEWS", "O365Interactive"])
    ports = {"caldav": 1080, "imap": 1143, "ldap": 1389, "pop": 1110, "smtp": 1025}
    if rng.random() < 0.3:
        ports = {k: v + 1000 * rng.randrange(1, 4) for k, v in ports.items()}
    tls = rng.random() < 0.5
    out: list[str] = []
    w = out.append
    w("#############################################################")
    w(f"# DavMail gateway {i:04d} ({site(i, 2)}), managed by config management")
    w("#############################################################")
    w("")
    w("# Basic settings")
    w(f"davmail.server={'true' if server else 'false'}")
    w(f"davmail.mode={mode}")
    w("davmail.url=https://outlook.office365.com/EWS/Exchange.asmx")
    if rng.random() < 0.1:
        w("davmail.allowRemote=true # LAN clients")  # reads as false: DAV012
    else:
        w(f"davmail.allowRemote={'true' if rng.random() < 0.6 else 'false'}")
    w(f"davmail.bindAddress={rng.choice(['', '', '127.0.0.1', f'10.{i % 250}.0.{1 + i % 200}'])}")
    w("")
    w("# Listener ports")
    for proto, port in ports.items():
        if proto == "pop" and rng.random() < 0.5:
            w(f"davmail.{proto}Port=")
        else:
            w(f"davmail.{proto}Port={port}")
    w("")
    w("# Network")
    w(f"davmail.enableProxy={'true' if rng.random() < 0.3 else 'false'}")
    w(f"davmail.proxyHost=proxy{i % 7}.example.net")
    w("davmail.proxyPort=3128")
    w(f"davmail.proxyUser=svc-davmail-{i:04d}")
    w(f"davmail.proxyPassword=Px{rng.getrandbits(48):012x}!")
    w(f"davmail.noProxyFor=localhost,127.0.0.1,.{site(i, 2)}.example.net")
    w("davmail.clientSoTimeout=300")
    w("davmail.disableUpdateCheck=true")
    w("")
    w("# SSL")
    if tls:
        w(f"davmail.ssl.keystoreType={rng.choice(['PKCS12', 'JKS', 'PKCS12 '])}")
        w(f"davmail.ssl.keystoreFile=/etc/davmail/gateway-{i:04d}.p12")
        pw = f"Ks{rng.getrandbits(64):016x}"
        w(f"davmail.ssl.keystorePass={pw}")
        if rng.random() < 0.8:
            w(f"davmail.ssl.keyPass={pw}")
    else:
        w("davmail.ssl.keystoreType=")
        w("davmail.ssl.keystoreFile=")
        w("davmail.ssl.keystorePass=")
        w("davmail.ssl.keyPass=")
    for proto in ports:
        w(f"davmail.ssl.nosecure{proto}={'true' if rng.random() < 0.15 else 'false'}")
    w("")
    w("# Behaviour")
    w(f"davmail.keepDelay={rng.choice([7, 30, 90])}")
    w(f"davmail.sentKeepDelay={rng.choice([0, 30, 90])}")
    w(f"davmail.caldavPastDelay={rng.choice([30, 90, 365])}")
    w("davmail.imapAutoExpunge=true")
    w("davmail.imapIdleDelay=")
    w("davmail.smtpSaveInSent=true")
    w("davmail.folderSizeLimit=")
    w("davmail.enableKeepAlive=false")
    w("davmail.caldavEditNotifications=false")
    w("davmail.caldavAlarmSound=")
    w("davmail.forceActiveSyncUpdate=false")
    w("davmail.defaultDomain=")
    w("davmail.showStartupBanner=false")
    w("davmail.disableGuiNotifications=true")
    w("davmail.disableTrayActivitySwitch=true")
    w("davmail.imapAlwaysApproxMsgSize=false")
    w("davmail.smtpStripFrom=false")
    if rng.random() < 0.1:
        w("davmail.imapIdelDelay=10")  # typo: unknown key
    if rng.random() < 0.1:
        w(f"davmail.keepDelay={rng.choice([7, 30])}")  # duplicate
    w("")
    w("# Logging")
    w(f"log4j.rootLogger={rng.choice(['WARN', 'INFO'])}")
    w("log4j.logger.davmail=DEBUG" if rng.random() < 0.2 else "log4j.logger.davmail=INFO")
    w("log4j.logger.httpclient.wire=WARN")
    w("log4j.logger.org.apache.commons.httpclient=WARN")
    w(f"davmail.logFilePath=/var/log/davmail/davmail-{i:04d}.log")
    w("davmail.logFileSize=1MB")
    return f"{site(i, 2)}/davmail-{'ab'[i % 2]}/davmail.properties", "\n".join(out) + "\n"


def big_properties(lines: int, seed: int = 1) -> str:
    """One large DavMail-like properties file (for the model shipping measurements)."""
    rng = random.Random(seed)
    _, head = davmail(rng, 0)
    out = [head]
    n = head.count("\n")
    k = 0
    while n < lines:
        out.append(f"# block {k}\ndavmail.custom.key{k}=value-{rng.getrandbits(32):08x}\\\n    continued\n")
        n += 3
        k += 1
    return "".join(out)


# --------------------------------------------------------------------------------------------------
# Hadoop env and netns scripts


def hadoop_env(rng: random.Random, i: int) -> tuple[str, str]:
    java = rng.choice(["/usr/lib/jvm/java-8-openjdk-amd64", "/usr/java/default", "/opt/jdk1.8.0_202", ""])
    heap = rng.choice([1024, 2048, 4096, 8192])
    lines = [
        "# Licensed to the Apache Software Foundation (ASF) under one or more contributor license agreements.",
        "# Set Hadoop-specific environment variables here.",
        "",
        f"export JAVA_HOME={java}" if java else "# export JAVA_HOME=",
        "export HADOOP_HOME=${HADOOP_HOME:-/usr/lib/hadoop}",
        'export HADOOP_CONF_DIR=${HADOOP_CONF_DIR:-"/etc/hadoop/conf"}',
        f"export HADOOP_HEAPSIZE={heap}",
        f'export HADOOP_NAMENODE_OPTS="-Xmx{heap}m -Dhadoop.security.logger=INFO,RFAS $HADOOP_NAMENODE_OPTS"',
        'export HADOOP_DATANODE_OPTS="-Dhadoop.security.logger=ERROR,RFAS $HADOOP_DATANODE_OPTS"',
        f"export HADOOP_LOG_DIR=/var/log/hadoop/{site(i, 1)}",
        "export HADOOP_PID_DIR=/var/run/hadoop",
        'export HADOOP_OPTS="$HADOOP_OPTS -Djava.net.preferIPv4Stack=true"',
        "for f in $HADOOP_HOME/contrib/capacity-scheduler/*.jar; do",
        '  if [ "$HADOOP_CLASSPATH" ]; then',
        "    export HADOOP_CLASSPATH=$HADOOP_CLASSPATH:$f",
        "  else",
        "    export HADOOP_CLASSPATH=$f",
        "  fi",
        "done",
    ]
    return f"{site(i, 1)}/hadoop/hadoop-env.sh", "\n".join(lines) + "\n"


def netns(rng: random.Random, i: int) -> tuple[str, str]:
    ns = f"tenant{i:03d}"
    sub = f"10.{100 + i % 100}.{i % 250}"
    lines = [
        "#!/bin/sh",
        f"# Network namespace for {ns}: veth pair into the br-tenants bridge, NAT to the uplink",
        "set -e",
        f"NS={ns}",
        "ip netns add $NS",
        f"ip link add veth-{ns[:8]} type veth peer name eth0 netns $NS",
        f"ip link set veth-{ns[:8]} master br-tenants",
        f"ip link set veth-{ns[:8]} up",
        f"ip netns exec $NS ip addr add {sub}.2/24 dev eth0",
        "ip netns exec $NS ip link set eth0 up",
        "ip netns exec $NS ip link set lo up",
        f"ip netns exec $NS ip route add default via {sub}.1",
        f"iptables -t nat -A POSTROUTING -s {sub}.0/24 ! -o br-tenants -j MASQUERADE",
        f"iptables -A FORWARD -i br-tenants -o {rng.choice(['eth0', 'bond0', 'ens3'])} -j ACCEPT",
        "sysctl -w net.ipv4.ip_forward=1",
    ]
    return f"{site(i, 1)}/netns/setup-netns.sh", "\n".join(lines) + "\n"


# --------------------------------------------------------------------------------------------------
# ASA (the ASA engineer's generator)


def _asa_module():
    path = HERE / "asa_parse.py"
    if not path.exists():
        return None
    spec = importlib.util.spec_from_file_location("cfglint_bench_asa_parse", path)
    if spec is None or spec.loader is None:  # pragma: no cover
        return None
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
    except Exception:  # a generator being written: the fleet goes on without ASA files
        return None
    return module if hasattr(module, "generate") else None


ASA_LINES = 5000


def asa(rng: random.Random, i: int) -> tuple[str, str]:
    module = _asa_module()
    assert module is not None
    per_site = max(1, BASE["asa"] // SITES_AT_1X)
    letter = "abcdefgh"[i % per_site]
    return f"{site(i, per_site)}/firewalls/fw-{i // per_site:03d}-{letter}.cfg", module.generate(ASA_LINES, seed=i + 1)


GENERATORS: dict[str, Generator] = {"davmail": davmail, "hadoop-env": hadoop_env, "netns": netns}
if _asa_module() is not None:
    GENERATORS["asa"] = asa


def write_fleet(dest: Path, *, scale: int = 1, kinds=DEFAULT_KINDS, seed: int = 1, asa_lines: int | None = None) -> dict[str, int]:
    """Write the fleet; returns {kind: files written}. Kinds without a generator are skipped."""
    global ASA_LINES
    if asa_lines:
        ASA_LINES = asa_lines
    dest.mkdir(parents=True, exist_ok=True)
    written: dict[str, int] = {}
    for kind in kinds:
        gen = GENERATORS.get(kind)
        if gen is None:
            continue
        rng = random.Random(f"{seed}/{kind}")
        for i in range(BASE[kind] * scale):
            rel, text = gen(rng, i)
            p = dest / rel
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_text(text, encoding="utf-8")
            written[kind] = written.get(kind, 0) + 1
    return written


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("dest", type=Path)
    ap.add_argument("--scale", type=int, default=1)
    ap.add_argument("--kinds", default=",".join(DEFAULT_KINDS))
    ap.add_argument("--asa-lines", type=int, default=ASA_LINES)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)
    kinds = [k.strip() for k in args.kinds.split(",") if k.strip()]
    missing = [k for k in kinds if k not in GENERATORS]
    if missing:
        print(f"fleet: no generator for {', '.join(missing)} (skipped)", file=sys.stderr)
    written = write_fleet(args.dest, scale=args.scale, kinds=kinds, seed=args.seed, asa_lines=args.asa_lines)
    print(", ".join(f"{n} {k}" for k, n in written.items()) + f" files in {args.dest}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
