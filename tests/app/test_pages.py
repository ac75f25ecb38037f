"""Every page renders with AppTest: on an empty warehouse (says what to do) and on the demo one."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from app.views import PAGES
from tests.conftest import write_demo_config

PATHS = [spec.url_path for specs in PAGES.values() for spec in specs]


def _page(path: str, language: str = "fr") -> None:
    import streamlit as st

    from app.streamlit_app import main

    st.query_params["lang"] = language
    main(only=path)


def run_page(config_file: Path, path: str, language: str = "fr", **params: str) -> AppTest:
    import os

    os.environ["ECOUTE_CONFIG"] = str(config_file)
    app = AppTest.from_function(_page, args=(path, language), default_timeout=60)
    for key, value in params.items():
        app.query_params[key] = value
    return app.run()


def texts(app: AppTest) -> str:
    parts = [e.value for e in (*app.title, *app.subheader, *app.info, *app.warning, *app.text)]
    parts += [str(e.value) for e in app.caption]
    return "\n".join(str(p) for p in parts)


@pytest.fixture
def empty_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    config = write_demo_config(tmp_path, port=9)
    monkeypatch.setenv("ECOUTE_CONFIG", str(config))
    return config


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("language", ["fr", "en"])
def test_every_page_on_an_empty_warehouse_says_what_to_do(
    empty_config: Path, path: str, language: str
) -> None:
    app = run_page(empty_config, path, language)
    assert not app.exception, app.exception
    assert "ecoute run" in texts(app)


# --- on the demo warehouse (built once per session by tests/conftest.py) --------------------------


@pytest.fixture
def demo_config(demo_build, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ECOUTE_CONFIG", str(demo_build.config_file))
    return Path(demo_build.config_file)


def outage_alert_id(config_file: Path) -> str:
    from app import data
    from core.config import load_config

    config = load_config(config_file)
    db = data.Reader(config)
    lo, hi = data.date_bounds(db) or (None, None)
    assert lo and hi
    return str(data.alerts(db, data.brand_names(config), lo, hi).loc[0, "alert_id"])


@pytest.mark.slow
@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("language", ["fr", "en"])
def test_every_page_renders_on_the_demo(demo_config: Path, path: str, language: str) -> None:
    app = run_page(demo_config, path, language, **{"from": "2000-01-01"})
    assert not app.exception, app.exception
    assert "ecoute run" not in texts(app)


@pytest.mark.slow
def test_the_outage_is_the_top_of_the_inbox(demo_config: Path) -> None:
    app = run_page(demo_config, "alertes", "en", **{"from": "2000-01-01"})
    first = app.text[0].value
    assert re.match(r"\[(high|medium) severity\] Nuage — volume spike", first), first
    assert "outage" in first or "panne" in first


@pytest.mark.slow
def test_the_outage_drill_down_lists_outage_mentions(demo_config: Path) -> None:
    app = run_page(demo_config, "mentions", "fr", alert=outage_alert_id(demo_config))
    assert not app.exception
    feed = app.dataframe[0].value
    texts_ = " ".join(feed["Texte"].astype(str) + " " + feed["Fil"].astype(str)).lower()
    assert len(feed) >= 50
    assert texts_.count("panne") + texts_.count("outage") >= 20
    assert set(feed["Marque"]) == {"Nuage"}


@pytest.mark.slow
def test_the_brand_filter_changes_what_is_shown(demo_config: Path) -> None:
    every = run_page(demo_config, "", "fr", **{"from": "2000-01-01"})
    only = run_page(demo_config, "", "fr", brands="Zest", **{"from": "2000-01-01"})
    assert {"Nuage", "Zest"} <= {s.value for s in every.subheader}
    brands_shown = {s.value for s in only.subheader} & {"Nuage", "Fibrea", "Célest", "Zest"}
    assert brands_shown == {"Zest"}
    assert not any(t.value.startswith("Nuage") for t in only.text)


@pytest.mark.slow
def test_the_weekly_report_has_the_pages_numbers(demo_config: Path, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from app import brief, data
    from core.config import load_config
    from ecoute.commands.report import report

    config = load_config(demo_config)
    week = "2026-W36"
    start, end = brief.week_bounds(week)
    result = CliRunner().invoke(
        report, ["--week", week, "--out", str(tmp_path), "--config", str(demo_config)]
    )
    assert result.exit_code == 0, result.output
    markdown = (tmp_path / f"ecoute-{week}.md").read_text(encoding="utf-8")
    html = (tmp_path / f"ecoute-{week}.html").read_text(encoding="utf-8")
    nuage = data.window_totals(data.Reader(config), start, end).set_index("brand")
    expected = int(nuage.loc["Nuage", "mentions"])
    from app.i18n import number

    assert f"| Nuage | {number(expected, 'fr')} |" in markdown
    assert f"<td>Nuage</td><td>{number(expected, 'fr')}</td>" in html
    assert "<script" not in html.lower()
    bad = CliRunner().invoke(report, ["--week", "2026-36", "--config", str(demo_config)])
    assert bad.exit_code != 0


@pytest.mark.slow
@pytest.mark.parametrize("language", ["fr", "en"])
def test_this_morning_draws_each_objective_against_its_target(
    demo_config: Path, language: str
) -> None:
    import json

    from core.config import load_config

    app = run_page(demo_config, "", language, **{"from": "2000-01-01"})
    assert not app.exception, app.exception
    heading = {"fr": "Objectifs", "en": "Objectives"}[language]
    assert heading in {s.value for s in app.subheader}
    specs = [json.loads(chart.proto.spec) for chart in app.get("vega_lite_chart")]
    drawn = {spec.get("title") for spec in specs}
    objectives = load_config(demo_config).objectives
    assert {o.name for o in objectives} <= drawn
    for objective in objectives:
        spec = next(s for s in specs if s.get("title") == objective.name)
        marks = [layer["mark"]["type"] for layer in spec["layer"]]
        assert marks == ["line", "point", "rule"]  # the value per day and the target
        assert spec["layer"][2]["encoding"]["y"] == {"datum": objective.target}
    captions = " ".join(str(c.value) for c in app.caption)
    assert ("réponse officielle" if language == "fr" else "answered officially") in captions
