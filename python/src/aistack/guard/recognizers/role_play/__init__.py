"""Persona and mode switches that claim to lift the model's rules."""
