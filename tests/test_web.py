"""The web source: extraction on sample layouts, and real Scrapy crawls (in a child process)
against local HTTP servers: robots.txt, limits, encodings, redirects, size cap, timeouts, 503s,
crashes, hangs and incremental state."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from mentions.errors import ConfigError
from mentions.models import Post
from mentions.settings import Settings, settings_from_dict
from scrapers.web import build_sources, demo_web_section
from scrapers.web.extract import extract, parse_date
from scrapers.web.quality import DEMO_WEB_DIR, evaluate
from scrapers.web.source import CrawlOutput, WebSiteSource, run_crawl, scrapy_overrides

SCHOOL = {
    "name": "Darul Hadis Latifiah",
    "aliases": ["Darul Hadis Latifiah", "Latifiah school"],
    "weak_aliases": ["Latifiah"],
    "location_hints": ["Tower Hamlets"],
}
MENTION = "Parents at Darul Hadis Latifiah in Tower Hamlets met the new head teacher this week."
ROBOTS_OPEN = "User-agent: *\nAllow: /\n"


def page(
    title: str, body: str = MENTION, links: tuple[str, ...] = (), charset: str = "utf-8"
) -> str:
    anchors = "".join(f'<li><a href="{href}">{href}</a></li>' for href in links)
    return (
        f'<html><head><meta charset="{charset}"><title>{title}</title></head><body>'
        f"<nav>Home Menu</nav><article><h1>{title}</h1><p>{body}</p>"
        f"<p>{body}</p></article><ul class='links'>{anchors}</ul>"
        "<footer>Footer text</footer></body></html>"
    )


def settings_for(site: dict[str, Any], **web: Any) -> Settings:
    section = {
        "download_delay_seconds": 0,
        "retries": 0,
        "page_timeout_seconds": 3,
        "crawl_time_limit_seconds": 30,
        **web,
        "sites": [site],
    }
    return settings_from_dict({"school": SCHOOL, "sources": {"web": section}})


def source_for(site: dict[str, Any], **web: Any) -> WebSiteSource:
    (source,) = build_sources(settings_for({"name": "test", **site}, **web))
    return source


def serve(server: HTTPServer, pages: dict[str, Any], robots: str = ROBOTS_OPEN) -> None:
    """Register pages: a str is an HTML page, a Response is sent as is."""
    server.expect_request("/robots.txt").respond_with_data(robots, content_type="text/plain")
    for path, body in pages.items():
        if isinstance(body, Response):
            server.expect_request(path).respond_with_response(body)
        else:
            server.expect_request(path).respond_with_data(body, content_type="text/html")


def requested(server: HTTPServer) -> list[str]:
    return [req.path for req, _resp in server.log]


def urls(posts: list[Post]) -> set[str]:
    return {p.url.split("/", 3)[3] for p in posts}


# -- extraction ---------------------------------------------------------------------------

SAMPLES = json.loads((DEMO_WEB_DIR / "expected.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", [k for k in SAMPLES if not k.startswith("_")])
def test_extraction_on_sample_layouts(name: str) -> None:
    result = evaluate()[name]
    assert result == {"title": True, "author": True, "published": True, "body": True}


def test_forum_thread_keeps_every_reply() -> None:
    html = (DEMO_WEB_DIR / "forum" / "thread-latifiah.html").read_text(encoding="utf-8")
    got = extract(html)
    assert got.method == "posts"
    for snippet in ("for our daughter", "Year 9", "Stepney Green takes fifteen minutes"):
        assert snippet in got.text
    assert "Powered by ExampleBB" not in got.text


def test_layout_wrapper_named_like_furniture_is_not_dropped() -> None:
    para = "Pupils at Darul Hadis Latifiah raised money, baked cakes, and ran a stall. " * 5
    html = (
        f'<html><body><div class="layout-sidebar-right"><div class="menu">Home News</div>'
        f"<div><p>{para}</p><p>{para}</p></div></div></body></html>"
    )
    got = extract(html)
    assert para.strip() in got.text and "Home News" not in got.text


@pytest.mark.parametrize(
    "html",
    [
        "",
        "   ",
        "\x00\x01 not html",
        '<?xml version="1.0" encoding="utf-8"?><html><body><p>x</p></body></html>',
        "<html><body><div><div><div>" * 200,
    ],
)
def test_extract_never_raises_on_odd_input(html: str) -> None:
    got = extract(html)
    assert isinstance(got.text, str) and isinstance(got.title, str)


def test_parse_date_formats() -> None:
    assert parse_date("2024-03-05T09:30:00Z").isoformat() == "2024-03-05T09:30:00+00:00"
    assert parse_date("Tue, 05 Mar 2024 09:30:00 GMT").isoformat() == "2024-03-05T09:30:00+00:00"
    assert parse_date("5 March 2024").isoformat() == "2024-03-05T00:00:00+00:00"
    assert parse_date("next Tuesday") is None
    assert parse_date(None) is None


# -- settings ---------------------------------------------------------------------------


def test_web_settings_are_validated() -> None:
    with pytest.raises(ConfigError, match="search_url"):
        settings_for({"name": "a", "search_url": "http://x/search"})
    with pytest.raises(ConfigError, match="unique"):
        settings_from_dict(
            {
                "school": SCHOOL,
                "sources": {
                    "web": {
                        "sites": [
                            {"name": "a", "start_urls": ["http://x/"]},
                            {"name": "a", "start_urls": ["http://y/"]},
                        ]
                    }
                },
            }
        )
    with pytest.raises(ConfigError, match="start_urls or a search_url"):
        settings_for({"name": "a"})
    with pytest.raises(ConfigError, match="not a known setting"):
        settings_for({"name": "a", "start_urls": ["http://x/"], "depth": 3})
    with pytest.raises(ConfigError, match="concurrency_per_domain"):
        settings_for({"name": "a", "start_urls": ["http://x/"]}, concurrency_per_domain=8)


def test_demo_section_is_valid_settings() -> None:
    settings = settings_from_dict(
        {"school": SCHOOL, "sources": {"web": demo_web_section("http://127.0.0.1:9/")}}
    )
    assert [s.name for s in build_sources(settings)] == [
        "web:East End Gazette",
        "web:Tower Hamlets Parents Forum",
    ]


def test_scrapy_settings_are_polite_and_closed() -> None:
    from scrapers.web import settings as scrapy_settings

    assert scrapy_settings.TELNETCONSOLE_ENABLED is False
    assert scrapy_settings.REMOTE_CONTROL_ENABLED is False
    assert scrapy_settings.ROBOTSTXT_OBEY is True
    assert scrapy_settings.AUTOTHROTTLE_ENABLED is True
    assert scrapy_settings.CONCURRENT_REQUESTS_PER_DOMAIN <= 2
    assert scrapy_settings.HTTPCACHE_ENABLED is False
    assert "school-mentions" in scrapy_settings.USER_AGENT
    source = source_for({"start_urls": ["http://x/"]}, max_page_bytes=1234)
    overrides = scrapy_overrides(source.web, source.site, "ua/1")
    assert overrides["DOWNLOAD_MAXSIZE"] == "1234" and overrides["USER_AGENT"] == "ua/1"


# -- crawls (each runs Scrapy in a child process) -------------------------------------------


def test_demo_site_end_to_end(httpserver: HTTPServer) -> None:
    site_root = DEMO_WEB_DIR.parent

    def static(request: Request) -> Response:
        path = (site_root / request.path.lstrip("/")).resolve()
        if site_root not in path.parents or not path.is_file():
            return Response("not found", status=404)
        kind = "text/plain" if path.suffix == ".txt" else "text/html"
        return Response(path.read_bytes(), content_type=kind)

    httpserver.expect_request("/", method="GET").respond_with_handler(static)
    httpserver.no_handler_status_code = 404
    for path in (
        "/robots.txt",
        *(f"/web/{p.relative_to(DEMO_WEB_DIR)}" for p in DEMO_WEB_DIR.rglob("*.html")),
    ):
        httpserver.expect_request(path).respond_with_handler(static)
    settings = settings_from_dict(
        {"school": SCHOOL, "sources": {"web": demo_web_section(httpserver.url_for("/"))}}
    )
    news, forum = build_sources(settings)

    first = news.fetch({})
    assert first.status == "ok", first.error
    assert urls(first.posts) == {
        "web/news/open-day.html",
        "web/news/inspection.html",
        "web/news/letter.html",
    }
    assert "/web/private/staff-list.html" not in requested(httpserver)  # robots.txt
    by_url = {p.url.rsplit("/", 1)[1]: p for p in first.posts}
    assert by_url["inspection.html"].author == "Seán O’Connor"  # windows-1252 page
    assert by_url["open-day.html"].published.isoformat() == "2024-03-05T09:30:00+00:00"
    assert all(p.source == "web" and p.source_name == "web:East End Gazette" for p in first.posts)
    assert all(p.raw_html and "<html" in p.raw_html for p in first.posts)
    assert first.state["last_run"]["failures"] == {"robots": 1}
    assert first.state["last_run"]["not_matching"] == 1  # bins.html

    again = news.fetch(first.state)
    assert again.status == "ok" and again.posts == []
    assert again.state["last_run"]["unchanged"] == 3

    threads = forum.fetch({})
    assert threads.status == "ok", threads.error
    assert urls(threads.posts) == {
        "web/forum/thread-latifiah.html",
        "web/reviews/latifiah-reviews.html",
    }


def test_changed_page_is_a_new_version(httpserver: HTTPServer) -> None:
    serve(httpserver, {"/a.html": page("Open day", MENTION)})
    source = source_for({"start_urls": [httpserver.url_for("/a.html")]})
    first = source.fetch({})
    assert [p.extra["change"] for p in first.posts] == ["new"]

    httpserver.clear()
    serve(httpserver, {"/a.html": page("Open day", MENTION + " Updated with photos.")})
    second = source.fetch(first.state)
    assert [p.extra["change"] for p in second.posts] == ["changed"]
    assert second.posts[0].key == first.posts[0].key
    assert second.posts[0].post_id != first.posts[0].post_id
    assert second.state["last_run"]["changed"] == 1


def test_robots_disallow_is_honoured(httpserver: HTTPServer) -> None:
    serve(
        httpserver,
        {
            "/start.html": page("Start", links=("/public.html", "/private/secret.html")),
            "/public.html": page("Public"),
            "/private/secret.html": page("Secret"),
        },
        robots="User-agent: *\nDisallow: /private/\n",
    )
    result = source_for({"start_urls": [httpserver.url_for("/start.html")]}).fetch({})
    assert result.status == "ok", result.error
    assert urls(result.posts) == {"start.html", "public.html"}
    assert "/private/secret.html" not in requested(httpserver)
    assert result.state["last_run"]["failures"] == {"robots": 1}


def test_robots_disallowing_everything_fails_clearly(httpserver: HTTPServer) -> None:
    serve(httpserver, {"/start.html": page("Start")}, robots="User-agent: *\nDisallow: /\n")
    result = source_for({"start_urls": [httpserver.url_for("/start.html")]}).fetch({})
    assert result.status == "failed"
    assert result.error == "web:test: robots.txt disallows every start URL"
    assert "/start.html" not in requested(httpserver)


def test_depth_limit(httpserver: HTTPServer) -> None:
    chain = {f"/p{i}.html": page(f"Page {i}", links=(f"/p{i + 1}.html",)) for i in range(5)}
    serve(httpserver, chain)
    result = source_for({"start_urls": [httpserver.url_for("/p0.html")], "depth_limit": 2}).fetch(
        {}
    )
    assert urls(result.posts) == {"p0.html", "p1.html", "p2.html"}
    assert "/p3.html" not in requested(httpserver)


def test_page_limit_and_follow_patterns(httpserver: HTTPServer) -> None:
    links = tuple(f"/news/{i}.html" for i in range(10)) + ("/shop/1.html",)
    pages = {"/hub.html": page("Hub", links=links), "/shop/1.html": page("Shop")}
    pages |= {link: page(f"News {link}") for link in links if link.startswith("/news/")}
    serve(httpserver, pages)
    result = source_for(
        {
            "start_urls": [httpserver.url_for("/hub.html")],
            "follow": [r"/news/"],
            "items": [r"/news/\d+\.html$"],
            "max_pages": 4,
        }
    ).fetch({})
    assert result.status == "ok", result.error
    # The hub counts against the limit but is not an item (items pattern): 3 news pages.
    assert len(result.posts) == 3 and all("/news/" in p.url for p in result.posts)
    fetched = [p for p in requested(httpserver) if p != "/robots.txt"]
    assert len(fetched) == 4 and "/shop/1.html" not in fetched


@pytest.mark.parametrize("charset", ["windows-1252", "iso-8859-1"])
def test_non_utf8_pages_declared_in_meta(httpserver: HTTPServer, charset: str) -> None:
    body = "Darul Hadis Latifiah’s café raised £40 for Tower Hamlets"
    if charset == "iso-8859-1":
        body = body.replace("’", "'")  # no curly quote in Latin-1
    raw = page("Caf\u00e9 news", body, charset=charset).encode(charset)
    httpserver.expect_request("/robots.txt").respond_with_data(ROBOTS_OPEN)
    # No charset in the header: only the <meta> says how to decode.
    httpserver.expect_request("/cafe.html").respond_with_response(
        Response(raw, headers={"Content-Type": "text/html"})
    )
    result = source_for({"start_urls": [httpserver.url_for("/cafe.html")]}).fetch({})
    assert result.status == "ok", result.error
    (post,) = result.posts
    assert post.title == "Café news"
    assert body in post.text
    assert post.extra["encoding"] in ("cp1252", "windows-1252", "iso-8859-1", "latin-1")


def test_redirect_loop_fails_with_clear_error(httpserver: HTTPServer) -> None:
    serve(
        httpserver,
        {
            "/loop": Response("", status=302, headers={"Location": "/loop2"}),
            "/loop2": Response("", status=302, headers={"Location": "/loop"}),
        },
    )
    result = source_for({"start_urls": [httpserver.url_for("/loop")]}).fetch({})
    assert result.status == "failed"
    assert result.error.startswith("web:test: every start URL failed")
    assert "too many redirects" in result.error
    assert requested(httpserver).count("/loop") <= 4  # REDIRECT_MAX_TIMES = 5 hops in all


def test_page_over_size_cap_is_dropped_and_reported(httpserver: HTTPServer) -> None:
    huge = page("Huge", MENTION * 4000)
    assert len(huge) > 200_000
    serve(httpserver, {"/huge.html": huge, "/ok.html": page("Fine")})
    result = source_for(
        {"start_urls": [httpserver.url_for("/huge.html"), httpserver.url_for("/ok.html")]},
        max_page_bytes=100_000,
    ).fetch({})
    assert result.status == "degraded"
    assert "/huge.html (page larger than the size cap)" in result.error
    assert urls(result.posts) == {"ok.html"}


def test_raw_html_is_capped(httpserver: HTTPServer) -> None:
    serve(httpserver, {"/long.html": page("Long", MENTION * 300)})
    result = source_for(
        {"start_urls": [httpserver.url_for("/long.html")]}, raw_html_max_bytes=5000
    ).fetch({})
    (post,) = result.posts
    assert len(post.raw_html.encode()) <= 5000 and post.raw_html.startswith("<html")
    assert len(post.text) > 5000  # the text itself is not cut


@pytest.fixture
def threaded_server() -> Iterator[HTTPServer]:
    # The default fixture serves one request at a time; a sleeping handler would block robots.txt.
    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    server.start()
    yield server
    server.clear()
    server.stop()


def _slow(request: Request) -> Response:
    time.sleep(2.5)
    return Response(page("Slow"), content_type="text/html")


def test_slow_page_times_out(threaded_server: HTTPServer) -> None:
    serve(threaded_server, {})
    threaded_server.expect_request("/slow.html").respond_with_handler(_slow)
    result = source_for(
        {"start_urls": [threaded_server.url_for("/slow.html")]}, page_timeout_seconds=0.5
    ).fetch({})
    assert result.status == "failed"
    assert "/slow.html" in result.error and "took longer than 0.5 seconds" in result.error


def test_site_returning_503(httpserver: HTTPServer) -> None:
    serve(httpserver, {"/": Response("busy", status=503)})
    result = source_for({"start_urls": [httpserver.url_for("/")]}, retries=1).fetch({})
    assert result.status == "failed"
    assert result.http_status == 503
    assert "HTTP 503" in result.error and result.error.startswith("web:test:")
    assert requested(httpserver).count("/") == 2  # one retry, then give up
    assert result.state["yields"] == []  # a failed run does not count as "yielded nothing"


def test_search_page_per_alias(httpserver: HTTPServer) -> None:
    serve(
        httpserver,
        {
            "/search": page("Results", "Results", links=("/story/1.html", "/about.html")),
            "/story/1.html": page("Story", links=("/story/2.html",)),
            "/story/2.html": page("Other story"),
        },
    )
    result = source_for(
        {
            "search_url": httpserver.url_for("/search") + "?q={query}",
            "search_results": [r"/story/"],
        }
    ).fetch({})
    assert result.status == "ok", result.error
    assert urls(result.posts) == {"story/1.html"}  # results are not followed further
    assert result.posts[0].extra["via_search"] in SCHOOL["aliases"]
    searches = [r.query_string.decode() for r, _ in httpserver.log if r.path == "/search"]
    assert sorted(searches) == ["q=Darul+Hadis+Latifiah", "q=Latifiah+school"]


def test_telnet_and_remote_control_are_off(httpserver: HTTPServer, tmp_path: Path) -> None:
    serve(httpserver, {"/a.html": page("A")})
    source = source_for({"start_urls": [httpserver.url_for("/a.html")]})
    job = {
        "site": source.site.model_dump(mode="json"),
        "aliases": SCHOOL["aliases"],
        "raw_html_max_bytes": 1000,
    }
    out = run_crawl(
        job, scrapy_overrides(source.web, source.site, "ua"), hard_timeout=60, workdir=tmp_path
    )
    log = (tmp_path / "crawl.log").read_text()
    assert out.returncode == 0 and len(out.items) == 1
    assert "TelnetConsole" not in log and "Telnet console listening" not in log
    assert "RemoteControl" not in log


def test_unresolvable_host_fails_fast_and_names_the_source(tmp_path: Path) -> None:
    """A site whose host name does not resolve (no network, a wrong name): no retries, and the
    queued requests (start URL, one search page per alias) fail at once instead of each waiting
    out the download delay for the same failed lookup."""
    source = source_for(
        {
            "start_urls": ["http://no-such-host.invalid/news"],
            "search_url": "http://no-such-host.invalid/search?q={query}",
        },
        download_delay_seconds=2,  # the profile's defaults: every request waited ~2 s,
        retries=2,  # and tried the lookup 3 times
    )
    job = {"site": source.site.model_dump(mode="json"), "aliases": SCHOOL["aliases"]}
    started = time.monotonic()
    out = run_crawl(
        job, scrapy_overrides(source.web, source.site, "ua"), hard_timeout=60, workdir=tmp_path
    )
    assert time.monotonic() - started < 10  # was ~20 s for these three URLs
    stats = out.summary["stats"]
    assert stats["downloader/request_count"] == 1  # the robots.txt lookup; the rest fail at once
    assert "retry/count" not in stats
    result = source.to_result(out, {})
    assert result.status == "failed"
    assert result.error.startswith("web:test: every start URL failed: http://no-such-host.invalid/")
    assert result.error.count("DNS lookup failed") == 3
    assert result.state["last_run"]["failures"] == {"dns": 3}


def test_crashing_crawl_is_reported(httpserver: HTTPServer, tmp_path: Path) -> None:
    source = source_for({"start_urls": [httpserver.url_for("/a.html")]})
    job = {"site": source.site.model_dump(mode="json"), "aliases": [], "raw_html_max_bytes": 10}
    overrides = {"ITEM_PIPELINES": '{"no.such.Pipeline": 1}'}
    out = run_crawl(job, overrides, hard_timeout=60, workdir=tmp_path)
    result = source.to_result(out, {"yields": [3]})
    assert result.status == "failed"
    assert result.error.startswith("web:test: crawl process exited with code 1")
    assert "no.such" in result.error or "ModuleNotFoundError" in result.error
    assert result.state["yields"] == [3]


def test_hung_crawl_is_killed(threaded_server: HTTPServer, tmp_path: Path) -> None:
    serve(threaded_server, {})
    threaded_server.expect_request("/slow.html").respond_with_handler(_slow)
    source = source_for(
        {"start_urls": [threaded_server.url_for("/slow.html")]}, page_timeout_seconds=30
    )
    job = {"site": source.site.model_dump(mode="json"), "aliases": [], "raw_html_max_bytes": 10}
    started = time.monotonic()
    out = run_crawl(
        job, scrapy_overrides(source.web, source.site, "ua"), hard_timeout=1.5, workdir=tmp_path
    )
    assert time.monotonic() - started < 10
    assert out.killed
    result = source.to_result(out, {})
    # SIGTERM lets Scrapy finish the page in flight, so it may or may not be kept.
    assert result.status in ("failed", "degraded")
    assert "hung past its time limit" in result.error


def test_zero_yield_after_earlier_yields_is_degraded() -> None:
    source = source_for({"start_urls": ["http://example.invalid/"]})
    summary = {"reason": "finished", "failures": [], "start_urls": ["http://example.invalid/"]}
    quiet = source.to_result(CrawlOutput(summary=summary, returncode=0), {"yields": [4, 5]})
    assert quiet.status == "degraded"
    assert "yielded 0 pages but earlier runs yielded up to 5" in quiet.error
    assert quiet.state["yields"] == [4, 5, 0]
    first = source.to_result(CrawlOutput(summary=summary, returncode=0), {})
    assert first.status == "degraded" and "no pages" in first.error
