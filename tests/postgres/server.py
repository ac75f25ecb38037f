"""A throwaway Postgres server for tests: `initdb` in a temporary folder, loopback only, trust auth.

Run as an unprivileged user (`postgres` through `runuser` when the tests run as root), on a free
port of 127.0.0.1, no Unix socket outside the folder, stopped (and the folder removed) on exit.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

START_TIMEOUT_SECONDS = 60
UNPRIVILEGED_USER = "postgres"
DATABASE_USER = "ecoute"


@dataclass(frozen=True)
class PostgresServer:
    port: int
    folder: Path

    def dsn(self, database: str = "postgres") -> str:
        """A password-less DSN (trust auth on loopback)."""
        return f"postgresql://{DATABASE_USER}@127.0.0.1:{self.port}/{database}"


def binaries() -> Path | None:
    """The folder holding `initdb` and `pg_ctl` (PATH first, then Debian's versioned folders)."""
    found = shutil.which("pg_ctl")
    if found and shutil.which("initdb"):
        return Path(os.path.realpath(found)).parent
    for folder in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if Path(folder, "initdb").exists() and Path(folder, "pg_ctl").exists():
            return Path(folder)
    return None


def missing_reason() -> str | None:
    """Why no server can be started here, or None."""
    if binaries() is None:
        return "Postgres binaries (initdb, pg_ctl) not found: apt-get install postgresql"
    if os.geteuid() == 0:
        try:
            import pwd

            pwd.getpwnam(UNPRIVILEGED_USER)
        except KeyError:
            return f"running as root and no '{UNPRIVILEGED_USER}' user to run the server as"
        if shutil.which("runuser") is None:
            return "running as root without runuser to drop privileges"
    return None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _as_server_user(command: list[str]) -> list[str]:
    if os.geteuid() == 0:
        return ["runuser", "-u", UNPRIVILEGED_USER, "--", *command]
    return command


@contextmanager
def postgres_server(databases: tuple[str, ...] = ()) -> Iterator[PostgresServer]:
    """Start a server (and create `databases`, owned by the `ecoute` superuser); stop it on exit."""
    bin_dir = binaries()
    if bin_dir is None:
        raise RuntimeError(missing_reason())
    folder = Path(tempfile.mkdtemp(prefix="ecoute-pg-"))
    data = folder / "data"
    if os.geteuid() == 0:
        shutil.chown(folder, UNPRIVILEGED_USER)
    port = _free_port()
    pg_ctl = [str(bin_dir / "pg_ctl"), "-D", str(data)]

    def run(command: list[str]) -> None:
        subprocess.run(
            command, check=True, capture_output=True, timeout=START_TIMEOUT_SECONDS, cwd=folder
        )

    started = False
    try:
        run(
            _as_server_user(
                [
                    str(bin_dir / "initdb"),
                    "-D",
                    str(data),
                    "-U",
                    DATABASE_USER,
                    "--auth=trust",
                    "--encoding=UTF8",
                    "--locale=C.UTF-8",
                    "--no-sync",
                ]
            )
        )
        options = f"-c listen_addresses=127.0.0.1 -c port={port}"
        options += f" -c unix_socket_directories={folder}"
        options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        run(
            _as_server_user(
                [*pg_ctl, "-o", options, "-l", str(folder / "server.log"), "-w", "start"]
            )
        )
        started = True
        server = PostgresServer(port, folder)
        for database in databases:
            execute(server, f'create database "{database}"')
        yield server
    except subprocess.CalledProcessError as error:
        log = folder / "server.log"
        detail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
        output = error.stderr.decode(errors="replace")
        raise RuntimeError(f"postgres: {output}\n{detail}") from error
    finally:
        if started:
            subprocess.run(
                _as_server_user([*pg_ctl, "-m", "fast", "-w", "stop"]),
                capture_output=True,
                timeout=START_TIMEOUT_SECONDS,
                check=False,
                cwd=folder,
            )
        shutil.rmtree(folder, ignore_errors=True)


def execute(server: PostgresServer, sql: str, database: str = "postgres") -> None:
    """Run one statement outside a transaction (`create database` needs that)."""
    import psycopg2  # type: ignore[import-untyped]  # no stubs in the postgres extra

    con = psycopg2.connect(server.dsn(database))
    try:
        con.autocommit = True
        with con.cursor() as cursor:
            cursor.execute(sql)
    finally:
        con.close()
