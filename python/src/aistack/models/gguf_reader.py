"""A bounded, defensive reader for GGUF model headers (versions 2 and 3).

Why not the ``gguf`` package's reader: it memory-maps the whole file and trusts
every count and length it reads, so a hostile header can make it allocate huge
arrays or walk off the end of the map. This reader is for files we do not
trust yet, and it keeps four promises:

* every length and count read from the file is checked against the bytes that
  remain in the file *before* anything is allocated or read, so a header that
  claims ``2**63`` items fails at once instead of allocating;
* configurable :class:`Limits` bound what a legitimately sized file may still
  ask for: one string's size, array nesting depth, the total number of array
  items, the number of keys and tensors, and how much parsed data is *kept*;
* every step consumes at least one byte of the file, so parsing time is linear
  in the file size (no hang on a small file);
* the only exceptions that leave :func:`read_gguf` are subclasses of
  :class:`GGUFError` (plus ``OSError`` from the file itself).

Large arrays (token lists, merges, scores) are parsed item by item; only the
first ``Limits.keep_array_items`` items of each are kept, but every string item
is handed to the ``on_string`` callback, which is how :mod:`aistack.models.safety`
scans a whole vocabulary without holding it in memory.

GGUF layout (little-endian by default; big-endian files are detected from the
version field the same way llama.cpp's ``gguf-py`` does)::

    magic "GGUF" | u32 version | u64 tensor_count | u64 kv_count
    kv_count x (string key | u32 value_type | value)
    tensor_count x (string name | u32 n_dims | n_dims x u64 | u32 type | u64 offset)
    padding to ``general.alignment`` (default 32) | tensor data
"""

from __future__ import annotations

import enum
import io
import itertools
import os
import struct
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO, Any

GGUF_MAGIC = b"GGUF"
SUPPORTED_VERSIONS = frozenset({2, 3})
DEFAULT_ALIGNMENT = 32
# llama.cpp's GGML_MAX_DIMS: a tensor with more dimensions cannot be loaded.
MAX_TENSOR_DIMS = 4
INT64_MAX = 2**63 - 1
# Chunk size for skipping over numeric arrays we do not keep in full.
_CHUNK = 64 * 1024


class GGUFError(Exception):
    """Base class of every failure :func:`read_gguf` reports.

    ``kind`` is a stable snake_case name used in JSON reports; ``offset`` is
    the file position where the problem was detected (or None).
    """

    kind = "gguf_error"

    def __init__(self, message: str, offset: int | None = None) -> None:
        super().__init__(message if offset is None else f"{message} (at offset {offset})")
        self.offset = offset


class TruncatedFile(GGUFError):
    """The file ends before a value it declares (or a length exceeds what remains)."""

    kind = "truncated_file"


class BadMagic(GGUFError):
    """The first four bytes are not ``GGUF``."""

    kind = "bad_magic"


class UnsupportedVersion(GGUFError):
    """A GGUF version this reader does not accept (only 2 and 3 are)."""

    kind = "unsupported_version"


class LimitExceeded(GGUFError):
    """A value is possible within the file size but above a configured :class:`Limits`."""

    kind = "limit_exceeded"


class MalformedFile(GGUFError):
    """Structurally invalid content: unknown value type, duplicate key, bad tensor info."""

    kind = "malformed_file"


class ValueType(enum.IntEnum):
    """GGUF metadata value types (``gguf_type`` in ggml)."""

    UINT8 = 0
    INT8 = 1
    UINT16 = 2
    INT16 = 3
    UINT32 = 4
    INT32 = 5
    FLOAT32 = 6
    BOOL = 7
    STRING = 8
    ARRAY = 9
    UINT64 = 10
    INT64 = 11
    FLOAT64 = 12


# struct format letter per fixed-size type; size follows from the letter.
_SCALAR_FORMATS: dict[ValueType, str] = {
    ValueType.UINT8: "B",
    ValueType.INT8: "b",
    ValueType.UINT16: "H",
    ValueType.INT16: "h",
    ValueType.UINT32: "I",
    ValueType.INT32: "i",
    ValueType.FLOAT32: "f",
    ValueType.BOOL: "B",
    ValueType.UINT64: "Q",
    ValueType.INT64: "q",
    ValueType.FLOAT64: "d",
}

# Smallest encoding of one item of each type, for "can the rest of the file
# even hold this many items" checks before we start reading them.
_MIN_ITEM_SIZE: dict[ValueType, int] = {
    **{t: struct.calcsize("<" + f) for t, f in _SCALAR_FORMATS.items()},
    ValueType.STRING: 8,  # u64 length, possibly empty
    ValueType.ARRAY: 12,  # u32 item type + u64 count, possibly empty
}

