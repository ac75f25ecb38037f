"""Signal dispositions around an in-process Dagster run.

While a job runs, Dagster points SIGTERM at whatever handles SIGINT, and when it is done it sets
SIGTERM to SIGINT's handler from before. A process started with SIGINT ignored (a background job
of a non-interactive shell: CI, cron, `nohup`, `cmd &`) therefore comes out of a run with SIGTERM
ignored as well, and every child it starts from then on (dbt, Dagster's compute-log `tail`, a
server, a test's subprocess) inherits that: a stop can no longer end them.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_STOPS = (signal.SIGINT, signal.SIGTERM)


@contextmanager
def interruptible() -> Iterator[None]:
    """While the block runs, SIGINT raises KeyboardInterrupt even if it was ignored (so Dagster
    never hands SIGTERM an ignore); both dispositions are put back as they were after it.
    Only the main thread can set handlers: elsewhere the block runs as is."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    before = {signum: signal.getsignal(signum) for signum in _STOPS}
    if before[signal.SIGINT] in (signal.SIG_IGN, None):
        signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        for signum, handler in before.items():
            signal.signal(signum, signal.SIG_DFL if handler is None else handler)
