"""Enrich batches on every core with a pool that starts once and loads models once per worker.

Small inputs stay in-process (a worker's start-up, ~3 s of model loading, would dominate). Results
come back in input order; at most `2 × workers` batches are in flight, so memory stays flat whatever
N is.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
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
    # One BLAS/OpenMP thread per worker (the pool already uses every core); set once the models
    # have loaded the libraries, which is when threadpoolctl can see them.
    threadpool_limits(limits=1)


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
    workers = default_workers() if workers is None else workers
    if workers <= 1:
        enricher = Enricher(brands, backend=load_backend(backend), languages=languages)
        for batch in batches:
            yield enricher.enrich(batch)
        return
    payload = [b.model_dump(mode="json") for b in brands]
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(
        workers,
        mp_context=context,
        initializer=_init,
        initargs=(payload, backend, tuple(languages)),
    ) as pool:
        pending: deque[Future[list[dict[str, Any]]]] = deque()
        for batch in batches:
            pending.append(pool.submit(_run, list(batch)))
            if len(pending) >= 2 * workers:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
