"""The run lifecycle shared by schedule and match runs: begin, heartbeat, sweep of stale runs, retry."""

import time
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone, translation

from events import services
from events.enums import RunStatus
from events.models import Meeting, Mission, ScheduleRun
from events.services.runs import run_begin, run_fail, run_heartbeat, run_succeed
from matchmaking.models import MatchRun
from tests.events.factories import MISSION_DATA, mission_created

STALE = (
    "The worker running this run stopped without finishing it (it may have run out of memory, crashed or "
    "been restarted). Nothing was saved."
)


def _running(mission, organiser, time_limit: int = 2) -> ScheduleRun:
    """A run that began on a worker which then died: running, the mission locked."""
    run = services.schedule_run_start(mission=mission, user=organiser, enqueue=False, time_limit=time_limit)
    assert run_begin(ScheduleRun, run_id=run.pk) == 1
    return ScheduleRun.objects.get(pk=run.pk)


def _silent_for(run, seconds: int) -> None:
    type(run).objects.filter(pk=run.pk).update(heartbeat_at=timezone.now() - timedelta(seconds=seconds))


def _state(run) -> tuple:
    run.refresh_from_db()
    locked = Mission.objects.get(pk=run.mission_id).scheduling_locked if run.mission_id else None
    return run.status, run.attempts, run.error, locked


def test_runs_sweep_fails_silent_schedule_run_and_unlocks_mission(mission, organiser, meetings):
    run = _running(mission, organiser)
    _silent_for(run, 301)

    swept = services.runs_sweep()

    assert swept == {"events.ScheduleRun": [run.pk]}
    assert _state(run) == (RunStatus.FAILED, 1, STALE, False)
    assert run.finished_at is not None
    assert Meeting.objects.filter(mission=mission, slot__isnull=False).count() == 0


def test_runs_sweep_keeps_run_with_recent_heartbeat(mission, organiser, meetings):
    run = _running(mission, organiser)
    _silent_for(run, 299)

    assert services.runs_sweep() == {}
    assert _state(run) == (RunStatus.RUNNING, 1, "", True)


def test_runs_sweep_judges_by_the_time_given(mission, organiser, meetings):
    run = _running(mission, organiser)

    swept = services.runs_sweep(now=run.heartbeat_at + timedelta(seconds=301))

    assert swept == {"events.ScheduleRun": [run.pk]}
    assert _state(run) == (RunStatus.FAILED, 1, STALE, False)


def test_runs_sweep_fails_both_kinds_of_run(mission, organiser, meetings):
    schedule_run = _running(mission, organiser)
    match_run = MatchRun.objects.create(mission=mission)
    assert run_begin(MatchRun, run_id=match_run.pk) == 1
    _silent_for(schedule_run, 400)
    _silent_for(match_run, 400)

    swept = services.runs_sweep()

    assert swept == {"events.ScheduleRun": [schedule_run.pk], "matchmaking.MatchRun": [match_run.pk]}
    assert _state(match_run) == (RunStatus.FAILED, 1, STALE, False)
    assert _state(schedule_run) == (RunStatus.FAILED, 1, STALE, False)


def test_runs_sweep_fails_run_never_picked_up(mission, organiser, meetings):
    run = services.schedule_run_start(mission=mission, user=organiser, enqueue=False)
    ScheduleRun.objects.filter(pk=run.pk).update(created_at=timezone.now() - timedelta(hours=3, seconds=1))

    services.runs_sweep()

    assert _state(run) == (
        RunStatus.FAILED, 0, "No worker started this run in time (is a Celery worker running?). Nothing was saved.",
        False,
    )  # fmt: skip


def test_runs_sweep_unlocks_mission_locked_without_active_run(mission, organiser, meetings):
    other = mission_created(organiser, {**MISSION_DATA, "title": "Other mission"})
    busy = services.schedule_run_start(mission=other, user=organiser, enqueue=False)
    services.mission_scheduling_lock(mission=mission, locked=True)  # as a crash before heartbeats left it

    swept = services.runs_sweep()

    assert swept == {"unlocked": [mission.pk]}
    assert Mission.objects.get(pk=mission.pk).scheduling_locked is False
    assert _state(busy) == (RunStatus.QUEUED, 0, "", True)


