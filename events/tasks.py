"""Thin tasks: load by id, call one service. Each is safe to run twice."""

from celery import shared_task


# acks_late + reject_on_worker_lost: a worker that dies before the run began gives the message
# back to the queue; one that dies after leaves a silent running run, failed by runs_sweep.
# ignore_result: the run's row is its result, and enqueueing then never waits on the result store.
@shared_task(name="events.schedule_run", acks_late=True, reject_on_worker_lost=True, ignore_result=True,
             time_limit=1800, soft_time_limit=1700)  # fmt: skip
def schedule_run_task(run_id: int) -> str:
    from events.services.scheduling import schedule_run_execute

    return schedule_run_execute(run_id=run_id).status


@shared_task(name="events.meeting_reminders", acks_late=True, time_limit=600)
def meeting_reminders_task() -> int:
    """Hourly (Celery beat): remind firms of their first meeting of a mission, once per firm and mission."""
    from events.services.reminders import meeting_reminders_send

    return meeting_reminders_send()


@shared_task(name="events.runs_sweep", acks_late=True, time_limit=60, soft_time_limit=50)
def runs_sweep_task() -> dict[str, list[int]]:
    """Celery beat, every minute: fail stale match and schedule runs, release mission locks."""
    from events.services.scheduling import runs_sweep

    return runs_sweep()
