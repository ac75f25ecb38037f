"""Page 8, "Méthode & rapports": exports, the weekly brief, how it is computed, measured quality."""

from __future__ import annotations

import io

import altair as alt
import pandas as pd
import streamlit as st

from app import brief, context, data
from app.views.common import page_link, ready, table

SHIPPED_GOLD = "gold/"  # the examples shipped with the project (seen in training: not a measure)


def render() -> None:
    ctx = ready("method.title")
    if ctx is None:
        return
    st.subheader(ctx.t("method.export"))
    view = data.mentions(ctx.db, ctx.brands, ctx.start, ctx.end)
    view = data.web_links(view, "url")
    left, right = st.columns(2)
    left.download_button(
        ctx.t("download_csv"), view.to_csv(index=False).encode("utf-8"), "ecoute-view.csv"
    )
    buffer = io.BytesIO()
    view.to_parquet(buffer, index=False)
    right.download_button(ctx.t("download_parquet"), buffer.getvalue(), "ecoute-view.parquet")

    st.subheader(ctx.t("method.brief"))
    weeks = sorted({brief.iso_week(d.date()) for d in _days(ctx)}, reverse=True)
    wanted = context.param("week")
    week = st.selectbox(
        ctx.t("method.week"), weeks, index=weeks.index(wanted) if wanted in weeks else 0
    )
    context.set_param("week", week)
    made = brief.build(ctx.db, ctx.brands, week, ctx.language)
    markdown = brief.to_markdown(made, ctx.language)
    st.code(markdown, language="markdown")
    left, right = st.columns(2)
    left.download_button(ctx.t("method.download_md"), markdown, f"ecoute-{week}.md")
    right.download_button(
        ctx.t("method.download_html"), brief.to_html(made, ctx.language), f"ecoute-{week}.html"
    )

    st.subheader(ctx.t("method.sentiment"))
    st.write(ctx.t("method.sentiment_text"))
    st.subheader(ctx.t("method.alerts"))
    st.write(ctx.t("method.alerts_text"))
    st.subheader(ctx.t("method.quality"))
    st.write(ctx.t("method.quality_text"))
    quality = data.model_quality(ctx.db)
    if quality.empty:
        st.info(ctx.t("method.no_quality"))
    else:
        shipped = quality["gold_file"].astype(str).str.contains(SHIPPED_GOLD, regex=False)
        st.caption(ctx.t("method.heldout"))
        table(quality[~shipped].round(3))
        st.caption(ctx.t("method.shipped"))
        table(quality[shipped].round(3))
    model_vs_people(ctx)
    st.subheader(ctx.t("method.limits"))
    st.markdown(ctx.t("method.limits_text"))


def agreement_by(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    """Gold items, agreed items and the model's agreement rate per field and `column`."""
    grouped = (
        frame.groupby(["field", column], dropna=False)[
            ["gold_items", "agreed_items", "corrected_items", "coded_items"]
        ]
        .sum()
        .reset_index()
    )
    grouped["agreement"] = (grouped["agreed_items"] / grouped["gold_items"].clip(lower=1)).round(3)
    return grouped


def model_vs_people(ctx: context.PageContext) -> None:
    """Model vs human from `mart_model_agreement`: per language, source, brand and over time."""
    st.subheader(ctx.t("method.people"))
    st.write(ctx.t("method.people_text"))
    frame = data.model_agreement(ctx.db, ctx.brands)
    if frame.empty:
        st.info(ctx.t("method.no_people"))
        page_link("mentions", ctx.t("method.to_mentions"))
        return
    overall = agreement_by(frame.assign(all=ctx.t("all")), "all").drop(columns="all")
    table(overall)
    tabs = st.tabs([ctx.t("col.lang"), ctx.t("col.source"), ctx.t("col.brand")])
    for tab, column in zip(tabs, ("lang", "source", "brand"), strict=True):
        with tab:
            table(agreement_by(frame, column))
    weekly = agreement_by(frame, "week_start")
    st.caption(ctx.t("method.people_weekly"))
    chart = (
        alt.Chart(weekly)
        .mark_line(point=True)
        .encode(
            x=alt.X("week_start:T", title=None),
            y=alt.Y("agreement:Q", title=None, scale=alt.Scale(domain=[0, 1])),
            color=alt.Color("field:N", title=None),
            tooltip=["week_start:T", "field:N", "gold_items:Q", "agreement:Q"],
        )
    )
    st.altair_chart(chart, width="stretch")


def _days(ctx: context.PageContext) -> list:
    import pandas as pd

    return list(pd.date_range(ctx.start, ctx.end, freq="D"))
