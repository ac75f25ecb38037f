"""Helpers the pages share: the empty-state guard, brand-coloured charts, safe tables."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from app import data, i18n
from app.context import PageContext, current
from app.palette import ALERT_COLOUR


def ready(title_key: str) -> PageContext | None:
    """The page context with its title drawn, or None after drawing what to do when empty."""
    ctx = current()
    st.title(ctx.t(title_key))
    if not ctx.has_data:
        st.info(ctx.t("no_build") if ctx.db.build == "none" else ctx.t("no_mentions"))
        return None
    if not ctx.brands:
        st.warning(ctx.t("choose_brand"))
        return None
    return ctx


def page_link(url_path: str, label: str, **params: str) -> None:
    """A link to another page of the app carrying `params` in its query string."""
    page = st.session_state.get("_pages", {}).get(url_path)
    if page is not None:
        st.page_link(page, label=label, query_params=params)


def brand_scale(ctx: PageContext) -> alt.Scale:
    return alt.Scale(domain=list(ctx.colours), range=list(ctx.colours.values()))


def line_chart(
    ctx: PageContext, frame: pd.DataFrame, y: str, title: str, episodes: pd.DataFrame | None = None
) -> None:
    """One line per brand in its colour, alert episodes shaded."""
    lines = (
        alt.Chart(frame)
        .mark_line(point=False)
        .encode(
            x=alt.X("day:T", title=None),
            y=alt.Y(f"{y}:Q", title=title),
            color=alt.Color("brand:N", scale=brand_scale(ctx), title=None),
            tooltip=["day:T", "brand:N", alt.Tooltip(f"{y}:Q", format=".2f")],
        )
    )
    layers: alt.Chart | alt.LayerChart = lines
    if episodes is not None and not episodes.empty:
        bands = (
            alt.Chart(episodes)
            .mark_rect(opacity=0.15, color=ALERT_COLOUR)
            .encode(x="first_day:T", x2="last_day_end:T", tooltip=["brand:N", "signals:N"])
        )
        layers = bands + lines
    st.altair_chart(layers, width="stretch")


def episodes_frame(alerts: pd.DataFrame) -> pd.DataFrame:
    if alerts.empty:
        return alerts
    frame = alerts[["brand", "first_day", "last_day", "signals"]].copy()
    frame["last_day_end"] = pd.to_datetime(frame["last_day"]) + pd.Timedelta(days=1)
    return frame


def table(frame: pd.DataFrame, links: tuple[str, ...] = (), **columns: object) -> None:
    """A dataframe (cells render as text, never HTML); link columns only for http(s) values."""
    safe = data.web_links(frame, *links)
    config = {c: st.column_config.LinkColumn(c, display_text="↗") for c in links if c in safe}
    config.update(columns)  # type: ignore[arg-type]
    st.dataframe(safe, hide_index=True, width="stretch", column_config=config)


def signal_label(ctx: PageContext, signals: object) -> str:
    return ctx.t(f"signal.{data.signal_kind(signals)}")


def alert_sentence(ctx: PageContext, row: pd.Series) -> str:
    """An alert in one sentence (plain text: keywords and authors come from scraped data)."""
    change = row["sentiment_change"]
    return ctx.t(
        "alerts.sentence",
        severity=i18n.severity(row.get("severity"), ctx.language),
        brand=row["brand"],
        signal=signal_label(ctx, row["signals"]),
        first=ctx.day(row["first_day"]),
        last=ctx.day(row["last_day"]),
        mentions=ctx.number(row["window_mentions"]),
        lift=ctx.t("times", value=ctx.number(row["lift"], 1)),
        baseline=ctx.number(row["baseline_daily_mentions"] or 0, 1),
        change="?"
        if pd.isna(change)
        else ctx.number(change, 2)
        if change < 0
        else f"+{ctx.number(change, 2)}",
        keywords=row["top_keywords"] or "—",
        sources=row["top_sources"] or "—",
        authors=row["top_authors"] or "—",
    )
