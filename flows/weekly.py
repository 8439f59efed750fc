"""The weekly SLT report flow (Monday 07:00 Europe/London in prefect.yaml).

Thin: one task writes the page with ``reports.weekly.write_report`` (a plain function the tests
call without Prefect), one optional task emails it, and the flow publishes a Markdown artifact
with the summary numbers and the file's path. The artifact holds numbers and source names only:
no titles, authors or links, so nothing about a pupil reaches the Prefect UI.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE

from mentions.settings import Settings, load_settings
from reports.weekly import ReportResult, parse_week, summary_markdown, write_report


@task(name="write report", cache_policy=NO_CACHE)
def write(settings: Settings, out: str, week: str | None, now: datetime) -> ReportResult:
    chosen = parse_week(week, settings.school.tz) if week else None
    return write_report(settings, out, week=chosen, now=now)


@task(name="email report", cache_policy=NO_CACHE)
def send(settings: Settings, result: ReportResult, now: datetime) -> dict[str, Any]:
    from reports.email import email_report

    return email_report(settings, result, now)


@flow(name="weekly-report")
def weekly_report(
    config: str = "config/school.toml",
    db: str | None = None,
    week: str | None = None,
    out: str = "data/reports",
    email: bool = False,
) -> dict[str, Any]:
    """Write the SLT report for ``week`` (any day of it; default the last complete week), publish
    a summary artifact, and email it when ``email`` is set. Returns the summary and the path."""
    logger = get_run_logger()
    settings = load_settings(config)
    if db:
        settings.database.path = Path(db)
    now = datetime.now(UTC)
    result = write(settings, out, week, now)
    logger.info("weekly report for %s written to %s", result.summary["week"], result.path)
    create_markdown_artifact(
        key="weekly-mention-report",
        markdown=summary_markdown(result.report, result.path),
        description=f"SLT weekly mention report, {result.summary['week']}",
    )
    out_summary: dict[str, Any] = {**result.summary, "path": str(result.path)}
    if email:
        sent = send(settings, result, now)
        out_summary["email"] = sent
        # A failed email does not fail the flow: the page is written and the SLT can be sent it
        # by hand; the audit log and this warning say what went wrong.
        if sent["failed"] or sent["no_email_address"]:
            logger.warning(
                "report email: %d failed, no address for %s, errors %s",
                sent["failed"],
                sent["no_email_address"],
                sent["errors"],
            )
    return out_summary
