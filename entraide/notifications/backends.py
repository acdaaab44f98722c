"""The local outbox: an email backend that writes each message as an .eml file."""

import os
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.message import EmailMessage
from django.utils import timezone


class OutboxBackend(BaseEmailBackend):
    """Write every message to EMAIL_OUTBOX_DIR as `<UTC time>-<random>.eml` (staff read them)."""

    def __init__(self, *args: Any, outbox_dir: str | Path | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.outbox_dir = Path(outbox_dir or settings.EMAIL_OUTBOX_DIR)

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        """Write each message; return how many were written."""
        if not email_messages:
            return 0
        self.outbox_dir.mkdir(parents=True, exist_ok=True)
        sent = 0
        for message in email_messages:
            if not message.recipients():
                continue
            stamp = timezone.now().strftime("%Y%m%dT%H%M%S%f")
            path = self.outbox_dir / f"{stamp}-{uuid.uuid4().hex[:12]}.eml"
            # Write then rename, so that a reader never sees half a message.
            partial = path.with_suffix(".part")
            partial.write_bytes(message.message().as_bytes())
            os.replace(partial, path)
            sent += 1
        return sent
