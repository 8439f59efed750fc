"""Reddit source: search for the school's aliases and watch local subreddits' newest comments.

Reddit is read through its OAuth API with PRAW in read-only mode (app credentials from the
environment, no user account). One ``Source`` object per query, so queries fan out and fail
separately:

- ``reddit:search:r/london`` / ``reddit:search:all``: the aliases as one OR query (split when
  longer than Reddit's 512 characters), newest first, time-limited to what is new since the
  last run. Reddit's search is fuzzy, so every result is matched again with our ``Matcher``.
- ``reddit:comments:r/tower_hamlets``: the subreddit's newest comments down to the last one
  seen; only comments that match are kept.

State per query (persisted by the flow): ``since`` (newest ``created_utc`` read, the watermark)
and ``seen`` (fullname -> created_utc of items near the watermark), so a rerun neither pages
through old results again nor reports an item twice. Search re-reads ``search_overlap_hours``
behind the watermark because Reddit's search index lags; ``seen`` removes the repeats.

Failures never raise out of ``fetch``: HTTP goes through ``_PatientRequestor``, which honours
429 + Retry-After, backs off on 5xx / timeouts within a time budget and turns 401/403/404 into
one clear permanent error. Transient trouble -> ``degraded`` (what was read is kept, the
watermark does not move, so the next run fills the gap); permanent -> ``failed``.
"""

from __future__ import annotations

import email.utils
import logging
import math
import random
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import praw
import prawcore
import requests

from analysis.matching import Matcher
from mentions.errors import FetchError, ParseError, SourceError
from mentions.models import Post, SourceResult, utcnow
from mentions.settings import RedditSource as RedditSettings
from mentions.settings import Settings

log = logging.getLogger(__name__)

KIND = "reddit"
NO_CREDENTIALS = (
    "Reddit: no credentials (set MENTIONS_REDDIT_CLIENT_ID and MENTIONS_REDDIT_CLIENT_SECRET)"
)
CANONICAL_BASE = "https://www.reddit.com"  # permalinks are stored against the real site
MAX_QUERY_CHARS = 512  # Reddit rejects longer search queries
_REMOVED_BODIES = {"[removed]", "[deleted]"}
_TIME_WINDOWS = (
    ("hour", 3600),
    ("day", 86400),
    ("week", 7 * 86400),
    ("month", 28 * 86400),
    ("year", 365 * 86400),
)
_TRANSIENT_EXCEPTIONS = (
    requests.exceptions.ConnectionError,
    requests.exceptions.Timeout,
    requests.exceptions.ChunkedEncodingError,
)

# Reddit's rate limit is per app, not per query: a 429 seen by one query makes every query of
# this process against the same API wait too. Keyed by oauth_url; values are monotonic times.
_COOLDOWN: dict[str, float] = {}
_COOLDOWN_LOCK = threading.Lock()


class _GiveUp(Exception):
    """Raised inside the requestor to stop PRAW (and its own retries) at once."""

    def __init__(self, message: str, *, permanent: bool, http_status: int | None = None):
        super().__init__(message)
        self.permanent = permanent
        self.http_status = http_status


@dataclass
class _Policy:
    """The retry budget of one fetch: how long it may spend waiting out trouble."""

    oauth_url: str
    max_wait: float
    max_retry_after: float
    backoff: float
    timeout: float
    spent: float = 0.0  # seconds spent in sleeps and failed attempts
    retries: int = 0
    rate_limited: int = 0  # 429s answered
    last_status: int | None = None
    notes: list[str] = field(default_factory=list)

    def wait(self, seconds: float, reason: str, status: int | None) -> None:
        """Sleep ``seconds`` for ``reason`` or give up if the budget does not allow it."""
        if seconds > self.max_retry_after and status == 429:
            raise _GiveUp(
                f"rate limited by Reddit (HTTP 429, Retry-After {seconds:g}s is longer than "
                f"max_retry_after_seconds={self.max_retry_after:g}); try again later",
                permanent=False,
                http_status=429,
            )
        if self.spent + seconds > self.max_wait:
            raise _GiveUp(
                f"gave up after {self.spent:.1f}s of retries ({self.retries} retries, "
                f"max_wait_seconds={self.max_wait:g}); last problem: {reason}",
                permanent=False,
                http_status=status,
            )
        self.retries += 1
        self.spent += seconds
        log.info("reddit: %s; retrying in %.1fs", reason, seconds)
        time.sleep(seconds)

    def backoff_for(self, attempt: int) -> float:
        # Exponential with jitter so concurrent queries do not retry in lockstep.
        return self.backoff * (2 ** min(attempt, 6)) * (0.5 + random.random() / 2)  # noqa: S311

    def cooldown_left(self) -> float:
        with _COOLDOWN_LOCK:
            return _COOLDOWN.get(self.oauth_url, 0.0) - time.monotonic()

    def set_cooldown(self, seconds: float) -> None:
        with _COOLDOWN_LOCK:
            until = time.monotonic() + seconds
            _COOLDOWN[self.oauth_url] = max(_COOLDOWN.get(self.oauth_url, 0.0), until)


