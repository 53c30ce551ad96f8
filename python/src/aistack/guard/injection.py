"""Prompt-injection scanner for text that will be placed in a prompt.

:func:`scan` scores retrieved RAG chunks, tool output and ingested documents
for instructions aimed at the model rather than at the reader. It is a
pure-Python heuristic scanner (regexes over normalised views of the text), so
it works offline, needs no model weights and scans 8 KB in a few
milliseconds (``bench/guard_overhead.py``). Why not a library: llm-guard,
rebuff and NeMo-Guardrails need model weights or a remote LLM; the offline
regex packages on PyPI are single-release projects.

How it sees through obfuscation. The text is turned into *views*:

``cased``
    :func:`aistack.guard.sanitize.sanitize` output (zero-width, bidi, tag and
    control characters removed; NFKC, which folds fullwidth and mathematical
    letters to ASCII). Used for base64 runs.
``plain``
    ``cased``, casefolded, accents stripped, and Cyrillic/Greek/small-capital
    look-alikes mapped to Latin *inside words that also contain Latin
    letters* (so real Russian or Greek text is left alone). Used for chat
    template markers and URLs.
``folded``
    ``plain`` with leetspeak mapped inside words that mix letters and digits
    (``1gn0r3`` -> ``ignore``) and runs of spaced-out single letters joined
    (``i g n o r e`` -> ``ignore``). The phrase rules run here. Their word
    separators may be empty, so words glued together by removed zero-width
    characters or by joined letter runs still match.

Base64 runs in ``cased`` that decode to readable text, and messages spelled in
invisible Unicode tag characters, are decoded and scanned again (depth 2).

Quoted examples (a deliberate choice). Documentation and papers about prompt
injection quote attacks. A hit is treated as a *mention*, and its weight
discounted, when the text around it (same paragraph, a few hundred characters)
talks about prompt injection ("prompt injection", "attacker", "jailbreak
attempt", "malicious", "OWASP"...), more so when the hit is also inside
quotes or code; a generic "for example" discounts only a quoted or code hit.
Chat-template markers inside code, quotes or Jinja lines, or near words such as
"template"/"tokenizer", are likewise mentions. Mentions do not add up: the
score takes only the strongest one, so a long article quoting many attacks is
not flagged, while one real imperative outside such context is. The topic cues
also count when they appear anywhere in the hit's paragraph (a long paragraph
that opens "A direct prompt injection is..." and quotes an attack at its end),
and they include advisory and write-up language (CVE/GHSA ids, "post-incident",
"asked the model to", "Example attack"). Two shapes of data are discounted too:
translation catalogues (msgid/msgstr, dotted keys with quoted values: a UI label
"Ignore previous settings" is not an instruction) and YAML/JSON that stores
conversations (``system:`` next to ``user:``/``id:`` keys). The price: an
attacker who wraps an instruction in injection-discussion vocabulary scores
lower; such text is still reported with its reasons.

Scoring: the rules are named recognizers (:mod:`aistack.guard.recognizers`,
one per module, grouped by family), each with a weight; distinct firing
recognizers combine as ``1 - prod(1 - w)``, and the text is flagged when the
score reaches the threshold (:data:`DEFAULT_THRESHOLD`, configurable per call).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from re import _constants as _sre_constants  # private, but stable since 3.11
from re import _parser as _sre_parser
from typing import NamedTuple

from aistack.guard.recognizers import PatternRecognizer, pattern_recognizers
from aistack.guard.recognizers.context_cues import (
    AI_CONTEXT_CUES,
    EXAMPLE_CUES,
    INJECTION_TOPIC_CUES,
    TEMPLATE_CUES,
)
from aistack.guard.recognizers.exfiltration import (
    markdown_image,
    markdown_image_param,
    url_placeholder,
)
from aistack.guard.recognizers.obfuscation import (
    base64_payload,
    bidi_control,
    homoglyphs,
    leetspeak,
    spaced_letters,
    tag_characters,
    zero_width,
)
from aistack.guard.sanitize import sanitize

__all__ = ["DEFAULT_THRESHOLD", "ScanResult", "scan"]

DEFAULT_THRESHOLD = 0.5
# Nesting depth for decoded payloads (base64 inside base64 ...).
_MAX_DEPTH = 2
# Bound work on adversarial input: hits weighed per recognizer.
_MAX_HITS_PER_RULE = 64
# Needle-anchored windows (see _windows).
_MAX_WINDOWS = 48
_WINDOW_BEFORE = 220
_WINDOW_AFTER = 260

_SEP = r"[\W_]{0,4}"
_FILLER = r"(?:[^\W_]+[\W_]{1,4}){0,3}?"

# Look-alikes of Latin letters, after casefolding (so lower-case forms only).
_HOMOGLYPHS = str.maketrans(
    {
        # Cyrillic
        "а": "a",
        "в": "b",
        "е": "e",
        "ё": "e",
        "і": "i",
        "ї": "i",
        "ј": "j",
        "к": "k",
        "м": "m",
        "н": "h",
        "о": "o",
        "п": "n",
        "р": "p",
        "с": "c",
        "т": "t",
        "у": "y",
        "х": "x",
        "ѕ": "s",
        "ԁ": "d",
        "ԛ": "q",
        "ԝ": "w",
        "һ": "h",
        "ӏ": "l",
        "ь": "b",
        "ɡ": "g",
        "г": "r",
        "и": "u",
        "л": "n",
        "з": "3",
        # Greek
        "α": "a",
        "β": "b",
        "γ": "y",
        "ε": "e",
        "η": "n",
        "ι": "i",
        "κ": "k",
        "ν": "v",
        "ο": "o",
        "ρ": "p",
        "τ": "t",
        "υ": "u",
        "χ": "x",
        "ω": "w",
        "μ": "u",
        "ϲ": "c",
        "ϳ": "j",
        "σ": "o",
        "δ": "d",
        "ς": "c",
        # Latin extensions and small capitals
        "ı": "i",
        "ɩ": "i",
        "ȷ": "j",
        "ɑ": "a",
        "ʀ": "r",
        "ɴ": "n",
        "ᴀ": "a",
        "ʙ": "b",
        "ᴄ": "c",
        "ᴅ": "d",
        "ᴇ": "e",
        "ɢ": "g",
        "ʜ": "h",
        "ɪ": "i",
        "ᴊ": "j",
        "ᴋ": "k",
        "ʟ": "l",
        "ᴍ": "m",
        "ᴏ": "o",
        "ᴘ": "p",
        "ꜱ": "s",
        "ᴛ": "t",
        "ᴜ": "u",
        "ᴠ": "v",
        "ᴡ": "w",
        "ʏ": "y",
        "ᴢ": "z",
        "ſ": "s",
        "ł": "l",
        "ø": "o",
        "đ": "d",
        "ħ": "h",
    }
)
_HOMOGLYPH_CHARS = frozenset(chr(k) for k in _HOMOGLYPHS)
_LEET = str.maketrans(
    {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"}
)

# The lookbehinds make a failed attempt in the middle of a word stop at once
# (without them each position of each word is tried: ~0.5 ms per 8 KB each).
_NON_ASCII_WORD_RE = re.compile(r"(?<!\w)\w*[^\x00-\x7f]\w*")
_LEET_TOKEN_RE = re.compile(r"(?<![a-z0-9@$])[a-z@$]*[0-9@$][a-z0-9@$]*")
_SPACED_RE = re.compile(
    r"(?<!\w)(?:[^\W\d_]( )(?:[^\W\d_] ){1,}[^\W\d_]|[^\W\d_]([.\-_*·/|+~,])"
    r"(?:[^\W\d_]\2)*[^\W\d_])(?!\w)"
)
_SPACED_SEP_RE = re.compile(r"[\W_]")
_SQUASH_RE = re.compile(r"[\W_]+")

_CODE_FENCE_RE = re.compile(r"(?ms)^[ \t]*(`{3,}|~{3,}).*?(?:^[ \t]*\1|\Z)")
_INLINE_CODE_RE = re.compile(r"`[^`\n]{1,400}`")
_QUOTE_RE = re.compile(
    r"\"[^\"\n]{1,600}\"|“[^”\n]{1,600}”|«[^»\n]{1,600}»|„[^“”\n]{1,600}[“”]|"
    r"‘[^’\n]{1,600}’|「[^」\n]{1,300}」|(?<!\w)'[^'\n]{2,600}'(?!\w)"
)
# Translation catalogues and key/value string tables: msgid/msgstr, dotted or
# snake_case keys with a quoted value, Android <string name=...>, key = value.
_CATALOG_LINE_RE = re.compile(
    r"(?m)^[ \t]*(?:msgid|msgstr|msgctxt)\b|"
    r"^[ \t]*\"?[a-z][\w-]*(?:[._][\w-]+)+\"?[ \t]*[:=][ \t]*[\"']|"
    r"^[ \t]*<string\s+name=|"
    r"^[ \t]*[a-z][\w-]*[ \t]*=[ \t]*\S"
)
# YAML/JSON that merely *stores* conversations: role keys as data.
_ROLE_DATA_RE = re.compile(
    r"(?m)^[ \t]*-?[ \t]*\"?(?:user|assistant|role|messages|content|id|input|expected|"
    r"eval_cases|cases|prompt)\"?[ \t]*:"
)
_JINJA_LINE_RE = re.compile(r"\{\{|\{%|\\n|chat_template|\"content\"|'content'")


@dataclass(frozen=True)
class ScanResult:
    """Outcome of :func:`scan`.

    ``score`` is in ``[0, 1]``; ``flagged`` is ``score >= threshold``;
    ``reasons`` are ``"<category>:<rule>"`` strings, strongest first
    (categories: ``override``, ``role``, ``exfiltration``, ``indirect``,
    ``template``, ``obfuscation``).
    """

    score: float
    flagged: bool
    reasons: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        """The JSON shape used by ``aistack guard scan``."""
        return {"score": self.score, "flagged": self.flagged, "reasons": list(self.reasons)}


class _Rule(NamedTuple):
    spec: PatternRecognizer
    regex: re.Pattern[str]
    # Literal prefixes (1-3 characters) every match starts with, and a regex
    # finding word starts that begin with one of them; None when the pattern
    # may start with anything (the rule is then searched inside its windows).
    prefixes: frozenset[str] | None
    start_re: re.Pattern[str] | None
    # Substrings every match contains (without spaces): where to look.
    anchor_tokens: tuple[str, ...]

    @property
    def reason(self) -> str:
        return self.spec.reason


def _strip_accents(s: str) -> str:
    """Remove combining marks (after NFD); ASCII text is returned unchanged."""
    if s.isascii():
        return s
    decomposed = unicodedata.normalize("NFD", s)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _l_to_li(src: str) -> str:
    """Turn each literal ``l`` outside a character class into ``[li]``."""
    out: list[str] = []
    in_class = False
    escaped = False
    for ch in src:
        if escaped:
            out.append(ch)
            escaped = False
            continue
        if ch == "\\":
            escaped = True
        elif ch == "[":
            in_class = True
        elif ch == "]":
            in_class = False
        elif ch == "l" and not in_class:
            out.append("[li]")
            continue
        out.append(ch)
    return "".join(out)


_PREFIX_LEN = 3
_PREFIX_SET_LIMIT = 600


def _first_strings(items: list, k: int) -> set[tuple[str, bool]] | None:
    """Possible starts of a parsed regex sequence, as ``(prefix, complete)``.

    ``complete`` means the whole match of the sequence is exactly ``prefix``
    (so what follows may extend it); otherwise the prefix is all that is known.
    None when the sequence may start with an unbounded character class.
    """
    cur: set[tuple[str, bool]] = {("", True)}
    for op, av in items:
        nxt = _first_item(op, av, k)
        if nxt is None:
            nxt = {("", False)}
        out: set[tuple[str, bool]] = set()
        for a, complete in cur:
            if not complete or len(a) >= k:
                out.add((a[:k], False))
                continue
            for b, cb in nxt:
                joined = a + b
                out.add((joined[:k], cb and len(joined) <= k))
        cur = out
        if len(cur) > _PREFIX_SET_LIMIT:
            return None
        if all(not c or len(x) >= k for x, c in cur):
            break
    return cur


def _first_item(op: object, av: object, k: int) -> set[tuple[str, bool]] | None:
    c = _sre_constants
    if op is c.LITERAL:
        return {(chr(av), True)}  # type: ignore[arg-type]
    if op is c.IN:
        chars: list[str] = []
        for o, a in av:  # type: ignore[attr-defined]
            if o is c.LITERAL:
                chars.append(chr(a))
            elif o is c.RANGE and a[1] - a[0] < 12:
                chars.extend(chr(x) for x in range(a[0], a[1] + 1))
            else:
                return None
        return {(ch, True) for ch in chars}
    if op is c.SUBPATTERN:
        return _first_strings(list(av[-1]), k)  # type: ignore[index]
    if op is c.BRANCH:
        out: set[tuple[str, bool]] = set()
        for alt in av[1]:  # type: ignore[index]
            f = _first_strings(list(alt), k)
            if f is None:
                return None
            out |= f
        return out
    if op in (c.MAX_REPEAT, c.MIN_REPEAT):
        lo, hi, sub = av  # type: ignore[misc]
        f = _first_strings(list(sub), k)
        if f is None:
            return None
        if hi != 1:
            f = {(x, False) for x, _ in f}
        return f | {("", True)} if lo == 0 else f
    if op in (c.AT, c.ASSERT, c.ASSERT_NOT):
        return {("", True)}
    return None


def _match_prefixes(regex: re.Pattern[str]) -> frozenset[str] | None:
    """Literal word-start prefixes of every match of ``regex``, or None."""
    try:
        parsed = _sre_parser.parse(regex.pattern, regex.flags)
    except Exception:  # private parser: fall back to searching, never fail
        return None
    found = _first_strings(list(parsed), _PREFIX_LEN)
    if not found:
        return None
    prefixes = frozenset(x for x, _ in found)
    if any(not x or not x[0].isalpha() for x in prefixes):
        return None
    return prefixes


def _trie_regex(words: frozenset[str] | set[str]) -> str:
    """One regex alternation for ``words`` shaped as a trie (fast in ``re``)."""
    root: dict[str, dict] = {}
    for w in words:
        node = root
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict[str, dict]) -> str:
        alts = [re.escape(ch) + emit(sub) for ch, sub in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        if "" in node:
            return ("(?:" + body + ")?") if len(alts) == 1 and len(body) > 1 else body + "?"
        return body

    return emit(root)


def _compile(spec: PatternRecognizer) -> _Rule:
    src = _strip_accents(spec.pattern)
    if spec.latin:
        # The left word boundary is checked in Python (see _rule_matches).
        src = _l_to_li(src)
    src = src.replace("~", _SEP).replace("…", _FILLER)
    regex = re.compile(src)
    prefixes = _match_prefixes(regex) if spec.latin else None
    start_re = re.compile(r"\b" + _trie_regex(prefixes)) if prefixes else None
    anchors = spec.anchors or tuple(
        dict.fromkeys(_strip_accents(n).split(" ")[0] or n for n in spec.needles)
    )
    tokens: list[str] = []
    for a in anchors:
        parts = _strip_accents(a).split()
        tokens.append(max(parts, key=len) if parts else a)
    return _Rule(spec, regex, prefixes, start_re, tuple(dict.fromkeys(tokens)))


class _Tables(NamedTuple):
    rules: tuple[_Rule, ...]
    # Per view: one regex finding every anchor token (overlapping), and which
    # rules each token (or a longer token it is a prefix of) stands for.
    anchor_re: dict[str, re.Pattern[str]]
    rules_by_token: dict[str, dict[str, tuple[int, ...]]]
    # Anchor tokens of one or two ASCII letters ("ai"): only counted at a
    # word start, or "maintain", "email", "said" would open windows for
    # every AI-addressing rule.
    short_tokens: frozenset[str]


@lru_cache(maxsize=1)
def _tables() -> _Tables:
    """Compile the rule table and its keyword prefilter once, on first use."""
    rules = tuple(_compile(spec) for spec in pattern_recognizers())
    anchor_re: dict[str, re.Pattern[str]] = {}
    by_token: dict[str, dict[str, tuple[int, ...]]] = {}
    for view in ("folded", "plain", "cased"):
        direct: dict[str, list[int]] = {}
        for i, r in enumerate(rules):
            if r.spec.view == view:
                for t in r.anchor_tokens:
                    direct.setdefault(t, []).append(i)
        if not direct:
            continue
        # The trie regex reports the longest token at a position; shorter
        # tokens that are its prefixes start there too.
        table = {
            t: tuple(sorted({i for u, idx in direct.items() if t.startswith(u) for i in idx}))
            for t in direct
        }
        anchor_re[view] = re.compile("(?=(" + _trie_regex(set(direct)) + "))")
        by_token[view] = table
    short = frozenset(
        t
        for table in by_token.values()
        for t in table
        if len(t) <= 2 and t.isascii() and t.isalpha()
    )
    return _Tables(rules, anchor_re, by_token, short)


def _rules() -> tuple[_Rule, ...]:
    return _tables().rules


@dataclass
class _Views:
    cased: str
    plain: str
    folded: str
    leet_changed: bool
    spaced_changed: bool
    homoglyph_words: int


def _map_homoglyph_word(m: re.Match[str], counter: list[int]) -> str:
    word = m.group()
    if not any("a" <= c <= "z" for c in word) or not any(c in _HOMOGLYPH_CHARS for c in word):
        return word
    counter[0] += 1
    return word.translate(_HOMOGLYPHS)


def _map_leet_token(m: re.Match[str]) -> str:
    tok = m.group()
    if len(tok) < 2 or not any("a" <= c <= "z" for c in tok):
        return tok
    # "name@host.example" is an e-mail address, not leetspeak: keep it so the
    # exfiltration rules can see where data is to be sent.
    if "@" in tok and m.string[m.end() : m.end() + 1] == ".":
        return tok
    return tok.translate(_LEET)


def _join_spaced(m: re.Match[str]) -> str:
    return _SPACED_SEP_RE.sub("", m.group())


def _views(cased: str) -> _Views:
    plain = _strip_accents(cased.casefold())
    counter = [0]
    if not plain.isascii():
        plain = _NON_ASCII_WORD_RE.sub(lambda m: _map_homoglyph_word(m, counter), plain)
    leet = _LEET_TOKEN_RE.sub(_map_leet_token, plain)
    folded = _SPACED_RE.sub(_join_spaced, leet)
    return _Views(
        cased=cased,
        plain=plain,
        folded=folded,
        leet_changed=leet != plain,
        spaced_changed=folded != leet,
        homoglyph_words=counter[0],
    )


class _Context:
    """Where a hit sits in its view: code, quotes, discussion around it."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._code: list[tuple[int, int]] | None = None
        self._quotes: list[tuple[int, int]] | None = None
        self._catalog: bool | None = None
        self._role_data: bool | None = None

    @property
    def catalog(self) -> bool:
        """Whether the text is shaped like a translation/string catalogue.

        Two or more key/value lines making up most of the non-empty lines
        (a single JSON line from a tool is not a catalogue).
        """
        if self._catalog is None:
            lines = [ln for ln in self.text.splitlines() if ln.strip()]
            kv = sum(1 for ln in lines if _CATALOG_LINE_RE.match(ln))
            # One-line dumps of a catalogue ("a.b": "x", "c.d": "y") count too.
            inline = len(re.findall(r"\"[a-z][\w-]*(?:[._][\w-]+)+\"[ \t]*:", self.text))
            self._catalog = (kv >= 2 and kv * 5 >= len(lines) * 3) or inline >= 2
        return self._catalog

    @property
    def role_data(self) -> bool:
        if self._role_data is None:
            self._role_data = len(_ROLE_DATA_RE.findall(self.text)) >= 2
        return self._role_data

    @property
    def code(self) -> list[tuple[int, int]]:
        if self._code is None:
            spans = [m.span() for m in _CODE_FENCE_RE.finditer(self.text)]
            spans += [m.span() for m in _INLINE_CODE_RE.finditer(self.text)]
            self._code = spans
        return self._code

    @property
    def quotes(self) -> list[tuple[int, int]]:
        if self._quotes is None:
            self._quotes = [m.span() for m in _QUOTE_RE.finditer(self.text)]
        return self._quotes

    @staticmethod
    def _inside(spans: list[tuple[int, int]], start: int, end: int) -> tuple[int, int] | None:
        for s, e in spans:
            if s <= start and end <= e:
                return (s, e)
        return None

    def window(self, start: int, end: int, before: int = 300, after: int = 200) -> str:
        lo = max(0, start - before)
        hi = min(len(self.text), end + after)
        head = self.text[lo:start]
        cut = head.rfind("\n\n")
        if cut != -1:
            head = head[cut:]
        tail = self.text[end:hi]
        cut = tail.find("\n\n")
        if cut != -1:
            tail = tail[:cut]
        return head + self.text[start:end] + tail

    def paragraph_topic(self, start: int) -> bool:
        """Whether the paragraph holding ``start`` talks about injection.

        The hit window looks only a few hundred characters around a hit; a
        long paragraph that opens with "A direct prompt injection is..."
        and quotes an attack at its end is discussion all the same.
        """
        lo = self.text.rfind("\n\n", 0, start)
        lo = 0 if lo == -1 else lo
        hi = self.text.find("\n\n", start)
        hi = len(self.text) if hi == -1 else hi
        if hi - lo > 4000:  # bound the work; beyond this the window decides
            return False
        para = self.text[lo:hi]
        return any(c in para for c in INJECTION_TOPIC_CUES)

    def line(self, start: int) -> str:
        lo = self.text.rfind("\n", 0, start) + 1
        hi = self.text.find("\n", start)
        return self.text[lo : hi if hi != -1 else len(self.text)]

    def factor(self, family: str, start: int, end: int) -> float:
        """Discount for a hit at ``[start, end)``: 1.0 means a real instruction."""
        if family == "struct":
            return 1.0
        if self.catalog and _CATALOG_LINE_RE.match(self.line(start)):
            # A UI string ("Ignore previous settings") is a label, not an
            # instruction; catalogues are the commonest place for them.
            return 0.3
        code = self._inside(self.code, start, end)
        quote = None if code else self._inside(self.quotes, start, end)
        enclosing = code or quote
        if enclosing is not None:
            window = self.window(enclosing[0], end, before=400, after=150)
        else:
            window = self.window(start, end)
        topic = any(c in window for c in INJECTION_TOPIC_CUES) or self.paragraph_topic(start)
        if family == "template":
            cue = topic or any(c in window for c in TEMPLATE_CUES)
            codeish = (
                enclosing is not None
                or _JINJA_LINE_RE.search(self.line(start)) is not None
                or self.role_data
            )
            if codeish and cue:
                return 0.15
            if codeish:
                return 0.45
            if cue:
                return 0.5
            return 1.0
        if topic and enclosing is not None:
            return 0.25
        if topic:
            return 0.45
        if enclosing is not None and any(c in window for c in EXAMPLE_CUES):
            return 0.4
        return 1.0


