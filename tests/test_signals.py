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
import sys
import threading

import click

import ecoute.cli as cli

cli.STOP_GRACE_SECONDS = 3
STUCK = sys.argv.pop(1) == "stuck"  # the rest is the command line click reads


@click.command()
def blocking() -> None:
    try:
        print("ready", flush=True)
        sys.stdin.read()
    except KeyboardInterrupt:
        print("cleaning up", flush=True)
        if STUCK:
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


def test_a_second_sigterm_ends_a_stuck_cleanup_at_once() -> None:
    process = start("stuck")
    process.send_signal(signal.SIGTERM)
    assert process.stdout is not None
    assert process.stdout.readline() == "cleaning up\n"
    process.send_signal(signal.SIGTERM)
    finish(process)
    assert process.returncode == 128 + signal.SIGTERM
