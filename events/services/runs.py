"""The lifecycle every background run shares: schedule runs (events) and match runs (matchmaking).

```
queued ──begin──> running ──succeed──> succeeded
   │                 │
   └─────fail────────┴──────> failed ──requeue (retry)──> queued (next attempt)
```

Every change of status is a conditional UPDATE (compare and set) on the run's row: a task
delivered twice, a late callback of an earlier attempt or a sweep racing a finishing worker
changes nothing that is not in the state it expects. The functions take the run model
(`events.models.RunLifecycle` subclass), so events never imports matchmaking; the sweep finds
every kind among the installed models. See docs/operations.md.
"""

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, connections, transaction
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from kombu.exceptions import KombuError

from config.background import background_start
from events.enums import ACTIVE_RUN_STATUSES, RunStatus
from events.models import RunLifecycle

logger = logging.getLogger(__name__)

# Stored in English (the sweep has no viewer); pages translate them when they show the error.
STALE_ERROR = gettext_noop(
    "The worker running this run stopped without finishing it (it may have run out of memory, "
    "crashed or been restarted). Nothing was saved."
)
QUEUED_STALE_ERROR = gettext_noop(
    "No worker started this run in time (is a Celery worker running?). Nothing was saved."
)
ENQUEUE_ERROR = gettext_noop("The task queue could not be reached, so this run was never started. Nothing was saved.")
ERROR_MAX_LENGTH = 4000

RunModel = type[RunLifecycle]


def run_kinds() -> list[RunModel]:
    """Every concrete run model of the installed apps (schedule runs, match runs)."""
    return [model for model in apps.get_models() if issubclass(model, RunLifecycle)]


def _ended(model: RunModel, run_id: int) -> None:
    if model.on_end:
        import_string(model.on_end)(run_id=run_id)


def _this_attempt(model: RunModel, run_id: int, attempt: int | None, statuses: tuple[str, ...]) -> Any:
    runs = model._default_manager.filter(pk=run_id, status__in=statuses)
    return runs if attempt is None else runs.filter(attempts=attempt)


def run_begin(model: RunModel, *, run_id: int) -> int | None:
    """Queued -> running as a new attempt; returns its number.

    None when the run is not queued: it ended, or it is already running. A run already running
    was taken by another delivery of its task (a duplicate, or a redelivery after its worker
    died): that one either finishes it or falls silent and the sweep fails it. Never starting
    it again here means a run that kills its worker (out of memory) cannot loop.
    """
    now = timezone.now()
    with transaction.atomic():
        begun = model._default_manager.filter(pk=run_id, status=RunStatus.QUEUED).update(
            status=RunStatus.RUNNING, attempts=F("attempts") + 1, started_at=now, heartbeat_at=now,
            finished_at=None, error="",
        )  # fmt: skip
        if not begun:
            return None
        return model._default_manager.values_list("attempts", flat=True).get(pk=run_id)


def run_beat(model: RunModel, *, run_id: int, attempt: int | None, progress: int | None = None) -> bool:
    """A sign of life (and the progress, 0-100, when given) of a running attempt; False once it ended."""
    values: dict[str, Any] = {"heartbeat_at": timezone.now()}
    if progress is not None:
        values["progress"] = progress
    return bool(_this_attempt(model, run_id, attempt, (RunStatus.RUNNING,)).update(**values))


def run_succeed(model: RunModel, *, run_id: int, attempt: int | None, **values: Any) -> bool:
    """Running -> succeeded with the run's results. False when the attempt was failed (the sweep)
    or superseded meanwhile: the caller must then roll back what it wrote."""
    now = timezone.now()
    with transaction.atomic():
        done = _this_attempt(model, run_id, attempt, (RunStatus.RUNNING,)).update(
            status=RunStatus.SUCCEEDED, progress=100, finished_at=now, heartbeat_at=now, **values
        )
        if done:
            _ended(model, run_id)
    return bool(done)


def run_fail(model: RunModel, *, run_id: int, error: str, attempt: int | None = None) -> bool:
    """Queued or running -> failed with the error; a run that ended (or a later attempt) stays as it is."""
    with transaction.atomic():
        failed = _this_attempt(model, run_id, attempt, ACTIVE_RUN_STATUSES).update(
            status=RunStatus.FAILED, error=error[:ERROR_MAX_LENGTH], finished_at=timezone.now()
        )
        if failed:
            _ended(model, run_id)
    if failed:
        logger.warning("%s %s failed: %s", model._meta.verbose_name, run_id, error)
    return bool(failed)


