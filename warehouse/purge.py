"""Retention: delete what the school no longer may keep (``[privacy]`` in the profile).

Two clocks, both counted from when a run last found the post (its newest ``fetched``):

* ``retention_days`` (default 365) for every post;
* ``pupil_retention_days`` (default 90) for items about pupils: any version ever labelled, or
  corrected to, ``privacy_breach``, and any post whose case is ``privacy_breach`` or flagged
  ``about_pupils``.

A post expires as a whole (every version of its key), and with it everything hanging off it:

* deleted: ``posts``, ``classifications``, ``evidence``, ``corrections``;
* outbox: alerts and digests about it that were sent keep their row (who was told, when, on which
  channel) but lose subject, body and payload; unsent ones are deleted (a pending row with no
  content cannot be sent, and ``requeue_failed`` must not revive one);
* a deleted unsent digest also listed cases that are not expiring: they lose their ``digest_id``
  so the next digest lists them (at least once: someone whose copy of the old digest was sent
  may see them twice, nobody misses them);
* cases are kept as content-free records (label, roles, times, so response-time figures stay
  true and case numbers are never reused, which would mix two cases in the audit log): notes,
  post key and post id are scrubbed; a case still unresolved is closed as resolved by ``purge``.

The audit log is never touched: its rows are hash-chained, and deleting one would break
``mentions audit verify``. The purge adds one ``purge`` entry with the counts.

Everything runs in one transaction: a failure leaves the database as it was. ``dry_run`` runs the
very same statements and rolls back, so the counts it reports are exact. SQL is parameterised.

If an expired item is still online, a later run finds it again and opens a new case: it is still
public, so that is what should happen.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import duckdb

from mentions.settings import Settings
from warehouse.cases import AuditEntry, append_audit

ACTOR = "school-mentions"
PURGED = "[purged]"

# Post keys whose newest version is older than the general cutoff, or which are about pupils and
# older than the pupil cutoff. Params: general cutoff, pupil cutoff.
_EXPIRED_KEYS = """
WITH newest AS (
    SELECT post_key, max(fetched) AS fetched FROM posts GROUP BY post_key
), pupil_keys AS (
    SELECT p.post_key FROM classifications c JOIN posts p USING (post_id)
    WHERE c.subreason = 'privacy_breach'
    UNION SELECT post_key FROM corrections WHERE subreason = 'privacy_breach'
    UNION SELECT post_key FROM cases WHERE about_pupils OR subreason = 'privacy_breach'
)
SELECT n.post_key, n.post_key IN (SELECT post_key FROM pupil_keys) AS about_pupils
FROM newest n
WHERE n.fetched < ?
   OR (n.fetched < ? AND n.post_key IN (SELECT post_key FROM pupil_keys))
