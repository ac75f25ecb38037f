"""Kill `ecoute run` (SIGKILL and SIGTERM) during collection, enrichment, the dbt build and the
publish; each next run recovers, and the last one leaves every raw, enrichment and mart table
equal to a clean build's (floats within a tolerance).

One warehouse takes the eight kills in turn (each run is killed at the same phase as the one before
or a later one, so both signals meet each phase with real work to do); one clean build of the same
demo world, served once by this test on one port (URLs hold the port), runs beside it as the
reference. Phases are found from the step lines `ecoute run` prints and from the files a step
writes (dlt's pending load packages, the serving copy's staging file), never from sleeps.
Every run has canary secrets in its environment; the second test looks for them everywhere."""

from __future__ import annotations

import math
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import REPO, write_demo_config
from tests.orchestration.processes import free_port, session_members

MENTIONS = 120
ECOUTE = [sys.executable, "-c", "from ecoute.cli import main; main()"]
COMPARED_SCHEMAS = ("raw", "enrichment", "marts")
# When a row was (re)written, not what it says.
VOLATILE = {
    "fetched_at", "enriched_at", "refreshed_at", "last_refreshed_at", "run_at", "received_at",
    "inserted_at", "_dlt_id", "_dlt_load_id", "_dlt_root_id", "_dlt_parent_id",
}  # fmt: skip
RUN_SECONDS = 600  # one run may not take longer (the machine may be shared)
EXIT_SECONDS = 60  # a signalled run must be gone by then


