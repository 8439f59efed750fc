"""Ingest throughput: 300 local feeds of 100 items each, end to end into DuckDB.

Prints posts/s for our pipeline (fetch in threads, match, classify, one bulk store) and for a
baseline measured in the same run: a plain sequential loop of httpx GET + feedparser.parse that
stores nothing. Not a test: run it by hand, `python bench/bench_ingest.py [--feeds N --items N]`.
"""

from __future__ import annotations

import argparse
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from xml.sax.saxutils import escape

import feedparser
import httpx

from mentions import pipeline
from mentions.settings import settings_from_dict
from scrapers.base import build_sources, safe_fetch


def make_feed(n: int, items: int) -> bytes:
    start = datetime(2026, 11, 1, tzinfo=UTC)
    entries = []
    for i in range(items):
        when = format_datetime(start + timedelta(minutes=n * items + i))
        title = escape(f"Feed {n} item {i}: Darul Hadis Latifiah in the news")
        body = escape(f"Story {i} from feed {n} about the school on Cannon Street Road, E1.")
        entries.append(
            f"<item><title>{title}</title><link>https://news.example/{n}/{i}?utm_source=x</link>"
            f"<guid>{n}-{i}</guid><pubDate>{when}</pubDate><description>{body}</description></item>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Feed {n}</title>{''.join(entries)}</channel></rss>"
    ).encode()


def serve(feeds: dict[str, bytes]) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            body = feeds.get(self.path)
            self.send_response(200 if body else 404)
            self.send_header("Content-Type", "application/rss+xml")
            self.send_header("Content-Length", str(len(body or b"")))
            self.end_headers()
            self.wfile.write(body or b"")

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--feeds", type=int, default=300)
    parser.add_argument("--items", type=int, default=100)
    parser.add_argument("--threads", type=int, default=8)
    args = parser.parse_args()
    feeds = {f"/feed/{n}.xml": make_feed(n, args.items) for n in range(args.feeds)}
    httpd = serve(feeds)
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    total = args.feeds * args.items

    t0 = time.perf_counter()
    with httpx.Client() as client:
        parsed = sum(len(feedparser.parse(client.get(base + p).content).entries) for p in feeds)
    baseline = time.perf_counter() - t0
    assert parsed == total

    with tempfile.TemporaryDirectory() as tmp:
        settings = settings_from_dict(
            {
                "school": {"name": "Darul Hadis Latifiah", "aliases": ["Darul Hadis Latifiah"]},
                "database": {"path": str(Path(tmp) / "bench.duckdb")},
                "sources": {
                    "rss": {
                        "search_templates": {},
                        "feeds": [{"name": p, "url": base + p} for p in feeds],
                    }
                },
            }
        )
        sources = build_sources(settings)
        t0 = time.perf_counter()
        states = pipeline.begin_run(settings, "bench", "bench")
        with ThreadPoolExecutor(args.threads) as pool:
            results = list(pool.map(lambda s: safe_fetch(s, states.get(s.name, {})), sources))
        t_fetch = time.perf_counter() - t0
        analysed = pipeline.analyse(settings, results)
        t_analyse = time.perf_counter() - t0 - t_fetch
        summary = pipeline.store(settings, "bench", results, analysed)
        ours = time.perf_counter() - t0
        t_store = ours - t_fetch - t_analyse
    httpd.shutdown()
    assert summary["new_posts"] == total, summary["new_posts"]

    print(f"{args.feeds} feeds x {args.items} items = {total} posts")
    print(f"baseline (sequential httpx + feedparser, no storage): {total / baseline:8.0f} posts/s")
    print(
        f"school-mentions (fetch {t_fetch:.1f}s, match+classify {t_analyse:.1f}s, "
        f"store {t_store:.1f}s):  {total / ours:8.0f} posts/s"
    )
    print(f"ratio ours/baseline: {baseline / ours:.2f}x")


if __name__ == "__main__":
    main()
