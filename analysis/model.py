"""The trained classifier at run time: features, the three linear heads, and the artefact format.

A post goes through three small linear models over the same TF-IDF features (word 1-2 grams from
a stored vocabulary, character 2-5 grams hashed):

* the *media head* (is a journalist asking?) also sees the enquiry rule features;
* the *offence head* (is it inappropriate?) is an NB-weighted logistic regression trained on OLID
  plus the school-context examples;
* the *sub-reason head* picks one of the eight sub-reasons for inappropriate posts.

Privacy rules override the label (naming a pupil is a breach even when polite); threat and
impersonation rules fix the sub-reason. The artefact is plain arrays (``.npz``) plus JSON metadata,
not a pickle: it loads with any scikit-learn that has ``CountVectorizer`` and
``HashingVectorizer``, and cannot run code when opened.
"""

from __future__ import annotations

import json
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import CountVectorizer, HashingVectorizer

from analysis import classifier_rules as rules
from analysis.classify import SUBREASONS, Classification
from analysis.enquiry import extract_enquiry
from mentions.errors import ClassifierError

MODELS_DIR = Path(__file__).with_name("models")
DEFAULT_MODEL = MODELS_DIR / "classifier.npz"
CHAR_FEATURES = 2**18
WORD_TOKEN_PATTERN = r"(?u)#?\b\w[\w']*\b|[!?]"

_URL = re.compile(r"https?://\S+|\bURL\b")
_MENTION_PLACEHOLDER = re.compile(r"@USER\b")
# Masked swearing ("f***ing", "sh*t") should look like the word it hides.
_MASKS = [
    (re.compile(p, re.IGNORECASE), r)
    for p, r in [
        (r"\bf[*#@]+(?:c?k)?(?=ing|ed|er|s|\b)", "fuck"),
        (r"\bfkn\b", "fucking"),
        (r"\bsh[*#]t", "shit"),
        (r"\bc[*#]{2,3}t", "cunt"),
        (r"\bp[*#]ki", "paki"),
        (r"\ba[*#]se", "arse"),
    ]
]


def normalise(title: str, text: str) -> str:
    body = f"{title}. {text}" if title else text
    body = _URL.sub(" ", body)
    body = _MENTION_PLACEHOLDER.sub(" ", body)
    for pattern, repl in _MASKS:
        body = pattern.sub(repl, body)
    return " ".join(body.split())


class Featurizer:
    """TF-IDF (sublinear tf, per-block l2) over word n-grams and hashed character n-grams."""

    def __init__(self, vocabulary: Sequence[str], word_idf: np.ndarray, char_idf: np.ndarray):
        self.vocabulary = list(vocabulary)
        self.word = CountVectorizer(
            vocabulary={t: i for i, t in enumerate(self.vocabulary)},
            ngram_range=(1, 2),
            token_pattern=WORD_TOKEN_PATTERN,
            lowercase=True,
            dtype=np.float32,
        )
        self.char = self.char_vectorizer()
        self.word_idf = np.asarray(word_idf, dtype=np.float32)
        self.char_idf = np.asarray(char_idf, dtype=np.float32)

    @staticmethod
    def char_vectorizer() -> HashingVectorizer:
        return HashingVectorizer(
            analyzer="char_wb",
            ngram_range=(2, 5),
            n_features=CHAR_FEATURES,
            alternate_sign=False,
            norm=None,
            lowercase=True,
            dtype=np.float32,
        )

    @property
    def n_word(self) -> int:
        return len(self.vocabulary)

    def counts(self, texts: Sequence[str]) -> tuple[sparse.csr_matrix, sparse.csr_matrix]:
        return self.word.transform(texts).tocsr(), self.char.transform(texts).tocsr()

    @staticmethod
    def weight(counts: sparse.csr_matrix, idf: np.ndarray) -> sparse.csr_matrix:
        x = counts.astype(np.float32, copy=True)
        x.data = np.log1p(x.data)
        x = x @ sparse.diags(idf)
        norms = np.sqrt(np.asarray(x.multiply(x).sum(axis=1)).ravel())
        norms[norms == 0] = 1.0
        return sparse.diags(1.0 / norms) @ x

    def transform(self, texts: Sequence[str]) -> sparse.csr_matrix:
        wc, cc = self.counts(texts)
        return sparse.hstack(
            [self.weight(wc, self.word_idf), self.weight(cc, self.char_idf)], format="csr"
        )


@dataclass
class LinearHead:
    coef: np.ndarray  # (n_classes or 1, n_features)
    intercept: np.ndarray
    classes: list[str]

    def scores(self, x: sparse.csr_matrix) -> np.ndarray:
        return np.asarray(x @ self.coef.T) + self.intercept

    def proba(self, x: sparse.csr_matrix) -> np.ndarray:
        s = self.scores(x)
        if s.shape[1] == 1:
            p = 1.0 / (1.0 + np.exp(-s[:, 0]))
            return np.column_stack([1.0 - p, p])
        s = s - s.max(axis=1, keepdims=True)
        e = np.exp(s)
        return e / e.sum(axis=1, keepdims=True)


