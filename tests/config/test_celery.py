from django.conf import settings

from config.celery import app


def test_beat_schedule_names_registered_tasks():
    app.loader.import_default_modules()
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert scheduled == {
        "matchmaking.nightly", "accounts.notification_digest", "accounts.notification_email_pending",
        "events.meeting_reminders",
    }  # fmt: skip
    assert scheduled <= set(app.tasks)
