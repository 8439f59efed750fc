"""The offence encoder: a fine-tuned MiniLM transformer that reads the posts the linear head is
unsure of.

The linear offence head is fast but reads words, not sentences; on OLID it stops at ~0.73
macro-F1. MiniLM cut to 3 layers and fine-tuned on OLID + the school-context rows
(analysis/train_encoder.py) reaches ~0.76 alone, but costs ~1.4 ms per post on two cores. So the
two are cascaded: every post gets the linear head's P(offensive); only posts inside the ``band``
of that probability (chosen on validation data, about a third of OLID-like posts) are read by
the encoder, and their probability becomes a logit blend of the two. Outside the band the linear
head is confident and the encoder rarely disagrees.

At run time this needs only onnxruntime, tokenizers and numpy: the weights ship in
analysis/models/ as int8 ONNX (no PyTorch, nothing downloaded, CPU only).
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np

from mentions.errors import ClassifierError

MODELS_DIR = Path(__file__).with_name("models")
ENCODER_MODEL = MODELS_DIR / "offence_encoder.onnx"
ENCODER_TOKENIZER = MODELS_DIR / "offence_encoder.tokenizer.json"
ENCODER_META = MODELS_DIR / "offence_encoder.json"
MAX_WORKERS = 8


def logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, 1e-6, 1 - 1e-6)
    return np.log(p / (1 - p))


def blend(p_linear: np.ndarray, p_encoder: np.ndarray, linear_weight: float) -> np.ndarray:
    """P(offensive) from both models: a weighted mean of their logits."""
    z = linear_weight * logit(p_linear) + (1 - linear_weight) * logit(p_encoder)
    return 1.0 / (1.0 + np.exp(-z))


class OffenceEncoder:
    """P(offensive) for normalised texts, from the int8 ONNX model."""

    def __init__(self, model_path: Path, tokenizer_path: Path, meta: dict[str, Any]):
        import onnxruntime as ort
        from tokenizers import Tokenizer

        self.meta = meta
        self.version = str(meta.get("version", "unknown"))
        self.linear_weight = float(meta["linear_weight"])
        self.band = (float(meta["band"][0]), float(meta["band"][1]))
        self.tokenizer = Tokenizer.from_file(str(tokenizer_path))
        self.tokenizer.no_padding()  # the file pads to 128 tokens; posts are read one by one
        self.tokenizer.enable_truncation(int(meta["max_tokens"]))
        options = ort.SessionOptions()
        # One thread per call, and as many calls at once as there are cores (below): a single
        # short post is too small a job to split across cores (1.5x faster on two cores).
        options.intra_op_num_threads = 1
        options.log_severity_level = 3  # onnxruntime's own warnings are not the user's business
        self.session = ort.InferenceSession(
            str(model_path), options, providers=["CPUExecutionProvider"]
        )
        self.workers = max(1, min(len(os.sched_getaffinity(0)), MAX_WORKERS))
        self._pool: ThreadPoolExecutor | None = None

    def proba(self, texts: Sequence[str]) -> np.ndarray:
        # One post per call, never batched: int8 activations are scaled per call, so in a batch
        # a post's score would move (by ~0.003) with its neighbours, and the same post could get
        # a different label in another run. Calls run in parallel threads instead (onnxruntime
        # releases the GIL), which gives every post the same score as when read alone.
        ids = [np.array([e.ids], dtype=np.int64) for e in self.tokenizer.encode_batch(list(texts))]
        if len(ids) < 2 * self.workers:
            logits = self._run(ids)
        else:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(self.workers, thread_name_prefix="encoder")
            parts = list(
                self._pool.map(self._run, [ids[k :: self.workers] for k in range(self.workers)])
            )
            logits: list[Any] = [None] * len(ids)
            for k, part in enumerate(parts):
                logits[k :: self.workers] = part
        z = np.array([lg[1] - lg[0] for lg in logits], dtype=np.float64)
        return 1.0 / (1.0 + np.exp(-z))

    def _run(self, ids: list[np.ndarray]) -> list[np.ndarray]:
        feed = self.session.run
        return [feed(None, {"input_ids": x, "attention_mask": np.ones_like(x)})[0][0] for x in ids]

    def in_band(self, p_linear: np.ndarray) -> np.ndarray:
        return (p_linear >= self.band[0]) & (p_linear <= self.band[1])


def load_encoder(
    model_path: Path = ENCODER_MODEL,
    tokenizer_path: Path = ENCODER_TOKENIZER,
    meta_path: Path = ENCODER_META,
) -> OffenceEncoder:
    try:
        meta = json.loads(Path(meta_path).read_text(encoding="utf-8"))
        return OffenceEncoder(Path(model_path), Path(tokenizer_path), meta)
    except Exception as exc:  # missing file, bad JSON, an ONNX file onnxruntime can't read
        raise ClassifierError(f"offence encoder {model_path} does not load: {exc}") from None
