"""The extraction benchmark script: its metric, and a floor on a slice of the real pages."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from .site import SHARED_DATA

SCRIPT = Path(__file__).resolve().parents[3] / "benchmarks" / "extraction.py"
DATA = SHARED_DATA / "article_extraction_benchmark"


def _benchmark():
    spec = importlib.util.spec_from_file_location("extraction_benchmark", SCRIPT)
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


def test_benchmark_skips_cleanly_without_data(tmp_path: Path, capsys) -> None:
    assert _benchmark().main(["--data", str(tmp_path)]) == 0
    assert "skipping" in capsys.readouterr().out
