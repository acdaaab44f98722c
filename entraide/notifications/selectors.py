"""Reads for notifications: the local outbox of .eml files."""

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import parsedate_to_datetime
from pathlib import Path

from django.conf import settings

OUTBOX_NAME = re.compile(r"^[0-9A-Za-z_-]+\.eml$")


@dataclass(frozen=True)
class OutboxEntry:
    """One message of the local outbox, parsed."""

    name: str
    to: str
    subject: str
    date: datetime | None
    message: EmailMessage

    def text(self) -> str:
        """Return the plain-text body."""
        part = self.message.get_body(preferencelist=("plain",))
        return part.get_content() if part is not None else ""  # type: ignore[attr-defined]

    def html(self) -> str:
        """Return the HTML body, or "" when the message has none."""
        part = self.message.get_body(preferencelist=("html",))
        return part.get_content() if part is not None else ""  # type: ignore[attr-defined]


def _outbox_dir() -> Path:
    return Path(settings.EMAIL_OUTBOX_DIR)


def _parse(path: Path) -> OutboxEntry:
    message = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
    assert isinstance(message, EmailMessage)
    try:
        date = parsedate_to_datetime(str(message["Date"])) if message["Date"] else None
    except (TypeError, ValueError):
        date = None
    if date is not None and date.tzinfo is None:
        # Django writes "-0000" (UTC, RFC 5322's "no local time") unless EMAIL_USE_LOCALTIME:
        # left naive, the outbox would show UTC beside the notifications' local times.
        date = date.replace(tzinfo=UTC)
    return OutboxEntry(
        name=path.name,
        to=str(message["To"] or ""),
        subject=str(message["Subject"] or ""),
        date=date,
        message=message,
    )


def outbox_messages(*, limit: int = 200) -> list[OutboxEntry]:
    """Return the newest messages of the local outbox first (file names start with the time)."""
    folder = _outbox_dir()
    if not folder.is_dir():
        return []
    paths = sorted(folder.glob("*.eml"), key=lambda p: p.name, reverse=True)[:limit]
    return [_parse(path) for path in paths]


def outbox_message(name: str) -> OutboxEntry | None:
    """Return one message by file name, or None (names outside the outbox are refused)."""
    if not OUTBOX_NAME.match(name):
        return None
    path = _outbox_dir() / name
    if not path.is_file():
        return None
    return _parse(path)
