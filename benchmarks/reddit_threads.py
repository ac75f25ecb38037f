"""Replay the recorded Reddit comment trees and count what the comment-tree reader rebuilds.

Reads `../shared/data/reddit_api_praw_cassettes` (skips cleanly when absent). The r/announcements
thread is served on loopback the way Reddit serves it: the recorded first `/comments/n49rw` answer
(with its `more` stubs), then `/api/morechildren` answering each asked id with that comment and its
recorded replies, flat, and `/comments/n49rw/_/{id}` for a branch cut at Reddit's depth limit.
The replay answers whole branches, so the counts are what the reader rebuilds when Reddit answers
every call; live Reddit may need more calls for the same tree. Every comment read goes through
`thing_to_row`; the script prints how many of the recorded comments come back, how many hang from
a parent that was read too (their thread is whole), per `max_more_requests`, and the threads
found in the r/all comment stream.
Run: `python benchmarks/reddit_threads.py`.
"""

from __future__ import annotations

import json
import logging
import re
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from ingestion.api.client import ApiClient, HttpSettings  # noqa: E402
from ingestion.api.records import RecordError  # noqa: E402
from ingestion.reddit import thing_to_row  # noqa: E402
from ingestion.reddit.threads import comment_tree  # noqa: E402

CASSETTES = REPO / ".." / "shared" / "data" / "reddit_api_praw_cassettes"
THREAD = "r_announcements_thread_n49rw_2016-03-22"
STREAM = "r_all_comments_stream_2016-12-22"


def _things(name: str) -> list[dict[str, Any]]:
    with (CASSETTES / f"{name}.jsonl").open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


class Replay:
    """`/comments/{id}` from the first recorded answer; `/api/morechildren` from the full tree."""

    def __init__(self, first: Any, things: list[dict[str, Any]]) -> None:
        self.first = first
        self.by_name = {t["data"]["name"]: t for t in things}
        self.replies: dict[str, list[str]] = defaultdict(list)
        for thing in things:
            self.replies[thing["data"].get("parent_id") or ""].append(thing["data"]["name"])
        self.calls = 0

    def subtree(self, name: str) -> list[dict[str, Any]]:
        found, stack = [], [name]
        while stack:
            current = stack.pop()
            if current in self.by_name:
                found.append(self.by_name[current])
            stack.extend(reversed(self.replies.get(current, [])))
        return found

    def nested(self, name: str) -> dict[str, Any]:
        """`name` with its replies nested as Listings, as on a `/comments/{post}/_/{id}` page."""
        thing = json.loads(json.dumps(self.by_name[name]))
        replies = [self.nested(r) for r in self.replies.get(name, [])]
        thing["data"]["replies"] = (
            {"kind": "Listing", "data": {"children": replies}} if replies else ""
        )
        return thing

    def __call__(self, request: Request) -> Response:
        body: Any
        if "/_/" in request.path:  # a branch cut at Reddit's depth limit
            self.calls += 1
            parent = "t1_" + request.path.rsplit("/", 1)[1].removesuffix(".json")
            body = [self.first[0], {"kind": "Listing", "data": {"children": [self.nested(parent)]}}]
        elif request.path.startswith("/api/morechildren"):
            self.calls += 1
            ids = request.args["children"].split(",")
            things = [t for i in ids for t in self.subtree(f"t1_{i}")]
            body = {"json": {"errors": [], "data": {"things": things}}}
        else:
            body = self.first
        return Response(json.dumps(body), content_type="application/json")


def _rows(hits: Any) -> tuple[list[dict[str, Any]], int]:
    rows: dict[str, dict[str, Any]] = {}
    bad = 0
    for thing, problem in hits:
        try:
            if problem is not None:
                raise RecordError(problem)
            row = thing_to_row(thing, "")
        except RecordError:
            bad += 1
            continue
        rows.setdefault(row["name"], row)
    return list(rows.values()), bad


@dataclass(frozen=True)
class Rebuilt:
    """What one replay of the recorded thread gave back."""

    comments: int
    recorded: int
    calls: int
    with_parent: int
    rooted: int
    refused: int


def replay_thread(server: HTTPServer, max_more_requests: int) -> Rebuilt:
    """Read the recorded thread through `comment_tree` against `server` (loopback)."""
    recorded = _things(THREAD)
    first = json.loads((CASSETTES / f"{THREAD}.first_raw_response.json").read_text("utf-8"))
    replay = Replay(first["response_body"], recorded)
    server.clear()
    server.expect_request(
        re.compile(r"^/(comments/n49rw.*|api/morechildren\.json)$")
    ).respond_with_handler(replay)
    client = ApiClient("reddit", HttpSettings(user_agent="ecoute-benchmark", max_attempts=1))
    root = server.url_for("/").rstrip("/")
    rows, bad = _rows(comment_tree(client, root, ".json", "t3_n49rw", max_more_requests))
    names = {r["name"] for r in rows} | {"t3_n49rw"}
    return Rebuilt(
        comments=len(rows),
        recorded=sum(t["kind"] == "t1" for t in recorded),
        calls=replay.calls,
        with_parent=sum(r["parent_id"] in names for r in rows),
        rooted=sum(r["link_id"] == "t3_n49rw" for r in rows),
        refused=bad,
    )


def stream_threads() -> None:
    rows, bad = _rows((t, None) for t in _things(STREAM))
    threads = {r["link_id"] for r in rows}
    names = {r["name"] for r in rows}
    answered = sum(r["parent_id"] in names for r in rows)
    print(
        f"  r/all comment stream: {len(rows)} comments in {len(threads)} threads "
        f"(root link_id on {sum(bool(r['link_id']) for r in rows)}), {answered} answer a comment "
        f"also in the stream, {bad} refused"
    )


def main() -> int:
    if not CASSETTES.is_dir():
        print(f"skipped: {CASSETTES} is not present")
        return 0
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no access log per request
    server = HTTPServer(host="127.0.0.1", port=0)
    server.start()
    try:
        print(f"r/announcements thread n49rw ({THREAD}):")
        for limit in (0, 1, 3, 10, 100):
            got = replay_thread(server, limit)
            print(
                f"  max_more_requests={limit:>3}: {got.comments:>5} / {got.recorded} comments "
                f"({got.comments / got.recorded:.1%}), {got.calls} expansion calls, "
                f"{got.with_parent} with their parent read, {got.rooted} pointing at the root, "
                f"{got.refused} refused"
            )
    finally:
        server.stop()
    stream_threads()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
