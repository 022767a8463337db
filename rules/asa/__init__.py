"""Cisco ASA rules (ASA codes): single-device checks and the cross-device IPsec checks."""
