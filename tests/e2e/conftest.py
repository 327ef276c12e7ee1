"""Browser end-to-end tests: Playwright (pytest-playwright) drives Debian's Chromium against
pytest-django's live server, on the suite's PostgreSQL database. See docs/testing.md.

They run last in the suite (`pytest_collection_modifyitems` below): Playwright's sync API runs an
event loop in the test thread, after which Django's async-safety check would refuse ORM calls.
"""

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation
from playwright.sync_api import expect

CHROMIUM = os.environ.get("KIZUNA_CHROMIUM", "/usr/bin/chromium")
# Without the background-networking flags Chromium keeps calling Google's hosts, which this closed
# network refuses; --no-sandbox because CI runs as root.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
HERE = Path(__file__).parent
IN_CI = os.environ.get("CI", "").lower() == "true"
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
# A locator waits this long (ms) before failing: a page of this app answers in well under a second.
TIMEOUT_MS = 8_000
expect.set_options(timeout=TIMEOUT_MS)


@pytest.hookimpl(trylast=True)  # after pytest-django's own ordering (database tests before the others)
def pytest_collection_modifyitems(config, items):
    """Browser tests last; skipped (with what to install) when Chromium is missing, except in CI."""
    items.sort(key=lambda item: HERE in Path(item.path).parents)
    missing = None if Path(CHROMIUM).exists() or IN_CI else f"{CHROMIUM} not found: run scripts/browser.sh"
    for item in items:
        if HERE in Path(item.path).parents:
            item.add_marker(pytest.mark.e2e)
            if missing:
                item.add_marker(pytest.mark.skip(reason=missing))


@pytest.fixture(scope="session", autouse=True)
def _async_unsafe_allowed():
    """Playwright's sync API leaves an event loop in this thread; the ORM calls of the tests are still
    synchronous, so Django's check would only get in the way (set for the browser tests alone)."""
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} not found (CI=true): scripts/browser.sh installs Debian's chromium")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def base_url(live_server):
    return live_server.url


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": DESKTOP}


@pytest.fixture
def page(page, transactional_db):
    """pytest-playwright's page, with a short timeout; the live server sees committed data only,
    hence the transactional database."""
    page.set_default_timeout(TIMEOUT_MS)
    yield page
    translation.activate("en")


@pytest.fixture(params=["en", "ja"])
def lang(request, context, live_server):
    """The interface language, through Django's language cookie (as the language switcher sets it)."""
    context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": request.param, "url": live_server.url}])
    return request.param


@pytest.fixture
def t(lang):
    """`t("Log in")`: the msgid in the test's language, from the project's own catalogue."""

    def translate(message: str, **values) -> str:
        with translation.override(lang):
            text = translation.gettext(message)
        return text % values if values else text

    return translate


@pytest.fixture
def log_in(context, live_server):
    """`log_in(user)`: a session for `user` in the browser (the login form itself is tested by the firm's
    journey), through Django's test client so that the session is real."""
    from django.test import Client

    def _log_in(user) -> None:
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])

    return _log_in
