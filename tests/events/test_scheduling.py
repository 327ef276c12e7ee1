"""Computing a mission's schedule: the problem built from the database, the run, saving the solution."""

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import translation

from events import selectors, services
from events.enums import MissionPhase, ScheduleRunStatus
from events.models import Meeting, MeetingSeat, Mission, ScheduleRun, Unavailability
from events.schedule_problem import mission_schedule_problem
from tests.events.factories import DelegateFactory, MeetingFactory, ParticipationFactory
from tests.factories import CompanyFactory


@pytest.fixture
def meetings(mission, organiser, part_a, part_b, part_c):
    """Three meetings among three firms: a triangle, so no two can share a slot."""
    return [
        services.meeting_create(mission=mission, a=part_a, b=part_b, user=organiser),
        services.meeting_create(mission=mission, a=part_a, b=part_c, user=organiser),
        services.meeting_create(mission=mission, a=part_b, b=part_c, user=organiser, required=True),
    ]


def _run(mission, user, time_limit: int = 2) -> ScheduleRun:
    run = services.schedule_run_start(mission=mission, user=user, enqueue=False, time_limit=time_limit)
    return services.schedule_run_execute(run_id=run.pk)


def test_mission_schedule_problem_lists_slots_tables_participants_meetings(mission, slots, tables, meetings,
                                                                           part_a, part_b, part_c):  # fmt: skip
    DelegateFactory(participation=part_a)
    DelegateFactory(participation=part_a)
    Unavailability.objects.create(participation=part_b, slot=slots[1])
    tables[1].host = part_c
    tables[1].save()
    problem = mission_schedule_problem(mission=mission).problem
    assert [s["id"] for s in problem["slots"]] == [s.pk for s in slots]
    assert [s["session"] for s in problem["slots"]][:4] == [f"{slots[0].day.isoformat()}/{slots[0].session_id}"] * 3 + [
        f"{slots[3].day.isoformat()}/{slots[3].session_id}"
    ]
    assert problem["tables"] == 2
    assert problem["participants"] == [
        {"id": part_a.pk, "capacity": 2, "unavailable": []},
        {"id": part_b.pk, "capacity": 1, "unavailable": [slots[1].pk]},
        {"id": part_c.pk, "capacity": 1, "unavailable": [], "fixed_table": 2},
    ]
    assert problem["meetings"] == [
        {"id": meetings[0].pk, "participants": [part_a.pk, part_b.pk], "weight": 10, "required": False},
        {"id": meetings[1].pk, "participants": [part_a.pk, part_c.pk], "weight": 10, "required": False},
        {"id": meetings[2].pk, "participants": [part_b.pk, part_c.pk], "weight": 10, "required": True},
    ]


def test_schedule_run_places_every_meeting_without_clash(mission, organiser, meetings, slots):
    run = _run(mission, organiser)
    placed = list(Meeting.objects.filter(mission=mission).order_by("id"))
    assert run.status == ScheduleRunStatus.SUCCEEDED
    assert (run.progress, run.unscheduled, run.stats["placed"]) == (100, [], 3)
    assert all(m.slot_id is not None and m.table_id is not None for m in placed)
    assert len({m.slot_id for m in placed}) == 3  # a triangle of firms: three different slots
    assert MeetingSeat.objects.filter(meeting__mission=mission).count() == 6
    mission.refresh_from_db()
    assert (mission.scheduling_locked, mission.phase) == (False, MissionPhase.REQUESTS)  # computing moves no phase


def test_schedule_run_keeps_pinned_meeting_where_it_is(mission, organiser, meetings, slots, tables):
    services.meeting_pin(meeting=meetings[0], user=organiser, slot=slots[4], table=tables[1])
    _run(mission, organiser)
    meetings[0].refresh_from_db()
    assert (meetings[0].slot_id, meetings[0].table_id) == (slots[4].pk, tables[1].pk)


