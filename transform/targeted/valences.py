"""The rules' valence of each token of a window, brand names masked: the post-level valences
corrected by the per-brand rules (service events, price moves, irony per clause, fixed or negated
complaints, a question's praise, a negation that does not reach past a comma, `never`/`jamais`
that reaches further in its clause)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from transform import lexicon, sentiment
from transform.targeted.clauses import _contrast_opens, _why_pivots
from transform.targeted.events import _resolved_complaints, service_events
from transform.targeted.facts import made_good_moves
from transform.targeted.irony import _SCARE_QUOTES, _irony_per_clause, _sarcasm_emoji
from transform.targeted.prices import _COST_WORDS, PRICE_RISE_VALENCE, price_moves
from transform.targeted.text import Span, _tokens_in

NEGATION_FACTOR = -0.6  # `sentiment`'s: a negated word's valence times this
# `never`/`jamais` deny a complaint further on in their clause than other negations (`never gave
# me any trouble`, `n'a jamais vraiment posé le moindre problème`), up to this many tokens.
NEVER_REACH = 6
_NEVER = frozenset({"never", "jamais"})
_NEVER_STOPS = frozenset({"and", "but", "until", "or", "et", "mais", "jusqu", "ou", "sauf"})


def _masked_valences(
    text: str,
    analysis: sentiment.Analysis,
    spans: Sequence[Span],
    clauses: Sequence[Span],
    events: Mapping[int, float] | None = None,
    moves: Mapping[int, float] | None = None,
) -> list[float]:
    """Token valences with brand names zeroed (`Free`, `Orange` are words too), the post-level
    contrast weights undone (×0.5 before `but`, ×1.5 after) and irony read per clause: `love` is
    ironic next to a complaint in its own clause, not in another brand's across a `but`."""
    valences = list(analysis.valences)
    for i in _negated_across_comma(text, analysis):
        valences[i] /= NEGATION_FACTOR  # `without any hassle, rare for a carrier`
    for i in _never_reaching(text, analysis):
        valences[i] *= NEGATION_FACTOR  # `LG never gave me any trouble`
    # (`events`: the post's `service_events`, and `moves` its price moves less those made good,
    # when the caller has them already)
    for i, value in (service_events(analysis) if events is None else events).items():
        valences[i] = value
    for i in _resolved_complaints(analysis, valences, clauses):
        valences[i] = 0.0  # `sorted my issues`, `problème de box réglé`: the fix is what counts
    _irony_per_clause(analysis, valences, clauses)
    _sarcasm_emoji(analysis, valences, text, clauses)
    contrast = lexicon.CONTRAST.get(analysis.lang, frozenset())
    for group in analysis.sentence_groups:
        words = [analysis.tokens[i].text for i in group]
        pivot = next((k for k, w in enumerate(words) if w in contrast), None)
        if pivot is None:
            continue
        for k, i in enumerate(group):
            valences[i] /= 0.5 if k < pivot else 1.5
    if moves is None:
        moves = price_moves(analysis, spans)
        for i in made_good_moves(analysis, moves, clauses):
            del moves[i]  # round nine: a refunded price move is made good
    for i, value in moves.items():
        valences[i] = value
    # Round eight: praise in the clause of a price rise is sarcasm (`So glad A added £22 of fees`,
    # `Trop contente que A augmente encore ses tarifs`): nobody thanks a brand for charging more.
    rises = {i for i, value in moves.items() if value == PRICE_RISE_VALENCE}
    cost = _COST_WORDS.get(analysis.lang, frozenset())
    for clause in clauses if rises else ():
        indices = _tokens_in(analysis, [clause])
        if not rises.isdisjoint(indices):
            for i in indices:
                # (not the price word itself: `frais` is also `fresh`)
                if valences[i] > 0 and analysis.tokens[i].text not in cost:
                    valences[i] = -valences[i]
    # A question asks whether something is good, it does not say so (`which one is better
    # value?`, `is yours ok?`); its complaints stay (`why is A so slow?`). The question starts
    # after the last contrast word (`A is rock solid, but does B include roaming?`).
    opens = _contrast_opens(text, analysis.lang, clauses)
    pivots = _why_pivots(text, analysis.lang)
    for group in analysis.sentence_groups:
        last = analysis.tokens[group[-1]]
        if last.kind == "stop" and last.text.startswith("?"):
            first = analysis.tokens[group[0]].start
            start = max((a for a in opens if first <= a <= last.start), default=-1)
            end = last.end
            # `Why does A take weeks when B answers the same day?` asks of A only.
            pivot = next((p for p in pivots if first <= p <= last.start), None)
            if pivot is not None:
                start, end = first, pivot
            for i in group:
                if start <= analysis.tokens[i].start < end:
                    valences[i] = min(valences[i], 0.0)
    # Praise inside scare quotes is not the writer's (`their "fair use"`, `« amélioré »`).
    for m in _SCARE_QUOTES.finditer(text):
        for i in _tokens_in(analysis, [m.span()]):
            if valences[i] > 0:
                valences[i] = -0.5 * valences[i]
    for i in _tokens_in(analysis, spans):
        valences[i] = 0.0
    return valences


def _negated_across_comma(text: str, analysis: sentiment.Analysis) -> list[int]:
    """Words the post-level rules turned round for a negation before a comma (`without any
    hassle, rare for a carrier`): a negation does not reach into the next clause."""
    negations = lexicon.NEGATIONS.get(analysis.lang, frozenset())
    if negations.isdisjoint(analysis.texts):
        return []
    words = sentiment.word_lexicon(analysis.lang)
    tokens, valences = analysis.tokens, analysis.valences
    found = []
    for i, token in enumerate(tokens):
        if token.kind != "word" or valences[i] * words.get(token.text, 0.0) >= 0:
            continue
        for j in range(i - 1, max(-1, i - 4), -1):
            if tokens[j].kind in ("stop", "bang"):
                break
            if tokens[j].text in negations:
                if "," in text[tokens[j].end : token.start]:
                    found.append(i)
                break
    return found


def _never_reaching(text: str, analysis: sentiment.Analysis) -> list[int]:
    """Complaint words `never`/`jamais` stands before, beyond the three tokens the post-level
    negation reaches but in its clause (no comma, stop or `and`/`but`/`et`/`mais` between)."""
    if _NEVER.isdisjoint(analysis.texts):
        return []
    tokens, valences = analysis.tokens, analysis.valences
    found = []
    for i, token in enumerate(tokens):
        if token.kind != "word" or valences[i] >= 0:
            continue
        for j in range(i - 1, max(-1, i - NEVER_REACH - 1), -1):
            if tokens[j].kind != "word" or tokens[j].text in _NEVER_STOPS:
                break
            if tokens[j].text in _NEVER:
                if i - j > 3 and "," not in text[tokens[j].end : token.start]:
                    found.append(i)
                break
    return found
