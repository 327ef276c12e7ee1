"""Settings for the test suite: real PostgreSQL and Redis on localhost.

When a server is missing on a developer's laptop the suite still runs (SQLite instead of
PostgreSQL); tests marked `postgres` or `redis` then skip saying what to install. With CI=true
a missing server stops the run instead (see tests/conftest.py).
"""

import os

from config.services import postgres_reachable, redis_reachable

# The maintenance database: the suite creates its own test_kizuna_<run> database beside it.
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
os.environ.setdefault("CELERY_BROKER_URL", "redis://127.0.0.1:6379/15")
POSTGRES_AVAILABLE = postgres_reachable(os.environ["DATABASE_URL"])
REDIS_AVAILABLE = redis_reachable(os.environ["CELERY_BROKER_URL"])
if not POSTGRES_AVAILABLE:
    os.environ["DATABASE_URL"] = ""  # the embedded default: SQLite

from config.settings.base import *  # noqa: E402,F403  (test settings extend the base module)

# Each test run gets its own database and queue, so parallel runs on one machine never collide.
_RUN = os.environ.get("KIZUNA_TEST_RUN_ID", str(os.getpid()))
if POSTGRES_AVAILABLE:
    DATABASES["default"]["TEST"] = {"NAME": f"test_kizuna_{_RUN}"}  # noqa: F405
CELERY_TASK_DEFAULT_QUEUE = f"kizuna-test-{_RUN}"
# Tests run tasks in-process unless a test starts a real worker (the `celery_worker` fixture).
CELERY_TASK_ALWAYS_EAGER = True
# ...and inside the request, so tests read the finished run; tests of the thread turn it on.
RUN_TASKS_IN_THREAD = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SECURE_SSL_REDIRECT = False
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Tests turn the embedding part on where they test it (the `embeddings_on` fixture), whatever the shell says.
MATCH_EMBEDDINGS_MODEL, MATCH_EMBEDDINGS_WEIGHT = "", 0.0
