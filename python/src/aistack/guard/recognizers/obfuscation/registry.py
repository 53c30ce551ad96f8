"""The obfuscation recognizers, in one list."""

from __future__ import annotations

from aistack.guard.recognizers.obfuscation import (
    base64_payload,
    bidi_control,
    homoglyphs,
    leetspeak,
    spaced_letters,
    tag_characters,
    zero_width,
)

RECOGNIZERS = (
    base64_payload.RECOGNIZER,
    bidi_control.RECOGNIZER,
    homoglyphs.RECOGNIZER,
    leetspeak.RECOGNIZER,
    spaced_letters.RECOGNIZER,
    tag_characters.RECOGNIZER,
    zero_width.RECOGNIZER,
)
