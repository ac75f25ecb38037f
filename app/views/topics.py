"""Page 6, "Sujets & histoires": keywords by lift with their counts, and story clusters."""

from __future__ import annotations

import streamlit as st

from app import data
from app.views.common import ready, table


def render() -> None:
    ctx = ready("topics.title")
    if ctx is None:
        return
    st.subheader(ctx.t("topics.keywords"))
    keywords = data.keywords(ctx.db, ctx.brands, ctx.start, ctx.end)
    if keywords.empty:
        st.info(ctx.t("nothing_in_range"))
    else:
        table(keywords.round(2), links=("example_url",))
    st.subheader(ctx.t("topics.stories"))
    table(data.stories(ctx.db, ctx.brands, ctx.start, ctx.end), links=("url",))
