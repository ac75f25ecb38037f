"""A fetcher that is safe to point at URLs found on other people's pages.

Why not plain `requests`: a crawler follows links it does not control, so every hop must be checked
before any connection is opened. This module:

- accepts only http/https, without credentials, on ports 80/443 (or `Crawler.allow_ports`);
- refuses ambiguous hosts before any lookup (numeric IPv4 spellings, zone ids, percent escapes,
  internal names such as `localhost` or `*.internal`), IDNA-encodes the rest;
- resolves the host itself and refuses it when any address is not public (`is_public`: private,
  loopback, link-local/metadata, CGNAT, documentation, multicast, reserved, and IPv4 hidden in
  IPv6: mapped, compatible, NAT64, 6to4, Teredo) unless the host is in `Crawler.allow_hosts`
  (which lifts the port rule too); it then connects to the very address it checked (no second
  DNS lookup an attacker could rebind);
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
from collections.abc import Callable
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


def _networks(*cidrs: str) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(cidr) for cidr in cidrs)


# Non-public IPv4: this network, private, CGNAT, loopback, link-local (metadata), IETF protocol
# assignments, documentation, 6to4 relay, benchmarking, multicast, reserved and broadcast.
_BLOCKED_V4 = _networks(
    "0.0.0.0/8",
    "10.0.0.0/8",
    "100.64.0.0/10",
    "127.0.0.0/8",
    "169.254.0.0/16",
    "172.16.0.0/12",
    "192.0.0.0/24",
    "192.0.2.0/24",
    "192.88.99.0/24",
    "192.168.0.0/16",
    "198.18.0.0/15",
    "198.51.100.0/24",
    "203.0.113.0/24",
    "224.0.0.0/4",
    "240.0.0.0/4",
)
# IPv6 is public only inside 2000::/3 (global unicast), minus these: IETF protocol assignments
# (Teredo 2001::/32 hides an obfuscated IPv4, benchmarking, ORCHID), documentation.
_GLOBAL_V6 = ipaddress.ip_network("2000::/3")
_BLOCKED_V6 = _networks("2001::/23", "2001:db8::/32", "3fff::/20")
# Prefixes that embed an IPv4 address in their last 32 bits: judged by that IPv4.
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_SIXTOFOUR = ipaddress.ip_network("2002::/16")


def embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv4-mapped, NAT64 (64:ff9b::/96) or 6to4 address carries, if any."""
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip in _NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return ip.sixtofour


def is_public(address: str) -> bool:
    """Whether a crawler may connect to `address` (an IP literal, no zone id).

    An explicit list rather than `ipaddress.is_global`, which (before Python 3.13) calls NAT64,
    6to4 and IPv4-compatible addresses global although they reach any IPv4 host, loopback included.
    IPv4-compatible (::/96, which holds :: and ::1), local-use NAT64 (64:ff9b:1::/48), ULA, link-
    and site-local, multicast and every other prefix outside 2000::/3 are refused.
    """
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.scope_id is not None:
            return False
        inner = embedded_ipv4(ip)
        if inner is not None:
            ip = inner
        else:
            return ip in _GLOBAL_V6 and not any(ip in net for net in _BLOCKED_V6)
    return not any(ip in net for net in _BLOCKED_V4) and ip.is_global


ALLOWED_PORTS = (80, 443)
MAX_HOST_LENGTH = 253
_LABEL = re.compile(r"(?!-)[a-z0-9_-]{1,63}(?<!-)")
_NETLOC = re.compile(r"(\[[0-9a-fA-F:.]+\]|[^\[\]:]+)(:[0-9]*)?")
_NUMBER = re.compile(r"(0x[0-9a-f]*|[0-9]+)")
# Special-use and internal names (RFC 6761, 6762, 8375; `.internal`, e.g. the GCP metadata host):
# refused by name, before any lookup.
_INTERNAL_SUFFIXES = ("localhost", "localdomain", "local", "internal", "home.arpa", "invalid")

Resolver = Callable[[str, int], list[str]]


def _getaddrinfo(host: str, port: int) -> list[str]:
    return [str(info[4][0]) for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)]


def normalise_host(url: str, raw: str) -> str:
    """The host as an ASCII name or IP literal, or ForbiddenURL for anything ambiguous.

    IDNA-encodes Unicode names (so `ⓛocalhost` is `localhost`), and refuses zone ids, characters
    no host name has (percent escapes, backslashes, spaces), over-long names and the numeric IPv4
    spellings resolvers accept but that are not a dotted quad (`2130706433`, `0x7f.1`, `0177.1`).
    """
    if ":" in raw:
        try:
            ip = ipaddress.IPv6Address(raw)
        except ValueError:
            raise ForbiddenURL(url, f"invalid IPv6 literal {raw!r}") from None
        if ip.scope_id is not None:
            raise ForbiddenURL(url, "IPv6 zone id")
        return str(ip)
    host = raw.rstrip(".")
    if not host.isascii():
        try:
            host = host.encode("idna").decode("ascii").rstrip(".").lower()
        except UnicodeError:
            raise ForbiddenURL(url, f"invalid international host name {raw!r}") from None
    labels = host.split(".")
    if len(host) > MAX_HOST_LENGTH or not all(_LABEL.fullmatch(label) for label in labels):
        raise ForbiddenURL(url, f"invalid host name {raw[:80]!r}")
    if _NUMBER.fullmatch(labels[-1]):  # WHATWG: a host ending in a number is an IPv4 address
        try:
            return str(ipaddress.IPv4Address(host))
        except ValueError:
            raise ForbiddenURL(url, f"non-canonical IPv4 address {host!r}") from None
    return host


