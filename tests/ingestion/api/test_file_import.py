"""File import: JSONL and CSV exports with broken records, re-runs, appended history."""

from __future__ import annotations

import shutil

import pytest

from ingestion.file_import import record_to_row

from .helpers import FIXTURES, count, make_config, rows, runs


def setup_files(tmp_path):
    exports = tmp_path / "exports"
    exports.mkdir()
    for name in ("import_export.jsonl", "import_export.csv"):
        shutil.copy(FIXTURES / name, exports / name)
    return exports


def test_record_fields_and_ids():
    row = record_to_row(
        {"post_id": "9", "source": "facebook", "message": "Nuage", "timestamp": "1709395200"},
        "import",
        "x.jsonl",
    )
    assert row["post_id"] == "facebook:9" and row["published_at"].year == 2024
    hashed = record_to_row({"text": "Nuage", "date": "2024-01-01"}, "import", "x.csv")
    assert hashed["post_id"].startswith("import:sha256:")


@pytest.mark.slow
def test_import_quarantines_bad_records_and_skips_unchanged_files(tmp_path):
    exports = setup_files(tmp_path)
    config = make_config(
        tmp_path, {"file_import": {"paths": ["exports/*.jsonl", "exports/*.csv", "missing.csv"]}}
    )
    runs(config, "file_import")
    assert count(config, "import_posts") == 5
    reasons = [r[0] for r in rows(config, "select reason from raw.import_quarantine")]
    assert len(reasons) == 9  # 5 bad JSONL lines, 3 bad CSV rows, 1 missing path
    for expected in ("not valid JSON", "NUL", "UTF-8", "missing text", "more cells", "ISO 8601"):
        assert any(expected in r for r in reasons), expected
    reply = rows(
        config,
        "select author, parent_id, published_at, lang from raw.import_posts "
        "where post_id = 'twitter:1598000000000000002'",
    )[0]
    assert reply[0] == "@marc_s" and reply[1] == "1598000000000000001"
    assert reply[2].isoformat() == "2024-03-02T08:40:12+00:00"
    multiline = rows(config, "select text from raw.import_posts where post_id = 'forum:r1'")
    assert multiline[0][0] == "La NuageBox chauffe, mais le wifi est stable.\nDeuxième ligne."

    runs(config, "file_import")
    assert count(config, "import_posts") == 5
    assert count(config, "import_quarantine") == 9

    with (exports / "import_export.jsonl").open("a", encoding="utf-8") as handle:
        handle.write(
            '{"id": "new", "platform": "twitter", "created_at": "2024-03-05T10:00:00Z", '
            '"text": "Nuage rembourse enfin"}\n'
        )
    runs(config, "file_import")
    assert count(config, "import_posts") == 6
    assert count(config, "import_quarantine") == 9
