"""A killed build leaves nothing that blocks or corrupts the next one; SIGTERM stops a build."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPO, snapshot, write_demo_config

MENTIONS = 120
ECOUTE = [sys.executable, "-c", "from ecoute.cli import main; main()"]
RAW_TABLES = {"web_pages": "url", "web_comments": "comment_id", "hackernews_items": "object_id"}
MART_TABLES = {"fct_mentions": "mention_id", "dim_brands": "brand"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_run(folder: Path) -> tuple[Path, subprocess.Popen[str]]:
    """`ecoute run` as a real process (its own session) serving a small demo world itself."""
    config_file = write_demo_config(folder, free_port(), mentions=MENTIONS)
    env = {k: v for k, v in os.environ.items() if k != "DAGSTER_HOME"}
    process = subprocess.Popen(
        [*ECOUTE, "run", "--config", str(config_file)],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    return config_file, process


def wait_for_line(process: subprocess.Popen[str], needle: str, seconds: float) -> list[str]:
    """The output up to the first line containing `needle` (fails after `seconds`)."""
    lines: list[str] = []
    found = threading.Event()

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            lines.append(line)
            if needle in line:
                found.set()
                return

    threading.Thread(target=read, daemon=True).start()
    if not found.wait(seconds):
        process.kill()
        pytest.fail(f"no {needle!r} within {seconds}s:\n{''.join(lines)}")
    return lines


def descendants(pid: int) -> set[int]:
    """Every live process whose session is `pid`'s (the run was started in a new session)."""
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[3]) == pid and fields[0] != "Z":  # field 6: session id
                found.add(int(entry.name))
    return found


def in_process_build(config_file: Path, seconds: float) -> Any:
    """`run_build` on the config, failing the test instead of hanging past `seconds`."""
    from core.config import load_config
    from orchestration.run import run_build

    result: list[Any] = []
    lines: list[str] = []
    thread = threading.Thread(
        target=lambda: result.append(run_build(load_config(config_file), say=lines.append)),
        daemon=True,
    )
    thread.start()
    thread.join(seconds)
    if not result:
        pytest.fail(f"the re-run did not finish within {seconds}s: {lines}")
    result[0].said = lines
    return result[0]


def tables(folder: Path) -> dict[str, Any]:
    warehouse = folder / "warehouse.duckdb"
    return {**snapshot(warehouse, "raw", RAW_TABLES), **snapshot(warehouse, "marts", MART_TABLES)}


@pytest.mark.slow
def test_a_build_killed_during_collection_does_not_block_or_change_the_next(tmp_path, monkeypatch):
    from core.config import load_config
    from ecoute.session import demo_world

    monkeypatch.delenv("DAGSTER_HOME", raising=False)
    # One pseudonym key for both warehouses (each would otherwise generate its own).
    monkeypatch.setenv("ECOUTE_PSEUDONYM_KEY", "crash-recovery-test-key")
    killed, clean = tmp_path / "killed", tmp_path / "clean"
    killed.mkdir()
    clean.mkdir()
    config_file, process = start_run(killed)
    wait_for_line(process, "_source", seconds=120)
    time.sleep(0.5)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=10)

    # The same world on the same port as the killed run (URLs hold the port).
    with demo_world(load_config(config_file)):
        rerun = in_process_build(config_file, seconds=150)
        assert rerun.ok, rerun.lines()
        assert any("recovered" in line.lower() for line in rerun.said), rerun.said
        port = load_config(config_file).demo.port
        assert in_process_build(write_demo_config(clean, port, MENTIONS), 150).ok
    assert tables(killed) == tables(clean)


@pytest.mark.slow
def test_sigterm_stops_a_build_and_its_children(tmp_path, monkeypatch):
    monkeypatch.delenv("DAGSTER_HOME", raising=False)
    _, process = start_run(tmp_path)
    wait_for_line(process, "_source", seconds=120)
    os.kill(process.pid, signal.SIGTERM)
    try:
        code = process.wait(timeout=45)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        pytest.fail("ecoute run ignored SIGTERM for 45 s")
    assert code != 0
    deadline = time.monotonic() + 10
    while descendants(process.pid) and time.monotonic() < deadline:
        time.sleep(0.2)
    left = descendants(process.pid)
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    assert not left, f"orphans after SIGTERM: {left}"


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
