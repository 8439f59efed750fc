"""Writes profanity_svm.npz: the linear profanity model of ``alt-profanity-check`` as plain arrays.

alt-profanity-check (MIT licence, https://github.com/dimitrismistriotis/alt-profanity-check) ships
a unigram TF-IDF + linear SVM, calibrated with sigmoids over 5 folds, trained on ~200k labelled
comments (Wikipedia talk pages, tweets). That is far more abusive language than OLID's 10k tweets,
so its score is a strong extra feature for the offence head. Its files are joblib pickles; this
script reads them once (from the installed package, a development tool only) and writes
vocabulary, idf, the five SVM weight vectors and the five sigmoid calibrations as arrays, so that
neither training nor run time needs the package or unpickles anything.

Run ``python -m analysis.data.export_profanity_lexicon`` (needs ``pip install
alt-profanity-check==1.9.1``); the output is committed.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

OUT = Path(__file__).with_name("profanity_svm.npz")


def export(out: Path = OUT) -> Path:
    from profanity_check import profanity_check as pc  # development-only dependency

    vec, model = pc.vectorizer, pc.model
    vocab = sorted(vec.vocabulary_, key=vec.vocabulary_.get)
    cals = model.calibrated_classifiers_
    coef = np.vstack([c.estimator.coef_[0] for c in cals]).astype(np.float32)
    intercept = np.array([c.estimator.intercept_[0] for c in cals], dtype=np.float64)
    a = np.array([c.calibrators[0].a_ for c in cals], dtype=np.float64)
    b = np.array([c.calibrators[0].b_ for c in cals], dtype=np.float64)
    meta = {
        "source": "alt-profanity-check 1.9.1 (MIT)",
        "token_pattern": vec.token_pattern,
        "vocabulary": vocab,
    }
    np.savez_compressed(
        out,
        idf=vec.idf_.astype(np.float32),
        coef=coef,
        intercept=intercept,
        a=a,
        b=b,
        meta_json=np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8),
    )
    return out


if __name__ == "__main__":
    print(export())
