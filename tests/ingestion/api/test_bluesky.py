"""Bluesky source against a loopback server speaking `app.bsky.feed.searchPosts`."""

from __future__ import annotations

import copy
import json
import time
from typing import Any

import pytest
from werkzeug import Request, Response

from ingestion.api.records import parse_time

from .helpers import FAST, count, fixture_json, make_config, rows, runs

RECORDED = fixture_json("bluesky_search_posts.json")["posts"]
PATH = "/xrpc/app.bsky.feed.searchPosts"


class FakeAppView:
    """Search by substring, newest first, `since` inclusive, offset cursors, rate-limit headers."""

    def __init__(self, posts: list[dict[str, Any]]) -> None:
        self.posts = posts
        self.requests: list[dict[str, str]] = []

    def __call__(self, request: Request) -> Response:
        args = dict(request.args)
        self.requests.append(args)
        since = parse_time(args["since"], "since")
        word = args["q"].casefold()
        found = [
            p
            for p in self.posts
            if word in json.dumps(p, ensure_ascii=False).casefold()
            and parse_time(p["indexedAt"], "indexedAt") >= since
        ]
        found.sort(key=lambda p: p["indexedAt"], reverse=True)
        offset, limit = int(args.get("cursor", 0)), int(args["limit"])
        page = found[offset : offset + limit]
        body: dict[str, Any] = {"posts": page, "hitsTotal": len(found)}
        if offset + limit < len(found):
            body["cursor"] = str(offset + limit)
        headers = {"RateLimit-Limit": "3000", "RateLimit-Remaining": "2999"}
        return Response(json.dumps(body), headers=headers, content_type="application/json")


@pytest.fixture
def appview(httpserver):
    fake = FakeAppView(copy.deepcopy(RECORDED))
    httpserver.expect_request(PATH).respond_with_handler(fake)
    return fake


def config_for(tmp_path, httpserver, **extra):
    section = {
        "base_url": httpserver.url_for("/").rstrip("/"),
        "initial_days": 3650,
        "page_size": 2,
        **FAST,
        **extra,
    }
    return make_config(tmp_path, {"bluesky": section})


@pytest.mark.slow
def test_pipeline_loads_quarantines_and_is_incremental(tmp_path, httpserver, appview):
    config = config_for(tmp_path, httpserver, queries=["Nuage", "Célest"])
    runs(config, "bluesky")
    assert count(config, "bluesky_posts") == 3
    assert count(config, "bluesky_quarantine") == 2
    reply = rows(
        config,
        "select author, parent_uri, root_uri, url, language from raw.bluesky_posts "
        "where author = 'marc.fr'",
    )[0]
    assert reply[1] == reply[2] and reply[1].startswith("at://")
    assert reply[3] == "https://bsky.app/profile/marc.fr/post/3lbrkd2dlzs2y"
    reasons = " ".join(r[0] for r in rows(config, "select reason from raw.bluesky_quarantine"))
    assert "likeCount" in reasons and "record" in reasons

    appview.requests.clear()
    runs(config, "bluesky")
    first = next(r for r in appview.requests if r["q"] == "Nuage")
    assert first["since"] == "2026-11-20T08:00:01.312Z"  # newest indexedAt minus the overlap
    assert count(config, "bluesky_posts") == 3

    new = copy.deepcopy(RECORDED[0])
    new["uri"] = new["uri"][:-4] + "zzzz"
    new["indexedAt"] = "2026-11-21T09:00:00.000Z"
    appview.posts.append(new)
    runs(config, "bluesky")
    assert count(config, "bluesky_posts") == 4


@pytest.mark.slow
def test_rate_limit_spent_makes_the_client_wait(tmp_path, httpserver):
    reset = str(int(time.time()) + 2)  # Bluesky sends the reset as epoch seconds
    httpserver.expect_ordered_request(PATH).respond_with_json(
        {"posts": RECORDED[:1], "cursor": "1"},
        headers={"RateLimit-Remaining": "0", "RateLimit-Reset": reset},
    )
    httpserver.expect_ordered_request(PATH).respond_with_json({"posts": []})
    config = config_for(tmp_path, httpserver, queries=["Nuage"], max_retry_delay_s=1.0)
    started = time.monotonic()
    runs(config, "bluesky")
    assert time.monotonic() - started >= 0.9  # paused (capped at max_retry_delay_s)
    assert len(httpserver.log) == 2
    assert count(config, "bluesky_posts") == 1
