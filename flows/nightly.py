"""The nightly flow (every source) and the hourly watch flow (the light, fast sources).

Each task is a thin wrapper over one plain function in mentions.pipeline or scrapers.base.
Sources fan out as tasks; one failing source is recorded and the run goes on.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.runtime import flow_run

from mentions import pipeline
from mentions.models import SourceResult
from mentions.settings import Settings, load_settings
from scrapers.base import Source, build_sources, safe_fetch

WATCH_KINDS = ("rss", "reddit")


# NO_CACHE: sources hold clients that cannot be hashed, and every run must fetch afresh.
@task(name="gather", cache_policy=NO_CACHE, task_run_name="gather {source.name}")
def gather(source: Source, state: dict[str, Any]) -> SourceResult:
    return safe_fetch(source, state)


@task(name="analyse", cache_policy=NO_CACHE)
def analyse(settings: Settings, results: list[SourceResult]) -> pipeline.Analysed:
    return pipeline.analyse(settings, results)


@task(name="store", cache_policy=NO_CACHE)
def store(
    settings: Settings, run_id: str, results: list[SourceResult], analysed: pipeline.Analysed
) -> dict[str, Any]:
    return pipeline.store(settings, run_id, results, analysed)


@task(name="respond", cache_policy=NO_CACHE)
def respond(
    settings: Settings, run_id: str, summary: dict[str, Any], analysed: pipeline.Analysed
) -> dict[str, Any]:
    return pipeline.respond_and_record(settings, run_id, summary, analysed.posts)


@task(name="purge", cache_policy=NO_CACHE)
def purge(settings: Settings, run_id: str, summary: dict[str, Any]) -> dict[str, Any]:
    return pipeline.purge_and_record(settings, run_id, summary)


def _run(
    flow_name: str, config: str, db: str | None, kinds: Sequence[str] | None
) -> dict[str, Any]:
    logger = get_run_logger()
    settings = load_settings(config)
    if db:
        settings.database.path = Path(db)
    run_id = str(flow_run.get_id() or uuid.uuid4())
    states = pipeline.begin_run(settings, run_id, flow_name)
    sources = [s for s in build_sources(settings) if kinds is None or s.kind in kinds]
    logger.info("run %s: %d sources, database %s", run_id, len(sources), settings.database.path)
    futures = [gather.submit(s, states.get(s.name, {})) for s in sources]
    results = [f.result() for f in futures]
    for r in results:
        if r.status not in pipeline.HEALTHY:
            logger.warning("source %s %s: %s", r.source, r.status, r.error)
    analysed = analyse(settings, results)
    summary = store(settings, run_id, results, analysed)
    summary = respond(settings, run_id, summary, analysed)
    if flow_name == "nightly":  # retention is a once-a-day job
        summary = purge(settings, run_id, summary)
    logger.info(
        "run %s %s: %d matched, %d new %s, failed sources: %s",
        run_id,
        summary["status"],
        summary["matched"],
        summary["new_posts"],
        summary["new_by_label"],
        summary["failed_sources"] or "none",
    )
    return summary


@flow(name="nightly")
def nightly(config: str = "config/school.toml", db: str | None = None) -> dict[str, Any]:
    """One full run over every enabled source. Returns the run summary."""
    return _run("nightly", config, db, None)


@flow(name="watch")
def watch(config: str = "config/school.toml", db: str | None = None) -> dict[str, Any]:
    """A light run over the fast sources (RSS, Reddit), meant to run hourly."""
    return _run("watch", config, db, WATCH_KINDS)
