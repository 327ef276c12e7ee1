import os

import pytest
from django.conf import settings

IN_CI = os.environ.get("CI", "").lower() == "true"
MISSING = {
    "postgres": "PostgreSQL is not running on 127.0.0.1:5432 (install postgresql, or set DATABASE_URL)",
    "redis": "Redis is not running on 127.0.0.1:6379 (install redis-server, or set CELERY_BROKER_URL)",
}


def _available(service: str) -> bool:
    return bool(getattr(settings, f"{service.upper()}_AVAILABLE", False))


def pytest_sessionstart(session):
    # In CI a missing server is a failure, never a skip.
    missing = [MISSING[s] for s in MISSING if not _available(s)]
    if IN_CI and missing:
        pytest.exit("CI=true and a required service is down: " + "; ".join(missing), returncode=3)


def pytest_collection_modifyitems(config, items):
    for service, message in MISSING.items():
        if _available(service):
            continue
        skip = pytest.mark.skip(reason=message)
        for item in items:
            if service in item.keywords:
                item.add_marker(skip)


@pytest.fixture(autouse=True)
def _directory_cache_fresh():
    """Every test starts with no directory page cached: the database is rolled back between tests,
    the cache is not (companies.directory)."""
    from companies.directory import _new_version

    _new_version()


@pytest.fixture
def celery_worker(transactional_db):
    """A real Celery worker (threads) consuming this run's queue on Redis."""
    from celery.contrib.testing.worker import start_worker

    from config.celery import app

    app.conf.task_always_eager = False
    try:
        with start_worker(app, pool="threads", concurrency=2, perform_ping_check=False, loglevel="WARNING") as worker:
            yield worker
    finally:
        app.conf.task_always_eager = True


@pytest.fixture
def worker_processes(transactional_db, tmp_path):
    """Starts real worker subprocesses (tests/real_worker.py), each on a new queue unless given one:
    `start(queue=None, also=())` returns a `Worker`. All are killed and their queues emptied at the end."""
    import uuid

    from config.celery import app
    from tests.real_worker import queue_forget, worker_start

    started = []

    def start(*, queue: str | None = None, also: tuple[str, ...] = ()):
        queue = queue or f"kizuna-kill-{uuid.uuid4().hex[:12]}"
        worker = worker_start(queue=queue, log=tmp_path / f"worker-{len(started) + 1}.log", also=also)
        started.append(worker)
        return worker

    app.conf.task_always_eager = False
    try:
        yield start
    finally:
        app.conf.task_always_eager = True
        for worker in started:
            worker.kill()
        for queue in {worker.queue for worker in started}:
            queue_forget(queue)


@pytest.fixture
def failing_smtp(settings):
    """The SMTP server refuses every message."""
    from tests.mail_backends import FailingEmailBackend

    FailingEmailBackend.attempts = 0
    settings.EMAIL_BACKEND = "tests.mail_backends.FailingEmailBackend"
    return FailingEmailBackend


@pytest.fixture
def flaky_smtp(settings):
    """The SMTP server fails once, then delivers."""
    from tests.mail_backends import FlakyEmailBackend

    FlakyEmailBackend.failures, FlakyEmailBackend.attempts = 1, 0
    settings.EMAIL_BACKEND = "tests.mail_backends.FlakyEmailBackend"
    return FlakyEmailBackend


# The permission matrix used across apps: anonymous, a member of A, a member of B, an admin.
@pytest.fixture
def company_a(db):
    from tests.factories import CompanyFactory, ContactPersonFactory

    company = CompanyFactory(name="Alpha Cathodes GmbH", country="DE")
    ContactPersonFactory(company=company, name="Anna Example", email="anna@alpha.example")
    return company


@pytest.fixture
def company_b(db):
    from tests.factories import CompanyFactory

    return CompanyFactory(
        name="Beta Refining KK",
        country="JP",
        city="Osaka",
        stages=["critical_minerals.refining_processing"],
        sectors=["critical_minerals", "batteries"],
        partnership_types=["supply"],
    )


@pytest.fixture
def member_a(company_a):
    from tests.factories import MembershipFactory

    return MembershipFactory(company=company_a).user


@pytest.fixture
def member_b(company_b):
    from tests.factories import MembershipFactory

    return MembershipFactory(company=company_b).user


@pytest.fixture
def admin_user(db):
    from tests.factories import UserFactory

    return UserFactory(email="admin@example.com", is_staff=True, is_superuser=True)


@pytest.fixture
def organiser(db):
    from tests.factories import UserFactory

    return UserFactory(email="organiser@example.com", is_organiser=True)


HAND_WEIGHTS = {
    "complementarity": 0.35, "topic": 0.10, "sector": 0.05, "value_chain": 0.20, "partnership": 0.15,
    "supply_security": 0.15,
}  # fmt: skip
"""Engine 1.2.0's hand-set shares. Tests that use the database run with a RankingModel of these
weights active, so that retraining the shipped model (matchmaking/engine/ranker.json) does not
change the scores and orders they check; tests of the model itself replace it."""

_DATABASE_FIXTURES = {"db", "transactional_db", "django_db_setup"}


@pytest.fixture(autouse=True)
def hand_ranking_model(request):
    if not _DATABASE_FIXTURES & set(request.fixturenames) and not request.node.get_closest_marker("django_db"):
        return None
    request.getfixturevalue("transactional_db" if "transactional_db" in request.fixturenames else "db")
    from matchmaking.models import RankingModel

    return RankingModel.objects.create(
        version="hand-1.2.0", weights=HAND_WEIGHTS, weights_embedding={**HAND_WEIGHTS, "embedding": 0.15}, active=True
    )


@pytest.fixture(autouse=True)
def language_reset():
    """Each test starts and ends in the default language: a Japanese request (the test client's
    LocaleMiddleware) leaves Japanese active in the thread, which would change later tests' labels."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)
