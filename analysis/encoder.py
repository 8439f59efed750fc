"""The offence encoder: a fine-tuned MiniLM transformer that reads the posts the linear head is
unsure of.

The linear offence head is fast but reads words, not sentences; on OLID it stops at ~0.73
macro-F1. MiniLM cut to 3 layers and fine-tuned on OLID + the school-context rows
(analysis/train_encoder.py) reaches ~0.76 alone, but costs ~1.4 ms per post on two cores. So the
two are cascaded: every post gets the linear head's P(offensive); only posts inside the ``band``
of that probability (chosen on validation data, about a sixth of OLID-like posts) are read by
the encoder, and their probability becomes a logit blend of the two (the shipped blend gives the
encoder 90 % of the weight). Outside the band the linear head is confident and the encoder rarely
disagrees. The encoder learns from the school-context posts too: trained on OLID alone it learnt
offensive tone, and talked the linear head out of calm defamation and leaks.

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
        cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None
        self.workers = max(1, min(cores or os.cpu_count() or 1, MAX_WORKERS))

    def proba(self, texts: Sequence[str]) -> np.ndarray:
        # One post per call, never batched: int8 activations are scaled per call, so in a batch
        # a post's score would move (by ~0.003) with its neighbours, and the same post could get
        # a different label in another run. Calls run in parallel threads instead (onnxruntime
        # releases the GIL), which gives every post the same score as when read alone. The pool
        # lives for one call only: a pool kept across calls would hang a forked child process.
        ids = [np.array([e.ids], dtype=np.int64) for e in self.tokenizer.encode_batch(list(texts))]
        if len(ids) < 2 * self.workers:
            logits = [self._run(x) for x in ids]
        else:
            with ThreadPoolExecutor(self.workers, thread_name_prefix="encoder") as pool:
                logits = list(pool.map(self._run, ids))
        z = np.array([lg[1] - lg[0] for lg in logits], dtype=np.float64)
        return 1.0 / (1.0 + np.exp(-z))

    def _run(self, ids: np.ndarray) -> np.ndarray:
        feed = {"input_ids": ids, "attention_mask": np.ones_like(ids)}
        return self.session.run(None, feed)[0][0]

    def in_band(self, p_linear: np.ndarray) -> np.ndarray:
        return (p_linear >= self.band[0]) & (p_linear <= self.band[1])


def load_encoder(
    model_path: Path = ENCODER_MODEL,
    tokenizer_path: Path = ENCODER_TOKENIZER,
    meta_path: Path = ENCODER_META,
) -> OffenceEncoder:
    """The shipped encoder; every problem is a ``ClassifierError`` naming the file at fault."""
    try:
        import onnxruntime  # noqa: F401
        import tokenizers  # noqa: F401
    except ImportError as exc:
        raise ClassifierError(
            f"the offence encoder needs {exc.name}: install the project again (pip install -e .)"
        ) from None
    for path in (model_path, tokenizer_path, meta_path):
        if not Path(path).is_file():
            raise ClassifierError(
                f"offence encoder file {path} is missing: it ships in analysis/models/; "
                f"rebuild it with `python -m analysis.train_encoder`"
            )
    try:
        meta = json.loads(Path(meta_path).read_text(encoding="utf-8"))
        return OffenceEncoder(Path(model_path), Path(tokenizer_path), meta)
    except (ValueError, KeyError, TypeError) as exc:
        raise ClassifierError(f"offence encoder metadata {meta_path} is invalid: {exc!r}") from None
    except Exception as exc:  # onnxruntime / tokenizers errors have no common base class
        raise ClassifierError(
            f"offence encoder {model_path} or its tokenizer {tokenizer_path} does not load: {exc}"
        ) from None
