"""The outbox: every message is a row before it is sent, so nothing is lost and nothing is sent
twice.

1. ``queue`` inserts messages; the unique ``dedupe_key`` makes queueing again (a re-run) a no-op.
2. ``claim`` marks due rows ``sending`` (short write session) and returns them.
3. ``deliver`` sends them with the database closed: email and webhooks run side by side, so one
   slow or failing channel never holds up another, and a failure affects only its own messages.
4. ``record`` marks each ``sent``, or schedules a retry with exponential backoff, or gives up
   (``failed``) after ``max_attempts``; every outcome goes in the audit log.

A run killed between claim and record leaves rows ``sending``; they are claimed again when their
lease runs out (at-least-once: the email Message-ID stays the same, so a duplicate is
recognisable). Rows already ``sent`` are never claimed again. The lease is computed per claim
(``lease_seconds``) from the batch it covers: the longest its delivery pass can take when every
server answers just inside its timeout, so a second run never claims rows a slow pass is still
sending.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from typing import Any

import duckdb
import pyarrow as pa

from mentions.settings import Settings
from notify import Claimed, Outgoing, Result
from warehouse.cases import AuditEntry, append_audit
from warehouse.db import staged

_TS = pa.timestamp("us", tz="UTC")
SYSTEM = "school-mentions"

# The longest a delivery pass can take, for its lease. Every wait on a server is bounded by the
# channel's timeout; a channel sends its messages one after another; email and webhooks go side
# by side. Waits per SMTP connection: connect, greeting, EHLO, STARTTLS, EHLO, AUTH (two
# replies), QUIT; per email: MAIL, RCPT, DATA, the message, its reply. Per webhook post:
# connect (with TLS), send, reply. (A server that trickles bytes slower than the timeout can
# still outlast this: ``record`` then leaves alone rows another pass has re-claimed or sent.)
SMTP_WAITS_PER_CONNECTION = 8
SMTP_WAITS_PER_EMAIL = 5
WEBHOOK_WAITS_PER_POST = 3
LEASE_MARGIN_SECONDS = 60.0


def queue(con: duckdb.DuckDBPyConnection, messages: Sequence[Outgoing], now: datetime) -> int:
    """Insert messages not queued before (by dedupe key). Returns how many were new."""
    if not messages:
        return 0
    rows = pa.table(
        {
            "message_id": [uuid.uuid4().hex for _ in messages],
            "dedupe_key": [m.dedupe_key for m in messages],
            "kind": [m.kind for m in messages],
            "case_id": pa.array([m.case_id for m in messages], pa.int32()),
            "digest_id": [m.digest_id for m in messages],
            "channel": [m.channel for m in messages],
            "person": [m.person for m in messages],
            "recipient": [m.recipient for m in messages],
            "subject": [m.subject for m in messages],
            "body": [m.body for m in messages],
            "payload": [json.dumps(m.payload, ensure_ascii=False, default=str) for m in messages],
            "next_attempt": pa.array([now] * len(messages), _TS),
            "created": pa.array([now] * len(messages), _TS),
        }
    )
    with staged(con, "staged_outbox", rows):
        inserted = con.execute(
            """
            INSERT INTO outbox BY NAME
            SELECT * REPLACE (payload::JSON AS payload)
            FROM (SELECT DISTINCT ON (dedupe_key) * FROM staged_outbox)
            ON CONFLICT DO NOTHING
            RETURNING message_id
            """
        ).fetchall()
    return len(inserted)


def pass_seconds(settings: Settings, channels: Sequence[str]) -> float:
    """The longest a delivery pass over messages on these channels can take (see above)."""
    emails = sum(channel == "email" for channel in channels)
    hooks = len(channels) - emails
    smtp_waits = (SMTP_WAITS_PER_CONNECTION + SMTP_WAITS_PER_EMAIL * emails) if emails else 0
    return max(
        smtp_waits * settings.routing.smtp.timeout_seconds,
        WEBHOOK_WAITS_PER_POST * hooks * settings.routing.outbox.webhook_timeout_seconds,
    )


def lease_seconds(settings: Settings, channels: Sequence[str]) -> float:
    """How long a claim holds its messages: the longest pass over them, the wait for the database
    lock to record the outcome, and a margin; never less than ``sending_lease_seconds``."""
    worst = (
        pass_seconds(settings, channels)
        + settings.database.lock_timeout_seconds
        + LEASE_MARGIN_SECONDS
    )
    return max(settings.routing.outbox.sending_lease_seconds, worst)


def claim(
    con: duckdb.DuckDBPyConnection, settings: Settings, now: datetime, limit: int = 1000
) -> list[Claimed]:
    """Take the messages that are due (pending and past next_attempt, or stuck sending past their
    lease) and mark them sending, leased for as long as a pass over this batch can take."""
    batch = con.execute(
        """
        SELECT message_id, channel FROM outbox
        WHERE (status = 'pending' AND next_attempt <= ?)
           OR (status = 'sending' AND lease_until <= ?)
        ORDER BY created, message_id
        LIMIT ?
        """,
        [now, now, limit],
    ).fetchall()
    if not batch:
        return []
    lease_until = now + timedelta(seconds=lease_seconds(settings, [c for _, c in batch]))
    # The due condition again, so a row is only taken while still due: the lease above was
    # computed for exactly these rows.
    rows = con.execute(
        """
        UPDATE outbox SET status = 'sending', claimed_at = ?, lease_until = ?
        WHERE list_contains(?, message_id)
          AND ((status = 'pending' AND next_attempt <= ?)
               OR (status = 'sending' AND lease_until <= ?))
        RETURNING message_id, kind, channel, person, recipient, subject, body, payload,
                  attempts, case_id
        """,
        [now, lease_until, [m for m, _ in batch], now, now],
    ).fetchall()
    return [
        Claimed(
            message_id=r[0],
            kind=r[1],
            channel=r[2],
            person=r[3],
            recipient=r[4],
            subject=r[5],
            body=r[6],
            payload=json.loads(r[7]) if isinstance(r[7], str) else dict(r[7] or {}),
            attempts=int(r[8]),
            case_id=r[9],
            claimed_at=now,
        )
        for r in rows
    ]


def deliver(settings: Settings, messages: Sequence[Claimed]) -> list[Result]:
    """Send, with no database open. Channels run in parallel; never raises for a send failure."""
    from notify.email import send_emails
    from notify.webhook import send_webhooks

    emails = [m for m in messages if m.channel == "email"]
    hooks = [m for m in messages if m.channel != "email"]
    with ThreadPoolExecutor(max_workers=2, thread_name_prefix="notify") as pool:
        futures = [
            pool.submit(send_emails, settings, emails),
            pool.submit(send_webhooks, settings, hooks),
        ]
        results: list[Result] = []
        for future, batch in zip(futures, (emails, hooks), strict=True):
            try:
                results += future.result()
            except Exception as exc:  # noqa: BLE001 - a bug in one channel must not lose the other
                results += [
                    Result(m.message_id, False, f"{type(exc).__name__}: {exc}"[:500]) for m in batch
                ]
    return results


def backoff(settings: Settings, attempts: int) -> timedelta:
    """Delay before the next try after ``attempts`` failed attempts: base * 2^(attempts-1)."""
    cfg = settings.routing.outbox
    seconds = cfg.backoff_seconds * (2 ** max(attempts - 1, 0))
    return timedelta(seconds=min(seconds, cfg.max_backoff_seconds))


def record(
    con: duckdb.DuckDBPyConnection,
    settings: Settings,
    claimed: Sequence[Claimed],
    results: Sequence[Result],
    now: datetime,
) -> dict[str, int]:
    """Write the outcome of a delivery pass and audit it. Returns sent / failed / gave_up.

    Only rows still held by this pass's claim are updated: a pass that outlived its lease must
    not turn a row that another pass has since sent, or re-claimed and is still sending, back
    into ``pending`` (it would be sent once more)."""
    by_id = {c.message_id: c for c in claimed}
    max_attempts = settings.routing.outbox.max_attempts
    ids, statuses, attempts, next_at, errors, sent_at, held = [], [], [], [], [], [], []
    audit: list[AuditEntry] = []
    counts = {"sent": 0, "failed": 0, "gave_up": 0}
    for result in results:
        msg = by_id[result.message_id]
        tries = msg.attempts + 1
        if result.ok:
            status, when, counts["sent"] = "sent", now, counts["sent"] + 1
        else:
            counts["failed"] += 1
            status = "failed" if tries >= max_attempts else "pending"
            counts["gave_up"] += status == "failed"
            when = None
        ids.append(msg.message_id)
        statuses.append(status)
        attempts.append(tries)
        next_at.append(now + backoff(settings, tries) if status == "pending" else now)
        errors.append(result.error)
        sent_at.append(when)
        held.append(msg.claimed_at)
        detail: dict[str, Any] = {
            "message_id": msg.message_id,
            "kind": msg.kind,
            "channel": msg.channel,
            "person": msg.person,
            "attempt": tries,
        }
        if not result.ok:
            detail["error"] = result.error
        action = (
            "alert_sent"
            if result.ok
            else ("alert_gave_up" if status == "failed" else "alert_failed")
        )
        audit.append(AuditEntry(SYSTEM, action, msg.case_id, detail))
    if not ids:
        return counts
    rows = pa.table(
        {
            "message_id": ids,
            "status": statuses,
            "attempts": pa.array(attempts, pa.int32()),
            "next_attempt": pa.array(next_at, _TS),
            "last_error": pa.array(errors, pa.string()),
            "sent_at": pa.array(sent_at, _TS),
            "claimed_at": pa.array(held, _TS),
        }
    )
    with staged(con, "staged_results", rows):
        con.execute(
            """
            UPDATE outbox SET status = s.status, attempts = s.attempts,
                   next_attempt = s.next_attempt, last_error = s.last_error,
                   sent_at = s.sent_at, claimed_at = NULL, lease_until = NULL
            FROM staged_results s
            WHERE outbox.message_id = s.message_id AND outbox.status = 'sending'
              AND (s.claimed_at IS NULL OR outbox.claimed_at = s.claimed_at)
            """
        )
    append_audit(con, audit, now)
    return counts


def pending_count(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    rows = con.execute("SELECT status, count(*) FROM outbox GROUP BY status").fetchall()
    return {status: int(n) for status, n in rows}


def requeue_failed(con: duckdb.DuckDBPyConnection, now: datetime) -> int:
    """Give messages that were given up on another round of attempts (after fixing a channel)."""
    rows = con.execute(
        "UPDATE outbox SET status = 'pending', attempts = 0, next_attempt = ? "
        "WHERE status = 'failed' RETURNING message_id",
        [now],
    ).fetchall()
    return len(rows)
