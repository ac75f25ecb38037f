"""`nlp.analyse` gives each doc's entities the text it was made from (not `doc.text`, which joins
every token again): the same text, so the same entities."""

from __future__ import annotations

from transform import nlp

TEXTS = [
    "  Merci @Orange 😍  pour la fibre\n\n chez Nuage Télécom !!  ",
    "Tim Cook's talk\tin the United States - Jim Carrey -  #NuageBox\u00a0ok",
    "",
    "\u200b Fibréa, Zest vs Célest Mobile…",
]


def test_a_docs_text_is_the_text_it_was_made_from() -> None:
    for lang in ("en", "fr"):
        pipeline = nlp.pipeline(lang, ("Nuage Télécom", "Fibréa"))
        for text, doc in zip(TEXTS, pipeline.pipe(TEXTS), strict=True):
            assert doc.text == text
            classes = nlp.word_classes(lang)
            given = nlp.entities(doc, ("Fibréa",), classes, text, doc.ents)
            assert given == nlp.entities(doc, ("Fibréa",), classes)
            assert nlp.keywords(doc, classes, doc.ents) == nlp.keywords(doc, classes)
