"""API keys of the OpenAI-compatible front door: a credentials file, looked up in constant time.

The file (handed to the service by systemd's ``LoadCredential=``, never in a
config) holds one key per line; ``#`` starts a comment line and blank lines are
ignored. A line may name its key as ``NAME:KEY``; a bare key is named after its
line (``key-3``). Keys are kept only as SHA-256 digests, and :meth:`ApiKeyRing.lookup`
compares the presented key's digest with *every* stored digest with
:func:`hmac.compare_digest`, so neither the position of a match nor the length
of a common prefix shows in the timing.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
import stat
from dataclasses import dataclass
from pathlib import Path

from aistack.guard.keys import KeyFileError

API_KEYS_NAME = "api-keys"
# A generated key: a recognisable prefix and 32 random bytes, URL-safe.
KEY_PREFIX = "sk-aistack-"
MIN_KEY_CHARS = 16
_NAME_RE = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")


@dataclass(frozen=True, slots=True)
class Identity:
    """Who presented a valid key: the key's name and a short, non-reversible key id."""

    name: str
    key_id: str


@dataclass(frozen=True)
class ApiKeyRing:
    """The valid keys, as digests; :meth:`lookup` is the only way to test one."""

    entries: tuple[tuple[bytes, Identity], ...]

    def lookup(self, presented: str) -> Identity | None:
        """The identity whose key equals ``presented``, or None; constant time in the ring."""
        digest = hashlib.sha256(presented.encode("utf-8", "surrogatepass")).digest()
        found: Identity | None = None
        for stored, identity in self.entries:
            # No early exit: every entry is compared whatever the outcome.
            if hmac.compare_digest(stored, digest):
                found = identity
        return found

    def __len__(self) -> int:
        return len(self.entries)


def parse_api_keys(text: str, origin: str = "<api keys>") -> ApiKeyRing:
    """Parse the file's text; :class:`KeyFileError` names the bad line (never its key)."""
    entries: list[tuple[bytes, Identity]] = []
    seen: set[bytes] = set()
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        name, sep, key = line.partition(":")
        if not sep:
            name, key = f"key-{number}", line
        if not _NAME_RE.fullmatch(name):
            raise KeyFileError(f"{origin}: line {number}: key name must match {_NAME_RE.pattern}")
        if len(key) < MIN_KEY_CHARS or any(c.isspace() for c in key):
            raise KeyFileError(
                f"{origin}: line {number}: a key needs at least {MIN_KEY_CHARS} characters "
                "and no spaces"
            )
        digest = hashlib.sha256(key.encode("utf-8")).digest()
        if digest in seen:
            raise KeyFileError(f"{origin}: line {number}: the same key appears twice")
        seen.add(digest)
        entries.append((digest, Identity(name=name, key_id=digest.hex()[:12])))
    if not entries:
        raise KeyFileError(f"{origin}: no API key in the file")
    return ApiKeyRing(tuple(entries))


def load_api_keys(path: Path | str) -> ApiKeyRing:
    """Read and parse the keys file; refuses a missing, empty or group/world-readable file."""
    path = Path(path)
    try:
        info = path.stat()
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        detail = getattr(exc, "strerror", None) or exc
        raise KeyFileError(f"{path}: cannot read the API keys: {detail}") from None
    if info.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise KeyFileError(
            f"{path}: readable by group or others (mode {stat.filemode(info.st_mode)})"
        )
    return parse_api_keys(text, str(path))


def new_api_key() -> str:
    """A fresh random key (``sk-aistack-`` + 43 URL-safe characters)."""
    return KEY_PREFIX + secrets.token_urlsafe(32)


def ensure_api_keys_file(path: Path) -> bool:
    """Create ``path`` holding one new key (mode 0600) unless it exists; returns whether it did.

    Written to a temp file, synced and linked into place: a crash never leaves
    a half-written file, and an existing file is never replaced.
    """
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    if path.exists():
        return False
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o600)
    try:
        os.write(fd, f"# NAME:KEY or KEY, one per line\nlocal:{new_api_key()}\n".encode())
        os.fsync(fd)
    finally:
        os.close(fd)
    try:
        os.link(tmp, path)
    except FileExistsError:
        return False
    finally:
        tmp.unlink(missing_ok=True)
    return True
