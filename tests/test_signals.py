"""How `ecoute` meets signals: USR1 prints the stacks, TERM stops it within a deadline."""

from __future__ import annotations

import signal
import subprocess
import sys
import time

from tests.conftest import REPO

# `main()` as installed, around a command that blocks until its stdin closes (as a hung run would);
# on an interrupt its cleanup deadlocks when told to (a lock taken twice), as one did in a dbt step.
COMMAND = """
import signal
import sys
import threading

import click

import ecoute.cli as cli

MODE = sys.argv.pop(1)  # the rest is the command line click reads
cli.STOP_GRACE_SECONDS = 300 if MODE == "stuck-long" else 3


def dagster_like(signum, frame):  # Dagster maps SIGTERM to its own handler while a job runs
    raise KeyboardInterrupt("replaced handler")


@click.command()
def blocking() -> None:
    if MODE == "replaced":
        signal.signal(signal.SIGTERM, dagster_like)
    try:
        print("ready", flush=True)
        sys.stdin.read()
    except KeyboardInterrupt:
        print("cleaning up", flush=True)
        if MODE != "fine":
            lock = threading.Lock()
            lock.acquire()
            lock.acquire()
        raise


cli.cli = blocking
cli.main()
print("went on")
"""


def start(mode: str) -> subprocess.Popen[str]:
    process = subprocess.Popen(
        [sys.executable, "-c", COMMAND, mode],
        cwd=REPO,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    assert process.stdout.readline() == "ready\n"  # `main()` has done its set-up
    return process


def finish(process: subprocess.Popen[str], stdin: str | None = None) -> tuple[str, str]:
    try:
        return process.communicate(input=stdin, timeout=60)
    finally:
        process.kill()


def test_usr1_prints_the_stacks_and_the_command_goes_on() -> None:
    process = start("fine")
    process.send_signal(signal.SIGUSR1)
    time.sleep(1)
    out, err = finish(process, stdin="")
    assert process.returncode == 0, err
    assert "went on" in out
    assert "Current thread" in err and "in main" in err, err


def test_sigterm_runs_the_cleanup_and_stops() -> None:
    process = start("fine")
    process.send_signal(signal.SIGTERM)
    out, err = finish(process)
    assert "cleaning up" in out and "went on" not in out
    assert process.returncode == 130, err  # as after Ctrl-C
    assert "Current thread" not in err  # the deadline did not fire


def test_a_stuck_cleanup_ends_at_the_deadline_with_the_stacks() -> None:
    process = start("stuck")
    began = time.monotonic()
    process.send_signal(signal.SIGTERM)
    out, err = finish(process)
    assert "cleaning up" in out
    assert process.returncode == 1, err  # faulthandler's exit, as a hard stop
    assert time.monotonic() - began >= 3
    assert "stopping on signal 15" in err
    assert "in blocking" in err, err  # where it was stuck


def test_the_deadline_holds_when_another_handler_took_sigterm() -> None:
    process = start("replaced")
    process.send_signal(signal.SIGTERM)
    out, err = finish(process)
    assert "cleaning up" in out
    assert process.returncode == 1, err
    assert "in blocking" in err, err


def test_a_second_sigterm_ends_a_stuck_cleanup_at_once() -> None:
    process = start("stuck-long")  # the deadline is 300 s away
    process.send_signal(signal.SIGTERM)
    assert process.stdout is not None
    assert process.stdout.readline() == "cleaning up\n"
    process.send_signal(signal.SIGTERM)
    finish(process)  # fails after 60 s
    # The deadline's thread exits at once (143), or the second interrupt breaks the stuck lock's
    # wait first and the command ends as after Ctrl-C (130): either way, not the watchdog's 1.
    assert process.returncode in (128 + signal.SIGTERM, 130)
