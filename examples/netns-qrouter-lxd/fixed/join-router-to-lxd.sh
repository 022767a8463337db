#!/bin/bash
# Join the OpenStack router namespace to the LXD bridge (lxdbr0 is 10.0.3.1/24).
set -e
ROUTER=qrouter-6f1f2e5a-2b7c-4c1e-9d3a-0a1b2c3d4e5f

ip link show veth-lxd >/dev/null 2>&1 || ip link add veth-qr type veth peer name veth-lxd
ip link set veth-qr netns "$ROUTER"
ip netns exec "$ROUTER" ip addr replace 10.0.3.254/24 dev veth-qr
ip netns exec "$ROUTER" ip link set veth-qr up

ip link set veth-lxd master lxdbr0
ip link set veth-lxd up

ip netns exec "$ROUTER" sysctl -w net.ipv4.ip_forward=1
ip netns exec "$ROUTER" iptables -t nat -C POSTROUTING -o veth-qr -j MASQUERADE 2>/dev/null ||
    ip netns exec "$ROUTER" iptables -t nat -A POSTROUTING -o veth-qr -j MASQUERADE
