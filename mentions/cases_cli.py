"""Triage commands: ``mentions cases list|show|ack|resolve|reassign|relabel`` and
``mentions audit verify``.

Reading commands open the warehouse read-only; changing commands take a short write session,
write the change and its audit entry in one transaction, and send any alert they queue (a
reassignment, a relabel) with the database closed. ``--by`` defaults to the OS user.
"""

from __future__ import annotations

import getpass
from datetime import datetime
from pathlib import Path
from typing import Any

import typer
from rich.table import Table

from mentions.console import console, err, load_profile
from mentions.console import fail as _fail
from mentions.errors import MentionsError
from mentions.models import utcnow

cases_app = typer.Typer(help="Triage cases: list, show, acknowledge, resolve, reassign, relabel.")
audit_app = typer.Typer(help="The tamper-evident audit log.")

DEFAULT_DB = Path("data/mentions.duckdb")
DB_OPTION = typer.Option(
    DEFAULT_DB, "--db", envvar="MENTIONS_DB_PATH", help="DuckDB file (env MENTIONS_DB_PATH)."
)
CONFIG_OPTION = typer.Option(
    Path("config/school.toml"), "--config", "-c", help="School profile (routing, timezone)."
)


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry (containers)
        return "unknown"


def _local(value: datetime | None, tz: Any = None) -> str:
    if value is None:
        return ""
    from analysis.due import LONDON, format_local

    return format_local(value, tz or LONDON)


def _read(db: Path):
    from warehouse import connect_read_only

    return connect_read_only(db)


def _missing_tables(exc: Exception) -> MentionsError:
    return MentionsError(
        f"the database has no cases yet ({exc.__class__.__name__}); a run with the respond step "
        "creates them"
    )


@cases_app.command("list")
def list_cmd(
    mine: str | None = typer.Option(None, "--mine", help="Only cases for this role or person id."),
    overdue: bool = typer.Option(False, "--overdue", help="Only open cases past their due time."),
    all_: bool = typer.Option(False, "--all", help="Include resolved cases."),
    db: Path = DB_OPTION,
) -> None:
    """Open cases, soonest due first."""
    import duckdb

    from warehouse import cases as wc

    now = utcnow()
    try:
        with _read(db) as con:
            rows = wc.list_cases(con, mine=mine, overdue=overdue, include_resolved=all_, now=now)
    except MentionsError as exc:
        _fail(exc)
    except duckdb.CatalogException as exc:
        _fail(_missing_tables(exc))
    table = Table(title=f"Cases in {db}" + (f" for {mine}" if mine else ""))
    for col in ("id", "status", "label", "role", "assignee", "due", "title"):
        table.add_column(col, overflow="fold")
    for r in rows:
        late = r["status"] == "open" and r["due"] < now
        due = f"[red]{_local(r['due'])} (overdue)[/]" if late else _local(r["due"])
        if r["escalated_at"]:
            due += " [yellow]escalated[/]"
        label = r["label"] + (f" / {r['subreason']}" if r["subreason"] else "")
        table.add_row(
            str(r["case_id"]),
            r["status"],
            label,
            r["role"],
            r["assignee"] or "[red]nobody[/]",
            due,
            r["title"] or r["url"] or "",
        )
    console.print(table)
    console.print(f"{len(rows)} case(s). Acknowledge one: mentions cases ack <ID>")


@cases_app.command("show")
def show(case_id: int = typer.Argument(...), db: Path = DB_OPTION) -> None:
    """Everything about one case: the post, the evidence, deliveries and its audit trail."""
    import duckdb

    from warehouse import cases as wc

    try:
        with _read(db) as con:
            case = wc.get_case(con, case_id)
            deliveries = wc.case_deliveries(con, case_id)
            evidence = wc.case_evidence(con, case["post_key"])
            trail = wc.case_audit(con, case_id)
    except MentionsError as exc:
        _fail(exc)
    except duckdb.CatalogException as exc:
        _fail(_missing_tables(exc))
    label = case["label"] + (f" / {case['subreason']}" if case["subreason"] else "")
    console.print(f"[bold]Case {case_id}[/]: {case['status']}, {label}", highlight=False)
    fields = [
        ("title", case["title"]),
        ("link", case["url"]),
        ("source", case["source_name"]),
        ("why", case["explanation"]),
        (
            "owner",
            f"{case['role']} ({case['assignee'] or 'nobody'}), deputy {case['deputy'] or '-'}",
        ),
        ("told", ", ".join(case["roles"])),
        ("about pupils", "yes (DSL)" if case["about_pupils"] else "no"),
        ("received", _local(case["received"])),
        ("due", _local(case["due"])),
        ("acknowledged", f"{_local(case['acknowledged_at'])} {case['acknowledged_by'] or ''}"),
        ("resolved", f"{_local(case['resolved_at'])} {case['resolved_by'] or ''}"),
        ("escalated", _local(case["escalated_at"])),
    ]
    details = case.get("details") or {}
    for key in ("outlet", "contact", "deadline"):
        if details.get(key):
            fields.append((key, str(details[key])))
    for name, value in fields:
        console.print(f"  {name:>13}: {value or ''}", highlight=False, markup=False)
    if case["notes"]:
        console.print("  notes:", highlight=False)
        console.print(case["notes"], highlight=False, markup=False)
    console.print(f"\n{(case['text'] or '')[:1000]}", highlight=False, markup=False)
    for ev in evidence:
        console.print(
            f"evidence: sha256 {ev['sha256']} (fetched {_local(ev['fetched'])}"
            f"{', with page HTML' if ev['has_html'] else ''})",
            highlight=False,
        )
    if deliveries:
        table = Table(title="Deliveries")
        for col in ("kind", "channel", "to", "status", "tries", "error"):
            table.add_column(col, overflow="fold")
        for d in deliveries:
            table.add_row(
                d["kind"],
                d["channel"],
                d["recipient"],
                d["status"],
                str(d["attempts"]),
                d["last_error"] or "",
            )
        console.print(table)
    table = Table(title="Audit trail")
    for col in ("seq", "when", "who", "what", "detail"):
        table.add_column(col, overflow="fold")
    for a in trail:
        table.add_row(str(a["seq"]), _local(a["at"]), a["actor"], a["action"], a["detail"])
    console.print(table)


