"""One typed settings object: the school profile (TOML) plus the environment.

The profile holds everything a school edits (names, sources, routing). Secrets never go in the
profile: they come only from ``MENTIONS_*`` environment variables and are kept as ``SecretStr`` so
they do not print. A wrong or missing key raises one ``ConfigError`` naming the key and the file.
"""

from __future__ import annotations

import os
import tomllib
from datetime import date, time
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_settings import BaseSettings, SettingsConfigDict

from analysis.classify import account_name
from mentions.errors import ConfigError

PACKAGE_DIR = Path(__file__).resolve().parent
DEFAULT_DB_PATH = Path("data/mentions.duckdb")


class _Section(BaseModel):
    # extra="forbid": a misspelt key in the profile is an error, not silently ignored.
    model_config = ConfigDict(extra="forbid")


class School(_Section):
    name: str
    timezone: str = "Europe/London"
    aliases: list[str] = Field(min_length=1)
    # Ambiguous names ("DHL", "Latifiah") count only next to a location hint or context word.
    weak_aliases: list[str] = []
    context_words: list[str] = ["school", "madrasa", "madrasah", "pupil", "pupils", "student"]
    exclusions: list[str] = []
    location_hints: list[str] = []
    # The school's own sites (host names: "latifiah.org.uk" covers its subdomains) and accounts
    # (author names, e.g. a Reddit user): a post there is the school speaking, so it is never
    # impersonating the school, however official it sounds.
    own_sites: list[str] = []
    own_accounts: list[str] = []

    @field_validator("own_sites")
    @classmethod
    def _hosts(cls, value: list[str]) -> list[str]:
        # "https://www.latifiah.org.uk/news" and "latifiah.org.uk" name the same site
        hosts = []
        for site in value:
            host = urlsplit(site if "://" in site else f"//{site}").hostname or ""
            if "." not in host:
                raise ValueError(f"own_sites: {site!r} is not a host name or URL")
            hosts.append(host.removeprefix("www."))
        return hosts

    @field_validator("own_accounts")
    @classmethod
    def _accounts(cls, value: list[str]) -> list[str]:
        return [account_name(a) for a in value if a.strip()]

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


class Database(_Section):
    path: Path = DEFAULT_DB_PATH
    lock_timeout_seconds: float = 60.0


class Http(_Section):
    timeout_seconds: float = 20.0  # per connect / read
    # For the whole response: a server trickling bytes must not hold a source (and the run).
    total_timeout_seconds: float = 120.0
    max_bytes: int = 5_000_000
    max_redirects: int = 5
    retries: int = 2
    user_agent: str = "school-mentions/0.1 (+https://github.com/school-mentions)"


class Feed(_Section):
    name: str
    url: str


class RssSource(_Section):
    enabled: bool = True
    # Search feeds built from each alias; {query} is the URL-encoded quoted alias.
    search_templates: dict[str, str] = {
        "Google News": "https://news.google.com/rss/search?q={query}&hl=en-GB&gl=GB&ceid=GB:en",
        "Bing News": "https://www.bing.com/news/search?q={query}&format=rss",
    }
    feeds: list[Feed] = []


class WebSite(_Section):
    """One site the Scrapy spider crawls (a local news site, a forum, a review site)."""

    name: str = Field(min_length=1)
    enabled: bool = True
    start_urls: list[str] = []
    # Hosts the crawl may visit; empty: the hosts of start_urls and search_url.
    allowed_domains: list[str] = []
    # Regexes over absolute URLs. follow: links to crawl (empty: every link in the allowed
    # domains); deny wins over follow; items: pages kept as posts (empty: every crawled page).
    follow: list[str] = []
    deny: list[str] = []
    items: list[str] = []
    depth_limit: int = Field(default=2, ge=0, le=10)
    max_pages: int = Field(default=50, ge=1, le=5000)
    # The site's own search page; {query} is the URL-encoded alias. Results are crawled one
    # level deep (only links matching search_results, or follow when that is empty).
    search_url: str | None = None
    search_results: list[str] = []

    @field_validator("search_url")
    @classmethod
    def _has_query(cls, value: str | None) -> str | None:
        if value is not None and "{query}" not in value:
            raise ValueError("search_url needs a {query} placeholder")
        return value

    @field_validator("start_urls")
    @classmethod
    def _http_urls(cls, value: list[str]) -> list[str]:
        for url in value:
            if not url.startswith(("http://", "https://")):
                raise ValueError(f"start URL {url!r} is not an http(s) URL")
        return value


