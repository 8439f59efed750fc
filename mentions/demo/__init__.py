"""The offline demo: local fixture servers, a demo profile, and one real run of the nightly flow."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import tomli_w

DEMO_DIR = Path(__file__).resolve().parent


def write_demo_profile(
    base_url: str, path: Path, sources: dict[str, dict[str, Any]] | None = None
) -> Path:
    """Fill the demo profile template with the fixture server's address, add extra source
    sections (e.g. ``{"reddit": {...}}`` pointing at the fake Reddit API) and write it."""
    text = (DEMO_DIR / "school.demo.toml").read_text(encoding="utf-8").format(base_url=base_url)
    profile = tomllib.loads(text)
    profile.setdefault("sources", {}).update(sources or {})
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(tomli_w.dumps(profile).encode("utf-8"))
    return path
