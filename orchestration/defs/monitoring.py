"""Watching the warehouse: a freshness check per source, new alerts and failed runs sent to a
person once."""

import json
from datetime import timedelta

import dagster as dg

from core.config import EcouteConfig
from core.marts import NoData
from ingestion.pipelines import enabled_sources, source_factory
from orchestration.lib.notify import RunFailure, published_alerts, send
from orchestration.lib.project import EcouteProject
from orchestration.lib.translators import raw_asset_keys

# How many notified alert ids the sensor remembers (alerts are rare: tens a month per brand).
REMEMBERED_ALERTS = 5000


@dg.sensor(
    name="alert_notifications",
    minimum_interval_seconds=60,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Sends each new row of marts.mart_alerts once, through monitoring.notifier.",
)
def alert_notifications(
    context: dg.SensorEvaluationContext, project: EcouteProject
) -> dg.SkipReason:
    config = project.config
    try:
        alerts = published_alerts(config)
    except NoData as error:
        return dg.SkipReason(str(error))
    sent: list[str] = json.loads(context.cursor) if context.cursor else []
    known = set(sent)
    fresh = [alert for alert in alerts if alert.alert_id not in known]
    try:
        for alert in fresh:
            send(config.monitoring.notifier, alert)
            sent.append(alert.alert_id)
    finally:
        context.update_cursor(json.dumps(sent[-REMEMBERED_ALERTS:]))
    return dg.SkipReason(f"notified {len(fresh)} new alert(s) of {len(alerts)}")


@dg.run_failure_sensor(
    name="run_failure_notifications",
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Sends one message per failed run through monitoring.notifier.",
)
def run_failure_notifications(context: dg.RunFailureSensorContext, project: EcouteProject) -> None:
    run = context.dagster_run
    steps = sorted({event.step_key or "?" for event in context.get_step_failure_events()})
    failure = RunFailure(
        job=run.job_name,
        run_id=run.run_id,
        failed_steps=", ".join(steps),
        reason=context.failure_event.message or "",
    )
    send(project.config.monitoring.notifier, failure)


def defs(config: EcouteConfig) -> dg.Definitions:
    max_age = timedelta(hours=config.monitoring.source_max_age_hours)
    checks: list[dg.AssetChecksDefinition] = []
    for name in enabled_sources(config):
        checks += dg.build_last_update_freshness_checks(
            assets=raw_asset_keys(source_factory(name)(config)), lower_bound_delta=max_age
        )
    freshness_sensor = dg.build_sensor_for_freshness_checks(
        freshness_checks=checks, default_status=dg.DefaultSensorStatus.RUNNING
    )
    return dg.Definitions(
        asset_checks=checks,
        sensors=[alert_notifications, run_failure_notifications, freshness_sensor],
    )
