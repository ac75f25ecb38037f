"""Page 2, "Alertes": the inbox, most severe first, each alert in a sentence, with its status."""

from __future__ import annotations

import streamlit as st

from app import data
from app.feedback import STATUSES, AlertAnswer
from app.views.common import alert_sentence, page_link, ready


def render() -> None:
    ctx = ready("alerts.title")
    if ctx is None:
        return
    st.caption(ctx.t("alerts.caption"))
    alerts = data.alerts(ctx.db, ctx.brands, ctx.start, ctx.end)
    store = ctx.feedback
    precision, judged = store.precision()
    if judged:
        st.caption(ctx.t("precision", value=ctx.percent(precision or 0), judged=judged))
    if alerts.empty:
        st.info(ctx.t("alerts.none"))
        return
    answers = store.answers()
    useful_options = [None, True, False]
    for _, row in alerts.iterrows():
        alert_id = str(row["alert_id"])
        answer = answers.get(alert_id, AlertAnswer())
        with st.container(border=True):
            st.text(alert_sentence(ctx, row))
            story = data.main_story(ctx.db, alert_id)
            if story:
                st.text(ctx.t("alerts.story", title=story))
            status_col, useful_col, why_col, mentions_col = st.columns([2, 2, 1, 2])
            status = status_col.selectbox(
                ctx.t("status"),
                STATUSES,
                index=STATUSES.index(answer.status),
                format_func=lambda s: ctx.t(f"status.{s}"),
                key=f"status_{alert_id}",
            )
            useful = useful_col.radio(
                ctx.t("useful"),
                useful_options,
                index=useful_options.index(answer.useful),
                format_func=lambda u: ctx.t(
                    "useful.unset" if u is None else ("useful.yes" if u else "useful.no")
                ),
                horizontal=True,
                key=f"useful_{alert_id}",
            )
            if (status, useful) != (answer.status, answer.useful):
                store.answer(alert_id, status, useful)
            with why_col:
                page_link("pourquoi", ctx.t("see_why"), alert=alert_id)
            with mentions_col:
                page_link("mentions", ctx.t("see_mentions"), alert=alert_id)
