"""What every command module shares: the consoles, the one-line error exit, profile loading."""

from __future__ import annotations

from pathlib import Path
from typing import NoReturn

import typer
from rich.console import Console
from rich.markup import escape

from mentions.settings import Settings, load_settings

console = Console()
err = Console(stderr=True)


def fail(exc: Exception) -> NoReturn:
    """Print one clear line and exit 2. Escaped: messages carry paths, SQL and feed text
    ("[/x]" is not markup). soft_wrap: one line however narrow the terminal."""
    err.print(f"[bold red]error:[/] {escape(str(exc))}", highlight=False, soft_wrap=True)
    raise typer.Exit(2)


def load_profile(config: Path, db: Path | None = None) -> Settings:
    """The school profile, with ``--db`` (when given) overriding its database path."""
    settings = load_settings(config)
    if db is not None:
        settings.database.path = db
    return settings
