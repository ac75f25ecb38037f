"""The Python step between dbt layers: enrich mentions not yet enriched, write `enrichment.*`."""

import dagster as dg
from dagster_dbt import DbtProject

from orchestration.lib.dbt import model_key
from orchestration.lib.project import EcouteProject
from orchestration.lib.settings import WAREHOUSE_POOL

DATASET = "enrichment"
MENTION_TABLES = (
    "mention_enrichment",
    "mention_enrichment__brands",
    "mention_enrichment__entities",
    "mention_enrichment__keywords",
)


def _specs(mentions_key: dg.AssetKey) -> list[dg.AssetSpec]:
    mentions = [
        dg.AssetSpec(
            [DATASET, table],
            deps=[mentions_key],
            group_name="enrichment",
            kinds={"python", "spacy", "duckdb"},
            description="Language, brand matches, entities, keywords and sentiment per mention.",
        )
        for table in MENTION_TABLES
    ]
    # Written by the same step, so it sits after int_mentions too (one op, no cycle with dbt).
    brands = dg.AssetSpec(
        [DATASET, "brands"],
        deps=[mentions_key],
        group_name="enrichment",
        kinds={"python", "duckdb"},
        description="The tracked brands and competitors from ecoute.yml.",
    )
    config_tables = [
        dg.AssetSpec(
            [DATASET, table],
            deps=[mentions_key],
            group_name="enrichment",
            kinds={"python", "duckdb"},
            description=description,
        )
        for table, description in (
            ("objectives", "The objectives from ecoute.yml (mart_objectives_daily)."),
            ("official_accounts", "Each brand's official accounts from ecoute.yml."),
        )
    ]
    return [*mentions, brands, *config_tables]


def defs(dbt_project: DbtProject) -> dg.Definitions:
    mentions_key = model_key(dbt_project, "int_mentions")

    @dg.multi_asset(specs=_specs(mentions_key), name="mention_enrichment", pool=WAREHOUSE_POOL)
    def mention_enrichment(context: dg.AssetExecutionContext, project: EcouteProject):
        """Only new mentions, changed texts, or every mention after a model or rule change."""
        from transform.run import enrich_new_mentions

        summary = enrich_new_mentions(project.config)
        context.log.info(
            f"enriched {summary.enriched} of {summary.pending} pending mentions "
            f"({summary.errors} errors, version {summary.version})"
        )
        for key in context.selected_asset_keys:
            yield dg.MaterializeResult(
                asset_key=key,
                metadata={
                    "pending": summary.pending,
                    "enriched": summary.enriched,
                    "errors": summary.errors,
                    "enrichment_version": summary.version,
                    "seconds": round(summary.seconds, 2),
                },
            )

    @dg.asset(
        key=[DATASET, "evaluation_runs"],
        deps=[dg.AssetKey([DATASET, "mention_enrichment"])],
        group_name="enrichment",
        kinds={"python", "duckdb"},
        pool=WAREHOUSE_POOL,
        description="Sentiment quality on the shipped gold set, once per enrichment version.",
    )
    def evaluation_runs(project: EcouteProject) -> dg.MaterializeResult:
        from transform.evaluation import evaluate_gold_once
        from transform.version import project_version

        config = project.config
        version = project_version(config)
        scores = evaluate_gold_once(config, version)
        if scores is None:
            return dg.MaterializeResult(metadata={"enrichment_version": version, "scored": False})
        return dg.MaterializeResult(
            metadata={
                "enrichment_version": version,
                "scored": True,
                **{f"macro_f1_{lang}": round(s.macro_f1, 3) for lang, s in scores.items()},
            }
        )

    return dg.Definitions(assets=[mention_enrichment, evaluation_runs])
