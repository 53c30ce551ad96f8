"""Invisible carriers and encodings: signals the normalisation found on the way."""
