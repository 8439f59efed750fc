"""Item pipelines: clean and cap each page item, then append it to the job's JSON lines file.

The file is written and flushed one item at a time, so a crawl killed at its time limit still
hands the parent process every page it finished.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import IO, Any

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from scrapers.web.items import PageItem


class CleanItemPipeline:
    """Drops empty and repeated pages, enforces the page limit, caps the raw HTML kept."""

    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.seen: set[str] = set()
        self.kept = 0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CleanItemPipeline:
        return cls(crawler)

    def process_item(self, item: PageItem) -> PageItem:
        job: dict[str, Any] = self.crawler.spider.job  # type: ignore[union-attr]
        if not (item.text.strip() or item.title.strip()):
            raise DropItem(f"no text extracted from {item.url}")
        if item.url in self.seen:  # two links redirecting to one page
            raise DropItem(f"already kept {item.url}")
        if self.kept >= int(job["site"]["max_pages"]):
            raise DropItem(f"page limit reached, not keeping {item.url}")
        cap = int(job["raw_html_max_bytes"])
        raw = item.raw_html.encode("utf-8")
        if len(raw) > cap:
            # Cut on bytes, then drop a half character at the end.
            item.raw_html = raw[:cap].decode("utf-8", errors="ignore")
        self.seen.add(item.url)
        self.kept += 1
        return item


class JsonLinesPipeline:
    """Writes each item as one JSON line to the file named in the job."""

    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.file: IO[str] | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> JsonLinesPipeline:
        return cls(crawler)

    def open_spider(self) -> None:
        job: dict[str, Any] = self.crawler.spider.job  # type: ignore[union-attr]
        self.file = open(job["items_file"], "a", encoding="utf-8")  # noqa: SIM115

    def process_item(self, item: PageItem) -> PageItem:
        assert self.file is not None
        self.file.write(json.dumps(asdict(item), ensure_ascii=False) + "\n")
        self.file.flush()
        return item

    def close_spider(self) -> None:
        if self.file is not None:
            self.file.close()