ORDER BY n.post_key
"""


def _count(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any]) -> int:
    # RETURNING 1 and fetchall: the row count, and nothing left half-read on the connection.
    return len(con.execute(sql + " RETURNING 1", params).fetchall())


def purge(
    con: duckdb.DuckDBPyConnection,
    settings: Settings,
    now: datetime,
    *,
    dry_run: bool = False,
) -> dict[str, Any]:
    """Delete expired data in one transaction (owned here: call it outside any other). Returns
    the counts, with ``dry_run`` telling whether anything was kept."""
    cfg = settings.privacy
    cutoff = now - timedelta(days=cfg.retention_days)
    pupil_cutoff = now - timedelta(days=cfg.pupil_retention_days)
    con.execute("BEGIN")
    try:
        expired = con.execute(_EXPIRED_KEYS, [cutoff, pupil_cutoff]).fetchall()
        keys = [k for k, _ in expired]
        counts: dict[str, Any] = {
            "posts_expired": len(keys),
            "about_pupils": sum(bool(p) for _, p in expired),
        }
        if keys:
            counts |= _delete(con, keys, now)
        else:
            counts |= dict.fromkeys(
                (
                    "post_versions",
                    "classifications",
                    "evidence",
                    "corrections",
                    "cases_scrubbed",
                    "cases_closed",
                    "outbox_scrubbed",
                    "outbox_deleted",
                    "cases_undigested",
                ),
                0,
            )
        counts |= {
            "cutoff": cutoff.isoformat(),
            "pupil_cutoff": pupil_cutoff.isoformat(),
            "dry_run": dry_run,
        }
        if not dry_run:
            # Counts and cutoffs only: never the keys (URLs can name a pupil).
            append_audit(con, [AuditEntry(ACTOR, "purge", None, counts)], now)
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("ROLLBACK" if dry_run else "COMMIT")
    return counts


def _delete(con: duckdb.DuckDBPyConnection, keys: list[str], now: datetime) -> dict[str, int]:
    counts: dict[str, int] = {}
    case_ids = [
        int(r[0])
        for r in con.execute(
            "SELECT case_id FROM cases WHERE list_contains(?::VARCHAR[], post_key)", [keys]
        ).fetchall()
    ]
    digests = [
        r[0]
        for r in con.execute(
            "SELECT DISTINCT digest_id FROM cases "
            "WHERE list_contains(?::INTEGER[], case_id) AND digest_id IS NOT NULL",
            [case_ids],
        ).fetchall()
    ]
    # Messages about the expired cases: their alerts, and the digests that listed them.
    deleted = con.execute(
        "DELETE FROM outbox WHERE status <> 'sent' "
        "AND (list_contains(?::INTEGER[], case_id) OR list_contains(?::VARCHAR[], digest_id)) "
        "RETURNING digest_id",
        [case_ids, digests],
    ).fetchall()
    counts["outbox_deleted"] = len(deleted)
    # A digest deleted unsent listed other cases too: un-mark the ones that stay, or they would
    # count as digested although no digest with them was ever sent.
    unsent_digests = sorted({d for (d,) in deleted if d is not None})
    counts["cases_undigested"] = _count(
        con,
        "UPDATE cases SET digest_id = NULL WHERE list_contains(?::VARCHAR[], digest_id) "
        "AND NOT list_contains(?::INTEGER[], case_id)",
        [unsent_digests, case_ids],
    )
    counts["outbox_scrubbed"] = _count(
        con,
        "UPDATE outbox SET subject = ?, body = ?, payload = ?::JSON WHERE status = 'sent' "
        "AND (list_contains(?::INTEGER[], case_id) OR list_contains(?::VARCHAR[], digest_id)) "
        "AND body <> ?",
        [PURGED, PURGED, '{"purged": true}', case_ids, digests, PURGED],
    )
    counts["classifications"] = _count(
        con,
        "DELETE FROM classifications WHERE post_id IN "
        "(SELECT post_id FROM posts WHERE list_contains(?::VARCHAR[], post_key))",
        [keys],
    )
    counts["evidence"] = _count(
        con, "DELETE FROM evidence WHERE list_contains(?::VARCHAR[], post_key)", [keys]
    )
    counts["corrections"] = _count(
        con, "DELETE FROM corrections WHERE list_contains(?::VARCHAR[], post_key)", [keys]
    )
    counts["cases_closed"] = _count(
        con,
        "UPDATE cases SET status = 'resolved', resolved_at = ?, resolved_by = 'purge' "
        "WHERE list_contains(?::INTEGER[], case_id) AND status <> 'resolved'",
        [now, case_ids],
    )
    # The key (a URL) and post id go: the case keeps no pointer to what was said.
    counts["cases_scrubbed"] = _count(
        con,
        "UPDATE cases SET post_key = ?, post_id = ?, notes = NULL "
        "WHERE list_contains(?::INTEGER[], case_id)",
        [PURGED, PURGED, case_ids],
    )
    counts["post_versions"] = _count(
        con, "DELETE FROM posts WHERE list_contains(?::VARCHAR[], post_key)", [keys]
    )
    return counts


def purge_database(
    settings: Settings, now: datetime | None = None, *, dry_run: bool = False
) -> dict[str, Any]:
    """Open the warehouse (short write session, lock retry) and purge: for the CLI and flows."""
    from mentions.models import utcnow
    from warehouse.db import Warehouse

    path, timeout = settings.database.path, settings.database.lock_timeout_seconds
    with Warehouse.open(path, timeout) as wh:
        return purge(wh.con, settings, now or utcnow(), dry_run=dry_run)
