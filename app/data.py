"""The one data access layer of the app: every query it runs, on the read-only serving copy.

Each query goes through `Reader.query`, cached by `st.cache_data` on the published build's id
(the serving file's inode, size and modification time: `publish_serving` swaps in a new file, so
a build changes the id and nothing stale is served). A cache miss opens a short read-only
connection (`core.marts` → `core.serving`) and closes it at once. The weekly brief and
`ecoute report` use the same functions, so they show the same numbers as the pages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

import pandas as pd
import streamlit as st

from core import publish, warehouse
from core.config import EcouteConfig
from core.marts import Marts, NoData, missing_table_errors, published_schema

MISSING_TABLE = missing_table_errors()


def build_id(config: EcouteConfig) -> str:
    """The published build's identity: changes whenever a build publishes a new serving copy."""
    if warehouse.engine(config) != "duckdb":
        published = publish.published_at(config)  # the published schema's stamp
        return f"postgres:{published.isoformat()}" if published else "none"
    path = warehouse.serving_path(config)
    try:
        stat = path.stat()
    except FileNotFoundError:
        return "none"
    return f"{path}:{stat.st_ino}:{stat.st_size}:{stat.st_mtime_ns}"


def built_at(config: EcouteConfig) -> datetime | None:
    """When the serving copy was last published (the last successful build)."""
    published = publish.published_at(config)
    return published.astimezone() if published else None


@st.cache_data(show_spinner=False, max_entries=1024)
def _cached(build: str, sql: str, params: tuple[Any, ...], _marts: Marts) -> pd.DataFrame:
    return _marts.query(sql, list(params))


@dataclass
class Reader:
    """Queries on the marts of one published build."""

    config: EcouteConfig
    build: str = field(default="")

    def __post_init__(self) -> None:
        self.build = self.build or build_id(self.config)

    def query(self, sql: str, params: list[Any] | None = None) -> pd.DataFrame:
        if self.build == "none":
            raise NoData("no published build: run `ecoute run` first")
        return _cached(self.build, sql, tuple(params or []), Marts(self.config)).copy()

    def has_table(self, table: str) -> bool:
        found = self.query(
            "select count(*) as n from information_schema.tables "
            "where table_schema = ? and table_name = ?",
            [published_schema(self.config), table],
        )
        return bool(found.loc[0, "n"])


def _in(values: list[str]) -> str:
    return ", ".join("?" for _ in values) or "null"


# --- brands, dates, freshness -------------------------------------------------------------------


def brand_names(config: EcouteConfig) -> list[str]:
    """Configured brands, own brands first (the palette's order)."""
    return [b.name for b in sorted(config.brands, key=lambda b: b.competitor)]


def date_bounds(db: Reader) -> tuple[date, date] | None:
    """First and last day with brand mentions, or None on an empty warehouse."""
    if not db.has_table("mart_brand_sentiment_daily"):
        return None
    row = db.query("select min(day) as lo, max(day) as hi from marts.mart_brand_sentiment_daily")
    if row.empty or pd.isna(row.loc[0, "lo"]):
        return None
    return pd.Timestamp(row.loc[0, "lo"]).date(), pd.Timestamp(row.loc[0, "hi"]).date()


def newest_mention(db: Reader) -> datetime | None:
    row = db.query("select max(published_at) as newest from marts.fct_mentions")
    value = row.loc[0, "newest"] if not row.empty else None
    return None if value is None or pd.isna(value) else pd.Timestamp(value).to_pydatetime()


def source_coverage(db: Reader, end: date) -> pd.DataFrame:
    """Per source: newest mention, days since it (to `end`), mentions in the 7 days to `end`."""
    frame = db.query(
        "select source, max(published_date) as newest, "
        "sum(case when published_date > ? and published_date <= ? then 1 else 0 end) as last_7d "
        "from marts.fct_mentions where is_canonical group by source order by source",
        [end - timedelta(days=7), end],
    )
    frame["days_since"] = [(end - pd.Timestamp(v).date()).days for v in frame["newest"]]
    return frame


