"""The notification centre (header badge, list, mark read) and the user's settings page."""

import pytest
from django.conf import settings
from django.urls import reverse

from accounts import services
from accounts.enums import EmailFrequency, NotificationKind
from accounts.models import Notification, User
from accounts.selectors import notifications_unread_count
from tests.accounts.conftest import PASSWORD
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PARAMS = {"mission": "Battery mission Tokyo", "firm": "Beta Refining KK", "message": ""}


def _notify(user, count=1, link="/missions/7/me/requests/"):
    for _ in range(count):
        services.notification_send(recipients=[user], kind=NotificationKind.REQUEST_RECEIVED, params=PARAMS, link=link)
    return list(Notification.objects.filter(recipient=user).order_by("pk"))


@pytest.fixture
def signed_in(client, user):
    client.force_login(user)
    return client


def test_header_shows_unread_count_linking_to_centre(signed_in, user):
    _notify(user, 3)

    html = signed_in.get(reverse("home")).content.decode()

    assert '<a href="/accounts/notifications/">Notifications <span class="badge" title="unread">3</span></a>' in html
    settings_link = f'<a href="/accounts/settings/" title="Your settings"><span class="user-email">{user.email}</span>'
    assert settings_link in html


def test_header_without_unread_shows_no_badge(signed_in, user):
    html = signed_in.get(reverse("home")).content.decode()

    assert '<a href="/accounts/notifications/">Notifications</a>' in html


def test_unread_count_is_one_query(user, django_assert_num_queries):
    _notify(user, 5)

    with django_assert_num_queries(1):
        assert notifications_unread_count(user=user) == 5


def test_header_badge_queries_do_not_grow_with_notifications(signed_in, user, django_assert_num_queries):
    signed_in.get(reverse("home"))  # warm up (session, caches)
    _notify(user, 1)
    with django_assert_num_queries(3) as few:  # session, user with its membership (menu), unread count
        signed_in.get(reverse("home"))
    _notify(user, 30)

    with django_assert_num_queries(len(few.captured_queries)):
        signed_in.get(reverse("home"))


def test_centre_lists_titles_with_links_and_read_state(signed_in, user):
    first, second = _notify(user, 2)
    Notification.objects.filter(pk=first.pk).update(read_at=first.created_at)

    response = signed_in.get(reverse("accounts:notifications"))

    html = response.content.decode()
    assert (response.status_code, [r.pk for r in response.context["rows"]]) == (200, [second.pk, first.pk])
    link = '<a href="/missions/7/me/requests/">Battery mission Tokyo: Beta Refining KK asks to meet you</a>'
    assert html.count(link) == 2
    assert html.count(">Mark as read</button>") == 1
    assert f'action="/accounts/notifications/{second.pk}/read/"' in html


def test_centre_in_japanese(signed_in, user):
    _notify(user)

    html = signed_in.get(reverse("accounts:notifications"), HTTP_ACCEPT_LANGUAGE="ja").content.decode()

    assert "Battery mission Tokyo：Beta Refining KK から面談のリクエストが届きました" in html


def test_centre_requires_login(client, db):
    response = client.get(reverse("accounts:notifications"))

    assert (response.status_code, response.url) == (302, "/accounts/login/?next=/accounts/notifications/")


def test_centre_query_count_does_not_grow(signed_in, user, django_assert_num_queries):
    _notify(user, 2)
    with django_assert_num_queries(5) as few:  # session, user with its membership (menu), page count, rows, badge
        signed_in.get(reverse("accounts:notifications"))
    _notify(user, 20)

    with django_assert_num_queries(len(few.captured_queries)):
        signed_in.get(reverse("accounts:notifications"))


def test_mark_read_then_back_to_page(signed_in, user):
    (row,) = _notify(user)

    response = signed_in.post(
        reverse("accounts:notification_read", args=[row.pk]), {"next": "/accounts/notifications/?page=1"}
    )

    row.refresh_from_db()
    assert (response.status_code, response.url, row.is_read) == (302, "/accounts/notifications/?page=1", True)


def test_mark_read_of_another_users_notification_is_404(signed_in, db):
    (theirs,) = _notify(UserFactory())

    response = signed_in.post(reverse("accounts:notification_read", args=[theirs.pk]))

    theirs.refresh_from_db()
    assert (response.status_code, theirs.read_at) == (404, None)


def test_mark_read_needs_post_and_csrf(client, user):
    (row,) = _notify(user)
    csrf_client = client.__class__(enforce_csrf_checks=True)
    csrf_client.force_login(user)
    client.force_login(user)

    assert client.get(reverse("accounts:notification_read", args=[row.pk])).status_code == 405
    assert csrf_client.post(reverse("accounts:notification_read", args=[row.pk])).status_code == 403
    assert csrf_client.post(reverse("accounts:notifications_read_all")).status_code == 403
    row.refresh_from_db()
    assert row.read_at is None


def test_mark_all_read(signed_in, user):
    _notify(user, 3)

    response = signed_in.post(reverse("accounts:notifications_read_all"), follow=True)

    assert Notification.objects.filter(recipient=user, read_at__isnull=True).count() == 0
    assert [str(m) for m in response.context["messages"]] == ["All notifications are marked read."]
    assert "Mark all as read" not in response.content.decode()


# Settings -----------------------------------------------------------------------------------------


def test_settings_page_shows_current_values(signed_in, user):
    response = signed_in.get(reverse("accounts:settings"))

    assert response.status_code == 200
    assert response.context["form"].initial == {
        "full_name": "Vera Verified", "language": "en", "email_frequency": EmailFrequency.IMMEDIATE,
    }  # fmt: skip


def test_settings_save_language_and_digest_switches_pages(signed_in, user):
    data = {"full_name": "Vera V.", "language": "ja", "email_frequency": EmailFrequency.DAILY}

    response = signed_in.post(reverse("accounts:settings"), data)

    user.refresh_from_db()
    assert (response.status_code, response.url) == (302, "/accounts/settings/")
    assert (user.full_name, user.language, user.email_frequency) == ("Vera V.", "ja", EmailFrequency.DAILY)
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ja"
    assert "<h1>設定</h1>" in signed_in.get(reverse("accounts:settings")).content.decode()


def test_settings_unknown_language_is_a_field_error(signed_in, user):
    data = {"full_name": "Vera", "language": "fr", "email_frequency": "hourly"}

    response = signed_in.post(reverse("accounts:settings"), data)

    user.refresh_from_db()
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "language": ["Select a valid choice. fr is not one of the available choices."],
        "email_frequency": ["Select a valid choice. hourly is not one of the available choices."],
    }
    assert user.language == "en"


def test_signup_takes_language_from_browser(client, db):
    data = {"email": "kenji@example.jp", "full_name": "Kenji", "password": PASSWORD, "password_confirm": PASSWORD}

    client.post(reverse("accounts:signup"), data, HTTP_ACCEPT_LANGUAGE="ja-JP,ja;q=0.9,en;q=0.5")

    assert User.objects.get(email="kenji@example.jp").language == "ja"


def test_signup_unsupported_browser_language_defaults_to_english(client, db):
    data = {"email": "pierre@example.fr", "full_name": "Pierre", "password": PASSWORD, "password_confirm": PASSWORD}

    client.post(reverse("accounts:signup"), data, HTTP_ACCEPT_LANGUAGE="fr-FR")

    assert User.objects.get(email="pierre@example.fr").language == "en"
