"""Retention purge: expired posts go with everything hanging off them, recent ones stay, items
about pupils go sooner, the audit chain still verifies, a dry run changes nothing.

Built through the real write paths: ``Warehouse`` (runs, posts, labels), ``open_cases`` (cases,
evidence, queued alerts), ``queue_digest``, and the outbox's own ``claim`` / ``record``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb
import pytest
from typer.testing import CliRunner

from analysis.classify import Classification
from mentions.cli import app
from mentions.models import Post
from mentions.respond import open_cases, queue_digest, transaction
from mentions.settings import Settings, settings_from_dict
from notify import Claimed, Result
from notify import outbox as ob
from warehouse import Warehouse
from warehouse import cases as wc
from warehouse.purge import purge, purge_database

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
OLD = NOW - timedelta(days=400)  # past the 365-day retention
MID = NOW - timedelta(days=100)  # past the 90-day pupil retention only
NEW = NOW - timedelta(days=10)


def make_settings(tmp_path: Path) -> Settings:
    people = {p: {"name": p, "email": f"{p}@school.test"} for p in ("head", "slt", "dsl", "office")}
    roles = {
        "head_teacher": {"people": ["head"]},
        "comms_lead": {"people": ["head"]},
        "slt_on_duty": {"people": ["slt"]},
        "dsl": {"people": ["dsl"]},
        "social_media_lead": {"people": ["office"]},
    }
    settings = settings_from_dict(
        {
            "school": {"name": "Test School", "aliases": ["Test School"]},
            "routing": {"roles": roles, "people": people},
        }
    )
    settings.database.path = tmp_path / "m.duckdb"
    return settings


def post(key: str, text: str, fetched: datetime) -> Post:
    return Post("rss", "rss:Test", f"https://forum.test/{key}", key, text, key=key, fetched=fetched)


def label(name: str, sub: str | None = None) -> Classification:
    return Classification(name, sub, 0.9, "test", "test-1", {})  # type: ignore[arg-type]


def run(
    settings: Settings,
    run_id: str,
    when: datetime,
    items: list[tuple[Post, Classification]],
    delivered: Callable[[Claimed], bool] = lambda m: m.person != "dsl",
):
    """A run at ``when``: posts and labels stored, cases opened, alerts queued and delivered
    (by default the dsl's delivery fails, so it stays pending), the digest queued and delivered
    when ``delivered`` says so."""
    with Warehouse.open(settings.database.path) as wh:
        wh.start_run(run_id, "nightly")
        posts = [p for p, _ in items]
        wh.save_posts(run_id, posts, [["Test School"]] * len(posts))
        wh.save_classifications(run_id, [p.post_id for p in posts], [c for _, c in items])
        with transaction(wh.con):
            open_cases(wh.con, settings, run_id, when)
            queue_digest(wh.con, settings, when, force=True)
            claimed = ob.claim(wh.con, settings, when)
            results = [Result(m.message_id, delivered(m), "smtp: down") for m in claimed]
            ob.record(wh.con, settings, claimed, results, when)


@pytest.fixture
def world(tmp_path: Path) -> Settings:
    s = make_settings(tmp_path)
    run(
        s,
        "old",
        OLD,
        [
            (post("old-neutral", "Test School fete", OLD), label("neutral")),
            (
                post("old-abuse", "Test School staff are idiots", OLD),
                label("inappropriate", "abuse"),
            ),
            (post("versions", "Test School thread", OLD), label("neutral")),
        ],
    )
    run(
        s,
        "mid",
        MID,
        [
            (post("mid-neutral", "Test School open day", MID), label("neutral")),
            (
                post("mid-pupil", "Aisha in year 8 at Test School lives at 1 High St", MID),
                label("inappropriate", "privacy_breach"),
            ),
        ],
    )
    run(
        s,
        "new",
        NEW,
        [
            (
                post("new-pupil", "Yusuf in year 9 at Test School lives at 2 Low Rd", NEW),
                label("inappropriate", "privacy_breach"),
            ),
            # The thread grew: a new version keeps the whole key alive.
            (post("versions", "Test School thread, more replies", NEW), label("neutral")),
        ],
    )
    with Warehouse.open(s.database.path) as wh, transaction(wh.con):
        old_abuse = rows(wh.con, "SELECT case_id FROM cases WHERE post_key = 'old-abuse'")
        wc.resolve(wh.con, old_abuse[0][0], "slt", "asked the forum to remove it", OLD)
        wc.add_correction(wh.con, "old-neutral", "neutral", None, "office", OLD, "fine")
    return s


def rows(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | None = None) -> list[tuple]:
    return con.execute(sql, params or []).fetchall()


def snapshot(settings: Settings) -> dict[str, list[tuple]]:
    with Warehouse.open(settings.database.path) as wh:
        return {
            t: rows(wh.con, f"SELECT * FROM {t} ORDER BY ALL")  # noqa: S608 - fixed table names
            for t in ("posts", "classifications", "evidence", "corrections", "cases", "outbox")
        } | {"audit": rows(wh.con, "SELECT seq, hash FROM audit_log ORDER BY seq")}


def test_purge_deletes_expired_rows_and_keeps_recent_ones(world: Settings) -> None:
    with Warehouse.open(world.database.path) as wh:
        before = {
            "cases": rows(wh.con, "SELECT count(*) FROM cases")[0][0],
            "sent": rows(wh.con, "SELECT count(*) FROM outbox WHERE status = 'sent'")[0][0],
        }
        counts = purge(wh.con, world, NOW)
        con = wh.con
        assert counts["posts_expired"] == 3 and counts["about_pupils"] == 1
        assert counts["post_versions"] == 3 and counts["evidence"] == 2
        assert counts["corrections"] == 1 and counts["cases_scrubbed"] == 3
        # Posts: old ones and the 100-day-old pupil item are gone; a 100-day-old neutral post,
        # the recent pupil item and a thread with a recent version are kept, every version.
        keys = rows(con, "SELECT post_key, count(*) FROM posts GROUP BY 1 ORDER BY 1")
        assert keys == [("mid-neutral", 1), ("new-pupil", 1), ("versions", 2)]
        assert rows(con, "SELECT count(*) FROM classifications") == [(4,)]
        assert rows(
            con,
            "SELECT count(*) FROM classifications WHERE post_id NOT IN (SELECT post_id FROM posts)",
        ) == [(0,)]
        assert rows(con, "SELECT post_key FROM evidence") == [("new-pupil",)]
        assert rows(con, "SELECT count(*) FROM corrections") == [(0,)]
        # Cases stay as content-free records (numbers are never reused); open ones are closed.
        assert rows(con, "SELECT count(*) FROM cases")[0][0] == before["cases"]
        scrubbed = rows(
            con,
            "SELECT label, status, resolved_by, notes FROM cases WHERE post_key = '[purged]' "
            "ORDER BY case_id",
        )
        assert scrubbed == [
            ("neutral", "resolved", "purge", None),
            ("inappropriate", "resolved", "slt", None),
            ("inappropriate", "resolved", "purge", None),
        ]
        assert "fete" not in str(rows(con, "SELECT * FROM cases"))
        # Outbox: sent messages about purged items keep who/when but lose their text; unsent
        # ones (the dsl's failed alert about the pupil) are gone.
        purged = rows(con, "SELECT status, subject, body FROM outbox WHERE body = '[purged]'")
        assert purged and {r[:2] for r in purged} == {("sent", "[purged]")}
        text = str(rows(con, "SELECT subject, body, payload FROM outbox"))
        assert "Aisha" not in text and "idiots" not in text and "fete" not in text
        assert "Yusuf" in text  # the recent pupil item's alert is still within retention
        assert rows(con, "SELECT count(*) FROM outbox WHERE status <> 'sent'") == [(1,)]
        assert (
            rows(con, "SELECT count(*) FROM outbox WHERE status = 'sent'")[0][0] == before["sent"]
        )
        # The audit chain is intact and records the purge (counts only, never keys).
        assert wc.verify_audit(con) == (True, None)
        last = rows(con, "SELECT action, detail FROM audit_log ORDER BY seq DESC LIMIT 1")[0]
        assert last[0] == "purge" and '"posts_expired":3' in last[1] and "mid-pupil" not in last[1]
        # v_mentions and v_open_cases still work without the purged posts.
        assert rows(con, "SELECT count(*) FROM v_mentions") == [(3,)]
        assert all(r[0] != "[purged]" for r in rows(con, "SELECT post_key FROM v_open_cases"))

        again = purge(wh.con, world, NOW)
        assert again["posts_expired"] == 0 and again["outbox_scrubbed"] == 0


def test_dry_run_counts_the_same_and_changes_nothing(world: Settings) -> None:
    before = snapshot(world)
    dry = purge_database(world, NOW, dry_run=True)
    assert snapshot(world) == before
    real = purge_database(world, NOW)
    assert {k: v for k, v in dry.items() if k != "dry_run"} == {
        k: v for k, v in real.items() if k != "dry_run"
    }
    assert dry["dry_run"] and not real["dry_run"]


def test_retention_days_come_from_the_settings(world: Settings) -> None:
    world.privacy.retention_days = 1000
    world.privacy.pupil_retention_days = 5
    counts = purge_database(world, NOW)
    # Nothing is old enough for the general clock; both pupil items are past 5 days.
    assert counts["posts_expired"] == 2 and counts["about_pupils"] == 2


def test_a_failed_purge_rolls_back(world: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    import warehouse.purge as wp

    before = snapshot(world)

    def boom(*args: Any, **kwargs: Any) -> str:
        raise RuntimeError("disk full")

    monkeypatch.setattr(wp, "append_audit", boom)
    with pytest.raises(RuntimeError):
        purge_database(world, NOW)
    assert snapshot(world) == before


def test_cli_purge_dry_run(world: Settings, tmp_path: Path) -> None:
    profile = tmp_path / "school.toml"
    profile.write_text(
        '[school]\nname = "Test School"\naliases = ["Test School"]\n'
        "[privacy]\nretention_days = 30\npupil_retention_days = 30\n",
        encoding="utf-8",
    )
    args = ["purge", "--db", str(world.database.path), "--config", str(profile)]
    result = CliRunner().invoke(app, [*args, "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "Would purge 4 post(s) (1 about pupils)" in result.output
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0 and "Purged 4 post(s)" in result.output
    with Warehouse.open(world.database.path) as wh:
        keys = rows(wh.con, "SELECT DISTINCT post_key FROM posts ORDER BY 1")
    assert keys == [("new-pupil",), ("versions",)]


def test_expired_keys_do_not_live_on_in_the_audit_log(world: Settings) -> None:
    """The audit log is never purged, so it must not hold post keys (URLs can name a pupil)."""
    with Warehouse.open(world.database.path) as wh:
        purge(wh.con, world, NOW)
        details = str(rows(wh.con, "SELECT detail FROM audit_log"))
        assert wc.verify_audit(wh.con) == (True, None)
    for key in ("mid-pupil", "old-abuse", "old-neutral"):
        assert f'"{key}"' not in details


def night(settings: Settings, run_id: str, when: datetime, items, *, delivered: bool) -> None:
    """A run whose digest (of every neutral case waiting) is sent, or fails to send."""
    run(settings, run_id, when, items, lambda _: delivered)


def test_a_purged_unsent_digest_puts_its_kept_cases_back_in_the_queue(tmp_path: Path) -> None:
    """An expired post's unsent digest is deleted; the other cases it listed (still within
    retention) must go in the next digest, not stay marked as digested by a digest never sent.
    Cases whose digest was sent stay digested."""
    s = make_settings(tmp_path)
    neutral = label("neutral")
    night(s, "d1", OLD, [(post("a-old", "Test School fete", OLD), neutral),
                         (post("b-kept", "Test School choir", OLD), neutral)], delivered=True)  # fmt: skip
    night(s, "d2", OLD + timedelta(days=1),
          [(post("c-old", "Test School fair", OLD), neutral),
           (post("d-kept", "Test School thread", OLD), neutral)], delivered=False)  # fmt: skip
    # Both kept posts were found again recently (their keys stay within retention); the second
    # digest fails again.
    night(s, "new", NEW, [(post("b-kept", "Test School choir, again", NEW), neutral),
                          (post("d-kept", "Test School thread, more replies", NEW), neutral)],
          delivered=False)  # fmt: skip
    with Warehouse.open(s.database.path) as wh:
        assert wc.undigested_cases(wh.con) == []
        counts = purge(wh.con, s, NOW)
        assert counts["posts_expired"] == 2
        assert counts["outbox_deleted"] == 1 and counts["cases_undigested"] == 1
        assert [c["post_key"] for c in wc.undigested_cases(wh.con)] == ["d-kept"]
        with transaction(wh.con):
            assert queue_digest(wh.con, s, NOW, force=True)["digest_items"] == 1
        (body,) = rows(wh.con, "SELECT body FROM outbox WHERE status = 'pending'")[0]
        assert "thread" in body and "fair" not in body
        assert wc.verify_audit(wh.con) == (True, None)