# --- volumes and sentiment ----------------------------------------------------------------------


def daily(db: Reader, brands: list[str], start: date, end: date) -> pd.DataFrame:
    return db.query(
        "select brand, day, mentions, positive_mentions, negative_mentions, neutral_mentions, "
        "net_sentiment from marts.mart_brand_sentiment_daily "
        f"where brand in ({_in(brands)}) and day between ? and ? order by day, brand",
        [*brands, start, end],
    )


def window_totals(db: Reader, start: date, end: date) -> pd.DataFrame:
    """Per brand (every tracked brand, for shares): mentions, positive, negative in [start, end]."""
    return db.query(
        "select brand, sum(mentions) as mentions, sum(positive_mentions) as positive, "
        "sum(negative_mentions) as negative from marts.mart_brand_sentiment_daily "
        "where day between ? and ? group by brand",
        [start, end],
    )


OBJECTIVE_COLUMNS = ["objective", "brand", "kpi", "day", "value", "target", "direction", "status"]


def objectives_daily(db: Reader, start: date, end: date) -> pd.DataFrame:
    """Each objective's daily value against its target in [start, end] (empty when ecoute.yml
    sets none, or before the first build with mart_objectives_daily)."""
    if not db.has_table("mart_objectives_daily"):
        return pd.DataFrame(columns=[*OBJECTIVE_COLUMNS, "is_provisional"])
    return db.query(
        f"select {', '.join(OBJECTIVE_COLUMNS)}, is_provisional from marts.mart_objectives_daily "
        "where day between ? and ? order by objective, day",
        [start, end],
    )


def responsiveness(db: Reader, brands: list[str], start: date, end: date) -> pd.DataFrame:
    """Per brand with official accounts: customer requests opened in [start, end], the share
    answered within 24 h and the median hours to the first answer."""
    if not db.has_table("fct_brand_requests"):
        return pd.DataFrame(columns=["brand", "requests", "response_rate_24h", "median_hours"])
    return db.query(
        "select brand, count(*) as requests, "
        "avg(case when is_answered_24h then 1.0 else 0.0 end) as response_rate_24h, "
        "percentile_cont(0.5) within group (order by response_hours) as median_hours "
        f"from marts.fct_brand_requests where brand in ({_in(brands)}) "
        "and opened_date between ? and ? group by brand order by brand",
        [*brands, start, end],
    )


def baseline_daily(db: Reader, end: date, days: int = 28) -> pd.DataFrame:
    """Per brand, the median daily mentions of the `days` before `end`'s week (robust to spikes)."""
    frame = db.query(
        "select brand, day, mentions from marts.mart_brand_sentiment_daily "
        "where day > ? and day <= ?",
        [end - timedelta(days=days + 7), end - timedelta(days=7)],
    )
    if frame.empty:
        return pd.DataFrame({"brand": [], "baseline": []})
    spine = pd.date_range(end - timedelta(days=days + 6), end - timedelta(days=7), freq="D")
    wide = frame.pivot_table(index="day", columns="brand", values="mentions", aggfunc="sum")
    wide.index = pd.to_datetime(wide.index)
    wide = wide.reindex(spine, fill_value=0).fillna(0)
    return wide.median().rename("baseline").reset_index().rename(columns={"index": "brand"})


def weekly_share_of_voice(db: Reader, brands: list[str], start: date, end: date) -> pd.DataFrame:
    return db.query(
        "select period_start as week, brand, mentions, total_mentions, share "
        "from marts.mart_share_of_voice where period_grain = 'week' "
        f"and brand in ({_in(brands)}) and period_start between ? and ? order by week, brand",
        [*brands, start - timedelta(days=6), end],
    )


