"""cfglint: a static analyzer for the configuration files that run a hybrid datacenter."""

__version__ = "0.1.0"
