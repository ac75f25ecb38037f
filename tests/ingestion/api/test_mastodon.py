"""Mastodon source against a loopback server speaking the tag-timeline and search formats."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from dlt.pipeline.exceptions import PipelineStepFailed
from werkzeug import Request, Response

from ingestion.mastodon import default_hashtags, snowflake_at

from .helpers import FAST, count, fixture_json, make_config, rows, runs

RECORDED = fixture_json("mastodon_tag_timeline.json")


class FakeMastodon:
    """Serves statuses by tag (and search), paging forwards with min_id like Mastodon does."""

    def __init__(self, statuses: list[dict[str, Any]]) -> None:
        self.statuses = statuses
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.auth: list[str | None] = []

    def __call__(self, request: Request) -> Response:
        args = dict(request.args)
        self.requests.append((request.path, args))
        self.auth.append(request.headers.get("Authorization"))
        min_id, limit = int(args.get("min_id", 0)), int(args.get("limit", 20))
        if request.path.startswith("/api/v1/timelines/tag/"):
            tag = request.path.rsplit("/", 1)[1].casefold()
            pool = [s for s in self.statuses if tag in {t["name"] for t in s["tags"]}]
        else:
            pool = [s for s in self.statuses if args["q"].casefold() in s["content"].casefold()]
        after = sorted((s for s in pool if int(s["id"]) > min_id), key=lambda s: int(s["id"]))
        page = list(reversed(after[:limit]))
        headers = {"X-RateLimit-Limit": "300", "X-RateLimit-Remaining": "299"}
        if page:
            base = request.base_url
            headers["Link"] = (
                f'<{base}?max_id={page[-1]["id"]}>; rel="next", '
                f'<{base}?min_id={page[0]["id"]}>; rel="prev"'
            )
        if request.path == "/api/v2/search":
            body: Any = {"accounts": [], "statuses": page, "hashtags": []}
        else:
            body = page
        return Response(json.dumps(body), headers=headers, content_type="application/json")


@pytest.fixture
def mastodon(httpserver):
    fake = FakeMastodon(copy.deepcopy(RECORDED))
    httpserver.expect_request("/api/v1/timelines/tag/NuageTelecom").respond_with_handler(fake)
    httpserver.expect_request("/api/v2/search").respond_with_handler(fake)
    return fake


def config_for(tmp_path, httpserver, **extra):
    section = {
        "instances": [httpserver.url_for("/").rstrip("/")],
        "hashtags": ["#NuageTelecom"],
        "initial_days": 3650,
        "page_size": 2,
        **FAST,
        **extra,
    }
    return make_config(tmp_path, {"mastodon": section})


def test_default_hashtags_come_from_brand_aliases(tmp_path):
    config = make_config(tmp_path, {})
    assert default_hashtags(config) == ["NuageTélécom", "NuageBox", "nuage", "Célest", "Celest"]


@pytest.mark.slow
def test_pipeline_pages_forward_quarantines_and_is_incremental(tmp_path, httpserver, mastodon):
    config = config_for(tmp_path, httpserver)
    runs(config, "mastodon")
    assert count(config, "mastodon_posts") == 3  # the boost unwraps to a status already loaded
    assert count(config, "mastodon_quarantine") == 2
    reasons = sorted(r[0] for r in rows(config, "select reason from raw.mastodon_quarantine"))
    assert any("NUL" in r for r in reasons) and any("account" in r for r in reasons)
    marc = rows(
        config,
        "select author, instance, text, in_reply_to_id, favourites_count "
        "from raw.mastodon_posts where author = 'marc@piaille.fr'",
    )
    assert marc[0][2] == "Le SAV de Nuage m'a rappelé en 10 minutes, chapeau. #NuageTelecom"
    assert marc[0][3] == "113500000000000001" and marc[0][4] == 7
    first_run_calls = len(mastodon.requests)
    assert first_run_calls >= 3  # page_size 2: paged forwards through 6 statuses

    mastodon.requests.clear()
    newest = max(int(s["id"]) for s in RECORDED)
    runs(config, "mastodon")
    assert int(mastodon.requests[0][1]["min_id"]) == newest - snowflake_at(300)
    assert count(config, "mastodon_posts") == 3

    new = copy.deepcopy(RECORDED[0])
    new["id"] = str(newest + 10)
    new["uri"] = f"https://mastodon.social/users/claire/statuses/{new['id']}"
    mastodon.statuses.append(new)
    runs(config, "mastodon")
    assert count(config, "mastodon_posts") == 4


@pytest.mark.slow
def test_search_needs_and_sends_the_token(tmp_path, httpserver, mastodon, monkeypatch):
    monkeypatch.setenv("MASTODON_ACCESS_TOKEN", "s3cret-token")
    config = config_for(tmp_path, httpserver, hashtags=[], queries=["Célest"])
    runs(config, "mastodon")
    assert mastodon.requests[0][0] == "/api/v2/search"
    assert set(mastodon.auth) == {"Bearer s3cret-token"}
    assert count(config, "mastodon_posts") == 1


def test_bad_token_fails_fast_without_leaking_it(tmp_path, httpserver, monkeypatch):
    monkeypatch.setenv("MASTODON_ACCESS_TOKEN", "s3cret-token")
    httpserver.expect_request("/api/v2/search").respond_with_json(
        {"error": "The access token is invalid"}, status=401
    )
    config = config_for(tmp_path, httpserver, hashtags=[], queries=["Nuage"])
    with pytest.raises(PipelineStepFailed) as failure:
        runs(config, "mastodon")
    message = str(failure.value)
    assert "401" in message and "credentials" in message
    assert "s3cret-token" not in message
    assert len(httpserver.log) == 1  # a 401 is not retried
