"""What one `ecoute` command sets up around the work: the demo world, and the environment of the
processes it starts (the Dagster UI, the page), which find the project through `ECOUTE_CONFIG`."""

from __future__ import annotations

import atexit
import os
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import NoReturn

from core.config import EcouteConfig
from orchestration.run import dagster_home


@contextmanager
def demo_world(config: EcouteConfig) -> Iterator[str | None]:
    """Serve the seeded demo world on loopback while the block runs (configs with `demo:`)."""
    if config.demo is None:
        yield None
        return
    from demo.server import serve_world
    from demo.world import generate_world

    settings = config.demo
    world = generate_world(
        seed=settings.seed, mentions=settings.mentions, days=settings.days, start=settings.start
    )
    with serve_world(world, host=settings.host, port=settings.port) as server:
        yield server.base_url


def child_env(config: EcouteConfig) -> dict[str, str]:
    """The environment of a process started for this project: this one's, plus where to find the
    config and the Dagster instance. Passed as `env=`; this process's environment is untouched."""
    return {
        **os.environ,
        "ECOUTE_CONFIG": str(config.source_file),
        "DAGSTER_HOME": str(dagster_home(config)),
    }


def end_process(code: int) -> NoReturn:
    """Exit with `code` without the interpreter's final garbage collection.

    After a build the heap holds millions of objects (models, definitions, event records): the
    collections of interpreter shutdown traverse them all, which took over a minute between the
    build summary and the process exit. Everything a normal exit does that matters still runs, in
    its order: non-daemon threads are joined (and executors shut down), the `atexit` handlers
    (logging, process pools) run and the standard streams are flushed; only the teardown of the
    heap is left to the OS.
    """
    threading._shutdown()  # type: ignore[attr-defined]  # what shutdown runs first: joins
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        stream.flush()
    os._exit(code)
