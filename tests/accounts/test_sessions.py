"""accounts.sessions: sessions read from Redis, written through to the database. A logout, a login
and a password change end a session at once though a copy was cached; a copy lives at most
SESSION_CACHE_SECONDS; with Redis down, signed-in pages and logout still work (from the database)."""

import time

import pytest
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.sessions import SessionStore

pytestmark = pytest.mark.django_db
PAGE = reverse("accounts:settings")  # any page for signed-in users
DEAD_CACHE = {"default": {"BACKEND": "config.cache.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}}


@pytest.fixture
def cached_sessions(settings):
    """The production set-up: the session store on a real Redis cache."""
    settings.CACHES = {"default": {"BACKEND": "config.cache.RedisCache", "LOCATION": settings.CELERY_BROKER_URL}}
    settings.SESSION_ENGINE = "accounts.sessions"
    settings.SESSION_CACHE_SECONDS = 60
    return settings


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    assert client.get(PAGE).status_code == 200  # the session is now in the cache too
    return client


def _cached(client) -> dict | None:
    return cache.get(SessionStore.cache_key_prefix + client.cookies["sessionid"].value)


@pytest.mark.redis
def test_session_is_read_from_the_cache_without_its_row(cached_sessions, member_a):
    client = _signed_in(member_a)

    with CaptureQueriesContext(connection) as queries:
        client.get(PAGE)

    assert [q["sql"] for q in queries if "django_session" in q["sql"]] == []
    assert _cached(client)["_auth_user_id"] == str(member_a.pk)


@pytest.mark.redis
def test_session_logout_ends_the_cached_session_at_once(cached_sessions, member_a):
    client = _signed_in(member_a)
    stolen = Client()
    stolen.cookies["sessionid"] = client.cookies["sessionid"].value

    client.post(reverse("accounts:logout"))

    assert (_cached(stolen), Session.objects.count()) == (None, 0)
    assert stolen.get(PAGE).status_code == 302  # to the login page


@pytest.mark.redis
def test_session_password_change_ends_other_sessions_though_cached(cached_sessions, member_a):
    other = _signed_in(member_a)
    member_a.set_password("another-long-passphrase-2026")
    member_a.save()

    assert other.get(PAGE).status_code == 302


@pytest.mark.redis
def test_session_cached_copy_lives_at_most_session_cache_seconds(cached_sessions, member_a):
    client = _signed_in(member_a)
    key = cache.make_and_validate_key(SessionStore.cache_key_prefix + client.cookies["sessionid"].value)

    seconds = cache._cache.get_client(key).ttl(key)

    assert 0 < seconds <= 60


@pytest.mark.redis
def test_session_copy_left_behind_by_a_failed_delete_expires(cached_sessions, member_a):
    """The worst case of a logout while Redis did not answer: the row is gone, the copy is not; the
    session ends when the copy expires (SESSION_CACHE_SECONDS, one second here)."""
    cached_sessions.SESSION_CACHE_SECONDS = 1
    client = _signed_in(member_a)
    Session.objects.all().delete()  # the row gone, the cached copy kept

    assert client.get(PAGE).status_code == 200
    time.sleep(1.2)
    assert client.get(PAGE).status_code == 302


def test_session_with_the_cache_down_pages_and_logout_still_work(settings, member_a, caplog):
    settings.CACHES = DEAD_CACHE
    settings.SESSION_ENGINE = "accounts.sessions"
    client = Client()
    client.force_login(member_a)

    assert client.get(PAGE).status_code == 200
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert (client.get(PAGE).status_code, Session.objects.count()) == (302, 0)
    assert "Session cache unavailable" in caplog.text
