"""`ecoute train sentiment` is reproducible bit for bit and writes a no-pickle artifact."""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path

import numpy as np
from click.testing import CliRunner

from ecoute.commands.train import train
from transform.learned import artifact
from transform.model_check import check_models

WORDS = {
    "en": {
        "positive": ["love", "great", "awesome", "thanks", "happy", "best"],
        "negative": ["hate", "awful", "broken", "worst", "angry", "slow"],
        "neutral": ["today", "meeting", "tuesday", "report", "update", "station"],
    },
    "fr": {
        "positive": ["génial", "merci", "top", "super", "ravi", "excellent"],
        "negative": ["nul", "panne", "déçu", "horrible", "lent", "arnaque"],
        "neutral": ["demain", "réunion", "mardi", "rapport", "gare", "annonce"],
    },
}


def labelled_file(path: Path, seed: int = 3) -> Path:
    """A small generated labelled JSONL (text, lang, label) in both languages."""
    rng = random.Random(seed)
    lines = []
    for lang, by_label in WORDS.items():
        filler = [w for words in by_label.values() for w in words]
        for label, words in by_label.items():
            for _ in range(40):
                text = " ".join([rng.choice(words), rng.choice(filler), rng.choice(words)])
                lines.append(json.dumps({"text": text, "lang": lang, "label": label}))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def brand_pairs_file(path: Path, seed: int = 4) -> Path:
    """Generated two-brand posts (`A is <word> but B is <word>`), one gold row per brand."""
    rng = random.Random(seed)
    joins = {
        "en": ("{a} is {x} but {b} is {y}.", "but"),
        "fr": ("{a} est {x} mais {b} est {y}.", "mais"),
    }
    lines = []
    for lang, by_label in WORDS.items():
        template, _ = joins[lang]
        for n in range(60):
            first, second = rng.sample(list(by_label), 2)
            x, y = rng.choice(by_label[first]), rng.choice(by_label[second])
            text = template.format(a="Acme", b="Globex", x=x, y=y)
            for brand, label in (("Acme", first), ("Globex", second)):
                row: dict[str, object] = {"post_id": f"{lang}-{n}", "lang": lang, "text": text}
                row |= {"brands": ["Acme", "Globex"], "brand": brand, "label": label}
                lines.append(json.dumps(row | {"phenomenon": "contrast", "split": "train"}))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _train(data: Path, extra: Path, out: Path, seed: int) -> None:
    pairs = brand_pairs_file(extra.parent / "brand_pairs.jsonl")
    args = ["sentiment", "--data", str(data), "--extra", str(extra), "--out", str(out)]
    result = CliRunner().invoke(train, [*args, "--seed", str(seed), "--brand-pairs", str(pairs)])
    assert result.exit_code == 0, result.output


def test_two_trainings_give_identical_bytes_and_another_seed_does_not(tmp_path: Path) -> None:
    extra = labelled_file(tmp_path / "labels.jsonl")
    empty = tmp_path / "no-shared-data"
    empty.mkdir()
    for name, seed in (("a", 1), ("b", 1), ("c", 2)):
        _train(empty, extra, tmp_path / name, seed)
    for folder in ("en", "fr", "brand/en", "brand/fr"):
        reviewed = (artifact.REVIEW_FILE,) if folder.startswith("brand") else ()
        for file in (*artifact.FILES, *reviewed):
            first = (tmp_path / "a" / folder / file).read_bytes()
            assert first == (tmp_path / "b" / folder / file).read_bytes(), f"{folder}/{file}"
    assert (tmp_path / "a" / "en" / "meta.json").read_bytes() != (
        tmp_path / "c" / "en" / "meta.json"
    ).read_bytes()


def test_the_trained_artifact_loads_without_pickle_and_predicts(tmp_path: Path) -> None:
    extra = labelled_file(tmp_path / "labels.jsonl")
    empty = tmp_path / "none"
    empty.mkdir()
    _train(empty, extra, tmp_path / "out", 5)
    model = artifact.load(tmp_path / "out", "fr")
    with np.load(tmp_path / "out" / "fr" / "model.npz", allow_pickle=False) as npz:
        assert set(npz.files) == set(artifact.ARRAYS)
    meta = json.loads((tmp_path / "out" / "fr" / "meta.json").read_text(encoding="utf-8"))
    assert meta["seed"] == 5 and meta["inputs"][0]["file"] == "labels.jsonl"
    assert len(meta["inputs"][0]["sha256"]) == 64
    labels = [p[0] for p in artifact.predict(model, ["super génial", "nul déçu", "réunion mardi"])]
    assert labels == ["positive", "negative", "neutral"]
    windows = artifact.load(tmp_path / "out" / artifact.BRAND_FOLDER, "fr")
    brand_meta = json.loads((tmp_path / "out/brand/fr/meta.json").read_text(encoding="utf-8"))
    assert brand_meta["inputs"][0]["file"] == "brand_pairs.jsonl"
    # Trained on the windows the enrichment cuts: each brand's clause, its name masked.
    labels = [p[0] for p in artifact.predict(windows, ["est génial", "est nul", "est mardi"])]
    assert labels == ["positive", "negative", "neutral"]
    # Each records its scores on the probe texts (`transform.learned.probe`): read as trained.
    assert artifact.probe_drift(model) == 0.0 and artifact.probe_drift(windows) == 0.0
    checks = {(c.lang, c.model): c.status for c in check_models(tmp_path / "out")}
    assert checks["en", "sentiment"] == checks["fr", "brand-window"] == "current"
    assert {s for (_, m), s in checks.items() if m == "reviewer"} <= {"current", "absent"}


def test_brand_only_rebuilds_the_brand_models_as_a_whole_training_does(tmp_path: Path) -> None:
    extra = labelled_file(tmp_path / "labels.jsonl")
    empty = tmp_path / "no-shared-data"
    empty.mkdir()
    _train(empty, extra, tmp_path / "whole", 1)
    shutil.copytree(tmp_path / "whole", tmp_path / "part")
    for path in (tmp_path / "part" / artifact.BRAND_FOLDER).rglob("*.*"):
        path.unlink()
    pairs = tmp_path / "brand_pairs.jsonl"  # as `_train` wrote it
    args = ["sentiment", "--brand-only", "--seed", "1", "--brand-pairs", str(pairs)]
    result = CliRunner().invoke(train, [*args, "--out", str(tmp_path / "part")])
    assert result.exit_code == 0, result.output
    assert "training on" not in result.output  # no post model trained
    whole = sorted(p.relative_to(tmp_path / "whole") for p in (tmp_path / "whole").rglob("*.*"))
    assert whole == sorted(
        p.relative_to(tmp_path / "part") for p in (tmp_path / "part").rglob("*.*")
    )
    for name in whole:
        assert (tmp_path / "whole" / name).read_bytes() == (tmp_path / "part" / name).read_bytes()
    lost = CliRunner().invoke(train, [*args, "--out", str(tmp_path / "none")])
    assert lost.exit_code != 0 and "--brand-only reads posts with the post models" in lost.output


def test_a_bad_extra_file_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "x", "lang": "en", "label": "great"}\n', encoding="utf-8")
    result = CliRunner().invoke(train, ["sentiment", "--data", str(tmp_path), "--extra", str(bad)])
    assert result.exit_code != 0 and "row 1" in result.output
