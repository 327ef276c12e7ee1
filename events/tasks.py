"""Thin tasks: load by id, call one service. Each is safe to run twice."""

from celery import shared_task


@shared_task(name="events.schedule_run", acks_late=True, time_limit=1800, soft_time_limit=1700)
def schedule_run_task(run_id: int) -> str:
    from events.services.scheduling import schedule_run_execute

    return schedule_run_execute(run_id=run_id).status


@shared_task(name="events.meeting_reminders", acks_late=True, time_limit=600)
def meeting_reminders_task() -> int:
    """Hourly (Celery beat): remind firms of their first meeting of a mission, once per firm and mission."""
    from events.services.reminders import meeting_reminders_send

    return meeting_reminders_send()
