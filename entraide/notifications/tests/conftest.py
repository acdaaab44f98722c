"""Helpers shared by the notifications tests."""

import smtplib
from typing import ClassVar

from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend


class FlakySMTPBackend(BaseEmailBackend):
    """Stand in for an SMTP server that is down for the first `failures` sends."""

    failures: ClassVar[int] = 0
    calls: ClassVar[int] = 0

    def send_messages(self, email_messages):
        type(self).calls += 1
        if type(self).calls <= type(self).failures:
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return LocmemBackend().send_messages(email_messages)
