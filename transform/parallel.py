"""Enrich batches on every core with a pool that starts once and loads models once per worker.

Small inputs stay in-process (a worker's start-up, ~3 s of model loading, would dominate). Results
come back in input order; at most `2 × workers` batches are in flight, so memory stays flat whatever
N is.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from typing import Any

from threadpoolctl import threadpool_limits

from core.config import Brand
from transform.backends import load_backend
from transform.enrich import ANALYSED_LANGUAGES, Enricher

_worker: Enricher | None = None


def _init(brands: list[dict[str, Any]], backend: str, languages: tuple[str, ...]) -> None:
    global _worker
    from transform import nlp

    _worker = Enricher(
        [Brand.model_validate(b) for b in brands],
        backend=load_backend(backend),
        languages=languages,
    )
    for lang in ("fr", "en"):
        nlp.pipeline(lang, _worker.aliases)
    # Every lazy load (language detector, lexicons, the backend's models) happens now, not in the
    # first batch.
    alias = _worker.aliases[0] if _worker.aliases else ""
    _worker.enrich(
        [{"text": f"{alias} ok"}] + [{"text": f"{alias} ok", "lang": lang} for lang in languages]
    )
    # One BLAS/OpenMP thread per worker (the pool already uses every core); set once the models
    # have loaded the libraries, which is when threadpoolctl can see them.
    threadpool_limits(limits=1)
    settle_collector()


# A worker allocates tokens, docs and dicts by the million and keeps almost none of them: young
# collections this far apart cost less, and no generation is crowded enough to reach the oldest.
YOUNG_COLLECTION_EVERY = 20_000


def settle_collector() -> None:
    """Once a process has loaded what it keeps for life (models, lexicons, vocabularies): leave
    those out of every garbage collection (`gc.freeze`) and collect young objects less often.

    Measured on the bench texts: the collector's share of a worker's CPU falls from 0.25 to
    0.05 ms per mention; the full collections that scanned the loaded models no longer happen.
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(YOUNG_COLLECTION_EVERY, *gc.get_threshold()[1:])


def _run(batch: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    assert _worker is not None
    return _worker.enrich(batch)


def default_workers() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1)


def enrich_batches(
    brands: Sequence[Brand],
    batches: Iterable[Sequence[Mapping[str, Any]]],
    workers: int | None = None,
    backend: str = "rules",
    languages: Sequence[str] = ANALYSED_LANGUAGES,
) -> Iterator[list[dict[str, Any]]]:
    """Yield each batch's enriched results, in order, on `workers` processes (1 = inline).

    `backend` is a sentiment backend name (`load_backend`), loaded once per worker.
    """
    with enricher(brands, workers, backend, languages) as enrich:
        yield from enrich(batches)


@contextmanager
def enricher(
    brands: Sequence[Brand],
    workers: int | None = None,
    backend: str = "rules",
    languages: Sequence[str] = ANALYSED_LANGUAGES,
) -> Iterator[Callable[[Iterable[Sequence[Mapping[str, Any]]]], Iterator[list[dict[str, Any]]]]]:
    """`enrich(batches)`, yielding each batch's results in order, as often as needed: the models
    (in this process for 1 worker, else in a pool of `workers`) load once for every call."""
    workers = default_workers() if workers is None else workers
    if workers <= 1:
        inline = Enricher(brands, backend=load_backend(backend), languages=languages)
        yield lambda batches: (inline.enrich(batch) for batch in batches)
        return
    with start_pool(brands, workers, backend, languages) as pool:
        yield lambda batches: map_batches(pool, batches, workers)


def start_pool(
    brands: Sequence[Brand],
    workers: int,
    backend: str = "rules",
    languages: Sequence[str] = ANALYSED_LANGUAGES,
) -> ProcessPoolExecutor:
    """A pool of `workers` spawned processes, each loading the models once as it starts."""
    payload = [b.model_dump(mode="json") for b in brands]
    return ProcessPoolExecutor(
        workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_init,
        initargs=(payload, backend, tuple(languages)),
    )


def map_batches(
    pool: ProcessPoolExecutor, batches: Iterable[Sequence[Mapping[str, Any]]], workers: int
) -> Iterator[list[dict[str, Any]]]:
    """Each batch's results, in order, with at most `2 × workers` batches in flight."""
    pending: deque[Future[list[dict[str, Any]]]] = deque()
    for batch in batches:
        pending.append(pool.submit(_run, list(batch)))
        if len(pending) >= 2 * workers:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


def started_workers(pool: ProcessPoolExecutor, workers: int, timeout: float = 300) -> list[int]:
    """Start every worker of `pool` and wait until each has loaded its models; their process ids.

    A worker takes a task only once its initializer has run, and a short pause per task spreads
    the tasks over idle workers (for benchmarks that time the loaded pool apart from its start).
    """
    seen: set[int] = set()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        seen.update(f.result() for f in [pool.submit(_pause, 0.2) for _ in range(workers)])
        if len(seen) >= workers:
            return sorted(seen)
    raise RuntimeError(f"only {len(seen)} of {workers} enrichment workers started")


def _pause(seconds: float) -> int:
    time.sleep(seconds)
    return os.getpid()
