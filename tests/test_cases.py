"""Cases in the warehouse: opening them from a run, evidence, corrections winning in v_mentions,
the hash-chained audit log, the views, and the triage command line."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from analysis.classify import Classification
from mentions.cli import app
from mentions.models import Post
from mentions.respond import relabel_case, respond
from mentions.settings import Settings
from warehouse import Warehouse
from warehouse import cases as wc

RUN = "run-1"
SAT = datetime(2025, 1, 11, 9, 0, tzinfo=UTC)  # a Saturday
MON_8 = datetime(2025, 1, 13, 8, 0, tzinfo=UTC)

ROUTING = """
[routing.roles]
head_teacher = { people = ["head"], deputy = "deputy_head" }
comms_lead = { people = ["comms"], deputy = "head" }
slt_on_duty = { people = ["slt"], deputy = "deputy_head" }
dsl = { people = ["dsl"], deputy = "head" }
social_media_lead = { people = ["office"], deputy = "comms" }

[routing.people]
head = { name = "Head" }
deputy_head = { name = "Deputy Head" }
comms = { name = "Comms" }
slt = { name = "SLT on duty" }
dsl = { name = "DSL" }
office = { name = "Office" }
"""


def make_profile(tmp_path: Path) -> tuple[Path, Settings]:
    path = tmp_path / "school.toml"
    path.write_text(
        '[school]\nname = "Test School"\naliases = ["Test School"]\n'
        f'[database]\npath = "{tmp_path / "m.duckdb"}"\n' + ROUTING,
        encoding="utf-8",
    )
    from mentions.settings import load_settings

    return path, load_settings(path)


def post(key: str, title: str, text: str, fetched: datetime = SAT, html: str | None = None) -> Post:
    return Post(
        source="rss",
        source_name="rss:Test",
        url=f"https://news.test/{key}",
        title=title,
        text=text,
        key=key,
        fetched=fetched,
        raw_html=html,
    )


def label(name: str, sub: str | None = None, **details) -> Classification:
    return Classification(name, sub, 0.9, f"rule for {name}", "test-1", details)  # type: ignore[arg-type]


def seed(settings: Settings, items: list[tuple[Post, Classification]], run_id: str = RUN) -> None:
    with Warehouse.open(settings.database.path) as wh:
        wh.start_run(run_id, "test")
        posts = [p for p, _ in items]
        wh.save_posts(run_id, posts, [["Test School"]] * len(posts))
        wh.save_classifications(run_id, [p.post_id for p in posts], [c for _, c in items])


ITEMS = [
    (
        post(
            "k1",
            "Watch your back",
            "the pupils at Test School <b>will</b> regret it",
            html="<p>page</p>",
        ),
        label("inappropriate", "threat"),
    ),
    (post("k2", "Open evening", "Test School open evening"), label("neutral")),
    (
        post("k3", "Journalist asking", "#journorequest Test School comment by 5pm"),
        label("media_enquiry", deadline="2025-01-11T17:00:00+00:00", outlet="Daily Test"),
    ),
]


@pytest.fixture
def world(tmp_path: Path) -> tuple[Path, Settings]:
    profile, settings = make_profile(tmp_path)
    seed(settings, ITEMS)
    return profile, settings


def db_rows(settings: Settings, sql: str, params: list | None = None) -> list[tuple]:
    con = duckdb.connect(str(settings.database.path))
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def test_respond_opens_cases_with_owners_due_times_and_evidence(world) -> None:
    _, settings = world
    now = SAT.replace(hour=10)
    out = respond(settings, RUN, now=now, posts=[p for p, _ in ITEMS])
    assert out["cases_opened"] == 3 and out["evidence_saved"] == 1
    assert out["unreachable_people"] == ["comms", "dsl", "head", "office", "slt"]  # no channels
    rows = db_rows(
        settings,
        "SELECT post_key, label, role, roles, assignee, deputy, about_pupils, due, status "
        "FROM cases ORDER BY post_key",
    )
    k1, k2, k3 = rows
    assert k1[:7] == (
        "k1",
        "inappropriate",
        "slt_on_duty",
        ["slt_on_duty", "dsl"],
        "slt",
        "deputy_head",
        True,
    )
    assert k2[1:5] == ("neutral", "social_media_lead", ["social_media_lead"], "office")
    assert k3[2:5] == ("head_teacher", ["head_teacher", "comms_lead"], "head")
    # Saturday arrivals are due at the start of Monday; the journalist's deadline comes first.
    assert k1[7] == MON_8 and k2[7] == MON_8
    assert k3[7] == datetime(2025, 1, 11, 17, 0, tzinfo=UTC)
    assert {r[8] for r in rows} == {"open"}
    # Evidence for the inappropriate item only, with verifiable hashes and the page HTML.
    (ev,) = db_rows(
        settings, "SELECT post_key, content, html, sha256, html_sha256, fetched FROM evidence"
    )
    assert ev[0] == "k1" and ev[2] == "<p>page</p>" and ev[5] == SAT
    assert ev[3] == hashlib.sha256(ev[1].encode()).hexdigest()
    assert ev[4] == hashlib.sha256(b"<p>page</p>").hexdigest()
    assert db_rows(settings, "SELECT bool_and(sha256(content) = sha256) FROM evidence") == [(True,)]

    again = respond(settings, RUN, now=now)
    assert again["cases_opened"] == 0 and again["evidence_saved"] == 0
    assert db_rows(settings, "SELECT count(*) FROM cases") == [(3,)]


def test_correction_wins_over_the_model_in_v_mentions(world) -> None:
    _, settings = world
    respond(settings, RUN, now=SAT)
    with Warehouse.open(settings.database.path) as wh:
        before = [d[0] for d in wh.con.execute("SELECT * FROM v_mentions").description]
    # Every column of the 001 view is still there, in order, with the new ones after.
    assert before[:19] == [
        "post_id", "post_key", "version", "source", "source_name", "url", "title", "text",
        "author", "published", "fetched", "matched_terms", "label", "subreason", "confidence",
        "explanation", "model_version", "details", "extra",
    ]  # fmt: skip
    assert {"model_label", "corrected"} <= set(before)
    (case_id,) = db_rows(settings, "SELECT case_id FROM cases WHERE post_key = 'k2'")[0]
    relabel_case(settings, case_id, "inappropriate", "defamation", "alice", SAT, note="it is")
    rows = db_rows(
        settings,
        "SELECT label, subreason, model_label, corrected FROM v_mentions WHERE post_key = 'k2'",
    )
    assert rows == [("inappropriate", "defamation", "neutral", True)]
    assert db_rows(settings, "SELECT corrected FROM v_mentions WHERE post_key = 'k1'") == [(False,)]
    case = db_rows(
        settings, "SELECT label, subreason, role FROM cases WHERE case_id = ?", [case_id]
    )
    assert case == [("inappropriate", "defamation", "slt_on_duty")]
    assert db_rows(settings, "SELECT count(*) FROM evidence WHERE post_key = 'k2'") == [(1,)]
    # The corrected label already has its case: the next run opens nothing new.
    assert respond(settings, RUN, now=SAT)["cases_opened"] == 0
    # A later correction wins over an earlier one; history is kept.
    relabel_case(settings, case_id, "neutral", None, "bob", SAT.replace(hour=11))
    assert db_rows(settings, "SELECT label FROM v_mentions WHERE post_key = 'k2'") == [("neutral",)]
    assert db_rows(settings, "SELECT count(*) FROM corrections") == [(2,)]


def test_audit_chain_detects_an_edited_row(world) -> None:
    _, settings = world
    respond(settings, RUN, now=SAT)
    with Warehouse.open(settings.database.path) as wh:
        wc.acknowledge(wh.con, 1, "alice", SAT)
        assert wc.verify_audit(wh.con) == (True, None)
        n = wh.con.execute("SELECT count(*) FROM audit_log").fetchall()[0][0]
        assert n >= 5
        wh.con.execute("UPDATE audit_log SET actor = 'mallory' WHERE seq = 3")
        assert wc.verify_audit(wh.con) == (False, 3)


def test_audit_chain_detects_a_deleted_row(world) -> None:
    _, settings = world
    respond(settings, RUN, now=SAT)
    with Warehouse.open(settings.database.path) as wh:
        wh.con.execute("DELETE FROM audit_log WHERE seq = 2")
        assert wc.verify_audit(wh.con) == (False, 3)


def test_append_audit_chains_across_calls(tmp_path: Path) -> None:
    with Warehouse.open(tmp_path / "a.duckdb") as wh:
        head1 = wc.append_audit(wh.con, [wc.AuditEntry("a", "x", 1, {"é": 1})], SAT)
        head2 = wc.append_audit(wh.con, [wc.AuditEntry("b", "y"), wc.AuditEntry("c", "z")], SAT)
        rows = wh.con.execute("SELECT seq, prev_hash, hash FROM audit_log ORDER BY seq").fetchall()
        assert [r[0] for r in rows] == [1, 2, 3]
        assert rows[0][1] == wc.GENESIS and rows[1][1] == head1 and rows[2][2] == head2
        assert wc.verify_audit(wh.con) == (True, None)


def test_views_for_people(world) -> None:
    _, settings = world
    respond(settings, RUN, now=SAT)
    with Warehouse.open(settings.database.path) as wh:
        wc.resolve(wh.con, 2, "office", "replied with the open evening details", SAT)
    open_cases = db_rows(settings, "SELECT case_id, label, due_local, overdue FROM v_open_cases")
    assert [r[0] for r in open_cases] == [3, 1]  # soonest due first; resolved left out
    assert open_cases[1][2] == "Mon 13 Jan 08:00"
    weekly = db_rows(
        settings,
        "SELECT week_start, mentions, inappropriate, media_enquiry, neutral, acknowledged "
        "FROM v_weekly",
    )
    assert weekly[0][1:] == (3, 1, 1, 1, 1)


def run_cli(*args: str):
    return CliRunner().invoke(app, list(args), env={"COLUMNS": "250"})


def test_triage_command_line(world) -> None:
    profile, settings = world
    respond(settings, RUN, now=SAT)
    db = str(settings.database.path)
    result = run_cli("cases", "list", "--db", db)
    assert result.exit_code == 0, result.output
    assert "Watch your back" in result.output and "3 case(s)" in result.output
    assert "1 case(s)" in run_cli("cases", "list", "--mine", "dsl", "--db", db).output
    assert "3 case(s)" in run_cli("cases", "list", "--overdue", "--db", db).output  # 2025 is past

    result = run_cli("cases", "ack", "1", "--by", "alice", "--db", db)
    assert result.exit_code == 0 and "acknowledged by alice" in result.output
    result = run_cli("cases", "ack", "1", "--db", db)
    assert result.exit_code == 2 and "already acknowledged" in result.output
    assert run_cli("cases", "ack", "99", "--db", db).exit_code == 2

    result = run_cli(
        "cases", "resolve", "1", "--note", "reported to police", "--by", "alice", "--db", db
    )
    assert result.exit_code == 0, result.output
    result = run_cli(
        "cases", "reassign", "3", "comms_lead", "--by", "bob", "--db", db, "--config", str(profile)
    )
    assert result.exit_code == 0, result.output
    assert "comms_lead (comms)" in result.output
    assert (
        run_cli("cases", "reassign", "3", "nobody", "--db", db, "--config", str(profile)).exit_code
        == 2
    )
    result = run_cli(
        "cases",
        "relabel",
        "2",
        "media_enquiry",
        "--by",
        "bob",
        "--db",
        db,
        "--config",
        str(profile),
    )
    assert result.exit_code == 0, result.output
    bad = run_cli(
        "cases", "relabel", "2", "neutral", "--subreason", "threat", "--db", db, "-c", str(profile)
    )
    assert bad.exit_code == 2

    result = run_cli("cases", "show", "1", "--db", db)
    assert result.exit_code == 0, result.output
    for expected in (
        "resolved",
        "reported to police",
        "evidence: sha256",
        "acknowledged",
        "case_opened",
    ):
        assert expected in result.output
    actions = [r[0] for r in db_rows(settings, "SELECT action FROM audit_log ORDER BY seq")]
    for action in ("case_opened", "acknowledged", "resolved", "reassigned", "relabelled"):
        assert action in actions
    (actor,) = db_rows(settings, "SELECT actor FROM audit_log WHERE action = 'reassigned'")[0]
    assert actor == "bob"

    result = run_cli("audit", "verify", "--db", db)
    assert result.exit_code == 0 and "intact" in result.output
    con = duckdb.connect(db)
    con.execute(
        "UPDATE audit_log SET detail = ? WHERE action = 'resolved'", [json.dumps({"note": "x"})]
    )
    con.close()
    result = run_cli("audit", "verify", "--db", db)
    assert result.exit_code == 1 and "broken" in result.output


def test_notes_reach_the_audit_log_only_as_hashes(world) -> None:
    """Notes can name pupils and the audit log can never be scrubbed: it keeps a SHA-256 and the
    length; the text stays in cases / corrections, and the retention purge takes it from there."""
    from warehouse.purge import purge_database

    _, settings = world
    respond(settings, RUN, now=SAT)
    db = str(settings.database.path)
    resolution = "Spoke to Aisha Rahman's parents; the forum took the post down."
    why = "It names Aisha Rahman (year 8)."
    result = run_cli("cases", "resolve", "1", "--note", f"  {resolution} ", "--db", db)
    assert result.exit_code == 0, result.output
    relabel_case(settings, 2, "inappropriate", "privacy_breach", "bob", SAT, note=why)

    details = dict(
        db_rows(
            settings,
            "SELECT action, detail FROM audit_log WHERE action IN ('resolved', 'relabelled')",
        )
    )
    for action, note in (("resolved", resolution), ("relabelled", why)):
        detail = json.loads(details[action])
        assert detail["note_sha256"] == hashlib.sha256(note.encode()).hexdigest()
        assert detail["note_chars"] == len(note) and "note" not in detail
    in_audit = "SELECT count(*) FROM audit_log a WHERE a::VARCHAR ILIKE '%Rahman%'"
    assert db_rows(settings, in_audit) == [(0,)]
    assert resolution in db_rows(settings, "SELECT notes FROM cases WHERE case_id = 1")[0][0]
    assert db_rows(settings, "SELECT note FROM corrections") == [(why,)]
    result = run_cli("audit", "verify", "--db", db)
    assert result.exit_code == 0 and "intact" in result.output

    # Past retention the text is gone from every table, and the chain still verifies.
    purge_database(settings, SAT.replace(year=2026, month=6))
    with Warehouse.open(db) as wh:
        tables = wh.con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE'"
        ).fetchall()
        for (table,) in tables:
            found = wh.con.execute(
                f"SELECT count(*) FROM {table} t WHERE t::VARCHAR ILIKE '%Rahman%'"  # noqa: S608
            ).fetchall()
            assert found == [(0,)], table
    result = run_cli("audit", "verify", "--db", db)
    assert result.exit_code == 0 and "intact" in result.output


def test_cli_on_a_database_without_cases(tmp_path: Path) -> None:
    db = tmp_path / "old.duckdb"
    duckdb.connect(str(db)).close()
    result = run_cli("cases", "list", "--db", str(db))
    assert result.exit_code == 2 and "no cases yet" in result.output
