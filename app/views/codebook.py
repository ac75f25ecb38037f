"""Page "Codebook": what each coded variable means, how to decide, with examples (codebook.yml).

The same file checks every correction and every coder's answer (`core.codebook`); its version is
shown so codes made under an older meaning can be told apart.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app.context import current
from core.codebook import CodebookError, project_codebook


def render() -> None:
    ctx = current()
    st.title(ctx.t("codebook.title"))
    if not ctx.has_data:
        st.info(ctx.t("no_build") if ctx.db.build == "none" else ctx.t("no_mentions"))
    try:
        codebook = project_codebook(ctx.config)
    except CodebookError as error:
        st.error(str(error))
        return
    st.caption(ctx.t("codebook.caption", version=codebook.version))
    for name, variable in codebook.variables.items():
        st.subheader(name)
        level = ctx.t(f"codebook.{variable.level}")
        st.caption(ctx.t("codebook.values", level=level, values=", ".join(variable.values)))
        st.write(getattr(variable.definition, ctx.language))
        st.markdown("\n".join(f"- {getattr(rule, ctx.language)}" for rule in variable.rules))
        examples = pd.DataFrame(
            {
                ctx.t("codebook.example"): [e.text for e in variable.examples],
                ctx.t("codebook.value"): [e.value for e in variable.examples],
                ctx.t("col.lang"): [e.lang for e in variable.examples],
            }
        )
        st.dataframe(examples, hide_index=True, width="stretch")
