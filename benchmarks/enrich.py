"""Enrichment speed: production path vs a naive baseline vs spaCy's NER ceiling on every core.

The phases run interleaved, several rounds (naive / rules-only / learned / ceiling, then again),
and the figures are the medians of the rounds, each printed beside its CPU seconds and the
1-minute load average, so a busy machine shows (a round on a loaded machine is slow in wall
time, not in CPU per mention). The ceiling is spaCy's tokenizer + entity recogniser alone in one
process per core, each on its share of the texts, timed once its models are loaded: what the
enrichment could reach if it did nothing but NER. The production path is timed the same way, on
its pool once every worker has loaded its models; the pool's start-up (spawn, imports, models:
a fixed cost per run, whatever the number of mentions) is printed apart, and
`production_with_startup_per_s` counts it. Printed: mentions/s of each phase,
`speedup_vs_naive` (≥ 2.5; models loaded on both sides), `share_of_ceiling` (wall) and
`share_of_ceiling_cpu` (NER CPU per mention over production's: steadier on a shared machine;
`linear_share_of_ceiling_cpu` the same for the learned path, the default),
the learned model's path against
rules-only (`linear_vs_rules`, target ≥ 0.8, and its CPU form), sentiment backends alone, and peak
memory (this process, the largest worker, and the linear backend in a fresh process per N: flat
in N). Run: `ecoute bench enrich --n 5000 --rounds 3` or `python benchmarks/enrich.py`.
"""

from __future__ import annotations

import os
import random
import resource
import statistics
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
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


@dataclass(frozen=True)
class Phase:
    """One timed phase: mentions done, wall and CPU seconds, and the 1-minute load average at its
    end (the phase's own processes count in it: about `workers` while it runs)."""

    name: str
    mentions: int
    seconds: float
    cpu: float
    load: float

    @property
    def rate(self) -> float:
        return self.mentions / self.seconds

    @property
    def cpu_ms(self) -> float:
        return 1000 * self.cpu / self.mentions

    def line(self, round_no: int) -> str:
        head = f"round {round_no} {self.name:>16}: "
        if not self.mentions:
            return f"{head}{self.seconds:8.1f} s | cpu {self.cpu:7.1f} s | load {self.load:.2f}"
        return (
            f"{head}{self.rate:8.1f} mentions/s over {self.mentions:,}"
            f" | cpu {self.cpu:7.1f} s ({self.cpu_ms:.2f} ms/mention) | load {self.load:.2f}"
        )


def _timed(name: str, mentions: int, work: Callable[[], object]) -> Phase:
    """Run `work`; its wall and CPU time (this process and its finished children) as a Phase."""
    cpu, started = cpu_seconds(), time.perf_counter()
    work()
    seconds = time.perf_counter() - started
    return Phase(name, mentions, seconds, cpu_seconds() - cpu, os.getloadavg()[0])


def production(
    config: EcouteConfig, n: int, workers: int, batch_size: int = 500, backend: str = "rules"
) -> tuple[Phase, Phase]:
    """The whole enrichment (language, brands, sentiment, per-brand sentiment, entities, keywords)
    on a pool of `workers` processes with the given sentiment backend, as `ecoute run` enriches:
    (start-up, enrichment). The start-up is the pool's start until every worker has loaded its
    models; the enrichment, timed like the ceiling once its models are loaded, is the `n` mentions
    (generated before the clock) through the pool, its CPU the workers' and this process's."""
    from transform.parallel import map_batches, start_pool, started_workers

    name = "rules" if backend == "rules" else "learned"
    batches = list(_batches(_without_lang(generate(config, n)), batch_size))
    cpu, started = time.process_time(), time.perf_counter()
    with start_pool(config.brands, workers, backend) as pool:
        pids = started_workers(pool, workers)
        loaded_cpu = [process_cpu_seconds(pid) for pid in pids]
        startup = Phase(
            f"{name} start-up",
            0,
            time.perf_counter() - started,
            time.process_time() - cpu + sum(loaded_cpu),
            os.getloadavg()[0],
        )
        cpu, started = time.process_time(), time.perf_counter()
        done = sum(len(results) for results in map_batches(pool, batches, workers))
        seconds = time.perf_counter() - started
        worked = sum(process_cpu_seconds(pid) - c for pid, c in zip(pids, loaded_cpu, strict=True))
        own = time.process_time() - cpu
    return startup, Phase(name, done, seconds, own + worked, os.getloadavg()[0])


