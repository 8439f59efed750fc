"""``mentions report`` (the SLT weekly report) and ``mentions purge`` (the retention purge).

Registered on the main app in ``mentions/cli.py``. Every expected failure is a
``MentionsError`` and prints one line, not a traceback.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import typer
from rich.markup import escape

from mentions.console import console, err, load_profile
from mentions.console import fail as _fail
from mentions.errors import MentionsError

CONFIG_OPTION = typer.Option(
    Path("config/school.toml"), "--config", "-c", help="School profile (timezone, privacy)."
)
DB_OPTION = typer.Option(None, "--db", help="DuckDB file (default: the profile's database.path).")


def report(
    db: Path | None = DB_OPTION,
    config: Path = CONFIG_OPTION,
    week: str | None = typer.Option(
        None,
        "--week",
        help="Any day of the week to report, e.g. 2026-11-23 (default: the last complete week, "
        "Monday to Sunday in school time).",
    ),
    out: Path = typer.Option(Path("data/reports"), "--out", help="Folder to write the page in."),
    email: bool = typer.Option(
        False, "--email", help="Also email it to the SLT role (else the head teacher)."
    ),
) -> None:
    """Write the SLT weekly mention report (one self-contained HTML page) and print its path."""
    from reports.weekly import parse_week, write_report

    now = datetime.now(UTC)
    try:
        settings = load_profile(config, db)
        chosen = parse_week(week, settings.school.tz) if week else None
        result = write_report(settings, out, week=chosen, now=now)
    except MentionsError as exc:
        _fail(exc)
    # The path alone on stdout, so scripts can pick it up; the rest goes to stderr.
    print(result.path)
    s = result.summary
    err.print(
        f"{escape(s['week'])}: {s['mentions']} mention(s) ({escape(s['change'])}), "
        f"{s['needing_attention']} needing attention, {s['open_cases']} open case(s)",
        highlight=False,
    )
    if s["sources_failed"]:
        err.print(
            f"[yellow]Sources failed or not run: {escape(', '.join(s['sources_failed']))}[/]",
            highlight=False,
        )
    if email:
        from reports.email import email_report

        try:
            sent = email_report(settings, result, now)
        except MentionsError as exc:
            _fail(exc)
        err.print(
            f"Emailed to {sent['sent']} person(s); failed {sent['failed']}; already sent this "
            f"week {sent['already_sent']}",
            highlight=False,
        )
        if sent["no_email_address"]:
            err.print(
                f"[yellow]No email address for: {escape(', '.join(sent['no_email_address']))}[/]",
                highlight=False,
            )
        for problem in sent["errors"]:
            err.print(f"[red]{escape(problem)}[/]", highlight=False)
        if sent["failed"]:
            raise typer.Exit(1)


def purge(
    db: Path | None = DB_OPTION,
    config: Path = CONFIG_OPTION,
    dry_run: bool = typer.Option(
        False, "--dry-run", help="Count what would be deleted, change nothing."
    ),
) -> None:
    """Delete posts past the retention period (privacy.retention_days, and the shorter
    privacy.pupil_retention_days for items about pupils), with their labels, evidence and alert
    texts. The audit log is kept whole."""
    from warehouse.purge import purge_database

    try:
        counts = purge_database(load_profile(config, db), dry_run=dry_run)
    except MentionsError as exc:
        _fail(exc)
    what = "Would purge" if dry_run else "Purged"
    console.print(
        f"{what} {counts['posts_expired']} post(s) ({counts['about_pupils']} about pupils): "
        f"{counts['post_versions']} version(s), {counts['classifications']} label(s), "
        f"{counts['evidence']} evidence snapshot(s), {counts['corrections']} correction(s), "
        f"{counts['outbox_scrubbed']} sent message(s) emptied, {counts['outbox_deleted']} "
        f"unsent deleted, {counts['cases_scrubbed']} case(s) scrubbed "
        f"({counts['cases_closed']} closed), {counts['cases_undigested']} case(s) back in the "
        "digest queue (their digest was deleted unsent)",
        highlight=False,
    )
    console.print(
        f"Cut-offs: {counts['cutoff'][:10]} (everything), {counts['pupil_cutoff'][:10]} "
        "(items about pupils)",
        highlight=False,
    )
