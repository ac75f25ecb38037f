"""Serve a demo world on loopback so the real crawler and HN client collect it like the internet.

`serve_world(world)` runs a stdlib `ThreadingHTTPServer` in a daemon thread and yields a
`DemoServer`; `set_as_of(dt)` reveals the world progressively (only posts made by `dt` are
visible). Pages, feed and sitemap answer conditional GETs (strong ETag, Last-Modified → 304).
Standalone:
`python -m demo.server --port 8765` (Ctrl-C to stop).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, date, datetime
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, unquote, urlsplit

from demo import site
from demo.hn_api import BadRequest, HNIndex
from demo.model import Article, World

log = logging.getLogger(__name__)

HTML = "text/html; charset=utf-8"
XML = "application/xml; charset=utf-8"
RSS = "application/rss+xml; charset=utf-8"
TEXT = "text/plain; charset=utf-8"
JSON = "application/json; charset=utf-8"
HN_PREFIX = "/hn/api/v1"


@dataclass(frozen=True)
class Response:
    status: int
    content_type: str
    body: bytes
    last_modified: datetime | None = None
    conditional: bool = False


class SiteView:
    """One moment of the world, indexed for serving (built once per `as_of`)."""

    def __init__(self, world: World) -> None:
        def newest_first(pages: tuple[Article, ...]) -> list[Article]:
            return sorted(pages, key=lambda a: (a.published_at, a.slug), reverse=True)

        self.world = world
        self.articles = newest_first(world.articles)
        self.copies = newest_first(world.copies)
        self.pages = {a.path: a for a in (*self.articles, *self.copies)}
        self.tags: dict[str, list[Article]] = {}
        for article in self.articles:
            for tag in article.tags:
                self.tags.setdefault(tag, []).append(article)
        self.hn = HNIndex(world.hn_items)
        self.last_change = max(
            (a.last_modified for a in self.pages.values()),
            default=datetime.combine(world.start, datetime.min.time(), UTC),
        )


def route(view: SiteView, raw_path: str, base_url: str) -> Response:
    """The response for one request (pure: no I/O, no clock)."""
    parts = urlsplit(raw_path)
    path = unquote(parts.path)
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    if path.startswith(HN_PREFIX + "/"):
        return _hn(view, path[len(HN_PREFIX) :], query)
    if path == "/robots.txt":
        return Response(200, TEXT, site.robots_txt(base_url).encode())
    if path == "/sitemap.xml":
        pages = sorted(view.pages.values(), key=lambda a: a.path)
        body = site.sitemap_xml(base_url, pages)
        return Response(200, XML, body.encode(), view.last_change, conditional=True)
    if path == "/feed.xml":
        body = site.feed_xml(base_url, view.articles)
        latest = view.articles[0].published_at if view.articles else view.last_change
        return Response(200, RSS, body.encode(), latest, conditional=True)
    if path in ("/", "/index.html"):
        extra = site.partners_box(view.copies[:5]) if view.copies else ""
        return _listing(view.articles, query, "À la une", "/?", view.last_change, extra)
    if path.startswith("/tag/") and path[5:] in view.tags:
        tag = path[5:]
        articles = view.tags[tag]
        changed = max(a.last_modified for a in articles)
        return _listing(articles, query, f"Sujet : {tag}", f"/tag/{tag}?", changed)
    if path in view.pages:
        page = view.pages[path]
        body = site.article_page(page, base_url, view.articles[:6])
        return Response(200, HTML, body.encode(), page.last_modified, conditional=True)
    static = {
        "/a-propos.html": ("À propos", "Un site d'information indépendant sur les opérateurs."),
        "/admin/": ("Espace rédaction", "Connexion réservée à la rédaction."),
        "/search": ("Recherche", "Aucun résultat."),
    }
    if path in static:
        return Response(200, HTML, site.static_page(*static[path]).encode())
    return Response(404, HTML, site.not_found_page(path).encode())


def _listing(
    articles: list[Article],
    query: dict[str, str],
    title: str,
    prefix: str,
    changed: datetime,
    extra: str = "",
) -> Response:
    raw = query.get("page", "1")
    last = max(1, -(-len(articles) // site.PAGE_SIZE))
    if not raw.isdigit() or not 1 <= int(raw) <= last:
        return Response(404, HTML, site.not_found_page(f"{prefix}page={raw}").encode())
    page = int(raw)
    chunk = articles[(page - 1) * site.PAGE_SIZE : page * site.PAGE_SIZE]
    body = site.listing_page(title, chunk, page, page < last, prefix, extra if page == 1 else "")
    return Response(200, HTML, body.encode(), changed, conditional=True)


def _hn(view: SiteView, path: str, query: dict[str, str]) -> Response:
    def as_json(status: int, data: object) -> Response:
        return Response(status, JSON, json.dumps(data, ensure_ascii=False).encode())

    try:
        if path == "/search":
            return as_json(200, view.hn.search(query, by_date=False))
        if path == "/search_by_date":
            return as_json(200, view.hn.search(query, by_date=True))
    except BadRequest as error:
        return as_json(400, {"message": str(error), "status": 400})
    if path.startswith("/items/"):
        tree = view.hn.item_tree(path[len("/items/") :])
        if tree is not None:
            return as_json(200, tree)
    return as_json(404, {"status": 404, "error": "Not Found"})


def etag(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:40] + '"'


def not_modified(headers: dict[str, str], tag: str, last_modified: datetime | None) -> bool:
    """RFC 9110: If-None-Match wins; else If-Modified-Since compared at one-second precision."""
    if_none_match = headers.get("if-none-match")
    if if_none_match is not None:
        tags = [t.strip().removeprefix("W/") for t in if_none_match.split(",")]
        return "*" in tags or tag in tags
    since = headers.get("if-modified-since")
    if since and last_modified is not None:
        try:
            moment = parsedate_to_datetime(since)
        except (TypeError, ValueError):
            return False
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        return last_modified.replace(microsecond=0) <= moment
    return False


class DemoServer:
    """A running demo site + HN API on loopback."""

    def __init__(
        self, world: World, host: str = "127.0.0.1", port: int = 0, as_of: datetime | None = None
    ) -> None:
        self.world = world
        self._lock = threading.Lock()
        self._log: list[tuple[str, str]] = []
        self._as_of: datetime | None = None
        self._view = SiteView(world)
        self._full_view = self._view
        self.set_as_of(as_of)
        self._httpd = ThreadingHTTPServer((host, port), _handler_for(self))
        self._httpd.daemon_threads = True
        self.host = host
        self.port = self._httpd.server_address[1]
        self.base_url = f"http://{host}:{self.port}"
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, name=f"demo-server-{self.port}", daemon=True
        )

    @property
    def as_of(self) -> datetime | None:
        return self._as_of

    def set_as_of(self, as_of: datetime | None) -> None:
        """Reveal only what was posted by `as_of` (naive means UTC); None reveals everything."""
        if as_of is not None and as_of.tzinfo is None:
            as_of = as_of.replace(tzinfo=UTC)
        view = self._full_view if as_of is None else SiteView(self.world.truncated(as_of))
        with self._lock:
            self._as_of, self._view = as_of, view

    @property
    def view(self) -> SiteView:
        with self._lock:
            return self._view

    @property
    def requests(self) -> list[tuple[str, str]]:
        """(method, path with query) of every request served so far, in order."""
        with self._lock:
            return list(self._log)

    def _record(self, method: str, path: str) -> None:
        with self._lock:
            self._log.append((method, path))

    def start(self) -> DemoServer:
        self._thread.start()
        log.info("demo world served at %s", self.base_url)
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)


def _handler_for(demo: DemoServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "EcouteDemo/1.0"
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            self._answer(with_body=True)

        def do_HEAD(self) -> None:
            self._answer(with_body=False)

        def _answer(self, with_body: bool) -> None:
            demo._record(self.command, self.path)
            host = self.headers.get("Host") or f"{demo.host}:{demo.port}"
            try:
                response = route(demo.view, self.path, f"http://{host}")
            except Exception:
                log.exception("demo server failed on %s", self.path)
                response = Response(500, TEXT, b"internal error\n")
            headers = {"Content-Type": response.content_type}
            status, body = response.status, response.body
            if response.conditional:
                tag = etag(body)
                headers["ETag"] = tag
                if response.last_modified is not None:
                    headers["Last-Modified"] = format_datetime(response.last_modified, usegmt=True)
                wanted = {k.lower(): v for k, v in self.headers.items()}
                if not_modified(wanted, tag, response.last_modified):
                    status, body = 304, b""
            headers["Content-Length"] = str(len(body))
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            if with_body and body:
                self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            log.debug("demo %s - %s", self.address_string(), format % args)

    return Handler


@contextmanager
def serve_world(
    world: World, host: str = "127.0.0.1", port: int = 0, as_of: datetime | None = None
) -> Iterator[DemoServer]:
    """Serve `world` until the block exits (port 0: any free port; see `.base_url`)."""
    server = DemoServer(world, host, port, as_of).start()
    try:
        yield server
    finally:
        server.stop()


def main(argv: list[str] | None = None) -> None:
    """`python -m demo.server`: serve a generated world until Ctrl-C."""
    from demo.world import generate_world

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--mentions", type=int, default=3000)
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--start", type=date.fromisoformat, default=date(2026, 7, 1))
    parser.add_argument(
        "--as-of",
        type=datetime.fromisoformat,
        default=None,
        help="reveal only posts made by this ISO time (default: everything)",
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    world = generate_world(args.seed, args.mentions, args.days, args.start)
    with serve_world(world, args.host, args.port, args.as_of) as server:
        print(
            f"Demo site: {server.base_url}/   HN API: {server.base_url}{HN_PREFIX}/search",
            flush=True,
        )
        with suppress(KeyboardInterrupt):
            threading.Event().wait()
        print("stopped")


if __name__ == "__main__":
    main()
