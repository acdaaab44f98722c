"""Importing volunteers from a CSV file, all rows or none."""

import logging
from typing import IO

from django.core.exceptions import ValidationError
from django.db import transaction

from entraide.accounts.models import User
from entraide.accounts.services._common import _create_profile
from entraide.accounts.services.signup import user_invite
from entraide.accounts.volunteer_csv import (
    ImportReport,
    RowError,
    VolunteerRow,
    check_volunteer_csv,
)

logger = logging.getLogger(__name__)


class _RowRejected(Exception):
    """A row that passed the checks failed when saved (someone signed up meanwhile)."""

    def __init__(self, error: RowError) -> None:
        super().__init__(str(error))
        self.error = error


def _import_row(row: VolunteerRow, actor: User | None) -> User:
    """Create one invited volunteer from a checked row."""
    try:
        user = user_invite(
            email=row.email,
            first_name=row.first_name,
            last_name=row.last_name,
            language=row.language,
            phone=row.phone,
            actor=actor,
        )
        _create_profile(
            user=user,
            town=row.town,
            postcode=row.postcode,
            country=row.country,
            lat=row.lat,
            lon=row.lon,
            radius_km=row.radius_km,
            languages=row.languages,
            kinds=row.kinds,
        )
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise _RowRejected(RowError(row.line, field, messages[0])) from exc
    return user


def volunteers_import_csv(
    *, file: IO[bytes], actor: User | None = None, dry_run: bool = False
) -> ImportReport:
    """Check every row of a volunteers CSV; import all of them, or none if any is wrong.

    Each new volunteer gets an account without a password and an email inviting them to
    choose one; their address counts as verified once they have done so.
    """
    rows, errors = check_volunteer_csv(file.read())
    report = ImportReport(rows=rows, errors=errors, dry_run=dry_run)
    if errors or dry_run:
        return report
    try:
        with transaction.atomic():
            for row in rows:
                _import_row(row, actor)
    except _RowRejected as exc:
        report.errors.append(exc.error)
        return report
    report.created = len(rows)
    logger.info("%s volunteers imported by %s", report.created, actor.pk if actor else "a command")
    return report


# API keys -----------------------------------------------------------------------------------