# ggml tensor types: id -> (name, elements per block, bytes per block). Copied
# from gguf-py's GGML_QUANT_SIZES so reading needs no third-party package; a
# type not listed here is accepted but its byte size cannot be checked.
GGML_TYPES: dict[int, tuple[str, int, int]] = {
    0: ("F32", 1, 4),
    1: ("F16", 1, 2),
    2: ("Q4_0", 32, 18),
    3: ("Q4_1", 32, 20),
    6: ("Q5_0", 32, 22),
    7: ("Q5_1", 32, 24),
    8: ("Q8_0", 32, 34),
    9: ("Q8_1", 32, 40),
    10: ("Q2_K", 256, 84),
    11: ("Q3_K", 256, 110),
    12: ("Q4_K", 256, 144),
    13: ("Q5_K", 256, 176),
    14: ("Q6_K", 256, 210),
    15: ("Q8_K", 256, 292),
    16: ("IQ2_XXS", 256, 66),
    17: ("IQ2_XS", 256, 74),
    18: ("IQ3_XXS", 256, 98),
    19: ("IQ1_S", 256, 50),
    20: ("IQ4_NL", 32, 18),
    21: ("IQ3_S", 256, 110),
    22: ("IQ2_S", 256, 82),
    23: ("IQ4_XS", 256, 136),
    24: ("I8", 1, 1),
    25: ("I16", 1, 2),
    26: ("I32", 1, 4),
    27: ("I64", 1, 8),
    28: ("F64", 1, 8),
    29: ("IQ1_M", 256, 56),
    30: ("BF16", 1, 2),
    34: ("TQ1_0", 256, 54),
    35: ("TQ2_0", 256, 66),
    39: ("MXFP4", 32, 17),
    40: ("NVFP4", 64, 36),
    41: ("Q1_0", 128, 18),
}


@dataclass(frozen=True)
class Limits:
    """Upper bounds a file must stay within, on top of its own size.

    The defaults accept every real model we know of (a 256k-token vocabulary is
    ~1M array items in total; the longest real metadata strings are tokenizer
    JSON blobs of a few MB) and keep one parse's retained memory in the tens of
    MB whatever the file claims.
    """

    max_kv_count: int = 1 << 20
    max_tensor_count: int = 1 << 20
    max_key_bytes: int = 64 * 1024
    max_string_bytes: int = 16 * 1024 * 1024
    max_tensor_name_bytes: int = 4096
    max_array_depth: int = 4
    max_total_array_items: int = 16 * 1024 * 1024
    # Items kept per array (the rest are parsed, passed to on_string, dropped).
    keep_array_items: int = 64
    # All kept array items across the file; beyond it arrays keep nothing.
    max_kept_items_total: int = 65536
    # Bytes of strings kept in the result; top-level strings beyond it raise
    # LimitExceeded, array strings beyond it are dropped.
    max_kept_string_bytes: int = 64 * 1024 * 1024


@dataclass(frozen=True)
class GGUFArray:
    """A metadata array: its item type, declared count and the items kept.

    ``items`` holds the first ``len(items)`` items (Python scalars, ``str`` or
    nested :class:`GGUFArray`); ``complete`` says whether that is all of them.
    """

    item_type: ValueType
    count: int
    items: tuple[Any, ...]

    @property
    def complete(self) -> bool:
        """True when every item of the array was kept."""
        return len(self.items) == self.count


@dataclass(frozen=True)
class MetadataValue:
    """One metadata value with its declared type."""

    type: ValueType
    value: Any


@dataclass(frozen=True)
class TensorInfo:
    """One tensor's declared name, shape, ggml type and data placement."""

    name: str
    dims: tuple[int, ...]
    ggml_type: int
    offset: int  # relative to GGUFInfo.data_offset
    n_bytes: int | None  # None for a ggml type this reader does not know

    @property
    def type_name(self) -> str:
        """The ggml type name, or ``unknown(<id>)``."""
        entry = GGML_TYPES.get(self.ggml_type)
        return entry[0] if entry else f"unknown({self.ggml_type})"


@dataclass(frozen=True)
class GGUFInfo:
    """Everything :func:`read_gguf` learned from the header."""

    version: int
    byte_order: str  # "little" or "big"
    tensor_count: int
    kv_count: int
    metadata: dict[str, MetadataValue]
    tensors: tuple[TensorInfo, ...]
    alignment: int
    data_offset: int
    file_size: int
    data_end: int  # end of the last tensor's bytes (== data_offset if no tensors)
    header_end: int  # end of the tensor infos, before alignment padding
    array_items: int = field(default=0)  # total array items parsed


