"""RSS/Atom feeds: configured feeds plus news search feeds built from the school's aliases.

Retrieval (bounded HTTP with conditional GET, ``mentions.http``) is split from parsing
(feedparser over the bytes), as in lemon24/reader. The ETag / Last-Modified of each feed is kept
in the source state so a rerun sends conditional headers and an unchanged feed costs a 304.
"""

from __future__ import annotations

import calendar
import html
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote_plus

import feedparser
import httpx

from analysis.urls import canonical_url
from mentions.errors import ParseError, SourceError
from mentions.http import fetch, make_client
from mentions.models import Post, SourceResult
from mentions.settings import Http, Settings

_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")


def strip_html(value: str) -> str:
    return _SPACE.sub(" ", html.unescape(_TAG.sub(" ", value or ""))).strip()


def _when(entry: Any) -> datetime | None:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    return datetime.fromtimestamp(calendar.timegm(parsed), UTC) if parsed else None


# Served as text/plain, or declared in one encoding and decoded in another: feedparser still
# read every entry, so the feed is fine, not degraded.
_BENIGN = (feedparser.CharacterEncodingOverride, feedparser.NonXMLContentType)


def parse_feed(
    source: str, body: bytes, content_type: str | None = None
) -> tuple[list[Post], str | None]:
    """Parse feed bytes into posts. Returns (posts, warning). Raises ParseError when the bytes
    are not a feed at all or are too broken to yield any entry."""
    headers = {"content-type": content_type} if content_type else None
    parsed = feedparser.parse(body, response_headers=headers)
    warning = None
    if not parsed.entries and not parsed.get("version"):
        # An empty body or a well-formed HTML page (a consent wall, "feed moved") is not bozo
        # to feedparser, but it is not a feed either: "broken" must not read as "no mentions".
        problem = (
            f"{type(parsed.bozo_exception).__name__}: {parsed.bozo_exception}"
            if parsed.bozo
            else "no RSS or Atom element found"
        )
        raise ParseError(source, f"not a valid RSS/Atom feed ({problem})")
    if parsed.bozo and not isinstance(parsed.bozo_exception, _BENIGN):
        problem = f"{type(parsed.bozo_exception).__name__}: {parsed.bozo_exception}"
        if not parsed.entries:
            if parsed.get("version") or parsed.feed.get("title"):
                warning = f"feed has no entries ({problem})"
            else:
                raise ParseError(source, f"not a valid RSS/Atom feed ({problem})")
        else:
            warning = f"feed is malformed, {len(parsed.entries)} entries recovered ({problem})"
    posts = []
    for entry in parsed.entries:
        guid = entry.get("id")
        url = canonical_url(entry.get("link") or guid or "")
        if not url and not guid:
            continue  # nothing to identify it by
        content = entry.get("content") or []
        text = content[0].get("value", "") if content else entry.get("summary", "")
        posts.append(
            Post(
                source="rss",
                source_name=source,
                url=url,
                # No usable link (none, or not http(s)): the GUID keeps it apart from others.
                key="" if url else f"rss:{guid}",
                title=strip_html(entry.get("title", "")),
                text=strip_html(text),
                author=entry.get("author") or None,
                published=_when(entry),
                extra={"guid": guid, "feed": parsed.feed.get("title")},
            )
        )
    return posts, warning


@dataclass
class FeedSource:
    """One feed URL. ``name`` is unique per profile and keys the saved state."""

    name: str
    url: str
    http: Http
    client: httpx.Client | None = None
    kind: str = "rss"

    def fetch(self, state: dict[str, Any]) -> SourceResult:
        result = SourceResult(source=self.name, kind=self.kind, state=dict(state))
        client = self.client or make_client(self.http)
        try:
            resp = fetch(
                client,
                self.name,
                self.url,
                max_bytes=self.http.max_bytes,
                total_timeout=self.http.total_timeout_seconds,
                etag=state.get("etag"),
                last_modified=state.get("last_modified"),
            )
            result.http_status = resp.status
            if resp.not_modified:
                result.status = "not_modified"
                return result
            posts, warning = parse_feed(self.name, resp.body, resp.headers.get("content-type"))
        except SourceError as exc:
            result.status = "failed"
            result.error = str(exc)
            result.http_status = exc.http_status or result.http_status
            return result
        finally:
            if self.client is None:
                client.close()
        result.posts = posts
        result.items_seen = len(posts)
        if warning:
            result.status = "degraded"
            result.error = f"{self.name}: {warning}"
        # Only remember validators from a good response, so a broken feed is fetched again.
        result.state = {
            "etag": resp.headers.get("etag"),
            "last_modified": resp.headers.get("last-modified"),
        }
        return result


def search_feed_urls(settings: Settings) -> list[tuple[str, str]]:
    """(name, url) for every search template x alias."""
    out = []
    for engine, template in settings.sources.rss.search_templates.items():
        for alias in settings.school.aliases:
            out.append((f"rss:{engine}:{alias}", template.format(query=quote_plus(f'"{alias}"'))))
    return out


def build_sources(settings: Settings) -> list[FeedSource]:
    cfg = settings.sources.rss
    if not cfg.enabled:
        return []
    named = search_feed_urls(settings) + [(f"rss:{f.name}", f.url) for f in cfg.feeds]
    # One client for all feeds: it is thread-safe, and building one (TLS context) costs ~30 ms.
    client = make_client(settings.http)
    return [FeedSource(name, url, settings.http, client) for name, url in named]
