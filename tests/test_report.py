"""The SLT weekly report: week boundaries in school time (BST/GMT weeks included), counts and the
change on the week before, cases and response times, source health ("failed" is never shown as
zero), escaping, redaction of protected pupil names, and privacy_breach items without content.

The warehouse is a real DuckDB file filled through the real write paths: ``Warehouse`` for runs,
posts, labels and source records, ``mentions.respond.open_cases`` for cases, due times and
evidence, ``warehouse.cases.acknowledge`` for triage.
"""

from __future__ import annotations

import shutil
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import yaml
from typer.testing import CliRunner

from analysis.classify import Classification
from mentions.cli import app
from mentions.errors import ConfigError
from mentions.models import Post, SourceResult
from mentions.respond import open_cases, transaction
from mentions.settings import Settings, load_protected_names, settings_from_dict
from notify.sinks import MailSink
from reports import weekly as rw
from reports.email import email_report, recipients
from warehouse import Warehouse, connect_read_only
from warehouse import cases as wc

LONDON = ZoneInfo("Europe/London")
REPO = Path(__file__).resolve().parents[1]
WEEK = date(2026, 11, 23)  # Monday; GMT all week
AFTER_WEEK = datetime(2026, 11, 30, 7, 0, tzinfo=UTC)  # Monday morning: the report's usual time
PUPILS = ["Yusuf Ahmed", "Aisha Begum"]


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def make_settings(tmp_path: Path, *, smtp_port: int = 25, slt: bool = True) -> Settings:
    names = tmp_path / "pupils.txt"
    names.write_text("# protected pupils\n" + "\n".join(PUPILS) + "\n\n", encoding="utf-8")
    roles: dict[str, Any] = {
        "head_teacher": {"people": ["head"]},
        "comms_lead": {"people": ["comms"]},
        "slt_on_duty": {"people": ["duty"]},
        "dsl": {"people": ["dsl"]},
        "social_media_lead": {"people": ["office"]},
    }
    if slt:
        roles["slt"] = {"people": ["head", "deputy", "governor"]}
    people = {
        pid: {"name": pid.title(), "email": f"{pid}@school.test"}
        for pid in ("head", "deputy", "comms", "duty", "dsl", "office")
    } | {"governor": {"name": "Governor"}}  # no email address
    settings = settings_from_dict(
        {
            "school": {
                "name": "Darul Hadis Latifiah",
                "aliases": ["Darul Hadis Latifiah", "Latifiah school"],
            },
            "routing": {
                "roles": roles,
                "people": people,
                "smtp": {"host": "127.0.0.1", "port": smtp_port, "security": "none"},
            },
            "privacy": {"protected_names_file": str(names)},
            "sources": {"reddit": {"enabled": False}, "web": {"enabled": False}},
        }
    )
    settings.database.path = tmp_path / "m.duckdb"
    return settings


def post(key: str, title: str, text: str, fetched: datetime, **kw: Any) -> Post:
    return Post(
        source=kw.pop("source", "rss"),
        source_name=kw.pop("source_name", "rss:Local News"),
        url=kw.pop("url", f"https://news.test/{key}"),
        title=title,
        text=text,
        key=key,
        fetched=fetched,
        **kw,
    )


def label(name: str, sub: str | None = None, **details: Any) -> Classification:
    return Classification(name, sub, 0.9, f"rule for {name}", "test-1", details)  # type: ignore[arg-type]


def seed_run(
    settings: Settings,
    run_id: str,
    started: datetime,
    items: list[tuple[Post, Classification]] = (),  # type: ignore[assignment]
    sources: list[SourceResult] = (),  # type: ignore[assignment]
) -> None:
    """One run the way the pipeline writes it, then its cases the way respond opens them."""
    with Warehouse.open(settings.database.path) as wh:
        wh.start_run(run_id, "nightly")
        # start_run stamps the wall clock; the report reads history, so put the run in its week.
        wh.con.execute("UPDATE runs SET started = ? WHERE run_id = ?", [started, run_id])
        posts = [p for p, _ in items]
        wh.save_posts(run_id, posts, [["Darul Hadis Latifiah"]] * len(posts))
        wh.save_classifications(run_id, [p.post_id for p in posts], [c for _, c in items])
        for s in sources:
            s.started = s.finished = started
        new = {s.source: sum(p.source_name == s.source for p in posts) for s in sources}
        wh.record_sources(run_id, sources, new, new)
        wh.finish_run(run_id, "ok", {"run_id": run_id})
        with transaction(wh.con):
            open_cases(wh.con, settings, run_id, started + timedelta(minutes=5))


