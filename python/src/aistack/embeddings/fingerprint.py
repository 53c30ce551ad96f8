"""The model fingerprint: 16 hex chars naming (model id + weights hash).

Cache keys and the knowledge base's collections carry it, so vectors of two
models never mix. Hashing ~100 MB of weights costs a few hundred milliseconds;
the result is kept in the state directory keyed by (path, size, mtime) so a
restart with the same files hashes nothing.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

FINGERPRINT_HEX = 16
HASH_CACHE_FILE = "weights-sha256.json"
# Files in a sentence-transformers directory that hold weights (configs and
# vocabularies change the vectors too, but never without a new weights file).
WEIGHT_SUFFIXES = (".safetensors", ".bin", ".gguf")


def fingerprint(model_id: str, weights_sha256: str) -> str:
    """16 hex chars of sha256(model id, NUL, weights hash)."""
    digest = hashlib.sha256(f"{model_id}\0{weights_sha256}".encode()).hexdigest()
    return digest[:FINGERPRINT_HEX]


def weight_files(path: Path) -> list[Path]:
    """The weights under ``path``: the file itself, or a directory's weight files, sorted."""
    if path.is_file():
        return [path]
    files = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix in WEIGHT_SUFFIXES)
    if not files:
        raise FileNotFoundError(f"no weights file ({', '.join(WEIGHT_SUFFIXES)}) under {path}")
    return files


def _sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def _load_cache(path: Path) -> dict[str, dict]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _write_atomically(path: Path, data: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(data, f, indent=1, sort_keys=True)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def hash_weights(files: Sequence[Path], state_dir: Path | None) -> str:
    """sha256 of one weights file, or of ``name:sha256`` lines for several.

    Per-file hashes are cached in ``state_dir`` by (path, size, mtime).
    """
    cache_path = state_dir / HASH_CACHE_FILE if state_dir is not None else None
    cache = _load_cache(cache_path) if cache_path is not None else {}
    changed = False
    hashes: list[tuple[str, str]] = []
    for file in files:
        st = file.stat()
        key = str(file.resolve())
        entry = cache.get(key)
        if (
            isinstance(entry, dict)
            and entry.get("size") == st.st_size
            and entry.get("mtime_ns") == st.st_mtime_ns
            and isinstance(entry.get("sha256"), str)
        ):
            digest = entry["sha256"]
        else:
            digest = _sha256_file(file)
            cache[key] = {"size": st.st_size, "mtime_ns": st.st_mtime_ns, "sha256": digest}
            changed = True
        hashes.append((file.name, digest))
    if changed and cache_path is not None:
        # Only a speed-up: when it cannot be written the next start hashes again.
        with contextlib.suppress(OSError):
            _write_atomically(cache_path, cache)
    if len(hashes) == 1:
        return hashes[0][1]
    lines = "".join(f"{name}:{digest}\n" for name, digest in hashes)
    return hashlib.sha256(lines.encode()).hexdigest()
