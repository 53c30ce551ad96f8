"""The bounded GGUF reader: clean files parse like gguf-py reads them, hostile ones fail cleanly."""

from __future__ import annotations

import contextlib
import struct
import tracemalloc
from pathlib import Path

import gguf
import numpy as np
import pytest
from gguf_factory import build_gguf, gguf_header, gguf_string

from aistack.models.gguf_reader import (
    BadMagic,
    GGUFArray,
    GGUFError,
    LimitExceeded,
    Limits,
    MalformedFile,
    TruncatedFile,
    UnsupportedVersion,
    ValueType,
    read_gguf,
)

U64_MAX = 2**64 - 1
MEMORY_BOUND = 8 * 1024 * 1024


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, bytes]:
    path = tmp_path_factory.mktemp("gguf") / "clean.gguf"
    return path, build_gguf(path)


def _peak_bytes_of(fn) -> int:  # type: ignore[no-untyped-def]
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        with contextlib.suppress(GGUFError):
            fn()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_clean_file_matches_gguf_py_reader(clean: tuple[Path, bytes]) -> None:
    path, _ = clean
    info = read_gguf(path)
    ref = gguf.GGUFReader(path)
    assert info.version == 3 and info.byte_order == "little"
    assert list(info.metadata) == [
        f.name for f in ref.fields.values() if not f.name.startswith("GGUF.")
    ]
    assert info.tensor_count == len(ref.tensors) == 2
    for mine, theirs in zip(info.tensors, ref.tensors, strict=True):
        assert mine.name == theirs.name
        assert list(mine.dims) == [int(d) for d in theirs.shape]
        assert mine.n_bytes == theirs.n_bytes
        assert info.data_offset + mine.offset == theirs.data_offset
    assert info.metadata["general.name"].value == "tiny-test-model"
    assert info.metadata["llama.context_length"].value == 128
    assert info.metadata["tokenizer.ggml.add_bos_token"].value is True
    nested = info.metadata["test.nested"].value
    assert isinstance(nested, GGUFArray) and nested.item_type is ValueType.ARRAY
    assert [list(a.items) for a in nested.items] == [[1, 2, 3], [4, 5]]


def test_version_2_accepted_and_1_refused(clean: tuple[Path, bytes]) -> None:
    _, data = clean
    # v2 and v3 share the layout (v3 only added big-endian support).
    assert read_gguf(data[:4] + struct.pack("<I", 2) + data[8:]).version == 2
    with pytest.raises(UnsupportedVersion):
        read_gguf(data[:4] + struct.pack("<I", 1) + data[8:])
    with pytest.raises(UnsupportedVersion):
        read_gguf(data[:4] + struct.pack("<I", 4) + data[8:])


def test_big_endian_file(tmp_path: Path) -> None:
    path = tmp_path / "be.gguf"
    w = gguf.GGUFWriter(path, arch="llama", endianess=gguf.GGUFEndian.BIG)
    w.add_uint32("test.u32", 0x01020304)
    w.add_array("test.list", ["a", "bc"])
    w.add_tensor("t", np.arange(4, dtype=np.float32))
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()
    info = read_gguf(path)
    assert info.byte_order == "big" and info.version == 3
    assert info.metadata["test.u32"].value == 0x01020304
    assert info.metadata["test.list"].value.items == ("a", "bc")
    assert info.tensors[0].dims == (4,)


def test_bad_magic() -> None:
    with pytest.raises(BadMagic):
        read_gguf(b"PK\x03\x04" + bytes(60))


def test_every_prefix_of_a_clean_file_is_a_declared_error(clean: tuple[Path, bytes]) -> None:
    _, data = clean
    info = read_gguf(data)
    # Cutting anywhere inside header, metadata, tensor infos or tensor data
    # must raise TruncatedFile/BadMagic, nothing else.
    for n in range(info.data_end):
        with pytest.raises(GGUFError) as err:
            read_gguf(data[:n])
        assert isinstance(err.value, TruncatedFile | BadMagic), (n, err.value)


def test_all_strings_reach_the_callback_even_when_not_kept(clean: tuple[Path, bytes]) -> None:
    _, data = clean
    seen: list[tuple[str, bytes, bool]] = []
    info = read_gguf(data, Limits(keep_array_items=3), lambda k, r, a: seen.append((k, r, a)))
    tokens = info.metadata["tokenizer.ggml.tokens"].value
    assert tokens.count == 16 and len(tokens.items) == 3 and not tokens.complete
    token_calls = [s for s in seen if s[0].startswith("tokenizer.ggml.tokens[")]
    assert len(token_calls) == 16 and all(in_array for _, _, in_array in token_calls)
    assert ("general.name", b"tiny-test-model", False) in seen
    scores = info.metadata["tokenizer.ggml.scores"].value
    assert scores.items == (0.0, -1.0, -2.0)


# -- hand-written hostile files ----------------------------------------------


def _kv_file(key: str, vtype: int, value: bytes, tail: bytes = b"") -> bytes:
    return gguf_header(kv_count=1) + gguf_string(key) + struct.pack("<I", vtype) + value + tail


