"""The run as plain functions (no Prefect): local feeds -> match -> classify -> a real DuckDB file.

Also the classifier interface the pipeline relies on (interface level only: the model behind it
is being replaced).
"""

from __future__ import annotations

import time
import uuid

import pytest
from werkzeug import Request, Response

from analysis.classify import LABELS, SUBREASONS, Classification, load_classifier
from mentions import pipeline
from mentions.models import SourceResult
from scrapers.base import build_sources, safe_fetch
from warehouse import Warehouse, connect_read_only

RSS_TYPE = "application/rss+xml; charset=utf-8"
ETAG, MODIFIED = '"news-v1"', "Fri, 20 Nov 2026 09:00:00 GMT"

NEWS = [
    {
        "title": "Darul Hadis Latifiah pupils raise £4,000 for a food bank",
        "link": "https://www.google.com/url?sa=t&url=https%3A%2F%2Fnews.example%2Ffood-bank%3Futm_source%3Dg",
        "description": "Pupils ran a sponsored walk.",
    },
    {
        "title": "#journorequest: parents at Darul Hadith Latifiah?",
        "link": "https://news.example/journo",
        "description": "I'm a reporter looking to speak to parents for comment. Please DM me.",
    },
    {
        "title": "DHL courier depot in Tower Hamlets delays parcels",
        "link": "https://news.example/dhl",
        "description": "Tracking number not updated.",
    },
    {"title": "Council budget", "link": "https://news.example/budget", "description": "Libraries."},
]
COMMUNITY = [
    {
        "title": "Latifiah open evening",
        "link": "https://community.example/t/1",
        "description": "Is the Shadwell one having an open evening?",
    },
    {
        # the same story as NEWS[0], linked directly: stored once
        "title": NEWS[0]["title"],
        "link": "https://news.example/food-bank",
        "description": NEWS[0]["description"],
    },
    {"title": "Bake sale", "link": "https://community.example/t/2", "description": "Thanks all."},
]
QUIET = [{"title": "Weather", "link": "https://quiet.example/1", "description": "Rain."}]


# -- the classifier interface --------------------------------------------------------------------


def test_classifier_interface():
    classifier = load_classifier()
    items = [
        ("", "Darul Hadis Latifiah pupils raised money for the food bank."),
        ("Latifiah", "The staff there are fucking idiots and scum."),
        (
            "#journorequest: looking for comment",
            "I'm a reporter at the Gazette writing about Darul Hadis Latifiah, please get in "
            "touch for comment by 5pm.",
        ),
        ("", ""),
        ("Émoji 🎉 and 中文", "A long post about the school, the weather and the buses. " * 300),
    ]
    out = classifier.classify_batch(items)
    assert len(out) == len(items)
    for c in out:
        assert isinstance(c, Classification)
        assert c.label in LABELS
        assert 0.0 <= c.confidence <= 1.0
        assert c.explanation.strip()
        assert c.model_version.strip()
        if c.label == "inappropriate":
            assert c.subreason in SUBREASONS
        else:
            assert c.subreason is None
    assert out[1].label == "inappropriate"
    assert out[2].label == "media_enquiry"
    assert classifier.classify_batch([]) == []


@pytest.mark.parametrize(
    "text",
    [
        "#journorequest I am a journalist at the Gazette. Could Darul Hadis Latifiah contact me "
        "for comment?",
        "#journorequest anyone from Darul Hadis Latifiah available for comment?",
        "#journorequest I'm a reporter, would the school like to give a statement for comment?",
    ],
)
def test_blatant_journorequest_is_a_media_enquiry(text):
    (c,) = load_classifier().classify_batch([("", text)])
    assert c.label == "media_enquiry", c


def test_classifier_is_linear_on_long_unbroken_text():
    # A pasted URL, base64 image or "aaaa..." spam post: no regex may backtrack quadratically.
    classifier = load_classifier()
    classifier.classify_batch([("", "warm up")])
    started = time.perf_counter()
    (c,) = classifier.classify_batch([("", "x" * 10_000)])
    elapsed = time.perf_counter() - started
    assert c.label in LABELS
    assert elapsed < 1.0, f"{elapsed:.1f}s for one 10,000-character post"


