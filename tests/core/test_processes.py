"""A process is alive while it runs; a zombie, a reaped one or a pid's later owner is not."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from core import processes

pytestmark = pytest.mark.skipif(not processes.PROC.is_dir(), reason="needs /proc (Linux)")


def test_this_process_is_alive_and_only_with_its_own_start_time() -> None:
    me = os.getpid()
    started = processes.start_time(me)
    assert started is not None and processes.stat(me) == (os.getppid(), started)
    assert processes.alive(me) and processes.alive(me, started)
    assert not processes.alive(me, str(int(started) + 1))  # another process given this pid


def test_a_zombie_and_a_reaped_child_are_gone() -> None:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    deadline = time.monotonic() + 30
    while processes.stat(child.pid) is not None and time.monotonic() < deadline:
        time.sleep(0.05)  # exited, not yet reaped: a zombie
    assert not processes.alive(child.pid)
    child.wait()
    assert not processes.alive(child.pid) and processes.start_time(child.pid) is None
