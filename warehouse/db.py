"""Open, migrate and write the DuckDB warehouse.

DuckDB allows one writing process and no other connection while it writes, so the pipeline opens
the file only for short write steps (``Warehouse.open``) and retries while another process holds
the lock, failing after ``lock_timeout`` with a message that says who holds it. Writes are bulk:
rows are staged as an Arrow table and moved with one ``INSERT ... SELECT``.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import timedelta
from importlib import resources
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from analysis.classify import Classification
from mentions.errors import DatabaseLockedError, WarehouseError
from mentions.models import Post, SourceResult, utcnow

STALE_RUN = timedelta(hours=12)  # no run takes this long; one still "running" was killed
_LOCK_MARKERS = ("Could not set lock", "Conflicting lock", "database is locked")


def migrations() -> list[tuple[int, str, str]]:
    """(version, name, sql) for every file in warehouse/migrations, in order."""
    found = []
    for entry in resources.files("warehouse.migrations").iterdir():
        if entry.name.endswith(".sql"):
            version = int(entry.name.split("_", 1)[0])
            found.append((version, entry.name, entry.read_text(encoding="utf-8")))
    return sorted(found)


def _connect(path: Path, *, read_only: bool, lock_timeout: float) -> duckdb.DuckDBPyConnection:
    deadline = time.monotonic() + lock_timeout
    delay = 0.05
    while True:
        try:
            return duckdb.connect(str(path), read_only=read_only)
        except duckdb.Error as exc:
            text = str(exc)
            if not any(m in text for m in _LOCK_MARKERS):
                raise WarehouseError(f"cannot open database {path}: {text}") from None
            if time.monotonic() >= deadline:
                raise DatabaseLockedError(
                    f"database {path} is locked by another process and stayed locked for "
                    f"{lock_timeout:g}s (close other DuckDB sessions on it, or query a copy "
                    f"with `mentions export`). DuckDB said: {text}"
                ) from None
            time.sleep(delay)
            delay = min(delay * 2, 1.0)


@contextmanager
def connect_read_only(
    path: Path, lock_timeout: float = 10.0
) -> Iterator[duckdb.DuckDBPyConnection]:
    if not Path(path).exists():
        raise WarehouseError(f"no database at {path} (run `mentions demo` or `mentions run` first)")
    con = _connect(Path(path), read_only=True, lock_timeout=lock_timeout)
    try:
        yield con
    finally:
        con.close()


@contextmanager
def staged(
    con: duckdb.DuckDBPyConnection, name: str, table: pa.Table
) -> Iterator[duckdb.DuckDBPyConnection]:
    """``table`` visible to SQL as ``name`` for one bulk ``INSERT ... SELECT`` / ``UPDATE ...
    FROM``: the way every bulk write goes (executemany is ~100x slower in DuckDB)."""
    con.register(name, table)
    try:
        yield con
    finally:
        con.unregister(name)


def export_parquet(con: duckdb.DuckDBPyConnection, out_dir: Path) -> None:
    """Write the whole database as Parquet files people can query while runs go on."""
    # EXPORT DATABASE takes no parameters: the path is the only thing interpolated, quotes doubled.
    target = str(out_dir).replace("'", "''")
    con.execute(f"EXPORT DATABASE '{target}' (FORMAT parquet)")  # noqa: S608


def _json(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False, default=str)


class Warehouse:
    """A short-lived write session on the warehouse file. Use ``with Warehouse.open(path):``."""

    def __init__(self, con: duckdb.DuckDBPyConnection, path: Path):
        self.con = con
        self.path = path

    @classmethod
    @contextmanager
    def open(cls, path: Path | str, lock_timeout: float = 60.0) -> Iterator[Warehouse]:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        con = _connect(path, read_only=False, lock_timeout=lock_timeout)
        try:
            wh = cls(con, path)
            wh.migrate()
            yield wh
        finally:
            con.close()

    # -- schema -------------------------------------------------------------------------------

    def schema_version(self) -> int:
        # fetchall, not fetchone: DuckDB 2 keeps a half-read result open and blocks the connection.
        (exists,) = self.con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_version'"
        ).fetchall()[0]
        if not exists:
            return 0
        (version,) = self.con.execute("SELECT max(version) FROM schema_version").fetchall()[0]
        return int(version or 0)

    def migrate(self) -> int:
        """Apply pending migrations, each in its own transaction. Returns the new version."""
        self.con.execute(
            "CREATE TABLE IF NOT EXISTS schema_version ("
            "version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied TIMESTAMPTZ NOT NULL)"
        )
        current = self.schema_version()
        for version, name, sql in migrations():
            if version <= current:
                continue
            try:
                self.con.execute("BEGIN")
                self.con.execute(sql)
                self.con.execute(
                    "INSERT INTO schema_version VALUES (?, ?, ?)", [version, name, utcnow()]
                )
                self.con.execute("COMMIT")
            except duckdb.Error as exc:
                self.con.execute("ROLLBACK")
                raise WarehouseError(f"migration {name} failed on {self.path}: {exc}") from None
            current = version
        return current

    # -- runs -----------------------------------------------------------------------------------

    def start_run(self, run_id: str, flow: str) -> None:
        # A run still "running" long after it started was killed: say so rather than leave it.
        # Only old ones: an hourly watch run may well start while the nightly run is going.
        self.con.execute(
            "UPDATE runs SET status = 'killed', finished = coalesce(finished, started) "
            "WHERE status = 'running' AND started < ?",
            [utcnow() - STALE_RUN],
        )
        self.con.execute(
            "INSERT INTO runs (run_id, flow, started, status) VALUES (?, ?, ?, 'running')",
            [run_id, flow, utcnow()],
        )

    def finish_run(self, run_id: str, status: str, summary: dict[str, Any]) -> None:
        self.con.execute(
            "UPDATE runs SET finished = ?, status = ?, summary = ? WHERE run_id = ?",
            [utcnow(), status, _json(summary), run_id],
        )

    def record_sources(
        self,
        run_id: str,
        results: Sequence[SourceResult],
        matched: dict[str, int],
        new: dict[str, int],
    ) -> None:
        rows = pa.table(
            {
                "run_id": [run_id] * len(results),
                "source": [r.source for r in results],
                "kind": [r.kind for r in results],
                "started": pa.array([r.started for r in results], pa.timestamp("us", tz="UTC")),
                "finished": pa.array([r.finished for r in results], pa.timestamp("us", tz="UTC")),
                "status": [r.status for r in results],
                "error": [r.error for r in results],
                "http_status": pa.array([r.http_status for r in results], pa.int32()),
                "items_seen": [r.items_seen for r in results],
                "matched": [matched.get(r.source, 0) for r in results],
                "new_posts": [new.get(r.source, 0) for r in results],
            }
        )
        with staged(self.con, "staged_source_runs", rows):
            self.con.execute(
                "INSERT OR REPLACE INTO source_runs BY NAME SELECT * FROM staged_source_runs"
            )

    # -- incremental state ----------------------------------------------------------------------

    def load_states(self) -> dict[str, dict[str, Any]]:
        rows = self.con.execute("SELECT source, state FROM source_state").fetchall()
        return {source: json.loads(state) for source, state in rows}

    def save_states(self, states: dict[str, dict[str, Any]]) -> None:
        if not states:
            return
        now = utcnow()
        rows = pa.table(
            {
                "source": list(states),
                "state": [_json(s) for s in states.values()],
                "updated": pa.array([now] * len(states), pa.timestamp("us", tz="UTC")),
            }
        )
        with staged(self.con, "staged_state", rows):
            self.con.execute(
                "INSERT OR REPLACE INTO source_state "
                "SELECT source, state::JSON, updated FROM staged_state"
            )

    # -- posts and labels -----------------------------------------------------------------------

    def save_posts(
        self, run_id: str, posts: Sequence[Post], terms: Sequence[Sequence[str]]
    ) -> set[str]:
        """Insert posts not stored yet (by post_id). Returns the post_ids that were new."""
        if not posts:
            return set()
        ts = pa.timestamp("us", tz="UTC")
        rows = pa.table(
            {
                "post_id": [p.post_id for p in posts],
                "post_key": [p.key for p in posts],
                "source": [p.source for p in posts],
                "source_name": [p.source_name for p in posts],
                "url": [p.url for p in posts],
                "title": [p.title for p in posts],
                "text": [p.text for p in posts],
                "author": [p.author for p in posts],
                "published": pa.array([p.published for p in posts], ts),
                "fetched": pa.array([p.fetched for p in posts], ts),
                "content_hash": [p.content_hash for p in posts],
                "matched_terms": pa.array([list(t) for t in terms], pa.list_(pa.string())),
                "extra": [_json(p.extra) for p in posts],
            }
        )
        # One statement (atomic on its own); callers that must also store the labels, as
        # ``pipeline.store`` does, hold the transaction so posts never land without them.
        with staged(self.con, "staged_posts", rows):
            new_ids = self.con.execute(
                """
                INSERT INTO posts
                SELECT s.post_id, s.post_key,
                       coalesce(prev.version, 0)
                         + row_number() OVER (PARTITION BY s.post_key ORDER BY s.fetched, s.post_id),
                       s.source, s.source_name, s.url, s.title, s.text, s.author, s.published,
                       s.fetched, ?, s.content_hash, s.matched_terms, s.extra::JSON
                FROM (SELECT DISTINCT ON (post_id) * FROM staged_posts) s
                LEFT JOIN (SELECT post_key, max(version) AS version FROM posts GROUP BY 1) prev
                       USING (post_key)
                WHERE s.post_id NOT IN (SELECT post_id FROM posts)
                RETURNING post_id
                """,
                [run_id],
            ).fetchall()
        return {row[0] for row in new_ids}

    def save_classifications(
        self, run_id: str | None, post_ids: Sequence[str], labels: Sequence[Classification]
    ) -> None:
        if not post_ids:
            return
        now = utcnow()
        rows = pa.table(
            {
                "post_id": list(post_ids),
                "classified_at": pa.array([now] * len(post_ids), pa.timestamp("us", tz="UTC")),
                "run_id": [run_id] * len(post_ids),
                "label": [c.label for c in labels],
                "subreason": [c.subreason for c in labels],
                "confidence": [float(c.confidence) for c in labels],
                "explanation": [c.explanation for c in labels],
                "model_version": [c.model_version for c in labels],
                "details": [_json(c.details or None) for c in labels],
            }
        )
        with staged(self.con, "staged_labels", rows):
            self.con.execute(
                "INSERT INTO classifications BY NAME "
                "SELECT * REPLACE (details::JSON AS details) FROM staged_labels"
            )
