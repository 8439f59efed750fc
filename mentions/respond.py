"""The respond step at the end of a run: open cases, keep evidence, alert, escalate, deliver.

``respond(settings, run_id)`` is what the flows call after ``store``. It works in two short write
sessions with the sending in between, database closed, so a slow SMTP server never holds the
DuckDB lock (which would block people's queries):

1. one transaction: a case for every newly classified post (routing + due time), evidence for
   inappropriate items, alerts for urgent labels queued, overdue cases escalated once, the daily
   digest queued when it is time; then the due outbox messages are claimed;
2. send (email and webhooks side by side);
3. record the outcome (sent / retry later / gave up) and audit it.

The helpers here are also used by the triage commands (``mentions cases ...``).
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any

import duckdb

from analysis import due as due_rules
from analysis.routing import escalation_people, route
from mentions.models import Post, utcnow
from mentions.settings import Settings
from notify import Outgoing
from notify import outbox as ob
from notify.messages import case_messages, digest_messages
from warehouse import Warehouse
from warehouse import cases as wc

log = logging.getLogger(__name__)
SYSTEM = ob.SYSTEM


def compute_due(settings: Settings, received: datetime, label: str, details: Any) -> datetime:
    r = settings.routing
    deadline = None
    if label == "media_enquiry" and isinstance(details, dict):
        deadline = due_rules.parse_deadline(details.get("deadline"), settings.school.tz)
    return due_rules.due_time(
        received,
        sla_hours=r.sla_hours,
        working_day_start=r.working_day_start,
        closure_days=r.closure_days,
        bank_holidays=r.bank_holidays,
        tz=settings.school.tz,
        deadline=deadline,
    )


def open_cases(
    con: duckdb.DuckDBPyConnection,
    settings: Settings,
    run_id: str | None,
    now: datetime,
    html: dict[str, str | None] | None = None,
) -> dict[str, Any]:
    """Cases, evidence, alerts and audit for posts classified in this run that have none yet.
    Caller holds the transaction."""
    rows = wc.uncased_mentions(con, run_id)
    if not rows:
        return {"cases_opened": 0, "alerts_queued": 0, "evidence_saved": 0, "unreachable": []}
    next_id = wc.next_case_id(con)
    new_cases: list[dict[str, Any]] = []
    for offset, row in enumerate(rows):
        details = row.get("details")
        if isinstance(details, str):
            details = json.loads(details)
        decision = route(
            settings.routing,
            row["label"],
            row["subreason"],
            f"{row['title'] or ''}\n{row['text'] or ''}",
        )
        received = row["fetched"]
        new_cases.append(
            {
                **row,
                "details": details or {},
                "case_id": next_id + offset,
                "role": decision.role,
                "roles": decision.roles,
                "notify": decision.notify,
                "urgent": decision.urgent,
                "assignee": decision.assignee,
                "deputy": decision.deputy,
                "about_pupils": decision.about_pupils,
                "received": received,
                "due": compute_due(settings, received, row["label"], details),
                "created": now,
                "run_id": run_id,
            }
        )
    wc.insert_cases(con, new_cases)
    evidence = wc.snapshot_evidence(
        con, [c["post_id"] for c in new_cases if c["label"] == "inappropriate"], now, html
    )
    messages: list[Outgoing] = []
    unreachable: set[str] = set()
    audit: list[wc.AuditEntry] = []
    for case in new_cases:
        audit.append(
            wc.AuditEntry(
                SYSTEM,
                "case_opened",
                case["case_id"],
                {
                    # The post id (a content hash), never the key: the key is a URL, which can
                    # name a pupil, and the audit log is never purged (it is hash-chained).
                    "post_id": case["post_id"],
                    "label": case["label"],
                    "subreason": case["subreason"],
                    "role": case["role"],
                    "assignee": case["assignee"],
                    "due": case["due"].isoformat(),
                },
            )
        )
        if case["urgent"]:
            msgs, nobody = case_messages(settings, case, "alert", case["notify"])
            messages += msgs
            unreachable.update(nobody)
            audit.append(
                wc.AuditEntry(
                    SYSTEM,
                    "alert_queued",
                    case["case_id"],
                    {"people": list(case["notify"]), "messages": len(msgs)},
                )
            )
    queued = ob.queue(con, messages, now)
    wc.append_audit(con, audit, now)
    unassigned = [c["case_id"] for c in new_cases if c["assignee"] is None]
    if unassigned:
        log.warning("cases with nobody in their role (fill routing.roles): %s", unassigned)
    return {
        "cases_opened": len(new_cases),
        "cases_by_label": dict(Counter(c["label"] for c in new_cases)),
        "alerts_queued": queued,
        "evidence_saved": evidence,
        "unassigned_cases": unassigned,
        "unreachable": sorted(unreachable),
    }


def escalate(con: duckdb.DuckDBPyConnection, settings: Settings, now: datetime) -> dict[str, Any]:
    """Escalate every open case past due, once: to the owning role's deputy and the head."""
    overdue = wc.overdue_cases(con, settings.routing.escalate_labels, now)
    messages: list[Outgoing] = []
    audit: list[wc.AuditEntry] = []
    unreachable: set[str] = set()
    for case in overdue:
        people = escalation_people(settings.routing, case["deputy"])
        msgs, nobody = case_messages(
            settings, case, "escalation", people, reason="not acknowledged by the due time"
        )
        messages += msgs
        unreachable.update(nobody)
        audit.append(
            wc.AuditEntry(
                SYSTEM,
                "escalated",
                case["case_id"],
                {"to": list(people), "due": case["due"].isoformat(), "messages": len(msgs)},
            )
        )
    wc.mark_escalated(con, [c["case_id"] for c in overdue], now)
    queued = ob.queue(con, messages, now)
    wc.append_audit(con, audit, now)
    return {
        "escalated": len(overdue),
        "escalations_queued": queued,
        "unreachable": sorted(unreachable),
    }


