"""Computing a mission's schedule: start a run, execute it (in a Celery task), save the solution.

The scheduler itself is pure (events/scheduler) and reads the interchange format; this module
builds that problem from the database, and saves a solution in one transaction after checking it
against the problem with the independent checker.
"""

import logging
import time
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.models import User
from events.enums import ACTIVE_RUN_STATUSES, ChangeKind, MeetingStatus, MissionAction
from events.models import Meeting, MeetingSeat, Mission, ScheduleRun
from events.schedule_precheck import precheck_findings, schedule_precheck
from events.schedule_problem import MissionProblem, mission_schedule_problem
from events.selectors import LATE_KIND, UNSCHEDULED_REASONS, meeting_state
from events.services._common import require_manager, require_unlocked
from events.services.phases import require_phase
from events.services.runs import (
    run_beat,
    run_begin,
    run_enqueue_on_commit,
    run_fail,
    run_heartbeat,
    run_requeue,
    run_succeed,
    runs_fail_stale,
)
from events.services.schedule import mission_is_published, schedule_change_record

logger = logging.getLogger(__name__)
MAX_TIME_LIMIT = 600


def schedule_run_start(
    *, mission: Mission, user: User | None, time_limit: int = 30, seed: int = 0, enqueue: bool = True
) -> ScheduleRun:
    """Queue a computation; the mission is locked for manual edits until it ends."""
    require_manager(user=user, mission=mission)
    if not 1 <= time_limit <= MAX_TIME_LIMIT:
        raise ValidationError({"time_limit": [_("Between 1 and %(max)d seconds.") % {"max": MAX_TIME_LIMIT}]})
    runs_sweep()  # a run whose worker died must not block this one (also without a beat process)
    with transaction.atomic():
        mission = Mission.objects.select_for_update().get(pk=mission.pk)
        require_unlocked(mission)
        require_phase(mission, MissionAction.COMPUTE_SCHEDULE)
        _require_fixed_meetings_possible(mission)
        try:
            with transaction.atomic():
                run = ScheduleRun.objects.create(mission=mission, time_limit=time_limit, seed=seed, created_by=user)
        except IntegrityError as exc:  # the partial unique constraint: one active run per mission
            raise ValidationError({"non_field_errors": [_("A schedule is already being computed.")]}) from exc
        Mission.objects.filter(pk=mission.pk).update(scheduling_locked=True)
        if enqueue:
            _enqueue(run)
    run.refresh_from_db()  # failed already when the queue could not be reached
    return run


def _require_fixed_meetings_possible(mission: Mission) -> None:
    """Refuse to compute while a fixed meeting breaks a hard rule where it stands (the pre-check's
    blocking findings): the scheduler would leave it out, yet it stays fixed in the schedule, and
    what the run placed around it could clash with it."""
    blocking = [row for row in schedule_precheck(mission=mission) if row.is_blocking]
    if blocking:
        raise ValidationError({"non_field_errors": [
            _("Fixed meetings cannot stay where they are fixed; move or unpin them before computing:"),
            *(row.describe() for row in blocking),
        ]})  # fmt: skip


def _enqueue(run: ScheduleRun) -> None:
    from events.tasks import schedule_run_task  # tasks import services

    run_enqueue_on_commit(ScheduleRun, run_id=run.pk, task=schedule_run_task)


def schedule_run_retry(*, run: ScheduleRun, user: User | None, enqueue: bool = True) -> ScheduleRun:
    """Queue a failed computation again, as a new attempt with the same settings; the mission is
    locked again. Retrying a run that is already queued again (a double submit) does nothing."""
    require_manager(user=user, mission=run.mission)
    runs_sweep()
    with transaction.atomic():
        # The mission row first, like schedule_run_start: the two serialise instead of deadlocking.
        mission = Mission.objects.select_for_update().get(pk=run.mission_id)
        if run_requeue(ScheduleRun, run_id=run.pk):
            require_unlocked(mission)  # a lock without an active run was released by the sweep just above
            Mission.objects.filter(pk=mission.pk).update(scheduling_locked=True)
            if enqueue:
                _enqueue(run)
    run.refresh_from_db()
    return run


