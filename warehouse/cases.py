"""Cases, evidence, corrections and the hash-chained audit log in the warehouse.

Every function takes an open DuckDB connection (``Warehouse.con``) and leaves transactions to the
caller, except where it says otherwise. Bulk writes go through Arrow tables and one
``INSERT ... SELECT``; all SQL is parameterised. Results are always read with ``fetchall()``
(DuckDB 2 keeps a half-read result open and blocks the connection).

The audit log is append-only by convention and tamper-evident by construction: every row's hash
covers the previous row's hash, so editing, deleting or inserting a row breaks the chain from
there on (``verify_audit``). Truncating the tail is only detectable against a head hash kept
elsewhere: ``respond`` returns it in the run summary for that reason.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import duckdb
import pyarrow as pa

from mentions.errors import MentionsError
from warehouse.db import staged

GENESIS = "0" * 64
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_TS = pa.timestamp("us", tz="UTC")
STATUSES = ("open", "acknowledged", "resolved")


class CaseError(MentionsError):
    """A triage command cannot be done: no such case, wrong state, unknown role or label."""


def _rows(cur: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    columns = [d[0] for d in cur.description or []]
    return [dict(zip(columns, row, strict=True)) for row in cur.fetchall()]


def _utc(value: datetime | None) -> datetime | None:
    return None if value is None else value.astimezone(UTC)


def _micros(moment: datetime) -> int:
    return (moment.astimezone(UTC) - _EPOCH) // timedelta(microseconds=1)


def _canonical(detail: Mapping[str, Any]) -> str:
    return json.dumps(
        detail, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str
    )


def _chain_hash(
    prev: str, seq: int, at_us: int, actor: str, action: str, case_id: int | None, detail: str
) -> str:
    body = json.dumps([prev, seq, at_us, actor, action, case_id, detail], ensure_ascii=False)
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


# -- audit log ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AuditEntry:
    actor: str
    action: str  # case_opened, alert_sent, alert_failed, acknowledged, resolved, ...
    case_id: int | None = None
    detail: Mapping[str, Any] | None = None


def append_audit(
    con: duckdb.DuckDBPyConnection, entries: Sequence[AuditEntry], now: datetime
) -> str:
    """Append entries (in order, one bulk insert) and return the new head hash."""
    last = con.execute("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetchall()
    seq, prev = (int(last[0][0]), last[0][1]) if last else (0, GENESIS)
    if not entries:
        return prev
    at_us = _micros(now)
    # Stored at microsecond precision: hash exactly what the database will give back.
    at = _EPOCH + timedelta(microseconds=at_us)
    cols: dict[str, list[Any]] = {k: [] for k in ("seq", "actor", "action", "case_id", "detail")}
    cols |= {"prev_hash": [], "hash": []}
    for entry in entries:
        seq += 1
        detail = _canonical(entry.detail or {})
        digest = _chain_hash(prev, seq, at_us, entry.actor, entry.action, entry.case_id, detail)
        for key, value in (
            ("seq", seq),
            ("actor", entry.actor),
            ("action", entry.action),
            ("case_id", entry.case_id),
            ("detail", detail),
            ("prev_hash", prev),
            ("hash", digest),
        ):
            cols[key].append(value)
        prev = digest
    rows = pa.table(
        {
            "seq": pa.array(cols["seq"], pa.int64()),
            "at": pa.array([at] * len(entries), _TS),
            "actor": cols["actor"],
            "action": cols["action"],
            "case_id": pa.array(cols["case_id"], pa.int32()),
            "detail": cols["detail"],
            "prev_hash": cols["prev_hash"],
            "hash": cols["hash"],
        }
    )
    with staged(con, "staged_audit", rows):
        con.execute("INSERT INTO audit_log BY NAME SELECT * FROM staged_audit")
    return prev


def verify_audit(con: duckdb.DuckDBPyConnection) -> tuple[bool, int | None]:
    """Recompute the chain. Returns (True, None), or (False, the first seq that does not fit)."""
    rows = con.execute(
        'SELECT seq, epoch_us("at"), actor, action, case_id, detail, prev_hash, hash '
        "FROM audit_log ORDER BY seq"
    ).fetchall()
    prev, expected_seq = GENESIS, 1
    for seq, at_us, actor, action, case_id, detail, prev_hash, digest in rows:
        if seq != expected_seq or prev_hash != prev:
            return False, int(seq)
        if _chain_hash(prev, seq, at_us, actor, action, case_id, detail) != digest:
            return False, int(seq)
        prev, expected_seq = digest, seq + 1
    return True, None


def audit_head(con: duckdb.DuckDBPyConnection) -> str:
    last = con.execute("SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetchall()
    return last[0][0] if last else GENESIS


def case_audit(con: duckdb.DuckDBPyConnection, case_id: int) -> list[dict[str, Any]]:
    return _rows(
        con.execute(
            'SELECT seq, "at", actor, action, detail FROM audit_log WHERE case_id = ? ORDER BY seq',
            [case_id],
        )
    )


# -- new cases ---------------------------------------------------------------------------------


def cases_since(con: duckdb.DuckDBPyConnection) -> datetime:
    """When cases began (migration 002 applied): classifications from then on get cases, so a
    run whose respond step failed is picked up by the next run, and old history is not alerted."""
    rows = con.execute("SELECT applied FROM schema_version WHERE version = 2").fetchall()
    return _utc(rows[0][0]) if rows else _EPOCH  # type: ignore[return-value]


def uncased_mentions(con: duckdb.DuckDBPyConnection, run_id: str | None) -> list[dict[str, Any]]:
    """Latest versions of posts classified in this run (or since cases began) whose effective
    label (corrections win) has no case yet."""
    return _rows(
        con.execute(
            """
            SELECT v.post_id, v.post_key, v.label, v.subreason, v.title, v.text, v.url,
                   v.source_name, v.explanation, v.details, v.fetched
            FROM v_mentions v
            WHERE v.label IS NOT NULL
              AND v.post_id IN (SELECT post_id FROM classifications
                                WHERE run_id = ? OR classified_at >= ?)
              AND NOT EXISTS (SELECT 1 FROM cases k
                              WHERE k.post_key = v.post_key AND k.label = v.label)
            ORDER BY v.fetched, v.post_id
            """,
            [run_id, cases_since(con)],
        )
    )


def next_case_id(con: duckdb.DuckDBPyConnection) -> int:
    # One writing process at a time (DuckDB's file lock), so max + 1 cannot race.
    return int(con.execute("SELECT coalesce(max(case_id), 0) + 1 FROM cases").fetchall()[0][0])


def insert_cases(con: duckdb.DuckDBPyConnection, cases: Sequence[Mapping[str, Any]]) -> None:
    if not cases:
        return
    rows = pa.table(
        {
            "case_id": pa.array([c["case_id"] for c in cases], pa.int32()),
            "post_id": [c["post_id"] for c in cases],
            "post_key": [c["post_key"] for c in cases],
            "label": [c["label"] for c in cases],
            "subreason": [c.get("subreason") for c in cases],
            "role": [c["role"] for c in cases],
            "roles": pa.array([list(c["roles"]) for c in cases], pa.list_(pa.string())),
            "assignee": [c.get("assignee") for c in cases],
            "deputy": [c.get("deputy") for c in cases],
            "about_pupils": pa.array([bool(c.get("about_pupils")) for c in cases], pa.bool_()),
            "received": pa.array([c["received"] for c in cases], _TS),
            "due": pa.array([c["due"] for c in cases], _TS),
            "created": pa.array([c["created"] for c in cases], _TS),
            "run_id": [c.get("run_id") for c in cases],
        }
    )
    with staged(con, "staged_cases", rows):
        con.execute("INSERT INTO cases BY NAME SELECT * FROM staged_cases")


# -- evidence ----------------------------------------------------------------------------------


def _sha(text: str | None) -> str | None:
    return None if text is None else hashlib.sha256(text.encode("utf-8")).hexdigest()


def snapshot_evidence(
    con: duckdb.DuckDBPyConnection,
    post_ids: Iterable[str],
    now: datetime,
    html: Mapping[str, str | None] | None = None,
) -> int:
    """Keep what the posts said (title and text from the warehouse, page HTML when the caller
    still holds the Post with ``raw_html``). Existing snapshots are kept as they are: the first
    capture is the evidence. Returns how many were new."""
    ids = sorted(set(post_ids))
    if not ids:
        return 0
    rows = con.execute(
        "SELECT post_id, post_key, url, title, text, fetched FROM posts "
        "WHERE list_contains(?, post_id) AND post_id NOT IN (SELECT post_id FROM evidence)",
        [ids],
    ).fetchall()
    if not rows:
        return 0
    html = html or {}
    contents = [
        f"{title}\n\n{text or ''}" if title else (text or "") for _, _, _, title, text, _ in rows
    ]
    pages = [html.get(r[0]) for r in rows]
    table = pa.table(
        {
            "post_id": [r[0] for r in rows],
            "post_key": [r[1] for r in rows],
            "url": [r[2] for r in rows],
            "content": contents,
            "html": pages,
            "sha256": [_sha(c) for c in contents],
            "html_sha256": [_sha(p) for p in pages],
            "fetched": pa.array([r[5] for r in rows], _TS),
            "captured": pa.array([now] * len(rows), _TS),
        }
    )
    with staged(con, "staged_evidence", table):
        con.execute(
            "INSERT INTO evidence BY NAME SELECT * FROM staged_evidence ON CONFLICT DO NOTHING"
        )
    return len(rows)


# -- reading cases -----------------------------------------------------------------------------

_CASE_SELECT = """
    SELECT k.*, p.title, p.text, p.url, p.source_name, c.explanation, c.details
    FROM cases k
    LEFT JOIN posts p USING (post_id)
    LEFT JOIN (SELECT * FROM classifications
               QUALIFY row_number() OVER (PARTITION BY post_id ORDER BY classified_at DESC) = 1) c
           USING (post_id)