class WebSource(_Section):
    """Scraped web pages: one Scrapy crawl (in a subprocess) per site."""

    enabled: bool = True
    sites: list[WebSite] = []
    crawl_time_limit_seconds: float = Field(default=600.0, gt=0)  # per site, then killed
    page_timeout_seconds: float = Field(default=30.0, gt=0)
    max_page_bytes: int = Field(default=3_000_000, gt=0)  # larger responses are dropped
    raw_html_max_bytes: int = Field(default=300_000, ge=0)  # evidence kept per post
    concurrency_per_domain: int = Field(default=1, ge=1, le=2)
    download_delay_seconds: float = Field(default=2.0, ge=0)  # AutoThrottle's floor
    retries: int = Field(default=2, ge=0, le=5)
    # Scrapy's HTTP cache: for development only (replays pages without hitting the sites).
    http_cache: bool = False
    http_cache_dir: Path = Path("data/web-cache")
    user_agent: str | None = None  # None: [http] user_agent

    @field_validator("sites")
    @classmethod
    def _unique_names(cls, value: list[WebSite]) -> list[WebSite]:
        # The site name is the source name (web:<name>) and keys its incremental state.
        names = [site.name for site in value]
        if dupes := sorted({n for n in names if names.count(n) > 1}):
            raise ValueError(f"site names must be unique: {', '.join(dupes)}")
        for site in value:
            if not (site.start_urls or site.search_url):
                raise ValueError(f"site {site.name!r} needs start_urls or a search_url")
        return value


_SUBREDDIT_NAME = r"^[A-Za-z0-9][A-Za-z0-9_]{1,20}$"
_TIME_FILTERS = ("hour", "day", "week", "month", "year", "all")


class RedditSource(_Section):
    """Reddit through its OAuth API (PRAW, read-only). The app credentials are secrets and come
    only from ``MENTIONS_REDDIT_CLIENT_ID`` / ``MENTIONS_REDDIT_CLIENT_SECRET``."""

    enabled: bool = True
    # Reddit asks for "<platform>:<app id>:<version> (by /u/<username>)"; generic agents are
    # throttled harder.
    user_agent: str = Field(
        "python:school-mentions:v0.1 (by /u/CHANGE_ME)", min_length=10, max_length=256
    )
    # Subreddits searched for the school's aliases; "search_all" adds a search of all Reddit.
    subreddits: list[str] = ["london", "eastlondon", "tower_hamlets"]
    search_all: bool = True
    # Local subreddits whose newest comments are read; only comments that match are kept.
    comment_subreddits: list[str] = ["tower_hamlets", "eastlondon"]
    # Also keep a comment when only its thread's title mentions the school (busy threads make
    # this noisy, hence off by default).
    match_thread_title: bool = False
    # Time window of the first search (no state yet): hour, day, week, month, year or all.
    first_run_time_filter: str = "month"
    # Reddit's search index lags; re-read this far behind the newest item seen last time
    # (items already seen are skipped by id, so nothing is reported twice).
    search_overlap_hours: float = Field(24.0, ge=0)
    page_size: int = Field(100, ge=1, le=100)
    max_pages: int = Field(10, ge=1, le=100)
    timeout_seconds: float = Field(16.0, gt=0)
    # Total time one query may spend waiting on 429 / 5xx / timeouts before it gives up and
    # reports "degraded"; a single Retry-After longer than max_retry_after_seconds is not
    # waited for at all.
    max_wait_seconds: float = Field(120.0, ge=0)
    max_retry_after_seconds: float = Field(60.0, ge=0)
    backoff_seconds: float = Field(1.0, ge=0)
    seen_limit: int = Field(2000, ge=10)
    # Plain http is only accepted for localhost unless this is set (credentials travel in it).
    allow_http: bool = False
    # API endpoints: tests, the offline demo or a proxy point these elsewhere.
    oauth_url: str = "https://oauth.reddit.com"
    reddit_url: str = "https://www.reddit.com"

    @field_validator("subreddits", "comment_subreddits")
    @classmethod
    def _subreddit_names(cls, value: list[str]) -> list[str]:
        import re

        names: list[str] = []
        for raw in value:
            name = raw.strip().removeprefix("/").removeprefix("r/").strip("/")
            if name.lower() == "all":
                raise ValueError("use search_all = true instead of the subreddit 'all'")
            if not re.match(_SUBREDDIT_NAME, name):
                raise ValueError(f"{raw!r} is not a subreddit name (e.g. 'london' or 'r/london')")
            if name.lower() not in {n.lower() for n in names}:
                names.append(name)
        return names

    @field_validator("first_run_time_filter")
    @classmethod
    def _time_filter(cls, value: str) -> str:
        if value not in _TIME_FILTERS:
            raise ValueError(f"must be one of {', '.join(_TIME_FILTERS)}")
        return value

    @field_validator("oauth_url", "reddit_url")
    @classmethod
    def _endpoint(cls, value: str, info) -> str:  # info: pydantic ValidationInfo
        from urllib.parse import urlsplit

        value = value.strip()
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"{value!r} is not an http(s) URL")
        local = parts.hostname in ("localhost", "127.0.0.1", "::1")
        if parts.scheme == "http" and not (local or info.data.get("allow_http")):
            raise ValueError(
                "must use https (http only for localhost or with allow_http = true): "
                "the app credentials are sent to it"
            )
        # prawcore appends paths to reddit_url and urljoins them to oauth_url: no trailing "/".
        return value.rstrip("/")


