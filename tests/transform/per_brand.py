"""The per-brand labels of one post, for the per-brand sentiment tests."""

from __future__ import annotations

from transform.enrich import Enricher


def labels(enricher: Enricher, text: str, lang: str) -> dict[str, str]:
    """Brand → label of `text` in `lang`, as the enricher writes them."""
    [result] = enricher.enrich([{"text": text, "lang": lang}])
    return {b["brand"]: b["sentiment"]["label"] for b in result["brands"]}
