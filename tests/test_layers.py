"""The floors of the code: an import only runs down a floor or within one, and only
`orchestration/` imports dagster. Read from the source: a new import running back up fails here."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PROJECT = ("core", "demo", "ingestion", "transform", "app", "benchmarks", "orchestration", "ecoute")
# What each floor may import of the project (itself always).
ALLOWED: dict[str, set[str]] = {
    "core": set(),
    "demo": set(),
    "ingestion": {"core"},
    "transform": {"core"},
    "app": {"core"},
    "benchmarks": {"core", "demo", "transform", "ingestion"},
    "orchestration": {"core", "ingestion", "transform"},
    "ecoute": {"core", "demo", "ingestion", "transform", "app", "orchestration", "benchmarks"},
}
DAGSTER = ("dagster", "dagster_dbt", "dagster_dlt")


def imports(path: Path) -> set[str]:
    """Top-level names of every module imported by a file (lazy imports included)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found


def files(floor: str) -> list[Path]:
    return sorted((REPO / floor).rglob("*.py"))


@pytest.mark.parametrize("floor", PROJECT)
def test_imports_run_down_the_floors(floor: str) -> None:
    upward = {
        f"{path.relative_to(REPO)} imports {name}"
        for path in files(floor)
        for name in imports(path)
        if name in PROJECT and name != floor and name not in ALLOWED[floor]
    }
    assert not upward


@pytest.mark.parametrize("floor", [f for f in PROJECT if f not in ("orchestration", "ecoute")])
def test_only_orchestration_imports_dagster(floor: str) -> None:
    users = {str(path.relative_to(REPO)) for path in files(floor) if imports(path) & set(DAGSTER)}
    assert not users


def test_every_floor_is_listed() -> None:
    packages = {p.parent.name for p in REPO.glob("*/__init__.py")} - {"tests"}
    assert packages <= set(PROJECT)
