"""Scraped web pages: a Scrapy project (settings, spider, items, pipelines) and its sources.

``build_sources(settings)`` gives one ``web:<site>`` source per configured site; each crawl runs
in a child process (see ``source.py``). ``demo_web_section`` is the ``[sources.web]`` profile
section that crawls the bundled demo pages under ``mentions/demo/site/web/``.
"""

from __future__ import annotations

from typing import Any

from scrapers.web.source import WebSiteSource, build_sources

__all__ = ["WebSiteSource", "build_sources", "demo_web_section"]


def demo_web_section(base_url: str) -> dict[str, Any]:
    """``[sources.web]`` settings for the demo, served by the fixture server at ``base_url``.

    Two sites: a local news site (crawled from its front page, with a search page) and a
    community forum. Short timeouts and no delay: the server is local and the demo should be
    quick. robots.txt (mentions/demo/site/robots.txt) keeps the crawl out of /web/private/.
    """
    base = base_url.rstrip("/")
    return {
        "enabled": True,
        "crawl_time_limit_seconds": 60,
        "page_timeout_seconds": 5,
        "download_delay_seconds": 0,
        "retries": 0,
        "sites": [
            {
                "name": "East End Gazette",
                "start_urls": [f"{base}/web/news/index.html"],
                "follow": [r"/web/(news|private)/"],
                "items": [r"/web/(news|private)/(?!index)[^/]+\.html$"],
                "depth_limit": 1,
                "max_pages": 20,
                "search_url": f"{base}/web/news/search.html?q={{query}}",
                "search_results": [r"/web/news/(?!index|search)[^/]+\.html$"],
            },
            {
                "name": "Tower Hamlets Parents Forum",
                "start_urls": [f"{base}/web/forum/index.html"],
                "follow": [r"/web/(forum|reviews)/"],
                "items": [r"/web/(forum|reviews)/(?!index)[^/]+\.html$"],
                "depth_limit": 2,
                "max_pages": 20,
            },
        ],
    }
