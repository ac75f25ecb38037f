"""URL canonicalisation and crawler-trap detection.

One page should have one URL in the warehouse (the primary key of `web_pages`), so links are
normalised before they are queued: lower-case scheme and host, no default port, no fragment, dot
segments resolved, tracking and session parameters dropped, remaining query parameters sorted.
"""

from __future__ import annotations

import posixpath
import re
from urllib.parse import (
    parse_qsl,
    quote,
    quote_plus,
    unquote,
    unquote_plus,
    urljoin,
    urlsplit,
    urlunsplit,
)

# Query parameters that identify a visitor or a campaign, never the content.
DROP_PARAMS = re.compile(
    r"^(utm_\w+|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|yclid|_hs\w+|ref_src|"
    r"sid|sessionid|session_id|phpsessid|jsessionid|aspsessionid\w*|cfid|cftoken)$",
    re.IGNORECASE,
)
PATH_SESSION = re.compile(r";(jsessionid|phpsessid|sid|sessionid)=[^/?#]*", re.IGNORECASE)
MAX_URL_LENGTH = 512
MAX_PAGE_NUMBER = 50
MAX_OFFSET = MAX_PAGE_NUMBER * 50  # `start=` counts items (phpBB posts), not pages
MAX_REPEATED_SEGMENTS = 2
CALENDAR_PARAMS = re.compile(r"^(date|day|month|year|week|cal|calendar|ical)$", re.I)
CALENDAR_PATH = re.compile(r"/(calendar|calendrier|agenda|events?)/(\d{4})(/\d{1,2}){0,2}/?$", re.I)
PAGE_PARAMS = re.compile(r"^(page|p|pg|paged)$", re.IGNORECASE)
OFFSET_PARAMS = re.compile(r"^(offset|start)$", re.IGNORECASE)
PAGE_PATH = re.compile(r"/page/(\d+)/?$")
SKIP_EXTENSIONS = re.compile(
    r"\.(jpe?g|png|gif|webp|svg|ico|css|js|pdf|zip|gz|tar|mp[34]|avi|mov|woff2?|ttf|exe|dmg)$", re.I
)


def canonical_url(url: str, base: str | None = None) -> str | None:
    """The canonical form of `url` (resolved against `base`), or None if it is not http(s)."""
    try:
        absolute = urljoin(base, url.strip()) if base else url.strip()
        parts = urlsplit(absolute)
        scheme = parts.scheme.lower()
        if scheme not in ("http", "https") or not parts.hostname:
            return None
        host = parts.hostname.rstrip(".").lower()
        if ":" in host:
            host = f"[{host}]"
        port = parts.port
    except ValueError:
        return None
    if port and not ((scheme == "http" and port == 80) or (scheme == "https" and port == 443)):
        host = f"{host}:{port}"
    path = PATH_SESSION.sub("", parts.path) or "/"
    trailing = path.endswith("/")
    path = posixpath.normpath(path)
    if path.startswith("//"):
        path = "/" + path.lstrip("/")
    if trailing and path != "/":
        path += "/"
    path = quote(unquote(path), safe="/:@!$&'()*+,;=-._~%")
    return urlunsplit((scheme, host, path, _query(parts.query), ""))


def _query(raw: str) -> str:
    """Sorted parameters without tracking or session ones. A key without `=` stays without it and
    `/` stays literal: forum engines read `?18236-title/page2` as written."""
    pairs = []
    for piece in raw.split("&"):
        key, equals, value = piece.partition("=")
        key, value = unquote_plus(key), unquote_plus(value)
        if key and not DROP_PARAMS.match(key):
            pairs.append((key, value, equals))
    return "&".join(
        quote_plus(key, safe="/") + equals + quote_plus(value, safe="/")
        for key, value, equals in sorted(pairs)
    )


def site_key(url: str) -> str:
    """The host a page belongs to, with a leading `www.` ignored (same site)."""
    host = (urlsplit(url).netloc or "").lower()
    return host[4:] if host.startswith("www.") else host


def trap_reason(url: str) -> str | None:
    """Why `url` looks like a crawler trap (endless calendars, pagination, loops), or None."""
    if len(url) > MAX_URL_LENGTH:
        return "url too long"
    parts = urlsplit(url)
    if SKIP_EXTENSIONS.search(parts.path):
        return "not a page"
    segments = [s for s in parts.path.split("/") if s]
    if segments and max(segments.count(s) for s in segments) > MAX_REPEATED_SEGMENTS:
        return "repeated path segments"
    if CALENDAR_PATH.search(parts.path):
        return "calendar"
    for key, value in parse_qsl(parts.query, keep_blank_values=True):
        if CALENDAR_PARAMS.match(key):
            return "calendar"
        if PAGE_PARAMS.match(key) and (not value.isdigit() or int(value) > MAX_PAGE_NUMBER):
            return "endless pagination"
        if OFFSET_PARAMS.match(key) and (not value.isdigit() or int(value) > MAX_OFFSET):
            return "endless pagination"
    page = PAGE_PATH.search(parts.path)
    if page and int(page.group(1)) > MAX_PAGE_NUMBER:
        return "endless pagination"
    return None
