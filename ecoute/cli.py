"""The `ecoute` command: build, serve, inspect. `ecoute COMMAND --help` documents each command."""

from __future__ import annotations

import contextlib
import faulthandler
import os
import signal
import subprocess
import sys
import threading
import time
from importlib import import_module
from pathlib import Path

import click

from core.config import ConfigError, EcouteConfig, load_config

CONFIG_OPTION = click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False),
    default=None,
    help="Listening project file (default: $ECOUTE_CONFIG, else ./ecoute.yml).",
)
LOOPBACK = "127.0.0.1"
APP_FILE = Path(__file__).resolve().parents[1] / "app" / "streamlit_app.py"


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="ecoute")
def cli() -> None:
    """Écoute — collect what people say about your brands, categorise it, read the sentiment,
    and understand the community behind it.

    \b
    Quick start (bundled demo world, no network needed):
      ecoute run        build the warehouse once, print a summary (exit 0/1)
      ecoute demo       build, then serve the Dagster UI (:3000) and the page (:8501)
      ecoute app        serve the Streamlit page on the last published build
    """


@cli.command("check-config")
@CONFIG_OPTION
def check_config(config_file: str | None) -> None:
    """Validate the config file and print what it tracks."""
    from ingestion.pipelines import enabled_sources

    config = load_config(config_file)
    own = ", ".join(b.name for b in config.own_brands)
    rivals = ", ".join(b.name for b in config.competitors) or "none"
    click.echo(f"{config.project.name}: brands {own}; competitors {rivals}")
    click.echo(f"languages: {', '.join(config.languages)}")
    click.echo(f"sources: {', '.join(enabled_sources(config)) or 'none'}")
    click.echo(f"warehouse: {config.warehouse.engine} ({config.resolve(config.warehouse.path)})")


@cli.command("run")
@CONFIG_OPTION
def run(config_file: str | None) -> None:
    """Build everything once, non-interactively: collect, enrich, dbt build + tests, publish.

    Prints progress per step and a summary; exits 1 if any step or blocking check failed.
    """
    from ecoute.session import end_process

    config = load_config(config_file)
    end_process(0 if _build(config) else 1)


def _build(config: EcouteConfig) -> bool:
    """One build, with the demo world served for it when the config has one; prints a summary."""
    from ecoute.session import demo_world
    from orchestration.run import run_build

    with demo_world(config) as demo_url:
        if demo_url:
            click.echo(f"Serving the demo world on {demo_url}")
        summary = run_build(config, say=click.echo)
    for line in summary.lines():
        click.echo(line)
    return summary.ok


