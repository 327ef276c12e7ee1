"""Runs under faults, with real processes: a Celery worker killed mid-run, a broker that is down.

The worker is a real `celery -A config worker` subprocess (tests/real_worker.py). Match runs: the
same in tests/matchmaking/test_run_faults.py.
"""

import os
import signal
import subprocess
import sys
from datetime import timedelta

import pytest
from django.utils import timezone

from events import services
from events.enums import RunStatus
from events.models import Meeting, Mission, ScheduleRun
from events.services.runs import ENQUEUE_ERROR, STALE_ERROR, run_begin
from events.tasks import runs_sweep_task, schedule_run_task
from tests.events.busy_mission import busy_mission
from tests.real_worker import ROOT, WAIT_SECONDS, children, wait_for, worker_env

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]


@pytest.mark.redis
def test_worker_killed_mid_run_run_failed_and_mission_unlocked(worker_processes, organiser, settings):
    worker = worker_processes()
    process, queue, log = worker.process, worker.queue, worker.log
    settings.RUN_HEARTBEAT_SECONDS, settings.RUN_STALE_SECONDS = 1, 3
    mission = busy_mission(organiser)  # CP-SAT needs far longer than this test to prove it
    run = services.schedule_run_start(mission=mission, user=organiser, time_limit=60, enqueue=False)
    schedule_run_task.apply_async(args=[run.pk], queue=queue)

    def solving() -> bool:
        run.refresh_from_db()
        return (run.status, run.progress) == (RunStatus.RUNNING, 10)

    wait_for(solving, "the run is solving")
    solve_began = run.heartbeat_at
    wait_for(lambda: ScheduleRun.objects.filter(pk=run.pk, progress=10, heartbeat_at__gt=solve_began).exists(),
              "the heartbeat thread beats while CP-SAT solves")  # fmt: skip
    [child] = children(process.pid)
    os.kill(child, signal.SIGKILL)  # the pool process dies, as under the OOM killer
    # reject_on_worker_lost: the message goes back to the queue, a new pool process takes it and
    # sees the run already running: it does not start it again (it would run out of memory again).
    wait_for(lambda: "succeeded" in log.read_text() and "'running'" in log.read_text(),
              "the redelivered task ended without computing")  # fmt: skip
    worker.kill()  # and now the whole worker, as a hard deploy does
    silent_since = ScheduleRun.objects.get(pk=run.pk).heartbeat_at
    wait_for(lambda: services.runs_sweep() != {}, "the sweep finds the silent run")

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
                            env=worker_env(CELERY_BROKER_URL="redis://127.0.0.1:1/0"))  # fmt: skip

    run = ScheduleRun.objects.get(mission=mission)
    assert (result.returncode, result.stdout) == (0, f"{run.pk} failed\n")
    assert (run.status, run.attempts, run.error) == (RunStatus.FAILED, 0, ENQUEUE_ERROR)
    assert Mission.objects.get(pk=mission.pk).scheduling_locked is False
