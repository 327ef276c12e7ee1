"""The Celery path with a real worker (threads) on Redis: each task of accounts.tasks at least once."""

import time
from datetime import timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

import accounts.tasks  # noqa: F401  (registers the tasks before the worker starts)
from accounts import services
from accounts.enums import EmailFrequency, NotificationKind
from accounts.models import Notification
from tests.factories import UserFactory

# PostgreSQL too: the worker's threads write while the test polls (see tests/matchmaking/test_tasks.py).
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.redis, pytest.mark.postgres]

WAIT_SECONDS = 60
PARAMS = {"mission": "Battery mission Tokyo", "firm": "Beta Refining KK", "message": ""}


def _send(user):
    return services.notification_send(
        recipients=[user], kind=NotificationKind.REQUEST_RECEIVED, params=PARAMS, link="/missions/1/me/requests/"
    )


def _wait_emailed(pk: int) -> Notification:
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        notification = Notification.objects.get(pk=pk)
        if notification.emailed_at is not None:
            return notification
        time.sleep(0.2)
    pytest.fail(f"notification {pk} not e-mailed after {WAIT_SECONDS} s")


def test_notification_send_real_worker_emails_after_commit(celery_worker):
    user = UserFactory(email="kenji@example.jp", language="ja")

    with transaction.atomic():
        (row,) = _send(user)  # enqueued when this block commits

    _wait_emailed(row.pk)
    (message,) = mail.outbox  # the worker's threads share this process's locmem outbox
    assert (message.to, message.subject) == (
        ["kenji@example.jp"], "Battery mission Tokyo：Beta Refining KK から面談のリクエストが届きました",
    )  # fmt: skip


def test_pending_sweep_real_worker(celery_worker):
    user = UserFactory(email="ada@example.com")
    (row,) = _send(user)  # autocommit: its own task already ran, so make it look lost and old
    _wait_emailed(row.pk)
    Notification.objects.filter(pk=row.pk).update(emailed_at=None, created_at=timezone.now() - timedelta(hours=1))
    mail.outbox.clear()

    sent = accounts.tasks.notification_email_pending_task.delay().get(timeout=WAIT_SECONDS)

    assert (sent, [m.to for m in mail.outbox]) == (1, [["ada@example.com"]])


def test_digest_real_worker_sends_once(celery_worker):
    user = UserFactory(email="dora@example.com", email_frequency=EmailFrequency.DAILY)
    _send(user)
    _send(user)

    first = accounts.tasks.notification_digest_task.delay().get(timeout=WAIT_SECONDS)
    second = accounts.tasks.notification_digest_task.delay().get(timeout=WAIT_SECONDS)

    assert (first, second, [(m.to, m.subject) for m in mail.outbox]) == (
        1, 0, [(["dora@example.com"], "Kizuna: 2 new notifications")],
    )  # fmt: skip


def test_email_send_real_worker(celery_worker):
    sent = accounts.tasks.email_send_task.delay("new@example.com", "Join us", "Body").get(timeout=WAIT_SECONDS)

    assert (sent, [(m.to, m.subject, m.body) for m in mail.outbox]) == (1, [(["new@example.com"], "Join us", "Body")])
