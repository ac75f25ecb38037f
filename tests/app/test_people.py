"""The people side of the app: a correction from the Mentions page, the blind Codage queue, the
Codebook page, the Accord page (the CLI's table) and model vs people on the Méthode page.

A small serving copy is written here (the marts the pages read, a few rows) so each test owns its
corrections store; the slow test corrects a mention on a copy of the demo build's marts.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner
from streamlit.testing.v1 import AppTest

from core import corrections
from core.config import EcouteConfig, load_config
from ecoute.commands.coding import coding
from tests.app.test_pages import run_page, texts
from tests.conftest import REPO, write_demo_config

TEXTS = {
    "m1": "Nuage a encore coupé la fibre toute la nuit.",
    "m2": "Zest a doublé le prix de mon forfait sans prévenir.",
    "m3": "Le SAV Nuage m'a rappelé en dix minutes, bravo.",
    "m4": "J'hésite entre Nuage et Zest pour la fibre.",
}
MODEL = {"m1": "negative", "m2": "negative", "m3": "positive", "m4": "neutral"}
BRAND = {"m1": "Nuage", "m2": "Zest", "m3": "Nuage", "m4": "Zest"}


def write_marts(path: Path) -> None:
    """The marts the Mentions, Codage, Accord and Méthode pages read, for four mentions."""
    con = duckdb.connect(str(path))
    con.execute("create schema marts")
    rows = ", ".join("(?, ?, ?, ?, ?)" for _ in TEXTS)  # parameters: the texts carry quotes
    params = [v for i, m in enumerate(sorted(TEXTS)) for v in (m, BRAND[m], TEXTS[m], MODEL[m], i)]
    con.execute(
        f"create table base as select * from (values {rows}) t(mention_id, brand, text, label, i)",
        params,
    )
    con.execute(
        "create table marts.fct_brand_mentions as select mention_id, brand, "
        "mention_id as story_id, true as is_canonical, 'web' as source, 'site' as site, "
        "'article' as kind, 'https://example.org/' || mention_id as url, null as title, text, "
        "'web:a' || i as author_id, 'a' || i as author_name, "
        "timestamptz '2026-03-01 10:00:00+00' + to_days(cast(i as integer)) as published_at, "
        "date '2026-03-01' + cast(i as integer) as published_date, 'fr' as lang, "
        "brand as matched_alias, 'alias' as match_rule, label as sentiment_label, "
        "case label when 'negative' then -0.5 when 'positive' then 0.5 else 0 end "
        "as sentiment_score, 'v1' as enrichment_version from base"
    )
    con.execute(
        "create table marts.fct_mentions as select mention_id, text, title, lang, source, kind, "
        "published_at from marts.fct_brand_mentions"
    )
    con.execute(
        "create table marts.mart_brand_sentiment_daily as select brand, published_date as day, "
        "1 as mentions, 0 as positive_mentions, 1 as negative_mentions, 0 as neutral_mentions, "
        "-1.0 as net_sentiment from marts.fct_brand_mentions"
    )
    con.execute(
        "create table marts.mart_contributor_typology as select brand, author_id, "
        "'opportunist' as author_type from marts.fct_brand_mentions"
    )
    con.execute(
        "create table marts.mart_model_agreement as select * from (values "
        "(date '2026-02-23', 'fr', 'web', 'Nuage', 'sentiment', 4, 3, 4, 0), "
        "(date '2026-03-02', 'fr', 'web', 'Nuage', 'sentiment', 2, 1, 1, 1), "
        "(date '2026-03-02', 'en', 'reddit', 'Zest', 'relevance', 5, 5, 5, 0)) t(week_start, "
        "lang, source, brand, field, gold_items, agreed_items, corrected_items, coded_items)"
    )
    con.execute(  # empty: the Méthode page's weekly brief and quality table read them
        "create table marts.mart_alerts as select 'a' as alert_id, 'Nuage' as brand, "
        "date '2026-03-01' as first_day, date '2026-03-01' as last_day, 1 as flagged_days, "
        "date '2026-03-01' as peak_day, 'volume' as alert_type, 'volume' as signals, "
        "1.0 as observed, 1.0 as threshold, 1.0 as baseline_daily_mentions, "
        "0.1 as baseline_negative_share, 1 as window_mentions, 0.1 as window_negative_share, "
        "0.0 as sentiment_change, '' as top_keywords, '' as top_authors, '' as top_sources, "
        "'low' as severity, 1.0 as effect_size where false"
    )
    con.execute(
        "create table marts.mart_model_quality as select 'f' as gold_file, 'fr' as lang, "
        "1 as labelled_rows, 1.0 as accuracy, 1.0 as macro_f1, now() as run_at where false"
    )
    con.execute("drop table base")
    con.close()


@pytest.fixture
def small(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> EcouteConfig:
    config_file = write_demo_config(tmp_path, port=9)
    write_marts(tmp_path / "serving.duckdb")
    shutil.copy(REPO / "codebook.yml", tmp_path / "codebook.yml")
    monkeypatch.setenv("ECOUTE_CONFIG", str(config_file))
    return load_config(config_file)


def page(config: EcouteConfig, path: str, language: str = "en", **params: str) -> AppTest:
    return run_page(
        Path(str(config.source_file)), path, language, **{"from": "2000-01-01", **params}
    )


def sample(config: EcouteConfig, coders: str = "alice,bob") -> None:
    result = CliRunner().invoke(
        coding,
        [
            "sample",
            "--n",
            "4",
            "--coders",
            coders,
            "--overlap",
            "1",
            "--config",
            str(config.source_file),
        ],
    )
    assert result.exit_code == 0, result.output


def click(app: AppTest, label: str) -> AppTest:
    next(b for b in app.button if b.label == label).click()
    return app.run()


def select(app: AppTest, label: str, value: object) -> AppTest:
    next(s for s in app.selectbox if s.label == label).set_value(value)
    return app.run()


# --- corrections ----------------------------------------------------------------------------------


def test_a_correction_from_the_mentions_page_lands_in_the_store_who_stamped(
    small: EcouteConfig,
) -> None:
    app = page(small, "mentions")
    assert not app.exception, app.exception
    assert "Correct a mention" in texts(app)
    options = next(s for s in app.selectbox if s.label == "Mention and brand").options
    picked = next(i for i, o in enumerate(options) if "coupé la fibre" in o)
    app = select(app, "Mention and brand", picked)
    # no login configured: the name is asked, and nothing is stored without it
    app.selectbox(key="correct_sentiment").set_value("positive")
    app = click(app, "Save the correction")
    assert any("Give your name" in e.value for e in app.error)
    assert not corrections.store_path(small).exists() or not corrections.corrections(small)
    app.text_input(key="correction_who").set_value("Alice Martin")
    app.selectbox(key="correct_sentiment").set_value("positive")
    app.selectbox(key="correct_category").set_value("network")
    app.text_input(key="correct_reason").set_value("sarcasm")
    app = click(app, "Save the correction")
    assert not app.exception, app.exception
    stored = {e.field: e for e in corrections.corrections(small)}
    assert set(stored) == {"sentiment", "category"}
    fix = stored["sentiment"]
    assert (fix.mention_id, fix.brand, fix.who, fix.reason) == (
        "m1",
        "Nuage",
        "Alice Martin",
        "sarcasm",
    )
    assert (fix.old_value, fix.new_value, fix.model_version) == ("negative", "positive", "v1")
    assert any("2 correction(s) saved" in s.value for s in app.success)
    feed = app.dataframe[0].value
    state = dict(zip(feed["Text"], feed["Correction"], strict=True))
    assert state[TEXTS["m1"]] == "pending until the next build" and state[TEXTS["m2"]] == ""
    # the name is kept for the session; the serving copy was not written
    assert app.text_input(key="correction_who").value == "Alice Martin"
    con = duckdb.connect(str(small.resolve(small.warehouse.serving_path)), read_only=True)
    assert con.execute(
        "select count(*) from information_schema.tables where table_name like '%correction%'"
    ).fetchone() == (0,)
    con.close()


def test_with_a_login_the_correction_is_stamped_with_the_visitors_email(
    small: EcouteConfig, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app import auth

    monkeypatch.setattr(auth, "visitor", lambda config: "claire@example.org")
    app = page(small, "mentions")
    assert "Corrections signed claire@example.org" in texts(app)
    assert not any(t.key == "correction_who" for t in app.text_input)
    app.selectbox(key="correct_relevance").set_value("not_about")
    app = click(app, "Save the correction")
    (event,) = corrections.corrections(small)
    assert (event.who, event.field, event.new_value) == (
        "claire@example.org",
        "relevance",
        "not_about",
    )


# --- coding -------------------------------------------------------------------------------------


def visible_words(app: AppTest) -> str:
    """Every text the coder sees, widget labels and option lists aside."""
    parts = [texts(app)] + [m.value for m in app.markdown] + [s.value for s in app.success]
    parts += [bar.proto.text for bar in app.get("progress")]
    return "\n".join(str(p) for p in parts)


def test_the_coding_queue_is_blind_and_answers_are_append_only_events(
    small: EcouteConfig,
) -> None:
    sample(small)
    item = corrections.queue(small, "bob")[0]
    for field, value in (("sentiment", "positive"), ("relevance", "not_about")):
        corrections.add_answer(small, item["sample_id"], item["item_id"], "bob", field, value)
    app = page(small, "codage", coder="alice")
    assert not app.exception, app.exception
    shown = visible_words(app)
    assert "0 / 4 items coded" in shown
    first = corrections.queue(small, "alice")[0]
    assert first["item_id"] == item["item_id"]
    assert TEXTS[first["mention_id"]] in shown and f"Brand to code: {first['brand']}" in shown
    # neither the model's label nor bob's answers: no radio is preselected, no label is written
    assert all(r.value is None for r in app.radio)
    for word in ("positive", "negative", "neutral", "not_about", "model"):
        assert word not in shown.lower().replace("model's label", ""), word
    for radio in app.radio:
        radio.set_value(radio.options[0])
    app = click(app, "Save and go to the next")
    assert not app.exception, app.exception
    assert "1 / 4 items coded" in visible_words(app)
    with sqlite3.connect(corrections.store_path(small)) as con:
        rows = con.execute(
            "select coder, field, new_value, old_value, model_version from coding_answers "
            "where coder = 'alice'"
        ).fetchall()
    assert len(rows) == 4 and all(r[3] is None and r[4] is None for r in rows)
    assert sorted(r[1] for r in rows) == sorted(corrections.project_codebook(small).fields)


def test_the_coding_page_without_a_sample_says_how_to_draw_one(small: EcouteConfig) -> None:
    app = page(small, "codage", "fr")
    assert not app.exception
    assert "ecoute coding sample --n 200 --coders alice,bob" in texts(app)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_codebook_page_shows_every_variable_rule_and_example(
    small: EcouteConfig, language: str
) -> None:
    app = page(small, "codebook", language)
    assert not app.exception
    book = corrections.project_codebook(small)
    headings = [s.value for s in app.subheader]
    assert headings == list(book.variables)
    rules = "\n".join(m.value for m in app.markdown)
    for variable in book.variables.values():
        for rule in variable.rules:
            assert getattr(rule, language) in rules
    examples = [e for frame in app.dataframe for e in frame.value.iloc[:, 0]]
    assert examples == [e.text for v in book.variables.values() for e in v.examples]
    assert f"{book.version}" in texts(app)


# --- agreement ----------------------------------------------------------------------------------


def test_the_agreement_page_shows_the_clis_table(small: EcouteConfig) -> None:
    sample(small)
    answers = {
        "alice": ["negative", "negative", "positive", "neutral"],
        "bob": ["negative", "positive", "positive", "neutral"],
    }
    for coder, values in answers.items():
        for item, value in zip(corrections.queue(small, coder), values, strict=True):
            corrections.add_answer(
                small, item["sample_id"], item["item_id"], coder, "sentiment", value
            )
    cli = CliRunner().invoke(coding, ["agreement", "--config", str(small.source_file)])
    assert cli.exit_code == 0, cli.output
    app = page(small, "accord")
    assert not app.exception, app.exception
    assert app.code[0].value == cli.output.rstrip("\n")
    alpha = app.dataframe[0].value
    assert list(alpha["Variable"]) == ["sentiment"] and list(alpha["Items"]) == [4]
    kappa = app.dataframe[1].value
    assert (kappa["Coder A"][0], kappa["Coder B"][0]) == ("alice", "bob")
    adjudicate = app.dataframe[-1].value
    assert list(adjudicate["Answers"]) == ["alice=negative, bob=positive"]
    assert f"{kappa['kappa'][0]:.3f}" in cli.output


# --- model vs people ----------------------------------------------------------------------------


def test_the_method_page_shows_model_vs_people_per_language_source_brand_and_week(
    small: EcouteConfig,
) -> None:
    app = page(small, "methode")
    assert not app.exception, app.exception
    assert "Model vs people" in texts(app)
    frames = [f.value for f in app.dataframe]
    overall = next(f for f in frames if "all" in f.columns or list(f.columns)[:1] == ["field"])
    rows = overall.set_index("field")
    assert rows.loc["sentiment", "gold_items"] == 6 and rows.loc["sentiment", "agreement"] == round(
        4 / 6, 3
    )
    assert rows.loc["relevance", "agreement"] == 1.0
    by_source = next(f for f in frames if "source" in f.columns and "gold_items" in f.columns)
    assert set(by_source["source"]) == {"web", "reddit"}


# --- the demo build -------------------------------------------------------------------------------


@pytest.mark.slow
def test_a_correction_on_the_demo_marts_is_stored_for_the_next_build(
    demo_build, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config_file = write_demo_config(tmp_path, port=9)
    shutil.copy(demo_build.folder / "serving.duckdb", tmp_path / "serving.duckdb")
    shutil.copy(REPO / "codebook.yml", tmp_path / "codebook.yml")
    monkeypatch.setenv("ECOUTE_CONFIG", str(config_file))
    config = load_config(config_file)
    app = run_page(config_file, "mentions", "fr", **{"from": "2000-01-01"})
    assert not app.exception, app.exception
    app.text_input(key="correction_who").set_value("Bob")
    app.selectbox(key="correct_sentiment").set_value("neutral")
    app = click(app, "Enregistrer la correction")
    assert not app.exception, app.exception
    (event,) = corrections.corrections(config)
    assert event.who == "Bob" and event.new_value == "neutral" and event.model_version
    feed = app.dataframe[0].value
    assert "en attente du prochain build" in set(feed["Correction"])
    assert os.path.getsize(tmp_path / "serving.duckdb") == os.path.getsize(
        demo_build.folder / "serving.duckdb"
    )