def healthy_sources(*failed: str) -> list[SourceResult]:
    out = [
        SourceResult("rss:Local News", "rss", status="ok", items_seen=20),
        SourceResult("rss:Forum", "rss", status="ok", items_seen=5),
    ]
    out += [
        SourceResult(name, "rss", status="failed", error=f"{name}: HTTP 503 <b>down</b>")
        for name in failed
    ]
    return out


@pytest.fixture(scope="module")
def world_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample weeks, built once per module; each test gets its own copy (``world``)."""
    s = make_settings(tmp_path_factory.mktemp("world"))
    # The week before: two neutral mentions on Monday 16 November.
    seed_run(
        s,
        "prev",
        utc(2026, 11, 16, 9),
        [
            (
                post("p1", "Fun run", "Latifiah school fun run", utc(2026, 11, 16, 9)),
                label("neutral"),
            ),
            (
                post("p2", "Bake sale", "Latifiah school bake", utc(2026, 11, 16, 9)),
                label("neutral"),
            ),
        ],
        healthy_sources("rss:Broken"),
    )
    seed_run(
        s,
        "mon",
        utc(2026, 11, 23, 10),
        [
            (
                post(
                    "n1",
                    "Open evening",
                    "Open evening at Darul Hadis Latifiah",
                    utc(2026, 11, 23, 10),
                    author="Tower Hamlets Gazette",
                ),
                label("neutral"),
            )
        ],
        healthy_sources("rss:Broken"),
    )
    seed_run(
        s,
        "tue",
        utc(2026, 11, 24, 10),
        [
            (
                post(
                    "bad",
                    "<script>alert('x')</script> Latifiah school staff",
                    "Everyone knows yusuf  AHMED is a liar and the teachers are idiots",
                    utc(2026, 11, 24, 10),
                    author="yusuf-ahmed-fan",
                    url="https://forum.test/t/yusuf-ahmed-latifiah",
                    source_name="rss:Forum",
                ),
                label("inappropriate", "abuse"),
            )
        ],
        healthy_sources("rss:Broken"),
    )
    seed_run(
        s,
        "wed",
        utc(2026, 11, 25, 10),
        [
            (
                post(
                    "priv",
                    "Year 8 girl at Latifiah school",
                    "She lives at 12 Cannon Street Road, her name is Aisha Begum",
                    utc(2026, 11, 25, 10),
                    url="https://forum.test/t/where-she-lives",
                    source_name="rss:Forum",
                ),
                label("inappropriate", "privacy_breach"),
            )
        ],
        healthy_sources("rss:Broken"),
    )
    seed_run(
        s,
        "thu",
        utc(2026, 11, 26, 10),
        [
            (
                post(
                    "press",
                    "#journorequest Darul Hadis Latifiah",
                    "Reporter at the Daily Test seeking comment by Friday",
                    utc(2026, 11, 26, 10),
                ),
                label("media_enquiry", outlet="Daily Test"),
            )
        ],
        healthy_sources("rss:Broken"),
    )
    # Sunday 23:30 GMT is still this week; Monday 00:10 is the next.
    seed_run(
        s,
        "sun",
        utc(2026, 11, 29, 23, 30),
        [(post("late", "Sunday", "Latifiah school", utc(2026, 11, 29, 23, 30)), label("neutral"))],
        healthy_sources("rss:Broken"),
    )
    seed_run(
        s,
        "next",
        utc(2026, 11, 30, 0, 10),
        [(post("next", "Next", "Latifiah school", utc(2026, 11, 30, 0, 10)), label("neutral"))],
        healthy_sources("rss:Broken"),
    )
    with Warehouse.open(s.database.path) as wh, transaction(wh.con):
        press = wh.con.execute("SELECT case_id FROM cases WHERE post_key = 'press'").fetchall()
        wc.acknowledge(wh.con, press[0][0], "head", utc(2026, 11, 26, 12))
    return s.database.path


@pytest.fixture
def world(world_db: Path, tmp_path: Path) -> Settings:
    s = make_settings(tmp_path)
    shutil.copyfile(world_db, s.database.path)
    return s


def build(settings: Settings, week: date = WEEK, now: datetime = AFTER_WEEK) -> rw.WeeklyReport:
    with connect_read_only(settings.database.path) as con:
        return rw.build_report(
            con,
            settings,
            rw.week_of(week, LONDON),
            now=now,
            protected_names=load_protected_names(settings),
        )


# -- weeks ----------------------------------------------------------------------------------------


def test_week_boundaries_are_school_time_including_clock_changes() -> None:
    gmt = rw.week_of(date(2026, 11, 25), LONDON)
    assert gmt.start == WEEK and gmt.end == date(2026, 11, 29)
    assert gmt.start_utc == utc(2026, 11, 23) and gmt.end_utc == utc(2026, 11, 30)
    # Clocks go back on Sunday 25 October 2026: that week starts at 23:00 UTC and lasts 169 h.
    autumn = rw.week_of(date(2026, 10, 21), LONDON)
    assert autumn.start_utc == utc(2026, 10, 18, 23) and autumn.end_utc == utc(2026, 10, 26)
    assert autumn.end_utc - autumn.start_utc == timedelta(hours=169)
    # Clocks go forward on Sunday 29 March 2026: 167 h.
    spring = rw.week_of(date(2026, 3, 29), LONDON)
    assert spring.end_utc - spring.start_utc == timedelta(hours=167)
    # "Last complete week" is decided on the local date: 00:30 BST on a Monday is still Sunday
    # in UTC, but the week that just ended is the one to report.
    assert rw.last_complete_week(utc(2026, 10, 18, 23, 30), LONDON).start == date(2026, 10, 12)
    assert rw.last_complete_week(utc(2026, 10, 18, 22, 30), LONDON).start == date(2026, 10, 5)
    assert rw.last_complete_week(AFTER_WEEK, LONDON).start == WEEK
    assert rw.parse_week("2026-11-29", LONDON).start == WEEK
    with pytest.raises(rw.ReportError, match="not a date"):
        rw.parse_week("last week", LONDON)


def test_a_clock_change_week_counts_posts_on_their_local_day(tmp_path: Path) -> None:
    s = make_settings(tmp_path)
    times = {
        "before": utc(2026, 10, 18, 22, 30),  # Sun 23:30 BST: the week before
        "mon": utc(2026, 10, 18, 23, 30),  # Mon 00:30 BST
        "sun": utc(2026, 10, 25, 23, 30),  # Sun 23:30 GMT (after the change)
        "after": utc(2026, 10, 26, 0, 0),  # Mon 00:00 GMT: the next week
    }
    items = [(post(k, k, "Latifiah school", t), label("neutral")) for k, t in times.items()]
    seed_run(s, "r", utc(2026, 10, 20), items, healthy_sources())
    r = build(s, date(2026, 10, 19), now=utc(2026, 11, 1))
    assert r.counts.total == 2 and r.previous.total == 1
    assert r.counts.by_day[date(2026, 10, 19)] == {"neutral": 1}
    assert r.counts.by_day[date(2026, 10, 25)] == {"neutral": 1}


# -- gathering ------------------------------------------------------------------------------------


def test_counts_by_category_source_and_day_with_the_change_on_last_week(world) -> None:
    r = build(world)
    assert r.complete and r.week.title == "Mon 23 Nov – Sun 29 Nov 2026"
    assert r.counts.total == 5 and r.previous.total == 2 and r.total_change == "+3 (+150%)"
    assert r.counts.by_label == {"inappropriate": 2, "media_enquiry": 1, "neutral": 2}
    assert r.counts.by_subreason == {"abuse": 1, "privacy_breach": 1}
    assert r.counts.by_source == {"rss:Local News": 3, "rss:Forum": 2}
    per_day = {d.isoformat(): sum(v.values()) for d, v in r.counts.by_day.items()}
    assert per_day == {
        "2026-11-23": 1,
        "2026-11-24": 1,
        "2026-11-25": 1,
        "2026-11-26": 1,
        "2026-11-27": 0,
        "2026-11-28": 0,
        "2026-11-29": 1,
    }
    neutral = next(row for row in r.labels if row.key == "neutral")
    assert (neutral.count, neutral.previous, neutral.change) == (2, 2, "no change")
    assert [(a, n) for a, n in r.top_sites] == [("news.test", 3), ("forum.test", 2)]


def test_items_needing_attention_cases_and_response_times(world) -> None:
    r = build(world)
    by_key = {i.label + (i.subreason or ""): i for i in r.items}
    assert set(by_key) == {"inappropriateabuse", "inappropriateprivacy_breach", "media_enquiry"}
    abuse = by_key["inappropriateabuse"]
    assert abuse.status == "open" and abuse.overdue and abuse.case_id is not None
    assert by_key["media_enquiry"].status == "acknowledged" and not by_key["media_enquiry"].overdue
    # At the end of the week: both inappropriate cases are past due and not acknowledged.
    assert r.cases.open_by_label == {"inappropriate": 2, "media_enquiry": 1, "neutral": 4}
    assert r.cases.overdue_by_label["inappropriate"] == 2
    assert r.cases.overdue_by_label["media_enquiry"] == 0
    assert [c.overdue for c in r.cases.urgent] == [True, True, False]
    urgent = next(c for c in r.compliance if c.group == "urgent")
    assert (urgent.due, urgent.met, urgent.missed, urgent.pending) == (3, 1, 2, 0)
    assert urgent.rate == pytest.approx(1 / 3)
    assert urgent.median_hours == pytest.approx(2.0)  # received 10:00, acknowledged 12:00


def test_a_failed_source_is_shown_as_failed_not_as_zero_mentions(world) -> None:
    r = build(world)
    health = {h.source: h for h in r.health}
    broken = health["rss:Broken"]
    assert (broken.state, broken.runs, broken.failed, broken.ok) == ("failed", 5, 5, 0)
    assert "HTTP 503" in (broken.last_error or "")
    assert health["rss:Local News"].state == "ok"
    row = next(s for s in r.sources if s.source == "rss:Broken")
    assert (row.mentions, row.state) == (0, "failed")
    assert any("rss:Broken" in w for w in r.warnings)
    html = rw.render_report(r, PUPILS)
    assert "failed: unknown" in html
    assert "rss:Broken: HTTP 503 &lt;b&gt;down&lt;/b&gt;" in html  # the error, escaped


def test_no_runs_in_the_week_is_a_warning_not_a_quiet_zero(world) -> None:
    r = build(world, date(2026, 12, 7), now=utc(2026, 12, 14, 7))
    assert r.counts.total == 0
    assert any("No runs were recorded" in w for w in r.warnings)
    assert {h.state for h in r.health} == {"not run"}


# -- rendering: escaping and pupils' privacy --------------------------------------------------------


def test_the_page_escapes_every_value_and_is_self_contained(world) -> None:
    html = rw.render_report(build(world), PUPILS)
    assert "<script>" not in html and "alert(" not in html.replace("alert(&#39;x&#39;)", "")
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html
    # Self-contained: no scripts, no external stylesheets, images or fonts.
    lowered = html.lower()
    for needle in ("<script", "<link", "<img", "@import", "url("):
        assert needle not in lowered
    assert lowered.count("<svg") == 2
    for section in (
        "Mentions by category",
        "Mentions by day",
        "Items needing attention",
        "Open and overdue cases",
        "Response times",
        "Source health",
        "Not monitored",
        "Top authors and sites",
    ):
        assert section in html
    for platform in rw.NOT_MONITORED:
        assert platform in html


def test_protected_pupil_names_are_redacted_everywhere(world) -> None:
    html = rw.render_report(build(world), PUPILS)
    lowered = html.lower()
    # In text, in any case and spacing, in the author and in the link's URL slug.
    assert "yusuf" not in lowered and "ahmed" not in lowered
    assert "aisha" not in lowered and "begum" not in lowered
    assert "Everyone knows [pupil] is a liar" in html
    assert "https://forum.test/t/[pupil]-latifiah" in html
    assert "[pupil]-fan" in html


def test_privacy_breach_items_show_no_content(world) -> None:
    r = build(world)
    item = next(i for i in r.items if i.subreason == "privacy_breach")
    assert item.restricted and item.excerpt == "" and item.url is None
    assert item.title == rw.RESTRICTED and item.case_id is not None
    html = rw.render_report(r, PUPILS)
    assert "Cannon Street Road" not in html and "Year 8 girl" not in html
    assert "where-she-lives" not in html
    assert html.count("details restricted to the DSL") >= 2  # the item and its open case


def test_redactor_whole_words_only_and_longest_first() -> None:
    red = rw.Redactor(["Ali", "Ali Khan"])
    assert red("ALI  khan and Alison and ali") == "[pupil] and Alison and [pupil]"
    assert red("ali%20khan, ali_khan") == "[pupil], [pupil]"
    assert rw.Redactor([])("Ali") == "Ali"


# -- settings -------------------------------------------------------------------------------------


def test_protected_names_file_missing_is_a_clear_config_error(tmp_path: Path) -> None:
    s = make_settings(tmp_path)
    assert load_protected_names(s) == frozenset(PUPILS)
    s.privacy.protected_names_file = tmp_path / "nope.txt"
    with pytest.raises(ConfigError, match="privacy.protected_names_file.*does not exist"):
        load_protected_names(s)
    with pytest.raises(ConfigError, match="pupil_retention_days"):
        settings_from_dict(
            {
                "school": {"name": "X", "aliases": ["X"]},
                "privacy": {"retention_days": 30, "pupil_retention_days": 90},
            }
        )


# -- writing, CLI, email, flow ----------------------------------------------------------------------


def _profile(tmp_path: Path, settings: Settings) -> Path:
    path = tmp_path / "school.toml"
    path.write_text(
        '[school]\nname = "Darul Hadis Latifiah"\naliases = ["Darul Hadis Latifiah"]\n'
        f"[privacy]\nprotected_names_file = {str(settings.privacy.protected_names_file)!r}\n",
        encoding="utf-8",
    )
    return path


def test_cli_report_writes_the_page_and_prints_its_path(world, tmp_path: Path) -> None:
    out = tmp_path / "reports"
    args = ["report", "--db", str(world.database.path), "--config", str(_profile(tmp_path, world))]
    result = CliRunner().invoke(app, [*args, "--week", "2026-11-25", "--out", str(out)])
    assert result.exit_code == 0, result.output
    path = out / "weekly-2026-11-23.html"
    assert str(path) in result.stdout and path.exists()
    assert "yusuf" not in path.read_text(encoding="utf-8").lower()
    bad = CliRunner().invoke(app, [*args, "--week", "soon", "--out", str(out)])
    assert bad.exit_code == 2 and "not a date" in bad.output


def test_email_goes_to_the_slt_once_per_week(world, tmp_path: Path) -> None:
    with MailSink(tmp_path / "mailbox") as mail:
        world.routing.smtp.port = mail.port
        result = rw.write_report(
            world, tmp_path / "out", week=rw.week_of(WEEK, LONDON), now=AFTER_WEEK
        )
        sent = email_report(world, result, AFTER_WEEK)
        again = email_report(world, result, AFTER_WEEK)
        messages = mail.messages()
    assert sent["sent"] == 2 and sent["no_email_address"] == ["governor"]
    assert again == {**again, "sent": 0, "already_sent": 2}
    assert sorted(m["To"] for m in messages) == ["deputy@school.test", "head@school.test"]
    msg = messages[0]
    assert "weekly mention report" in msg["Subject"] and "yusuf" not in msg.as_string().lower()
    assert [p.get_filename() for p in msg.iter_attachments()] == ["weekly-2026-11-23.html"]
    with connect_read_only(world.database.path) as con:
        assert wc.verify_audit(con) == (True, None)
        actions = con.execute(
            "SELECT action, count(*) FROM audit_log WHERE action LIKE 'report%' GROUP BY 1"
        ).fetchall()
        assert actions == [("report_sent", 2)]
    # Without an slt role, the head teacher gets it.
    (tmp_path / "b").mkdir()
    assert recipients(make_settings(tmp_path / "b", slt=False)) == (
        [("head", "head@school.test")],
        [],
    )


def test_summary_markdown_has_numbers_not_content(world) -> None:
    md = rw.summary_markdown(build(world), "data/reports/weekly-2026-11-23.html")
    assert "| Mentions found | 5 (+3 (+150%) on the week before) |" in md
    assert "script" not in md and "yusuf" not in md.lower() and "forum.test" not in md


def test_the_weekly_deployment_points_at_the_flow() -> None:
    from flows.weekly import weekly_report

    deployments = yaml.safe_load((REPO / "prefect.yaml").read_text())["deployments"]
    weekly = next(d for d in deployments if d["name"] == "weekly-report")
    assert weekly["entrypoint"] == "flows/weekly.py:weekly_report"
    assert weekly["schedules"] == [{"cron": "0 7 * * 1", "timezone": "Europe/London"}]
    assert set(weekly["parameters"]) <= set(weekly_report.parameters.properties)
