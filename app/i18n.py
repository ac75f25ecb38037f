"""The page's words in French (default) and English, and numbers and dates in the locale's style.

One table, so a missing translation is a missing key (tests check both languages have every key).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

Language = Literal["fr", "en"]
LANGUAGES: tuple[Language, ...] = ("fr", "en")

WORDS: dict[str, tuple[str, str]] = {
    # navigation
    "nav.today": ("Ce matin", "This morning"),
    "nav.alerts": ("Alertes", "Alerts"),
    "nav.why": ("Pourquoi", "Why"),
    "nav.mentions": ("Mentions", "Mentions"),
    "nav.competition": ("Concurrence", "Competition"),
    "nav.topics": ("Sujets & histoires", "Topics & stories"),
    "nav.who": ("Qui", "Who"),
    "nav.method": ("Méthode & rapports", "Method & reports"),
    "nav.group.read": ("Lire", "Read"),
    "nav.group.dig": ("Creuser", "Dig"),
    "english": ("English", "English"),
    # filters
    "filters": ("Filtres", "Filters"),
    "brands": ("Marques", "Brands"),
    "dates": ("Dates", "Dates"),
    "choose_brand": ("Choisissez au moins une marque.", "Choose at least one brand."),
    # empty states
    "no_build": (
        "Aucune donnée publiée : lancez `ecoute run` (ou `make demo`) puis rechargez la page.",
        "No published data yet: run `ecoute run` (or `make demo`) and reload the page.",
    ),
    "no_mentions": (
        "L'entrepôt ne contient encore aucune mention de marque : vérifiez les sources dans "
        "ecoute.yml puis relancez `ecoute run`.",
        "The warehouse holds no brand mentions yet: check the sources in ecoute.yml, then run "
        "`ecoute run` again.",
    ),
    "nothing_in_range": (
        "Rien sur cette période : élargissez les dates ou ajoutez des marques.",
        "Nothing in this period: widen the dates or add brands.",
    ),
    "config_error": ("Configuration invalide", "Invalid configuration"),
    # page 1
    "today.title": ("Ce matin", "This morning"),
    "today.as_of": (
        "Mention la plus récente : {newest} · dernière publication réussie : {built}",
        "Newest mention: {newest} · last successful build: {built}",
    ),
    "today.stale": (
        "La mention la plus récente a {days} jours de plus que la publication : les fenêtres "
        "« 24 h » et « 7 jours » se terminent au {newest}.",
        "The newest mention is {days} days older than the build: the “24 h” and “7 days” "
        "windows end on {newest}.",
    ),
    "today.what_changed": ("Ce qui a changé", "What changed"),
    "today.nothing_changed": (
        "Aucune alerte sur la période : rien d'inhabituel.",
        "No alert in the period: nothing unusual.",
    ),
    "today.mentions_24h": ("Mentions 24 h", "Mentions 24 h"),
    "today.mentions_7d": ("Mentions 7 j", "Mentions 7 d"),
    "today.baseline": ("référence {value}/j", "baseline {value}/day"),
    "today.net": ("Sentiment net 7 j", "Net sentiment 7 d"),
    "today.sov": ("Part de voix 7 j", "Share of voice 7 d"),
    "today.open_alerts": ("Alertes ouvertes", "Open alerts"),
    "today.coverage": ("Couverture par source", "Coverage by source"),
    "today.gap": ("aucune mention depuis {days} j", "no mention for {days} d"),
    "today.volume": ("Volume quotidien", "Daily volume"),
    "why_link": ("pourquoi ?", "why?"),
    # alerts
    "alerts.title": ("Alertes", "Alerts"),
    "alerts.caption": (
        "Classées par gravité : taille par rapport à la référence, puis les deux signaux.",
        "Sorted by severity: size against the baseline, then both signals.",
    ),
    "alerts.none": ("Aucune alerte sur cette période.", "No alert in this period."),
    "alerts.sentence": (
        "{brand} — {signal} du {first} au {last} : {mentions} mentions, {lift} la référence "
        "({baseline}/j) ; sentiment {change}. Mots-clés : {keywords}. Sources : {sources}. "
        "Auteurs : {authors}.",
        "{brand} — {signal} from {first} to {last}: {mentions} mentions, {lift} the baseline "
        "({baseline}/day); sentiment {change}. Keywords: {keywords}. Sources: {sources}. "
        "Authors: {authors}.",
    ),
    "alerts.story": ("Histoire principale : {title}", "Main story: {title}"),
    "signal.volume": ("pic de volume", "volume spike"),
    "signal.negative": ("hausse du négatif", "negative surge"),
    "signal.both": ("pic de volume et hausse du négatif", "volume spike and negative surge"),
    "times": ("×{value}", "×{value}"),
    "status": ("Statut", "Status"),
    "status.new": ("nouvelle", "new"),
    "status.acknowledged": ("prise en compte", "acknowledged"),
    "status.closed": ("close", "closed"),
    "useful": ("Utile ?", "Useful?"),
    "useful.yes": ("oui", "yes"),
    "useful.no": ("non", "no"),
    "useful.unset": ("—", "—"),
    "precision": (
        "Précision des alertes jugées : {value} ({judged} jugées)",
        "Precision of judged alerts: {value} ({judged} judged)",
    ),
    "see_why": ("Pourquoi ?", "Why?"),
    "see_mentions": ("Voir les mentions", "See the mentions"),
    # why
    "why.title": ("Pourquoi", "Why"),
    "why.alert": ("Alerte", "Alert"),
    "why.day": ("ou un jour", "or a day"),
    "why.none": ("(aucune)", "(none)"),
    "why.keywords": ("Mots-clés en hausse", "Lift keywords"),
    "why.stories": ("Histoires", "Stories"),
    "why.mentions": ("Les mentions derrière", "The mentions behind it"),
    "why.net": ("Sentiment net (7 j glissants)", "Net sentiment (rolling 7 d)"),
    "why.notes": ("Notes d'événements", "Event notes"),
    "why.note_add": ("Ajouter une note", "Add a note"),
    "why.note_text": ("Note (campagne, sortie…)", "Note (campaign, release…)"),
    "why.note_day": ("Jour", "Day"),
    "why.episodes": ("Épisodes d'alerte en rouge.", "Alert episodes in red."),
    # mentions
    "mentions.title": ("Mentions", "Mentions"),
    "mentions.caption": (
        "Le texte propre de chaque mention d'abord, le titre du fil ensuite ; les copies "
        "syndiquées sont regroupées (×N).",
        "Each mention's own text first, its thread title second; syndicated copies are "
        "collapsed (×N).",
    ),
    "source": ("Source", "Source"),
    "language": ("Langue", "Language"),
    "sentiment": ("Sentiment", "Sentiment"),
    "kind": ("Type", "Kind"),
    "author_type": ("Type d'auteur", "Author type"),
    "story": ("Histoire", "Story"),
    "search": ("Rechercher", "Search"),
    "download_csv": ("Télécharger CSV", "Download CSV"),
    "download_parquet": ("Télécharger Parquet", "Download Parquet"),
    "shown": ("{shown} lignes affichées sur {total}", "{shown} rows shown of {total}"),
    "col.when": ("Date", "When"),
    "col.brand": ("Marque", "Brand"),
    "col.text": ("Texte", "Text"),
    "col.thread": ("Fil", "Thread"),
    "col.copies": ("Copies", "Copies"),
    "col.why_matched": ("Pourquoi retenue", "Why matched"),
    "col.sentiment": ("Sentiment", "Sentiment"),
    "col.confidence": ("Confiance", "Confidence"),
    "col.author": ("Auteur", "Author"),
    "col.link": ("Lien", "Link"),
    "col.source": ("Source", "Source"),
    "col.lang": ("Langue", "Language"),
    "col.keyword": ("Mot-clé", "Keyword"),
    "col.lift": ("Lift", "Lift"),
    "col.count": ("Mentions", "Mentions"),
    "col.share": ("Part", "Share"),
    "col.change": ("Évolution", "Change"),
    "col.trust": ("Confiance", "Trust"),
    "alert_filter": ("Alerte : {alert}", "Alert: {alert}"),
    "clear_alert": ("Retirer le filtre d'alerte", "Clear the alert filter"),
    "all": ("toutes", "all"),
    # competition
    "comp.title": ("Concurrence", "Competition"),
    "comp.sov": ("Part de voix par semaine", "Share of voice per week"),
    "comp.partial": (
        "Semaines partielles (marquées *) : {weeks}.",
        "Partial weeks (marked *): {weeks}.",
    ),
    "comp.by_source": ("Sentiment par source", "Sentiment by source"),
    "comp.by_lang": ("Sentiment par langue", "Sentiment by language"),
    # topics
    "topics.title": ("Sujets & histoires", "Topics & stories"),
    "topics.keywords": ("Mots-clés par lift", "Keywords by lift"),
    "topics.stories": ("Histoires (grappes de copies)", "Stories (copy clusters)"),
    # who
    "who.title": ("Qui", "Who"),
    "who.typology": ("Les quatre types de contributeurs", "The four contributor types"),
    "who.trust": (
        "Score de confiance et ses six composantes",
        "Trust score and its six components",
    ),
    "who.advocates": ("Ambassadeurs", "Advocates"),
    "who.detractors": ("Détracteurs", "Detractors"),
    "who.privacy_on": (
        "Auteurs pseudonymisés (réglage de confidentialité du projet).",
        "Authors are pseudonymised (the project's privacy setting).",
    ),
    # method
    "method.title": ("Méthode & rapports", "Method & reports"),
    "method.brief": ("Note hebdomadaire", "Weekly brief"),
    "method.week": ("Semaine", "Week"),
    "method.download_md": ("Télécharger Markdown", "Download Markdown"),
    "method.download_html": ("Télécharger HTML", "Download HTML"),
    "method.sentiment": ("Comment le sentiment est calculé", "How sentiment is computed"),
    "method.sentiment_text": (
        "Chaque mention reçoit un sentiment envers chaque marque citée (modèle appris par langue "
        "ou règles lexicales, voir `sentiment.backend`). Le sentiment net est (positives − "
        "négatives) / mentions, sur les mentions canoniques (une seule copie par histoire).",
        "Each mention gets a sentiment towards each brand it names (a learned model per language "
        "or lexicon rules, see `sentiment.backend`). Net sentiment is (positive − negative) / "
        "mentions, over canonical mentions (one copy per story).",
    ),
    "method.alerts": ("Comment les alertes sont calculées", "How alerts are computed"),
    "method.alerts_text": (
        "Un jour est signalé quand son volume dépasse max(médiane × lift, médiane + k × "
        "dispersion robuste) des jours de référence précédents, ou quand sa part négative dépasse "
        "celle de la référence de k erreurs binomiales. Les jours signalés proches forment un "
        "épisode.",
        "A day is flagged when its volume exceeds max(median × lift, median + k × robust spread) "
        "of the baseline days before it, or when its negative share exceeds the baseline's by k "
        "binomial standard errors. Nearby flagged days make one episode.",
    ),
    "method.quality": ("Qualité mesurée", "Measured quality"),
    "method.quality_text": (
        "Exactitude sur des jeux étiquetés ; les exemples livrés avec le projet (petits, "
        "vus à l'entraînement) sont séparés des jeux tenus à l'écart et de vos corrections.",
        "Accuracy on labelled sets; the examples shipped with the project (small, seen in "
        "training) are kept apart from held-out sets and your own corrections.",
    ),
    "method.shipped": ("exemples livrés", "shipped examples"),
    "method.heldout": ("tenu à l'écart / vos données", "held-out / your data"),
    "method.no_quality": (
        "Aucune évaluation stockée : `ecoute evaluate --store FICHIER` sur vos mentions "
        "étiquetées.",
        "No stored evaluation: `ecoute evaluate --store FILE` on your labelled mentions.",
    ),
    "method.limits": ("Limites connues", "Known limits"),
    "method.limits_text": (
        "- L'ironie et les négations longues trompent le sentiment.\n"
        "- Les sources non collectées n'existent pas pour l'outil.\n"
        "- Les semaines partielles sont signalées, pas extrapolées.",
        "- Irony and long negations fool the sentiment.\n"
        "- Sources not collected do not exist for the tool.\n"
        "- Partial weeks are flagged, not extrapolated.",
    ),
    "method.export": ("Exporter la vue", "Export the view"),
}


def translate(key: str, language: Language, **values: object) -> str:
    """The text for `key` in `language`, with `{name}` placeholders filled from `values`."""
    french, english = WORDS[key]
    text = french if language == "fr" else english
    return text.format(**values) if values else text


def number(value: float, language: Language, digits: int = 0) -> str:
    """1 234,5 in French, 1,234.5 in English (a narrow no-break space groups French thousands)."""
    text = f"{value:,.{digits}f}"
    if language == "fr":
        return text.replace(",", "\u202f").replace(".", ",")
    return text


def percent(value: float, language: Language, digits: int = 0) -> str:
    """12 % in French (no-break space), 12% in English."""
    shown = number(value * 100, language, digits)
    return f"{shown}\u00a0%" if language == "fr" else f"{shown}%"


def signed(value: float, language: Language, digits: int = 2) -> str:
    """A change with its sign: +0,12 / −0.12."""
    text = number(abs(value), language, digits)
    return f"+{text}" if value >= 0 else f"−{text}"


def day(value: date | datetime, language: Language) -> str:
    """02/12/2026 in French, 2026-12-02 in English (ISO: unambiguous for an English reader)."""
    if isinstance(value, datetime):
        value = value.date()
    return value.strftime("%d/%m/%Y") if language == "fr" else value.isoformat()
