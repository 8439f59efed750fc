"""A fake Reddit API: a small local HTTP server that PRAW really talks to.

Tests, the benchmark and ``mentions demo`` point the Reddit source's ``oauth_url`` and
``reddit_url`` at it, so the whole path (OAuth token, listings, pagination, PRAW's parsing, our
retry and rate-limit handling) runs offline against real HTTP. It serves:

- ``POST /api/v1/access_token``: the client-credentials grant (HTTP Basic with the app id and
  secret; wrong ones get the 401 Reddit gives);
- ``GET /r/{sub}/search`` and ``/search``: fuzzy search (any word of the query matches, as loose
  as Reddit's own), ``restrict_sr``, ``sort=new``, the ``t`` time filter, ``limit``/``after``;
- ``GET /r/{sub}/comments``: the newest comments of a subreddit (or ``a+b``), newest first.

JSON has Reddit's shapes (``Listing`` of ``t3`` / ``t1`` things, ``[deleted]`` authors,
``[removed]`` bodies, ``over_18``, permalinks). Faults are switched on per test with
:meth:`FakeReddit.fault`: 429 with ``Retry-After``, 5xx, malformed JSON, slow responses, 401, 403.
Every request is logged (:attr:`FakeReddit.requests`) so tests can assert what was fetched.
"""

from __future__ import annotations

import base64
import json
import threading
import time
import unicodedata
import zlib
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib.resources import files
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

DEMO_CLIENT_ID = "demo-client-id"
DEMO_CLIENT_SECRET = "demo-client-secret"  # noqa: S105 - a fake server's dummy credential

_TIME_FILTERS = {
    "hour": 3600,
    "day": 86400,
    "week": 7 * 86400,
    "month": 31 * 86400,
    "year": 366 * 86400,
}
_B36 = "0123456789abcdefghijklmnopqrstuvwxyz"


def to_base36(number: int) -> str:
    out = ""
    while True:
        number, rem = divmod(number, 36)
        out = _B36[rem] + out
        if not number:
            return out


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def _slug(title: str) -> str:
    words = "".join(ch if ch.isalnum() else " " for ch in _fold(title)).split()
    return "_".join(words)[:50] or "post"


@dataclass
class Fault:
    kind: str  # "429", "500" (or any 5xx), "malformed", "slow", "401", "403"
    path: str | None = None  # only requests whose path contains this
    times: int | None = None  # how many requests it hits; None: until cleared
    retry_after: float | None = 1.0  # for 429; None sends no Retry-After header
    delay: float = 0.0  # for "slow": seconds before the (normal) answer

    def applies(self, path: str) -> bool:
        return (self.times is None or self.times > 0) and (self.path is None or self.path in path)


@dataclass
class LoggedRequest:
    method: str
    path: str
    params: dict[str, str]
    status: int
    at: float


