"""Runs under faults, with real processes: a Celery worker killed mid-run, a broker that is down.

The worker is a real `celery -A config worker` subprocess (prefork pool, one child) on Redis, on a
queue of its own, with the production settings module pointed at this run's test database.
"""

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.utils import timezone

from config.celery import app
from events import services
from events.enums import RunStatus
from events.models import Meeting, Mission, ScheduleRun
from events.services.runs import ENQUEUE_ERROR, STALE_ERROR, run_begin
from events.tasks import runs_sweep_task, schedule_run_task
from tests.events.busy_mission import busy_mission

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]

ROOT = Path(__file__).resolve().parents[2]
WAIT_SECONDS = 40


def _database_url() -> str:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _env(**extra: str) -> dict[str, str]:
    """The production settings module on this test run's database."""
    return {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.base", "DATABASE_URL": _database_url(),
            "CACHE_URL": "", **extra}  # fmt: skip


def _children(pid: int) -> list[int]:
    """The processes whose parent is `pid` (the worker's pool children)."""
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


def _wait_for(check, what: str) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    pytest.fail(f"not within {WAIT_SECONDS} s: {what}")


@pytest.fixture
def worker_process(tmp_path) -> Iterator[tuple[subprocess.Popen, str, Path]]:
    """A real worker subprocess on a queue of its own; it beats every second."""
    queue = f"kizuna-kill-{uuid.uuid4().hex[:12]}"
    log = tmp_path / "worker.log"
    env = _env(CELERY_BROKER_URL=django_settings.CELERY_BROKER_URL, CELERY_TASK_DEFAULT_QUEUE=queue,
               RUN_HEARTBEAT_SECONDS="1", RUN_STALE_SECONDS="3")  # fmt: skip
    command = [sys.executable, "-m", "celery", "-A", "config", "worker", "-Q", queue, "-P", "prefork", "-c", "1",
               "-n", f"{queue}@%h", "--without-gossip", "--without-mingle", "--without-heartbeat",
               "-l", "INFO"]  # fmt: skip
    with log.open("w") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                                   start_new_session=True)  # fmt: skip
    app.conf.task_always_eager = False
    try:
        yield process, queue, log
    finally:
        app.conf.task_always_eager = True
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
        _forget_queue(queue)


def _forget_queue(queue: str) -> None:
    """Drop the queue and the messages the killed worker held unacknowledged (kombu keeps those
    in the "unacked" hash until the visibility timeout), so nothing of this test stays in Redis."""
    import redis

    client = redis.Redis.from_url(django_settings.CELERY_BROKER_URL)
    for tag, payload in client.hgetall("unacked").items():
        if f'"{queue}"'.encode() in payload:
            client.hdel("unacked", tag)
            client.zrem("unacked_index", tag)
    client.delete(queue)


@pytest.mark.redis
def test_worker_killed_mid_run_run_failed_and_mission_unlocked(worker_process, organiser, settings):
    process, queue, log = worker_process
    settings.RUN_HEARTBEAT_SECONDS, settings.RUN_STALE_SECONDS = 1, 3
    mission = busy_mission(organiser)  # CP-SAT needs far longer than this test to prove it
    run = services.schedule_run_start(mission=mission, user=organiser, time_limit=60, enqueue=False)
    schedule_run_task.apply_async(args=[run.pk], queue=queue)

    def solving() -> bool:
        run.refresh_from_db()
        return (run.status, run.progress) == (RunStatus.RUNNING, 10)

    _wait_for(solving, "the run is solving")
    solve_began = run.heartbeat_at
    _wait_for(lambda: ScheduleRun.objects.filter(pk=run.pk, progress=10, heartbeat_at__gt=solve_began).exists(),
              "the heartbeat thread beats while CP-SAT solves")  # fmt: skip
    [child] = _children(process.pid)
    os.kill(child, signal.SIGKILL)  # the pool process dies, as under the OOM killer
    # reject_on_worker_lost: the message goes back to the queue, a new pool process takes it and
    # sees the run already running: it does not start it again (it would run out of memory again).
    _wait_for(lambda: "succeeded" in log.read_text() and "'running'" in log.read_text(),
              "the redelivered task ended without computing")  # fmt: skip
    os.killpg(process.pid, signal.SIGKILL)  # and now the whole worker, as a hard deploy does
    process.wait(timeout=10)
    silent_since = ScheduleRun.objects.get(pk=run.pk).heartbeat_at
    _wait_for(lambda: services.runs_sweep() != {}, "the sweep finds the silent run")

    run.refresh_from_db()
    text = log.read_text()
    assert "exited with 'signal 9 (SIGKILL)'" in text
    assert text.count("Task events.schedule_run[") >= 2  # received twice
    assert (run.status, run.attempts, run.error, run.heartbeat_at) == (RunStatus.FAILED, 1, STALE_ERROR, silent_since)
    assert Mission.objects.get(pk=mission.pk).scheduling_locked is False
    assert Meeting.objects.filter(mission=mission, slot__isnull=False).count() == 0
    retried = services.schedule_run_retry(run=run, user=organiser, enqueue=False)
    assert (retried.status, Mission.objects.get(pk=mission.pk).scheduling_locked) == (RunStatus.QUEUED, True)


@pytest.mark.redis
def test_runs_sweep_task_real_worker_fails_silent_run(organiser, mission, part_a, part_b, celery_worker):
    services.meeting_create(mission=mission, a=part_a, b=part_b, user=organiser)
    run = services.schedule_run_start(mission=mission, user=organiser, enqueue=False)
    run_begin(ScheduleRun, run_id=run.pk)
    ScheduleRun.objects.filter(pk=run.pk).update(heartbeat_at=timezone.now() - timedelta(seconds=301))

    swept = runs_sweep_task.delay().get(timeout=WAIT_SECONDS)

    run.refresh_from_db()
    assert swept == {"events.ScheduleRun": [run.pk]}
    assert (run.status, run.error, Mission.objects.get(pk=mission.pk).scheduling_locked) == (
        RunStatus.FAILED, STALE_ERROR, False,
    )  # fmt: skip


def test_broker_down_run_failed_at_once_and_mission_unlocked(organiser, mission, part_a, part_b):
    services.meeting_create(mission=mission, a=part_a, b=part_b, user=organiser)
    code = (
        "from accounts.models import User; from events import services; from events.models import Mission\n"
        f"run = services.schedule_run_start(mission=Mission.objects.get(pk={mission.pk}), "
        f"user=User.objects.get(pk={organiser.pk}))\n"
        "run.refresh_from_db(); print(run.pk, run.status)\n"
    )
    # Nothing listens on port 1: the enqueue after commit fails.
    result = subprocess.run([sys.executable, "manage.py", "shell", "--no-imports", "-c", code], cwd=ROOT,
                            capture_output=True, text=True, timeout=60,
                            env=_env(CELERY_BROKER_URL="redis://127.0.0.1:1/0"))  # fmt: skip

    run = ScheduleRun.objects.get(mission=mission)
    assert (result.returncode, result.stdout) == (0, f"{run.pk} failed\n")
    assert (run.status, run.attempts, run.error) == (RunStatus.FAILED, 0, ENQUEUE_ERROR)
    assert Mission.objects.get(pk=mission.pk).scheduling_locked is False