def run_requeue(model: RunModel, *, run_id: int, **reset: Any) -> bool:
    """Failed -> queued for a new attempt (the retry); True when this call queued it, and the caller
    then enqueues its task on commit.

    False when the run is queued or running already: a second click on Retry changes nothing. A
    succeeded run is refused, and so is a retry while another run of the same scope is active
    (the database's one-active-run constraint).
    """
    reset = {"error": "", "progress": 0, "started_at": None, "finished_at": None, **reset}
    try:
        with transaction.atomic():
            queued = model._default_manager.filter(pk=run_id, status=RunStatus.FAILED).update(
                status=RunStatus.QUEUED, heartbeat_at=timezone.now(), **reset
            )
    except IntegrityError as exc:  # the partial unique constraint: one active run per scope
        raise ValidationError({"non_field_errors": [_("Another run of this scope is queued or running.")]}) from exc
    if not queued and not model._default_manager.filter(pk=run_id, status__in=ACTIVE_RUN_STATUSES).exists():
        raise ValidationError({"status": [_("Only a failed run can be retried.")]})
    return bool(queued)


def run_enqueue_on_commit(model: RunModel, *, run_id: int, task: Any) -> None:
    """Send the run's task once the transaction commits; a broker that cannot be reached fails the
    run at once with a clear error (and releases what it holds) instead of leaving it queued.
    Without a broker (RUN_TASKS_IN_THREAD) the task runs in a thread after the commit."""

    def send() -> None:
        if settings.RUN_TASKS_IN_THREAD:  # no broker: run after the response, not inside it (config.background)
            background_start(f"{model._meta.model_name}-{run_id}", task.apply, [run_id])
            return
        try:
            task.apply_async(args=[run_id], retry=False)
        except (KombuError, OSError):  # the broker refused or timed out (kombu wraps redis' errors)
            logger.exception("%s %s: could not enqueue", model._meta.verbose_name, run_id)
            run_fail(model, run_id=run_id, error=ENQUEUE_ERROR)

    transaction.on_commit(send)


# --- Heartbeat and the sweep ------------------------------------------------------------------------


@contextmanager
def run_heartbeat(model: RunModel, *, run_id: int, attempt: int | None) -> Iterator[None]:
    """While the block runs, a thread writes the run's sign of life every RUN_HEARTBEAT_SECONDS.

    A thread, because the work in the block (CP-SAT, numpy) does not return to Python for
    minutes; both release the GIL. The thread uses its own database connection and closes it.
    """
    stop = threading.Event()

    def beat() -> None:
        try:
            while not stop.wait(settings.RUN_HEARTBEAT_SECONDS):
                try:
                    if not run_beat(model, run_id=run_id, attempt=attempt):
                        return  # ended or superseded: nothing more to say
                except DatabaseError:  # a missed beat is not fatal; the next one may pass
                    logger.warning("%s %s: heartbeat not written", model._meta.verbose_name, run_id, exc_info=True)
        finally:
            connections.close_all()  # this thread's connections only

    thread = threading.Thread(target=beat, name=f"heartbeat-{model._meta.model_name}-{run_id}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=10)


def _stale(model: RunModel, status: str, before: datetime) -> list[int]:
    last_sign = Coalesce("heartbeat_at", "created_at")
    return list(
        model._default_manager.select_for_update(skip_locked=True)
        .annotate(last_sign=last_sign)
        .filter(Q(status=status) & Q(last_sign__lt=before))
        .values_list("pk", flat=True)
    )


def runs_fail_stale(*, now: datetime | None = None) -> dict[str, list[int]]:
    """Fail the runs whose worker is gone, of every kind; returns the failed ids by model label.

    Running with no sign of life for RUN_STALE_SECONDS, or queued (never begun) for
    RUN_QUEUED_STALE_SECONDS. Ending a run releases what it holds (a schedule run: the mission
    lock). Rows another transaction holds are left for the next sweep. `now`: the time to judge
    by (tests pass a later one instead of waiting).
    """
    now = now or timezone.now()
    rules = [
        (RunStatus.RUNNING, now - timedelta(seconds=settings.RUN_STALE_SECONDS), STALE_ERROR),
        (RunStatus.QUEUED, now - timedelta(seconds=settings.RUN_QUEUED_STALE_SECONDS), QUEUED_STALE_ERROR),
    ]
    failed: dict[str, list[int]] = {}
    for model in run_kinds():
        for status, before, error in rules:
            with transaction.atomic():
                ids = _stale(model, status, before)
                model._default_manager.filter(pk__in=ids).update(status=RunStatus.FAILED, error=error, finished_at=now)
                for run_id in ids:
                    _ended(model, run_id)
            if ids:
                logger.warning("%s %s failed as stale: %s", model._meta.verbose_name_plural, ids, error)
                failed.setdefault(model._meta.label, []).extend(ids)
    return failed
