"""Reddit source against a loopback server speaking Reddit's Listing format (and OAuth)."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from dlt.pipeline.exceptions import PipelineStepFailed
from werkzeug import Request, Response

from ingestion.reddit import thing_to_row

from .helpers import FAST, count, fixture_json, make_config, rows, runs

RECORDED = fixture_json("reddit_search_new.json")["data"]["children"]


class FakeReddit:
    """Search listings, newest first, `after` paging, optional bearer token check."""

    def __init__(self, children: list[dict[str, Any]], token: str | None = None) -> None:
        self.children = children
        self.token = token
        self.requests: list[tuple[str, dict[str, str]]] = []

    def __call__(self, request: Request) -> Response:
        args = dict(request.args)
        self.requests.append((request.path, args))
        if self.token and request.headers.get("Authorization") != f"bearer {self.token}":
            return Response('{"message": "Unauthorized", "error": 401}', status=401)
        word = args["q"].casefold()
        found = [
            c
            for c in self.children
            if word in json.dumps(c, ensure_ascii=False).casefold()
            and ("/r/" not in request.path or f"/r/{c['data'].get('subreddit')}/" in request.path)
        ]
        found.sort(key=lambda c: c["data"].get("created_utc", 0), reverse=True)
        names = [c["data"]["name"] for c in found]
        start = names.index(args["after"]) + 1 if "after" in args else 0
        limit = int(args["limit"])
        page = found[start : start + limit]
        after = page[-1]["data"]["name"] if start + limit < len(found) else None
        body = {"kind": "Listing", "data": {"after": after, "before": None, "children": page}}
        headers = {"X-Ratelimit-Remaining": "99.0", "X-Ratelimit-Reset": "300"}
        return Response(json.dumps(body), headers=headers, content_type="application/json")


def config_for(tmp_path, httpserver, **extra):
    root = httpserver.url_for("/").rstrip("/")
    section = {
        "base_url": root,
        "oauth_base_url": root + "/oauth",
        "initial_days": 3650,
        "page_size": 2,
        **FAST,
        **extra,
    }
    return make_config(tmp_path, {"reddit": section})


@pytest.fixture(autouse=True)
def no_credentials(monkeypatch):
    monkeypatch.delenv("REDDIT_CLIENT_ID", raising=False)
    monkeypatch.delenv("REDDIT_CLIENT_SECRET", raising=False)


@pytest.mark.slow
def test_anonymous_search_pages_quarantines_and_is_incremental(tmp_path, httpserver):
    fake = FakeReddit(copy.deepcopy(RECORDED))
    httpserver.expect_request("/search.json").respond_with_handler(fake)
    config = config_for(tmp_path, httpserver, queries=["Nuage"])
    runs(config, "reddit")
    assert count(config, "reddit_posts") == 4
    assert count(config, "reddit_quarantine") == 2
    assert len(fake.requests) == 3  # 6 results, 2 per page
    post = rows(
        config,
        "select kind, subreddit, title, url, score, num_comments, created_at "
        "from raw.reddit_posts where name = 't3_1gx9a2k'",
    )[0]
    assert post[:2] == ("submission", "france")
    assert post[3].startswith("http") and "/r/france/comments/1gx9a2k/" in post[3]
    assert post[4:6] == (48, 31)

    fake.requests.clear()
    runs(config, "reddit")
    assert len(fake.requests) == 1  # the first page already reaches the saved cursor
    assert count(config, "reddit_posts") == 4

    new = copy.deepcopy(RECORDED[0])
    new["data"].update(id="1gxnew1", name="t3_1gxnew1", created_utc=1795400000.0)
    fake.children.append(new)
    runs(config, "reddit")
    assert count(config, "reddit_posts") == 5


@pytest.mark.slow
def test_oauth_token_then_search(tmp_path, httpserver, monkeypatch):
    monkeypatch.setenv("REDDIT_CLIENT_ID", "my-client")
    monkeypatch.setenv("REDDIT_CLIENT_SECRET", "my-secret")
    httpserver.expect_request("/api/v1/access_token", method="POST").respond_with_json(
        {"access_token": "tok-123", "token_type": "bearer", "expires_in": 86400, "scope": "*"}
    )
    fake = FakeReddit(copy.deepcopy(RECORDED), token="tok-123")
    httpserver.expect_request("/oauth/r/france/search").respond_with_handler(fake)
    config = config_for(tmp_path, httpserver, queries=["Nuage"], subreddits=["france"])
    runs(config, "reddit")
    assert count(config, "reddit_posts") == 2  # valid r/france posts that mention Nuage
    assert fake.requests[0][1]["restrict_sr"] == "on"
    auth = httpserver.log[0][0].authorization
    assert (auth.username, auth.password) == ("my-client", "my-secret")


def test_rejected_credentials_fail_fast_with_a_fix(tmp_path, httpserver, monkeypatch):
    monkeypatch.setenv("REDDIT_CLIENT_ID", "my-client")
    monkeypatch.setenv("REDDIT_CLIENT_SECRET", "wrong-secret")
    httpserver.expect_request("/api/v1/access_token").respond_with_json(
        {"message": "Unauthorized", "error": 401}, status=401
    )
    config = config_for(tmp_path, httpserver, queries=["Nuage"])
    with pytest.raises(PipelineStepFailed) as failure:
        runs(config, "reddit")
    assert "credentials" in str(failure.value) and "wrong-secret" not in str(failure.value)
    assert len(httpserver.log) == 1


@pytest.mark.slow
def test_real_reddit_listing_envelope(tmp_path, httpserver, shared_data):
    recorded = json.loads(
        (
            shared_data
            / "reddit_api_praw_cassettes"
            / "r_all_comments_stream_2016-12-22.first_raw_response.json"
        ).read_text(encoding="utf-8")
    )["response_body"]
    children = recorded["data"]["children"]
    for child in children:
        row = thing_to_row(child, "the")
        assert row["kind"] == "comment" and row["link_id"].startswith("t3_")
    httpserver.expect_request("/search.json").respond_with_json(recorded)
    config = config_for(tmp_path, httpserver, queries=["anything"], page_size=100)
    runs(config, "reddit")
    assert count(config, "reddit_posts") + count(config, "reddit_quarantine") == len(children)
    assert count(config, "reddit_posts") == len(children)
