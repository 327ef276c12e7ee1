"""Calendar feed tokens never reach the logs the app writes (config.log_filters)."""

import logging

import pytest
from django.conf import settings

from config.log_filters import RedactCalendarTokens

TOKEN = "W4pnE8ngIvpsp3My69bHwhb-V8PrULpR_M52felDZ4A"


def _record(msg: str, *args) -> logging.LogRecord:
    return logging.LogRecord("django.server", logging.INFO, __file__, 1, msg, args, None)


@pytest.mark.parametrize(
    ("msg", "args", "written"),
    [
        (
            '"%s" %s %s',
            (f"GET /calendar/{TOKEN}.ics HTTP/1.1", "200", "1188"),
            '"GET /calendar/….ics HTTP/1.1" 200 1188',
        ),
        ("%s: %s", ("Not Found", f"/calendar/{TOKEN}.ics"), "Not Found: /calendar/….ics"),
        ("%s: %s", ("Not Found", "/missions/1/agendas/2.ics"), "Not Found: /missions/1/agendas/2.ics"),
    ],
)
def test_redact_calendar_tokens_cuts_the_token_only(msg, args, written):
    record = _record(msg, *args)

    assert (RedactCalendarTokens().filter(record), record.getMessage()) == (True, written)


def test_logging_settings_filter_the_loggers_that_write_paths():
    loggers = settings.LOGGING["loggers"]

    assert (loggers["django.request"]["filters"], loggers["django.server"]["filters"]) == (
        ["redact_calendar_tokens"], ["redact_calendar_tokens"],
    )  # fmt: skip
    # A set: each logging set-up (tests that reload settings do one) adds the filter again, harmlessly.
    assert {type(f) for f in logging.getLogger("django.server").filters} == {RedactCalendarTokens}
