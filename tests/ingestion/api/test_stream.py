"""The helpers every API source shares: one stream's rows, the saved cursor."""

from __future__ import annotations

from ingestion.api.records import RecordError
from ingestion.api.stream import Cursor, read_stream


def _drain(generator):
    rows = []
    while True:
        try:
            rows.append(next(generator))
        except StopIteration as stop:
            return rows, stop.value


def test_read_stream_quarantines_bad_input_dedupes_and_tracks_the_cursor() -> None:
    def to_row(hit):
        if "id" not in hit:
            raise RecordError("missing id")
        return {"id": hit["id"], "t": hit["t"]}

    hits = [
        ({"id": "a", "t": 5}, None),
        ({"t": 9}, None),  # unparseable record
        ({"id": "a", "t": 5}, None),  # the same post again
        (b"<html>oops", "page 2 is not JSON"),  # unreadable page: stream incomplete
        ({"id": "b", "t": 7}, None),
    ]
    seen: set[str] = set()
    out, progress = _drain(read_stream("demo", hits, to_row, "id", seen, lambda r: r["t"], 0))
    rows = [o for o in out if isinstance(o, dict) and "id" in o]
    assert [r["id"] for r in rows] == ["a", "b"]
    assert len(out) - len(rows) == 2  # two quarantine rows
    assert progress.complete is False and progress.newest == 7
    assert seen == {"a", "b"}


def test_cursor_starts_with_overlap_and_never_moves_backwards() -> None:
    state: dict[str, int] = {}
    cursor = Cursor(state, start=100, overlap=10)
    assert cursor.since("q") == 100
    cursor.advance("q", newest=150, since=100)
    assert state["q"] == 150 and cursor.since("q") == 140
    cursor.advance("q", newest=145, since=140)  # an overlap re-read that found older posts only
    assert state["q"] == 150
    cursor.advance("q", newest=90, since=100)  # nothing new: nothing saved
    assert state["q"] == 150


def test_matched_query_follows_the_text_not_the_stream() -> None:
    hits = [({"id": "a", "text": "Fibrea et Nuage, même combat"}, None)]

    def to_row(hit):
        return {"id": hit["id"], "text": hit["text"], "matched_query": "#zest"}

    rows, _ = _drain(read_stream("demo", hits, to_row, "id", set(), terms=["Nuage", "#zest"]))
    assert rows[0]["matched_query"] == "Nuage"  # same value whichever stream returned it