class TrainedClassifier:
    """The policy-grade classifier: three linear heads plus the policy rules."""

    def __init__(
        self,
        featurizer: Featurizer,
        media: LinearHead,
        offence: LinearHead,
        subreason: LinearHead,
        metadata: dict[str, Any],
        offence_threshold: float = 0.5,
        media_threshold: float = 0.5,
        protected_names: frozenset[str] = frozenset(),
    ):
        self.featurizer = featurizer
        self.media = media
        self.offence = offence
        self.subreason = subreason
        self.metadata = metadata
        self.version = str(metadata.get("version", "unknown"))
        self.offence_threshold = offence_threshold
        self.media_threshold = media_threshold
        self.protected_names = protected_names

    # -- matrices the heads read; training builds the same ones --------------------------------
    @staticmethod
    def media_matrix(x: sparse.csr_matrix, texts: Sequence[str]) -> sparse.csr_matrix:
        feats = np.array([rules.enquiry_features(t) for t in texts], dtype=np.float32)
        return sparse.hstack([x, sparse.csr_matrix(feats)], format="csr")

    def word_block(self, x: sparse.csr_matrix) -> sparse.csr_matrix:
        return x[:, : self.featurizer.n_word]

    # -- scoring ------------------------------------------------------------------------------
    def predict_proba(
        self, texts: Sequence[str]
    ) -> tuple[np.ndarray, np.ndarray, sparse.csr_matrix]:
        """P(media) and P(offensive) per normalised text, and the feature matrix."""
        x = self.featurizer.transform(texts)
        p_media = self.media.proba(self.media_matrix(x, texts))[:, 1]
        p_off = self.offence.proba(x)[:, 1]
        return p_media, p_off, x

    def _top_words(self, x_row: sparse.csr_matrix, coef: np.ndarray, k: int = 3) -> list[str]:
        # Contribution of each word n-gram present = tf-idf value x weight; the biggest positive
        # ones are what pushed the decision. Character n-grams are not shown: people can't read
        # "ffen" as a reason.
        row = x_row[:, : self.featurizer.n_word].tocoo()
        contrib = row.data * coef[row.col]
        order = np.argsort(-contrib)
        return [self.featurizer.vocabulary[row.col[i]] for i in order[:k] if contrib[i] > 0]

    def classify_batch(
        self, items: Sequence[tuple[str, str]], now: datetime | None = None
    ) -> list[Classification]:
        if not items:
            return []
        texts = [normalise(t or "", x or "") for t, x in items]
        p_media, p_off, x = self.predict_proba(texts)
        out: list[Classification] = []
        sub_p = None
        for i, text in enumerate(texts):
            privacy = rules.privacy_hits(text, self.protected_names)
            pm, po = float(p_media[i]), float(p_off[i])
            probs = {
                "media_enquiry": pm,
                "inappropriate": (1 - pm) * po,
                "neutral": (1 - pm) * (1 - po),
            }
            details: dict[str, Any] = {"probabilities": {k: round(v, 4) for k, v in probs.items()}}
            if privacy:
                # Policy: naming or locating a pupil is a privacy breach whatever the tone.
                conf = max(0.9, probs["inappropriate"])
                out.append(
                    Classification(
                        "inappropriate",
                        "privacy_breach",
                        round(conf, 4),
                        "rule: " + "; ".join(privacy[:2]),
                        self.version,
                        {**details, "rules": privacy},
                    )
                )
                continue
            if pm >= self.media_threshold:
                words = self._top_words(x[i], self.media.coef[0])
                phrase = rules.enquiry_phrase(text)
                why = [f"enquiry phrase {phrase!r}"] if phrase else []
                why += [f"words: {', '.join(words)}"] if words else []
                enquiry = extract_enquiry(items[i][0] or "", items[i][1] or "", now=now)
                out.append(
                    Classification(
                        "media_enquiry",
                        None,
                        round(pm, 4),
                        "; ".join(why) or "media enquiry model",
                        self.version,
                        {**details, **enquiry},
                    )
                )
                continue
            if po >= self.offence_threshold:
                if sub_p is None:
                    sub_p = self.subreason.proba(self.word_block(x))
                hint = rules.subreason_hint(text)
                if hint:
                    reason, why_rule = hint[0], f"rule: {hint[1]!r}"
                else:
                    j = int(np.argmax(sub_p[i]))
                    reason = self.subreason.classes[j]
                    why_rule = f"sub-reason model {sub_p[i][j]:.2f}"
                words = self._top_words(x[i], self.offence.coef[0])
                explanation = f"offensive words: {', '.join(words)}; " if words else ""
                out.append(
                    Classification(
                        "inappropriate",
                        reason,
                        round(probs["inappropriate"], 4),
                        f"{explanation}{reason} ({why_rule})",
                        self.version,
                        details,
                    )
                )
                continue
            words = self._top_words(x[i], -self.offence.coef[0])
            out.append(
                Classification(
                    "neutral",
                    None,
                    round(probs["neutral"], 4),
                    "no enquiry or offence signal"
                    + (f"; words: {', '.join(words)}" if words else ""),
                    self.version,
                    details,
                )
            )
        return out


