"""Pairing at scale: one hub ASA with N site-to-site spokes (9.x syntax), every pair mirrored but
one, linted cold side by side for growing N. The growth factor from one N to the next shows
whether pairing the peers is linear (2.0 per doubling) or quadratic (4.0).

    python bench/hub.py                        # N = 125, 250, 500, 1000; median of 3
    python bench/hub.py --spokes 100,200 --repeat 5
    python bench/hub.py --legacy               # the same in 8.2 syntax (`nat 0 access-list`)

Each run is a fresh `python -m cfglint check DIR --no-cache -j1 --format json` process (the map
phase in one process, so that the figure is the engine's work, not the pool's). Benchmarks are
not tests: nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CRYPTO = """crypto ipsec ikev1 transform-set TS esp-aes-256 esp-sha-hmac
crypto ikev1 enable outside
crypto ikev1 policy 10
 authentication pre-share
 encryption aes-256
 hash sha
 group 14
 lifetime 86400
"""


def _spoke_addr(i: int) -> str:
    return f"198.18.{i // 250}.{i % 250 + 1}"


def _spoke_net(i: int) -> str:
    return f"10.{100 + i // 256}.{i % 256}.0"


def hub(n: int) -> str:
    out = [": Saved", "ASA Version 9.8(4)", "hostname hub", "interface GigabitEthernet0/0", " nameif outside",
           " security-level 0", " ip address 203.0.113.1 255.255.255.0", "interface GigabitEthernet0/1",
           " nameif inside", " security-level 100", " ip address 10.0.0.1 255.255.0.0",
           "object network HUB-LAN", " subnet 10.0.0.0 255.255.0.0"]
    for i in range(n):
        out += [f"object network SPOKE-{i}", f" subnet {_spoke_net(i)} 255.255.255.0",
                f"access-list VPN-{i} extended permit ip object HUB-LAN object SPOKE-{i}",
                f"nat (inside,outside) source static HUB-LAN HUB-LAN destination static SPOKE-{i} SPOKE-{i}"]
    out.append(CRYPTO.rstrip())
    for i in range(n):
        seq = 10 + i
        out += [f"crypto map OUT {seq} match address VPN-{i}", f"crypto map OUT {seq} set peer {_spoke_addr(i)}",
                f"crypto map OUT {seq} set ikev1 transform-set TS",
                f"tunnel-group {_spoke_addr(i)} type ipsec-l2l", f"tunnel-group {_spoke_addr(i)} ipsec-attributes",
                " ikev1 pre-shared-key bench-key-not-secret"]
    out += ["crypto map OUT interface outside", ": end"]
    return "\n".join(out) + "\n"


CRYPTO_82 = """crypto ipsec transform-set TS esp-aes-256 esp-sha-hmac
crypto isakmp enable outside
crypto isakmp policy 10
 authentication pre-share
 encryption aes-256
 hash sha
 group 2
 lifetime 86400