def test_schedule_run_reports_why_a_meeting_is_left_out(mission, organiser, meetings, slots, part_c):
    services.availability_set(participation=part_c, user=organiser, available_slot_ids=set())
    run = _run(mission, organiser)
    assert run.status == ScheduleRunStatus.SUCCEEDED
    assert sorted(row["id"] for row in run.unscheduled) == sorted([meetings[1].pk, meetings[2].pk])
    assert all(row["reason"] for row in run.unscheduled)
    assert Meeting.objects.get(pk=meetings[1].pk).slot_id is None


def test_schedule_run_start_twice_refused_while_active(mission, organiser, meetings):
    services.schedule_run_start(mission=mission, user=organiser, enqueue=False)
    mission.refresh_from_db()
    assert mission.scheduling_locked is True
    with pytest.raises(ValidationError) as info:
        services.schedule_run_start(mission=mission, user=organiser, enqueue=False)
    assert info.value.message_dict == {
        "non_field_errors": ["The schedule is being computed; try again when it has finished."]
    }


def test_schedule_run_locks_manual_edits_until_done(mission, organiser, meetings, slots, tables):
    run = services.schedule_run_start(mission=mission, user=organiser, enqueue=False, time_limit=2)
    mission.refresh_from_db()
    with pytest.raises(ValidationError):
        services.meeting_move(meeting=meetings[0], slot=slots[0], table=tables[0], user=organiser)
    services.schedule_run_execute(run_id=run.pk)
    mission.refresh_from_db()
    services.meeting_unplace(meeting=meetings[0], user=organiser)


def test_schedule_run_left_out_reason_ja_translated_by_kind(mission, organiser, meetings, slots, part_c):
    services.availability_set(participation=part_c, user=organiser, available_slot_ids=set())
    run = _run(mission, organiser)
    with translation.override("ja"):
        left_out = selectors.schedule_run_unscheduled(run)

    ja = (
        "使用できる時間枠の中に、参加者全員の都合が合う枠がありません"
        "（または、その枠で必要なテーブルを使用できません）。"
    )
    assert [row["kind"] for row in run.unscheduled] == ["no_common_slot", "no_common_slot"]
    assert sorted((meeting.pk, reason) for meeting, reason, _english in left_out) == [
        (meetings[1].pk, ja),
        (meetings[2].pk, ja),
    ]


def test_schedule_run_start_by_other_organiser_forbidden(mission, other_organiser):
    with pytest.raises(PermissionDenied):
        services.schedule_run_start(mission=mission, user=other_organiser, enqueue=False)


def test_schedule_run_execute_twice_changes_nothing(mission, organiser, meetings):
    run = _run(mission, organiser)
    before = list(Meeting.objects.filter(mission=mission).values_list("id", "slot_id", "table_id"))
    again = services.schedule_run_execute(run_id=run.pk)
    assert again.status == ScheduleRunStatus.SUCCEEDED
    assert list(Meeting.objects.filter(mission=mission).values_list("id", "slot_id", "table_id")) == before


def test_schedule_apply_meeting_confirmed_meanwhile_stays_unplaced(mission, organiser, meetings, slots):
    from events.services.scheduling import _solve

    solution = _solve(mission_schedule_problem(mission=mission).problem, time_limit=2, seed=0)
    late = MeetingFactory(mission=mission, a=meetings[0].a, b=ParticipationFactory(mission=mission))
    saved = services.schedule_apply(mission=mission, solution=solution, user=organiser)
    assert [(row["id"], row["kind"]) for row in saved["unscheduled"]] == [(late.pk, "late")]
    assert Meeting.objects.get(pk=late.pk).slot_id is None
    assert Meeting.objects.filter(mission=mission, slot__isnull=False).count() == 3


def test_schedule_solution_import_clash_refused_and_nothing_written(mission, organiser, meetings, slots):
    clash = {"meetings": [{"id": meetings[0].pk, "slot": slots[0].pk, "table": 1},
                          {"id": meetings[1].pk, "slot": slots[0].pk, "table": 2}]}  # fmt: skip
    with pytest.raises(ValidationError) as info:
        services.schedule_solution_import(mission=mission, solution=clash, user=organiser)
    assert list(info.value.message_dict) == ["solution"]
    assert Meeting.objects.filter(mission=mission, slot__isnull=False).count() == 0


