"""The Reddit source against the fake Reddit API (real HTTP, real PRAW), faults included."""

from __future__ import annotations

import time
from datetime import UTC
from typing import Any

import pytest
from pydantic import SecretStr

from mentions.errors import ConfigError
from mentions.fakes.reddit_api import (
    DEMO_CLIENT_ID,
    DEMO_CLIENT_SECRET,
    FakeReddit,
    demo_data,
    demo_reddit_section,
)
from mentions.settings import Secrets, Settings, settings_from_dict
from scrapers.reddit import (
    NO_CREDENTIALS,
    MissingCredentials,
    RedditQuery,
    build_sources,
    search_queries,
    time_filter_for,
)

SCHOOL = {
    "name": "Darul Hadis Latifiah",
    "aliases": [
        "Darul Hadis Latifiah",
        "Darul Hadith Latifiah",
        "Darul Hadith Latifiyah",
        "Latifiah school",
    ],
    "weak_aliases": ["DHL", "Latifiah"],
    "exclusions": ["courier", "parcel", "tracking"],
    "location_hints": ["Tower Hamlets", "E1", "Shadwell"],
}


def make_settings(base_url: str, *, credentials: bool = True, **reddit: Any) -> Settings:
    section = {
        **demo_reddit_section(base_url),
        # Small limits keep the fault tests fast; the budget logic is the same as production.
        "timeout_seconds": 0.5,
        "max_wait_seconds": 1.5,
        "max_retry_after_seconds": 1.0,
        "backoff_seconds": 0.05,
        **reddit,
    }
    settings = settings_from_dict({"school": SCHOOL, "sources": {"reddit": section}})
    if credentials:
        settings.secrets = Secrets(
            reddit_client_id=SecretStr(DEMO_CLIENT_ID),
            reddit_client_secret=SecretStr(DEMO_CLIENT_SECRET),
        )
    else:
        settings.secrets = Secrets(reddit_client_id=None, reddit_client_secret=None)
    return settings


def source(settings: Settings, name: str) -> RedditQuery:
    by_name = {s.name: s for s in build_sources(settings)}
    return by_name[name]


def school_post(i: int, **kw: Any) -> dict[str, Any]:
    return {
        "subreddit": "london",
        "title": f"Darul Hadis Latifiah thread {i}",
        "selftext": "text",
        "age_hours": 1 + i / 100,
        **kw,
    }


def school_comment(i: int, **kw: Any) -> dict[str, Any]:
    return {
        "subreddit": "tower_hamlets",
        "body": f"Darul Hadis Latifiah comment {i}",
        "link": "t0001",
        "link_title": "Schools thread",
        "age_hours": 1 + i / 100,
        **kw,
    }


@pytest.fixture
def demo_fake():
    with FakeReddit(**demo_data()) as fake:
        yield fake


# -- search -----------------------------------------------------------------------------------


def test_search_keeps_only_matching_posts_with_reddit_fields(demo_fake):
    settings = make_settings(demo_fake.base_url)
    result = source(settings, "reddit:search:all").fetch({})

    assert result.status == "ok", result.error
    titles = {p.title for p in result.posts}
    # Fuzzy search returned noise (hadis study circles, a DHL parcel); the matcher dropped it.
    assert result.items_seen > len(result.posts)
    assert not any("study circles" in t or "DHL parcel" in t for t in titles)
    assert "Dārul Ḥadīth Laṭīfiyah – Eid fundraiser 🎉" in titles
    by_title = {p.title: p for p in result.posts}

    mum = by_title["Anyone have kids at Darul Hadis Latifiah? Thinking about Year 7 admissions"]
    assert mum.key.startswith("reddit:t3_")
    assert mum.source == "reddit" and mum.source_name == "reddit:search:all"
    assert mum.author == "worried_mum_e1"
    assert mum.url.startswith("https://www.reddit.com/r/london/comments/")
    assert demo_fake.base_url not in mum.url
    assert mum.published is not None and mum.published.tzinfo == UTC
    assert mum.extra["subreddit"] == "london" and mum.extra["score"] == 14
    assert mum.extra["type"] == "submission" and mum.extra["fullname"] == mum.key[7:]

    deleted = by_title["Ofsted report for Latifiah school published"]
    assert deleted.author is None and deleted.extra["author_deleted"] is True
    assert (
        deleted.extra["link_url"]
        == "https://www.example-news.co.uk/education/latifiah-school-ofsted"
    )

    removed = by_title["Darul Hadis Latifiah teachers are [removed]"]
    assert removed.text == "" and removed.extra["removed"] is True

    nsfw = by_title["Darul Hadis Latifiah should be shut down"]
    assert nsfw.extra["over_18"] is True

    long_post = by_title["Comparing secondary schools in Whitechapel"]
    assert len(long_post.text) > 20_000  # kept whole: the alias is at the very end


