"""The offence encoder (int8 ONNX MiniLM) and its cascade with the linear offence head."""

import copy
import json
import multiprocessing
import shutil

import numpy as np
import pytest

from analysis import model as model_module
from analysis.classify import load_classifier
from analysis.encoder import (
    ENCODER_META,
    ENCODER_MODEL,
    ENCODER_TOKENIZER,
    blend,
    load_encoder,
)
from analysis.model import DEFAULT_MODEL, load_model, normalise
from analysis.training import sha256
from mentions.errors import ClassifierError


@pytest.fixture(scope="module")
def clf():
    return load_classifier()


def test_the_shipped_model_uses_the_shipped_encoder(clf):
    meta = json.loads(DEFAULT_MODEL.with_suffix(".json").read_text())
    assert clf.encoder is not None
    assert meta["encoder"]["version"] == clf.encoder.version
    assert meta["encoder"]["sha256"] == sha256(ENCODER_MODEL)
    assert clf.version.endswith("+" + clf.encoder.version)
    assert ENCODER_MODEL.stat().st_size < 25 * 1024 * 1024


SENTENCES = [
    "you are a disgusting lying piece of garbage and everyone knows it",
    "lovely concert tonight, the choir were brilliant",
    "she is so stupid it hurts to watch",
    "the maths results went up again this year",
]
# Enough posts for the encoder's parallel path on up to 8 cores (it reads alone below 2 x cores).
MANY = [f"{t} ({i})" for i in range(5) for t in SENTENCES]


def test_encoder_reads_sentences_not_just_words():
    enc = load_encoder()
    p = enc.proba(SENTENCES)
    assert p[0] > 0.5 and p[2] > 0.5
    assert p[1] < 0.5 and p[3] < 0.5
    assert enc.proba([]).shape == (0,)
    assert enc.proba([""]).shape == (1,)


def test_a_post_scores_the_same_alone_and_among_others():
    enc = load_encoder()
    together = enc.proba(MANY)
    alone = np.array([enc.proba([t])[0] for t in MANY])
    assert len(MANY) >= 2 * enc.workers or enc.workers > 8
    assert np.array_equal(together, alone)  # also proves the parallel path keeps the order


_PARENT_ENCODER = None


def lambda_free_child(texts):
    # Runs in the forked child with the encoder the parent loaded and used.
    return _PARENT_ENCODER.proba(texts).tolist()


def test_a_forked_process_can_still_use_the_encoder():
    # Prefect and multiprocessing fork on Linux: nothing the encoder keeps may hang a child.
    global _PARENT_ENCODER
    enc = _PARENT_ENCODER = load_encoder()
    parent = enc.proba(MANY)
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(1) as pool:
        child = pool.apply_async(lambda_free_child, (MANY,)).get(timeout=60)
    assert child == pytest.approx(parent.tolist())


def test_blend_is_a_logit_mean():
    lin, enc = np.array([0.2, 0.9]), np.array([0.8, 0.1])
    assert blend(lin, enc, 1.0) == pytest.approx(lin)
    assert blend(lin, enc, 0.0) == pytest.approx(enc)
    assert blend(np.array([0.2]), np.array([0.8]), 0.5)[0] == pytest.approx(0.5)


def test_only_posts_inside_the_band_reach_the_encoder(clf):
    texts = [
        normalise("", t)
        for t in [
            "you fucking scumbag cunt",  # the linear head is sure: outside the band
            "Bake sale on Friday in the hall from 3pm",  # sure the other way
            "Typical Tory nonsense",
            "Go home you're drunk",
        ]
    ]
    p_media, p_off, _, p_enc = clf.predict_proba(texts)
    linear = copy.copy(clf)
    linear.encoder = None
    _, p_lin, _, p_none = linear.predict_proba(texts)
    assert np.isnan(p_none).all()
    read = clf.encoder.in_band(p_lin)
    assert not read[0] and not read[1]
    assert read.any(), "some of these are uncertain for the linear head"
    assert np.isnan(p_enc[~read]).all() and not np.isnan(p_enc[read]).any()
    assert p_off[~read] == pytest.approx(p_lin[~read])
    expected = blend(p_lin[read], p_enc[read], clf.encoder.linear_weight)
    assert p_off[read] == pytest.approx(expected)


