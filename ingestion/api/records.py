"""Turning one API record into one clean row, or a precise reason why it cannot be.

Shared by every API source. A `RecordError` carries the reason that goes to the quarantine table;
text is HTML-stripped, entity-unescaped and NFC-normalised; NUL bytes and lone surrogates (what
invalid UTF-8 becomes after lenient decoding) are refused rather than silently repaired.
"""

from __future__ import annotations

import json
import logging
import re
import unicodedata
from collections.abc import Mapping, MutableMapping
from datetime import UTC, datetime
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

from core.config import EcouteConfig
from core.quarantine import quarantined

log = logging.getLogger(__name__)

MAX_TEXT_CHARS = 1_000_000
WEB_SCHEMES = ("http", "https")


class RecordError(ValueError):
    """Why a record is quarantined."""


_BLOCK_TAGS = {"p", "div", "br", "li", "ul", "ol", "pre", "blockquote", "h1", "h2", "h3", "tr"}
_PARAGRAPH_TAGS = {"p", "blockquote", "pre"}
_SKIP_TAGS = {"script", "style"}


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP_TAGS:
            self._skipping += 1
        elif tag in _PARAGRAPH_TAGS:
            self.parts.append("\n\n")
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS and self._skipping:
            self._skipping -= 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    """Plain text of an HTML fragment: tags dropped, entities unescaped, paragraphs kept, NFC."""
    collector = _TextCollector()
    collector.feed(html)
    collector.close()
    raw = "".join(collector.parts).replace("\xa0", " ")
    lines = [" ".join(line.split()) for line in raw.split("\n")]
    text = "\n".join(lines)
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    return unicodedata.normalize("NFC", text.strip())


def check_text(value: str, name: str) -> str:
    """`value` NFC-normalised; RecordError for NUL bytes, lone surrogates or absurd length."""
    if "\x00" in value:
        raise RecordError(f"field {name!r} contains a NUL byte")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise RecordError(f"field {name!r} is not valid UTF-8 (lone surrogate)") from None
    if len(value) > MAX_TEXT_CHARS:
        raise RecordError(f"field {name!r} is longer than {MAX_TEXT_CHARS} characters")
    return unicodedata.normalize("NFC", value)


def req_str(record: Mapping[str, Any], name: str) -> str:
    value = record.get(name)
    if value is None or value == "":
        raise RecordError(f"missing field {name!r}")
    if not isinstance(value, str):
        raise RecordError(f"field {name!r} should be a string, got {type(value).__name__}")
    return check_text(value, name)


def opt_str(record: Mapping[str, Any], name: str) -> str | None:
    value = record.get(name)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise RecordError(f"field {name!r} should be a string, got {type(value).__name__}")
    return check_text(value, name)


def opt_int(record: Mapping[str, Any], name: str) -> int | None:
    value = record.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise RecordError(f"field {name!r} should be an integer, got {type(value).__name__}")
    return value


def req_int(record: Mapping[str, Any], name: str) -> int:
    value = opt_int(record, name)
    if value is None:
        raise RecordError(f"missing field {name!r}")
    return value


def opt_id(record: Mapping[str, Any], name: str) -> str | None:
    """An identifier that APIs send as a number or a string, as a string."""
    value = record.get(name)
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise RecordError(f"field {name!r} should be an id, got {type(value).__name__}")
    return check_text(str(value), name)


def brief(value: Any) -> str:
    """A short picture of any value for a reason: never a deep repr, never a 5,000-digit int."""
    if isinstance(value, str):
        return repr(value[:40])
    if value is None or isinstance(value, bool | float):
        return repr(value)
    if isinstance(value, int) and abs(value) < 10**40:
        return repr(value)
    return f"<{type(value).__name__}>"


def parse_time(value: Any, name: str) -> datetime:
    """An ISO 8601 string or epoch seconds as an aware UTC datetime."""
    if isinstance(value, bool):
        raise RecordError(f"field {name!r} is not a time")
    if isinstance(value, int | float):
        try:
            return datetime.fromtimestamp(value, UTC)
        except (OverflowError, OSError, ValueError):
            raise RecordError(f"field {name!r} is out of range: {brief(value)}") from None
    if not isinstance(value, str) or not value:
        raise RecordError(f"missing or non-text time field {name!r}")
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise RecordError(f"field {name!r} is not an ISO 8601 time: {value[:40]!r}") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    try:
        return parsed.astimezone(UTC)
    except OverflowError:  # e.g. 9999-12-31T23:00-05:00 is past year 9999 in UTC
        raise RecordError(f"field {name!r} is out of range: {brief(value)}") from None


