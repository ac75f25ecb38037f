"""The crawl of one configured web source: seeds → polite, safe fetches → extracted records.

Pure Python over `SafeFetcher`; dlt only sees the `Emitted` records (see `ingestion.web`). The
`state` dict (dlt resource state) remembers, per URL, the validators for conditional GET, the
sitemap/feed lastmod and digests of what was loaded, so a re-run emits only new or changed rows.
"""

from __future__ import annotations

import json
import logging
import time
import unicodedata
from collections import deque
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import urlsplit

from ingestion.http import FetchError, ForbiddenURL, Response, SafeFetcher, user_agent
from ingestion.web.extract import ExtractionError, Page, extract_page, sha256_hex
from ingestion.web.robots import RobotsPolicy, parse_robots
from ingestion.web.seeds import Seed, SeedParseError, parse_feed, parse_sitemap
from ingestion.web.urls import canonical_url, site_key, trap_reason

if TYPE_CHECKING:
    from core.config import Crawler, WebSource

log = logging.getLogger(__name__)

MAX_SITEMAP_DEPTH = 3
PAYLOAD_HEAD_CHARS = 4_000
HTML_TYPES = ("text/html", "application/xhtml+xml", "")


class RobotsDisallowed(ForbiddenURL):
    """robots.txt of the URL's host disallows it (the URL itself or a redirect target)."""

    reason = "disallowed by robots.txt"


@dataclass(frozen=True)
class Emitted:
    """One crawl output: a row for `web_pages` / `web_comments`, or a record to quarantine."""

    kind: Literal["page", "comment", "quarantine"]
    row: dict[str, Any]


@dataclass
class _Target:
    url: str
    depth: int
    hub: bool  # always revisited in full (start pages); never answered from validators
    lastmod: str | None = None
    thread: str | None = None  # first page of the forum thread this page continues


