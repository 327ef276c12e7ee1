"""A match run whose worker is killed mid-run: the sweep fails it, the organiser retries, a fresh
worker finishes it. Real processes: `celery -A config worker` subprocesses on Redis
(tests/real_worker.py); schedule runs: tests/events/test_run_faults.py."""

import random
import re

import pytest
from django.conf import settings as django_settings
from django.test import Client

import matchmaking.tasks  # noqa: F401  (registers the tasks)
from companies.models import Company
from events.models import Mission, Participation
from events.services.runs import STALE_ERROR
from events.services.scheduling import runs_sweep
from matchmaking import services
from matchmaking.enums import RunStatus
from matchmaking.models import MatchRun, Suggestion
from tests.events.factories import MissionFactory
from tests.factories import CompanyFactory
from tests.matchmaking.helpers import db_views, engine_views
from tests.real_worker import wait_for

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres, pytest.mark.redis]

FIRMS_PER_SIDE = 15
BLOCK_SIZE = 1  # 30 blocks, one task each: the run lasts long enough to be killed in the middle


def busy_match_mission(organiser) -> Mission:
    """A mission of 15 EU and 15 JP approved firms with varied profiles; the same every time."""
    rng = random.Random(0)
    mission = MissionFactory(title="Busy matching mission")
    mission.organisers.add(organiser)
    words = ["nickel", "cobalt", "lithium", "graphite", "cathode", "anode", "recycling", "separator"]
    companies = Company.objects.bulk_create(
        CompanyFactory.build(
            country=country, materials=rng.sample(["nickel", "cobalt", "lithium", "graphite"], 2),
            offer=" ".join(rng.sample(words, 3)), seek=" ".join(rng.sample(words, 3)),
        )
        for country in ("DE", "JP") for _ in range(FIRMS_PER_SIDE)
    )  # fmt: skip
    Participation.objects.bulk_create(Participation(mission=mission, company=c) for c in companies)
    return mission


def _finished(run_id: int) -> bool:
    return not MatchRun.objects.get(pk=run_id).is_active


def test_match_run_worker_killed_mid_run_swept_then_retried_by_a_fresh_worker(worker_processes, organiser, settings):
    settings.RUN_HEARTBEAT_SECONDS, settings.RUN_STALE_SECONDS = 1, 3  # the sweep in this process
    mission = busy_match_mission(organiser)
    worker = worker_processes()
    run = services.match_run_start(user=organiser, mission=mission, block_size=BLOCK_SIZE, enqueue=False)
    matchmaking.tasks.match_run_execute_task.apply_async(args=[run.pk], queue=worker.queue)

    def midway() -> bool:
        run.refresh_from_db()
        return run.status == RunStatus.RUNNING and 1 <= len(run.blocks_done) <= run.blocks_total - 5

    wait_for(midway, "the run is scoring its blocks", every=0.05)
    worker.kill()  # SIGKILL to the worker and its pool: nothing of it runs any more
    killed = MatchRun.objects.get(pk=run.pk)
    wait_for(lambda: runs_sweep() != {}, "the sweep finds the silent run")

    run.refresh_from_db()
    assert worker.process.returncode == -9
    assert (killed.status, killed.blocks_total) == (RunStatus.RUNNING, 2 * FIRMS_PER_SIDE)
    assert 1 <= len(killed.blocks_done) < killed.blocks_total
    assert (run.status, run.attempts, run.error, run.heartbeat_at) == (
        RunStatus.FAILED, 1, STALE_ERROR, killed.heartbeat_at,
    )  # fmt: skip
    assert Suggestion.objects.exists() is False  # nothing half-written

    client = Client()
    client.force_login(organiser)
    page = client.get(f"/matches/runs/{run.pk}/").content.decode()
    assert "The worker running this run stopped without finishing it" in page
    assert f'<form method="post" action="/matches/runs/{run.pk}/retry/">' in page
    # A fresh worker on the same queue (the dead attempt's blocks wait there) and on the queue the
    # pages enqueue to; the organiser's Retry goes through the page and the service.
    fresh = worker_processes(queue=worker.queue, also=(django_settings.CELERY_TASK_DEFAULT_QUEUE,))
    response = client.post(f"/matches/runs/{run.pk}/retry/")
    wait_for(lambda: _finished(run.pk), "the retried run finishes")

    run.refresh_from_db()
    assert (response.status_code, response["Location"]) == (302, f"/matches/runs/{run.pk}/")
    assert (run.status, run.attempts, run.error, run.progress) == (RunStatus.SUCCEEDED, 2, "", 100)
    assert run.blocks_done == list(range(2 * FIRMS_PER_SIDE))
    assert db_views(scope=mission.pk) == engine_views(mission=mission, block_size=BLOCK_SIZE)
    # The dead attempt's blocks left in the queue were taken too, and scored nothing (attempt 1).
    received = re.findall(r"Task matchmaking\.run_block\[[^\]]+\] received", fresh.log_text())
    assert len(received) > killed.blocks_total