def sentiment_by(
    db: Reader, column: str, brands: list[str], start: date, end: date
) -> pd.DataFrame:
    """Net sentiment per brand and `column` (source or lang), canonical mentions only."""
    if column not in ("source", "lang"):
        raise ValueError(column)
    return db.query(
        f"select brand, coalesce({column}, '?') as {column}, count(*) as mentions, "
        "sum(case when sentiment_label = 'positive' then 1 else 0 end) as positive, "
        "sum(case when sentiment_label = 'negative' then 1 else 0 end) as negative "
        f"from marts.fct_brand_mentions where is_canonical and brand in ({_in(brands)}) "
        f"and published_date between ? and ? group by brand, {column} order by brand, {column}",
        [*brands, start, end],
    ).assign(net=lambda f: (f["positive"] - f["negative"]) / f["mentions"].clip(lower=1))


# --- alerts -------------------------------------------------------------------------------------


def alerts(db: Reader, brands: list[str], start: date, end: date) -> pd.DataFrame:
    """Alert episodes overlapping [start, end], most severe first.

    The mart's severity (high, medium, low) first, then its effect size, then both signals before
    one and the episode's mentions against its baseline volume.
    """
    frame = db.query(
        "select alert_id, brand, first_day, last_day, flagged_days, peak_day, alert_type, "
        "signals, observed, threshold, baseline_daily_mentions, baseline_negative_share, "
        "window_mentions, window_negative_share, sentiment_change, top_keywords, top_authors, "
        "top_sources, severity, effect_size from marts.mart_alerts "
        f"where brand in ({_in(brands)}) and last_day >= ? and first_day <= ?",
        [*brands, start, end],
    )
    days = (pd.to_datetime(frame["last_day"]) - pd.to_datetime(frame["first_day"])).dt.days + 1
    expected = (frame["baseline_daily_mentions"].fillna(0).clip(lower=1) * days).astype(float)
    frame["lift"] = frame["window_mentions"].astype(float) / expected
    frame["both"] = [signal_kind(s) == "both" for s in frame["signals"]]
    frame["severity_rank"] = [SEVERITY_RANK.get(str(s), 0) for s in frame["severity"]]
    return frame.sort_values(
        ["severity_rank", "effect_size", "both", "lift", "window_mentions"],
        ascending=False,
        kind="stable",
    ).reset_index(drop=True)


SEVERITY_RANK = {"high": 3, "medium": 2, "low": 1}


def signal_kind(signals: object) -> str:
    text = str(signals or "").lower()
    volume, negative = "volume" in text, "negative" in text
    return "both" if volume and negative else ("negative" if negative else "volume")


def alert_mentions(db: Reader, alert_id: str) -> pd.DataFrame:
    """The canonical mentions behind one alert, most negative first, with their copy counts."""
    frame = db.query(
        "select m.mention_id, m.brand, m.published_at, m.story_id, m.source, m.kind, m.lang, "
        "m.author_name, m.text, m.title, m.url, m.matched_alias, m.match_rule, "
        "m.sentiment_label, m.sentiment_score, c.copies from marts.mart_alert_mentions as m "
        "join (select story_id, count(*) as copies from marts.mart_alert_mentions "
        "where alert_id = ? group by story_id) as c on m.story_id = c.story_id "
        "where m.alert_id = ? and m.is_canonical order by m.sentiment_score, m.published_at",
        [alert_id, alert_id],
    )
    return frame


def main_story(db: Reader, alert_id: str) -> str | None:
    """The title of the alert's most copied story (or its first mention's text)."""
    frame = db.query(
        "select coalesce(title, text) as headline, count(*) as n from marts.mart_alert_mentions "
        "where alert_id = ? group by story_id, coalesce(title, text) "
        "order by n desc, min(published_at), story_id limit 1",  # ties: the earliest story
        [alert_id],
    )
    return None if frame.empty else str(frame.loc[0, "headline"])[:160]


# --- keywords and stories -----------------------------------------------------------------------


