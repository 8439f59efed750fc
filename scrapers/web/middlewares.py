"""Downloader middleware for the site crawl.

``UnresolvableHostMiddleware``: once a host name fails its DNS lookup, every later request to
that host fails at once with the same error. Without it each queued request (the start URLs,
one search page per alias) waits its turn in the site's download slot, ``DOWNLOAD_DELAY`` apart,
only to fail the same lookup: on a machine with no network that was over a minute per site.
DNS failures are not retried either (``RETRY_EXCEPTIONS`` in ``settings.py``); a site whose name
does not resolve is reported ``failed`` and asked again by the next run.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from scrapy.exceptions import CannotResolveHostError
from scrapy.http import Request


def _host(request: Request) -> str:
    return (urlsplit(request.url).hostname or "").lower()


class UnresolvableHostMiddleware:
    """Fails requests to hosts whose DNS lookup already failed in this crawl."""

    def __init__(self) -> None:
        self.failed: dict[str, str] = {}  # host -> the lookup error

    def process_request(self, request: Request) -> None:
        error = self.failed.get(_host(request))
        if error is not None:
            # The same exception the download would raise: the spider's errback reports it
            # per URL exactly like the first failure.
            raise CannotResolveHostError(error)

    def process_exception(self, request: Request, exception: Exception) -> None:
        if isinstance(exception, CannotResolveHostError):
            self.failed.setdefault(_host(request), str(exception))