def test_subreddit_search_is_restricted_and_time_limited(demo_fake):
    settings = make_settings(demo_fake.base_url)
    result = source(settings, "reddit:search:r/tower_hamlets").fetch({})
    assert result.status == "ok"
    assert {p.extra["subreddit"] for p in result.posts} == {"tower_hamlets"}
    (req,) = demo_fake.api_requests("/search")
    assert req.path.startswith("/r/tower_hamlets/search")
    assert req.params["restrict_sr"].lower() in ("true", "on", "1")
    assert req.params["sort"] == "new" and req.params["t"] == "month"
    assert '"Darul Hadis Latifiah" OR' in req.params["q"]


def test_search_pagination_follows_after():
    posts = [school_post(i) for i in range(250)]
    with FakeReddit(posts=posts) as fake:
        settings = make_settings(fake.base_url, page_size=100)
        result = source(settings, "reddit:search:r/london").fetch({})
        assert result.status == "ok"
        assert len(result.posts) == 250
        assert len({p.key for p in result.posts}) == 250
        pages = fake.api_requests("/search")
        assert len(pages) == 3
        assert "after" not in pages[0].params
        assert pages[1].params["after"].startswith("t3_")


def test_search_stops_at_max_pages_on_first_run():
    with FakeReddit(posts=[school_post(i) for i in range(50)]) as fake:
        settings = make_settings(fake.base_url, page_size=10, max_pages=2)
        result = source(settings, "reddit:search:r/london").fetch({})
        assert result.status == "ok"  # a first run is bounded by design, not broken
        assert len(result.posts) == 20
        assert len(fake.api_requests("/search")) == 2


def test_search_rerun_is_incremental():
    with FakeReddit(posts=[school_post(i) for i in range(150)]) as fake:
        settings = make_settings(fake.base_url, page_size=100, search_overlap_hours=0.5)
        query = source(settings, "reddit:search:r/london")
        first = query.fetch({})
        assert len(first.posts) == 150
        fake.clear_log()

        second = query.fetch(first.state)
        assert second.status == "ok" and second.posts == []
        # One page is enough to see nothing is new; the time filter shrank from "month".
        (req,) = fake.api_requests("/search")
        assert req.params["t"] in ("hour", "day")

        fake.add(
            posts=[
                {"subreddit": "london", "title": "New: Latifiah school open day", "age_hours": 0.01}
            ]
        )
        third = query.fetch(second.state)
        assert [p.title for p in third.posts] == ["New: Latifiah school open day"]
        fourth = query.fetch(third.state)
        assert fourth.posts == []


def test_search_overlap_catches_late_indexed_posts_without_duplicates():
    with FakeReddit(posts=[school_post(i) for i in range(5)]) as fake:
        settings = make_settings(fake.base_url, search_overlap_hours=24)
        query = source(settings, "reddit:search:r/london")
        first = query.fetch({})
        # A post created before the newest one shows up in search only now (index lag).
        fake.add(posts=[school_post(99, title="Late Darul Hadith Latifiah post", age_hours=3)])
        second = query.fetch(first.state)
        assert [p.title for p in second.posts] == ["Late Darul Hadith Latifiah post"]


def test_long_alias_lists_are_split_into_queries_reddit_accepts():
    aliases = [f"Darul Hadis Latifiah variant number {i}" for i in range(40)]
    queries = search_queries(aliases)
    assert len(queries) > 1
    assert all(len(q) <= 512 for q in queries)
    joined = " OR ".join(queries)
    assert all(f'"{a}"' in joined for a in aliases)
    assert time_filter_for(600) == "hour" and time_filter_for(2 * 86400) == "week"


