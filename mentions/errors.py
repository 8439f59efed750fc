"""The one exception hierarchy. Every error names what failed (a file, a key, a source)."""

from __future__ import annotations


class MentionsError(Exception):
    """Base class for every error this project raises on purpose."""


class ConfigError(MentionsError):
    """The school profile or the environment is wrong. Names the file and the key."""

    def __init__(self, message: str, *, path: str | None = None, key: str | None = None):
        self.path = path
        self.key = key
        where = ", ".join(p for p in (path and f"file {path}", key and f"key '{key}'") if p)
        super().__init__(f"{where}: {message}" if where else message)


class SourceError(MentionsError):
    """A source could not be read. ``permanent`` errors will not fix themselves on retry."""

    def __init__(
        self,
        source: str,
        message: str,
        *,
        permanent: bool = False,
        http_status: int | None = None,
    ):
        self.source = source
        self.permanent = permanent
        self.http_status = http_status
        super().__init__(f"{source}: {message}")


class FetchError(SourceError):
    """Network level failure: timeout, refused, too big, too many redirects, HTTP error."""


class ParseError(SourceError):
    """The bytes arrived but are not a usable feed / page / JSON document."""


class WarehouseError(MentionsError):
    """The DuckDB warehouse could not be opened, migrated or written."""


class DatabaseLockedError(WarehouseError):
    """Another process holds the DuckDB write lock and did not let go in time."""


class ClassifierError(MentionsError):
    """The classifier model is missing, corrupt or was given unusable input."""
