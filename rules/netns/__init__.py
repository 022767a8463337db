"""netns / veth / bridge / iptables script rules (NET codes): the network state a script builds, command by command."""