def test_classifier_batch_keeps_order():
    classifier = load_classifier()
    abusive = ("", "You are all fucking scum and idiots.")
    request = ("#journorequest", "Reporter here, looking for case studies, for comment by 5pm.")
    labels = [c.label for c in classifier.classify_batch([abusive, request] * 50)]
    assert labels == ["inappropriate", "media_enquiry"] * 50


# -- a run against local feeds ------------------------------------------------------------------


@pytest.fixture
def feeds(httpserver, feed_bytes):
    """Five feeds on one local server; ``feeds["news_status"]`` can break the news feed."""
    control = {"news_status": 200}
    news = feed_bytes(NEWS)

    def news_handler(request: Request) -> Response:
        if control["news_status"] != 200:
            return Response("down", status=control["news_status"])
        if request.headers.get("If-None-Match") == ETAG:
            return Response(status=304, headers={"ETag": ETAG})
        return Response(
            news, content_type=RSS_TYPE, headers={"ETag": ETAG, "Last-Modified": MODIFIED}
        )

    httpserver.expect_request("/news.xml").respond_with_handler(news_handler)
    # No validators: it is refetched in full every time and must still add nothing twice.
    httpserver.expect_request("/community.atom").respond_with_data(
        feed_bytes(COMMUNITY, kind="atom", title="Community"),
        content_type="application/atom+xml",
    )
    httpserver.expect_request("/quiet.xml").respond_with_data(
        feed_bytes(QUIET), content_type=RSS_TYPE
    )
    httpserver.expect_request("/broken.xml").respond_with_data(
        b"<html><p>moved & gone", content_type=RSS_TYPE
    )
    httpserver.expect_request("/500").respond_with_data("boom", status=500)
    control["list"] = [
        ("News", httpserver.url_for("/news.xml")),
        ("Community", httpserver.url_for("/community.atom")),
        ("Quiet", httpserver.url_for("/quiet.xml")),
        ("Broken", httpserver.url_for("/broken.xml")),
        ("Council", httpserver.url_for("/500")),
    ]
    return control


def run_once(settings, flow: str = "nightly") -> dict:
    """What flows.nightly does, without Prefect."""
    run_id = str(uuid.uuid4())
    states = pipeline.begin_run(settings, run_id, flow)
    results = [safe_fetch(s, states.get(s.name, {})) for s in build_sources(settings)]
    analysed = pipeline.analyse(settings, results)
    return pipeline.store(settings, run_id, results, analysed)


def query(settings, sql: str, params=()):
    with connect_read_only(settings.database.path) as con:
        return con.execute(sql, params).fetchall()


def test_run_lands_posts_and_source_health(settings, feeds):
    s = settings(feeds["list"])
    summary = run_once(s)

    assert summary["status"] == "partial"
    assert summary["failed_sources"] == ["rss:Broken", "rss:Council"]
    assert summary["matched"] == 3
    assert summary["new_posts"] == 3
    assert sum(summary["new_by_label"].values()) == 3
    assert summary["database"] == str(s.database.path)

    posts = query(s, "select url, source_name, matched_terms from posts order by url")
    assert [p[0] for p in posts] == [
        "https://community.example/t/1",
        "https://news.example/food-bank",  # unwrapped and de-tracked
        "https://news.example/journo",
    ]
    assert posts[0][2] == ["Latifiah", "Shadwell"]
    # not stored: the DHL courier story (exclusion), the budget, the bake sale, the weather
    assert query(s, "select count(*) from posts where url like '%dhl%'") == [(0,)]

    health = {
        r[0]: r[1:]
        for r in query(
            s,
            "select source, status, http_status, items_seen, matched, new_posts, error "
            "from source_runs",
        )
    }
    assert health["rss:News"][:5] == ("ok", 200, 4, 2, 2)
    assert health["rss:Community"][:4] == ("ok", 200, 3, 2)  # food bank counted, stored once
    assert health["rss:Community"][4] == 1
    # a healthy feed with nothing about the school, and two broken ones: never the same thing
    assert health["rss:Quiet"] == ("ok", 200, 1, 0, 0, None)
    assert health["rss:Broken"][0] == "failed"
    assert health["rss:Broken"][5].startswith("rss:Broken:")
    assert health["rss:Council"][:2] == ("failed", 500)
    assert "HTTP 500" in health["rss:Council"][5]

    labels = query(s, "select label, model_version from v_mentions where label is not null")
    assert len(labels) == 3
    assert all(label in LABELS and version for label, version in labels)
    assert query(s, "select label from v_mentions where url = 'https://news.example/journo'") == [
        ("media_enquiry",)
    ]
    (run,) = query(s, "select flow, status, finished is not null, summary->>'new_posts' from runs")
    assert run == ("nightly", "partial", True, "3")