def test_schedule_solution_import_bad_format_refused(mission, organiser, meetings):
    with pytest.raises(ValidationError) as info:
        services.schedule_solution_import(mission=mission, solution={"meetings": "all"}, user=organiser)
    assert info.value.message_dict == {"solution": ['Expected a JSON object with a list "meetings".']}


def test_schedule_page_compute_places_meetings(client: Client, mission, organiser, meetings,
                                               django_capture_on_commit_callbacks):  # fmt: skip
    client.force_login(organiser)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/missions/{mission.pk}/schedule/compute/", {"time_limit": 2, "seed": 0})
    assert response.status_code == 302
    assert Meeting.objects.filter(mission=mission, slot__isnull=False).count() == 3
    page = client.get(f"/missions/{mission.pk}/schedule/").content.decode()
    assert "Last computation" in page
    assert "Succeeded" in page
    # A triangle of three meetings is proven optimal at once: the panel says what stopped the run.
    assert ScheduleRun.objects.get(mission=mission).stats["stopped_on"] == "optimal"
    assert "Stopped on" in page
    assert "proven optimal" in page


def test_schedule_run_stopped_on_label_names_the_clock_or_the_planned_work():
    assert "time limit" in ScheduleRun(stats={"stopped_on": "wall clock"}).stopped_on_label
    assert "same schedule" in ScheduleRun(stats={"stopped_on": "deterministic budget"}).stopped_on_label
    assert ScheduleRun(stats={}).stopped_on_label == ""


def test_schedule_page_problem_download_is_the_problem(client: Client, mission, organiser, meetings):
    client.force_login(organiser)
    response = client.get(f"/missions/{mission.pk}/schedule/problem.json")
    assert json.loads(response.content) == mission_schedule_problem(mission=mission).problem


def test_schedule_pages_forbidden_to_firms(client: Client, mission, member_a, meetings):
    client.force_login(member_a)
    assert client.post(f"/missions/{mission.pk}/schedule/compute/", {"time_limit": 5, "seed": 0}).status_code == 403
    assert client.get(f"/missions/{mission.pk}/schedule/problem.json").status_code == 403
    assert ScheduleRun.objects.count() == 0


def test_schedule_api_start_then_read_run(client: Client, mission, organiser, meetings,
                                          django_capture_on_commit_callbacks):  # fmt: skip
    client.force_login(organiser)
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(f"/api/v1/missions/{mission.pk}/schedule/", {"time_limit": 2},
                              content_type="application/json")  # fmt: skip
    assert started.status_code == 202
    latest = client.get(f"/api/v1/missions/{mission.pk}/schedule/").json()
    assert (latest["id"], latest["status"], latest["stats"]["placed"]) == (started.json()["id"], "succeeded", 3)


def test_schedule_api_bad_time_limit_is_field_error(client: Client, mission, organiser, meetings):
    client.force_login(organiser)
    response = client.post(f"/api/v1/missions/{mission.pk}/schedule/", {"time_limit": 0},
                           content_type="application/json")  # fmt: skip
    assert (response.status_code, list(response.json())) == (400, ["time_limit"])


def test_schedule_api_solution_clash_is_400(client: Client, mission, organiser, meetings, slots):
    client.force_login(organiser)
    body = {"meetings": [{"id": meetings[0].pk, "slot": slots[0].pk, "table": 1},
                         {"id": meetings[1].pk, "slot": slots[0].pk, "table": 1}]}  # fmt: skip
    response = client.post(f"/api/v1/missions/{mission.pk}/schedule-solution/", body, content_type="application/json")
    assert (response.status_code, list(response.json())) == (400, ["solution"])


def test_schedule_api_problem_forbidden_to_firm(client: Client, mission, member_a, part_a, meetings):
    client.force_login(member_a)
    assert client.get(f"/api/v1/missions/{mission.pk}/schedule-problem/").status_code == 403


