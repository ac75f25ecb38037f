"""`python -m ecoute` is the same command line as the installed `ecoute` script."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import REPO


def test_python_m_ecoute_runs_the_cli() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "ecoute", "--help"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "check-config" in done.stdout and "backfill" in done.stdout
