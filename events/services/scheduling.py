"""Computing a mission's schedule: start a run, execute it (in a Celery task), save the solution.

The scheduler itself is pure (events/scheduler) and reads the interchange format; this module
builds that problem from the database, and saves a solution in one transaction after checking it
against the problem with the independent checker.
"""

import logging
import time
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from events.enums import ChangeKind, MeetingStatus, MissionStatus, ScheduleRunStatus
from events.models import Meeting, MeetingSeat, Mission, ScheduleRun
from events.schedule_problem import MissionProblem, mission_schedule_problem
from events.selectors import LATE_KIND, UNSCHEDULED_REASONS, meeting_state
from events.services._common import require_manager, require_unlocked
from events.services.schedule import mission_is_published, schedule_change_record

logger = logging.getLogger(__name__)
MAX_TIME_LIMIT = 600


def _set_run(run: ScheduleRun, **values: Any) -> None:
    ScheduleRun.objects.filter(pk=run.pk).update(**values)
    for name, value in values.items():
        setattr(run, name, value)


def schedule_run_start(
    *, mission: Mission, user: User | None, time_limit: int = 30, seed: int = 0, enqueue: bool = True
) -> ScheduleRun:
    """Queue a computation; the mission is locked for manual edits until it ends."""
    require_manager(user=user, mission=mission)
    if not 1 <= time_limit <= MAX_TIME_LIMIT:
        raise ValidationError({"time_limit": [_("Between 1 and %(max)d seconds.") % {"max": MAX_TIME_LIMIT}]})
    with transaction.atomic():
        mission = Mission.objects.select_for_update().get(pk=mission.pk)
        require_unlocked(mission)
        try:
            with transaction.atomic():
                run = ScheduleRun.objects.create(mission=mission, time_limit=time_limit, seed=seed, created_by=user)
        except IntegrityError as exc:  # the partial unique constraint: one active run per mission
            raise ValidationError({"non_field_errors": [_("A schedule is already being computed.")]}) from exc
        Mission.objects.filter(pk=mission.pk).update(scheduling_locked=True)
        if enqueue:
            from events.tasks import schedule_run_task  # tasks import services

            transaction.on_commit(lambda: schedule_run_task.delay(run.pk))
    return run


def _solve(problem: dict, *, time_limit: float, seed: int) -> dict:
    from events.scheduler import io, solver

    solution = solver.schedule(io.problem_from_dict(problem), time_limit=time_limit, seed=seed)
    return io.solution_to_dict(solution)


def schedule_run_execute(*, run_id: int) -> ScheduleRun:
    """Compute and save; safe to run twice (a finished run is left as it is)."""
    run = ScheduleRun.objects.select_related("mission").get(pk=run_id)
    if run.status not in (ScheduleRunStatus.QUEUED, ScheduleRunStatus.RUNNING):
        return run
    _set_run(run, status=ScheduleRunStatus.RUNNING, started_at=timezone.now(), progress=5)
    try:
        built = mission_schedule_problem(mission=run.mission)
        _set_run(run, progress=10)
        started = time.monotonic()
        solution = _solve(built.problem, time_limit=run.time_limit, seed=run.seed)
        _set_run(run, progress=90)
        solution["stats"]["seconds"] = round(time.monotonic() - started, 2)
        solution = schedule_apply(mission=run.mission, solution=solution, user=run.created_by)
        _set_run(run, status=ScheduleRunStatus.SUCCEEDED, progress=100, stats=solution["stats"],
                 unscheduled=solution["unscheduled"], finished_at=timezone.now())  # fmt: skip
    except Exception as exc:  # any failure ends the run visibly; the task logs the traceback
        logger.exception("schedule run %s failed", run.pk)
        _set_run(run, status=ScheduleRunStatus.FAILED, error=f"{type(exc).__name__}: {exc}"[:2000],
                 finished_at=timezone.now())  # fmt: skip
    finally:
        Mission.objects.filter(pk=run.mission_id).update(scheduling_locked=False)
    return run


def _check(built: MissionProblem, solution: dict) -> None:
    from events.scheduler import checker, io

    problems = checker.check(io.problem_from_dict(built.problem), io.solution_from_dict(solution))
    if problems:
        raise ValidationError({"solution": [str(p) for p in problems[:20]]})


