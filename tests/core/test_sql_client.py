"""core.sql_client's engine-neutral helpers: placeholders, schema requalification, case folding."""

from __future__ import annotations

import duckdb
import pytest

from core import sql_client
from core.sql_client import Connection, requalify


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        ("select * from marts.t", "select * from serving.t"),
        (
            "select * from MARTS . t join marts.u using (k)",
            "select * from serving . t join serving.u using (k)",
        ),
        ('select 1 from "marts".t', 'select 1 from "serving".t'),
        # text, other names, a bare word and a three-part name stay as they are
        (
            "select 'marts.t', \"marts.t\", mymarts.t, x.marts.t, marts",
            "select 'marts.t', \"marts.t\", mymarts.t, x.marts.t, marts",
        ),
        (
            "select 1 where a = 'it''s marts.t' and b = marts.c",
            "select 1 where a = 'it''s marts.t' and b = serving.c",
        ),
        ('select "marts"', 'select "marts"'),
    ],
)
def test_requalify_reads_marts_as_the_published_schema(sql: str, expected: str) -> None:
    assert requalify(sql, "marts", "serving") == expected


def test_to_pyformat_keeps_quoted_question_marks_and_escapes_percent() -> None:
    assert sql_client.to_pyformat("select '?', \"a?\", x like '5%' from t where y = ?") == (
        "select '?', \"a?\", x like '5%%' from t where y = %s"
    )


def test_duckdb_connection_changes_folds_and_replaces() -> None:
    con = Connection("duckdb", duckdb.connect())
    con.execute("create table t as select * from (values ('CHLOÉ'), ('Bob')) as v(name)")
    assert con.execute(f"select {con.fold_case('name')} from t order by 1") == [
        ("bob",),
        ("chloé",),
    ]
    con.replace_table("u", "select unnest(?::varchar[]) as k", [["a", "b"]])
    con.replace_table("u", "select unnest(?::varchar[]) as k", [["c"]])
    assert con.execute("select k from u") == [("c",)]
    assert con.change("delete from t where name = ?", ["Bob"]) == 1
    assert con.change("delete from t where name = ?", ["Bob"]) == 0
    with pytest.raises(duckdb.Error), con.transaction():
        con.execute("delete from t")
        con.execute("select * from absent")
    assert con.execute("select count(*) from t") == [(1,)]  # rolled back
    assert Connection("postgres", None).fold_case("a") == 'lower((a) collate "C.utf8")'
