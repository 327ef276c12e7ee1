"""Probes behind /healthz.

Each probe answers a `Probe`: whether the component works, and a detail for the server log and for
staff (driver, mode, exception text). Exception text names hosts and ports, so the public view of
/healthz shows only ok/failing (see config.views.healthz).
"""

import logging
import uuid
from typing import NamedTuple

from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)


class Probe(NamedTuple):
    ok: bool
    detail: str


def _failed(component: str, exc: Exception) -> Probe:
    logger.warning("healthz: %s is down: %s", component, exc)
    return Probe(ok=False, detail=f"{type(exc).__name__}: {str(exc)[:200]}")


def database_state(connection) -> Probe:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any driver error means "down"
        return _failed("database", exc)
    return Probe(ok=True, detail=connection.vendor)


def broker_state() -> Probe:
    url = settings.CELERY_BROKER_URL
    if not url:
        return Probe(ok=True, detail="in-process (no broker configured)")
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2).ping()
    except Exception as exc:  # connection refused, timeout, auth: all mean "down"
        return _failed("broker", exc)
    return Probe(ok=True, detail="redis")


def cache_state() -> Probe:
    """A set/get round trip on the default cache: login throttling and the API rate limits live
    there, so a cache that only accepts connections but loses writes is down too."""
    key = f"healthz:{uuid.uuid4().hex}"
    backend = type(cache).__name__
    try:
        cache.set(key, "1", timeout=10)
        answered = cache.get(key)
        cache.delete(key)
    except Exception as exc:  # connection refused, timeout, auth: all mean "down"
        return _failed("cache", exc)
    if answered != "1":
        logger.warning("healthz: cache %s lost a value it had just stored", backend)
        return Probe(ok=False, detail=f"{backend}: value not read back")
    return Probe(ok=True, detail=backend)
