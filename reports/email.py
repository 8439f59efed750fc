"""Email the weekly report to the SLT: the page as the HTML body and as an attachment.

Recipients: the people of the ``slt`` role when the profile defines it (with people), otherwise
the head teacher role (``routing.head_role``). Only email: a chat card cannot carry the page.

Why this does not go through ``notify.outbox.claim``: the outbox renders every email from the
alert/digest templates and its payload, and a week's report page does not belong in a JSON
payload column. So the report is sent here, with the database closed, over the same SMTP
connection code (``notify.email``), and the outcome is recorded the outbox's way:

* each delivered message gets an outbox row, already ``sent``, whose unique dedupe key
  ``report:<week>:<person>:email`` stops a second ``--email`` for the same week from sending it
  to that person again (a failed person is simply tried again next time);
* every outcome, sent or failed, is an audit log entry (``report_sent`` / ``report_failed``).

A failed send is never left ``pending`` in the outbox: the regular delivery pass would try to
render it as an alert.
"""

from __future__ import annotations

import smtplib
import uuid
from datetime import datetime
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any

from mentions.settings import Settings
from reports.weekly import ReportResult

KIND = "weekly_report"
SYSTEM = "school-mentions"


def recipients(settings: Settings) -> tuple[list[tuple[str, str]], list[str]]:
    """((person id, email address) to send to, person ids with no email address)."""
    routing = settings.routing
    slt = routing.roles.get("slt")
    people = slt.people if slt and slt.people else routing.roles[routing.head_role].people
    found: list[tuple[str, str]] = []
    missing: list[str] = []
    for pid in dict.fromkeys(people):
        person = routing.people.get(pid)
        if person and person.email:
            found.append((pid, person.email))
        else:
            missing.append(pid)
    return found, missing


def subject(settings: Settings, result: ReportResult) -> str:
    s = result.summary
    return (
        f"{settings.school.name}: weekly mention report, {s['week']}: {s['mentions']} mention(s), "
        f"{s['needing_attention']} needing attention"
    )


def plain_text(result: ReportResult) -> str:
    """The text part: numbers only (the report page is the HTML part and the attachment)."""
    s = result.summary
    lines = [
        f"Weekly mention report, {s['week']}",
        "",
        f"Mentions found: {s['mentions']} ({s['change']} on the week before)",
        "By label: " + ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in s["by_label"].items()),
        f"Needing attention: {s['needing_attention']}",
        f"Open cases: {s['open_cases']}, urgent overdue: {s['overdue_urgent_cases']}",
        f"Urgent cases acknowledged in time: {s['urgent_acknowledged_in_time']}",
        f"Sources failed or not run: {len(s['sources_failed'])}",
        "",
        f"The full report is attached ({result.path.name}).",
    ]
    return "\n".join(lines) + "\n"


def build_message(
    settings: Settings, result: ReportResult, to: str, message_id: str
) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = settings.routing.smtp.from_address
    msg["To"] = to
    msg["Subject"] = subject(settings, result)
    msg["Date"] = formatdate(localtime=False)
    msg["Message-ID"] = make_msgid(idstring=message_id, domain="school-mentions.local")
    msg["X-Mentions-Kind"] = KIND
    msg.set_content(plain_text(result))
    msg.add_alternative(result.html, subtype="html")
    msg.add_attachment(
        result.html.encode("utf-8"),
        maintype="text",
        subtype="html",
        filename=result.path.name,
    )
    return msg


def _already_sent(settings: Settings, keys: list[str]) -> set[str]:
    from warehouse import connect_read_only

    path, timeout = settings.database.path, settings.database.lock_timeout_seconds
    with connect_read_only(path, timeout) as con:
        rows = con.execute(
            "SELECT dedupe_key FROM outbox WHERE status = 'sent' AND list_contains(?, dedupe_key)",
            [keys],
        ).fetchall()
    return {r[0] for r in rows}


def _record(
    settings: Settings, result: ReportResult, outcomes: list[dict[str, Any]], now: datetime
) -> None:
    import json

    from mentions.respond import transaction
    from warehouse import Warehouse
    from warehouse.cases import AuditEntry, append_audit

    week = result.summary["week_start"]
    path, timeout = settings.database.path, settings.database.lock_timeout_seconds
    with Warehouse.open(path, timeout) as wh, transaction(wh.con):
        for o in outcomes:
            if o["ok"]:
                wh.con.execute(
                    "INSERT INTO outbox (message_id, dedupe_key, kind, channel, person, recipient,"
                    " subject, body, payload, status, attempts, next_attempt, created, sent_at) "
                    "VALUES (?, ?, ?, 'email', ?, ?, ?, ?, ?::JSON, 'sent', 1, ?, ?, ?) "
                    "ON CONFLICT DO NOTHING",
                    [
                        o["message_id"],
                        o["dedupe_key"],
                        KIND,
                        o["person"],
                        o["recipient"],
                        o["subject"],
                        o["body"],
                        json.dumps({"kind": KIND, "week_start": week, "file": str(result.path)}),
                        now,
                        now,
                        now,
                    ],
                )
        append_audit(
            wh.con,
            [
                AuditEntry(
                    SYSTEM,
                    "report_sent" if o["ok"] else "report_failed",
                    None,
                    {"week_start": week, "person": o["person"], "error": o["error"]}
                    if not o["ok"]
                    else {"week_start": week, "person": o["person"], "message_id": o["message_id"]},
                )
                for o in outcomes
            ],
            now,
        )


def email_report(settings: Settings, result: ReportResult, now: datetime) -> dict[str, Any]:
    """Send the report to the SLT (each person once per week). Returns counts and problems;
    never raises for a delivery failure."""
    from notify.email import _connect, _describe  # the one SMTP connection code path

    people, no_email = recipients(settings)
    week = result.summary["week_start"]
    keys = {pid: f"report:{week}:{pid}:email" for pid, _ in people}
    done = _already_sent(settings, list(keys.values())) if people else set()
    todo = [(pid, addr) for pid, addr in people if keys[pid] not in done]
    outcomes: list[dict[str, Any]] = []
    if todo:
        try:
            smtp = _connect(settings)
        except (OSError, smtplib.SMTPException) as exc:
            error = _describe(exc)
            outcomes = [
                {"person": pid, "ok": False, "error": error, "recipient": addr}
                for pid, addr in todo
            ]
        else:
            try:
                for pid, addr in todo:
                    message_id = uuid.uuid4().hex
                    msg = build_message(settings, result, addr, message_id)
                    outcome = {
                        "person": pid,
                        "recipient": addr,
                        "message_id": message_id,
                        "dedupe_key": keys[pid],
                        "subject": msg["Subject"],
                        "body": plain_text(result),
                        "error": None,
                    }
                    try:
                        smtp.send_message(msg)
                        outcome["ok"] = True
                    except (OSError, smtplib.SMTPException, ValueError) as exc:
                        outcome |= {"ok": False, "error": _describe(exc)}
                    outcomes.append(outcome)
            finally:
                try:
                    smtp.quit()
                except (OSError, smtplib.SMTPException):
                    pass
        _record(settings, result, outcomes, now)
    return {
        "sent": sum(o["ok"] for o in outcomes),
        "failed": sum(not o["ok"] for o in outcomes),
        "already_sent": len(people) - len(todo),
        "no_email_address": no_email,
        "errors": sorted({o["error"] for o in outcomes if o["error"]}),
    }