def queue_digest(
    con: duckdb.DuckDBPyConnection, settings: Settings, now: datetime, *, force: bool = False
) -> dict[str, Any]:
    """Queue today's digest of neutral cases: once per school-local day, from the first run at or
    after ``routing.digest_time`` (``force`` ignores the time and sends what is waiting)."""
    local = now.astimezone(settings.school.tz)
    digest_id = f"digest-{local.date().isoformat()}"
    if not force and (
        local.time() < settings.routing.digest_time or wc.digest_exists(con, digest_id)
    ):
        return {"digest_items": 0}
    if force and wc.digest_exists(con, digest_id):
        digest_id = f"{digest_id}-{local:%H%M%S}"
    cases = wc.undigested_cases(con)
    if not cases:
        return {"digest_items": 0}
    messages, nobody = digest_messages(settings, digest_id, local.date().isoformat(), cases)
    wc.mark_digested(con, [c["case_id"] for c in cases], digest_id)
    queued = ob.queue(con, messages, now)
    wc.append_audit(
        con,
        [
            wc.AuditEntry(
                SYSTEM,
                "digest_queued",
                None,
                {
                    "digest_id": digest_id,
                    "cases": [c["case_id"] for c in cases],
                    "messages": len(messages),
                },
            )
        ],
        now,
    )
    return {"digest_items": len(cases), "digest_queued": queued, "unreachable": nobody}


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    con.execute("BEGIN")
    try:
        yield
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")


def send_outbox(settings: Settings, now: datetime | None = None) -> dict[str, Any]:
    """Claim due messages, send them with the database closed, record the outcome."""
    now = now or utcnow()
    path, timeout = settings.database.path, settings.database.lock_timeout_seconds
    with Warehouse.open(path, timeout) as wh:
        claimed = ob.claim(wh.con, settings, now)
    return _deliver_and_record(settings, claimed, now)


def _deliver_and_record(
    settings: Settings, claimed: Sequence[ob.Claimed], now: datetime
) -> dict[str, Any]:
    if not claimed:
        return {"alerts_sent": 0, "alerts_failed": 0, "alerts_gave_up": 0, "delivery_errors": []}
    results = ob.deliver(settings, claimed)
    path, timeout = settings.database.path, settings.database.lock_timeout_seconds
    with Warehouse.open(path, timeout) as wh, transaction(wh.con):
        counts = ob.record(wh.con, settings, claimed, results, now)
    errors = sorted({r.error for r in results if not r.ok and r.error})
    return {
        "alerts_sent": counts["sent"],
        "alerts_failed": counts["failed"],
        "alerts_gave_up": counts["gave_up"],
        "delivery_errors": errors[:20],
    }


