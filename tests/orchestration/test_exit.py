"""`ecoute run` ends without the interpreter's final collection over the build's heap (which took
over a minute after the summary), yet joins threads, runs exit handlers and flushes its output."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import REPO

PROGRAM = """
import atexit, gc, os, sys, threading, time
from ecoute.session import end_process

threading.Thread(target=lambda: (time.sleep(0.3), print("thread finished", flush=True))).start()
atexit.register(lambda: print("exit handler ran", flush=True))
heap = [[i] for i in range(200_000)]  # a heap the final collection would traverse

def full_collection(phase, info):
    if phase == "start" and info["generation"] == 2:
        os.write(1, b"full collection\\n")

gc.callbacks.append(full_collection)
print("buffered summary", end="")
end_process(3) if sys.argv[1] == "end_process" else sys.exit(3)
"""


def run(how: str) -> tuple[int, str]:
    done = subprocess.run(
        [sys.executable, "-c", PROGRAM, how], cwd=REPO, capture_output=True, text=True, timeout=60
    )
    return done.returncode, done.stdout


@pytest.mark.parametrize("how", ["end_process", "sys.exit"])
def test_the_exit_joins_threads_runs_handlers_and_flushes(how):
    code, out = run(how)
    assert code == 3
    assert "thread finished" in out and "exit handler ran" in out and "buffered summary" in out


def test_end_process_skips_the_final_collection_a_normal_exit_runs():
    assert "full collection" in run("sys.exit")[1]  # the cost a normal exit pays
    assert "full collection" not in run("end_process")[1]
