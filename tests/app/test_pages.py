"""Every page renders with AppTest: on an empty warehouse (says what to do) and on the demo one."""

from __future__ import annotations

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
