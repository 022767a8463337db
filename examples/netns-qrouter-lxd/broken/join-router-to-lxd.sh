#!/bin/bash
# Join the OpenStack router namespace to the LXD bridge, as the guide prints it.
ROUTER=qrouter-6f1f2e5a-2b7c-4c1e-9d3a-0a1b2c3d4e5f

ip link add veth-qr type veth peer name veth-lxd
ip link set veth-qr netns $ROUTER
ip netns exec $ROUTER ip addr add dev veth-qr
ip netns exec $ROUTER ip link set veth-qr up

brctl addif lxdbr0 veth-lxd
ip link set veth-lxd up
ip link set veth-qr up

iptables -t nat -I POSTROUTING -o veth-qr -j MASQUERADE
