"""ASA parser benchmark: cfglint's parser vs ciscoconfparse, side by side in one run.

    python bench/asa_parse.py                 # one ~5k-line config: parse times (best of N) and peak memory
    python bench/asa_parse.py --lines 50000   # a bigger one
    python bench/asa_parse.py --fleet 30      # the issue's target: a cold `cfglint check --no-cache` over
                                              # 30 generated configs vs ciscoconfparse's parse of the same files
    python bench/asa_parse.py --write DIR     # only write the generated config(s)

The generator writes a realistic ASA 9.x running-config (seeded random): names, interfaces with standby
addresses, network/service objects with object NAT, network and service object-groups with nested
group-object, ACLs (~40% of the lines) with remarks, object-group operands, ports and logging,
access-groups, twice-NAT exemptions per VPN peer, IKEv1/IKEv2 policies, transform sets, IKEv2 proposals,
crypto map entries with several peers, tunnel-groups with pre-shared keys, and the usual filler
(logging, timeouts, policy-map, ...). ciscoconfparse is optional (`pip install ciscoconfparse`); it is
not a dependency of cfglint.
"""

from __future__ import annotations

import argparse
import gc
import random
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path


# --------------------------------------------------------------------------------------------------
# Generator


def _ip(rng: random.Random, first: int = 10) -> str:
    return f"{first}.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}"


def _net(rng: random.Random, plen: int) -> tuple[str, str]:
    mask = (0xFFFFFFFF << (32 - plen)) & 0xFFFFFFFF
    addr = (10 << 24 | rng.getrandbits(24)) & mask
    dotted = lambda v: ".".join(str((v >> s) & 255) for s in (24, 16, 8, 0))  # noqa: E731
    return dotted(addr), dotted(mask)


PORTS = ["www", "https", "ssh", "domain", "smtp", "ftp", "ldap", "ldaps", "8080", "8443", "3389", "1521", "5060"]