def _fit_to_current(built: MissionProblem, solution: dict) -> dict:
    """The solution restricted to the meetings that still exist; meetings created while it was
    computed (a firm accepting a request meanwhile) stay unplaced and are listed as such."""
    current = {m["id"] for m in built.problem["meetings"]}
    solved = {row["id"] for row in solution["meetings"]} | {row["id"] for row in solution["unscheduled"]}
    # Stored in English like the scheduler's reasons; selectors.unscheduled_reason translates by kind.
    reason = UNSCHEDULED_REASONS[LATE_KIND]
    late = [{"id": pk, "kind": LATE_KIND, "reason": reason} for pk in sorted(current - solved)]
    return {
        **solution,
        "meetings": [row for row in solution["meetings"] if row["id"] in current],
        "unscheduled": [row for row in solution["unscheduled"] if row["id"] in current] + late,
    }


@transaction.atomic
def schedule_apply(*, mission: Mission, solution: dict, user: User | None) -> dict:
    """Save a solution in one transaction, under the mission's row lock; returns the solution saved.

    The solution is checked against the mission as it is now (the checker is independent of the
    scheduler): if slots, availability or delegates changed while it was computed so that it no
    longer fits, nothing is written and the caller gets the checker's reasons.
    """
    mission = Mission.objects.select_for_update().get(pk=mission.pk)
    built = mission_schedule_problem(mission=mission)
    solution = _fit_to_current(built, solution)
    _check(built, solution)
    meetings = {m.pk: m for m in Meeting.objects.select_for_update().filter(mission=mission,
                                                                          status=MeetingStatus.CONFIRMED)}  # fmt: skip
    before = {pk: meeting_state(m) for pk, m in meetings.items()}
    movable = [m for m in meetings.values() if not m.pinned]
    MeetingSeat.objects.filter(meeting__in=movable).delete()
    Meeting.objects.filter(pk__in=[m.pk for m in movable]).update(slot=None, table=None)
    placed = {row["id"]: row for row in solution["meetings"]}
    for meeting in movable:
        row = placed.get(meeting.pk)
        meeting.slot_id = row["slot"] if row else None
        meeting.table_id = built.table_ids.get(row["table"]) if row and built.table_ids else None
    Meeting.objects.bulk_update(movable, ["slot", "table"], batch_size=1000)
    _write_seats(meetings.values())
    if mission.status in (MissionStatus.DRAFT, MissionStatus.REGISTRATION, MissionStatus.REQUESTS):
        Mission.objects.filter(pk=mission.pk).update(status=MissionStatus.SCHEDULED)
    if mission_is_published(mission):
        _record_changes(movable, before, user)
    return solution


def _write_seats(meetings) -> None:
    """Seats 1..capacity per firm and slot, after the seats that pinned meetings already hold."""
    used: dict[tuple[int, int], set[int]] = {}
    for participation_id, slot_id, seat in MeetingSeat.objects.filter(
        meeting__in=[m for m in meetings if m.pinned]
    ).values_list("participation_id", "slot_id", "seat"):
        used.setdefault((participation_id, slot_id), set()).add(seat)
    seats = []
    for meeting in sorted(meetings, key=lambda m: m.pk):
        if meeting.pinned or meeting.slot_id is None:
            continue
        for participation_id in (meeting.a_id, meeting.b_id):
            taken = used.setdefault((participation_id, meeting.slot_id), set())
            seat = next(n for n in range(1, len(taken) + 2) if n not in taken)
            taken.add(seat)
            seats.append(MeetingSeat(meeting=meeting, participation_id=participation_id, slot_id=meeting.slot_id,
                                     seat=seat))  # fmt: skip
    MeetingSeat.objects.bulk_create(seats, batch_size=2000)


def _record_changes(movable: list[Meeting], before: dict[int, dict], user: User | None) -> None:
    for meeting in movable:
        meeting.refresh_from_db(fields=["slot", "table"])
        if meeting_state(meeting) != before[meeting.pk]:
            schedule_change_record(meeting=meeting, kind=ChangeKind.MOVED, before=before[meeting.pk], user=user)


def schedule_solution_import(*, mission: Mission, solution: Any, user: User | None) -> dict:
    """Apply a solution computed elsewhere; it is checked like one computed here."""
    require_manager(user=user, mission=mission)
    require_unlocked(mission)
    if not isinstance(solution, dict) or not isinstance(solution.get("meetings"), list):
        raise ValidationError({"solution": [_('Expected a JSON object with a list "meetings".')]})
    solution = {"unscheduled": [], "stats": {}, **solution}
    from events.scheduler import io

    try:
        io.solution_from_dict(solution)
    except io.ProblemError as exc:
        raise ValidationError({"solution": [str(exc)]}) from exc
    return schedule_apply(mission=mission, solution=solution, user=user)
