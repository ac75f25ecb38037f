"""The brand-window model: trained on the windows the enrichment cuts, used for those only."""

from __future__ import annotations

import json
import shutil
from collections.abc import Sequence
from pathlib import Path

import pytest

from core.config import Brand
from transform import brand_training
from transform.backends import LinearBackend, Prediction
from transform.enrich import Enricher
from transform.learned import artifact


def _pair(text: str, brand: str, label: str, lang: str = "en") -> dict:
    return {
        "post_id": text,
        "lang": lang,
        "text": text,
        "brands": ["Orange", "SFR"],
        "brand": brand,
        "label": label,
        "phenomenon": "contrast",
        "split": "train",
    }


def test_each_pair_s_window_is_its_brand_s_clause_with_the_names_masked() -> None:
    text = "I love Orange but SFR is awful, three outages this month."
    rows = brand_training.window_rows(
        [_pair(text, "Orange", "positive"), _pair(text, "SFR", "negative")]
    )
    assert [r["label"] for r in rows] == ["positive", "negative"]
    assert "love" in rows[0]["text"] and "awful" in rows[1]["text"]
    assert not any(name in r["text"] for r in rows for name in ("Orange", "SFR"))


def test_a_post_naming_one_brand_has_no_window() -> None:
    assert brand_training.window_rows([_pair("Orange is great.", "Orange", "positive")]) == []


def _inverted_pairs(path: Path) -> Path:
    """Posts where praise words are labelled negative and complaints positive: a model trained on
    them reads windows the other way round from the shipped post model."""
    lines = []
    words = {"negative": ["great", "brilliant", "lovely"], "positive": ["awful", "broken", "slow"]}
    words["neutral"] = ["on tuesday", "in town", "at noon"]
    for n in range(90):
        first, second = list(words)[n % 3], list(words)[(n + 1) % 3]
        x, y = words[first][n % 3], words[second][(n // 3) % 3]
        text = f"Orange is {x} number {n} but SFR is {y} number {n}."
        for brand, label in (("Orange", first), ("SFR", second)):
            lines.append(json.dumps(_pair(text, brand, label)))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def models(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped English post model beside a brand-window model trained on inverted pairs."""
    folder = tmp_path_factory.mktemp("models")
    shutil.copytree(artifact.MODELS_DIR / "en", folder / "en")
    pairs = _inverted_pairs(folder / "pairs.jsonl")
    brand_training.train_all(folder, seed=1, langs=("en",), say=lambda _: None, pairs_file=pairs)
    return folder


def test_the_linear_backend_reads_brand_windows_with_its_window_model(models: Path) -> None:
    backend = LinearBackend(models)
    windows = ["@brand is great", "@brand is awful"]
    assert [p.label for p in backend.predict(windows, "en")] == ["positive", "negative"]
    assert [p.label for p in backend.predict_windows(windows, "en")] == ["negative", "positive"]


def test_without_a_window_model_the_post_model_reads_brand_windows(tmp_path: Path) -> None:
    shutil.copytree(artifact.MODELS_DIR / "en", tmp_path / "en")
    backend = LinearBackend(tmp_path)
    windows = ["@brand is great", "@brand is awful"]
    assert backend.predict_windows(windows, "en") == backend.predict(windows, "en")


def test_the_window_model_changes_the_models_digest(models: Path, tmp_path: Path) -> None:
    shutil.copytree(models / "en", tmp_path / "en")
    alone = artifact.models_digest(tmp_path)
    shutil.copytree(models / "brand", tmp_path / "brand")
    assert artifact.models_digest(tmp_path) != alone


class _Windows:
    """A backend whose post model praises and whose window model blames, recording windows."""

    name = "windows"

    def __init__(self) -> None:
        self.seen: list[str] = []

    def fingerprint(self) -> str:
        return "windows"

    def predict(self, texts: Sequence[str], lang: str) -> list[Prediction]:
        return [Prediction("positive", 0.9, 0.95) for _ in texts]

    def predict_windows(self, texts: Sequence[str], lang: str) -> list[Prediction]:
        self.seen.extend(texts)
        return [Prediction("negative", -0.9, 0.95) for _ in texts]


def test_the_enricher_scores_brand_windows_with_predict_windows() -> None:
    backend = _Windows()
    enricher = Enricher([Brand(name="Orange"), Brand(name="SFR")], backend, with_entities=False)
    [result] = enricher.enrich(
        [{"text": "Orange changed my plan. SFR sent a letter.", "lang": "en"}]
    )
    assert result["sentiment"]["label"] == "positive"  # the post: its post model
    assert {b["sentiment"]["label"] for b in result["brands"]} == {"negative"}
    assert backend.seen and not any("Orange" in w or "SFR" in w for w in backend.seen)


def test_the_shipped_window_models_load() -> None:
    for lang in ("en", "fr"):
        model = artifact.load(artifact.MODELS_DIR / artifact.BRAND_FOLDER, lang)
        assert model.meta["inputs"][0]["file"] == "brand_train.jsonl"


def test_a_corrupt_window_model_leaves_brand_windows_to_the_post_model(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    shutil.copytree(artifact.MODELS_DIR / "en", tmp_path / "en")
    (tmp_path / "brand" / "en").mkdir(parents=True)
    (tmp_path / "brand" / "en" / "model.npz").write_bytes(b"not a model")
    backend = LinearBackend(tmp_path)
    windows = ["@brand is great", "@brand is awful"]
    assert backend.predict_windows(windows, "en") == backend.predict(windows, "en")
    assert "brand-window model unusable, the post model reads 'en'" in caplog.text


def test_test_rows_added_to_the_gold_set_change_no_recorded_input(tmp_path: Path) -> None:
    gold = tmp_path / "brand_pairs.jsonl"
    shutil.copy(brand_training.BRAND_PAIRS, gold)
    _, before = brand_training.training_pairs(gold=gold)
    row = _pair("Orange fixed it, SFR did not.", "Orange", "positive") | {"split": "test"}
    with gold.open("a", encoding="utf-8") as f:
        f.write(json.dumps(row) + "\n")
    assert brand_training.training_pairs(gold=gold)[1] == before
    with gold.open("a", encoding="utf-8") as f:
        f.write(json.dumps(row | {"split": "dev"}) + "\n")
    assert brand_training.training_pairs(gold=gold)[1] != before
