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


# -- profanity transfer, offence signals (added with model format 2) ---------------------------
def test_profanity_scorer_ships_inside_the_model(clf):
    scorer = clf.featurizer.profanity
    assert scorer is not None, "the shipped model carries the exported profanity SVM"
    p = scorer.proba(["you are a fucking idiot", "the open day is on Saturday at 10am"])
    assert p[0] > 0.9 > 0.2 > p[1]


def test_profanity_scorer_matches_the_package_when_installed():
    pc = pytest.importorskip("profanity_check")
    from analysis.training import load_profanity

    texts = ["shut up you absolute moron", "lovely eid fair today", "", "go to hell wankers"]
    got = load_profanity().proba(texts)
    assert max(abs(a - b) for a, b in zip(got, pc.predict_prob(texts), strict=True)) < 1e-5


def test_offence_signals_name_what_fired_and_respect_negation():
    from analysis import classifier_rules as rules

    names = [n for n, _ in rules.offence_signals("Leaked: the confidential governors' minutes")]
    assert names == ["leaked internal document"]
    assert rules.offence_signals("I'm not saying they're crooks, just open the accounts") == []
    assert rules.offence_signals("the trustees are crooks")[0][0] == "accusation stated as fact"
    # "every five minutes" is not a leaked document
    assert rules.offence_signals("ring them every five minutes") == []
    feats = rules.offence_features("Man was charged after saying he would burn the school down")
    assert len(feats) == rules.N_OFFENCE_FEATURES
    # the threat wording is counted in its "inside reporting language" column, not the bare one
    i = rules.HOSTILE_SIGNALS.index("threat wording")
    base = len(rules.CALMING_SIGNALS) + 2 * i
    assert feats[base : base + 2] == [0.0, 1.0]


def test_news_quoting_a_threat_is_neutral_but_the_threat_is_not(clf):
    news = (
        "A man from Bow was charged on Tuesday after posting that he would 'burn down' Darul "
        "Hadis Latifiah, police said. He is due at Thames Magistrates' Court next month."
    )
    threat = "Gonna burn Darul Hadis Latifiah down one night, just watch"
    assert one(clf, news).label == "neutral"
    out = one(clf, threat)
    assert (out.label, out.subreason) == ("inappropriate", "threat")


def test_harassment_campaign_is_harassment(clf):
    out = one(
        clf,
        "Everyone keep messaging Mrs Khan from Latifiah until she quits, make her life hell",
    )
    assert (out.label, out.subreason) == ("inappropriate", "harassment_bullying")


def test_inappropriate_explanations_name_the_rule_signals(clf):
    out = one(clf, "LEAKED internal memo from the Latifiah head to staff, full text below")
    assert out.label == "inappropriate"
    assert "leaked internal document" in out.explanation


def test_shipped_metadata_records_the_profanity_arrays_hash():
    meta = json.loads(DEFAULT_MODEL.with_suffix(".json").read_text())
    from analysis.training import PROFANITY_ARRAYS

    assert meta["data_sha256"]["profanity_svm"] == sha256(PROFANITY_ARRAYS)


def test_journalist_who_says_so_and_asks_is_a_media_enquiry_by_rule(clf):
    from analysis import classifier_rules as rules

    text = (
        "Freelance reporter looking into complaints about Latifiah admissions. If you've been "
        "affected please get in touch: sam.r@example.org"
    )
    assert rules.enquiry_rule(text)
    out = one(clf, text)
    assert out.label == "media_enquiry"
    assert "enquiry" in out.explanation or "rule: journalist" in out.explanation
    # a journalist sharing a published piece is not asking
    assert rules.enquiry_rule("I'm a reporter at the Standard: my piece is out now, thanks") is None


def test_slang_threat_and_slur_wording_are_caught_outside_reporting(clf):
    out = one(clf, "swear down if the head excludes my boy I'll do him outside Latifiah")
    assert (out.label, out.subreason) == ("inappropriate", "threat")
    out = one(clf, "these lot at Latifiah will never integrate, pack them all off back home")
    assert (out.label, out.subreason) == ("inappropriate", "discrimination")


def test_the_school_name_is_not_evidence_of_anything():
    from analysis.model import normalise

    assert "latifiah" not in normalise("", "Darul Hadith Latifiah and the Latifiah school").lower()
    assert "DHL parcel" in normalise("", "my DHL parcel is late")


def test_three_ways_of_asking_make_an_enquiry_and_a_street_address_is_private():
    from analysis import classifier_rules as rules

    text = (
        "Looking for parents who moved their kids out of Latifiah to speak to for a Times "
        "piece. Anonymity guaranteed. DMs open"
    )
    assert rules.enquiry_rule(text)
    assert rules.enquiry_rule("Looking for parents. Lovely day") is None
    assert rules.privacy_hits("Mr Ali's wife and kids live at 31 Jubilee Street, FYI")


def test_version_changes_with_the_rules_code(tmp_path):
    meta = json.loads(DEFAULT_MODEL.with_suffix(".json").read_text())
    assert "code" in meta["data_sha256"]


def test_protected_pupil_name_makes_a_privacy_breach_without_touching_the_shared_model():
    text = "Well done to Yusuf Ahmed for the football match at Darul Hadis Latifiah!"
    (plain,) = load_classifier().classify_batch([("", text)])
    (named,) = load_classifier(protected_names=frozenset({"Yusuf Ahmed"})).classify_batch(
        [("", text)]
    )
    assert (named.label, named.subreason) == ("inappropriate", "privacy_breach"), named
    assert plain.subreason != "privacy_breach", plain
    (again,) = load_classifier().classify_batch([("", text)])
    assert again.subreason != "privacy_breach"
