"""A fetcher that is safe to point at URLs found on other people's pages.

Why not plain `requests`: a crawler follows links it does not control, so every hop must be checked
before any connection is opened. This module:

- accepts only http/https;
- resolves the host itself and refuses private, loopback, link-local, metadata and other non-global
  addresses unless the host name is listed in `Crawler.allow_hosts`; it then connects to the very
  address it checked (no second DNS lookup an attacker could rebind);
- follows at most `MAX_REDIRECTS` redirects by hand, re-checking each hop;
- applies connect/read timeouts and a wall-clock deadline per response (slow endless bodies);
- caps the body at `max_bytes`, counted after decompression (gzip bombs);
- sends conditional GET headers (ETag / Last-Modified) and reports 304s;
- decodes bodies to NFC text (`decode_body`), repairing wrong charset declarations.
"""

from __future__ import annotations

import codecs
import ipaddress
import logging
import re
import socket
import time
import unicodedata
import zlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

import urllib3

if TYPE_CHECKING:
    from core.config import Crawler

log = logging.getLogger(__name__)

MAX_REDIRECTS = 5
CHUNK = 64 * 1024
ALLOWED_SCHEMES = ("http", "https")
REDIRECT_CODES = (301, 302, 303, 307, 308)


class FetchError(Exception):
    """A URL that could not be fetched; `reason` is short and stable (goes to quarantine)."""

    reason = "fetch failed"

    def __init__(self, url: str, detail: str = "") -> None:
        super().__init__(f"{self.reason}: {url}" + (f" ({detail})" if detail else ""))
        self.url = url
        self.detail = detail


class ForbiddenURL(FetchError):
    """Refused before any connection: bad scheme or non-public address (a policy, not an error)."""

    reason = "forbidden address"


class TooManyRedirects(FetchError):
    reason = "too many redirects"


class BodyTooLarge(FetchError):
    reason = "body exceeds max_bytes"


class FetchTimeout(FetchError):
    reason = "timeout"


class UndecodableBody(FetchError):
    reason = "undecodable body"


@dataclass(frozen=True)
class Response:
    """The final answer after redirects. `body` is decompressed; empty for a 304."""

    url: str
    status: int
    headers: dict[str, str]
    body: bytes
    redirects: list[str] = field(default_factory=list)

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def etag(self) -> str | None:
        return self.headers.get("etag")

    @property
    def last_modified(self) -> str | None:
        return self.headers.get("last-modified")

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()

    def text(self) -> str:
        return decode_body(self.body, self.headers.get("content-type", ""), self.url)


def user_agent(settings: Crawler) -> str:
    """An identifying User-Agent: name/version plus where to learn about the bot."""
    return f"{settings.user_agent} (+{settings.contact_url})"


def _is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%")[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def resolve_checked(url: str, allow_hosts: list[str]) -> tuple[str, int, str]:
    """(address to connect to, port, host) for `url`, or ForbiddenURL before any connection."""
    parts = urlsplit(url)
    if parts.scheme not in ALLOWED_SCHEMES:
        raise ForbiddenURL(url, f"scheme {parts.scheme or '(none)'!r} is not http/https")
    host = (parts.hostname or "").rstrip(".").lower()
    if not host:
        raise ForbiddenURL(url, "no host")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as error:
        raise ForbiddenURL(url, str(error)) from None
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise FetchError(url, f"cannot resolve {host}: {error}") from None
    addresses = [str(info[4][0]) for info in infos]
    allowed = {h.lower() for h in allow_hosts}
    if host not in allowed:
        bad = [a for a in addresses if not _is_public(a)]
        if bad:
            raise ForbiddenURL(url, f"{host} resolves to non-public address {bad[0]}")
    return addresses[0], port, host


