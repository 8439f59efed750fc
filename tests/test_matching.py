"""Matching: aliases, weak aliases with hints, exclusions, word boundaries, what is recorded."""

from __future__ import annotations

import pytest
from conftest import SCHOOL

from analysis.matching import Matcher, normalise
from mentions.settings import School


@pytest.fixture
def matcher() -> Matcher:
    return Matcher.from_school(School.model_validate(SCHOOL))


def test_normalise_strips_accents_case_and_punctuation():
    assert normalise("DĀRUL-HADĪTH, LAṬĪFIYAH!") == " darul hadith latifiyah "


@pytest.mark.parametrize(
    "title",
    [
        "darul hadis latifiah open day",
        "DARUL HADIS LATIFIAH OPEN DAY",
        "Dārul Hadīs Laṭīfiah open day",
        "News: Darul-Hadis-Latifiah's open day",
        "Darul   Hadis\nLatifiah open day",
    ],
)
def test_alias_is_case_accent_and_punctuation_insensitive(matcher, title):
    match = matcher.match(title, "")
    assert match is not None
    assert match.aliases == ("Darul Hadis Latifiah",)
    assert match.fields == ("title",)


def test_accented_alias_in_profile_matches_plain_and_accented_text():
    m = Matcher(["Dārul Ḥadīth Laṭīfiyah"])
    assert m.match("DĀRUL HADĪTH LAṬĪFIYAH wins award") is not None
    assert m.match("darul hadith latifiyah wins award") is not None
    assert m.match("darul hadith latifiah wins award") is None  # a different spelling


@pytest.mark.parametrize(
    "text",
    [
        "ADHLER school in Tower Hamlets",  # DHL inside a word
        "Latifiahville school, Whitechapel",  # weak alias as a prefix
        "the DarulHadisLatifiah school",  # run together: no word boundary
        "Darul Hadis Latifiahs",  # alias followed by more letters
    ],
)
def test_hits_only_on_word_boundaries(matcher, text):
    assert matcher.match("", text) is None


def test_weak_alias_alone_is_not_a_mention(matcher):
    assert matcher.match("DHL opens new office", "Big news for DHL staff.") is None
    assert matcher.match("Latifiah wins the lottery", "") is None


@pytest.mark.parametrize(
    ("title", "text", "location", "context"),
    [
        (
            "DHL parents' evening",
            "At the school on Cannon Street Road.",
            "Cannon Street Road",
            "school",
        ),
        ("Latifiah in Whitechapel", "A new mural went up.", "Whitechapel", None),
        ("Latifiah results", "Every pupil passed.", None, "pupil"),
        ("DHL E1", "", "E1", None),  # adjacent terms share the space between them
    ],
)
def test_weak_alias_counts_with_a_location_hint_or_context_word(
    matcher, title, text, location, context
):
    match = matcher.match(title, text)
    assert match is not None
    assert match.aliases == ()
    assert len(match.weak_aliases) == 1
    assert match.locations == ((location,) if location else ())
    assert match.context == ((context,) if context else ())


def test_location_hint_is_a_whole_word(matcher):
    # "E14" is not "E1": with no other hint or context word, a weak hit stays unmatched.
    assert matcher.match("DHL depot opens in E14", "") is None


def test_exclusion_vetoes_a_weak_only_match(matcher):
    assert matcher.match("DHL courier van crash in Tower Hamlets", "") is None
    assert matcher.match("Delayed DHL Express parcel", "Whitechapel residents wait.") is None
    # the same weak hit with the hint but without the exclusion is a mention
    assert matcher.match("DHL van crash in Tower Hamlets", "") is not None


def test_exclusion_does_not_veto_a_strong_alias(matcher):
    match = matcher.match(
        "Darul Hadis Latifiah parcel appeal",
        "Send a parcel to the DHL courier collection at the school.",
    )
    assert match is not None
    assert match.aliases == ("Darul Hadis Latifiah",)
    assert match.weak_aliases == ("DHL", "Latifiah")


def test_records_terms_as_configured_and_the_fields_they_hit(matcher):
    match = matcher.match(
        "Ofsted visits DARUL HADITH LATIFIAH",
        "The school on cannon street road, Shadwell, was rated good.",
    )
    assert match is not None
    assert match.aliases == ("Darul Hadith Latifiah",)
    assert match.locations == ("Cannon Street Road", "Shadwell")
    assert match.context == ("school",)
    assert match.fields == ("title", "text")
    # terms: the configured spellings of aliases, weak aliases and locations (not context)
    # ("Latifiah", weak, sits inside the alias and is recorded too)
    assert match.terms == ["Darul Hadith Latifiah", "Latifiah", "Cannon Street Road", "Shadwell"]


def test_fields_record_where_the_alias_was(matcher):
    match = matcher.match("Weekend round-up", "Latifiah school wins the borough quiz")
    assert match is not None
    assert match.fields == ("text",)
    assert "Latifiah school" in match.aliases
    # "Latifiah" (weak) is also inside the strong alias and is recorded as well
    assert match.weak_aliases == ("Latifiah",)


def test_weak_alias_in_title_and_hint_in_text(matcher):
    match = matcher.match("Latifiah fundraiser", "Held in Tower Hamlets on Saturday.")
    assert match is not None
    assert match.fields == ("title", "text")
    assert match.terms == ["Latifiah", "Tower Hamlets"]


def test_empty_and_none_inputs(matcher):
    assert matcher.match("", "") is None
    assert matcher.match(None, None) is None  # type: ignore[arg-type]


def test_a_matcher_needs_an_alias():
    with pytest.raises(ValueError, match="alias"):
        Matcher([], weak_aliases=["DHL"])
    with pytest.raises(ValueError, match="alias"):
        Matcher(["  ", "!!"])  # normalises to nothing


def test_many_aliases_many_posts_is_fast():
    import time

    aliases = [f"School Number {i} Academy" for i in range(2000)] + ["Darul Hadis Latifiah"]
    m = Matcher(aliases)
    texts = [f"Post {i} about the weather in Tower Hamlets " * 20 for i in range(2000)]
    texts[1234] += " darul hadis latifiah"
    started = time.perf_counter()
    hits = [i for i, t in enumerate(texts) if m.match("", t)]
    assert hits == [1234]
    assert time.perf_counter() - started < 5
