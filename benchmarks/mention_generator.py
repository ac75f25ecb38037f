"""Seeded, deterministic mentions for scale benchmarks, written as a file import (JSONL).

Record `i` depends only on (`seed`, `i`) and the window it is dated in (dates grow with `i`
through the window, so a reply comes after what it answers), so `write(path, config, start=N,
count=N // 100, days=NEW_DAYS)` adds the next 1 % as new mentions, dated after the first N.
Mentions name the config's brands (unambiguous aliases, sometimes two brands, one in ten none) in
French and English, from a pool of authors where a few write most, with a third of them replies in
threads (a reply keeps its thread's language) and dates spread over months, newer as `i` grows.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from core.config import EcouteConfig

START = datetime(2026, 5, 1, tzinfo=UTC)
# The first load is dated over six months, new mentions over the two days after.
DAYS = (0, 180)
NEW_DAYS = (180, 182)
REPLY_SHARE = 0.33
NO_BRAND_SHARE = 0.1

_PARTS: dict[str, dict[str, tuple[str, ...]]] = {
    "fr": {
        "open": (
            "J'ai appelé le service client de {b} ce matin.",
            "Petit retour sur {b} après six mois d'abonnement.",
            "Quelqu'un a des nouvelles de la panne chez {b} ?",
            "Je viens de passer chez {b} pour la fibre.",
            "Encore une facture bizarre de {b} ce mois-ci.",
            "Le nouveau forfait 5G de {b} est sorti aujourd'hui.",
        ),
        "bad": (
            "La box clignote depuis trois jours et personne ne répond.",
            "Le débit est catastrophique le soir, impossible de regarder un film.",
            "Le technicien devait passer mardi mais personne n'est venu.",
            "Franchement je suis déçu, c'est cher pour un réseau aussi instable.",
            "On m'a facturé deux fois les frais de résiliation.",
        ),
        "good": (
            "La fibre est rapide et la box est stable, rien à dire.",
            "Le conseiller a tout réglé en dix minutes, bravo.",
            "L'application est vraiment bien faite et claire.",
            "Le réseau 4G tient même dans le métro, agréable surprise.",
        ),
        "plain": (
            "Le forfait coûte 20 euros par mois avec 100 Go.",
            "Ils annoncent une couverture de 95 % du territoire d'ici l'été.",
            "La boutique de Lyon ouvre à 10 heures le samedi.",
        ),
        "versus": (
            "Mon voisin chez {c} n'a jamais eu de souci.",
            "Avant j'étais chez {c} et c'était plus compliqué.",
            "{c} propose à peu près la même offre.",
        ),
        "close": (
            "Si rien ne bouge d'ici lundi je résilie.",
            "Je recommande sans hésiter.",
            "On verra la semaine prochaine.",
            "Des avis ?",
        ),
        "none": (
            "Quelle journée, il pleut depuis ce matin sur Paris.",
            "Le match d'hier soir était incroyable, quel but en fin de partie.",
            "Recette du jour : une tarte aux pommes avec un peu de cannelle.",
        ),
    },
    "en": {
        "open": (
            "Called {b} customer service again today.",
            "Quick review of {b} after six months on their plan.",
            "Anyone else having trouble with {b} this morning?",
            "Just switched my broadband to {b}.",
            "Got a weird bill from {b} this month.",
            "The new {b} 5G plan launched today.",
        ),
        "bad": (
            "The router keeps dropping the connection and nobody answers.",
            "Speeds are awful every evening, streaming is impossible.",
            "They promised an engineer on Tuesday but nobody showed up.",
            "Honestly disappointed, the plan is expensive for a network this unreliable.",
            "They charged the cancellation fee twice.",
        ),
        "good": (
            "The fiber is fast and the router is stable, no complaints.",
            "The agent sorted everything out in ten minutes, great job.",
            "The app is really well designed and clear.",
            "Coverage holds up even on the train, nice surprise.",
        ),
        "plain": (
            "The plan costs 20 pounds a month with 100 GB of data.",
            "They announce 95 % coverage of the country by the summer.",
            "The Manchester store opens at 10 on Saturdays.",
        ),
        "versus": (
            "My sister is with {c} and never had a problem.",
            "Before that I was with {c} and it was a lot more painful.",
            "{c} has roughly the same offer.",
        ),
        "close": (
            "If nothing changes by Monday I will cancel.",
            "Would recommend.",
            "We will see next week.",
            "Thoughts?",
        ),
        "none": (
            "What a day, it has been raining since this morning in London.",
            "Last night's match was unbelievable, what a late goal.",
            "Recipe of the day: apple pie with a pinch of cinnamon.",
        ),
    },
}


def _rng(seed: int, i: int) -> random.Random:
    return random.Random(seed * 1_000_003 + i)


def _language(seed: int, i: int) -> str:
    """Record `i`'s language: its thread's (a reply's parent decides), else 55 % French."""
    while True:
        rng = _rng(seed, i)
        lang = "fr" if rng.random() < 0.55 else "en"
        parent = _parent(rng, i)
        if parent is None:
            return lang
        i = parent


def _parent(rng: random.Random, i: int) -> int | None:
    """An earlier record this one answers (a third of them), drawn right after the language."""
    if i == 0 or rng.random() >= REPLY_SHARE:
        return None
    return max(0, i - 1 - int(rng.expovariate(1 / 40)))


def brand_names(config: EcouteConfig) -> list[str]:
    """Aliases that name a brand on their own (no context needed, no handle or hashtag)."""
    return [
        a.text
        for b in config.brands
        for a in b.all_aliases
        if not a.needs_context and a.text[:1] not in "@#"
    ]


def record(names: list[str], i: int, seed: int = 7, when: float = 0.0) -> dict[str, Any]:
    """Mention `i` naming some of `names` as an import record (`id`, `text`, `published_at`,
    `author`, `parent_id`, `platform`, `lang`), published `when` days after `START` (plus up to
    an hour)."""
    rng = _rng(seed, i)
    rng.random()  # the language draw (see `_language`)
    parent = _parent(rng, i)
    lang = _language(seed, i)
    parts = _PARTS[lang]
    brand, other = rng.choice(names), rng.choice(names)
    if rng.random() < NO_BRAND_SHARE:
        sentences = rng.sample(parts["none"], 2)
    else:
        tone = rng.choice(("bad", "bad", "good", "plain"))
        sentences = [rng.choice(parts["open"]), *rng.sample(parts[tone], 2)]
        if rng.random() < 0.3:
            sentences.append(rng.choice(parts["versus"]))
        sentences.append(rng.choice(parts["close"]))
    text = " ".join(sentences).format(b=brand, c=other)
    authors = max(20, i // 8)  # the pool grows with the data; a few write most
    author = f"user{int(authors * rng.random() ** 3)}"
    published = START + timedelta(days=when, seconds=rng.uniform(0, 3600))
    return {
        "id": f"m{i}",
        "text": text,
        "published_at": published.isoformat(),
        "author": author,
        "parent_id": f"m{parent}" if parent is not None else None,
        "platform": "bench",
        "lang": lang,
    }


def records(
    config: EcouteConfig, start: int, count: int, seed: int = 7, days: tuple[int, int] = DAYS
) -> Iterator[dict[str, Any]]:
    names = brand_names(config)
    for i in range(start, start + count):
        yield record(names, i, seed, days[0] + (days[1] - days[0]) * (i - start) / count)


def write(
    path: Path,
    config: EcouteConfig,
    start: int,
    count: int,
    seed: int = 7,
    days: tuple[int, int] = DAYS,
) -> Path:
    """Records `start` … `start + count - 1` as JSONL at `path`."""
    with path.open("w", encoding="utf-8") as handle:
        for item in records(config, start, count, seed, days):
            handle.write(json.dumps(item, ensure_ascii=False) + "\n")
    return path
