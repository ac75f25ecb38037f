"""Price, service and share-price moves, which the model cannot read: a price that rises is
blamed (`prices went up`, `augmentent leurs tarifs`), one that falls praised (`cut its prices`), a
service that falls blamed (`un service qui baisse`), a share price that moves (`A shares fell 4%`)
follows it. A direction word reaches its price word past the brand and auxiliaries (`les prix de
A ont encore augmenté`), not a verb whose object is the brand (`dropped A after the price rise`).
"""

from __future__ import annotations

from collections.abc import Sequence

from transform import sentiment
from transform.targeted.text import Span, _tokens_in

# Price words: `lower`/`plus bas` praise a price and blame a speed or a coverage.
_COST_WORDS = {
    "en": frozenset(
        {"price", "prices", "bill", "bills", "fee", "fees", "tariff", "tariffs", "rates"}
    ),
    "fr": frozenset(
        {"prix", "tarif", "tarifs", "facture", "factures", "frais", "forfait", "forfaits"}
    ),
}
# A price that rises is blamed, one that falls praised; a service that falls is blamed (`prices
# going up`, `augmentent leurs tarifs`, `des prix qui montent et un service qui baisse`).
_RISE = {
    "en": frozenset(
        {
            "raise",
            "raises",
            "raised",
            "raising",
            "hike",
            "hikes",
            "hiked",
            "increase",
            "increases",
            "increased",
            "increasing",
            "up",
            "double",
            "doubles",
            "doubled",
            "tripled",
            "soared",
            "soaring",
            "skyrocketed",
            "jumped",
            "climbing",
            # round eight: business results (`profits rose`, `higher profits`) and fees added
            # (`added £5 of fees`, `charge extra`)
            "rose",
            "rising",
            "surged",
            "climbed",
            "grew",
            "higher",
            "added",
            "adds",
            "adding",
            "extra",
        }
    ),
    "fr": frozenset(
        {
            "augmente",
            "augmentent",
            "augmenté",
            "augmentée",
            "augmentés",
            "augmentera",
            "augmenteront",
            "augmentation",
            "hausse",
            "hausses",
            "monte",
            "montent",
            "monté",
            "grimpe",
            "grimpent",
            "double",
            "doublent",
            "doublé",
            "triplé",
            "explose",
            "explosent",
            "flambe",
            "flambent",
            "progressé",
            "progresse",
            "progressent",
            "bondi",
            "bondit",
            "ajouté",
            "ajoute",
            "ajoutent",
        }
    ),
}
_FALL = {
    "en": frozenset(
        {
            "cut",
            "cuts",
            "lowered",
            "lowers",
            "drop",
            "drops",
            "dropped",
            "reduced",
            "reduces",
            "reduce",
            "slashed",
            "slashes",
            "down",
            "fell",
            "falls",
            "falling",
            "slipped",
            "slid",
            "plunged",
            "tumbled",
            "sank",
            "declined",
            "slumped",
        }
    ),
    "fr": frozenset(
        {
            "baisse",
            "baissent",
            "baissé",
            "baissée",
            "baissera",
            "diminue",
            "diminuent",
            "diminué",
            "réduit",
            "réduisent",
            "chute",
            "chutent",
            "chuté",
            "recule",
            "reculent",
            "reculé",
            "plongé",
            "plonge",
        }
    ),
}
_QUALITY_WORDS = {
    "en": frozenset({"service", "coverage", "signal", "speed", "speeds", "quality", "network"}),
    "fr": frozenset({"service", "réseau", "débit", "débits", "qualité", "couverture"}),
}
_MORE_COST_WORDS = {
    "en": frozenset({"subscription", "subscriptions", "charges", "premium", "premiums"})
    | frozenset({"charge", "surcharge", "surcharges"}),
    "fr": frozenset({"abonnement", "abonnements", "mensualité", "mensualités", "factures"}),
}
# Skipped when counting a move's reach: auxiliaries, articles and `again` (`prices have gone up
# again`, `les tarifs ont encore augmenté`).
_MOVE_FILLERS = frozenset(
    {"the", "of", "its", "their", "has", "have", "had", "been", "again", "still", "is", "are"}
    | {"was", "were", "gone", "de", "des", "du", "d'", "ont", "a", "été", "encore", "leurs"}
    | {"leur", "ses", "son", "sa", "sont", "est"}
)
# A share price that rises is good news for the brand, one that falls bad news (`A shares fell
# 4%`, `l'action A chute`).
_STOCK_WORDS = {
    "en": frozenset({"shares", "stock", "stocks"}),
    "fr": frozenset({"action", "actions", "titre", "bourse"}),
}
# Round eight: a business result that moves is news of the brand as its share price is (`sales
# rose 8%`, `deliveries fell again`, `higher profits`, `les ventes ont progressé`, `un chiffre
# d'affaires en hausse`).
_RESULT_WORDS = {
    "en": frozenset({"sales", "deliveries", "profit", "profits", "revenue", "revenues"})
    | frozenset({"earnings", "turnover", "bookings"}),
    "fr": frozenset({"ventes", "livraisons", "bénéfice", "bénéfices", "chiffre", "résultats"}),
}
STOCK_RISE_VALENCE = 0.4
STOCK_FALL_VALENCE = -0.5
MOVE_REACH = 3  # tokens between a direction word and the price or service it moves
PRICE_RISE_VALENCE = -0.6
PRICE_FALL_VALENCE = 0.5
QUALITY_FALL_VALENCE = -0.5


def price_moves(analysis: sentiment.Analysis, names: Sequence[Span] = ()) -> dict[int, float]:
    """Direction words near a price (`bill went up`, `augmentent leurs tarifs`, `prices cut`) or a
    service (`un service qui baisse`), with the valence of that move for the customer. The reach
    counts neither the brand names in `names` nor auxiliaries and linking words (`les prix de
    Célest ont encore augmenté`, `the prices of A have gone up`)."""
    lang = analysis.lang
    rise, fall = _RISE.get(lang, frozenset()), _FALL.get(lang, frozenset())
    cost = _COST_WORDS.get(lang, frozenset()) | _MORE_COST_WORDS.get(lang, frozenset())
    quality = _QUALITY_WORDS.get(lang, frozenset())
    stock = _STOCK_WORDS.get(lang, frozenset()) | _RESULT_WORDS.get(lang, frozenset())
    tokens = analysis.tokens
    moves: dict[int, float] = {}
    if rise.isdisjoint(analysis.texts) and fall.isdisjoint(analysis.texts):
        return moves
    named = set(_tokens_in(analysis, names)) if names else set()
    for whole in analysis.sentence_groups:
        group = [
            i
            for i in whole
            if i not in named and (tokens[i].text not in _MOVE_FILLERS or tokens[i].text in rise)
        ]
        for position, i in enumerate(group):
            word = tokens[i].text
            if (word not in rise and word not in fall) or i + 1 in named:
                continue  # `dropped A after the price rise`: a verb whose object is a brand
            near = {
                tokens[j].text
                for j in group[max(0, position - MOVE_REACH) : position + MOVE_REACH + 1]
            }
            if near & cost:
                moves[i] = PRICE_RISE_VALENCE if word in rise else PRICE_FALL_VALENCE
            elif near & stock:
                moves[i] = STOCK_RISE_VALENCE if word in rise else STOCK_FALL_VALENCE
            elif near & quality and word in fall:
                moves[i] = QUALITY_FALL_VALENCE
    return moves
