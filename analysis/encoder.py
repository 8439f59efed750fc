"""The offence encoder: a fine-tuned MiniLM transformer that reads the posts the linear head is
unsure of.

The linear offence head is fast but reads words, not sentences; on OLID it stops at ~0.73
macro-F1. A 6-layer MiniLM fine-tuned on OLID + the school-context rows (analysis/train_encoder.py)
reaches ~0.77 alone, but costs ~1.4 ms per post on two cores. So the two are cascaded: every post
gets the linear head's P(offensive); only posts inside the ``band`` of that probability (chosen
on validation data, at most about a third of posts) are read by the encoder, and their
probability becomes a logit blend of the two. Outside the band the linear head is confident and
the encoder rarely disagrees.

At run time this needs only onnxruntime, tokenizers and numpy: the weights ship in
analysis/models/ as int8 ONNX (no PyTorch, nothing downloaded, CPU only).
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from mentions.errors import ClassifierError

MODELS_DIR = Path(__file__).with_name("models")
ENCODER_MODEL = MODELS_DIR / "offence_encoder.onnx"
ENCODER_TOKENIZER = MODELS_DIR / "offence_encoder.tokenizer.json"
ENCODER_META = MODELS_DIR / "offence_encoder.json"


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
        self.tokenizer.no_padding()  # the file pads to 128 tokens; batches pad themselves
        self.tokenizer.enable_truncation(int(meta["max_tokens"]))
        options = ort.SessionOptions()
        options.intra_op_num_threads = os.cpu_count() or 1
        options.log_severity_level = 3  # onnxruntime's own warnings are not the user's business
        self.session = ort.InferenceSession(
            str(model_path), options, providers=["CPUExecutionProvider"]
        )

    def proba(self, texts: Sequence[str]) -> np.ndarray:
        # One post per call, never batched: int8 activations are scaled per call, so in a batch
        # a post's score would move (by ~0.003) with its neighbours, and the same post could get
        # a different label in another run. Batches of 32 were 1.6x faster.
        out = np.zeros(len(texts), dtype=np.float64)
        for i, enc in enumerate(self.tokenizer.encode_batch(list(texts))):
            ids = np.array([enc.ids], dtype=np.int64)
            logits = self.session.run(
                None, {"input_ids": ids, "attention_mask": np.ones_like(ids)}
            )[0][0]
            out[i] = 1.0 / (1.0 + np.exp(logits[0] - logits[1]))
        return out

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
