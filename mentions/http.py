"""Bounded HTTP GET for sources: timeouts, a size cap, a redirect limit, conditional requests.

feedparser has no timeout and will happily read a gigabyte, so sources fetch bytes here first and
parse them afterwards. Every failure becomes a ``FetchError`` naming the source.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import httpx

from mentions.errors import FetchError
from mentions.settings import Http


@dataclass(frozen=True, slots=True)
class Response:
    url: str  # final URL after redirects
    status: int
    body: bytes
    headers: dict[str, str]

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def make_client(http: Http) -> httpx.Client:
    return httpx.Client(
        timeout=httpx.Timeout(http.timeout_seconds),
        follow_redirects=True,
        max_redirects=http.max_redirects,
        headers={"User-Agent": http.user_agent},
        # Retries here cover connection set-up only (refused, DNS): never a half-read body.
        transport=httpx.HTTPTransport(retries=http.retries),
    )


def fetch(
    client: httpx.Client,
    source: str,
    url: str,
    *,
    max_bytes: int,
    total_timeout: float | None = None,
    etag: str | None = None,
    last_modified: str | None = None,
) -> Response:
    """GET ``url``; 200 and 304 come back, anything else raises FetchError."""
    headers = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    try:
        with client.stream("GET", url, headers=headers) as resp:
            if resp.status_code == 304:
                return Response(str(resp.url), 304, b"", dict(resp.headers))
            if resp.status_code >= 400:
                raise FetchError(
                    source,
                    f"HTTP {resp.status_code} from {url}",
                    permanent=resp.status_code in (401, 403, 404, 410),
                    http_status=resp.status_code,
                )
            declared = int(resp.headers.get("Content-Length") or 0)
            if declared > max_bytes:
                raise FetchError(
                    source, f"body of {declared} bytes is over the {max_bytes}-byte cap: {url}"
                )
            chunks, size = [], 0
            deadline = time.monotonic() + total_timeout if total_timeout else None
            for chunk in resp.iter_bytes():
                size += len(chunk)
                if size > max_bytes:
                    raise FetchError(source, f"body over the {max_bytes}-byte cap: {url}")
                if deadline and time.monotonic() > deadline:
                    raise FetchError(
                        source, f"response took over {total_timeout:g}s in total: {url}"
                    )
                chunks.append(chunk)
            return Response(str(resp.url), resp.status_code, b"".join(chunks), dict(resp.headers))
    except httpx.TooManyRedirects:
        raise FetchError(source, f"too many redirects from {url}") from None
    except httpx.TimeoutException as exc:
        raise FetchError(source, f"timed out ({type(exc).__name__}) fetching {url}") from None
    except httpx.HTTPError as exc:
        raise FetchError(source, f"{type(exc).__name__}: {exc} ({url})") from None
