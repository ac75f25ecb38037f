"""Écoute — what customers say about our brands and our competitors.

Run with `ecoute app` (or `streamlit run app/streamlit_app.py`). Reads only the published marts.
Scraped text is always shown as text (dataframe cells, never HTML or markdown).
"""

from __future__ import annotations

from datetime import timedelta

import pandas as pd
import streamlit as st

from app import data
from core.config import ConfigError, load_config
from core.marts import Marts, NoData

st.set_page_config(page_title="Écoute", layout="wide")


def _objective_value(kpi: str, brand_rows: pd.DataFrame, sov: pd.DataFrame, brand: str) -> float:
    total = brand_rows["mentions"].sum()
    if kpi == "volume":
        return float(total)
    if kpi == "share_of_voice":
        all_mentions = sov["mentions"].sum()
        own = sov.loc[sov["brand"] == brand, "mentions"].sum()
        return float(own / all_mentions) if all_mentions else 0.0
    if kpi == "negative_share":
        return float(brand_rows["negative_mentions"].sum() / total) if total else 0.0
    positive, negative = (
        brand_rows["positive_mentions"].sum(),
        brand_rows["negative_mentions"].sum(),
    )
    return float((positive - negative) / total) if total else 0.0


def _rolling(daily: pd.DataFrame, measure: str, days: int = 7) -> pd.DataFrame:
    """A per-brand ratio over a trailing window of days (daily ratios are too noisy to read)."""
    counts = daily.pivot_table(
        index="day",
        columns="brand",
        values=["mentions", "positive_mentions", "negative_mentions"],
        aggfunc="sum",
        fill_value=0,
    )
    counts.index = pd.to_datetime(counts.index)
    counts = counts.asfreq("D", fill_value=0).rolling(days, min_periods=1).sum()
    mentions = counts["mentions"].where(counts["mentions"] > 0)
    if measure == "net":
        return (counts["positive_mentions"] - counts["negative_mentions"]) / mentions
    return counts["negative_mentions"] / mentions


def page() -> None:
    try:
        config = load_config()
    except ConfigError as error:
        st.error(str(error))
        return
    st.title(f"Écoute — {config.project.name}")
    marts = Marts(config)
    try:
        brand_table = data.brands(marts)
        bounds = data.date_bounds(marts)
    except NoData as error:
        st.info(f"Nothing to show yet: {error}.")
        return
    if bounds is None or brand_table.empty:
        st.info("The warehouse has no brand mentions yet.")
        return

    all_brands = brand_table["brand"].tolist()
    with st.sidebar:
        st.header("Filters")
        chosen = st.multiselect("Brands", all_brands, default=all_brands)
        lo, hi = bounds
        picked = st.date_input(
            "Dates", value=(max(lo, hi - timedelta(days=89)), hi), min_value=lo, max_value=hi
        )
        start, end = picked if isinstance(picked, tuple) and len(picked) == 2 else (lo, hi)
    if not chosen:
        st.warning("Choose at least one brand.")
        return

    daily = data.sentiment_daily(marts, chosen, start, end)
    sov = data.share_of_voice(marts, start, end)

    if config.objectives:
        st.subheader("Objectives")
        columns = st.columns(len(config.objectives))
        for column, objective in zip(columns, config.objectives, strict=True):
            rows = daily[daily["brand"] == objective.brand]
            value = _objective_value(objective.kpi, rows, sov, objective.brand)
            met = (
                value >= objective.target
                if objective.direction == "above"
                else (value <= objective.target)
            )
            shown = f"{value:.0f}" if objective.kpi == "volume" else f"{value:.1%}"
            target = objective.target if objective.kpi == "volume" else f"{objective.target:.0%}"
            sign = "≥" if objective.direction == "above" else "≤"
            column.metric(objective.name, shown)
            column.caption(f"target {sign} {target} — {'on track' if met else 'off track'}")

    left, right = st.columns(2)
    with left:
        st.subheader("Net sentiment")
        st.caption("(positive − negative) / mentions, per brand, over the last 7 days")
        st.line_chart(_rolling(daily, "net"))
    with right:
        st.subheader("Share of voice")
        weekly = data.weekly_share_of_voice(marts, start, end)
        if not weekly.empty:
            st.caption("Share of all tracked-brand mentions, per week")
            st.bar_chart(weekly.pivot_table(index="week", columns="brand", values="share_of_voice"))
        st.dataframe(
            sov.assign(share=sov["mentions"] / max(sov["mentions"].sum(), 1)),
            hide_index=True,
            column_config={"share": st.column_config.ProgressColumn(format="%.2f", max_value=1)},
        )

    st.subheader("Negative share")
    st.caption("negative / mentions, per brand, over the last 7 days")
    st.line_chart(_rolling(daily, "negative"))

    link = st.column_config.LinkColumn  # on frames passed through data.web_links: http(s) only
    st.subheader("Alerts")
    st.caption("Days whose volume or negative share broke k·σ above the brand's rolling baseline")
    st.dataframe(data.alerts(marts, chosen, start, end), hide_index=True, width="stretch")

    advocates, detractors = st.columns(2)
    with advocates:
        st.subheader("Advocates")
        st.caption("Trusted, repeatedly positive, influential authors")
        table = data.web_links(data.community(marts, "mart_advocates", chosen), "best_mention_url")
        st.dataframe(table, hide_index=True, column_config={"best_mention_url": link("best")})
    with detractors:
        st.subheader("Detractors")
        st.caption("Trusted, repeatedly negative authors")
        table = data.web_links(data.community(marts, "mart_detractors", chosen), "best_mention_url")
        st.dataframe(table, hide_index=True, column_config={"best_mention_url": link("best")})

    st.subheader("What is new in the conversation")
    st.caption("Key phrases of each brand's latest week, ranked by lift against its baseline")
    keywords = data.web_links(data.top_keywords(marts, chosen), "example_url")
    st.dataframe(keywords, hide_index=True, column_config={"example_url": link("example")})

    quality = data.model_quality(marts)
    if not quality.empty:
        st.subheader("How far to trust the sentiment")
        st.caption("Agreement of the sentiment labels with labelled posts, last evaluation")
        st.dataframe(quality, hide_index=True)

    st.subheader("Latest mentions")
    latest = data.web_links(data.latest_mentions(marts, chosen, start, end), "url")
    st.dataframe(
        latest,
        hide_index=True,
        width="stretch",
        column_config={
            "url": link("source link"),
            "text": st.column_config.TextColumn(width="large"),
        },
    )


page()
