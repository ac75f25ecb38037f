"""Feeds source: loopback server, conditional GET, entity refusal, real feeds from shared data."""

from __future__ import annotations

import json
import time

import pytest
from werkzeug import Request, Response

from ingestion.feeds import FeedRefused, parse_feed

from .helpers import FAST, FIXTURES, count, make_config, rows, runs

BLOG = (FIXTURES / "feed_nuage_blog.rss").read_bytes()
LAUGHS = (FIXTURES / "feed_billion_laughs.xml").read_bytes()


def config_for(tmp_path, urls, **extra):
    return make_config(tmp_path, {"feeds": {"urls": urls, **FAST, **extra}})


class ConditionalFeed:
    """A feed with an ETag that answers 304 to a matching If-None-Match."""

    def __init__(self, body: bytes) -> None:
        self.body = body
        self.conditional: list[str | None] = []

    def __call__(self, request: Request) -> Response:
        etag = f'"{hash(self.body) & 0xFFFFFFFF:x}"'
        self.conditional.append(request.headers.get("If-None-Match"))
        if request.headers.get("If-None-Match") == etag:
            return Response(status=304, headers={"ETag": etag})
        return Response(self.body, headers={"ETag": etag}, content_type="application/rss+xml")


def test_entity_declarations_are_refused_not_expanded():
    started = time.monotonic()
    with pytest.raises(FeedRefused, match="entities"):
        parse_feed(LAUGHS)
    assert time.monotonic() - started < 1


@pytest.mark.slow
def test_pipeline_conditional_get_and_new_entries(tmp_path, httpserver):
    feed = ConditionalFeed(BLOG)
    httpserver.expect_request("/feed/").respond_with_handler(feed)
    httpserver.expect_request("/laughs.xml").respond_with_data(LAUGHS)
    httpserver.expect_request("/big.xml").respond_with_data(b"<rss>" + b" " * 200_000)
    urls = [httpserver.url_for(p) for p in ("/feed/", "/laughs.xml", "/big.xml")]
    config = config_for(tmp_path, urls, max_response_bytes=100_000)
    runs(config, "feeds")
    assert count(config, "feed_entries") == 3
    reasons = [r[0] for r in rows(config, "select reason from raw.feeds_quarantine")]
    assert len(reasons) == 2
    assert any("entities" in r for r in reasons) and any("exceeds 100000" in r for r in reasons)
    first = rows(
        config,
        "select title, author, text, published_at, language from raw.feed_entries "
        "where url like '%nuage-hausse%'",
    )[0]
    assert first[0] == "Nuage Télécom augmente ses forfaits fibre de 2 €"
    assert first[1] == "Julie Martin"
    assert first[2].startswith("Nuage annonce une hausse de 2 € par mois sur ses offres NuageBox.")
    assert first[3].isoformat() == "2026-11-20T08:30:00+00:00" and first[4] == "fr-FR"

    runs(config, "feeds")
    assert feed.conditional[-1] is not None  # sent If-None-Match, got 304
    assert count(config, "feed_entries") == 3

    feed.body = BLOG.replace(
        b"<item>",
        b"<item><title>Nuage: retour du SAV</title><link>https://blog.example.fr/new/</link>"
        b"<guid>https://blog.example.fr/?p=4500</guid>"
        b"<pubDate>Sat, 21 Nov 2026 10:00:00 +0100</pubDate></item><item>",
        1,
    )
    runs(config, "feeds")
    assert count(config, "feed_entries") == 4
    assert count(config, "feeds_quarantine") == 2


@pytest.mark.slow
def test_real_feeds_received_equals_loaded_plus_quarantined(tmp_path, httpserver, shared_data):
    folder = shared_data / "rss_parser_feeds" / "input"
    files = sorted(folder.iterdir())
    expected_entries = 0
    for file in files:
        httpserver.expect_request(f"/{file.name}").respond_with_data(file.read_bytes())
        output = shared_data / "rss_parser_feeds" / "expected_output" / f"{file.stem}.json"
        if output.exists():
            items = json.loads(output.read_bytes().decode("utf-8", "replace"))["feed"]
            expected_entries += len(items.get("items", []))
    config = config_for(tmp_path, [httpserver.url_for(f"/{f.name}") for f in files])
    runs(config, "feeds")
    loaded, kept_aside = count(config, "feed_entries"), count(config, "feeds_quarantine")
    podcast = parse_feed((folder / "itunes-missing-image.rss").read_bytes())
    # that podcast repeats one guid: merge keeps one row for it
    without_reference = len({e.get("id") or e.get("link") for e in podcast.entries})
    # every entry rss-parser found, plus the feed it has no reference for, plus the non-feed
    assert loaded + kept_aside == expected_entries + without_reference + 1
    not_feed = rows(
        config, "select reason from raw.feeds_quarantine where reason like '%not a feed%'"
    )
    assert len(not_feed) == 1 and "unrecognized.rss" in not_feed[0][0]
    german = rows(config, "select count(*) from raw.feed_entries where feed_url like '%heise%'")
    assert german[0][0] == 15