def _anchor_positions(view_name: str, view: str) -> dict[int, list[int]]:
    """One pass of the keyword prefilter: rule index -> anchor positions."""
    tables = _tables()
    rx = tables.anchor_re.get(view_name)
    if rx is None:
        return {}
    table = tables.rules_by_token[view_name]
    short = tables.short_tokens
    out: dict[int, list[int]] = {}
    for m in rx.finditer(view):
        p = m.start()
        tok = m.group(1)
        if tok in short and p > 0 and view[p - 1].isalpha():
            continue
        for i in table[tok]:
            lst = out.get(i)
            if lst is None:
                out[i] = [p]
            elif len(lst) <= _MAX_WINDOWS:
                lst.append(p)
    return out


def _windows(
    positions: list[int],
    size: int,
    before: int = _WINDOW_BEFORE,
    after: int = _WINDOW_AFTER,
) -> list[tuple[int, int]]:
    """Merged spans around anchor ``positions`` (the whole text if too many)."""
    if len(positions) > _MAX_WINDOWS:
        return [(0, size)]
    spans: list[tuple[int, int]] = []
    for p in positions:
        lo, hi = max(0, p - before), min(size, p + after)
        if spans and lo <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(spans[-1][1], hi))
        else:
            spans.append((lo, hi))
    return spans


