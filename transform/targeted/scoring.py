"""How a window's model prediction and rule valence combine into a score, label and confidence.

The model's value is P(pos) − P(neg), at least its label's probability; the rules count half
(`RULES_WEIGHT`); in news, in a question, or where a price move or a service event is read, the
model counts less. Confidence is the margin past the threshold, lowered when the brand's label
disagrees with the post's. Weights and thresholds were tuned on the dev split of
`gold/brand_pairs.jsonl` only.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from transform import sentiment
from transform.backends import Prediction, rules_confidence
from transform.targeted.results import TargetPlan

MOVED_MODEL_WEIGHT = 0.5  # the model's view of a window with a price move
# A window-level label that contradicts the post's label is less sure.
DISAGREEMENT_FACTOR = 0.8
# With a model: window score = model's P(pos) − P(neg) + RULES_WEIGHT × the rules' score, labelled
# with these thresholds (tuned on the dev split of `gold/brand_pairs.jsonl`).
RULES_WEIGHT = 0.5
MODEL_LABEL_WEIGHT = 0.75
MODEL_THRESHOLDS = (0.25, 0.25)
# A post in the impersonal register of news (no I/you, no emoji, no `!`): the model's view of a
# window counts this much (it reads `announce new plans` as praise); the rules' valences in full.
NEWS_MODEL_WEIGHT = 0.5
NEWS_WEAK_VALENCE = 0.5  # below it, a news window's rule valences count half as well
# A question with no valence word asks, it does not judge (`A or B for a family plan? Advice?`).
QUESTION_MODEL_WEIGHT = 0.35
# Round eight: and so does one whose only valence words are weak (`Quelqu'un est passé de A à B ?`:
# `passé` is -0.2 in the lexicon).
QUESTION_WEAK_VALENCE = 0.25
# What a window whose only complaints are negated is worth at least (a mild praise).
DENIED_SCORE = 0.3


def _window_score(k: int, target: TargetPlan, prediction: Prediction | None) -> float:
    total = target.rules[k]
    value = total / math.sqrt(total * total + 1.0)
    if prediction is not None:
        weight = 1.0
        if abs(total) < QUESTION_WEAK_VALENCE and target.question[k]:
            weight = QUESTION_MODEL_WEIGHT
        rules_weight = RULES_WEIGHT
        if target.news and abs(total) < NEWS_WEAK_VALENCE:
            # News with only weak valence words (`possible`, `partie`) describes, it does not judge.
            weight, rules_weight = NEWS_MODEL_WEIGHT, RULES_WEIGHT * NEWS_MODEL_WEIGHT
        if target.moved[k] or target.serviced[k]:
            # The model reads `raise`, `augmentent` as good news and never learnt `no reply` or
            # `rien à redire` from tweets; the rules know a price and a service event.
            weight, rules_weight = weight * MOVED_MODEL_WEIGHT, 1.0
        model = _model_value(prediction)
        if target.moved[k] and total < 0 and model > 0:
            model = 0.0  # `augmentent leurs tarifs` read as good news: a price rise is no praise
        if target.limited[k]:
            model = 0.0  # `correct, sans plus`: the model reads the praise, not its limit
        if (target.irony[k] or target.turned[k]) and model > 0:
            model = -model  # the rules read the irony already; the model read praise
        value = weight * model + rules_weight * value
    elif target.news and abs(total) < NEWS_WEAK_VALENCE:
        value *= NEWS_MODEL_WEIGHT
    if target.denied[k]:
        # `never had a dropped call`, `aucun souci`: a complaint denied is praise (the model reads
        # the complaint's words, not their negation).
        value = max(value, DENIED_SCORE)
    if target.irony[k] and value > 0:
        value = -value
    return value


def _model_value(prediction: Prediction) -> float:
    """P(pos) − P(neg), at least the label's probability scaled when the model chose a polar label
    (its decision includes the per-class offsets the score leaves out)."""
    if prediction.label == sentiment.POSITIVE:
        return max(prediction.score, MODEL_LABEL_WEIGHT * prediction.confidence)
    if prediction.label == sentiment.NEGATIVE:
        return min(prediction.score, -MODEL_LABEL_WEIGHT * prediction.confidence)
    return prediction.score


def _label(value: float, thresholds: tuple[float, float]) -> str:
    pos, neg = thresholds
    return (
        sentiment.POSITIVE
        if value >= pos
        else sentiment.NEGATIVE
        if value <= -neg
        else sentiment.NEUTRAL
    )


def _confidence(
    value: float,
    label: str,
    thresholds: tuple[float, float],
    predictions: Sequence[Prediction] | None,
    own: int,
    lang: str,
) -> float:
    if predictions is None:
        return rules_confidence(sentiment.Sentiment(label, max(-1.0, min(1.0, value))), lang)
    pos, neg = thresholds
    edge = pos if value >= 0 else neg
    if label == sentiment.NEUTRAL:
        return 1.0 - 0.5 * min(1.0, abs(value) / max(1e-9, edge))
    return min(1.0, 0.5 + 0.5 * (abs(value) - edge) / max(1e-9, 1.0 + RULES_WEIGHT - edge))
