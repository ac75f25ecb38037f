"""One job that builds everything, and an hourly schedule that is off until someone turns it on."""

import dagster as dg

from orchestration.lib.settings import BUILD_JOB

build_everything = dg.define_asset_job(
    BUILD_JOB,
    selection=dg.AssetSelection.all(),
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