"""


def _decode(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    for row in rows:
        if isinstance(row.get("details"), str):
            row["details"] = json.loads(row["details"])
        for key in ("due", "received", "created", "acknowledged_at", "resolved_at", "escalated_at"):
            if key in row:
                row[key] = _utc(row[key])
    return rows


def get_cases(con: duckdb.DuckDBPyConnection, case_ids: Iterable[int]) -> list[dict[str, Any]]:
    ids = sorted({int(i) for i in case_ids})
    if not ids:
        return []
    return _decode(
        _rows(
            con.execute(
                _CASE_SELECT + " WHERE list_contains(?, k.case_id) ORDER BY k.case_id", [ids]
            )
        )
    )


def get_case(con: duckdb.DuckDBPyConnection, case_id: int) -> dict[str, Any]:
    found = get_cases(con, [case_id])
    if not found:
        raise CaseError(f"no case {case_id} (see `mentions cases list`)")
    return found[0]


def list_cases(
    con: duckdb.DuckDBPyConnection,
    *,
    mine: str | None = None,
    overdue: bool = False,
    include_resolved: bool = False,
    now: datetime | None = None,
) -> list[dict[str, Any]]:
    """Cases for the triage list, soonest due first. ``mine`` matches the owning role, any
    role told, or the assignee's person id."""
    where = ["(? OR k.status <> 'resolved')"]
    params: list[Any] = [include_resolved]
    if mine:
        where.append("(k.role = ? OR list_contains(k.roles, ?) OR k.assignee = ?)")
        params += [mine, mine, mine]
    if overdue:
        where.append("k.status = 'open' AND k.due < ?")
        params.append(now or datetime.now(UTC))
    sql = _CASE_SELECT + " WHERE " + " AND ".join(where) + " ORDER BY k.due, k.case_id"
    return _decode(_rows(con.execute(sql, params)))


