"""Page 4, "Mentions": the evidence feed, own text first, copies collapsed, why each matched."""

from __future__ import annotations

import io

import pandas as pd
import streamlit as st

from app import context, data
from app.views.common import ready, table

FEED_LIMIT = 500


def render() -> None:
    ctx = ready("mentions.title")
    if ctx is None:
        return
    st.caption(ctx.t("mentions.caption"))
    alert_id = context.param("alert")
    if alert_id:
        feed = data.alert_mentions(ctx.db, alert_id)
        st.info(ctx.t("alert_filter", alert=alert_id[:8]))
        if st.button(ctx.t("clear_alert")):
            context.set_param("alert", None)
            st.rerun()
        feed = feed.assign(author_type="?")
    else:
        feed = data.mentions(ctx.db, ctx.brands, ctx.start, ctx.end)
    if feed.empty:
        st.info(ctx.t("nothing_in_range"))
        return
    columns = st.columns(6)
    filters = {
        "source": ctx.t("source"),
        "lang": ctx.t("language"),
        "sentiment_label": ctx.t("sentiment"),
        "kind": ctx.t("kind"),
        "author_type": ctx.t("author_type"),
    }
    for column, (name, label) in zip(columns, filters.items(), strict=False):
        options = sorted(str(v) for v in feed[name].dropna().unique())
        with column:
            chosen = context.select_filter(label, options, name)
        feed = feed[feed[name].astype(str).isin(chosen)]
    with columns[5]:
        search = st.text_input(ctx.t("search"), value=context.param("q"), key="mentions_q")
    context.set_param("q", search or None)
    if search:
        text = feed["text"].fillna("") + " " + feed["title"].fillna("")
        feed = feed[text.str.contains(search, case=False, regex=False)]

    view = pd.DataFrame(
        {
            ctx.t("col.when"): feed["published_at"],
            ctx.t("col.brand"): feed["brand"],
            ctx.t("col.text"): feed["text"].fillna(""),
            ctx.t("col.thread"): feed["title"].fillna(""),
            ctx.t("col.copies"): ["×" + str(int(n)) if n > 1 else "" for n in feed["copies"]],
            ctx.t("col.why_matched"): [
                f"{alias or '?'} ({rule or '?'})"
                for alias, rule in zip(feed["matched_alias"], feed["match_rule"], strict=True)
            ],
            ctx.t("col.sentiment"): feed["sentiment_label"],
            ctx.t("col.confidence"): feed["sentiment_score"].abs().round(2),
            ctx.t("col.source"): feed["source"],
            ctx.t("col.author"): feed["author_name"],
            "url": feed["url"],
        }
    )
    st.caption(ctx.t("shown", shown=min(len(view), FEED_LIMIT), total=len(view)))
    table(
        view.head(FEED_LIMIT),
        links=("url",),
        **{ctx.t("col.text"): st.column_config.TextColumn(width="large")},
    )
    export = data.web_links(view, "url")
    left, right = st.columns(2)
    left.download_button(
        ctx.t("download_csv"),
        export.to_csv(index=False).encode("utf-8"),
        file_name="ecoute-mentions.csv",
        mime="text/csv",
    )
    buffer = io.BytesIO()
    export.to_parquet(buffer, index=False)
    right.download_button(
        ctx.t("download_parquet"),
        buffer.getvalue(),
        file_name="ecoute-mentions.parquet",
        mime="application/octet-stream",
    )
