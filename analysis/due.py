"""When a mention must be answered: the school's 24-hour promise over working days. Pure, no I/O.

The policy (design.md, "Routing and responding"): every comment or query gets a response within
24 hours, or on the next working day when it arrives at a weekend. We also treat England-and-Wales
bank holidays (the ``holidays`` package, GB subdivision "ENG", substitute days included) and the
school's closure days as non-working.

Decisions written down here because the policy leaves them open:

* "Received" is the moment the school could first know: the time the post was fetched (first seen
  by a run), not its published time; a week-old article found tonight is due 24 h from tonight.
* Every date test is done on the *local* date in the school's time zone (Europe/London): a post
  fetched at 23:30 UTC on a Friday in summer arrived at 00:30 BST on Saturday, a weekend.
* Arrived on a working day: due = received + ``sla_hours`` of elapsed time (a real 24 hours, so
  across a clock change the wall-clock time moves by an hour). When that lands on a weekend,
  holiday or closure day it stays there: the policy only moves *arrivals* at a weekend, and the
  accounts are watched 7 days a week. (Arrivals on a working day before the working-day start also
  just get 24 hours.)
* Arrived on a non-working day: due = the start (``working_day_start``, local time) of the next
  working day, converted to UTC on that day, so BST/GMT is whatever applies then.
* A media enquiry whose journalist gave an earlier deadline is due at the deadline. A deadline
  before the arrival (a misread date, or the item was found late) is clamped to the arrival: it is
  due at once, never in the past of the case.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

LONDON = ZoneInfo("Europe/London")


@lru_cache(maxsize=64)
def _bank_holidays(subdiv: str, year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("GB", subdiv=subdiv, years=year))


def is_working_day(
    day: date, closure_days: Iterable[date] = (), bank_holidays: str | None = "ENG"
) -> bool:
    """Monday to Friday, not a bank holiday (when ``bank_holidays`` names a subdivision), not a
    closure day."""
    if day.weekday() >= 5 or day in set(closure_days):
        return False
    return not (bank_holidays and day in _bank_holidays(bank_holidays, day.year))


def next_working_day(
    day: date, closure_days: Iterable[date] = (), bank_holidays: str | None = "ENG"
) -> date:
    """The first working day strictly after ``day``."""
    closed = frozenset(closure_days)
    candidate = day + timedelta(days=1)
    # A year has at most ~120 non-working days; a longer run means a broken closure list.
    for _ in range(400):
        if is_working_day(candidate, closed, bank_holidays):
            return candidate
        candidate += timedelta(days=1)
    raise ValueError(f"no working day within 400 days after {day}: check closure_days")


def _aware(moment: datetime, name: str) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware, got {moment!r}")
    return moment


def due_time(
    received: datetime,
    *,
    sla_hours: float = 24.0,
    working_day_start: time = time(8, 0),
    closure_days: Iterable[date] = (),
    bank_holidays: str | None = "ENG",
    tz: ZoneInfo = LONDON,
    deadline: datetime | None = None,
) -> datetime:
    """The due time (UTC-aware) of an item received at ``received`` (timezone-aware).

    See the module docstring for the rules; ``deadline`` is a media enquiry's own deadline.
    """
    received = _aware(received, "received").astimezone(UTC)
    closed = frozenset(closure_days)
    local_day = received.astimezone(tz).date()
    if is_working_day(local_day, closed, bank_holidays):
        due = received + timedelta(hours=sla_hours)
    else:
        start_day = next_working_day(local_day, closed, bank_holidays)
        # ZoneInfo resolves the local wall time with that day's offset (GMT or BST).
        due = datetime.combine(start_day, working_day_start, tzinfo=tz).astimezone(UTC)
    if deadline is not None:
        deadline = _aware(deadline, "deadline").astimezone(UTC)
        due = min(due, max(deadline, received))
    return due


def parse_deadline(value: object, tz: ZoneInfo = LONDON) -> datetime | None:
    """A classifier's ``details["deadline"]`` (ISO 8601) as an aware datetime, else None.

    A deadline without an offset is read as school-local time; anything unreadable is ignored
    (the case keeps the 24-hour due time rather than failing the run).
    """
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=tz)


def format_local(moment: datetime, tz: ZoneInfo = LONDON) -> str:
    """``Mon 6 Jan 2025 08:00 GMT``: how due times are shown to people."""
    local = moment.astimezone(tz)
    return f"{local:%a} {local.day} {local:%b %Y %H:%M} {local.tzname()}"