class _Inflater:
    """Decompresses gzip/deflate incrementally, never producing more than the remaining budget."""

    def __init__(self, encoding: str) -> None:
        self.encoding = encoding
        self._z: zlib._Decompress | None
        if encoding in ("gzip", "x-gzip"):
            self._z = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif encoding == "deflate":
            self._z = zlib.decompressobj(zlib.MAX_WBITS)
        else:
            self._z = None

    def feed(self, data: bytes, budget: int) -> bytes:
        """Up to `budget + 1` bytes of output (one more than allowed signals the overflow)."""
        if self._z is None:
            return data[: budget + 1]
        try:
            out = self._z.decompress(data, budget + 1)
            if self._z.unconsumed_tail and len(out) <= budget:
                out += self._z.decompress(self._z.unconsumed_tail, budget + 1 - len(out))
            return out
        except zlib.error as error:
            raise UndecodableBody("", f"bad {self.encoding} stream: {error}") from None


class SafeFetcher:
    """GETs URLs under the crawler settings; one instance per crawl (keeps connection pools)."""

    def __init__(self, settings: Crawler) -> None:
        self.settings = settings
        self.headers = {
            "User-Agent": user_agent(settings),
            "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
            "Accept-Encoding": "gzip, deflate",
        }
        self._pools: dict[tuple[str, str, int, str], urllib3.HTTPConnectionPool] = {}

    def _pool(self, scheme: str, address: str, port: int, host: str) -> urllib3.HTTPConnectionPool:
        key = (scheme, address, port, host)
        if key not in self._pools:
            timeout = urllib3.Timeout(
                connect=self.settings.connect_timeout_s, read=self.settings.read_timeout_s
            )
            if scheme == "https":
                self._pools[key] = urllib3.HTTPSConnectionPool(
                    address,
                    port,
                    timeout=timeout,
                    retries=False,
                    maxsize=1,
                    server_hostname=host,
                    assert_hostname=host,
                )
            else:
                self._pools[key] = urllib3.HTTPConnectionPool(
                    address, port, timeout=timeout, retries=False, maxsize=1
                )
        return self._pools[key]

    def get(self, url: str, etag: str | None = None, last_modified: str | None = None) -> Response:
        """Fetch `url`, following safe redirects; conditional when etag/last_modified are given."""
        hops: list[str] = []
        current = url
        while True:
            response = self._get_once(current, etag, last_modified, hops)
            if response.status not in REDIRECT_CODES:
                return response
            location = response.headers.get("location")
            if not location:
                return response
            if len(hops) >= MAX_REDIRECTS:
                raise TooManyRedirects(url, " -> ".join([*hops, current]))
            hops.append(current)
            current = urljoin(current, location.strip())
            if current in hops:
                raise TooManyRedirects(url, f"redirect loop at {current}")

    def _get_once(
        self, url: str, etag: str | None, last_modified: str | None, hops: list[str]
    ) -> Response:
        address, port, host = resolve_checked(url, self.settings.allow_hosts)
        parts = urlsplit(url)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        default_port = 443 if parts.scheme == "https" else 80
        headers = dict(self.headers)
        headers["Host"] = host if port == default_port else f"{host}:{port}"
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        deadline = time.monotonic() + self.settings.total_timeout_s
        try:
            raw = self._pool(parts.scheme, address, port, host).urlopen(
                "GET",
                target,
                headers=headers,
                redirect=False,
                retries=False,
                preload_content=False,
                decode_content=False,
            )
        except urllib3.exceptions.TimeoutError as error:
            raise FetchTimeout(url, str(error)) from None
        except urllib3.exceptions.HTTPError as error:
            raise FetchError(url, str(error)) from None
        complete = False
        try:
            response_headers = {k.lower(): v for k, v in raw.headers.items()}
            body = b""
            if raw.status not in REDIRECT_CODES and raw.status != 304:
                body = self._read_capped(raw, url, response_headers, deadline)
                complete = True
            return Response(url, raw.status, response_headers, body, list(hops))
        finally:
            # A body we did not read to the end (redirect, cap) must not be drained: close it.
            raw.release_conn() if complete else raw.close()

    def _read_capped(
        self,
        raw: urllib3.BaseHTTPResponse,
        url: str,
        headers: dict[str, str],
        deadline: float,
    ) -> bytes:
        limit = self.settings.max_bytes
        inflater = _Inflater(headers.get("content-encoding", "identity").strip().lower())
        declared = headers.get("content-length", "")
        if inflater._z is None and declared.isdigit() and int(declared) > limit:
            raw.close()
            raise BodyTooLarge(url, f"Content-Length {declared} > {limit}")
        parts: list[bytes] = []
        size = 0
        try:
            while True:
                if time.monotonic() > deadline:
                    raw.close()
                    raise FetchTimeout(
                        url, f"body not complete after {self.settings.total_timeout_s}s"
                    )
                chunk = raw.read1(CHUNK, decode_content=False)
                if not chunk:
                    break
                try:
                    out = inflater.feed(chunk, limit - size)
                except UndecodableBody as error:
                    raise UndecodableBody(url, error.detail) from None
                size += len(out)
                if size > limit:
                    raw.close()
                    raise BodyTooLarge(url, f"more than {limit} bytes (after decompression)")
                parts.append(out)
        except urllib3.exceptions.TimeoutError as error:
            raise FetchTimeout(url, str(error)) from None
        except urllib3.exceptions.HTTPError as error:
            raise FetchError(url, str(error)) from None
        return b"".join(parts)