def test_second_run_adds_nothing_and_sends_conditional_headers(settings, feeds, httpserver):
    s = settings(feeds["list"])
    run_once(s)
    first_count = query(s, "select count(*) from posts")
    httpserver.clear_log()

    summary = run_once(s)
    assert summary["new_posts"] == 0
    assert summary["new_by_label"] == {}
    assert query(s, "select count(*) from posts") == first_count == [(3,)]
    assert query(s, "select count(*) from classifications") == [(3,)]

    news_requests = [req for req, _ in httpserver.log if req.path == "/news.xml"]
    assert len(news_requests) == 1
    assert news_requests[0].headers["If-None-Match"] == ETAG
    assert news_requests[0].headers["If-Modified-Since"] == MODIFIED
    (latest,) = query(s, "select run_id from runs order by started desc limit 1")
    statuses = dict(
        query(s, "select source, status from source_runs where run_id = ?", [latest[0]])
    )
    assert statuses["rss:News"] == "not_modified"
    assert statuses["rss:Community"] == "ok"
    assert statuses["rss:Broken"] == "failed"
    assert query(s, "select count(*) from runs") == [(2,)]


def test_failed_source_keeps_its_state_and_others_go_on(settings, feeds, httpserver):
    s = settings(feeds["list"])
    run_once(s)
    feeds["news_status"] = 503
    summary = run_once(s)
    assert "rss:News" in summary["failed_sources"]
    with Warehouse.open(s.database.path, lock_timeout=5) as wh:
        assert wh.load_states()["rss:News"] == {"etag": ETAG, "last_modified": MODIFIED}
    # the feed is back: the next run still asks conditionally
    feeds["news_status"] = 200
    httpserver.clear_log()
    summary = run_once(s)
    news = [req for req, _ in httpserver.log if req.path == "/news.xml"]
    assert news[0].headers["If-None-Match"] == ETAG
    assert [x["status"] for x in summary["sources"] if x["source"] == "rss:News"] == [
        "not_modified"
    ]


def test_edited_story_becomes_version_two(settings, httpserver, feed_bytes):
    items = [{"title": "Darul Hadis Latifiah news", "link": "https://n.example/1"}]
    httpserver.expect_oneshot_request("/f.xml").respond_with_data(
        feed_bytes([{**items[0], "description": "First text."}]), content_type=RSS_TYPE
    )
    httpserver.expect_oneshot_request("/f.xml").respond_with_data(
        feed_bytes([{**items[0], "description": "Edited text."}]), content_type=RSS_TYPE
    )
    s = settings([("F", httpserver.url_for("/f.xml"))])
    assert run_once(s)["new_posts"] == 1
    assert run_once(s)["new_posts"] == 1
    assert query(s, "select version, text from posts order by version") == [
        (1, "First text."),
        (2, "Edited text."),
    ]
    assert query(s, "select version, text, label is not null from v_mentions") == [
        (2, "Edited text.", True)
    ]


def test_all_sources_failed_is_a_failed_run(settings, httpserver):
    httpserver.expect_request("/500").respond_with_data("boom", status=500)
    s = settings([("A", httpserver.url_for("/500")), ("B", httpserver.url_for("/500"))])
    summary = run_once(s)
    assert summary["status"] == "failed"
    assert summary["new_posts"] == 0
    assert query(s, "select status from runs") == [("failed",)]
    assert query(s, "select count(*) from source_runs where status = 'failed'") == [(2,)]


def test_run_status():
    ok = SourceResult("a", "rss", status="ok")
    nm = SourceResult("b", "rss", status="not_modified")
    degraded = SourceResult("c", "rss", status="degraded")
    failed = SourceResult("d", "rss", status="failed")
    assert pipeline.run_status([ok, nm]) == "ok"
    assert pipeline.run_status([ok, degraded]) == "partial"
    assert pipeline.run_status([ok, failed]) == "partial"
    assert pipeline.run_status([failed, failed]) == "failed"
    # Nothing read at all is a failed run, never a quiet night.
    skipped = SourceResult("e", "reddit", status="skipped")
    assert pipeline.run_status([failed, skipped]) == "failed"
    assert pipeline.run_status([skipped]) == "failed"
    assert pipeline.run_status([]) == "failed"
    assert pipeline.run_status([ok, skipped]) == "ok"