# Callback for every string value: (key path, raw bytes, inside an array). The
# key path is the metadata key with "[i]" appended per array level, so a scanner
# can tell a vocabulary token from a free-text field.
StringCallback = Callable[[str, bytes, bool], None]


def _align(value: int, alignment: int) -> int:
    return value + (-value % alignment)


class _Cursor:
    """Reads from a file while refusing any read longer than what remains."""

    def __init__(self, fp: IO[bytes], size: int, order: str) -> None:
        self.fp = fp
        self.size = size
        self.pos = fp.tell()
        self.order = order

    @property
    def remaining(self) -> int:
        return self.size - self.pos

    def need(self, n: int, what: str) -> None:
        """Fail before reading if ``n`` bytes are not left in the file."""
        if n > self.remaining:
            raise TruncatedFile(
                f"{what} needs {n} bytes but only {self.remaining} remain", self.pos
            )

    def read(self, n: int, what: str) -> bytes:
        self.need(n, what)
        data = self.fp.read(n)
        if len(data) != n:  # file shrank under us
            raise TruncatedFile(f"{what}: short read", self.pos)
        self.pos += n
        return data

    def skip(self, n: int, what: str) -> None:
        self.need(n, what)
        self.fp.seek(n, os.SEEK_CUR)
        self.pos += n

    def unpack(self, fmt: str, what: str) -> Any:
        st = struct.Struct(self.order + fmt)
        return st.unpack(self.read(st.size, what))[0]

    def u32(self, what: str) -> int:
        return int(self.unpack("I", what))

    def u64(self, what: str) -> int:
        return int(self.unpack("Q", what))


class _Parser:
    def __init__(self, cur: _Cursor, limits: Limits, on_string: StringCallback | None) -> None:
        self.cur = cur
        self.limits = limits
        self.on_string = on_string
        self.array_items = 0
        self.kept_items = 0
        self.kept_string_bytes = 0

    # -- strings ---------------------------------------------------------

    def raw_string(self, what: str, max_bytes: int) -> bytes:
        start = self.cur.pos
        length = self.cur.u64(f"{what} length")
        # File size first: a length the file cannot hold is a truncation, and
        # this check alone already stops 2**64-1 before any allocation.
        self.cur.need(length, what)
        if length > max_bytes:
            raise LimitExceeded(f"{what} is {length} bytes, limit {max_bytes}", start)
        return self.cur.read(length, what)

    def key(self, what: str, max_bytes: int) -> str:
        return self.raw_string(what, max_bytes).decode("utf-8", errors="replace")

    # -- values ----------------------------------------------------------

    def value_type(self, what: str) -> ValueType:
        pos = self.cur.pos
        raw = self.cur.u32(what)
        try:
            return ValueType(raw)
        except ValueError:
            raise MalformedFile(f"{what}: unknown value type {raw}", pos) from None

    def value(self, vtype: ValueType, path: str, depth: int, keep: bool) -> Any:
        """Parse one value; returns it (or None when ``keep`` is False)."""
        if vtype is ValueType.STRING:
            raw = self.raw_string(f"string value of {path}", self.limits.max_string_bytes)
            if self.on_string is not None:
                self.on_string(path, raw, depth > 0)
            if not keep:
                return None
            self.kept_string_bytes += len(raw)
            if self.kept_string_bytes > self.limits.max_kept_string_bytes:
                raise LimitExceeded(
                    f"metadata strings exceed {self.limits.max_kept_string_bytes} bytes",
                    self.cur.pos,
                )
            return raw.decode("utf-8", errors="replace")
        if vtype is ValueType.ARRAY:
            return self.array(path, depth + 1, keep)
        fmt = _SCALAR_FORMATS[vtype]
        val = self.cur.unpack(fmt, f"value of {path}")
        if vtype is ValueType.BOOL:
            return bool(val)
        return val

    def array(self, path: str, depth: int, keep: bool) -> GGUFArray | None:
        lim = self.limits
        start = self.cur.pos
        if depth > lim.max_array_depth:
            raise LimitExceeded(f"{path}: arrays nested deeper than {lim.max_array_depth}", start)
        item_type = self.value_type(f"item type of {path}")
        count = self.cur.u64(f"item count of {path}")
        # Even empty items take bytes: reject counts the file cannot hold.
        self.cur.need(count * _MIN_ITEM_SIZE[item_type], f"{count} items of {path}")
        self.array_items += count
        if self.array_items > lim.max_total_array_items:
            raise LimitExceeded(
                f"{path}: more than {lim.max_total_array_items} array items in total", start
            )
        kept: list[Any] = []
        if item_type in _SCALAR_FORMATS:
            self._scalar_items(item_type, count, path, kept if keep else None)
        else:
            for i in range(count):
                keep_item = keep and self._may_keep(len(kept))
                # String items are only kept while the string budget lasts;
                # dropping them (not raising) is fine, they were still scanned.
                if (
                    keep_item
                    and item_type is ValueType.STRING
                    and self.kept_string_bytes >= lim.max_kept_string_bytes
                ):
                    keep_item = False
                val = self.value(item_type, f"{path}[{i}]", depth, keep_item)
                if keep_item:
                    kept.append(val)
                    self.kept_items += 1
        return GGUFArray(item_type, count, tuple(kept)) if keep else None

    def _may_keep(self, already: int) -> bool:
        lim = self.limits
        return already < lim.keep_array_items and self.kept_items < lim.max_kept_items_total

    def _scalar_items(
        self, item_type: ValueType, count: int, path: str, kept: list[Any] | None
    ) -> None:
        st = struct.Struct(self.cur.order + _SCALAR_FORMATS[item_type])
        n_keep = 0
        if kept is not None:
            n_keep = min(
                count,
                self.limits.keep_array_items,
                max(0, self.limits.max_kept_items_total - self.kept_items),
            )
        if n_keep:
            data = self.cur.read(n_keep * st.size, f"items of {path}")
            vals = [v[0] for v in st.iter_unpack(data)]
            if item_type is ValueType.BOOL:
                vals = [bool(v) for v in vals]
            assert kept is not None
            kept.extend(vals)
            self.kept_items += n_keep
        # The rest is skipped without being read: sizes were checked above.
        self.cur.skip((count - n_keep) * st.size, f"items of {path}")

    # -- whole file ------------------------------------------------------

    def tensor_info(self, index: int) -> tuple[str, tuple[int, ...], int, int]:
        lim = self.limits
        start = self.cur.pos
        name = self.key(f"name of tensor {index}", lim.max_tensor_name_bytes)
        n_dims = self.cur.u32(f"n_dims of tensor {name!r}")
        if n_dims > MAX_TENSOR_DIMS:
            raise MalformedFile(
                f"tensor {name!r} has {n_dims} dimensions, max {MAX_TENSOR_DIMS}", start
            )
        dims = tuple(self.cur.u64(f"dims of tensor {name!r}") for _ in range(n_dims))
        ggml_type = self.cur.u32(f"type of tensor {name!r}")
        offset = self.cur.u64(f"offset of tensor {name!r}")
        return name, dims, ggml_type, offset


