"""Runs started from a page without a broker: the task runs in a thread after the response.

With no CELERY_BROKER_URL, Celery runs tasks in-process (task_always_eager), inside the request
that enqueued them: starting a match run held the browser for the whole computation (6.5 s in
the demo). Runs (events.services.runs.run_enqueue_on_commit) start their task here instead when
RUN_TASKS_IN_THREAD is on (the default without a broker): a daemon thread, started once the
transaction committed, runs the task eagerly with its own database connection, and the page
answers at once and follows the run's progress like it would with a worker.

A thread ends with its process: a run whose process stops (runserver reload) stays "running"
until the sweep of dead runs fails it (docs/operations.md). Production has a broker and workers.
"""

import logging
import threading
from collections.abc import Callable
from typing import Any

from django.db import connections

logger = logging.getLogger(__name__)

_threads: set[threading.Thread] = set()
_lock = threading.Lock()


def background_start(name: str, func: Callable[..., Any], *args: Any) -> threading.Thread:
    """Call func(*args) in a daemon thread; its exceptions are logged, its database connections closed."""

    def run() -> None:
        try:
            func(*args)
        except Exception:  # a thread has no caller to raise to: the run records its own failure
            logger.exception("background %s failed", name)
        finally:
            connections.close_all()
            with _lock:
                _threads.discard(threading.current_thread())

    thread = threading.Thread(target=run, name=f"kizuna-{name}", daemon=True)
    with _lock:
        _threads.add(thread)
    thread.start()
    return thread


def background_join(timeout: float) -> bool:
    """Wait for the running background threads (tests, shutdown); False if some still run after `timeout`."""
    with _lock:
        threads = list(_threads)
    for thread in threads:
        thread.join(timeout)
    return not any(thread.is_alive() for thread in threads)
