"""Pull the useful part out of an HTML page: title, main text, author, published date.

Pure functions over an HTML string (no Scrapy, no I/O), so they are tested on sample pages and
reused by the spider. The body is chosen in this order, first that yields enough text wins:

1. ``[itemprop=articleBody]`` / ``[itemprop=reviewBody]`` (schema.org microdata);
2. several posts of a thread (``<article>`` siblings, ``[itemprop=comment]``, ``.post``...)
   joined in page order, so forum replies are kept;
3. a single ``<article>``, then ``<main>`` / ``[role=main]``;
4. the block with the most paragraph text and the fewest links (a small readability-style
   score) for pages with no semantic markup.

Menus, headers, footers, sidebars, cookie banners, scripts and forms are removed first.
Author and date come from JSON-LD, then meta tags, then microdata / ``<time>`` / byline markup.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

import lxml.html
from lxml import etree

# Elements that never hold the text we want.
_DROP_TAGS = (
    "script",
    "style",
    "noscript",
    "template",
    "svg",
    "iframe",
    "form",
    "button",
    "select",
    "input",
    "textarea",
    "nav",
    "aside",
    "footer",
)
# class/id words that mark page furniture. "comment" is deliberately absent: replies matter.
_FURNITURE = re.compile(
    r"(^|[\s_-])(nav|navbar|menu|footer|sidebar|side-bar|cookie|consent|banner|advert|ads|"
    r"promo|share|sharing|social|related|breadcrumbs?|newsletter|subscribe|masthead|skip|"
    r"signup|login|pagination|pager|widget)($|[\s_-])",
    re.I,
)
_BLOCK_TAGS = {
    "p",
    "div",
    "section",
    "article",
    "main",
    "li",
    "ul",
    "ol",
    "blockquote",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "pre",
    "table",
    "tr",
    "dd",
    "dt",
    "dl",
    "header",
    "figure",
    "figcaption",
    "br",
    "hr",
    "td",
    "th",
}
_POST_SELECTORS = (
    "//*[@itemprop='comment' or @itemprop='suggestedAnswer' or @itemprop='acceptedAnswer']",
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' post ')]",
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' message ')]",
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' reply ')]",
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' review ')]",
)
_MIN_BODY_CHARS = 80
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")
_WS = re.compile(r"[ \t\r\f\v\u00a0]+")
_BY = re.compile(r"^\s*(posted\s+)?by[:\s]+", re.I)
_JSONLD_TYPES = {
    "article",
    "newsarticle",
    "blogposting",
    "reportagenewsarticle",
    "review",
    "discussionforumposting",
    "socialmediaposting",
    "webpage",
    "qapage",
    "question",
    "report",
    "opinionnewsarticle",
    "analysisnewsarticle",
    "liveblogposting",
}


@dataclass(frozen=True, slots=True)
class Extracted:
    title: str
    text: str
    author: str | None
    published: datetime | None
    method: str  # which rule chose the body: "articleBody", "posts", "article", "main" ...


def _clean(text: str) -> str:
    lines = (_WS.sub(" ", line).strip() for line in text.splitlines())
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip()


def element_text(el: Any) -> str:
    """Visible text of an element, one line per block element, whitespace collapsed."""
    parts: list[str] = []

    def walk(node: Any) -> None:
        tag = node.tag if isinstance(node.tag, str) else ""
        block = tag.lower() in _BLOCK_TAGS
        if block:
            parts.append("\n")
        if node.text and tag:
            parts.append(node.text)
        for child in node:
            walk(child)
            if child.tail:
                parts.append(child.tail)
        if block:
            parts.append("\n")

    walk(el)
    return _clean("".join(parts))


def _is_furniture(el: Any) -> bool:
    attrs = f"{el.get('class', '')} {el.get('id', '')} {el.get('role', '')}"
    if el.get("role") in ("navigation", "banner", "contentinfo", "complementary", "search"):
        return True
    if el.get("aria-hidden") == "true" or el.get("hidden") is not None:
        return True
    return bool(attrs.strip()) and bool(_FURNITURE.search(attrs))


def _strip_furniture(root: Any) -> None:
    for el in list(root.iter(*_DROP_TAGS)):
        el.drop_tree()
    # A page-level <header> is the masthead; one inside an article is the headline and byline.
    for el in list(root.iter("header")):
        if not any(a.tag in ("article", "main") for a in el.iterancestors()):
            el.drop_tree()
    body = root.find(".//body")
    total = len((body if body is not None else root).text_content() or "") or 1
    for el in list(root.iter()):
        if not isinstance(el.tag, str) or el.tag in ("html", "body"):
            continue
        if el.getparent() is None or not _is_furniture(el):
            continue
        # A layout wrapper ("layout-sidebar-right") can hold the whole page: keep anything
        # that contains the content markup or most of the text.
        if el.xpath(".//article|.//main|.//*[@itemprop='articleBody']") or (
            len(el.text_content() or "") > total / 2
        ):
            continue
        el.drop_tree()
    for el in list(root.iter(etree.Comment, etree.ProcessingInstruction)):
        el.drop_tree()


def _outermost(elements: list[Any]) -> list[Any]:
    """Drop elements nested inside another one of the list (keep page order)."""
    ids = {id(e) for e in elements}
    return [e for e in elements if not any(id(a) in ids for a in e.iterancestors())]


def _link_density(el: Any, text_len: int) -> float:
    link_chars = sum(len(a.text_content() or "") for a in el.iter("a"))
    return link_chars / max(text_len, 1)


def _density_pick(root: Any) -> Any | None:
    """The element holding the most paragraph text, discounted by the share that is links."""
    scores: dict[Any, float] = {}
    for p in root.iter("p", "pre", "blockquote", "td", "li", "div"):
        # A cell or div counts as a paragraph only when it has no block children of its own;
        # otherwise its paragraphs are counted and it collects their score as a parent.
        if p.tag in ("td", "li", "div") and any(
            isinstance(c.tag, str) and c.tag in _BLOCK_TAGS and c.tag != "br" for c in p
        ):
            continue
        text = (p.text_content() or "").strip()
        if len(text) < 25:
            continue
        score = 1 + min(len(text) / 100, 3) + text.count(",")
        parent = p.getparent()
        if parent is None:
            continue
        scores[parent] = scores.get(parent, 0) + score
        grand = parent.getparent()
        if grand is not None:
            scores[grand] = scores.get(grand, 0) + score / 2
    best, best_score = None, 0.0
    for el, score in scores.items():
        text_len = len(el.text_content() or "")
        score *= 1 - min(_link_density(el, text_len), 1)
        if score > best_score:
            best, best_score = el, score
    return best


def _choose_body(root: Any) -> tuple[str, str]:
    def ok(text: str) -> bool:
        return len(text) >= _MIN_BODY_CHARS

    for prop in ("articleBody", "reviewBody"):
        found = root.xpath(f"//*[@itemprop='{prop}']")
        if found:
            text = "\n\n".join(element_text(e) for e in _outermost(found))
            # A review page lists several reviews: keep every one.
            if ok(text):
                return text, prop
    articles = _outermost(root.xpath("//article"))
    candidates: list[tuple[str, list[Any]]] = [("posts", articles)] if len(articles) > 1 else []
    candidates += [("posts", _outermost(root.xpath(sel))) for sel in _POST_SELECTORS]
    for method, posts in candidates:
        if len(posts) > 1:
            texts = [t for t in (element_text(p) for p in posts) if t]
            text = "\n\n".join(texts)
            if ok(text):
                return text, method
    for method, xpath in (("article", "//article"), ("main", "//main|//*[@role='main']")):
        found = root.xpath(xpath)
        if found:
            text = element_text(found[0])
            if ok(text):
                return text, method
    best = _density_pick(root)
    if best is not None:
        text = element_text(best)
        if text:
            return text, "density"
    body = root.find(".//body")
    return element_text(body if body is not None else root), "body"


def _jsonld_objects(root: Any) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []

    def visit(obj: Any) -> None:
        if isinstance(obj, list):
            for o in obj:
                visit(o)
        elif isinstance(obj, dict):
            if "@graph" in obj:
                visit(obj["@graph"])
            types = obj.get("@type")
            types = types if isinstance(types, list) else [types]
            if any(str(t).lower() in _JSONLD_TYPES for t in types):
                out.append(obj)

    for script in root.xpath("//script[@type='application/ld+json']"):
        try:
            visit(json.loads(script.text or ""))
        except (ValueError, TypeError):
            continue  # broken JSON-LD is common; the other sources still apply
    return out


def _person_name(value: Any) -> str | None:
    if isinstance(value, list):
        names = [n for n in (_person_name(v) for v in value) if n]
        return ", ".join(names) if names else None
    if isinstance(value, dict):
        value = value.get("name")
    if isinstance(value, str):
        value = _BY.sub("", value).strip()
        if value and not value.startswith(("http://", "https://")) and len(value) <= 100:
            return value
    return None


def parse_date(value: str | None) -> datetime | None:
    """ISO 8601 or RFC 2822 dates; a naive time is taken as UTC. None when unparseable."""
    if not value:
        return None
    value = value.strip()
    parsed: datetime | None = None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        try:
            parsed = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            for fmt in ("%d %B %Y", "%d %b %Y", "%B %d, %Y", "%b %d, %Y", "%d/%m/%Y"):
                try:
                    parsed = datetime.strptime(value, fmt)
                    break
                except ValueError:
                    continue
    if parsed is None:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _meta(root: Any, *names: str) -> str | None:
    for name in names:
        for attr in ("property", "name", "itemprop"):
            found = root.xpath(f"//meta[@{attr}=$n]/@content", n=name)
            if found and found[0].strip():
                return found[0].strip()
    return None


def _author(root: Any, ld: list[dict[str, Any]]) -> str | None:
    for obj in ld:
        if name := _person_name(obj.get("author")):
            return name
    meta = _meta(
        root,
        "author",
        "article:author",
        "dc.creator",
        "DC.creator",
        "parsely-author",
        "sailthru.author",
    )
    if name := _person_name(meta):
        return name
    for el in root.xpath("//*[@itemprop='author']"):
        if el.tag == "meta":
            continue
        inner = el.xpath(".//*[@itemprop='name']")
        content = inner[0].get("content") or inner[0].text_content() if inner else None
        if name := _person_name(content or el.get("content") or el.text_content()):
            return name
    for xpath in (
        "//*[@rel='author']",
        "//*[contains(concat(' ', normalize-space(@class), ' '), ' author ')]",
        "//*[contains(concat(' ', normalize-space(@class), ' '), ' byline ')]",
        "//*[contains(@class, 'username')]",
    ):
        for el in root.xpath(xpath):
            if name := _person_name(el.text_content()):
                return name
    return None


def _published(root: Any, ld: list[dict[str, Any]]) -> datetime | None:
    for obj in ld:
        if when := parse_date(str(obj.get("datePublished") or obj.get("dateCreated") or "")):
            return when
    meta = _meta(
        root,
        "article:published_time",
        "og:published_time",
        "datePublished",
        "pubdate",
        "publish-date",
        "date",
        "dc.date",
        "DC.date.issued",
        "dcterms.created",
    )
    if when := parse_date(meta):
        return when
    for el in root.xpath("//*[@itemprop='datePublished' or @itemprop='dateCreated']"):
        if when := parse_date(el.get("content") or el.get("datetime") or el.text_content()):
            return when
    for el in root.xpath("//time"):
        if when := parse_date(el.get("datetime") or el.text_content()):
            return when
    # Old templates: a visible date in an element classed "date" / "published".
    for el in root.xpath("//*[contains(@class, 'date') or contains(@class, 'published')]"):
        if when := parse_date(_clean(el.text_content())):
            return when
    return None


def _title(root: Any, ld: list[dict[str, Any]]) -> str:
    h1 = root.xpath("//article//h1|//main//h1")
    if h1 and (text := _clean(h1[0].text_content())):
        return text
    for obj in ld:
        if isinstance(obj.get("headline"), str) and obj["headline"].strip():
            return obj["headline"].strip()
    if og := _meta(root, "og:title"):
        return og
    h1 = root.xpath("//h1")
    if h1 and (text := _clean(h1[0].text_content())):
        return text
    title = root.findtext(".//title")
    return _clean(title or "")


def extract(html: str) -> Extracted:
    """Extract from decoded HTML. Never raises on odd markup: empty fields instead."""
    if not html or not html.strip():
        return Extracted("", "", None, None, "empty")
    try:
        # lxml refuses a str that still carries an XML encoding declaration (XHTML pages).
        root = lxml.html.document_fromstring(_XML_DECL.sub("", html, count=1))
    except (etree.ParserError, ValueError):
        return Extracted("", "", None, None, "unparseable")
    ld = _jsonld_objects(root)
    author = _author(root, ld)
    published = _published(root, ld)
    title = _title(root, ld)
    _strip_furniture(root)
    text, method = _choose_body(root)
    return Extracted(title=title, text=text, author=author, published=published, method=method)
