"""The shipped classifier: policy lines, artefact loading, evaluation and training hooks."""

import json
import shutil
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from analysis.classify import LABELS, SUBREASONS, Classification, load_classifier
from analysis.model import DEFAULT_MODEL, TrainedClassifier, load_model
from analysis.training import (
    DEFAULT_SCHOOL,
    correction_examples,
    evaluate,
    evaluate_file,
    sha256,
    train,
)
from mentions.errors import ClassifierError


@pytest.fixture(scope="module")
def clf():
    return load_classifier()


def one(clf, text, title=""):
    return clf.classify_batch([(title, text)])[0]


# -- policy lines (written fresh for these tests, not copied from the training data) -----------
@pytest.mark.parametrize(
    "text",
    [
        # civil criticism / complaints, even when angry
        "Really fed up with Darul Hadis Latifiah. Emailed about the bus three times and no reply. "
        "Parents deserve better.",
        "I think the fee rise at Latifiah school is unfair and I've written to the governors.",
        # a news article already published, about an incident
        "Police are investigating after abusive graffiti was sprayed on the wall of Darul Hadis "
        "Latifiah on Cannon Street Road. The school said it was working with officers.",
        # a parent asking other parents
        "Does anyone know if Darul Hadis Latifiah is open tomorrow with the strike?",
    ],
)
def test_neutral_policy_lines(clf, text):
    assert one(clf, text).label == "neutral"


def test_condemning_abuse_while_quoting_it_is_neutral(clf):
    text = (
        "Someone shouted 'terrorists' at girls leaving Darul Hadis Latifiah today. Disgusting "
        "hate crime, please report it. Solidarity with the pupils."
    )
    assert one(clf, text).label == "neutral"


@pytest.mark.parametrize(
    "text",
    [
        "#journorequest Looking to speak to parents at Darul Hadis Latifiah about the Ofsted "
        "report for a piece in The Guardian. DMs open.",
        # no hashtag
        "Hi, I'm a reporter at the East London Advertiser. Could someone at Darul Hadis Latifiah "
        "give us a comment on the planning application? Email newsdesk@ela.co.uk",
        "Producer at BBC Radio London here - would the head of Darul Hadis Latifiah come on the "
        "show tomorrow to talk about school fees?",
    ],
)
def test_journalists_asking_are_media_enquiries(clf, text):
    assert one(clf, text).label == "media_enquiry"


def test_naming_a_pupil_politely_is_a_privacy_breach(clf):
    result = one(
        clf,
        "Congratulations to Hamza Ali in Year 9 at Darul Hadis Latifiah on his "
        "maths prize! So proud.",
    )
    assert (result.label, result.subreason) == ("inappropriate", "privacy_breach")
    assert "rule" in result.explanation


@pytest.mark.parametrize(
    "text",
    [
        "Darul Hadis Latifiah staff are a bunch of fucking idiots",
        "Someone should burn Darul Hadis Latifiah down",
    ],
)
def test_abuse_and_threats_are_inappropriate(clf, text):
    assert one(clf, text).label == "inappropriate"


def test_threat_gets_the_threat_subreason(clf):
    result = one(clf, "I know where the head of Latifiah school parks. Watch your back.")
    assert (result.label, result.subreason) == ("inappropriate", "threat")


def test_media_enquiry_details_are_extracted(clf):
    london = ZoneInfo("Europe/London")
    result = clf.classify_batch(
        [
            (
                "",
                "I'm a journalist at Sky News working on a story about Darul Hadis Latifiah. "
                "Could the school comment? Deadline 5pm today. tom@sky.example.com",
            )
        ],
        now=datetime(2024, 6, 12, 9, 0, tzinfo=london),
    )[0]
    assert result.label == "media_enquiry"
    assert result.details["outlet"] == "Sky News"
    assert result.details["contact"] == "tom@sky.example.com"
    assert result.details["deadline"] == "2024-06-12T17:00:00+01:00"


def test_every_result_is_well_formed(clf):
    items = [("", "Lovely Eid fair at Latifiah today"), ("Title", "you lot are scum"), ("", "")]
    results = clf.classify_batch(items)
    assert len(results) == 3
    for r in results:
        assert isinstance(r, Classification)
        assert r.label in LABELS
        assert (r.subreason in SUBREASONS) if r.label == "inappropriate" else r.subreason is None
        assert 0.0 <= r.confidence <= 1.0
        assert r.explanation
        assert r.model_version == clf.version
    assert clf.classify_batch([]) == []


# -- the artefact ----------------------------------------------------------------------------
def test_load_classifier_returns_the_shipped_model_once(clf):
    assert isinstance(clf, TrainedClassifier)
    assert load_classifier() is clf