def keywords(
    db: Reader, brands: list[str], start: date, end: date, limit: int = 15
) -> pd.DataFrame:
    """Per brand, keywords by lift over the weeks in [start, end], with the counts behind each."""
    return (
        db.query(
            "select brand, keyword, sum(keyword_mentions) as keyword_mentions, "
            "sum(period_mentions) as period_mentions, "
            "sum(baseline_keyword_mentions) as baseline_keyword_mentions, max(lift) as lift, "
            "min(example_title) as example_title, min(example_url) as example_url "
            f"from marts.mart_top_keywords where brand in ({_in(brands)}) "
            "and period_start between ? and ? group by brand, keyword "
            "order by brand, lift desc, keyword_mentions desc",
            [*brands, start - timedelta(days=6), end],
        )
        .groupby("brand", sort=False)
        .head(limit)
    )


def window_keywords(
    db: Reader, brand: str, start: date, end: date, baseline_days: int = 28, limit: int = 15
) -> pd.DataFrame:
    """Keywords of `brand` in [start, end] by lift against the `baseline_days` before it."""
    return _window_keywords(db, brand, start, end, baseline_days).head(limit)


def _window_keywords(
    db: Reader, brand: str, start: date, end: date, baseline_days: int
) -> pd.DataFrame:
    weekly = db.query(
        "select period_start, keyword, keyword_mentions, period_mentions "
        "from marts.mart_top_keywords where brand = ? and period_start between ? and ?",
        [brand, start - timedelta(days=baseline_days + 6), end],
    )
    if weekly.empty:
        return pd.DataFrame(columns=["keyword", "window", "baseline", "lift"])
    week = pd.to_datetime(weekly["period_start"]).dt.date
    inside = week >= start - timedelta(days=6)
    now = weekly[inside].groupby("keyword")["keyword_mentions"].sum()
    before = weekly[~inside].groupby("keyword")["keyword_mentions"].sum()
    n_now = max(weekly[inside].groupby("period_start")["period_mentions"].max().sum(), 1)
    n_before = max(weekly[~inside].groupby("period_start")["period_mentions"].max().sum(), 1)
    out = pd.DataFrame({"window": now}).join(before.rename("baseline")).fillna(0)
    out["lift"] = ((out["window"] + 1) / n_now) / ((out["baseline"] + 1) / n_before)
    return out.sort_values(["lift", "window"], ascending=False).reset_index()


def stories(db: Reader, brands: list[str], start: date, end: date, limit: int = 30) -> pd.DataFrame:
    """Story clusters touching the brands in [start, end], most copied first."""
    return db.query(
        "select s.story_id, s.title, s.source as first_source, s.site, s.url, s.copies, "
        "s.mentions, s.sites, s.sources, s.first_published_at, s.last_published_at "
        "from marts.mart_story_clusters as s where s.story_id in ("
        "select story_id from marts.fct_brand_mentions "
        f"where brand in ({_in(brands)}) and published_date between ? and ?) "
        "order by s.copies desc, s.mentions desc, s.first_published_at limit ?",
        [*brands, start, end, limit],
    )


# --- mentions -----------------------------------------------------------------------------------


def mentions(db: Reader, brands: list[str], start: date, end: date) -> pd.DataFrame:
    """The evidence feed: canonical brand mentions, own text first, copies counted (×N)."""
    return db.query(
        "select b.mention_id, b.published_at, b.brand, b.text, b.title, b.source, b.kind, "
        "b.lang, b.author_id, b.author_name, b.matched_alias, b.match_rule, b.sentiment_label, "
        "b.sentiment_score, b.url, b.story_id, coalesce(c.copies, 1) as copies, "
        "coalesce(t.author_type, '?') as author_type "
        "from marts.fct_brand_mentions as b "
        "left join (select story_id, brand, count(*) as copies from marts.fct_brand_mentions "
        "group by story_id, brand) as c on b.story_id = c.story_id and b.brand = c.brand "
        "left join (select brand, author_id, max(author_type) as author_type "
        "from marts.mart_contributor_typology group by brand, author_id) as t "
        "on b.brand = t.brand and b.author_id = t.author_id "
        f"where b.is_canonical and b.brand in ({_in(brands)}) "
        "and b.published_date between ? and ? order by b.published_at desc",
        [*brands, start, end],
    )


