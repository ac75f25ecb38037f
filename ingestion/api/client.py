"""HTTP for the API sources: bounded retries, rate limits, size caps, errors that say what to fix.

Built on dlt's retrying `Client` (429/5xx and dropped connections retried with exponential backoff,
`Retry-After` honoured up to a cap). On top of it: rate-limit headers (`X-RateLimit-*`,
`RateLimit-*`) make the client pause before the next call, bodies are read with a byte cap, and a
4xx other than 429 fails fast with `TerminalHttpError`. Headers are never logged (tokens live
there).

Shared by every API source (hackernews, mastodon, bluesky, reddit, feeds).
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from dlt.sources.helpers.requests import Client
from requests.exceptions import RequestException

from core.config import ApiSource, EcouteConfig

log = logging.getLogger(__name__)

_RETRY_STATUS = (429, 500, 502, 503, 504)


class TerminalHttpError(RuntimeError):
    """A request that retrying cannot fix (bad credentials, bad request, gone): stop the source."""


class TransientHttpError(RuntimeError):
    """The server kept failing after every retry; the next run can try again."""


class BodyTooLarge(ValueError):
    """The response was larger than `max_response_bytes`; `head` holds its first bytes."""

    def __init__(self, url: str, limit: int, head: bytes) -> None:
        super().__init__(f"response from {redact(url)} exceeds {limit} bytes")
        self.head = head


class BadPayload(ValueError):
    """A response body that is not what the API documents (not UTF-8, not JSON, wrong shape)."""

    def __init__(self, reason: str, payload: Any) -> None:
        super().__init__(reason)
        self.reason = reason
        self.payload = payload


@dataclass(frozen=True)
class HttpSettings:
    user_agent: str
    timeout_s: float = 30.0
    max_attempts: int = 5
    backoff_s: float = 1.0
    max_retry_delay_s: float = 60.0
    max_bytes: int = 5_000_000

    @classmethod
    def from_config(cls, config: EcouteConfig, section: ApiSource) -> HttpSettings:
        crawler = config.crawler
        return cls(
            user_agent=f"{crawler.user_agent} (+{crawler.contact_url})",
            timeout_s=section.timeout_s,
            max_attempts=section.request_max_attempts,
            backoff_s=section.request_backoff_s,
            max_retry_delay_s=section.max_retry_delay_s,
            max_bytes=section.max_response_bytes,
        )


@dataclass
class Fetched:
    url: str
    status: int
    headers: dict[str, str]
    body: bytes

    def text(self) -> str:
        """The body as UTF-8; `BadPayload` when it is not."""
        try:
            return self.body.decode("utf-8")
        except UnicodeDecodeError as error:
            raise BadPayload(f"response is not valid UTF-8: {error}", self.body) from None

    def json(self) -> Any:
        """The body as JSON; `BadPayload` when it is not."""
        text = self.text()
        try:
            return json.loads(text)
        except (ValueError, RecursionError) as error:  # bad JSON, too deep, an int too long
            raise BadPayload(f"response is not valid JSON: {str(error)[:200]}", text) from None


def redact(url: str) -> str:
    """The URL without its query string, for messages (queries may carry tokens)."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


def _reset_delay(headers: dict[str, str]) -> float | None:
    """Seconds to wait when a rate-limit header says the budget is spent, else None."""
    lowered = {k.lower(): v for k, v in headers.items()}
    remaining = lowered.get("x-ratelimit-remaining") or lowered.get("ratelimit-remaining")
    if remaining is None:
        return None
    try:
        if float(remaining) >= 1:
            return None
    except ValueError:
        return None
    reset = lowered.get("x-ratelimit-reset") or lowered.get("ratelimit-reset")
    if not reset:
        return None
    try:
        value = float(reset)
    except ValueError:
        try:  # Mastodon: an ISO 8601 time
            when = datetime.fromisoformat(reset.replace("Z", "+00:00"))
        except ValueError:
            try:
                when = parsedate_to_datetime(reset)
            except (TypeError, ValueError):
                return None
        return max(0.0, (when - datetime.now(UTC)).total_seconds())
    # epoch seconds (Bluesky) or seconds from now (Reddit)
    return max(0.0, value - time.time()) if value > 1_000_000_000 else max(0.0, value)


@dataclass
class ApiClient:
    """One source's HTTP client: `get`/`post` return `Fetched` or raise a classified error."""

    source: str
    settings: HttpSettings
    headers: dict[str, str] = field(default_factory=dict)
    _pause_until: float = 0.0

    def __post_init__(self) -> None:
        s = self.settings
        self._client = Client(
            request_timeout=s.timeout_s,
            raise_for_status=False,
            status_codes=_RETRY_STATUS,
            request_max_attempts=s.max_attempts,
            request_backoff_factor=s.backoff_s,
            request_max_retry_delay=s.max_retry_delay_s,
            respect_retry_after_header=True,
        )
        self._client.session.headers.update({"User-Agent": s.user_agent, **self.headers})

    def get(self, url: str, params: dict[str, Any] | None = None, **kw: Any) -> Fetched:
        return self.request("GET", url, params=params, **kw)

    def post(self, url: str, **kw: Any) -> Fetched:
        return self.request("POST", url, **kw)

    def request(self, method: str, url: str, **kw: Any) -> Fetched:
        self._respect_rate_limit()
        try:
            response = self._client.session.request(method, url, stream=True, **kw)
        except RequestException as error:
            raise TransientHttpError(
                f"{self.source}: {redact(url)} unreachable after "
                f"{self.settings.max_attempts} attempts ({type(error).__name__})"
            ) from None
        with response:
            headers = dict(response.headers)
            delay = _reset_delay(headers)
            if delay:
                self._pause_until = time.monotonic() + min(delay, self.settings.max_retry_delay_s)
            status = response.status_code
            if status in (401, 403):
                raise TerminalHttpError(
                    f"{self.source}: {redact(response.url)} answered {status} "
                    "(credentials missing, wrong or without access: check the token/client id "
                    "and secret given for this source)"
                )
            if status in _RETRY_STATUS:
                raise TransientHttpError(
                    f"{self.source}: {redact(response.url)} still answered {status} after "
                    f"{self.settings.max_attempts} attempts; try again later"
                )
            if 400 <= status < 600:
                raise TerminalHttpError(
                    f"{self.source}: {redact(response.url)} answered {status} "
                    f"{response.reason}: check the base URL and query settings of this source"
                )
            body = _read_capped(response, url, self.settings.max_bytes)
            return Fetched(url=response.url, status=status, headers=headers, body=body)

    def _respect_rate_limit(self) -> None:
        wait = self._pause_until - time.monotonic()
        if wait > 0:
            log.info("%s: rate limit spent, waiting %.1f s", self.source, wait)
            time.sleep(wait)


def _read_capped(response: Any, url: str, limit: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_content(chunk_size=65536):
        chunks.append(chunk)
        size += len(chunk)
        if size > limit:
            raise BodyTooLarge(url, limit, b"".join(chunks)[:limit])
    return b"".join(chunks)
