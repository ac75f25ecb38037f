"""Page 4, "Mentions": the evidence feed, own text first, copies collapsed, why each matched,
and the form where a person corrects a mention for one brand (sentiment, relevance, category).

Corrections go to the append-only store beside the warehouse (`core.corrections`), never to the
serving copy: the feed says which rows carry a correction and whether the last build applied it.
"""

from __future__ import annotations

import io
from datetime import datetime

import pandas as pd
import streamlit as st

from app import auth, context, data
from app.views.common import ready, table
from core import corrections
from core.codebook import CORRECTABLE_FIELDS, CodebookError, project_codebook

FEED_LIMIT = 500
UNCHANGED = ""
WHO_KEY = "correction_who"
SAVED_KEY = "correction_saved"
NAME_KEY = "who_name"


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

    fixes = corrections.latest_corrections(ctx.config)
    built = data.built_at(ctx.config)
    by_pair: dict[tuple[str, str], list[corrections.Event]] = {}
    for (m, b, _), event in fixes.items():
        by_pair.setdefault((m, b), []).append(event)
    state = {pair: _state(ctx, events, built) for pair, events in by_pair.items()}
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
            ctx.t("col.corrected"): [
                state.get((m, b), "")
                for m, b in zip(feed["mention_id"], feed["brand"], strict=True)
            ],
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
    correction_form(ctx, feed.head(FEED_LIMIT), fixes, built)


def _pending(made_at: str, built: datetime | None) -> bool:
    """A correction the published build cannot have applied (made after it was published)."""
    return built is None or datetime.fromisoformat(made_at) > built


def _state(
    ctx: context.PageContext, events: list[corrections.Event], built: datetime | None
) -> str:
    if any(_pending(e.made_at, built) for e in events):
        return ctx.t("correct.state_pending")
    return ctx.t("correct.state_applied")


def who_stamp(ctx: context.PageContext) -> str | None:
    """The login's e-mail when the app has a login; else the name given once this session."""
    logged_in = auth.visitor(ctx.config)
    if logged_in:
        st.caption(ctx.t("correct.as", who=logged_in))
        return logged_in
    if WHO_KEY not in st.session_state:  # widget state is dropped on other pages: keep the name
        st.session_state[WHO_KEY] = st.session_state.get(NAME_KEY, "")
    name = st.text_input(ctx.t("correct.who"), key=WHO_KEY, help=ctx.t("correct.who_help"))
    st.session_state[NAME_KEY] = name
    return name.strip() or None


def correction_form(
    ctx: context.PageContext,
    shown: pd.DataFrame,
    fixes: dict[tuple[str, str, str], corrections.Event],
    built: datetime | None,
) -> None:
    """Pick a shown mention and brand, set any of the correctable fields, give a reason."""
    st.subheader(ctx.t("correct.title"))
    st.caption(ctx.t("correct.caption"))
    saved = st.session_state.pop(SAVED_KEY, None)
    if saved:
        st.success(ctx.t("correct.saved", count=saved))
    try:
        codebook = project_codebook(ctx.config)
    except CodebookError as error:
        st.error(str(error))
        return
    rows = shown.reset_index(drop=True)
    picked = st.selectbox(
        ctx.t("correct.mention"),
        list(range(len(rows))),
        format_func=lambda i: " · ".join(
            [
                ctx.day(pd.Timestamp(rows.loc[i, "published_at"])),
                str(rows.loc[i, "brand"]),
                " ".join(str(rows.loc[i, "text"] or rows.loc[i, "title"] or "").split())[:90],
            ]
        ),
        key="correct_mention",
    )
    if picked is None:
        return
    mention_id, brand = str(rows.loc[picked, "mention_id"]), str(rows.loc[picked, "brand"])
    st.text(str(rows.loc[picked, "text"] or rows.loc[picked, "title"] or ""))
    st.caption(ctx.t("correct.model", brand=brand, label=str(rows.loc[picked, "sentiment_label"])))
    for field in CORRECTABLE_FIELDS:
        event = fixes.get((mention_id, brand, field))
        if event is not None:
            when = ctx.day(datetime.fromisoformat(event.made_at))
            key = (
                "correct.state_pending"
                if _pending(event.made_at, built)
                else "correct.state_applied"
            )
            st.caption(
                ctx.t(
                    "correct.current",
                    field=field,
                    value=event.new_value,
                    who=event.who,
                    when=when,
                    state=ctx.t(key),
                )
            )
    who = who_stamp(ctx)
    with st.form("correction", clear_on_submit=True):
        choices = {
            field: st.selectbox(
                ctx.t(f"correct.field.{field}"),
                [UNCHANGED, *codebook.by_field(field).values],
                format_func=lambda v: v or ctx.t("correct.unchanged"),
                key=f"correct_{field}",
            )
            for field in CORRECTABLE_FIELDS
        }
        reason = st.text_input(ctx.t("correct.reason"), key="correct_reason")
        submitted = st.form_submit_button(ctx.t("correct.submit"))
    if not submitted:
        return
    wanted = {field: value for field, value in choices.items() if value}
    if not who:
        st.error(ctx.t("correct.need_who"))
        return
    if not wanted:
        st.warning(ctx.t("correct.nothing"))
        return
    checker = corrections.Checker.for_project(ctx.config)
    try:
        for field, value in wanted.items():
            corrections.add_correction(
                ctx.config, mention_id, brand, field, value, who, reason, checker=checker
            )
    except corrections.CorrectionError as error:
        st.error(str(error))
        return
    st.session_state[SAVED_KEY] = len(wanted)
    st.rerun()  # redraw the feed with the new correction's state