def web_url(value: str | None, name: str) -> str | None:
    """`value` when it is an http(s) URL with a host, else None (logged): `javascript:`, `data:`,
    `file:` and scheme-less links are never stored, but the record that carries them still is."""
    if value is None:
        return None
    try:
        parts = urlsplit(value.strip())
    except ValueError:  # e.g. an unclosed IPv6 bracket
        parts = None
    if parts is not None and parts.scheme.lower() in WEB_SCHEMES and parts.netloc:
        return value
    log.warning("dropped field %r: not an http(s) URL (%r)", name, value[:40])
    return None


def unexpected(error: BaseException) -> str:
    """The quarantine reason for an exception that is not a RecordError (a bug or an input the
    checks did not foresee): logged with its traceback, so it is seen and fixed."""
    log.warning("unexpected %s while reading a record", type(error).__name__, exc_info=error)
    return f"unexpected {type(error).__name__}: {str(error)[:300]}"


def brand_queries(config: EcouteConfig, configured: list[str]) -> list[str]:
    """The search terms: the configured ones, else every brand alias, deduplicated ignoring case."""
    terms = configured or [a.text for b in config.brands for a in b.all_aliases]
    seen: set[str] = set()
    unique = []
    for term in terms:
        key = term.strip().casefold()
        if key and key not in seen:
            seen.add(key)
            unique.append(term.strip())
    return unique


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def matching_queries(text: str, queries: list[str], fallback: str) -> str:
    """Every configured query the text itself contains (whole words, case and accents ignored),
    comma-joined in config order; `fallback` when the API matched on something else.

    Derived from the content, not from which search returned the item, so re-reading an item
    through another query (the overlap window) does not rewrite the row.
    """
    folded = _fold(text)
    found = [q for q in queries if re.search(rf"(?<!\w){re.escape(_fold(q))}(?!\w)", folded)]
    return ", ".join(found) or fallback


MAX_THREAD_DEPTH = 10_000  # parent hops followed before a chain is taken as a loop


def thread_root(parents: Mapping[str, str], post: str) -> str:
    """The root of `post`'s thread: its parent's parent and so on, up to the first post that
    answers none known in `parents` (post -> the post it answers). A loop (bad data) stops at the
    post where it closes, so a root is always returned."""
    seen = {post}
    while post in parents and len(seen) < MAX_THREAD_DEPTH:
        post = parents[post]
        if post in seen:
            break
        seen.add(post)
    return post


MAX_REPLY_LINKS = 200_000  # reply links kept in dlt state per source; the oldest go first


def note_parent(parents: MutableMapping[str, str], post: str, parent: str | None) -> None:
    """Remember that `post` answers `parent` (kept across loads in dlt state by the caller),
    forgetting the oldest links past `MAX_REPLY_LINKS` so the state stays small."""
    if parent and parent != post:
        parents.pop(post, None)  # re-inserted last: a link seen again counts as recent
        parents[post] = parent
        while len(parents) > MAX_REPLY_LINKS:
            del parents[next(iter(parents))]


def utc_now() -> datetime:
    return datetime.now(UTC)


def safe_payload(payload: Any) -> bytes | str:
    """A payload the quarantine table can store: JSON (ASCII-escaped) for objects, lone surrogates
    and other unencodable characters escaped, bytes passed through (decoded leniently later)."""
    if isinstance(payload, bytes | str):
        text = payload
    else:
        try:
            text = json.dumps(payload, ensure_ascii=True, default=str)
        except (TypeError, ValueError, RecursionError):
            try:
                text = repr(payload)[:MAX_TEXT_CHARS]
            except RecursionError:  # nested deeper than repr can go
                text = f"<{type(payload).__name__} nested too deeply to store>"
    if isinstance(text, str):
        text = text.encode("utf-8", errors="backslashreplace").decode("utf-8")
    return text


def keep_aside(source: str, reason: str, payload: Any) -> Any:
    """`core.quarantine.quarantined` with a payload made safe to store."""
    return quarantined(source, reason, safe_payload(payload))
