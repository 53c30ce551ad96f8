"""A phrase hit that needed spaced-out letters joined (``i g n o r e``)."""

from __future__ import annotations

from aistack.guard.recognizers.base import SignalRecognizer

# Small on purpose: it only adds to a phrase recognizer that fired.
RECOGNIZER = SignalRecognizer(name="spaced_letters", category="obfuscation", weight=0.05)


def present(spaced_changed: bool, hits_need_folding: bool) -> bool:
    """Whether joining letters changed the text and a phrase hit is gone without it."""
    return spaced_changed and hits_need_folding
