"""Named prompt-injection recognizers, one per module, grouped by family.

Each module holds one recognizer: a name, a one-line docstring saying what it
covers, its pattern (or its code) and its weight; ``"<category>:<name>"`` is
the reason the scanner reports and the feature name. Families are packages:

``override``         orders to drop, void or outrank the model's instructions
``role_play``        persona and mode switches that claim to lift its rules
``exfiltration``     requests for the hidden setup, or to send data somewhere
``addressed_to_ai``  text addressed to an AI reader (indirect injection)
``chat_template``    chat-template and role markers planted in content
``obfuscation``      invisible carriers and encodings found while normalising

:func:`pattern_recognizers` and :func:`signal_recognizers` are the registry;
the scanner (:mod:`aistack.guard.injection`) compiles the patterns once, on
first use, so importing the guard does not import every recognizer module.
"""

from __future__ import annotations

from functools import cache

from aistack.guard.recognizers.base import PatternRecognizer, SignalRecognizer

__all__ = [
    "PatternRecognizer",
    "SignalRecognizer",
    "pattern_recognizers",
    "signal_recognizers",
]


@cache
def pattern_recognizers() -> tuple[PatternRecognizer, ...]:
    """Every regex recognizer, family by family."""
    from aistack.guard.recognizers.addressed_to_ai import registry as addressed_to_ai
    from aistack.guard.recognizers.chat_template import registry as chat_template
    from aistack.guard.recognizers.exfiltration import registry as exfiltration
    from aistack.guard.recognizers.override import registry as override
    from aistack.guard.recognizers.role_play import registry as role_play

    return (
        *override.RECOGNIZERS,
        *role_play.RECOGNIZERS,
        *exfiltration.RECOGNIZERS,
        *addressed_to_ai.RECOGNIZERS,
        *chat_template.RECOGNIZERS,
    )


@cache
def signal_recognizers() -> tuple[SignalRecognizer, ...]:
    """Every code-based recognizer (encodings, invisible carriers, URL shapes)."""
    from aistack.guard.recognizers.exfiltration import registry as exfiltration
    from aistack.guard.recognizers.obfuscation import registry as obfuscation

    return (*obfuscation.RECOGNIZERS, *exfiltration.SIGNALS)
