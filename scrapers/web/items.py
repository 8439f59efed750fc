"""The item the spider yields for every crawled page, as written to the JSON lines file."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(slots=True)
class PageItem:
    site: str
    url: str  # the final URL after redirects
    requested_url: str
    title: str
    text: str
    author: str | None
    published: str | None  # ISO 8601
    fetched: str  # ISO 8601, UTC
    method: str  # the extraction rule that chose the body
    depth: int
    status: int
    encoding: str
    raw_html: str  # capped by the pipeline
    via_search: str | None = None  # the alias whose search results led here
