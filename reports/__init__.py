"""The weekly SLT mention report (``reports.weekly``) and its delivery by email
(``reports.email``).

Gathering is plain functions over a read-only DuckDB connection that return dataclasses;
rendering is one Jinja2 template that turns them into a self-contained HTML page (inline CSS and
SVG charts, no scripts, no network). Pupils' names from the protected list are redacted twice:
in the gathered text (before anything is shortened) and again on every value the template prints.
"""

from reports.weekly import (
    NOT_MONITORED,
    Redactor,
    ReportResult,
    Week,
    WeeklyReport,
    build_report,
    last_complete_week,
    render_report,
    week_of,
    write_report,
)

__all__ = [
    "NOT_MONITORED",
    "Redactor",
    "ReportResult",
    "Week",
    "WeeklyReport",
    "build_report",
    "last_complete_week",
    "render_report",
    "week_of",
    "write_report",
]
