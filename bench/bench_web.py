"""Benchmark: pages/s of the web source's Scrapy crawl against a local server, side by side with
a plain sequential httpx fetch (+ the same extraction) of the same pages, in the same run.

    python bench/bench_web.py [--pages 200] [--concurrency 2]

The crawl runs exactly as in production (a child ``scrapy crawl`` process, robots.txt,
AutoThrottle with no delay floor, the profile's per-domain concurrency), so its time includes
starting Python + Scrapy; that start-up cost is also measured on its own (a one-page crawl).
It also prints the extraction quality on the labelled demo pages.
"""

from __future__ import annotations

import argparse
import threading
import time
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from tempfile import TemporaryDirectory

import httpx

from mentions.settings import settings_from_dict
from scrapers.web import build_sources
from scrapers.web.extract import extract
from scrapers.web.quality import evaluate, summary

SCHOOL = {"name": "Darul Hadis Latifiah", "aliases": ["Darul Hadis Latifiah"]}
PARAGRAPH = (
    "Families from Tower Hamlets visited Darul Hadis Latifiah on Saturday, where pupils showed "
    "visitors the new laboratory, the library and the sports hall. "
)


def write_site(root: Path, pages: int) -> list[str]:
    """A hub page linking to ``pages`` article pages of ~6 KB each."""
    paths = [f"/a/{i}.html" for i in range(pages)]
    (root / "a").mkdir()
    (root / "robots.txt").write_text("User-agent: *\nAllow: /\n")
    links = "".join(f'<li><a href="{p}">Story {p}</a></li>' for p in paths)
    (root / "index.html").write_text(f"<html><body><ul>{links}</ul></body></html>")
    for i, path in enumerate(paths):
        body = "".join(f"<p>{PARAGRAPH * 3}</p>" for _ in range(10))
        (root / path.lstrip("/")).write_text(
            f"<html><head><title>Story {i}</title></head><body><nav>Menu</nav>"
            f"<article><h1>Story {i}</h1>{body}</article><footer>Footer</footer></body></html>"
        )
    return paths


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def crawl(base: str, pages: int, concurrency: int, start: str = "/index.html") -> tuple[float, int]:
    site = {
        "name": "bench",
        "start_urls": [base + start],
        "depth_limit": 1,
        "max_pages": pages + 1,
        "items": [r"/a/\d+\.html$"],
    }
    web = {
        "download_delay_seconds": 0,
        "retries": 0,
        "concurrency_per_domain": concurrency,
        "crawl_time_limit_seconds": 300,
        "sites": [site],
    }
    (source,) = build_sources(settings_from_dict({"school": SCHOOL, "sources": {"web": web}}))
    started = time.perf_counter()
    result = source.fetch({})
    elapsed = time.perf_counter() - started
    assert result.status == "ok", result.error
    return elapsed, result.items_seen


def sequential(base: str, paths: list[str]) -> tuple[float, float]:
    """(fetch only, fetch + extract) seconds with one httpx client, one page at a time."""
    with httpx.Client(timeout=10) as client:
        started = time.perf_counter()
        bodies = [client.get(base + p).text for p in paths]
        fetch_s = time.perf_counter() - started
    started = time.perf_counter()
    for html in bodies:
        extract(html)
    return fetch_s, fetch_s + time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=2, choices=(1, 2))
    args = parser.parse_args()
    with TemporaryDirectory() as tmp:
        root = Path(tmp)
        paths = write_site(root, args.pages)
        server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(root)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_address[1]}"
        try:
            startup_s, _ = crawl(base, 1, args.concurrency, start=paths[0])
            crawl_s, crawled = crawl(base, args.pages, args.concurrency)
            fetch_s, fetch_extract_s = sequential(base, paths)
        finally:
            server.shutdown()
    assert crawled == args.pages, f"crawled {crawled} of {args.pages} pages"
    steady = max(crawl_s - startup_s, 1e-9)
    print(f"pages: {args.pages}, per-domain concurrency: {args.concurrency}")
    print(
        f"scrapy crawl (child process, incl. start-up): {crawl_s:6.2f} s "
        f"{args.pages / crawl_s:8.1f} pages/s"
    )
    print(f"  start-up alone (1-page crawl):              {startup_s:6.2f} s")
    print(
        f"  crawl minus start-up:                       {steady:6.2f} s "
        f"{args.pages / steady:8.1f} pages/s"
    )
    print(
        f"httpx sequential fetch:                       {fetch_s:6.2f} s "
        f"{args.pages / fetch_s:8.1f} pages/s"
    )
    print(
        f"httpx sequential fetch + extract:             {fetch_extract_s:6.2f} s "
        f"{args.pages / fetch_extract_s:8.1f} pages/s"
    )
    print(
        f"ratio scrapy / (httpx fetch + extract): incl. start-up "
        f"{fetch_extract_s / crawl_s:.2f}x, minus start-up {fetch_extract_s / steady:.2f}x"
    )
    quality = evaluate()
    fields = ", ".join(f"{k} {v:.0%}" for k, v in summary(quality).items())
    print(f"extraction on {len(quality)} labelled demo pages: {fields}")


if __name__ == "__main__":
    main()