def respond(
    settings: Settings,
    run_id: str | None,
    now: datetime | None = None,
    posts: Iterable[Post] | None = None,
) -> dict[str, Any]:
    """Everything after ``store``: returns counts for the run summary (never secrets).

    ``posts`` (the run's in-memory posts) lets evidence keep the page HTML, which the warehouse
    does not store; without it evidence keeps title and text only.
    """
    now = now or utcnow()
    html = {p.post_id: p.raw_html for p in posts or () if p.raw_html}
    path, timeout = settings.database.path, settings.database.lock_timeout_seconds
    with Warehouse.open(path, timeout) as wh:
        with transaction(wh.con):
            opened = open_cases(wh.con, settings, run_id, now, html)
            escalated = escalate(wh.con, settings, now)
            digest = queue_digest(wh.con, settings, now)
        claimed = ob.claim(wh.con, settings, now)
    delivered = _deliver_and_record(settings, claimed, now)
    with Warehouse.open(path, timeout) as wh:
        pending = ob.pending_count(wh.con)
        head = wc.audit_head(wh.con)
    unreachable = sorted(
        {*opened.get("unreachable", []), *escalated["unreachable"], *digest.get("unreachable", [])}
    )
    return {
        "cases_opened": opened["cases_opened"],
        "cases_by_label": opened.get("cases_by_label", {}),
        "alerts_queued": opened["alerts_queued"]
        + escalated["escalations_queued"]
        + digest.get("digest_queued", 0),
        "alerts_sent": delivered["alerts_sent"],
        "alerts_failed": delivered["alerts_failed"],
        "alerts_gave_up": delivered["alerts_gave_up"],
        "alerts_pending": pending.get("pending", 0) + pending.get("sending", 0),
        "delivery_errors": delivered["delivery_errors"],
        "escalated": escalated["escalated"],
        "digest_items": digest["digest_items"],
        "evidence_saved": opened["evidence_saved"],
        "unassigned_cases": opened.get("unassigned_cases", []),
        "unreachable_people": unreachable,
        "audit_head": head,
    }


# -- triage changes that also alert (used by `mentions cases reassign|relabel`) ----------------


def reassign_case(
    settings: Settings, case_id: int, role: str, by: str, now: datetime
) -> dict[str, Any]:
    """Give a case to another role: its first person becomes the assignee and is alerted."""
    routing = settings.routing
    if role not in routing.roles:
        raise wc.CaseError(f"unknown role {role!r} (roles: {', '.join(sorted(routing.roles))})")
    path, timeout = settings.database.path, settings.database.lock_timeout_seconds
    with Warehouse.open(path, timeout) as wh, transaction(wh.con):
        case = wc.get_case(wh.con, case_id)
        if case["status"] == "resolved":
            raise wc.CaseError(f"case {case_id} is resolved")
        people = routing.roles[role].people
        roles = (role, *(r for r in case["roles"] if r != role))
        wc.set_route(
            wh.con,
            case_id,
            role=role,
            roles=roles,
            assignee=people[0] if people else None,
            deputy=routing.roles[role].deputy,
        )
        wc.append_audit(
            wh.con,
            [
                wc.AuditEntry(
                    by,
                    "reassigned",
                    case_id,
                    {
                        "from_role": case["role"],
                        "to_role": role,
                        "assignee": people[0] if people else None,
                    },
                )
            ],
            now,
        )
        case = wc.get_case(wh.con, case_id)
        msgs, _ = case_messages(
            settings, case, "reassigned", people, dedupe_suffix=f":{now.isoformat()}"
        )
        ob.queue(wh.con, msgs, now)
    return case


def relabel_case(
    settings: Settings,
    case_id: int,
    label: str,
    subreason: str | None,
    by: str,
    now: datetime,
    *,
    note: str | None = None,
) -> dict[str, Any]:
    """A person's label: stored as a correction (wins over the model in v_mentions, feeds the
    next training), the case re-routed, evidence kept if it is now inappropriate, and the new
    people alerted when the new label is urgent."""
    from analysis.classify import LABELS, SUBREASONS

    if label not in LABELS:
        raise wc.CaseError(f"unknown label {label!r} (one of {', '.join(LABELS)})")
    if subreason is not None and (label != "inappropriate" or subreason not in SUBREASONS):
        raise wc.CaseError(
            f"sub-reason {subreason!r} is not valid here (inappropriate only: {', '.join(SUBREASONS)})"
        )
    path, timeout = settings.database.path, settings.database.lock_timeout_seconds
    with Warehouse.open(path, timeout) as wh, transaction(wh.con):
        case = wc.get_case(wh.con, case_id)
        wc.add_correction(wh.con, case["post_key"], label, subreason, by, now, note)
        decision = route(
            settings.routing, label, subreason, f"{case['title'] or ''}\n{case['text'] or ''}"
        )
        wc.set_route(
            wh.con,
            case_id,
            role=decision.role,
            roles=decision.roles,
            assignee=decision.assignee,
            deputy=decision.deputy,
            label=label,
            subreason=subreason,
        )
        if label == "inappropriate":
            wc.snapshot_evidence(wh.con, [case["post_id"]], now)
        wc.append_audit(
            wh.con,
            [
                wc.AuditEntry(
                    by,
                    "relabelled",
                    case_id,
                    {
                        "from": [case["label"], case["subreason"]],
                        "to": [label, subreason],
                        "role": decision.role,
                        **wc.note_digest(note),  # never the text (see note_digest)
                    },
                )
            ],
            now,
        )
        case = wc.get_case(wh.con, case_id)
        if decision.urgent and case["status"] != "resolved":
            msgs, _ = case_messages(
                settings, case, "relabelled", decision.notify, dedupe_suffix=f":{label}:{subreason}"
            )
            ob.queue(wh.con, msgs, now)
    return case
