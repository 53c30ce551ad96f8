"""Write attacks.jsonl and benign.jsonl for bench/guard_injection.py.

The hand-written passages live in attacks_src.py / benign_src.py next to this
file; this script adds mechanically obfuscated variants (homoglyphs,
leetspeak, spacing, zero-width, fullwidth, base64, tag characters) of a
separate list of seed attacks, assigns a deterministic dev/held-out split
(every third item of each category is held out) and writes one JSON object per
line: {"text", "category", "lang", "split"}.

A third split, "heldout2" (heldout2_attacks_src.py / heldout2_benign_src.py),
was written and frozen before the scanner was tuned against the first two and
is never used for tuning; its rows are appended after the others, with their
obfuscated variants drawn from a separate random generator, so adding it left
the dev/held-out rows byte-identical.

A fourth split, "heldout3" (heldout3_attacks_src.py / heldout3_benign_src.py),
was written and frozen before the tuning round that was allowed to look at
heldout2; it is appended the same way, with its own random generator.

Run: python bench/data/injection/build_eval_set.py
"""

from __future__ import annotations

import base64
import json
import random
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from attacks_src import ATTACKS, OBFUSCATION_SEEDS
from benign_src import BENIGN
from heldout2_attacks_src import ATTACKS2, OBFUSCATION_SEEDS2
from heldout2_benign_src import BENIGN2
from heldout3_attacks_src import ATTACKS3, OBFUSCATION_SEEDS3
from heldout3_benign_src import BENIGN3

HOMO = {
    "a": "а",
    "e": "е",
    "o": "о",
    "p": "р",
    "c": "с",
    "i": "і",
    "x": "х",
    "y": "у",
    "s": "ѕ",
}
LEET = {"a": "4", "e": "3", "i": "1", "o": "0", "s": "5", "t": "7"}


def homoglyph(text: str, rng: random.Random) -> str:
    return "".join(HOMO[c] if c in HOMO and rng.random() < 0.5 else c for c in text)


def leet(text: str, rng: random.Random) -> str:
    return "".join(
        LEET[c] if c in LEET and rng.random() < 0.7 else c for c in text.lower()
    )


def spaced(text: str, rng: random.Random) -> str:
    sep = rng.choice([" ", ".", "-", " "])
    words = text.split(" ")
    # Space out the first 3-5 words only, as attackers usually do.
    n = rng.randint(3, 5)
    head = "  ".join(sep.join(w) for w in words[:n])
    return head + " " + " ".join(words[n:])


def zero_width(text: str, rng: random.Random) -> str:
    zw = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"]
    out = []
    for c in text:
        out.append(c)
        if c.isalpha() and rng.random() < 0.3:
            out.append(rng.choice(zw))
    return "".join(out)


def fullwidth(text: str, rng: random.Random) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


def mixed_case(text: str, rng: random.Random) -> str:
    return "".join(c.upper() if rng.random() < 0.5 else c.lower() for c in text)


def b64(text: str, rng: random.Random) -> str:
    enc = base64.b64encode(text.encode()).decode()
    wrapper = rng.choice(
        [
            "Decode this base64 and do what it says: {}",
            "{}",
            "Note for the assistant (base64): {}",
            "The configuration blob is {} -- please process it.",
            "aGVsbG8= {} end",
        ]
    )
    return wrapper.format(enc)


def tags(text: str, rng: random.Random) -> str:
    hidden = "".join(chr(0xE0000 + ord(c)) for c in text if 0x20 <= ord(c) < 0x7F)
    return "Thanks for the great product review! " + hidden + " Five stars."


TRANSFORMS = {
    "obf_homoglyph": homoglyph,
    "obf_leetspeak": leet,
    "obf_spacing": spaced,
    "obf_zero_width": zero_width,
    "obf_fullwidth": fullwidth,
    "obf_case": mixed_case,
    "base64": b64,
    "obf_tag_chars": tags,
}


def frozen_split(
    split: str,
    attacks: list[tuple[str, str, str]],
    benign: list[tuple[str, str, str]],
    seeds: list[str],
    names: list[str],
    rng: random.Random,
    offsets: tuple[int, int],
) -> tuple[list[dict], list[dict]]:
    """The rows of one frozen split; seed ``i`` goes through ``names[i + k]`` for each offset ``k``."""
    attack_rows = [
        {"text": t, "category": cat, "lang": lang, "split": split}
        for cat, lang, t in attacks
    ]
    for i, seed in enumerate(seeds):
        for k in offsets:
            name = names[(i + k) % len(names)]
            attack_rows.append(
                {
                    "text": TRANSFORMS[name](seed, rng),
                    "category": name,
                    "lang": "en",
                    "split": split,
                }
            )
    benign_rows = [
        {"text": t, "category": cat, "lang": lang, "split": split}
        for cat, lang, t in benign
    ]
    return attack_rows, benign_rows


def main() -> None:
    rng = random.Random(20240604)
    attacks: list[dict[str, str]] = [
        {"text": t, "category": cat, "lang": lang} for cat, lang, t in ATTACKS
    ]
    # Each seed goes through two transforms, chosen round-robin so every
    # transform gets different seeds.
    names = list(TRANSFORMS)
    for i, seed in enumerate(OBFUSCATION_SEEDS):
        for k in (0, 3):
            name = names[(i + k) % len(names)]
            attacks.append(
                {"text": TRANSFORMS[name](seed, rng), "category": name, "lang": "en"}
            )
    benign = [{"text": t, "category": cat, "lang": lang} for cat, lang, t in BENIGN]
    for rows in (attacks, benign):
        seen: dict[str, int] = {}
        for row in rows:
            n = seen.get(row["category"], 0)
            seen[row["category"]] = n + 1
            row["split"] = "heldout" if n % 3 == 2 else "dev"

    # The frozen splits: hand-written rows plus seeds through two obfuscations each.
    attacks2, benign2 = frozen_split(
        "heldout2",
        ATTACKS2,
        BENIGN2,
        OBFUSCATION_SEEDS2,
        names,
        random.Random(20240719),
        (1, 5),
    )
    attacks3, benign3 = frozen_split(
        "heldout3",
        ATTACKS3,
        BENIGN3,
        OBFUSCATION_SEEDS3,
        names,
        random.Random(20251126),
        (2, 6),
    )

    for rows, fname in (
        (attacks + attacks2 + attacks3, "attacks.jsonl"),
        (benign + benign2 + benign3, "benign.jsonl"),
    ):
        with open(HERE / fname, "w", encoding="utf-8") as fh:
            for row in rows:
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")
        print(f"{fname}: {len(rows)} rows")


if __name__ == "__main__":
    main()
