"""Extraction quality on labelled sample pages (the demo pages and their expected.json).

Used by tests/test_web.py and bench/bench_web.py: for each page, is the title, author,
published date and body right (every ``body_has`` snippet present, no ``body_lacks`` snippet)?
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from w3lib.encoding import html_to_unicode

from scrapers.web.extract import Extracted, extract

DEMO_WEB_DIR = Path(__file__).resolve().parents[2] / "mentions" / "demo" / "site" / "web"
FIELDS = ("title", "author", "published", "body")
_WS = re.compile(r"\s+")


def _norm(text: str) -> str:
    return _WS.sub(" ", text).strip()


def check(expected: dict[str, Any], got: Extracted) -> dict[str, bool]:
    """Which fields of one page were extracted right."""
    body = _norm(got.text)
    return {
        "title": got.title == expected["title"],
        "author": got.author == expected.get("author"),
        "published": (got.published.isoformat() if got.published else None)
        == expected.get("published"),
        "body": all(_norm(s) in body for s in expected.get("body_has", []))
        and not any(_norm(s) in body for s in expected.get("body_lacks", [])),
    }


def evaluate(directory: Path = DEMO_WEB_DIR) -> dict[str, dict[str, bool]]:
    """Per page, per field: right or wrong. Bytes are decoded the way Scrapy decodes them."""
    expected = json.loads((directory / "expected.json").read_text(encoding="utf-8"))
    results: dict[str, dict[str, bool]] = {}
    for page, exp in expected.items():
        if page.startswith("_"):
            continue
        _enc, html = html_to_unicode(None, (directory / page).read_bytes())
        results[page] = check(exp, extract(html))
    return results


def summary(results: dict[str, dict[str, bool]]) -> dict[str, float]:
    """Fraction of pages right, per field."""
    n = max(len(results), 1)
    return {f: sum(r[f] for r in results.values()) / n for f in FIELDS}
