"""Pieces every service shares: structured logging, the base HTTP app, listeners."""
