"""`ecoute train sentiment --corrections`: the project's gold labels train the model, less a seeded
held-back share on which the new model is scored against the rules and the model in use."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import duckdb
from click.testing import CliRunner

from core import corrections
from core.config import EcouteConfig
from ecoute.commands.train import train
from tests.core.test_corrections import project, write_csv
from tests.transform.test_train import WORDS, brand_pairs_file, labelled_file
from transform.learned.own_data import gold_pairs, gold_rows, hold_back, hold_back_posts

MENTIONS = 100


def served_texts(folder: Path) -> dict[str, str]:
    """A serving copy of MENTIONS French mentions of Nuage; returns each one's gold label."""
    rng = random.Random(11)
    filler = [w for words in WORDS["fr"].values() for w in words]
    rows, gold = [], {}
    for i in range(MENTIONS):
        label = ("positive", "negative", "neutral")[i % 3]
        words = WORDS["fr"][label]
        text = f"Nuage {rng.choice(words)} {rng.choice(filler)} {rng.choice(words)}"
        rows.append((f"m{i}", "fr", text))
        gold[f"m{i}"] = label
    rows.append(("m-en", "en", "Nuage love it"))
    serve(folder, rows, [(m, b) for m, _, _ in rows for b in ("Nuage", "Zest")])
    return gold


def serve(folder: Path, rows: list[tuple[str, str, str]], named: list[tuple[str, str]]) -> None:
    """A serving copy whose `fct_mentions` holds `rows` (id, lang, text) and whose
    `fct_brand_mentions` names each mention's brands (`named`: id, brand)."""
    (folder / "s.duckdb").unlink(missing_ok=True)
    con = duckdb.connect(str(folder / "s.duckdb"))
    con.execute("create schema marts")
    con.execute(
        "create table marts.fct_mentions (mention_id text, lang text, text text, title text)"
    )
    con.executemany("insert into marts.fct_mentions values (?, ?, ?, null)", rows)
    con.execute(
        "create table marts.fct_brand_mentions (mention_id text, brand text, "
        "sentiment_label text, enrichment_version text)"
    )
    con.executemany("insert into marts.fct_brand_mentions values (?, ?, 'neutral', 'v1')", named)
    con.close()


def correct_all(tmp_path: Path, config: EcouteConfig, gold: dict[str, str]) -> None:
    """Corrections for every mention but the last three (double coded instead) and a conflict."""
    lines = [f"{m},Nuage,sentiment,{label},alice," for m, label in list(gold.items())[:-3]]
    lines.append("m0,Zest,sentiment,negative,alice,")  # m0 is positive for Nuage: a contrast
    lines.append("m-en,Nuage,sentiment,positive,alice,")
    result = corrections.import_file(config, write_csv(tmp_path / "fix.csv", lines))
    assert result.added == len(lines), result.refused
    coded = list(gold.items())[-3:]
    assignments = [
        corrections.Assignment("s1", f"{i:04d}", m, "Nuage", coder, "fr", "web", None, "2026")
        for i, (m, _) in enumerate(coded)
        for coder in ("alice", "bob")
    ]
    corrections.save_assignments(config, assignments)
    for i, (_, label) in enumerate(coded):
        corrections.add_answer(config, "s1", f"{i:04d}", "alice", "sentiment", label)
        bob = label if i < 2 else "neutral" if label != "neutral" else "positive"
        corrections.add_answer(config, "s1", f"{i:04d}", "bob", "sentiment", bob)


def test_gold_rows_are_corrections_and_unanimous_codes_without_contrasts(tmp_path: Path) -> None:
    config = project(tmp_path)
    gold = served_texts(tmp_path)
    correct_all(tmp_path, config, gold)
    found = gold_rows(config)
    assert found.conflicting == 1  # m0: positive for Nuage, negative for Zest
    assert found.by_origin == {"correction": MENTIONS - 4 + 1, "coding": 2}
    labels = {r["mention_id"]: r["label"] for r in found.rows}
    assert "m0" not in labels and list(gold)[-1] not in labels  # the coders disagreed on it
    assert all(labels[m] == gold[m] for m in labels if m in gold)
    train_rows, held = hold_back(found.rows, 0.2, seed=1)
    assert [r["lang"] for r in held] == ["fr"] * round((MENTIONS - 2) * 0.2)  # en: one row
    assert {r["mention_id"] for r in train_rows}.isdisjoint(r["mention_id"] for r in held)
    assert hold_back(found.rows, 0.2, seed=1) == (train_rows, held)  # seeded
    assert hold_back(found.rows, 0.2, seed=2)[1] != held


def _french_training(tmp_path: Path, config: EcouteConfig, out: Path) -> list[str]:
    """`ecoute train sentiment` arguments: French only, no shared data, your corrections with a
    quarter held back, generated brand pairs."""
    empty = tmp_path / "no-shared-data"
    empty.mkdir()
    args = ["sentiment", "--data", str(empty), "--out", str(out), "--lang", "fr", "--seed", "3"]
    args += ["--corrections", "--hold-back", "0.25", "--config", str(config.source_file)]
    return [*args, "--brand-pairs", str(brand_pairs_file(tmp_path / "brand_pairs.jsonl"))]


