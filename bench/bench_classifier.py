"""Classifier throughput: posts per second in batches, trained model beside the rule baseline.

All run in the same process on the same posts (OLID tweets when ../shared/data/olid is present,
else the school-context CSV, repeated to N posts), so the ratios are fair on any machine. Also
printed: the linear heads without the offence encoder, and the share of posts the encoder read
(the cascade's cost depends on how many posts the linear head is unsure of).

    python bench/bench_classifier.py [N] [BATCH]
"""

from __future__ import annotations

import copy
import sys
import time

import numpy as np

from analysis.classify import BaselineClassifier, load_classifier
from analysis.model import CharNgramCounter, normalise
from analysis.training import DEFAULT_OLID, read_olid, read_school_context


def posts(n: int) -> list[tuple[str, str]]:
    rows = read_olid() if DEFAULT_OLID.is_file() else sum(read_school_context(), [])
    items = [(r.title, r.text) for r in rows]
    return (items * (n // len(items) + 1))[:n]


def rate(clf, items: list[tuple[str, str]], batch: int) -> float:
    clf.classify_batch(items[:batch])  # warm-up: first call compiles regexes, touches pages
    start = time.perf_counter()
    for i in range(0, len(items), batch):
        clf.classify_batch(items[i : i + batch])
    return len(items) / (time.perf_counter() - start)


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    batch = int(sys.argv[2]) if len(sys.argv) > 2 else 500
    items = posts(n)
    t0 = time.perf_counter()
    model = load_classifier()
    load_s = time.perf_counter() - t0
    trained = rate(model, items, batch)
    linear = copy.copy(model)
    linear.encoder = None
    # its own word cache, as cold as the trained model's was: the ratio is fair
    linear.featurizer = copy.copy(model.featurizer)
    linear.featurizer.char = CharNgramCounter()
    linear_only = rate(linear, items, batch)
    baseline = rate(BaselineClassifier(), items, batch)
    print(f"posts: {n}, batch: {batch}, model: {model.version} (loaded in {load_s:.2f} s)")
    print(f"trained model : {trained:10.0f} posts/s")
    if model.encoder is not None:
        texts = [normalise(t, x) for t, x in items[:2000]]
        read = np.isfinite(model.predict_proba(texts)[3]).mean()
        print(f"  linear heads without the encoder: {linear_only:10.0f} posts/s")
        print(f"  posts the encoder read: {read:.0%}")
    print(f"baseline rules: {baseline:10.0f} posts/s")
    print(f"ratio trained/baseline: {trained / baseline:.3f}")


if __name__ == "__main__":
    main()