@pytest.mark.parametrize(
    ("name", "data", "error"),
    [
        ("kv count 2**64-1", gguf_header(kv_count=U64_MAX), TruncatedFile),
        ("tensor count 2**63", gguf_header(tensor_count=2**63), TruncatedFile),
        ("key length 2**64-1", gguf_header(kv_count=1) + struct.pack("<Q", U64_MAX), TruncatedFile),
        (
            "string length 2**63",
            _kv_file("k", ValueType.STRING, struct.pack("<Q", 2**63) + b"abc"),
            TruncatedFile,
        ),
        (
            "array count 2**64-1 of u8",
            _kv_file("k", ValueType.ARRAY, struct.pack("<IQ", ValueType.UINT8, U64_MAX)),
            TruncatedFile,
        ),
        (
            "array count 2**63 of strings",
            _kv_file("k", ValueType.ARRAY, struct.pack("<IQ", ValueType.STRING, 2**63) + bytes(64)),
            TruncatedFile,
        ),
        (
            "deep nesting",
            _kv_file("k", ValueType.ARRAY, struct.pack("<IQ", ValueType.ARRAY, 1) * 1000),
            LimitExceeded,
        ),
        ("unknown value type", _kv_file("k", 13, bytes(8)), MalformedFile),
        (
            "unknown array item type",
            _kv_file("k", ValueType.ARRAY, struct.pack("<IQ", 99, 1) + bytes(8)),
            MalformedFile,
        ),
        (
            "duplicate key",
            gguf_header(kv_count=2)
            + (gguf_string("k") + struct.pack("<IB", ValueType.UINT8, 1)) * 2,
            MalformedFile,
        ),
        (
            "alignment not a power of two",
            _kv_file("general.alignment", ValueType.UINT32, struct.pack("<I", 48)),
            MalformedFile,
        ),
        (
            "alignment zero",
            _kv_file("general.alignment", ValueType.UINT32, bytes(4)),
            MalformedFile,
        ),
    ],
)
def test_hostile_header(name: str, data: bytes, error: type[GGUFError]) -> None:
    with pytest.raises(error):
        read_gguf(data)
    # Whatever the header claims, parsing it costs next to nothing.
    assert _peak_bytes_of(lambda: read_gguf(data)) < MEMORY_BOUND, name


def _tensor_file(dims: list[int], ggml_type: int = 0, offset: int = 0, data: bytes = b"") -> bytes:
    info = gguf_string("t") + struct.pack("<I", len(dims)) + struct.pack(f"<{len(dims)}Q", *dims)
    info += struct.pack("<IQ", ggml_type, offset)
    head = gguf_header(tensor_count=1) + info
    return head + bytes(-len(head) % 32) + data


@pytest.mark.parametrize(
    ("name", "data", "error"),
    [
        ("dims product overflows int64", _tensor_file([2**32, 2**32]), MalformedFile),
        ("dim is 2**64-1", _tensor_file([U64_MAX]), MalformedFile),
        ("five dimensions", _tensor_file([1, 1, 1, 1, 1]), MalformedFile),
        (
            "n_dims 2**32-1",
            gguf_header(tensor_count=1)
            + gguf_string("t")
            + struct.pack("<I", 2**32 - 1)
            + bytes(64),
            MalformedFile,
        ),
        ("data beyond the file", _tensor_file([1024], data=bytes(32)), TruncatedFile),
        ("offset beyond the file", _tensor_file([1], offset=2**40, data=bytes(32)), TruncatedFile),
        ("unaligned offset", _tensor_file([1], offset=4, data=bytes(32)), MalformedFile),
        ("block size mismatch", _tensor_file([31], ggml_type=2, data=bytes(64)), MalformedFile),
    ],
)
def test_hostile_tensor_info(name: str, data: bytes, error: type[GGUFError]) -> None:
    with pytest.raises(error):
        read_gguf(data)


def test_overlapping_tensors_refused() -> None:
    infos = b""
    for name in ("a", "b"):
        infos += gguf_string(name) + struct.pack("<IQIQ", 1, 8, 0, 0)  # both at offset 0
    head = gguf_header(tensor_count=2) + infos
    with pytest.raises(MalformedFile, match="overlap"):
        read_gguf(head + bytes(-len(head) % 32) + bytes(64))


def test_configured_limits_apply_below_the_file_size(clean: tuple[Path, bytes]) -> None:
    _, data = clean
    with pytest.raises(LimitExceeded):
        read_gguf(data, Limits(max_string_bytes=8))
    with pytest.raises(LimitExceeded):
        read_gguf(data, Limits(max_total_array_items=10))
    with pytest.raises(LimitExceeded):
        read_gguf(data, Limits(max_kv_count=3))
    with pytest.raises(LimitExceeded):
        read_gguf(data, Limits(max_array_depth=1))
    with pytest.raises(LimitExceeded):
        read_gguf(data, Limits(max_kept_string_bytes=16))


def test_large_arrays_are_not_kept_whole(tmp_path: Path) -> None:
    # 200k tokens (about a real vocabulary): parsed and scanned, not retained.
    path = tmp_path / "vocab.gguf"
    build_gguf(path, vocab=[f"tok{i}" for i in range(200_000)], tensors=False)
    count = 0

    def on_string(key: str, raw: bytes, in_array: bool) -> None:
        nonlocal count
        count += 1

    info = read_gguf(path, on_string=on_string)
    tokens = info.metadata["tokenizer.ggml.tokens"].value
    assert tokens.count == 200_000 and len(tokens.items) == Limits().keep_array_items
    assert count >= 200_000
    peak = _peak_bytes_of(lambda: read_gguf(path))
    assert peak < MEMORY_BOUND
