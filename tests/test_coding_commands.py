"""`ecoute corrections …` and `ecoute coding …` through click's CliRunner on a small project."""

from __future__ import annotations

import sqlite3
from collections import Counter
from pathlib import Path

import click
import duckdb
from click.testing import CliRunner, Result

from core import corrections
from core.config import EcouteConfig
from ecoute.commands.coding import assign, coding, stratified_sample
from ecoute.commands.corrections import corrections as corrections_cli
from tests.core.test_agreement import KRIPPENDORFF_2011
from tests.core.test_corrections import project, write_csv


def served_brand_mentions(folder: Path) -> None:
    """A serving copy with 60 canonical brand mentions in 3 languages x 2 sources x 3 labels."""
    (folder / "s.duckdb").unlink(missing_ok=True)
    con = duckdb.connect(str(folder / "s.duckdb"))
    con.execute("create schema marts")
    con.execute(
        "create table marts.fct_brand_mentions as select 'm' || i as mention_id, "
        "case when i % 2 = 0 then 'Nuage' else 'Zest' end as brand, "
        "case when i < 40 then 'fr' when i < 55 then 'en' else 'de' end as lang, "
        "case when i % 5 = 0 then 'reddit' else 'web' end as source, "
        "case when i % 3 = 0 then 'negative' when i % 3 = 1 then 'neutral' else 'positive' end "
        "as sentiment_label, true as is_canonical, 'v1' as enrichment_version "
        "from range(60) t(i)"
    )
    con.execute(
        "create table marts.fct_mentions as select mention_id from marts.fct_brand_mentions"
    )
    con.close()


def invoke(command: click.Command, args: list[str], config: EcouteConfig) -> Result:
    return CliRunner().invoke(command, [*args, "--config", str(config.source_file)])


def test_corrections_import_then_list(tmp_path: Path) -> None:
    config = project(tmp_path)
    file = write_csv(
        tmp_path / "fix.csv",
        ["m1,Nuage,sentiment,positive,alice,irony", "m7,Nuage,sentiment,positive,alice,"],
    )
    result = invoke(corrections_cli, ["import", str(file)], config)
    assert result.exit_code == 1  # one row refused
    assert "refused row 2 (m7): unknown mention id 'm7'" in result.output
    assert "1 correction(s) stored, 0 already stored, 1 refused" in result.output
    again = invoke(corrections_cli, ["import", str(file)], config)
    assert "0 correction(s) stored, 1 already stored" in again.output
    listed = invoke(corrections_cli, ["list"], config)
    assert listed.exit_code == 0
    line = [row for row in listed.output.splitlines() if "\tm1\t" in row]
    assert len(line) == 1 and "\tnegative\tpositive\tv7\tirony" in line[0]


def test_stratified_sample_covers_every_stratum_in_proportion() -> None:
    rows = [(f"m{i}", "B", "fr" if i < 90 else "en", "web", "neutral") for i in range(100)]
    drawn = stratified_sample(rows, 10)
    counts = Counter(r[2] for r in drawn)
    assert counts == {"fr": 9, "en": 1}
    assert len(set(drawn)) == 10
    assert stratified_sample(rows, 10) == drawn  # seeded
    assert sorted(stratified_sample(rows, 500)) == sorted(rows)


def test_assign_overlap_goes_to_every_coder() -> None:
    rows = [(f"m{i}", "B", "fr", "web", "neutral") for i in range(10)]
    out = assign(rows, ["alice", "bob"], 0.4, "s")
    per_item = Counter(a.item_id for a in out)
    assert sorted(Counter(per_item.values()).items()) == [(1, 6), (2, 4)]
    assert Counter(a.coder for a in out) == {"alice": 7, "bob": 7}


def test_coding_sample_stores_a_blind_stratified_assignment(tmp_path: Path) -> None:
    config = project(tmp_path)
    served_brand_mentions(tmp_path)
    result = invoke(
        coding, ["sample", "--n", "20", "--coders", "alice,bob", "--overlap", "0.5"], config
    )
    assert result.exit_code == 0, result.output
    assert "20 items" in result.output and "coded by every coder: 10" in result.output
    rows = corrections.rows(config, "coding_assignments")
    assert Counter(r["coder"] for r in rows) == {"alice": 15, "bob": 15}
    assert {r["lang"] for r in rows} == {"fr", "en", "de"}
    queue = corrections.queue(config, "alice")
    assert len(queue) == 15 and "model_label" not in queue[0]
    first = queue[0]
    corrections.add_answer(
        config, first["sample_id"], first["item_id"], "alice", "sentiment", "positive"
    )
    assert len(corrections.queue(config, "alice")) == 15  # other fields still to code
    for field, value in [
        ("relevance", "about"),
        ("category", "other"),
        ("contributor_type", "observer"),
    ]:
        corrections.add_answer(config, first["sample_id"], first["item_id"], "alice", field, value)
    assert len(corrections.queue(config, "alice")) == 14


def test_coding_agreement_from_a_csv_prints_the_published_alpha(tmp_path: Path) -> None:
    config = project(tmp_path)
    codebook = (tmp_path / "codebook.yml").read_text(encoding="utf-8")
    # a variable on the 1-5 scale of Krippendorff's example, nominal
    codebook = codebook.replace(
        "variables:\n",
        "variables:\n  score:\n    level: nominal\n    field: score\n"
        "    values: ['1', '2', '3', '4', '5']\n    definition: {fr: x, en: x}\n"
        "    rules: [{fr: x, en: x}]\n    examples: [{text: x, value: '1', lang: fr}]\n",
        1,
    )
    (tmp_path / "codebook.yml").write_text(codebook, encoding="utf-8")
    lines = ["item,coder,variable,value"]
    for coder, row in KRIPPENDORFF_2011.items():
        for j, value in enumerate(row.split()):
            lines.append(f"u{j},{coder},score,{'' if value == '.' else value}")
    file = tmp_path / "codes.csv"
    file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = invoke(coding, ["agreement", str(file), "--bootstrap", "100"], config)
    assert result.exit_code == 0, result.output
    assert "score" in result.output and " 0.743 " in result.output
    assert "kappa score A × B" in result.output


def test_coding_agreement_from_stored_codes(tmp_path: Path) -> None:
    config = project(tmp_path)
    served_brand_mentions(tmp_path)
    invoke(coding, ["sample", "--n", "6", "--coders", "alice,bob", "--overlap", "1"], config)
    answers = {
        "alice": ["positive", "negative", "neutral", "neutral", "positive", "negative"],
        "bob": ["positive", "negative", "neutral", "positive", "positive", "negative"],
    }
    for coder, values in answers.items():
        for item, value in zip(corrections.queue(config, coder), values, strict=True):
            corrections.add_answer(
                config, item["sample_id"], item["item_id"], coder, "sentiment", value
            )
    result = invoke(coding, ["agreement", "--bootstrap", "50"], config)
    assert result.exit_code == 0, result.output
    assert "sentiment          ordinal      6" in result.output
    assert "to adjudicate: 1" in result.output and "alice=neutral, bob=positive" in result.output
    with sqlite3.connect(corrections.store_path(config)) as con:
        assert con.execute("select count(*) from coding_answers").fetchone() == (12,)


def test_coding_agreement_without_codes_says_so(tmp_path: Path) -> None:
    config = project(tmp_path)
    result = invoke(coding, ["agreement"], config)
    assert result.exit_code == 1 and "no codes yet" in result.output