_META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_\-:.]+)""", re.IGNORECASE
)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]+encoding\s*=\s*["']([a-zA-Z0-9_\-.]+)""")
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _codec(name: str | None) -> str | None:
    if not name:
        return None
    try:
        found = codecs.lookup(name.strip().strip("\"'")).name
    except LookupError:
        return None
    # WHATWG: a page labelled latin-1 is decoded as windows-1252 by every browser.
    return "cp1252" if found in ("latin-1", "iso8859-1", "ascii") else found


def declared_charsets(body: bytes, content_type: str = "") -> list[str]:
    """Charsets the HTTP header, the XML declaration and the <meta> tag claim, in that order."""
    found = []
    match = re.search(r"charset\s*=\s*[\"']?([^\s;\"']+)", content_type, re.IGNORECASE)
    if match:
        found.append(match.group(1))
    head = body[:4096]
    for pattern in (_XML_ENCODING, _META_CHARSET):
        hit = pattern.search(head)
        if hit:
            found.append(hit.group(1).decode("ascii", "ignore"))
    return [c for c in (_codec(name) for name in found) if c]


def decode_body(body: bytes, content_type: str = "", url: str = "") -> str:
    """Bytes to NFC text, trusting in turn a BOM, valid UTF-8, the declared charsets, detection.

    Valid multi-byte UTF-8 is almost never an accident, so it wins over a (frequently wrong)
    declared single-byte charset; mostly-ASCII bytes that are not UTF-8 are windows-1252 (the
    usual mislabelled Western page); anything else goes to charset detection, and a body nothing
    decodes is refused, as are NUL bytes (no text page contains them).
    """
    for bom, name in _BOMS:
        if body.startswith(bom):
            try:
                return _clean(body[len(bom) :].decode(name), url)
            except UnicodeDecodeError as error:
                raise UndecodableBody(url, f"invalid {name} after BOM: {error}") from None
    if b"\x00" in body:
        raise UndecodableBody(url, "NUL bytes in body")
    try:
        return _clean(body.decode("utf-8"), url)
    except UnicodeDecodeError:
        pass
    for name in declared_charsets(body, content_type):
        if name in ("utf-8", "utf-16", "utf-32"):
            continue
        try:
            return _clean(body.decode(name), url)
        except UnicodeDecodeError:
            continue
    high = sum(1 for byte in body[:200_000] if byte >= 0x80)
    if high < 0.3 * min(len(body), 200_000):
        # Mostly ASCII with a few accented letters: a Western page mislabelled as UTF-8.
        try:
            return _clean(body.decode("cp1252"), url)
        except UnicodeDecodeError:
            pass
    from charset_normalizer import from_bytes

    best = from_bytes(body[:200_000]).best()
    if best is None or best.encoding is None:
        raise UndecodableBody(url, "no charset decodes this body")
    try:
        return _clean(body.decode(best.encoding), url)
    except UnicodeDecodeError as error:
        raise UndecodableBody(url, f"detected {best.encoding} fails: {error}") from None


_CONTROL = re.compile(r"[\x01-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _clean(text: str, url: str) -> str:
    if "\x00" in text:
        raise UndecodableBody(url, "NUL characters in text")
    return unicodedata.normalize("NFC", _CONTROL.sub("", text))
