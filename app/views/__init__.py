"""One module per page; `PAGES` is the navigation (groups of pages, each with a stable URL path).

The "people" group is where people teach the model: code a sample blind, read the codebook,
see how far coders agree (corrections themselves are made on the Mentions page).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import streamlit as st

from app import i18n
from app.views import (
    agreement,
    alerts,
    codebook,
    coding,
    competition,
    mentions,
    method,
    today,
    topics,
    who,
    why,
)


@dataclass(frozen=True)
class PageSpec:
    render: Callable[[], None]
    url_path: str  # "" for the home page
    title_key: str
    icon: str

    def as_st_page(self, language: i18n.Language) -> st.Page:
        return st.Page(
            self.render,
            title=i18n.translate(self.title_key, language),
            icon=self.icon,
            url_path=self.url_path or "ce-matin",
            default=not self.url_path,
        )


PAGES: dict[str, list[PageSpec]] = {
    "nav.group.read": [
        PageSpec(today.render, "", "nav.today", ":material/wb_sunny:"),
        PageSpec(alerts.render, "alertes", "nav.alerts", ":material/notifications:"),
        PageSpec(why.render, "pourquoi", "nav.why", ":material/search_insights:"),
        PageSpec(mentions.render, "mentions", "nav.mentions", ":material/forum:"),
    ],
    "nav.group.dig": [
        PageSpec(competition.render, "concurrence", "nav.competition", ":material/leaderboard:"),
        PageSpec(topics.render, "sujets", "nav.topics", ":material/tag:"),
        PageSpec(who.render, "qui", "nav.who", ":material/groups:"),
        PageSpec(method.render, "methode", "nav.method", ":material/menu_book:"),
    ],
    "nav.group.people": [
        PageSpec(coding.render, "codage", "nav.coding", ":material/edit_note:"),
        PageSpec(codebook.render, "codebook", "nav.codebook", ":material/rule:"),
        PageSpec(agreement.render, "accord", "nav.agreement", ":material/handshake:"),
    ],
}