def _tensor_bytes(name: str, dims: tuple[int, ...], ggml_type: int) -> int | None:
    """Byte size of a tensor, refusing shapes whose element count overflows int64."""
    n_elements = 1
    for d in dims:
        if d > INT64_MAX:
            raise MalformedFile(f"tensor {name!r}: dimension {d} exceeds int64")
        n_elements *= d
        if n_elements > INT64_MAX:
            raise MalformedFile(f"tensor {name!r}: element count {dims} overflows int64")
    entry = GGML_TYPES.get(ggml_type)
    if entry is None:
        return None
    _, block, type_size = entry
    if dims and dims[0] % block:
        raise MalformedFile(
            f"tensor {name!r}: first dimension {dims[0]} is not a multiple of block size {block}"
        )
    return n_elements // block * type_size


def _file_size(fp: IO[bytes]) -> int:
    here = fp.tell()
    size = fp.seek(0, os.SEEK_END)
    fp.seek(here)
    return size


def read_gguf(
    source: str | os.PathLike[str] | IO[bytes] | bytes,
    limits: Limits | None = None,
    on_string: StringCallback | None = None,
) -> GGUFInfo:
    """Parse and validate a GGUF header, metadata and tensor infos.

    ``source`` is a path, a seekable binary file object (read from its start)
    or bytes. ``on_string(key_path, raw_bytes, in_array)`` is called for every
    string value, array items included, before the value is kept or dropped.

    Raises a :class:`GGUFError` subclass for any problem with the content;
    ``OSError`` only for problems opening or reading the file itself.
    """
    if isinstance(source, bytes | bytearray | memoryview):
        return read_gguf(io.BytesIO(bytes(source)), limits, on_string)
    if isinstance(source, str | os.PathLike):
        with open(source, "rb") as fp:
            return _read(fp, limits or Limits(), on_string)
    source.seek(0)
    return _read(source, limits or Limits(), on_string)


