"""What a brand did to a customer, in words the general vocabulary leaves unscored.

Read in brand windows only, never for the post's label or the model's rule features: `blocked`,
`for no reason`, `no reply`, `still no`, `charged twice`, `hidden fees`, `took three weeks`;
`bloqué`, `sans raison`, `toujours pas`, `ne marche plus`, `frais cachés`, `a mis trois semaines`;
praise such as `rien à redire`, `à l'heure`, `en cinq minutes`, `le lendemain`; `zéro coupure` /
`zero outages` as a negation; a customer made to do the brand's work (`made me call four times`,
`m'a fait revenir`). A complaint a fix stands beside (`sorted my issue`, `problème réglé`) does not
count, and a window whose only complaints are negated is praise (`no complaints`, `aucun souci`).
Round seven: a wait with its length (`waited 50 minutes`, `une heure d'attente`), a length after a
complaint (`for an hour`, `depuis mardi`), being passed between departments, kept for days
(`kept my car for nine days`, `trois semaines pour un technicien`), things missing or damaged,
refunds given without asking, and a fault made good in its clause (`swapped my melted bath bomb`).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from transform import lexicon, sentiment
from transform.targeted.text import Span

# A brand's window takes at most this many brandless clauses after it (a long review's tail is
# not about the brand named in its first line; it also bounds the model's work per brand).
# What a brand did to a customer, in words the general vocabulary leaves unscored (it was
# written for any tweet, where `blocked`, `on time` or `sans raison` say little): read in brand
# windows only, never for the post's label, and only where no lexicon word already has a valence.
# A negation in the three words before turns a one-word entry round (`never blocked`).
_SERVICE_EVENTS: dict[str, dict[tuple[str, ...], float]] = {
    "en": {
        ("blocked",): -0.5,
        ("locked", "out"): -0.5,
        ("for", "no", "reason"): -0.5,
        ("without", "warning"): -0.4,
        ("without", "notice"): -0.4,
        ("no", "reply"): -0.5,
        ("no", "answer"): -0.5,
        ("no", "response"): -0.5,
        ("no", "update"): -0.5,
        ("still", "no"): -0.5,
        ("charged", "twice"): -0.6,
        ("charged", "me", "twice"): -0.6,
        ("double", "charged"): -0.6,
        ("gave", "up"): -0.4,
        ("never", "arrived"): -0.6,
        ("never", "showed"): -0.5,
        ("never", "came"): -0.5,
        ("cut", "off"): -0.5,
        ("nothing", "to", "complain", "about"): 0.5,
        ("can't", "complain"): 0.4,
        ("on", "time"): 0.4,
        ("without", "a", "hitch"): 0.5,
        ("nailed",): 0.5,
        ("sorted",): 0.4,
        ("doesn't", "work"): -0.6,
        ("does", "not", "work"): -0.6,
        ("didn't", "work"): -0.6,
        ("won't", "work"): -0.6,
        ("not", "working"): -0.6,
        ("isn't", "working"): -0.6,
        ("stopped", "working"): -0.6,
        ("no", "refund"): -0.5,
        ("no", "compensation"): -0.4,
        ("refused", "to", "refund"): -0.6,
        ("hidden", "fees"): -0.6,
        ("hidden", "charges"): -0.6,
        ("locked", "me", "out"): -0.5,
        ("no", "network"): -0.6,
        ("double", "the", "price"): -0.4,
        ("ghosted",): -0.5,
        ("shambles",): -0.6,
        ("rock", "solid"): 0.6,
        ("solid",): 0.4,
        ("spot", "on"): 0.5,
        ("lifesaver",): 0.6,
        ("in", "minutes"): 0.3,
        ("within", "minutes"): 0.3,
        ("refused",): -0.5,
        ("didn't", "show", "up"): -0.6,
        ("did", "not", "show", "up"): -0.6,
        ("no-show",): -0.5,
        ("works", "everywhere"): 0.5,
        ("signal", "everywhere"): 0.5,
        ("did", "nothing"): -0.5,
        ("calls", "drop"): -0.6,
        ("at", "best"): -0.3,
        ("not", "a", "fan"): -0.5,
        ("nonexistent",): -0.6,
        ("non-existent",): -0.6,
        ("sort", "it", "out"): 0.4,
        ("sorted", "it", "out"): 0.4,
        ("right", "away"): 0.3,
        ("night", "and", "day"): 0.5,
        ("a", "brick"): -0.6,
        ("out", "of", "the", "box"): 0.4,
        ("disconnects",): -0.5,
        ("never", "answers"): -0.6,
        ("never", "replies"): -0.6,
        ("never", "responds"): -0.6,
        ("with", "a", "fix"): 0.4,
        ("the", "next", "day"): 0.4,
        ("the", "same", "day"): 0.4,
        ("straight", "away"): 0.3,
        ("keeps", "dropping"): -0.6,
        ("keeps", "crashing"): -0.6,
        ("keeps", "disconnecting"): -0.6,
        ("in", "a", "day"): 0.4,
        ("within", "a", "day"): 0.4,
        ("the", "next", "morning"): 0.4,
        ("the", "day", "after"): 0.4,
        ("immediately",): 0.3,
        ("half", "the", "price"): 0.5,
        ("cut", "my", "line"): -0.5,
        ("cut", "the", "line"): -0.5,
        ("had", "me", "waiting"): -0.5,
        ("never", "did", "that"): 0.4,
        ("never", "managed", "that"): 0.4,
        ("never", "does", "that"): 0.4,
        ("never", "had", "that"): 0.4,
        ("never", "answer"): -0.6,
        ("doesn't", "answer"): -0.6,
        ("don't", "answer"): -0.6,
        ("recalling",): -0.5,
        ("recalls",): -0.5,
        ("recalled",): -0.5,
        ("kept", "me", "waiting"): -0.5,
        # Round seven: service failures and praise told as facts (waits, things missing or
        # damaged, refunds given or refused, being passed around, nobody coming).
        ("on", "hold"): -0.5,
        ("waiting", "list"): -0.4,
        ("still", "waiting"): -0.5,
        ("still", "hasn't"): -0.5,
        ("still", "haven't"): -0.5,
        ("still", "hadn't"): -0.5,
        ("still", "not"): -0.5,
        ("passed", "me"): -0.5,
        ("passed", "us"): -0.5,
        ("passed", "between"): -0.5,
        ("passed", "around"): -0.5,
        ("bounced", "between"): -0.5,
        ("bounced", "around"): -0.5,
        ("transferred", "me"): -0.5,
        ("one", "department", "to", "another"): -0.5,
        ("between", "departments"): -0.5,
        ("nobody", "came"): -0.6,
        ("no", "one", "came"): -0.6,
        ("nobody", "turned", "up"): -0.6,
        ("nobody", "showed", "up"): -0.6,
        ("nobody", "called", "back"): -0.5,
        ("never", "called", "back"): -0.5,
        ("never", "heard", "back"): -0.5,
        ("said", "nothing"): -0.4,
        ("heard", "nothing"): -0.5,
        ("under", "maintenance"): -0.5,
        ("out", "of", "stock"): -0.4,
        ("charged", "me"): -0.4,
        ("charged", "us"): -0.4,
        ("cracked",): -0.5,
        ("damaged",): -0.5,
        ("dented",): -0.5,
        ("stained",): -0.5,
        ("a", "stain"): -0.5,
        ("forgot",): -0.4,
        ("forgotten",): -0.4,
        ("box", "empty"): -0.5,
        ("empty", "box"): -0.5,
        ("arrived", "late"): -0.5,
        ("hour", "late"): -0.5,
        ("hours", "late"): -0.5,
        ("minutes", "late"): -0.5,
        ("days", "late"): -0.5,
        ("without", "me", "asking"): 0.5,
        ("without", "us", "asking"): 0.5,
        ("without", "asking"): 0.5,
        ("without", "being", "asked"): 0.5,
        ("no", "questions"): 0.5,
        ("no", "quibbles"): 0.5,
        ("no", "quibble"): 0.5,
        ("refunded", "me"): 0.5,
        ("refunded", "us"): 0.5,
        ("money", "back"): 0.3,
        ("for", "free"): 0.4,
        ("free", "of", "charge"): 0.4,
        ("a", "day", "early"): 0.5,
        ("days", "early"): 0.5,
        ("arrived", "early"): 0.5,
        ("came", "early"): 0.5,
        ("ahead", "of", "schedule"): 0.5,
        ("by", "lunchtime"): 0.4,
        ("the", "same", "afternoon"): 0.4,
        ("the", "same", "morning"): 0.4,
        ("the", "same", "evening"): 0.4,
        ("within", "the", "hour"): 0.4,
        ("within", "an", "hour"): 0.4,
        ("in", "an", "hour"): 0.3,
        ("in", "one", "call"): 0.4,
        ("first", "call"): 0.4,
        ("first", "ring"): 0.4,
        ("while", "i", "waited"): 0.4,
        ("while", "we", "waited"): 0.4,
        ("on", "the", "spot"): 0.3,
        ("crashed",): -0.5,
        ("crashing",): -0.5,
        ("ignored",): -0.5,
        ("stuck",): -0.4,
        ("lukewarm",): -0.4,
        ("soggy",): -0.5,
        ("stone", "cold"): -0.5,
        ("faulty",): -0.6,
        ("defective",): -0.6,
        ("leaking",): -0.5,
        ("smashed",): -0.5,
        ("torn",): -0.4,
        ("rejected",): -0.4,
        ("overbooked",): -0.5,
        ("stranded",): -0.6,
        ("upgraded",): 0.4,
        ("spotless",): 0.6,
        ("apologised",): 0.3,
        ("apologized",): 0.3,
        ("replaced",): 0.3,
        ("swapped",): 0.3,
        ("credited",): 0.3,
        ("compensated",): 0.4,
        ("reimbursed",): 0.3,
        ("called", "me", "back"): 0.4,
        ("kept", "me", "updated"): 0.4,
        ("kept", "me", "informed"): 0.4,
        ("followed", "up"): 0.3,
        ("above", "and", "beyond"): 0.6,
        ("the", "extra", "mile"): 0.6,
        ("keeps", "going"): 0.5,
        ("still", "going", "strong"): 0.5,
        # round eight: a product still working, or dead (`still going`, `gave up the ghost`)
        ("still", "going"): 0.4,
        ("still", "running"): 0.4,
        ("still", "runs"): 0.4,
        ("gave", "up", "the", "ghost"): -0.6,
        ("packed", "in"): -0.5,
        ("packed", "up"): -0.5,
        ("conked", "out"): -0.5,
        ("flooded",): -0.5,
        ("still", "works"): 0.5,
        ("still", "working"): 0.4,
        ("costs", "more"): -0.4,
        ("cost", "more"): -0.4,
        ("pay", "more"): -0.4,
        ("paying", "more"): -0.4,
        ("pay", "double"): -0.5,
    },
    "fr": {
        ("bloqué",): -0.5,
        ("bloquée",): -0.5,
        ("bloqués",): -0.5,
        ("bloquées",): -0.5,
        ("sans", "raison"): -0.5,
        ("sans", "prévenir"): -0.4,
        ("sans", "préavis"): -0.4,
        ("pas", "de", "réponse"): -0.5,
        ("aucune", "réponse"): -0.5,
        ("sans", "réponse"): -0.5,
        ("toujours", "pas"): -0.5,
        ("toujours", "rien"): -0.5,
        ("facturé", "deux", "fois"): -0.6,
        ("prélevé", "deux", "fois"): -0.6,
        ("débité", "deux", "fois"): -0.6,
        ("jamais", "arrivé"): -0.6,
        ("jamais", "arrivée"): -0.6,
        ("jamais", "venu"): -0.5,
        ("laissé", "tomber"): -0.4,
        ("immonde",): -0.8,
        ("immondes",): -0.8,
        ("rien", "à", "redire"): 0.6,
        ("à", "l'", "heure"): 0.4,
        ("sans", "accroc"): 0.5,
        ("sans", "encombre"): 0.5,
        ("ne", "marche", "pas"): -0.6,
        ("ne", "marche", "plus"): -0.6,
        ("marche", "pas"): -0.6,
        ("marche", "plus"): -0.6,
        ("ne", "fonctionne", "pas"): -0.6,
        ("ne", "fonctionne", "plus"): -0.6,
        ("fonctionne", "pas"): -0.6,
        ("fonctionne", "plus"): -0.6,
        ("tout", "marche"): 0.4,
        ("tout", "fonctionne"): 0.4,
        ("pas", "d'", "internet"): -0.6,
        ("plus", "d'", "internet"): -0.6,
        ("sans", "internet"): -0.6,
        ("frais", "cachés"): -0.6,
        ("raccroché",): -0.5,
        ("personne", "ne", "répond"): -0.5,
        ("jamais", "remboursé"): -0.5,
        ("pas", "remboursé"): -0.5,
        ("refus", "de", "rembourser"): -0.6,
        ("refusé", "de", "rembourser"): -0.6,
        ("aucun", "geste", "commercial"): -0.5,
        ("pas", "de", "geste", "commercial"): -0.5,
        ("foutage", "de", "gueule"): -0.8,
        ("une", "blague"): -0.4,
        ("n'", "importe", "quoi"): -0.5,
        ("hors", "de", "prix"): -0.6,
        ("abusé",): -0.5,
        ("aucune", "nouvelle"): -0.5,
        ("sans", "nouvelles"): -0.5,
        ("pas", "de", "nouvelles"): -0.5,
        ("attends", "toujours"): -0.5,
        ("attend", "toujours"): -0.5,
        ("à", "l'", "écoute"): 0.5,
        ("rien", "à", "signaler"): 0.4,
        ("du", "premier", "coup"): 0.3,
        ("en", "quelques", "minutes"): 0.3,
        ("refusé",): -0.5,
        ("refusée",): -0.5,
        ("ne", "vient", "pas"): -0.5,
        ("pas", "venu"): -0.5,
        ("inutilisable",): -0.7,
        ("en", "trop"): -0.5,
        ("redémarre", "tout", "seul"): -0.5,
        ("redémarre", "toute", "seule"): -0.5,
        ("passe", "partout"): 0.5,
        ("capte", "partout"): 0.5,
        ("marche", "partout"): 0.5,
        ("réglo",): 0.5,
        ("sans", "discuter"): 0.4,
        ("pas", "cher"): 0.5,
        ("pas", "chère"): 0.5,
        ("pas", "de", "mauvaise", "surprise"): 0.5,
        ("geste", "commercial"): 0.4,
        ("rien", "fait"): -0.5,
        ("pour", "rien"): -0.4,
        ("pas", "fan"): -0.5,
        ("inexistant",): -0.6,
        ("inexistante",): -0.6,
        ("tout", "de", "suite"): 0.3,
        ("le", "jour", "et", "la", "nuit"): 0.5,
        ("une", "brique"): -0.5,
        ("se", "déconnecte"): -0.6,
        ("déconnecte",): -0.5,
        ("ne", "capte"): -0.5,
        ("nulle", "part"): -0.4,
        ("répond", "jamais"): -0.6,
        ("le", "lendemain"): 0.4,
        ("le", "jour", "même"): 0.4,
        ("réseau", "tombe"): -0.6,
        ("connexion", "tombe"): -0.6,
        ("connexion", "saute"): -0.6,
        ("coupe", "sans", "arrêt"): -0.6,
        ("dans", "la", "journée"): 0.4,
        ("en", "une", "journée"): 0.4,
        ("le", "lendemain", "matin"): 0.4,
        ("immédiatement",): 0.3,
        ("à", "moitié", "prix"): 0.5,
        ("la", "moitié", "du", "prix"): 0.5,
        ("coupé", "la", "ligne"): -0.5,
        ("jamais", "réussi", "ça"): 0.4,
        ("jamais", "fait", "ça"): 0.4,
        ("jamais", "eu", "ça"): 0.4,
        ("ne", "répond", "pas"): -0.6,
        ("ne", "répondent", "pas"): -0.6,
        ("aucun", "ne", "répond"): -0.6,
        ("vieille", "brique"): -0.5,
        ("coupé", "ma", "ligne"): -0.5,
        ("fait", "attendre"): -0.5,
        # Round seven: the same facts in French.
        ("en", "attente"): -0.5,
        ("liste", "d'", "attente"): -0.4,
        ("toujours", "en", "attente"): -0.5,
        ("baladé",): -0.5,
        ("baladée",): -0.5,
        ("baladés",): -0.5,
        ("de", "service", "en", "service"): -0.5,
        ("d'", "un", "service", "à", "l'", "autre"): -0.5,
        ("d'", "un", "conseiller", "à", "l'", "autre"): -0.5,
        ("transféré", "au"): -0.4,
        ("transférée", "au"): -0.4,
        ("personne", "n'", "est", "venu"): -0.6,
        ("personne", "n'", "est", "passé"): -0.6,
        ("personne", "ne", "rappelle"): -0.5,
        ("jamais", "rappelé"): -0.5,
        ("rien", "dit"): -0.4,
        ("aucun", "retour"): -0.5,
        ("en", "maintenance"): -0.5,
        ("en", "rupture"): -0.4,
        ("rupture", "de", "stock"): -0.4,
        ("m'", "a", "facturé"): -0.4,
        ("nous", "a", "facturé"): -0.4,
        ("fendu",): -0.5,
        ("fendue",): -0.5,
        ("abîmé",): -0.5,
        ("abîmée",): -0.5,
        ("endommagé",): -0.5,
        ("endommagée",): -0.5,
        ("cabossé",): -0.5,
        ("taché",): -0.5,
        ("tachée",): -0.5,
        ("tachés",): -0.5,
        ("manquant",): -0.4,
        ("manquante",): -0.4,
        ("manquants",): -0.4,
        ("il", "manquait"): -0.4,
        ("carton", "vide"): -0.5,
        ("colis", "vide"): -0.5,
        ("de", "retard"): -0.5,
        ("sans", "que", "je", "demande"): 0.5,
        ("sans", "que", "j'", "aie", "demandé"): 0.5,
        ("sans", "rien", "demander"): 0.5,
        ("sans", "même", "demander"): 0.5,
        ("sans", "question"): 0.5,
        ("sans", "questions"): 0.5,
        ("sans", "poser", "de", "question"): 0.5,
        ("sans", "poser", "de", "questions"): 0.5,
        ("m'", "a", "remboursé"): 0.5,
        ("m'", "a", "remboursée"): 0.5,
        ("m'", "ont", "remboursé"): 0.5,
        ("rendu", "l'", "argent"): 0.4,
        ("gratuitement",): 0.4,
        ("en", "avance"): 0.4,
        ("plus", "tôt", "que", "prévu"): 0.5,
        ("un", "jour", "plus", "tôt"): 0.5,
        ("dans", "l'", "après-midi"): 0.3,
        ("dans", "l'", "heure"): 0.4,
        ("en", "une", "heure"): 0.3,
        ("en", "un", "appel"): 0.4,
        ("premier", "appel"): 0.4,
        ("pendant", "que", "j'", "attendais"): 0.4,
        ("sur-le-champ",): 0.3,
        ("annulé",): -0.4,
        ("annulée",): -0.4,
        ("retardé",): -0.4,
        ("retardée",): -0.4,
        ("planté",): -0.5,
        ("plantée",): -0.5,
        ("tiède",): -0.4,
        ("tout", "froid"): -0.5,
        ("défectueux",): -0.6,
        ("défectueuse",): -0.6,
        ("fuite",): -0.4,
        ("rejeté",): -0.4,
        ("rejetée",): -0.4,
        ("coincé",): -0.4,
        ("coincée",): -0.4,
        ("introuvable",): -0.4,
        ("en", "rade"): -0.5,
        ("hors", "service"): -0.5,
        ("surclassé",): 0.4,
        ("surclassée",): 0.4,
        ("surclassés",): 0.4,
        ("remplacé",): 0.3,
        ("remplacée",): 0.3,
        ("dédommagé",): 0.4,
        ("dédommagée",): 0.4,
        ("m'", "a", "offert"): 0.4,
        ("nous", "a", "offert"): 0.4,
        ("m'", "a", "rappelé"): 0.4,
        ("m'", "a", "rappelée"): 0.4,
        ("tenu", "informé"): 0.4,
        ("tenue", "informée"): 0.4,
        ("serviable",): 0.6,
        ("serviables",): 0.6,
        ("excusé",): 0.3,
        ("sans", "frais"): 0.4,
        ("marche", "toujours"): 0.5,
        ("fonctionne", "toujours"): 0.5,
        ("tourne", "toujours"): 0.5,
        ("tourne", "encore"): 0.4,
        ("marche", "encore"): 0.4,
        ("fonctionne", "encore"): 0.4,
        ("rendu", "l'", "âme"): -0.6,
        ("inondé",): -0.5,
        ("inondée",): -0.5,
        ("continue", "de", "tourner"): 0.4,
        ("coûte", "plus", "cher"): -0.4,
        ("payer", "plus"): -0.4,
        ("paie", "plus"): -0.4,
        ("payer", "le", "double"): -0.5,
    },
}
# `à l'heure actuelle`, `à l'heure où`, `à l'heure de pointe`: a time, not punctuality.
_NOT_PUNCTUAL = frozenset({"actuelle", "où", "de", "du", "des"})
# `zéro coupure`, `zero outages`: a count of nothing, as a negation of the next word or two.
_ZERO = frozenset({"zero", "zéro"})
# `répondu en cinq minutes`, `sorted within ten minutes` (digits are not tokens: `in 5 minutes`
# reads `in minutes`): a quick service.
_QUICK = frozenset({"in", "within", "under", "en"})
# Number words (round nine: every one up to twenty and the tens: `a mis onze jours`).
_NUMBERS = frozenset(
    {"two", "three", "four", "five", "six", "ten", "fifteen", "twenty", "a", "few", "deux"}
    | {"one", "seven", "eight", "nine", "eleven", "twelve", "thirty", "forty", "fifty", "several"}
    | {"un", "une"}
    | {"trois", "quatre", "cinq", "six", "dix", "quinze", "vingt", "quelques"}
    | {"sept", "huit", "neuf", "onze", "douze", "treize", "quatorze", "seize", "trente"}
    | {"quarante", "cinquante", "plusieurs"}
)
_MINUTES = frozenset({"minutes", "minute", "min", "mins"})
# `made me call five times`, `makes me queue`, `m'a fait revenir trois fois`: the customer made to
# do the brand's work.
_MAKE = {
    "en": frozenset({"made", "makes", "make", "making"}),
    "fr": frozenset({"fait", "font", "faisait", "faire"}),
}
_MADE_WHO = {"en": frozenset({"me", "us"}), "fr": frozenset({"m'", "me", "nous"})}
_EFFORT = {
    "en": frozenset({"call", "wait", "queue", "pay", "repeat", "chase", "ring", "phone", "come"})
    | frozenset({"go", "return", "send", "explain", "redo", "jump"}),
    "fr": frozenset({"attendre", "revenir", "rappeler", "payer", "patienter", "répéter"})
    | frozenset({"renvoyer", "recommencer", "appeler", "expliquer", "courir"}),
}
COERCION_VALENCE = -0.5
_HAD_TO = frozenset({"had", "dû"})
QUICK_VALENCE = 0.3
# `took three weeks to send a technician`, `a mis trois semaines à`: a slow service.
# `takes two weeks`, `needs a month`, `met deux semaines`: the same in the present.
_TOOK = frozenset(
    {"took", "mis", "fallu", "take", "takes", "need", "needs", "needed", "met", "mettent"}
)
_LONG = frozenset(
    {"days", "weeks", "week", "months", "month", "jours", "semaines", "semaine", "mois"}
)
SLOW_VALENCE = -0.5
# What makes a complaint good, beside the fix words (`lexicons/<lang>.resolutions.txt`): the
# complaints after one in its clause were made good (`swapped my melted bath bomb for a new one`).
# Round nine added paying a claim and taking a faulty thing back (`m'a versé l'indemnité après
# l'accident`, `a repris la cuisine abîmée`, `a récupéré ma machine en panne`).
_COMPENSATIONS = {
    "en": frozenset({"replaced", "swapped", "exchanged", "compensated", "credited", "reimbursed"})
    | frozenset({"waived", "refunding", "settled", "collected", "refunded"}),
    "fr": frozenset({"remplacé", "remplacée", "échangé", "échangée", "dédommagé", "dédommagée"})
    | frozenset({"crédité", "offert", "offerte", "remboursés", "gratuit", "gratuite"})
    | frozenset({"versé", "indemnisé", "indemnisée"})
    | frozenset({"repris", "reprise", "récupéré", "récupérée", "remboursé", "remboursée"}),
}
COMPENSATION_REACH = 10
# `without asking`, `sans que je demande`: praise for a gift (`refunded me without asking`), a
# complaint for what was imposed (`changed my plan without asking and now it costs more`).
_UNASKED = frozenset(
    {
        ("without", "me", "asking"),
        ("without", "us", "asking"),
        ("without", "asking"),
        ("without", "being", "asked"),
        ("sans", "que", "je", "demande"),
        ("sans", "que", "j'", "aie", "demandé"),
        ("sans", "rien", "demander"),
        ("sans", "même", "demander"),
    }
)
_REASONS = frozenset({"for", "pour"})
_IMPOSING = frozenset(
    {"changed", "renewed", "charged", "cancelled", "canceled", "switched", "raised", "increased"}
    | {"moved", "added", "enrolled", "subscribed", "debited", "migrated", "closed", "deleted"}
    | {"changé", "renouvelé", "facturé", "prélevé", "débité", "résilié", "annulé", "augmenté"}
    | {"modifié", "ajouté", "inscrit", "souscrit", "basculé", "migré", "clôturé", "supprimé"}
)
IMPOSING_REACH = 5  # words back from `without asking` to the change it was made without
# A negated lexicon word weaker than this says nothing of its own (`partie`, -0.1 in textblob-fr).
WEAK_VALENCE = 0.1
# A wait with its length: `waited 50 minutes`, `on hold for an hour`, `three weeks waiting on A`,
# `une heure d'attente`, `j'ai attendu trois jours`. A wait without a length says little (`worth
# the wait`, `while I waited`); one said to be short or absent is no complaint (`only waited five
# minutes`, `sans attendre`).
_WAITS = {
    "en": frozenset({"waited", "waiting", "wait", "queued", "queueing", "queuing", "hold"}),
    "fr": frozenset({"attendu", "attendue", "attente", "attendre", "attends", "attend"})
    | frozenset({"attendais", "patienté", "poireauté", "poireauter", "patienter"}),
}
_WAIT_LENGTHS = frozenset(
    {"minutes", "mins", "hour", "hours", "hrs", "days", "weeks", "months", "ages"}
    | {"heure", "heures", "jours", "semaines", "mois"}
)
_SHORT_OR_NONE = frozenset(
    {"only", "just", "barely", "no", "never", "without", "didn't", "don't", "not"}
    | {"seulement", "sans", "pas", "jamais", "peine"}
)
# Words from the wait to its length (`waited over two hours`, `attendu plus d'une heure`).
WAIT_REACH = 4
WAIT_VALENCE = -0.5
# A length of time after a complaint in its sentence stretches it (`passed me between departments
# for an hour`, `ne parle plus à la chaudière depuis décembre`): the time counts as a complaint.
_FOR = frozenset({"for", "since", "pendant", "depuis"})
_DATES = frozenset(
    {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}
    | {"january", "february", "march", "april", "may", "june", "july", "august"}
    | {"september", "october", "november", "december"}
    | {"lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"}
    | {"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août"}
    | {"septembre", "octobre", "novembre", "décembre"}
)
STRETCH_REACH = 12  # words back from the length to the complaint it stretches
STRETCH_VALENCE = -0.3
# Being passed around: a passing verb followed, in its sentence, by two departments or more
# (`passed me between billing, tech support and retentions`, `transféré de la facturation au
# service technique puis au service fidélisation`).
_PASSING = {
    "en": frozenset({"passed", "transferred", "bounced", "shunted", "redirected", "handed"}),
    "fr": frozenset({"transféré", "transférée", "renvoyé", "renvoyée", "redirigé", "redirigée"})
    | frozenset({"baladé", "baladée", "passé", "passée"}),
}
_DEPARTMENTS = {
    "en": frozenset({"department", "departments", "team", "teams", "billing", "support"})
    | frozenset({"sales", "retentions", "retention", "agent", "agents", "desk", "branch"}),
    "fr": frozenset({"service", "services", "facturation", "conseiller", "conseillère"})
    | frozenset({"conseillers", "technique", "commercial", "fidélisation", "agence", "support"}),
}
PASSING_REACH = 12
# Kept for days: a holding verb with a long length after it (`kept my car for nine days`, `l'a
# gardée neuf jours`), or a long length spent for a service (`three weeks for an engineer`, `un
# mois pour un remboursement`, `two weeks to get a reply`).
_HOLDING = frozenset(
    {"kept", "keeps", "keep", "held", "holds", "holding", "gardé", "gardée", "gardés", "garde"}
    | {"gardent", "gardait", "immobilisé", "immobilisée"}
)
_LONG_LENGTHS = _LONG | frozenset({"hours", "heures", "ages"})
_SERVICE_NOUNS = frozenset(
    {"engineer", "technician", "refund", "reply", "answer", "response", "appointment"}
    | {"delivery", "repair", "replacement", "callback", "visit", "fix", "parcel", "decision"}
    | {"technicien", "remboursement", "réponse", "rendez-vous", "livraison", "réparation"}
    | {"rappel", "dépannage", "intervention", "colis", "décision", "devis"}
)
_SERVICE_VERBS = frozenset(
    {"get", "fix", "reply", "answer", "respond", "refund", "deliver", "send", "repair", "ship"}
    | {"process", "sort", "arrive", "come", "call"}
    | {"avoir", "obtenir", "réparer", "répondre", "rembourser", "livrer", "envoyer", "traiter"}
    | {"recevoir", "venir", "intervenir", "rappeler"}
)
_FOR_SERVICE = frozenset({"for", "to", "pour", "avant"})
# The words a wait, a hold or a passing around can start at (the only ones `service_events` tries
# them at).
_WAIT_STARTS = frozenset().union(*_WAITS.values(), _WAIT_LENGTHS)
_HELD_STARTS = _HOLDING | _LONG_LENGTHS
_PASSING_WORDS = frozenset().union(*_PASSING.values())
_ARTICLES = frozenset({"a", "an", "the", "my", "our", "un", "une", "le", "la", "l'", "mon", "ma"})
# Round eight. A service put off: a negation, then `until`/`before`/`avant` a date or a time
# to come (`can't book an engineer until January`, `nothing before next week`, `rien avant la
# mi-janvier`, `pas de créneau avant mars`).
_UNTIL = frozenset({"until", "till", "before", "avant"})
_LATER = _DATES | frozenset(
    {"next", "tomorrow", "week", "weeks", "month", "months", "year", "christmas", "spring"}
    | {"summer", "autumn", "winter", "end", "prochain", "prochaine", "demain", "semaine"}
    | {"semaines", "mois", "an", "année", "noël", "printemps", "été", "automne", "hiver", "fin"}
)
_TIME_ARTICLES = frozenset({"the", "a", "la", "le", "l'", "les", "au", "at", "least"})
PUT_OFF_REACH = 6  # words back from `until` to the negation in its clause
# A quick service counted in hours or a day or two (`sent an engineer within two days`, `passé en
# deux jours`, `livré en une heure`): `in`/`within`/`en` and a small number before the unit.
_FEW = frozenset({"a", "an", "one", "two", "un", "une", "deux", "24", "48"})
_HOURS_OR_DAYS = frozenset({"hour", "hours", "day", "days", "heure", "heures", "jour", "jours"})
# A product still working after years (`has done 4,000 cycles without a hiccup`, `il tourne
# toujours`); the small faults whose denial is praise (`without a hiccup`, `sans un accroc`).
_SMALL_FAULTS = frozenset({"hiccup", "hiccups", "glitch", "glitches", "accroc", "pépin"})
SMALL_FAULT_VALENCE = -0.4


def _denies_complaint(
    analysis: sentiment.Analysis, indices: Sequence[int], valences: Sequence[float]
) -> bool:
    """A negated negative word (`no complaints`, `never dropped`, `aucun souci`) and no other."""
    tokens = analysis.tokens
    denied = [
        i
        for i in indices
        if valences[i] > 0
        and tokens[i].kind == "word"
        and sentiment._lookup(tokens[i].text, analysis.lang) < 0
    ]
    return bool(denied) and not any(valences[i] < 0 for i in indices)


_EVENTS_BY_FIRST_WORD = {lang: lexicon.by_first_word(t) for lang, t in _SERVICE_EVENTS.items()}


def service_events(analysis: sentiment.Analysis) -> dict[int, float]:
    """Valences of `_SERVICE_EVENTS` (`bloqué sans raison`, `no reply`, `rien à redire`, `on
    time`), and of the complaint a `zéro`/`zero` counts as none (`zéro coupure`, `zero outages`:
    praise). Keyed by token; a phrase's first token carries its value, the others 0. A phrase
    wins over the words it covers (`frais cachés`, `no refund`), a single word only fills a
    token the lexicon left at 0; a phrase ending on a negation leaves the word it negates alone
    (`still no issues`, `toujours pas de souci` stay praise)."""
    lang = analysis.lang
    events = _EVENTS_BY_FIRST_WORD.get(lang, {})
    make = _MAKE.get(lang, frozenset())
    negations = lexicon.NEGATIONS.get(lang, frozenset())
    tokens, valences = analysis.tokens, analysis.valences
    words = [t.text if t.kind == "word" else "" for t in tokens]
    found: dict[int, float] = {}
    covered: set[int] = set()  # `toujours pas de réponse` is one complaint, not two
    unasked: list[int] = []  # `without asking`: a gift, or imposed (`_imposed`)
    starts = _EVENT_STARTS.get(lang)
    candidates = (
        range(len(tokens)) if starts is None else [i for i, w in enumerate(words) if w in starts]
    )
    for i in candidates:
        if i in covered:
            continue
        if words[i] in _ZERO or _none_counted(words, i):
            for j in range(i + 1, min(i + 3, len(tokens))):
                if not words[j]:
                    break
                if valences[j] < 0:
                    found[j] = -0.6 * valences[j]
                    break
            continue
        if words[i] in _TOOK and not valences[i]:
            j = i + 1 + (i + 1 < len(words) and words[i + 1] in _NUMBERS | {"des", "several"})
            if j < len(words) and words[j] in _LONG:
                found[i] = SLOW_VALENCE
                covered.update(range(i, j + 1))
                continue
        waited = words[i] in _WAIT_STARTS and _waited(words, i, lang)
        if waited:
            found[waited[0]] = WAIT_VALENCE
            found.update({j: 0.0 for j in range(waited[0] + 1, waited[1])})
            covered.update(range(i, waited[1]))
            continue
        held = words[i] in _HELD_STARTS and _held(words, i)
        passed = words[i] in _PASSING_WORDS and _passed_around(words, i, lang)
        if held or passed:
            found[i] = SLOW_VALENCE if held else COERCION_VALENCE
            covered.update(range(i, max(held, i + 1)))
            continue
        coerced = (words[i] in make or words[i] in _HAD_TO) and _coercion(words, i, lang)
        if coerced:
            found[i] = COERCION_VALENCE
            covered.update(range(i, coerced))
            continue
        if words[i] in _QUICK and not valences[i]:
            # `in ten minutes`; `in 20 minutes` and `in minutes` read the same (the tokenizer
            # drops digits)
            j = i + 1 + (i + 1 < len(words) and words[i + 1] in _NUMBERS)
            if j < len(words) and words[j] in _MINUTES:
                found[i] = QUICK_VALENCE
                covered.update(range(i, j + 1))
                continue
            # `within two days`, `en une heure` (not `in three weeks`)
            if i + 2 < len(words) and words[i + 1] in _FEW and words[i + 2] in _HOURS_OR_DAYS:
                found[i] = QUICK_VALENCE
                covered.update(range(i, i + 3))
                continue
        if words[i] in _UNTIL and not valences[i] and _put_off(words, i, negations):
            found[i] = SLOW_VALENCE
            covered.add(i)
            continue
        if words[i] in _SMALL_FAULTS and not valences[i]:
            # a single word: the negation before it (`without a hiccup`) turns it round below
            found[i] = SMALL_FAULT_VALENCE
            if any(w in negations for w in words[max(0, i - 3) : i]):
                found[i] = -0.6 * SMALL_FAULT_VALENCE
            continue
        following = words[i + 1] if i + 1 < len(words) else ""
        for phrase, value in events.get(words[i], ()):
            end = i + len(phrase)
            if len(phrase) > 1 and phrase[1] != following:
                continue  # (the cheap test first: most phrases differ at their second word)
            if tuple(words[i:end]) != phrase or (len(phrase) == 1 and valences[i]):
                continue
            if phrase == ("à", "l'", "heure") and end < len(words) and words[end] in _NOT_PUNCTUAL:
                continue
            # the negation's own valence: a lexicon phrase it opens (`no issues`)
            negated_next = [valences[j] for j in range(end - 1, min(end + 3, len(words)))]
            # (a weak word is no statement of its own: `toujours pas partie` is a complaint)
            if phrase[-1] in negations and any(abs(v) >= WEAK_VALENCE for v in negated_next):
                continue
            if len(phrase) == 1 and any(w in negations for w in words[max(0, i - 3) : i]):
                value *= -0.6
            if value > 0 and end < len(words) and words[end] in negations:
                continue  # `marche toujours pas`: the negation after it turns it round
            found.update({j: 0.0 for j in range(i + 1, end)})
            found[i] = value
            covered.update(range(i, end))
            if phrase in _UNASKED:
                unasked.append(i)
            break
    for i in _stretched(tokens, words, valences, found):
        found[i] = STRETCH_VALENCE
    for i in unasked:
        if _imposed(tokens, words, valences, found, i):
            found[i] = -found[i]
    return found


def _imposed(
    tokens: list[sentiment.Token],
    words: Sequence[str],
    valences: Sequence[float],
    found: dict[int, float],
    i: int,
) -> bool:
    """`without asking` at token `i` after a change made to the customer (`renewed my plan without
    asking`) or in a sentence holding a complaint (`… and now it costs more`): something imposed,
    not a gift. A complaint just after `for`/`pour` is the gift's reason (`a month free for the
    outage without me asking`)."""
    if any(w in _IMPOSING for w in words[max(0, i - IMPOSING_REACH) : i]):
        return True
    group = next((g for g in sentiment.sentences(tokens) if i in g), [])
    for k in group:
        if k == i or found.get(k, valences[k]) >= 0 or tokens[k].kind != "word":
            continue
        if not any(w in _REASONS for w in words[max(0, k - 3) : k]):
            return True
    return False


# Round eight: `not a single outage`, `not one dropped call`, `plus une seule coupure`, `pas un
# seul bug`: a count of nothing, as `zero` is.
_SINGLE = frozenset({"single", "seul", "seule"})
_ONE = frozenset({"a", "one", "un", "une"})
_NONE_BEFORE = frozenset({"not", "never", "pas", "plus", "jamais"})
# Every word `service_events` can start at: any other token is passed over at once
# (`tests/transform/test_event_starts.py` checks the shortcut against a scan of every token).
_EVENT_STARTS = {
    lang: frozenset(_EVENTS_BY_FIRST_WORD.get(lang, {}))
    | _ZERO
    | _SINGLE
    | {"one"}
    | _TOOK
    | _WAIT_STARTS
    | _HELD_STARTS
    | _PASSING_WORDS
    | _MAKE.get(lang, frozenset())
    | _HAD_TO
    | _QUICK
    | _UNTIL
    | _SMALL_FAULTS
    for lang in ("en", "fr")
}


