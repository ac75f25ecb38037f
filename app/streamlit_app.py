"""Écoute — what changed, why, and who is behind it, in French and English.

Run with `ecoute app` (or `streamlit run app/streamlit_app.py`). Reads only the published serving
copy, through `app.data`. This entry loads the config, draws the shared filters (language, brands,
dates: all in the query string) and hands over to one module per page under `app/views/`.
Scraped text is always shown as text (dataframe cells or escaped code), never as HTML or markdown.
"""

from __future__ import annotations

from datetime import date

import streamlit as st

from app import context, data, i18n
from app.auth import require_access
from app.views import PAGES
from core.config import ConfigError, EcouteConfig, load_config
from core.marts import NoData


def _language(config: EcouteConfig) -> i18n.Language:
    """`?lang=` first, then the toggle, then `app.language` from ecoute.yml."""
    if "lang_en" not in st.session_state:
        wanted = context.param("lang", config.app.language)
        st.session_state["lang_en"] = wanted == "en"
    english = st.sidebar.toggle(i18n.translate("english", "en"), key="lang_en")
    language: i18n.Language = "en" if english else "fr"
    context.set_param("lang", "en" if english else ("fr" if config.app.language == "en" else None))
    return language


def _build_context(config: EcouteConfig) -> context.PageContext:
    language = _language(config)
    db = data.Reader(config)
    all_brands = data.brand_names(config)
    try:
        bounds = data.date_bounds(db)
    except NoData:
        bounds = None
    t = lambda key: i18n.translate(key, language)  # noqa: E731
    with st.sidebar:
        st.header(t("filters"))
        brands = context.select_filter(t("brands"), all_brands, "brands")
        if bounds is None:
            start = end = date.today()
        else:
            default = context.date_filter(bounds)
            if "filter_dates" not in st.session_state:
                st.session_state["filter_dates"] = default
            picked = st.date_input(
                t("dates"), key="filter_dates", min_value=bounds[0], max_value=bounds[1]
            )
            if isinstance(picked, tuple) and len(picked) == 2:
                start, end = picked
            else:
                start, end = default
            context.set_param("from", start.isoformat())
            context.set_param("to", end.isoformat())
    return context.PageContext(
        config=config,
        db=db,
        language=language,
        all_brands=all_brands,
        brands=brands,
        bounds=bounds,
        start=start,
        end=end,
        colours=context.colours_for(config),
    )


def main(only: str | None = None) -> None:
    """Draw the app; `only` (a page's url path) renders that page directly (AppTest, benchmarks)."""
    st.set_page_config(page_title="Écoute", layout="wide", page_icon="👂")
    st.set_option("client.toolbarMode", "viewer")  # no Deploy button, no developer menu
    try:
        config = load_config()
    except ConfigError as error:
        st.error(f"{i18n.translate('config_error', 'fr')} / {i18n.translate('config_error', 'en')}")
        st.code(str(error), language=None)
        return
    require_access(config)  # before any page renders (app.access in ecoute.yml)
    page_context = _build_context(config)
    context.keep(page_context)
    sections = {
        page_context.t(group): [
            (spec.url_path, spec.as_st_page(page_context.language)) for spec in specs
        ]
        for group, specs in PAGES.items()
    }
    st.session_state["_pages"] = {
        path or "ce-matin": page for pages in sections.values() for path, page in pages
    }
    navigation = st.navigation(
        {section: [page for _, page in pages] for section, pages in sections.items()}
    )
    if only is None:
        navigation.run()
    else:
        next(spec for specs in PAGES.values() for spec in specs if spec.url_path == only).render()


if __name__ == "__main__":
    main()