# -- artefact -------------------------------------------------------------------------------------
def _pack_head(prefix: str, head: LinearHead, arrays: dict[str, np.ndarray]) -> dict[str, Any]:
    # Most weights of the hashed block are exactly zero (n-grams never seen): store them sparse.
    coo = sparse.coo_matrix(head.coef.astype(np.float32))
    arrays[f"{prefix}_row"] = coo.row.astype(np.int32)
    arrays[f"{prefix}_col"] = coo.col.astype(np.int32)
    arrays[f"{prefix}_val"] = coo.data.astype(np.float32)
    arrays[f"{prefix}_intercept"] = head.intercept.astype(np.float64)
    return {"classes": head.classes, "shape": list(head.coef.shape)}


def _unpack_head(prefix: str, spec: dict[str, Any], z: Any) -> LinearHead:
    coef = sparse.coo_matrix(
        (z[f"{prefix}_val"], (z[f"{prefix}_row"], z[f"{prefix}_col"])), shape=tuple(spec["shape"])
    ).toarray()
    return LinearHead(coef, np.asarray(z[f"{prefix}_intercept"]), list(spec["classes"]))


def save_model(model: TrainedClassifier, path: Path = DEFAULT_MODEL) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    arrays: dict[str, np.ndarray] = {}
    idx = np.flatnonzero(model.featurizer.char_idf)
    arrays["char_idf_idx"] = idx.astype(np.int32)
    arrays["char_idf_val"] = model.featurizer.char_idf[idx].astype(np.float32)
    arrays["word_idf"] = model.featurizer.word_idf.astype(np.float32)
    heads = {
        name: _pack_head(name, head, arrays)
        for name, head in (
            ("media", model.media),
            ("offence", model.offence),
            ("subreason", model.subreason),
        )
    }
    config = {
        "format": 1,
        "vocabulary": model.featurizer.vocabulary,
        "heads": heads,
        "offence_threshold": model.offence_threshold,
        "media_threshold": model.media_threshold,
        "char_features": CHAR_FEATURES,
    }
    arrays["config_json"] = np.frombuffer(json.dumps(config).encode(), dtype=np.uint8)
    np.savez_compressed(path, **arrays)
    meta_path = path.with_suffix(".json")
    meta_path.write_text(json.dumps(model.metadata, indent=2, sort_keys=True) + "\n")
    return path


def load_model(path: Path | str = DEFAULT_MODEL) -> TrainedClassifier:
    path = Path(path)
    meta_path = path.with_suffix(".json")
    if not path.is_file():
        raise ClassifierError(
            f"classifier model {path} is missing: it ships in the repository under "
            f"analysis/models/; retrain it with `mentions train` (analysis.training.train)"
        )
    try:
        with np.load(path, allow_pickle=False) as z:
            config = json.loads(bytes(z["config_json"]).decode())
            if config.get("format") != 1 or config.get("char_features") != CHAR_FEATURES:
                raise ValueError(f"unsupported model format {config.get('format')!r}")
            char_idf = np.zeros(CHAR_FEATURES, dtype=np.float32)
            char_idf[z["char_idf_idx"]] = z["char_idf_val"]
            featurizer = Featurizer(config["vocabulary"], z["word_idf"], char_idf)
            heads = {name: _unpack_head(name, spec, z) for name, spec in config["heads"].items()}
        metadata = json.loads(meta_path.read_text()) if meta_path.is_file() else {}
    except ClassifierError:
        raise
    except (
        OSError,
        ValueError,
        KeyError,
        json.JSONDecodeError,
        zipfile.BadZipFile,
        EOFError,
    ) as exc:
        raise ClassifierError(f"classifier model {path} is corrupt or unreadable: {exc}") from exc
    if not metadata.get("version"):
        raise ClassifierError(
            f"classifier model {path}: metadata {meta_path} is missing or has no version"
        )
    if set(heads["subreason"].classes) - set(SUBREASONS):
        raise ClassifierError(
            f"classifier model {path}: unknown sub-reasons {heads['subreason'].classes}"
        )
    return TrainedClassifier(
        featurizer,
        heads["media"],
        heads["offence"],
        heads["subreason"],
        metadata,
        offence_threshold=float(config["offence_threshold"]),
        media_threshold=float(config["media_threshold"]),
    )
