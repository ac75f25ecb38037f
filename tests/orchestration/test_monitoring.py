"""Alerts reach a person exactly once; every source has a freshness check."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import dagster as dg
import duckdb
import pytest
from werkzeug import Request, Response

from tests.conftest import write_demo_config

COLUMNS = (
    "alert_id varchar, brand varchar, day date, alert_type varchar, observed double, "
    "threshold double, top_keywords varchar, top_authors varchar, top_sources varchar, "
    "sentiment_change double"
)


def add_alert(path, alert_id: str, day: str, kind: str = "negative_spike") -> None:
    con = duckdb.connect(str(path))
    try:
        con.execute("create schema if not exists marts")
        con.execute(f"create table if not exists marts.mart_alerts ({COLUMNS})")
        con.execute(
            "insert into marts.mart_alerts values (?, 'Nuage', ?, ?, 0.8, 0.5, "
            "'panne, coupure', 'web:alice', 'web (12)', -0.4)",
            [alert_id, day, kind],
        )
    finally:
        con.close()


@pytest.fixture
def project(tmp_path):
    """A config whose notifier is a webhook on a loopback server, and its serving file."""

    def configure(notifier: dict) -> tuple:
        import yaml

        path = write_demo_config(tmp_path, port=1)
        data = yaml.safe_load(path.read_text())
        data["monitoring"] = {"notifier": notifier}
        path.write_text(yaml.safe_dump(data, allow_unicode=True))
        return path, tmp_path / "serving.duckdb"

    return configure


def evaluate(path: Path, cursor: str | None) -> tuple[str | None, str]:
    """One tick of the alert sensor, with the project resource as Dagster hands it over."""
    from orchestration.defs.monitoring import alert_notifications
    from orchestration.lib.project import EcouteProject

    context = dg.build_sensor_context(
        cursor=cursor, resources={"project": EcouteProject(config_file=str(path))}
    )
    result = alert_notifications(context)
    assert isinstance(result, dg.SkipReason) and result.skip_message is not None
    return context.cursor, result.skip_message


def test_each_alert_is_sent_once_through_a_webhook(project, httpserver) -> None:
    received: list[dict] = []

    def hook(request: Request) -> Response:
        received.append(json.loads(request.data))
        return Response("ok")

    httpserver.expect_request("/hook", method="POST").respond_with_handler(hook)
    path, serving = project({"kind": "webhook", "url": httpserver.url_for("/hook")})

    cursor, message = evaluate(path, None)
    assert "no published build" in message and not received

    add_alert(serving, "a1", "2026-08-30")
    add_alert(serving, "a2", "2026-08-31", kind="volume_spike")
    cursor, message = evaluate(path, cursor)
    assert [r["alert"]["alert_id"] for r in received] == ["a1", "a2"]
    assert received[0]["alert"]["top_keywords"] == "panne, coupure"

    cursor, message = evaluate(path, cursor)  # same alerts, next tick: nothing sent again
    assert len(received) == 2 and message.startswith("notified 0")

    add_alert(serving, "a3", "2026-09-01")
    cursor, _ = evaluate(path, cursor)
    assert [r["alert"]["alert_id"] for r in received] == ["a1", "a2", "a3"]


def test_a_failing_channel_keeps_what_was_sent(project, httpserver) -> None:
    httpserver.expect_ordered_request("/hook").respond_with_data("ok")
    httpserver.expect_ordered_request("/hook").respond_with_data("down", status=503)
    path, serving = project({"kind": "slack", "url": httpserver.url_for("/hook")})
    add_alert(serving, "a1", "2026-08-30")
    add_alert(serving, "a2", "2026-08-31")

    from orchestration.defs.monitoring import alert_notifications
    from orchestration.lib.notify import sent_alert_ids
    from orchestration.lib.project import EcouteProject

    context = dg.build_sensor_context(resources={"project": EcouteProject(config_file=str(path))})
    with pytest.raises(RuntimeError, match="HTTP 503"):
        alert_notifications(context)
    config = EcouteProject(config_file=str(path)).config
    assert sent_alert_ids(config) == {"a1"}  # a1 is not sent twice; a2 is retried next tick


def materialize_notifications(path: Path) -> dg.ExecuteInProcessResult:
    """The build job's notification step, as `ecoute run` executes it (after publishing)."""
    from orchestration.defs.monitoring import alert_notifications_sent
    from orchestration.lib.project import EcouteProject

    return dg.materialize(
        [alert_notifications_sent], resources={"project": EcouteProject(config_file=str(path))}
    )


def test_the_build_sends_new_alerts_once_and_the_sensor_not_again(project, httpserver) -> None:
    received: list[str] = []

    def hook(request: Request) -> Response:
        received.append(json.loads(request.data)["alert"]["alert_id"])
        return Response("ok")

    httpserver.expect_request("/hook", method="POST").respond_with_handler(hook)
    path, serving = project({"kind": "webhook", "url": httpserver.url_for("/hook")})
    add_alert(serving, "a1", "2026-08-30")

    result = materialize_notifications(path)
    assert result.success and received == ["a1"]
    materialization = result.asset_materializations_for_node("monitoring__alert_notifications")[0]
    assert materialization.metadata["sent"].value == 1

    _, message = evaluate(path, None)  # the sensor shares the ledger: nothing sent twice
    assert message.startswith("notified 0") and received == ["a1"]

    add_alert(serving, "a2", "2026-09-02")
    _, message = evaluate(path, None)  # a new alert between builds: the sensor sends it
    assert message.startswith("notified 1") and received == ["a1", "a2"]
    assert materialize_notifications(path).success and received == ["a1", "a2"]


def test_a_failing_channel_does_not_fail_the_build_and_is_retried(project, httpserver) -> None:
    httpserver.expect_ordered_request("/hook").respond_with_data("down", status=503)
    httpserver.expect_ordered_request("/hook").respond_with_data("ok")
    path, serving = project({"kind": "webhook", "url": httpserver.url_for("/hook")})
    add_alert(serving, "a1", "2026-08-30")

    first = materialize_notifications(path)
    assert first.success
    metadata = first.asset_materializations_for_node("monitoring__alert_notifications")[0].metadata
    assert metadata["sent"].value == 0 and "HTTP 503" in str(metadata["failure"].value)

    second = materialize_notifications(path)
    metadata = second.asset_materializations_for_node("monitoring__alert_notifications")[0].metadata
    assert metadata["sent_ids"].value == "a1"
    assert len(httpserver.log) == 2


def test_default_notifier_is_a_log_line(project, caplog) -> None:
    path, serving = project({"kind": "log"})
    add_alert(serving, "a1", "2026-08-30")
    with caplog.at_level(logging.WARNING, logger="ecoute.alerts"):
        evaluate(path, None)
    assert "Nuage: negative share spike on 2026-08-30 (80%)" in caplog.text


def test_notifier_config_is_validated() -> None:
    from core.config import ConfigError, parse_config

    base = {"project": {"name": "t"}, "brands": [{"name": "A"}]}
    with pytest.raises(ConfigError, match="needs url_env"):
        parse_config({**base, "monitoring": {"notifier": {"kind": "slack"}}})
    with pytest.raises(ConfigError, match="needs recipients"):
        parse_config({**base, "monitoring": {"notifier": {"kind": "email"}}})
