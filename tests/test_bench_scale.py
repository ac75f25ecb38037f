"""`ecoute bench scale`: the seeded mention generator, and the whole bench on a tiny warehouse."""

from __future__ import annotations

import importlib.util
import sys
from datetime import datetime
from pathlib import Path
from types import ModuleType

import duckdb
import pytest
from click.testing import CliRunner

from core.config import load_config
from ecoute.cli import cli

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "ecoute.yml"


def _module(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        f"bench_{name}", ROOT / "benchmarks" / f"{name}.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_generated_mentions_are_seeded_and_new_ones_come_after() -> None:
    gen = _module("mention_generator")
    config = load_config(str(CONFIG))
    first = list(gen.records(config, 0, 400))
    assert first == list(gen.records(config, 0, 400))
    assert [r["text"] for r in first] != [r["text"] for r in gen.records(config, 0, 400, seed=8)]
    # The first records say the same whatever comes after them.
    assert [r["text"] for r in gen.records(config, 0, 100)] == [r["text"] for r in first[:100]]
    new = list(gen.records(config, 400, 4, days=gen.NEW_DAYS))
    assert [r["id"] for r in new] == ["m400", "m401", "m402", "m403"]
    assert min(r["published_at"] for r in new) > max(r["published_at"] for r in first)
    by_id = {r["id"]: r for r in first}
    replies = [r for r in first if r["parent_id"]]
    assert 0.2 < len(replies) / len(first) < 0.45
    for reply in replies:
        parent = by_id[reply["parent_id"]]
        assert reply["lang"] == parent["lang"]
        assert (
            datetime.fromisoformat(reply["published_at"])
            > datetime.fromisoformat(parent["published_at"])
            or reply["published_at"][:10] == parent["published_at"][:10]
        )
    assert {r["lang"] for r in first} == {"fr", "en"}
    names = gen.brand_names(config)
    named = [r for r in first if any(n in r["text"] for n in names)]
    assert 0.8 < len(named) / len(first) < 0.97
    assert len({r["author"] for r in first}) > 20


def test_dagster_steps_fall_into_the_bench_steps() -> None:
    scale = _module("scale")
    kinds = {
        key: scale.step_of(key)
        for key in (
            "corrections_store",
            "file_import_source",
            "privacy__author_pseudonyms",
            "dbt_before_enrichment",
            "mention_enrichment",
            "enrichment__evaluation_runs",
            "dbt_after_enrichment",
            "serving__marts",
            "monitoring__alert_notifications",
            "freshness_check_8619fe58",
        )
    }
    assert kinds == {
        "corrections_store": "collect",
        "file_import_source": "collect",
        "privacy__author_pseudonyms": "collect",
        "dbt_before_enrichment": "dbt",
        "mention_enrichment": "enrich",
        "enrichment__evaluation_runs": "enrich",
        "dbt_after_enrichment": "dbt",
        "serving__marts": "publish",
        "monitoring__alert_notifications": "publish",
        "freshness_check_8619fe58": "other",
    }


@pytest.mark.slow
def test_bench_scale_builds_grows_by_one_percent_and_rebuilds(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli,
        ["bench", "scale", "--mentions", "100", "--config", str(CONFIG), "--keep", str(tmp_path)],
    )
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    for build in ("full", "+1 %", "no change"):
        # `<build> <step> <wall s> <cpu s> <rows/s> <peak MB>`, a total line ending in its load
        cells = [line.split(" load ")[0].split() for line in lines if line.startswith(build)]
        rows = {row[-5]: row for row in cells}
        for step in ("collect", "enrich", "dbt", "publish", "total"):
            assert step in rows, (build, step, result.output)
            assert float(rows[step][-4]) > 0, (build, step)  # wall seconds
            assert float(rows[step][-1]) > 50, (build, step)  # peak MB of the process tree
    assert any(line.startswith("+1 % / full: wall") for line in lines)
    assert any(line.startswith("no change / full: wall") for line in lines)
    assert any(line.strip().startswith("full") and line.endswith(" h") for line in lines)
    con = duckdb.connect(str(tmp_path / "100" / "warehouse.duckdb"), read_only=True)
    try:
        ((raw,),) = con.execute("select count(*) from raw.import_posts").fetchall()
        ((enriched,),) = con.execute(
            "select count(*) from enrichment.mention_enrichment"
        ).fetchall()
    finally:
        con.close()
    assert raw == enriched == 101  # 100, then 1 % new, then nothing
