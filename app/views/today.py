"""Page 1, "Ce matin": per brand, what moved in the last 24 h / 7 days, and what changed."""

from __future__ import annotations

from datetime import timedelta

import pandas as pd
import streamlit as st

from app import data
from app.views.common import alert_sentence, episodes_frame, line_chart, page_link, ready


def render() -> None:
    ctx = ready("today.title")
    if ctx is None:
        return
    end = ctx.end
    newest = data.newest_mention(ctx.db)
    built = data.built_at(ctx.config)
    st.caption(
        ctx.t(
            "today.as_of",
            newest=ctx.day(newest) if newest else "—",
            built=f"{ctx.day(built)} {built:%H:%M}" if built else "—",
        )
    )
    if newest and built and (built.date() - newest.date()).days > 1:
        st.warning(
            ctx.t("today.stale", days=(built.date() - newest.date()).days, newest=ctx.day(newest))
        )

    alerts = data.alerts(ctx.db, ctx.brands, ctx.start, end)
    answers = ctx.feedback.answers()
    st.subheader(ctx.t("today.what_changed"))
    if alerts.empty:
        st.success(ctx.t("today.nothing_changed"))
    for _, row in alerts.head(3).iterrows():
        left, right = st.columns([8, 2])
        left.text(alert_sentence(ctx, row))
        with right:
            page_link("pourquoi", ctx.t("why_link"), alert=row["alert_id"])

    totals_24 = data.window_totals(ctx.db, end, end).set_index("brand")
    prev_24 = data.window_totals(ctx.db, end - timedelta(days=1), end - timedelta(days=1))
    totals_7 = data.window_totals(ctx.db, end - timedelta(days=6), end).set_index("brand")
    prev_7 = data.window_totals(
        ctx.db, end - timedelta(days=13), end - timedelta(days=7)
    ).set_index("brand")
    baseline = data.baseline_daily(ctx.db, end).set_index("brand")["baseline"]
    prev_24 = prev_24.set_index("brand")
    share_now = totals_7["mentions"] / max(totals_7["mentions"].sum(), 1)
    share_before = prev_7["mentions"] / max(prev_7["mentions"].sum(), 1)

    for brand in ctx.brands:
        st.subheader(brand)
        columns = st.columns(5)
        m24 = _get(totals_24, brand, "mentions")
        m7 = _get(totals_7, brand, "mentions")
        columns[0].metric(
            ctx.t("today.mentions_24h"),
            ctx.number(m24),
            delta=ctx.number(m24 - _get(prev_24, brand, "mentions")),
        )
        columns[0].caption(ctx.t("today.baseline", value=ctx.number(baseline.get(brand, 0), 1)))
        columns[1].metric(
            ctx.t("today.mentions_7d"),
            ctx.number(m7),
            delta=ctx.number(m7 - _get(prev_7, brand, "mentions")),
        )
        net_now, net_before = _net(totals_7, brand), _net(prev_7, brand)
        columns[2].metric(
            ctx.t("today.net"), ctx.number(net_now, 2), delta=ctx.number(net_now - net_before, 2)
        )
        sov_now = float(share_now.get(brand, 0.0))
        sov_change = sov_now - float(share_before.get(brand, 0.0))
        columns[3].metric(
            ctx.t("today.sov"), ctx.percent(sov_now), delta=ctx.percent(sov_change, 1)
        )
        open_alerts = sum(
            1
            for alert_id in alerts.loc[alerts["brand"] == brand, "alert_id"]
            if answers.get(alert_id) is None or answers[alert_id].status != "closed"
        )
        columns[4].metric(ctx.t("today.open_alerts"), ctx.number(open_alerts))

    st.subheader(ctx.t("today.volume"))
    daily = data.daily(ctx.db, ctx.brands, ctx.start, end)
    if daily.empty:
        st.info(ctx.t("nothing_in_range"))
    else:
        line_chart(ctx, daily, "mentions", ctx.t("col.count"), episodes_frame(alerts))

    st.subheader(ctx.t("today.coverage"))
    coverage = data.source_coverage(ctx.db, end)
    coverage["gap"] = [ctx.t("today.gap", days=d) if d > 2 else "" for d in coverage["days_since"]]
    st.dataframe(coverage, hide_index=True)


def _get(frame: pd.DataFrame, brand: str, column: str) -> float:
    return float(frame[column].get(brand, 0) or 0) if column in frame else 0.0


def _net(frame: pd.DataFrame, brand: str) -> float:
    total = _get(frame, brand, "mentions")
    return (
        (_get(frame, brand, "positive") - _get(frame, brand, "negative")) / total if total else 0.0
    )