def test_schedule_run_start_after_dead_worker_fails_it_and_starts(mission, organiser, meetings):
    dead = _running(mission, organiser)
    _silent_for(dead, 301)

    new = services.schedule_run_start(mission=mission, user=organiser, enqueue=False)

    assert _state(dead) == (RunStatus.FAILED, 1, STALE, True)  # locked again: by the new run
    assert (new.status, new.mission_id) == (RunStatus.QUEUED, mission.pk)


def test_schedule_run_retry_runs_a_new_attempt(mission, organiser, meetings, django_capture_on_commit_callbacks):
    run = _running(mission, organiser)
    _silent_for(run, 301)
    services.runs_sweep()

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.schedule_run_retry(run=run, user=organiser)

    assert len(callbacks) == 1
    assert _state(run) == (RunStatus.SUCCEEDED, 2, "", False)
    assert (run.progress, run.stats["placed"]) == (100, 3)
    assert Meeting.objects.filter(mission=mission, slot__isnull=False).count() == 3


def test_schedule_run_retry_twice_queues_once(mission, organiser, meetings, django_capture_on_commit_callbacks):
    run = _running(mission, organiser)
    run_fail(ScheduleRun, run_id=run.pk, error="MemoryError: ")

    with django_capture_on_commit_callbacks() as callbacks:
        first = services.schedule_run_retry(run=run, user=organiser)
        second = services.schedule_run_retry(run=ScheduleRun.objects.get(pk=run.pk), user=organiser)

    assert len(callbacks) == 1
    assert (first.pk, first.status, second.pk, second.status) == (run.pk, RunStatus.QUEUED, run.pk, RunStatus.QUEUED)
    assert ScheduleRun.objects.filter(mission=mission).count() == 1
    assert _state(run) == (RunStatus.QUEUED, 1, "", True)


def test_schedule_run_retry_of_succeeded_run_refused(mission, organiser, meetings):
    run = services.schedule_run_start(mission=mission, user=organiser, enqueue=False, time_limit=2)
    services.schedule_run_execute(run_id=run.pk)

    with pytest.raises(ValidationError) as info:
        services.schedule_run_retry(run=run, user=organiser)

    assert info.value.message_dict == {"status": ["Only a failed run can be retried."]}


def test_schedule_run_retry_while_another_run_is_active_refused(mission, organiser, meetings):
    failed = _running(mission, organiser)
    run_fail(ScheduleRun, run_id=failed.pk, error="MemoryError: ")
    services.schedule_run_start(mission=mission, user=organiser, enqueue=False)

    with pytest.raises(ValidationError) as info:
        services.schedule_run_retry(run=failed, user=organiser)

    assert info.value.message_dict == {"non_field_errors": ["Another run of this scope is queued or running."]}
    assert _state(failed) == (RunStatus.FAILED, 1, "MemoryError: ", True)


def test_schedule_run_retry_by_other_organiser_forbidden(mission, organiser, other_organiser, meetings):
    run = _running(mission, organiser)
    run_fail(ScheduleRun, run_id=run.pk, error="MemoryError: ")

    with pytest.raises(PermissionDenied):
        services.schedule_run_retry(run=run, user=other_organiser)
    assert _state(run) == (RunStatus.FAILED, 1, "MemoryError: ", False)


def test_schedule_run_execute_of_running_run_does_not_start_it_again(mission, organiser, meetings):
    run = _running(mission, organiser)  # another delivery of the task has it

    again = services.schedule_run_execute(run_id=run.pk)

    assert (again.status, again.attempts, again.progress) == (RunStatus.RUNNING, 1, 0)
    assert Meeting.objects.filter(mission=mission, slot__isnull=False).count() == 0


def test_run_succeed_of_superseded_attempt_changes_nothing(mission, organiser, meetings):
    run = _running(mission, organiser)
    run_fail(ScheduleRun, run_id=run.pk, error=STALE)  # the sweep gave up on attempt 1
    services.schedule_run_retry(run=run, user=organiser, enqueue=False)
    assert run_begin(ScheduleRun, run_id=run.pk) == 2

    assert run_succeed(ScheduleRun, run_id=run.pk, attempt=1, stats={"placed": 9}) is False
    assert run_fail(ScheduleRun, run_id=run.pk, error="late", attempt=1) is False
    assert _state(run) == (RunStatus.RUNNING, 2, "", True)
    assert run.stats == {}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_run_heartbeat_writes_signs_of_life_while_running(mission, organiser, meetings, settings):
    settings.RUN_HEARTBEAT_SECONDS = 1
    run = _running(mission, organiser)
    _silent_for(run, 100)
    before = ScheduleRun.objects.get(pk=run.pk).heartbeat_at

    with run_heartbeat(ScheduleRun, run_id=run.pk, attempt=1):
        deadline = time.monotonic() + 20
        while ScheduleRun.objects.get(pk=run.pk).heartbeat_at == before and time.monotonic() < deadline:
            time.sleep(0.2)

    assert ScheduleRun.objects.get(pk=run.pk).heartbeat_at > before + timedelta(seconds=99)