def _retry_after(response: requests.Response) -> float | None:
    """Seconds from Retry-After (seconds or HTTP date), else Reddit's x-ratelimit-reset."""
    value = response.headers.get("Retry-After")
    if value:
        try:
            return max(0.0, float(value))
        except ValueError:
            try:
                when = email.utils.parsedate_to_datetime(value)
                return max(0.0, (when - datetime.now(UTC)).total_seconds())
            except (TypeError, ValueError):
                pass
    reset = response.headers.get("x-ratelimit-reset")
    try:
        return max(0.0, float(reset)) if reset else None
    except ValueError:
        return None


def _reason(response: requests.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return ""
    if isinstance(body, dict):
        return str(body.get("reason") or body.get("message") or "")
    return ""


class _PatientRequestor(prawcore.Requestor):
    """Every HTTP request PRAW makes passes through here.

    It waits out 429 (Retry-After) and 5xx / timeouts within the policy's budget, and raises
    ``_GiveUp`` for anything that will not fix itself, so prawcore's own fixed retries (sleeps
    of up to 4 s it cannot be told to skip) never run and the messages name the real cause.
    """

    def __init__(self, *args: Any, policy: _Policy, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._policy = policy
        self._api_401s = 0

    def request(self, *args: Any, timeout: float | None = None, **kwargs: Any):
        policy = self._policy
        method, url = (list(args) + [None, None])[:2]
        url = url or kwargs.get("url", "")
        path = urlsplit(str(url)).path
        is_token = path.endswith("/api/v1/access_token")
        attempt = 0
        while True:
            if (left := policy.cooldown_left()) > 0:
                policy.wait(left, "Reddit asked this app to slow down (429)", 429)
            started = time.monotonic()
            try:
                response = super().request(*args, timeout=policy.timeout, **kwargs)
            except prawcore.RequestException as exc:
                original = exc.original_exception
                if not isinstance(original, _TRANSIENT_EXCEPTIONS):
                    raise _GiveUp(
                        f"request to {path} failed: {original}", permanent=False
                    ) from None
                policy.spent += time.monotonic() - started
                kind = "timed out" if isinstance(original, requests.Timeout) else "failed"
                policy.wait(policy.backoff_for(attempt), f"{method} {path} {kind}", None)
                attempt += 1
                continue
            status = response.status_code
            policy.last_status = status
            if status == 429:
                policy.rate_limited += 1
                wait = _retry_after(response)
                wait = policy.backoff_for(attempt) if wait is None else wait
                policy.set_cooldown(min(wait, policy.max_retry_after))
                policy.wait(wait, f"HTTP 429 on {path}", 429)
                attempt += 1
                continue
            if status >= 500:
                policy.spent += time.monotonic() - started
                policy.wait(policy.backoff_for(attempt), f"HTTP {status} on {path}", status)
                attempt += 1
                continue
            if is_token and status in (400, 401, 403):
                raise _GiveUp(
                    f"Reddit rejected the app credentials (HTTP {status} from the token "
                    "endpoint): check MENTIONS_REDDIT_CLIENT_ID and MENTIONS_REDDIT_CLIENT_SECRET",
                    permanent=True,
                    http_status=status,
                )
            if status == 403:
                why = _reason(response)
                raise _GiveUp(
                    f"forbidden (HTTP 403{', ' + why if why else ''}) for {path}: the subreddit "
                    "is private, quarantined or banned, or the app is not allowed",
                    permanent=True,
                    http_status=403,
                )
            if status == 401:
                # The first 401 is an expired token: prawcore fetches a new one and retries.
                # A second in a row means the API refuses this app.
                self._api_401s += 1
                if self._api_401s > 1:
                    raise _GiveUp(
                        f"unauthorised (HTTP 401) for {path} even with a fresh token: check the "
                        "app credentials and that the app is not suspended",
                        permanent=True,
                        http_status=401,
                    )
                return response
            if status in (301, 302, 404):
                raise _GiveUp(
                    f"not found (HTTP {status}) for {path}: check that the subreddit exists "
                    "and is not banned",
                    permanent=True,
                    http_status=status,
                )
            if not is_token:
                self._api_401s = 0
            return response


def _attr(thing: Any, name: str, default: Any = None) -> Any:
    # vars(): a missing attribute must not make PRAW lazily fetch the object (an extra request).
    return vars(thing).get(name, default)


def _canonical(permalink: str) -> str:
    path = urlsplit(permalink).path if permalink.startswith("http") else permalink
    return CANONICAL_BASE + ("/" + path.lstrip("/"))


def _created(thing: Any) -> float:
    return float(_attr(thing, "created_utc", 0.0) or 0.0)


def _author(thing: Any) -> str | None:
    author = _attr(thing, "author")  # PRAW turns "[deleted]" into None
    return None if author is None else str(author.name)


def search_queries(aliases: Iterable[str], max_chars: int = MAX_QUERY_CHARS) -> list[str]:
    """The aliases as quoted phrases ORed together, split so no query exceeds ``max_chars``."""
    phrases = []
    for alias in aliases:
        cleaned = " ".join(alias.replace('"', " ").split())
        if cleaned and f'"{cleaned}"' not in phrases:
            phrases.append(f'"{cleaned}"')
    queries: list[str] = []
    current = ""
    for phrase in phrases:
        candidate = f"{current} OR {phrase}" if current else phrase
        if len(candidate) > max_chars and current:
            queries.append(current)
            candidate = phrase
        current = candidate[:max_chars]
    if current:
        queries.append(current)
    return queries


def time_filter_for(seconds: float) -> str:
    """Smallest Reddit time filter that still covers ``seconds`` back from now."""
    for name, window in _TIME_WINDOWS:
        if seconds <= window:
            return name
    return "all"


@dataclass
class _Walk:
    """What one fetch gathered; turned into a SourceResult at the end."""

    posts: list[Post] = field(default_factory=list)
    items_seen: int = 0
    newest: float | None = None
    read: dict[str, float] = field(default_factory=dict)  # fullname -> created_utc
    hit_page_limit: bool = False


class RedditQuery:
    """One Reddit query (a subreddit search, an all-Reddit search or a comment stream)."""

    kind = KIND

    def __init__(
        self,
        mode: str,
        subreddit: str,
        cfg: RedditSettings,
        *,
        client_id: str,
        client_secret: str,
        matcher: Matcher,
        aliases: list[str],
    ):
        if mode not in ("search", "comments"):
            raise ValueError(f"unknown Reddit query mode {mode!r}")
        self.mode = mode
        self.subreddit = subreddit
        where = "all" if subreddit == "all" else f"r/{subreddit}"
        self.name = f"reddit:{mode}:{where}"
        self._cfg = cfg
        self._client_id = client_id
        self._client_secret = client_secret
        self._matcher = matcher
        self._aliases = aliases

    def __repr__(self) -> str:  # never shows the credentials
        return f"RedditQuery({self.name!r})"

    # -- plumbing -----------------------------------------------------------------------------

    def _client(self, policy: _Policy) -> praw.Reddit:
        cfg = self._cfg
        reddit = praw.Reddit(
            client_id=self._client_id,
            client_secret=self._client_secret,
            user_agent=cfg.user_agent,
            # A trailing "/" so urljoin keeps any path prefix (a proxy at https://host/reddit).
            oauth_url=cfg.oauth_url + "/",
            reddit_url=cfg.reddit_url,
            # Explicit Nones so a praw.ini or praw_* variable cannot turn this into a user login.
            username=None,
            password=None,
            refresh_token=None,
            check_for_updates=False,
            check_for_async=False,
            timeout=max(1, math.ceil(cfg.timeout_seconds)),
            requestor_class=_PatientRequestor,
            requestor_kwargs={"policy": policy},
        )
        reddit.read_only = True
        return reddit

    def _listings(self, reddit: praw.Reddit, state: dict[str, Any]) -> Iterator[Iterator[Any]]:
        cfg = self._cfg
        limit = cfg.page_size * cfg.max_pages
        sub = reddit.subreddit(self.subreddit)
        if self.mode == "comments":
            yield sub.comments(limit=limit, request_limit=cfg.page_size)
            return
        since = state.get("since")
        if since is None:
            t = cfg.first_run_time_filter
        else:
            back_to = float(since) - cfg.search_overlap_hours * 3600
            t = time_filter_for(time.time() - back_to + 60)
        for query in search_queries(self._aliases):
            yield sub.search(
                query,
                sort="new",
                time_filter=t,
                syntax="lucene",
                limit=limit,
                request_limit=cfg.page_size,
            )

    def _boundary(self, state: dict[str, Any]) -> float | None:
        since = state.get("since")
        if since is None:
            return None
        overlap = self._cfg.search_overlap_hours * 3600 if self.mode == "search" else 0.0
        return float(since) - overlap

    # -- turning things into posts ------------------------------------------------------------

    def _post(
        self, thing: Any, kind: str, title: str, text: str, removed: bool, extra: dict[str, Any]
    ) -> Post:
        """What submissions and comments share: identity, permalink, author, time, score."""
        fullname = thing.fullname
        permalink = _canonical(str(_attr(thing, "permalink", "")))
        return Post(
            source=KIND,
            source_name=self.name,
            url=permalink,
            title=title,
            text=text,
            key=f"reddit:{fullname}",
            author=_author(thing),
            published=datetime.fromtimestamp(_created(thing), UTC),
            extra={
                "type": kind,
                "fullname": fullname,
                "subreddit": str(_attr(thing, "subreddit", "")),
                "permalink": permalink,
                "score": _attr(thing, "score"),
                "over_18": bool(_attr(thing, "over_18", False)),
                **extra,
                "removed": removed,
                "author_deleted": _attr(thing, "author") is None,
                "query": self.name,
            },
        )

    def _submission_post(self, thing: Any) -> Post | None:
        title = str(_attr(thing, "title", "") or "")
        selftext = str(_attr(thing, "selftext", "") or "")
        removed = selftext.strip() in _REMOVED_BODIES or bool(_attr(thing, "removed_by_category"))
        text = "" if selftext.strip() in _REMOVED_BODIES else selftext
        if self._matcher.match(title, text) is None:
            return None
        link_url = _attr(thing, "url")
        is_self = bool(_attr(thing, "is_self", not link_url))
        extra = {
            "num_comments": _attr(thing, "num_comments"),
            "link_url": None if is_self else link_url,
        }
        return self._post(thing, "submission", title, text, removed, extra)

    def _comment_post(self, thing: Any) -> Post | None:
        body = str(_attr(thing, "body", "") or "")
        removed = body.strip() in _REMOVED_BODIES
        text = "" if removed else body
        link_title = str(_attr(thing, "link_title", "") or "")
        hit = self._matcher.match("", text)
        if hit is None and self._cfg.match_thread_title:
            hit = self._matcher.match(link_title, text)
        if hit is None:
            return None
        link_permalink = _attr(thing, "link_permalink")
        extra = {
            # Parent context: the thread (and the comment replied to, when not top level).
            "link_id": _attr(thing, "link_id"),
            "parent_id": _attr(thing, "parent_id"),
            "link_title": link_title,
            "link_url": _canonical(str(link_permalink)) if link_permalink else None,
            "link_author": _attr(thing, "link_author"),
            "is_top_level": _attr(thing, "parent_id") == _attr(thing, "link_id"),
        }
        title = f"Re: {link_title}" if link_title else "Reddit comment"
        return self._post(thing, "comment", title, text, removed, extra)

    # -- the walk -----------------------------------------------------------------------------

    def _walk(self, listing: Iterator[Any], state: dict[str, Any], walk: _Walk) -> None:
        boundary = self._boundary(state)
        seen: dict[str, float] = state.get("seen") or {}
        reached_boundary = boundary is None
        count = 0
        for thing in listing:
            count += 1
            walk.items_seen += 1
            created = _created(thing)
            if boundary is not None and created < boundary:
                reached_boundary = True
                break  # newest first: everything after this was read in an earlier run
            fullname = thing.fullname
            walk.newest = created if walk.newest is None else max(walk.newest, created)
            if fullname in seen or fullname in walk.read:
                continue
            walk.read[fullname] = created
            post = (
                self._comment_post(thing)
                if self.mode == "comments"
                else self._submission_post(thing)
            )
            if post is not None:
                walk.posts.append(post)
        limit = self._cfg.page_size * self._cfg.max_pages
        if not reached_boundary and count >= limit:
            walk.hit_page_limit = True

    def _new_state(self, state: dict[str, Any], walk: _Walk, *, advance: bool) -> dict[str, Any]:
        since = state.get("since")
        if advance and walk.newest is not None:
            since = walk.newest if since is None else max(float(since), walk.newest)
        seen = dict(state.get("seen") or {})
        seen.update(walk.read)
        if since is not None:
            # Only items the next run can meet again are worth remembering.
            overlap = self._cfg.search_overlap_hours * 3600 if self.mode == "search" else 0.0
            keep_from = float(since) - overlap
            if not advance and state.get("since") is not None:
                keep_from = float(state["since"]) - overlap
            seen = {k: v for k, v in seen.items() if v >= keep_from}
        newest_first = sorted(seen.items(), key=lambda kv: kv[1], reverse=True)
        return {"since": since, "seen": dict(newest_first[: self._cfg.seen_limit])}

    def fetch(self, state: dict[str, Any]) -> SourceResult:
        started = utcnow()
        state = dict(state or {})
        cfg = self._cfg
        policy = _Policy(
            oauth_url=cfg.oauth_url,
            max_wait=cfg.max_wait_seconds,
            max_retry_after=cfg.max_retry_after_seconds,
            backoff=cfg.backoff_seconds,
            timeout=cfg.timeout_seconds,
        )
        walk = _Walk()
        error: SourceError | None = None
        try:
            reddit = self._client(policy)
            for listing in self._listings(reddit, state):
                self._walk(listing, state, walk)
        except _GiveUp as exc:
            cls = FetchError
            error = cls(self.name, str(exc), permanent=exc.permanent, http_status=exc.http_status)
        except prawcore.BadJSON as exc:
            error = ParseError(
                self.name,
                f"Reddit sent malformed JSON (HTTP {exc.response.status_code})",
                http_status=exc.response.status_code,
            )
        except prawcore.ResponseException as exc:
            status = exc.response.status_code
            error = FetchError(
                self.name,
                f"unexpected HTTP {status} from Reddit",
                http_status=status,
                permanent=400 <= status < 500,
            )
        except prawcore.PrawcoreException as exc:
            error = FetchError(self.name, f"{type(exc).__name__}: {exc}")
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            # PRAW met JSON of a shape it does not know (a proxy's error page, an API change).
            error = ParseError(
                self.name, f"unusable response from Reddit: {type(exc).__name__}: {exc}"
            )
        if policy.rate_limited:
            log.warning(
                "%s: answered %d HTTP 429(s), waited %.1fs in total",
                self.name,
                policy.rate_limited,
                policy.spent,
            )

        result = SourceResult(
            source=self.name,
            kind=KIND,
            posts=walk.posts,
            items_seen=walk.items_seen,
            started=started,
        )
        if error is None:
            result.state = self._new_state(state, walk, advance=True)
            if walk.hit_page_limit and state.get("since") is not None:
                # A retry would stop at the same page limit, so the watermark still moves on.
                result.status = "degraded"
                result.error = (
                    f"{self.name}: read {cfg.max_pages} pages (max_pages) without reaching the "
                    "previous run's newest item; older new items were skipped"
                )
        else:
            # Keep the old watermark so the next run fills the gap; "seen" stops repeats.
            result.state = self._new_state(state, walk, advance=False)
            permanent = error.permanent or isinstance(error, ParseError)
            result.status = "failed" if permanent else "degraded"
            result.error = str(error)
            result.http_status = error.http_status or policy.last_status
        result.finished = utcnow()
        return result


class MissingCredentials:
    """Stands in for all Reddit queries when the app credentials are not set: one clear line."""

    name = "reddit"
    kind = KIND

    def fetch(self, state: dict[str, Any]) -> SourceResult:
        now = utcnow()
        return SourceResult(
            source=self.name,
            kind=KIND,
            status="skipped",
            error=NO_CREDENTIALS,
            state=dict(state or {}),
            started=now,
            finished=now,
        )


def build_sources(settings: Settings) -> list[Any]:
    """One source per configured query, or a single ``skipped`` stand-in without credentials."""
    cfg = settings.sources.reddit
    if not cfg.enabled:
        return []
    secrets = settings.secrets
    client_id = secrets.reddit_client_id.get_secret_value() if secrets.reddit_client_id else ""
    client_secret = (
        secrets.reddit_client_secret.get_secret_value() if secrets.reddit_client_secret else ""
    )
    if not client_id.strip() or not client_secret.strip():
        return [MissingCredentials()]
    matcher = Matcher.from_school(settings.school)
    aliases = list(settings.school.aliases)
    common = dict(
        client_id=client_id.strip(),
        client_secret=client_secret.strip(),
        matcher=matcher,
        aliases=aliases,
    )
    sources: list[Any] = [RedditQuery("search", sub, cfg, **common) for sub in cfg.subreddits]
    if cfg.search_all:
        sources.append(RedditQuery("search", "all", cfg, **common))
    sources.extend(RedditQuery("comments", sub, cfg, **common) for sub in cfg.comment_subreddits)
    return sources
