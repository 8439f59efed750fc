"""The offline demo: local fixture servers, a demo profile, and one real run of the nightly flow."""

from __future__ import annotations

from pathlib import Path

DEMO_DIR = Path(__file__).resolve().parent


def write_demo_profile(base_url: str, path: Path) -> Path:
    """Fill the demo profile template with the fixture server's address and write it."""
    text = (DEMO_DIR / "school.demo.toml").read_text(encoding="utf-8")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text.format(base_url=base_url), encoding="utf-8")
    return path
