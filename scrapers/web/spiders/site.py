"""The one generic spider: crawls a configured site and, when it has one, its search page.

Everything it needs is in a job file (JSON, written by ``scrapers.web.source``)::

    {"site": {<WebSite settings>}, "aliases": [...], "items_file": "...",
     "summary_file": "...", "raw_html_max_bytes": 300000}

Start URLs are crawled breadth first: links matching ``follow`` (and not ``deny``) in the allowed
domains, up to ``depth_limit`` hops and ``max_pages`` pages. For a site with ``search_url`` the
spider also opens the search page once per alias and fetches the result links (one level, not
followed further). Pages matching ``items`` (or every page when ``items`` is empty) become
``PageItem``s; search pages themselves never do.

Every request has an errback, so failures (HTTP errors, robots.txt refusals, timeouts, DNS lookup
failures, pages over the size cap, redirect loops) are counted by kind and written with the stats
to the summary file when the spider closes; the parent process turns them into the source's
status and error.
"""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote_plus, urlsplit

import scrapy
from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadTimeoutError,
    IgnoreRequest,
)
from scrapy.http import Response, TextResponse
from scrapy.linkextractors import LinkExtractor
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.error import TimeoutError as TxTimeoutError
from twisted.python.failure import Failure

from scrapers.web.extract import extract
from scrapers.web.items import PageItem


def _hosts(urls: list[str]) -> list[str]:
    return sorted({h for h in (urlsplit(u).hostname for u in urls) if h})


def _strip_fragment(url: str) -> str:
    return url.split("#", 1)[0]


