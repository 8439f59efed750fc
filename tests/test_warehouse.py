"""The DuckDB warehouse on a real file: migrations, idempotent saves, versions, history, locks."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
import time
from datetime import UTC, datetime, timedelta

import duckdb
import pytest

from analysis.classify import Classification
from mentions.errors import DatabaseLockedError, WarehouseError
from mentions.models import Post, SourceResult
from warehouse import Warehouse, connect_read_only
from warehouse.db import migrations

T0 = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


def post(n: int, text: str = "Darul Hadis Latifiah news", **kw) -> Post:
    return Post(
        source="rss",
        source_name="rss:Local",
        url=f"https://news.example/{n}",
        title=f"Story {n}",
        text=text,
        published=T0,
        fetched=kw.pop("fetched", T0 + timedelta(hours=n)),
        **kw,
    )


def label(name: str = "neutral", version: str = "test-1", **kw) -> Classification:
    return Classification(name, kw.pop("subreason", None), 0.5, f"because {name}", version, **kw)


def rows(db, sql: str, params=()):
    with connect_read_only(db) as con:
        return con.execute(sql, params).fetchall()


# -- migrations ---------------------------------------------------------------------------------


def test_migrations_are_numbered_and_unique():
    found = migrations()
    versions = [v for v, _, _ in found]
    assert versions, "no migrations found in warehouse/migrations"
    assert versions[0] == 1
    assert len(set(versions)) == len(versions)
    assert versions == sorted(versions)


def test_migrate_fresh_file_sets_version_and_is_idempotent(db_path):
    top = max(v for v, _, _ in migrations())
    with Warehouse.open(db_path, lock_timeout=5) as wh:
        assert wh.schema_version() == top
        assert wh.migrate() == top  # again: nothing to do
    with Warehouse.open(db_path, lock_timeout=5) as wh:  # a new session re-checks
        assert wh.schema_version() == top
    assert rows(db_path, "select count(*) from schema_version") == [(len(migrations()),)]
    tables = {r[0] for r in rows(db_path, "select table_name from information_schema.tables")}
    assert {
        "runs",
        "source_runs",
        "source_state",
        "posts",
        "classifications",
        "v_mentions",
    } <= tables


def test_open_creates_parent_directories(tmp_path):
    path = tmp_path / "a" / "b" / "c.duckdb"
    with Warehouse.open(path, lock_timeout=5):
        pass
    assert path.exists()


def test_open_a_file_that_is_not_duckdb_is_a_warehouse_error(tmp_path):
    path = tmp_path / "junk.duckdb"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(WarehouseError, match="junk.duckdb"):
        with Warehouse.open(path, lock_timeout=1):
            pass


# -- posts --------------------------------------------------------------------------------------


def test_save_posts_is_idempotent(db_path):
    posts = [post(1), post(2), post(3)]
    terms = [["Darul Hadis Latifiah"]] * 3
    with Warehouse.open(db_path, lock_timeout=5) as wh:
        new = wh.save_posts("run-1", posts, terms)
        assert new == {p.post_id for p in posts}
        assert wh.save_posts("run-2", posts, terms) == set()
    with Warehouse.open(db_path, lock_timeout=5) as wh:
        assert wh.save_posts("run-3", posts, terms) == set()
    assert rows(db_path, "select count(*), count(distinct post_key) from posts") == [(3, 3)]
    assert rows(db_path, "select distinct first_run_id from posts") == [("run-1",)]
    assert rows(db_path, "select matched_terms from posts limit 1") == [(["Darul Hadis Latifiah"],)]


def test_duplicates_within_one_batch_are_stored_once(db_path):
    with Warehouse.open(db_path, lock_timeout=5) as wh:
        new = wh.save_posts("run-1", [post(1), post(1)], [["a"], ["a"]])
    assert len(new) == 1
    assert rows(db_path, "select count(*) from posts") == [(1,)]


def test_changed_text_is_a_new_version_and_view_shows_latest(db_path):
    first = post(1, "Darul Hadis Latifiah opens a library.")
    edited = post(1, "Darul Hadis Latifiah opens a library. Updated: photos added.")
    assert first.key == edited.key and first.post_id != edited.post_id
    with Warehouse.open(db_path, lock_timeout=5) as wh:
        wh.save_posts("run-1", [first, post(2)], [["x"], ["x"]])
        wh.save_classifications("run-1", [first.post_id], [label("neutral")])
    with Warehouse.open(db_path, lock_timeout=5) as wh:
        assert wh.save_posts("run-2", [edited, post(2)], [["x"], ["x"]]) == {edited.post_id}
        wh.save_classifications("run-2", [edited.post_id], [label("media_enquiry")])
    assert rows(
        db_path, "select version, text from posts where post_key = ? order by version", [first.key]
    ) == [(1, first.text), (2, edited.text)]
    view = rows(db_path, "select post_key, version, text, label from v_mentions order by post_key")
    assert view == [
        (first.key, 2, edited.text, "media_enquiry"),
        (post(2).key, 1, post(2).text, None),
    ]


def test_classification_history_is_kept_and_newest_wins(db_path):
    p = post(1)
    with Warehouse.open(db_path, lock_timeout=5) as wh:
        wh.save_posts("run-1", [p], [["x"]])
        wh.save_classifications("run-1", [p.post_id], [label("neutral", "model-1")])
    time.sleep(0.01)  # classified_at is the wall clock: make the second one strictly newer
    with Warehouse.open(db_path, lock_timeout=5) as wh:
        wh.save_classifications(
            None,
            [p.post_id],
            [label("inappropriate", "model-2", subreason="threat", details={"k": "v"})],
        )
    history = rows(
        db_path,
        "select label, model_version from classifications where post_id = ? order by classified_at",
        [p.post_id],
    )
    assert history == [("neutral", "model-1"), ("inappropriate", "model-2")]
    (latest,) = rows(
        db_path, "select label, subreason, model_version, details::VARCHAR from v_mentions"
    )
    assert latest[:3] == ("inappropriate", "threat", "model-2")
    assert '"k"' in latest[3]


def test_invalid_label_is_refused_by_the_schema(db_path):
    p = post(1)
    with Warehouse.open(db_path, lock_timeout=5) as wh:
        wh.save_posts("run-1", [p], [["x"]])
        with pytest.raises(duckdb.Error):
            wh.save_classifications("run-1", [p.post_id], [label("spam")])  # type: ignore[arg-type]


def test_unicode_and_nulls_round_trip(db_path):
    p = Post(
        source="rss",
        source_name="rss:Local",
        url="https://news.example/ü",
        title="Dārul Ḥadīth Laṭīfiyah 🎉",
        text="",
        author=None,
        published=None,
        extra={"guid": None, "feed": "Café"},
    )
    with Warehouse.open(db_path, lock_timeout=5) as wh:
        wh.save_posts("run-1", [p], [[]])
    assert rows(db_path, "select title, author, published, extra->>'feed' from posts") == [
        ("Dārul Ḥadīth Laṭīfiyah 🎉", None, None, "Café")
    ]


# -- runs, sources, state -----------------------------------------------------------------------


def test_runs_and_record_sources(db_path):
    ok = SourceResult("rss:Good", "rss", status="ok", http_status=200, items_seen=4)
    bad = SourceResult(
        "rss:Bad", "rss", status="failed", error="rss:Bad: HTTP 500 from x", http_status=500
    )
    for r in (ok, bad):
        r.finished = r.started
    with Warehouse.open(db_path, lock_timeout=5) as wh:
        wh.start_run("run-1", "nightly")
        wh.record_sources("run-1", [ok, bad], {"rss:Good": 2}, {"rss:Good": 1})
        wh.finish_run("run-1", "partial", {"new_posts": 1})
    assert rows(
        db_path, "select flow, status, finished is not null, summary->>'new_posts' from runs"
    ) == [("nightly", "partial", True, "1")]
    assert rows(
        db_path,
        "select source, status, error, http_status, items_seen, matched, new_posts "
        "from source_runs order by source",
    ) == [
        ("rss:Bad", "failed", "rss:Bad: HTTP 500 from x", 500, 0, 0, 0),
        ("rss:Good", "ok", None, 200, 4, 2, 1),
    ]
    health = rows(db_path, "select source, status, run_started is not null from v_source_health")
    assert sorted(health) == [("rss:Bad", "failed", True), ("rss:Good", "ok", True)]


def test_save_and_load_state(db_path):
    with Warehouse.open(db_path, lock_timeout=5) as wh:
        assert wh.load_states() == {}
        wh.save_states({"rss:A": {"etag": '"v1"', "last_modified": None}, "rss:B": {}})
        wh.save_states({})  # nothing to do
    with Warehouse.open(db_path, lock_timeout=5) as wh:
        assert wh.load_states() == {"rss:A": {"etag": '"v1"', "last_modified": None}, "rss:B": {}}
        wh.save_states({"rss:A": {"etag": '"v2"'}})  # replaces, does not add
        assert wh.load_states() == {"rss:A": {"etag": '"v2"'}, "rss:B": {}}


# -- locks and read-only access -----------------------------------------------------------------

_HOLDER = textwrap.dedent(
    """
    import sys, duckdb
    con = duckdb.connect(sys.argv[1])
    con.execute("create table if not exists held (x int)")
    print("locked", flush=True)
    sys.stdin.readline()
    con.close()
    print("released", flush=True)
    sys.stdin.readline()
    """
)


@pytest.fixture
def lock_holder(db_path):
    """A separate process holding the DuckDB write lock (locks are per process)."""
    db_path.parent.mkdir(parents=True, exist_ok=True)
    proc = subprocess.Popen(
        [sys.executable, "-c", _HOLDER, str(db_path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout.readline().strip() == "locked"
        yield proc
    finally:
        proc.kill()
        proc.wait(timeout=10)


def test_locked_database_raises_a_clear_error(db_path, lock_holder):
    started = time.monotonic()
    with pytest.raises(DatabaseLockedError) as info:
        with Warehouse.open(db_path, lock_timeout=0.5):
            pass
    elapsed = time.monotonic() - started
    assert 0.4 < elapsed < 5, elapsed  # it retried for about lock_timeout, then gave up
    msg = str(info.value)
    assert str(db_path) in msg
    assert "locked by another process" in msg
    assert "for 0.5s" in msg  # the timeout it really waited, not "0s"
    assert isinstance(info.value, WarehouseError)


def test_read_only_connection_also_reports_the_lock(db_path, lock_holder):
    with pytest.raises(DatabaseLockedError, match="locked"):
        with connect_read_only(db_path, lock_timeout=0.3):
            pass


def test_open_waits_for_a_lock_that_is_released(db_path, lock_holder):
    def release() -> None:
        time.sleep(0.5)
        lock_holder.stdin.write("\n")
        lock_holder.stdin.flush()

    threading.Thread(target=release, daemon=True).start()
    with Warehouse.open(db_path, lock_timeout=20) as wh:
        assert wh.schema_version() >= 1
    assert lock_holder.stdout.readline().strip() == "released"


def test_connect_read_only_missing_file(tmp_path):
    missing = tmp_path / "nothing.duckdb"
    with pytest.raises(WarehouseError) as info:
        with connect_read_only(missing):
            pass
    assert str(missing) in str(info.value)
    assert not missing.exists()  # a read-only look never creates the file


def test_read_only_connection_refuses_writes(db_path):
    with Warehouse.open(db_path, lock_timeout=5) as wh:
        wh.save_posts("run-1", [post(1)], [["x"]])
    with connect_read_only(db_path) as con:
        with pytest.raises(duckdb.Error, match="read-only"):
            con.execute("delete from posts")
    assert rows(db_path, "select count(*) from posts") == [(1,)]


def test_only_a_long_stale_running_run_is_marked_killed(tmp_path):
    from datetime import timedelta

    from mentions.models import utcnow
    from warehouse.db import Warehouse

    with Warehouse.open(tmp_path / "w.duckdb") as wh:
        wh.start_run("old", "nightly")
        wh.con.execute(
            "UPDATE runs SET started = ? WHERE run_id = 'old'", [utcnow() - timedelta(hours=13)]
        )
        wh.start_run("nightly-now", "nightly")
        wh.start_run("watch-now", "watch")  # overlaps the nightly run that is still going
        rows = dict(wh.con.execute("SELECT run_id, status FROM runs").fetchall())
    assert rows == {"old": "killed", "nightly-now": "running", "watch-now": "running"}
