"""The `mentions` command line: demo, run, query, classify (and the triage commands as they land).

Every expected failure is a ``MentionsError`` and prints one clear line, not a traceback.
"""

from __future__ import annotations

import csv
import json
import os
import sys
import time
from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path
from typing import Any

import typer
from rich.markup import escape
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from mentions.console import console, err, load_profile
from mentions.console import fail as _fail
from mentions.errors import MentionsError

# Before Prefect is imported anywhere: offline machines, and a fresh PREFECT_HOME needs time.
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")

app = typer.Typer(help="Watch the public internet for posts about a school.", no_args_is_help=True)

DEFAULT_DB = Path("data/mentions.duckdb")
DEMO_DB = Path("data/demo/mentions.duckdb")


def _print_summary(summary: dict[str, Any]) -> None:
    table = Table(title=f"Run {summary['run_id'][:8]}: {summary['status']}")
    for col in ("source", "status", "seen", "matched", "new", "error"):
        table.add_column(col, overflow="fold")
    colours = {"ok": "green", "not_modified": "green", "skipped": "yellow", "degraded": "yellow"}
    for s in summary["sources"]:
        colour = colours.get(s["status"], "red")
        table.add_row(
            escape(s["source"]),
            f"[{colour}]{s['status']}[/]",
            str(s["items_seen"]),
            str(s["matched"]),
            str(s["new"]),
            escape(s["error"] or ""),
        )
    console.print(table)
    labels = ", ".join(f"{k}: {v}" for k, v in sorted(summary["new_by_label"].items())) or "none"
    console.print(f"New mentions: {summary['new_posts']} ({labels})")
    if summary["failed_sources"]:
        console.print(f"[red]Failed sources: {escape(', '.join(summary['failed_sources']))}[/]")
    if response := summary.get("respond"):
        if "error" in response:
            console.print(f"[red]Responding failed: {escape(response['error'])}[/]")
        else:
            console.print(
                f"Cases opened: {response['cases_opened']}, alerts sent: "
                f"{response['alerts_sent']}, failed: {response['alerts_failed']}, pending: "
                f"{response['alerts_pending']}, escalated: {response['escalated']}"
            )
            for problem in response.get("delivery_errors", []):
                console.print(f"[red]Delivery error: {escape(str(problem))}[/]")


def _print_mentions(db: Path) -> None:
    from warehouse import connect_read_only

    with connect_read_only(db) as con:
        rows = con.execute(
            "SELECT label, coalesce(subreason, ''), source, title, url FROM v_mentions "
            "ORDER BY CASE label WHEN 'inappropriate' THEN 0 WHEN 'media_enquiry' THEN 1 ELSE 2 END,"
            " published DESC NULLS LAST"
        ).fetchall()
    table = Table(title=f"Mentions in {db}")
    for col in ("label", "why", "source", "title", "url"):
        table.add_column(col, overflow="fold")
    for row in rows:
        table.add_row(*[escape(str(v)) for v in row])
    console.print(table)


def _print_cases(db: Path) -> None:
    from warehouse import connect_read_only

    with connect_read_only(db) as con:
        rows = con.execute(
            "SELECT case_id, label, coalesce(subreason, ''), role, coalesce(assignee, '-'), "
            "due_local, title FROM v_open_cases WHERE label <> 'neutral' ORDER BY due"
        ).fetchall()
    table = Table(title="Open urgent cases (mentions cases list shows all)")
    for col in ("case", "label", "why", "role", "assignee", "due", "title"):
        table.add_column(col, overflow="fold")
    for row in rows:
        table.add_row(*[escape(str(v)) for v in row])
    console.print(table)


def _demo_report(profile: Path, db: Path) -> Path:
    """The SLT report for the current week, so the demo shows it too."""
    from datetime import UTC, datetime

    from reports.weekly import week_of, write_report

    settings = load_profile(profile, db)
    now = datetime.now(UTC)
    week = week_of(now.astimezone(settings.school.tz).date(), settings.school.tz)
    return write_report(settings, db.parent / "reports", week=week, now=now).path


