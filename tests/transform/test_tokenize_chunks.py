"""`sentiment.tokenize` reads a text chunk by chunk: the same tokens as one scan of the text."""

from __future__ import annotations

import random

from transform import sentiment

TEXTS = [
    "",
    " ",
    "  Called  Nuage again :( xD  D: ^^ <3 </3 >:( :'( ;-) =P",
    "aXD xD! D:D  ok!!! ?? .\n\n. #BestDayEver #fail #2024 @nuage_telecom http://x.co/a b",
    "www.nuage.fr/offre, l'appli qu’ils jusqu'à aujourd'hui SOOOO goooood NUL",
    "c'est super. très cher mais fiable 🍊🍊\ufe0f ❤ ⭐ 😡\u00a0mal\ttab-sep word-word- -x",
]


def _fields(tokens: list[sentiment.Token]) -> list[tuple[str, int, int, str, float]]:
    return [(t.text, t.start, t.end, t.kind, t.emphasis) for t in tokens]


def test_chunked_tokens_are_the_scanned_ones() -> None:
    rng = random.Random(14)
    pieces = [" ", "  ", "x", "X", "D", ":", "(", ")", "<3", "!", "?", ".", "\n", "#", "@", "'"]
    pieces += ["http://a.b", "www.", "é", "l'", "qu’", "-", "^", "🍊", "\ufe0f", "ab", "SOOO", "1"]
    texts = TEXTS + [
        "".join(rng.choice(pieces) for _ in range(rng.randint(0, 40))) for _ in range(3000)
    ]
    for lang in ("en", "fr"):
        for text in texts:
            chunked = _fields(sentiment.tokenize(text, lang))
            assert chunked == _fields(sentiment._scanned(text, lang)), (lang, text)