class HostPacer:
    """Waits between requests to the same host: the configured delay or robots' Crawl-delay.

    The delay is the one in force for the request about to be made, counted from the previous
    request to the host, so the first page after robots.txt already waits its Crawl-delay.
    """

    def __init__(
        self,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._last: dict[str, float] = {}
        self._sleep = sleep
        self._clock = clock

    def wait(self, host: str, delay: float) -> None:
        now = self._clock()
        last = self._last.get(host)
        if last is not None and last + delay > now:
            self._sleep(last + delay - now)
            now = max(self._clock(), last + delay)
        self._last[host] = now


def _nfc(text: str | None) -> str | None:
    """Stored text is NFC (the raw-table contract), whatever the extractor returned."""
    return unicodedata.normalize("NFC", text) if text is not None else None


def _digest(row: dict[str, Any], skip: tuple[str, ...]) -> str:
    kept = {k: v for k, v in sorted(row.items()) if k not in skip}
    return sha256_hex(json.dumps(kept, default=str, ensure_ascii=False))[:32]


class SiteCrawler:
    """Crawls one `WebSource`. Iterate `run()`; `state` is updated as pages are emitted."""

    def __init__(
        self,
        source: WebSource,
        settings: Crawler,
        state: dict[str, Any],
        fetcher: SafeFetcher | None = None,
        pacer: HostPacer | None = None,
    ) -> None:
        self.source = source
        self.settings = settings
        self.fetcher = fetcher or SafeFetcher(settings)
        self.pacer = pacer or HostPacer()
        self.state = state.setdefault(source.name, {"urls": {}})
        self.urls: dict[str, dict[str, Any]] = self.state.setdefault("urls", {})
        self._robots: dict[str, RobotsPolicy] = {}
        self._seen: set[str] = set()
        self._hosts = {site_key(u) for u in self._seed_urls()}
        self.fetched = 0
        self.stats = {"pages": 0, "comments": 0, "quarantined": 0, "unchanged": 0, "skipped": 0}

    def _seed_urls(self) -> list[str]:
        raw = [*self.source.start_urls, *self.source.sitemaps, *self.source.feeds]
        return [c for c in (canonical_url(u) for u in raw) if c]

    # -- politeness ---------------------------------------------------------------------------
    def _policy(self, url: str) -> RobotsPolicy:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in self._robots:
            self._robots[origin] = self._fetch_robots(origin)
        return self._robots[origin]

    def _fetch_robots(self, origin: str) -> RobotsPolicy:
        """RFC 9309 §2.3.1: 2xx → parse, 4xx → allow all, 5xx or unreachable → disallow all."""
        self.pacer.wait(urlsplit(origin).netloc, self.settings.request_delay_s)
        try:
            response = self.fetcher.get(f"{origin}/robots.txt")
        except ForbiddenURL:
            raise
        except FetchError as error:
            log.warning("robots.txt of %s unreachable (%s): not crawling it", origin, error)
            return RobotsPolicy.disallowing_all()
        if 400 <= response.status < 500:
            return RobotsPolicy.allowing_all()
        if response.status >= 500 or response.status != 200:
            log.warning("robots.txt of %s answered %s: not crawling it", origin, response.status)
            return RobotsPolicy.disallowing_all()
        try:
            text = response.text()
        except FetchError:
            return RobotsPolicy.allowing_all()
        return parse_robots(text, self.settings.user_agent)

    def _delay(self, policy: RobotsPolicy) -> float:
        robots_delay = min(policy.crawl_delay or 0.0, self.settings.max_crawl_delay_s)
        return max(self.settings.request_delay_s, robots_delay)

    def _get(self, url: str, validators: dict[str, Any] | None = None) -> Response | None:
        """A polite GET: robots first, then the per-host delay. None when robots forbids it.

        Redirect targets go through the same two steps (robots.txt of the hop's host, its delay);
        a disallowed hop is not fetched and the GET counts as skipped.
        """
        try:
            self._polite(url)
            validators = validators or {}
            return self.fetcher.get(
                url, validators.get("etag"), validators.get("last_modified"), self._polite
            )
        except RobotsDisallowed as error:
            log.info("robots.txt disallows %s", error.url)
            self.stats["skipped"] += 1
            return None

    def _polite(self, url: str) -> None:
        """Raise RobotsDisallowed unless robots.txt allows `url`; else wait for the host's turn."""
        policy = self._policy(url)
        if not policy.allowed(url):
            raise RobotsDisallowed(url)
        self.pacer.wait(urlsplit(url).netloc, self._delay(policy))

    # -- seeds ------------------------------------------------------------------------------------
    def _seeds(self) -> Iterator[Emitted | _Target]:
        for url in self.source.start_urls:
            canonical = canonical_url(url)
            if canonical:
                yield _Target(canonical, 0, hub=True)
        pending = [(u, 0) for u in self.source.sitemaps or self._announced_sitemaps()]
        while pending:
            url, level = pending.pop(0)
            body = yield from self._fetch_xml(url)
            if body is None:
                continue
            try:
                sitemap = parse_sitemap(body)
            except (SeedParseError, OSError, EOFError) as error:
                yield self._quarantine("bad sitemap", url, str(error), body)
                continue
            if level < MAX_SITEMAP_DEPTH:
                pending.extend((child, level + 1) for child in sitemap.sitemaps)
            yield from self._targets(sitemap.pages)
        for url in self.source.feeds:
            body = yield from self._fetch_xml(url)
            if body is None:
                continue
            try:
                entries = parse_feed(body)
            except (SeedParseError, OSError, EOFError) as error:
                yield self._quarantine("bad feed", url, str(error), body)
                continue
            yield from self._targets(entries)

    def _announced_sitemaps(self) -> list[str]:
        """Sitemaps the start hosts list in robots.txt (used when the config names none)."""
        found: dict[str, None] = {}
        for url in self.source.start_urls:
            try:
                policy = self._policy(url)
            except FetchError as error:
                log.warning("no robots.txt for %s: %s", url, error)
                continue
            for sitemap in policy.sitemaps:
                canonical = canonical_url(sitemap)
                if canonical and site_key(canonical) in self._hosts:
                    found[canonical] = None
        return list(found)

    def _targets(self, seeds: list[Seed]) -> Iterator[_Target]:
        for seed in seeds:
            canonical = canonical_url(seed.url)
            if canonical:
                yield _Target(canonical, 0, hub=False, lastmod=seed.lastmod)

    def _fetch_xml(self, url: str) -> Generator[Emitted, None, bytes | None]:
        """Generator returning the body of a sitemap/feed (None on failure, quarantined)."""
        try:
            response = self._get(url)
        except ForbiddenURL as error:
            log.warning("refused %s", error)
            return None
        except FetchError as error:
            yield self._quarantine(error.reason, url, error.detail)
            return None
        if response is None:
            return None
        if response.status != 200:
            log.warning("%s answered HTTP %s", url, response.status)
            return None
        return response.body

    # -- records ----------------------------------------------------------------------------------
    def _quarantine(self, reason: str, url: str, detail: str = "", body: bytes = b"") -> Emitted:
        self.stats["quarantined"] += 1
        head = body[:PAYLOAD_HEAD_CHARS].decode("utf-8", errors="replace") if body else ""
        payload = json.dumps(
            {"site": self.source.name, "url": url, "detail": detail, "body_head": head},
            ensure_ascii=False,
        )
        return Emitted("quarantine", {"reason": f"{reason}: {url}", "payload": payload})

    def run(self) -> Iterator[Emitted]:
        """Every new or changed page and comment of the site, plus quarantined records."""
        frontier: deque[_Target] = deque()
        for item in self._seeds():
            if isinstance(item, Emitted):
                yield item
            else:
                frontier.append(item)
        while frontier and self.fetched < self.source.max_pages:
            target = frontier.popleft()
            if target.url in self._seen:
                continue
            self._seen.add(target.url)
            if site_key(target.url) not in self._hosts:
                continue
            trap = trap_reason(target.url)
            if trap:
                log.info("skipping %s: %s", target.url, trap)
                self.stats["skipped"] += 1
                continue
            known = self.urls.get(target.url)
            if known and target.lastmod and known.get("lastmod") == target.lastmod:
                self.stats["unchanged"] += 1  # the sitemap/feed says it has not changed
                self._next_of_unchanged(target, known, frontier)
                continue
            yield from self._visit(target, known, frontier)
        log.info("web source %s: %s", self.source.name, self.stats)

    def _visit(
        self, target: _Target, known: dict[str, Any] | None, frontier: deque[_Target]
    ) -> Iterator[Emitted]:
        validators = None if target.hub or not known else known
        try:
            response = self._get(target.url, validators)
        except ForbiddenURL as error:
            log.warning("refused %s", error)
            return
        except FetchError as error:
            yield self._quarantine(error.reason, target.url, error.detail)
            return
        if response is None:
            return
        self.fetched += 1
        if response.not_modified:
            self.stats["unchanged"] += 1
            if known is not None and target.lastmod:
                known["lastmod"] = target.lastmod
            self._next_of_unchanged(target, known, frontier)
            return
        if response.status != 200:
            log.info("%s answered HTTP %s", target.url, response.status)
            return
        if response.content_type not in HTML_TYPES:
            log.info("%s is %s, not a page", target.url, response.content_type)
            return
        final = canonical_url(response.url) or target.url
        if final != target.url and (final in self._seen or site_key(final) not in self._hosts):
            return
        self._seen.add(final)
        try:
            page = extract_page(response.text(), final, target.thread, datetime.now(UTC))
        except FetchError as error:
            yield self._quarantine(error.reason, final, error.detail, response.body)
            return
        except (ExtractionError, RecursionError, ValueError) as error:
            yield self._quarantine("extraction failed", final, str(error), response.body)
            return
        except Exception as error:  # a library bug on odd markup must not end the crawl
            log.exception("unexpected extraction error on %s", final)
            detail = f"{type(error).__name__}: {error}"
            yield self._quarantine("extraction failed", final, detail, response.body)
            return
        if target.depth < self.source.max_depth:
            frontier.extend(_Target(link, target.depth + 1, hub=False) for link in page.links)
        if page.next_page and page.follow:  # a thread's next page, whatever the depth
            thread = target.thread or page.thread_url
            frontier.appendleft(_Target(page.next_page, target.depth, False, thread=thread))
        # rel=canonical within the crawled sites names the page's key; a cross-site one (a
        # syndicated copy) is ignored: copies are found by their text in dbt
        # (int_mentions_deduplicated), across every source, on every build.
        # A thread's later page keeps its own key (some boards name page 1 as every page's).
        continues = bool(page.forum) and not page.is_article
        if (
            page.canonical
            and page.canonical != final
            and site_key(page.canonical) in self._hosts
            and not continues
        ):
            if page.canonical in self._seen:
                return
            self._seen.add(page.canonical)
            final = page.canonical
        if page.forum and not page.is_article and page.index:
            thread = target.thread or page.thread_url or final
            yield from self._emit(thread, page, response, target, state_key=final)
            return
        if not (page.is_article and page.index):
            return
        if not page.text:
            yield self._quarantine("no main text", final, "", response.body)
            return
        yield from self._emit(final, page, response, target)

    @staticmethod
    def _next_of_unchanged(
        target: _Target, known: dict[str, Any] | None, frontier: deque[_Target]
    ) -> None:
        """An unchanged thread page still leads to its next page, where new replies land."""
        if known and known.get("next_page"):
            thread = target.thread or known.get("thread")
            frontier.appendleft(_Target(known["next_page"], target.depth, False, thread=thread))

    def _emit(
        self, url: str, page: Page, response: Any, target: _Target, state_key: str | None = None
    ) -> Iterator[Emitted]:
        """Rows for a page and its comments, only those that differ from what was loaded.

        A later page of a forum thread (`state_key` is its own URL) adds comments to the thread's
        first page `url` and no page row.
        """
        now = datetime.now(UTC)
        page = replace(
            page,
            title=_nfc(page.title),
            author=_nfc(page.author),
            text=_nfc(page.text) or "",
            comments=[
                replace(c, author=_nfc(c.author), text=_nfc(c.text) or "") for c in page.comments
            ],
        )
        row = {
            "url": url,
            "site": self.source.name,
            "title": page.title,
            "author": page.author,
            "published_at": page.published,
            "text": page.text,
            "content_hash": sha256_hex(page.text),
            "lang_hint": page.lang,
            "fetched_at": now,
            "http_etag": response.etag,
            "http_last_modified": response.last_modified,
        }
        known = self.urls.get(state_key or url, {})
        page_digest = _digest(row, ("fetched_at", "http_etag", "http_last_modified"))
        if state_key is None and known.get("digest") != page_digest:
            self.stats["pages"] += 1
            yield Emitted("page", row)
        opening = page.first_post_id or self.urls.get(url, {}).get("first_post")
        old_comments: dict[str, str] = known.get("comments", {})
        new_comments: dict[str, str] = {}
        for comment in page.comments:
            comment_row = {
                "comment_id": f"{url}#{comment.id}",
                "page_url": url,
                "parent_id": (
                    f"{url}#{comment.parent_id}"
                    if comment.parent_id and comment.parent_id != opening
                    else None
                ),
                "position": comment.position,
                "author": comment.author,
                "published_at": comment.published,
                "text": comment.text,
                "content_hash": sha256_hex(comment.text),
                "fetched_at": now,
            }
            digest = _digest(comment_row, ("fetched_at",))
            comment_id = str(comment_row["comment_id"])
            new_comments[comment_id] = digest
            if old_comments.get(comment_id) != digest:
                self.stats["comments"] += 1
                yield Emitted("comment", comment_row)
        self.urls[state_key or url] = {
            "etag": response.etag,
            "last_modified": response.last_modified,
            "lastmod": target.lastmod or known.get("lastmod"),
            "digest": page_digest,
            "comments": new_comments,
        }
        if page.forum:
            self.urls[state_key or url].update(next_page=page.next_page, thread=url)
        if page.first_post_id:
            self.urls[url]["first_post"] = page.first_post_id


def crawl(sources: list[WebSource], settings: Crawler, state: dict[str, Any]) -> Iterator[Emitted]:
    """All enabled web sources in turn, sharing one fetcher (and its per-host pacing)."""
    fetcher = SafeFetcher(settings)
    pacer = HostPacer()
    log.info("crawling as %s", user_agent(settings))
    for source in sources:
        if source.enabled:
            yield from SiteCrawler(source, settings, state, fetcher, pacer).run()