def _run_flow(config: Path, db: Path | None) -> dict[str, Any]:
    from flows.nightly import nightly
    from mentions.settings import load_settings

    load_settings(config)  # fail fast with a clear message, before Prefect starts its server
    with console.status("Running the nightly flow (the first start of Prefect takes ~15 s)..."):
        return nightly(config=str(config), db=str(db) if db else None)


@app.command()
def demo(
    db: Path = typer.Option(DEMO_DB, help="DuckDB file to write."),
) -> None:
    """Serve sample feeds, pages and a fake Reddit API on localhost, run the real nightly flow
    against them, and show what it found, the cases it opened and the alerts it sent."""
    from mentions.demo import write_demo_profile
    from mentions.demo.alerts import DemoAlerts
    from mentions.demo.server import FixtureServer
    from mentions.fakes.reddit_api import (
        FakeReddit,
        demo_data,
        demo_environment,
        demo_reddit_section,
    )
    from scrapers.web import demo_web_section

    started = time.monotonic()
    # The fake Reddit API takes the demo's dummy credentials, never real ones.
    os.environ.update(demo_environment())
    try:
        with (
            FixtureServer() as base_url,
            FakeReddit(**demo_data()) as reddit,
            DemoAlerts(db.parent / "alerts") as alerts,
        ):
            console.print(f"Fixture server on {base_url}, fake Reddit API on {reddit.base_url}")
            sources = {
                "reddit": demo_reddit_section(reddit.base_url),
                "web": demo_web_section(base_url),
            }
            # Kept beside the database, so `mentions cases ... --config` can use it afterwards.
            profile = write_demo_profile(base_url, db.parent / "school.demo.toml", sources)
            alerts.add_routing(profile)
            summary = _run_flow(profile, db)
            alert_lines = alerts.report()
            report = _demo_report(profile, db)
        _print_summary(summary)
        console.print(
            "(Two demo feeds are broken on purpose, to show how a failing source looks: "
            "recorded with its error, reported, and the run goes on.)"
        )
        _print_mentions(db)
        _print_cases(db)
    except MentionsError as exc:
        _fail(exc)
    console.print(f"Alerts the demo's local mailbox and webhook log received ({alerts.folder}):")
    for line in alert_lines:
        console.print(f"  {line}", markup=False, highlight=False, soft_wrap=True)
    console.print(f"Weekly SLT report (this week so far): {escape(str(report))}", soft_wrap=True)
    console.print(
        f"Database: [bold]{escape(str(db.resolve()))}[/] ({time.monotonic() - started:.1f} s)",
        soft_wrap=True,
    )
    console.print(
        'Try: mentions query "select label, count(*) from v_mentions group by 1" --db '  # noqa: S608
        + escape(str(db)),
        soft_wrap=True,
    )
    console.print(f"     mentions cases list --db {escape(str(db))}", soft_wrap=True)
    console.print(
        f"     mentions cases relabel ID neutral --db {escape(str(db))} "
        f"--config {escape(str(db.parent / 'school.demo.toml'))}",
        soft_wrap=True,
    )


@app.command()
def run(
    config: Path = typer.Option(
        Path("config/school.toml"), "--config", "-c", help="School profile."
    ),
    db: Path | None = typer.Option(
        None, help="DuckDB file (default: the profile's database.path)."
    ),
) -> None:
    """Run the nightly flow once, now."""
    try:
        summary = _run_flow(config, db)
    except MentionsError as exc:
        _fail(exc)
    _print_summary(summary)
    if summary["status"] == "failed":
        raise typer.Exit(1)