def _rule_matches(rule: _Rule, view: str, positions: list[int] | None) -> Iterator[re.Match[str]]:
    """Matches of ``rule`` near its anchors; Latin rules start at a word start.

    Rules with known start prefixes are tried (anchored ``match``) only at
    word starts inside the windows that begin with one of those prefixes:
    a ``search`` would try the pattern's leading alternation at every
    position, which is what made the scanner slow.
    """
    latin = rule.spec.latin
    match = rule.regex.match
    search = rule.regex.search
    last_end = -1
    if positions is None:
        spans = [(0, len(view))]
    else:
        before, after = rule.spec.reach
        spans = _windows(positions, len(view), before or _WINDOW_BEFORE, after or _WINDOW_AFTER)
    for lo, hi in spans:
        if rule.start_re is not None:
            for s in rule.start_re.finditer(view, max(lo, last_end), hi):
                start = s.start()
                if start > 0 and view[start - 1].isalpha():
                    continue
                m = match(view, start, hi)
                if m is not None:
                    yield m
                    last_end = m.end()
            continue
        pos = max(lo, last_end)
        while True:
            m = search(view, pos, hi)
            if m is None:
                break
            start = m.start()
            if latin and start > 0 and view[start - 1].isalpha():
                pos = start + 1
                continue
            yield m
            last_end = m.end()
            pos = max(m.end(), start + 1)


