"""The steps of a run as plain functions; the Prefect flows in flows/ only wire them together.

gather (per source, isolated) -> match -> classify -> store (one short write session).
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import duckdb

from analysis.classify import Classification, load_classifier, own_channel, spare_own_channel
from analysis.matching import Match, Matcher
from mentions.errors import MentionsError
from mentions.models import Post, SourceResult, utcnow
from mentions.respond import respond, transaction
from mentions.settings import Settings, load_protected_names
from warehouse import Warehouse
from warehouse.purge import purge_database

log = logging.getLogger(__name__)

HEALTHY = ("ok", "not_modified", "skipped")


@dataclass
class Analysed:
    """Matched posts with their classifications, in memory, before anything is written."""

    posts: list[Post] = field(default_factory=list)
    matches: list[Match] = field(default_factory=list)
    labels: list[Classification] = field(default_factory=list)
    matched_per_source: Counter[str] = field(default_factory=Counter)


def begin_run(settings: Settings, run_id: str, flow: str) -> dict[str, dict[str, Any]]:
    """Record the run as started; return every source's saved incremental state."""
    with Warehouse.open(settings.database.path, settings.database.lock_timeout_seconds) as wh:
        wh.start_run(run_id, flow)
        return wh.load_states()


def analyse(settings: Settings, results: Sequence[SourceResult]) -> Analysed:
    """Keep the posts that mention the school and classify them in one batch."""
    matcher = Matcher.from_school(settings.school)
    out = Analysed()
    seen: set[str] = set()
    for result in results:
        for post in result.posts:
            match = matcher.match(post.title, post.text)
            if match is None:
                continue
            out.matched_per_source[result.source] += 1
            if post.post_id in seen:  # the same story from two search feeds
                continue
            seen.add(post.post_id)
            out.posts.append(post)
            out.matches.append(match)
    if out.posts:
        classifier = load_classifier(
            settings.classifier.model_path, protected_names=load_protected_names(settings)
        )
        labels = classifier.classify_batch([(p.title, p.text) for p in out.posts])
        school = settings.school
        out.labels = [
            spare_own_channel(c, channel)
            if (channel := own_channel(p.url, p.author, school.own_sites, school.own_accounts))
            else c
            for p, c in zip(out.posts, labels, strict=True)
        ]
    return out


def run_status(results: Sequence[SourceResult]) -> str:
    """failed: nothing was read at all (every source failed or was skipped), so the run must
    not look like a quiet night; partial: some sources failed or degraded; ok otherwise."""
    if not any(r.status in ("ok", "not_modified", "degraded") for r in results):
        return "failed"
    return "ok" if all(r.status in HEALTHY for r in results) else "partial"


def store(
    settings: Settings, run_id: str, results: Sequence[SourceResult], analysed: Analysed
) -> dict[str, Any]:
    """Write everything in one short session and one transaction, and return the run summary.

    One transaction: a run killed after the posts but before their labels would otherwise leave
    posts that are never classified (the next run sees them as stored) and so never get a case.
    """
    with (
        Warehouse.open(settings.database.path, settings.database.lock_timeout_seconds) as wh,
        transaction(wh.con),
    ):
        new_ids = wh.save_posts(run_id, analysed.posts, [m.terms for m in analysed.matches])
        fresh = [
            (p, c)
            for p, c in zip(analysed.posts, analysed.labels, strict=True)
            if p.post_id in new_ids
        ]
        wh.save_classifications(run_id, [p.post_id for p, _ in fresh], [c for _, c in fresh])
        new_per_source = Counter(p.source_name for p, _ in fresh)
        wh.record_sources(run_id, results, dict(analysed.matched_per_source), dict(new_per_source))
        # A failed source keeps its old state, so the next run asks for the same things again.
        wh.save_states({r.source: r.state for r in results if r.status != "failed"})
        summary = {
            "run_id": run_id,
            "status": run_status(results),
            "database": str(settings.database.path),
            "finished": utcnow().isoformat(),
            "sources": [
                {
                    "source": r.source,
                    "kind": r.kind,
                    "status": r.status,
                    "items_seen": r.items_seen,
                    "matched": analysed.matched_per_source.get(r.source, 0),
                    "new": new_per_source.get(r.source, 0),
                    "error": r.error,
                }
                for r in results
            ],
            "matched": len(analysed.posts),
            "new_posts": len(fresh),
            "new_by_label": dict(Counter(c.label for _, c in fresh)),
            "failed_sources": [r.source for r in results if r.status == "failed"],
            "degraded_sources": [r.source for r in results if r.status == "degraded"],
        }
        wh.finish_run(run_id, summary["status"], summary)
    return summary


def _record(settings: Settings, run_id: str, summary: dict[str, Any]) -> None:
    with Warehouse.open(settings.database.path, settings.database.lock_timeout_seconds) as wh:
        wh.finish_run(run_id, summary["status"], summary)


def respond_and_record(
    settings: Settings, run_id: str, summary: dict[str, Any], posts: Sequence[Post]
) -> dict[str, Any]:
    """Open cases, queue and send alerts, escalate; add the counts to the run summary.

    A failure here (say the database stayed locked) is recorded in the summary, not raised: the
    posts are stored, and the next run opens the cases it finds without one.
    """
    try:
        response = respond(settings, run_id, posts=posts)
    except (MentionsError, duckdb.Error) as exc:  # a DuckDB error too: the purge must still run
        log.error("run %s: responding failed: %s", run_id, exc)
        response = {"error": str(exc)}
    summary = {**summary, "respond": response}
    _record(settings, run_id, summary)
    return summary


def purge_and_record(settings: Settings, run_id: str, summary: dict[str, Any]) -> dict[str, Any]:
    """Apply the retention periods; a failure is recorded in the summary, not raised."""
    try:
        purged = purge_database(settings)
    except (MentionsError, duckdb.Error) as exc:
        log.error("run %s: purge failed: %s", run_id, exc)
        purged = {"error": str(exc)}
    summary = {**summary, "purge": purged}
    _record(settings, run_id, summary)
    return summary