def test_shipped_artefact_is_small_and_its_metadata_matches_the_data():
    assert DEFAULT_MODEL.stat().st_size < 5 * 1024 * 1024
    meta = json.loads(DEFAULT_MODEL.with_suffix(".json").read_text())
    assert meta["version"] == load_model().version
    assert meta["data_sha256"]["school_context"] == sha256(DEFAULT_SCHOOL)
    assert {"olid_test", "school_context_test"} <= set(meta["metrics"])


def test_missing_model_raises(tmp_path):
    with pytest.raises(ClassifierError, match="missing"):
        load_classifier(str(tmp_path / "nope.npz"))


def test_corrupt_model_raises(tmp_path):
    bad = tmp_path / "classifier.npz"
    bad.write_bytes(b"not a zip file at all")
    shutil.copy(DEFAULT_MODEL.with_suffix(".json"), tmp_path / "classifier.json")
    with pytest.raises(ClassifierError, match="corrupt"):
        load_model(bad)


# -- evaluation -----------------------------------------------------------------------------
def test_evaluate_known_confusion_matrix():
    y_true = ["neutral", "neutral", "inappropriate", "inappropriate", "media_enquiry", "neutral"]
    y_pred = ["neutral", "inappropriate", "inappropriate", "neutral", "media_enquiry", "neutral"]
    rep = evaluate(y_true, y_pred, labels=list(LABELS))
    assert rep.confusion == [[2, 1, 0], [1, 1, 0], [0, 0, 1]]
    assert rep.per_class["neutral"] == {
        "precision": 0.6667,
        "recall": 0.6667,
        "f1": 0.6667,
        "support": 3,
    }
    assert rep.per_class["inappropriate"]["precision"] == 0.5
    assert rep.per_class["media_enquiry"]["f1"] == 1.0
    assert rep.macro_f1 == pytest.approx((0.6667 + 0.5 + 1.0) / 3, abs=1e-4)
    assert "confusion" in rep.format()


class FixedClassifier:
    """Stands in for the model so the file-handling half of evaluate_file is tested exactly."""

    version = "fixed"

    def __init__(self, labels):
        self.labels = labels

    def classify_batch(self, items):
        return [
            Classification(lab, None, 1.0, "fixed", "fixed") for lab in self.labels[: len(items)]
        ]


def test_evaluate_file_csv(tmp_path):
    f = tmp_path / "labelled.csv"
    f.write_text(
        'body,gold\n"hello, parents",neutral\nidiots,inappropriate\ncomment?,media_enquiry\n'
    )
    rep = evaluate_file(
        f,
        text_column="body",
        label_column="gold",
        classifier=FixedClassifier(["neutral", "neutral", "media_enquiry"]),
    )
    assert rep.confusion == [[1, 0, 0], [1, 0, 0], [0, 0, 1]]
    assert rep.per_class["inappropriate"]["recall"] == 0.0


def test_evaluate_file_olid_format_uses_the_binary_mapping(tmp_path):
    f = tmp_path / "olid.tsv"
    f.write_text(
        "id\ttweet\tsubtask_a\tsubtask_b\tsubtask_c\n"
        '1\t"@USER you are ""great"\tNOT\tNULL\tNULL\n'
        "2\tshut up idiot\tOFF\tTIN\tIND\n"
        "3\tany journalists?\tNOT\tNULL\tNULL\n"
    )
    rep = evaluate_file(
        f, classifier=FixedClassifier(["inappropriate", "inappropriate", "media_enquiry"])
    )
    assert rep.labels == ["NOT", "OFF"]
    assert rep.confusion == [[1, 1], [0, 1]]


def test_evaluate_file_rejects_unknown_columns(tmp_path):
    f = tmp_path / "x.csv"
    f.write_text("text,label\nhi,neutral\n")
    with pytest.raises(ClassifierError, match="no column 'gold'"):
        evaluate_file(f, label_column="gold", classifier=FixedClassifier(["neutral"]))


# -- training ---------------------------------------------------------------------------------
def test_corrections_are_validated():
    assert correction_examples([("", "x", "neutral", None)])[0].label == "neutral"
    with pytest.raises(ClassifierError):
        correction_examples([("", "x", "spam", "")])


def test_train_on_school_data_with_corrections_changes_the_decision(tmp_path):
    text = "The zorblax newsletter from Latifiah arrived today"
    corrections = [
        {"title": "", "text": f"{text} {i}", "label": "media_enquiry", "subreason": ""}
        for i in range(6)
    ]
    model, meta = train(olid_path=None, corrections=corrections, out_path=tmp_path / "m.npz")
    assert meta["training_rows"]["corrections"] == 6
    assert (tmp_path / "m.json").is_file()
    reloaded = load_model(tmp_path / "m.npz")
    assert reloaded.version == meta["version"]
    assert reloaded.classify_batch([("", text)])[0].label == "media_enquiry"
    baseline, _ = train(olid_path=None, out_path=None)
    assert baseline.classify_batch([("", text)])[0].label != "media_enquiry"
    assert Path(tmp_path / "m.npz").stat().st_size > 0
