"""Secrets, keys or tokens you can see or have access to."""

from __future__ import annotations

from aistack.guard.recognizers.base import PatternRecognizer
from aistack.guard.recognizers.vocab import SECRET_EN, SECRET_NOUNS

RECOGNIZER = PatternRecognizer(
    name="secret_you_can_see",
    category="exfiltration",
    weight=0.5,
    # Starts at the secret's name (the ".env" spelling is left to send_secret_to).
    pattern=(
        SECRET_EN.replace(r"\.env(?:~file)?|", "")
        + r"~(?:that~|which~)?you~(?:can~(?:see|access|read|find)|have~(?:access~to|"
        r"been~given|stored)|were~given|know~about|hold|store|are~(?:holding|storing|running~with))"
    ),
    needles=SECRET_NOUNS,
    anchors=("you",),
)
