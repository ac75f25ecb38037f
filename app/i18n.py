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
    "today.objectives": ("Objectifs", "Objectives"),
    "today.objective_status": (
        "Dans l'objectif {on} jour(s) sur les {days} derniers mesurés · dernier : {value} "
        "(cible : {direction} {target})",
        "On track {on} of the last {days} measured day(s) · latest: {value} "
        "(target: {direction} {target})",
    ),
    "today.responsiveness": (
        "{brand} : {requests} demande(s) de clients, {rate} avec réponse officielle sous 24 h, "
        "première réponse en {hours} h (médiane)",
        "{brand}: {requests} customer request(s), {rate} answered officially within 24 h, "
        "first answer in {hours} h (median)",
    ),
    "objective.above": ("au moins", "at least"),
    "objective.below": ("au plus", "at most"),
    "kpi.volume": ("Mentions par jour", "Mentions a day"),
    "kpi.share_of_voice": ("Part de voix", "Share of voice"),
    "kpi.net_sentiment": ("Sentiment net", "Net sentiment"),
    "kpi.negative_share": ("Part négative", "Negative share"),
    "kpi.response_rate_24h": ("Réponses sous 24 h", "Answered within 24 h"),
    "kpi.median_response_hours": ("Délai médian de réponse (h)", "Median time to answer (h)"),
    "why_link": ("pourquoi ?", "why?"),
    # alerts
    "alerts.title": ("Alertes", "Alerts"),
    "alerts.caption": (
        "Classées par gravité : taille par rapport à la référence, puis les deux signaux.",
        "Sorted by severity: size against the baseline, then both signals.",
    ),
    "alerts.none": ("Aucune alerte sur cette période.", "No alert in this period."),
    "alerts.sentence": (
        "[{severity}] {brand} — {signal} du {first} au {last} : {mentions} mentions, "
        "{lift} la référence ({baseline}/j) ; sentiment {change}. Mots-clés : {keywords}. "
        "Sources : {sources}. Auteurs : {authors}.",
        "[{severity}] {brand} — {signal} from {first} to {last}: {mentions} mentions, "
        "{lift} the baseline ({baseline}/day); sentiment {change}. Keywords: {keywords}. "
        "Sources: {sources}. Authors: {authors}.",
    ),
    "alerts.story": ("Histoire principale : {title}", "Main story: {title}"),
    "signal.volume": ("pic de volume", "volume spike"),
    "signal.negative": ("hausse du négatif", "negative surge"),
    "signal.both": ("pic de volume et hausse du négatif", "volume spike and negative surge"),
    "times": ("×{value}", "×{value}"),
    "status": ("Statut", "Status"),
    "severity.high": ("gravité haute", "high severity"),
    "severity.medium": ("gravité moyenne", "medium severity"),
    "severity.low": ("gravité basse", "low severity"),
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
    # people: corrections (Mentions page), coding, codebook, agreement
    "nav.group.people": ("Annoter", "Annotate"),
    "nav.coding": ("Codage", "Coding"),
    "nav.codebook": ("Livre de codes", "Codebook"),
    "nav.agreement": ("Accord entre codeurs", "Coder agreement"),
    "col.corrected": ("Correction", "Correction"),
    "correct.title": ("Corriger une mention", "Correct a mention"),
    "correct.caption": (
        "Votre correction est enregistrée à part (jamais dans les données publiées) et "
        "appliquée à chaque indicateur et graphique au prochain build.",
        "Your correction is stored apart (never in the published data) and applied to every "
        "figure and chart at the next build.",
    ),
    "correct.mention": ("Mention et marque", "Mention and brand"),
    "correct.model": (
        "Sentiment envers {brand} dans les données publiées : {label}",
        "Sentiment towards {brand} in the published data: {label}",
    ),
    "correct.current": (
        "{field} corrigé en « {value} » par {who} le {when} ({state})",
        "{field} corrected to “{value}” by {who} on {when} ({state})",
    ),
    "correct.state_applied": ("appliquée", "applied"),
    "correct.state_pending": ("en attente du prochain build", "pending until the next build"),
    "correct.who": ("Votre nom", "Your name"),
    "correct.who_help": (
        "Chaque correction porte le nom de son auteur (demandé une fois par session, faute "
        "de connexion configurée).",
        "Every correction carries its author's name (asked once per session, as no login is "
        "configured).",
    ),
    "correct.as": ("Corrections signées {who}", "Corrections signed {who}"),
    "correct.field.sentiment": ("Sentiment envers la marque", "Sentiment towards the brand"),
    "correct.field.relevance": (
        "Pertinence (not_about : ne parle pas de cette marque)",
        "Relevance (not_about: not about this brand)",
    ),
    "correct.field.category": ("Catégorie (livre de codes)", "Category (codebook)"),
    "correct.unchanged": ("— inchangé —", "— unchanged —"),
    "correct.reason": ("Raison", "Reason"),
    "correct.submit": ("Enregistrer la correction", "Save the correction"),
    "correct.need_who": (
        "Indiquez votre nom : chaque correction est signée.",
        "Give your name: every correction is signed.",
    ),
    "correct.nothing": (
        "Rien à corriger : choisissez une valeur.",
        "Nothing to correct: pick a value.",
    ),
    "correct.saved": (
        "{count} correction(s) enregistrée(s) ; appliquée(s) au prochain build.",
        "{count} correction(s) saved; applied at the next build.",
    ),
    "coding.title": ("Codage", "Coding"),
    "coding.caption": (
        "Codage à l'aveugle : ni l'étiquette du modèle ni la réponse d'un autre codeur ne sont "
        "montrées. Chaque réponse est enregistrée à part, sans jamais être effacée.",
        "Blind coding: neither the model's label nor another coder's answer is shown. Every "
        "answer is stored apart and never erased.",
    ),
    "coding.read_codebook": ("Lire le livre de codes", "Read the codebook"),
    "coding.no_sample": (
        "Aucun échantillon à coder : `ecoute coding sample --n 200 --coders alice,bob`.",
        "No sample to code: `ecoute coding sample --n 200 --coders alice,bob`.",
    ),
    "coding.coder": ("Codeur", "Coder"),
    "coding.pick": ("Choisissez votre nom de codeur.", "Pick your coder name."),
    "coding.progress": ("{done} / {total} éléments codés", "{done} / {total} items coded"),
    "coding.saved": ("Élément {item} enregistré.", "Item {item} saved."),
    "coding.finished": (
        "File terminée : tous vos éléments sont codés.",
        "Queue done: every item of yours is coded.",
    ),
    "coding.item": ("Élément {item} ({sample})", "Item {item} ({sample})"),
    "coding.brand": ("Marque à coder : {brand}", "Brand to code: {brand}"),
    "coding.thread": ("Fil : {title}", "Thread: {title}"),
    "coding.gone": (
        "Cette mention n'est plus dans les données publiées ; codez-la d'après son identifiant "
        "ou passez.",
        "This mention is no longer in the published data; code it from its id or skip it.",
    ),
    "coding.note": ("Note (facultative)", "Note (optional)"),
    "coding.submit": ("Enregistrer et passer au suivant", "Save and go to the next"),
    "coding.incomplete": (
        "Réponses enregistrées ; il reste des variables à coder pour cet élément.",
        "Answers saved; some variables of this item are still to code.",
    ),
    "codebook.title": ("Livre de codes", "Codebook"),
    "codebook.caption": (
        "Version {version} de codebook.yml : les corrections et le codage n'acceptent que ces "
        "valeurs.",
        "Version {version} of codebook.yml: corrections and coding accept only these values.",
    ),
    "codebook.values": ("{level} : {values}", "{level}: {values}"),
    "codebook.nominal": ("nominale", "nominal"),
    "codebook.ordinal": ("ordinale (dans cet ordre)", "ordinal (in this order)"),
    "codebook.example": ("Exemple", "Example"),
    "codebook.value": ("Valeur", "Value"),
    "agreement.title": ("Accord entre codeurs", "Coder agreement"),
    "agreement.caption": (
        "Le même tableau que `ecoute coding agreement` : alpha de Krippendorff (IC 95 % par "
        "bootstrap), kappa de Cohen par paire, confusion, éléments à arbitrer.",
        "The same table as `ecoute coding agreement`: Krippendorff's alpha (95 % bootstrap "
        "CI), pairwise Cohen's kappa, confusion, items to adjudicate.",
    ),
    "agreement.sample": ("Échantillon", "Sample"),
    "agreement.all_samples": ("tous", "all"),
    "agreement.no_codes": ("Aucun code enregistré pour l'instant.", "No stored codes yet."),
    "agreement.alpha": ("Alpha de Krippendorff", "Krippendorff's alpha"),
    "agreement.variable": ("Variable", "Variable"),
    "agreement.level": ("Niveau", "Level"),
    "agreement.items": ("Éléments", "Items"),
    "agreement.ci_low": ("IC 95 % bas", "95% CI low"),
    "agreement.ci_high": ("IC 95 % haut", "95% CI high"),
    "agreement.kappa": ("Kappa de Cohen par paire", "Pairwise Cohen's kappa"),
    "agreement.coder_a": ("Codeur A", "Coder A"),
    "agreement.coder_b": ("Codeur B", "Coder B"),
    "agreement.confusion": ("Confusion {variable} : {a} × {b}", "Confusion {variable}: {a} × {b}"),
    "agreement.adjudicate": ("À arbitrer", "To adjudicate"),
    "agreement.none": ("Aucun désaccord.", "No disagreement."),
    "agreement.adjudicate_how": (
        "Arbitrez en corrigeant la mention (page Mentions) : une correction prime sur les codes.",
        "Adjudicate by correcting the mention (Mentions page): a correction wins over codes.",
    ),
    "agreement.to_mentions": ("Aller aux mentions", "Go to the mentions"),
    "agreement.mention": ("Mention", "Mention"),
    "agreement.answers": ("Réponses", "Answers"),
    "agreement.as_cli": ("Tableau texte (comme la CLI)", "Text table (as the CLI prints it)"),
    "method.people": ("Modèle contre humains", "Model vs people"),
    "method.people_text": (
        "Part des étiquettes du modèle qui égalent l'étiquette humaine (vos corrections et les "
        "codes unanimes du double codage), par langue, source, marque et semaine.",
        "Share of the model's labels equal to the human label (your corrections and the "
        "unanimous double codes), per language, source, brand and week.",
    ),
    "method.people_weekly": ("Accord par semaine", "Agreement per week"),
    "method.no_people": (
        "Pas encore d'étiquette humaine : corrigez des mentions ou codez un échantillon, puis "
        "relancez le build.",
        "No human label yet: correct mentions or code a sample, then rebuild.",
    ),
    "method.to_mentions": ("Corriger des mentions", "Correct mentions"),
}


def severity(value: object, language: Language) -> str:
    """An alert's severity in words; a dash for one built before severities existed."""
    if value in ("high", "medium", "low"):
        return translate(f"severity.{value}", language)
    return "—"


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
