"""The extraction benchmark script: its metric, and a floor on a slice of the real pages."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

from .site import SHARED_DATA

SCRIPT = Path(__file__).resolve().parents[3] / "benchmarks" / "extraction.py"
DATA = SHARED_DATA / "article_extraction_benchmark"


def _benchmark() -> ModuleType:
    spec = importlib.util.spec_from_file_location("extraction_benchmark", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_token_metric() -> None:
    prf = _benchmark().prf
    assert prf("a b c", "a b c") == (1.0, 1.0, 1.0)
    precision, recall, f1 = prf("a b c d", "a b")
    assert (precision, recall) == (0.5, 1.0) and round(f1, 3) == 0.667
    assert prf("", "a") == (0.0, 0.0, 0.0)


@pytest.mark.slow
@pytest.mark.skipif(not DATA.exists(), reason="shared article_extraction_benchmark data absent")
def test_extractor_keeps_its_score_on_real_pages() -> None:
    figures = _benchmark().score(DATA, limit=25)
    assert figures["pages"] == 25 and figures["failures"] == 0
    assert figures["f1"] > 0.9 and figures["precision"] > 0.9
    assert figures["f1"] >= figures["trafilatura"]["f1"] - 0.005  # at least trafilatura's level


def test_forums_and_comments_beat_trafilatura_on_the_saved_pages() -> None:
    figures = _benchmark().score_fixtures()
    assert figures["pages"] >= 8
    for part in ("main", "comments"):
        ours, theirs = figures[part]["ours"], figures[part]["trafilatura"]
        assert ours["recall"] > 0.95 and ours["precision"] > 0.95, (part, ours)
        assert ours["f1"] > theirs["f1"], (part, ours, theirs)


def test_benchmark_skips_cleanly_without_data(tmp_path: Path, capsys) -> None:
    assert _benchmark().main(["--data", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "skipping the shared set" in out and "comments, trafilatura" in out
