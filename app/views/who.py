"""Page 7, "Qui": contributor types and their change, trust and its parts, advocates, detractors."""

from __future__ import annotations

import streamlit as st

from app import data
from app.views.common import ready, table


def render() -> None:
    ctx = ready("who.title")
    if ctx is None:
        return
    if ctx.config.privacy.pseudonymise_authors:
        st.caption(ctx.t("who.privacy_on"))
    st.subheader(ctx.t("who.typology"))
    composition = data.composition(ctx.db, ctx.brands, ctx.start, ctx.end)
    if composition.empty:
        st.info(ctx.t("nothing_in_range"))
    else:
        types = ["creators", "contributors", "opportunists", "observers"]
        latest = composition.groupby("brand").tail(2)
        for brand, rows in latest.groupby("brand"):
            columns = st.columns(len(types) + 1)
            columns[0].text(str(brand))
            now = rows.iloc[-1]
            before = rows.iloc[-2] if len(rows) > 1 else None
            for column, kind in zip(columns[1:], types, strict=True):
                delta = None if before is None else ctx.number(now[kind] - before[kind])
                column.metric(kind, ctx.number(now[kind]), delta=delta)
    st.subheader(ctx.t("who.trust"))
    table(data.trusted_authors(ctx.db, ctx.brands, ctx.start, ctx.end).round(2))
    for key, mart in (("who.advocates", "mart_advocates"), ("who.detractors", "mart_detractors")):
        st.subheader(ctx.t(key))
        table(
            data.voices(ctx.db, mart, ctx.brands, ctx.start, ctx.end).round(2),
            links=("best_mention_url",),
        )
