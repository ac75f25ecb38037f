"""A real Dagster UI for tests: `ecoute ui` (`dagster dev`: the webserver and the daemon) on
loopback, driven through the webserver's GraphQL API with the requests the browser sends."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from tests.conftest import REPO
from tests.orchestration.processes import alive, free_port, tree

ECOUTE = [sys.executable, "-c", "from ecoute.cli import main; main()"]
START_SECONDS = 300  # the webserver, the daemon and the code server load on a busy machine
STOP_SECONDS = 30  # `ecoute ui` gives `dagster dev` 15 s before SIGKILLing it
FROM_UI = {"key": "dagster/from_ui", "value": "true"}  # the UI adds it to what it launches
BACKFILL_TAG = "dagster/backfill"
FINISHED = {"COMPLETED", "COMPLETED_SUCCESS", "COMPLETED_FAILED", "FAILED", "CANCELED"}

# The mutation of the UI's "Materialize → Launch backfill" dialog (ui-core BackfillUtils.tsx).
LAUNCH_BACKFILL = """
mutation LaunchPartitionBackfill($backfillParams: LaunchBackfillParams!) {
  launchPartitionBackfill(backfillParams: $backfillParams) {
    __typename
    ... on LaunchBackfillSuccess { backfillId }
    ... on Error { message }
  }
}
"""
WORKSPACE = """
{ workspaceOrError { __typename ... on Workspace { locationEntries {
    name loadStatus
    locationOrLoadError {
      __typename
      ... on RepositoryLocation { name repositories { name } }
      ... on PythonError { message stack }
    }
} } } }
"""
ASSET_NODES = """
{ assetNodes {
    assetKey { path } isPartitioned isMaterializable jobNames opNames
    partitionDefinition { type }
} }
"""
BACKFILL = """
query Backfill($id: String!) {
  partitionBackfillOrError(backfillId: $id) {
    __typename
    ... on PartitionBackfill { status error { message stack } }
    ... on Error { message }
  }
}
"""
RUNS = """
query Runs($filter: RunsFilter) {
  runsOrError(filter: $filter) {
    __typename
    ... on Runs { results { runId status tags { key value } } }
    ... on Error { message }
  }
}
"""
RUN_ERRORS = """
query RunErrors($runId: ID!) {
  logsForRun(runId: $runId) {
    ... on EventConnection { events { ... on MessageEvent { message level stepKey } } }
  }
}
"""
DAEMONS = """
{ instance { daemonHealth { allDaemonStatuses { daemonType healthy required } } } }
"""


class DagsterUI:
    """A running `ecoute ui` and its GraphQL endpoint."""

    def __init__(self, process: subprocess.Popen[bytes], port: int, log: Path) -> None:
        self.process = process
        self.url = f"http://127.0.0.1:{port}/graphql"
        self.log = log
        self.children: set[int] = set()

    def graphql(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """POST one query as the browser does; GraphQL errors raise with the server's words."""
        body = json.dumps({"query": query, "variables": variables or {}}).encode()
        request = urllib.request.Request(
            self.url, data=body, headers={"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(request, timeout=60) as response:
            answer = json.loads(response.read())
        if answer.get("errors"):
            raise AssertionError(f"GraphQL errors: {answer['errors']}")
        return dict(answer["data"])

    def wait_until_loaded(self, timeout: float = START_SECONDS) -> None:
        """Until the webserver answers and the project's code location has loaded."""
        deadline = time.monotonic() + timeout
        while True:
            self.children |= tree(self.process.pid)
            assert self.process.poll() is None, f"ecoute ui exited:\n{self.logs()}"
            assert time.monotonic() < deadline, f"the UI did not load in {timeout}s:\n{self.logs()}"
            try:
                workspace = self.graphql(WORKSPACE)["workspaceOrError"]
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(1)
                continue
            entries = workspace.get("locationEntries") or []
            if entries and all(entry["loadStatus"] == "LOADED" for entry in entries):
                (entry,) = entries
                location = entry["locationOrLoadError"]
                assert location["__typename"] == "RepositoryLocation", location
                return
            time.sleep(1)

    def asset_nodes(self) -> dict[tuple[str, ...], dict[str, Any]]:
        """Every asset node by key: partitioned (and how), materialisable, in which jobs."""
        nodes = self.graphql(ASSET_NODES)["assetNodes"]
        return {tuple(node["assetKey"]["path"]): node for node in nodes}

    def launch_asset_backfill(self, keys: list[tuple[str, ...]], partitions: list[str]) -> str:
        """What the asset graph's backfill dialog sends for a selection of partitioned assets
        (`onLaunchAsBackfill` in LaunchAssetChoosePartitionsDialog.tsx): the assets and the
        partition names, no job; returns the backfill's id."""
        params = {
            "tags": [FROM_UI],
            "assetSelection": [{"path": list(key)} for key in keys],
            "partitionNames": partitions,
            "fromFailure": False,
        }
        launched = self.graphql(LAUNCH_BACKFILL, {"backfillParams": params})
        result = launched["launchPartitionBackfill"]
        assert result["__typename"] == "LaunchBackfillSuccess", result
        return str(result["backfillId"])

    def wait_for_backfill(self, backfill_id: str, timeout: float) -> str:
        """The backfill's final status, once the daemon has run it to an end."""
        deadline = time.monotonic() + timeout
        while True:
            self.children |= tree(self.process.pid)
            found = self.graphql(BACKFILL, {"id": backfill_id})["partitionBackfillOrError"]
            assert found["__typename"] == "PartitionBackfill", found
            if found["status"] in FINISHED:
                return str(found["status"])
            assert self.process.poll() is None, f"ecoute ui exited:\n{self.logs()}"
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"backfill {backfill_id} still {found['status']} after {timeout}s:\n"
                    + self.report(backfill_id)
                )
            time.sleep(2)

    def runs_of(self, backfill_id: str) -> list[dict[str, Any]]:
        """The runs tagged with the backfill's id, each with its tags as a dict."""
        where = {"tags": [{"key": BACKFILL_TAG, "value": backfill_id}]}
        runs = self.graphql(RUNS, {"filter": where})["runsOrError"]
        assert runs["__typename"] == "Runs", runs
        return [
            {**run, "tags": {tag["key"]: tag["value"] for tag in run["tags"]}}
            for run in runs["results"]
        ]

    def report(self, backfill_id: str) -> str:
        """Why a backfill failed or hangs: its error, its runs' error lines, the daemons' health
        and the end of the webserver's and the daemon's output."""
        lines = []
        with suppress(Exception):
            found = self.graphql(BACKFILL, {"id": backfill_id})["partitionBackfillOrError"]
            lines.append(f"backfill: {found}")
        with suppress(Exception):
            for run in self.runs_of(backfill_id):
                lines.append(f"run {run['runId']}: {run['status']}")
                events = self.graphql(RUN_ERRORS, {"runId": run["runId"]})["logsForRun"]
                for event in events.get("events", []):
                    if event.get("level") in ("ERROR", "CRITICAL"):
                        lines.append(f"  {event.get('stepKey')}: {event['message'][:2000]}")
        with suppress(Exception):
            lines.append(f"daemons: {self.graphql(DAEMONS)['instance']['daemonHealth']}")
        return "\n".join([*lines, self.logs()])

    def logs(self, chars: int = 12000) -> str:
        """The end of what `dagster dev` (webserver and daemon) printed, without the backfill
        daemon's lists of assets (one line per asset at every tick)."""
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        kept = [
            line
            for line in text.splitlines()
            if not line.startswith(("- ", "**")) and line not in ("None", "")
        ]
        return "--- ecoute ui output (end) ---\n" + "\n".join(kept)[-chars:]

    def stop(self) -> None:
        """SIGTERM `ecoute ui` (it stops the whole `dagster dev` session), then SIGKILL whatever
        it started that is still alive."""
        self.children |= tree(self.process.pid)
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            with suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=STOP_SECONDS)
        for pid in [self.process.pid, *self.children, *tree(self.process.pid)]:
            if alive(pid):
                with suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
        self.process.wait(timeout=10)


@contextmanager
def dagster_ui(config_file: Path, log: Path) -> Iterator[DagsterUI]:
    """`ecoute ui` on a free loopback port, loaded, with the instance beside the warehouse (the
    test's own DAGSTER_HOME: none is inherited). Stopped with everything it started on exit."""
    env = {k: v for k, v in os.environ.items() if k not in ("DAGSTER_HOME", "ECOUTE_CONFIG")}
    port = free_port()
    with log.open("wb") as out:
        process = subprocess.Popen(
            [*ECOUTE, "ui", "--config", str(config_file), "--port", str(port)],
            cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    ui = DagsterUI(process, port, log)
    try:
        ui.wait_until_loaded()
        yield ui
    finally:
        ui.stop()
