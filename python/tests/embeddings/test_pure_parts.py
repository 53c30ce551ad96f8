"""The embeddings service's pure parts: request checks, cache-key decisions,
token shares, fingerprints and their hash cache, the batcher's grouping."""

from __future__ import annotations

import asyncio
import json
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest

from aistack.embeddings.backend import Encoded, share_tokens
from aistack.embeddings.batcher import BatchObserver, MicroBatcher
from aistack.embeddings.cache import cache_key, pack, stale_keys, unpack
from aistack.embeddings.fingerprint import HASH_CACHE_FILE, fingerprint, hash_weights
from aistack.embeddings.requests import Limits, RequestRefused, check_request, parse_body

LIMITS = Limits(max_inputs=4, max_input_bytes=10, dimensions=3)


def test_a_string_and_a_list_are_both_accepted() -> None:
    assert check_request({"input": "abc"}, LIMITS).texts == ["abc"]
    req = check_request({"input": ["a", "b"], "encoding_format": "base64"}, LIMITS)
    assert req.texts == ["a", "b"] and req.encoding_format == "base64"


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"input": ["a"] * 5}, "too_many_inputs"),
        ({"input": "é" * 6}, "input_too_long"),  # 12 bytes > 10, though 6 characters
        ({"input": [True]}, "invalid_type"),
        ({"input": 1.5}, "invalid_type"),
        ({"input": "x", "dimensions": 2}, "invalid_dimensions"),
    ],
)
def test_limits_are_refused_with_their_code(body: dict, code: str) -> None:
    with pytest.raises(RequestRefused) as err:
        check_request(body, LIMITS)
    assert err.value.status == 400 and err.value.code == code
    assert err.value.body()["error"]["message"]


def test_parse_body_names_the_json_problem() -> None:
    with pytest.raises(RequestRefused) as err:
        parse_body(b'{"input": }')
    assert "line 1 column 11" in err.value.message


def test_stale_keys_follow_the_recorded_fingerprint_and_epoch() -> None:
    assert stale_keys(None, "f" * 16, 0) is None
    assert stale_keys("a" * 16 + ":0", "a" * 16, 0) is None
    changed = stale_keys("a" * 16 + ":3", "b" * 16, 3)
    assert changed is not None and changed.reason == "model_changed"
    assert changed.pattern == f"emb:m{'a' * 16}:*"
    bumped = stale_keys("a" * 16 + ":0", "a" * 16, 1)
    assert bumped is not None and bumped.reason == "epoch_changed"
    assert bumped.pattern == f"emb:m{'a' * 16}:e0:*"


def test_cache_key_and_value_round_trip() -> None:
    key = cache_key("0123456789abcdef", 2, "hello")
    assert key == (
        "emb:m0123456789abcdef:e2:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"
    )
    vector = np.asarray([0.6, 0.8, 0.0], dtype=np.float32)
    got = unpack(pack(vector, 7), 3)
    assert got is not None and got[1] == 7
    np.testing.assert_array_equal(got[0], vector)
    assert unpack(pack(vector, 7), 4) is None  # another model's size: a miss, not garbage


def test_token_shares_add_up_to_the_total() -> None:
    assert share_tokens(10, ["aaaa", "a"]) == [8, 2]
    shares = share_tokens(7, ["a", "b", "c"])
    assert sum(shares) == 7 and max(shares) - min(shares) <= 1


def test_fingerprint_is_16_hex_and_changes_with_id_or_weights() -> None:
    fp = fingerprint("m", "0" * 64)
    assert len(fp) == 16 and int(fp, 16) >= 0
    assert fp != fingerprint("n", "0" * 64) != fingerprint("m", "1" * 64)


def test_weights_hash_is_cached_by_size_and_mtime(tmp_path: Path) -> None:
    weights = tmp_path / "w.gguf"
    weights.write_bytes(b"a" * 1000)
    state = tmp_path / "state"
    first = hash_weights([weights], state)
    cached = json.loads((state / HASH_CACHE_FILE).read_text())
    assert cached[str(weights.resolve())]["sha256"] == first
    # A forged cache entry is trusted only while size and mtime match...
    cached[str(weights.resolve())]["sha256"] = "f" * 64
    (state / HASH_CACHE_FILE).write_text(json.dumps(cached))
    assert hash_weights([weights], state) == "f" * 64
    # ...and a rewritten file is hashed again.
    weights.write_bytes(b"b" * 1001)
    assert hash_weights([weights], state) not in (first, "f" * 64)


def test_batcher_groups_concurrent_callers_and_splits_results_back() -> None:
    calls: list[list[str]] = []
    depths: list[int] = []

    def encode(texts: list[str]) -> Encoded:
        calls.append(list(texts))
        time.sleep(0.02)  # a forward pass takes time; others queue meanwhile
        vectors = np.asarray([[float(len(t)), 0.0] for t in texts], dtype=np.float32)
        return Encoded(vectors, [len(t) for t in texts])

    async def main() -> list[Encoded]:
        with ThreadPoolExecutor(1) as pool:
            batcher = MicroBatcher(
                encode,
                max_batch=8,
                max_latency_s=0.01,
                executor=pool,
                observer=BatchObserver(queue_depth=depths.append),
            )
            results = await asyncio.gather(*(batcher.encode(["x" * i]) for i in range(1, 21)))
            await batcher.stop()
            return results

    results = asyncio.run(main())
    assert [r.tokens for r in results] == [[i] for i in range(1, 21)]
    assert [float(r.vectors[0, 0]) for r in results] == [float(i) for i in range(1, 21)]
    assert len(calls) < 20 and max(len(c) for c in calls) <= 8
    assert sorted(t for c in calls for t in c) == sorted("x" * i for i in range(1, 21))
    assert max(depths) > 1 and depths[-1] == 0


def test_a_request_larger_than_max_batch_is_encoded_in_slices() -> None:
    sizes: list[int] = []

    def encode(texts: list[str]) -> Encoded:
        sizes.append(len(texts))
        return Encoded(np.zeros((len(texts), 2), dtype=np.float32), [1] * len(texts))

    async def main() -> Encoded:
        with ThreadPoolExecutor(1) as pool:
            batcher = MicroBatcher(encode, max_batch=4, max_latency_s=0, executor=pool)
            result = await batcher.encode([str(i) for i in range(10)])
            await batcher.stop()
            return result

    result = asyncio.run(main())
    assert sizes == [4, 4, 2] and result.vectors.shape == (10, 2)


def test_an_engine_failure_reaches_every_caller_of_the_batch() -> None:
    def encode(texts: list[str]) -> Encoded:
        raise RuntimeError("engine fell over")

    async def main() -> list[BaseException | Encoded]:
        with ThreadPoolExecutor(1) as pool:
            batcher = MicroBatcher(encode, max_batch=8, max_latency_s=0.01, executor=pool)
            out = await asyncio.gather(
                *(batcher.encode(["a"]) for _ in range(3)), return_exceptions=True
            )
            await batcher.stop()
            return out

    assert all(isinstance(r, RuntimeError) for r in asyncio.run(main()))
