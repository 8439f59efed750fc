"""The SLT weekly mention report: gather the week's numbers from the warehouse, render one HTML page.

The week is Monday 00:00 to the next Monday 00:00 in the school's time zone, converted to UTC
for the queries, so a week with a BST/GMT change is 167 or 169 hours long and still holds exactly
seven local days. A mention belongs to the week in which a run *first found* it (its first
``fetched``), the same rule as the ``v_weekly`` view, so the report and ad-hoc queries agree.

Gathering: each ``*_for_week`` function takes a read-only DuckDB connection and a ``Week`` and
returns dataclasses; ``build_report`` puts them together and applies the privacy rules:

* names from the school's protected pupil list are replaced by ``[pupil]`` in every piece of text
  taken from the warehouse *before* it is shortened (a cut could split a name past the pattern),
  and again by the template's ``finalize`` hook on every value it prints, links included;
* privacy_breach items carry no title, excerpt or link at all, only "details restricted to the
  DSL", the case number and the site.

Rendering: ``render_report`` (Jinja2, autoescape on, StrictUndefined): every value is
HTML-escaped. The page has inline CSS and inline SVG bar charts, no scripts and no network.

"0 mentions" and "source broken" never look the same: a source whose every run this week failed
(or that did not run) shows as failed in the per-source table, not as zero.
"""

from __future__ import annotations

import os
import re
import statistics
import tempfile
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import duckdb
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from mentions.errors import MentionsError
from mentions.settings import Settings, load_protected_names
from notify.messages import reason_text, role_text, safe_link, source_text

TEMPLATES = Path(__file__).resolve().parent / "templates"
LABELS = ("inappropriate", "media_enquiry", "neutral")
URGENT = ("inappropriate", "media_enquiry")
LABEL_TEXT = {
    "inappropriate": "Inappropriate",
    "media_enquiry": "Media enquiry",
    "neutral": "Neutral",
}
LABEL_COLOUR = {"inappropriate": "#c62828", "media_enquiry": "#1565c0", "neutral": "#9e9e9e"}
# Where the school is mentioned but this tool cannot look (closed platforms, logins, APIs that
# forbid it). Shown every week so "nothing found" is never read as "nothing said".
NOT_MONITORED = (
    "Instagram",
    "TikTok",
    "Facebook",
    "X/Twitter",
    "WhatsApp groups",
    "private forums",
)
PUPIL = "[pupil]"
RESTRICTED = "details restricted to the DSL"
PRIVACY_SUBREASON = "privacy_breach"
HEALTHY = ("ok", "not_modified")
EXCERPT_CHARS = 280
TOP_N = 10
CASE_LIST_MAX = 50


class ReportError(MentionsError):
    """The report cannot be made: bad week, a database without the tables it needs."""


# -- the week -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Week:
    """Monday to Sunday in the school's time zone."""

    start: date  # a Monday, school-local
    tz: ZoneInfo

    @property
    def end(self) -> date:
        """The Sunday."""
        return self.start + timedelta(days=6)

    @property
    def start_utc(self) -> datetime:
        return datetime.combine(self.start, time(0), self.tz).astimezone(UTC)

    @property
    def end_utc(self) -> datetime:
        """Exclusive: the next Monday 00:00 local."""
        return datetime.combine(self.start + timedelta(days=7), time(0), self.tz).astimezone(UTC)

    @property
    def days(self) -> list[date]:
        return [self.start + timedelta(days=i) for i in range(7)]

    @property
    def previous(self) -> Week:
        return Week(self.start - timedelta(days=7), self.tz)

    @property
    def title(self) -> str:
        a, b = self.start, self.end
        return f"Mon {a.day} {a:%b} – Sun {b.day} {b:%b %Y}"

    def local_day(self, moment: datetime) -> date:
        return moment.astimezone(self.tz).date()


def week_of(day: date, tz: ZoneInfo) -> Week:
    """The week (Monday to Sunday) that contains ``day``."""
    return Week(day - timedelta(days=day.weekday()), tz)


def last_complete_week(now: datetime, tz: ZoneInfo) -> Week:
    """The most recent week that has ended by ``now`` (school time)."""
    return week_of(now.astimezone(tz).date(), tz).previous


