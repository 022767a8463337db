"""Hadoop env rules (HDP codes): what the daemons really see of hadoop-env.sh, /etc/default and login profiles."""
