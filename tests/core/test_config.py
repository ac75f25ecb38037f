"""Config validation: a bad file fails with a message that names the bad key."""

import re
from pathlib import Path

import pytest

from core.config import ConfigError, load_config, parse_config

REPO = Path(__file__).resolve().parents[2]


def minimal(**extra):
    return {"project": {"name": "t"}, "brands": [{"name": "Acme"}], **extra}


def test_bundled_demo_config_is_valid():
    config = load_config(REPO / "ecoute.yml")
    assert [b.name for b in config.own_brands] == ["Nuage"]
    assert {b.name for b in config.competitors} == {"Fibrea", "Célest", "Zest"}
    nuage = config.own_brands[0]
    ambiguous = [a for a in nuage.all_aliases if a.needs_context]
    assert [a.text for a in ambiguous] == ["Nuage"]
    assert config.resolve(config.warehouse.path).is_absolute()


def test_unknown_key_is_named():
    with pytest.raises(ConfigError) as error:
        parse_config(minimal(brandz=[]))
    assert "brandz: unknown key" in str(error.value)


def test_nested_bad_value_is_named():
    data = minimal()
    data["brands"] = [{"name": "Acme", "aliases": [{"text": "  "}]}]
    with pytest.raises(ConfigError) as error:
        parse_config(data)
    assert "brands.0.aliases.0.text" in str(error.value)


def test_objective_must_name_a_known_brand():
    data = minimal(objectives=[{"name": "x", "kpi": "volume", "brand": "Nope", "target": 1}])
    with pytest.raises(ConfigError, match="unknown brand 'Nope'"):
        parse_config(data)


def test_needs_an_own_brand_and_unique_names():
    with pytest.raises(ConfigError, match="your own"):
        parse_config({"project": {"name": "t"}, "brands": [{"name": "A", "competitor": True}]})
    with pytest.raises(ConfigError, match="unique"):
        parse_config({"project": {"name": "t"}, "brands": [{"name": "A"}, {"name": "a"}]})


def test_web_source_needs_a_seed():
    with pytest.raises(ConfigError, match=r"sources\.web\.0"):
        parse_config(minimal(sources={"web": [{"name": "site"}]}))


def test_environment_references(monkeypatch, tmp_path):
    monkeypatch.setenv("ACME_PORT", "9999")
    data = minimal(
        sources={"hackernews": {"base_url": "http://127.0.0.1:${ACME_PORT}/api"}},
        demo={"port": "${ACME_DEMO_PORT:-8123}"},
    )
    config = parse_config(data, base_dir=tmp_path)
    assert config.sources.hackernews is not None and config.demo is not None
    assert config.sources.hackernews.base_url == "http://127.0.0.1:9999/api"
    assert config.demo.port == 8123
    assert config.resolve("w.duckdb") == tmp_path.resolve() / "w.duckdb"
    monkeypatch.delenv("ACME_PORT")
    with pytest.raises(ConfigError, match="ACME_PORT is not set"):
        parse_config(data)


def test_missing_file_and_bad_yaml(tmp_path):
    with pytest.raises(ConfigError, match="not found"):
        load_config(tmp_path / "nope.yml")
    bad = tmp_path / "bad.yml"
    bad.write_text("brands: [unclosed\n")
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_config(bad)


def test_alias_shorthand_and_brand_name_alias():
    config = parse_config(minimal(brands=[{"name": "AT&T", "aliases": ["ATT", {"text": "at&t"}]}]))
    texts = [a.text for a in config.brands[0].all_aliases]
    assert texts == ["ATT", "at&t"]  # the name is already listed (case-insensitively)


@pytest.mark.parametrize("size", ["2GB", "512MB", "1.5GiB", " 300 mb ", "50%", "1TB"])
def test_warehouse_memory_limit_takes_duckdb_sizes(size):
    warehouse = parse_config(minimal(warehouse={"memory_limit": size, "threads": 2})).warehouse
    assert (warehouse.memory_limit, warehouse.threads) == (size.strip(), 2)


def test_warehouse_limits_default_to_duckdb_s_own():
    warehouse = parse_config(minimal()).warehouse
    assert (warehouse.memory_limit, warehouse.threads) == (None, None)


@pytest.mark.parametrize(
    ("section", "message"),
    [
        (
            {"memory_limit": "lots"},
            "warehouse.memory_limit: Value error, not a memory size: 'lots'",
        ),
        ({"memory_limit": "2"}, "not a memory size: '2'"),
        ({"memory_limit": "2 GB RAM"}, "not a memory size"),
        ({"memory_limit": "-1GB"}, "not a memory size"),
        ({"memory_limit": "150%"}, "a share of RAM is in (0, 100]"),
        ({"memory_limit": "0%"}, "a share of RAM is in (0, 100]"),
        ({"memory_limit": "2KB"}, "too little for a build"),
        ({"threads": 0}, "warehouse.threads: Input should be greater than or equal to 1"),
        ({"threads": "many"}, "warehouse.threads: Input should be a valid integer"),
    ],
)
def test_warehouse_limits_refuse_nonsense_naming_the_field(section, message):
    with pytest.raises(ConfigError, match=re.escape(message)):
        parse_config(minimal(warehouse=section))
