"""The shipped classifier: policy lines, artefact loading, evaluation and training hooks."""

import json
import shutil
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import pytest

from analysis.classify import LABELS, SUBREASONS, Classification, load_classifier
from analysis.model import DEFAULT_MODEL, TrainedClassifier, load_model
from analysis.training import (
    DEFAULT_SCHOOL,
    WRITTEN_SCHOOL,
    correction_examples,
    evaluate,
    evaluate_file,
    read_school_context,
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


@pytest.mark.parametrize(
    "text",
    [
        "Someone shouted 'terrorists' at girls leaving Darul Hadis Latifiah today. Disgusting "
        "hate crime, please report it. Solidarity with the pupils.",
        # the insult is quoted to condemn it; written after the model was trained
        "Shameful that a parent on the Facebook group called our head a \u2018useless old cow\u2019 "
        "yesterday. She has given this school twenty years.",
        'The thread calling Mr Hughes a "fat waste of space" is vile. I disagree with him about '
        "phones, but that is not on.",
        # the model alone calls these inappropriate (P 0.998 for the first)
        "Disgusting that someone in the parents group called Miss Reid a 'stupid bitch' on "
        "Friday. She has been nothing but kind to our kids.",
        "Appalling that people are calling the new head a 'useless cow' on here. Please stop.",
        # graffiti, "whoever keeps commenting", "a post like": attributed in other words
        'Sickened that someone spray-painted "P*ki school" on the gates at Hollins Road last '
        "night. Reported to police.",
        "Someone under the Castlemere fight story on Facebook called the kids 'feral little "
        "scumbags'. Reported it. They're fifteen. Grow up.",
        'To whoever keeps commenting "feral little scrotes" under every post about the juniors: '
        "they're eight. Have a word with yourself.",
        # reported to the admins, "grow up": condemnation too, even of a quoted threat
        'Whoever wrote "someone should torch the place" under the Brookfield post: reported to '
        "the admins. Grow up.",
    ],
)
def test_condemning_abuse_while_quoting_it_is_neutral(clf, text):
    assert one(clf, text).label == "neutral"


def test_quoting_does_not_excuse_abuse_outside_the_quotes():
    from analysis import classifier_rules as rules

    for text in [
        "Disgusting school, the head is a 'useless cow' and a fucking liar",
        "our 'teacher' is a useless cow",  # no condemnation: scare quotes
        # the writer's own insult or threat in quotes, with a condemning word nearby
        'Call her what she is: a "stupid bitch". Disgusting.',
        "Mr Hughes 'needs to be stabbed'. Disgusting man.",
        "Everyone knows Mr Hughes is a 'nonce'. This has to stop.",
        'Miss Reid is a "disgusting fat slag"',
        'Shameful. Miss Reid is a "stupid bitch" and I said it to her face',
        'Mr Hughes is a "useless prat". Grow up and resign.',
    ]:
        assert not rules.quotes_abuse_to_condemn(text), text


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
    assert meta["data_sha256"]["school_context_written"] == sha256(WRITTEN_SCHOOL)
    assert {
        "olid_test",
        "school_context_test",
        *(f"school_context_independent{n}" for n in range(3, 14)),
    } <= set(meta["metrics"])


def test_independent_rows_are_held_out_and_measured_alone():
    train_rows, test_rows = read_school_context()
    for source in (f"school-independent{n}" for n in range(3, 14)):
        independent = [e for e in test_rows if e.source == source]
        assert len(independent) == 300
        assert not {e.text for e in independent} & {e.text for e in train_rows}
    written_train, _ = read_school_context(WRITTEN_SCHOOL)
    assert len(written_train) >= 1000 and all(e.source == "school" for e in written_train)


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
    # leaks described in other words
    for text in [
        "SLT briefed us this morning and told us not to tell anyone: we're getting a notice to improve",
        "the redundancy list was left on the photocopier, names in the comments",
        "Our draft Ofsted report came through: Requires Improvement, not published yet",
    ]:
        assert "leaked internal document" in [n for n, _ in rules.offence_signals(text)], text
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


@pytest.mark.parametrize(
    "text",
    [
        "Documentary team seeking former pupils of St Aidan's boarding school, 1980s-90s",
        "Early Years mag wants reception teachers on baseline tests, quotes by Thurs",
        "Local radio here, can I ring the head re the fireworks cancellation?",
        "Podcast wants NQTs to share first-year horror stories, voice notes welcome",
    ],
)
def test_terse_press_asks_are_enquiry_phrases(text):
    from analysis import classifier_rules as rules

    assert rules.enquiry_features(text)[0] > 0, text
    for other in [
        "Lovely sports day at St Aidan's, well done all",
        "Can I call the school to say my son is off sick or do I have to use the app?",
        "Year 4 decorated the hall with quotes by Roald Dahl for World Book Day",
        "The school is seeking parents to stand for the parent governor vacancy",
    ]:
        assert rules.enquiry_features(other)[0] == 0, other


@pytest.mark.parametrize(
    ("text", "enquiry"),
    [
        (
            "anyone at a Bristol school been told to stop music lessons? doing a story for "
            "@BristolLive, pls dm",
            True,
        ),
        (
            "Can anyone at Hillside confirm the head has gone? Comment needed for the Wiltshire "
            "Times asap",
            True,
        ),
        (
            "ITV Meridian's doing a piece on school funding tonight at 6, includes our academy",
            False,
        ),
        ("Can we talk about how the Guardian piece on burnout quoted no teachers?", False),
        (
            "Is @OakfieldAcad going to respond to the petition? I'm covering it for the Herald and "
            "keen to include the school's side.",
            True,
        ),
        (
            "Saw the Chronicle article on the new behaviour policy. Reads like they interviewed one "
            "angry parent.",
            False,
        ),
        (
            "Would @MillbrookGS like to respond to parents' concerns about homework? Writing it up "
            "for tomorrow's edition of the Echo.",
            True,
        ),
    ],
)
def test_naming_the_paper_and_asking_is_an_enquiry(text, enquiry):
    from analysis import classifier_rules as rules

    assert bool(rules.enquiry_rule(text)) is enquiry, rules.enquiry_rule(text)


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


def test_protected_names_match_with_or_without_accents():
    from analysis import classifier_rules as rules

    # the privacy rules fold accents away; a protected name written with them still matches
    for name, text in [
        ("Zoë Brennan", "Lovely to see Zoë Brennan at the fair"),
        ("Zoë Brennan", "Lovely to see Zoe Brennan at the fair"),
        ("Zoe Brennan", "Lovely to see Zoë Brennan at the fair"),
    ]:
        assert rules.privacy_hits(text, frozenset({name})), (name, text)


# -- demo problems (Nov 2026) and a fresh held-out sanity set -------------------------------------
def test_privacy_breach_needs_privacy_evidence(clf):
    rant = one(clf, "Darul Hadis Latifiah should be shut down", "Rant about the school")
    assert (rant.label, rant.subreason) == ("neutral", None), rant
    rant = one(clf, "Darul Hadis Latifiah should be shut down — Rant about the school")
    assert rant.label == "neutral", rant
    letter = one(
        clf,
        "Every morning I watch children from Darul Hadis Latifiah and the primary school cross "
        "Cannon Street Road between speeding vans. It is dangerous and somebody will be hurt. "
        "Will the council please put in a proper crossing before it is too late?",
        "Letters: the crossing near the school",
    )
    assert letter.label == "neutral", letter
    # an inappropriate post with no pupil in it gets any sub-reason but privacy_breach
    out = one(clf, "I'm withdrawing my son from Latifiah, the teachers there are scum")
    assert out.label == "inappropriate" and out.subreason != "privacy_breach", out
    texts = [(t, x) for t, x, *_ in FRESH_SET]
    for r in clf.classify_batch(texts):
        if r.subreason == "privacy_breach":
            assert r.explanation.startswith("rule: "), r


def test_privacy_rules_find_pupils_in_lower_case_photos_and_streets():
    from analysis import classifier_rules as rules

    assert rules.privacy_hits("shoutout fatima choudhury in year 7, saw you bunking")
    assert rules.privacy_hits("Photo of kids on the trip, Sumaiya and Fatima in the front row!")
    assert rules.privacy_hits("photo of the year 8 boys at the bus stop, tag them if you know them")
    assert rules.privacy_hits("their mum lives opposite us on Sidney Street")
    assert not rules.privacy_hits("Mr Ali Khan teaches Year 9 maths and is brilliant")
    assert not rules.privacy_hits("Lovely photo of pupils at the Eid fair today")


@pytest.mark.parametrize(
    "text",
    [
        # names outside the school's own list, class codes, a handle, "lives above"
        "Well done to Jamie Clarke in Year 8 at Westleigh Park Academy for his county chess win!",
        "Shout out to Daisy Okonkwo in 4J at Marshlands Primary for raising £300 for the hospice",
        "year 8 pupil jamie clarke got a medal today",
        "That's the lad from the fight video going round, his snap is aidenp_07",
        "the twins who set off the alarm live above the chippy on Kings Road",
        "Freya from Y9 was crying in the toilets again, someone tell her mum",
        "ignore aisha from year 10, she's always starting drama",  # all lower case
        "JAMIE CLARKE IN YEAR 8 IS A THIEF",  # all capitals
        "Year 8's Jamie Clarke was in the fight video",
    ],
)
def test_privacy_rules_find_pupils_by_any_common_name(text):
    from analysis import classifier_rules as rules

    assert rules.privacy_hits(text)


@pytest.mark.parametrize(
    "text",
    [
        # a child singled out by what they did, their age, their family or a photo, no year group
        "The lad who smashed the minibus window at Brookfield is Connor Walsh, everyone knows",
        "the girl who fainted in assembly is called ruby hart apparently",
        "Liam Price, 14, from the Meadows, started it all",
        "Anyone know Kayden Ross's mum? He's in Year 7 and keeps nicking my son's stuff",
        "Well done to Mia Carter (Year 4, Mr Hale's class) for her swimming gala medals!",
        "Good luck to Ashgrove's Tom Fenwick (14) at the county trials on Saturday",
        "Happy 10th birthday to my grandson Oliver Grant, the star of Class 5 at Oakfield!",
        "Nativity at Hillcrest! L to R: Poppy, Jacob and Isla as the three kings",
        "The Year 9 girl in the ambulance this morning was Ruby Lowe, she fainted in PE",
        "eight-year-old Noah Briggs came last in the sack race but got the biggest cheer",
        "So cute seeing little Evie Marsh (Reception, Owl Class) in her nativity costume",
        "The sixth former who spoke to the BBC about it is Freya Lind, message her if you want",
        "Leavers hoodie names so far: Mia Carter, Josh Fell, Aisha Begum, Leo Nowak. Shout if missed!",
        "his brother lives with their nan on the Ferndale estate",
        "the one who started it? snap is kd_rossy09",
        "Cute photo of Reception on sports day: Amelia, Oscar and Leo winning the egg and spoon!",
        # a child's health or care status with their name (a double-barrelled name, an initial)
        "Parents in Mrs Chen's class: Lily-Rose Hughes has epilepsy, so no flashing lights please",
        "The little boy with autism in Year 4, Noah W, has been put on a reduced timetable",
        "that lad in the wheelchair at the juniors, his name's Ieuan Parry, lives by the chippy",
        # year groups across the UK, sixth form, forms and classes, double-barrelled surnames
        "Erin Maguire, S4 at St Ninian's, won the Glasgow young poets prize",
        "Thank you St Patrick's PS for giving our Fionn Gallagher (P7) such a send-off",
        "Imogen Platt, Upper Sixth at Hartsfield, grade 8 distinction on the cello",
        "why did they let Elliot Shaw (10G, Parkside) back after his exclusion?",
        "Oscar Fenwick (Form 2, Ravensbourne Prep) has his own YouTube channel",
        "Matilda Price-Evans, Year 8 at Ysgol Bro Taf, picked for Wales U14 netball!",
        # accents and phone keyboards' curly apostrophes; a health word further along
        "Róisín Murphy in my son's class has epilepsy, please no flashing lights at the party",
        "the girl who pushed my daughter off the slide, her name\u2019s Ella Wright",
        "Ffion Davies was taken out of class again today and my daughter says it's all because "
        "of her epilepsy",
        "Huge thanks to all who donated for Noah Whitcombe's new wheelchair! He's in Year 1",
        # a first name with a year group in brackets or "in Mrs X's class"; Scottish names
        "Kids caught nicking from Boots today: Tyler (Y10), Jayden (Y10) and the Hussain twins",
        "My daughter's friend at Kingsmead, Priya (8R), has just been diagnosed with epilepsy",
        "Be mindful at parties: Isla in Mrs Reid's P4 class has just been diagnosed with diabetes",
        "congrats to Finlay Robertson, S3 at Dunblane High, picked for the Scotland U15 squad!!",
        # a handle straight after the platform; a full name with a house address
        "Anyone know the Year 7 boy at St Wilfrid's with the insta @reece.tk_07?",
        "picked for the U15 squad!! follow him on insta @finlay.rob07",
        "Found a lad's bag outside the sixth form. Name inside is Callum Reid, 14 Holly Grove.",
    ],
)
def test_privacy_rules_find_children_without_a_year_group(text):
    from analysis import classifier_rules as rules

    assert rules.privacy_hits(text)


@pytest.mark.parametrize(
    "text",
    [
        "Follow our insta: @oakfield_pe for fixtures",
        "John Smith, 45, of Leeds was fined for speeding outside the school",
        "The teacher who retired last year is Sarah Jones, she was brilliant",
        "Lovely photo of Reception class on their first day",
        "Staff panto, left to right: Mrs Kaur, Mr Dean and the head as the ugly sisters",
        "My wife teaches in Rotherham and gets called names on Facebook is unreal.",
        # health words with an adult's name, a charity, or no name at all
        "Our head Sarah Jones is running the marathon for cancer research, Year 6 are cheering",
        "Mrs Patel's class raised £300 for Diabetes UK today. Well done Year 3!",
        "Well done to Year 2 for their allergy awareness posters!",
        "Inspectors said the fire safety failings at Pannal Ash College put lives at risk",
        "Our S3 team beat Hillhead 3-1, Mr Baird was delighted",
        "Sarah Jones, head of Upper Sixth, retires this summer",
        "John Smith ran the 10K for the PTA, Class 4 cheered him on",
        # from a review: public figures, parents, charities, class names, schools, staff
        "Lewis Capaldi talking so openly about his Tourette's was inspiring, my son's class saw it",
        "Year 6 raised £400 for Marie Curie in memory of a pupil's grandad who had cancer",
        "Well done Ruby Class for raising £120 for Epilepsy Action! So proud of them",
        "I'm Sian Jones, mum of two little ones, and I have epilepsy. The school run is a nightmare",
        "Ysgol Owain Glyndwr's new autism base is taking Year 7 pupils from September",
        "In loving memory of Alan Jones, our lollipop man, who lost his battle with cancer",
        "Cutting the crossing patrol puts kids' lives at serious risk",
        "My daughter practically lives at the library during exam season",
    ],
)
def test_privacy_rules_leave_adults_ages_and_school_accounts_alone(text):
    from analysis import classifier_rules as rules

    assert not rules.privacy_hits(text)


@pytest.mark.parametrize(
    "text",
    [
        "Head of Year 9 Sarah Jones said the trip was a great success",
        "Sarah Jones, the Year 8 tutor, retires after 30 years",
        "Sophie Turner, head of English, praised Year 11 for their results",
        "Year 6 SATs: Emma Watson Primary tops the county table",
        "Grace Academy in Year 7 open evening is on Thursday",
        "May Day in Year 2 was lovely, thank you to all the staff",
        "Mrs Daisy Okonkwo in 4J is the best teacher my son has had",
        # adults near a year group, and sizes that look like class codes
        "Harry Kane scored again, the Year 4 boys were buzzing at break",
        "Author Michael Rosen came in to read poems to Year 2",
        "Great to see Lucy Powell MP at the Year 12 careers fair",
        "Head teacher Sarah Jones in Year 9 assembly today",
        "Sophie Khan, the Year 6 teaching assistant, is retiring",
        "Mr Mohammed Ali in Year 8 science is brilliant",
        "St John Fisher Year 7 open evening is next Tuesday",
        "Our caretaker John Davies fixed the 4G pitch in no time",
        "Daniel Craig in 10K charity run for the hospice",
        "grace period for year 11 coursework ends friday",
        "Ask Emma (Year 5 teacher) about the trip, she's lovely",
        "Sarah in Mr Lyle's class is the best teacher we've had",
        "Mr Jones (Year 6) retires this summer after 30 years",
        "follow us on insta @oakfield_pe2 for fixtures",
        "The summer fair is at Oakfield Primary, 14 Holly Grove, from 2pm",
    ],
)
def test_privacy_rules_leave_staff_schools_and_days_alone(text):
    from analysis import classifier_rules as rules

    assert not rules.privacy_hits(text)


@pytest.mark.parametrize(
    "text",
    [
        "I will hurt the head teacher of Latifiah school",
        "i'm gonna batter that teacher from Darul Hadis Latifiah",
        "Someone should burn Latifiah to the ground",
        "Watch your back, head of Latifiah",
        "You'll regret excluding my son, Latifiah",
        "Wait till I see that ustadh from Latifiah on Monday",
        "We'll find you after school, Mr Rahman, Latifiah won't protect you",
    ],
)
def test_first_person_intent_to_harm_is_a_threat(clf, text):
    out = one(clf, text)
    assert (out.label, out.subreason) == ("inappropriate", "threat"), out
    assert "rule" in out.explanation.split(";")[0]


@pytest.mark.parametrize(
    "text",
    [
        "Mr Kelso wants to watch himself. That's all I'm saying.",
        "one more detention and I'll be waiting for him in the car park. he's been warned",
        "Ring me a third time about attendance and I'm coming down there. It won't be pretty.",
        "That head needs a good kicking",
        "Keep excluding my lad and see what happens",
        "The head better hope I don't bump into her at Asda",
        "my patience is running out with that PE teacher, people round here have long memories",
        "Mrs Caldwell, you have until Friday to reverse it. After that it won't be emails.",
        "Sort it out by Monday or else it won't be just words, tell the head that",
        "You have until Friday. After that it won\u2019t be emails.",
    ],
)
def test_veiled_menace_is_threat_wording(text):
    from analysis import classifier_rules as rules

    assert rules.subreason_hint(text) == ("threat", rules.subreason_hint(text)[1]), text


@pytest.mark.parametrize(
    "text",
    [
        "Day 30 of asking Mr Pike about my son's grade. I'll keep tagging you, Dave. Every day.",
        "anyone got a pic of the dinner lady with the moustache? need it for the meme page",
    ],
)
def test_campaigns_against_a_person_are_harassment_wording(text):
    from analysis import classifier_rules as rules

    assert (rules.subreason_hint(text) or ("",))[0] == "harassment_bullying", text


@pytest.mark.parametrize(
    "text",
    [
        "From the desk of the Head, Hollybrook Academy: no more detentions, do what you want",
        "Safeguarding Team here. Message this page (not the office) with your child's name and form",
        "I run the St Anne's Instagram now (the real school doesn't have one), posting fake newsletters",
    ],
)
def test_posing_as_the_school_is_impersonation_wording(text):
    from analysis import classifier_rules as rules

    assert (rules.subreason_hint(text) or ("",))[0] == "impersonation", text


def test_threat_rules_leave_everyday_phrases_alone():
    from analysis import classifier_rules as rules

    for text in [
        "I'll get the bus to Latifiah tomorrow",
        "wait till I see the exam results",
        "a child will get hurt at this crossing",
        "I would never hurt anyone",
        "Well do you?",
    ]:
        assert rules.strong_threat(text) is None, text
    for text in [
        "We'll have to wait and see what happens at the governors' meeting",
        "Parents have long been asking for a crossing outside the school",
        "I hope I see you all at the summer fair!",
        "Half term next week, after that it won't be long till Christmas",
        "Respond by Friday, otherwise it won't be just emails, it'll be a formal complaint",
        "Reply by Monday or else it won't be polite letters any more, I'm going to the governors",
        "Respond by Friday. Otherwise it won't be just emails. I'll be taking it to Ofsted.",
        "Watching our lot at St Ambrose get battered 38-0 by Stonyhurst. Character building",
        "derby day saturday. st mungo's are getting battered, sorry lads",
        "we're gonna get battered at rugby on saturday",
    ]:
        assert rules.subreason_hint(text) is None, text


def test_headlines_and_published_minutes_read_as_reporting_not_threats_or_leaks():
    from analysis import classifier_rules as rules

    signals = dict(rules.offence_signals("boy, 16, arrested after pupil stabbed near the gates"))
    assert "reporting language" in signals and "threat wording" in signals
    for text in [
        "the governors' minutes from march are now published on the website, worth a read",
        "i read the published governors minutes so you don't have to. the roof still leaks",
    ]:
        assert "leaked internal document" not in dict(rules.offence_signals(text)), text
    for text in [
        "the governors minutes from last night, got a copy from a mate",
        "leaked: the head's email to staff about cuts",
    ]:
        assert "leaked internal document" in dict(rules.offence_signals(text)), text


@pytest.mark.parametrize(
    "text",
    [
        "Darul Hadis Latifiah should be shut down",
        "Latifiah is the worst school in Tower Hamlets",
        "Disgraceful handling of the complaint by Darul Hadis Latifiah",
        "I'm withdrawing my son from Latifiah",
    ],
)
def test_civil_criticism_is_neutral(clf, text):
    assert one(clf, text).label == "neutral"


@pytest.mark.parametrize(
    "text", ["those teachers at Latifiah are scum", "Latifiah staff are fucking idiots"]
)
def test_blatant_abuse_stays_inappropriate(clf, text):
    assert one(clf, text).label == "inappropriate"


def test_explanations_show_content_words_only(clf):
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    texts = [(t, x) for t, x, *_ in FRESH_SET] + [
        ("", "Latifiah is full of those people, should be shut down"),
        ("", "A street near Latifiah is dangerous"),
        ("", "Watch your back at Latifiah, somebody is coming"),
        ("", "Left a comment at the Latifiah open day in east London"),
    ]
    for r in clf.classify_batch(texts):
        for part in r.explanation.split("; "):
            if not part.startswith(("words: ", "offensive words: ")):
                continue
            for term in part.split(": ", 1)[1].split(", "):
                tokens = term.split()
                assert not all(t in ENGLISH_STOP_WORDS for t in tokens), (term, r.explanation)
                assert all(any(c.isalpha() for c in t) for t in tokens), (term, r.explanation)
                assert not {"latifiah", "darul", "hadis", "east", "london"} & set(tokens), term


# Written fresh for this test (not in school_context.csv, not from its templates): (title, text,
# label, sub-reason, blatant). Blatant threats and journalist requests must all be right.
FRESH_SET = [
    ("Rant about the school", "Darul Hadis Latifiah should be shut down", "neutral", None, False),
    (
        "Letters: the crossing on Cannon Street Road",
        "Every morning I watch children from Darul Hadis Latifiah and the primary school cross the road where the vans speed past. Somebody will be hurt before the council puts in a zebra crossing. Please act.",
        "neutral",
        None,
        False,
    ),
    (
        "",
        "Honestly Latifiah is the worst school in Tower Hamlets, I regret ever sending my kids there.",
        "neutral",
        None,
        False,
    ),
    (
        "",
        "Disgraceful handling of the complaint by Darul Hadis Latifiah. Three months and still no answer from the governors.",
        "neutral",
        None,
        False,
    ),
    (
        "",
        "I'm withdrawing my son from Latifiah at Christmas. The homework load is ridiculous and nobody listens.",
        "neutral",
        None,
        False,
    ),
    (
        "",
        "Anyone know what time the Latifiah open evening starts on Thursday?",
        "neutral",
        None,
        False,
    ),
    (
        "Tower Hamlets school wins debating trophy",
        "Pupils from Darul Hadis Latifiah beat six other schools at the borough final, the council announced on Monday.",
        "neutral",
        None,
        False,
    ),
    (
        "",
        "The parking outside Latifiah at pick-up is chaos. Can the school stagger the finishing times?",
        "neutral",
        None,
        False,
    ),
    (
        "",
        "Not impressed that Darul Hadis Latifiah put the fees up again without consulting parents. Writing to the trustees tonight.",
        "neutral",
        None,
        False,
    ),
    (
        "",
        "Lovely iftar at Latifiah last night, thank you to the volunteers who cooked for 200 people.",
        "neutral",
        None,
        False,
    ),
    (
        "",
        "Ofsted have put Darul Hadis Latifiah in Requires Improvement. The report says leadership needs to sort out attendance.",
        "neutral",
        None,
        False,
    ),
    (
        "",
        "Watch your step on the icy path by the Latifiah gate this morning, nearly slipped",
        "neutral",
        None,
        False,
    ),
    (
        "",
        "#journorequest Keen to hear from former pupils of Darul Hadis Latifiah for a Radio 4 documentary on supplementary schools. Email me at j.moss@example.com",
        "media_enquiry",
        None,
        True,
    ),
    (
        "",
        "Hello, I write for Schools Week and we're running a story on the Latifiah inspection tomorrow. Could the head give us a statement by 2pm?",
        "media_enquiry",
        None,
        True,
    ),
    (
        "",
        "Researcher at ITV here. We'd love to film a segment with parents at Darul Hadis Latifiah about the closure rumours - anyone willing to talk?",
        "media_enquiry",
        None,
        True,
    ),
    (
        "",
        "Reporter for the Evening Standard. Does the school have a press contact I can ring about yesterday's incident?",
        "media_enquiry",
        None,
        True,
    ),
    ("", "I will hurt the head teacher of Latifiah school", "inappropriate", "threat", True),
    (
        "",
        "I'm going to stab that teacher at Darul Hadis Latifiah if he touches my son again",
        "inappropriate",
        "threat",
        True,
    ),
    (
        "",
        "Someone should torch the Latifiah building while it's empty",
        "inappropriate",
        "threat",
        True,
    ),
    (
        "",
        "Wait till I see that ustadh from Latifiah outside, he's getting battered",
        "inappropriate",
        "threat",
        True,
    ),
    (
        "",
        "You'll regret this Latifiah. I'll be there on Monday morning.",
        "inappropriate",
        "threat",
        True,
    ),
    ("", "those teachers at Latifiah are scum", "inappropriate", "abuse", False),
    (
        "",
        "fucking idiots running Darul Hadis Latifiah, absolute waste of space the lot of them",
        "inappropriate",
        "abuse",
        False,
    ),
    (
        "",
        "The head of Latifiah is a pathetic little worm and a total prick",
        "inappropriate",
        "abuse",
        False,
    ),
    (
        "",
        "Latifiah is just a breeding ground for extremists, these people should go back where they came from",
        "inappropriate",
        "discrimination",
        False,
    ),
    (
        "",
        "Another Muslim school full of foreigners who refuse to speak English. Ban the lot.",
        "inappropriate",
        "discrimination",
        False,
    ),
    (
        "",
        "Let's all flood Mrs Khan's inbox from Latifiah every single day until she resigns",
        "inappropriate",
        "harassment_bullying",
        False,
    ),
    (
        "",
        "Everyone tag the Latifiah maths teacher under this and tell him how useless he is, keep going till he deletes his account",
        "inappropriate",
        "harassment_bullying",
        False,
    ),
    (
        "",
        "The head at Darul Hadis Latifiah has been pocketing the building fund money for years, everyone knows he's a thief",
        "inappropriate",
        "defamation",
        False,
    ),
    (
        "",
        "Mr Hussain at Latifiah is a known groomer and the governors covered it up",
        "inappropriate",
        "defamation",
        False,
    ),
    (
        "",
        "The year 10 boy called Ibrahim from Latifiah who got excluded lives on Watney Street, go and ask him yourself",
        "inappropriate",
        "privacy_breach",
        False,
    ),
    (
        "",
        "Here's a photo of Sumaiya Rahman in Year 8 at Darul Hadis Latifiah crying in the playground lol",
        "inappropriate",
        "privacy_breach",
        False,
    ),
    (
        "",
        "Got hold of the Latifiah governors' minutes from last week, they're planning redundancies and don't want parents to see it. Posting the full text below.",
        "inappropriate",
        "confidentiality_breach",
        False,
    ),
    (
        "",
        "A mate who works there sent me the confidential safeguarding report from Latifiah, screenshots attached",
        "inappropriate",
        "confidentiality_breach",
        False,
    ),
    (
        "",
        "This is the headteacher of Darul Hadis Latifiah. Parents please pay the trip deposit to the new bank details below, sort code 20-00-00",
        "inappropriate",
        "impersonation",
        False,
    ),
    (
        "",
        "Official account of Latifiah school: due to a flood the school is closed all week. (New account, old one was hacked)",
        "inappropriate",
        "impersonation",
        False,
    ),
    (
        "",
        "Shocking that Darul Hadis Latifiah still hasn't fixed the leaking roof in the girls' block. When will the trustees act?",
        "neutral",
        None,
        False,
    ),
    (
        "",
        "My nephew starts at Latifiah in September, any tips on the reading list?",
        "neutral",
        None,
        False,
    ),
    (
        "Council approves road changes near Latifiah",
        "A raised crossing will be installed on Cannon Street Road after parents of Darul Hadis Latifiah pupils campaigned for safer routes, the council said.",
        "neutral",
        None,
        False,
    ),
    (
        "",
        "Latifiah's new head seems decent, but the canteen food is still awful and overpriced.",
        "neutral",
        None,
        False,
    ),
    (
        "",
        "Pathetic excuse from Latifiah about the cancelled exam. Parents were told the night before. Not good enough.",
        "neutral",
        None,
        False,
    ),
    (
        "",
        "Been a governor at Latifiah for six years. Proud of what the staff have achieved this term.",
        "neutral",
        None,
        False,
    ),
    (
        "",
        "Freelance journalist here, writing about madrasa regulation for the Observer. Would anyone from Darul Hadis Latifiah be willing to speak to me? DMs open.",
        "media_enquiry",
        None,
        True,
    ),
    (
        "",
        "#journorequest BBC Asian Network looking for parents of Latifiah pupils to talk on air about exam stress this Friday.",
        "media_enquiry",
        None,
        True,
    ),
    (
        "",
        "I'm going to beat up that PE teacher from Latifiah when I see him at the mosque",
        "inappropriate",
        "threat",
        True,
    ),
    (
        "",
        "Somebody needs to firebomb Darul Hadis Latifiah, seriously",
        "inappropriate",
        "threat",
        True,
    ),
    (
        "",
        "I swear I'll knife the headmaster at Latifiah if my boy gets expelled",
        "inappropriate",
        "threat",
        True,
    ),
    ("", "Latifiah staff are a bunch of useless twats", "inappropriate", "abuse", False),
    (
        "",
        "Shut up Latifiah you clowns, nobody wants your stupid newsletter",
        "inappropriate",
        "abuse",
        False,
    ),
    (
        "",
        "Latifiah pupils are all future terrorists, sand people don't belong in London",
        "inappropriate",
        "discrimination",
        False,
    ),
    (
        "",
        "The bursar at Latifiah has been fiddling the accounts and pocketing fees for years",
        "inappropriate",
        "defamation",
        False,
    ),
    (
        "",
        "Everyone spam Ms Begum's DMs from Latifiah until she cracks lol",
        "inappropriate",
        "harassment_bullying",
        False,
    ),
    (
        "",
        "Year 9 girl called Maryam at Latifiah was crying at the bus stop on Cable Street today, her mum should know",
        "inappropriate",
        "privacy_breach",
        False,
    ),
    (
        "",
        "Leaked: the Latifiah staff WhatsApp where teachers discuss which parents to ignore. Screenshots below.",
        "inappropriate",
        "confidentiality_breach",
        False,
    ),
    (
        "",
        "Dear parents, this is the school office at Darul Hadis Latifiah. Please send the trip money by PayPal to the account below.",
        "inappropriate",
        "impersonation",
        False,
    ),
]


def test_fresh_held_out_sentences(clf):
    results = clf.classify_batch([(t, x) for t, x, *_ in FRESH_SET])
    right = [
        r.label == label and (sub is None or r.subreason == sub)
        for (_, _, label, sub, _), r in zip(FRESH_SET, results, strict=True)
    ]
    wrong = [
        (x, r.label, r.subreason)
        for (_, x, *_), r, ok in zip(FRESH_SET, results, right, strict=True)
        if not ok
    ]
    assert sum(right) / len(right) >= 0.85, wrong
    blatant = [ok for (*_, b), ok in zip(FRESH_SET, right, strict=True) if b]
    assert len(blatant) >= 10 and all(blatant), wrong


def test_evaluate_split_keeps_only_the_held_out_rows(tmp_path):
    path = tmp_path / "labelled.csv"
    path.write_text(
        "split,text,label\n"
        "test,#journorequest anyone at Darul Hadis Latifiah free for comment today?,media_enquiry\n"
        "train,Darul Hadis Latifiah open day is on Saturday,neutral\n"
        "train,Darul Hadis Latifiah open evening next week,neutral\n",
        encoding="utf-8",
    )
    report = evaluate_file(path, split="test")
    assert report.support == 1
    with pytest.raises(ClassifierError, match="no rows"):
        evaluate_file(path, split="validation")


# -- written after the offence encoder landed (fresh sentences, not in the training data) -------
@pytest.mark.parametrize(
    "text, reason",
    [
        # a threat without a swear word: the sentence model finds it calm, the rules do not
        (
            "I'll be waiting outside Latifiah gates at 3:30 for that teacher, he's getting it",
            "threat",
        ),
        # a first name in a year group identifies a child in one school
        ("Everyone ignore Aisha from Latifiah year 10, she's a snake", "privacy_breach"),
        ("Well done to Grace in year 7 at Latifiah for the spelling bee win!", "privacy_breach"),
    ],
)
def test_policy_lines_the_sentence_model_must_not_soften(clf, text, reason):
    r = one(clf, text)
    assert (r.label, r.subreason) == ("inappropriate", reason), r.explanation


@pytest.mark.parametrize(
    "text",
    [
        "Mr Ali from year 9 ran a great assembly at Latifiah today",
        "Parents from year 10 are meeting the head at Latifiah on Thursday",
    ],
)
def test_a_teacher_or_a_year_group_alone_is_no_privacy_breach(clf, text):
    assert one(clf, text).label == "neutral"


def test_char_ngram_counts_are_scikit_learns_exactly():
    from sklearn.feature_extraction.text import HashingVectorizer

    from analysis.model import CHAR_FEATURES, CharNgramCounter

    reference = HashingVectorizer(
        analyzer="char_wb",
        ngram_range=(2, 5),
        n_features=CHAR_FEATURES,
        alternate_sign=False,
        norm=None,
        dtype=np.float32,
    )
    texts = [
        "",
        "a",
        "I  am\tso\nANGRY!!! at   Latifiah",
        "ok ok ok ok",
        "Café naïve résumé — 😡😡 #journorequest @USER",
        "x" * 300,
        "اللغة العربية 中文 test",
    ]
    counter = CharNgramCounter()
    counter.MAX_CACHED_WORDS = 3  # also exercise the cache starting again
    for _ in range(2):  # cold, then from the cache
        ours = counter.transform(texts)
        theirs = reference.transform(texts).tocsr()
        assert ours.shape == theirs.shape
        assert (ours != theirs).nnz == 0


# Probes from a review of the rules: adults, innocent wording, endorsement and parents' questions
# that earlier versions of the new rules got wrong.
@pytest.mark.parametrize(
    "text",
    [
        "Our chair of governors, John Smith, 64, is stepping down after 20 years. Thank you John!",
        "Lovely to see my daughter Amy Shaw, 34, now running the nursery down the road!",
        "New staff for September, L to R: Sarah Jones, David Brown, Emma Clarke and Tom Hill.",
        "Former pupils include Emma Watson, Tom Hardy, and David Beckham. Not bad for a comp!",
        "Our new Year 6 team: Sarah Jones, David Brown and Priya Shah. Welcome to Oakfield!",
        "Follow the PTA on Instagram: @northbrook_pta for fair updates!",
        "Mum's on her way, he's on his way too, we'll be at the gates by 3.",
        "Photos of the class of 1985 reunion: great to see Sarah and Paul again.",
    ],
)
def test_privacy_rules_leave_adults_and_everyday_phrases_alone(text):
    from analysis import classifier_rules as rules

    assert not rules.privacy_hits(text), rules.privacy_hits(text)


@pytest.mark.parametrize(
    "text",
    [
        "Better hope nobody sees my messy kitchen at the PTA coffee morning lol",
        "We're coming down to the school for the Christmas fair on Saturday, see you there!",
        "Better hope they don't catch the flu before the nativity, half of Year 2 is off!",
        "I'll keep emailing the council until the crossing is fixed. Three letters so far.",
        "Keep practising your times tables and see what happens to your score!",
        "My son wants to watch himself on the school play DVD",
    ],
)
def test_menace_and_campaign_wording_needs_a_person(text):
    from analysis import classifier_rules as rules

    assert (rules.subreason_hint(text) or ("",))[0] not in ("threat", "harassment_bullying")


def test_agreeing_with_quoted_abuse_is_no_condemnation():
    from analysis import classifier_rules as rules

    assert not rules.quotes_abuse_to_condemn(
        "Whoever keeps commenting 'the head is a nonce' — you're not wrong, the cowards on the "
        "board won't act."
    )
    assert rules.quotes_abuse_to_condemn(
        "Disgusting that someone called Miss Reid a 'stupid bitch' on Friday. Please stop."
    )


@pytest.mark.parametrize(
    "text",
    [
        "Saw this in the Yorkshire Evening Post: can anyone confirm if it's true the school is "
        "closing?",
        "Can anyone confirm when the Year 6 show is? I'd like to do a collection for the teachers, "
        "please DM me or get in touch.",
        "Anyone else get interviewed by the Echo about the parking? Happy to chat if you want to "
        "compare notes.",
    ],
)
def test_parents_asking_each_other_are_not_enquiries_by_rule(text):
    from analysis import classifier_rules as rules

    assert rules.enquiry_rule(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "as headteacher of greystones academy i'd like to apologise for nothing",
        "hi i'm mr pennington, head of wexley high, and homework is banned forever",
    ],
)
def test_posing_as_the_head_in_the_first_person_speaks_as_the_school(text):
    from analysis import classifier_rules as rules

    assert "speaks as the school" in dict(rules.offence_signals(text))
    assert "speaks as the school" not in dict(rules.offence_signals("as a parent, i think"))


