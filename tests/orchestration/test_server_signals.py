"""SIGTERM stops `ecoute app`, `ecoute ui` and `ecoute demo` with every process they started, and
frees their ports, in bounded time."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import REPO, write_demo_config
from tests.orchestration.processes import alive, free_port, tree

ECOUTE = [sys.executable, "-c", "from ecoute.cli import main; main()"]
START_SECONDS = 180  # servers start slowly on a busy machine
STOP_SECONDS = 30  # the command waits 15 s before SIGKILLing a child that ignores SIGTERM


def listening(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def command(name: str, config_file: Path, ports: list[int]) -> list[str]:
    if name == "app":
        return [*ECOUTE, "app", "--config", str(config_file), "--port", str(ports[0])]
    if name == "ui":
        return [*ECOUTE, "ui", "--config", str(config_file), "--port", str(ports[0])]
    return [
        *ECOUTE, "demo", "--config", str(config_file), "--no-build",
        "--dagster-port", str(ports[0]), "--app-port", str(ports[1]),
    ]  # fmt: skip


@pytest.mark.slow
@pytest.mark.parametrize("name", ["app", "ui", "demo"])
def test_sigterm_stops_a_server_command_and_frees_its_ports(name, tmp_path, monkeypatch):
    monkeypatch.delenv("DAGSTER_HOME", raising=False)
    demo_port = free_port()
    config_file = write_demo_config(tmp_path, demo_port, mentions=30)
    ports = [free_port(), free_port()][: 2 if name == "demo" else 1]
    watched = ports + ([demo_port] if name == "demo" else [])
    process = subprocess.Popen(
        command(name, config_file, ports),
        cwd=REPO,
        env={k: v for k, v in os.environ.items() if k != "DAGSTER_HOME"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    children: set[int] = set()
    try:
        deadline = time.monotonic() + START_SECONDS
        while not all(listening(port) for port in watched):
            assert process.poll() is None, f"ecoute {name} exited with {process.returncode}"
            assert time.monotonic() < deadline, f"ecoute {name} did not listen on {watched}"
            time.sleep(0.5)
        children = tree(process.pid)
        assert children, "the servers run as children"
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=STOP_SECONDS)
        except subprocess.TimeoutExpired:
            pytest.fail(f"ecoute {name} outlived SIGTERM by {STOP_SECONDS}s")
        deadline = time.monotonic() + 10
        while any(map(alive, children)) and time.monotonic() < deadline:
            time.sleep(0.2)
        left = [pid for pid in children if alive(pid)]
        assert not left, f"ecoute {name} left {left} running after SIGTERM"
        assert not [port for port in watched if listening(port)], "a port is still served"
    finally:
        for pid in [process.pid, *children, *tree(process.pid)]:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
        process.wait(timeout=10)
