"""Whether a process still runs, told apart from a later process given the same pid.

On Linux `/proc/<pid>/stat` gives a process's parent, state and start time: a zombie counts as
gone, and a start time other than the one recorded is another process. Without `/proc`, signal 0
tells whether the pid exists (no start time to compare).
"""

from __future__ import annotations

import os
from pathlib import Path

PROC = Path("/proc")


def stat(pid: int) -> tuple[int, str] | None:
    """(parent pid, start time) of a live process; None when gone, a zombie or unknown."""
    try:
        fields = (PROC / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return None if fields[0] == "Z" else (int(fields[1]), fields[19])


def start_time(pid: int) -> str | None:
    """When process `pid` started (field 22 of `/proc/<pid>/stat`); None if unknown or gone."""
    found = stat(pid)
    return found[1] if found else None


def alive(pid: int, started: str | None = None) -> bool:
    """Whether `pid` runs (and, with `started`, is the process that started then)."""
    if (PROC / "self" / "stat").exists():
        now = start_time(pid)
        return now is not None and (started is None or now == started)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    return True
