"""Clients signed in as a user, and the notification rows tests compare (shared by the test modules)."""

from django.test import Client
from rest_framework.test import APIClient

from accounts.models import Notification


def web(user, language: str | None = None) -> Client:
    """A page client logged in as `user` (anonymous for None), asking for `language` if given."""
    client = Client()
    if user is not None:
        client.force_login(user)
    if language:
        client.cookies["django_language"] = language
    return client


def api(user) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def notification_rows() -> list[tuple]:
    """(recipient e-mail, kind, params, link) of every notification, by recipient then creation."""
    rows = Notification.objects.select_related("recipient").order_by("recipient__email", "pk")
    return [(n.recipient.email, n.kind, n.params, n.link) for n in rows]
