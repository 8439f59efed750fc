"""Delivery of alerts and digests: email over SMTP and chat webhooks (Slack, Teams Workflows),
through an outbox in the warehouse so nothing is lost and nothing is sent twice.

- ``messages``: pure: what each person is told (subject, text, structured payload).
- ``outbox``: queue / claim / record in DuckDB; retries with exponential backoff.
- ``email`` and ``webhook``: the channels; they never touch the database.
- ``sinks``: a local SMTP mailbox and a local webhook receiver for the demo and the tests.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True, slots=True)
class Outgoing:
    """One message for one person on one channel, before it is queued."""

    dedupe_key: str  # unique in the outbox: queueing the same key again is a no-op
    kind: str  # alert, escalation, reassigned, relabelled, digest
    channel: str  # email, slack, teams
    person: str  # person id from the profile
    recipient: str  # email address, or the person id for webhooks (URLs are secrets)
    subject: str
    body: str
    payload: dict[str, Any] = field(default_factory=dict)
    case_id: int | None = None
    digest_id: str | None = None


@dataclass(frozen=True, slots=True)
class Claimed:
    """An outbox row taken for sending by this run."""

    message_id: str
    kind: str
    channel: str
    person: str
    recipient: str
    subject: str
    body: str
    payload: dict[str, Any]
    attempts: int  # before this attempt
    case_id: int | None = None
    claimed_at: datetime | None = None  # which claim holds the row (``record`` checks it)


@dataclass(frozen=True, slots=True)
class Result:
    message_id: str
    ok: bool
    error: str | None = None


__all__ = ["Claimed", "Outgoing", "Result"]
