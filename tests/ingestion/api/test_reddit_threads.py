"""Reddit comment trees: `/comments/{id}` and bounded `/api/morechildren`, served on loopback in
the shape of Reddit's answers (fixture `reddit_comment_tree.json`, written for these tests)."""

from __future__ import annotations

import copy
import json
import re
from typing import Any

import pytest
from werkzeug import Request, Response

from ingestion.reddit import thing_to_row
from ingestion.reddit.threads import Pending, flatten

from .helpers import count, fixture_json, rows, runs
from .test_reddit import RECORDED, FakeReddit, config_for

TREE = fixture_json("reddit_comment_tree.json")
ROOT = "t3_1gx9a2k"


class FakeThreads:
    """`/comments/{id}.json` from the fixture (404 for other posts) and `/api/morechildren.json`
    answering each asked id with its recorded things, flat, as Reddit does."""

    def __init__(self, tree: dict[str, Any]) -> None:
        self.tree = tree
        self.requests: list[tuple[str, dict[str, str]]] = []

    def __call__(self, request: Request) -> Response:
        args = dict(request.args)
        self.requests.append((request.path, args))
        if request.path.endswith("/api/morechildren.json"):
            assert args["link_id"] == ROOT and args["api_type"] == "json"
            things = [t for i in args["children"].split(",") for t in self.tree["morechildren"][i]]
            body: Any = {"json": {"errors": [], "data": {"things": things}}}
        else:
            post = request.path.split("/comments/")[1].removesuffix(".json")
            if post not in self.tree["comments"]:
                return Response('{"message": "Not Found", "error": 404}', status=404)
            body = self.tree["comments"][post]
        return Response(json.dumps(body), content_type="application/json")


def _serve(httpserver: Any) -> FakeThreads:
    search = FakeReddit(copy.deepcopy(RECORDED))
    threads = FakeThreads(copy.deepcopy(TREE))
    httpserver.expect_request("/search.json").respond_with_handler(search)
    httpserver.expect_request(
        re.compile(r"^/(comments/.*|api/morechildren\.json)$")
    ).respond_with_handler(threads)
    return threads


def test_flatten_yields_parents_before_replies_and_collects_more_ids():
    pending = Pending()
    things = list(flatten(TREE["comments"]["1gx9a2k"][1], pending))
    ids = [t["data"]["id"] for t in things]
    assert ids == ["kc01", "kc02", "kc03", "kc04", "kc05", "kc11"]
    assert pending.more == ["kc07", "kc06", "kc08"]
    assert pending.deep == ["t1_kc03"]  # "continue this thread": Reddit's depth limit
    parents = {t["data"]["name"] for t in things} | {ROOT}
    assert all(t["data"]["parent_id"] in parents for t in things)


def test_a_comment_row_points_at_its_parent_and_its_thread_root():
    reply = TREE["morechildren"]["kc08"][1]
    row = thing_to_row(reply, "Nuage")
    assert (row["kind"], row["parent_id"], row["link_id"]) == ("comment", "t1_kc08", ROOT)


@pytest.mark.slow
def test_matched_post_brings_its_whole_tree_with_more_expanded(tmp_path, httpserver):
    threads = _serve(httpserver)
    config = config_for(tmp_path, httpserver, queries=["Nuage"])
    runs(config, "reddit")
    found = rows(
        config,
        "select post_id, parent_id, link_id, kind from raw.reddit_posts where kind = 'comment'",
    )
    by_id = {r[0]: r for r in found}
    assert set(by_id) == {f"kc{n:02d}" for n in range(1, 13)} - {"kc11"}  # kc11 has no date
    assert all(r[2] == ROOT and r[3] == "comment" for r in found)
    assert by_id["kc10"][1] == "t1_kc09" and by_id["kc09"][1] == "t1_kc08"
    assert by_id["kc07"][1] == "t1_kc02" and by_id["kc01"][1] == ROOT
    assert by_id["kc12"][1] == "t1_kc03"  # read from kc03's own page
    titles = rows(
        config, "select distinct title from raw.reddit_posts where link_id = 't3_1gx9a2k'"
    )
    assert titles == [("Panne Nuage Télécom à Lyon ce matin ?",)]  # the thread's, as in search
    reasons = rows(config, "select reason from raw.reddit_quarantine")
    assert any("created_utc" in r[0] for r in reasons)
    more_calls = [a for p, a in threads.requests if p.endswith("/api/morechildren.json")]
    assert [c["children"] for c in more_calls] == ["kc07,kc06,kc08", "kc10"]
    trees = {p for p, _ in threads.requests if "/comments/" in p and "/_/" not in p}
    assert "/comments/1gx9a2k.json" in trees and len(trees) == 4  # one per matched post
    assert ("/comments/1gx9a2k/_/kc03.json", {"raw_json": "1"}) in threads.requests


@pytest.mark.slow
def test_more_expansion_is_bounded_per_post(tmp_path, httpserver):
    threads = _serve(httpserver)
    config = config_for(tmp_path, httpserver, queries=["Nuage"], max_more_requests=1)
    runs(config, "reddit")
    ids = {
        r[0] for r in rows(config, "select post_id from raw.reddit_posts where kind = 'comment'")
    }
    assert "kc09" in ids and "kc10" not in ids and "kc12" not in ids
    assert sum(p.endswith("/api/morechildren.json") for p, _ in threads.requests) == 1


@pytest.mark.slow
def test_comment_trees_can_be_switched_off(tmp_path, httpserver):
    threads = _serve(httpserver)
    config = config_for(tmp_path, httpserver, queries=["Nuage"], comment_trees=False)
    runs(config, "reddit")
    assert threads.requests == []
    assert count(config, "reddit_posts") == 4


def _benchmark() -> Any:
    """benchmarks/reddit_threads.py as a module: the test checks the replay it prints from."""
    import importlib.util
    import sys
    from pathlib import Path

    path = Path(__file__).resolve().parents[3] / "benchmarks" / "reddit_threads.py"
    spec = importlib.util.spec_from_file_location("reddit_threads_benchmark", path)
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = bench  # dataclasses look their module up there
    spec.loader.exec_module(bench)
    return bench


@pytest.mark.slow
def test_recorded_reddit_thread_is_rebuilt_whole(httpserver, shared_data):
    bench = _benchmark()
    bench.CASSETTES = shared_data / "reddit_api_praw_cassettes"
    bounded = bench.replay_thread(httpserver, 3)
    whole = bench.replay_thread(httpserver, 100)
    assert bounded.calls == 3 and bounded.comments < whole.comments
    assert whole.comments == whole.recorded and whole.refused == 0
    assert whole.with_parent == whole.rooted == whole.comments
