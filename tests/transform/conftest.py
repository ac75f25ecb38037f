"""Fixtures shared by the per-brand sentiment tests."""

from __future__ import annotations

import pytest

from core.config import Brand
from transform.backends import load_backend
from transform.enrich import Enricher


@pytest.fixture(scope="module", params=("rules", "linear"))
def enricher(request: pytest.FixtureRequest) -> Enricher:
    """An enricher of the test module's `BRANDS` (names as aliases), on each backend."""
    brands = [Brand(name=n) for n in request.module.BRANDS]
    return Enricher(brands, backend=load_backend(request.param), with_entities=False)
