"""Thin tasks: load by id, call one service. Both are safe to run twice."""

from celery import shared_task

from events.services.schedule import schedule_change_notify, schedule_published_notify


@shared_task(name="events.schedule_change_notify", acks_late=True, time_limit=60, max_retries=5,
             autoretry_for=(OSError,), retry_backoff=True)  # fmt: skip
def schedule_change_notify_task(change_id: int) -> int:
    return schedule_change_notify(change_id=change_id)


@shared_task(name="events.schedule_published_notify", acks_late=True, time_limit=300, max_retries=5,
             autoretry_for=(OSError,), retry_backoff=True)  # fmt: skip
def schedule_published_notify_task(version_id: int) -> int:
    return schedule_published_notify(version_id=version_id)


@shared_task(name="events.schedule_run", acks_late=True, time_limit=1800, soft_time_limit=1700)
def schedule_run_task(run_id: int) -> str:
    from events.services.scheduling import schedule_run_execute

    return schedule_run_execute(run_id=run_id).status
