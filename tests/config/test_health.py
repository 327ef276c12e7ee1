import json
import logging

import pytest
from django.test import Client

DEAD_REDIS = "redis://127.0.0.1:1/0"  # nothing listens on port 1: connection refused at once
DEAD_CACHE = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": DEAD_REDIS}}


@pytest.mark.django_db
def test_healthz_all_up_returns_200():
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert json.loads(response.content) == {"status": "ok", "database": "ok", "broker": "ok", "cache": "ok"}
    assert response["Cache-Control"] == "no-store"


@pytest.mark.redis
@pytest.mark.django_db
def test_healthz_with_a_real_redis_cache_returns_200(settings):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": settings.CELERY_BROKER_URL}
    }
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert json.loads(response.content) == {"status": "ok", "database": "ok", "broker": "ok", "cache": "ok"}


@pytest.mark.django_db
def test_healthz_without_broker_counts_the_in_process_mode_as_up(settings):
    settings.CELERY_BROKER_URL = ""
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert json.loads(response.content) == {"status": "ok", "database": "ok", "broker": "ok", "cache": "ok"}


@pytest.mark.django_db
def test_healthz_cache_down_returns_503_without_host_or_port(settings, caplog):
    settings.CACHES = DEAD_CACHE
    with caplog.at_level(logging.WARNING, logger="config.health"):
        response = Client().get("/healthz")
    assert response.status_code == 503
    assert response.content == b'{"status": "failing", "database": "ok", "broker": "ok", "cache": "failing"}'
    # The reason, which names the host and port, goes to the server log only.
    assert "127.0.0.1" not in response.content.decode()
    assert ":1" not in response.content.decode()
    ours = [r.getMessage() for r in caplog.records if r.name == "config.health"]
    assert ours == ["healthz: cache is down: Error 111 connecting to 127.0.0.1:1. Connection refused."]


@pytest.mark.django_db
def test_healthz_broker_down_returns_503_without_host_or_port(settings):
    settings.CELERY_BROKER_URL = DEAD_REDIS
    response = Client().get("/healthz")
    assert response.status_code == 503
    assert response.content == b'{"status": "failing", "database": "ok", "broker": "failing", "cache": "ok"}'


@pytest.mark.django_db
def test_healthz_shows_the_reason_to_staff_only(settings, admin_user, member_a):
    settings.CACHES = DEAD_CACHE
    staff, member = Client(), Client()
    staff.force_login(admin_user)
    member.force_login(member_a)

    body = json.loads(staff.get("/healthz").content)
    assert body["cache"] == "failing"
    assert body["details"]["database"] == "postgresql" or body["details"]["database"] == "sqlite"
    assert body["details"]["cache"].startswith("ConnectionError: ")
    assert "127.0.0.1:1" in body["details"]["cache"]
    assert "details" not in json.loads(member.get("/healthz").content)
