"""A guard process that ends a build's children when the build itself dies.

dagster-dbt starts `dbt build` (and enrichment may start workers) as plain children: a SIGKILL of
the build process alone would leave them writing the warehouse, and Linux clears a parent-death
signal on fork, so it cannot be set on children we do not spawn. The guard watches the build from
outside: it keeps the set of the build's descendants fresh and, as soon as the build is gone,
SIGKILLs the ones still alive (checked by start time, so a reused pid is spared). When the guarded
block ends (a stop included), whatever it started and left running is ended too.

Run as `python -m orchestration.lib.children PID`; `guard_children()` starts it.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from core import processes

POLL_SECONDS = 0.25
LEFTOVER_GRACE_SECONDS = 5.0  # a leftover's time to end on SIGTERM before SIGKILL


def descendants(root: int, skip: int) -> dict[int, str]:
    """Every live descendant of `root` (but `skip` and its own) → its start time."""
    parents: dict[int, list[int]] = {}
    started: dict[int, str] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            stat = processes.stat(int(entry.name))
            if stat is not None:
                parents.setdefault(stat[0], []).append(int(entry.name))
                started[int(entry.name)] = stat[1]
    found: dict[int, str] = {}
    todo = [root]
    while todo:
        for child in parents.get(todo.pop(), []):
            if child != skip and child not in found:
                found[child] = started[child]
                todo.append(child)
    return found


def watch(build: int) -> None:
    """Track `build`'s descendants until it dies, then kill those still running."""
    me = os.getpid()
    known: dict[int, str] = {}
    while processes.stat(build) is not None and os.getppid() == build:
        known = descendants(build, skip=me)
        time.sleep(POLL_SECONDS)
    for pid, started in known.items():
        if processes.alive(pid, started):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)


def end_started(
    before: dict[int, str], skip: int, grace: float = LEFTOVER_GRACE_SECONDS
) -> list[int]:
    """SIGTERM this process's descendants that are not in `before` (pid → start time) nor `skip`,
    then SIGKILL those still alive after `grace` seconds; the pids ended.

    A stop can land between a library's start of a helper and its record of it, and a helper may
    ignore SIGTERM (the CI's leftovers did: `interrupts.py` says why): whatever the block started
    and did not end is ended here, before the process exits and its orphans leave the tree.
    """
    left = {
        pid: started
        for pid, started in descendants(os.getpid(), skip=skip).items()
        if before.get(pid) != started
    }
    for pid in left:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline and any(processes.alive(pid, t) for pid, t in left.items()):
        time.sleep(0.05)
    for pid, started in left.items():
        if processes.alive(pid, started):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
    for pid in left:  # collect the exit of our own children among them (no zombies kept)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)
    return sorted(left)


@contextmanager
def guard_children() -> Iterator[None]:
    """While the block runs, a guard (in its own session, so a kill of the build's group spares
    it until its work is done) ends this process's children if this process dies; when the block
    ends, by any path, what it started and left running is ended (`end_started`). Linux only:
    elsewhere the block runs unguarded."""
    if not Path("/proc/self/stat").exists():
        yield
        return
    before = descendants(os.getpid(), skip=0)
    guard = subprocess.Popen(
        [sys.executable, "-m", "orchestration.lib.children", str(os.getpid())],
        start_new_session=True,
        stdin=subprocess.DEVNULL,
    )
    try:
        yield
    finally:
        try:
            end_started(before, skip=guard.pid)
        finally:
            # SIGKILL: the guard has nothing to clean up while this process lives, and a SIGTERM
            # would be lost on a guard started while SIGTERM was ignored (inherited through exec).
            guard.kill()
            guard.wait()


if __name__ == "__main__":
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    watch(int(sys.argv[1]))
