from __future__ import annotations

from collections.abc import Iterator

import pytest

from .site import LocalSite


@pytest.fixture
def site() -> Iterator[LocalSite]:
    with LocalSite() as running:
        yield running
