"""Latin words spelled with Cyrillic, Greek or small-capital look-alike letters."""

from __future__ import annotations

from aistack.guard.recognizers.base import SignalRecognizer

RECOGNIZER = SignalRecognizer(name="homoglyphs", category="obfuscation", weight=0.25)


def present(homoglyph_words: int) -> bool:
    """Whether normalising mapped look-alikes in at least one mixed-script word.

    The mapping itself is part of the scanner's normalisation (its ``plain``
    view), since every other recognizer reads the mapped text.
    """
    return homoglyph_words >= 1
