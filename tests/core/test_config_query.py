"""A brand's `query:` is accepted beside aliases and refused at load, with its column, when bad."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.config import ConfigError, load_config, parse_config


def config(brand: dict[str, object]) -> dict[str, object]:
    return {"project": {"name": "t"}, "brands": [brand]}


def test_a_query_loads_beside_aliases() -> None:
    query = '{Orange} NEAR/5 (forfait OR "service client") AND NOT jus'
    loaded = parse_config(config({"name": "Orange", "aliases": ["Orange Bank"], "query": query}))
    assert loaded.brands[0].query == query
    assert parse_config(config({"name": "Acme"})).brands[0].query is None


def test_a_bad_query_names_the_brand_key_and_the_column() -> None:
    with pytest.raises(ConfigError) as raised:
        parse_config(config({"name": "Orange", "query": "Orange AND (forfait OR box"}))
    message = str(raised.value)
    assert "brands.0.query" in message
    assert "column 12" in message and "unclosed (" in message


def test_a_yaml_file_with_a_query_loads(tmp_path: Path) -> None:
    path = tmp_path / "ecoute.yml"
    path.write_text(
        "project: {name: t}\n"
        "brands:\n"
        "  - name: Free\n"
        "    query: 'Freebox OR ({Free} NEAR/6 (forfait OR fibre) AND NOT \"free shipping\")'\n",
        encoding="utf-8",
    )
    assert load_config(path).brands[0].query is not None
    path.write_text("project: {name: t}\nbrands:\n  - {name: Free, query: 'Free Mobile'}\n")
    with pytest.raises(ConfigError, match="column 6"):
        load_config(path)
