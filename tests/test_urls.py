"""Canonical URLs: one story, one key, however the link was wrapped or tagged."""

from __future__ import annotations

import pytest

from analysis.urls import canonical_url


@pytest.mark.parametrize(
    ("wrapped", "expected"),
    [
        # Google Alerts: the target as a plain value, its own query percent-encoded
        (
            "https://www.google.com/url?rct=j&sa=t&url=https://news.example/a%3Futm_source%3Dgoogle&ct=ga",
            "https://news.example/a",
        ),
        # the whole target percent-encoded
        (
            "https://www.google.com/url?rct=j&sa=t&url=https%3A%2F%2Fnews.example%2Fa%3Fid%3D7%26utm_medium%3Drss&ct=ga",
            "https://news.example/a?id=7",
        ),
        # q= instead of url=, google.com without www
        ("https://google.com/url?q=https://news.example/b&sa=U", "https://news.example/b"),
        # Bing's redirect
        (
            "https://www.bing.com/news/apiclick.aspx?url=https%3A%2F%2Fnews.example%2Fc",
            "https://news.example/c",
        ),
    ],
)
def test_redirect_links_are_unwrapped(wrapped, expected):
    assert canonical_url(wrapped) == expected


def test_google_link_without_a_target_is_kept():
    assert canonical_url("https://www.google.com/url?q=not-a-url") == (
        "https://www.google.com/url?q=not-a-url"
    )


def test_tracking_parameters_are_dropped_and_others_kept():
    url = "https://news.example/story?id=42&utm_source=rss&utm_medium=feed&UTM_Campaign=x&fbclid=abc&gclid=1&page=2"
    assert canonical_url(url) == "https://news.example/story?id=42&page=2"


def test_fragment_dropped_host_and_scheme_lower_cased_path_kept():
    assert canonical_url("HTTPS://News.EXAMPLE/Story/A#comments") == "https://news.example/Story/A"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://news.example:80/p", "http://news.example/p"),
        ("https://news.example:443/p", "https://news.example/p"),
        ("https://news.example:8443/p", "https://news.example:8443/p"),
        ("http://news.example:443/p", "http://news.example:443/p"),
    ],
)
def test_default_port_dropped_other_ports_kept(url, expected):
    assert canonical_url(url) == expected


def test_query_is_sorted_so_order_does_not_matter():
    a = canonical_url("https://news.example/s?b=2&a=1&c=3")
    b = canonical_url("https://news.example/s?c=3&a=1&b=2")
    assert a == b == "https://news.example/s?a=1&b=2&c=3"


def test_empty_path_becomes_slash():
    assert canonical_url("https://news.example") == "https://news.example/"
    assert canonical_url("https://news.example?utm_source=x") == "https://news.example/"


@pytest.mark.parametrize(
    "value",
    [
        "mailto:office@school.example",
        "urn:demo:community:1",
        "tag:news.google.com,2005:abc",
        "",
        "ftp://files.example/x",
        "javascript:alert(document.domain)",
        "JaVaScRiPt:alert(1)",
        "data:text/html,<script>alert(1)</script>",
    ],
)
def test_non_http_input_gives_no_url(value):
    # Links become clickable hrefs in alerts and reports: only http(s) may survive.
    assert canonical_url(value) == ""


def test_surrounding_whitespace_is_stripped():
    assert canonical_url("  https://news.example/a \n") == "https://news.example/a"


def test_is_idempotent():
    url = "https://www.google.com/url?url=https%3A%2F%2FNews.example%3A443%2Fa%3Fz%3D1%26utm_source%3Dx%23top"
    once = canonical_url(url)
    assert canonical_url(once) == once == "https://news.example/a?z=1"


def test_mixed_case_scheme_is_canonicalised():
    assert canonical_url("Https://News.example/a?utm_source=x") == "https://news.example/a"


def test_ipv6_host_keeps_its_brackets():
    assert canonical_url("http://[::1]:8080/feed#x") == "http://[::1]:8080/feed"
