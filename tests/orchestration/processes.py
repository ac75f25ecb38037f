"""Process helpers for the tests that start, signal and kill real `ecoute` processes."""

from __future__ import annotations

import socket
from pathlib import Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _stats() -> dict[int, list[str]]:
    """`/proc/<pid>/stat` fields after the command name, for every live (non-zombie) process."""
    found = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if fields[0] != "Z":
                found[int(entry.name)] = fields
    return found


def session_members(leader: int) -> set[int]:
    """Every live process of the session `leader` started (its children stay in it)."""
    return {pid for pid, fields in _stats().items() if int(fields[3]) == leader}


def tree(root: int) -> set[int]:
    """Every live descendant of `root` (children started in their own session included)."""
    parents: dict[int, list[int]] = {}
    for pid, fields in _stats().items():
        parents.setdefault(int(fields[1]), []).append(pid)
    found: set[int] = set()
    todo = [root]
    while todo:
        for child in parents.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False
