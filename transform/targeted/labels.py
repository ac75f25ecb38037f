"""`resolve`: the backend's predictions on a post's windows turned into each brand's label.

A neutral window widens to its sentence (rule `sentence`), still neutral the brand is neutral
(`none`); a neutral brand beside one praised or blamed before it, or set against it by
`but`/`mais`, or either way round in a post about two brands, takes the opposite (its foil, rule
`unlike`; never a question, a brand only considered or a window whose praise is limited); two
neutral windows leaning apart by a wide gap take their leans (`unlike`); a short praise clause
before a complaint is sarcasm; a comparative or a switch decides or shifts it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence

from transform import sentiment
from transform.backends import Prediction
from transform.targeted.irony import FRAMED_MARGIN
from transform.targeted.results import TargetedResult, TargetPlan, _BrandPlan
from transform.targeted.scoring import (
    DISAGREEMENT_FACTOR,
    MODEL_THRESHOLDS,
    _confidence,
    _label,
    _window_score,
)
from transform.targeted.text import ROLE_SCORE, Span
from transform.targeted.windows import plan

# Two neutral windows this far apart, on opposite sides of zero, are read as set against each
# other (tuned on the dev split).
LEAN_GAP = 0.3
LEAN_MARGIN = 0.05


def brand_sentiments(
    text: str,
    analysis: sentiment.Analysis,
    spans: Mapping[str, Sequence[Span]],
    post: Prediction,
    clause_model: Callable[[list[str]], list[Prediction]] | None = None,
) -> dict[str, TargetedResult]:
    """Each brand's label, score and confidence; `spans` holds every occurrence of each brand.

    `clause_model` (the backend on one language) scores every window in one call; without it the
    rules alone score them.
    """
    target = plan(text, analysis, spans, post)
    predictions = clause_model(target.windows) if clause_model and target.windows else None
    return resolve(target, predictions)


def resolve(
    target: TargetPlan, predictions: Sequence[Prediction] | None = None
) -> dict[str, TargetedResult]:
    """Labels from a plan and the model's predictions on its windows (None: the rules alone)."""
    lang, post = target.lang, target.post
    results = dict(target.settled)
    scores = [
        _window_score(k, target, predictions[k] if predictions else None)
        for k in range(len(target.windows))
    ]
    thresholds = MODEL_THRESHOLDS if predictions else sentiment.THRESHOLDS.get(lang, (0.3, 0.3))
    for k, rest in enumerate(target.remainder):
        # The praise was sarcasm (or a greeting): the window is what remains without it, when
        # that holds a complaint: one the rules see or, where they see no valence at all, the
        # model's P(neg) − P(pos) past the threshold (`Yay, A cut my line`). A remainder the
        # rules find good on balance is no complaint (`souci de box réglé, chapeau` is thanks).
        complaint = rest is not None and (
            target.rules[rest] < 0
            or (
                not target.rules[rest]
                and predictions is not None
                and predictions[rest].score <= -thresholds[1]
            )
        )
        if rest is None or not complaint or scores[k] <= -thresholds[1]:
            continue
        if scores[rest] <= -thresholds[1]:
            scores[k] = min(scores[rest], -abs(scores[k]))
        elif target.rules[rest] < 0:
            # Praise first, then a complaint the rules read and the model does not (`Cool, A cut
            # my line on my birthday`): the opener is sarcasm all the same.
            scores[k] = min(-abs(scores[k]), -thresholds[1] - FRAMED_MARGIN)
    for k, framed in enumerate(target.framed):
        # `Love how A charges me twice`: what A is loved for is no praise, so the love is sarcasm.
        if framed and (target.rules[k] <= 0 or scores[k] < thresholds[0]):
            scores[k] = min(scores[k], -thresholds[1] - FRAMED_MARGIN)
    neutral = [_label(s, thresholds) == sentiment.NEUTRAL for s in scores]
    praised = [_label(s, thresholds) == sentiment.POSITIVE for s in scores]

    def standing(q: _BrandPlan) -> float:
        """What a brand's own window, comparative or switch says of it (a foil's reference)."""
        value = scores[q.own] if q.fixed is None else math.copysign(ROLE_SCORE, q.fixed)
        if q.shift > 0:
            return max(value, 0.0) + ROLE_SCORE
        return min(value, 0.0) - ROLE_SCORE if q.shift < 0 else value

    windows_of = [q.own for q in target.brands.values()]
    alone = {b: windows_of.count(q.own) == 1 for b, q in target.brands.items()}
    for brand, p in target.brands.items():
        value, rule = scores[p.own], "clause"
        if p.fixed is not None:
            value, rule = math.copysign(ROLE_SCORE, p.fixed), p.fixed_rule
        elif p.opposite_of is not None and not neutral[p.opposite_of]:
            value, rule = -scores[p.opposite_of], "unlike"
        elif p.like is not None and not neutral[p.like]:
            value, rule = scores[p.like], "unlike"
        elif (
            neutral[p.own]
            and (p.wider is None or neutral[p.wider])
            and not target.question[p.own]
            and not target.considered[p.own]
            and not target.limited[p.own]
        ):
            # A brand said nothing of, beside one praised or blamed before it (or set against
            # one by a contrast word), is its foil: `A lost my bag. B found it.`
            others = [
                standing(q)
                for other, q in target.brands.items()
                if other != brand
                and q.own != p.own
                and _label(standing(q), thresholds) != sentiment.NEUTRAL
                and (
                    p.contrasted
                    or q.contrasted
                    or (not target.news and (q.first < p.first or len(target.brands) == 2))
                )
            ]
            if others:
                value, rule = -others[0], "unlike"
            elif _leans_apart(brand, target, scores, neutral):
                # Two brands, neither past a threshold, leaning opposite ways by a wide gap (`A
                # refunded me in minutes, B is still "looking into it"`): each takes its lean.
                value, rule = math.copysign(max(thresholds) + LEAN_MARGIN, scores[p.own]), "unlike"
        if p.at_least and value < ROLE_SCORE:
            value, rule = max(value, 0.0) + ROLE_SCORE, "unlike"
        if p.shift > 0:  # what is said beside a switch is said of where it went
            value, rule = max(value, 0.0) + ROLE_SCORE, "switch"
        elif p.shift < 0 and not (
            alone[brand] and target.rules[p.own] > 0 and praised[p.own] and not target.regret[p.own]
        ):
            # The one left is blamed, unless clauses of its own praise it (`I was
            # with A for years and never had a problem, only left for the price`); `no regrets`
            # praises the move, not the one left.
            value, rule = min(value, 0.0) - ROLE_SCORE, "switch"
        widen = p.wider is not None and not neutral[p.wider]
        if widen and _label(value, thresholds) == sentiment.NEUTRAL:
            value, rule = scores[p.wider], "sentence"  # type: ignore[index]
        label = _label(value, thresholds)
        if label == sentiment.NEUTRAL and rule == "clause":
            rule = "none"
        confidence = _confidence(value, label, thresholds, predictions, p.own, lang)
        if label != post.label:
            confidence *= DISAGREEMENT_FACTOR
        score = round(max(-1.0, min(1.0, value)), 4)
        results[brand] = TargetedResult(Prediction(label, score, round(confidence, 4)), rule)
    return results


def _leans_apart(
    brand: str, target: TargetPlan, scores: Sequence[float], neutral: Sequence[bool]
) -> bool:
    """In a personal post about two brands, both windows neutral (their sentences too), neither
    a question nor only considered: do they lean opposite ways by at least `LEAN_GAP`?"""
    if target.news or len(target.brands) != 2:
        return False
    p = target.brands[brand]
    [q] = [q for other, q in target.brands.items() if other != brand]
    windows = (p.own, q.own)
    if p.own == q.own or any(target.question[k] or target.considered[k] for k in windows):
        return False
    if not all(neutral[k] for k in windows) or any(
        w is not None and not neutral[w] for w in (p.wider, q.wider)
    ):
        return False
    a, b = scores[p.own], scores[q.own]
    return a * b < 0 and abs(a - b) >= LEAN_GAP
