"""`kill -USR1` on an `ecoute` command prints every thread's stack and lets it go on."""

from __future__ import annotations

import signal
import subprocess
import sys
import time

from tests.conftest import REPO

# `main()` as installed, around a command that blocks until its stdin closes (as a hung run would).
BLOCKING_COMMAND = """
import sys
import ecoute.cli as cli


def blocking(standalone_mode: bool) -> None:
    print("ready", flush=True)
    sys.stdin.read()


cli.cli = blocking
cli.main()
print("went on")
"""


def test_usr1_prints_the_stacks_and_the_command_goes_on() -> None:
    process = subprocess.Popen(
        [sys.executable, "-c", BLOCKING_COMMAND],
        cwd=REPO,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        assert process.stdout.readline() == "ready\n"  # `main()` has done its set-up
        process.send_signal(signal.SIGUSR1)
        time.sleep(1)
        out, err = process.communicate(input="", timeout=30)
    finally:
        process.kill()
    assert process.returncode == 0, err
    assert "went on" in out
    assert "Current thread" in err and "in main" in err, err
