"""Shared set-up of the app tests."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _config_variable_restored(monkeypatch: pytest.MonkeyPatch) -> None:
    """`run_page` names its config in `ECOUTE_CONFIG` (the page reads it from there); the value
    goes back to what it was after each test, so no later test reads a temporary config."""
    monkeypatch.delenv("ECOUTE_CONFIG", raising=False)