def _allowed_hosts(allow_hosts: list[str]) -> set[str]:
    found = set()
    for entry in allow_hosts:
        name = entry.strip().strip("[]").lower()
        try:
            found.add(normalise_host(entry, name))
        except ForbiddenURL:
            found.add(name)
    return found


def resolve_checked(
    url: str,
    allow_hosts: list[str],
    allow_ports: list[int] | None = None,
    resolver: Resolver = _getaddrinfo,
) -> tuple[str, int, str]:
    """(address to connect to, port, host) for `url`, or ForbiddenURL before any connection.

    A host in `allow_hosts` skips the name, port and address rules; the others need port 80, 443
    or one in `allow_ports`, and every address the host resolves to must be public.
    """
    try:
        parts = urlsplit(url)
        raw_host = parts.hostname or ""
        port = parts.port
    except ValueError as error:
        raise ForbiddenURL(url, str(error)) from None
    if parts.scheme not in ALLOWED_SCHEMES:
        raise ForbiddenURL(url, f"scheme {parts.scheme or '(none)'!r} is not http/https")
    if "@" in parts.netloc:
        raise ForbiddenURL(url, "credentials in the URL")
    if not _NETLOC.fullmatch(parts.netloc):
        raise ForbiddenURL(url, f"malformed authority {parts.netloc[:80]!r}")
    if not raw_host:
        raise ForbiddenURL(url, "no host")
    host = normalise_host(url, raw_host)
    if port is None:
        port = 443 if parts.scheme == "https" else 80
    if not 0 < port < 65536:
        raise ForbiddenURL(url, f"port {port} out of range")
    allowed = host in _allowed_hosts(allow_hosts)
    if not allowed:
        if host in _INTERNAL_SUFFIXES or host.endswith(tuple(f".{s}" for s in _INTERNAL_SUFFIXES)):
            raise ForbiddenURL(url, f"{host} is an internal name")
        if port not in ALLOWED_PORTS and port not in (allow_ports or ()):
            raise ForbiddenURL(url, f"port {port} is not 80/443 nor in crawler.allow_ports")
    try:
        addresses = resolver(host, port)
    except (OSError, UnicodeError) as error:
        raise FetchError(url, f"cannot resolve {host}: {error}") from None
    if not addresses:
        raise FetchError(url, f"cannot resolve {host}: no address")
    if not allowed:
        bad = [a for a in addresses if not is_public(a)]
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

    def __init__(self, settings: Crawler, resolver: Resolver = _getaddrinfo) -> None:
        self.settings = settings
        self.resolver = resolver
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

    def get(
        self,
        url: str,
        etag: str | None = None,
        last_modified: str | None = None,
        before_redirect: Callable[[str], None] | None = None,
    ) -> Response:
        """Fetch `url`, following safe redirects; conditional when etag/last_modified are given.

        Each hop passes the address and port rules before any connection; `before_redirect` is
        then called with every redirect target and may raise (the crawler checks robots.txt and
        waits its turn for the hop's host there).
        """
        hops: list[str] = []
        current = url
        while True:
            resolved = resolve_checked(
                current, self.settings.allow_hosts, self.settings.allow_ports, self.resolver
            )
            if hops and before_redirect is not None:
                before_redirect(current)
            response = self._get_once(current, resolved, etag, last_modified, hops)
            if response.status not in REDIRECT_CODES:
                return response
            location = response.headers.get("location")
            if not location:
                return response
            if len(hops) >= MAX_REDIRECTS:
                raise TooManyRedirects(url, " -> ".join([*hops, current]))
            hops.append(current)
            try:
                current = urljoin(current, location.strip())
            except ValueError as error:
                raise ForbiddenURL(url, f"bad redirect {location[:200]!r}: {error}") from None
            if current in hops:
                raise TooManyRedirects(url, f"redirect loop at {current}")

    def _get_once(
        self,
        url: str,
        resolved: tuple[str, int, str],
        etag: str | None,
        last_modified: str | None,
        hops: list[str],
    ) -> Response:
        address, port, host = resolved
        parts = urlsplit(url)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        default_port = 443 if parts.scheme == "https" else 80
        name = f"[{host}]" if ":" in host else host
        headers = dict(self.headers)
        headers["Host"] = name if port == default_port else f"{name}:{port}"
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
