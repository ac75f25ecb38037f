"""A failed run sends one message. (Killed builds: test_kill_matrix.py; exits: test_exit.py.)"""

from __future__ import annotations

import pytest

from tests.conftest import write_demo_config


@pytest.mark.slow
def test_a_failed_run_sends_one_message(tmp_path, caplog):
    import logging

    import dagster as dg
    import yaml

    from orchestration.defs.monitoring import run_failure_notifications
    from orchestration.lib.project import EcouteProject

    path = write_demo_config(tmp_path, port=1)
    data = yaml.safe_load(path.read_text())
    data["monitoring"] = {"notifier": {"kind": "log"}}
    path.write_text(yaml.safe_dump(data, allow_unicode=True))

    @dg.op
    def broken() -> None:
        raise RuntimeError("the warehouse is on fire")

    @dg.job
    def tiny() -> None:
        broken()

    with dg.DagsterInstance.ephemeral() as instance:
        result = tiny.execute_in_process(instance=instance, raise_on_error=False)
        assert not result.success
        failure = next(e for e in result.all_events if e.event_type_value == "PIPELINE_FAILURE")
        context = dg.build_run_status_sensor_context(
            sensor_name="run_failure_notifications",
            dagster_instance=instance,
            dagster_run=result.dagster_run,
            dagster_event=failure,
            resources={"project": EcouteProject(config_file=str(path))},
        ).for_run_failure()
        with caplog.at_level(logging.WARNING, logger="ecoute.alerts"):
            run_failure_notifications(context)
    messages = [r.getMessage() for r in caplog.records if r.name == "ecoute.alerts"]
    assert len(messages) == 1
    assert "[Écoute] run of tiny failed" in messages[0] and "broken" in messages[0]
