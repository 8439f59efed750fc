"""RSS/Atom sources against a real local HTTP server (pytest-httpserver).

A source never raises for its own failure: it returns ``failed`` / ``degraded`` with an error
naming it, so a broken feed never looks like a quiet one.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest
from conftest import REPO
from werkzeug import Request, Response

from scrapers.base import safe_fetch
from scrapers.rss import FeedSource, build_sources, parse_feed

RSS_TYPE = "application/rss+xml; charset=utf-8"
ITEMS = [
    {
        "title": "Darul Hadis Latifiah pupils <b>raise</b> £4,000",
        "link": "https://www.google.com/url?rct=j&sa=t&url=https://news.example/food-bank%3Futm_source%3Dgoogle&ct=ga",
        "description": "<p>Pupils at the school on Cannon Street Road ran a sponsored walk.</p>",
        "guid": "tag:news.example,2026:1",
        "author": "reporter@news.example (Amy Reporter)",
        "published": datetime(2026, 11, 23, 9, 12, tzinfo=UTC),
    },
    {
        "title": "Council budget: libraries spared",
        "link": "https://news.example/budget?utm_medium=rss#top",
        "description": "Nothing about any school here.",
    },
]


def source(settings, httpserver, path: str, name: str = "rss:Local", **http) -> FeedSource:
    s = settings([(name.removeprefix("rss:"), httpserver.url_for(path))], http=http)
    (src,) = build_sources(s)
    assert src.name == name
    return src


def test_rss_2_feed(settings, httpserver, feed_bytes):
    httpserver.expect_request("/feed.xml").respond_with_data(
        feed_bytes(ITEMS), content_type=RSS_TYPE
    )
    result = safe_fetch(source(settings, httpserver, "/feed.xml"), {})
    assert result.status == "ok", result.error
    assert result.error is None
    assert result.http_status == 200
    assert result.items_seen == 2
    first, second = result.posts
    assert first.url == "https://news.example/food-bank"  # unwrapped, tracking dropped
    assert first.key == "url:https://news.example/food-bank"
    assert first.title == "Darul Hadis Latifiah pupils raise £4,000"  # HTML stripped
    assert first.text == "Pupils at the school on Cannon Street Road ran a sponsored walk."
    assert first.published == datetime(2026, 11, 23, 9, 12, tzinfo=UTC)
    assert first.source == "rss" and first.source_name == "rss:Local"
    assert first.extra["guid"] == "tag:news.example,2026:1"
    assert first.extra["feed"] == "East London News"
    assert second.url == "https://news.example/budget"
    assert result.finished is not None and result.finished >= result.started


def test_atom_feed(settings, httpserver, feed_bytes):
    body = feed_bytes(
        [
            {
                "title": "Open evening at the Latifiah school?",
                "link": "https://community.example/threads/1",
                "guid": "urn:demo:community:1",
                "description": "Does anyone know if it is in Shadwell?",
                "author": "MumOfThree",
                "published": datetime(2026, 11, 27, 18, 30, tzinfo=UTC),
            }
        ],
        kind="atom",
        title="Community board",
    )
    httpserver.expect_request("/c.atom").respond_with_data(
        body, content_type="application/atom+xml"
    )
    result = safe_fetch(source(settings, httpserver, "/c.atom"), {})
    assert result.status == "ok", result.error
    (p,) = result.posts
    assert p.url == "https://community.example/threads/1"
    assert p.title == "Open evening at the Latifiah school?"
    assert p.text == "Does anyone know if it is in Shadwell?"
    assert p.author == "MumOfThree"
    assert p.published == datetime(2026, 11, 27, 18, 30, tzinfo=UTC)
    assert p.extra == {"guid": "urn:demo:community:1", "feed": "Community board"}


def test_the_demo_atom_fixture_parses():
    body = (REPO / "mentions" / "demo" / "site" / "feeds" / "community.atom").read_bytes()
    posts, warning = parse_feed("rss:demo", body)
    assert warning is None
    assert len(posts) == 5
    assert all(p.url.startswith("https://community.example/") for p in posts)


def test_sends_a_polite_user_agent(settings, httpserver, feed_bytes):
    httpserver.expect_request("/feed.xml").respond_with_data(
        feed_bytes(ITEMS), content_type=RSS_TYPE
    )
    src = source(settings, httpserver, "/feed.xml", user_agent="school-mentions-test/1.0")
    assert safe_fetch(src, {}).status == "ok"
    (request, _response) = httpserver.log[-1]
    assert request.headers["User-Agent"] == "school-mentions-test/1.0"


def test_valid_feed_with_no_entries_is_ok_and_empty(settings, httpserver, feed_bytes):
    httpserver.expect_request("/empty.xml").respond_with_data(feed_bytes([]), content_type=RSS_TYPE)
    result = safe_fetch(source(settings, httpserver, "/empty.xml"), {})
    assert (result.status, result.posts, result.error) == ("ok", [], None)


# -- broken feeds -------------------------------------------------------------------------------


def test_malformed_xml_fails_naming_the_source(settings, httpserver):
    body = (REPO / "mentions" / "demo" / "site" / "feeds" / "broken.xml").read_bytes()
    httpserver.expect_request("/broken.xml").respond_with_data(body, content_type=RSS_TYPE)
    result = safe_fetch(source(settings, httpserver, "/broken.xml", name="rss:Moved"), {})
    assert result.status == "failed"
    assert result.posts == []
    assert result.error.startswith("rss:Moved:")
    assert "not a valid RSS/Atom feed" in result.error
    assert result.state == {}  # no validators remembered from a broken response


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"<html><head><title>Before you continue</title></head><body><p>consent</p></body></html>",
        b'{"error": "rate limited"}',
    ],
    ids=["empty", "well-formed-html", "json"],
)
@pytest.mark.parametrize("content_type", ["text/html", RSS_TYPE])
def test_a_200_that_is_not_a_feed_is_failed_not_empty(settings, httpserver, body, content_type):
    # A consent page, an empty body or JSON in place of the feed must not read as "0 mentions".
    httpserver.expect_request("/feed.xml").respond_with_data(body, content_type=content_type)
    result = safe_fetch(source(settings, httpserver, "/feed.xml"), {})
    assert result.status == "failed", result
    assert result.error.startswith("rss:Local:")


def test_malformed_but_recoverable_feed_is_degraded_with_entries(settings, httpserver, feed_bytes):
    body = feed_bytes(ITEMS).replace(b"Council budget", b"Council & budget")  # bare "&"
    body = body.replace(b"</channel></rss>", b"")  # and truncated
    httpserver.expect_request("/feed.xml").respond_with_data(body, content_type=RSS_TYPE)
    result = safe_fetch(source(settings, httpserver, "/feed.xml"), {})
    assert result.status == "degraded"
    assert result.error.startswith("rss:Local:")
    assert "malformed" in result.error
    assert len(result.posts) >= 1
    assert result.posts[0].title.startswith("Darul Hadis Latifiah pupils")


CAFE = "Café at Darul Hadis Latifiah – “open day”"


def test_windows_1252_body_declared_as_utf8(settings, httpserver, feed_bytes):
    items = [{"title": CAFE, "link": "https://news.example/cafe", "description": "Crème brûlée"}]
    body = feed_bytes(items, encoding="cp1252", declared="utf-8")
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")  # the lie is real
    httpserver.expect_request("/feed.xml").respond_with_data(body, content_type=RSS_TYPE)
    result = safe_fetch(source(settings, httpserver, "/feed.xml"), {})
    assert result.status in ("ok", "degraded"), result.error
    (p,) = result.posts
    assert p.title == CAFE
    assert p.text == "Crème brûlée"


def test_iso_8859_1_declared_in_the_prolog(settings, httpserver, feed_bytes):
    items = [{"title": "Café at Darul Hadis Latifiah", "link": "https://news.example/c"}]
    body = feed_bytes(items, encoding="iso-8859-1")
    httpserver.expect_request("/feed.xml").respond_with_data(
        body, content_type="application/rss+xml"
    )
    result = safe_fetch(source(settings, httpserver, "/feed.xml"), {})
    assert result.status == "ok", result.error
    assert result.posts[0].title == "Café at Darul Hadis Latifiah"


def test_undecodable_bytes_do_not_crash(settings, httpserver, feed_bytes):
    body = feed_bytes([{"title": "Darul Hadis Latifiah XYZ", "link": "https://news.example/x"}])
    body = body.replace(b"XYZ", b"\x81\x8d\xff\xfe")  # not UTF-8, not even windows-1252
    httpserver.expect_request("/feed.xml").respond_with_data(body, content_type=RSS_TYPE)
    result = safe_fetch(source(settings, httpserver, "/feed.xml"), {})
    assert result.status in ("ok", "degraded", "failed")
    if result.status != "failed":
        assert result.posts[0].title.startswith("Darul Hadis Latifiah")
    else:
        assert result.error.startswith("rss:Local:")


# -- HTTP failures ------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [500, 404, 403])
def test_http_error_is_failed_with_status(settings, httpserver, status):
    httpserver.expect_request("/feed.xml").respond_with_data("oops", status=status)
    result = safe_fetch(source(settings, httpserver, "/feed.xml"), {"etag": '"old"'})
    assert result.status == "failed"
    assert result.http_status == status
    assert f"HTTP {status}" in result.error
    assert result.error.startswith("rss:Local:")
    assert result.state == {"etag": '"old"'}  # the previous state is kept


def test_connection_refused_is_failed(settings):
    import socket

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    (src,) = build_sources(settings([("Gone", f"http://127.0.0.1:{port}/feed.xml")]))
    result = safe_fetch(src, {})
    assert result.status == "failed"
    assert result.error.startswith("rss:Gone:")
    assert result.http_status is None


def test_timeout(settings, httpserver, feed_bytes):
    body = feed_bytes(ITEMS)

    def slow(_request: Request) -> Response:
        time.sleep(1.0)
        return Response(body, content_type=RSS_TYPE)

    httpserver.expect_request("/slow.xml").respond_with_handler(slow)
    src = source(settings, httpserver, "/slow.xml", timeout_seconds=0.2)
    started = time.monotonic()
    result = safe_fetch(src, {})
    assert time.monotonic() - started < 0.9
    assert result.status == "failed"
    assert "timed out" in result.error
    assert result.error.startswith("rss:Local:")
    time.sleep(1.0)  # let the single-threaded server finish before the next test


def test_a_trickling_server_is_cut_off(settings, httpserver):
    def trickle(_request: Request) -> Response:
        def body():
            yield b'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
            for _ in range(20):
                time.sleep(0.1)
                yield b" "
            yield b"</channel></rss>"

        return Response(body(), content_type=RSS_TYPE, direct_passthrough=True)

    httpserver.expect_request("/trickle.xml").respond_with_handler(trickle)
    # Each byte arrives well within the read timeout; only the total deadline can stop it.
    src = source(
        settings, httpserver, "/trickle.xml", timeout_seconds=0.3, total_timeout_seconds=0.8
    )
    started = time.monotonic()
    result = safe_fetch(src, {})
    elapsed = time.monotonic() - started
    assert result.status == "failed" and elapsed < 1.5, (result.status, elapsed)
    assert "in total" in result.error


def test_conditional_get_304(settings, httpserver, feed_bytes):
    etag, modified = '"feed-v1"', "Fri, 20 Nov 2026 09:00:00 GMT"
    body = feed_bytes(ITEMS)

    def conditional(request: Request) -> Response:
        if request.headers.get("If-None-Match") == etag:
            return Response(status=304, headers={"ETag": etag})
        return Response(
            body, content_type=RSS_TYPE, headers={"ETag": etag, "Last-Modified": modified}
        )

    httpserver.expect_request("/feed.xml").respond_with_handler(conditional)
    src = source(settings, httpserver, "/feed.xml")
    first = safe_fetch(src, {})
    assert first.status == "ok" and len(first.posts) == 2
    assert first.state == {"etag": etag, "last_modified": modified}
    assert "If-None-Match" not in httpserver.log[0][0].headers

    second = safe_fetch(src, first.state)
    assert second.status == "not_modified"
    assert second.http_status == 304
    assert second.posts == [] and second.error is None
    assert second.state == first.state  # kept for the run after
    request = httpserver.log[1][0]
    assert request.headers["If-None-Match"] == etag
    assert request.headers["If-Modified-Since"] == modified


@pytest.mark.parametrize("declared", [True, False], ids=["content-length", "streamed"])
def test_oversized_body(settings, httpserver, declared):
    cap = 20_000
    chunk = b"<!-- padding -->" * 1000  # 16 kB

    if declared:
        httpserver.expect_request("/big.xml").respond_with_data(chunk * 4, content_type=RSS_TYPE)
    else:

        def streamed(_request: Request) -> Response:
            return Response(
                (chunk for _ in range(200)), content_type=RSS_TYPE, direct_passthrough=True
            )

        httpserver.expect_request("/big.xml").respond_with_handler(streamed)
    result = safe_fetch(source(settings, httpserver, "/big.xml", max_bytes=cap), {})
    assert result.status == "failed"
    assert f"{cap}-byte cap" in result.error
    assert result.error.startswith("rss:Local:")
    # the declared size is refused up front; a streamed body is cut off at the cap
    assert ("body of 64000 bytes" in result.error) is declared


def test_redirect_is_followed(settings, httpserver, feed_bytes):
    httpserver.expect_request("/old.xml").respond_with_data(
        "", status=301, headers={"Location": httpserver.url_for("/new.xml")}
    )
    httpserver.expect_request("/new.xml").respond_with_data(
        feed_bytes(ITEMS), content_type=RSS_TYPE
    )
    result = safe_fetch(source(settings, httpserver, "/old.xml"), {})
    assert result.status == "ok"
    assert len(result.posts) == 2


def test_too_many_redirects(settings, httpserver):
    httpserver.expect_request("/loop.xml").respond_with_data(
        "", status=302, headers={"Location": "/loop.xml"}
    )
    result = safe_fetch(source(settings, httpserver, "/loop.xml", max_redirects=3), {})
    assert result.status == "failed"
    assert "too many redirects" in result.error
    assert result.error.startswith("rss:Local:")
    assert len(httpserver.log) == 4  # the first request and 3 redirects, then it stopped


def test_search_feeds_are_built_from_aliases(settings):
    s = settings()
    s.sources.rss.search_templates = {"Demo": "http://127.0.0.1:1/search?q={query}"}
    names = [src.name for src in build_sources(s)]
    assert names == [f"rss:Demo:{a}" for a in s.school.aliases]
    urls = [src.url for src in build_sources(s)]
    assert urls[0] == "http://127.0.0.1:1/search?q=%22Darul+Hadis+Latifiah%22"


def test_a_good_feed_served_as_text_plain_is_ok_not_degraded(settings, httpserver, feed_bytes):
    httpserver.expect_request("/plain.xml").respond_with_data(
        feed_bytes(ITEMS), content_type="text/plain"
    )
    result = safe_fetch(source(settings, httpserver, "/plain.xml"), {})
    assert result.status == "ok", result.error
    assert result.items_seen == len(ITEMS)


def test_a_javascript_link_is_dropped_but_the_entry_kept(settings, httpserver):
    atom = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title><id>urn:t</id>
<entry><title>Darul Hadis Latifiah open day</title><id>urn:t:1</id>
<link href="javascript:alert(document.domain)"/><summary>Open day</summary></entry>
</feed>"""
    httpserver.expect_request("/js.atom").respond_with_data(
        atom, content_type="application/atom+xml"
    )
    result = safe_fetch(source(settings, httpserver, "/js.atom"), {})
    (post,) = result.posts
    assert post.url == "" and post.key == "rss:urn:t:1"
