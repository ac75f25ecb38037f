"""The per-brand labels of one post, for the per-brand sentiment tests."""

from __future__ import annotations

from transform.enrich import Enricher


def labels(enricher: Enricher, text: str, lang: str) -> dict[str, str]:
    """Brand → label of `text` in `lang`, as the enricher writes them."""
    [result] = enricher.enrich([{"text": text, "lang": lang}])
    return {b["brand"]: b["sentiment"]["label"] for b in result["brands"]}


def spans_of(text: str, brands: tuple[str, ...]) -> dict[str, list[tuple[int, int]]]:
    """Each brand's first place in `text`, as the brand matcher gives a brand's spans."""
    return {b: [(text.index(b), text.index(b) + len(b))] for b in brands}
