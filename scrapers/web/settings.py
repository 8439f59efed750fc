"""Scrapy settings for the school-mentions web crawl (``SCRAPY_SETTINGS_MODULE``).

Polite and safe defaults for crawling other people's sites: robots.txt obeyed, AutoThrottle on,
at most one request at a time per site, an identifying User-Agent, a response size cap, short
timeouts and few retries. The per-site values (depth, time limit, caps, delay, cache) come from
the school profile and are passed by ``scrapers.web.source`` as ``-s NAME=value`` overrides.

Scrapy 2.19 starts a telnet console and a remote-control HTTP server (which runs Python code sent
to it) by default; neither has any use in an unattended nightly crawl, so both are off.
"""

BOT_NAME = "school-mentions"
SPIDER_MODULES = ["scrapers.web.spiders"]
NEWSPIDER_MODULE = "scrapers.web.spiders"

USER_AGENT = "school-mentions/0.1 (+https://github.com/school-mentions)"
ROBOTSTXT_OBEY = True
ROBOTSTXT_USER_AGENT = "school-mentions"

# Off: nobody attaches a console to a nightly job, and an open port is an attack surface.
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False

CONCURRENT_REQUESTS = 8
CONCURRENT_REQUESTS_PER_DOMAIN = 1
DOWNLOAD_DELAY = 2.0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 2.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0

DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 3_000_000
DOWNLOAD_WARNSIZE = 1_000_000
RETRY_TIMES = 2
# Scrapy's default list without CannotResolveHostError: a host name that does not resolve (no
# network, a wrong name) will not resolve a moment later either, and every retry waits out the
# download delay again (a run with no network spent over a minute per site retrying).
RETRY_EXCEPTIONS = [
    "scrapy.exceptions.DownloadConnectionRefusedError",
    "scrapy.exceptions.DownloadFailedError",
    "scrapy.exceptions.DownloadTimeoutError",
    "scrapy.exceptions.ResponseDataLossError",
    "twisted.internet.error.ConnectionDone",
    "twisted.internet.error.ConnectError",
    "twisted.internet.error.ConnectionLost",
    OSError,  # raised by HttpCompressionMiddleware for an empty compressed body
    "scrapy.core.downloader.handlers.http11.TunnelError",
]
# Scrapy waits up to 60 s for a DNS answer by default; a resolver that has not answered in 10 s
# is not going to.
DNS_TIMEOUT = 10
REDIRECT_MAX_TIMES = 5
METAREFRESH_MAXDELAY = 10
DEPTH_LIMIT = 2
DEPTH_PRIORITY = 1  # breadth first: the pages nearest the start URLs matter most
SCHEDULER_DISK_QUEUE = "scrapy.squeues.PickleFifoDiskQueue"
SCHEDULER_MEMORY_QUEUE = "scrapy.squeues.FifoMemoryQueue"
COOKIES_ENABLED = False

# Development only: replay pages from disk instead of hitting the sites again.
HTTPCACHE_ENABLED = False
HTTPCACHE_DIR = "data/web-cache"
HTTPCACHE_EXPIRATION_SECS = 24 * 3600
HTTPCACHE_IGNORE_HTTP_CODES = [429, 500, 502, 503, 504]

# After RobotsTxtMiddleware (100): the robots.txt request is a host's first lookup, and when it
# fails the page requests waiting on it fail at once instead of each trying the lookup again.
DOWNLOADER_MIDDLEWARES = {"scrapers.web.middlewares.UnresolvableHostMiddleware": 120}

ITEM_PIPELINES = {
    "scrapers.web.pipelines.CleanItemPipeline": 100,
    "scrapers.web.pipelines.JsonLinesPipeline": 900,
}

# INFO, not DEBUG: DEBUG logs every scraped item including its raw HTML.
LOG_LEVEL = "INFO"
FEED_EXPORT_ENCODING = "utf-8"
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
