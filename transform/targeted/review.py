"""A learned second look at the per-brand labels the rules resolved.

The rules of `labels.resolve` weigh a brand's window, its roles (comparative, switch, foil) and the
other brands' windows with hand-set constants. The reviewer (`transform.learned.reviewer`), fitted
on brand-tagged posts from out-of-fold window predictions, weighs the same evidence from data and
gives each brand its label and a probability; where it changes the rules' label the rule is
`reviewed`. Labels decided by a switch or a comparative stand (`KEPT`). `FEATURES` names the
evidence, in the order `features` returns it.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from transform import sentiment
from transform.backends import Prediction
from transform.learned.reviewer import Reviewer
from transform.targeted.results import TargetedResult, TargetPlan

log = logging.getLogger(__name__)

RULE = "reviewed"
# Labels a switch or a comparative decided stand: the parse read who left whom and which is
# better, which the reviewer's features only hint at (cross-validated, reviewing them too made no
# difference: en +0.000, fr +0.001 of 2,641 / 2,678 pairs).
KEPT = ("switch", "comparative")
LABELS = (sentiment.NEGATIVE, sentiment.NEUTRAL, sentiment.POSITIVE)
# The rules `resolve` writes (see the warehouse's accepted values of `sentiment_rule`).
RULES = (
    "clause", "none", "unlike", "switch", "sentence", "comparative", "clause-model", "amount",
    "neither", "missed",
)  # fmt: skip
# The window flags of `TargetPlan` the reviewer reads.
FLAGS = (
    "irony", "question", "framed", "moved", "serviced", "denied", "regret", "limited", "turned",
    "considered",
)  # fmt: skip
FEATURES: tuple[str, ...] = (
    *(f"resolved_{label}" for label in LABELS),
    "resolved_score",
    "resolved_confidence",
    *(f"rule_{rule}" for rule in RULES),
    *(f"window_{label}" for label in LABELS),
    "window_score",
    "window_confidence",
    "sentence_score",
    "has_sentence",
    "window_rules",
    *(f"flag_{flag}" for flag in FLAGS),
    "comparative_sign",
    "switch_sign",
    "set_against",
    "set_like",
    "contrasted",
    "at_least",
    *(f"post_{label}" for label in LABELS),
    "post_score",
    "brands",
    "shares_window",
    "news",
    "others_min",
    "others_max",
    "others_window_min",
    "others_window_max",
    "named_first",
)
_NONE = Prediction(sentiment.NEUTRAL, 0.0, 0.0)


def _sign(value: float) -> float:
    return float((value > 0) - (value < 0))


def _onehot(value: str, vocabulary: Sequence[str]) -> list[float]:
    return [float(value == v) for v in vocabulary]


def features(
    target: TargetPlan,
    predictions: Sequence[Prediction],
    brand: str,
    results: dict[str, TargetedResult],
) -> list[float]:
    """The evidence on one brand of a planned post (see `FEATURES`)."""
    p = target.brands[brand]
    own = predictions[p.own]
    resolved = results[brand].prediction
    others = [q for b, q in target.brands.items() if b != brand]
    labels_of_others = [results[b].prediction.score for b in target.brands if b != brand] or [0.0]
    windows_of_others = [predictions[q.own].score for q in others] or [0.0]
    sentence = predictions[p.wider] if p.wider is not None else _NONE
    return [
        *_onehot(resolved.label, LABELS),
        resolved.score,
        resolved.confidence,
        *_onehot(results[brand].rule, RULES),
        *_onehot(own.label, LABELS),
        own.score,
        own.confidence,
        sentence.score,
        float(p.wider is not None),
        max(-1.0, min(1.0, target.rules[p.own])),
        *(float(bool(getattr(target, flag)[p.own])) for flag in FLAGS),
        _sign(p.fixed) if p.fixed is not None else 0.0,
        _sign(p.shift),
        float(p.opposite_of is not None),
        float(p.like is not None),
        float(p.contrasted),
        float(p.at_least),
        *_onehot(target.post.label, LABELS),
        target.post.score,
        float(len(target.brands)),
        float(any(q.own == p.own for q in others)),
        float(target.news),
        min(labels_of_others),
        max(labels_of_others),
        min(windows_of_others),
        max(windows_of_others),
        float(all(p.first <= q.first for q in others)),
    ]


def usable(reviewer: Reviewer) -> bool:
    """Whether the reviewer reads the evidence this code gives (else it is left out, warned)."""
    if reviewer.features == FEATURES and set(reviewer.labels) == set(LABELS):
        return True
    log.warning("per-brand reviewer for %r reads other features; retrain it", reviewer.lang)
    return False


def apply(
    posts: Sequence[tuple[TargetPlan, Sequence[Prediction], dict[str, TargetedResult]]],
    reviewer: Reviewer,
) -> list[dict[str, TargetedResult]]:
    """Each post's results (its plan, its windows' predictions, what `resolve` gave) with each
    planned brand's label, score (P(pos) − P(neg)) and confidence (the label's probability)
    given by the reviewer, in one product for the whole batch; brands settled without windows,
    or whose label a switch or a comparative decided (`KEPT`), are kept."""
    keys = [
        (n, b)
        for n, (target, _, results) in enumerate(posts)
        for b in target.brands
        if b in results and results[b].rule not in KEPT
    ]
    reviewed = [dict(results) for _, _, results in posts]
    if not keys:
        return reviewed
    rows = [features(posts[n][0], posts[n][1], b, posts[n][2]) for n, b in keys]
    probs = reviewer.probabilities(rows)
    pos, neg = reviewer.labels.index(sentiment.POSITIVE), reviewer.labels.index(sentiment.NEGATIVE)
    for (n, brand), p in zip(keys, probs, strict=True):
        k = int(p.argmax())
        label, before = reviewer.labels[k], posts[n][2][brand]
        rule = before.rule if label == before.prediction.label else RULE
        score = round(float(p[pos] - p[neg]), 4)
        reviewed[n][brand] = TargetedResult(Prediction(label, score, round(float(p[k]), 4)), rule)
    return reviewed
