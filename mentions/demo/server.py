"""A local fixture server for the demo and tests: serves mentions/demo/site/ as static files,
plus a few routes that misbehave on purpose (a 500, a slow response)."""

from __future__ import annotations

import threading
import time
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

SITE = Path(__file__).resolve().parent / "site"


class _Handler(SimpleHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - http.server naming
        path = self.path.split("?", 1)[0]
        if path == "/broken/500":
            self.send_error(500, "demo: this feed is broken on purpose")
            return
        if path == "/slow":
            time.sleep(5)
        if path.startswith("/search/"):
            # News search endpoints ignore the query: they serve one canned result feed.
            self.path = "/feeds/news_search.xml"
        super().do_GET()

    def guess_type(self, path):  # type: ignore[override]
        if str(path).endswith(".xml"):
            return "application/rss+xml; charset=utf-8"
        return super().guess_type(path)

    def log_message(self, format: str, *args: object) -> None:  # quiet: the demo prints a table
        pass


class FixtureServer:
    """``with FixtureServer() as base_url:`` serves the demo site on a free localhost port."""

    def __init__(self, root: Path = SITE, host: str = "127.0.0.1", port: int = 0):
        self._httpd = ThreadingHTTPServer((host, port), partial(_Handler, directory=str(root)))
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> str:
        self._thread.start()
        return self.base_url

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self) -> str:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