# -- comments ---------------------------------------------------------------------------------


def test_comment_stream_keeps_matching_comments_with_parent_context(demo_fake):
    settings = make_settings(demo_fake.base_url)
    result = source(settings, "reddit:comments:r/tower_hamlets").fetch({})
    assert result.status == "ok", result.error
    bodies = {p.text for p in result.posts}
    assert result.items_seen == 7
    assert len(result.posts) == 3
    assert any("open evening" in b for b in bodies)
    assert any("scum" in b for b in bodies)
    assert any("journalist" in b for b in bodies)
    assert not any("DHL courier" in b for b in bodies)  # excluded by the matcher
    comment = next(p for p in result.posts if "open evening" in p.text)
    assert comment.key.startswith("reddit:t1_")
    assert comment.title == "Re: School run traffic on Cannon Street Road"
    assert comment.url.startswith("https://www.reddit.com/r/tower_hamlets/comments/b000a/")
    assert comment.extra["link_id"] == "t3_b000a"
    assert comment.extra["parent_id"] == "t3_b000a" and comment.extra["is_top_level"]
    assert comment.extra["link_title"] == "School run traffic on Cannon Street Road"
    assert comment.extra["link_url"].startswith("https://www.reddit.com/r/tower_hamlets/")
    (req,) = demo_fake.api_requests("/comments")
    assert req.path.startswith("/r/tower_hamlets/comments")


def test_thread_title_matching_is_opt_in():
    comments = [
        {
            "subreddit": "tower_hamlets",
            "body": "Terrible place.",
            "link": "t0002",
            "link_title": "Darul Hadis Latifiah Ofsted report",
            "age_hours": 1,
        }
    ]
    with FakeReddit(comments=comments) as fake:
        off = make_settings(fake.base_url)
        assert source(off, "reddit:comments:r/tower_hamlets").fetch({}).posts == []
        on = make_settings(fake.base_url, match_thread_title=True)
        (post,) = source(on, "reddit:comments:r/tower_hamlets").fetch({}).posts
        assert post.text == "Terrible place."


def test_comment_rerun_reads_only_new_comments():
    with FakeReddit(comments=[school_comment(i) for i in range(250)]) as fake:
        settings = make_settings(fake.base_url, page_size=100)
        query = source(settings, "reddit:comments:r/tower_hamlets")
        first = query.fetch({})
        assert len(first.posts) == 250
        assert len(fake.api_requests("/comments")) == 3
        fake.clear_log()

        fake.add(comments=[school_comment(1000 + i, age_hours=0.001) for i in range(3)])
        second = query.fetch(first.state)
        assert second.status == "ok"
        assert len(second.posts) == 3
        assert len(fake.api_requests("/comments")) == 1  # stopped at the watermark
        assert not {p.key for p in second.posts} & {p.key for p in first.posts}


# -- faults -----------------------------------------------------------------------------------


def test_429_waits_for_retry_after_then_succeeds(demo_fake):
    settings = make_settings(demo_fake.base_url, max_retry_after_seconds=1.0)
    demo_fake.fault(429, path="/search", times=1, retry_after=0.4)
    result = source(settings, "reddit:search:r/london").fetch({})
    assert result.status == "ok", result.error
    assert len(result.posts) == 4
    limited, ok = demo_fake.api_requests("/search")
    assert (limited.status, ok.status) == (429, 200)
    assert ok.at - limited.at >= 0.4  # Retry-After respected


def test_429_with_retry_after_beyond_cap_degrades_at_once(demo_fake):
    settings = make_settings(demo_fake.base_url, max_retry_after_seconds=1.0)
    demo_fake.fault(429, path="/search", retry_after=600)
    started = time.monotonic()
    state = {"since": 1.0, "seen": {}}
    result = source(settings, "reddit:search:r/london").fetch(state)
    assert time.monotonic() - started < 1.0  # did not sleep 600 s, did not hammer
    assert result.status == "degraded"
    assert result.http_status == 429
    assert "reddit:search:r/london" in result.error and "Retry-After 600s" in result.error
    assert result.state["since"] == 1.0  # watermark kept: the next run fills the gap
    assert len(demo_fake.api_requests("/search")) == 1


