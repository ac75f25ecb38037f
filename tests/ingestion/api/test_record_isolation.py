"""One bad record never aborts a source: each reproduced crash is quarantined, the rest loads."""

from __future__ import annotations

import json

import pytest

from ingestion.api.records import RecordError, parse_time
from ingestion.api.stream import read_stream

from .helpers import count, make_config, rows, runs

GOOD = {"id": "ok1", "text": "Nuage marche bien", "created_at": "2024-03-01T10:00:00Z"}
GOOD2 = {"id": "ok2", "text": "Célest aussi", "created_at": "2024-03-02T10:00:00Z"}


@pytest.mark.parametrize(
    "value", ["9999-12-31T23:00:00-05:00", "0001-01-01T00:30:00+05:00", 1e20, float("nan")]
)
def test_out_of_range_times_are_record_errors(value) -> None:
    with pytest.raises(RecordError, match="published_at"):
        parse_time(value, "published_at")


def test_an_unexpected_exception_in_one_item_is_quarantined_not_raised() -> None:
    def to_row(hit):
        return {"id": hit["id"]}  # KeyError on the second hit: a bug, not a RecordError

    out = list(read_stream("demo", [({"id": "a"}, None), ({}, None)], to_row, "id", set()))
    assert out[0] == {"id": "a"}
    kept = out[1].data  # a quarantine row, marked for the `demo_quarantine` table
    assert "KeyError" in kept["reason"] and kept["source"] == "demo"


def _deep_line(depth: int) -> str:
    return '{"id": "deep", "text": "x", "created_at": "2024-03-01T10:00:00Z", "v": ' + (
        "[" * depth + "]" * depth + "}"
    )


CASES = {
    "date_overflow": (
        "export.jsonl",
        "\n".join(
            json.dumps(r)
            for r in (GOOD, {**GOOD, "id": "bad", "created_at": "9999-12-31T23:00:00-05:00"}, GOOD2)
        ),
        "out of range",
    ),
    "deep_nesting": (
        "export.jsonl",
        "\n".join([json.dumps(GOOD), _deep_line(100_000), json.dumps(GOOD2)]),
        "RecursionError",
    ),
    "huge_csv_cell": (
        "export.csv",
        "id,text,created_at\n"
        "ok1,Nuage marche bien,2024-03-01T10:00:00Z\n"
        f"bad,{'x' * 140_000},2024-03-01T11:00:00Z\n"
        "ok2,Célest aussi,2024-03-02T10:00:00Z\n",
        "field larger than field limit",
    ),
}


@pytest.mark.slow
@pytest.mark.parametrize("case", sorted(CASES))
def test_file_import_quarantines_the_bad_record_and_loads_the_rest(tmp_path, case) -> None:
    name, content, reason = CASES[case]
    (tmp_path / name).write_text(content + "\n", encoding="utf-8")
    config = make_config(tmp_path, {"file_import": {"paths": [name]}})
    runs(config, "file_import")
    assert sorted(r[0] for r in rows(config, "select post_id from raw.import_posts")) == [
        "import:ok1",
        "import:ok2",
    ]
    assert count(config, "import_quarantine") == 1
    stored = rows(config, "select reason from raw.import_quarantine")[0][0]
    assert reason in stored


@pytest.mark.parametrize(
    "body",
    ["[" * 100_000 + "]" * 100_000, '{"n": ' + "9" * 5000 + "}", '{"a": 1', "\ufeffnull x"],
    ids=["deep", "huge-int", "truncated", "garbage"],
)
def test_an_unreadable_json_body_is_a_bad_payload(body: str) -> None:
    from ingestion.api.client import BadPayload, Fetched

    with pytest.raises(BadPayload, match="not valid JSON"):
        Fetched("http://127.0.0.1/x", 200, {}, body.encode()).json()
