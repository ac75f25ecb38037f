"""A small, independent reading of ecoute.yml's brand rules, to check the demo's truth against.

Not the project's matcher (that lives in transform/): a deliberately plain version of the documented
rules, so the demo world can be checked without depending on the enrichment code.
"""

from __future__ import annotations

import re
from pathlib import Path

from core.config import Brand, load_config

REPO = Path(__file__).resolve().parents[2]


def brands() -> list[Brand]:
    return load_config(REPO / "ecoute.yml").brands


def _find(needle: str, text: str, case_sensitive: bool) -> list[tuple[int, int]]:
    flags = 0 if case_sensitive else re.IGNORECASE
    pattern = re.compile(rf"(?<!\w){re.escape(needle)}(?!\w)", flags)
    return [m.span() for m in pattern.finditer(text)]


def has_context(brand: Brand, text: str) -> bool:
    return any(_find(term, text, False) for term in brand.context)


def excluded(brand: Brand, text: str, span: tuple[int, int]) -> bool:
    """An occurrence inside one of the brand's exclusion phrases is vetoed."""
    lowered = text.casefold()
    for phrase in brand.exclusions:
        start = lowered.find(phrase.casefold())
        while start >= 0:
            if start <= span[0] and span[1] <= start + len(phrase):
                return True
            start = lowered.find(phrase.casefold(), start + 1)
    return False


def mentioned(brand: Brand, text: str) -> bool:
    """Whether `text` counts for `brand` under its aliases, context terms and exclusions."""
    for alias in brand.all_aliases:
        for span in _find(alias.text, text, alias.case_sensitive):
            if excluded(brand, text, span):
                continue
            if alias.needs_context and not has_context(brand, text):
                continue
            return True
    return False


def matched_brands(all_brands: list[Brand], text: str) -> set[str]:
    return {b.name for b in all_brands if mentioned(b, text)}


def any_exclusion(brand: Brand, text: str) -> bool:
    """The stricter reading: an exclusion phrase anywhere in the text."""
    lowered = text.casefold()
    return any(phrase.casefold() in lowered for phrase in brand.exclusions)
