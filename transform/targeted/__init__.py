"""Sentiment of each brand inside a post, not only the post's ("I love A but B is awful").

One brand alone in a post gets the post's label from the backend (the post is about it), unless a
switch says otherwise or a sarcasm emoji (🙃 🙄) turns its praise negative. With several brands,
each gets a *window*, the part of the post that speaks of it (`clauses`), brand names masked,
scored by the backend's model plus half the rules' score (`scoring`); role rules set brands
against each other (`comparatives`, `switches`, the foil in `labels`) and read what the model
cannot (`irony`, `prices`, `events`, `hedges`, `news`, `facts`, `frequencies`, `promises`).
`windows.plan` lists one post's windows; `transform.enrich` sends the windows of a whole batch to
the backend in one call and `labels.resolve` turns the predictions into labels. Without a model
(the rules backend) the rules alone score the windows. The rules, round by round, are listed in
`transform/README.md`. A learned reviewer, when the backend has one, gives each brand's label a
second look from the same evidence (`review.apply`).
"""

from transform.targeted.labels import brand_sentiments, resolve
from transform.targeted.results import TargetedResult, TargetPlan
from transform.targeted.windows import plan

__all__ = ["TargetPlan", "TargetedResult", "brand_sentiments", "plan", "resolve"]