def _rule_weight(
    rule: _Rule, view: str, ctx: _Context, positions: list[int] | None
) -> tuple[float, bool] | None:
    """Best (weight, is_mention) for one rule over all its hits in ``view``."""
    best: tuple[float, bool] | None = None
    for n, m in enumerate(_rule_matches(rule, view, positions)):
        if n >= _MAX_HITS_PER_RULE:
            break
        weight = rule.spec.weight
        if rule.spec.name == "mode_switch":
            window = ctx.window(m.start(), m.end())
            if not any(c in window for c in AI_CONTEXT_CUES):
                weight = 0.15
        f = ctx.factor(rule.spec.family, m.start(), m.end())
        cand = (weight * f, f < 1.0)
        if best is None or (not cand[1] and best[1]) or (cand[1] == best[1] and cand[0] > best[0]):
            best = cand
        if not cand[1] and cand[0] >= rule.spec.weight:
            break
    return best


def _url_findings(plain: str) -> list[tuple[str, float]]:
    """Markdown/HTML image and URL exfiltration shapes in ``plain``."""
    found: list[tuple[str, float]] = []
    if "//" not in plain:
        return found
    for url in markdown_image.image_urls(plain):
        if markdown_image.carries_placeholder(url):
            found.append((markdown_image.RECOGNIZER.reason, markdown_image.RECOGNIZER.weight))
        elif markdown_image_param.matches(url):
            rec = markdown_image_param.RECOGNIZER
            found.append((rec.reason, rec.weight))
    if url_placeholder.present(plain):
        found.append((url_placeholder.RECOGNIZER.reason, url_placeholder.RECOGNIZER.weight))
    return found


