"""Thin tasks: e-mails of notifications (at once, the pending sweep, the daily digest) and plain e-mails.

All are safe to run twice (a row is marked e-mailed in the transaction that sends it) and retry with
backoff on SMTP and connection errors (OSError; smtplib's errors are OSErrors).
"""

from celery import shared_task
from django.core.mail import send_mail

from accounts import services

RETRY = {"autoretry_for": (OSError,), "retry_backoff": 30, "retry_backoff_max": 3600, "max_retries": 6}


@shared_task(name="accounts.notification_email", acks_late=True, time_limit=300, **RETRY)
def notification_email_task(notification_ids: list[int]) -> int:
    return services.notifications_email(notification_ids=notification_ids)


@shared_task(name="accounts.notification_email_pending", acks_late=True, time_limit=600, **RETRY)
def notification_email_pending_task() -> int:
    return services.notifications_email_pending()


@shared_task(name="accounts.notification_digest", acks_late=True, time_limit=1800, **RETRY)
def notification_digest_task() -> int:
    return services.notifications_digest_send()


@shared_task(name="accounts.email_send", acks_late=True, time_limit=60, **RETRY)
def email_send_task(to: str, subject: str, body: str) -> int:
    return send_mail(subject, body, None, [to])