class FakeReddit:
    """The fake API server. Use as a context manager or call :meth:`start` / :meth:`stop`.

    ``posts`` and ``comments`` are simple dicts (see ``reddit_demo.json``); missing fields get
    defaults, ``id`` is assigned in creation order when absent (Reddit ids grow with time),
    ``age_hours`` may stand in for ``created_utc``.
    """

    def __init__(
        self,
        posts: list[dict[str, Any]] | None = None,
        comments: list[dict[str, Any]] | None = None,
        *,
        client_id: str = DEMO_CLIENT_ID,
        client_secret: str = DEMO_CLIENT_SECRET,
        subreddits: set[str] | None = None,
        now: float | None = None,
    ):
        self.client_id = client_id
        self.client_secret = client_secret
        # None: every subreddit exists; otherwise others redirect to subreddit search like Reddit.
        self.subreddits = {s.lower() for s in subreddits} if subreddits is not None else None
        self._now = now
        self._lock = threading.Lock()
        self._tokens: set[str] = set()
        self._faults: list[Fault] = []
        self.requests: list[LoggedRequest] = []
        self._posts: list[dict[str, Any]] = []
        self._comments: list[dict[str, Any]] = []
        self._next_id = 36**5  # five-character ids, like early Reddit
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.add(posts or [], comments or [])

    # -- data ---------------------------------------------------------------------------------

    def now(self) -> float:
        return self._now if self._now is not None else time.time()

    def add(self, posts: list[dict[str, Any]] = (), comments: list[dict[str, Any]] = ()) -> None:
        """Add items (e.g. between two runs, to test incremental reads)."""
        with self._lock:
            new_posts = [self._norm_post(p) for p in posts]
            new_comments = [self._norm_comment(c) for c in comments]
            self._posts.extend(new_posts)
            self._comments.extend(new_comments)
            # Listings are newest first; ties broken by id like Reddit.
            for items in (self._posts, self._comments):
                items.sort(key=lambda d: (d["created_utc"], int(d["id"], 36)), reverse=True)

    def _created(self, item: dict[str, Any]) -> float:
        if "created_utc" in item:
            return float(item["created_utc"])
        return self.now() - float(item.get("age_hours", 1.0)) * 3600

    def _new_id(self) -> str:
        self._next_id += 1
        return to_base36(self._next_id)

    def _norm_post(self, raw: dict[str, Any]) -> dict[str, Any]:
        sub = raw.get("subreddit", "london")
        pid = raw.get("id") or self._new_id()
        title = raw.get("title", "A post")
        url = raw.get("url")
        return {
            "id": pid,
            "subreddit": sub,
            "title": title,
            "selftext": raw.get("selftext", ""),
            "author": raw.get("author", "someone"),
            "created_utc": self._created(raw),
            "score": raw.get("score", 1),
            "num_comments": raw.get("num_comments", 0),
            "over_18": raw.get("over_18", False),
            "url": url,
            "removed": raw.get("removed", False),
            "permalink": f"/r/{sub}/comments/{pid}/{_slug(title)}/",
            # Folded once here, not per search: keeps the fake fast enough to benchmark against.
            "_folded": _fold(title + " " + raw.get("selftext", "")),
        }

    def _norm_comment(self, raw: dict[str, Any]) -> dict[str, Any]:
        sub = raw.get("subreddit", "london")
        cid = raw.get("id") or self._new_id()
        link_id = raw.get("link_id", "t3_" + raw.get("link", "zzzzz"))
        link_title = raw.get("link_title", "A thread")
        link_permalink = f"/r/{sub}/comments/{link_id[3:]}/{_slug(link_title)}/"
        return {
            "id": cid,
            "subreddit": sub,
            "body": raw.get("body", ""),
            "author": raw.get("author", "someone"),
            "created_utc": self._created(raw),
            "score": raw.get("score", 1),
            "link_id": link_id,
            "parent_id": raw.get("parent_id", link_id),
            "link_title": link_title,
            "link_author": raw.get("link_author", "someone_else"),
            "over_18": raw.get("over_18", False),
            "removed": raw.get("removed", False),
            "permalink": f"{link_permalink}{cid}/",
            "link_permalink": link_permalink,
        }

    # -- faults and log -----------------------------------------------------------------------

    def fault(
        self,
        kind: str | int,
        *,
        path: str | None = None,
        times: int | None = None,
        retry_after: float | None = 1.0,
        delay: float = 0.0,
    ) -> Fault:
        """Switch a fault on: ``kind`` is 429, 500 (any 5xx), 401, 403, "malformed" or "slow"."""
        f = Fault(str(kind), path=path, times=times, retry_after=retry_after, delay=delay)
        with self._lock:
            self._faults.append(f)
        return f

    def clear_faults(self) -> None:
        with self._lock:
            self._faults.clear()

    def expire_tokens(self) -> None:
        """Forget issued tokens: the next API call gets 401 invalid_token, as after an hour."""
        with self._lock:
            self._tokens.clear()

    def api_requests(self, path_contains: str = "") -> list[LoggedRequest]:
        """Logged requests other than token requests, optionally filtered by path."""
        return [
            r
            for r in list(self.requests)
            if "access_token" not in r.path and path_contains in r.path
        ]

    def clear_log(self) -> None:
        with self._lock:
            self.requests.clear()

    # -- server -------------------------------------------------------------------------------

    def start(self) -> str:
        """Start serving on a free localhost port; returns the base URL."""
        handler = type("Handler", (_Handler,), {"fake": self})
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="fake-reddit",
            daemon=True,
        )
        self._thread.start()
        return self.base_url

    @property
    def base_url(self) -> str:
        if self._server is None:
            raise RuntimeError("FakeReddit is not started")
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> FakeReddit:
        self.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    # -- request handling (called from server threads) ----------------------------------------

    def _take_fault(self, path: str) -> Fault | None:
        with self._lock:
            for f in self._faults:
                if f.applies(path):
                    if f.times is not None:
                        f.times -= 1
                    return f
        return None

    def _log(self, method: str, path: str, params: dict[str, str], status: int) -> None:
        with self._lock:
            self.requests.append(LoggedRequest(method, path, params, status, time.monotonic()))

    def handle(
        self, method: str, path: str, params: dict[str, str], headers: Any, body: bytes
    ) -> tuple[int, dict[str, str], bytes]:
        fault = self._take_fault(path)
        if fault is not None:
            if fault.kind == "slow":
                time.sleep(fault.delay)
            else:
                return _fault_response(fault, path)
        if path.rstrip("/") == "/api/v1/access_token":
            return self._token(method, headers, body)
        if not self._authorised(headers):
            return _json(
                401,
                {"message": "Unauthorized", "error": 401},
                {"www-authenticate": 'Bearer realm="reddit", error="invalid_token"'},
            )
        parts = [p for p in path.split("/") if p]
        if parts == ["search"]:
            return self._search("all", params)
        if len(parts) == 3 and parts[0] == "r" and parts[2] in ("search", "comments"):
            sub = parts[1]
            missing = self._missing(sub)
            if missing:
                return 302, {"Location": f"/subreddits/search.json?q={quote(missing)}"}, b""
            if parts[2] == "search":
                return self._search(sub, params)
            return self._comments_listing(sub, params)
        return _json(404, {"message": "Not Found", "error": 404})

    def _missing(self, sub: str) -> str | None:
        if self.subreddits is None:
            return None
        for name in sub.split("+"):
            if name.lower() not in self.subreddits and name.lower() != "all":
                return name
        return None

    def _token(self, method: str, headers: Any, body: bytes) -> tuple[int, dict[str, str], bytes]:
        if method != "POST":
            return _json(405, {"message": "Method Not Allowed", "error": 405})
        auth = headers.get("Authorization", "")
        try:
            user, _, password = (
                base64.b64decode(auth.removeprefix("Basic ")).decode().partition(":")
            )
        except ValueError:
            user = password = ""
        if (user, password) != (self.client_id, self.client_secret):
            return _json(401, {"message": "Unauthorized", "error": 401})
        form = parse_qs(body.decode())
        if form.get("grant_type") != ["client_credentials"]:
            return _json(200, {"error": "unsupported_grant_type"})
        token = f"fake-token-{len(self._tokens) + 1}-{time.monotonic_ns()}"
        with self._lock:
            self._tokens.add(token)
        return _json(
            200, {"access_token": token, "token_type": "bearer", "expires_in": 86400, "scope": "*"}
        )

    def _authorised(self, headers: Any) -> bool:
        auth = headers.get("Authorization", "")
        with self._lock:
            return auth.lower().startswith("bearer ") and auth[7:] in self._tokens

    def _search(self, sub: str, params: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        words = [
            w
            for w in _fold(params.get("q", ""))
            .replace('"', " ")
            .replace("(", " ")
            .replace(")", " ")
            .split()
            if w not in ("or", "and", "not") and len(w) >= 3
        ]
        restrict = params.get("restrict_sr", "").lower() in ("1", "on", "true")
        subs = {s.lower() for s in sub.split("+")}
        window = _TIME_FILTERS.get(params.get("t", "all"))
        oldest = self.now() - window if window else None
        with self._lock:
            posts = list(self._posts)
        hits = []
        for p in posts:
            if restrict and sub != "all" and p["subreddit"].lower() not in subs:
                continue
            if oldest is not None and p["created_utc"] < oldest:
                continue
            # Reddit's search is fuzzy: any one word of the query is enough.
            if words and any(w in p["_folded"] for w in words):
                hits.append(p)
        return self._listing(hits, params, _t3)

    def _comments_listing(self, sub: str, params: dict[str, str]):
        subs = {s.lower() for s in sub.split("+")}
        with self._lock:
            comments = list(self._comments)
        chosen = [c for c in comments if sub == "all" or c["subreddit"].lower() in subs]
        return self._listing(chosen, params, _t1)

    def _listing(self, items: list[dict[str, Any]], params: dict[str, str], render: Any):
        try:
            limit = max(1, min(100, int(params.get("limit", 25))))
        except ValueError:
            limit = 25
        start = 0
        if after := params.get("after"):
            prefix = "t1_" if render is _t1 else "t3_"
            names = [prefix + item["id"] for item in items]
            start = names.index(after) + 1 if after in names else len(items)
        page = [render(item) for item in items[start : start + limit]]
        more = start + limit < len(items)
        data = {
            "after": page[-1]["data"]["name"] if page and more else None,
            "before": None,
            "dist": len(page),
            "modhash": "",
            "geo_filter": "",
            "children": page,
        }
        return _json(200, {"kind": "Listing", "data": data})


def _json(status: int, payload: Any, headers: dict[str, str] | None = None):
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    return status, {"Content-Type": "application/json; charset=UTF-8", **(headers or {})}, body


def _fault_response(fault: Fault, path: str) -> tuple[int, dict[str, str], bytes]:
    if fault.kind == "429":
        headers = {}
        if fault.retry_after is not None:
            headers["Retry-After"] = f"{fault.retry_after:g}"
        return _json(429, {"message": "Too Many Requests", "error": 429}, headers)
    if fault.kind == "malformed":
        return 200, {"Content-Type": "application/json"}, b'{"kind": "Listing", "data": {"chil'
    if fault.kind == "401":
        headers = {}
        if "access_token" not in path:
            headers["www-authenticate"] = 'Bearer realm="reddit", error="invalid_token"'
        return _json(401, {"message": "Unauthorized", "error": 401}, headers)
    if fault.kind == "403":
        return _json(403, {"reason": "private", "message": "Forbidden", "error": 403})
    status = int(fault.kind) if fault.kind.isdigit() else 500
    # Reddit's 5xx pages are HTML, not JSON.
    return status, {"Content-Type": "text/html"}, b"<html><body>all our servers are busy</body>"


def _t3(p: dict[str, Any]) -> dict[str, Any]:
    deleted = p["author"] == "[deleted]"
    is_self = not p["url"]
    url = p["url"] or f"https://www.reddit.com{p['permalink']}"
    data = {
        "id": p["id"],
        "name": f"t3_{p['id']}",
        "title": p["title"],
        "selftext": "[removed]" if p["removed"] else p["selftext"],
        "selftext_html": None,
        "author": p["author"],
        "subreddit": p["subreddit"],
        "subreddit_name_prefixed": f"r/{p['subreddit']}",
        "subreddit_id": "t5_2qkog",
        "created_utc": p["created_utc"],
        "created": p["created_utc"],
        "score": p["score"],
        "ups": p["score"],
        "upvote_ratio": 0.9,
        "num_comments": p["num_comments"],
        "over_18": p["over_18"],
        "spoiler": False,
        "permalink": p["permalink"],
        "url": url,
        "is_self": is_self,
        "domain": f"self.{p['subreddit']}" if is_self else urlsplit(url).hostname,
        "stickied": False,
        "locked": False,
        "edited": False,
        "link_flair_text": None,
        "removed_by_category": "moderator" if p["removed"] else None,
    }
    if not deleted:
        data["author_fullname"] = "t2_" + to_base36(zlib.crc32(p["author"].encode()) % 36**6)
    return {"kind": "t3", "data": data}


def _t1(c: dict[str, Any]) -> dict[str, Any]:
    data = {
        "id": c["id"],
        "name": f"t1_{c['id']}",
        "body": "[removed]" if c["removed"] else c["body"],
        "body_html": None,
        "author": c["author"],
        "subreddit": c["subreddit"],
        "subreddit_name_prefixed": f"r/{c['subreddit']}",
        "subreddit_id": "t5_2qkog",
        "created_utc": c["created_utc"],
        "created": c["created_utc"],
        "score": c["score"],
        "ups": c["score"],
        "link_id": c["link_id"],
        "parent_id": c["parent_id"],
        "link_title": c["link_title"],
        "link_author": c["link_author"],
        "link_permalink": "https://www.reddit.com" + c["link_permalink"],
        "permalink": c["permalink"],
        "over_18": c["over_18"],
        "edited": False,
        "stickied": False,
        "is_submitter": False,
        "num_comments": 3,
        "quarantine": False,
    }
    return {"kind": "t1", "data": data}


class _Handler(BaseHTTPRequestHandler):
    fake: FakeReddit
    protocol_version = "HTTP/1.1"  # keep-alive, like the real API; every answer has a length

    def _serve(self) -> None:
        parts = urlsplit(self.path)
        params = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        status, headers, payload = self.fake.handle(
            self.command, parts.path, params, self.headers, body
        )
        self.fake._log(self.command, parts.path, params, status)
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = _serve
    do_POST = _serve

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        pass  # the request log is self.fake.requests; stderr noise helps nobody


# -- demo data ------------------------------------------------------------------------------------


def demo_data() -> dict[str, list[dict[str, Any]]]:
    """The demo dataset: ``{"posts": [...], "comments": [...]}`` for ``FakeReddit(**...)``."""
    text = files("mentions.fakes").joinpath("reddit_demo.json").read_text(encoding="utf-8")
    data = json.loads(text)
    return {"posts": data["posts"], "comments": data["comments"]}


def demo_reddit_section(base_url: str) -> dict[str, Any]:
    """The ``[sources.reddit]`` profile section that points the source at a running fake."""
    return {
        "enabled": True,
        "user_agent": "python:school-mentions-demo:v0.1 (by /u/school_mentions_demo)",
        "subreddits": ["london", "tower_hamlets"],
        "search_all": True,
        "comment_subreddits": ["tower_hamlets"],
        "first_run_time_filter": "month",
        "oauth_url": base_url,
        "reddit_url": base_url,
        "timeout_seconds": 5.0,
        "max_wait_seconds": 10.0,
        "max_retry_after_seconds": 5.0,
        "backoff_seconds": 0.2,
    }


def demo_environment() -> dict[str, str]:
    """Environment variables that give the source the fake's dummy credentials."""
    return {
        "MENTIONS_REDDIT_CLIENT_ID": DEMO_CLIENT_ID,
        "MENTIONS_REDDIT_CLIENT_SECRET": DEMO_CLIENT_SECRET,
    }
