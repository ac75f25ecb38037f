"""`dbt show` on the project's own profile, for tests that compare what each engine's SQL gives."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

DBT_PROJECT = Path(__file__).resolve().parents[2] / "dbt_project"


def show(sql: str, target: str, variables: dict[str, str], folder: Path, limit: int) -> list[Any]:
    """The rows of `dbt show --inline sql` on `target` (the profile's own connection)."""
    dbt = Path(sys.executable).with_name("dbt")
    done = subprocess.run(
        [
            str(dbt),
            "show",
            "--quiet",
            "--output",
            "json",
            "--inline",
            sql,
            "--limit",
            str(limit),
            "--target",
            target,
            "--vars",
            json.dumps({"ecoute_engine": target, **variables}),
            "--profiles-dir",
            str(DBT_PROJECT),
            "--project-dir",
            str(DBT_PROJECT),
            "--target-path",
            str(folder / "target"),
            "--log-path",
            str(folder / "logs"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    rows: list[Any] = json.loads(done.stdout[done.stdout.index("{") :])["show"]
    return rows


def postgres_vars(port: int, database: str) -> dict[str, str]:
    """The `--vars` pointing the profile's Postgres target at a loopback server."""
    return {
        "ecoute_postgres_host": "127.0.0.1",
        "ecoute_postgres_port": str(port),
        "ecoute_postgres_user": "ecoute",
        "ecoute_postgres_dbname": database,
    }
