"""Shared fixtures: a Settings factory on a tmp DuckDB file, feed bytes builders, the CLI script.

No mocks of our own boundaries: feeds come from real local HTTP servers (pytest-httpserver or the
demo FixtureServer), the warehouse is a real DuckDB file under tmp_path.
"""

from __future__ import annotations

import atexit
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import pytest

# Prefect reads its settings when first imported: point it at a throwaway home, offline, with a
# generous start-up timeout for the ephemeral server (10-20 s on a fresh home, 2 cores).
_PREFECT_HOME = tempfile.mkdtemp(prefix="mentions-tests-prefect-")
atexit.register(shutil.rmtree, _PREFECT_HOME, True)
os.environ["PREFECT_HOME"] = _PREFECT_HOME
os.environ["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
os.environ["PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS"] = "120"
# Run logs stay local: shipping them to the API races with stopping the ephemeral server.
os.environ["PREFECT_LOGGING_TO_API_ENABLED"] = "false"

from mentions.settings import Settings, settings_from_dict  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"

# The example school, trimmed: strong aliases, weak ones that need a hint, and exclusions.
SCHOOL: dict[str, Any] = {
    "name": "Darul Hadis Latifiah",
    "timezone": "Europe/London",
    "aliases": ["Darul Hadis Latifiah", "Darul Hadith Latifiah", "Latifiah school"],
    "weak_aliases": ["DHL", "Latifiah"],
    "exclusions": ["DHL Express", "courier", "parcel", "tracking number"],
    "location_hints": ["Tower Hamlets", "E1", "Cannon Street Road", "Whitechapel", "Shadwell"],
}


def _stop_prefect_servers() -> None:
    """Stop Prefect's ephemeral API server(s) started in this process, if any. Otherwise they
    stop at interpreter exit and log to pytest's already closed capture stream."""
    server_module = sys.modules.get("prefect.server.api.server")
    if server_module is None:
        return
    for server in list(server_module.SubprocessASGIServer._instances.values()):
        server.stop()


@pytest.fixture(scope="session", autouse=True)
def _prefect_cleanup():
    yield
    _stop_prefect_servers()


@pytest.fixture
def prefect_home() -> Iterator[str]:
    """The tmp PREFECT_HOME. A test using it that starts the ephemeral server has it stopped
    afterwards, so a later subprocess (``mentions demo``) is alone on the home's database."""
    assert os.environ["PREFECT_HOME"] == _PREFECT_HOME
    yield _PREFECT_HOME
    _stop_prefect_servers()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "warehouse" / "mentions.duckdb"


@pytest.fixture
def settings(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Settings]:
    """Factory: ``settings(feeds=[(name, url)], http={...}, school={...})`` -> Settings.

    Only the given feeds are sources: no search templates (they point at the real internet),
    Reddit and web scraping off. The database is a fresh file under tmp_path.
    """
    monkeypatch.delenv("MENTIONS_DB_PATH", raising=False)

    def make(
        feeds: Iterable[tuple[str, str]] = (),
        *,
        http: Mapping[str, Any] | None = None,
        school: Mapping[str, Any] | None = None,
        db: Path | None = None,
    ) -> Settings:
        data = {
            "school": {**SCHOOL, **(school or {})},
            "database": {"path": str(db or db_path), "lock_timeout_seconds": 5},
            "http": {"timeout_seconds": 5, "retries": 0, **(http or {})},
            "sources": {
                "rss": {
                    "search_templates": {},
                    "feeds": [{"name": name, "url": url} for name, url in feeds],
                },
                "reddit": {"enabled": False},
                "web": {"enabled": False},
            },
        }
        return settings_from_dict(data)

    return make


def _rfc822(when: datetime | None) -> str:
    return format_datetime(when or datetime(2026, 11, 20, 9, 0, tzinfo=UTC), usegmt=True)


def build_feed(
    items: Iterable[Mapping[str, Any]],
    *,
    kind: str = "rss",
    title: str = "East London News",
    encoding: str = "utf-8",
    declared: str | None = None,
) -> bytes:
    """Feed bytes. Each item: title, link, and optionally description, guid, author, published
    (a datetime). ``encoding`` is how the bytes are encoded, ``declared`` what the XML prolog
    says (default: the same), so a test can lie about the encoding."""
    declared = declared or encoding
    parts = [f'<?xml version="1.0" encoding="{declared}"?>']
    if kind == "rss":
        parts.append('<rss version="2.0"><channel>')
        parts.append(f"<title>{escape(title)}</title><link>http://news.example/</link>")
        parts.append("<description>test feed</description>")
        for item in items:
            parts.append("<item>")
            parts.append(f"<title>{escape(item['title'])}</title>")
            parts.append(f"<link>{escape(item['link'])}</link>")
            if "description" in item:
                parts.append(f"<description>{escape(item['description'])}</description>")
            parts.append(
                f'<guid isPermaLink="false">{escape(item.get("guid", item["link"]))}</guid>'
            )
            if "author" in item:
                parts.append(f"<author>{escape(item['author'])}</author>")
            parts.append(f"<pubDate>{_rfc822(item.get('published'))}</pubDate>")
            parts.append("</item>")
        parts.append("</channel></rss>")
    elif kind == "atom":
        parts.append('<feed xmlns="http://www.w3.org/2005/Atom">')
        parts.append(f"<title>{escape(title)}</title><id>urn:test:feed</id>")
        parts.append("<updated>2026-11-29T12:00:00Z</updated>")
        for item in items:
            when = (item.get("published") or datetime(2026, 11, 20, 9, tzinfo=UTC)).isoformat()
            parts.append("<entry>")
            parts.append(f"<title>{escape(item['title'])}</title>")
            parts.append(f"<id>{escape(item.get('guid', item['link']))}</id>")
            parts.append(f'<link href="{escape(item["link"])}"/>')
            parts.append(f"<updated>{when}</updated>")
            if "author" in item:
                parts.append(f"<author><name>{escape(item['author'])}</name></author>")
            if "description" in item:
                parts.append(f"<summary>{escape(item['description'])}</summary>")
            parts.append("</entry>")
        parts.append("</feed>")
    else:
        raise ValueError(kind)
    return "\n".join(parts).encode(encoding)


@pytest.fixture
def feed_bytes() -> Callable[..., bytes]:
    """The ``build_feed`` builder as a fixture."""
    return build_feed


@pytest.fixture(scope="session")
def mentions_script() -> list[str]:
    """argv prefix that runs the installed ``mentions`` command line in a subprocess."""
    script = Path(sys.executable).with_name("mentions")
    return [str(script)] if script.exists() else [sys.executable, "-m", "mentions.cli"]
