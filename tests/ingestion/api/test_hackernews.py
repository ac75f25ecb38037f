"""Hacker News source against a loopback server speaking the Algolia search format."""

from __future__ import annotations

import copy
import json
import re
import time
import unicodedata
from typing import Any

import pytest
from dlt.pipeline.exceptions import PipelineStepFailed
from werkzeug import Request, Response

from ingestion.api.records import RecordError, html_to_text
from ingestion.hackernews import hit_to_row

from .helpers import count, fixture_json, make_config, rows, runs

RECORDED = fixture_json("hn_search_by_date.json")
GOOD = 5  # hits in the recording that are valid (2 are broken on purpose)


class FakeAlgolia:
    """Serves recorded hits, honouring query, numericFilters, page and hitsPerPage."""

    def __init__(self, hits: list[dict[str, Any]]) -> None:
        self.hits = hits
        self.requests: list[dict[str, str]] = []
        self.fail_page: int | None = None

    def __call__(self, request: Request) -> Response:
        args = dict(request.args)
        self.requests.append(args)
        page, per_page = int(args["page"]), int(args["hitsPerPage"])
        if self.fail_page is not None and page == self.fail_page:
            return Response("bad request", status=400)
        lower, upper = 0, 2**40
        for op, value in re.findall(r"created_at_i(>|<=)(\d+)", args["numericFilters"]):
            lower, upper = (int(value), upper) if op == ">" else (lower, int(value))
        word = args["query"].casefold()

        def keep(hit: dict[str, Any]) -> bool:
            created = hit.get("created_at_i")
            if isinstance(created, int) and not lower < created <= upper:
                return False
            blob = unicodedata.normalize("NFC", json.dumps(hit, ensure_ascii=False)).casefold()
            return word in blob

        found = sorted(
            (h for h in self.hits if keep(h)),
            key=lambda h: h["created_at_i"] if isinstance(h["created_at_i"], int) else 0,
            reverse=True,
        )
        chunk = found[page * per_page : (page + 1) * per_page]
        body = {
            "hits": chunk,
            "nbHits": len(found),
            "page": page,
            "nbPages": max(1, -(-len(found) // per_page)),
            "hitsPerPage": per_page,
        }
        return Response(json.dumps(body), content_type="application/json")


@pytest.fixture
def algolia(httpserver):
    fake = FakeAlgolia(copy.deepcopy(RECORDED["hits"]))
    httpserver.expect_request("/api/v1/search_by_date").respond_with_handler(fake)
    return fake


def hn_config(tmp_path, httpserver, **extra):
    section = {
        "base_url": httpserver.url_for("/api/v1"),
        "initial_days": 3650,
        "hits_per_page": 2,
        "request_max_attempts": 3,
        "request_backoff_s": 0.01,
        "max_retry_delay_s": 0.05,
        **extra,
    }
    return make_config(tmp_path, {"hackernews": section})


def test_html_to_text_unescapes_and_keeps_paragraphs():
    text = html_to_text("Fibr&#xE9;a&#x27;s <i>SAV</i><p>second &amp; last<script>x()</script>")
    assert text == "Fibréa's SAV\n\nsecond & last"


def test_hit_to_row_rejects_wrong_types_and_nul():
    hit = copy.deepcopy(RECORDED["hits"][0])
    row = hit_to_row(hit, "Nuage")
    assert row["item_type"] == "comment"
    assert row["parent_id"] == "41203311"
    assert '"reboot the box"' in row["text"]
    with pytest.raises(RecordError, match="created_at_i"):
        hit_to_row({**hit, "created_at_i": "x"}, "Nuage")
    with pytest.raises(RecordError, match="NUL"):
        hit_to_row({**hit, "comment_text": "a\x00b"}, "Nuage")
    with pytest.raises(RecordError, match="objectID"):
        hit_to_row({**hit, "objectID": None}, "Nuage")


@pytest.mark.slow
def test_pipeline_loads_quarantines_and_is_incremental(tmp_path, httpserver, algolia):
    config = hn_config(tmp_path, httpserver, queries=["Nuage", "nuage", "Célest"])
    runs(config, "hackernews")

    assert count(config, "hackernews_items") == GOOD
    assert count(config, "hackernews_quarantine") == 2
    # one query per distinct term (case-insensitive), several pages of 2 hits
    assert {r["query"] for r in algolia.requests} == {"Nuage", "Célest"}
    story = rows(
        config,
        "select item_type, title, points, num_comments, matched_query, created_at "
        "from raw.hackernews_items where object_id = '41203311'",
    )[0]
    assert story[:5] == ("story", story[1], 212, 57, "Nuage, Célest")  # both in its text
    assert story[5].utcoffset().total_seconds() == 0
    nfc = rows(config, "select text from raw.hackernews_items where object_id = '41190101'")
    assert nfc[0][0].startswith("Café owners on Célest")
    reasons = [r[0] for r in rows(config, "select reason from raw.hackernews_quarantine")]
    assert any("objectID" in r for r in reasons) and any("created_at_i" in r for r in reasons)

    # second run: asks only for items newer than the cursor (minus the overlap)
    algolia.requests.clear()
    runs(config, "hackernews")
    newest = max(h["created_at_i"] for h in RECORDED["hits"] if isinstance(h["created_at_i"], int))
    nuage = [r for r in algolia.requests if r["query"] == "Nuage"]
    assert nuage[0]["numericFilters"] == f"created_at_i>{newest - 300}"
    assert count(config, "hackernews_items") == GOOD
    assert count(config, "hackernews_quarantine") == 2

    # a new comment appears: the third run loads just it
    new = {**RECORDED["hits"][0], "objectID": "41300000", "created_at_i": newest + 60}
    new["created_at"] = "2026-11-20T20:00:00Z"
    algolia.hits.append(new)
    runs(config, "hackernews")
    assert count(config, "hackernews_items") == GOOD + 1


@pytest.mark.slow
def test_terminal_error_mid_extraction_then_rerun_matches_clean_run(tmp_path, httpserver, algolia):
    config = hn_config(tmp_path, httpserver, queries=["Nuage"])
    algolia.fail_page = 1
    with pytest.raises(PipelineStepFailed, match="answered 400"):
        runs(config, "hackernews")
    assert count(config, "hackernews_items") == 0
    algolia.fail_page = None
    runs(config, "hackernews")
    clean = make_config(tmp_path / "clean", {"hackernews": config.sources.hackernews.model_dump()})
    runs(clean, "hackernews")
    sql = "select object_id from raw.hackernews_items order by 1"
    assert rows(config, sql) == rows(clean, sql)
    assert len(rows(config, sql)) == 4  # the Célest-only comment is not matched by "Nuage"


@pytest.mark.slow
def test_retries_5xx_and_honours_retry_after(tmp_path, httpserver):
    body = json.dumps({**RECORDED, "hits": RECORDED["hits"][:2], "nbHits": 2, "nbPages": 1})
    httpserver.expect_ordered_request("/api/v1/search_by_date").respond_with_data(
        "busy", status=503
    )
    httpserver.expect_ordered_request("/api/v1/search_by_date").respond_with_data(
        "slow down", status=429, headers={"Retry-After": "1"}
    )
    httpserver.expect_ordered_request("/api/v1/search_by_date").respond_with_data(
        body, content_type="application/json"
    )
    config = hn_config(tmp_path, httpserver, queries=["Nuage"], max_retry_delay_s=2)
    started = time.monotonic()
    runs(config, "hackernews")
    assert time.monotonic() - started >= 0.9  # waited the 1 s Retry-After asked for
    assert count(config, "hackernews_items") == 2


@pytest.mark.slow
def test_malformed_and_oversized_pages_are_quarantined(tmp_path, httpserver):
    def broken(request: Request) -> Response:
        if request.args["query"] == "a":  # invalid UTF-8 in a JSON body
            return Response(b'{"hits": [ {"objectID": "1", \xff', content_type="application/json")
        return Response(b'{"hits": "' + b"x" * 3_000_000 + b'"}', content_type="application/json")

    httpserver.expect_request("/api/v1/search_by_date").respond_with_handler(broken)
    config = hn_config(tmp_path, httpserver, queries=["a", "b"], max_response_bytes=1_000_000)
    runs(config, "hackernews")
    reasons = sorted(r[0] for r in rows(config, "select reason from raw.hackernews_quarantine"))
    assert len(reasons) == 2
    assert any("exceeds 1000000 bytes" in r for r in reasons)
    assert any("UTF-8" in r for r in reasons)


def test_matched_query_comes_from_the_content_not_the_search() -> None:
    from ingestion.api.records import matching_queries

    queries = ["Nuage", "Nuage Télécom", "Zest"]
    assert matching_queries("Panne chez NUAGE TELECOM", queries, "Zest") == "Nuage, Nuage Télécom"
    assert matching_queries("nothing local", queries, "Zest") == "Zest"
    assert matching_queries("Nuageux ce matin", queries, "Nuage") == "Nuage"  # fallback only
