"""Enrichment speed: production path vs a naive baseline vs spaCy NER alone on all cores.

Prints mentions/s for each, the ratios the project requires (≥ 2.5× naive, ≥ 0.5 of the NER limit)
and peak memory (this process and, separately, the largest worker). The sentiment backends are
timed on the same texts in one process (`rules_sentiment_per_s`, `linear_sentiment_per_s`); the
whole enrichment is also run with the learned model (post labels and the per-brand windows of
`transform.targeted`) right after the rules run, on the same texts and workers
(`production_linear_per_s`; `linear_vs_rules`, target ≥ 0.8; on a shared machine the CPU time
per mention, `linear_vs_rules_cpu`, is the steadier ratio), and the linear backend's peak memory
is measured in a fresh process per N (`linear_peak_mb_<N>`: flat in N). Run:
`python benchmarks/enrich.py --n 20000` or `ecoute bench enrich --n 20000`.
"""

from __future__ import annotations

import random
import resource
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from core.config import EcouteConfig

_FR = (
    "J'ai appelé le service client de {b} ce matin pour une panne de fibre qui dure depuis trois "
    "jours. Le technicien devait passer mardi mais personne n'est venu et la box clignote "
    "toujours. Franchement je suis déçu, le forfait est cher pour un réseau aussi instable. Mon "
    "voisin chez {c} n'a jamais eu de souci et son débit est excellent. Si rien ne bouge d'ici "
    "lundi je vais résilier et partir ailleurs, tant pis pour les frais."
)
_FR_POS = (
    "Petit retour sur {b} après six mois : la fibre est rapide, la box est stable et l'application "
    "est vraiment bien faite. Le jour où j'ai eu un problème de facture, le conseiller a tout "
    "réglé en dix minutes et j'ai été remboursé la semaine suivante. Avant j'étais chez {c} et "
    "c'était beaucoup plus compliqué, avec des coupures le soir. Je recommande sans hésiter à "
    "ceux qui cherchent un opérateur sérieux à Lyon ou à Paris."
)
_EN = (
    "Called {b} customer service again today about the broadband outage that started on Friday. "
    "They promised an engineer on Tuesday but nobody showed up and the router keeps dropping the "
    "connection. Honestly I am disappointed, the plan is expensive for a network this unreliable. "
    "My sister moved to {c} last year and never had a problem, her speeds are great. If nothing "
    "changes by Monday I will cancel and switch, whatever the fees."
)
_EN_POS = (
    "Quick review of {b} after six months: the fiber is fast, the router is stable and the app is "
    "really well designed. When I had a billing issue the agent sorted everything out in ten "
    "minutes and I was refunded the following week. Before that I was with {c} and it was a lot "
    "more painful, with outages every evening. I would recommend them to anyone in London or "
    "Manchester looking for a serious provider."
)
TEMPLATES = (("fr", _FR), ("fr", _FR_POS), ("en", _EN), ("en", _EN_POS))


def _installed_model(lang: str) -> str:
    """The spaCy model the enrichment uses for `lang`; the baselines need a real one."""
    from transform import nlp

    name = nlp.model_name(lang)
    if name is None:
        raise SystemExit(f"no spaCy model installed for {lang!r}: see README 'Language models'")
    return name


def generate(config: EcouteConfig, n: int, seed: int = 7) -> Iterator[dict[str, Any]]:
    """`n` realistic ~60-word fr/en mentions naming the config's brands (deterministic)."""
    rng = random.Random(seed)
    names = [a.text for b in config.brands for a in b.all_aliases if not a.needs_context]
    for i in range(n):
        lang, template = rng.choice(TEMPLATES)
        words = template.format(b=rng.choice(names), c=rng.choice(names)).split()
        tail = words[-12:]
        rng.shuffle(tail)  # vary the tail so texts are not identical
        text = " ".join(words[:-12] + tail) + f" #{rng.randint(0, 999)}"
        # `_lang` is for the limit only; production detects the language itself.
        yield {"id": f"bench:{i}", "text": text, "_lang": lang}


