"""The readers' role on Postgres: with `ECOUTE_POSTGRES_READER_DSN` set, the page's reader and
`ecoute sql` connect as a login role that each publish lets read the published schema and nothing
else, so what a SELECT can call (server files, the build's schemas, `set_config('role', …)`) runs
without the build's rights."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from core import publish, sql_client, warehouse
from core.config import EcouteConfig, load_config
from core.marts import Marts
from tests.conftest import write_demo_config
from tests.postgres.server import PostgresServer, execute

pytestmark = pytest.mark.slow

READER = "ecoute_analyst"
DATABASE = "readers"


@pytest.fixture
def config(
    postgres: PostgresServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[EcouteConfig]:
    execute(postgres, f'create database "{DATABASE}"')
    execute(postgres, f"create role {READER} login")
    monkeypatch.setenv("ECOUTE_POSTGRES_DSN", postgres.dsn(DATABASE))
    monkeypatch.setenv(
        "ECOUTE_POSTGRES_READER_DSN", postgres.dsn(DATABASE).replace("//ecoute@", f"//{READER}@")
    )
    path = write_demo_config(tmp_path, 8765)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["warehouse"]["engine"] = "postgres"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    config = load_config(path)
    with sql_client.connect(config) as con:
        for schema in ("raw", "marts"):
            con.execute(f"create schema {schema}")
        con.execute("create table raw.posts (author text)")
        con.execute("insert into raw.posts values ('someone@example.org')")
        con.execute("create table marts.probe (n numeric)")
        con.execute("insert into marts.probe values (1.5)")
    try:
        yield config
    finally:
        execute(postgres, f'drop database "{DATABASE}" with (force)')
        execute(postgres, f"drop role {READER}")


def test_readers_connect_as_the_reader_role_and_read_only_the_published_schema(
    config: EcouteConfig,
) -> None:
    from ecoute.cli import cli

    assert warehouse.reader_role(config) == READER
    publish.publish_serving(config)
    assert Marts(config).query("select n from marts.probe")["n"].tolist() == [1.5]

    def sql(statement: str) -> tuple[int, str]:
        command = ["sql", "--config", str(config.source_file), "--format", "csv", statement]
        result = CliRunner().invoke(cli, command)
        return result.exit_code, result.output

    assert sql("select current_user as who, n from marts.probe") == (0, f"who,n\n{READER},1.5\n")
    # Each of these runs as the build's user (a superuser here) without the reader role.
    for statement in (
        "select author from raw.posts",
        "select pg_read_file('PG_VERSION')",
        "select set_config('role', 'ecoute', false)",
    ):
        code, output = sql(statement)
        assert code == 1 and "permission denied" in output, (statement, output)
    # A second publish replaces the schema; the role can read the new copy too.
    with sql_client.connect(config) as con:
        con.execute("insert into marts.probe values (2)")
    publish.publish_serving(config)
    assert sorted(Marts(config).query("select n from marts.probe")["n"].tolist()) == [1.5, 2]


def test_without_a_reader_dsn_readers_use_the_builds_in_read_only_sessions(
    config: EcouteConfig, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ECOUTE_POSTGRES_READER_DSN")
    assert warehouse.reader_role(config) is None
    publish.publish_serving(config)
    con = sql_client.postgres_reader_connect(config)
    try:
        with con.cursor() as cursor:
            cursor.execute("select current_user, current_setting('transaction_read_only')")
            assert cursor.fetchone() == ("ecoute", "on")
    finally:
        con.close()
