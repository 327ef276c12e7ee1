"""E-mail backends standing in for an SMTP server that fails (the world outside; our code is not mocked)."""

import smtplib

from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend


class FailingEmailBackend(BaseEmailBackend):
    """Every send fails as smtplib does when the server hangs up; `attempts` counts the tries."""

    attempts = 0

    def send_messages(self, email_messages):
        type(self).attempts += 1
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


class FlakyEmailBackend(LocmemBackend):
    """The first `failures` sends fail, later ones are delivered to django.core.mail.outbox."""

    failures = 1
    attempts = 0

    def send_messages(self, email_messages):
        type(self).attempts += 1
        if type(self).failures > 0:
            type(self).failures -= 1
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(email_messages)
