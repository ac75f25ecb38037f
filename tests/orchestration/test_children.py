"""The guard kills a build's children when the build process alone is SIGKILLed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import REPO

PARENT = """
import subprocess, sys, time
from orchestration.lib.children import guard_children
with guard_children():
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(300)"])
    print(child.pid, flush=True)
    time.sleep(300)
"""


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_a_child_dies_with_its_killed_parent():
    parent = subprocess.Popen(
        [sys.executable, "-c", PARENT], cwd=REPO, stdout=subprocess.PIPE, text=True
    )
    assert parent.stdout is not None
    child = int(parent.stdout.readline())
    time.sleep(1.0)  # the guard has seen the child
    assert alive(child)
    parent.send_signal(signal.SIGKILL)
    parent.wait(timeout=10)
    deadline = time.monotonic() + 10
    while alive(child) and time.monotonic() < deadline:
        time.sleep(0.1)
    if alive(child):
        os.kill(child, signal.SIGKILL)
        raise AssertionError("the child outlived its SIGKILLed parent")


QUIET_PARENT = """
import signal
from orchestration.lib.children import guard_children
signal.signal(signal.SIGTERM, signal.SIG_IGN)
with guard_children():
    pass
print("ended", flush=True)
"""


def test_a_block_started_with_sigterm_ignored_still_ends():
    """The guard inherits an ignored SIGTERM through exec; the block's end still stops it
    (before: the build waited forever for it)."""
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-c", QUIET_PARENT], cwd=REPO, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ended"
    assert time.monotonic() - started < 30.0


LEAVING_PARENT = """
import subprocess, sys
from orchestration.lib.children import guard_children
sleep = [sys.executable, "-c", "import time; time.sleep(300)"]
stubborn = [sys.executable, "-c", '''
import signal, subprocess, sys, time
signal.signal(signal.SIGTERM, signal.SIG_IGN)
child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(300)"])
print(child.pid, flush=True)
time.sleep(300)
''']
quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
early = subprocess.Popen(sleep, **quiet)
with guard_children():
    plain = subprocess.Popen(sleep, **quiet)
    held = subprocess.Popen(stubborn, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    grandchild = int(held.stdout.readline())
print(early.pid, plain.pid, held.pid, grandchild, flush=True)
"""


def test_what_a_block_started_and_left_running_ends_with_it():
    """A library may start a helper and lose track of it when a stop lands (Dagster's compute-log
    `tail` was seen left after a SIGTERM): the block's end ends it, SIGKILL for one that ignores
    SIGTERM, grandchildren included; a process started before the block is spared."""
    done = subprocess.run(
        [sys.executable, "-c", LEAVING_PARENT], cwd=REPO, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    early, *started = (int(pid) for pid in done.stdout.split())
    try:
        assert alive(early)
        assert not [pid for pid in started if alive(pid)]
    finally:
        for pid in [early, *started]:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
