"""Enrichment of mentions: language, brands, entities, keywords and sentiment.

Plain functions and classes, importable and testable without Dagster. `transform.enrich` is the one
code path used by the Dagster asset (through `transform.run.enrich_new_mentions`), `ecoute score`
and the tests."""
