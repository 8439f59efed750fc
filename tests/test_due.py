"""Due times over weekends, bank holidays, closure days, clock changes and year ends."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from analysis.due import due_time, format_local, is_working_day, next_working_day, parse_deadline

LON = ZoneInfo("Europe/London")


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def lon(*args: int) -> datetime:
    return datetime(*args, tzinfo=LON)


CASES = [
    # (why, received, expected due (UTC), extra kwargs)
    ("weekday: +24h", lon(2025, 1, 6, 10, 0), utc(2025, 1, 7, 10, 0), {}),
    ("weekday before opening: +24h", lon(2025, 1, 6, 6, 0), utc(2025, 1, 7, 6, 0), {}),
    (
        "Friday: +24h lands on Saturday and stays",
        lon(2025, 1, 10, 15, 0),
        utc(2025, 1, 11, 15, 0),
        {},
    ),
    ("Saturday: Monday 08:00", lon(2025, 1, 11, 9, 0), utc(2025, 1, 13, 8, 0), {}),
    ("Sunday late: Monday 08:00", lon(2025, 1, 12, 23, 59), utc(2025, 1, 13, 8, 0), {}),
    # Summer: 23:30 UTC Friday is 00:30 BST Saturday, a weekend arrival.
    ("BST: Friday UTC is Saturday local", utc(2025, 6, 13, 23, 30), utc(2025, 6, 16, 7, 0), {}),
    (
        "BST: Friday 23:59 local is a weekday",
        utc(2025, 6, 13, 22, 59),
        utc(2025, 6, 14, 22, 59),
        {},
    ),
    # Clock changes: last Sunday of March (to BST) and of October (to GMT).
    (
        "March change: Saturday GMT -> Monday BST",
        lon(2025, 3, 29, 12, 0),
        utc(2025, 3, 31, 7, 0),
        {},
    ),
    ("March change: Sunday 00:30 GMT", utc(2025, 3, 30, 0, 30), utc(2025, 3, 31, 7, 0), {}),
    ("March change: Sunday after the jump", utc(2025, 3, 30, 1, 30), utc(2025, 3, 31, 7, 0), {}),
    (
        "October change: Saturday BST -> Monday GMT",
        lon(2025, 10, 25, 12, 0),
        utc(2025, 10, 27, 8, 0),
        {},
    ),
    ("October change: the repeated hour", utc(2025, 10, 26, 1, 30), utc(2025, 10, 27, 8, 0), {}),
    # Christmas 2021: 25/26 on a weekend, substitute days Mon 27 and Tue 28.
    (
        "Christmas Eve (working): +24h onto Christmas",
        lon(2021, 12, 24, 12, 0),
        utc(2021, 12, 25, 12, 0),
        {},
    ),
    (
        "Christmas Day: past both substitute days",
        lon(2021, 12, 25, 10, 0),
        utc(2021, 12, 29, 8, 0),
        {},
    ),
    ("substitute Boxing Day", lon(2021, 12, 28, 9, 0), utc(2021, 12, 29, 8, 0), {}),
    # Year end: New Year's Day 2022 on a Saturday, substitute Monday 3 January.
    ("31 December: +24h into the new year", lon(2021, 12, 31, 16, 0), utc(2022, 1, 1, 16, 0), {}),
    ("New Year's Day: Tuesday 4 January", lon(2022, 1, 1, 10, 0), utc(2022, 1, 4, 8, 0), {}),
    ("Christmas 2027 on Saturday", lon(2027, 12, 26, 10, 0), utc(2027, 12, 29, 8, 0), {}),
    # Easter 2025: Good Friday 18 April, Easter Monday 21 April (BST).
    (
        "Good Friday: Tuesday after Easter Monday",
        lon(2025, 4, 18, 10, 0),
        utc(2025, 4, 22, 7, 0),
        {},
    ),
    ("Easter Monday", lon(2025, 4, 21, 10, 0), utc(2025, 4, 22, 7, 0), {}),
    ("Early May bank holiday", lon(2025, 5, 5, 7, 59), utc(2025, 5, 6, 7, 0), {}),
    (
        "bank holidays switched off",
        lon(2025, 4, 21, 10, 0),
        utc(2025, 4, 22, 9, 0),
        {"bank_holidays": None},
    ),
    # School calendar.
    (
        "closure day",
        lon(2025, 1, 7, 10, 0),
        utc(2025, 1, 8, 8, 0),
        {"closure_days": [date(2025, 1, 7)]},
    ),
    (
        "+24h onto a closure day stays",
        lon(2025, 1, 6, 10, 0),
        utc(2025, 1, 7, 10, 0),
        {"closure_days": [date(2025, 1, 7)]},
    ),
    (
        "closure week after a weekend",
        lon(2025, 2, 15, 10, 0),
        utc(2025, 2, 24, 8, 30),
        {
            "closure_days": [date(2025, 2, d) for d in range(17, 22)],
            "working_day_start": time(8, 30),
        },
    ),
    (
        "other start time and SLA",
        lon(2025, 1, 11, 9, 0),
        utc(2025, 1, 13, 9, 0),
        {"working_day_start": time(9, 0), "sla_hours": 48},
    ),
    ("48h SLA on a weekday", lon(2025, 1, 6, 10, 0), utc(2025, 1, 8, 10, 0), {"sla_hours": 48}),
    # Media enquiries: an earlier journalist's deadline wins.
    (
        "deadline earlier",
        lon(2025, 1, 6, 10, 0),
        utc(2025, 1, 6, 17, 0),
        {"deadline": lon(2025, 1, 6, 17, 0)},
    ),
    (
        "deadline later",
        lon(2025, 1, 6, 10, 0),
        utc(2025, 1, 7, 10, 0),
        {"deadline": lon(2025, 1, 9, 17, 0)},
    ),
    (
        "deadline on a weekend arrival",
        lon(2025, 1, 11, 9, 0),
        utc(2025, 1, 12, 12, 0),
        {"deadline": lon(2025, 1, 12, 12, 0)},
    ),
    (
        "deadline already passed: due at once",
        lon(2025, 1, 6, 10, 0),
        utc(2025, 1, 6, 10, 0),
        {"deadline": lon(2025, 1, 5, 17, 0)},
    ),
]


@pytest.mark.parametrize(
    ("why", "received", "expected", "kwargs"), CASES, ids=[c[0] for c in CASES]
)
def test_due_time(why: str, received: datetime, expected: datetime, kwargs: dict) -> None:
    got = due_time(received, **kwargs)
    assert got == expected, f"{why}: {got.astimezone(LON)} != {expected.astimezone(LON)}"
    assert got.tzinfo is UTC


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2025, 1, 6), True),  # Monday
        (date(2025, 1, 11), False),  # Saturday
        (date(2025, 12, 25), False),
        (date(2025, 12, 26), False),
        (date(2026, 12, 28), False),  # Boxing Day 2026 is a Saturday: substitute Monday 28
        (date(2026, 12, 24), True),
        (date(2025, 8, 25), False),  # summer bank holiday
        (date(2025, 8, 26), True),
        (date(2022, 9, 19), False),  # one-off: the Queen's state funeral
    ],
)
def test_is_working_day(day: date, working: bool) -> None:
    assert is_working_day(day) is working


def test_next_working_day_skips_everything() -> None:
    assert next_working_day(date(2025, 12, 24)) == date(2025, 12, 29)
    closed = [date(2025, 12, 29), date(2025, 12, 30), date(2025, 12, 31)]
    assert next_working_day(date(2025, 12, 24), closed) == date(2026, 1, 2)


def test_naive_datetimes_are_rejected() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        due_time(datetime(2025, 1, 6, 10, 0))


def test_parse_deadline_and_format() -> None:
    assert parse_deadline("2025-01-06T17:00:00+00:00") == utc(2025, 1, 6, 17, 0)
    assert parse_deadline("2025-07-01T17:00:00") == lon(2025, 7, 1, 17, 0)  # local when no offset
    # ... local to the school's own timezone when it is not London (Paris is an hour ahead)
    paris = ZoneInfo("Europe/Paris")
    assert parse_deadline("2025-07-01T17:00:00", paris) == lon(2025, 7, 1, 16, 0)
    assert parse_deadline("by Friday") is None
    assert parse_deadline(None) is None
    assert format_local(utc(2025, 7, 1, 7, 0)) == "Tue 1 Jul 2025 08:00 BST"
    assert format_local(utc(2025, 1, 6, 8, 0)) == "Mon 6 Jan 2025 08:00 GMT"