def test_analyse_without_matches_does_not_classify(settings):
    result = SourceResult("rss:x", "rss")
    analysed = pipeline.analyse(settings(), [result])
    assert analysed.posts == [] and analysed.labels == []


def test_run_killed_between_posts_and_labels_loses_nothing(settings, feeds, monkeypatch):
    """store is one transaction: a run dying after the posts were written but before their
    labels must not leave posts that the next run sees as stored and never classifies."""
    s = settings(feeds["list"])

    def killed(self, *args, **kwargs):
        raise RuntimeError("killed mid-store")

    with monkeypatch.context() as m:
        m.setattr(Warehouse, "save_classifications", killed)
        with pytest.raises(RuntimeError):
            run_once(s)
    assert query(s, "select count(*) from posts") == [(0,)]

    summary = run_once(s)
    assert summary["new_posts"] == 3
    assert query(s, "select count(*) from v_mentions where label is not null") == [(3,)]


def test_a_database_error_while_responding_is_recorded_not_raised(settings, feeds, monkeypatch):
    """A DuckDB error (not a MentionsError) in respond must not stop the run before the purge."""
    import duckdb

    s = settings(feeds["list"])
    run_id = str(uuid.uuid4())
    pipeline.begin_run(s, run_id, "nightly")
    summary = pipeline.store(s, run_id, [], pipeline.Analysed())

    def broken(*args, **kwargs):
        raise duckdb.IOException("disk full")

    monkeypatch.setattr(pipeline, "respond", broken)
    monkeypatch.setattr(pipeline, "purge_database", broken)
    out = pipeline.respond_and_record(s, run_id, summary, [])
    out = pipeline.purge_and_record(s, run_id, out)
    assert "disk full" in out["respond"]["error"] and "disk full" in out["purge"]["error"]
    recorded = query(s, "select summary->>'$.purge.error' from runs where run_id = ?", [run_id])
    assert "disk full" in recorded[0][0]


STATEMENT = (
    "Statement from the Headteacher, Darul Hadis Latifiah: following the structural survey, the "
    "sports hall will remain closed until further notice. Dear parents, PE will take place on "
    "the field."
)


def test_the_schools_own_site_and_account_are_not_impersonating_it(settings):
    from mentions.models import Post

    s = settings(
        school={
            "own_sites": ["https://www.latifiah.org.uk/news"],
            "own_accounts": ["u/LatifiahOfficial"],
        }
    )
    assert s.school.own_sites == ["latifiah.org.uk"]
    posts = [
        Post("web", "web:school", "https://latifiah.org.uk/news/hall", "", STATEMENT),
        Post("web", "web:school", "https://blog.latifiah.org.uk/hall", "", STATEMENT + " (blog)"),
        Post(
            "reddit",
            "reddit",
            "https://reddit.com/r/x/1",
            "",
            STATEMENT + " (r)",
            key="t3_1",
            author="LatifiahOfficial",
        ),
        # the same words anywhere else are still read as posing as the school
        Post("web", "web:forum", "https://notlatifiah.org.uk/hall", "", STATEMENT + " (copy)"),
        Post(
            "reddit",
            "reddit",
            "https://reddit.com/r/x/2",
            "",
            STATEMENT + " (fake)",
            key="t3_2",
            author="Latifiah_Official",
        ),
    ]
    analysed = pipeline.analyse(s, [SourceResult("web:school", "web", posts=posts)])
    got = [(c.label, c.subreason) for c in analysed.labels]
    assert got[:3] == [("neutral", None)] * 3, analysed.labels
    assert got[3:] == [("inappropriate", "impersonation")] * 2
    own = analysed.labels[0]
    assert own.details["own_channel"] == "site latifiah.org.uk"
    assert "not impersonation" in own.explanation


def test_own_sites_must_be_host_names(settings):
    from mentions.errors import ConfigError

    with pytest.raises(ConfigError, match="own_sites"):
        settings(school={"own_sites": ["our school website"]})