def parse_week(text: str, tz: ZoneInfo) -> Week:
    """``2026-11-23`` (any day of the wanted week) -> that week."""
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise ReportError(f"--week {text!r} is not a date like 2026-11-23") from None
    return week_of(day, tz)


# -- privacy ------------------------------------------------------------------------------------


class Redactor:
    """Replaces protected pupil names with ``[pupil]``, case-insensitively, as whole words, with
    any run of spaces, hyphens, underscores, dots, ``+`` or ``%20`` between the parts (so a URL
    slug ``yusuf-ahmed`` is caught as well as ``Yusuf  Ahmed``)."""

    def __init__(self, names: Iterable[str]):
        parts = []
        # Longest first: "Yusuf Ahmed" must win over "Yusuf" when both are listed.
        for name in sorted({n.strip() for n in names if n.strip()}, key=len, reverse=True):
            words = [re.escape(w) for w in name.split()]
            parts.append(r"(?:[\s_.+\-]|%20)+".join(words))
        self.pattern = (
            re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)", re.IGNORECASE)
            if parts
            else None
        )

    def __call__(self, text: str | None) -> str | None:
        if text is None or self.pattern is None:
            return text
        return self.pattern.sub(PUPIL, text)

    def finalize(self, value: Any) -> Any:
        """Jinja2 ``finalize``: every value the template prints passes through here."""
        if isinstance(value, Markup):
            return Markup(self(str(value)))  # "[pupil]" has nothing to escape
        if isinstance(value, str):
            return self(value)
        return value


