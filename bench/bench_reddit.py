"""How many items per second the Reddit source sustains against the fake Reddit API.

Side by side, in the same run and against the same server: a raw ``requests`` client doing the
minimum (token, then every page via ``after``, JSON decoded, nothing else). The ratio shows
what PRAW's object model, our retry requestor, matching and ``Post`` building cost on top of
the HTTP floor. Run: ``python bench/bench_reddit.py [--items 5000] [--repeat 3]``.
"""

from __future__ import annotations

import argparse
import statistics
import time

import requests
from pydantic import SecretStr

from mentions.fakes.reddit_api import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, FakeReddit
from mentions.settings import Secrets, settings_from_dict
from scrapers.reddit import build_sources, search_queries

SCHOOL = {"name": "Darul Hadis Latifiah", "aliases": ["Darul Hadis Latifiah", "Latifiah school"]}


def make_items(n: int) -> list[dict]:
    # Every third item is fuzzy-search noise the matcher must drop, as in real results.
    return [
        {
            "subreddit": "london",
            "age_hours": 1 + i / 1000,
            "title": f"Darul Hadis Latifiah news {i}" if i % 3 else f"Latifiah Begum's bakery {i}",
            "selftext": "Some ordinary paragraph of text about east London. " * 8,
        }
        for i in range(n)
    ]


def run_source(base_url: str, pages: int) -> tuple[int, float]:
    settings = settings_from_dict(
        {
            "school": SCHOOL,
            "sources": {
                "reddit": {
                    "oauth_url": base_url,
                    "reddit_url": base_url,
                    "subreddits": ["london"],
                    "search_all": False,
                    "comment_subreddits": [],
                    "max_pages": pages,
                    "user_agent": "python:school-mentions-bench:v0.1 (by /u/bench)",
                }
            },
        }
    )
    settings.secrets = Secrets(
        reddit_client_id=SecretStr(DEMO_CLIENT_ID),
        reddit_client_secret=SecretStr(DEMO_CLIENT_SECRET),
    )
    (source,) = build_sources(settings)
    started = time.perf_counter()
    result = source.fetch({})
    elapsed = time.perf_counter() - started
    assert result.status == "ok", result.error
    return result.items_seen, elapsed


def run_raw(base_url: str, query: str) -> tuple[int, float]:
    started = time.perf_counter()
    with requests.Session() as http:
        token = http.post(
            f"{base_url}/api/v1/access_token",
            data={"grant_type": "client_credentials"},
            auth=(DEMO_CLIENT_ID, DEMO_CLIENT_SECRET),
            timeout=10,
        ).json()["access_token"]
        http.headers["Authorization"] = f"bearer {token}"
        params = {"q": query, "restrict_sr": "on", "sort": "new", "t": "month", "limit": 100}
        items = 0
        while True:
            listing = http.get(f"{base_url}/r/london/search", params=params, timeout=10).json()
            items += len(listing["data"]["children"])
            if not listing["data"]["after"]:
                break
            params["after"] = listing["data"]["after"]
    return items, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    pages = -(-args.items // 100)
    query = search_queries(SCHOOL["aliases"])[0]
    with FakeReddit(posts=make_items(args.items)) as fake:
        run_source(fake.base_url, pages)  # warm-up: imports, first connections
        ours, raw = [], []
        for _ in range(args.repeat):
            n, t = run_source(fake.base_url, pages)
            assert n == args.items, n
            ours.append(n / t)
            n, t = run_raw(fake.base_url, query)
            assert n == args.items, n
            raw.append(n / t)
    src, base = statistics.median(ours), statistics.median(raw)
    print(
        f"reddit source: {src:,.0f} items/s ({args.items} items, {pages} pages, median of "
        f"{args.repeat})"
    )
    print(f"raw requests : {base:,.0f} items/s")
    print(f"ratio source/raw: {src / base:.2f}")


if __name__ == "__main__":
    main()