def _read(fp: IO[bytes], limits: Limits, on_string: StringCallback | None) -> GGUFInfo:
    size = _file_size(fp)
    cur = _Cursor(fp, size, "<")
    magic = cur.fp.read(4)
    if len(magic) < 4 and GGUF_MAGIC.startswith(magic):
        raise TruncatedFile(f"file is {size} bytes, too short for the GGUF magic", 0)
    if magic != GGUF_MAGIC:
        raise BadMagic(f"magic is {magic!r}, expected {GGUF_MAGIC!r}", 0)
    cur.pos = 4
    raw_version = cur.read(4, "version")
    version = struct.unpack("<I", raw_version)[0]
    # A big-endian file has its small version number in the high bytes.
    if version & 0xFFFF == 0 and version:
        cur.order = ">"
        version = struct.unpack(">I", raw_version)[0]
    if version not in SUPPORTED_VERSIONS:
        raise UnsupportedVersion(f"GGUF version {version} is not supported (supported: 2, 3)", 4)
    tensor_count = cur.u64("tensor count")
    kv_count = cur.u64("metadata count")
    # Each KV and tensor info has a minimum encoded size; check both against
    # the file before looping, then against the configured limits.
    cur.need(kv_count * (8 + 4 + 1), f"{kv_count} metadata entries")
    cur.need(tensor_count * (8 + 4 + 4 + 8), f"{tensor_count} tensor infos")
    if kv_count > limits.max_kv_count:
        raise LimitExceeded(f"{kv_count} metadata entries, limit {limits.max_kv_count}", 16)
    if tensor_count > limits.max_tensor_count:
        raise LimitExceeded(f"{tensor_count} tensors, limit {limits.max_tensor_count}", 8)

    p = _Parser(cur, limits, on_string)
    metadata: dict[str, MetadataValue] = {}
    for i in range(kv_count):
        kpos = cur.pos
        key = p.key(f"key of metadata entry {i}", limits.max_key_bytes)
        if key in metadata:
            raise MalformedFile(f"duplicate metadata key {key!r}", kpos)
        vtype = p.value_type(f"value type of {key!r}")
        metadata[key] = MetadataValue(vtype, p.value(vtype, key, 0, True))

    alignment = DEFAULT_ALIGNMENT
    if "general.alignment" in metadata:
        al = metadata["general.alignment"]
        if al.type is not ValueType.UINT32 or al.value <= 0 or al.value & (al.value - 1):
            raise MalformedFile(
                f"general.alignment must be a power-of-two uint32, got {al.value!r}"
            )
        alignment = al.value

    raw_tensors = []
    names: set[str] = set()
    for i in range(tensor_count):
        tpos = cur.pos
        name, dims, ggml_type, offset = p.tensor_info(i)
        if name in names:
            raise MalformedFile(f"duplicate tensor name {name!r}", tpos)
        names.add(name)
        raw_tensors.append((name, dims, ggml_type, offset))
    header_end = cur.pos
    data_offset = _align(header_end, alignment)
    data_size = max(0, size - data_offset)

    tensors: list[TensorInfo] = []
    data_end = data_offset
    for name, dims, ggml_type, offset in raw_tensors:
        n_bytes = _tensor_bytes(name, dims, ggml_type)
        if offset % alignment:
            raise MalformedFile(f"tensor {name!r}: offset {offset} not aligned to {alignment}")
        end = offset + (n_bytes or 0)
        if offset > data_size or end > data_size:
            raise TruncatedFile(
                f"tensor {name!r}: data [{offset}, {end}) lies beyond the "
                f"{data_size} bytes of tensor data in the file"
            )
        data_end = max(data_end, data_offset + end)
        tensors.append(TensorInfo(name, dims, ggml_type, offset, n_bytes))

    # Overlapping tensors would let one tensor's bytes be read as another's.
    spans = sorted((t.offset, t.offset + (t.n_bytes or 0), t.name) for t in tensors)
    for (_, a_end, a_name), (b_start, _, b_name) in itertools.pairwise(spans):
        if b_start < a_end:
            raise MalformedFile(f"tensors {a_name!r} and {b_name!r} overlap")

    return GGUFInfo(
        version=version,
        byte_order="little" if cur.order == "<" else "big",
        tensor_count=tensor_count,
        kv_count=kv_count,
        metadata=metadata,
        tensors=tuple(tensors),
        alignment=alignment,
        data_offset=data_offset,
        file_size=size,
        data_end=data_end,
        header_end=header_end,
        array_items=p.array_items,
    )
