"""The weekly brief: the week's numbers per brand and its alerts, in Markdown and in HTML.

Built from the same `app.data` functions as the pages (page 8 offers it; `ecoute report --week`
writes it). Scraped values (keywords, authors) are escaped in the HTML and in Markdown.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import date, timedelta

from app import data, i18n

WEEK = re.compile(r"^(\d{4})-W(\d{2})$")


def week_bounds(week: str) -> tuple[date, date]:
    """`2026-W09` → its Monday and Sunday (ISO weeks)."""
    match = WEEK.match(week)
    if not match:
        raise ValueError(f"week {week!r} is not YYYY-Www")
    monday = date.fromisocalendar(int(match[1]), int(match[2]), 1)
    return monday, monday + timedelta(days=6)


def iso_week(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


@dataclass(frozen=True)
class BrandLine:
    brand: str
    mentions: int
    previous: int
    net: float
    share: float


@dataclass(frozen=True)
class Brief:
    week: str
    start: date
    end: date
    lines: list[BrandLine]
    alerts: list[str]


def build(db: data.Reader, brands: list[str], week: str, language: i18n.Language) -> Brief:
    start, end = week_bounds(week)
    now = data.window_totals(db, start, end).set_index("brand")
    before = data.window_totals(db, start - timedelta(days=7), start - timedelta(days=1))
    before = before.set_index("brand")
    total = max(float(now["mentions"].sum()), 1.0)
    lines = []
    for brand in brands:
        m = int(now["mentions"].get(brand, 0) or 0)
        pos, neg = (float(now[c].get(brand, 0) or 0) for c in ("positive", "negative"))
        lines.append(
            BrandLine(
                brand,
                m,
                int(before["mentions"].get(brand, 0) or 0),
                (pos - neg) / m if m else 0.0,
                m / total,
            )
        )
    alerts = data.alerts(db, brands, start, end)
    sentences = [
        i18n.translate(
            "alerts.sentence",
            language,
            severity=i18n.severity(r["severity"], language),
            brand=r["brand"],
            signal=i18n.translate(f"signal.{data.signal_kind(r['signals'])}", language),
            first=i18n.day(r["first_day"], language),
            last=i18n.day(r["last_day"], language),
            mentions=i18n.number(r["window_mentions"], language),
            lift=i18n.translate("times", language, value=i18n.number(r["lift"], language, 1)),
            baseline=i18n.number(r["baseline_daily_mentions"] or 0, language, 1),
            change=i18n.signed(r["sentiment_change"] or 0, language),
            keywords=r["top_keywords"] or "—",
            sources=r["top_sources"] or "—",
            authors=r["top_authors"] or "—",
        )
        for _, r in alerts.iterrows()
    ]
    return Brief(week, start, end, lines, sentences)


def _md_escape(text: str) -> str:
    return re.sub(r"([\\`*_{}\[\]()<>#+!|~-])", r"\\\1", text)


def to_markdown(brief: Brief, language: i18n.Language) -> str:
    t = lambda key: i18n.translate(key, language)  # noqa: E731
    head = [
        f"# {t('method.brief')} {brief.week}",
        "",
        f"{i18n.day(brief.start, language)} – {i18n.day(brief.end, language)}",
        "",
        f"| {t('col.brand')} | {t('col.count')} | {t('col.change')} | {t('today.net')} | "
        f"{t('col.share')} |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    rows = [
        f"| {_md_escape(line.brand)} | {i18n.number(line.mentions, language)} | "
        f"{i18n.signed(line.mentions - line.previous, language, 0)} | "
        f"{i18n.number(line.net, language, 2)} | {i18n.percent(line.share, language)} |"
        for line in brief.lines
    ]
    alerts = [f"## {t('alerts.title')}", ""] + (
        [f"- {_md_escape(s)}" for s in brief.alerts] or [t("alerts.none")]
    )
    return "\n".join([*head, *rows, "", *alerts, ""])


def to_html(brief: Brief, language: i18n.Language) -> str:
    t = lambda key: html.escape(i18n.translate(key, language))  # noqa: E731
    e = html.escape
    rows = "".join(
        f"<tr><td>{e(line.brand)}</td><td>{i18n.number(line.mentions, language)}</td>"
        f"<td>{i18n.signed(line.mentions - line.previous, language, 0)}</td>"
        f"<td>{i18n.number(line.net, language, 2)}</td>"
        f"<td>{i18n.percent(line.share, language)}</td></tr>"
        for line in brief.lines
    )
    alerts = "".join(f"<li>{e(s)}</li>" for s in brief.alerts) or f"<p>{t('alerts.none')}</p>"
    return (
        f'<!doctype html><html lang="{language}"><head><meta charset="utf-8">'
        f"<title>{t('method.brief')} {e(brief.week)}</title></head><body>"
        f"<h1>{t('method.brief')} {e(brief.week)}</h1>"
        f"<p>{i18n.day(brief.start, language)} – {i18n.day(brief.end, language)}</p>"
        f"<table><thead><tr><th>{t('col.brand')}</th><th>{t('col.count')}</th>"
        f"<th>{t('col.change')}</th><th>{t('today.net')}</th><th>{t('col.share')}</th></tr>"
        f"</thead><tbody>{rows}</tbody></table>"
        f"<h2>{t('alerts.title')}</h2><ul>{alerts}</ul></body></html>"
    )
