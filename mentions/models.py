"""Plain data passed between the layers: posts from sources, what a source run produced."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

SourceStatus = Literal["ok", "not_modified", "degraded", "failed", "skipped"]


def utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class Post:
    """One public item (feed entry, Reddit submission/comment, web page) as a source saw it.

    ``key`` is the stable identity across runs: the source-native id when there is a reliable one
    (Reddit ``t3_abc``), otherwise the canonical URL. A post whose content changes gets a new
    version in the warehouse under the same key.
    """

    source: str  # source kind: "rss", "reddit", "web"
    source_name: str  # the configured source that produced it, e.g. "rss:Google News"
    url: str  # canonical URL
    title: str
    text: str
    key: str = ""
    author: str | None = None
    published: datetime | None = None
    fetched: datetime = field(default_factory=utcnow)
    extra: dict[str, Any] = field(default_factory=dict)  # source specific: subreddit, score ...
    raw_html: str | None = None  # the page as fetched, kept as evidence where there was one

    def __post_init__(self) -> None:
        if not self.key:
            object.__setattr__(self, "key", f"url:{self.url}")

    @property
    def content_hash(self) -> str:
        body = json.dumps([self.title, self.text], ensure_ascii=False)
        return hashlib.sha256(body.encode("utf-8")).hexdigest()

    @property
    def post_id(self) -> str:
        """Identity of this version: same key and same content means the same row."""
        return hashlib.sha256(f"{self.key}\x00{self.content_hash}".encode()).hexdigest()[:32]


@dataclass(slots=True)
class SourceResult:
    """What one source produced in one run. Sources return this; they never raise for a
    failure of their own source (the flow records status and error instead)."""

    source: str  # configured source name
    kind: str
    posts: list[Post] = field(default_factory=list)
    status: SourceStatus = "ok"
    error: str | None = None
    http_status: int | None = None
    items_seen: int = 0  # entries read before matching
    state: dict[str, Any] = field(default_factory=dict)  # incremental state to persist
    started: datetime = field(default_factory=utcnow)
    finished: datetime | None = None
