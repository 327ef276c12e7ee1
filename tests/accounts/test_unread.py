"""The unread badge kept in the cache (accounts.unread): every way notifications are created, read
or deleted shows on the next page, and with the cache down the badge is counted as before."""

import pytest
from django.contrib.admin.sites import site
from django.test import RequestFactory
from django.urls import reverse

from accounts import services
from accounts.enums import NotificationKind
from accounts.models import Notification
from accounts.selectors import notifications_unread_count
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PARAMS = {"mission": "Battery mission Tokyo", "firm": "Beta Refining KK", "message": ""}
DEAD_CACHE = {"default": {"BACKEND": "config.cache.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}}


def _notify(*users, link="/missions/7/me/requests/", coalesce=False):
    services.notification_send(
        recipients=users, kind=NotificationKind.REQUEST_RECEIVED, params=PARAMS, link=link, coalesce=coalesce
    )


def _badge(client) -> str:
    html = client.get(reverse("home")).content.decode()
    start = html.index('<a href="/accounts/notifications/">')
    return html[start : html.index("</a>", start) + 4]


def _shows(count: int) -> str:
    badge = f' <span class="badge" title="unread">{count}</span>' if count else ""
    return f'<a href="/accounts/notifications/">Notifications{badge}</a>'


@pytest.fixture
def reader(client, db):
    user = UserFactory(email="reader@example.com")
    client.force_login(user)
    return client, user


def test_badge_kept_until_the_notifications_change(reader, django_assert_num_queries):
    client, user = reader
    _notify(user)
    assert _badge(client) == _shows(1)

    with django_assert_num_queries(0):
        assert notifications_unread_count(user=user) == 1


def test_badge_after_a_new_notification(reader):
    client, user = reader
    assert _badge(client) == _shows(0)

    _notify(user)
    _notify(user, link="/missions/8/me/requests/")

    assert _badge(client) == _shows(2)


def test_badge_after_marking_one_and_all_read(reader):
    client, user = reader
    _notify(user)
    _notify(user, link="/missions/8/me/requests/")
    _notify(user, link="/missions/9/me/requests/")
    first = Notification.objects.filter(recipient=user).order_by("pk").first()
    assert _badge(client) == _shows(3)

    services.notification_mark_read(user=user, notification_id=first.pk)
    assert _badge(client) == _shows(2)

    services.notifications_mark_all_read(user=user)
    assert _badge(client) == _shows(0)


def test_badge_after_the_admin_deletes_notifications(reader, admin_user):
    client, user = reader
    _notify(user)
    _notify(user, link="/missions/8/me/requests/")
    _notify(user, link="/missions/9/me/requests/")
    rows = list(Notification.objects.filter(recipient=user).order_by("pk"))
    admin, request = site._registry[Notification], RequestFactory().post("/")
    assert _badge(client) == _shows(3)

    admin.delete_model(request, rows[0])
    assert _badge(client) == _shows(2)

    admin.delete_queryset(request, Notification.objects.filter(pk__in=[r.pk for r in rows[1:]]))
    assert _badge(client) == _shows(0)


def test_badge_is_each_users_own(client):
    """Two users, one with notifications: neither sees the other's count."""
    busy, idle = UserFactory(email="busy@example.com"), UserFactory(email="idle@example.com")
    _notify(busy)
    _notify(busy, link="/missions/8/me/requests/")
    client.force_login(busy)
    assert _badge(client) == _shows(2)

    client.force_login(idle)
    assert _badge(client) == _shows(0)


def test_badge_with_the_cache_down_is_counted(reader, settings, caplog):
    client, user = reader
    settings.CACHES = DEAD_CACHE

    _notify(user)

    assert notifications_unread_count(user=user) == 1
    assert "Unread-count cache unavailable" in caplog.text


def test_badge_after_a_commit_is_counted_again(reader, django_capture_on_commit_callbacks):
    """A page rendered between a write and its commit keeps what it counted under a generation that
    the commit replaces: after the commit the badge is counted again."""
    client, user = reader
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _notify(user)
    assert notifications_unread_count(user=user) == 1  # counted under the write's first generation
    Notification.objects.filter(recipient=user).delete()  # as if a reader had seen the rows before the write

    for callback in callbacks:
        callback()

    assert notifications_unread_count(user=user) == 0