def _combine(strong: dict[str, float], mention: dict[str, float]) -> float:
    rest = 1.0
    for w in strong.values():
        rest *= 1.0 - min(w, 0.999)
    top_mention = max(mention.values(), default=0.0)
    return 1.0 - rest * (1.0 - top_mention)


def _scan_weights(text: str, depth: int) -> tuple[dict[str, float], dict[str, float]]:
    """Rule weights for ``text``: (real instructions, mentions)."""
    strong: dict[str, float] = {}
    mention: dict[str, float] = {}

    def add(reason: str, weight: float, is_mention: bool = False) -> None:
        bucket = mention if is_mention else strong
        if weight > bucket.get(reason, 0.0):
            bucket[reason] = weight

    # Invisible carriers, looked at before sanitising removes them.
    if not text.isascii():
        if zero_width.present(text):
            add(zero_width.RECOGNIZER.reason, zero_width.RECOGNIZER.weight)
        if bidi_control.present(text):
            add(bidi_control.RECOGNIZER.reason, bidi_control.RECOGNIZER.weight)
        hidden = tag_characters.hidden_text(text)
        if hidden:
            add(tag_characters.RECOGNIZER.reason, tag_characters.RECOGNIZER.weight)
            if depth < _MAX_DEPTH:
                inner_s, inner_m = _scan_weights(hidden, depth + 1)
                for r, w in {**inner_m, **inner_s}.items():
                    add(r, w)

    cased = sanitize(text).text
    v = _views(cased)
    if homoglyphs.present(v.homoglyph_words):
        add(homoglyphs.RECOGNIZER.reason, homoglyphs.RECOGNIZER.weight)

    ctx_by_view = {
        "folded": _Context(v.folded),
        "plain": _Context(v.plain),
        "cased": _Context(v.cased),
    }
    text_by_view = {"folded": v.folded, "plain": v.plain, "cased": v.cased}
    rules = _rules()
    folded_hits: list[_Rule] = []
    for view_name, view in text_by_view.items():
        # Keyword prefilter: one pass finds every rule's anchor words; only
        # rules with an anchor in the text run, and only around it.
        for i, positions in sorted(_anchor_positions(view_name, view).items()):
            rule = rules[i]
            res = _rule_weight(rule, view, ctx_by_view[view_name], positions)
            if res is None:
                continue
            add(rule.reason, res[0], res[1])
            if view_name == "folded":
                folded_hits.append(rule)

    # Which obfuscations did the hits need? Re-run them on the unfolded view.
    if folded_hits and (v.leet_changed or v.spaced_changed):
        plain_ctx = ctx_by_view["plain"]
        need = not all(_rule_weight(r, v.plain, plain_ctx, None) for r in folded_hits)
        if leetspeak.present(v.leet_changed, need):
            add(leetspeak.RECOGNIZER.reason, leetspeak.RECOGNIZER.weight)
        if spaced_letters.present(v.spaced_changed, need):
            add(spaced_letters.RECOGNIZER.reason, spaced_letters.RECOGNIZER.weight)

    for reason, weight in _url_findings(v.plain):
        add(reason, weight)

    if depth < _MAX_DEPTH and len(cased) >= 20:
        for n, m in enumerate(base64_payload.RUN_RE.finditer(cased)):
            if n >= base64_payload.MAX_CANDIDATES:
                break
            decoded = base64_payload.decode(m.group())
            if decoded is None:
                continue
            inner_s, inner_m = _scan_weights(decoded, depth + 1)
            weight = base64_payload.weight(_combine(inner_s, inner_m))
            if weight is not None:
                add(base64_payload.RECOGNIZER.reason, weight)
                for r, w in {**inner_m, **inner_s}.items():
                    add(r, w, is_mention=True)
    return strong, mention


def scan(text: str, *, threshold: float = DEFAULT_THRESHOLD) -> ScanResult:
    """Score ``text`` for prompt injection.

    ``threshold`` in ``(0, 1]`` decides ``flagged``. Any ``str`` is accepted
    (empty, huge, binary-ish); anything else raises ``TypeError``.
    """
    if not isinstance(text, str):
        raise TypeError(f"scan() expects str, got {type(text).__name__}")
    if not 0.0 < threshold <= 1.0:
        raise ValueError(f"threshold must be in (0, 1], got {threshold!r}")
    if not text.strip():
        return ScanResult(score=0.0, flagged=False, reasons=[])
    strong, mention = _scan_weights(text, 0)
    score = round(_combine(strong, mention), 3)
    merged: dict[str, float] = dict(mention)
    for r, w in strong.items():
        merged[r] = max(w, merged.get(r, 0.0))
    reasons = [r for r, w in sorted(merged.items(), key=lambda kv: (-kv[1], kv[0])) if w > 0]
    return ScanResult(score=score, flagged=score >= threshold, reasons=reasons)