def _none_counted(words: Sequence[str], i: int) -> bool:
    """`single`/`seul` after `not a`/`plus une`, or `one` after `not`, at word `i`."""
    if words[i] in _SINGLE:
        return i >= 2 and words[i - 1] in _ONE and words[i - 2] in _NONE_BEFORE
    return words[i] == "one" and i >= 1 and words[i - 1] in _NONE_BEFORE


def _put_off(words: Sequence[str], i: int, negations: frozenset[str]) -> bool:
    """`until`/`avant` at `i` opens a time to come (`January`, `next week`, `la mi-janvier`) and
    a negation stands before it in its clause (`can't book one until`, `rien avant`)."""
    j = i + 1
    while j < len(words) and words[j] in _TIME_ARTICLES:
        j += 1
    if j >= len(words) or not (words[j] in _LATER or words[j].startswith("mi-")):
        return False
    for k in range(i - 1, max(-1, i - PUT_OFF_REACH - 1), -1):
        if not words[k]:
            return False
        if words[k] in negations:
            return True
    return False


def _stretched(
    tokens: Sequence[sentiment.Token],
    words: Sequence[str],
    valences: Sequence[float],
    found: dict[int, float],
) -> list[int]:
    """`for`/`pendant`/`since`/`depuis` opening a length (`for an hour`, `pendant trois jours`,
    `since Tuesday`, `depuis décembre`) after a complaint in its sentence (`STRETCH_REACH` words
    back at most, no sentence end between)."""
    stretched = []
    for i, word in enumerate(words):
        if word not in _FOR or i in found:
            continue
        j = i + 1 + (i + 1 < len(words) and words[i + 1] in _NUMBERS | {"an", "several"})
        if j >= len(words) or not (words[j] in _WAIT_LENGTHS or words[j] in _DATES):
            continue
        for k in range(i - 1, max(-1, i - STRETCH_REACH - 1), -1):
            if tokens[k].kind in ("stop", "bang"):
                break
            if found.get(k, valences[k]) < 0:
                stretched.append(i)
                break
    return stretched


