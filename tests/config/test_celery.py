from django.conf import settings

from config.celery import app

RUN_TASKS = {"events.schedule_run", "matchmaking.run_execute", "matchmaking.run_block", "matchmaking.run_save"}


def _our_tasks() -> dict:
    app.loader.import_default_modules()
    return {name: task for name, task in app.tasks.items() if not name.startswith("celery.")}


def test_beat_schedule_names_registered_tasks():
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert scheduled == {
        "matchmaking.nightly", "accounts.notification_digest", "accounts.notification_email_pending",
        "events.meeting_reminders", "events.runs_sweep",
    }  # fmt: skip
    assert scheduled <= set(_our_tasks())
    assert settings.CELERY_BEAT_SCHEDULE["runs-sweep"]["schedule"] == 60.0


def test_every_task_has_a_time_limit_within_the_visibility_timeout():
    limits = {name: task.time_limit for name, task in _our_tasks().items()}
    assert [name for name, limit in limits.items() if not limit] == []
    assert max(limits.values()) == settings.TASK_LONGEST_TIME_LIMIT == 1900
    # Redis gives an unacknowledged message to another worker after the visibility timeout: it must
    # outlast the longest task, or that task would run twice.
    assert settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] == 2200
    assert app.conf.broker_transport_options["visibility_timeout"] == 2200


def test_run_tasks_go_back_to_the_queue_when_their_worker_dies():
    tasks = _our_tasks()
    flags = {name: (tasks[name].acks_late, tasks[name].reject_on_worker_lost) for name in RUN_TASKS}
    assert flags == dict.fromkeys(RUN_TASKS, (True, True))