class Sources(_Section):
    rss: RssSource = RssSource()
    # Other source kinds keep their own sections; unknown ones are rejected by _Section.
    reddit: RedditSource = RedditSource()
    web: WebSource = WebSource()


class Classifier(_Section):
    model_path: Path | None = None  # None: the model bundled with the package


# -- routing and responding (issue 7) ------------------------------------------------------------

_DEFAULT_RULES: dict[str, list[str]] = {
    "media_enquiry": ["head_teacher", "comms_lead"],
    "inappropriate": ["slt_on_duty"],
    # Safeguarding: anything that can be about pupils also goes to the DSL.
    "inappropriate.privacy_breach": ["slt_on_duty", "dsl"],
    "inappropriate.threat": ["slt_on_duty", "dsl"],
    "inappropriate.harassment_bullying": ["slt_on_duty", "dsl"],
    "neutral": ["social_media_lead"],
}
_DEFAULT_ROLES = ("head_teacher", "comms_lead", "slt_on_duty", "dsl", "social_media_lead")
_ENV_NAME = r"^[A-Z_][A-Z0-9_]*$"


class Person(_Section):
    """Someone who receives alerts. A chat webhook URL is a bearer secret: name the environment
    variable holding it (``webhook_env``); a literal ``webhook`` is for local receivers only."""

    name: str = Field(min_length=1)
    email: str | None = None
    webhook_env: str | None = Field(default=None, pattern=_ENV_NAME)
    webhook: str | None = None
    webhook_kind: Literal["slack", "teams"] = "slack"

    @field_validator("webhook")
    @classmethod
    def _local_webhook_only(cls, value: str | None) -> str | None:
        # A real Slack / Teams webhook URL is a bearer secret: it belongs in the environment.
        host = urlsplit(value).hostname if value else None
        if value is not None and host not in ("localhost", "127.0.0.1", "::1"):
            raise ValueError(
                "a webhook URL is a secret: put it in an environment variable and name that "
                "variable in webhook_env (a literal webhook is only for local receivers)"
            )
        return value

    @field_validator("email")
    @classmethod
    def _email(cls, value: str | None) -> str | None:
        if value is not None and ("@" not in value or any(c in value for c in " \r\n<>,")):
            raise ValueError(f"{value!r} is not an email address")
        return value