def process_cpu_seconds(pid: int) -> float:
    """CPU time (user + system) a live process has used so far, from `/proc` (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def naive(config: EcouteConfig, n: int) -> Phase:
    """One full-pipeline `nlp(text)` and one TextBlob per mention, single process, timed like the
    production path: its models loaded and its lexicons read before the clock."""
    import spacy
    from textblob import TextBlob
    from textblob_fr import PatternAnalyzer

    from transform import language

    models = {lang: spacy.load(_installed_model(lang)) for lang in ("fr", "en")}
    fr_analyzer = PatternAnalyzer()
    _ = TextBlob("ok", analyzer=fr_analyzer).sentiment, TextBlob("ok").sentiment
    language.detect("a sentence to load the language detector")
    records = list(generate(config, n))

    def work() -> None:
        for record in records:
            lang, _ = language.detect(record["text"])
            lang = lang if lang in models else "en"
            models[lang](record["text"])
            blob = (
                TextBlob(record["text"], analyzer=fr_analyzer)
                if lang == "fr"
                else TextBlob(record["text"])
            )
            _ = blob.sentiment

    return _timed("naive", n, work)


def ner_share(config_path: str | None, n: int, part: int, parts: int) -> None:
    """One ceiling process: load both models (tokenizer + ner), say `ready`, wait for `go` on
    stdin, run its share of the texts (every `parts`-th from `part`), print its clock and CPU."""
    import json
    import sys

    import spacy

    from core.config import load_config
    from transform import nlp
    from transform.parallel import settle_collector

    config = load_config(config_path)
    texts: dict[str, list[str]] = {"fr": [], "en": []}
    for i, record in enumerate(generate(config, n)):
        if i % parts == part:
            texts[record["_lang"]].append(record["text"])
    models = {
        lang: spacy.load(_installed_model(lang), exclude=nlp.EXCLUDED_COMPONENTS) for lang in texts
    }
    settle_collector()  # the same collector settings as a production worker
    print("ready", flush=True)
    sys.stdin.readline()
    started, cpu = time.time(), time.process_time()
    for lang, model in models.items():
        for _ in model.pipe(texts[lang], batch_size=256):
            pass
    print(json.dumps({"start": started, "end": time.time(), "cpu": time.process_time() - cpu}))


def ner_ceiling(config_path: str | None, n: int, workers: int) -> tuple[float, float]:
    """spaCy's entity recogniser alone, one process per core, each on its share of the texts:
    the true ceiling (spaCy's own `n_process` scales about 1.1x on two cores here). Each text goes
    to its own language's model (the generator's language, not detected); the clock starts when
    every process has loaded its models. (wall seconds from the first start to the last end, CPU
    seconds of the timed work)."""
    import json
    import subprocess
    import sys

    here = Path(__file__).resolve().parent
    code = (
        f"import sys; sys.path[:0] = [{str(here)!r}, {str(here.parent)!r}]; import enrich as b; "
        f"b.ner_share({config_path!r}, {n}, int(sys.argv[1]), {workers})"
    )
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", code, str(part)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for part in range(workers)
    ]
    for process in processes:
        assert process.stdout is not None
        if process.stdout.readline().strip() != "ready":
            raise RuntimeError("a ceiling process failed to load its models")
    for process in processes:
        assert process.stdin is not None
        process.stdin.write("go\n")
        process.stdin.flush()
    reports = []
    for process in processes:
        out, _ = process.communicate()
        if process.returncode:
            raise RuntimeError(f"a ceiling process exited with {process.returncode}")
        reports.append(json.loads(out.strip().splitlines()[-1]))
    seconds = max(r["end"] for r in reports) - min(r["start"] for r in reports)
    return seconds, float(sum(r["cpu"] for r in reports))


def ceiling_phase(config_path: str | None, n: int, workers: int) -> Phase:
    """`ner_ceiling` as a Phase timed from its processes' own clocks (model loading excluded)."""
    seconds, cpu = ner_ceiling(config_path, n, workers)
    return Phase("ceiling", n, seconds, cpu, os.getloadavg()[0])


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
    rounds: int = 3,
    say: Callable[[str], None] = print,
) -> dict[str, float]:
    """The four phases interleaved over `rounds` rounds (the order rotates each round, so none
    always runs first or last); medians of rates and of each round's ratios, then memory."""
    # Rules first in round 1, so the peaks read after it are the production path's alone.
    phases: dict[str, Callable[[], tuple[Phase, ...]]] = {
        "rules": lambda: production(config, n, workers),
        "learned": lambda: production(config, n, workers, backend="linear"),
        "ceiling": lambda: (ceiling_phase(config_path, n, workers),),
        "naive": lambda: (naive(config, min(n, naive_n)),),
    }
    order = list(phases)
    measured: dict[str, list[Phase]] = {}
    peaks = (0.0, 0.0)
    for r in range(rounds):
        for name in order[r % len(order) :] + order[: r % len(order)]:
            for phase in phases[name]():
                measured.setdefault(phase.name, []).append(phase)
                say(phase.line(r + 1))
            if name == "rules" and r == 0:
                peaks = peak_mb()  # the rules path's peaks, before the learned model loads here

    def median_rate(name: str) -> float:
        return statistics.median(p.rate for p in measured[name])

    with_startup = [
        n / (steady.seconds + up.seconds)
        for steady, up in zip(measured["rules"], measured["rules start-up"], strict=True)
    ]

    def median_ratio(top: str, bottom: str, cpu: bool = False) -> float:
        pairs = zip(measured[top], measured[bottom], strict=True)
        if cpu:  # CPU per mention of `bottom` over `top`'s: higher is better for `top`, as rates
            return statistics.median(b.cpu_ms / t.cpu_ms for t, b in pairs)
        return statistics.median(t.rate / b.rate for t, b in pairs)

    figures: dict[str, float] = {
        "n": n,
        "workers": workers,
        "rounds": rounds,
        "production_per_s": median_rate("rules"),
        "production_linear_per_s": median_rate("learned"),
        "rules_startup_s": statistics.median(p.seconds for p in measured["rules start-up"]),
        "learned_startup_s": statistics.median(p.seconds for p in measured["learned start-up"]),
        "rules_startup_cpu_s": statistics.median(p.cpu for p in measured["rules start-up"]),
        "production_with_startup_per_s": statistics.median(with_startup),
        "naive_per_s": median_rate("naive"),
        "ner_ceiling_per_s": median_rate("ceiling"),
        "speedup_vs_naive": median_ratio("rules", "naive"),
        "share_of_ceiling": median_ratio("rules", "ceiling"),
        "share_of_ceiling_cpu": median_ratio("rules", "ceiling", cpu=True),
        "linear_share_of_ceiling": median_ratio("learned", "ceiling"),
        "linear_share_of_ceiling_cpu": median_ratio("learned", "ceiling", cpu=True),
        "linear_vs_rules": median_ratio("learned", "rules"),
        "linear_vs_rules_cpu": median_ratio("learned", "rules", cpu=True),
        "rules_cpu_ms_per_mention": statistics.median(p.cpu_ms for p in measured["rules"]),
        "linear_cpu_ms_per_mention": statistics.median(p.cpu_ms for p in measured["learned"]),
        "ceiling_cpu_ms_per_mention": statistics.median(p.cpu_ms for p in measured["ceiling"]),
        "load_1min_median": statistics.median(p.load for ps in measured.values() for p in ps),
        "load_1min_max": max(p.load for ps in measured.values() for p in ps),
        "peak_mb_main": peaks[0],
        "peak_mb_worker": peaks[1],
        "rules_sentiment_per_s": sentiment_rate(config, min(n, 5_000), "rules"),
        "linear_sentiment_per_s": sentiment_rate(config, min(n, 5_000), "linear"),
    }
    for size in (max(1, n // 4), max(1, n // 2), n):
        figures[f"linear_peak_mb_{size}"] = linear_peak_mb(size, config_path)
    return figures


def main() -> None:
    import argparse

    from core.config import load_config
    from transform.parallel import default_workers

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=5_000)
    parser.add_argument("--naive-n", type=int, default=1_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workers", type=int, default=default_workers())
    parser.add_argument("--config", default=None)
    args = parser.parse_args()
    figures = run(
        load_config(args.config), args.n, args.naive_n, args.workers, args.config, args.rounds
    )
    for key, value in figures.items():
        print(f"{key:>26}: {value:,.2f}")


if __name__ == "__main__":
    main()
