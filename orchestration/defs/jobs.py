"""One job that builds everything, and an hourly schedule that is off until someone turns it on.

The job holds day-partitioned assets (the marts' dbt step): a whole build runs as the current
day's partition tagged `ecoute/whole_build`, a backfill over a range of days as one run.
"""

import dagster as dg

from core.config import EcouteConfig
from orchestration.lib.partitions import daily_partitions, run_target
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


def defs(config: EcouteConfig) -> dg.Definitions:
    partitions = daily_partitions(config)

    @dg.schedule(
        name="hourly_build",
        job=build_everything,
        cron_schedule="0 * * * *",
        default_status=dg.DefaultScheduleStatus.STOPPED,
        description="A whole build every hour, filed under the day's partition (no dbt window).",
    )
    def hourly_build(context: dg.ScheduleEvaluationContext) -> dg.RunRequest:
        target = run_target(partitions)
        return dg.RunRequest(partition_key=target.partition_key, tags=target.tags)

    return dg.Definitions(jobs=[build_everything], schedules=[hourly_build])