class Role(_Section):
    people: list[str] = []  # person ids; the first is the case's assignee
    deputy: str | None = None  # person id; gets the escalation when the due time passes


class Smtp(_Section):
    """Outgoing mail. Username and password come only from MENTIONS_SMTP_USERNAME / _PASSWORD."""

    host: str = "localhost"
    port: int = Field(default=587, ge=1, le=65535)
    security: Literal["starttls", "ssl", "none"] = "starttls"
    from_address: str = "school-mentions@localhost"
    timeout_seconds: float = Field(default=20.0, gt=0)


class Outbox(_Section):
    max_attempts: int = Field(default=8, ge=1, le=50)
    backoff_seconds: float = Field(default=60.0, ge=0)  # doubles after every failed attempt
    max_backoff_seconds: float = Field(default=6 * 3600.0, ge=0)
    webhook_timeout_seconds: float = Field(default=10.0, gt=0)
    # A message claimed by a run that died mid-send is tried again after this long at the
    # least; longer when its batch could take longer to send (notify.outbox.lease_seconds).
    sending_lease_seconds: float = Field(default=600.0, gt=0)


class Routing(_Section):
    """Who gets what, and by when. ``rules`` maps ``label`` or ``label.subreason`` to roles (the
    first role owns the case); ``roles`` map to ``people``."""

    rules: dict[str, list[str]] = _DEFAULT_RULES
    roles: dict[str, Role] = {r: Role() for r in _DEFAULT_ROLES}
    people: dict[str, Person] = {}
    head_role: str = "head_teacher"  # also gets every escalation
    digest_role: str = "social_media_lead"
    # Inappropriate items that mention pupils also go to this role, whatever the sub-reason.
    pupil_role: str | None = "dsl"
    pupil_words: list[str] = [
        "pupil", "pupils", "student", "students", "child", "children", "kid", "kids",
        "boy", "boys", "girl", "girls", "year 7", "year 8", "year 9", "year 10", "year 11",
    ]  # fmt: skip
    urgent_labels: list[str] = ["inappropriate", "media_enquiry"]  # alerted at the end of a run
    escalate_labels: list[str] = ["inappropriate", "media_enquiry"]
    # Working days: the 24-hour promise, and the next working day's start for weekend arrivals.
    sla_hours: float = Field(default=24.0, gt=0)
    working_day_start: time = time(8, 0)
    closure_days: list[date] = []
    bank_holidays: str | None = "ENG"  # subdivision of GB in the holidays package; None: ignore
    digest_time: time = time(0, 0)  # the first run after this local time queues the digest
    smtp: Smtp = Smtp()
    outbox: Outbox = Outbox()

    @model_validator(mode="after")
    def _consistent(self) -> Routing:
        from analysis.classify import LABELS, SUBREASONS

        for key, roles in self.rules.items():
            label, _, sub = key.partition(".")
            if label not in LABELS or (sub and sub not in SUBREASONS):
                raise ValueError(f"rules: {key!r} is not a label or label.subreason")
            if not roles:
                raise ValueError(f"rules: {key!r} names no role")
            for role in roles:
                if role not in self.roles:
                    raise ValueError(f"rules: {key!r} names the unknown role {role!r}")
        for label in {*self.urgent_labels, *self.escalate_labels}:
            if label not in LABELS:
                raise ValueError(f"{label!r} is not a label")
        for name in (self.head_role, self.digest_role, self.pupil_role):
            if name is not None and name not in self.roles:
                raise ValueError(f"the role {name!r} is not defined in routing.roles")
        for name, role in self.roles.items():
            for pid in [*role.people, *([role.deputy] if role.deputy else [])]:
                if pid not in self.people:
                    raise ValueError(
                        f"roles.{name}: unknown person {pid!r} (add routing.people.{pid})"
                    )
        return self


# -- pupils' data (issue 8) ------------------------------------------------------------------------