def test_explanations_name_the_sentence_model_when_it_was_asked(clf):
    texts = [
        "Typical Tory nonsense",
        "Go home you're drunk",
        "She should ask a few native Americans what their take on this is.",
        "you fucking scumbag cunt",
    ]
    results = clf.classify_batch([("", t) for t in texts])
    asked = ["encoder_p_offensive" in r.details for r in results]
    assert any(asked) and not asked[-1]
    for r, was_asked in zip(results, asked, strict=True):
        assert ("sentence model" in r.explanation) == was_asked


def test_posts_with_policy_signals_stay_with_the_rules(clf, monkeypatch):
    # A polite impersonation is not offensive in tone: the encoder would talk the heads out of it.
    text = normalise(
        "",
        "Hi, I run the official Latifiah account now. DM me for admissions and fee discounts, "
        "payment by bank transfer only",
    )
    wide = copy.copy(clf)
    wide.encoder = copy.copy(clf.encoder)
    wide.encoder.band = (0.0, 1.0)  # every post is in the band: only the skip keeps it out
    assert np.isnan(wide.predict_proba([text])[3][0])
    monkeypatch.setattr(model_module, "ENCODER_SKIP_SIGNALS", frozenset())
    assert not np.isnan(wide.predict_proba([text])[3][0])


def _copy_model(tmp_path):
    for suffix in (".npz", ".json"):
        shutil.copy(DEFAULT_MODEL.with_suffix(suffix), tmp_path / f"classifier{suffix}")
    return tmp_path / "classifier.npz"


@pytest.mark.parametrize(
    "key, value",
    [("version", "minilm-3l-off-1+0000000000"), ("band", [0.0, 1.0]), ("linear_weight", 0.99)],
)
def test_a_model_measured_with_another_encoder_is_refused(tmp_path, key, value):
    path = _copy_model(tmp_path)
    meta = json.loads(path.with_suffix(".json").read_text())
    meta["encoder"][key] = value
    path.with_suffix(".json").write_text(json.dumps(meta))
    with pytest.raises(ClassifierError, match="retrain"):
        load_model(path)


def test_a_model_trained_without_the_encoder_loads_without_it(tmp_path):
    path = _copy_model(tmp_path)
    meta = json.loads(path.with_suffix(".json").read_text())
    del meta["encoder"]
    path.with_suffix(".json").write_text(json.dumps(meta))
    model = load_model(path)
    assert model.encoder is None
    assert np.isnan(model.predict_proba(["Go home you're drunk"])[3]).all()


def test_a_corrupt_encoder_file_names_the_file(tmp_path):
    bad = tmp_path / "offence_encoder.onnx"
    bad.write_bytes(b"not an onnx graph")
    with pytest.raises(ClassifierError, match="offence_encoder.onnx"):
        load_encoder(bad, ENCODER_TOKENIZER, ENCODER_META)
    with pytest.raises(ClassifierError, match="missing.json is missing"):
        load_encoder(ENCODER_MODEL, ENCODER_TOKENIZER, tmp_path / "missing.json")
    with pytest.raises(ClassifierError, match="nope.tokenizer.json is missing"):
        load_encoder(ENCODER_MODEL, tmp_path / "nope.tokenizer.json", ENCODER_META)
    meta = tmp_path / "meta.json"
    meta.write_text(json.dumps({"version": "x", "band": [0.3, 0.8], "max_tokens": 80}))
    with pytest.raises(ClassifierError, match="meta.json is invalid.*linear_weight"):
        load_encoder(ENCODER_MODEL, ENCODER_TOKENIZER, meta)


def test_the_olid_figures_in_the_metadata_are_what_evaluate_prints():
    # `mentions evaluate OLID.tsv --split test` reads exactly the held-out part training measured.
    from analysis.training import DEFAULT_OLID, evaluate_file

    meta = json.loads(DEFAULT_MODEL.with_suffix(".json").read_text())
    report = evaluate_file(DEFAULT_OLID, split="test")
    assert report.confusion == meta["metrics"]["olid_test"]["confusion"]
    assert report.support == meta["held_out_rows"]["olid"]