def case_deliveries(con: duckdb.DuckDBPyConnection, case_id: int) -> list[dict[str, Any]]:
    return _rows(
        con.execute(
            "SELECT kind, channel, person, recipient, status, attempts, last_error, sent_at "
            "FROM outbox WHERE case_id = ? ORDER BY created, message_id",
            [case_id],
        )
    )


def case_evidence(con: duckdb.DuckDBPyConnection, post_key: str) -> list[dict[str, Any]]:
    return _rows(
        con.execute(
            "SELECT post_id, sha256, html_sha256, fetched, captured, html IS NOT NULL AS has_html "
            "FROM evidence WHERE post_key = ? ORDER BY captured",
            [post_key],
        )
    )


# -- changing cases (each writes its audit entry; wrap in a transaction) -----------------------


def note_digest(note: str | None) -> dict[str, Any]:
    """What the audit log keeps of a person's note: its SHA-256 and length, never the text.

    Notes can name pupils, and an audit row can never be scrubbed (the chain would break). The
    text lives only in ``cases.notes`` / ``corrections.note``, which the retention purge clears;
    the hash still shows which note went with the entry while the text exists."""
    if note is None:
        return {}
    return {"note_sha256": _sha(note), "note_chars": len(note)}


def acknowledge(
    con: duckdb.DuckDBPyConnection, case_id: int, by: str, now: datetime
) -> dict[str, Any]:
    case = get_case(con, case_id)
    if case["status"] != "open":
        raise CaseError(f"case {case_id} is already {case['status']}")
    con.execute(
        "UPDATE cases SET status = 'acknowledged', acknowledged_at = ?, acknowledged_by = ? "
        "WHERE case_id = ?",
        [now, by, case_id],
    )
    late = now > case["due"]
    append_audit(con, [AuditEntry(by, "acknowledged", case_id, {"late": late})], now)
    return get_case(con, case_id)


