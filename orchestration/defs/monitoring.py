"""Watching the warehouse: a freshness check per source, new alerts and failed runs sent to a
person once. New alerts go out from the build itself (the `monitoring/alert_notifications` asset,
after publishing, so `ecoute run` sends them) and from the sensor (for builds made elsewhere); both
share the ledger of `orchestration.lib.notify`, so each alert id is sent once whichever sends it."""

import json
from datetime import timedelta

import dagster as dg

from core.config import EcouteConfig
from core.marts import NoData
from ingestion.pipelines import enabled_sources, source_factory
from orchestration.lib.notify import RunFailure, published_alerts, send, send_new_alerts
from orchestration.lib.project import EcouteProject
from orchestration.lib.translators import raw_asset_keys

# How many notified alert ids the sensor's cursor shows (the ledger holds them all).
REMEMBERED_ALERTS = 5000
SERVING_KEY = dg.AssetKey(["serving", "marts"])


@dg.asset(
    key=["monitoring", "alert_notifications"],
    deps=[SERVING_KEY],
    group_name="monitoring",
    kinds={"python"},
    description=(
        "Sends each new alert of the published marts once through monitoring.notifier "
        "(the ledger it shares with the alert_notifications sensor)."
    ),
)
def alert_notifications_sent(
    context: dg.AssetExecutionContext, project: EcouteProject
) -> dg.MaterializeResult:
    config = project.config
    alerts = published_alerts(config)
    try:
        sent = send_new_alerts(config, alerts, sender=f"run {context.run.run_id}")
        failure = ""
    except Exception as error:  # the build stands; the sensor or the next build retries
        sent, failure = [], str(error)
        context.log.error(f"alert notification failed, will be retried: {error}")
    return dg.MaterializeResult(
        metadata={
            "alerts": len(alerts),
            "sent": len(sent),
            "sent_ids": ", ".join(sent),
            "failure": failure,
        }
    )


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
    fresh: list[str] = []
    try:
        fresh = send_new_alerts(config, alerts, sender="sensor")
    finally:
        context.update_cursor(json.dumps((sent + fresh)[-REMEMBERED_ALERTS:]))
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
        assets=[alert_notifications_sent],
        asset_checks=checks,
        sensors=[alert_notifications, run_failure_notifications, freshness_sensor],
    )
