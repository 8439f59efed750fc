"""Canonical URLs: unwrap redirect links and drop tracking parameters.

Google News and Google Alerts hand out wrapped links and fresh GUIDs for the same story, so the
canonical URL, not the GUID, is what identifies a feed item.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, unquote, urlencode, urlsplit, urlunsplit

# Query parameters that carry the real target of a redirect link, per host.
_REDIRECT_PARAMS = {
    "www.google.com": ("url", "q"),
    "google.com": ("url", "q"),
    "www.bing.com": ("url",),
    "bing.com": ("url",),
    "l.facebook.com": ("u",),
    "out.reddit.com": ("url",),
}
_TRACKING_PREFIXES = ("utm_", "mc_", "pk_", "hsa_")
_TRACKING_PARAMS = {
    "fbclid",
    "gclid",
    "dclid",
    "msclkid",
    "igshid",
    "ocid",
    "cmpid",
    "cvid",
    "ei",
    "ved",
    "usg",
    "sa",
    "source",
    "ref",
    "ref_src",
    "at_medium",
    "at_campaign",
    "smid",
    "spm",
    "_ga",
}


def _unwrap(url: str, depth: int = 0) -> str:
    parts = urlsplit(url)
    host = parts.hostname or ""
    names = _REDIRECT_PARAMS.get(host)
    if (
        names
        and depth < 3
        and parts.path in ("/url", "/link", "/news/apiclick.aspx", "/l.php", "/")
    ):
        params = dict(parse_qsl(parts.query))
        for name in names:
            target = params.get(name, "")
            if target.startswith(("http://", "https://")):
                return _unwrap(unquote(target) if "%3A" in target else target, depth + 1)
    return url


def canonical_url(url: str) -> str:
    """Canonical form: unwrapped, lower-case scheme and host, no fragment, no tracking params,
    no default port, sorted query. Anything that is not an http(s) URL gives "": links end up
    as clickable hrefs in alerts and reports, so a ``javascript:`` or ``data:`` link from a
    feed must never survive."""
    url = (url or "").strip()
    if not url.lower().startswith(("http://", "https://")):
        return ""
    url = _unwrap(url)
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if ":" in host:  # an IPv6 literal keeps its brackets
        host = f"[{host}]"
    port = parts.port
    netloc = (
        host
        if port is None or (scheme, port) in (("http", 80), ("https", 443))
        else f"{host}:{port}"
    )
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if k.lower() not in _TRACKING_PARAMS and not k.lower().startswith(_TRACKING_PREFIXES)
    ]
    path = parts.path or "/"
    return urlunsplit((scheme, netloc, path, urlencode(sorted(query)), ""))