def test_train_with_corrections_scores_the_held_back_share(tmp_path: Path) -> None:
    config = project(tmp_path)
    gold = served_texts(tmp_path)
    correct_all(tmp_path, config, gold)
    out = tmp_path / "out"
    result = CliRunner().invoke(train, _french_training(tmp_path, config, out))
    assert result.exit_code == 0, result.output
    assert "1 with brands labelled differently" in result.output
    assert "1 in other languages left out" in result.output
    rows = MENTIONS - 2  # less the contrast and the disputed code
    held = round(rows * 0.25)
    assert f"training on {rows - held}, held back to measure: {held}" in result.output
    line = next(x for x in result.output.splitlines() if x.strip().startswith("fr (n="))
    scores = dict(re.findall(r"(rules|previous model|new model) macro-F1 ([0-9.]+)", line))
    assert set(scores) == {"rules", "previous model", "new model"}, line
    assert float(scores["new model"]) >= 0.9  # the words separate the labels
    meta = json.loads((out / "fr" / "meta.json").read_text(encoding="utf-8"))
    own = [i for i in meta["inputs"] if i["set"] == "corrections"]
    assert own and own[0]["rows"] == rows - held and meta["rows"] == rows - held


def test_train_with_corrections_but_none_stored_trains_nothing_new(tmp_path: Path) -> None:
    config = project(tmp_path)
    served_texts(tmp_path)
    empty = tmp_path / "none"
    empty.mkdir()
    args = ["sentiment", "--data", str(empty), "--out", str(tmp_path / "out"), "--corrections"]
    args += ["--brand-pairs", str(brand_pairs_file(tmp_path / "brand_pairs.jsonl"))]
    result = CliRunner().invoke(train, [*args, "--config", str(config.source_file)])
    assert result.exit_code == 0, result.output
    assert "your gold labels: 0 mention(s)" in result.output
    assert "not enough labelled rows" in result.output
    assert not (tmp_path / "out" / "fr").exists()


def served_pairs(folder: Path, posts: int = 60) -> dict[tuple[str, str], str]:
    """A serving copy of French posts naming Nuage and Zest with words for each (`Nuage est nul
    mais Zest est top`); returns each (mention, brand)'s gold label."""
    rng = random.Random(5)
    rows: list[tuple[str, str, str]] = []
    named: list[tuple[str, str]] = []
    gold: dict[tuple[str, str], str] = {}
    for i in range(posts):
        first, second = rng.sample(list(WORDS["fr"]), 2)
        x, y = rng.choice(WORDS["fr"][first]), rng.choice(WORDS["fr"][second])
        rows.append((f"p{i}", "fr", f"Nuage est {x} ({i}) mais Zest est {y}."))
        named += [(f"p{i}", "Nuage"), (f"p{i}", "Zest")]
        gold |= {(f"p{i}", "Nuage"): first, (f"p{i}", "Zest"): second}
    rows.append(("solo", "fr", "Nuage est top."))  # one brand: no per-brand pair
    named.append(("solo", "Nuage"))
    gold[("solo", "Nuage")] = "positive"
    serve(folder, rows, named)
    return gold


def test_gold_pairs_are_the_labels_of_posts_naming_several_brands(tmp_path: Path) -> None:
    config = project(tmp_path)
    gold = served_pairs(tmp_path)
    lines = [f"{m},{b},sentiment,{label},alice," for (m, b), label in gold.items()]
    corrections.import_file(config, write_csv(tmp_path / "fix.csv", lines))
    found = gold_pairs(config)
    assert found.missing == 0
    assert len(found.rows) == len(gold) - 1  # less the one-brand post
    assert all(gold[(p["post_id"], p["brand"])] == p["label"] for p in found.rows)
    assert {tuple(p["brands"]) for p in found.rows} == {("Nuage", "Zest")}
    train_pairs, held = hold_back_posts(found.rows, 0.25, seed=1)
    assert len(held) == 2 * round(60 * 0.25)  # whole posts: both brands
    assert {p["post_id"] for p in train_pairs}.isdisjoint(p["post_id"] for p in held)
    assert hold_back_posts(found.rows, 0.25, seed=1) == (train_pairs, held)


def test_train_with_corrections_trains_the_per_brand_models_on_your_pairs(tmp_path: Path) -> None:
    config = project(tmp_path)
    gold = served_pairs(tmp_path)
    lines = [f"{m},{b},sentiment,{label},alice," for (m, b), label in gold.items()]
    corrections.import_file(config, write_csv(tmp_path / "fix.csv", lines))
    out = tmp_path / "out"
    args = _french_training(tmp_path, config, out)
    args += ["--extra", str(labelled_file(tmp_path / "labels.jsonl"))]  # for a post model
    result = CliRunner().invoke(train, args)
    assert result.exit_code == 0, result.output
    assert (
        "your per-brand labels on posts naming several brands: 120 in 60 post(s)" in result.output
    )
    assert "training the per-brand models on 90, held back to measure: 30" in result.output
    line = next(x for x in result.output.splitlines() if x.strip().startswith("fr (n=30)"))
    scores = dict(re.findall(r"(rules|previous models|new models) ([0-9.]+)", line))
    assert set(scores) == {"rules", "previous models", "new models"}, line
    assert float(scores["new models"]) >= 0.8  # the words separate the labels, clause by clause
    meta = json.loads((out / "brand" / "fr" / "meta.json").read_text(encoding="utf-8"))
    own = [i for i in meta["inputs"] if i["set"] == "own pairs"]
    assert own and own[0]["rows"] == 90
