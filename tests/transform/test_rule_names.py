"""Every rule the per-brand step writes is one the warehouse's data test accepts."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from core.config import Brand
from transform.enrich import Enricher

ROOT = Path(__file__).resolve().parents[2]
GOLD = ROOT / "transform" / "gold" / "brand_pairs.jsonl"
STAGING = ROOT / "dbt_project" / "models" / "staging" / "stg_enrichment__mention_brands.yml"


def accepted_rules() -> set[str]:
    model = yaml.safe_load(STAGING.read_text(encoding="utf-8"))["models"][0]
    column = next(c for c in model["columns"] if c["name"] == "brand_sentiment_rule")
    test = next(t["accepted_values"] for t in column["data_tests"] if "accepted_values" in t)
    return set(test["arguments"]["values"])


def test_the_gold_posts_rules_are_all_accepted_by_the_dbt_test() -> None:
    posts: dict[str, dict] = {}
    for line in GOLD.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        posts[row["post_id"]] = row
    names = sorted({b for row in posts.values() for b in row["brands"]})
    enricher = Enricher([Brand(name=n) for n in names], with_entities=False)
    records = [{"id": k, "text": r["text"], "lang": r["lang"]} for k, r in posts.items()]
    written = {b["sentiment_rule"] for r in enricher.enrich(records) for b in r["brands"]}
    assert {"clause", "switch", "neither", "amount"} <= written  # the set exercises the rules
    assert written <= accepted_rules(), written - accepted_rules()