def _held(words: Sequence[str], i: int) -> int:
    """The end of `kept my car for nine days` / `three weeks for an engineer` starting at word
    `i` (0: none)."""
    if words[i] in _HOLDING:
        for j in range(i + 1, min(i + 6, len(words))):
            if not words[j]:
                break
            if words[j] in _LONG_LENGTHS:
                return j + 1
        return 0
    if words[i] in _LONG_LENGTHS and i + 2 < len(words) and words[i + 1] in _FOR_SERVICE:
        j = i + 2 + (words[i + 2] in _ARTICLES)
        if words[i + 2] == "get" or (j < len(words) and words[j] in _SERVICE_NOUNS):
            return j + 1
        if words[i + 2] in _SERVICE_VERBS:
            return i + 3
    return 0


def _passed_around(words: Sequence[str], i: int, lang: str) -> bool:
    """A passing verb with two departments or more after it in its sentence."""
    if words[i] not in _PASSING.get(lang, frozenset()):
        return False
    departments = _DEPARTMENTS.get(lang, frozenset())
    seen = 0
    for j in range(i + 1, min(i + 1 + PASSING_REACH, len(words))):
        if not words[j]:
            break
        seen += words[j] in departments
    return seen >= 2


def _coercion(words: Sequence[str], i: int, lang: str) -> int:
    """The end of `made me call`, `m'a fait revenir` starting at word `i` (0: none). English puts
    the customer after the verb, French before it."""
    who, effort = _MADE_WHO.get(lang, frozenset()), _EFFORT.get(lang, frozenset())
    # `had to explain it five times`, `j'ai dû rappeler`: the customer made to, without a maker.
    if lang == "en" and words[i] == "had" and i + 2 < len(words) and words[i + 1] == "to":
        return i + 3 if words[i + 2] in effort else 0
    if lang == "fr" and words[i] == "dû" and i + 1 < len(words):
        return i + 2 if words[i + 1] in effort else 0
    if words[i] not in _MAKE.get(lang, frozenset()):
        return 0
    if lang == "en":
        ok = i + 2 < len(words) and words[i + 1] in who and words[i + 2] in effort
        return i + 3 if ok else 0
    ok = i + 1 < len(words) and words[i + 1] in effort and bool(set(words[max(0, i - 3) : i]) & who)
    return i + 2 if ok else 0