@pytest.mark.redis
@pytest.mark.postgres
def test_schedule_run_on_real_celery_worker(celery_worker, mission, organiser, meetings):
    import time

    from django.db import transaction

    with transaction.atomic():
        run = services.schedule_run_start(mission=mission, user=organiser, time_limit=2)
    for _ in range(300):
        run.refresh_from_db()
        if run.status in (ScheduleRunStatus.SUCCEEDED, ScheduleRunStatus.FAILED):
            break
        time.sleep(0.1)
    assert (run.status, run.error) == (ScheduleRunStatus.SUCCEEDED, "")
    assert Meeting.objects.filter(mission=mission, slot__isnull=False).count() == 3
    assert Mission.objects.get(pk=mission.pk).scheduling_locked is False


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_schedule_saved_while_firm_accepts_request_no_clash(mission, organiser, meetings, part_a, member_a):
    from events.services.scheduling import _solve
    from tests.events.threads import run_at_once

    other = ParticipationFactory(mission=mission, company=CompanyFactory(name="Omega Nickel KK", country="JP"))
    request = services.meeting_request_create(mission=mission, requester=other, recipient=part_a, user=None)
    solution = _solve(mission_schedule_problem(mission=mission).problem, time_limit=2, seed=0)
    results = run_at_once([
        lambda: services.schedule_apply(mission=mission, solution=solution, user=organiser),
        lambda: services.meeting_request_accept(request=request, user=member_a),
    ])  # fmt: skip
    assert [type(r).__name__ for r in results] == ["dict", "Meeting"]
    seats = list(MeetingSeat.objects.values_list("participation_id", "slot_id", "seat"))
    assert len(seats) == len(set(seats)) == 6
    assert Meeting.objects.filter(mission=mission).count() == 4
    assert Meeting.objects.filter(mission=mission, slot__isnull=False).count() == 3


def test_meeting_restrict_limits_scheduler_and_manual_moves(mission, organiser, meetings, slots, tables):
    mornings = [s for s in slots if s.session_id == slots[0].session_id]
    services.meeting_restrict(meeting=meetings[0], user=organiser, slots=mornings)
    problem = mission_schedule_problem(mission=mission).problem
    assert problem["meetings"][0]["allowed_slots"] == sorted(s.pk for s in mornings)
    _run(mission, organiser)
    assert Meeting.objects.get(pk=meetings[0].pk).slot_id in {s.pk for s in mornings}
    afternoon = next(s for s in slots if s.session_id != slots[0].session_id)
    with pytest.raises(ValidationError) as info:
        services.meeting_move(meeting=meetings[0], slot=afternoon, table=tables[0], user=organiser)
    assert info.value.message_dict == {"slot": ["This meeting is restricted to other times (e.g. mornings only)."]}


def test_meeting_restrict_placed_outside_refused(mission, organiser, meetings, slots, tables):
    services.meeting_move(meeting=meetings[0], slot=slots[3], table=tables[0], user=organiser)
    with pytest.raises(ValidationError) as info:
        services.meeting_restrict(meeting=meetings[0], user=organiser, slots=slots[:3])
    assert info.value.message_dict == {"slots": ["The meeting is placed outside these slots; move it first."]}


def test_schedule_page_restrict_by_session(client: Client, mission, organiser, meetings, slots):
    client.force_login(organiser)
    session = slots[0].session_id
    client.post(f"/missions/{mission.pk}/schedule/restrict/", {"meeting": meetings[0].pk, "sessions": [session]})
    allowed = set(Meeting.objects.get(pk=meetings[0].pk).allowed_slots.values_list("pk", flat=True))
    assert allowed == {s.pk for s in slots if s.session_id == session}


def test_meeting_api_restrict_and_lift(client: Client, mission, organiser, meetings, slots):
    client.force_login(organiser)
    url = f"/api/v1/meetings/{meetings[0].pk}/restrict/"
    assert client.post(url, {"slots": [slots[0].pk]}, content_type="application/json").status_code == 200
    assert list(Meeting.objects.get(pk=meetings[0].pk).allowed_slots.values_list("pk", flat=True)) == [slots[0].pk]
    client.post(url, {"slots": []}, content_type="application/json")
    assert Meeting.objects.get(pk=meetings[0].pk).allowed_slots.count() == 0