def _write(db: Path, lock_timeout: float = 30.0):
    from warehouse import Warehouse

    return Warehouse.open(db, lock_timeout)


@cases_app.command("ack")
def ack(
    case_id: int = typer.Argument(...),
    by: str = typer.Option(None, "--by", help="Who (default: the OS user)."),
    db: Path = DB_OPTION,
) -> None:
    """Acknowledge a case: someone has it (stops the escalation)."""
    from mentions.respond import transaction
    from warehouse import cases as wc

    who = by or _user()
    now = utcnow()
    try:
        with _write(db) as wh, transaction(wh.con):
            case = wc.acknowledge(wh.con, case_id, who, now)
    except MentionsError as exc:
        _fail(exc)
    late = " (after the due time)" if now > case["due"] else ""
    console.print(f"Case {case_id} acknowledged by {who}{late}.", highlight=False)


@cases_app.command("resolve")
def resolve(
    case_id: int = typer.Argument(...),
    note: str = typer.Option(..., "--note", help="What was done (reply, removal request, ...)."),
    by: str = typer.Option(None, "--by", help="Who (default: the OS user)."),
    db: Path = DB_OPTION,
) -> None:
    """Resolve a case with a note."""
    from mentions.respond import transaction
    from warehouse import cases as wc

    who = by or _user()
    try:
        with _write(db) as wh, transaction(wh.con):
            wc.resolve(wh.con, case_id, who, note, utcnow())
    except MentionsError as exc:
        _fail(exc)
    console.print(f"Case {case_id} resolved by {who}.", highlight=False)


def _send(settings) -> str:
    from mentions.respond import send_outbox

    result = send_outbox(settings)
    text = f"{result['alerts_sent']} alert(s) sent"
    if result["alerts_failed"]:
        text += f", {result['alerts_failed']} failed (retried by the next run): "
        text += "; ".join(result["delivery_errors"])
    return text


@cases_app.command("reassign")
def reassign(
    case_id: int = typer.Argument(...),
    role: str = typer.Argument(..., help="A role from the profile's routing.roles table."),
    by: str = typer.Option(None, "--by", help="Who (default: the OS user)."),
    db: Path = DB_OPTION,
    config: Path = CONFIG_OPTION,
) -> None:
    """Give a case to another role (its first person; alerts them)."""
    from mentions.respond import reassign_case

    who = by or _user()
    try:
        settings = load_profile(config, db)
        case = reassign_case(settings, case_id, role, who, utcnow())
        sent = _send(settings)
    except MentionsError as exc:
        _fail(exc)
    console.print(
        f"Case {case_id} reassigned to {role} ({case['assignee'] or 'nobody'}); {sent}.",
        highlight=False,
    )


@cases_app.command("relabel")
def relabel(
    case_id: int = typer.Argument(...),
    label: str = typer.Argument(..., help="neutral, inappropriate or media_enquiry."),
    subreason: str | None = typer.Option(None, "--subreason", help="For inappropriate items."),
    note: str | None = typer.Option(None, "--note", help="Why (kept with the correction)."),
    by: str = typer.Option(None, "--by", help="Who (default: the OS user)."),
    db: Path = DB_OPTION,
    config: Path = CONFIG_OPTION,
) -> None:
    """Correct the label. The correction wins over the model (v_mentions) and re-routes the case."""
    from mentions.respond import relabel_case

    who = by or _user()
    try:
        settings = load_profile(config, db)
        case = relabel_case(settings, case_id, label, subreason, who, utcnow(), note=note)
        sent = _send(settings)
    except MentionsError as exc:
        _fail(exc)
    console.print(
        f"Case {case_id} relabelled {label}{' / ' + subreason if subreason else ''}, now with "
        f"{case['role']} ({case['assignee'] or 'nobody'}); {sent}.",
        highlight=False,
    )


@audit_app.command("verify")
def verify(db: Path = DB_OPTION) -> None:
    """Recompute the audit log's hash chain; exit 1 if any row was edited, removed or added."""
    import duckdb

    from warehouse import cases as wc

    try:
        with _read(db) as con:
            ok, bad = wc.verify_audit(con)
            head = wc.audit_head(con)
            (count,) = con.execute("SELECT count(*) FROM audit_log").fetchall()[0]
    except MentionsError as exc:
        _fail(exc)
    except duckdb.CatalogException as exc:
        _fail(_missing_tables(exc))
    if ok:
        console.print(f"Audit log intact: {count} entries, head {head}", highlight=False)
        return
    err.print(f"[bold red]Audit log broken at entry {bad}[/]: it was edited, removed or inserted.")
    raise typer.Exit(1)
