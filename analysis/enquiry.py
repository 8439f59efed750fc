"""Pulls the facts the head / comms lead need out of a media enquiry: outlet, contact, deadline.

Pure functions, no I/O. The deadline is resolved against ``now`` (the time the post was written or
seen) in the school's timezone, so "by 5pm today" means 17:00 Europe/London on that day, and the
result is an ISO 8601 timestamp with its UTC offset. Nothing here decides *whether* a post is an
enquiry; the classifier does that and calls ``extract_enquiry`` on the ones it labels so.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

SCHOOL_TZ = ZoneInfo("Europe/London")
# A deadline that names only a day ("deadline Friday") means the end of that working day.
DEFAULT_DEADLINE_TIME = time(17, 0)

# Known outlets first: their names are irregular ("Tes", "5Pillars", "LBC") and a generic
# capitalised-words pattern would miss or mangle them. Longest names first so "BBC Radio London"
# wins over "BBC".
_KNOWN_OUTLETS = sorted(
    [
        "BBC Radio London",
        "BBC London",
        "BBC News",
        "BBC",
        "ITV News London",
        "ITV News",
        "ITV",
        "Channel 4 News",
        "Channel 4",
        "Channel 5",
        "Sky News",
        "LBC",
        "The Guardian",
        "Guardian",
        "The Observer",
        "The Times",
        "The Sunday Times",
        "The Telegraph",
        "Telegraph",
        "The Independent",
        "Independent",
        "Evening Standard",
        "London Standard",
        "Daily Mail",
        "Mail Online",
        "MailOnline",
        "The Sun",
        "Daily Mirror",
        "The Mirror",
        "Metro",
        "East London Advertiser",
        "MyLondon",
        "Tower Hamlets Recorder",
        "Schools Week",
        "Tes",
        "Financial Times",
        "The i",
        "HuffPost",
        "Middle East Eye",
        "5Pillars",
        "Reuters",
        "Press Association",
        "PA Media",
        "Al Jazeera",
        "Vice",
        "The Economist",
        "Times Radio",
        "GB News",
        "TalkTV",
        "Talk TV",
        "Radio 4",
        "Radio 5 Live",
        "5 Live",
        "Newsnight",
        "Panorama",
        "Spotlight",
        "Look North",
        "Good Morning Britain",
        "Cornishman",
        "WalesOnline",
        "KentOnline",
        "Daily Record",
        "The Scotsman",
        "Nursery World",
        "First News",
    ],
    key=len,
    reverse=True,
)
# Matched against the lower-cased text (3x faster than re.IGNORECASE); the name is canonicalised.
_OUTLET_RE = re.compile(
    r"(?<![\w@])((?:the\s+)?(?:"
    + "|".join(re.escape(o.lower()) for o in _KNOWN_OUTLETS)
    + r"))(?![\w])"
)
_ROLE = r"(?:journalist|reporter|producer|researcher|correspondent|editor|writer|journo)"
_GENERIC_OUTLET_RE = re.compile(
    _ROLE
    + r"\s+(?:at|for|with|from|on)\s+((?:the\s+)?[A-Z0-9][\w&'.-]*(?:\s+[A-Z0-9][\w&'.-]*){0,3})"
)
# Regional papers and news sites are too many to list; their mastheads are one to three
# capitalised words before a newspaper noun ("Huddersfield Examiner", "Yorkshire Evening Post",
# "Surrey Live"), or the same run together as a handle ("@PlymouthLive").
_MASTHEAD = (
    r"Times|Examiner|Post|Gazette|Live|Echo|Herald|Chronicle|Mail|Telegraph|Argus|Mercury|"
    r"Advertiser|Star|News|Journal|Standard|Courier|Observer|Express|Press|Recorder|Sentinel|"
    r"Citizen|Leader|Online|Bulletin|Messenger|Guardian|Independent"
)
# Capitalised words that make a phrase, not a paper: "Good News", "Breaking News", "Royal Mail".
_NOT_MASTHEAD = (
    r"Good|Bad|Fake|Breaking|Great|Big|Sad|Latest|Last|Royal|First|Any|No|Some|This|That|The|"
    r"My|Our|Your|Their|His|Her|Its|Local|Social|Free|School|Schools|Class|Year|Parents?|Staff|"
    r"Term|Mr|Mrs|Miss|Ms|Dr"
)
_MASTHEAD_RE = re.compile(
    rf"(?<![\w@])((?!(?:{_NOT_MASTHEAD})\s)[A-Z][a-z]+(?:\s+[A-Z][a-z]+){{0,2}}\s+(?:{_MASTHEAD}))\b"
    rf"|(?<![\w.])@((?:[A-Z][a-z]+){{1,3}}(?:{_MASTHEAD}))\b"
    # "writing for the Courier": a local paper by its one-word name
    r"|\bthe\s+(Herald|Courier|Gazette|Echo|Argus|Chronicle|Examiner|Mercury|Sentinel|Advertiser|"
    r"Recorder|Telegraph|Express)\b"
)
# "Northbrook Academy Press Office" is the school's own office, not a paper.
_OWN_NEWS = re.compile(r"Academy|School|College|Trust|Primary|Council")
_EMAIL_RE = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
_HANDLE_RE = re.compile(r"(?<![\w.@])@([A-Za-z0-9_]{2,15})\b")
_PHONE_RE = re.compile(
    r"(?<!\d)(?:\+44\s?7\d{3}|07\d{3}|\+44\s?20|020)[\s-]?\d{3,4}[\s-]?\d{3,4}(?!\d)"
)
# Placeholders left by anonymised corpora (OLID writes @USER) are nobody's contact.
_IGNORED_HANDLES = {"user", "users"}

_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_MONTHS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
_MONTH_RE = "|".join(m[:3] + r"(?:" + m[3:] + r")?" for m in _MONTHS)

_TIME_RE = re.compile(
    r"\b(?:(?P<h>\d{1,2})(?:[:.](?P<m>\d{2}))?\s*(?P<ampm>am|pm)"
    r"|(?P<h24>[01]?\d|2[0-3]):(?P<m24>[0-5]\d)"
    r"|(?P<word>noon|midday|midnight|end of (?:the )?(?:working )?day|eod|cob|close of (?:play|business)|cop))\b",
    re.IGNORECASE,
)
_DAY_RE = re.compile(
    r"\b(?P<rel>today|tonight|this (?:morning|afternoon|evening)|tomorrow(?: morning| afternoon)?)"
    r"|(?P<wd>(?:this |next )?(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?)\b"
    r"|\b(?P<d1>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mon1>" + _MONTH_RE + r")\b"
    r"|\b(?P<mon2>" + _MONTH_RE + r")\s+(?P<d2>\d{1,2})(?:st|nd|rd|th)?\b",
    re.IGNORECASE,
)
# Where a deadline is announced. Only the text just after (or just before) a trigger is read, so
# a date elsewhere in the post ("the inspection in March") is not taken for the deadline.
_TRIGGER_RE = re.compile(
    r"\b(?:deadline(?:\s+is)?|on deadline|need(?:ed)?(?: it| this| comment| a response)?(?: back)?"
    r"\s+by|by|before|no later than|until|filing|publishing|going live|story runs?)\b[\s:,-]*",
    re.IGNORECASE,
)
_WINDOW = 40
_DEADLINE_WORD = re.compile("deadline", re.IGNORECASE)
# Bounded words: an unbounded \S+ made this quadratic on long text without spaces.
_TIME_FIRST_RE = re.compile(r"(\S{1,40}(?:\s\S{1,40})?)\s+deadline\b", re.IGNORECASE)
_FILLER = r"(?:at|on|the|latest|is|a|of|:|,)"
# Filler words separated by optional spaces. Written so that each space can belong to one place
# only: "(?:\s*word\s*)*" let every space go before or after its word, and fullmatch tried all
# 2^n ways (18 ms for 15 "at "s in a 40-character window, for every trigger word of a post).
_FILLER_RE = re.compile(rf"(?:\s*{_FILLER}(?:\s*{_FILLER})*\s*)?", re.IGNORECASE)


_AFTER_PAPER = re.compile(
    r"\s*(?:here\b|asking|wants|would like|is (?:looking|asking|keen)|looking)"
)
_BEFORE_PAPER = re.compile(r"\b(?:for|at|from|with|in|to|on)\s+(?:the\s+|today'?s\s+)?$")


def extract_outlet(text: str) -> str | None:
    if m := _OUTLET_RE.search(text.lower()):
        return _canonical_outlet(m.group(1))
    if m := _GENERIC_OUTLET_RE.search(text):
        return m.group(1).strip(" .,")
    for m in _MASTHEAD_RE.finditer(text):
        name = m.group(1) or m.group(2) or m.group(3)
        # A name found only by its shape ("Bus Times", "Cubs Leader") counts where a paper is
        # named: a handle, "for the Wiltshire Times", "Surrey Live here / wants / asking".
        if not _OWN_NEWS.search(name) and (
            m.group(2)
            or _AFTER_PAPER.match(text, m.end())
            or _BEFORE_PAPER.search(text[max(0, m.start() - 14) : m.start()])
        ):
            return name
    return None


def _canonical_outlet(found: str) -> str:
    # "the Guardian" -> "The Guardian" (its own name), "the East London Advertiser" -> without.
    found = " ".join(found.split())
    bare = re.sub(r"^the\s+", "", found, flags=re.IGNORECASE)
    for candidate in (found, bare):
        for name in _KNOWN_OUTLETS:
            if name.lower() == candidate.lower():
                return name
    return bare


def extract_contacts(
    text: str, ignore_handles: set[str] | frozenset[str] = frozenset()
) -> dict[str, list[str]]:
    ignore = {h.lower().lstrip("@") for h in ignore_handles} | _IGNORED_HANDLES
    emails = list(dict.fromkeys(_EMAIL_RE.findall(text)))
    # A post that opens with "@someone" is a reply *to* that account (often the school's own),
    # so leading reply targets are not the journalist's contact.
    stripped = text.lstrip()
    reply_targets: set[str] = set()
    while m := re.match(r"@([A-Za-z0-9_]{2,15})\s*", stripped):
        reply_targets.add(m.group(1).lower())
        stripped = stripped[m.end() :]
    email_spans = [m.span() for m in _EMAIL_RE.finditer(text)]
    handles = []
    for m in _HANDLE_RE.finditer(text):
        if any(a <= m.start() < b for a, b in email_spans):
            continue
        name = m.group(1)
        if name.lower() in ignore or name.lower() in reply_targets:
            continue
        handles.append("@" + name)
    phones = [" ".join(p.split()) for p in _PHONE_RE.findall(text)]
    return {
        "emails": emails,
        "handles": list(dict.fromkeys(handles)),
        "phones": list(dict.fromkeys(phones)),
    }


def _parse_time(m: re.Match[str]) -> time:
    if m.group("word"):
        word = m.group("word").lower()
        if word in ("noon", "midday"):
            return time(12, 0)
        if word == "midnight":
            return time(23, 59)
        return DEFAULT_DEADLINE_TIME
    if m.group("h24"):
        return time(int(m.group("h24")), int(m.group("m24")))
    hour = int(m.group("h")) % 12
    if m.group("ampm").lower() == "pm":
        hour += 12
    return time(hour, int(m.group("m") or 0))


def _month_number(name: str) -> int:
    return next(i for i, m in enumerate(_MONTHS, 1) if m.startswith(name.lower()[:3]))


def _parse_day(m: re.Match[str], today: date) -> tuple[date, time | None]:
    if rel := m.group("rel"):
        rel = rel.lower()
        if rel.startswith("tomorrow"):
            return today + timedelta(days=1), (time(12, 0) if rel.endswith("morning") else None)
        if rel == "tonight" or rel == "this evening":
            return today, time(18, 0)
        if rel == "this morning":
            return today, time(12, 0)
        return today, None
    if wd := m.group("wd"):
        wd = wd.lower()
        nxt = wd.startswith("next ")
        stem = wd.split()[-1][:3]
        target = next(i for i, d in enumerate(_WEEKDAYS) if d.startswith(stem))
        ahead = (target - today.weekday()) % 7
        if nxt and ahead == 0:
            ahead = 7
        return today + timedelta(days=ahead), None
    day = int(m.group("d1") or m.group("d2"))
    month = _month_number(m.group("mon1") or m.group("mon2"))
    try:
        found = date(today.year, month, day)
    except ValueError:
        return today, None
    # "deadline 3 January" written in December means next year.
    if found < today - timedelta(days=7):
        found = date(today.year + 1, month, day)
    return found, None


def parse_deadline(
    text: str, now: datetime | None = None, tz: ZoneInfo = SCHOOL_TZ
) -> tuple[str, str] | None:
    """The first deadline announced in ``text`` as (ISO timestamp, the words it came from)."""
    if now is None:
        now = datetime.now(tz)
    elif now.tzinfo is None:
        now = now.replace(tzinfo=tz)  # a naive time is taken as the school's wall clock
    else:
        now = now.astimezone(tz)
    today = now.date()
    for trig in _TRIGGER_RE.finditer(text):
        start = trig.end()
        window = text[start : start + _WINDOW]
        # Keep to one clause: "by 5pm. The inspection on Monday" must not read Monday.
        window = re.split(r"[.!?\n;]\s|\s[-–—]\s", window, maxsplit=1)[0]
        tm = _TIME_RE.search(window)
        dm = _DAY_RE.search(window)
        # Accept a time or day only at the start of the window ("by 5pm", "deadline Friday"),
        # after filler words at most ("by the end of...", "deadline is at 3pm").
        first = min((x.start() for x in (tm, dm) if x), default=None)
        if first is None or not _FILLER_RE.fullmatch(window[:first]):
            continue
        when_time = _parse_time(tm) if tm else None
        if dm:
            day, implied = _parse_day(dm, today)
            when_time = when_time or implied or DEFAULT_DEADLINE_TIME
        else:
            day = today
            # A bare time already past when the post was written means the same time tomorrow.
            if when_time is not None and datetime.combine(today, when_time, tz) < now:
                day = today + timedelta(days=1)
        if when_time is None:
            continue
        end = start + max(x.end() for x in (tm, dm) if x)
        when = datetime.combine(day, when_time, tz)
        return when.isoformat(), text[trig.start() : end].strip()
    # "5pm deadline", "Friday deadline": the time comes first. Tried at every position of the
    # post, so only when the word is there at all (it cost ~50 us on every post).
    m = _TIME_FIRST_RE.search(text) if _DEADLINE_WORD.search(text) else None
    if m:
        frag = m.group(1)
        tm, dm = _TIME_RE.search(frag), _DAY_RE.search(frag)
        if tm or dm:
            day, implied = _parse_day(dm, today) if dm else (today, None)
            when_time = (_parse_time(tm) if tm else None) or implied or DEFAULT_DEADLINE_TIME
            return datetime.combine(day, when_time, tz).isoformat(), m.group(0).strip()
    return None


def extract_enquiry(
    title: str,
    text: str,
    now: datetime | None = None,
    tz: ZoneInfo = SCHOOL_TZ,
    ignore_handles: set[str] | frozenset[str] = frozenset(),
) -> dict[str, Any]:
    """Outlet, contact and deadline of one media enquiry; missing facts are ``None``."""
    body = f"{title}\n{text}" if title else text
    contacts = extract_contacts(body, ignore_handles)
    contact = next(iter(contacts["emails"] + contacts["handles"] + contacts["phones"]), None)
    deadline = parse_deadline(body, now=now, tz=tz)
    return {
        "outlet": extract_outlet(body),
        "contact": contact,
        **contacts,
        "deadline": deadline[0] if deadline else None,
        "deadline_text": deadline[1] if deadline else None,
    }
