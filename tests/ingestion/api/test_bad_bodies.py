"""Every HTTP source keeps a broken or oversized response aside and finishes its run."""

from __future__ import annotations

import pytest

from .helpers import FAST, count, make_config, rows, runs

CASES = {
    "mastodon": ("/api/v1/timelines/tag/Nuage", {"hashtags": ["Nuage"]}),
    "bluesky": ("/xrpc/app.bsky.feed.searchPosts", {"queries": ["Nuage"]}),
    "reddit": ("/search.json", {"queries": ["Nuage"]}),
    "hackernews": ("/search_by_date", {"queries": ["Nuage"]}),
}


def section_for(name, httpserver, extra):
    root = httpserver.url_for("/").rstrip("/")
    key = {"mastodon": "instances"}.get(name, "base_url")
    value = [root] if key == "instances" else root
    return {key: value, **FAST, **extra}


@pytest.mark.parametrize("name", sorted(CASES))
@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b'{"posts": [{"uri": "at://x", ', "not valid JSON"),
        (b"\x00\xff\xfe garbage", "not valid UTF-8"),
        (b'{"data": ' + b"[0," * 3_500_000 + b"0]}", "exceeds 5000000 bytes"),  # ~10 MB
    ],
    ids=["malformed", "binary", "10MB"],
)
@pytest.mark.slow
def test_bad_body_is_quarantined_and_run_completes(tmp_path, httpserver, name, body, reason):
    path, extra = CASES[name]
    httpserver.expect_request(path).respond_with_data(body, content_type="application/json")
    config = make_config(tmp_path, {name: section_for(name, httpserver, extra)})
    runs(config, name)
    stored = rows(config, f"select reason, length(payload) from raw.{name}_quarantine")
    assert len(stored) == 1 and reason in stored[0][0], stored
    assert stored[0][1] <= 100_100  # payload capped by the quarantine contract
    table = {
        "mastodon": "mastodon_posts",
        "bluesky": "bluesky_posts",
        "reddit": "reddit_posts",
        "hackernews": "hackernews_items",
    }[name]
    assert count(config, table) == 0