def generate(lines: int = 5000, seed: int = 1) -> str:
    """A realistic ASA 9.x configuration of about `lines` lines."""
    rng = random.Random(seed)
    scale = lines / 5000
    out: list[str] = []
    w = out.append
    w(": Saved")
    w(":")
    w(": Serial Number: JAD0000000")
    w(": Hardware:   ASA5525, 8192 MB RAM, CPU Lynnfield 2393 MHz, 1 CPU (4 cores)")
    w(":")
    w("ASA Version 9.8(4)20")
    w("!")
    w(f"hostname fw-{seed:02d}")
    w("domain-name example.net")
    w("enable password 8Ry2YjIyt7RRXU24 encrypted")
    w("passwd 2KFQnbNIdI.2KYOU encrypted")
    w("names")
    n_names = int(120 * scale)
    names = []
    for i in range(n_names):
        nm = f"host-{i:04d}"
        names.append(nm)
        w(f"name {_ip(rng)} {nm} description server {i}")
    w("!")
    ifaces = [
        ("GigabitEthernet0/0", "outside", 0),
        ("GigabitEthernet0/1", "inside", 100),
        ("GigabitEthernet0/2", "dmz", 50),
        ("GigabitEthernet0/3", "mgmt", 90),
        ("GigabitEthernet0/4", "partners", 20),
        ("GigabitEthernet0/5", "backup", 10),
    ]
    outside_ip = f"198.51.{seed % 256}.1"
    for k, (phys, nameif, level) in enumerate(ifaces):
        w(f"interface {phys}")
        w(f" description {nameif} link")
        w(f" nameif {nameif}")
        w(f" security-level {level}")
        if nameif == "outside":
            w(f" ip address {outside_ip} 255.255.255.0 standby 198.51.{seed % 256}.2")
        else:
            w(f" ip address 10.{k}.{seed % 256}.1 255.255.255.0 standby 10.{k}.{seed % 256}.2")
        w("!")
    w("interface Management0/0")
    w(" management-only")
    w(" shutdown")
    w(" no nameif")
    w(" no security-level")
    w(" no ip address")
    w("!")
    w("boot system disk0:/asa984-20-smp-k8.bin")
    w("ftp mode passive")
    w("clock timezone CET 1")
    w("dns domain-lookup inside")
    w("dns server-group DefaultDNS")
    w(" name-server 10.1.1.53")
    w(" domain-name example.net")
    w("same-security-traffic permit inter-interface")
    n_obj = int(420 * scale)
    objs = []
    for i in range(n_obj):
        nm = f"OBJ-{i:04d}"
        objs.append(nm)
        w(f"object network {nm}")
        r = rng.random()
        if r < 0.6:
            w(f" host {_ip(rng)}")
        elif r < 0.9:
            a, m = _net(rng, rng.choice([24, 25, 26, 27, 28, 29, 30]))
            w(f" subnet {a} {m}")
        else:
            a = _ip(rng)
            w(f" range {a} {a.rsplit('.', 1)[0]}.254")
        if rng.random() < 0.3:
            w(f" description object {i}")
    n_svc = int(40 * scale)
    svcs = []
    for i in range(n_svc):
        nm = f"SVC-{i:03d}"
        svcs.append(nm)
        w(f"object service {nm}")
        w(f" service {rng.choice(['tcp', 'udp'])} destination eq {rng.randrange(1024, 60000)}")
    n_grp = int(160 * scale)
    groups: list[str] = []
    for i in range(n_grp):
        nm = f"NG-{i:03d}"
        w(f"object-group network {nm}")
        if rng.random() < 0.4:
            w(f" description group {i}")
        for _ in range(rng.randint(2, 9)):
            r = rng.random()
            if r < 0.4:
                w(f" network-object object {rng.choice(objs)}")
            elif r < 0.7:
                w(f" network-object host {_ip(rng)}")
            else:
                a, m = _net(rng, rng.choice([16, 20, 24, 27]))
                w(f" network-object {a} {m}")
        if groups and rng.random() < 0.3:
            w(f" group-object {rng.choice(groups)}")
        groups.append(nm)
    svc_groups: list[str] = []
    for i in range(int(40 * scale)):
        nm = f"SG-{i:03d}"
        if rng.random() < 0.5:
            w(f"object-group service {nm} tcp")
            for _ in range(rng.randint(1, 5)):
                if rng.random() < 0.7:
                    w(f" port-object eq {rng.choice(PORTS)}")
                else:
                    lo = rng.randrange(1024, 60000)
                    w(f" port-object range {lo} {lo + rng.randrange(1, 100)}")
        else:
            w(f"object-group service {nm}")
            for _ in range(rng.randint(1, 5)):
                if rng.random() < 0.2:
                    w(f" service-object object {rng.choice(svcs)}")
                else:
                    w(f" service-object {rng.choice(['tcp', 'udp', 'tcp-udp'])} destination eq {rng.choice(PORTS)}")
        svc_groups.append(nm)
    # VPN peers and their protected networks
    n_peers = max(2, int(14 * scale))
    peers = []
    for p in range(n_peers):
        local_g, remote_g = f"VPN-LOCAL-{p:02d}", f"VPN-REMOTE-{p:02d}"
        w(f"object-group network {local_g}")
        for _ in range(rng.randint(1, 3)):
            a, m = _net(rng, 24)
            w(f" network-object {a} {m}")
        w(f"object-group network {remote_g}")
        for _ in range(rng.randint(1, 3)):
            a, m = _net(rng, 24)
            w(f" network-object {a} {m}")
        peers.append((f"203.0.{p}.{rng.randrange(1, 255)}", local_g, remote_g))
    # ACLs: about 40% of the lines
    acl_lines = int(2000 * scale)
    acls = ["outside_access_in", "inside_access_in", "dmz_access_in", "partners_access_in"]
    for k in range(acl_lines):
        acl = acls[k % len(acls)]
        if rng.random() < 0.08:
            w(f"access-list {acl} remark rule {k} ticket CHG{rng.randrange(100000)}")
            continue
        action = "permit" if rng.random() < 0.85 else "deny"
        r = rng.random()

        def operand() -> str:
            x = rng.random()
            if x < 0.3:
                return f"object-group {rng.choice(groups)}"
            if x < 0.5:
                return f"object {rng.choice(objs)}"
            if x < 0.7:
                return f"host {_ip(rng)}"
            if x < 0.8:
                return f"host {rng.choice(names)}"
            if x < 0.95:
                a, m = _net(rng, rng.choice([16, 24, 28]))
                return f"{a} {m}"
            return "any"

        if r < 0.25:
            line = f"access-list {acl} extended {action} object-group {rng.choice(svc_groups)} {operand()} {operand()}"
        elif r < 0.35:
            line = f"access-list {acl} extended {action} ip {operand()} {operand()}"
        elif r < 0.45:
            line = f"access-list {acl} extended {action} icmp {operand()} {operand()} echo"
        else:
            line = f"access-list {acl} extended {action} {rng.choice(['tcp', 'udp'])} {operand()} {operand()} eq {rng.choice(PORTS)}"
        if rng.random() < 0.3:
            line += " log"
        if rng.random() < 0.02:
            line += " inactive"
        w(line)
    for p, (_, lg, rg) in enumerate(peers):
        w(f"access-list CRYPTO-{p:02d} extended permit ip object-group {lg} object-group {rg}")
    w("pager lines 24")
    for lv in ("enable", "timestamp", "buffer-size 1048576", "buffered informational", "trap informational"):
        w(f"logging {lv}")
    w("logging host inside 10.1.1.20")
    for nameif in ("outside", "inside", "dmz", "mgmt", "partners", "backup"):
        w(f"mtu {nameif} 1500")
    w("failover")
    w("failover lan unit primary")
    w("failover lan interface FAILOVER GigabitEthernet0/7")
    w("failover key FoVerKey123")
    w("icmp unreachable rate-limit 1 burst-size 1")
    w("asdm image disk0:/asdm-7101.bin")
    w("no asdm history enable")
    w("arp timeout 14400")
    # object NAT, twice NAT exemptions
    for i in range(int(60 * scale)):
        w(f"object network {objs[i]}")
        w(f" nat (inside,outside) static {_ip(rng, 198)}")
    for _, lg, rg in peers:
        w(f"nat (inside,outside) source static {lg} {lg} destination static {rg} {rg} no-proxy-arp route-lookup")
    w("nat (inside,outside) after-auto source dynamic any interface")
    for acl, nameif in zip(acls, ("outside", "inside", "dmz", "partners"), strict=True):
        w(f"access-group {acl} in interface {nameif}")
    w("route outside 0.0.0.0 0.0.0.0 198.51.100.254 1")
    for t in (
        "xlate 3:00:00",
        "pat-xlate 0:00:30",
        "conn 1:00:00 half-closed 0:10:00 udp 0:02:00 icmp 0:00:02",
        "sunrpc 0:10:00 h323 0:05:00 h225 1:00:00 mgcp 0:05:00 mgcp-pat 0:05:00",
        "uauth 0:05:00 absolute",
    ):
        w(f"timeout {t}")
    w("user-identity default-domain LOCAL")
    w("aaa-server TACACS protocol tacacs+")
    w("aaa-server TACACS (mgmt) host 10.3.1.10")
    w(" key TacacsKey99")
    w("aaa authentication ssh console TACACS LOCAL")
    w("http server enable")
    w("http 10.3.0.0 255.255.0.0 mgmt")
    w("snmp-server host mgmt 10.3.1.11 community SnmpComm01 version 2c")
    w("snmp-server location DC1")
    # crypto
    w("crypto ipsec ikev1 transform-set ESP-AES-256-SHA esp-aes-256 esp-sha-hmac")
    w("crypto ipsec ikev1 transform-set ESP-AES-128-SHA esp-aes esp-sha-hmac")
    w("crypto ipsec ikev2 ipsec-proposal AES256")
    w(" protocol esp encryption aes-256")
    w(" protocol esp integrity sha-256 sha-1")
    w("crypto ipsec security-association pmtu-aging infinite")
    for p, (peer, _, _) in enumerate(peers):
        seq = 10 * (p + 1)
        w(f"crypto map outside_map {seq} match address CRYPTO-{p:02d}")
        if rng.random() < 0.5:
            w(f"crypto map outside_map {seq} set pfs group{rng.choice([2, 5, 14])}")
        extra = f" 203.0.{p}.{rng.randrange(1, 255)}" if rng.random() < 0.2 else ""
        w(f"crypto map outside_map {seq} set peer {peer}{extra}")
        if rng.random() < 0.5:
            w(f"crypto map outside_map {seq} set ikev1 transform-set ESP-AES-256-SHA ESP-AES-128-SHA")
        else:
            w(f"crypto map outside_map {seq} set ikev2 ipsec-proposal AES256")
        w(f"crypto map outside_map {seq} set security-association lifetime seconds 28800")
    w("crypto map outside_map interface outside")
    w("crypto ca trustpool policy")
    w("crypto ikev2 policy 10")
    w(" encryption aes-256")
    w(" integrity sha256")
    w(" group 14")
    w(" prf sha256")
    w(" lifetime seconds 86400")
    w("crypto ikev2 enable outside")
    w("crypto ikev1 enable outside")
    w("crypto ikev1 policy 10")
    w(" authentication pre-share")
    w(" encryption aes-256")
    w(" hash sha")
    w(" group 2")
    w(" lifetime 86400")
    w("telnet timeout 5")
    w("ssh 10.3.0.0 255.255.0.0 mgmt")
    w("ssh timeout 30")
    w("ssh version 2")
    w("threat-detection basic-threat")
    w("threat-detection statistics access-list")
    w("ntp authentication-key 1 md5 NtpKey01")
    w("ntp server 10.1.1.123 key 1 source inside")
    w("group-policy GP-L2L internal")
    w("group-policy GP-L2L attributes")
    w(" vpn-tunnel-protocol ikev1 ikev2")
    w("username admin password Adm1nPassw0rd privilege 15")
    for p, (peer, _, _) in enumerate(peers):
        w(f"tunnel-group {peer} type ipsec-l2l")
        w(f"tunnel-group {peer} general-attributes")
        w(" default-group-policy GP-L2L")
        w(f"tunnel-group {peer} ipsec-attributes")
        w(f" ikev1 pre-shared-key PskPeer{p:02d}x{seed}")
        w(f" ikev2 remote-authentication pre-shared-key PskPeer{p:02d}x{seed}")
        w(f" ikev2 local-authentication pre-shared-key PskPeer{p:02d}x{seed}")
    w("!")
    w("class-map inspection_default")
    w(" match default-inspection-traffic")
    w("!")
    w("policy-map type inspect dns preset_dns_map")
    w(" parameters")
    w("  message-length maximum client auto")
    w("  message-length maximum 512")
    w("policy-map global_policy")
    w(" class inspection_default")
    for insp in (
        "dns preset_dns_map",
        "ftp",
        "h323 h225",
        "h323 ras",
        "rsh",
        "rtsp",
        "esmtp",
        "sqlnet",
        "skinny",
        "sunrpc",
        "xdmcp",
        "sip",
        "netbios",
        "tftp",
        "ip-options",
        "icmp",
    ):
        w(f"  inspect {insp}")
    w("!")
    w("service-policy global_policy global")
    # filler up to the requested size: more routes (realistic, cheap for both parsers)
    k = 0
    while len(out) < lines - 3:
        a, m = _net(rng, 24)
        w(f"route inside {a} {m} 10.1.{seed % 256}.254 1")
        k += 1
    w("prompt hostname context")
    w("Cryptochecksum:0123456789abcdef0123456789abcdef")
    w(": end")
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------------------------------
# Measurement


