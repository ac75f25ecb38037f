"""A process started with SIGINT ignored (a background job: CI, cron, `nohup`) keeps SIGTERM
working for the children it starts after an in-process Dagster run (the clean-clone CI found a
demo server and a build's compute-log `tail` that SIGTERM could not end)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import REPO

PROCESS = """
import signal, subprocess, sys, time
from pathlib import Path
signal.signal(signal.SIGINT, signal.SIG_IGN)  # as a background job of a non-interactive shell
import dagster as dg
from orchestration.lib.interrupts import interruptible

def ignores_sigterm(pid):
    status = Path(f"/proc/{pid}/status").read_text().splitlines()
    mask = int(next(line for line in status if line.startswith("SigIgn")).split()[1], 16)
    return bool(mask & (1 << (signal.SIGTERM - 1)))

def child_ignores_sigterm():
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        time.sleep(0.5)  # it has exec'd
        return ignores_sigterm(child.pid)
    finally:
        child.kill()
        child.wait()

seen = {}

@dg.asset
def step():
    seen["during"] = child_ignores_sigterm()

GUARDED = sys.argv[1] == "guarded"
if GUARDED:
    with interruptible():
        dg.materialize([step])
else:
    dg.materialize([step])
seen["after"] = child_ignores_sigterm()
seen["sigint"] = signal.getsignal(signal.SIGINT) is signal.SIG_IGN
print(seen)
"""


@pytest.mark.parametrize(
    ("mode", "expected"),
    [
        # What Dagster alone does: a child started after the run cannot be stopped by SIGTERM.
        ("bare", {"during": False, "after": True, "sigint": True}),
        # Inside `interruptible()`: no child ever ignores SIGTERM; SIGINT is ignored again after.
        ("guarded", {"during": False, "after": False, "sigint": True}),
    ],
)
def test_children_started_after_a_run_can_be_stopped(mode: str, expected: dict[str, bool]):
    done = subprocess.run(
        [sys.executable, "-c", PROCESS, mode],
        cwd=REPO, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.strip().splitlines()[-1] == str(expected)