def _spawn(args: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
    """A child in its own session, so `_stop` can end it with everything it started."""
    return subprocess.Popen(args, env=env, start_new_session=True)


def _serve(args: list[str], env: dict[str, str]) -> int:
    """Run one server until it exits or this command is interrupted (Ctrl-C, SIGTERM)."""
    process = _spawn(args, env)
    try:
        return process.wait()
    except KeyboardInterrupt:
        return 130
    finally:
        _stop([process])


def _stop(processes: list[subprocess.Popen[bytes]]) -> None:
    """SIGTERM each child's whole session (a leader that already exited may leave its children),
    then SIGKILL whatever is still there after 15 s."""
    for process in processes:
        _signal_group(process.pid, signal.SIGTERM)
    for process in processes:
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            _signal_group(process.pid, signal.SIGKILL)


def _signal_group(pid: int, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signum)


def streamlit_args(port: int, host: str = LOOPBACK) -> list[str]:
    return [
        sys.executable, "-m", "streamlit", "run", str(APP_FILE),
        "--server.port", str(port), "--server.address", host,
        "--server.headless", "true",
        "--browser.gatherUsageStats", "false",
    ]  # fmt: skip


def dagster_args(port: int, host: str = LOOPBACK) -> list[str]:
    return [
        sys.executable, "-m", "dagster", "dev",
        "-m", "orchestration.definitions", "-p", str(port), "-h", host,
    ]  # fmt: skip


def _check_bind(config: EcouteConfig, host: str, server: str) -> None:
    """Refuse to listen beyond loopback unless `app.access` authenticates and allow-lists."""
    from app.auth import bind_refusal

    refusal = bind_refusal(config.app.access, host, server)
    if refusal:
        raise click.UsageError(refusal)


HOST_OPTION = click.option(
    "--host",
    default=LOOPBACK,
    show_default=True,
    help="Address to listen on; beyond loopback needs app.access (login and an allow-list).",
)


@cli.command("app")
@CONFIG_OPTION
@click.option("--port", default=8501, show_default=True)
@HOST_OPTION
def app(config_file: str | None, port: int, host: str) -> None:
    """Serve the Streamlit page (reads the published serving copy, never the build database)."""
    from ecoute.session import child_env

    config = load_config(config_file)
    _check_bind(config, host, "page")
    sys.exit(_serve(streamlit_args(port, host), child_env(config)))


@cli.command("ui")
@CONFIG_OPTION
@click.option("--port", default=3000, show_default=True)
@HOST_OPTION
def ui(config_file: str | None, port: int, host: str) -> None:
    """Serve the Dagster UI on the project's definitions."""
    from ecoute.session import child_env

    config = load_config(config_file)
    _check_bind(config, host, "Dagster UI")
    sys.exit(_serve(dagster_args(port, host), child_env(config)))


@cli.command("demo")
@CONFIG_OPTION
@click.option("--dagster-port", default=3000, show_default=True)
@click.option("--app-port", default=8501, show_default=True)
@click.option("--no-build", is_flag=True, help="Serve without building first.")
def demo(config_file: str | None, dagster_port: int, app_port: int, no_build: bool) -> None:
    """Build the warehouse from the demo world, then serve the Dagster UI and the page.

    The demo world stays served on loopback, so assets can be re-materialised from the UI.
    Stop with Ctrl-C.
    """
    from ecoute.session import child_env, demo_world

    config = load_config(config_file)
    if not no_build and not _build(config):
        sys.exit(1)
    env = child_env(config)
    with demo_world(config) as demo_url:
        processes = [_spawn(dagster_args(dagster_port), env), _spawn(streamlit_args(app_port), env)]
        if demo_url:
            click.echo(f"Demo world:  {demo_url}")
        click.echo(f"Dagster UI:  http://127.0.0.1:{dagster_port}  (lineage, runs, checks)")
        click.echo(f"Page:        http://127.0.0.1:{app_port}")
        click.echo("Ctrl-C stops everything.")
        try:
            while all(p.poll() is None for p in processes):
                time.sleep(1)
        except KeyboardInterrupt:
            pass
        finally:
            _stop(processes)
    click.echo("Stopped the UI, the page and the demo world.")


@cli.command("serve-demo")
@CONFIG_OPTION
def serve_demo(config_file: str | None) -> None:
    """Serve only the demo world on loopback (site, feed, sitemap, HN-shaped API)."""
    from ecoute.session import demo_world

    config = load_config(config_file)
    if config.demo is None:
        raise click.UsageError("this config has no demo: section")
    with demo_world(config) as url:
        click.echo(f"Demo world on {url} — Ctrl-C to stop.")
        try:
            while True:
                time.sleep(1)
        except KeyboardInterrupt:
            click.echo("stopped")


# Commands written beside the layer they serve.
for _module, _name in [
    ("ecoute.commands.extract", "extract"),
    ("ecoute.commands.score", "score"),
    ("ecoute.commands.evaluate", "evaluate"),
    ("ecoute.commands.bench", "bench"),
    ("ecoute.commands.sql", "sql"),
    ("ecoute.commands.train", "train"),
    ("ecoute.commands.forget", "forget"),
    ("ecoute.commands.query", "query"),
    ("ecoute.commands.report", "report"),
    ("ecoute.commands.corrections", "corrections"),
    ("ecoute.commands.coding", "coding"),
    ("ecoute.commands.backfill", "backfill"),
]:
    cli.add_command(getattr(import_module(_module), _name))


STOP_GRACE_SECONDS = 30  # then a stuck cleanup ends at once; within a service manager's 90 s


def _interrupt(signum: int, _frame: object) -> None:
    """SIGTERM stops a command as Ctrl-C does, so the same cleanup runs (servers, dbt, children)."""
    raise KeyboardInterrupt(f"signal {signum}")


def _watch_stop_signals() -> None:
    """Give a stop a deadline, whoever handles the signal (Dagster maps SIGTERM to its own handler
    while a job runs).

    An interrupt raised at an arbitrary point can land inside a lock and deadlock the cleanup
    (seen in a dbt step: a thread pool joined a worker waiting for a lock the interrupted thread
    held). Python writes each signal's number to the wakeup file descriptor from its C handler,
    before any Python handler runs; a thread reading it arms faulthandler's watchdog (a C thread
    that needs no lock) on the first SIGINT or SIGTERM: past the grace period it prints every
    thread's stack and ends the process, as a SIGKILL would, which the next run recovers from (the
    guard ends the children). A second one ends the process at once.
    """
    read_end, write_end = os.pipe()
    os.set_blocking(write_end, False)
    signal.set_wakeup_fd(write_end)

    def deadline() -> None:
        stopping = False
        while data := os.read(read_end, 64):
            for signum in (n for n in data if n in (signal.SIGINT, signal.SIGTERM)):
                if stopping:
                    os._exit(128 + signum)
                stopping = True
                faulthandler.dump_traceback_later(STOP_GRACE_SECONDS, exit=True)
                note = (
                    f"stopping on signal {signum} (at once if still busy in {STOP_GRACE_SECONDS} s)"
                )
                os.write(2, f"{note}\n".encode())

    threading.Thread(target=deadline, name="stop-deadline", daemon=True).start()


def main() -> None:
    signal.signal(signal.SIGTERM, _interrupt)
    _watch_stop_signals()
    # `kill -USR1 PID` prints every thread's stack to stderr: how to see where a run hangs.
    faulthandler.register(signal.SIGUSR1, all_threads=True)
    try:
        cli(standalone_mode=False)
    except ConfigError as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(2)
    except click.exceptions.Abort:
        sys.exit(130)
    except click.ClickException as error:
        error.show()
        sys.exit(error.exit_code)