def test_persistent_429_gives_up_within_budget(demo_fake):
    settings = make_settings(demo_fake.base_url, max_wait_seconds=1.0)
    demo_fake.fault(429, path="/search", retry_after=0.3)
    started = time.monotonic()
    result = source(settings, "reddit:search:r/london").fetch({})
    elapsed = time.monotonic() - started
    assert result.status == "degraded" and "429" in result.error
    assert 0.6 <= elapsed < 2.0
    assert 2 <= len(demo_fake.api_requests("/search")) <= 5


def test_5xx_backs_off_and_recovers(demo_fake):
    settings = make_settings(demo_fake.base_url)
    demo_fake.fault(500, path="/comments", times=2)
    result = source(settings, "reddit:comments:r/tower_hamlets").fetch({})
    assert result.status == "ok", result.error
    assert [r.status for r in demo_fake.api_requests("/comments")] == [500, 500, 200]


def test_persistent_5xx_degrades_in_bounded_time(demo_fake):
    settings = make_settings(demo_fake.base_url, max_wait_seconds=1.0)
    demo_fake.fault(503, path="/comments")
    started = time.monotonic()
    result = source(settings, "reddit:comments:r/tower_hamlets").fetch({})
    assert time.monotonic() - started < 2.5
    assert result.status == "degraded"
    assert "HTTP 503" in result.error and result.http_status == 503


def test_failure_midway_keeps_what_was_read_and_rerun_has_no_duplicates():
    with FakeReddit(comments=[school_comment(i) for i in range(250)]) as fake:
        settings = make_settings(fake.base_url, page_size=100, max_wait_seconds=0.3)
        query = source(settings, "reddit:comments:r/tower_hamlets")
        base = query.fetch({})
        fake.add(comments=[school_comment(2000 + i, age_hours=0.001) for i in range(150)])
        # Page 2 of the next run fails for good (page 1 still answers).
        original_handle = fake.handle
        calls = {"n": 0}

        def fail_second_page(method, path, params, headers, body):
            if "/comments" in path and params.get("after"):
                calls["n"] += 1
                return 500, {"Content-Type": "text/html"}, b"<html>oops</html>"
            return original_handle(method, path, params, headers, body)

        fake.handle = fail_second_page  # type: ignore[method-assign]
        partial = query.fetch(base.state)
        assert partial.status == "degraded"
        assert len(partial.posts) == 100
        assert partial.state["since"] == base.state["since"]
        fake.handle = original_handle  # type: ignore[method-assign]

        rest = query.fetch(partial.state)
        assert rest.status == "ok"
        assert len(rest.posts) == 50
        assert not {p.key for p in rest.posts} & {p.key for p in partial.posts}


def test_malformed_json_fails_clearly(demo_fake):
    settings = make_settings(demo_fake.base_url)
    demo_fake.fault("malformed", path="/search")
    result = source(settings, "reddit:search:r/london").fetch({"since": 5.0})
    assert result.status == "failed"
    assert result.error.startswith("reddit:search:r/london: ")
    assert "malformed JSON" in result.error
    assert result.state["since"] == 5.0


def test_slow_responses_time_out_and_degrade(demo_fake):
    settings = make_settings(demo_fake.base_url, timeout_seconds=0.2, max_wait_seconds=0.5)
    demo_fake.fault("slow", path="/search", delay=1.0)
    started = time.monotonic()
    result = source(settings, "reddit:search:r/london").fetch({})
    assert time.monotonic() - started < 3.0
    assert result.status == "degraded"
    assert "timed out" in result.error


def test_bad_credentials_are_a_clear_permanent_failure():
    with FakeReddit(**demo_data(), client_secret="the-real-secret") as fake:
        settings = make_settings(fake.base_url)  # sends the demo secret: wrong here
        result = source(settings, "reddit:search:r/london").fetch({})
        assert result.status == "failed"
        assert result.http_status == 401
        assert "MENTIONS_REDDIT_CLIENT_ID" in result.error
        assert DEMO_CLIENT_SECRET not in result.error
        assert fake.api_requests() == []  # no API call without a token
        assert len(fake.requests) == 1  # and no hammering of the token endpoint