class SiteSpider(scrapy.Spider):
    name = "site"

    def __init__(self, job: str, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.job: dict[str, Any] = json.loads(Path(job).read_text(encoding="utf-8"))
        site = self.job["site"]
        self.site_name: str = site["name"]
        self.start_urls = list(site.get("start_urls") or [])
        self.search_url: str | None = site.get("search_url")
        templates = [self.search_url.replace("{query}", "x")] if self.search_url else []
        # OffsiteMiddleware reads this attribute: requests elsewhere are dropped.
        self.allowed_domains = [d.lower() for d in site.get("allowed_domains") or []] or _hosts(
            self.start_urls + templates
        )
        self.depth_limit = int(site.get("depth_limit", 2))
        self.max_pages = int(site.get("max_pages", 50))
        self.item_patterns = [re.compile(p) for p in site.get("items") or []]
        # No allow_domains here: LinkExtractor compares it with host:port, so a site on a
        # non-default port would never match. _allowed() checks the host name instead.
        self.links = LinkExtractor(allow=site.get("follow") or (), deny=site.get("deny") or ())
        self.result_links = LinkExtractor(
            allow=site.get("search_results") or site.get("follow") or (),
            deny=site.get("deny") or (),
        )
        self.scheduled: set[str] = set()
        self.start_set: set[str] = set()
        self.failures: list[dict[str, Any]] = []
        self.pages_seen = 0

    # -- requests -------------------------------------------------------------------------

    def _allowed(self, url: str) -> bool:
        host = (urlsplit(url).hostname or "").lower()
        return any(host == d or host.endswith(f".{d}") for d in self.allowed_domains)

    def _request(self, url: str, callback: Any, **meta: Any) -> scrapy.Request | None:
        """A page request, unless the page is a repeat or the page limit is used up."""
        key = _strip_fragment(url)
        if not meta.get("start") and not self._allowed(url):
            return None
        if key in self.scheduled or len(self.scheduled) >= self.max_pages:
            return None
        self.scheduled.add(key)
        # dont_filter: self.scheduled already dedupes, and with the dupefilter on, a redirect
        # loop would vanish silently instead of failing with "max redirections reached".
        return scrapy.Request(
            url, callback=callback, errback=self.on_error, meta=meta, dont_filter=True
        )

    async def start(self) -> AsyncIterator[Any]:
        for url in self.start_urls:
            self.start_set.add(url)
            if req := self._request(url, self.parse, start=True):
                yield req
        if self.search_url:
            for alias in self.job.get("aliases") or []:
                url = self.search_url.replace("{query}", quote_plus(alias))
                self.start_set.add(url)
                # Search pages do not count against the page limit: they are not pages we keep.
                yield scrapy.Request(
                    url,
                    callback=self.parse_search,
                    errback=self.on_error,
                    meta={"start": True, "alias": alias},
                    dont_filter=True,
                )

    # -- callbacks ------------------------------------------------------------------------

    def parse(self, response: Response) -> Iterator[Any]:
        if not isinstance(response, TextResponse):
            self.crawler.stats.inc_value("mentions/not_text")  # PDF, image: nothing to read
            return
        self.pages_seen += 1
        if self._is_item(response.url):
            yield self._item(response)
        depth = int(response.meta.get("depth", 0))
        if response.meta.get("no_follow") or depth >= self.depth_limit:
            return
        for link in self.links.extract_links(response):
            if req := self._request(link.url, self.parse):
                yield req

    def parse_search(self, response: Response) -> Iterator[Any]:
        if not isinstance(response, TextResponse):
            return
        self.crawler.stats.inc_value("mentions/search_pages")
        alias = response.meta.get("alias")
        for link in self.result_links.extract_links(response):
            if _strip_fragment(link.url) == _strip_fragment(response.url):
                continue
            if req := self._request(link.url, self.parse, no_follow=True, via_search=alias):
                yield req

    def _is_item(self, url: str) -> bool:
        return not self.item_patterns or any(p.search(url) for p in self.item_patterns)

    def _item(self, response: TextResponse) -> PageItem:
        page = extract(response.text)
        return PageItem(
            site=self.site_name,
            url=response.url,
            requested_url=response.request.url if response.request else response.url,
            title=page.title,
            text=page.text,
            author=page.author,
            published=page.published.isoformat() if page.published else None,
            fetched=datetime.now(UTC).isoformat(),
            method=page.method,
            depth=int(response.meta.get("depth", 0)),
            status=response.status,
            encoding=response.encoding,
            raw_html=response.text,
            via_search=response.meta.get("via_search"),
        )

    # -- failures -------------------------------------------------------------------------

    def on_error(self, failure: Failure) -> None:
        request = getattr(failure, "request", None)
        url = request.url if request is not None else "?"
        if request is not None and request.meta.get("redirect_urls"):
            # Report the URL we asked for (a start URL, a link), not the last hop.
            url = request.meta["redirect_urls"][0]
        is_start = bool(request is not None and request.meta.get("start"))
        exc = failure.value
        status: int | None = None
        if isinstance(exc, HttpError):
            kind, status = "http", exc.response.status
            message = f"HTTP {status}"
        elif isinstance(exc, IgnoreRequest) and "robots.txt" in str(exc):
            kind, message = "robots", "robots.txt disallows it"
        elif isinstance(exc, IgnoreRequest) and "redirect" in str(exc):
            kind, message = "redirect_loop", "too many redirects"
        elif isinstance(exc, DownloadTimeoutError | TxTimeoutError):
            kind, message = "timeout", str(exc) or "timed out"
        elif isinstance(exc, DownloadCancelledError) or "max size" in str(exc):
            kind, message = "too_large", "page larger than the size cap"
        elif isinstance(exc, CannotResolveHostError):
            # Not retried, and later requests to the host fail at once (middlewares.py).
            kind, message = "dns", str(exc) or "DNS lookup failed"
        else:
            kind, message = "network", f"{type(exc).__name__}: {exc}"
        self.crawler.stats.inc_value(f"mentions/failures/{kind}")
        if len(self.failures) < 200:  # enough to explain, bounded for huge broken sites
            self.failures.append(
                {"url": url, "kind": kind, "status": status, "message": message, "start": is_start}
            )

    def closed(self, reason: str) -> None:
        stats = {
            k: v
            for k, v in self.crawler.stats.get_stats().items()
            if isinstance(v, int | float | str)
        }
        summary = {
            "reason": reason,
            "pages_seen": self.pages_seen,
            "items": int(stats.get("item_scraped_count", 0)),
            "start_urls": sorted(self.start_set),
            "failures": self.failures,
            "stats": stats,
        }
        Path(self.job["summary_file"]).write_text(
            json.dumps(summary, default=str), encoding="utf-8"
        )