"""


def hub_82(n: int) -> str:
    """The same hub in 8.2 syntax: one `nat 0` exemption ACL listing every spoke."""
    out = [": Saved", "ASA Version 8.2(5)", "hostname hub", "interface Ethernet0/0", " nameif outside",
           " security-level 0", " ip address 203.0.113.1 255.255.255.0", "interface Ethernet0/1",
           " nameif inside", " security-level 100", " ip address 10.0.0.1 255.255.0.0"]
    for i in range(n):
        out += [f"access-list VPN-{i} extended permit ip 10.0.0.0 255.255.0.0 {_spoke_net(i)} 255.255.255.0",
                f"access-list NONAT extended permit ip 10.0.0.0 255.255.0.0 {_spoke_net(i)} 255.255.255.0"]
    out += ["global (outside) 1 interface", "nat (inside) 0 access-list NONAT", "nat (inside) 1 0.0.0.0 0.0.0.0",
            CRYPTO_82.rstrip()]
    for i in range(n):
        seq = 10 + i
        out += [f"crypto map OUT {seq} match address VPN-{i}", f"crypto map OUT {seq} set peer {_spoke_addr(i)}",
                f"crypto map OUT {seq} set transform-set TS",
                f"tunnel-group {_spoke_addr(i)} type ipsec-l2l", f"tunnel-group {_spoke_addr(i)} ipsec-attributes",
                " pre-shared-key bench-key-not-secret"]
    out += ["crypto map OUT interface outside", ": end"]
    return "\n".join(out) + "\n"


def spoke_82(i: int, wrong: bool) -> str:
    far = "10.0.0.0 255.255.0.0" if not wrong else "10.0.0.0 255.255.255.0"
    net = f"{_spoke_net(i)} 255.255.255.0"
    return "\n".join([
        ": Saved", "ASA Version 8.2(5)", f"hostname spoke-{i}", "interface Ethernet0/0", " nameif outside",
        " security-level 0", f" ip address {_spoke_addr(i)} 255.255.255.0", "interface Ethernet0/1",
        " nameif inside", " security-level 100", f" ip address {_spoke_net(i)[:-1]}1 255.255.255.0",
        f"access-list VPN extended permit ip {net} {far}", f"access-list NONAT extended permit ip {net} {far}",
        "global (outside) 1 interface", "nat (inside) 0 access-list NONAT", "nat (inside) 1 0.0.0.0 0.0.0.0",
        CRYPTO_82.rstrip(),
        "crypto map OUT 10 match address VPN", "crypto map OUT 10 set peer 203.0.113.1",
        "crypto map OUT 10 set transform-set TS", "crypto map OUT interface outside",
        "tunnel-group 203.0.113.1 type ipsec-l2l", "tunnel-group 203.0.113.1 ipsec-attributes",
        " pre-shared-key bench-key-not-secret", ": end",
    ]) + "\n"


def spoke(i: int, wrong: bool) -> str:
    far = "10.0.0.0 255.255.0.0" if not wrong else "10.0.0.0 255.255.255.0"  # one pair not mirrored
    return "\n".join([
        ": Saved", "ASA Version 9.8(4)", f"hostname spoke-{i}", "interface GigabitEthernet0/0", " nameif outside",
        " security-level 0", f" ip address {_spoke_addr(i)} 255.255.255.0", "interface GigabitEthernet0/1",
        " nameif inside", " security-level 100", f" ip address {_spoke_net(i)[:-1]}1 255.255.255.0",
        "object network LAN", f" subnet {_spoke_net(i)} 255.255.255.0", "object network HUB-LAN", f" subnet {far}",
        "access-list VPN extended permit ip object LAN object HUB-LAN",
        "nat (inside,outside) source static LAN LAN destination static HUB-LAN HUB-LAN",
        CRYPTO.rstrip(),
        "crypto map OUT 10 match address VPN", "crypto map OUT 10 set peer 203.0.113.1",
        "crypto map OUT 10 set ikev1 transform-set TS", "crypto map OUT interface outside",
        "tunnel-group 203.0.113.1 type ipsec-l2l", "tunnel-group 203.0.113.1 ipsec-attributes",
        " ikev1 pre-shared-key bench-key-not-secret", ": end",
    ]) + "\n"


def write(root: Path, n: int, legacy: bool = False) -> None:
    root.mkdir(parents=True)
    (root / "hub.cfg").write_text(hub_82(n) if legacy else hub(n))
    for i in range(n):
        (root / f"spoke-{i:04d}.cfg").write_text((spoke_82 if legacy else spoke)(i, wrong=(i == n // 2)))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--spokes", default="125,250,500,1000", type=lambda s: [int(x) for x in s.split(",") if x])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--keep", action="store_true")
    ap.add_argument("--legacy", action="store_true", help="8.2 syntax (names of nothing, `nat 0 access-list`)")
    args = ap.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="cfglint-hub-"))
    try:
        for n in args.spokes:
            write(work / f"hub-{n}", n, args.legacy)
        times: dict[int, list[float]] = {n: [] for n in args.spokes}
        found: dict[int, dict[str, int]] = {}
        for _ in range(args.repeat):
            for n in args.spokes:
                cmd = [sys.executable, "-m", "cfglint", "check", str(work / f"hub-{n}"), "--no-cache", "-j1",
                       "--format", "json", "--exit-zero"]
                t0 = time.perf_counter()
                r = subprocess.run(cmd, capture_output=True, text=True)
                times[n].append(time.perf_counter() - t0)
                import json

                codes: dict[str, int] = {}
                for d in json.loads(r.stdout)["diagnostics"]:
                    codes[d["code"]] = codes.get(d["code"], 0) + 1
                found[n] = codes
        print(f"hub with N spokes ({'8.2' if args.legacy else '9.x'} syntax), cold -j1, median of {args.repeat} "
              "(sizes interleaved)")
        print(f"{'spokes':>7} {'files':>6} {'seconds':>8} {'x prev':>7}  findings")
        prev = None
        for n in args.spokes:
            t = statistics.median(times[n])
            grow = f"{t / prev:7.2f}" if prev else f"{'':>7}"
            print(f"{n:7d} {n + 1:6d} {t:8.2f} {grow}  {dict(sorted(found[n].items()))}")
            prev = t
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
