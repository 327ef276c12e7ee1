"""Clients signed in as a user, the notification rows tests compare, and small files tests upload."""

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


def xlsx_bytes(*rows: list) -> bytes:
    """An .xlsx file whose first sheet holds `rows` (the ugly-file tests make theirs in the test)."""
    import io

    from openpyxl import Workbook

    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
