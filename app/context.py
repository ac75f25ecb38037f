"""What every page shares: the config, the data reader, the language, the brand and date filters.

The entry (`streamlit_app.py`) builds one `PageContext` per run, after drawing the sidebar, and
keeps it in the session; each page takes it with `current()`. Filters live in the query string
(`?brands=Nuage,Zest&from=2026-01-01&to=2026-03-31`, plus each page's own keys) so a link can be
shared: a value in the URL seeds the widget, the widget's value is written back.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import streamlit as st

from app import data, i18n
from app.feedback import Feedback
from app.palette import brand_colours
from core import warehouse
from core.config import EcouteConfig

DEFAULT_DAYS = 90


@dataclass
class PageContext:
    config: EcouteConfig
    db: data.Reader
    language: i18n.Language
    all_brands: list[str]
    brands: list[str]
    bounds: tuple[date, date] | None
    start: date
    end: date
    colours: dict[str, str]

    def t(self, key: str, **values: object) -> str:
        return i18n.translate(key, self.language, **values)

    def number(self, value: float, digits: int = 0) -> str:
        return i18n.number(value, self.language, digits)

    def percent(self, value: float, digits: int = 0) -> str:
        return i18n.percent(value, self.language, digits)

    def day(self, value: Any) -> str:
        return i18n.day(value, self.language)

    @property
    def feedback(self) -> Feedback:
        return feedback_store(self.config)

    @property
    def has_data(self) -> bool:
        return self.bounds is not None


def feedback_store(config: EcouteConfig) -> Feedback:
    """The feedback file beside the warehouse (never the serving copy)."""
    folder: Path = warehouse.duckdb_path(config).parent
    return Feedback(folder / "feedback.sqlite")


def current() -> PageContext:
    context = st.session_state.get("_page_context")
    if not isinstance(context, PageContext):
        raise RuntimeError("the page context is built by app/streamlit_app.py before any page")
    return context


def keep(context: PageContext) -> None:
    st.session_state["_page_context"] = context


def param(name: str, default: str = "") -> str:
    value = st.query_params.get(name)
    return value if isinstance(value, str) else default


def param_list(name: str, allowed: Sequence[str]) -> list[str] | None:
    """A comma-separated query value, kept to `allowed` values; None when absent."""
    raw = st.query_params.get(name)
    if not isinstance(raw, str):
        return None
    return [v for v in raw.split(",") if v in allowed]


def param_date(name: str, lo: date, hi: date) -> date | None:
    try:
        value = date.fromisoformat(param(name))
    except ValueError:
        return None
    return min(max(value, lo), hi)


def set_param(name: str, value: str | list[str] | None) -> None:
    """Write a filter back to the URL (removed when empty)."""
    text = ",".join(value) if isinstance(value, list) else value
    if text:
        if st.query_params.get(name) != text:
            st.query_params[name] = text
    elif name in st.query_params:
        del st.query_params[name]


def date_filter(bounds: tuple[date, date]) -> tuple[date, date]:
    """The date range from the URL, else the last `DEFAULT_DAYS` days of data."""
    lo, hi = bounds
    start = param_date("from", lo, hi) or max(lo, hi - timedelta(days=DEFAULT_DAYS - 1))
    end = param_date("to", lo, hi) or hi
    return (start, end) if start <= end else (end, start)


def select_filter(
    label: str, options: list[str], key: str, labels: dict[str, str] | None = None
) -> list[str]:
    """A multiselect bound to the query string key `key` (empty = all)."""
    state_key = f"filter_{key}"
    if state_key not in st.session_state:
        st.session_state[state_key] = param_list(key, options) or []
    else:
        st.session_state[state_key] = [v for v in st.session_state[state_key] if v in options]
    chosen: list[str] = st.multiselect(
        label,
        options,
        key=state_key,
        format_func=(lambda v: labels.get(v, v)) if labels else str,
    )
    set_param(key, chosen)
    return chosen or options


def colours_for(config: EcouteConfig) -> dict[str, str]:
    return brand_colours(data.brand_names(config))