def _batches(items: Iterator[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _without_lang(records: Iterator[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for record in records:
        yield {"id": record["id"], "text": record["text"]}


def production(
    config: EcouteConfig, n: int, workers: int, batch_size: int = 500, backend: str = "rules"
) -> float:
    """Mentions/s of the whole enrichment (language, brands, sentiment, per-brand sentiment,
    entities) on `workers` processes with the given sentiment backend."""
    from transform.parallel import enrich_batches

    started = time.perf_counter()
    done = sum(
        len(r)
        for r in enrich_batches(
            config.brands,
            _batches(_without_lang(generate(config, n)), batch_size),
            workers=workers,
            backend=backend,
        )
    )
    return done / (time.perf_counter() - started)


def naive(config: EcouteConfig, n: int) -> float:
    """One full-pipeline `nlp(text)` and one TextBlob per mention, single process."""
    import spacy
    from textblob import TextBlob
    from textblob_fr import PatternAnalyzer

    from transform import language

    models = {lang: spacy.load(_installed_model(lang)) for lang in ("fr", "en")}
    fr_analyzer = PatternAnalyzer()
    started = time.perf_counter()
    for record in generate(config, n):
        lang, _ = language.detect(record["text"])
        lang = lang if lang in models else "en"
        models[lang](record["text"])
        blob = (
            TextBlob(record["text"], analyzer=fr_analyzer)
            if lang == "fr"
            else TextBlob(record["text"])
        )
        _ = blob.sentiment
    return n / (time.perf_counter() - started)


def ner_limit(config: EcouteConfig, n: int, workers: int) -> float:
    """spaCy's entity recogniser alone with `nlp.pipe` on all cores: the practical limit.

    Each text goes to its own language's model with only the tokenizer and `ner` (which holds its
    own token-to-vector layer in the small models); the language is the generator's, not detected.
    """
    import spacy

    from transform import nlp

    texts: dict[str, list[str]] = {"fr": [], "en": []}
    for record in generate(config, n):
        texts[record["_lang"]].append(record["text"])
    models = {
        lang: spacy.load(_installed_model(lang), exclude=nlp.EXCLUDED_COMPONENTS) for lang in texts
    }
    started = time.perf_counter()
    for lang, model in models.items():
        for _ in model.pipe(texts[lang], batch_size=256, n_process=workers):
            pass
    return n / (time.perf_counter() - started)


def sentiment_rate(config: EcouteConfig, n: int, backend_name: str, batch_size: int = 500) -> float:
    """Mentions/s of one sentiment backend alone, one process, texts batched per language."""
    from transform.backends import load_backend

    backend = load_backend(backend_name)
    records = list(generate(config, n))
    backend.predict([records[0]["text"]], records[0]["_lang"])  # load the model outside the clock
    started = time.perf_counter()
    for batch in _batches(iter(records), batch_size):
        for lang in ("fr", "en"):
            backend.predict([r["text"] for r in batch if r["_lang"] == lang], lang)
    return n / (time.perf_counter() - started)


def linear_peak_mb(n: int, config_path: str | None) -> float:
    """Peak RSS (MB) of a fresh process scoring `n` mentions with the linear backend."""
    import subprocess
    import sys

    here = Path(__file__).resolve().parent
    code = (
        f"import resource, sys; sys.path[:0] = [{str(here)!r}, {str(here.parent)!r}]; "
        "import enrich as b; from core.config import load_config; "
        f"b.sentiment_rate(load_config({config_path!r}), {n}, 'linear'); "
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(out.stdout.strip().splitlines()[-1])


def cpu_seconds() -> float:
    """CPU time (user + system) of this process and its finished workers: the cost of a run,
    which other processes on a shared machine do not inflate as they do the wall clock."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def peak_mb() -> tuple[float, float]:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, children


def run(
    config: EcouteConfig,
    n: int,
    naive_n: int,
    workers: int,
    config_path: str | None = None,
) -> dict[str, float]:
    cpu = cpu_seconds()
    prod = production(config, n, workers)
    rules_cpu, cpu = cpu_seconds() - cpu, cpu_seconds()
    own, child = peak_mb()  # the rules path's peaks, before the learned run below
    # The learned model end to end (post labels and every brand window) on the same texts and
    # workers right after, so both runs share the machine's load as far as one run can.
    with_linear = production(config, n, workers, backend="linear")
    linear_cpu = cpu_seconds() - cpu
    base = naive(config, min(n, naive_n))
    limit = ner_limit(config, n, workers)
    rules_rate = sentiment_rate(config, min(n, 5_000), "rules")
    linear_rate = sentiment_rate(config, min(n, 5_000), "linear")
    figures = {
        "n": n,
        "workers": workers,
        "production_per_s": prod,
        "naive_per_s": base,
        "ner_limit_per_s": limit,
        "speedup_vs_naive": prod / base,
        "share_of_limit": prod / limit,
        "peak_mb_main": own,
        "peak_mb_worker": child,
        "rules_sentiment_per_s": rules_rate,
        "linear_sentiment_per_s": linear_rate,
        "production_linear_per_s": with_linear,
        "linear_vs_rules": with_linear / prod,
        "rules_cpu_ms_per_mention": 1000 * rules_cpu / n,
        "linear_cpu_ms_per_mention": 1000 * linear_cpu / n,
        "linear_vs_rules_cpu": rules_cpu / linear_cpu,
    }
    for size in (max(1, n // 4), max(1, n // 2), n):
        figures[f"linear_peak_mb_{size}"] = linear_peak_mb(size, config_path)
    return figures


def main() -> None:
    import argparse

    from core.config import load_config
    from transform.parallel import default_workers

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=20_000)
    parser.add_argument("--naive-n", type=int, default=2_000)
    parser.add_argument("--workers", type=int, default=default_workers())
    parser.add_argument("--config", default=None)
    args = parser.parse_args()
    figures = run(load_config(args.config), args.n, args.naive_n, args.workers, args.config)
    for key, value in figures.items():
        print(f"{key:>26}: {value:,.2f}")


if __name__ == "__main__":
    main()
