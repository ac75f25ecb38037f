"""One job that builds everything, and an hourly schedule that is off until someone turns it on."""

import dagster as dg

from orchestration.lib.settings import BUILD_JOB

# A build running longer than this is stuck: run monitoring fails it (as the instance-wide
# `run_monitoring.max_runtime_seconds` in instance/dagster.yaml).
MAX_RUNTIME_SECONDS = 4 * 60 * 60

build_everything = dg.define_asset_job(
    BUILD_JOB,
    selection=dg.AssetSelection.all(),
    tags={"dagster/max_runtime": str(MAX_RUNTIME_SECONDS)},
    description="Collect every enabled source, enrich new mentions, build and test marts, publish.",
)

hourly_build = dg.ScheduleDefinition(
    name="hourly_build",
    job=build_everything,
    cron_schedule="0 * * * *",
    default_status=dg.DefaultScheduleStatus.STOPPED,
)


def defs() -> dg.Definitions:
    return dg.Definitions(jobs=[build_everything], schedules=[hourly_build])