class Privacy(_Section):
    """Children's data: the protected pupil names and how long things are kept.

    The names file is kept out of the repository (``config/pupils.txt`` is git-ignored): one
    pupil name per line, ``#`` starts a comment. Relative paths are taken from the working
    directory, like ``database.path``.
    """

    protected_names_file: Path | None = None
    # Posts and everything hanging off them (labels, evidence, corrections, alert bodies).
    retention_days: int = Field(default=365, ge=1)
    # Items about pupils (privacy_breach, or cases flagged about_pupils): kept for less time.
    pupil_retention_days: int = Field(default=90, ge=1)

    @model_validator(mode="after")
    def _pupils_not_longer(self) -> Privacy:
        if self.pupil_retention_days > self.retention_days:
            raise ValueError("pupil_retention_days cannot be longer than retention_days")
        return self


def load_protected_names(settings: Settings) -> frozenset[str]:
    """The school's protected pupil names (empty when no file is configured).

    A file that is named but missing or unreadable is a ConfigError: running without the list
    would quietly stop redacting pupils' names.
    """
    path = settings.privacy.protected_names_file
    if path is None:
        return frozenset()
    where = str(settings.profile_path) if settings.profile_path else None
    try:
        raw = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ConfigError(
            f"the protected pupil names file {path.resolve()} does not exist (create it, one "
            "name per line, or remove the setting)",
            path=where,
            key="privacy.protected_names_file",
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(
            f"cannot read the protected pupil names file {path}: {exc}",
            path=where,
            key="privacy.protected_names_file",
        ) from None
    names = (line.split("#", 1)[0].strip() for line in raw.splitlines())
    # One letter would redact it everywhere; such a line is almost certainly a typo.
    return frozenset(" ".join(n.split()) for n in names if len(n) >= 2)


class Secrets(BaseSettings):
    """Secrets, only ever from the environment (``MENTIONS_REDDIT_CLIENT_ID`` ...)."""

    model_config = SettingsConfigDict(env_prefix="MENTIONS_", extra="ignore")

    reddit_client_id: SecretStr | None = None
    reddit_client_secret: SecretStr | None = None
    smtp_username: SecretStr | None = None
    smtp_password: SecretStr | None = None


class Settings(_Section):
    school: School
    database: Database = Database()
    http: Http = Http()
    sources: Sources = Sources()
    classifier: Classifier = Classifier()
    routing: Routing = Routing()
    privacy: Privacy = Privacy()
    secrets: Secrets = Field(default_factory=Secrets, exclude=True)
    profile_path: Path | None = Field(default=None, exclude=True)


def _describe(error: Any) -> tuple[str, str]:
    key = ".".join(str(p) for p in error["loc"])
    if error["type"] == "missing":
        return key, "is required but missing"
    if error["type"] == "extra_forbidden":
        return key, "is not a known setting (check the spelling)"
    return key, error["msg"]


def _format_errors(exc: ValidationError) -> tuple[str, str]:
    """The key to name first and one message covering every problem. A misspelt key comes
    first: it usually explains the "missing" error that goes with it."""
    errors = sorted(exc.errors(), key=lambda e: e["type"] != "extra_forbidden")
    (key, msg), *others = [_describe(e) for e in errors]
    if others:
        msg += "; also " + "; ".join(f"'{k}' {m}" for k, m in others)
    return key, msg


def settings_from_dict(data: dict[str, Any], *, path: str | None = None) -> Settings:
    for key in ("secrets", "profile_path"):
        if key in data:
            raise ConfigError(
                "secrets never go in the profile: set MENTIONS_* environment variables instead"
                if key == "secrets"
                else "is not a known setting",
                path=path,
                key=key,
            )
    try:
        settings = Settings.model_validate(data)
    except ValidationError as exc:
        key, msg = _format_errors(exc)
        raise ConfigError(msg, path=path, key=key) from None
    if env_db := os.environ.get("MENTIONS_DB_PATH"):
        settings.database.path = Path(env_db)
    return settings


def load_settings(path: str | os.PathLike[str]) -> Settings:
    """Load a school profile. Raises ConfigError (never a traceback) for any problem."""
    p = Path(path)
    try:
        data = tomllib.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError("file not found", path=str(p)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read: {exc}", path=str(p)) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"not valid TOML: {exc}", path=str(p)) from None
    settings = settings_from_dict(data, path=str(p))
    settings.profile_path = p
    return settings