def _excerpt(text: str | None, limit: int = EXCERPT_CHARS) -> str:
    flat = " ".join((text or "").split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def _site(url: str | None) -> str:
    host = (urlsplit(url or "").hostname or "").lower()
    return host.removeprefix("www.")


# -- reading ------------------------------------------------------------------------------------


def _rows(cur: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    columns = [d[0] for d in cur.description or []]
    # fetchall, never fetchone: DuckDB 2 keeps a half-read result open and blocks the connection.
    return [dict(zip(columns, row, strict=True)) for row in cur.fetchall()]


def _utc(value: datetime | None) -> datetime | None:
    return None if value is None else value.astimezone(UTC)


def mentions_for_week(con: duckdb.DuckDBPyConnection, week: Week) -> list[dict[str, Any]]:
    """The latest version of every post first found in the week, with its effective label
    (a person's correction wins), oldest first."""
    rows = _rows(
        con.execute(
            """
            WITH first_seen AS (
                SELECT post_key, min(fetched) AS first_fetched FROM posts GROUP BY post_key
            )
            SELECT v.post_key, v.post_id, v.source, v.source_name, v.url, v.title, v.text,
                   v.author, v.label, v.subreason, v.corrected, f.first_fetched
            FROM v_mentions v JOIN first_seen f USING (post_key)
            WHERE f.first_fetched >= ? AND f.first_fetched < ?
            ORDER BY f.first_fetched, v.post_key
            """,
            [week.start_utc, week.end_utc],
        )
    )
    for row in rows:
        row["first_fetched"] = _utc(row["first_fetched"])
    return rows


@dataclass
class MentionCounts:
    total: int = 0
    by_label: dict[str, int] = field(default_factory=dict)
    by_subreason: dict[str, int] = field(default_factory=dict)  # inappropriate items only
    by_source: dict[str, int] = field(default_factory=dict)
    by_day: dict[date, dict[str, int]] = field(default_factory=dict)  # local day -> label -> n


def count_mentions(rows: Sequence[Mapping[str, Any]], week: Week) -> MentionCounts:
    counts = MentionCounts(total=len(rows))
    labels: Counter[str] = Counter()
    subs: Counter[str] = Counter()
    sources: Counter[str] = Counter()
    days: dict[date, Counter[str]] = {d: Counter() for d in week.days}
    for row in rows:
        label = row["label"] or "unlabelled"
        labels[label] += 1
        if label == "inappropriate":
            subs[row["subreason"] or "unspecified"] += 1
        sources[row["source_name"]] += 1
        days[week.local_day(row["first_fetched"])][label] += 1
    counts.by_label = {lab: labels.get(lab, 0) for lab in LABELS} | {
        k: v for k, v in labels.items() if k not in LABELS
    }
    counts.by_subreason = dict(subs.most_common())
    counts.by_source = dict(sources.most_common())
    counts.by_day = {d: dict(c) for d, c in days.items()}
    return counts


def cases_for_keys(
    con: duckdb.DuckDBPyConnection, post_keys: Sequence[str]
) -> dict[tuple[str, str], dict[str, Any]]:
    """The newest case of each (post_key, label)."""
    if not post_keys:
        return {}
    rows = _rows(
        con.execute(
            "SELECT case_id, post_key, label, subreason, status, due, acknowledged_at, "
            "resolved_at, escalated_at, about_pupils, role, assignee FROM cases "
            "WHERE list_contains(?, post_key) ORDER BY case_id",
            [list(post_keys)],
        )
    )
    return {(r["post_key"], r["label"]): r for r in rows}


@dataclass
class Item:
    """One inappropriate item or media enquiry, as the SLT sees it."""

    label: str
    subreason: str | None
    title: str
    excerpt: str
    url: str | None
    site: str
    source: str
    author: str | None
    found: str  # local time
    case_id: int | None
    status: str  # open, acknowledged, resolved, no case
    overdue: bool
    due: str | None
    restricted: bool  # about pupils' privacy: no title, excerpt or link
    corrected: bool


def _local(moment: datetime | None, tz: ZoneInfo) -> str | None:
    if moment is None:
        return None
    local = moment.astimezone(tz)
    return f"{local:%a} {local.day} {local:%b %H:%M}"


def attention_items(
    con: duckdb.DuckDBPyConnection,
    week: Week,
    rows: Sequence[Mapping[str, Any]],
    redact: Redactor,
    now: datetime,
) -> list[Item]:
    """Inappropriate items and media enquiries found in the week, with their case's status."""
    urgent = [r for r in rows if r["label"] in URGENT]
    cases = cases_for_keys(con, sorted({r["post_key"] for r in urgent}))
    items = []
    for row in urgent:
        case = cases.get((row["post_key"], row["label"]))
        subreason = (case or {}).get("subreason") or row["subreason"]
        restricted = PRIVACY_SUBREASON in (subreason, row["subreason"])
        status = case["status"] if case else "no case"
        due = _utc(case["due"]) if case else None
        acked = case is not None and case["acknowledged_at"] is not None
        items.append(
            Item(
                label=row["label"],
                subreason=subreason,
                title=RESTRICTED if restricted else _excerpt(redact(row["title"]) or "", 160),
                excerpt="" if restricted else _excerpt(redact(row["text"])),
                url=None if restricted else redact(safe_link(row["url"])) or None,
                site=_site(row["url"]),
                source=row["source_name"],
                author=None if restricted else redact(row["author"]),
                found=_local(row["first_fetched"], week.tz) or "",
                case_id=int(case["case_id"]) if case else None,
                status=status,
                overdue=bool(due and not acked and due < now),
                due=_local(due, week.tz),
                restricted=restricted,
                corrected=bool(row["corrected"]),
            )
        )
    # Inappropriate first, then media enquiries; oldest first within each.
    items.sort(key=lambda i: (URGENT.index(i.label), i.case_id or 0))
    return items


@dataclass
class OpenCase:
    case_id: int
    label: str
    subreason: str | None
    role: str
    status: str  # as at the end of the week: open or acknowledged
    overdue: bool
    due: str
    title: str
    url: str | None
    restricted: bool


@dataclass
class CaseSummary:
    as_of: str
    open_by_label: dict[str, int]
    overdue_by_label: dict[str, int]
    escalated_in_week: int
    urgent: list[OpenCase]  # not neutral, most urgent first, at most CASE_LIST_MAX
    more: int


def cases_at_end_of_week(
    con: duckdb.DuckDBPyConnection, week: Week, redact: Redactor, now: datetime
) -> CaseSummary:
    """Cases still unresolved at the end of the week (or now, for the week in progress), and
    those of them past due without an acknowledgement."""
    as_of = min(week.end_utc, now)
    rows = _rows(
        con.execute(
            """
            SELECT k.case_id, k.label, k.subreason, k.role, k.due, k.acknowledged_at,
                   k.escalated_at, p.title, p.url
            FROM cases k LEFT JOIN posts p USING (post_id)
            WHERE k.created < ? AND (k.resolved_at IS NULL OR k.resolved_at >= ?)
            ORDER BY k.due, k.case_id
            """,
            [as_of, as_of],
        )
    )
    open_by: Counter[str] = Counter()
    overdue_by: Counter[str] = Counter()
    urgent: list[OpenCase] = []
    for r in rows:
        acked = r["acknowledged_at"] is not None and _utc(r["acknowledged_at"]) < as_of
        overdue = not acked and _utc(r["due"]) < as_of
        open_by[r["label"]] += 1
        overdue_by[r["label"]] += overdue
        if r["label"] == "neutral":
            continue
        restricted = r["subreason"] == PRIVACY_SUBREASON
        urgent.append(
            OpenCase(
                case_id=int(r["case_id"]),
                label=r["label"],
                subreason=r["subreason"],
                role=r["role"],
                status="acknowledged" if acked else "open",
                overdue=overdue,
                due=_local(_utc(r["due"]), week.tz) or "",
                title=RESTRICTED
                if restricted
                else _excerpt(redact(r["title"]) or "(post purged)", 120),
                url=None if restricted else redact(safe_link(r["url"])) or None,
                restricted=restricted,
            )
        )
    # Overdue first: they are what the SLT must act on.
    urgent.sort(key=lambda c: (not c.overdue, c.case_id))
    escalated = con.execute(
        "SELECT count(*) FROM cases WHERE escalated_at >= ? AND escalated_at < ?",
        [week.start_utc, week.end_utc],
    ).fetchall()[0][0]
    return CaseSummary(
        # The week's end is midnight starting Monday: say "end of Sunday", not "Monday 00:00".
        as_of=f"the end of Sun {week.end.day} {week.end:%b}"
        if as_of == week.end_utc
        else _local(as_of, week.tz) or "",
        open_by_label={lab: open_by.get(lab, 0) for lab in LABELS},
        overdue_by_label={lab: overdue_by.get(lab, 0) for lab in LABELS},
        escalated_in_week=int(escalated),
        urgent=urgent[:CASE_LIST_MAX],
        more=max(len(urgent) - CASE_LIST_MAX, 0),
    )


@dataclass
class Compliance:
    """Response times of the cases that fell due in the week."""

    group: str  # "urgent" (inappropriate + media enquiries), "neutral", "all"
    due: int
    met: int  # acknowledged by the due time
    missed: int  # acknowledged late, or not at all by the end of the week
    pending: int  # due later than now (the week in progress)
    rate: float | None  # met / (met + missed)
    median_hours: float | None  # received -> acknowledged, over those acknowledged


def compliance_for_week(
    con: duckdb.DuckDBPyConnection, week: Week, now: datetime
) -> list[Compliance]:
    as_of = min(week.end_utc, now)
    rows = con.execute(
        "SELECT label, received, due, acknowledged_at FROM cases WHERE due >= ? AND due < ?",
        [week.start_utc, week.end_utc],
    ).fetchall()
    groups: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
    for row in rows:
        groups["urgent" if row[0] in URGENT else "neutral"].append(row)
        groups["all"].append(row)
    out = []
    for name in ("urgent", "neutral", "all"):
        met = missed = pending = 0
        hours = []
        for _, received, due, acked in groups.get(name, []):
            received, due, acked = _utc(received), _utc(due), _utc(acked)
            if acked is not None:
                hours.append((acked - received).total_seconds() / 3600)
                if acked <= due:
                    met += 1
                else:
                    missed += 1
            elif due <= as_of:
                missed += 1
            else:
                pending += 1
        decided = met + missed
        out.append(
            Compliance(
                group=name,
                due=len(groups.get(name, [])),
                met=met,
                missed=missed,
                pending=pending,
                rate=met / decided if decided else None,
                median_hours=statistics.median(hours) if hours else None,
            )
        )
    return out


@dataclass
class SourceHealth:
    source: str
    kind: str
    runs: int
    ok: int  # ok or not_modified
    degraded: int
    failed: int
    skipped: int
    state: str  # ok, degraded, failed (every run failed), not run (none this week)
    last_status: str | None
    last_error: str | None
    last_error_at: str | None
    items_seen: int
    new_posts: int


def source_health_for_week(
    con: duckdb.DuckDBPyConnection, week: Week, redact: Redactor
) -> list[SourceHealth]:
    """Every source that has ever run, with this week's runs (a source that did not run at all
    this week is listed as "not run": silence from a broken schedule is not zero mentions)."""
    rows = _rows(
        con.execute(
            """
            SELECT s.source, s.kind, s.status, s.error, s.items_seen, s.new_posts,
                   r.started
            FROM source_runs s JOIN runs r USING (run_id)
            WHERE r.started >= ? AND r.started < ?
            ORDER BY s.source, r.started
            """,
            [week.start_utc, week.end_utc],
        )
    )
    known = con.execute(
        "SELECT source, any_value(kind) FROM source_runs s JOIN runs r USING (run_id) "
        "WHERE r.started < ? GROUP BY source",
        [week.end_utc],
    ).fetchall()
    by_source: dict[str, list[dict[str, Any]]] = {s: [] for s, _ in known}
    kinds = dict(known)
    for row in rows:
        by_source.setdefault(row["source"], []).append(row)
        kinds[row["source"]] = row["kind"]
    out = []
    for source, runs in by_source.items():
        status = Counter(r["status"] for r in runs)
        ok = status["ok"] + status["not_modified"]
        errors = [r for r in runs if r["error"]]
        if not runs:
            state = "not run"
        elif status["failed"] == len(runs):
            state = "failed"
        elif status["failed"] or status["degraded"]:
            state = "degraded"
        elif status["skipped"] == len(runs):
            state = "skipped"
        else:
            state = "ok"
        out.append(
            SourceHealth(
                source=source,
                kind=kinds.get(source) or "",
                runs=len(runs),
                ok=ok,
                degraded=status["degraded"],
                failed=status["failed"],
                skipped=status["skipped"],
                state=state,
                last_status=runs[-1]["status"] if runs else None,
                last_error=_excerpt(redact(errors[-1]["error"]), 240) if errors else None,
                last_error_at=_local(_utc(errors[-1]["started"]), week.tz) if errors else None,
                items_seen=sum(r["items_seen"] for r in runs),
                new_posts=sum(r["new_posts"] for r in runs),
            )
        )
    order = {"failed": 0, "not run": 1, "degraded": 2, "skipped": 3, "ok": 4}
    out.sort(key=lambda h: (order[h.state], h.source))
    return out


def runs_for_week(con: duckdb.DuckDBPyConnection, week: Week) -> dict[str, dict[str, int]]:
    """flow -> status -> number of runs started in the week."""
    rows = con.execute(
        "SELECT flow, status, count(*) FROM runs WHERE started >= ? AND started < ? "
        "GROUP BY ALL ORDER BY ALL",
        [week.start_utc, week.end_utc],
    ).fetchall()
    out: dict[str, dict[str, int]] = defaultdict(dict)
    for flow, status, n in rows:
        out[flow][status] = int(n)
    return dict(out)


# -- the report ---------------------------------------------------------------------------------


@dataclass
class SourceRow:
    source: str
    mentions: int
    previous: int
    change: str
    state: str  # from source health; "failed"/"not run" replace a misleading 0


@dataclass
class LabelRow:
    key: str
    text: str
    count: int
    previous: int
    change: str
    colour: str


@dataclass
class WeeklyReport:
    school: str
    week: Week
    generated: str
    timezone: str
    complete: bool  # False: the week is still in progress
    counts: MentionCounts
    previous: MentionCounts
    labels: list[LabelRow]
    subreasons: list[LabelRow]
    sources: list[SourceRow]
    items: list[Item]
    cases: CaseSummary
    compliance: list[Compliance]
    health: list[SourceHealth]
    runs: dict[str, dict[str, int]]
    monitored: list[str]
    not_monitored: tuple[str, ...]
    top_authors: list[tuple[str, int]]
    top_sites: list[tuple[str, int]]
    warnings: list[str]
    day_chart: dict[str, Any]
    label_chart: dict[str, Any]
    redacted_names: int  # how many names are on the protected list (never the names)

    @property
    def total_change(self) -> str:
        return change(self.counts.total, self.previous.total)


def change(now: int, before: int) -> str:
    """``+3 (+50%)``, ``-2``, ``no change``, ``new``."""
    diff = now - before
    if diff == 0:
        return "no change"
    sign = "+" if diff > 0 else "−"
    pct = f" ({sign}{abs(diff) / before:.0%})" if before else ""
    return f"{sign}{abs(diff)}{pct}"


def coverage_from_settings(settings: Settings) -> list[str]:
    """What the school profile asks to be watched, in words."""
    src = settings.sources
    out = []
    if src.rss.enabled:
        searches = len(src.rss.search_templates) * len(settings.school.aliases)
        out.append(
            f"News and alerts feeds (RSS/Atom): {len(src.rss.feeds)} feed(s), "
            f"{searches} news search(es)"
        )
    if src.reddit.enabled:
        subs = ", ".join(f"r/{s}" for s in src.reddit.subreddits)
        out.append(f"Reddit: {subs}" + (" and all of Reddit" if src.reddit.search_all else ""))
    if src.web.enabled and src.web.sites:
        sites = ", ".join(s.name for s in src.web.sites if s.enabled)
        out.append(f"Web pages: {sites}")
    return out


def _day_chart(counts: MentionCounts, week: Week) -> dict[str, Any]:
    """Geometry of a stacked bar per local day (SVG user units); the template draws it."""
    width, height, top, bottom, left = 560, 190, 18, 34, 30
    slot = (width - left) / 7
    peak = max([sum(v.values()) for v in counts.by_day.values()] + [1])
    scale = (height - top - bottom) / peak
    bars = []
    for i, day in enumerate(week.days):
        x = left + i * slot + slot * 0.2
        y = height - bottom
        segments = []
        for label in reversed(LABELS):  # neutral at the bottom, inappropriate on top
            n = counts.by_day.get(day, {}).get(label, 0)
            if n:
                h = n * scale
                y -= h
                segments.append(
                    {
                        "x": round(x, 1),
                        "y": round(y, 1),
                        "w": round(slot * 0.6, 1),
                        "h": round(h, 1),
                        "colour": LABEL_COLOUR[label],
                        "title": f"{day:%a %d %b}: {n} {LABEL_TEXT[label].lower()}",
                    }
                )
        total = sum(counts.by_day.get(day, {}).values())
        bars.append(
            {
                "segments": segments,
                "label": f"{day:%a} {day.day}",
                "label_x": round(x + slot * 0.3, 1),
                "total": total,
                "total_y": round(y - 4, 1),
            }
        )
    return {"width": width, "height": height, "base_y": height - bottom, "left": left, "bars": bars}


def _label_chart(rows: Sequence[LabelRow]) -> dict[str, Any]:
    """Horizontal bars, this week, with a tick at last week's value."""
    # ``right`` leaves room for "15 (week before: 0)" after the longest bar.
    width, row_h, left, right = 560, 26, 130, 150
    peak = max([r.count for r in rows] + [r.previous for r in rows] + [1])
    scale = (width - left - right) / peak
    bars = []
    for i, r in enumerate(rows):
        y = 6 + i * row_h
        bars.append(
            {
                "y": y,
                "w": round(r.count * scale, 1),
                "colour": r.colour,
                "text": r.text,
                "count": r.count,
                "prev_x": round(left + r.previous * scale, 1),
                "previous": r.previous,
            }
        )
    return {"width": width, "height": 12 + len(rows) * row_h, "left": left, "bars": bars}


def build_report(
    con: duckdb.DuckDBPyConnection,
    settings: Settings,
    week: Week,
    *,
    now: datetime,
    protected_names: Iterable[str] = (),
) -> WeeklyReport:
    """Everything the page shows, redacted and restricted, as plain data."""
    names = frozenset(protected_names)
    redact = Redactor(names)
    try:
        rows = mentions_for_week(con, week)
        prev_rows = mentions_for_week(con, week.previous)
        counts = count_mentions(rows, week)
        previous = count_mentions(prev_rows, week.previous)
        items = attention_items(con, week, rows, redact, now)
        cases = cases_at_end_of_week(con, week, redact, now)
        compliance = compliance_for_week(con, week, now)
        health = source_health_for_week(con, week, redact)
        runs = runs_for_week(con, week)
    except duckdb.CatalogException as exc:
        raise ReportError(
            f"the database is missing tables or views the report needs ({exc}); run "
            "`mentions run` once with this version to migrate it"
        ) from None

    labels = [
        LabelRow(
            lab,
            LABEL_TEXT[lab],
            counts.by_label.get(lab, 0),
            previous.by_label.get(lab, 0),
            change(counts.by_label.get(lab, 0), previous.by_label.get(lab, 0)),
            LABEL_COLOUR[lab],
        )
        for lab in LABELS
    ]
    subreasons = [
        LabelRow(
            sub,
            sub.replace("_", " "),
            counts.by_subreason.get(sub, 0),
            previous.by_subreason.get(sub, 0),
            change(counts.by_subreason.get(sub, 0), previous.by_subreason.get(sub, 0)),
            LABEL_COLOUR["inappropriate"],
        )
        for sub in sorted({*counts.by_subreason, *previous.by_subreason})
    ]
    state = {h.source: h.state for h in health}
    source_names = sorted(
        {*counts.by_source, *previous.by_source, *(h.source for h in health)},
        key=lambda s: (-counts.by_source.get(s, 0), s),
    )
    sources = [
        SourceRow(
            s,
            counts.by_source.get(s, 0),
            previous.by_source.get(s, 0),
            change(counts.by_source.get(s, 0), previous.by_source.get(s, 0)),
            state.get(s, "ok"),
        )
        for s in source_names
    ]
    # Not the authors of privacy breaches: the account can itself identify a pupil.
    authors = Counter(
        redact(r["author"]) for r in rows if r["author"] and r["subreason"] != PRIVACY_SUBREASON
    )
    sites = Counter(_site(r["url"]) for r in rows if _site(r["url"]))

    complete = week.end_utc <= now
    warnings = []
    if not complete:
        warnings.append(
            f"This week is still in progress: figures up to {_local(now, week.tz)}, not final."
        )
    if not any(runs.values()):
        warnings.append(
            "No runs were recorded this week: the mention counts below are not evidence that "
            "nothing was said. Check the schedule (`mentions serve`) and the run log."
        )
    failed = [h.source for h in health if h.state in ("failed", "not run")]
    if failed:
        warnings.append(
            f"{len(failed)} source(s) failed or did not run all week: no mentions from them "
            "means they were not read, not that nothing was said: " + ", ".join(failed)
        )
    overdue = sum(v for k, v in cases.overdue_by_label.items() if k in URGENT)
    if overdue:
        warnings.append(f"{overdue} urgent case(s) were past due without an acknowledgement.")

    return WeeklyReport(
        school=settings.school.name,
        week=week,
        generated=_local(now, week.tz) or "",
        timezone=settings.school.timezone,
        complete=complete,
        counts=counts,
        previous=previous,
        labels=labels,
        subreasons=subreasons,
        sources=sources,
        items=items,
        cases=cases,
        compliance=compliance,
        health=health,
        runs=runs,
        monitored=coverage_from_settings(settings),
        not_monitored=NOT_MONITORED,
        top_authors=[(a, n) for a, n in authors.most_common(TOP_N) if a],
        top_sites=sites.most_common(TOP_N),
        warnings=warnings,
        day_chart=_day_chart(counts, week),
        label_chart=_label_chart(labels),
        redacted_names=len(names),
    )


# -- rendering ----------------------------------------------------------------------------------


def _environment(redact: Redactor) -> Environment:
    return Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        # Every value escaped, whatever the file name; finalize redacts every printed value.
        autoescape=True,
        undefined=StrictUndefined,
        finalize=redact.finalize,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _percent(value: float | None) -> str:
    return "–" if value is None else f"{value:.0%}"


def _hours(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value * 60:.0f} min" if value < 1 else f"{value:.1f} h"


def render_report(report: WeeklyReport, protected_names: Iterable[str] = ()) -> str:
    """The self-contained HTML page."""
    env = _environment(Redactor(protected_names))
    env.filters["percent"] = _percent
    env.filters["hours"] = _hours
    env.filters.update(role_text=role_text, reason_text=reason_text, source_text=source_text)
    return env.get_template("weekly.html.j2").render(
        r=report,
        label_text=LABEL_TEXT,
        label_colour=LABEL_COLOUR,
        restricted=RESTRICTED,
    )


def summary(report: WeeklyReport) -> dict[str, Any]:
    """Numbers only (no titles, names or links): safe for an artifact, an email subject, logs."""
    urgent = next(c for c in report.compliance if c.group == "urgent")
    return {
        "week_start": report.week.start.isoformat(),
        "week": report.week.title,
        "complete": report.complete,
        "mentions": report.counts.total,
        "previous_week": report.previous.total,
        "change": report.total_change,
        "by_label": {r.key: r.count for r in report.labels},
        "needing_attention": len(report.items),
        "open_cases": sum(report.cases.open_by_label.values()),
        "overdue_urgent_cases": sum(
            v for k, v in report.cases.overdue_by_label.items() if k in URGENT
        ),
        "urgent_acknowledged_in_time": _percent(urgent.rate),
        "sources_failed": [h.source for h in report.health if h.state in ("failed", "not run")],
        "sources_degraded": [h.source for h in report.health if h.state == "degraded"],
    }


def summary_markdown(report: WeeklyReport, path: Path | str) -> str:
    """A short Markdown summary for the Prefect artifact: numbers and source names only."""
    s = summary(report)
    labels = ", ".join(f"{LABEL_TEXT[k].lower()} {v}" for k, v in s["by_label"].items())
    lines = [
        f"# Weekly mention report: {s['week']}",
        "",
        "| | |",
        "|---|---|",
        f"| Mentions found | {s['mentions']} ({s['change']} on the week before) |",
        f"| By label | {labels} |",
        f"| Needing attention | {s['needing_attention']} |",
        f"| Open cases at the end of the week | {s['open_cases']} |",
        f"| Urgent cases overdue | {s['overdue_urgent_cases']} |",
        f"| Urgent cases acknowledged in time | {s['urgent_acknowledged_in_time']} |",
        f"| Sources failed / not run | {len(s['sources_failed'])} |",
        f"| Sources degraded | {len(s['sources_degraded'])} |",
        "",
        f"Report file: `{path}`",
    ]
    if not s["complete"]:
        lines.insert(1, "\n*The week is still in progress: figures are not final.*")
    return "\n".join(lines) + "\n"


@dataclass
class ReportResult:
    path: Path
    report: WeeklyReport
    summary: dict[str, Any]
    html: str


def write_report(
    settings: Settings,
    out_dir: Path | str,
    *,
    week: Week | None = None,
    now: datetime | None = None,
    protected_names: Iterable[str] | None = None,
) -> ReportResult:
    """Read the warehouse (read-only, briefly), render, and write ``weekly-YYYY-MM-DD.html``
    (the Monday) into ``out_dir``. Default week: the last complete one."""
    from warehouse import connect_read_only

    now = now or datetime.now(UTC)
    tz = settings.school.tz
    week = week or last_complete_week(now, tz)
    names = (
        load_protected_names(settings) if protected_names is None else frozenset(protected_names)
    )
    with connect_read_only(settings.database.path, settings.database.lock_timeout_seconds) as con:
        report = build_report(con, settings, week, now=now, protected_names=names)
    html = render_report(report, names)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"weekly-{week.start.isoformat()}.html"
    # Write then rename: a reader (or the email step) never sees half a page.
    fd, tmp = tempfile.mkstemp(dir=out, prefix=".weekly-", suffix=".html")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(html)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return ReportResult(path=path, report=report, summary=summary(report), html=html)