def mention_texts(db: Reader, mention_ids: list[str]) -> pd.DataFrame:
    """The text, thread title, language and source of some mentions (what a coder reads)."""
    if not mention_ids:
        return pd.DataFrame(columns=["mention_id", "text", "title", "lang", "source", "kind"])
    return db.query(
        "select mention_id, text, title, lang, source, kind from marts.fct_mentions "
        f"where mention_id in ({_in(mention_ids)}) order by mention_id",
        list(mention_ids),
    )


# --- who ----------------------------------------------------------------------------------------


def composition(db: Reader, brands: list[str], start: date, end: date) -> pd.DataFrame:
    return db.query(
        "select brand, period_start, authors, creators, contributors, opportunists, observers "
        f"from marts.mart_community_composition where brand in ({_in(brands)}) "
        "and period_start between ? and ? order by brand, period_start",
        [*brands, start - timedelta(days=31), end],
    )


TRUST_COMPONENTS = (
    "trust_tenure",
    "trust_regularity",
    "trust_cross_source",
    "trust_engagement",
    "trust_not_promotional",
    "trust_consistency",
)


def trusted_authors(
    db: Reader, brands: list[str], start: date, end: date, limit: int = 50
) -> pd.DataFrame:
    """Authors active on the brands in [start, end], by trust score, with its six components."""
    return db.query(
        "select a.author_name, a.source, a.trust_score, "
        + ", ".join(f"a.{c}" for c in TRUST_COMPONENTS)
        + ", m.mentions from marts.dim_authors as a join ("
        "select author_id, count(*) as mentions from marts.fct_brand_mentions "
        f"where is_canonical and brand in ({_in(brands)}) and published_date between ? and ? "
        "group by author_id) as m on a.author_id = m.author_id "
        "order by a.trust_score desc, m.mentions desc limit ?",
        [*brands, start, end, limit],
    )


def voices(db: Reader, table: str, brands: list[str], start: date, end: date) -> pd.DataFrame:
    """Advocates or detractors with their mentions in [start, end] (the two marts share a shape)."""
    if table not in ("mart_advocates", "mart_detractors"):
        raise ValueError(table)
    return db.query(
        "select v.brand, v.author_rank, v.author_name, v.trust_score, v.mentions, "
        "v.positive_mentions, v.negative_mentions, coalesce(r.recent, 0) as in_period, "
        f"v.best_mention_title, v.best_mention_url from marts.{table} as v "
        "left join (select brand, author_id, count(*) as recent from marts.fct_brand_mentions "
        "where is_canonical and published_date between ? and ? group by brand, author_id) as r "
        "on v.brand = r.brand and v.author_id = r.author_id "
        f"where v.brand in ({_in(brands)}) order by in_period desc, v.brand, v.author_rank",
        [start, end, *brands],
    )


# --- method -------------------------------------------------------------------------------------


def model_quality(db: Reader) -> pd.DataFrame:
    """Latest accuracy per labelled file and language."""
    return db.query(
        "select gold_file, lang, labelled_rows, accuracy, macro_f1, run_at "
        "from marts.mart_model_quality order by gold_file, lang"
    )


AGREEMENT_COLUMNS = (
    "week_start",
    "lang",
    "source",
    "brand",
    "field",
    "gold_items",
    "agreed_items",
    "corrected_items",
    "coded_items",
)


def model_agreement(db: Reader, brands: list[str]) -> pd.DataFrame:
    """Model vs people (corrections, unanimous double codes) per week, language, source, brand
    and field; empty when the build has no such mart yet."""
    if not db.has_table("mart_model_agreement"):
        return pd.DataFrame(columns=list(AGREEMENT_COLUMNS))
    return db.query(
        f"select {', '.join(AGREEMENT_COLUMNS)} from marts.mart_model_agreement "
        f"where brand in ({_in(brands)}) order by week_start, field, brand, lang, source",
        list(brands),
    )


# --- safety of rendered values ------------------------------------------------------------------


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


__all__ = ["MISSING_TABLE", "NoData", "Reader"]
