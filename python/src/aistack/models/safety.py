"""Safety checks for a GGUF model file before anything loads it.

:func:`verify_model` parses the file with the bounded reader
(:mod:`aistack.models.gguf_reader`), looks for smuggled Python payloads,
hashes the file, and checks the file's hash and source repository against what
the operator trusts. It returns a JSON-ready report; it never raises for
anything found *in* the file.

Code-marker rules (what is flagged where, and why)
--------------------------------------------------

GGUF metadata is data: llama.cpp never unpickles or evaluates it. A pickle or
Python bytecode inside a ``.gguf`` is therefore a sign that the file is a
disguised PyTorch/pickle file or is meant for some other, unsafe loader. The
markers come in two strengths:

*Binary signatures* are checked everywhere (the first 4 KB of the file, every
metadata string, every array item, vocabulary tokens included), because they
do not occur in text:

- ``pickle_protocol``: ``\\x80`` + protocol 2..5 that the standard library's
  ``pickletools`` decodes as a plausible opcode stream (at least six opcodes,
  the second one typical of a pickle's start - FRAME, MARK, EMPTY_DICT, a
  GLOBAL...; or a complete pickle ending in STOP). Two bytes alone match random
  binary data too often, so the opcode stream must decode.
- ``pickle_global``: the GLOBAL opcode ``c<module>\\n<name>\\n`` (protocols 0-3)
  or the STACK_GLOBAL pattern (protocol 4+) naming a module that can run code
  (``__builtin__``, ``builtins``, ``os``, ``posix``, ``subprocess``, ...), not
  preceded by a letter or digit, so "tacos\\nare\\n" is not ``cos\\n...``.
- ``pickle_protocol0``: ``(lp0\\n`` / ``(dp0\\n``, the start of a protocol-0 list
  or dict pickle (the newline is always there in real pickles).
- ``python_bytecode``: a CPython 3.x ``.pyc`` header: magic number 3000..3999,
  ``\\r\\n``, a flags word of 0, 1 or 3, and a marshalled code object (``c`` or
  ``\\xe3``) at byte 16.

*Code text* (``__reduce__``, ``exec(``, ``eval(``, ``os.system``,
``subprocess`` ...) is only meaningful in free text. A vocabulary is a list of
fragments of ordinary text and code, and code models' vocabularies contain
tokens such as ``exec``, ``eval(``, ``subprocess`` and ``__import__``; flagging
them would flag every code model. So code text is checked in scalar metadata
strings (``general.*``, ``tokenizer.chat_template``, ...) and in array items
*outside* ``tokenizer.ggml.*``, never in vocabulary/merges arrays, and never in
the raw first 4 KB of a valid GGUF (those bytes are mostly vocabulary).
Strong markers (``__reduce__``, ``__import__(``, ``os.system(``,
``subprocess.Popen``, ``pickle.loads(``, ``exec(compile(`` ...) flag on their
own; weak ones (``exec(``, ``eval(``, ``os.system``, ``subprocess``,
``import os``) only when two different ones occur in the same string, so a
model card that mentions ``subprocess`` once is not flagged. When the file is
*not* a GGUF (bad magic), its first 4 KB are checked for code text too.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import pickletools
import re
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aistack.models.gguf_reader import (
    GGUF_MAGIC,
    GGUFError,
    GGUFInfo,
    Limits,
    read_gguf,
)

HEAD_BYTES = 4096
MAX_FINDINGS = 100
MAX_FINDINGS_PER_KIND = 20
_HASH_CHUNK = 1 << 20

SHA256_RE = re.compile(r"^[0-9a-fA-F]{64}$")
# Hugging Face repo ids: "owner/name", letters, digits, "-", "_", ".".
HF_REPO_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,95}/[A-Za-z0-9][A-Za-z0-9_.-]{0,95}$")

# Modules whose globals can run code or touch the system when unpickled.
_DANGEROUS_MODULES = (
    "__builtin__|builtins|os|posix|nt|subprocess|sys|socket|shutil|runpy|pty|commands"
    "|webbrowser|importlib|pickle|cPickle|_pickle|marshal|types|ctypes|code|codeop"
    "|platform|operator|functools|requests|urllib[\\w.]*|httplib|http[\\w.]*|asyncio"
    "|multiprocessing|tempfile|pathlib|io|_io|torch\\._?\\w+|numpy\\.testing[\\w.]*"
)
_MODS = _DANGEROUS_MODULES.encode()

_PICKLE_PROTO = re.compile(rb"\x80[\x02-\x05]")
_PICKLE_GLOBAL = re.compile(rb"(?<![A-Za-z0-9_])c(?:" + _MODS + rb")\n[A-Za-z_][\w.]*\n")
_PICKLE_STACK_GLOBAL = re.compile(
    rb"(?:\x8c.|X.{4})(?:" + _MODS + rb")\x94?(?:\x8c.|X.{4})[A-Za-z_][\w.]*\x94?\x93",
    re.DOTALL,
)
_PICKLE_PROTO0 = re.compile(rb"\((?:lp|dp)0\n")
_PYC_CANDIDATE = re.compile(rb"[\x00-\xff][\x0b-\x0f]\r\n", re.DOTALL)

# A PROTO opcode counts as a pickle when this many opcodes decode after it
# (measured on random bytes: about one false hit per 85 MB at 6 with stack
# checking, one per 10 MB at 4 without it).
_PICKLE_MIN_OPS = 6
# Opcodes a pickle typically starts with (after PROTO).
_PICKLE_START_OPS = frozenset(
    {
        "FRAME",
        "MARK",
        "EMPTY_DICT",
        "EMPTY_LIST",
        "EMPTY_TUPLE",
        "GLOBAL",
        "STACK_GLOBAL",
        "SHORT_BINUNICODE",
        "BINUNICODE",
        "SHORT_BINSTRING",
        "BINSTRING",
        "BINPERSID",
        "NEWOBJ",
        "REDUCE",
    }
)

_STRONG_CODE = tuple(
    re.compile(p)
    for p in (
        rb"__reduce(?:_ex)?__",
        rb"__import__\s*\(",
        rb"\bos\.(?:system|popen|exec[lv]p?e?|spawn\w*)\s*\(",
        rb"\bsubprocess\.(?:Popen|run|call|check_call|check_output|getoutput)\b",
        rb"\b(?:exec|eval)\s*\(\s*(?:compile|base64|marshal|zlib|codecs|bytes\.fromhex|__import__)",
        rb"\b(?:marshal|pickle|cPickle|dill)\.loads?\s*\(",
    )
)
_WEAK_CODE = {
    "exec(": re.compile(rb"\bexec\s*\("),
    "eval(": re.compile(rb"\beval\s*\("),
    "os.system": re.compile(rb"\bos\.system\b"),
    "subprocess": re.compile(rb"\bsubprocess\b"),
    "import": re.compile(rb"(?m)^\s*(?:import|from)\s+(?:os|sys|subprocess|socket|builtins)\b"),
}


@dataclass(frozen=True)
class Finding:
    """One thing wrong with the file or a failed check."""

    kind: str
    detail: str
    where: str = ""

    def as_dict(self) -> dict[str, str]:
        """JSON form for the report."""
        return {"kind": self.kind, "detail": self.detail, "where": self.where}


# -- code-marker scanning (pure functions over bytes) ------------------------


def _pickle_stream_plausible(data: bytes) -> bool:
    """True if ``data`` (starting at a PROTO opcode) decodes like a real pickle.

    ``pickletools.dis`` decodes *and* checks the stack and memo discipline, so
    random bytes that merely happen to be opcodes (BUILD on an empty stack,
    BINGET of a memo slot never PUT) stop early. A complete pickle of three or
    more opcodes, or six stack-valid opcodes that start like a pickle (the
    window may cut a long one short), counts.
    """
    out = io.StringIO()
    try:
        with warnings.catch_warnings():
            # dis decodes protocol-0 string arguments and warns on bad escapes.
            warnings.simplefilter("ignore")
            pickletools.dis(data, out=out)
    except Exception:
        # dis raises assorted errors (ValueError, UnicodeDecodeError, ...) on
        # non-pickle bytes or where the window ends; what it printed before
        # that is the stack-valid prefix.
        ops = [line.split()[2] for line in out.getvalue().splitlines() if line[:1].isspace()]
        return len(ops) >= _PICKLE_MIN_OPS and ops[1] in _PICKLE_START_OPS
    ops = [line for line in out.getvalue().splitlines() if line[:1].isspace()]
    return len(ops) >= 3


def _pyc_header_at(data: bytes, pos: int) -> bool:
    magic = int.from_bytes(data[pos : pos + 2], "little")
    if not 3000 <= magic <= 3999 or len(data) < pos + 17:
        return False
    flags = int.from_bytes(data[pos + 4 : pos + 8], "little")
    return flags in (0, 1, 3) and data[pos + 16] in (0x63, 0xE3)


def scan_binary_markers(data: bytes) -> list[tuple[str, str, int]]:
    """Pickle and bytecode signatures in ``data``: ``(kind, detail, offset)`` each."""
    hits: list[tuple[str, str, int]] = []
    # Fast path for the common case (a vocabulary token): every signature
    # needs PROTO's 0x80, STACK_GLOBAL's 0x93 or a newline.
    if b"\n" not in data and b"\x80" not in data and b"\x93" not in data:
        return hits
    for m in _PICKLE_PROTO.finditer(data):
        if _pickle_stream_plausible(data[m.start() : m.start() + 512]):
            hits.append(
                ("pickle_protocol", f"pickle protocol {data[m.start() + 1]} stream", m.start())
            )
            break
    for rx, kind in (
        (_PICKLE_GLOBAL, "pickle_global"),
        (_PICKLE_STACK_GLOBAL, "pickle_global"),
        (_PICKLE_PROTO0, "pickle_protocol0"),
    ):
        m = rx.search(data)
        if m:
            shown = m.group(0)[:40].decode("latin-1").encode("unicode_escape").decode()
            hits.append((kind, f"pickle opcode sequence {shown}", m.start()))
    for m in _PYC_CANDIDATE.finditer(data):
        if _pyc_header_at(data, m.start()):
            magic = int.from_bytes(data[m.start() : m.start() + 2], "little")
            hits.append(("python_bytecode", f"CPython .pyc header, magic {magic}", m.start()))
            break
    return hits


def scan_code_text(data: bytes) -> list[str]:
    """Python code markers in free text; empty unless the rules above say flag."""
    strong = [m.group(0).decode("latin-1") for rx in _STRONG_CODE if (m := rx.search(data))]
    if strong:
        return strong
    weak = [name for name, rx in _WEAK_CODE.items() if rx.search(data)]
    return weak if len(weak) >= 2 else []


def _code_text_applies(key_path: str, in_array: bool) -> bool:
    """Vocabulary-like arrays get binary checks only (see module docstring)."""
    return not (in_array and key_path.startswith("tokenizer.ggml."))


class _Findings:
    """Collects findings with per-kind and total caps, counting what is dropped."""

    def __init__(self) -> None:
        self.items: list[Finding] = []
        self.per_kind: dict[str, int] = {}
        self.dropped = 0

    def add(self, kind: str, detail: str, where: str = "") -> None:
        n = self.per_kind.get(kind, 0)
        if n >= MAX_FINDINGS_PER_KIND or len(self.items) >= MAX_FINDINGS:
            self.dropped += 1
            return
        self.per_kind[kind] = n + 1
        self.items.append(Finding(kind, detail, where))

    def on_string(self, key_path: str, raw: bytes, in_array: bool) -> None:
        """Reader callback: scan one metadata string."""
        for kind, detail, off in scan_binary_markers(raw):
            self.add(kind, detail, f"metadata {key_path} +{off}")
        if _code_text_applies(key_path, in_array):
            markers = scan_code_text(raw)
            if markers:
                self.add(
                    "python_code", "code markers: " + ", ".join(markers), f"metadata {key_path}"
                )

    def result(self) -> list[Finding]:
        out = list(self.items)
        if self.dropped:
            out.append(Finding("findings_truncated", f"{self.dropped} more findings not shown"))
        return out


# -- hashing, registry, allowlist -------------------------------------------


def sha256_file(path: str | os.PathLike[str], chunk_size: int = _HASH_CHUNK) -> str:
    """Hex sha256 of a file, read in fixed-size chunks (memory stays bounded)."""
    h = hashlib.sha256()
    buf = bytearray(chunk_size)
    view = memoryview(buf)
    with open(path, "rb", buffering=0) as fp:
        while n := fp.readinto(buf):
            h.update(view[:n])
    return h.hexdigest()


class RegistryError(ValueError):
    """The model registry file is missing, not JSON, or has a bad entry."""


@dataclass(frozen=True)
class RegistryEntry:
    """A model the stack knows: where it comes from and (if pinned) its hash."""

    id: str
    hf_repo: str
    hf_file: str
    sha256: str | None


def parse_registry(data: Any) -> tuple[RegistryEntry, ...]:
    """Validate registry JSON: a list of entries, or ``{"models": [...]}``."""
    if isinstance(data, dict) and isinstance(data.get("models"), list):
        data = data["models"]
    if not isinstance(data, list):
        raise RegistryError("registry must be a JSON list of model entries")
    entries = []
    for i, item in enumerate(data):
        if not isinstance(item, dict):
            raise RegistryError(f"registry entry {i} is not an object")
        for key in ("id", "hf_repo", "hf_file"):
            if not isinstance(item.get(key), str) or not item[key]:
                raise RegistryError(f"registry entry {i}: {key!r} must be a non-empty string")
        digest = item.get("sha256")
        if digest is not None and (not isinstance(digest, str) or not SHA256_RE.match(digest)):
            raise RegistryError(f"registry entry {i} ({item['id']}): sha256 must be 64 hex or null")
        entries.append(
            RegistryEntry(
                item["id"], item["hf_repo"], item["hf_file"], digest.lower() if digest else None
            )
        )
    return tuple(entries)


def load_registry(path: str | os.PathLike[str]) -> tuple[RegistryEntry, ...]:
    """Read and validate the registry file at ``path``."""
    try:
        with open(path, encoding="utf-8") as fp:
            data = json.load(fp)
    except OSError as exc:
        raise RegistryError(f"cannot read registry {path}: {exc.strerror}") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise RegistryError(f"registry {path} is not valid JSON: {exc}") from None
    return parse_registry(data)


def match_registry(
    entries: Sequence[RegistryEntry], file_name: str, sha256: str, repo: str | None
) -> RegistryEntry | None:
    """The entry this file is: by hash first, else by file name (and repo if given)."""
    for e in entries:
        if e.sha256 is not None and e.sha256 == sha256:
            return e
    for e in entries:
        if e.hf_file.rsplit("/", 1)[-1] == file_name and (
            repo is None or e.hf_repo.casefold() == repo.casefold()
        ):
            return e
    return None


def repo_allowed(repo: str, allowlist: Iterable[str]) -> bool:
    """Hugging Face repo ids are case-insensitive, so compare case-folded."""
    return repo.casefold() in {r.casefold() for r in allowlist}


# -- the whole check ----------------------------------------------------------


@dataclass(frozen=True)
class VerifyOptions:
    """What to check the file against; everything optional."""

    expected_sha256: str | None = None
    repo: str | None = None
    registry: tuple[RegistryEntry, ...] = ()
    allow_repos: tuple[str, ...] = ()
    limits: Limits = field(default_factory=Limits)


def _magic_text(head: bytes) -> str:
    magic = head[:4]
    if magic == GGUF_MAGIC:
        return "GGUF"
    return "0x" + magic.hex()


def _header_version(head: bytes) -> int | None:
    """The version field of a GGUF header, even one the reader refused."""
    if head[:4] != GGUF_MAGIC or len(head) < 8:
        return None
    version = int.from_bytes(head[4:8], "little")
    if version & 0xFFFF == 0 and version:
        version = int.from_bytes(head[4:8], "big")
    return version


def inspect_file(
    path: str | os.PathLike[str], limits: Limits | None = None
) -> tuple[GGUFInfo | None, list[Finding], bytes]:
    """Parse and scan a file; returns (info or None, findings, first 4 KB)."""
    found = _Findings()
    with open(path, "rb") as fp:
        head = fp.read(HEAD_BYTES)
        info: GGUFInfo | None = None
        try:
            info = read_gguf(fp, limits, found.on_string)
        except GGUFError as exc:
            found.add(exc.kind, str(exc), "" if exc.offset is None else f"offset {exc.offset}")
    for kind, detail, off in scan_binary_markers(head):
        found.add(kind, detail, f"offset {off}")
    if head[:4] != GGUF_MAGIC:
        markers = scan_code_text(head)
        if markers:
            found.add("python_code", "code markers: " + ", ".join(markers), "first 4 KB")
    if info is not None and info.tensors:
        # Bytes after the last tensor (beyond its alignment padding) are not
        # part of the model; they are where a polyglot payload would sit.
        expected_end = info.data_end + (-info.data_end % info.alignment)
        if info.file_size > expected_end:
            found.add(
                "trailing_data",
                f"{info.file_size - expected_end} bytes after the last tensor",
                f"offset {expected_end}",
            )
    return info, found.result(), head


def verify_model(
    path: str | os.PathLike[str], options: VerifyOptions | None = None
) -> dict[str, Any]:
    """Check one model file; returns the JSON report (``ok`` says whether it passed)."""
    opts = options or VerifyOptions()
    info, findings, head = inspect_file(path, opts.limits)
    digest = sha256_file(path)
    checks: dict[str, str] = {
        "format": "fail" if info is None else "pass",
        "code_markers": "fail"
        if any(f.kind.startswith(("pickle", "python")) for f in findings)
        else "pass",
    }

    entry = match_registry(opts.registry, Path(path).name, digest, opts.repo)
    expected = opts.expected_sha256.lower() if opts.expected_sha256 else None
    source = "--sha256"
    if expected is None and entry is not None and entry.sha256 is not None:
        expected, source = entry.sha256, f"registry entry {entry.id}"
    if expected is None:
        checks["sha256"] = "unpinned"
    elif expected == digest:
        checks["sha256"] = "match"
    else:
        checks["sha256"] = "mismatch"
        findings.append(Finding("sha256_mismatch", f"sha256 is {digest}, {source} says {expected}"))

    if opts.repo is None:
        checks["repo"] = "skipped"
    else:
        allow = opts.allow_repos or tuple(e.hf_repo for e in opts.registry)
        if not allow:
            checks["repo"] = "not_allowed"
            findings.append(
                Finding("repo_not_allowed", f"{opts.repo}: no repo allowlist configured")
            )
        elif not repo_allowed(opts.repo, allow):
            checks["repo"] = "not_allowed"
            findings.append(Finding("repo_not_allowed", f"{opts.repo} is not in the allowlist"))
        elif entry is not None and entry.hf_repo.casefold() != opts.repo.casefold():
            checks["repo"] = "mismatch"
            findings.append(
                Finding(
                    "repo_mismatch",
                    f"file matches registry entry {entry.id} from {entry.hf_repo}, not {opts.repo}",
                )
            )
        else:
            checks["repo"] = "allowed"

    return {
        "path": str(path),
        "ok": not findings,
        "magic": _magic_text(head),
        "version": info.version if info else _header_version(head),
        "byte_order": info.byte_order if info else None,
        "tensor_count": info.tensor_count if info else None,
        "kv_count": info.kv_count if info else None,
        "size": os.path.getsize(path),
        "sha256": digest,
        "registry_id": entry.id if entry else None,
        "checks": checks,
        "findings": [f.as_dict() for f in findings],
    }
