"""The Dagster instance of a build: the committed settings, found without touching os.environ."""

from __future__ import annotations

import os

import dagster as dg
import pytest

from core.config import load_config
from ecoute.session import child_env
from orchestration.lib.settings import INSTANCE_SETTINGS
from orchestration.run import dagster_home
from tests.conftest import write_demo_config


def test_the_instance_beside_the_warehouse_uses_the_committed_settings(tmp_path, monkeypatch):
    monkeypatch.delenv("DAGSTER_HOME", raising=False)
    config = load_config(write_demo_config(tmp_path, port=1))
    before = dict(os.environ)
    home = dagster_home(config)
    assert home == (tmp_path / "dagster").resolve()
    assert (home / "dagster.yaml").resolve() == INSTANCE_SETTINGS
    assert dagster_home(config) == home  # idempotent: the link is kept, not rewritten
    with dg.DagsterInstance.from_config(str(home)) as instance:
        assert instance.get_concurrency_config().pool_config.default_pool_limit == 1
        assert instance.run_monitoring_enabled
    assert dict(os.environ) == before


def test_a_stale_settings_file_is_replaced_by_the_link(tmp_path, monkeypatch):
    monkeypatch.delenv("DAGSTER_HOME", raising=False)
    config = load_config(write_demo_config(tmp_path, port=1))
    (tmp_path / "dagster").mkdir()
    (tmp_path / "dagster" / "dagster.yaml").write_text("concurrency: {pools: {default_limit: 9}}")
    assert (dagster_home(config) / "dagster.yaml").resolve() == INSTANCE_SETTINGS


def test_child_processes_get_the_config_and_instance_in_their_own_env(tmp_path, monkeypatch):
    monkeypatch.delenv("DAGSTER_HOME", raising=False)
    monkeypatch.delenv("ECOUTE_CONFIG", raising=False)
    path = write_demo_config(tmp_path, port=1)
    env = child_env(load_config(path))
    assert env["ECOUTE_CONFIG"] == str(path.resolve())
    assert env["DAGSTER_HOME"] == str((tmp_path / "dagster").resolve())
    assert "ECOUTE_CONFIG" not in os.environ and "DAGSTER_HOME" not in os.environ


def test_a_config_without_a_file_cannot_start_children() -> None:
    from core.config import ConfigError, parse_config

    config = parse_config({"project": {"name": "t"}, "brands": [{"name": "A"}]})
    with pytest.raises(ConfigError, match="not loaded from a file"):
        child_env(config)
