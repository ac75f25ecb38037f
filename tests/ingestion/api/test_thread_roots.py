"""Thread roots: a reply to a reply belongs to the thread of the first post, in every source."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from core.raw_schema import RAW_TABLES
from ingestion.api import records
from ingestion.api.records import thread_root
from ingestion.bluesky import post_to_row
from ingestion.file_import import record_to_row, set_thread_roots
from ingestion.hackernews import hit_to_row
from ingestion.mastodon import in_thread

from .helpers import make_config, rows, runs


def _row(original: str | None, parent: str | None = None, platform: str = "forum") -> dict:
    record: dict[str, Any] = {"text": f"message {original}", "created_at": "2024-05-01T10:00:00Z"}
    record.update({"id": original, "in_reply_to": parent, "platform": platform})
    return record_to_row({k: v for k, v in record.items() if v is not None}, "import", "x.jsonl")


def test_thread_root_follows_parents_to_the_first_post():
    parents = {"c": "b", "b": "a"}
    assert thread_root(parents, "c") == "a"
    assert thread_root(parents, "a") == "a"
    assert thread_root(parents, "z") == "z"


def test_a_reply_loop_still_ends_at_a_post():
    assert thread_root({"a": "b", "b": "a"}, "a") in {"a", "b"}
    assert thread_root({"a": "a"}, "a") == "a"


def test_reply_to_a_reply_gets_the_root_whatever_the_row_order():
    file = [_row("3", "2"), _row("2", "1"), _row("1"), _row("9")]
    set_thread_roots(file, {})
    assert {r["original_id"]: r["thread_id"] for r in file} == {
        "3": "1",
        "2": "1",
        "1": "1",
        "9": "9",
    }


def test_ids_are_only_joined_within_one_platform():
    file = [_row("2", "1", platform="forum"), _row("1", "0", platform="mastodon")]
    set_thread_roots(file, {})
    assert [r["thread_id"] for r in file] == ["1", "0"]


def test_a_reply_whose_parent_was_not_collected_is_rooted_at_that_parent():
    file = [_row("5", "4"), _row(None, "5")]
    set_thread_roots(file, {})
    assert [r["thread_id"] for r in file] == ["4", "4"]


def test_a_post_without_id_or_parent_is_its_own_thread():
    file = [_row(None)]
    set_thread_roots(file, {})
    assert file[0]["thread_id"] is None


def test_links_of_an_earlier_load_root_a_later_reply():
    links: dict[str, str] = {}
    first = [_row("1"), _row("2", "1")]
    set_thread_roots(first, links)
    later = [_row("3", "2")]
    set_thread_roots(later, links)
    assert later[0]["thread_id"] == "1"


def _write(path: Path, records: list[dict[str, Any]]) -> None:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")


@pytest.mark.slow
@pytest.mark.skipif(
    "thread_id" not in RAW_TABLES["import_posts"].column_names,
    reason="core.raw_schema does not declare import_posts.thread_id yet",
)
def test_import_stores_the_root_across_loads(tmp_path):
    exports = tmp_path / "exports"
    exports.mkdir()
    when = "2024-05-01T10:00:00Z"
    _write(
        exports / "a.jsonl",
        [
            {"id": "2", "in_reply_to": "1", "text": "Pareil chez moi", "created_at": when},
            {"id": "1", "text": "Panne Nuage ?", "created_at": when},
        ],
    )
    config = make_config(tmp_path, {"file_import": {"paths": ["exports/*.jsonl"]}})
    runs(config, "file_import")
    _write(
        exports / "b.jsonl",
        [{"id": "3", "in_reply_to": "2", "text": "Toujours rien", "created_at": when}],
    )
    runs(config, "file_import")
    found = rows(config, "select original_id, parent_id, thread_id from raw.import_posts")
    assert sorted(found) == [("1", None, "1"), ("2", "1", "1"), ("3", "2", "1")]


def _status(links: dict, status_id: str, parent: str | None = None, instance: str = "m.test"):
    return in_thread(
        {"instance": instance, "status_id": status_id, "in_reply_to_id": parent}, links
    )


def test_mastodon_reply_chain_is_rooted_across_runs_and_per_instance():
    links: dict[str, str] = {}
    first = [_status(links, "1"), _status(links, "2", "1")]
    later = _status(links, "3", "2")  # a later run: the links are the ones kept in dlt state
    other = _status(links, "3", "2", instance="o.test")
    assert thread_root(links, "m.test:3") == "m.test:1"
    assert thread_root(links, "o.test:3") == "o.test:2"
    if "thread_id" in later:  # stored once core.raw_schema declares mastodon_posts.thread_id
        assert [r["thread_id"] for r in (*first, later, other)] == ["1", "1", "1", "2"]


def test_reply_links_forget_the_oldest_past_the_cap(monkeypatch):
    monkeypatch.setattr(records, "MAX_REPLY_LINKS", 2)
    links: dict[str, str] = {}
    for post, parent in (("b", "a"), ("c", "b"), ("d", "c")):
        records.note_parent(links, post, parent)
    assert links == {"c": "b", "d": "c"}


def test_every_api_source_row_names_its_parent_and_root():
    hn = hit_to_row(
        {
            "objectID": "12",
            "_tags": ["comment"],
            "created_at_i": 1714557600,
            "comment_text": "<p>pareil</p>",
            "parent_id": 11,
            "story_id": 10,
        },
        "Nuage",
    )
    assert (hn["parent_id"], hn["story_id"]) == ("11", "10")
    reply = {
        "uri": "at://did:plc:b/app.bsky.feed.post/3",
        "cid": "c3",
        "author": {"handle": "b.test", "did": "did:plc:b"},
        "indexedAt": "2024-05-01T10:00:00Z",
        "record": {
            "text": "Pareil",
            "createdAt": "2024-05-01T10:00:00Z",
            "reply": {
                "parent": {"uri": "at://did:plc:a/app.bsky.feed.post/2", "cid": "c2"},
                "root": {"uri": "at://did:plc:a/app.bsky.feed.post/1", "cid": "c1"},
            },
        },
    }
    bsky = post_to_row(reply, "Nuage")
    assert bsky["parent_uri"].endswith("/2") and bsky["root_uri"].endswith("/1")
