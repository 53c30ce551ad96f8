"""Turning a plan into files: the unit files, JSON configs and (later) the
AppArmor profiles and nftables ruleset, exactly as a host gets them."""
