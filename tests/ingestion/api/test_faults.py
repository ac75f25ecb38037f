"""Killed runs: a process SIGKILLed mid-extraction, and a run stopped between normalise and load.

Either way the re-run must end with exactly the rows of a clean run: no duplicates (merge keys),
no gap (incremental state is only committed with the load package that holds its rows).
"""

from __future__ import annotations

import copy
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from werkzeug import Request, Response

from core.loading import make_pipeline
from ingestion.pipelines import source_factory

from .helpers import FAST, FIXTURES, make_config, rows, runs
from .test_hackernews import RECORDED, FakeAlgolia

REPO = Path(__file__).resolve().parents[3]
CHILD = """
import json, sys
from pathlib import Path
from core.config import parse_config
from ingestion.pipelines import run_source
run_source(parse_config(json.loads(sys.argv[1]), base_dir=Path(sys.argv[2])), "hackernews")
"""


class StallingAlgolia(FakeAlgolia):
    """Answers page 0, then holds page 1 until released (the child is killed meanwhile)."""

    def __init__(self, hits):
        super().__init__(hits)
        self.reached = threading.Event()
        self.release = threading.Event()
        self.stall = True

    def __call__(self, request: Request) -> Response:
        if self.stall and request.args.get("page") == "1":
            self.reached.set()
            self.release.wait(timeout=30)
            return Response("gone", status=503)
        return super().__call__(request)


@pytest.mark.slow
def test_sigkill_during_extraction_then_rerun_equals_clean_run(tmp_path, httpserver):
    fake = StallingAlgolia(copy.deepcopy(RECORDED["hits"]))
    httpserver.expect_request("/api/v1/search_by_date").respond_with_handler(fake)
    section = {
        "base_url": httpserver.url_for("/api/v1"),
        "queries": ["Nuage", "Célest"],
        "initial_days": 3650,
        "hits_per_page": 2,
        **FAST,
    }
    sources = {"hackernews": section}
    data = {
        "project": {"name": "t"},
        "brands": [{"name": "Nuage"}],
        "sources": sources,
        "warehouse": {"path": "wh/warehouse.duckdb"},
    }
    (tmp_path / "killed").mkdir()
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, json.dumps(data), str(tmp_path / "killed")],
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    try:
        assert fake.reached.wait(timeout=60), "the child never asked for page 1"
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    finally:
        fake.release.set()
        if child.poll() is None:
            child.kill()
    fake.stall = False

    killed = make_config(tmp_path / "killed", sources)
    runs(killed, "hackernews")
    clean = make_config(tmp_path / "clean", sources)
    runs(clean, "hackernews")
    sql = "select object_id, matched_query, text from raw.hackernews_items order by 1"
    assert rows(killed, sql) == rows(clean, sql)
    assert len(rows(killed, sql)) == 5
    q = "select quarantine_id from raw.hackernews_quarantine order by 1"
    assert rows(killed, q) == rows(clean, q)


@pytest.mark.slow
def test_stopped_before_load_then_rerun_equals_clean_run(tmp_path):
    for folder in ("stopped", "clean"):
        (tmp_path / folder / "exports").mkdir(parents=True)
        shutil.copy(FIXTURES / "import_export.jsonl", tmp_path / folder / "exports")
    sources = {"file_import": {"paths": ["exports/*.jsonl"]}}
    stopped = make_config(tmp_path / "stopped", sources)
    pipeline = make_pipeline(stopped, "file_import")
    pipeline.extract(source_factory("file_import")(stopped), loader_file_format="parquet")
    pipeline.normalize()
    # the process dies here: a normalised package is pending, nothing loaded yet
    assert pipeline.list_normalized_load_packages()
    for folder in ("stopped", "clean"):  # history grows while the process is down
        with (tmp_path / folder / "exports" / "import_export.jsonl").open("a") as handle:
            handle.write('{"id": "n", "text": "Nuage", "created_at": "2024-03-09T10:00:00Z"}\n')

    runs(stopped, "file_import")  # finishes the pending package (dlt loads it first)
    runs(stopped, "file_import")  # the file changed: read again, merge keeps one row each
    clean = make_config(tmp_path / "clean", sources)
    runs(clean, "file_import")
    sql = "select post_id, text from raw.import_posts order by 1"
    assert rows(stopped, sql) == rows(clean, sql) and len(rows(clean, sql)) == 4
    q = "select count(*) from raw.import_quarantine"
    assert rows(stopped, q) == rows(clean, q) == [(5,)]


@pytest.mark.slow
def test_lone_surrogate_is_quarantined_and_stored(tmp_path, httpserver):
    hit = {**RECORDED["hits"][0], "comment_text": "Nuage r\udce9seau"}
    body = json.dumps({"hits": [hit], "nbHits": 1, "nbPages": 1, "page": 0, "hitsPerPage": 20})
    httpserver.expect_request("/api/v1/search_by_date").respond_with_data(
        body, content_type="application/json"
    )
    section = {"base_url": httpserver.url_for("/api/v1"), "queries": ["Nuage"], **FAST}
    config = make_config(tmp_path, {"hackernews": section})
    runs(config, "hackernews")
    stored = rows(config, "select reason, payload from raw.hackernews_quarantine")
    assert len(stored) == 1 and "UTF-8" in stored[0][0] and "\\udce9" in stored[0][1]