class Run:
    """`ecoute run` as a real process in its own session, its output read line by line."""

    def __init__(self, config_file: Path) -> None:
        self.lines: list[str] = []
        self.changed = threading.Condition()
        self.process = subprocess.Popen(
            [*ECOUTE, "run", "--config", str(config_file)],
            cwd=REPO,
            env={k: v for k, v in os.environ.items() if k != "DAGSTER_HOME"},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            with self.changed:
                self.lines.append(line)
                self.changed.notify_all()
        with self.changed:
            self.lines.append("")  # end of output
            self.changed.notify_all()

    def started(self, step: str) -> bool:
        return any(line.strip() == f"… {step}" for line in self.lines)

    def finished(self, step: str) -> bool:
        return any(line.strip() in (f"✓ {step}", f"✗ {step}") for line in self.lines)

    def said(self, needle: str) -> bool:
        return any(needle in line for line in self.lines)

    def wait_for(self, what: str, ready: Callable[[], str | None]) -> str:
        """Block until `ready()` says something (checked on every line and every 20 ms) and
        return it; fail if the run ends first."""
        deadline = time.monotonic() + RUN_SECONDS
        with self.changed:
            while not (found := ready()):
                if self.lines[-1:] == [""] or time.monotonic() > deadline:
                    self.stop(signal.SIGKILL, f"the wait for {what}")
                    pytest.fail(f"the run ended before {what}:\n{''.join(self.lines)}")
                self.changed.wait(0.02)
        return found

    def stop(self, signum: int, during: str) -> int:
        """Send `signum` to the build process alone (as the OOM killer or a service manager
        would) and wait for it and every child it started (dbt, workers)."""
        os.kill(self.process.pid, signum)
        try:
            code = self.process.wait(timeout=EXIT_SECONDS)
        except subprocess.TimeoutExpired:
            os.kill(self.process.pid, signal.SIGUSR1)  # `ecoute` prints its threads' stacks
            time.sleep(2)
            members = {pid: _command(pid) for pid in session_members(self.process.pid)}
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
            pytest.fail(
                f"the run outlived signal {signum} (sent during {during}) by {EXIT_SECONDS}s; "
                f"its processes: {members}; its output:\n{''.join(self.lines[-200:])}"
            )
        deadline = time.monotonic() + 10
        while session_members(self.process.pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        left = {pid: _command(pid) for pid in session_members(self.process.pid)}
        for pid in left:
            os.kill(pid, signal.SIGKILL)
        assert not left, (
            f"processes left after signal {signum} (sent during {during}): {left}; "
            f"the run's output:\n{''.join(self.lines[-100:])}"
        )
        return code

    def finish(self) -> int:
        try:
            return self.process.wait(timeout=RUN_SECONDS)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            pytest.fail(f"the run did not finish in {RUN_SECONDS}s:\n{''.join(self.lines)}")


def _command(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()[:200]
    except OSError:
        return "gone"


def packages(folder: Path) -> set[str]:
    """dlt's packages not loaded yet (extracted or normalised), as `pipeline/load_id`."""
    found = set()
    for stage in ("normalize/extracted", "load/normalized"):
        for package in folder.glob(f"dlt/*/{stage}/*"):
            found.add(f"{package.parents[2].name}/{package.name}")
    return found


def publishing(folder: Path) -> bool:
    """The serving copy is being written (its staging file exists)."""
    return any(folder.glob(".serving.duckdb.*.tmp"))


@dataclass
class Watch:
    """What a kill point looks at: the warehouse folder, the run, the packages pending before it."""

    folder: Path
    run: Run
    pending_before: set[str]


@dataclass(frozen=True)
class KillPoint:
    phase: str
    signum: int
    step: str  # the step whose start opens the window
    inside: Callable[[Watch], str | None]  # what shows the run is inside the phase's writes


def at_start(_watch: Watch) -> str | None:
    return "step started"


def dlt_package(pipeline: str, step: str) -> Callable[[Watch], str | None]:
    """A package of `pipeline` this run extracted and has not loaded yet."""

    def inside(watch: Watch) -> str | None:
        new = packages(watch.folder) - watch.pending_before
        if any(p.startswith(f"{pipeline}/") for p in new):
            return f"its {pipeline} load package written, not loaded"
        return "step already finished" if watch.run.finished(step) else None

    return inside


def building_marts(watch: Watch) -> str | None:
    """dbt starts a mart table after the enrichment (the marts read it; which dbt step builds
    them is Dagster's choice)."""
    lines = watch.run.lines
    done = [i for i, line in enumerate(lines) if line.strip() == "✓ mention_enrichment"]
    if done and any("START sql table model marts." in line for line in lines[done[0] :]):
        return "dbt building a mart table"
    return None


def writing_serving_copy(watch: Watch) -> str | None:
    if publishing(watch.folder):
        return "serving copy half written"
    return "step already finished" if watch.run.finished("serving__marts") else None


KILLS = [
    KillPoint("collection", signal.SIGKILL, "web_source", dlt_package("web", "web_source")),
    KillPoint("collection", signal.SIGTERM, "hackernews_source", at_start),
    KillPoint("enrichment", signal.SIGTERM, "mention_enrichment", at_start),
    KillPoint(
        "enrichment",
        signal.SIGKILL,
        "mention_enrichment",
        dlt_package("enrichment", "mention_enrichment"),
    ),
    KillPoint("dbt build", signal.SIGTERM, "mention_enrichment", building_marts),
    KillPoint("dbt build", signal.SIGKILL, "mention_enrichment", building_marts),
    KillPoint("publish", signal.SIGTERM, "serving__marts", writing_serving_copy),
    KillPoint("publish", signal.SIGKILL, "serving__marts", writing_serving_copy),
]


def project_config(folder: Path, port: int) -> Path:
    """The demo config on `port`, without `demo:` (this test serves the one world for all), its
    alerts sent to the webhook whose secret URL is in `ECOUTE_CANARY_WEBHOOK`."""
    path = write_demo_config(folder, port, mentions=MENTIONS)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data.pop("demo")
    data["monitoring"] = {"notifier": {"kind": "webhook", "url_env": "ECOUTE_CANARY_WEBHOOK"}}
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def contents(warehouse: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every table of the compared schemas as sorted rows, without the volatile columns; a dlt
    child table's rows carry their root row (so a row moved to another mention shows)."""
    import duckdb

    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        tables = con.execute(
            "select table_schema, table_name from information_schema.tables "
            "where table_type = 'BASE TABLE' and table_name not like '\\_dlt%' escape '\\' "
            f"and table_schema in {COMPARED_SCHEMAS} order by 1, 2"
        ).fetchall()
        found = {}
        for schema, table in tables:
            columns = [c[0] for c in con.execute(f'describe "{schema}"."{table}"').fetchall()]
            keep = [f't."{c}"' for c in columns if c not in VOLATILE]
            sql = f'select {", ".join(keep)} from "{schema}"."{table}" t'
            if "_dlt_root_id" in columns:
                root = table.split("__")[0]
                root_columns = [
                    c[0] for c in con.execute(f'describe "{schema}"."{root}"').fetchall()
                ]
                keep += [f'r."{c}"' for c in root_columns if c not in VOLATILE]
                sql = (
                    f'select {", ".join(keep)} from "{schema}"."{table}" t '
                    f'join "{schema}"."{root}" r on t._dlt_root_id = r._dlt_id'
                )
            rows = con.execute(sql).fetchall()
            found[f"{schema}.{table}"] = sorted(rows, key=_sort_key)
        return found
    finally:
        con.close()


def _sort_key(row: tuple[Any, ...]) -> tuple[str, ...]:
    return tuple(f"{v:.6f}" if isinstance(v, float) else repr(v) for v in row)


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9) or (math.isnan(a) and math.isnan(b))
    return bool(a == b)


def differences(got: dict[str, list[tuple]], want: dict[str, list[tuple]]) -> list[str]:
    out = [f"table only in the clean build: {t}" for t in sorted(want.keys() - got.keys())]
    out += [f"table only after the kills: {t}" for t in sorted(got.keys() - want.keys())]
    for table in sorted(got.keys() & want.keys()):
        rows, clean = got[table], want[table]
        if len(rows) != len(clean):
            out.append(f"{table}: {len(rows)} rows, clean build {len(clean)}")
            continue
        for row, other in zip(rows, clean, strict=True):
            if len(row) != len(other) or not all(map(_same, row, other)):
                out.append(f"{table}: {row} != clean {other}")
                break
    return out


@dataclass
class Matrix:
    """The two warehouses after the kills and the clean build, and everything the runs printed."""

    killed: Path
    clean: Path
    seen: list[str]
    output: str
    started: float
    alerts_posted: list[bytes]


# Canary secrets in the environment of every run: none may be written anywhere.
CANARIES = {
    "ECOUTE_PSEUDONYM_KEY": "canary-pseudonym-key-7d41c2",
    "MASTODON_ACCESS_TOKEN": "canary-mastodon-token-52e9ab",
    "REDDIT_CLIENT_ID": "canary-reddit-id-0b8f13",
    "REDDIT_CLIENT_SECRET": "canary-reddit-secret-9c3e77",
}
WEBHOOK_TOKEN = "canary-webhook-token-e14f08"  # the secret part of the alert webhook's URL


@contextmanager
def webhook() -> Iterator[tuple[str, list[bytes]]]:
    """A loopback webhook whose URL holds `WEBHOOK_TOKEN`, and the bodies posted to it."""
    received: list[bytes] = []

    class Hook(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            received.append(self.rfile.read(int(self.headers.get("Content-Length") or 0)))
            self.send_response(200 if self.path == f"/hook/{WEBHOOK_TOKEN}" else 404)
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Hook)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/hook/{WEBHOOK_TOKEN}", received
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def matrix(tmp_path_factory: pytest.TempPathFactory) -> Matrix:
    from core.config import load_config
    from ecoute.session import demo_world

    started = time.time()
    root = tmp_path_factory.mktemp("kill_matrix")
    killed, clean = root / "killed", root / "clean"
    killed.mkdir()
    clean.mkdir()
    port = free_port()
    world_config = write_demo_config(root, port, mentions=MENTIONS)
    config_file = project_config(killed, port)
    seen: list[str] = []
    output: list[str] = []
    with (
        pytest.MonkeyPatch.context() as env,
        demo_world(load_config(world_config)),
        webhook() as (hook_url, posted),
    ):
        env.delenv("DAGSTER_HOME", raising=False)
        for name, value in CANARIES.items():  # the pseudonym key is also shared by both builds
            env.setenv(name, value)
        env.setenv("ECOUTE_CANARY_WEBHOOK", hook_url)
        reference = Run(project_config(clean, port))
        previous: KillPoint | None = None
        for point in KILLS:
            pending = packages(killed)
            run = Run(config_file)
            run.wait_for(f"step {point.step}", lambda: "yes" if run.started(point.step) else None)  # noqa: B023
            watch = Watch(killed, run, pending)
            where = run.wait_for(f"the {point.phase} writes", lambda: point.inside(watch))  # noqa: B023
            code = run.stop(point.signum, f"{point.phase}, {where}")
            output += run.lines
            seen.append(
                f"{signal.Signals(point.signum).name} during {point.phase} ({where}): exit {code}"
            )
            if previous is not None and previous.signum == signal.SIGKILL:
                assert run.said("Recovered 1 run(s)"), "".join(run.lines)
            previous = point
        final = Run(config_file)
        assert final.finish() == 0, "".join(final.lines)
        assert final.said("Recovered 1 run(s)"), "".join(final.lines)
        assert reference.finish() == 0, "".join(reference.lines)
        output += final.lines + reference.lines
    print("\n".join(seen))
    return Matrix(killed, clean, seen, "".join(output), started, posted)


@pytest.mark.slow
def test_kills_at_every_phase_leave_the_warehouse_of_a_clean_build(matrix: Matrix):
    assert not publishing(matrix.killed), "a killed publish left its staging file"
    problems = differences(
        contents(matrix.killed / "warehouse.duckdb"), contents(matrix.clean / "warehouse.duckdb")
    )
    assert not problems, "\n".join([*matrix.seen, *problems])
    served = differences(
        contents(matrix.killed / "serving.duckdb"), contents(matrix.clean / "serving.duckdb")
    )
    assert not served, "\n".join(served)


def _walk(node: Any) -> Any:
    yield node
    for child in getattr(node, "children", {}).values():
        yield from _walk(child)


def rendered_pages() -> str:
    """Every page of the app (on the warehouse `ECOUTE_CONFIG` names), as its elements' protos."""
    from streamlit.testing.v1 import AppTest

    from app.views import PAGES
    from tests.app.test_pages import _page

    parts = []
    for spec in (spec for specs in PAGES.values() for spec in specs):
        app = AppTest.from_function(_page, args=(spec.url_path, "en"), default_timeout=60).run()
        assert not app.exception, app.exception
        parts += [str(getattr(node, "proto", "")) for node in _walk(app._tree)]
    return "\n".join(parts)


def files_with(folder: Path, secret: bytes, since: float = 0.0) -> list[str]:
    return [
        str(path)
        for path in folder.rglob("*")
        if path.is_file() and path.stat().st_mtime >= since and secret in path.read_bytes()
    ]


@pytest.mark.slow
def test_canary_secrets_appear_in_no_log_state_event_or_page(matrix: Matrix, monkeypatch):
    """The builds ran with canary secrets in their environment (the pseudonym key in use, API
    tokens, the alert webhook's URL, used by the builds' alert step). None may be found in the
    runs' output, the warehouse and serving files, dlt's state and traces, the Dagster event log
    and storage, dbt's logs and artefacts, or any page of the app."""
    assert matrix.alerts_posted, "the builds sent their alerts through the secret webhook URL"
    monkeypatch.setenv("ECOUTE_PSEUDONYM_KEY", CANARIES["ECOUTE_PSEUDONYM_KEY"])
    monkeypatch.setenv("ECOUTE_CONFIG", str(matrix.clean / "ecoute.yml"))
    page = rendered_pages()
    for secret in [*CANARIES.values(), WEBHOOK_TOKEN]:
        token = secret.encode()
        found = files_with(matrix.killed, token) + files_with(matrix.clean, token)
        found += files_with(REPO / "dbt_project" / "target", token, since=matrix.started)
        found += ["the runs' output"] if secret in matrix.output else []
        found += ["a page of the app"] if secret in page else []
        found += ["an alert's body"] if any(token in body for body in matrix.alerts_posted) else []
        assert not found, f"{secret} found in {found}"
