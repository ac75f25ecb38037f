"""A small warehouse shaped exactly like the raw and enrichment contracts, and a real `dbt build`.

The fixture world (plain SQL, no network): three web articles, one of them syndicated on a mirror
site, threaded comments with a promo spammer, a Hacker News story with a reply chain, a quarantined
record, and enrichment rows with their dlt child tables joined on `_dlt_root_id`.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pytest
import yaml

from core.raw_schema import RAW_TABLES, create_table_sql

REPO = Path(__file__).resolve().parents[2]
DBT_PROJECT = REPO / "dbt_project"

ARTICLE_TEXT = (
    "Nuage Télécom déploie la fibre à Lyon : les abonnés saluent un réseau enfin stable "
    "et un service client réactif."
)
OUTAGE_TEXT = "Panne Nuage ce matin : plus d'internet ni de box dans tout le quartier depuis 6h."
PROMO_TEXT = (
    "Code promo Zest Mobile -50 % sur le forfait 5G, lien en bio : https://deal.example/?ref=x"
)


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True)
class Post:
    """One enrichment row of the fixture: the mention, its sentiment and its child-table rows."""

    mention_id: str
    sentiment: str
    score: float
    brands: tuple[tuple[str, str, str, float], ...] = ()  # brand, alias, label, score
    keywords: tuple[str, ...] = ()
    entities: tuple[tuple[str, str], ...] = ()


PAGES = [
    # url, site, title, author, published_at, text, lang
    (
        "https://news.example/nuage-fibre",
        "demo_news",
        "La fibre Nuage à Lyon",
        "Alice Martin",
        "2025-01-06 08:00:00+00",
        ARTICLE_TEXT,
        "fr",
    ),
    (
        "https://mirror.example/nuage-fibre",
        "demo_mirror",
        "La fibre Nuage à Lyon",
        "Alice Martin",
        "2025-01-06 15:00:00+00",
        ARTICLE_TEXT,
        "fr",
    ),
    (
        "https://news.example/panne-nuage",
        "demo_news",
        "Panne géante chez Nuage",
        "Bob",
        "2025-01-08 09:00:00+00",
        OUTAGE_TEXT,
        "fr",
    ),
    (
        "https://deals.example/zest",
        "demo_deals",
        "Bon plan Zest",
        "DealBot",
        "2025-01-08 10:00:00+00",
        PROMO_TEXT,
        "fr",
    ),
]

# Célest: a quiet baseline (one post a day from 2024-12-20), then a crisis on 2025-01-08.
BASELINE_TOPICS = [
    "roaming",
    "facture",
    "boutique",
    "application",
    "portabilite",
    "esim",
    "antenne",
    "tarif",
    "fidelite",
    "couverture",
    "assistance",
    "livraison",
    "smartphone",
    "promotion",
    "contrat",
    "options",
    "messagerie",
    "television",
    "wifi",
    "abonnement",
]
CRISIS_CITIES = ["Lille", "Nantes", "Rennes", "Dijon", "Brest", "Nancy", "Metz", "Tours"]
CELEST_PAGES = [
    (
        f"https://blog.example/celest-{topic}",
        "demo_blog",
        f"Célest et {topic}",
        "Chroniqueur",
        f"2024-12-{20 + i:02d} 10:00:00+00" if i < 12 else f"2025-01-{i - 11:02d} 10:00:00+00",
        f"{topic.capitalize()} chez Célest Mobile : un retour d'expérience sans surprise, "
        f"le service fait le travail ({topic}).",
        "fr",
    )
    for i, topic in enumerate(BASELINE_TOPICS[:19])
] + [
    (
        f"https://news.example/celest-panne-{city.lower()}",
        "demo_news",
        f"Coupure Célest à {city}",
        f"Reporter {city}",
        "2025-01-08 12:00:00+00",
        f"{city} privée de réseau : la panne Célest Mobile dure depuis ce matin, "
        f"aucune explication du service client.",
        "fr",
    )
    for city in CRISIS_CITIES
]
PAGES += CELEST_PAGES

COMMENTS = [
    # comment_id, page_url, parent_id, position, author, published_at, text
    (
        "https://news.example/panne-nuage#c1",
        "https://news.example/panne-nuage",
        None,
        1,
        "Chloé",
        "2025-01-08 09:30:00+00",
        "Même chose ici, Nuage ne répond pas au SAV, je vais résilier.",
    ),
    (
        "https://news.example/panne-nuage#c2",
        "https://news.example/panne-nuage",
        "https://news.example/panne-nuage#c1",
        2,
        "Bob",
        "2025-01-08 09:45:00+00",
        "Le réseau Nuage revient doucement chez moi.",
    ),
    (
        "https://news.example/panne-nuage#c3",
        "https://news.example/panne-nuage",
        None,
        3,
        "chloé",
        "2025-01-08 11:00:00+00",
        "Toujours rien, Nuage c'est fini pour moi.",
    ),
    (
        "https://news.example/nuage-fibre#c1",
        "https://news.example/nuage-fibre",
        None,
        1,
        "DealBot",
        "2025-01-06 09:00:00+00",
        PROMO_TEXT,
    ),
]

# Social sources reach int_mentions too (left unenriched, so the marts above do not change).
REDDIT_POSTS = [
    # name, kind, author, created_at, title, text, parent_id, link_id
    ("t3_aa", "submission", "u1", "2025-01-08 08:00:00+00", "Nuage down?", "", None, None),
    (
        "t1_bb",
        "comment",
        "u2",
        "2025-01-08 08:10:00+00",
        "Nuage down?",
        "Yes, box dead.",
        "t3_aa",
        "t3_aa",
    ),
]
BLUESKY_POSTS = [
    # uri, author, created_at, text, parent_uri, root_uri
    ("at://did/p1", "ana.bsky.social", "2025-01-08 08:00:00+00", "Panne Nuage ?", None, None),
    (
        "at://did/p2",
        "leo.bsky.social",
        "2025-01-08 08:05:00+00",
        "Oui, partout.",
        "at://did/p1",
        "at://did/p1",
    ),
]

HN_ITEMS = [
    # object_id, type, title, text, url, author, created_at, parent_id, story_id, points, comments
    (
        "1001",
        "story",
        "Fibrea launches 10G home fibre",
        None,
        "https://fibrea.example/10g",
        "pg",
        "2025-01-07 12:00:00+00",
        None,
        None,
        120,
        2,
    ),
    (
        "1002",
        "comment",
        None,
        "Fibrea has been rock solid for me, Nuage keeps dropping.",
        None,
        "alice_m",
        "2025-01-07 13:00:00+00",
        "1001",
        "1001",
        None,
        None,
    ),
    (
        "1003",
        "comment",
        None,
        "Agreed, their network is great.",
        None,
        "pg",
        "2025-01-07 14:00:00+00",
        "1002",
        "1001",
        None,
        None,
    ),
]

ENRICHED = [
    Post(
        "web:https://news.example/nuage-fibre",
        "positive",
        0.7,
        (("Nuage", "Nuage Télécom", "positive", 0.7),),
        ("fibre", "lyon"),
        (("Lyon", "LOC"), ("Nuage Télécom", "ORG")),
    ),
    Post(
        "web:https://mirror.example/nuage-fibre",
        "positive",
        0.7,
        (("Nuage", "Nuage Télécom", "positive", 0.7),),
        ("fibre", "lyon"),
    ),
    Post(
        "web:https://news.example/panne-nuage",
        "negative",
        -0.8,
        (("Nuage", "Nuage", "negative", -0.8),),
        ("panne", "box"),
    ),
    Post(
        "web:https://deals.example/zest",
        "positive",
        0.5,
        (("Zest", "Zest Mobile", "positive", 0.5),),
        ("code promo", "forfait"),
    ),
    Post(
        "web:https://news.example/panne-nuage#c1",
        "negative",
        -0.6,
        (("Nuage", "Nuage", "negative", -0.6),),
        ("panne", "sav"),
    ),
    Post(
        "web:https://news.example/panne-nuage#c2",
        "neutral",
        0.0,
        (("Nuage", "Nuage", "neutral", 0.0),),
    ),
    Post(
        "web:https://news.example/panne-nuage#c3",
        "negative",
        -0.7,
        (("Nuage", "Nuage", "negative", -0.7),),
        ("panne",),
    ),
    Post(
        "web:https://news.example/nuage-fibre#c1",
        "positive",
        0.5,
        (("Zest", "Zest Mobile", "positive", 0.5),),
        ("code promo",),
    ),
    Post("hn:1001", "positive", 0.4, (("Fibrea", "Fibrea", "positive", 0.4),), ("10g", "fibre")),
    # one mention, two brands with opposite brand-level sentiment
    Post(
        "hn:1002",
        "neutral",
        0.0,
        (("Fibrea", "Fibrea", "positive", 0.6), ("Nuage", "Nuage", "negative", -0.5)),
        ("fibre",),
    ),
    # hn:1003 is left unenriched on purpose
]
ENRICHED += [
    Post(
        f"web:{url}",
        "negative" if "panne" in url else "positive",
        -0.8 if "panne" in url else 0.3,
        (
            (
                "Célest",
                "Célest Mobile",
                "negative" if "panne" in url else "positive",
                -0.8 if "panne" in url else 0.3,
            ),
        ),
        ("panne", "coupure") if "panne" in url else ("forfait",),
    )
    for url, *_ in CELEST_PAGES
]

BRANDS = [("Nuage", False), ("Fibrea", True), ("Célest", True), ("Zest", True)]

# The raw tables the fixture fills, created from the one declaration the dlt sources use too.
RAW_FIXTURE_TABLES = (
    "web_pages",
    "web_comments",
    "hackernews_items",
    "reddit_posts",
    "bluesky_posts",
    "web_quarantine",
    "reddit_quarantine",
)
RAW_DDL = "create schema if not exists raw;\n" + "\n".join(
    create_table_sql(RAW_TABLES[name]) for name in RAW_FIXTURE_TABLES
)

ENRICHMENT_DDL = """
create schema if not exists enrichment;
create table enrichment.mention_enrichment (
    mention_id varchar, content_hash varchar, enrichment_version varchar, lang varchar,
    lang_confidence double, sentiment_label varchar, sentiment_score double,
    enriched_at timestamp with time zone, _dlt_load_id varchar not null,
    _dlt_id varchar not null
);
create table enrichment.mention_enrichment__brands (
    brand varchar, alias varchar, rule varchar, sentiment_label varchar, sentiment_score double,
    _dlt_root_id varchar not null, _dlt_parent_id varchar not null, _dlt_list_idx bigint not null,
    _dlt_id varchar not null
);
create table enrichment.mention_enrichment__entities (
    text varchar, label varchar, _dlt_root_id varchar not null, _dlt_parent_id varchar not null,
    _dlt_list_idx bigint not null, _dlt_id varchar not null
);
create table enrichment.mention_enrichment__keywords (
    value varchar, _dlt_root_id varchar not null, _dlt_parent_id varchar not null,
    _dlt_list_idx bigint not null, _dlt_id varchar not null
);
create table enrichment.brands (
    brand varchar, is_competitor boolean, _dlt_load_id varchar not null, _dlt_id varchar not null
);
"""


# The fixture's few authors post over days, not months: lower bars fit its scale.
BUILD_VARS = (
    "{advocate_min_trust: 0.3, advocate_min_mentions: 2, typology_contributor_min_posts: 2, "
    "typology_creator_min_replies: 1}"
)


def _dlt_id(*parts: Any) -> str:
    return sha256("|".join(map(str, parts)))[:14]


def create_raw(con: duckdb.DuckDBPyConnection) -> None:
    """raw.* as the dlt pipelines land them (hackernews_quarantine never seen: no table)."""
    con.execute(RAW_DDL)
    fetched = "2025-01-09 00:00:00+00"
    for url, site, title, author, published, text, lang in PAGES:
        con.execute(
            "insert into raw.web_pages values (?, ?, ?, ?, ?, ?, ?, ?, ?, null, null, 'l1', ?)",
            [url, site, title, author, published, text, sha256(text), lang, fetched, _dlt_id(url)],
        )
    for cid, page, parent, position, author, published, text in COMMENTS:
        con.execute(
            "insert into raw.web_comments values (?, ?, ?, ?, ?, ?, ?, ?, ?, 'l1', ?)",
            [
                cid,
                page,
                parent,
                position,
                author,
                published,
                text,
                sha256(text),
                fetched,
                _dlt_id(cid),
            ],
        )
    for item in HN_ITEMS:  # its fields in the table's column order
        con.execute(
            "insert into raw.hackernews_items values "
            "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'fibrea', ?, 'l1', ?)",
            [*item, fetched, _dlt_id(item[0])],
        )
    for name, kind, author, created, title, text, parent, link in REDDIT_POSTS:
        con.execute(
            "insert into raw.reddit_posts values (?, ?, ?, 'telecom', ?, ?, ?, ?, ?, null, ?, ?, "
            "1, null, false, 'Nuage', ?, 'l1', ?)",
            [
                name,
                kind,
                name[3:],
                author,
                created,
                title,
                text,
                f"https://reddit.example/{name}",
                parent,
                link,
                fetched,
                _dlt_id(name),
            ],
        )
    for uri, author, created, text, parent, root in BLUESKY_POSTS:
        con.execute(
            "insert into raw.bluesky_posts values (?, 'cid', ?, 'did', ?, ?, ?, null, ?, ?, ?, ?, "
            "'fr', 0, 0, 0, 0, 'Nuage', ?, 'l1', ?)",
            [
                uri,
                author,
                author,
                created,
                created,
                text,
                f"https://bsky.example/{uri[-2:]}",
                parent,
                root,
                fetched,
                _dlt_id(uri),
            ],
        )
    con.execute(
        "insert into raw.web_quarantine values "
        "('q1', 'web', 'no text extracted', '<html></html>', ?, 'l1', 'dq1')",
        [fetched],
    )
    con.execute(
        "insert into raw.reddit_quarantine values "
        "('q2', 'reddit', 'not an object', '[1, 2]', ?, 'l1', 'dq2')",
        [fetched],
    )


def create_enrichment(con: duckdb.DuckDBPyConnection, posts: list[Post] = ENRICHED) -> None:
    """enrichment.* as the dlt `enrichment` pipeline writes it (may be given no posts)."""
    con.execute(ENRICHMENT_DDL)
    hashes = (
        dict(
            con.execute("select mention_id, content_hash from intermediate.int_mentions").fetchall()
        )
        if _has_int_mentions(con)
        else {}
    )
    for post in posts:
        root = _dlt_id("enrichment", post.mention_id)
        con.execute(
            "insert into enrichment.mention_enrichment values "
            "(?, ?, 'v1', 'fr', 0.95, ?, ?, '2025-01-09 01:00:00+00', 'e1', ?)",
            [
                post.mention_id,
                hashes.get(post.mention_id, "unknown"),
                post.sentiment,
                post.score,
                root,
            ],
        )
        for idx, (brand, alias, label, score) in enumerate(post.brands):
            con.execute(
                "insert into enrichment.mention_enrichment__brands values "
                "(?, ?, 'alias', ?, ?, ?, ?, ?, ?)",
                [brand, alias, label, score, root, root, idx, _dlt_id(root, "b", idx)],
            )
        for idx, keyword in enumerate(post.keywords):
            con.execute(
                "insert into enrichment.mention_enrichment__keywords values (?, ?, ?, ?, ?)",
                [keyword, root, root, idx, _dlt_id(root, "k", idx)],
            )
        for idx, (text, label) in enumerate(post.entities):
            con.execute(
                "insert into enrichment.mention_enrichment__entities values (?, ?, ?, ?, ?, ?)",
                [text, label, root, root, idx, _dlt_id(root, "e", idx)],
            )
    for brand, competitor in BRANDS:
        con.execute(
            "insert into enrichment.brands values (?, ?, 'e1', ?)",
            [brand, competitor, _dlt_id("brand", brand)],
        )


def _has_int_mentions(con: duckdb.DuckDBPyConnection) -> bool:
    return bool(
        con.execute(
            "select count(*) from information_schema.tables "
            "where table_schema = 'intermediate' and table_name = 'int_mentions'"
        ).fetchall()[0][0]
    )


def _release_dbt_duckdb() -> None:
    """dbt-duckdb keeps its DuckDB instance open in the process after a run; close it so the
    test (and the next run) can open the file with its own settings."""
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager

    with DuckDBConnectionManager._LOCK:
        if DuckDBConnectionManager._ENV is not None:
            DuckDBConnectionManager._ENV.close()
            DuckDBConnectionManager._ENV = None


@dataclass
class DbtWarehouse:
    """A temporary DuckDB file plus private dbt target/log folders."""

    path: Path
    work: Path
    _reader: duckdb.DuckDBPyConnection | None = field(default=None, init=False, repr=False)

    def dbt(self, *args: str) -> Any:
        """Run the real dbt CLI in-process against this warehouse; returns the dbtRunnerResult.

        The warehouse is named in `--vars`, as the build does; a test's own `--vars` are merged in.
        """
        from dbt.cli.main import dbtRunner

        args_list = list(args)
        values: dict[str, Any] = {"ecoute_engine": "duckdb", "ecoute_duckdb_path": str(self.path)}
        if "--vars" in args_list:
            at = args_list.index("--vars")
            values |= yaml.safe_load(args_list[at + 1])
            del args_list[at : at + 2]
        argv = [
            *args_list,
            "--vars",
            json.dumps(values),
            "--project-dir",
            str(DBT_PROJECT),
            "--profiles-dir",
            str(DBT_PROJECT),
            "--target-path",
            str(self.work / "target"),
            "--log-path",
            str(self.work / "logs"),
        ]
        # dbt moves the process into --project-dir and does not move back: later tests (and
        # the default `./ecoute.yml`) expect the folder pytest started in.
        here = Path.cwd()
        try:
            return dbtRunner().invoke(argv)
        finally:
            os.chdir(here)
            _release_dbt_duckdb()

    def query(self, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
        if self._reader is not None:
            return self._reader.execute(sql, params or []).fetchall()
        con = duckdb.connect(str(self.path), read_only=True)
        try:
            return con.execute(sql, params or []).fetchall()
        finally:
            con.close()

    @contextmanager
    def reading(self) -> Iterator[DbtWarehouse]:
        """Within the block, `query` reuses one read-only connection: opening the file costs
        about 40 ms, most of a scan of every table or column that queries them one by one.
        Nothing may write the warehouse (dbt, `execute`, the privacy step) inside it."""
        if self._reader is not None:  # already inside a block
            yield self
            return
        self._reader = duckdb.connect(str(self.path), read_only=True)
        try:
            yield self
        finally:
            self._reader.close()
            self._reader = None

    def execute(self, fn: Any, *args: Any) -> None:
        con = duckdb.connect(str(self.path))
        try:
            fn(con, *args)
        finally:
            con.close()

    def copy_to(self, folder: Path) -> DbtWarehouse:
        """A private copy of the built warehouse, for tests that change it."""
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(self.path, folder / self.path.name)
        return DbtWarehouse(path=folder / self.path.name, work=folder)

    def relation_exists(self, schema: str, name: str) -> bool:
        return bool(
            self.query(
                "select count(*) from information_schema.tables "
                "where table_schema = ? and table_name = ?",
                [schema, name],
            )[0][0]
        )


def failed_nodes(result: Any) -> list[str]:
    """Names of the nodes that errored or failed in a dbt run."""
    return [r.node.name for r in (result.result or []) if str(r.status) in {"error", "fail"}]


def new_warehouse(tmp: Path) -> DbtWarehouse:
    tmp.mkdir(parents=True, exist_ok=True)
    return DbtWarehouse(path=tmp / "warehouse.duckdb", work=tmp)


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> DbtWarehouse:
    """The fixture world built the way Dagster runs it: raw → int_mentions → enrichment → marts.

    Shared by every test, so read-only: a test that changes data works on `built.copy_to(...)`.
    """
    wh = new_warehouse(tmp_path_factory.mktemp("dbt_built"))
    wh.execute(create_raw)
    first = wh.dbt("build", "--select", "+int_mentions")
    assert first.success, failed_nodes(first)
    wh.execute(create_enrichment)
    second = wh.dbt("build", "--exclude", "+int_mentions", "--vars", BUILD_VARS)
    assert second.success, failed_nodes(second)
    return wh
