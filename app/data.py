"""Every query the page runs, on the read-only marts (`core.marts`)."""

from __future__ import annotations

from datetime import date

import pandas as pd

from core.marts import Marts


def brands(marts: Marts) -> pd.DataFrame:
    return marts.query(
        "select brand, is_competitor from marts.dim_brands order by is_competitor, brand"
    )


def date_bounds(marts: Marts) -> tuple[date, date] | None:
    row = marts.query("select min(day) as lo, max(day) as hi from marts.mart_brand_sentiment_daily")
    if row.empty or pd.isna(row.loc[0, "lo"]):
        return None
    return pd.Timestamp(row.loc[0, "lo"]).date(), pd.Timestamp(row.loc[0, "hi"]).date()


def _in(values: list[str]) -> str:
    return ", ".join("?" for _ in values) or "null"


def sentiment_daily(marts: Marts, chosen: list[str], start: date, end: date) -> pd.DataFrame:
    return marts.query(
        "select brand, day, mentions, positive_mentions, negative_mentions, neutral_mentions, "
        "negative_share, net_sentiment from marts.mart_brand_sentiment_daily "
        f"where brand in ({_in(chosen)}) and day between ? and ? order by day, brand",
        [*chosen, start, end],
    )


def share_of_voice(marts: Marts, start: date, end: date) -> pd.DataFrame:
    """Share of voice over the chosen dates, from the daily counts (all tracked brands)."""
    return marts.query(
        "select brand, sum(mentions) as mentions from marts.mart_brand_sentiment_daily "
        "where day between ? and ? group by brand order by mentions desc",
        [start, end],
    )


def weekly_share_of_voice(marts: Marts, start: date, end: date) -> pd.DataFrame:
    return marts.query(
        "select period_start as week, brand, share as share_of_voice "
        "from marts.mart_share_of_voice "
        "where period_grain = 'week' and period_start between ? and ? order by week, brand",
        [start, end],
    )


def latest_mentions(
    marts: Marts, chosen: list[str], start: date, end: date, limit: int = 200
) -> pd.DataFrame:
    return marts.query(
        "select published_at, brand, sentiment_label, source, author_name, title, text, url "
        "from marts.fct_brand_mentions "
        f"where brand in ({_in(chosen)}) and cast(published_at as date) between ? and ? "
        "order by published_at desc limit ?",
        [*chosen, start, end, limit],
    )


def alerts(marts: Marts, chosen: list[str], start: date, end: date) -> pd.DataFrame:
    return marts.query(
        "select day, brand, alert_type, observed, threshold, window_mentions, "
        "window_negative_share, sentiment_change, top_keywords, top_authors, top_sources "
        "from marts.mart_alerts "
        f"where brand in ({_in(chosen)}) and day between ? and ? order by day desc, brand",
        [*chosen, start, end],
    )


def community(marts: Marts, table: str, chosen: list[str]) -> pd.DataFrame:
    """Advocates or detractors (the two marts share their shape)."""
    if table not in ("mart_advocates", "mart_detractors"):
        raise ValueError(table)
    return marts.query(
        "select brand, author_rank, author_name, trust_score, mentions, positive_mentions, "
        "negative_mentions, engagement_received, best_mention_title, best_mention_url "
        f"from marts.{table} where brand in ({_in(chosen)}) order by brand, author_rank",
        chosen,
    )


def top_keywords(marts: Marts, chosen: list[str], limit: int = 10) -> pd.DataFrame:
    """Each brand's most over-represented key phrases in its latest period."""
    return marts.query(
        "select k.brand, k.period_start, k.keyword_rank, k.keyword, k.keyword_mentions, k.lift, "
        "k.example_title, k.example_url from marts.mart_top_keywords as k "
        "join (select brand, max(period_start) as latest from marts.mart_top_keywords "
        "group by brand) as l on k.brand = l.brand and k.period_start = l.latest "
        f"where k.brand in ({_in(chosen)}) and k.keyword_rank <= ? "
        "order by k.brand, k.keyword_rank",
        [*chosen, limit],
    )


def model_quality(marts: Marts) -> pd.DataFrame:
    """How well the sentiment labels agree with labelled posts, per language."""
    return marts.query(
        "select lang, gold_file, labelled_rows, accuracy, macro_f1, run_at "
        "from marts.mart_model_quality order by gold_file, lang"
    )


def is_web_link(value: object) -> bool:
    """True for an http(s) URL: the only links the page renders (never `javascript:` or `data:`)."""
    if not isinstance(value, str):
        return False
    scheme, sep, rest = value.strip().partition(":")
    return bool(sep) and scheme.lower() in ("http", "https") and rest.startswith("//")


def web_links(frame: pd.DataFrame, *columns: str) -> pd.DataFrame:
    """`frame` with each value of `columns` that is not an http(s) URL blanked (no link shown)."""
    safe = frame.copy()
    for column in columns:
        if column in safe:
            safe[column] = [v if is_web_link(v) else None for v in safe[column]]
    return safe