def _resolved_complaints(
    analysis: sentiment.Analysis, valences: Sequence[float], clauses: Sequence[Span] = ()
) -> list[int]:
    """Complaint words a fix word (`sorted`, `fixed`, `réglé`, `résolu`), not negated, stands
    within three words of, in their sentence: the problem is the fix's object. With the post's
    `clauses`, also the complaints a compensation (`refunded`, `swapped`, `offert`, `remplacé`)
    stands before in its clause: what was made good (`swapped my melted bath bomb`, `m'a offert
    un mois pour la panne`, `m'a remboursé avant que j'aie fini ma réclamation`)."""
    fixes = lexicon.RESOLUTION_WORDS.get(analysis.lang, frozenset())
    tokens = analysis.tokens
    found = []
    # (a post without a fix word fixes nothing)
    groups = [] if fixes.isdisjoint(analysis.texts) else analysis.sentence_groups
    for group in groups:
        fixed = [k for k, i in enumerate(group) if tokens[i].text in fixes and valences[i] > 0]
        for k, i in enumerate(group):
            if valences[i] < 0 and tokens[i].kind == "word" and any(abs(k - f) <= 3 for f in fixed):
                found.append(i)
    if clauses:
        found.extend(i for i in _compensated(analysis, valences, clauses) if i not in found)
    return found


