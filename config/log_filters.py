"""Logging filters. The calendar feed's URL carries its secret token (events.views_feed), and Django
logs request paths (django.request for 4xx/5xx, django.server under runserver): the filter writes
those paths with the token cut out, so a log never opens someone's calendar."""

import logging
import re

CALENDAR_TOKEN = re.compile(r"(/calendar/)[A-Za-z0-9_-]+(\.ics)")


class RedactCalendarTokens(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = CALENDAR_TOKEN.sub(r"\1…\2", message)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True
