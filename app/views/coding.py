"""Page "Codage": a coder's blind queue of the drawn sample, one item at a time.

The item shows the mention's text and the brand to code, never the model's label nor another
coder's answer (`core.corrections.queue` does not even read them). Each submitted answer is an
append-only event in the store beside the warehouse, like a correction. Drawing the sample is
`ecoute coding sample --n 200 --coders alice,bob`.
"""

from __future__ import annotations

import streamlit as st

from app import auth, context, data
from app.views.common import page_link, ready
from core import corrections
from core.codebook import CodebookError, project_codebook

SAVED_KEY = "coding_saved"


def render() -> None:
    ctx = ready("coding.title")
    if ctx is None:
        return
    st.caption(ctx.t("coding.caption"))
    page_link("codebook", ctx.t("coding.read_codebook"))
    names = corrections.coders(ctx.config)
    if not names:
        st.info(ctx.t("coding.no_sample"))
        return
    wanted = context.param("coder") or auth.visitor(ctx.config) or ""
    coder = st.selectbox(
        ctx.t("coding.coder"),
        names,
        index=names.index(wanted) if wanted in names else None,
        placeholder=ctx.t("coding.pick"),
        key="coding_coder",
    )
    context.set_param("coder", coder)
    if coder is None:
        st.info(ctx.t("coding.pick"))
        return
    try:
        codebook = project_codebook(ctx.config)
    except CodebookError as error:
        st.error(str(error))
        return
    done, total = corrections.progress(ctx.config, coder)
    st.progress(done / max(total, 1), text=ctx.t("coding.progress", done=done, total=total))
    saved = st.session_state.pop(SAVED_KEY, None)
    if saved:
        st.success(ctx.t("coding.saved", item=saved))
    todo = corrections.queue(ctx.config, coder)
    if not todo:
        st.success(ctx.t("coding.finished"))
        return
    item = todo[0]
    found = data.mention_texts(ctx.db, [item["mention_id"]])
    st.subheader(ctx.t("coding.item", item=item["item_id"], sample=item["sample_id"]))
    st.text(ctx.t("coding.brand", brand=item["brand"]))
    if found.empty:
        st.warning(ctx.t("coding.gone"))
    else:
        row = found.iloc[0]
        if row["title"]:
            st.text(ctx.t("coding.thread", title=str(row["title"])))
        st.text(str(row["text"] or ""))
    mine = corrections.own_answers(ctx.config, coder, item["sample_id"], item["item_id"])
    key = f"{item['sample_id']}_{item['item_id']}"
    with st.form(f"code_{key}"):
        answers = {}
        for name, variable in codebook.variables.items():
            values = list(variable.values)
            previous = mine.get(variable.field)
            answers[variable.field] = st.radio(
                name,
                values,
                index=values.index(previous) if previous in values else None,
                horizontal=True,
                help=getattr(variable.definition, ctx.language),
                key=f"code_{key}_{variable.field}",
            )
        reason = st.text_input(ctx.t("coding.note"), key=f"code_{key}_note")
        submitted = st.form_submit_button(ctx.t("coding.submit"))
    if not submitted:
        return
    given = {f: v for f, v in answers.items() if v is not None and v != mine.get(f)}
    try:
        for field, value in given.items():
            corrections.add_answer(
                ctx.config, item["sample_id"], item["item_id"], coder, field, value, reason or None
            )
    except corrections.CorrectionError as error:
        st.error(str(error))
        return
    if len({*mine, *given}) < len(codebook.fields):
        st.warning(ctx.t("coding.incomplete"))
        return
    st.session_state[SAVED_KEY] = item["item_id"]
    st.rerun()  # the next item of the queue
