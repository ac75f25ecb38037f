"""`plan`: one post's windows, one per brand, with the rules' view of each and the role rules
(comparatives, switches, `unlike`, the foil, irony, news) that decide or shift it."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from transform import lexicon, sentiment
from transform.backends import Prediction, rules_confidence
from transform.targeted.clauses import (
    _COLLECTIVE,
    _CONTRAST_PHRASES,
    _contrast_opens,
    _masked_text,
    _other_words,
    _owners,
    _sentence_clauses,
    _why_pivots,
    clause_ranges,
)
from transform.targeted.comparatives import (
    _AMOUNT,
    _comparatives,
    _conceded_to,
    _unlike_against,
    amount_ranking,
    inversions,
    neither_brands,
)
from transform.targeted.events import _denies_complaint, _resolved_complaints, service_events
from transform.targeted.facts import (
    fact_events,
    made_good_moves,
    quoted_services,
    relative_lengths,
)
from transform.targeted.frequencies import frequencies, frequency_events
from transform.targeted.hedges import (
    _CONSIDERING,
    _FLAT,
    _HELD,
    _STATUS_QUO,
    limiters,
    lukewarm_beside_a_culprit,
    wished_for,
)
from transform.targeted.irony import (
    _SCARE_QUOTES,
    SCARE_QUOTE_VALENCE,
    _ironic,
    _sarcasm_frames,
    _sarcastic,
    _stance_openers,
)
from transform.targeted.news import impersonal
from transform.targeted.prices import price_moves
from transform.targeted.promises import promise_events
from transform.targeted.results import TargetedResult, TargetPlan, _BrandPlan
from transform.targeted.switches import (
    _REGRETS,
    _infer_origins,
    _regretted_switch,
    arrow_switches,
    missed_brands,
    returns,
    switch_valence,
)
from transform.targeted.text import ROLE_SCORE, Span, _opens_or_ends_with, _tokens_in
from transform.targeted.valences import _masked_valences

_SENTENCE_END_MARK = re.compile(r"[.!?\n]")


def plan(
    text: str,
    analysis: sentiment.Analysis,
    spans: Mapping[str, Sequence[Span]],
    post: Prediction,
) -> TargetPlan:
    """The windows of each brand of one post, with the rules' view of each."""
    lang = analysis.lang
    target = TargetPlan(lang, post)
    if lang not in sentiment.SUPPORTED or not spans:
        target.settled = {b: TargetedResult(post, "post") for b in spans}
        return target
    if len(spans) == 1:
        [(brand, brand_spans)] = spans.items()
        switch = switch_valence(analysis, list(brand_spans))
        if switch and not _asked(text, brand_spans):
            result = sentiment.to_sentiment(switch, lang)
            prediction = Prediction(result.label, result.score, rules_confidence(result, lang))
            target.settled[brand] = TargetedResult(prediction, "switch")
        elif post.label == sentiment.POSITIVE and _sarcastic(analysis):
            flipped = Prediction(sentiment.NEGATIVE, -post.score, round(post.confidence * 0.8, 4))
            target.settled[brand] = TargetedResult(flipped, "clause")
        else:
            target.settled[brand] = TargetedResult(post, "post")
        return target
    all_spans = [s for brand_spans in spans.values() for s in brand_spans]
    clauses = clause_ranges(text, lang, [s for s, _ in all_spans], all_spans)
    target.news = impersonal(analysis)
    events = service_events(analysis)
    # Round nine: facts (`couldn't cancel`, `sans fibre`, `as promised`) and lengths compared.
    events.update(fact_events(analysis, events))
    # Round ten: the period of a frequency is no length (`third repair in two years`).
    found = frequencies(text, {w for t in analysis.tokens for w in t.text.split("-")})
    counted = [(f.start, f.end) for f in found]
    events.update(relative_lengths(text, analysis, spans, events, counted))
    events.update(quoted_services(text, analysis))
    # Round ten: how often a thing fails (`every six months`, `one puncture in four years`).
    if found:
        events.update(frequency_events(text, analysis, spans, events, found))
    events.update(promise_events(text, analysis, spans))  # `said five days, came in three`
    moves = price_moves(analysis, all_spans)
    for i in made_good_moves(analysis, moves, clauses):
        del moves[i]  # `m'a remboursé la facture en double`: made good, no price move
    valences = _masked_valences(text, analysis, all_spans, clauses, events, moves)
    resolved = set(_resolved_complaints(analysis, analysis.valences, clauses))
    limits = limiters(analysis) | lukewarm_beside_a_culprit(text, analysis) | wished_for(analysis)
    considering = _CONSIDERING.get(lang, frozenset()) | _STATUS_QUO.get(lang, frozenset())
    tokens = analysis.tokens
    considered = {
        i
        for i, t in enumerate(tokens)
        if t.text in considering or (i and t.text in _FLAT and tokens[i - 1].text in _HELD)
    }
    why_given = set(_why_pivots(text, lang))
    frames = _sarcasm_frames(text, lang)
    for i in _tokens_in(analysis, frames):
        valences[i] = 0.0
    named = [
        {b for b, brand_spans in spans.items() if any(a <= s < e for s, _ in brand_spans)}
        for a, e in clauses
    ]
    # Words outside the brand names, counted up to 4: a bare clause has 2 at most.
    others = [_other_words(analysis, clause, all_spans, 4) for clause in clauses]
    bare = [n <= 2 for n in others]
    # A short praise clause that may be sarcasm (`Yay,`, `Trop bien,`); not one that turns a
    # concession (`cher mais fiable`).
    turns = set(_contrast_opens(text, lang, clauses))
    praising = [
        n <= 3 and c[0] not in turns and sum(valences[i] for i in _tokens_in(analysis, [c])) > 0
        for n, c in zip(others, clauses, strict=True)
    ]
    together = _COLLECTIVE.get(lang)
    collective = [
        bool(together and who and not alone and together.search(text[a:b].lower()))
        for (a, b), who, alone in zip(clauses, named, bare, strict=True)
    ]
    owners = _owners(named, bare, collective)
    comparisons = _comparatives(text, analysis, valences, spans)
    amounts = amount_ranking(text, analysis, spans) if _AMOUNT.search(text) else {}
    denied_both = neither_brands(analysis, spans)
    # After the comparatives, which turn `less`/`moins` round themselves (`moins cher que B`).
    turned = set()  # praise `less`/`fewer`/`moins` turned round (`fewer good deals`)
    for i, value in inversions(analysis).items():
        if value < 0 < analysis.valences[i]:
            turned.add(i)
        events[i] = valences[i] = value
    for i in _stance_openers(analysis):
        valences[i] = min(valences[i], 0.0)
    # The tokens of a regret, and of a service event or a fixed complaint (a window's flags).
    regrets = {i for i, t in enumerate(tokens) if t.text in _REGRETS}
    serviced = {i for i, value in events.items() if value} | resolved
    windows: dict[tuple[int, ...], int] = {}

    def window(ks: Sequence[int]) -> int:
        key = tuple(sorted(set(ks)))
        if key not in windows:
            ranges = [clauses[k] for k in key]
            windows[key] = len(target.windows)
            target.windows.append(_masked_text(text, ranges, all_spans, frames))
            indices = _tokens_in(analysis, ranges)
            quoted = sum(len(_SCARE_QUOTES.findall(text[a:b])) for a, b in ranges)
            limited = bool(limits) and not limits.isdisjoint(indices)
            target.limited.append(limited)
            target.considered.append(bool(considered) and not considered.isdisjoint(indices))
            # A limited window keeps its complaints only (the limit's own words say nothing).
            total = (
                sum(min(valences[i], 0.0) for i in indices if i not in limits)
                if limited
                else sum(valences[i] for i in indices)
            )
            target.rules.append(total + SCARE_QUOTE_VALENCE * quoted)
            # The given part of a why-question (`… when B answers the same day?`) asks nothing.
            given = any(a in why_given for a, _ in ranges)
            # A clause of a sentence that ends with `?` is asked too (`Is A worth it compared to
            # B?` is cut before `compared to`).
            asked = any(_ends_with_question(text, a) for a, _ in ranges)
            target.question.append(("?" in target.windows[-1] or asked) and not given)
            target.denied.append(_denies_complaint(analysis, indices, valences))
            target.regret.append(not regrets.isdisjoint(indices))
            target.moved.append(not moves.keys().isdisjoint(indices))
            target.serviced.append(not serviced.isdisjoint(indices))
            target.framed.append(any(a <= f < b for f, _ in frames for a, b in ranges))
            target.irony.append(_ironic(analysis, indices, valences))
            target.turned.append(bool(turned) and not turned.isdisjoint(indices))
            target.remainder.append(None)
            praise = [k for k in key if praising[k]]
            if praise and len(praise) < len(key):
                # Scored without its short praise: negative, the praise was sarcasm.
                target.remainder[windows[key]] = window([k for k in key if not praising[k]])
        return windows[key]

    contrast_words = lexicon.CONTRAST.get(lang, frozenset()) | {
        p.split()[0] for p in _CONTRAST_PHRASES.get(lang, ())
    }
    lowered = text.lower()
    compared: dict[int, int] = {}  # clause `compared to A, <statement>` → its window
    arrows = arrow_switches(text, spans)
    for brand, brand_spans in spans.items():
        own = [k for k, who in enumerate(owners) if brand in who]
        brand_plan = _BrandPlan(own=window(own), first=min(s for s, _ in brand_spans))
        brand_plan.shift = switch_valence(analysis, list(brand_spans)) or arrows.get(brand, 0.0)
        if brand_plan.shift and _asked(text, brand_spans):
            brand_plan.shift = 0.0  # `Anyone switched from A to B?` asks, nobody left
        if brand in comparisons:
            brand_plan.fixed = comparisons[brand]
        elif brand in amounts:
            brand_plan.fixed, brand_plan.fixed_rule = amounts[brand], "amount"
        if brand in denied_both:
            brand_plan.fixed, brand_plan.fixed_rule = denied_both[brand], "neither"
        wider = _sentence_clauses(text, clauses, named, owners, brand, spans)
        if set(wider) - set(own):
            brand_plan.wider = window(sorted(set(wider) | set(own)))
        against = _unlike_against(lowered, lang, clauses, named, brand_spans)
        if against:
            brand_plan.opposite_of = window(against)
            if len(against) == 1 and named[against[0]] == {brand}:
                compared[against[0]] = brand_plan.opposite_of
        brand_plan.at_least = _conceded_to(lowered, lang, brand_spans)
        brand_plan.contrasted = brand_plan.at_least or any(
            _opens_or_ends_with(lowered[clauses[k][0] : clauses[k][1]], contrast_words) for k in own
        )
        target.brands[brand] = brand_plan
    for k, statement in compared.items():
        for brand, brand_plan in target.brands.items():
            own = [j for j, who in enumerate(owners) if brand in who]
            if k - 1 in own and k not in own:
                brand_plan.like = statement
    _infer_origins(analysis, spans, target.brands, target.rules)
    for returned in returns(analysis, spans):
        # `Switched from A to B … Going back to A`: B, tried between, is the one left.
        for brand, brand_plan in target.brands.items():
            if brand != returned and brand_plan.shift > 0:
                brand_plan.shift = -brand_plan.shift
    missed = missed_brands(text, analysis, spans)
    if _regretted_switch(analysis) or any(target.brands[b].shift < 0 for b in missed):
        # `Je regrette d'avoir quitté A pour B`, `left A for B … I miss A`: the one left is
        # missed, the new one blamed.
        for brand_plan in target.brands.values():
            brand_plan.shift = -brand_plan.shift
    for brand in missed:
        target.brands[brand].fixed, target.brands[brand].fixed_rule = ROLE_SCORE, "missed"
    return target


def _asked(text: str, brand_spans: Sequence[Span]) -> bool:
    """Every name of the brand is in a sentence that ends with a question mark (round eight: a
    switch asked about, `Anyone switched from A to B?`, `Quelqu'un est passé de A à B ?`, is no
    switch)."""
    return all(_ends_with_question(text, s) for s, _ in brand_spans)


def _ends_with_question(text: str, start: int) -> bool:
    """The sentence going on at `start` ends with a question mark."""
    ending = _SENTENCE_END_MARK.search(text, start)
    return ending is not None and ending.group() == "?"
