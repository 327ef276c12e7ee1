"""The Celery path with a real worker (threads) on Redis: each task of matchmaking.tasks at least once."""

import time

import pytest

import matchmaking.tasks  # noqa: F401  (registers the tasks before the worker starts)
from matchmaking import services
from matchmaking.enums import RunSource, RunStatus
from matchmaking.models import MatchRun
from tests.matchmaking.helpers import db_views, engine_views, requires_embeddings, stored

# PostgreSQL too: the worker's threads write while the test polls, and SQLite takes one writer at a
# time ("database table is locked"); the embedded SQLite default runs tasks in-process instead.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.redis, pytest.mark.postgres]

WAIT_SECONDS = 60


def _wait_finished(run_id: int) -> MatchRun:
    """Poll the run until it leaves queued/running; fail after WAIT_SECONDS."""
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        run = MatchRun.objects.get(pk=run_id)
        if not run.is_active:
            return run
        time.sleep(0.2)
    pytest.fail(f"run {run_id} still {MatchRun.objects.get(pk=run_id).status} after {WAIT_SECONDS} s")


def test_match_run_real_worker_chord_equals_single_process(profiles, admin_user, celery_worker):
    run = services.match_run_start(user=admin_user, block_size=2)  # autocommit: enqueued at once

    run = _wait_finished(run.pk)

    assert (run.status, run.error, run.blocks_total, run.blocks_done, run.progress) == (
        RunStatus.SUCCEEDED, "", 3, [0, 1, 2], 100,
    )  # fmt: skip
    assert db_views() == engine_views()
    assert (run.suggestions_created, run.suggestions_updated, run.suggestions_kept) == (3, 0, 0)


def test_match_run_real_worker_crash_failed_then_retry_no_duplicates(profiles, admin_user, celery_worker):
    first = _wait_finished(services.match_run_start(user=admin_user).pk)
    before = stored()
    settings = services.match_settings_clean(block_size=2)
    settings["weights"] = {**settings["weights"], "embedding": 0.5}  # no embedding backend is configured
    broken = MatchRun.objects.create(settings=settings, engine_version=first.engine_version)
    matchmaking.tasks.match_run_execute_task.delay(broken.pk)

    failed = _wait_finished(broken.pk)

    assert (failed.status, failed.error) == (
        RunStatus.FAILED, "ValueError: the embedding part has a weight but no embedding backend was given",
    )  # fmt: skip
    assert stored() == before
    MatchRun.objects.filter(pk=broken.pk).update(settings=services.match_settings_clean(block_size=2))
    services.match_run_retry(run=failed, user=admin_user)
    retried = _wait_finished(broken.pk)
    assert (retried.status, retried.attempts, retried.suggestions_created, retried.suggestions_updated) == (
        RunStatus.SUCCEEDED, 2, 0, 3,
    )  # fmt: skip
    assert stored() == before


def test_match_run_fail_task_real_worker_marks_failed(db, celery_worker):
    run = MatchRun.objects.create(status=RunStatus.RUNNING)

    matchmaking.tasks.match_run_fail_task.delay(run.pk, "A block of this run failed.").get(timeout=WAIT_SECONDS)

    run.refresh_from_db()
    assert (run.status, run.error) == (RunStatus.FAILED, "A block of this run failed.")


def test_refresh_company_task_real_worker(profiles, admin_user, celery_worker):
    company_a, company_b = profiles[0], profiles[1]
    _wait_finished(services.match_run_start(user=admin_user).pk)
    company_b.partnership_types = ["rnd"]
    company_b.save()

    counts = matchmaking.tasks.match_refresh_company_task.delay(company_b.pk).get(timeout=WAIT_SECONDS)

    assert counts == {"created": 0, "updated": 1, "kept": 0, "removed": 0}
    assert {k: v for k, v in db_views().items() if company_b.pk in k} == {
        k: v for k, v in engine_views().items() if company_b.pk in k
    }
    assert (company_a.pk, company_b.pk) in stored()


def test_nightly_task_real_worker_recomputes(profiles, mission, admin_user, celery_worker):
    _wait_finished(services.match_run_start(user=admin_user, mission=mission).pk)

    run_ids = matchmaking.tasks.match_nightly_task.delay().get(timeout=WAIT_SECONDS)

    runs = [_wait_finished(pk) for pk in run_ids]
    assert [(r.mission_id, r.source, r.status) for r in runs] == [
        (None, RunSource.SCHEDULE, RunStatus.SUCCEEDED),
        (mission.pk, RunSource.SCHEDULE, RunStatus.SUCCEEDED),
    ]
    assert db_views() == engine_views()
    assert db_views(scope=mission.pk) == engine_views(mission=mission)


@requires_embeddings
def test_match_run_real_worker_with_embeddings_equals_single_process(profiles, admin_user, embeddings_on,
                                                                      celery_worker):  # fmt: skip
    run = services.match_run_start(user=admin_user, block_size=2)

    run = _wait_finished(run.pk)

    assert (run.status, run.error, run.blocks_total, run.embedding_model, run.embedding_weight) == (
        RunStatus.SUCCEEDED, "", 3, "bundled", 0.15,
    )  # fmt: skip
    assert db_views() == engine_views(embedding_model="bundled", embedding_weight=0.15)
    assert db_views() != engine_views()


@requires_embeddings
def test_nightly_task_real_worker_uses_the_embedding_setting(profiles, mission, admin_user, embeddings_on,
                                                              celery_worker):  # fmt: skip
    _wait_finished(services.match_run_start(user=admin_user, mission=mission, embedding_weight=0).pk)

    run_ids = matchmaking.tasks.match_nightly_task.delay().get(timeout=WAIT_SECONDS)

    runs = [_wait_finished(pk) for pk in run_ids]
    assert [(r.mission_id, r.status, r.embedding_model, r.embedding_weight) for r in runs] == [
        (None, RunStatus.SUCCEEDED, "bundled", 0.15),
        (mission.pk, RunStatus.SUCCEEDED, "bundled", 0.15),
    ]
    assert db_views() == engine_views(embedding_model="bundled", embedding_weight=0.15)
    assert db_views(scope=mission.pk) == engine_views(mission=mission, embedding_model="bundled", embedding_weight=0.15)
