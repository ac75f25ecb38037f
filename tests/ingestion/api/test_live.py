"""Smoke tests against the real services; run only with ECOUTE_LIVE_TESTS=1 (they need internet)."""

from __future__ import annotations

import os

import pytest

from .helpers import count, make_config, runs

pytestmark = [
    pytest.mark.live,
    pytest.mark.skipif(
        os.environ.get("ECOUTE_LIVE_TESTS") != "1", reason="set ECOUTE_LIVE_TESTS=1 to run"
    ),
]
FEW = {"max_pages": 1, "initial_days": 2, "request_max_attempts": 2}


@pytest.mark.parametrize(
    ("name", "section", "table"),
    [
        ("hackernews", {"queries": ["python"], "hits_per_page": 20, **FEW}, "hackernews_items"),
        ("mastodon", {"hashtags": ["python"], "page_size": 20, **FEW}, "mastodon_posts"),
        ("bluesky", {"queries": ["python"], "page_size": 25, **FEW}, "bluesky_posts"),
        ("reddit", {"queries": ["python"], "page_size": 25, **FEW}, "reddit_posts"),
    ],
)
def test_live_search(tmp_path, name, section, table):
    config = make_config(tmp_path, {name: section})
    runs(config, name)
    assert count(config, table) > 0


def test_live_feed(tmp_path):
    config = make_config(tmp_path, {"feeds": {"urls": ["https://news.ycombinator.com/rss"]}})
    runs(config, "feeds")
    assert count(config, "feed_entries") > 0
