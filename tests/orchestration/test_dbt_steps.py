"""The build's dbt work: two `dbt build` steps, none when nothing dbt reads changed."""

from __future__ import annotations

import math

import dagster as dg
import pytest

from tests.conftest import (
    DemoBuild,
    Rerun,
    assert_no_row_changed,
    dbt_materializations,
    readings,
    write_demo_config,
)

SKIPPED = "dbt"  # the metadata key a step sets on assets it reports up to date without building


def test_the_job_runs_dbt_in_two_steps(tmp_path) -> None:
    from core.config import load_config
    from orchestration.definitions import build_definitions

    defs = build_definitions(load_config(write_demo_config(tmp_path, port=1)))
    job = defs.resolve_job_def("build_everything")
    dbt_steps = sorted(name for name in job.graph.node_dict if name.startswith("dbt"))
    assert dbt_steps == ["dbt_after_enrichment", "dbt_before_enrichment"]


@pytest.mark.slow
def test_no_change_build_runs_no_dbt_and_a_config_change_rebuilds(
    demo_build: DemoBuild, demo_rerun: Rerun
) -> None:
    from core.config import load_config
    from orchestration.run import run_build

    marts = "select count(*), sum(sentiment_score) from marts.fct_mentions"
    oldest_row = "select min(refreshed_at) from marts.fct_mentions"
    before = demo_rerun.before  # read just before a build on unchanged sources (`demo_rerun`)
    assert demo_rerun.summary.ok and demo_rerun.summary.enriched == 0
    up_to_date = demo_rerun.dbt
    assert up_to_date, "every dbt asset is reported by the skipped steps"
    assert all(SKIPPED in metadata for metadata in up_to_date.values()), up_to_date
    assert demo_rerun.after.mentions == before.mentions

    # A config edit may change what dbt reads (vars, tracked brands): the next build runs dbt.
    text = demo_build.config_file.read_text()
    demo_build.config_file.write_text(text + "\n# edited\n")
    try:
        summary = run_build(load_config(demo_build.config_file), say=lambda _: None)
    finally:
        demo_build.config_file.write_text(text)
    assert summary.ok
    # ... and changes no row, key by key (test_end_to_end's rerun checked it when it followed
    # this edit; it now shares the no-change build above).
    assert all(n == 0 for n in summary.loaded.values()) and summary.enriched == 0
    assert_no_row_changed(demo_rerun.after, readings(demo_build))
    rebuilt = dbt_materializations(demo_build)
    assert rebuilt["marts/fct_mentions"].get(SKIPPED) is None
    assert "dagster/row_count" in rebuilt["marts/fct_mentions"], "dbt tables carry row counts"
    assert rebuilt["marts/fct_mentions"]["dagster/row_count"].value == before.mentions[0]
    # The incremental tables hold rows of the old config: they are rebuilt whole, to the same rows
    # (the sum is taken in another order: equal to the last bits only).
    assert demo_build.query(oldest_row)[0][0] > before.oldest_refresh, (
        "a full refresh rewrote every row"
    )
    ((count, total),) = demo_build.query(marts)
    assert count == before.mentions[0]
    assert math.isclose(total, before.mentions[1], rel_tol=1e-9, abs_tol=1e-9)


def test_built_tables_get_row_counts_in_one_query_and_a_failure_still_reports_them(
    tmp_path,
) -> None:
    import duckdb

    from core.config import load_config
    from orchestration.lib.dbt import with_row_counts

    config = load_config(write_demo_config(tmp_path, port=1))
    con = duckdb.connect(str(tmp_path / "warehouse.duckdb"))
    con.execute("create schema marts")
    con.execute("create table marts.facts as select range as id from range(3)")
    con.execute("create table marts.growing as select range as id from range(5)")
    con.execute("create view marts.recent as select * from marts.facts")
    con.close()
    nodes = {
        f"model.ecoute.{name}": {
            "unique_id": f"model.ecoute.{name}",
            "resource_type": "model",
            "config": {"materialized": materialized},
            "relation_name": f'"warehouse"."marts"."{name}"',
        }
        for name, materialized in (
            ("facts", "table"),
            ("growing", "incremental"),
            ("recent", "view"),
        )
    }
    check = dg.AssetCheckResult(asset_key="facts", check_name="unique_facts_id", passed=True)

    def dbt_events():
        for name in ("facts", "growing", "recent"):
            yield dg.Output(None, output_name=name, metadata={"unique_id": f"model.ecoute.{name}"})
        yield check
        raise RuntimeError("dbt failed after these")

    reported = []
    with pytest.raises(RuntimeError, match="dbt failed after these"):
        for event in with_row_counts(config, {"nodes": nodes}, dbt_events()):
            reported.append(event)
    counts = {
        event.output_name: event.metadata.get("dagster/row_count")
        for event in reported
        if isinstance(event, dg.Output)
    }
    assert {name: c.value if c else None for name, c in counts.items()} == {
        "facts": 3,
        "growing": 5,
        "recent": None,  # a view is not counted (that would run its query)
    }
    assert reported[-1] is check
