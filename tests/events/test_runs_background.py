"""Runs started from a page without a broker run in a thread after the response (config.background),
and the pages follow their progress in place with htmx."""

import pytest
from django.urls import reverse

from config.background import background_join
from events.enums import RunStatus
from events.models import Meeting, ScheduleRun
from matchmaking.models import MatchRun
from tests.clients import web

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def in_thread(settings, transactional_db):
    """As with no broker: run tasks in a background thread; committed data, so the thread sees it."""
    settings.RUN_TASKS_IN_THREAD = True
    yield
    assert background_join(120), "a background run did not end"


def test_schedule_run_started_from_the_page_is_recorded_then_finishes(in_thread, mission, organiser, meetings):
    response = web(organiser).post(reverse("events:schedule_run", args=[mission.pk]), {"time_limit": 2, "seed": 0})

    assert response.status_code == 302
    run = ScheduleRun.objects.get(mission=mission)  # recorded before the page answered
    assert run.created_by == organiser
    assert background_join(120)
    run.refresh_from_db()
    assert (run.status, run.progress, run.error) == (RunStatus.SUCCEEDED, 100, "")
    assert Meeting.objects.filter(mission=mission, slot__isnull=False).count() == 3
    mission.refresh_from_db()
    assert mission.scheduling_locked is False


def test_match_run_started_from_the_page_is_recorded_then_finishes(in_thread, admin_user, company_a, company_b):
    response = web(admin_user).post(reverse("matchmaking:runs"), {"mission": "", "top_k": 5, "min_score": 0})

    run = MatchRun.objects.get()
    assert (response.status_code, response.url) == (302, reverse("matchmaking:run_detail", args=[run.pk]))
    assert background_join(120)
    run.refresh_from_db()
    assert (run.status, run.progress) == (RunStatus.SUCCEEDED, 100)
    assert run.firms == 2


def test_schedule_status_block_polls_while_active_and_stops_when_done(mission, organiser):
    run = ScheduleRun.objects.create(mission=mission, status=RunStatus.RUNNING, progress=30, created_by=organiser)
    client = web(organiser)
    url = reverse("events:schedule_run_status", args=[mission.pk])

    page = client.get(reverse("events:schedule", args=[mission.pk])).content.decode()
    assert f'hx-get="{url}" hx-trigger="every 2s" hx-swap="outerHTML"' in page
    block = client.get(url, **HTMX).content.decode()
    assert block.lstrip().startswith('<div id="schedule-run-status"')
    assert '<progress max="100" value="30">30%</progress> 30%' in block
    assert "hx-trigger" in block

    ScheduleRun.objects.filter(pk=run.pk).update(status=RunStatus.SUCCEEDED, progress=100, stats={"placed": 3})
    block = client.get(url, **HTMX).content.decode()
    assert "hx-trigger" not in block  # ended: no more polling
    assert "The computation has ended." in block
    assert '<span class="badge badge-ok">Succeeded</span>' in block


def test_schedule_status_without_htmx_goes_to_the_page(mission, organiser):
    response = web(organiser).get(reverse("events:schedule_run_status", args=[mission.pk]))
    assert (response.status_code, response.url) == (302, reverse("events:schedule", args=[mission.pk]))


@pytest.mark.parametrize(("role", "code"), [("other_organiser", 403), ("member_a", 403)])
def test_schedule_status_for_organisers_only(mission, roles, role, code):
    response = web(roles[role]).get(reverse("events:schedule_run_status", args=[mission.pk]), **HTMX)
    assert response.status_code == code