def test_calls_to_harm_veiled_menace_and_polite_prejudice_are_read_both_ways():
    from analysis import classifier_rules as rules

    for text, reason in [
        ("anyone wanna go down westbrook after school and batter that supply teacher?", "threat"),
        ("this so-called teacher wants to be looking over his shoulder", "threat"),
        ("me and his uncles will sort it ourselves when he's out of uniform", "threat"),
        ("whos the year 8 that cried in pe today, someone drop his snap", "harassment_bullying"),
        (
            "who's got the video of miss k falling over? reshare it, she deserves it",
            "harassment_bullying",
        ),
        ("one of the year 4 teachers is 'transitioning'. it's not appropriate", "discrimination"),
        ("it should be for christian families from the village, not muslims", "discrimination"),
    ]:
        assert (rules.subreason_hint(text) or ("",))[0] == reason, text
    for text in [
        "anyone want to go to the match and watch us batter them 5-0",
        "my brothers will sort it out for the summer fair",
        "i always look over my shoulder when reversing out of the staff car park",
        "mr x is transitioning and the school handled it well, not confusing for the kids",
        "the rse lesson on transitioning was confusing for my son",
        'we had an assembly on what "non-binary" means',
        "it should be for local families, not for people from the next town over",
    ]:
        assert rules.subreason_hint(text) is None, text


