"""The API keys a service accepts, loaded from a credentials file.

File format (UTF-8 text; systemd hands it over with ``LoadCredential=``, so
it is readable by the service alone -- a file readable by group or others is
refused)::

    # comment lines and blank lines are ignored
    alice  ak-3f9c...        # NAME KEY: the name shows up in logs and audit records
    local:sk-aistack-...     # NAME:KEY, as `aistack secrets init` writes it
    ak-77d0...               # KEY alone: named "key-<line number>"

A single field is ``NAME:KEY`` when the part before the first ``:`` is a valid
name, so a bare key must not contain ``:`` (generated keys never do).

* A key is 16 to 512 printable ASCII characters without whitespace.
* A name is 1 to 64 of ``A-Z a-z 0-9 _ . -``; names and keys are unique.
* At most :data:`MAX_KEYS` keys and :data:`MAX_FILE_BYTES` bytes.

Lookup never compares the presented string with the stored keys: both go
through the caller-identity HMAC (:func:`aistack.guard.identity.caller_identity`,
keyed with the host's identity key) and the presented key's digest is looked
up among the stored digests. An attacker cannot steer the digests without the
secret, so the dictionary lookup leaks nothing usable by timing, and the match
is confirmed with :func:`hmac.compare_digest`. The ring keeps digests only,
never the keys.
"""

from __future__ import annotations

import hmac
import os
import re
import secrets
import stat
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from aistack.guard.identity import caller_identity
from aistack.guard.keys import KeyFileError

# The file's name among the host's keys (aistack-secrets.service creates it).
API_KEYS_NAME = "api-keys"
# A generated key: a recognisable prefix and 32 random bytes, URL-safe.
KEY_PREFIX = "sk-aistack-"

MAX_KEYS = 10_000
MAX_FILE_BYTES = 1024 * 1024
MIN_KEY_CHARS = 16
MAX_KEY_CHARS = 512

_KEY = re.compile(rf"[\x21-\x7e]{{{MIN_KEY_CHARS},{MAX_KEY_CHARS}}}")
_NAME = re.compile(r"[A-Za-z0-9_.-]{1,64}")


class ApiKeyFileError(KeyFileError):
    """The keys file is missing, exposed or malformed; the message names the line."""


@dataclass(frozen=True)
class Identity:
    """An authenticated caller: the key's name and its HMAC (what limits and audits use)."""

    name: str
    identity: str


class ApiKeyRing:
    """The accepted keys, as HMAC digests; :meth:`lookup` authenticates one presented key."""

    def __init__(self, identities: Iterable[Identity], identity_secret: bytes | str) -> None:
        self._secret = identity_secret
        self._by_digest: dict[str, Identity] = {}
        for ident in identities:
            self._by_digest[ident.identity] = ident

    @classmethod
    def from_keys(
        cls, keys: Iterable[tuple[str, str]] | Iterable[str], identity_secret: bytes | str
    ) -> ApiKeyRing:
        """A ring from ``(name, key)`` pairs or bare keys (named ``key-N``)."""
        identities = []
        for n, item in enumerate(keys, start=1):
            name, key = item if isinstance(item, tuple) else (f"key-{n}", item)
            identities.append(Identity(name, caller_identity(key, identity_secret)))
        return cls(identities, identity_secret)

    def __len__(self) -> int:
        return len(self._by_digest)

    def lookup(self, presented: str) -> Identity | None:
        """The identity of ``presented`` if it is a configured key, else ``None``.

        Time does not depend on which stored key (if any) resembles it.
        """
        if not presented or len(presented) > MAX_KEY_CHARS:
            return None
        digest = caller_identity(presented, self._secret)
        found = self._by_digest.get(digest)
        if found is None or not hmac.compare_digest(found.identity, digest):
            return None
        return found


def parse_api_keys(text: str, source: str = "keys file") -> list[tuple[str, str]]:
    """``(name, key)`` pairs from the file format above; :class:`ApiKeyFileError` names the line."""
    pairs: list[tuple[str, str]] = []
    names: set[str] = set()
    keys: set[str] = set()
    for lineno, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        fields = line.split()
        if len(fields) == 1 and _NAME.fullmatch(fields[0].partition(":")[0]) and ":" in fields[0]:
            name, _, key = fields[0].partition(":")
        elif len(fields) == 1:
            name, key = f"key-{lineno}", fields[0]
        elif len(fields) == 2:
            name, key = fields
        else:
            raise ApiKeyFileError(
                f"{source}: line {lineno}: expected 'KEY', 'NAME KEY' or 'NAME:KEY'"
            )
        if not _NAME.fullmatch(name):
            raise ApiKeyFileError(f"{source}: line {lineno}: name must be 1-64 of A-Za-z0-9_.-")
        if not _KEY.fullmatch(key):
            raise ApiKeyFileError(
                f"{source}: line {lineno}: a key is {MIN_KEY_CHARS}-{MAX_KEY_CHARS} printable "
                "ASCII characters without spaces"
            )
        if name in names or key in keys:
            raise ApiKeyFileError(f"{source}: line {lineno}: duplicate name or key")
        names.add(name)
        keys.add(key)
        pairs.append((name, key))
        if len(pairs) > MAX_KEYS:
            raise ApiKeyFileError(f"{source}: more than {MAX_KEYS} keys")
    return pairs


def load_api_keys(path: Path | str, identity_secret: bytes | str | None = None) -> ApiKeyRing:
    """Read the keys file at ``path`` (format above) into an :class:`ApiKeyRing`.

    ``identity_secret`` is the host's identity key, so an identity is the same
    in every process (rate limits in Redis, audit records); without one, a
    random per-process secret still authenticates, but identities differ
    between processes. Raises :class:`ApiKeyFileError`.
    """
    path = Path(path)
    try:
        info = path.stat()
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise ApiKeyFileError(f"{path}: cannot read the API keys: {exc.strerror or exc}") from None
    if info.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise ApiKeyFileError(
            f"{path}: readable by group or others (mode {stat.filemode(info.st_mode)})"
        )
    if len(data) > MAX_FILE_BYTES:
        raise ApiKeyFileError(f"{path}: larger than {MAX_FILE_BYTES} bytes")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ApiKeyFileError(f"{path}: not UTF-8 (offset {exc.start})") from None
    pairs = parse_api_keys(text, str(path))
    if not pairs:
        raise ApiKeyFileError(f"{path}: no API key in the file")
    secret = identity_secret if identity_secret is not None else secrets.token_bytes(32)
    return ApiKeyRing.from_keys(pairs, secret)


def new_api_key() -> str:
    """A fresh random key (``sk-aistack-`` and 43 URL-safe characters)."""
    return KEY_PREFIX + secrets.token_urlsafe(32)


def ensure_api_keys_file(path: Path) -> bool:
    """Create ``path`` holding new keys named ``local`` and ``tasks`` (mode 0600) unless it exists.

    Returns whether it did. Written to a temporary file, synced and linked into
    place: a crash never leaves a half-written file, and an existing file is
    never replaced.
    """
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    if path.exists():
        return False
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o600)
    try:
        # `local` for people and scripts; `tasks` for the coding agents the
        # task runner starts, so they have an identity (and limits) of their own.
        text = (
            "# NAME:KEY, NAME KEY or KEY, one per line\n"
            f"local:{new_api_key()}\ntasks:{new_api_key()}\n"
        )
        os.write(fd, text.encode())
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