def resolve(
    con: duckdb.DuckDBPyConnection, case_id: int, by: str, note: str, now: datetime
) -> dict[str, Any]:
    case = get_case(con, case_id)
    if case["status"] == "resolved":
        raise CaseError(f"case {case_id} is already resolved")
    if not note.strip():
        raise CaseError("a resolution needs a note (what was done)")
    stamp = f"[{now:%Y-%m-%d %H:%M} UTC, {by}] {note.strip()}"
    # Resolving answers the item, so it also counts as the acknowledgement when none was given.
    con.execute(
        """
        UPDATE cases SET status = 'resolved', resolved_at = ?, resolved_by = ?,
               notes = CASE WHEN notes IS NULL THEN ? ELSE notes || chr(10) || ? END,
               acknowledged_at = coalesce(acknowledged_at, ?),
               acknowledged_by = coalesce(acknowledged_by, ?)
        WHERE case_id = ?
        """,
        [now, by, stamp, stamp, now, by, case_id],
    )
    append_audit(con, [AuditEntry(by, "resolved", case_id, note_digest(note.strip()))], now)
    return get_case(con, case_id)


def set_route(
    con: duckdb.DuckDBPyConnection,
    case_id: int,
    *,
    role: str,
    roles: Sequence[str],
    assignee: str | None,
    deputy: str | None,
    label: str | None = None,
    subreason: str | None = None,
) -> None:
    con.execute(
        "UPDATE cases SET role = ?, roles = ?, assignee = ?, deputy = ?, "
        "label = coalesce(?, label), subreason = CASE WHEN ? IS NULL THEN subreason ELSE ? END "
        "WHERE case_id = ?",
        [role, list(roles), assignee, deputy, label, label, subreason, case_id],
    )


def add_correction(
    con: duckdb.DuckDBPyConnection,
    post_key: str,
    label: str,
    subreason: str | None,
    by: str,
    now: datetime,
    note: str | None = None,
) -> None:
    con.execute(
        "INSERT INTO corrections (post_key, label, subreason, corrected_by, corrected_at, note) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [post_key, label, subreason, by, now, note],
    )


# -- escalation and digest ---------------------------------------------------------------------


def overdue_cases(
    con: duckdb.DuckDBPyConnection, labels: Sequence[str], now: datetime
) -> list[dict[str, Any]]:
    """Open (not acknowledged) cases past due and never escalated."""
    ids = con.execute(
        "SELECT case_id FROM cases WHERE status = 'open' AND escalated_at IS NULL AND due <= ? "
        "AND list_contains(?, label) ORDER BY case_id",
        [now, list(labels)],
    ).fetchall()
    return get_cases(con, [r[0] for r in ids])


def mark_escalated(con: duckdb.DuckDBPyConnection, case_ids: Sequence[int], now: datetime) -> None:
    if case_ids:
        con.execute(
            "UPDATE cases SET escalated_at = ? WHERE list_contains(?, case_id)",
            [now, [int(i) for i in case_ids]],
        )


def undigested_cases(
    con: duckdb.DuckDBPyConnection, label: str = "neutral"
) -> list[dict[str, Any]]:
    ids = con.execute(
        "SELECT case_id FROM cases WHERE label = ? AND digest_id IS NULL AND status <> 'resolved' "
        "ORDER BY created, case_id",
        [label],
    ).fetchall()
    return get_cases(con, [r[0] for r in ids])


def digest_exists(con: duckdb.DuckDBPyConnection, digest_id: str) -> bool:
    rows = con.execute("SELECT count(*) FROM cases WHERE digest_id = ?", [digest_id]).fetchall()
    return bool(rows[0][0])


def mark_digested(con: duckdb.DuckDBPyConnection, case_ids: Sequence[int], digest_id: str) -> None:
    if case_ids:
        con.execute(
            "UPDATE cases SET digest_id = ? WHERE list_contains(?, case_id)",
            [digest_id, [int(i) for i in case_ids]],
        )