def test_api_401_after_fresh_token_fails_clearly(demo_fake):
    settings = make_settings(demo_fake.base_url)
    demo_fake.fault(401, path="/search")
    result = source(settings, "reddit:search:r/london").fetch({})
    assert result.status == "failed" and result.http_status == 401
    assert "401" in result.error


def test_expired_token_is_renewed(demo_fake):
    settings = make_settings(demo_fake.base_url)
    demo_fake.fault(401, path="/comments", times=1)  # as when a token expires mid-run
    result = source(settings, "reddit:comments:r/tower_hamlets").fetch({})
    assert result.status == "ok", result.error
    assert len(result.posts) == 3


def test_private_subreddit_fails_only_its_own_query(demo_fake):
    settings = make_settings(demo_fake.base_url)
    demo_fake.fault(403, path="/r/tower_hamlets/")
    results = {s.name: s.fetch({}) for s in build_sources(settings)}
    bad = results["reddit:search:r/tower_hamlets"]
    assert bad.status == "failed" and bad.http_status == 403
    assert "private" in bad.error
    assert results["reddit:comments:r/tower_hamlets"].status == "failed"
    assert results["reddit:search:r/london"].status == "ok"
    assert results["reddit:search:all"].status == "ok"


def test_missing_subreddit_fails_clearly():
    with FakeReddit(**demo_data(), subreddits={"london"}) as fake:
        settings = make_settings(fake.base_url)
        result = source(settings, "reddit:search:r/tower_hamlets").fetch({})
        assert result.status == "failed" and result.http_status == 302
        assert "subreddit exists" in result.error


def test_unreachable_api_degrades():
    fake = FakeReddit()
    base = fake.start()
    fake.stop()  # nothing listens there any more
    settings = make_settings(base, max_wait_seconds=0.3)
    result = source(settings, "reddit:search:r/london").fetch({})
    assert result.status == "degraded"
    assert "failed" in result.error


# -- configuration ----------------------------------------------------------------------------


def test_missing_credentials_skip_with_one_clear_line():
    settings = make_settings("http://127.0.0.1:9", credentials=False)
    sources = build_sources(settings)
    assert len(sources) == 1 and isinstance(sources[0], MissingCredentials)
    result = sources[0].fetch({"kept": 1})
    assert result.status == "skipped"
    assert result.error == NO_CREDENTIALS
    assert result.state == {"kept": 1}


def test_one_source_per_query_and_disabled():
    settings = make_settings("http://127.0.0.1:9", subreddits=["r/London", "/r/tower_hamlets/"])
    names = [s.name for s in build_sources(settings)]
    assert names == [
        "reddit:search:r/London",
        "reddit:search:r/tower_hamlets",
        "reddit:search:all",
        "reddit:comments:r/tower_hamlets",
    ]
    assert DEMO_CLIENT_SECRET not in repr(build_sources(settings))
    assert build_sources(make_settings("http://127.0.0.1:9", enabled=False)) == []


@pytest.mark.parametrize(
    ("section", "key"),
    [
        ({"oauth_url": "http://reddit-proxy.example.org"}, "sources.reddit.oauth_url"),
        ({"reddit_url": "ftp://x"}, "sources.reddit.reddit_url"),
        ({"subreddits": ["all"]}, "sources.reddit.subreddits"),
        ({"comment_subreddits": ["not a sub"]}, "sources.reddit.comment_subreddits"),
        ({"first_run_time_filter": "fortnight"}, "sources.reddit.first_run_time_filter"),
        ({"page_size": 500}, "sources.reddit.page_size"),
        ({"user_agnet": "typo"}, "sources.reddit.user_agnet"),
    ],
)
def test_bad_reddit_settings_name_the_key(section, key):
    with pytest.raises(ConfigError) as info:
        settings_from_dict({"school": SCHOOL, "sources": {"reddit": section}})
    assert info.value.key == key


def test_http_endpoint_allowed_for_a_proxy_only_when_asked():
    settings = settings_from_dict(
        {
            "school": SCHOOL,
            "sources": {
                "reddit": {
                    "allow_http": True,
                    "oauth_url": "http://reddit-proxy:8080/api/",
                    "reddit_url": "http://reddit-proxy:8080/www",
                }
            },
        }
    )
    assert settings.sources.reddit.oauth_url == "http://reddit-proxy:8080/api"