def _best(fn, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        gc.collect()
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def _mem(fn) -> tuple[int, int]:
    """(retained, peak) bytes traced while `fn()` runs, its result kept."""
    gc.collect()
    tracemalloc.start()
    tracemalloc.reset_peak()
    keep = fn()
    gc.collect()
    retained, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del keep
    return retained, peak


def _no_gc(fn):
    def run():
        gc.disable()
        try:
            return fn()
        finally:
            gc.enable()

    return run


def _ccp():
    try:
        import logging

        from ciscoconfparse import CiscoConfParse  # type: ignore[import-not-found]

        try:  # silence its loguru INFO line on every parse
            from loguru import logger  # type: ignore[import-not-found]

            logger.remove()
        except Exception:  # pragma: no cover
            pass
        logging.getLogger("ciscoconfparse").setLevel(logging.ERROR)
        return CiscoConfParse
    except ImportError:
        return None


def bench_one(lines: int, repeat: int) -> None:
    from cfglint.parsers.asa import parse_asa

    text = generate(lines)
    data = text.encode()
    src_lines = text.splitlines()
    n = len(src_lines)
    print(
        f"config: {n} lines, {len(data) / 1024:.0f} KiB, "
        f"{sum(1 for s in src_lines if s.startswith('access-list'))} ACL lines"
    )
    model = parse_asa(data, "bench.cfg")
    print(
        f"model: {sum(len(a.entries) for a in model.access_lists.values())} ACEs, {len(model.object_groups)} groups, "
        f"{len(model.network_objects)} objects, {sum(len(c.entries) for c in model.crypto_maps.values())} crypto map "
        f"entries, {len(model.problems)} problems"
    )
    ours = _best(lambda: parse_asa(data, "bench.cfg"), repeat)
    ours_kept, ours_mem = _mem(lambda: parse_asa(data, "bench.cfg"))
    from cfglint.parsers.asa import build_tree, decode

    # parse_asa pauses the cyclic GC while it builds (it makes no cycles); the tree alone, likewise
    tree = _best(_no_gc(lambda: build_tree(decode(data))), repeat)
    print(f"cfglint indentation tree : {tree * 1000:8.1f} ms")
    print(
        f"cfglint parse_asa (typed): {ours * 1000:8.1f} ms   peak {ours_mem / 2**20:6.1f} MiB, "
        f"model kept {ours_kept / 2**20:6.1f} MiB (tracemalloc)"
    )
    CiscoConfParse = _ccp()
    if CiscoConfParse is None:
        print("ciscoconfparse not installed: no comparison")
        return
    ccp = _best(lambda: CiscoConfParse(src_lines, syntax="asa"), max(1, repeat // 2))
    ccp_kept, ccp_mem = _mem(lambda: CiscoConfParse(src_lines, syntax="asa"))
    print(
        f"ciscoconfparse syntax=asa: {ccp * 1000:8.1f} ms   peak {ccp_mem / 2**20:6.1f} MiB, "
        f"parse kept {ccp_kept / 2**20:6.1f} MiB (tracemalloc)"
    )
    print(
        f"ratio cfglint/ciscoconfparse: time {ours / ccp:.3f} ({ccp / ours:.1f}x faster), "
        f"peak memory {ours_mem / ccp_mem:.2f}, kept {ours_kept / ccp_kept:.2f}"
    )


_CHECK = (
    "import resource, sys, time\n"
    "t0 = time.perf_counter()\n"
    "from cfglint.cli import main\n"
    "out = sys.stdout; sys.stdout = open('/dev/null', 'w')\n"
    "main(['check', sys.argv[1], '--no-cache', '--format', 'json'])\n"
    "sys.stdout = out\n"
    "print(f'{time.perf_counter() - t0:.3f} {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}')\n"
)
_CCP = (
    "import pathlib, resource, sys, time\n"
    "t0 = time.perf_counter()\n"
    "from ciscoconfparse import CiscoConfParse\n"
    "from loguru import logger; logger.remove()\n"
    "t1 = time.perf_counter()\n"
    "ps = [CiscoConfParse(p.read_text().splitlines(), syntax='asa') for p in sorted(pathlib.Path(sys.argv[1]).iterdir())]\n"
    "t2 = time.perf_counter()\n"
    "print(f'{t1 - t0:.3f} {t2 - t1:.3f} {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}')\n"
)


def bench_fleet(count: int, lines: int) -> None:
    """The issue's target, side by side: a cold `cfglint check --no-cache` process (interpreter start,
    imports, parse, all rules, report) vs ciscoconfparse's parse alone (import excluded) of the same
    files, each in a fresh process; best of 3; peak RSS of each process."""
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        for i in range(count):
            (d / f"fw{i:02d}.cfg").write_text(generate(lines, seed=i + 1))
        runs = []
        for _ in range(3):
            t0 = time.perf_counter()
            r = subprocess.run([sys.executable, "-c", _CHECK, str(d)], capture_output=True, text=True, check=False)
            wall = time.perf_counter() - t0
            if r.returncode != 0 or not r.stdout.strip():
                print("cfglint check failed:", r.stderr[-2000:])
                return
            runs.append((wall, int(r.stdout.split()[-1])))
        best, rss = min(runs)
        print(f"fleet: {count} configs x ~{lines} lines")
        print(f"cold `cfglint check --no-cache` process: {best:.2f} s wall (best of 3), peak RSS {rss / 1024:.0f} MiB")
        ccp_runs = []
        for _ in range(3):
            r = subprocess.run([sys.executable, "-c", _CCP, str(d)], capture_output=True, text=True, check=False)
            if r.returncode != 0:
                print("ciscoconfparse not installed (or failed): no comparison")
                return
            imp, parse, crss = r.stdout.split()[-3:]
            ccp_runs.append((float(parse), float(imp), int(crss)))
        parse, imp, crss = min(ccp_runs)
        print(
            f"ciscoconfparse: parse of the {count} files {parse:.2f} s (import {imp:.2f} s not counted), "
            f"peak RSS {crss / 1024:.0f} MiB"
        )
        print(
            f"ratio check/ccp-parse: time {best / parse:.3f} (target <= 0.5), peak RSS {rss / crss:.2f} (target <= 1)"
        )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--lines", type=int, default=5000)
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--fleet", type=int, default=0, help="time a cold `cfglint check` over N generated configs")
    ap.add_argument("--write", type=Path, default=None, help="write the generated config(s) to this directory")
    args = ap.parse_args(argv)
    if args.write is not None:
        args.write.mkdir(parents=True, exist_ok=True)
        for i in range(max(1, args.fleet)):
            (args.write / f"fw{i:02d}.cfg").write_text(generate(args.lines, seed=i + 1))
        return 0
    if args.fleet:
        bench_fleet(args.fleet, args.lines)
    else:
        bench_one(args.lines, args.repeat)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