# --- What the organiser sees ----------------------------------------------------------------------


def test_schedule_page_failed_run_says_why_and_offers_retry(client: Client, mission, organiser, meetings):
    run = _running(mission, organiser)
    _silent_for(run, 301)
    services.runs_sweep()
    client.force_login(organiser)

    page = client.get(f"/missions/{mission.pk}/schedule/").content.decode()

    assert "The last schedule computation failed." in page
    assert STALE in page
    assert "Attempts so far: 1. The mission is unlocked: you can edit the schedule by hand" in page
    assert f'action="/missions/{mission.pk}/schedule/runs/{run.pk}/retry/"' in page


def test_schedule_page_failed_run_in_japanese(client: Client, mission, organiser, meetings):
    run = _running(mission, organiser)
    _silent_for(run, 301)
    services.runs_sweep()
    client.force_login(organiser)

    with translation.override("ja"):
        page = client.get(f"/missions/{mission.pk}/schedule/", HTTP_ACCEPT_LANGUAGE="ja").content.decode()

    assert "前回のスケジュール計算は失敗しました。" in page
    assert STALE not in page


def test_mission_page_tells_organiser_the_run_failed(client: Client, mission, organiser, member_a, part_a, meetings):
    run = _running(mission, organiser)
    run_fail(ScheduleRun, run_id=run.pk, error="MemoryError: ")

    client.force_login(organiser)
    page = client.get(f"/missions/{mission.pk}/").content.decode()
    client.force_login(member_a)
    firm_page = client.get(f"/missions/{mission.pk}/").content.decode()

    assert "The last schedule computation failed; the mission is unlocked." in page
    assert "The last schedule computation failed" not in firm_page


def test_schedule_page_retry_post_twice_queues_once(client: Client, mission, organiser, meetings,
                                                    django_capture_on_commit_callbacks):  # fmt: skip
    run = _running(mission, organiser)
    run_fail(ScheduleRun, run_id=run.pk, error="MemoryError: ")
    client.force_login(organiser)
    url = f"/missions/{mission.pk}/schedule/runs/{run.pk}/retry/"

    with django_capture_on_commit_callbacks() as callbacks:
        first = client.post(url)
        second = client.post(url)

    assert (first.status_code, first["Location"]) == (302, f"/missions/{mission.pk}/schedule/")
    assert (second.status_code, len(callbacks)) == (302, 1)
    assert _state(run) == (RunStatus.QUEUED, 1, "", True)


def test_schedule_page_retry_by_firm_forbidden(client: Client, mission, organiser, member_a, part_a, meetings):
    run = _running(mission, organiser)
    run_fail(ScheduleRun, run_id=run.pk, error="MemoryError: ")
    client.force_login(member_a)

    response = client.post(f"/missions/{mission.pk}/schedule/runs/{run.pk}/retry/")

    assert response.status_code == 403
    assert _state(run) == (RunStatus.FAILED, 1, "MemoryError: ", False)


def test_schedule_api_retry_starts_new_attempt(client: Client, mission, organiser, meetings,
                                               django_capture_on_commit_callbacks):  # fmt: skip
    run = _running(mission, organiser)
    run_fail(ScheduleRun, run_id=run.pk, error="MemoryError: ")
    client.force_login(organiser)
    url = f"/api/v1/missions/{mission.pk}/schedule-runs/{run.pk}/retry/"

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)

    body = response.json()
    assert (response.status_code, body["id"], body["status"], body["attempts"]) == (202, run.pk, "queued", 1)
    assert _state(run) == (RunStatus.SUCCEEDED, 2, "", False)
    again = client.post(url)
    assert (again.status_code, again.json()) == (400, {"status": ["Only a failed run can be retried."]})


def test_schedule_api_retry_unknown_run_404(client: Client, mission, organiser, meetings):
    client.force_login(organiser)

    response = client.post(f"/api/v1/missions/{mission.pk}/schedule-runs/999999/retry/")

    assert response.status_code == 404