@app.command()
def serve(
    config: Path = typer.Option(
        Path("config/school.toml"), "--config", "-c", help="School profile."
    ),
) -> None:
    """Run the schedules from prefect.yaml in this process (no Prefect server install needed):
    nightly at 02:00, watch hourly, the weekly SLT report Mondays 07:00 (Europe/London)."""
    from prefect import serve as prefect_serve
    from prefect.schedules import Cron

    from flows.nightly import nightly, watch
    from flows.weekly import weekly_report
    from mentions.settings import load_settings

    try:
        load_settings(config)
    except MentionsError as exc:
        _fail(exc)
    params = {"config": str(config.resolve())}
    prefect_serve(
        nightly.to_deployment(
            "nightly", schedule=Cron("0 2 * * *", timezone="Europe/London"), parameters=params
        ),
        watch.to_deployment(
            "watch", schedule=Cron("15 * * * *", timezone="Europe/London"), parameters=params
        ),
        weekly_report.to_deployment(
            "weekly-report",
            schedule=Cron("0 7 * * 1", timezone="Europe/London"),
            parameters={**params, "email": True},
        ),
    )


class Format(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


@app.command()
def query(
    sql: str = typer.Argument(..., help='SQL to run read-only, e.g. "select * from v_mentions".'),
    db: Path = typer.Option(
        DEFAULT_DB, envvar="MENTIONS_DB_PATH", help="DuckDB file (env MENTIONS_DB_PATH)."
    ),
    format: Format = typer.Option(Format.table, "--format", "-f"),
) -> None:
    """Run a read-only ad-hoc query against the warehouse (no writes, no file access)."""
    import duckdb

    from warehouse import connect_read_only

    if not sql.strip():
        _fail(MentionsError('no SQL given, e.g. mentions query "select * from v_mentions"'))
    try:
        with connect_read_only(db) as con:
            # Read-only means the file system too: no COPY ... TO, no read_text('/etc/...').
            con.execute("SET enable_external_access = false")
            cur = con.execute(sql)
            columns = [d[0] for d in cur.description or []]
            rows = cur.fetchall()
    except MentionsError as exc:
        _fail(exc)
    except duckdb.Error as exc:
        _fail(MentionsError(f"query failed: {exc}"))
    if format is Format.csv:
        writer = csv.writer(sys.stdout)
        writer.writerow(columns)
        writer.writerows(rows)
    elif format is Format.json:
        print(
            json.dumps(
                [dict(zip(columns, r, strict=True)) for r in rows],
                default=str,
                ensure_ascii=False,
                indent=1,
            )
        )
    else:
        table = Table()
        for c in columns:
            table.add_column(c, overflow="fold")
        for r in rows:
            table.add_row(*["" if v is None else escape(str(v)) for v in r])
        console.print(table)


@app.command()
def export(
    out: Path = typer.Argument(..., help="Folder to write Parquet files into."),
    db: Path = typer.Option(
        DEFAULT_DB, envvar="MENTIONS_DB_PATH", help="DuckDB file (env MENTIONS_DB_PATH)."
    ),
) -> None:
    """Export every table as Parquet, for long analysis sessions that must not block runs."""
    from warehouse import connect_read_only, export_parquet

    try:
        with connect_read_only(db, lock_timeout=30) as con:
            export_parquet(con, out)
    except MentionsError as exc:
        _fail(exc)
    console.print(f"Exported {db} to {out}/ (read with duckdb: IMPORT DATABASE '{out}')")


def _batches(reader: csv.DictReader, size: int) -> Iterator[list[dict[str, str]]]:
    batch: list[dict[str, str]] = []
    for row in reader:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


@app.command()
def classify(
    input: Path = typer.Argument(..., exists=True, dir_okay=False, help="CSV with a text column."),
    output: Path = typer.Option(..., "--output", "-o", help="CSV to write."),
    text_column: str = typer.Option("text", help="Column holding the post text."),
    title_column: str | None = typer.Option(None, help="Optional column holding a title."),
    batch_size: int = typer.Option(5000, hidden=True),
) -> None:
    """Label every row of a CSV: adds label, subreason, confidence, explanation."""
    from analysis.classify import load_classifier

    added = ["label", "subreason", "confidence", "explanation"]
    try:
        classifier = load_classifier()
    except MentionsError as exc:
        _fail(exc)
    csv.field_size_limit(sys.maxsize)
    with input.open(newline="", encoding="utf-8-sig", errors="replace") as src:
        total = max(sum(1 for row in csv.reader(src) if row) - 1, 0)  # rows, not lines
        src.seek(0)
        reader = csv.DictReader(src)
        columns = list(reader.fieldnames or [])
        for name in (text_column, title_column):
            if name and name not in columns:
                _fail(MentionsError(f"{input}: no column {name!r} (columns: {', '.join(columns)})"))
        with (
            output.open("w", newline="", encoding="utf-8") as dst,
            Progress(
                TextColumn("classifying"),
                BarColumn(),
                TextColumn("{task.completed}/{task.total}"),
                TimeElapsedColumn(),
                console=err,
                transient=True,
            ) as progress,
        ):
            writer = csv.DictWriter(
                dst, fieldnames=columns + [c for c in added if c not in columns]
            )
            writer.writeheader()
            bar = progress.add_task("rows", total=total)
            for batch in _batches(reader, batch_size):
                items = [
                    ((r.get(title_column) or "") if title_column else "", r.get(text_column) or "")
                    for r in batch
                ]
                for row, c in zip(batch, classifier.classify_batch(items), strict=True):
                    row.update(
                        label=c.label,
                        subreason=c.subreason or "",
                        confidence=f"{c.confidence:.3f}",
                        explanation=c.explanation,
                    )
                    writer.writerow(row)
                progress.advance(bar, len(batch))
    console.print(f"Wrote {output} ({total} rows)")


# ---- classifier model: train / evaluate (analysis.training; issue 6) -----------------------------
@app.command()
def train(
    olid: Path = typer.Option(None, help="OLID training TSV (default ../shared/data/olid/...)."),
    corrections: Path = typer.Option(
        None, help="CSV of people's relabels: title,text,label,subreason."
    ),
    out: Path = typer.Option(None, help="Where to write the model (default analysis/models/)."),
) -> None:
    """Retrain the classifier and print its held-out metrics."""
    from analysis import training

    try:
        rows = None
        if corrections is not None:
            with corrections.open(encoding="utf-8", newline="") as fh:
                rows = list(csv.DictReader(fh))
        _, meta = training.train(
            olid_path=olid or training.DEFAULT_OLID,
            corrections=rows,
            out_path=out or training.DEFAULT_MODEL,
        )
    except (MentionsError, OSError) as exc:
        _fail(exc)
    console.print(f"model {meta['version']} written")
    for name, rep in meta["metrics"].items():
        if isinstance(rep, dict):
            report = training.EvalReport(
                rep["labels"], rep["per_class"], rep["macro_f1"], rep["confusion"], rep["support"]
            )
            console.print(f"\n[bold]{name}[/]\n{report.format()}", highlight=False)


@app.command()
def evaluate(
    file: Path = typer.Argument(..., help="Labelled CSV, or an OLID-format TSV."),
    text_column: str = typer.Option("text", help="Column holding the post text."),
    label_column: str = typer.Option("label", help="Column holding the true label."),
    title_column: str = typer.Option(None, help="Optional column holding a title."),
    split: str = typer.Option(
        None, help="Only rows whose 'split' column is this, e.g. test (the held-out groups)."
    ),
) -> None:
    """Per-class precision, recall, F1 and a confusion matrix of the model on FILE."""
    from analysis.training import evaluate_file

    try:
        report = evaluate_file(file, text_column, label_column, title_column, split=split)
    except MentionsError as exc:
        _fail(exc)
    console.print(report.format(), highlight=False)


# ---- end of classifier model commands ----------------------------------------------------------


from mentions.cases_cli import audit_app, cases_app  # noqa: E402 - the triage commands

app.add_typer(cases_app, name="cases")
app.add_typer(audit_app, name="audit")

from mentions.report_cli import purge, report  # noqa: E402 - weekly report, retention purge

app.command(name="report")(report)
app.command(name="purge")(purge)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