def _compensated(
    analysis: sentiment.Analysis, valences: Sequence[float], clauses: Sequence[Span]
) -> list[int]:
    """Complaint words up to `COMPENSATION_REACH` words after a compensation word, not negated,
    in its clause."""
    lang = analysis.lang
    making_good = _making_good(lang)
    found: list[int] = []
    if making_good.isdisjoint(analysis.texts):
        return found
    negations = lexicon.NEGATIONS.get(lang, frozenset())
    tokens = analysis.tokens
    for i, token in enumerate(tokens):
        if token.text not in making_good or valences[i] < 0:
            continue
        if any(t.text in negations for t in tokens[max(0, i - 3) : i]):
            continue
        clause = next(((a, b) for a, b in clauses if a <= token.start < b), None)
        if clause is None:
            continue
        for j in range(i + 1, min(i + 1 + COMPENSATION_REACH, len(tokens))):
            if tokens[j].start >= clause[1] or tokens[j].kind in ("stop", "bang"):
                break
            if valences[j] < 0 and tokens[j].kind == "word":
                found.append(j)
    return found


@cache
def _making_good(lang: str) -> frozenset[str]:
    """The compensation and fix words of `lang`."""
    return _COMPENSATIONS.get(lang, frozenset()) | lexicon.RESOLUTION_WORDS.get(lang, frozenset())


def _waited(words: Sequence[str], i: int, lang: str) -> tuple[int, int] | None:
    """The span of a wait with its length starting at word `i` (`waited 50 minutes`, `une heure
    d'attente`): a wait word with a length up to `WAIT_REACH` words after it, or a length just
    before it (`three weeks waiting`, `heures d'attente`); none when a word before the wait says
    it was short or absent (`only waited`, `sans attendre`). Digits are not tokens, so `50
    minutes` reads `minutes`."""
    waits = _WAITS.get(lang, frozenset())
    on_hold = words[i] != "hold" or (i > 0 and words[i - 1] == "on")
    if words[i] in waits and on_hold and _SHORT_OR_NONE.isdisjoint(words[max(0, i - 3) : i]):
        for j in range(i + 1, min(i + 1 + WAIT_REACH, len(words))):
            if not words[j]:
                break
            if words[j] in _WAIT_LENGTHS:
                return i, j + 1
    if words[i] in _WAIT_LENGTHS:
        for j in range(i + 1, min(i + 3, len(words))):
            if not words[j]:
                break
            if words[j] in waits:
                if _SHORT_OR_NONE.isdisjoint(words[max(0, i - 3) : i]):
                    return i, j + 1
                break
    return None
