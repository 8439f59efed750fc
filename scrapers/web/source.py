"""Scraped web pages as sources: one ``Source`` per configured site (``web:<site name>``).

``fetch`` runs the Scrapy spider in a child process (``python -m scrapy crawl site``): Twisted's
reactor cannot be restarted inside one long-lived Prefect worker, and a child process can be
killed when it hangs. The child writes pages as JSON lines and a summary (stats and failures by
kind) when it closes; this module turns them into ``Post``s and a status:

- ``failed``: the crawl crashed, was killed with nothing kept, or every start URL failed
  (HTTP error, robots.txt, timeout ...), with the reason per URL;
- ``degraded``: some pages came back but a start URL failed, the crawl hit its time limit, or
  the site yielded no pages although earlier runs did (layout changed? blocked?);
- ``ok`` otherwise, including "pages crawled, none mention the school".

Matching happens here in the parent with the one ``Matcher`` so web pages obey exactly the same
aliases and exclusions as every other source. State keeps a content hash per page URL: unchanged
pages are not returned again, a changed page comes back as a new version. The hashes are reset
when the school's matching terms change, so a page that did not match before is looked at again.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from analysis.matching import Matcher
from analysis.urls import canonical_url
from mentions.models import Post, SourceResult, SourceStatus, utcnow
from mentions.settings import School, Settings, WebSite, WebSource

KIND = "web"
SETTINGS_MODULE = "scrapers.web.settings"
_MAX_URL_HASHES = 5000  # state size bound for a big site
_YIELD_HISTORY = 5
_FAILURE_WORDS = {
    "http": "HTTP error",
    "robots": "robots.txt disallows it",
    "timeout": "timed out",
    "too_large": "larger than the page size cap",
    "redirect_loop": "too many redirects",
    "dns": "DNS lookup failed",
    "network": "network error",
}


@dataclass(slots=True)
class CrawlOutput:
    """What one child crawl left behind."""

    items: list[dict[str, Any]] = field(default_factory=list)
    summary: dict[str, Any] | None = None
    returncode: int | None = None
    killed: bool = False
    log_tail: str = ""
    bad_lines: int = 0


def _matcher_fingerprint(school: School) -> str:
    terms = [
        school.aliases,
        school.weak_aliases,
        school.exclusions,
        school.location_hints,
        school.context_words,
    ]
    return hashlib.sha256(json.dumps(terms).encode()).hexdigest()[:16]


def scrapy_overrides(web: WebSource, site: WebSite, user_agent: str) -> dict[str, str]:
    """Per-site ``-s`` settings for the child crawl, from the school profile."""
    delay = web.download_delay_seconds
    cache_dir = (
        web.http_cache_dir
        if web.http_cache_dir.is_absolute()
        else (Path.cwd() / web.http_cache_dir)
    )
    return {
        "USER_AGENT": web.user_agent or user_agent,
        "DOWNLOAD_TIMEOUT": str(web.page_timeout_seconds),
        "DOWNLOAD_MAXSIZE": str(web.max_page_bytes),
        "DOWNLOAD_WARNSIZE": str(min(web.max_page_bytes, 1_000_000)),
        # The spider enforces depth_limit itself; +1 lets search results (depth 1) through.
        # (Scrapy reads DEPTH_LIMIT=0 as "no limit", so it is only a backstop here.)
        "DEPTH_LIMIT": str(site.depth_limit + 1),
        # Graceful stop at the limit (pages so far are kept); the parent kills a bit later.
        "CLOSESPIDER_TIMEOUT": str(web.crawl_time_limit_seconds),
        "CONCURRENT_REQUESTS_PER_DOMAIN": str(web.concurrency_per_domain),
        "DOWNLOAD_DELAY": str(delay),
        "AUTOTHROTTLE_START_DELAY": str(max(delay, 0.0)),
        "AUTOTHROTTLE_MAX_DELAY": str(max(delay * 10, 5.0)),
        "RETRY_TIMES": str(web.retries),
        "HTTPCACHE_ENABLED": "True" if web.http_cache else "False",
        "HTTPCACHE_DIR": str(cache_dir),
    }


def run_crawl(
    job: dict[str, Any],
    overrides: dict[str, str],
    *,
    hard_timeout: float,
    workdir: Path,
) -> CrawlOutput:
    """Run ``scrapy crawl site`` in a child process and collect its items and summary.

    Never raises for the crawl's own failures: a crash, a hang (killed after ``hard_timeout``
    seconds) or garbage output are all reported in the returned ``CrawlOutput``.
    """
    items_file = workdir / "items.jsonl"
    summary_file = workdir / "summary.json"
    log_file = workdir / "crawl.log"
    job = {**job, "items_file": str(items_file), "summary_file": str(summary_file)}
    job_file = workdir / "job.json"
    job_file.write_text(json.dumps(job), encoding="utf-8")
    items_file.touch()
    cmd = [sys.executable, "-m", "scrapy", "crawl", "site", "-a", f"job={job_file}"]
    for name, value in overrides.items():
        cmd += ["-s", f"{name}={value}"]
    env = {**os.environ, "SCRAPY_SETTINGS_MODULE": SETTINGS_MODULE, "PYTHONIOENCODING": "utf-8"}
    out = CrawlOutput()
    with open(log_file, "wb") as log:
        # cwd=workdir: Scrapy's project data dir (.scrapy) lands in the temp dir, not the repo.
        proc = subprocess.Popen(  # noqa: S603 - fixed argv, no shell
            cmd,
            cwd=workdir,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
        try:
            out.returncode = proc.wait(timeout=hard_timeout)
        except subprocess.TimeoutExpired:
            out.killed = True
            proc.terminate()  # Scrapy shuts down cleanly on the first SIGTERM...
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                proc.kill()  # ...and a hung reactor gets SIGKILL.
                proc.wait()
            out.returncode = proc.returncode
    for line in items_file.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            item = json.loads(line)
        except ValueError:
            out.bad_lines += 1  # a line cut short by a kill
            continue
        if isinstance(item, dict):
            out.items.append(item)
    try:
        out.summary = json.loads(summary_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        out.summary = None
    log_text = log_file.read_text(encoding="utf-8", errors="replace")
    out.log_tail = "\n".join(log_text.strip().splitlines()[-15:])
    return out


def _parse_dt(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def _last_error_line(log_tail: str) -> str:
    for line in reversed(log_tail.splitlines()):
        if "Error" in line or "ERROR" in line or "Traceback" in line:
            return line.strip()[:300]
    return (log_tail.splitlines() or ["no output"])[-1].strip()[:300]


def _describe(failures: list[dict[str, Any]], limit: int = 3) -> str:
    parts = [
        f"{f['url']} ({f['message'] or _FAILURE_WORDS.get(f['kind'], f['kind'])})"
        for f in failures[:limit]
    ]
    more = len(failures) - limit
    return "; ".join(parts) + (f"; and {more} more" if more > 0 else "")


class WebSiteSource:
    """One configured site crawled by the Scrapy spider in a child process."""

    kind = KIND

    def __init__(self, site: WebSite, web: WebSource, school: School, user_agent: str):
        self.site = site
        self.web = web
        self.school = school
        self.user_agent = user_agent
        self.name = f"web:{site.name}"
        self._matcher: Matcher | None = None

    @property
    def matcher(self) -> Matcher:
        if self._matcher is None:
            self._matcher = Matcher.from_school(self.school)
        return self._matcher

    @property
    def hard_timeout(self) -> float:
        # Scrapy stops itself at CLOSESPIDER_TIMEOUT; the kill is for a crawl that cannot.
        limit = self.web.crawl_time_limit_seconds
        return limit + max(10.0, limit * 0.1)

    def crawl(self) -> CrawlOutput:
        job = {
            "site": self.site.model_dump(mode="json"),
            "aliases": list(self.school.aliases),
            "raw_html_max_bytes": self.web.raw_html_max_bytes,
        }
        overrides = scrapy_overrides(self.web, self.site, self.user_agent)
        with tempfile.TemporaryDirectory(prefix="mentions-web-") as tmp:
            return run_crawl(job, overrides, hard_timeout=self.hard_timeout, workdir=Path(tmp))

    def fetch(self, state: dict[str, Any]) -> SourceResult:
        started = utcnow()
        out = self.crawl()
        result = self.to_result(out, state)
        result.started = started
        result.finished = utcnow()
        return result

    # -- turning a crawl into a result ---------------------------------------------------

    def to_result(self, out: CrawlOutput, state: dict[str, Any]) -> SourceResult:
        fingerprint = _matcher_fingerprint(self.school)
        hashes: dict[str, str] = dict(state.get("pages") or {})
        if state.get("matcher") != fingerprint:
            hashes = {}  # new terms: every page deserves a fresh look
        yields: list[int] = [int(n) for n in state.get("yields") or []]

        posts: list[Post] = []
        counts: Counter[str] = Counter()
        for item in out.items:
            post = self._to_post(item)
            if post is None:
                counts["unusable"] += 1
                continue
            previous = hashes.get(post.url)
            hashes.pop(post.url, None)  # re-insert: dict order keeps the newest last
            hashes[post.url] = post.content_hash
            change = (
                "new"
                if previous is None
                else ("unchanged" if previous == post.content_hash else "changed")
            )
            match = self.matcher.match(post.title, post.text)
            if match is None:
                counts["not_matching"] += 1
                continue
            counts[f"matching_{change}"] += 1
            if change == "unchanged":
                continue  # already stored; the warehouse would dedupe it anyway
            post.extra.update(change=change, terms=match.terms, match_fields=list(match.fields))
            posts.append(post)
        while len(hashes) > _MAX_URL_HASHES:
            hashes.pop(next(iter(hashes)))

        status, error, http_status = self._judge(out, yields)
        pages = len(out.items)
        new_state: dict[str, Any] = {
            "matcher": fingerprint,
            "pages": hashes,
            # A crashed or killed crawl says nothing about the site's yield: keep the history.
            "yields": (yields + [pages])[-_YIELD_HISTORY:] if status != "failed" else yields,
            "last_run": {
                "pages": pages,
                "new": counts["matching_new"],
                "changed": counts["matching_changed"],
                "unchanged": counts["matching_unchanged"],
                "not_matching": counts["not_matching"],
                "failures": dict(
                    Counter(f["kind"] for f in (out.summary or {}).get("failures", []))
                ),
            },
        }
        return SourceResult(
            source=self.name,
            kind=self.kind,
            posts=posts,
            status=status,
            error=error,
            http_status=http_status,
            items_seen=pages,
            state=new_state,
        )

    def _judge(
        self, out: CrawlOutput, yields: list[int]
    ) -> tuple[SourceStatus, str | None, int | None]:
        name, pages = self.name, len(out.items)
        limit = self.web.crawl_time_limit_seconds
        if out.killed:
            # Killed from outside, whatever the child managed to write on its way out.
            msg = f"{name}: crawl hung past its time limit ({limit:g} s) and was killed"
            if pages:
                return "degraded", f"{msg}; kept {pages} page(s)", None
            return "failed", msg, None
        if out.summary is None:
            return (
                "failed",
                (
                    f"{name}: crawl process exited with code {out.returncode} and no summary: "
                    f"{_last_error_line(out.log_tail)}"
                ),
                None,
            )
        failures: list[dict[str, Any]] = out.summary.get("failures") or []
        start_urls: list[str] = out.summary.get("start_urls") or []
        start_failures = [f for f in failures if f.get("start")]
        failed_starts = {f["url"] for f in start_failures}
        http_status = next((f["status"] for f in start_failures if f.get("status")), None)
        if pages == 0:
            if start_urls and failed_starts >= set(start_urls):
                if all(f["kind"] == "robots" for f in start_failures):
                    return "failed", f"{name}: robots.txt disallows every start URL", None
                return (
                    "failed",
                    f"{name}: every start URL failed: {_describe(start_failures)}",
                    (http_status),
                )
            if any(yields):
                return (
                    "degraded",
                    (
                        f"{name}: crawl yielded 0 pages but earlier runs yielded up to {max(yields)}"
                        " (site layout changed, or the crawler is blocked?)"
                    ),
                    http_status,
                )
            return (
                "degraded",
                (
                    f"{name}: crawl yielded no pages (check start_urls, follow and items patterns)"
                    + (f"; failures: {_describe(failures)}" if failures else "")
                ),
                http_status,
            )
        problems: list[str] = []
        if start_failures:
            problems.append(f"start URL(s) failed: {_describe(start_failures)}")
        if out.summary.get("reason") == "closespider_timeout":
            problems.append(f"stopped at the crawl time limit ({limit:g} s) after {pages} pages")
        if out.bad_lines:
            problems.append(f"{out.bad_lines} unreadable item line(s)")
        if len(yields) >= 2 and max(yields) >= 5 and pages * 5 < sum(yields) / len(yields):
            problems.append(
                f"only {pages} pages, earlier runs averaged {sum(yields) / len(yields):.0f}"
            )
        if problems:
            return "degraded", f"{name}: " + "; ".join(problems), http_status
        return "ok", None, None

    def _to_post(self, item: dict[str, Any]) -> Post | None:
        url = item.get("url")
        if not isinstance(url, str) or not url:
            return None
        extra: dict[str, Any] = {
            "site": self.site.name,
            "extractor": item.get("method"),
            "depth": item.get("depth"),
            "http_status": item.get("status"),
            "encoding": item.get("encoding"),
        }
        if item.get("via_search"):
            extra["via_search"] = item["via_search"]
        fetched = _parse_dt(item.get("fetched"))
        return Post(
            source=KIND,
            source_name=self.name,
            url=canonical_url(url),
            title=str(item.get("title") or "")[:1000],
            text=str(item.get("text") or ""),
            author=item.get("author") or None,
            published=_parse_dt(item.get("published")),
            **({"fetched": fetched} if fetched else {}),
            extra=extra,
            raw_html=item.get("raw_html") or None,
        )


def build_sources(settings: Settings) -> list[WebSiteSource]:
    """One source per enabled site in ``[sources.web]``."""
    web = settings.sources.web
    if not web.enabled:
        return []
    return [
        WebSiteSource(site, web, settings.school, settings.http.user_agent)
        for site in web.sites
        if site.enabled
    ]
