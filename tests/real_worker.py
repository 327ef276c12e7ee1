"""Real Celery worker processes for the tests that kill one mid-run (schedule runs, match runs).

A worker is a `celery -A config worker` subprocess (prefork pool, one child) on Redis, on a queue
of its own, with the production settings module pointed at this test run's database. The
`worker_processes` fixture (tests/conftest.py) starts them and cleans up after the test.
"""

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[1]
WAIT_SECONDS = 40


def database_url() -> str:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def worker_env(**extra: str) -> dict[str, str]:
    """The production settings module on this test run's database."""
    return {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.base", "DATABASE_URL": database_url(),
            "CACHE_URL": "", **extra}  # fmt: skip


def children(pid: int) -> list[int]:
    """The processes whose parent is `pid` (a worker's pool children)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def wait_for(check: Callable[[], bool], what: str, *, seconds: float = WAIT_SECONDS, every: float = 0.2) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(every)
    pytest.fail(f"not within {seconds} s: {what}")


@dataclass
class Worker:
    """One worker subprocess: it consumes `queue` (where it also sends the tasks it starts, such as a
    chord's blocks) and any `also` queues; its output goes to `log`."""

    process: subprocess.Popen
    queue: str
    log: Path
    also: list[str] = field(default_factory=list)

    def log_text(self) -> str:
        return self.log.read_text()

    def kill(self) -> None:
        """SIGKILL to the whole worker (main process and pool), as a hard deploy or the OOM killer does."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)


def worker_start(*, queue: str, log: Path, also: tuple[str, ...] = ()) -> Worker:
    """Start a worker that beats every second and counts a run silent for 3 s as stale."""
    env = worker_env(CELERY_BROKER_URL=django_settings.CELERY_BROKER_URL, CELERY_TASK_DEFAULT_QUEUE=queue,
                     RUN_HEARTBEAT_SECONDS="1", RUN_STALE_SECONDS="3")  # fmt: skip
    command = [sys.executable, "-m", "celery", "-A", "config", "worker", "-Q", ",".join([queue, *also]),
               "-P", "prefork", "-c", "1", "-n", f"{log.stem}-{queue}@%h", "--without-gossip", "--without-mingle",
               "--without-heartbeat", "-l", "INFO"]  # fmt: skip
    with log.open("w") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                                   start_new_session=True)  # fmt: skip
    return Worker(process=process, queue=queue, log=log, also=list(also))


def queue_forget(queue: str) -> None:
    """Drop the queue and the messages a killed worker held unacknowledged (kombu keeps those in the
    "unacked" hash until the visibility timeout), so nothing of a test stays in Redis."""
    import redis

    client = redis.Redis.from_url(django_settings.CELERY_BROKER_URL)
    for tag, payload in client.hgetall("unacked").items():
        if f'"{queue}"'.encode() in payload:
            client.hdel("unacked", tag)
            client.zrem("unacked_index", tag)
    client.delete(queue)
