"""The safe fetcher against a hostile local site: addresses, redirects, slow and huge bodies."""

from __future__ import annotations

import gzip
import socket
import time
from collections.abc import Iterator

import pytest

from core.config import Crawler
from ingestion.http import (
    BodyTooLarge,
    FetchTimeout,
    ForbiddenURL,
    SafeFetcher,
    TooManyRedirects,
    UndecodableBody,
    decode_body,
)
from ingestion.web.crawl import crawl

from .site import CountingListener, LocalSite, Route, make_config


@pytest.fixture
def listener() -> Iterator[CountingListener]:
    running = CountingListener("0.0.0.0")  # every IPv4 interface: no local address is reachable
    yield running
    running.close()


def _settings(**overrides) -> Crawler:
    return Crawler(request_delay_s=0, allow_hosts=["127.0.0.1"], **overrides)


def _forbidden(port: int) -> list[str]:
    return [
        f"http://localhost:{port}/",  # loopback, not allowed by name
        f"http://127.0.0.2:{port}/",
        f"http://0.0.0.0:{port}/",
        f"http://2130706433:{port}/",  # 127.0.0.1 spelled as an integer
        f"http://0x7f000001:{port}/",
        f"http://[::1]:{port}/",
        f"http://[::ffff:127.0.0.1]:{port}/",
        "http://169.254.169.254/latest/meta-data/",  # cloud metadata
        "http://10.0.0.1/",
        "http://192.168.1.1/",
        f"ftp://127.0.0.1:{port}/",
        "file:///etc/passwd",
    ]


def test_forbidden_seeds_never_open_a_connection(tmp_path, listener: CountingListener) -> None:
    seeds = _forbidden(listener.port)
    config = make_config(
        tmp_path,
        [{"name": "evil", "start_urls": seeds, "sitemaps": seeds, "feeds": seeds}],
        allow_hosts=["allowed.example"],
    )
    emitted = list(crawl(config.sources.web, config.crawler, {}))
    fetcher = SafeFetcher(config.crawler)
    for url in seeds:
        with pytest.raises(ForbiddenURL):
            fetcher.get(url)
    time.sleep(0.2)
    assert listener.connections == 0
    assert [e for e in emitted if e.kind != "quarantine"] == []


def test_redirects_are_rechecked_and_capped(site: LocalSite, listener: CountingListener) -> None:
    def redirect(to: str) -> Route:
        return Route(status=302, headers={"Location": to})

    site.routes.update(
        {
            "/loop-a": redirect("/loop-b"),
            "/loop-b": redirect("/loop-a"),
            "/private": redirect(f"http://localhost:{listener.port}/"),
            "/metadata": redirect("http://169.254.169.254/latest/meta-data/"),
            "/ok": Route("<p>fine</p>"),
        }
    )
    for n in range(7):
        site.routes[f"/hop{n}"] = redirect(f"/hop{n + 1}" if n < 6 else "/ok")
    fetcher = SafeFetcher(_settings())
    with pytest.raises(TooManyRedirects):
        fetcher.get(site.url("/loop-a"))
    with pytest.raises(TooManyRedirects):
        fetcher.get(site.url("/hop0"))  # 7 hops
    response = fetcher.get(site.url("/hop2"))  # 5 hops is the limit
    assert response.status == 200 and response.url == site.url("/ok")
    assert len(response.redirects) == 5
    for path in ("/private", "/metadata"):
        with pytest.raises(ForbiddenURL):
            fetcher.get(site.url(path))
    assert listener.connections == 0


@pytest.mark.slow
def test_slow_endless_body_hits_the_deadline(site: LocalSite) -> None:
    def trickle(handler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html")
        handler.end_headers()
        try:
            while True:
                handler.wfile.write(b"<p>x</p>")
                handler.wfile.flush()
                time.sleep(0.05)
        except OSError:
            return

    site.routes["/slow"] = trickle
    fetcher = SafeFetcher(_settings(read_timeout_s=5, total_timeout_s=1))
    started = time.monotonic()
    with pytest.raises(FetchTimeout):
        fetcher.get(site.url("/slow"))
    assert time.monotonic() - started < 3


@pytest.mark.slow
def test_server_that_never_answers_times_out() -> None:
    """A socket that accepts (kernel backlog) and then says nothing: the read timeout ends it."""
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(1)
    try:
        fetcher = SafeFetcher(_settings(read_timeout_s=0.5))
        started = time.monotonic()
        with pytest.raises(FetchTimeout):
            fetcher.get(f"http://127.0.0.1:{silent.getsockname()[1]}/")
        assert time.monotonic() - started < 3
    finally:
        silent.close()


def test_gzip_bomb_is_capped_after_decompression(site: LocalSite) -> None:
    bomb = gzip.compress(b"\0" * 50_000_000, compresslevel=9)
    assert len(bomb) < 100_000
    gz = {"Content-Type": "text/html", "Content-Encoding": "gzip"}
    site.routes["/bomb"] = Route(bomb, headers=gz)
    site.routes["/small"] = Route(gzip.compress(b"<p>bonjour</p>"), headers=gz)
    site.routes["/huge"] = Route(b"a" * 3_000_000)
    fetcher = SafeFetcher(_settings(max_bytes=1_000_000))
    with pytest.raises(BodyTooLarge):
        fetcher.get(site.url("/bomb"))
    with pytest.raises(BodyTooLarge):
        fetcher.get(site.url("/huge"))
    assert fetcher.get(site.url("/small")).body == b"<p>bonjour</p>"


def test_conditional_get_and_identifying_user_agent(site: LocalSite) -> None:
    site.routes["/page"] = Route("<p>page</p>", etag=True)
    fetcher = SafeFetcher(_settings(user_agent="TestBot/2", contact_url="https://example.org/bot"))
    first = fetcher.get(site.url("/page"))
    again = fetcher.get(site.url("/page"), etag=first.etag)
    assert first.status == 200 and first.etag
    assert again.not_modified and again.body == b""
    assert site.requests[0][1]["User-Agent"] == "TestBot/2 (+https://example.org/bot)"
    assert site.requests[1][1]["If-None-Match"] == first.etag


@pytest.mark.parametrize(
    ("body", "content_type", "expected"),
    [
        ("café".encode(), "text/html; charset=ISO-8859-1", "café"),  # wrong label, UTF-8 bytes
        ("<p>café</p>".encode("cp1252"), "text/html; charset=utf-8", "<p>café</p>"),
        (
            '<meta charset="windows-1252"><p>déjà vu — “ok”</p>'.encode("cp1252"),
            "text/html",
            '<meta charset="windows-1252"><p>déjà vu — “ok”</p>',
        ),
        ("e\u0301té".encode(), "text/html", "été"),  # decomposed → NFC
        (b"\xef\xbb\xbfBOM", "text/html; charset=latin-1", "BOM"),
    ],
)
def test_charsets_are_detected_and_text_is_nfc(body, content_type, expected) -> None:
    assert decode_body(body, content_type) == expected


@pytest.mark.parametrize("body", [b"<p>a\x00b</p>", bytes(range(128, 256)) * 40])
def test_undecodable_bodies_are_refused(body: bytes) -> None:
    with pytest.raises(UndecodableBody):
        decode_body(body, "text/html")
