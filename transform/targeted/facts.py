"""Round nine: what a brand did, told as facts with no sentiment word, read in brand windows only.

Lengths of time compared between two brands (`A sent the money in under an hour. B took four
working days.`: the quicker service is praised, the slower blamed; a product that lasted longer
is praised); a customer unable to do what the brand should let them (`still couldn't cancel`,
`impossible de résilier`); a service cut (`without water`, `une semaine sans fibre`, `was down`);
a promise kept or broken (`kept its promise`, `as promised`, `tenu sa promesse`, `comme annoncé`);
replies never given (`never replied`, `jamais répondu`); money still owed (`still owes me`, `nous
doit toujours`); a claim paid (`settled my claim`, `m'a versé l'indemnité`); a wait since a date
(`j'attends depuis février`); hours on the phone; a repair not covered (`didn't cover`, `pas
couvert`); a thing in stock; business news (`raised its forecast`, `a relevé ses
prévisions`). A price move a refund made good in its clause (`m'a remboursé la facture en double`)
is no price move. Things broken, dead or never fixed (`burnt out`, `won't turn on`, `never fixed`,
`a lâché`, `ne s'allume plus`, `jamais réparé`); attempts repeated (`the third engineer visit`,
`four calls`, `trois relances`), an order cancelled, a call never made.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Mapping, Sequence

from transform import lexicon, sentiment
from transform.caseless import Caseless, ignorecase_lowered
from transform.targeted.text import Span

FACT_VALENCE = -0.5
_FACTS: dict[str, dict[tuple[str, ...], float]] = {
    "en": {
        # replies never given
        ("never", "replied"): -0.6,
        ("never", "answered"): -0.6,
        ("never", "responded"): -0.6,
        ("never", "got", "back"): -0.6,
        ("never", "rang", "back"): -0.5,
        ("never", "turned", "up"): -0.6,
        ("never", "showed", "up"): -0.6,
        ("never", "came", "back"): -0.5,
        ("unanswered",): -0.5,
        ("without", "telling"): -0.5,
        ("no", "explanation"): -0.4,
        # still at it, or still not done (`they're still sending statements`, `it still isn't`)
        ("still", "charging"): -0.5,
        ("still", "taking"): -0.5,
        ("still", "sending"): -0.5,
        ("still", "billing"): -0.5,
        ("still", "debiting"): -0.5,
        ("still", "isn't"): -0.5,
        ("still", "aren't"): -0.5,
        ("still", "wasn't"): -0.5,
        ("still", "doesn't"): -0.5,
        ("still", "don't"): -0.5,
        ("still", "won't"): -0.5,
        ("still", "nothing"): -0.5,
        # broken, dead or never fixed (`burnt out`, `won't turn on`, `never fixed`)
        ("offline",): -0.5,
        ("blackout",): -0.5,
        ("overdue",): -0.4,
        ("snapped",): -0.5,
        ("leaked",): -0.5,
        ("froze",): -0.5,
        ("chased",): -0.4,
        ("chasing",): -0.4,
        ("burnt", "out"): -0.5,
        ("burned", "out"): -0.5,
        ("gave", "out"): -0.5,
        ("fell", "apart"): -0.5,
        ("died", "on"): -0.5,
        ("stopped", "charging"): -0.5,
        ("won't", "turn", "on"): -0.5,
        ("wouldn't", "turn", "on"): -0.5,
        ("won't", "charge"): -0.5,
        ("won't", "start"): -0.5,
        ("wouldn't", "start"): -0.5,
        ("never", "fixed"): -0.5,
        ("not", "fixed"): -0.5,
        ("wasn't", "fixed"): -0.5,
        ("isn't", "fixed"): -0.5,
        ("never", "repaired"): -0.5,
        ("never", "refunded"): -0.5,
        ("still", "broken"): -0.5,
        ("never", "called"): -0.5,
        ("cancelled", "my"): -0.5,
        ("cancelled", "our"): -0.5,
        ("canceled", "my"): -0.5,
        ("canceled", "our"): -0.5,
        # promises kept or broken
        ("kept", "its", "promise"): 0.5,
        ("kept", "their", "promise"): 0.5,
        ("kept", "his", "promise"): 0.5,
        ("kept", "her", "promise"): 0.5,
        ("kept", "its", "word"): 0.5,
        ("kept", "their", "word"): 0.5,
        ("and", "kept", "it"): 0.4,
        ("and", "kept", "to", "it"): 0.4,
        ("as", "promised"): 0.4,
        ("when", "they", "said"): 0.4,
        ("day", "they", "said"): 0.4,
        ("to", "the", "minute"): 0.4,
        ("ran", "to", "time"): 0.4,
        ("runs", "to", "time"): 0.4,
        ("running", "to", "time"): 0.4,
        ("broke", "its", "promise"): -0.5,
        ("broke", "their", "promise"): -0.5,
        ("broken", "promise"): -0.5,
        ("broken", "promises"): -0.5,
        ("pushed", "back"): -0.5,
        ("postponed",): -0.5,
        ("rescheduled",): -0.3,
        # money owed, claims paid, things taken back
        ("owes", "me"): -0.5,
        ("owes", "us"): -0.5,
        ("still", "owe"): -0.5,
        ("still", "owes"): -0.5,
        ("settled", "my", "claim"): 0.5,
        ("settled", "the", "claim"): 0.5,
        ("paid", "out"): 0.3,
        ("paid", "me", "back"): 0.4,
        ("paid", "us", "back"): 0.4,
        ("paid", "it", "back"): 0.4,
        ("paid", "mine", "back"): 0.4,
        ("took", "it", "back"): 0.3,
        # repairs refused
        ("didn't", "cover"): -0.5,
        ("doesn't", "cover"): -0.5,
        ("not", "covered"): -0.5,
        ("wasn't", "covered"): -0.5,
        ("isn't", "covered"): -0.5,
        ("wear", "and", "tear"): -0.3,
        # service done at once or in one go
        ("in", "stock"): 0.3,
        ("first", "visit"): 0.4,
        ("one", "visit"): 0.3,
        ("one", "email"): 0.3,
        ("one", "text"): 0.3,
        ("one", "message"): 0.3,
        ("one", "click"): 0.3,
        ("two", "clicks"): 0.3,
        ("right", "first", "time"): 0.4,
        # business news
        ("raised", "its", "forecast"): 0.4,
        ("raised", "its", "guidance"): 0.4,
        ("cut", "its", "forecast"): -0.4,
        ("profit", "warning"): -0.4,
        ("bigger", "loss"): -0.5,
        ("wider", "loss"): -0.5,
        ("record", "sales"): 0.4,
        ("record", "profits"): 0.4,
    },
    "fr": {
        ("jamais", "répondu"): -0.6,
        ("lâché",): -0.5,
        ("claqué",): -0.5,
        ("grillé",): -0.4,
        ("gelé",): -0.4,
        ("relancé",): -0.4,
        ("relances",): -0.4,
        ("jamais", "réparé"): -0.5,
        ("jamais", "réparée"): -0.5,
        ("jamais", "été", "réparé"): -0.5,
        ("jamais", "été", "réparée"): -0.5,
        ("pas", "été", "réparé"): -0.5,
        ("pas", "été", "réparée"): -0.5,
        ("pas", "réparé"): -0.5,
        ("pas", "réparée"): -0.5,
        ("allume", "plus"): -0.5,
        ("charge", "plus"): -0.5,
        ("démarre", "plus"): -0.5,
        ("reçois", "encore"): -0.5,
        ("reçois", "toujours"): -0.5,
        ("prélève", "encore"): -0.5,
        ("prélève", "toujours"): -0.5,
        ("prélèvent", "encore"): -0.5,
        ("prélèvent", "toujours"): -0.5,
        ("facture", "encore"): -0.5,
        ("facturent", "encore"): -0.5,
        ("facturent", "toujours"): -0.5,
        ("pas", "répondu"): -0.5,
        ("jamais", "reçu"): -0.5,
        ("jamais", "reçue"): -0.5,
        ("jamais", "livré"): -0.6,
        ("jamais", "livrée"): -0.6,
        ("tenu", "sa", "promesse"): 0.5,
        ("tenu", "ses", "promesses"): 0.5,
        ("tenu", "parole"): 0.5,
        ("tenu", "les", "délais"): 0.5,
        ("tenu", "le", "délai"): 0.5,
        ("comme", "promis"): 0.4,
        ("comme", "annoncé"): 0.4,
        ("date", "promise"): 0.4,
        ("jour", "promis"): 0.4,
        ("pas", "tenu"): -0.5,
        ("jamais", "tenu"): -0.5,
        ("promesse", "non", "tenue"): -0.5,
        ("repoussé",): -0.5,
        ("repoussée",): -0.5,
        ("reporté",): -0.3,
        ("reportée",): -0.3,
        ("nous", "doit"): -0.5,
        ("me", "doit"): -0.5,
        ("doit", "toujours"): -0.5,
        ("m'", "a", "versé"): 0.4,
        ("nous", "a", "versé"): 0.4,
        ("a", "versé"): 0.3,
        ("indemnisé",): 0.4,
        ("indemnisée",): 0.4,
        ("pas", "couvert"): -0.5,
        ("pas", "couverte"): -0.5,
        ("hors", "garantie"): -0.5,
        ("usure", "normale"): -0.3,
        ("en", "stock"): 0.3,
        ("en", "rayon"): 0.3,
        ("mauvaise", "adresse"): -0.5,
        ("ancienne", "adresse"): -0.4,
        ("deux", "clics"): 0.3,
        ("un", "clic"): 0.3,
        ("un", "seul", "appel"): 0.4,
        ("un", "seul", "mail"): 0.4,
        ("relevé", "ses", "prévisions"): 0.4,
        ("abaissé", "ses", "prévisions"): -0.4,
        ("ventes", "record"): 0.4,
        ("perte", "record"): -0.5,
    },
}
# A service cut: `without water`, `no signal`, `une semaine sans fibre`, `plus de courant`.
_UTILITIES = {
    "en": frozenset({"water", "power", "electricity", "heating", "internet", "wifi", "signal"})
    | frozenset({"broadband", "gas", "service", "network", "connection", "phone", "tv"}),
    "fr": frozenset({"eau", "électricité", "courant", "chauffage", "internet", "wifi", "réseau"})
    | frozenset({"fibre", "connexion", "téléphone", "ligne", "télé", "box", "gaz", "service"}),
}
_LACKING = {
    "en": frozenset({("without",), ("without", "any"), ("no",), ("lost",)}),
    "fr": frozenset({("sans",), ("pas", "de"), ("plus", "de"), ("pas", "d'"), ("plus", "d'")}),
}
# `was down`, `went down`: an outage, unless a price or a figure went down.
_DOWN_VERBS = frozenset({"was", "went", "is", "been", "were", "are", "goes", "being"})
_FIGURES = frozenset(
    {"price", "prices", "bill", "bills", "fee", "fees", "cost", "costs", "rate", "rates"}
    | {"premium", "premiums", "rent", "fares", "fare", "shares", "sales", "profits", "it"}
)
# Unable to do what the brand should let one do: `still couldn't cancel my package`, `can't
# log in`, `unable to reach anyone`, `impossible de résilier`, `je n'arrive pas à joindre`.
_UNABLE = frozenset({"couldn't", "can't", "cannot", "couldnt", "cant", "unable"})
_ACTIONS = frozenset(
    {"cancel", "log", "login", "access", "reach", "connect", "book", "pay", "use", "track"}
    | {"contact", "order", "download", "update", "open", "close", "transfer", "withdraw"}
    | {"unlock", "activate", "register", "sign", "send", "return", "reset", "stream", "load"}
    | {"print", "claim", "port", "upgrade", "locate", "trace", "find", "speak", "talk", "call"}
    | {"change", "move", "remove", "delete", "collect", "top", "refund", "switch", "leave"}
)
_FR_UNABLE = (("impossible", "de"), ("impossible", "d'"), ("arrive", "pas", "à"))
_FR_UNABLE2 = (("arrive", "plus", "à"), ("pas", "pu"), ("jamais", "pu"), ("plus", "pu"))
UNABLE_VALENCE = -0.5
# A wait since a date (`j'attends depuis février`, `waiting since March`) and hours on the phone
# (`two hours on the phone`, `une heure au téléphone`).
_WAITING = frozenset(
    {"waiting", "waited", "wait", "attends", "attend", "attendons", "attendu", "attente"}
)
_SINCE = frozenset({"since", "depuis"})
_PHONE = (("on", "the", "phone"), ("on", "the", "line"), ("au", "téléphone"), ("en", "ligne"))
_LENGTH_WORDS = frozenset(
    {"minutes", "hour", "hours", "heure", "heures", "days", "jours", "weeks", "semaines"}
)
# A refund or a compensation that makes good what its clause names: a price move in it (`m'a
# remboursé la facture en double`, `refunded the extra fee`) is no price move.
_MAKING_GOOD = frozenset(
    {"refunded", "reimbursed", "credited", "remboursé", "remboursée", "remboursés", "crédité"}
    | {"waived", "annulé", "annulés", "offert", "offerts"}
)


_FACTS_BY_FIRST_WORD = {lang: lexicon.by_first_word(t) for lang, t in _FACTS.items()}


def fact_events(analysis: sentiment.Analysis, events: Mapping[int, float]) -> dict[int, float]:
    """Valences of the facts above, keyed by token (a phrase's first token carries its value, the
    others 0), only where `events` (the post's service events) read nothing. A negation in the
    three words before a phrase that does not open with one turns it round (`not in stock`)."""
    lang = analysis.lang
    negations = lexicon.NEGATIONS.get(lang, frozenset())
    tokens, valences = analysis.tokens, analysis.valences
    words = [t.text if t.kind == "word" else "" for t in tokens]
    found: dict[int, float] = {}
    taken = set(events)
    starts = _STARTS.get(lang, frozenset())
    n = len(words)
    i = 0
    while i < n:
        if words[i] not in starts or i in taken:
            i += 1
            continue
        end = _unable(words, i, lang)
        if end:
            found[i] = UNABLE_VALENCE
            found.update({j: 0.0 for j in range(i + 1, end)})
            i = end
            continue
        end = _service_cut(words, valences, i, lang)
        if end:
            found[i] = FACT_VALENCE
            found.update({j: 0.0 for j in range(i + 1, end)})
            i = end
            continue
        end = (
            _repeated(words, i)
            or _waiting_since(words, i)
            or _on_the_phone(words, i)
            or _put_back_again(words, i)
            or _left_outside(words, i, lang)
        )
        if end:
            found[i] = FACT_VALENCE
            found.update({j: 0.0 for j in range(i + 1, end)})
            i = end
            continue
        matched = 0
        for phrase, value in _FACTS_BY_FIRST_WORD.get(lang, {}).get(words[i], ()):
            stop = i + len(phrase)
            if tuple(words[i:stop]) != phrase or any(j in taken for j in range(i, stop)):
                continue
            if len(phrase) == 1 and valences[i]:
                continue
            if phrase[-1] in negations and any(
                abs(valences[j]) >= 0.1 for j in range(stop, min(stop + 3, n))
            ):
                continue  # `still isn't great`: the lexicon reads the negated word
            # (`ne s'allume plus`: the phrase holds its own negation)
            own_negation = not (negations | _NEGATION_ENDS).isdisjoint(phrase)
            if not own_negation and _negated_before(words, i, negations):
                value *= -0.6
            elif value > 0 and _denied_after(tokens, words, stop, negations):
                continue  # `showed in stock and wasn't`, `en stock … elle n'y était pas`
            found[i] = value
            found.update({j: 0.0 for j in range(i + 1, stop)})
            matched = stop
            break
        i = matched or i + 1
    return found


_NEGATION_ENDS = frozenset({"plus", "pas", "jamais", "rien", "aucun", "aucune"})


def _negated_before(words: Sequence[str], i: int, negations: frozenset[str]) -> bool:
    """A negation in the three words before word `i`, not past a punctuation mark."""
    for k in range(i - 1, max(-1, i - 4), -1):
        if not words[k]:
            return False
        if words[k] in negations:
            return True
    return False


def _denied_after(
    tokens: Sequence[sentiment.Token], words: Sequence[str], stop: int, negations: frozenset[str]
) -> bool:
    """A negation in the six words after a praise fact, in its sentence: the claim was false."""
    for j in range(stop, min(stop + 6, len(tokens))):
        if tokens[j].kind in ("stop", "bang"):
            return False
        if words[j] in negations or words[j] in {"n'", "ne"}:
            return True
    return False


def _unable(words: Sequence[str], i: int, lang: str) -> int:
    """The end of `couldn't cancel`, `unable to reach`, `impossible de résilier` at word `i`."""
    if lang == "en" and words[i] in _UNABLE:
        j = i + 1
        while j < len(words) and words[j] in {"even", "still", "to", "ever", "actually"}:
            j += 1
        return j + 1 if j < len(words) and words[j] in _ACTIONS else 0
    if lang == "fr":
        for phrase in _FR_UNABLE + _FR_UNABLE2:
            stop = i + len(phrase)
            if tuple(words[i:stop]) == phrase and stop < len(words) and words[stop]:
                return stop + 1
    return 0


def _service_cut(words: Sequence[str], valences: Sequence[float], i: int, lang: str) -> int:
    """The end of `without water`, `une semaine sans fibre`, `plus de réseau`, `was down`."""
    if lang == "en" and words[i] in _DOWN_VERBS and i + 1 < len(words) and words[i + 1] == "down":
        before = set(words[max(0, i - 3) : i])
        return 0 if before & _FIGURES else i + 2
    utilities = _UTILITIES.get(lang, frozenset())
    for lacking in _LACKING.get(lang, frozenset()):
        stop = i + len(lacking)
        if tuple(words[i:stop]) != lacking or stop >= len(words) or words[stop] not in utilities:
            continue
        # `no signal problems`, `sans souci de réseau`: a complaint denied, not a cut
        if stop + 1 < len(words) and sentiment._lookup(words[stop + 1], lang) < 0:
            return 0
        return stop + 1
    return 0


def _waiting_since(words: Sequence[str], i: int) -> int:
    """The end of `waiting since March`, `j'attends depuis février` at word `i`."""
    if words[i] not in _WAITING:
        return 0
    for j in range(i + 1, min(i + 3, len(words))):
        if words[j] in _SINCE:
            k = j + 1
            if k < len(words) and words[k] in {"le", "the", "last", "début", "mi", "fin"}:
                k += 1
            if k < len(words) and (words[k] in _MONTHS_AND_DAYS or words[k] in _LONG_AGO):
                return k + 1
            return 0
    return 0


# Having to try again and again: an ordinal from the second (`the third engineer visit`, `pour la
# troisième fois`) or a count from two (`four calls`, `trois relances`) of attempts.
_ORDINALS = frozenset(
    {"second", "third", "fourth", "fifth", "sixth", "seventh", "2nd", "3rd", "4th", "5th"}
    | {"deuxième", "troisième", "quatrième", "cinquième", "sixième", "énième", "nth"}
)
_COUNTS = frozenset(
    {"two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "several"}
    | {"deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix", "plusieurs"}
)
_ATTEMPTS = frozenset(
    {"time", "visit", "call", "attempt", "engineer", "reminder", "email", "chaser", "letter"}
    | {"calls", "attempts", "visits", "reminders", "emails", "chasers", "letters", "complaints"}
    | {"fois", "visite", "appel", "tentative", "technicien", "relance", "mail", "courrier"}
    | {"appels", "tentatives", "visites", "relances", "mails", "courriers", "réclamations"}
)


def _repeated(words: Sequence[str], i: int) -> int:
    """The end of `the third engineer visit`, `four calls`, `trois relances` at the number."""
    if words[i] not in _ORDINALS and words[i] not in _COUNTS:
        return 0
    for j in range(i + 1, min(i + 3, len(words))):
        if words[j] in _ATTEMPTS:
            # (`two times cheaper`, `deux fois moins cher`: a ratio, not attempts)
            after = words[j + 1] if j + 1 < len(words) else ""
            ratio = {"cheaper", "faster", "better", "more", "less", "moins", "plus", "mieux"}
            if words[j] in {"time", "fois"} and after in ratio:
                return 0
            if words[j] in {"time", "fois"} and words[i] in _COUNTS:
                return 0  # `three times` alone is a count, not an attempt
            return j + 1
        if not words[j]:
            return 0
    return 0


_THEN = frozenset({"then", "puis", "ensuite"})
_DATE_ARTICLES = frozenset({"the", "le", "on", "to", "au", "a"})


def _put_back_again(words: Sequence[str], i: int) -> int:
    """The end of `said Thursday, then Monday, then the Monday after`, `prévu mardi, puis
    jeudi`: a date, then another after `then`/`puis` (a date moved), at the `then`."""
    if words[i] not in _THEN:
        return 0
    before = [w for w in words[max(0, i - 3) : i] if w]
    j = i + 1
    while j < len(words) and words[j] in _DATE_ARTICLES:
        j += 1
    if j < len(words) and words[j] in _MONTHS_AND_DAYS and set(before) & _MONTHS_AND_DAYS:
        return j + 1
    return 0


# Delivered and left out in the open (`left it in the rain`, `les a laissées sous la pluie`,
# `m'a laissé le vieux sur le palier`).
_LEFT = frozenset({"left", "dumped", "laissé", "laissée", "laissés", "laissées", "abandonné"})
_OUTSIDE = {
    "en": (("in", "the", "rain"), ("outside",), ("on", "the", "pavement"), ("on", "the", "street")),
    "fr": (
        ("sous", "la", "pluie"),
        ("dehors",),
        ("sur", "le", "palier"),
        ("sur", "le", "trottoir"),
    ),
}


def _left_outside(words: Sequence[str], i: int, lang: str) -> int:
    """The end of `left it in the rain`, `laissé le vieux sur le palier` at the leave word."""
    if words[i] not in _LEFT:
        return 0
    for j in range(i + 1, min(i + 6, len(words))):
        if not words[j]:
            return 0
        for place in _OUTSIDE.get(lang, ()):
            if tuple(words[j : j + len(place)]) == place:
                return j + len(place)
    return 0


def _on_the_phone(words: Sequence[str], i: int) -> int:
    """The end of `two hours on the phone`, `une heure au téléphone` at word `i` (the length)."""
    if words[i] not in _LENGTH_WORDS:
        return 0
    for phrase in _PHONE:
        stop = i + 1 + len(phrase)
        if tuple(words[i + 1 : stop]) == phrase:
            return stop
    return 0


_MONTHS_AND_DAYS = frozenset(
    {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}
    | {"january", "february", "march", "april", "may", "june", "july", "august"}
    | {"september", "october", "november", "december"}
    | {"lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"}
    | {"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août"}
    | {"septembre", "octobre", "novembre", "décembre"}
)
_LONG_AGO = frozenset({"week", "month", "year", "semaines", "mois", "weeks", "months", "ages"})


def made_good_moves(
    analysis: sentiment.Analysis, moves: Mapping[int, float], clauses: Sequence[Span]
) -> set[int]:
    """Price moves whose clause holds a refund before them (`m'a remboursé la facture en
    double`, `refunded the extra fee`): made good, no move."""
    if not moves:
        return set()
    tokens = analysis.tokens
    good = set()
    for i in moves:
        clause = next(((a, b) for a, b in clauses if a <= tokens[i].start < b), None)
        if clause is None:
            continue
        if any(
            t.text in _MAKING_GOOD and clause[0] <= t.start < tokens[i].start
            for t in tokens[max(0, i - 8) : i]
        ):
            good.add(i)
    return good


# Lengths of time (`in under an hour`, `took four working days`, `six weeks later`, `over a
# weekend`, `le lendemain`, `depuis février`), in hours.
_EN_NUMBERS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "fifteen": 15,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "few": 3,
    "several": 4,
    "couple": 2,
}
_FR_NUMBERS = {
    "un": 1,
    "une": 1,
    "deux": 2,
    "trois": 3,
    "quatre": 4,
    "cinq": 5,
    "six": 6,
    "sept": 7,
    "huit": 8,
    "neuf": 9,
    "dix": 10,
    "onze": 11,
    "douze": 12,
    "quinze": 15,
    "vingt": 20,
    "trente": 30,
    "quarante": 40,
    "cinquante": 50,
    "quelques": 3,
    "plusieurs": 4,
}
_UNITS = {
    "minute": 1 / 60,
    "minutes": 1 / 60,
    "min": 1 / 60,
    "mins": 1 / 60,
    "hour": 1,
    "hours": 1,
    "hrs": 1,
    "h": 1,
    "heure": 1,
    "heures": 1,
    "day": 24,
    "days": 24,
    "jour": 24,
    "jours": 24,
    "journée": 24,
    "journées": 24,
    "night": 24,
    "nights": 24,
    "nuit": 24,
    "nuits": 24,
    "week": 168,
    "weeks": 168,
    "semaine": 168,
    "semaines": 168,
    "fortnight": 336,
    "quinzaine": 336,
    "month": 720,
    "months": 720,
    "mois": 720,
    "year": 8760,
    "years": 8760,
    "an": 8760,
    "ans": 8760,
    "année": 8760,
    "années": 8760,
}
_WORDS = "|".join(sorted(set(_EN_NUMBERS) | set(_FR_NUMBERS), key=len, reverse=True))
_UNIT_WORDS = "|".join(sorted(_UNITS, key=len, reverse=True))
_LENGTH = Caseless(
    rf"(?<![\w£$€])(?P<n>\d+(?:[.,]\d+)?|{_WORDS})(?:\s+(?:of|working|business|full|whole|"
    rf"more|entières?|entiers?|pleines?|ouvrés|ouvrables))?\s*(?P<u>{_UNIT_WORDS})(?!\w)"
)
# Each with words one of which it needs (`caseless.ignorecase_lowered`): most texts hold none, and
# the patterns, which try every position of the text, are not run on them.
_SPECIAL: dict[str, list[tuple[tuple[str, ...], re.Pattern[str], float]]] = {
    "en": [
        (
            ("same",),
            re.compile(r"\b(?:the\s+)?same\s+(?:day|afternoon|morning|evening)\b", re.I),
            6.0,
        ),
        (("overnight",), re.compile(r"\bovernight\b", re.I), 12.0),
        (("next",), re.compile(r"\b(?:the\s+)?next[\s-](?:day|morning)\b", re.I), 24.0),
        (("weekend",), re.compile(r"\bover\s+(?:a|the)\s+weekend\b", re.I), 48.0),
        (("within",), re.compile(r"\bwithin\s+the\s+hour\b", re.I), 1.0),
        (
            ("spot", "waited"),
            re.compile(r"\bon\s+the\s+spot\b|\bwhile\s+(?:i|we)\s+waited\b", re.I),
            0.5,
        ),
        (
            ("since",),
            re.compile(
                r"\bsince\s+(?:last\s+(?:week|month|year)|january|february|march|april|may|"
                r"june|july|august|september|october|november|december|monday|tuesday|"
                r"wednesday|thursday|friday|saturday|sunday)\b",
                re.I,
            ),
            1500.0,
        ),
    ],
    "fr": [
        (("jour",), re.compile(r"\b(?:le\s+jour\s+même|dans\s+la\s+journée)", re.I), 6.0),
        (("heure",), re.compile(r"\bdans\s+l['’]heure\b", re.I), 1.0),
        (("lendemain",), re.compile(r"\ble\s+lendemain\b", re.I), 24.0),
        (("week-end",), re.compile(r"\b(?:sur|en)\s+un\s+week-end\b", re.I), 48.0),
        (
            ("depuis",),
            re.compile(
                r"\bdepuis\s+(?:le\s+\d+\s+)?(?:janvier|février|mars|avril|mai|juin|juillet|"
                r"août|septembre|octobre|novembre|décembre|lundi|mardi|mercredi|jeudi|vendredi|"
                r"l['’]an\s+dernier|des\s+(?:semaines|mois))\b",
                re.I,
            ),
            1500.0,
        ),
    ],
}
# A rate, a frequency or a price is no length (`£24 a month`, `every six months`, `par mois`).
_RATE_BEFORE = re.compile(r"(?:\d|[£$€%]|\b(?:per|par|times|once|twice|fois))\s*$", re.I)
_EVERY_BEFORE = re.compile(r"\b(?:every|each|per|par|chaque|tous\s+les|toutes\s+les)\s*$", re.I)
# `le Ouigo de 7 h 12`: a time of day, no length.
_CLOCK_BEFORE = re.compile(r"\b(?:de|à|vers|dès|avant|après|at|by)\s*$", re.I)
_AGE_AFTER = re.compile(r"^\s*(?:old|ago|plus\s+tôt|d['’]âge)\b", re.I)
# `a month of Game Pass`, `trois mois d'abonnement offerts`: a gift's size, no length (but `deux
# heures de retard`, `une heure d'attente` are).
_OF_AFTER = re.compile(r"^\s*(?:of\b|d['’](?!attente)|de\s+(?!retard|queue|file|plus))", re.I)
# A clause holding one of these speaks of how long a product lasted (longer is better).
_LIFE = {
    "en": frozenset({"lasted", "lasts", "died", "broke", "packed", "burnt", "burned", "conked"})
    | frozenset({"snapped", "old", "fine", "dead", "cracked", "apart"}),
    "fr": frozenset({"lâché", "cassé", "cassée", "âme", "tourne", "tient", "duré", "dure"})
    | frozenset({"fonctionne", "marche", "claqué", "grillé", "mort", "morte"}),
}
# The longer service is blamed, the quicker praised, when one takes this many times the other.
LENGTH_RATIO = 2.5
QUICKER_VALENCE = 0.4
SLOWER_VALENCE = -0.5


def relative_lengths(
    text: str,
    analysis: sentiment.Analysis,
    spans: Mapping[str, Sequence[Span]],
    events: Mapping[int, float] | None = None,
    ignore: Sequence[Span] = (),
) -> dict[int, float]:
    """Two brands each given a length of time, of the same kind (a service's or a product's
    life): the quicker service (or the longer life) is praised, the other blamed, when one is at
    least `LENGTH_RATIO` times the other (`A sent it in under an hour. B took four working days.`,
    `A lasted nine months, the B I bought after is still fine three years on`). Keyed by the
    token where each length starts. Lengths inside `ignore` are none (round ten: the period of a
    frequency, `third repair in two years`)."""
    lang = analysis.lang
    if len(spans) != 2 or lang not in _SPECIAL:
        return {}
    lengths = [(s, h) for s, h in _lengths(text, lang) if not any(a <= s < e for a, e in ignore)]
    if len(lengths) < 2:
        return {}
    starts = [t.start for t in analysis.tokens]
    names = sorted((s, brand) for brand, brand_spans in spans.items() for s, _ in brand_spans)
    by_brand: dict[str, list[tuple[int, float, bool]]] = {}
    for start, hours in lengths:
        brand = _owner(text, names, start)
        if brand is None:
            continue
        life = _in_life_clause(text, start, lang)
        by_brand.setdefault(brand, []).append((start, hours, life))
    if len(by_brand) != 2:
        return {}
    la, lb = by_brand.values()
    # Round ten: `the B one`, `celle de B` stands for the thing whose life the other brand's
    # length told (`A's battery lasts a month; the B one has gone five months`).
    if all(life for *_, life in la) and not any(life for *_, life in lb):
        lb = [(s, h, _stands_for_another(text, s, lang)) for s, h, _ in lb]
    elif all(life for *_, life in lb) and not any(life for *_, life in la):
        la = [(s, h, _stands_for_another(text, s, lang)) for s, h, _ in la]
    if {life for _, _, life in la} != {life for _, _, life in lb} or len(
        {life for _, _, life in la}
    ) != 1:
        return {}
    life = la[0][2]
    ha, hb = max(h for _, h, _ in la), max(h for _, h, _ in lb)
    if max(ha, hb) < LENGTH_RATIO * min(ha, hb):
        return {}
    better_is_a = (ha > hb) if life else (ha < hb)
    found: dict[int, float] = {}
    for items, good in ((la, better_is_a), (lb, not better_is_a)):
        for start, _, _ in items:
            k = bisect_left(starts, start)
            if k >= len(starts):
                continue
            # (`Lloyds went down for six hours`: a shorter outage is no praise)
            state = _STATE_BEFORE.search(text[:start])
            if good and state and _complaint_in_clause(text, analysis, start, events or {}):
                continue
            found[k] = QUICKER_VALENCE if good else SLOWER_VALENCE
    return found


# A length opened by these is how long a state went on (`down for six hours`, `depuis mardi`).
_STATE_BEFORE = re.compile(r"\b(?:for|since|pendant|depuis|durant)\s*$", re.I)


def _complaint_in_clause(
    text: str, analysis: sentiment.Analysis, start: int, events: Mapping[int, float]
) -> bool:
    """The clause around character `start` holds a complaint (a word or a service event)."""
    begin = max(text.rfind(c, 0, start) for c in ".!?;,\n") + 1
    ends = [i for i in (text.find(c, start) for c in ".!?;,\n") if i >= 0]
    end = min(ends) if ends else len(text)
    return any(
        begin <= t.start < end and events.get(i, analysis.valences[i]) < 0
        for i, t in enumerate(analysis.tokens)
    )


def _lengths(text: str, lang: str) -> list[tuple[int, float]]:
    """(character start, hours) of each length of time in `text`."""
    numbers = _EN_NUMBERS if lang == "en" else _FR_NUMBERS
    found = []
    lowered = ignorecase_lowered(text)
    for m in _LENGTH.finditer(text, lowered):
        n, unit = m.group("n").lower(), m.group("u").lower()
        if unit == "an" and lang == "en":
            continue
        if unit in {"min", "h"} and not n[0].isdigit():
            continue
        if n in {"a", "an", "un", "une"} and _RATE_BEFORE.search(text[: m.start()]):
            continue
        after = text[m.end() :]
        if (
            _AGE_AFTER.match(after)
            or _OF_AFTER.match(after)
            or _EVERY_BEFORE.search(text[: m.start()])
        ):
            continue
        if unit == "h" and _CLOCK_BEFORE.search(text[: m.start()]):
            continue
        if n in numbers:
            value = float(numbers[n])
        else:
            try:
                value = float(n.replace(",", "."))
            except ValueError:
                continue
        found.append((m.start(), value * _UNITS[unit]))
    for needed, pattern, hours in _SPECIAL[lang]:
        if lowered is None or any(w in lowered for w in needed):
            found.extend((m.start(), hours) for m in pattern.finditer(text))
    return sorted(found)


def _owner(text: str, names: Sequence[tuple[int, str]], start: int) -> str | None:
    """The brand a length belongs to: the one named last before it in its sentence, else the
    first after it in its sentence, else the last named before it."""
    begin = max(text.rfind(c, 0, start) for c in ".!?;\n") + 1
    ends = [i for i in (text.find(c, start) for c in ".!?;\n") if i >= 0]
    end = min(ends) if ends else len(text)
    before = [b for s, b in names if begin <= s < start]
    after = [b for s, b in names if start < s < end]
    if before:
        return before[-1]
    if after:
        return after[0]
    earlier = [b for s, b in names if s < start]
    return earlier[-1] if earlier else None


_PRO_FORMS = {
    "en": re.compile(
        r"\b(?:the|my|our|his|her|their)\s+[\w'’&+.-]+(?:\s+[\w'’&+.-]+)?\s+ones?\b", re.I
    ),
    "fr": re.compile(r"\b(?:celle|celui|celles|ceux)\s+(?:de|d['’]|du|des)", re.I),
}


def _stands_for_another(text: str, start: int, lang: str) -> bool:
    """The length's clause names its thing by a pro-form (`the Eufy one`, `celle de Nuage`)."""
    begin = max(text.rfind(c, 0, start) for c in ".!?;,\n") + 1
    return bool(_PRO_FORMS[lang].search(text, begin, start))


def _in_life_clause(text: str, start: int, lang: str) -> bool:
    """The length's clause (cut at punctuation) speaks of a product's life."""
    begin = max(text.rfind(c, 0, start) for c in ".!?;,\n") + 1
    ends = [i for i in (text.find(c, start) for c in ".!?;,\n") if i >= 0]
    end = min(ends) if ends else len(text)
    words = set(re.findall(r"[\w']+", text[begin:end].lower()))
    # (`ne marche plus depuis trois jours` is an outage, not a life)
    negated = not words.isdisjoint(lexicon.NEGATIONS.get(lang, frozenset()) | {"n'", "ne"})
    return not negated and not words.isdisjoint(_LIFE.get(lang, frozenset()))


# A service claimed in scare quotes did not happen (`'delivered' to a house that doesn't exist`,
# `« réparé » en dix minutes et toujours en panne`).
_SERVICE_DONE = frozenset(
    {"delivered", "fixed", "resolved", "sorted", "repaired", "refunded", "upgraded", "solved"}
    | {"livré", "livrée", "réparé", "réparée", "résolu", "résolue", "remboursé", "réglé"}
    | {"réglée", "dépanné", "rétabli", "rétablie"}
)
_QUOTED = re.compile(r"(?<!\w)['‘“\"«]\s*([^'’”\"»]{1,40}?)\s*['’”\"»](?!\w)")


def quoted_services(text: str, analysis: sentiment.Analysis) -> dict[int, float]:
    """Service words inside scare quotes, each a complaint (`FACT_VALENCE`)."""
    found: dict[int, float] = {}
    for m in _QUOTED.finditer(text):
        for i, t in enumerate(analysis.tokens):
            if m.start(1) <= t.start < m.end(1) and t.text in _SERVICE_DONE:
                found[i] = FACT_VALENCE
    return found


# The words a fact can start at (the only ones `fact_events` tries).
_STARTS = {
    lang: frozenset(_FACTS_BY_FIRST_WORD.get(lang, {}))
    | frozenset(p[0] for p in _LACKING.get(lang, ()))
    | _WAITING
    | _LENGTH_WORDS
    | _ORDINALS
    | _COUNTS
    | _THEN
    | _LEFT
    | (_UNABLE | _DOWN_VERBS if lang == "en" else frozenset(p[0] for p in _FR_UNABLE + _FR_UNABLE2))
    for lang in ("en", "fr")
}
