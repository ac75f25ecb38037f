"""One colour per brand, the same on every chart: brands take the palette in config order."""

from __future__ import annotations

# Colour-blind-safe (Okabe–Ito), the own brand first.
COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#F0E442", "#000000")
ALERT_COLOUR = "#D62728"


def brand_colours(brands: list[str]) -> dict[str, str]:
    """`brands` in config order (own brands first) → a fixed colour each."""
    return {brand: COLOURS[i % len(COLOURS)] for i, brand in enumerate(brands)}
