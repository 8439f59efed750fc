"""The one small interface every source implements, and the registry that builds them.

A ``Source`` has a unique ``name`` (e.g. ``rss:Google News:Darul Hadis Latifiah``), a ``kind``
and ``fetch(state) -> SourceResult``. ``state`` is whatever the source asked to keep last time
(ETag, newest Reddit id ...); the flow loads and saves it. ``fetch`` must not raise for a
failure of its own source: it returns a result with status ``failed`` / ``degraded`` and the
error, so one broken source never stops a run. ``safe_fetch`` enforces that for any source.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from mentions.models import SourceResult, utcnow
from mentions.settings import Settings


class Source(Protocol):
    name: str
    kind: str

    def fetch(self, state: dict[str, Any]) -> SourceResult: ...


def safe_fetch(source: Source, state: dict[str, Any]) -> SourceResult:
    """Run one source; any exception becomes a ``failed`` result naming the source."""
    started = utcnow()
    try:
        result = source.fetch(dict(state))
    except Exception as exc:  # noqa: BLE001 - isolation is the point
        result = SourceResult(
            source=source.name,
            kind=source.kind,
            status="failed",
            error=f"{type(exc).__name__}: {exc}",
            http_status=getattr(exc, "http_status", None),
            state=dict(state),
        )
    result.started = started
    result.finished = utcnow()
    return result


SourceFactory = Callable[[Settings], list[Source]]


def build_sources(settings: Settings) -> list[Source]:
    """All sources the profile enables, in a stable order."""
    # Imported here: each kind pulls in its own heavy library (PRAW, Scrapy).
    from scrapers import reddit, rss, web

    # A new source kind adds its build_sources here.
    factories: list[SourceFactory] = [rss.build_sources, reddit.build_sources, web.build_sources]
    sources: list[Source] = []
    for factory in factories:
        sources.extend(factory(settings))
    return sources
