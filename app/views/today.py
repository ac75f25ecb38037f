"""Page 1, "Ce matin": per brand, what moved in the last 24 h / 7 days, and what changed."""

from __future__ import annotations

from datetime import date, timedelta

import altair as alt
import pandas as pd
import streamlit as st

from app import data
from app.context import PageContext
from app.palette import ALERT_COLOUR, COLOURS
from app.views.common import alert_sentence, episodes_frame, line_chart, page_link, ready

ON_TRACK_COLOUR = "#009E73"
SHARE_KPIS = ("share_of_voice", "negative_share", "response_rate_24h")


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

    _objectives(ctx, end)

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


def _objectives(ctx: PageContext, end: date) -> None:
    """Each objective of the selected brands: its daily value as a line against its target."""
    frame = data.objectives_daily(ctx.db, ctx.start, end)
    frame = frame[frame["brand"].isin(ctx.brands)]
    if frame.empty:
        return
    st.subheader(ctx.t("today.objectives"))
    columns = st.columns(2)
    for index, (name, rows) in enumerate(frame.groupby("objective", sort=False)):
        with columns[index % 2]:
            _objective_chart(ctx, str(name), rows)
    answering = data.responsiveness(ctx.db, ctx.brands, ctx.start, end)
    if not answering.empty:
        st.caption(
            " · ".join(
                ctx.t(
                    "today.responsiveness",
                    brand=row["brand"],
                    requests=ctx.number(row["requests"]),
                    rate=ctx.percent(row["response_rate_24h"]),
                    hours="—"
                    if pd.isna(row["median_hours"])
                    else ctx.number(row["median_hours"], 1),
                )
                for _, row in answering.iterrows()
            )
        )


def _objective_chart(ctx: PageContext, name: str, rows: pd.DataFrame) -> None:
    """The value per day (points coloured by status) and the target as a dashed rule."""
    kpi, brand = str(rows["kpi"].iloc[0]), str(rows["brand"].iloc[0])
    target, direction = float(rows["target"].iloc[0]), str(rows["direction"].iloc[0])
    fmt = ".0%" if kpi in SHARE_KPIS else ".2f"
    base = alt.Chart(rows).encode(x=alt.X("day:T", title=None))
    value = alt.Y("value:Q", title=ctx.t(f"kpi.{kpi}"), axis=alt.Axis(format=fmt))
    line = base.mark_line(color=ctx.colours.get(brand, COLOURS[0])).encode(y=value)
    points = base.mark_point(filled=True, size=30).encode(
        y=value,
        color=alt.Color(
            "status:N",
            scale=alt.Scale(
                domain=["on_track", "off_track", "no_data"],
                range=[ON_TRACK_COLOUR, ALERT_COLOUR, "#999999"],
            ),
            legend=None,
        ),
        tooltip=["day:T", alt.Tooltip("value:Q", format=fmt), "status:N"],
    )
    rule = (
        alt.Chart(rows.head(1))
        .mark_rule(strokeDash=[6, 4], color="#555555")
        .encode(y=alt.datum(target))
    )
    st.altair_chart((line + points + rule).properties(title=name, height=220), width="stretch")
    measured = rows[rows["status"] != "no_data"]
    recent = measured.tail(7)
    on_track = int((recent["status"] == "on_track").sum())
    latest = measured.iloc[-1] if not measured.empty else None
    st.caption(
        ctx.t(
            "today.objective_status",
            on=on_track,
            days=len(recent),
            value="—" if latest is None else _shown(ctx, kpi, float(latest["value"])),
            target=_shown(ctx, kpi, target),
            direction=ctx.t(f"objective.{direction}"),
        )
    )


def _shown(ctx: PageContext, kpi: str, value: float) -> str:
    if kpi in SHARE_KPIS:
        return ctx.percent(value)
    return ctx.number(value, 0 if kpi == "volume" else 1 if kpi.endswith("hours") else 2)
