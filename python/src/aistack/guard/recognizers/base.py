"""The shape of one pattern recognizer (a named regex rule with its weight).

Patterns are written against the scanner's *folded* view of the text: NFKC,
casefolded, accents stripped, homoglyphs and leetspeak mapped back to Latin
letters, spaced-out letters joined (see :mod:`aistack.guard.injection`). So
they are written in lower case without accents; the scanner folds each pattern
the same way before compiling, so accented spellings are fine too.

Pattern shorthand, expanded by the scanner before compiling:

``~``   a separator: 0-4 non-word characters (``[\\W_]{0,4}``). Zero is allowed
        so that text whose spaces were replaced by zero-width characters, or
        spaced-out letters that were joined, still matches.
``…``   up to three arbitrary filler words.

For Latin-script recognizers the scanner also turns each ``l`` into ``[li]``,
since leetspeak ``1`` is folded to ``i`` but often stands for ``l`` ("ru1es").

Weights are the probability-like strength of one recognizer on its own; the
scanner combines distinct hits as ``1 - prod(1 - w)``. Roughly: 0.85+ is an
unambiguous attack phrase, 0.5-0.8 a strong sign, below 0.5 a sign that only
flags together with another one.
"""

from __future__ import annotations

from typing import NamedTuple

__all__ = ["PatternRecognizer", "SignalRecognizer"]


class PatternRecognizer(NamedTuple):
    """One named detection rule as data.

    ``name`` and ``category`` make the reason (and feature) name
    ``"<category>:<name>"``. ``view`` is the text it runs on: ``folded`` (see
    module doc), ``plain`` (NFKC + casefold + accents stripped, no
    leet/spacing/homoglyph folding: for structure such as markers and URLs) or
    ``cased`` (NFKC only, for case-sensitive patterns). ``family`` picks how
    quoted/mentioned matches are discounted: ``phrase`` (instructions,
    discounted near injection discussion), ``template`` (chat-template
    markers, discounted in code and near template discussion) or ``struct``
    (never discounted). ``needles`` are substrings of the view at least one of
    which must be present for the regex to run at all (a cheap pre-filter).
    ``latin`` enables the l->[li] leet expansion and a leading word boundary.
    ``anchors`` (optional) are rarer words that every match contains: at least
    one must be present too, and the regex runs only in windows around them
    (speed); without anchors the needles are the anchors. ``reach``
    (optional) narrows those windows: ``(before, after)`` characters.
    """

    name: str
    category: str
    weight: float
    pattern: str
    needles: tuple[str, ...]
    view: str = "folded"
    family: str = "phrase"
    latin: bool = True
    anchors: tuple[str, ...] = ()
    # Characters before/after an anchor where a match may start/end; 0 means
    # the scanner default. Recognizers whose anchor sits close to the match
    # keep their windows small (speed: each scans only its windows).
    reach: tuple[int, int] = (0, 0)

    @property
    def reason(self) -> str:
        """The reason string and feature name: ``"<category>:<name>"``."""
        return f"{self.category}:{self.name}"


class SignalRecognizer(NamedTuple):
    """A recognizer whose logic is code, not one regex (encodings, URL shapes).

    Its module holds the detection function next to this record; ``weight``
    is its strength on its own, as for :class:`PatternRecognizer`.
    """

    name: str
    category: str
    weight: float

    @property
    def reason(self) -> str:
        """The reason string and feature name: ``"<category>:<name>"``."""
        return f"{self.category}:{self.name}"
