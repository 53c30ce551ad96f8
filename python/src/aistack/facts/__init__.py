"""Detecting this machine's hardware facts, for onboarding a host."""