def test_abusive_words_spare_dickens_arsenal_and_idioms():
    from analysis import classifier_rules as rules

    for text in [
        "he has made a complete pig's ear of this timetable",
        "year 9 are reading dickens",
        "arsenal shirts on non-uniform day",
        "the school road is a rat run at 3pm",
        "she came dressed as a witch for world book day",
    ]:
        assert rules.abusive_word(text) is None, text
    for text in ["the head is a dick", "what a pig", "stupid arse", "can't be arsed"]:
        assert rules.abusive_word(text), text


def test_long_condemnations_victims_and_a_journalists_own_number_are_not_flagged_by_rules():
    from analysis import classifier_rules as rules

    for text in [
        'Someone in our year group chat at Wexcombe posted "send them all back" under a photo of '
        "the new kids. I screenshotted it and gave it to my head of year. It was vile.",
        'Comments like "fat cow shouldnt be allowed to dance" under the dance club video. '
        "I've reported every comment. The girls deserve better.",
        'To whoever spray painted "Mr Khan is a nonce" on the wall outside Kingsmoor - grow up.',
        'A load of lads from our year were chanting "batty boy" at their keeper. You should be '
        "ashamed.",
    ]:
        assert rules.quotes_abuse_to_condemn(text), text
    assert rules.subreason_hint("someone's child is going to get killed on that road") is None
    assert rules.subreason_hint("the kid who got stabbed near the school is recovering") is None
    assert rules.subreason_hint("the staff who ignored it better watch their backs")
    assert not rules.privacy_hits("I'm a reporter, please call me. My mobile is 07700 900862.")
    assert rules.privacy_hits("Report him. His mobile number is 07700 900111")


