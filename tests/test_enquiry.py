"""Outlet, contact and deadline extraction from media enquiries (analysis.enquiry)."""

import time
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from analysis.enquiry import extract_contacts, extract_enquiry, extract_outlet, parse_deadline

LONDON = ZoneInfo("Europe/London")
# Wednesday 12 June 2024, 10:30 in London (BST, UTC+1).
NOW = datetime(2024, 6, 12, 10, 30, tzinfo=LONDON)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Deadline 5pm today.", "2024-06-12T17:00:00+01:00"),
        ("Could you reply by 5pm today?", "2024-06-12T17:00:00+01:00"),
        ("Deadline Friday.", "2024-06-14T17:00:00+01:00"),
        ("need it by noon tomorrow please", "2024-06-13T12:00:00+01:00"),
        ("Deadline: Monday 10am.", "2024-06-17T10:00:00+01:00"),
        ("on deadline, need by 4pm", "2024-06-12T16:00:00+01:00"),
        ("by end of day Thursday", "2024-06-13T17:00:00+01:00"),
        ("5pm deadline", "2024-06-12T17:00:00+01:00"),
        ("deadline 14th June 2pm", "2024-06-14T14:00:00+01:00"),
        ("filing by 17:30 today", "2024-06-12T17:30:00+01:00"),
        # A bare time already past when the post was written means tomorrow.
        ("by 9am", "2024-06-13T09:00:00+01:00"),
    ],
)
def test_deadline_phrases(text, expected):
    found = parse_deadline(text, now=NOW)
    assert found is not None
    assert found[0] == expected


def test_deadline_uses_the_school_timezone_in_winter():
    winter = datetime(2024, 1, 10, 9, 0, tzinfo=LONDON)
    assert parse_deadline("deadline 5pm today", now=winter)[0] == "2024-01-10T17:00:00+00:00"


def test_naive_now_is_taken_as_london_time_and_utc_now_is_converted():
    assert parse_deadline("by 5pm today", now=datetime(2024, 6, 12, 10, 0))[0].endswith("+01:00")
    utc_late = datetime(2024, 6, 12, 23, 30, tzinfo=ZoneInfo("UTC"))  # already the 13th in London
    assert parse_deadline("deadline 5pm today", now=utc_late)[0] == "2024-06-13T17:00:00+01:00"


@pytest.mark.parametrize(
    "text",
    [
        "Story by @sarahj, published Monday",
        "Inspection in March found problems",
        "no deadline here",
    ],
)
def test_no_deadline(text):
    parse_deadline(text, now=NOW)


@pytest.mark.parametrize(
    ("text", "outlet"),
    [
        ("I'm a reporter at the East London Advertiser", "East London Advertiser"),
        ("Producer for BBC Radio London here", "BBC Radio London"),
        ("writing for schoolsweek... no, for Tes", "Tes"),
        ("freelance journalist for Bow Weekly News looking for parents", "Bow Weekly News"),
        ("Doing a then-and-now for the Halifax Courier, anyone got photos?", "Halifax Courier"),
        ("Comment needed for the Yorkshire Evening Post by 4pm", "Yorkshire Evening Post"),
        ("doing a story for @LeedsLive, pls dm", "LeedsLive"),
        ("GB News looking for a parent to appear tomorrow", "GB News"),
        ("Good News everyone, the fair raised £900", None),
        ("Statement from Northfield Academy Press Office", None),
        ("Breaking News: Royal Mail strike delays the exam results letters", None),
        ("Does anyone know when term starts?", None),
    ],
)
def test_outlet(text, outlet):
    assert extract_outlet(text) == outlet


def test_contacts_skip_reply_targets_and_placeholders():
    text = "@DHLatifiah @USER hi, could you email sarah.jones@bbc.co.uk or DM @sarahjreports"
    found = extract_contacts(text)
    assert found["emails"] == ["sarah.jones@bbc.co.uk"]
    assert found["handles"] == ["@sarahjreports"]


def test_extract_enquiry_all_fields():
    details = extract_enquiry(
        "Request for comment",
        "Hello, I'm a journalist at The Guardian writing about the fees increase at Darul Hadis "
        "Latifiah. Could the school respond by 5pm today? amina.k@theguardian.com",
        now=NOW,
    )
    assert details["outlet"] == "The Guardian"
    assert details["contact"] == "amina.k@theguardian.com"
    assert details["deadline"] == "2024-06-12T17:00:00+01:00"
    assert "5pm today" in details["deadline_text"]


def test_filler_words_before_a_deadline_take_linear_time():
    # Each trigger word ("by", "until", ...) reads a 40-character window; a run of filler words in
    # it made the old pattern backtrack 2^n ways (18 ms for 15, 0.55 s for 20). A hostile post
    # repeats the trigger.
    text = ("deadline " + "a " * 17 + "x 5pm. ") * 50  # filler, then a word that is not
    started = time.perf_counter()
    parse_deadline(text, now=NOW)
    assert time.perf_counter() - started < 1.0
    # Filler still allowed where it was: "by the end of the day", "deadline is at 3pm".
    assert parse_deadline("deadline: at 3pm", now=NOW) is not None
    assert parse_deadline("I need it by the end of the day", now=NOW) is not None
