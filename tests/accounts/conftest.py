import re

import pytest
from django.core.cache import cache

from tests.factories import UserFactory

PASSWORD = "correct-horse-battery"  # tests.factories.UserFactory's password


@pytest.fixture(autouse=True)
def _clear_cache():
    # Throttle counters live in the cache; every test starts with none.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def throttle_settings(settings):
    """Small, fixed throttle numbers so tests do not depend on the environment."""
    settings.LOGIN_THROTTLE_ATTEMPTS = 3
    settings.LOGIN_THROTTLE_DELAY_SECONDS = 60
    settings.LOGIN_THROTTLE_MAX_DELAY_SECONDS = 600
    settings.LOGIN_THROTTLE_IP_ATTEMPTS = 10
    settings.LOGIN_THROTTLE_WINDOW_SECONDS = 600
    settings.MAIL_ADDRESS_INTERVAL_SECONDS = 60
    settings.MAIL_IP_LIMIT_PER_HOUR = 5
    return settings


@pytest.fixture
def user(db):
    return UserFactory(email="verified@example.com", full_name="Vera Verified")


@pytest.fixture
def unverified_user(db):
    return UserFactory(email="pending@example.com", full_name="Pat Pending", email_verified=False)


def link_path(body: str, site_url: str) -> str:
    """The path (with query) of the only link to this site in an e-mail body."""
    (url,) = re.findall(re.escape(site_url) + r"(/\S+)", body)
    return url
