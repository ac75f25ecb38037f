"""Page 3, "Pourquoi": volume and sentiment per brand, and what is behind an alert or a day."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from app import context, data
from app.views.common import (
    alert_sentence,
    episodes_frame,
    line_chart,
    page_link,
    ready,
    table,
)


def render() -> None:
    ctx = ready("why.title")
    if ctx is None:
        return
    alerts = data.alerts(ctx.db, ctx.brands, ctx.start, ctx.end)
    daily = data.daily(ctx.db, ctx.brands, ctx.start, ctx.end)
    if daily.empty:
        st.info(ctx.t("nothing_in_range"))
        return
    episodes = episodes_frame(alerts)
    line_chart(ctx, daily, "mentions", ctx.t("col.count"), episodes)
    st.caption(ctx.t("why.episodes"))
    line_chart(ctx, _rolling_net(daily), "net", ctx.t("why.net"), episodes)

    notes = ctx.feedback.notes(ctx.brands)
    with st.expander(ctx.t("why.notes")):
        if notes:
            st.dataframe(pd.DataFrame(notes, columns=["brand", "day", "note"]), hide_index=True)
        with st.form("note", clear_on_submit=True):
            brand = st.selectbox(ctx.t("col.brand"), ctx.brands)
            day = st.date_input(ctx.t("why.note_day"), value=ctx.end)
            text = st.text_input(ctx.t("why.note_text"))
            if st.form_submit_button(ctx.t("why.note_add")) and text.strip():
                ctx.feedback.add_note(brand, day if isinstance(day, date) else ctx.end, text)
                st.rerun()

    ids = [str(a) for a in alerts["alert_id"]]
    labels = {
        str(r["alert_id"]): f"{r['brand']} · {ctx.day(r['first_day'])} · {r['signals']}"
        for _, r in alerts.iterrows()
    }
    wanted = context.param("alert")
    choice = st.selectbox(
        ctx.t("why.alert"),
        ["", *ids],
        index=(["", *ids]).index(wanted) if wanted in ids else 0,
        format_func=lambda a: labels.get(a, ctx.t("why.none")),
        key="why_alert",
    )
    context.set_param("alert", choice or None)
    if choice:
        row = alerts.set_index("alert_id").loc[choice]
        st.text(alert_sentence(ctx, row.rename(choice).to_frame().T.reset_index().iloc[0]))
        brand, start, end = str(row["brand"]), row["first_day"], row["last_day"]
        page_link("mentions", ctx.t("see_mentions"), alert=choice)
    else:
        picked = st.date_input(
            ctx.t("why.day"), value=None, min_value=ctx.start, max_value=ctx.end, key="why_day"
        )
        if not isinstance(picked, date):
            return
        brand = st.selectbox(ctx.t("col.brand"), ctx.brands, key="why_brand")
        start = end = picked
    start, end = pd.Timestamp(start).date(), pd.Timestamp(end).date()

    st.subheader(ctx.t("why.keywords"))
    table(data.window_keywords(ctx.db, brand, start, end))
    st.subheader(ctx.t("why.stories"))
    table(data.stories(ctx.db, [brand], start, end, limit=10), links=("url",))
    st.subheader(ctx.t("why.mentions"))
    if choice:
        behind = data.alert_mentions(ctx.db, choice)
    else:
        behind = data.mentions(ctx.db, [brand], start, end)
    table(
        behind[["published_at", "text", "title", "source", "sentiment_label", "copies", "url"]],
        links=("url",),
    )


def _rolling(daily: pd.DataFrame, days: int = 7) -> pd.DataFrame:
    wide = daily.pivot_table(
        index="day",
        columns="brand",
        values=["mentions", "positive_mentions", "negative_mentions"],
        aggfunc="sum",
        fill_value=0,
    )
    wide.index = pd.to_datetime(wide.index)
    return wide.asfreq("D", fill_value=0).rolling(days, min_periods=1).sum()


def _rolling_net(daily: pd.DataFrame) -> pd.DataFrame:
    counts = _rolling(daily)
    net = (counts["positive_mentions"] - counts["negative_mentions"]) / counts["mentions"].where(
        counts["mentions"] > 0
    )
    return net.reset_index().melt(id_vars="day", var_name="brand", value_name="net").dropna()
