"""Page 5, "Concurrence": share of voice and sentiment by brand, source and language."""

from __future__ import annotations

from datetime import timedelta

import altair as alt
import pandas as pd
import streamlit as st

from app import data
from app.views.common import brand_scale, ready, table


def render() -> None:
    ctx = ready("comp.title")
    if ctx is None:
        return
    weekly = data.weekly_share_of_voice(ctx.db, ctx.all_brands, ctx.start, ctx.end)
    if weekly.empty:
        st.info(ctx.t("nothing_in_range"))
        return
    week = pd.to_datetime(weekly["week"]).dt.date
    partial = sorted({w for w in week if w < ctx.start or w + timedelta(days=6) > ctx.end})
    weekly["week_label"] = [ctx.day(w) + ("*" if w in partial else "") for w in week]
    weekly = weekly[weekly["brand"].isin(ctx.brands)]
    st.subheader(ctx.t("comp.sov"))
    if partial:
        st.caption(ctx.t("comp.partial", weeks=", ".join(ctx.day(w) for w in partial)))
    chart = (
        alt.Chart(weekly)
        .mark_bar()
        .encode(
            x=alt.X("week_label:N", sort=None, title=None),
            y=alt.Y("share:Q", axis=alt.Axis(format="%"), title=None),
            color=alt.Color("brand:N", scale=brand_scale(ctx), title=None),
            tooltip=["week_label", "brand", "mentions", alt.Tooltip("share:Q", format=".1%")],
        )
    )
    st.altair_chart(chart, width="stretch")
    wide = weekly.pivot_table(index="brand", columns="week", values="share")
    if wide.shape[1] >= 2:
        change = (wide.iloc[:, -1] - wide.iloc[:, -2]).rename("change").reset_index()
        table(change)
    for key, column in (("comp.by_source", "source"), ("comp.by_lang", "lang")):
        st.subheader(ctx.t(key))
        table(data.sentiment_by(ctx.db, column, ctx.brands, ctx.start, ctx.end).round(2))