def schedule_run_ended(*, run_id: int) -> None:
    """ScheduleRun.on_end: the run succeeded or failed, so the mission takes manual edits again."""
    Mission.objects.filter(schedule_runs__pk=run_id).update(scheduling_locked=False)


def missions_unlock_orphaned() -> list[int]:
    """Release the lock of missions that have no active schedule run (left by a crash before runs
    had a heartbeat); returns their ids. Each mission is locked and checked on its own, so a run
    being started meanwhile is never unlocked."""
    unlocked = []
    for pk in Mission.objects.filter(scheduling_locked=True).values_list("pk", flat=True):
        with transaction.atomic():
            mission = Mission.objects.select_for_update().get(pk=pk)
            active = ScheduleRun.objects.filter(mission=mission, status__in=ACTIVE_RUN_STATUSES).exists()
            if mission.scheduling_locked and not active:
                Mission.objects.filter(pk=pk).update(scheduling_locked=False)
                unlocked.append(pk)
    return unlocked


def runs_sweep(*, now: datetime | None = None) -> dict[str, list[int]]:
    """The beat task's work (every minute): fail stale runs of every kind, then release the locks
    of missions with no active schedule run. Returns the ids, by model label and "unlocked"."""
    result = runs_fail_stale(now=now)
    unlocked = missions_unlock_orphaned()
    return {**result, "unlocked": unlocked} if unlocked else result


def _solve(problem: dict, *, time_limit: float, seed: int) -> dict:
    from events.scheduler import io, solver

    solution = solver.schedule(io.problem_from_dict(problem), time_limit=time_limit, seed=seed)
    return io.solution_to_dict(solution)


class _Superseded(Exception):
    """The attempt was failed by the sweep or retried while it computed: its result is dropped."""


def schedule_run_execute(*, run_id: int) -> ScheduleRun:
    """Compute and save; safe to run twice (a run that is not queued is left as it is)."""
    attempt = run_begin(ScheduleRun, run_id=run_id)
    if attempt is None:
        return ScheduleRun.objects.get(pk=run_id)
    try:
        with run_heartbeat(ScheduleRun, run_id=run_id, attempt=attempt):
            _compute_and_save(run_id, attempt)
    except _Superseded:
        logger.warning("schedule run %s: attempt %s ended elsewhere; its result is dropped", run_id, attempt)
    except Exception as exc:  # any failure ends the run visibly; the task logs the traceback
        logger.exception("schedule run %s failed", run_id)
        run_fail(ScheduleRun, run_id=run_id, error=f"{type(exc).__name__}: {exc}", attempt=attempt)
    return ScheduleRun.objects.get(pk=run_id)


def _compute_and_save(run_id: int, attempt: int) -> None:
    run = ScheduleRun.objects.select_related("mission", "created_by").get(pk=run_id)
    run_beat(ScheduleRun, run_id=run_id, attempt=attempt, progress=5)
    built = mission_schedule_problem(mission=run.mission)
    # What the pre-check found on the problem solved: the run's result says it next to what was left out.
    findings = precheck_findings(built)
    run_beat(ScheduleRun, run_id=run_id, attempt=attempt, progress=10)
    started = time.monotonic()
    solution = _solve(built.problem, time_limit=run.time_limit, seed=run.seed)
    run_beat(ScheduleRun, run_id=run_id, attempt=attempt, progress=90)
    solution["stats"]["seconds"] = round(time.monotonic() - started, 2)
    solution["stats"]["precheck"] = findings
    with transaction.atomic():  # the meetings placed and the run succeeded, or neither
        solution = schedule_apply(mission=run.mission, solution=solution, user=run.created_by)
        if not run_succeed(ScheduleRun, run_id=run_id, attempt=attempt, stats=solution["stats"],
                           unscheduled=solution["unscheduled"]):  # fmt: skip
            raise _Superseded


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
