"""Objectives and official accounts in `ecoute.yml`: new KPI kinds, targets, handles, privacy."""

from __future__ import annotations

import pytest

from core.config import ConfigError, EcouteConfig, parse_config


def config(
    brands: list[dict[str, object]] | None = None,
    objectives: list[dict[str, object]] | None = None,
    **extra: object,
) -> EcouteConfig:
    data = {
        "project": {"name": "t"},
        "brands": brands or [{"name": "Acme", "official_accounts": ["@Acme_Help"]}],
        "objectives": objectives or [],
        **extra,
    }
    return parse_config(data)


def test_official_accounts_are_cleaned_and_shown_in_clear() -> None:
    parsed = config(privacy={"public_accounts": ["lemonde"]})
    assert parsed.brands[0].official_accounts == ["Acme_Help"]
    assert parsed.official_handles == ["Acme_Help"]
    assert parsed.privacy.public_accounts == ["lemonde", "Acme_Help"]


def test_an_already_public_official_account_is_not_listed_twice() -> None:
    parsed = config(privacy={"public_accounts": ["acme_help"]})
    assert parsed.privacy.public_accounts == ["acme_help"]


def test_responsiveness_objectives_need_official_accounts() -> None:
    objective = {"name": "fast", "kpi": "median_response_hours", "brand": "Acme", "target": 6}
    assert config(objectives=[objective]).objectives[0].direction == "above"
    with pytest.raises(ConfigError, match="needs official_accounts on brand 'Acme'"):
        config(brands=[{"name": "Acme"}], objectives=[objective])


@pytest.mark.parametrize(
    ("kpi", "target"),
    [("response_rate_24h", 1.5), ("share_of_voice", -0.1), ("net_sentiment", 2), ("volume", -1)],
)
def test_targets_out_of_their_kpis_range_are_refused(kpi: str, target: float) -> None:
    with pytest.raises(ConfigError, match="target"):
        config(objectives=[{"name": "x", "kpi": kpi, "brand": "Acme", "target": target}])


def test_unknown_kpi_and_repeated_names_are_refused() -> None:
    with pytest.raises(ConfigError, match=r"objectives\.0\.kpi"):
        config(objectives=[{"name": "x", "kpi": "likes", "brand": "Acme", "target": 1}])
    twice = [{"name": "Volume", "kpi": "volume", "brand": "Acme", "target": 1}] * 2
    with pytest.raises(ConfigError, match="objective names must be unique"):
        config(objectives=twice)


def test_one_handle_cannot_speak_for_two_brands() -> None:
    brands: list[dict[str, object]] = [
        {"name": "Acme", "official_accounts": ["help"]},
        {"name": "Rival", "competitor": True, "official_accounts": ["HELP"]},
    ]
    with pytest.raises(ConfigError, match="declared for 'Acme' and 'Rival'"):
        config(brands=brands)
    with pytest.raises(ConfigError, match="repeated"):
        config(brands=[{"name": "Acme", "official_accounts": ["a", "A"]}])


def test_official_accounts_do_not_change_the_enrichment_version() -> None:
    from core.config import Alias, Brand
    from transform.version import enrichment_version

    plain = Brand(name="Acme", aliases=[Alias(text="Acme Co")])
    answering = Brand(name="Acme", aliases=[Alias(text="Acme Co")], official_accounts=["acme_help"])
    assert enrichment_version([plain]) == enrichment_version([answering])
    assert enrichment_version([plain]) != enrichment_version([Brand(name="Acme")])
