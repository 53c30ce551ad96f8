"""A phrase hit that needed leetspeak folding (``1gn0r3`` -> ``ignore``)."""

from __future__ import annotations

from aistack.guard.recognizers.base import SignalRecognizer

# Small on purpose: leetspeak alone is common in handles and passwords; it
# only adds to a phrase recognizer that fired on the folded text.
RECOGNIZER = SignalRecognizer(name="leetspeak", category="obfuscation", weight=0.05)


def present(leet_changed: bool, hits_need_folding: bool) -> bool:
    """Whether folding changed the text and a phrase hit is gone without it."""
    return leet_changed and hits_need_folding