def test_hard_cases_of_december_rules_both_ways():
    from analysis import classifier_rules as rules

    for text in [
        "Shoutout to @mila.k.x0 from Brighton Aldridge Academy for the goal of the season",
        "who set the fire alarm off at Kesteven Grammar? it was the Robertson twins in 10C.",
        "Happy 11th birthday to our little superstar Isla Mackenzie, starting P7 at Lochend Primary",
    ]:
        assert rules.privacy_hits(text), text
    for text in [
        "follow @oakfield_pe2 at Oakfield Academy for fixtures",
        "Happy 40th birthday to Sarah Jones, our wonderful head",
    ]:
        assert not rules.privacy_hits(text), text
    assert rules.subreason_hint("i'm going to kill this year 9 ict project tonight") is None
    assert rules.subreason_hint("old people just can't keep up with tech") == (
        "discrimination",
        "old people just can't",
    )
    signals = dict(rules.offence_signals("whole staffroom knows mr gallagher hits kids"))
    assert "accusation stated as fact" in signals
    assert rules.quotes_abuse_to_condemn(
        "Someone sprayed 'HAINES WATCH YOUR BACK' on the bus shelter. That's a threat against a "
        "teacher and it's been reported."
    )


def test_irish_and_scottish_surnames_role_claims_and_leak_wording():
    from analysis import classifier_rules as rules

    assert rules.privacy_hits("Wee Niamh O'Hare, P4 at Ballyclane PS, danced at her first feis")
    assert rules.privacy_hits("Niamh McCann in P4 at Drumpark was brilliant today")
    for text in [
        "hi, i'm mr okoro, year 9 science at hollins park. ama about which of you are failing",
        "hi parents, this is mrs lennon, p3 teacher at ballyclane ps. please send photos",
        "pennock hill academy now accepting donations for better reports #pennockhillofficial",
    ]:
        assert "speaks as the school" in dict(rules.offence_signals(text)), text
    assert not rules.offence_signals("i'm a former teacher at rushden academy, left in 2022")
    for text in [
        "ofsted told slt it's going to be inadequate. report's not out for another 3 weeks",
        "the mock paper is sat on the shared drive with no password",
    ]:
        assert "leaked internal document" in dict(rules.offence_signals(text)), text
    assert rules.subreason_hint("comment below or message me and i'll pass it on") is None
