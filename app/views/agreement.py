"""Page "Accord": how far the coders agree, from the stored codes — the table of
`ecoute coding agreement` (both call `core.agreement`): Krippendorff's alpha with its
bootstrap interval, pairwise Cohen's kappa and confusion, and the items to adjudicate.

An item is adjudicated by correcting it on the Mentions page (a correction wins over codes).
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd
import streamlit as st

from app import context, data
from app.views.common import page_link, ready, table
from core import corrections
from core.agreement import (
    BOOTSTRAP_SAMPLES,
    Code,
    VariableAgreement,
    agreement,
    format_table,
    scales,
)
from core.codebook import CodebookError, project_codebook
from core.config import EcouteConfig

ALL = ""


def _stamp(config: EcouteConfig) -> tuple[Any, ...]:
    """Changes when the store or the codebook changes (the cache key of the statistics)."""
    files = (corrections.store_path(config), config.resolve("codebook.yml"))
    return tuple((f.stat().st_mtime_ns, f.stat().st_size) if f.exists() else None for f in files)


@st.cache_data(show_spinner=False, max_entries=64)
def _computed(
    stamp: tuple[Any, ...], sample_id: str | None, samples: int, _config: EcouteConfig
) -> list[VariableAgreement]:
    codes = [Code(*row) for row in corrections.stored_codes(_config, sample_id)]
    if not codes:
        return []
    return agreement(codes, scales(project_codebook(_config)), samples=samples)


def results(
    config: EcouteConfig, sample_id: str | None = None, samples: int = BOOTSTRAP_SAMPLES
) -> list[VariableAgreement]:
    """The agreement of the stored codes (one sample's, or all), as the CLI computes it."""
    return _computed(_stamp(config), sample_id, samples, config)


def _number(value: float) -> float | None:
    return None if math.isnan(value) else round(value, 3)


def render() -> None:
    ctx = ready("agreement.title")
    if ctx is None:
        return
    st.caption(ctx.t("agreement.caption"))
    drawn = corrections.samples(ctx.config)
    if not drawn:
        st.info(ctx.t("coding.no_sample"))
        return
    wanted = context.param("sample")
    options = [ALL, *drawn]
    sample = st.selectbox(
        ctx.t("agreement.sample"),
        options,
        index=options.index(wanted) if wanted in options else 0,
        format_func=lambda s: s or ctx.t("agreement.all_samples"),
    )
    context.set_param("sample", sample or None)
    try:
        found = results(ctx.config, sample or None)
    except (CodebookError, ValueError) as error:
        st.error(str(error))
        return
    if not found:
        st.info(ctx.t("agreement.no_codes"))
        return
    st.subheader(ctx.t("agreement.alpha"))
    table(
        pd.DataFrame(
            {
                ctx.t("agreement.variable"): [r.variable for r in found],
                ctx.t("agreement.level"): [r.level for r in found],
                ctx.t("agreement.items"): [r.items for r in found],
                "alpha": [_number(r.alpha) for r in found],
                ctx.t("agreement.ci_low"): [_number(r.ci_low) for r in found],
                ctx.t("agreement.ci_high"): [_number(r.ci_high) for r in found],
            }
        )
    )
    st.subheader(ctx.t("agreement.kappa"))
    pairs = [(r, a, b, k) for r in found for (a, b), k in r.kappa.items()]
    table(
        pd.DataFrame(
            {
                ctx.t("agreement.variable"): [r.variable for r, *_ in pairs],
                ctx.t("agreement.coder_a"): [a for _, a, _, _ in pairs],
                ctx.t("agreement.coder_b"): [b for _, _, b, _ in pairs],
                "kappa": [_number(k) for *_, k in pairs],
            }
        )
    )
    for r, a, b, _ in pairs:
        with st.expander(ctx.t("agreement.confusion", variable=r.variable, a=a, b=b)):
            matrix = pd.DataFrame(r.confusion[(a, b)], index=list(r.labels), columns=r.labels)
            st.dataframe(matrix.rename_axis(f"{a} ↓ / {b} →"))
    st.subheader(ctx.t("agreement.adjudicate"))
    disagreements = [d for r in found for d in r.disagreements]
    if not disagreements:
        st.success(ctx.t("agreement.none"))
    else:
        st.caption(ctx.t("agreement.adjudicate_how"))
        page_link("mentions", ctx.t("agreement.to_mentions"))
        mentions = [d.item.rpartition("|")[0] for d in disagreements]
        found_texts = data.mention_texts(ctx.db, sorted(set(mentions)))
        text_of = dict(zip(found_texts["mention_id"], found_texts["text"], strict=True))
        table(
            pd.DataFrame(
                {
                    ctx.t("agreement.variable"): [d.variable for d in disagreements],
                    ctx.t("agreement.mention"): mentions,
                    ctx.t("col.brand"): [d.item.rpartition("|")[2] for d in disagreements],
                    ctx.t("col.text"): [str(text_of.get(m) or "") for m in mentions],
                    ctx.t("agreement.answers"): [
                        ", ".join(f"{c}={v}" for c, v in sorted(d.values.items()))
                        for d in disagreements
                    ],
                }
            )
        )
    with st.expander(ctx.t("agreement.as_cli")):
        st.code(format_table(found), language=None)
