"""Writes for volunteering certificates: issuing one, with its verification code."""

import secrets
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from entraide.accounts.models import User
from entraide.core.errors import DomainError
from entraide.missions.models import Certificate, Participation
from entraide.organisations.models import Organisation

# Crockford's base 32 without I, L, O, U: no letter is mistaken for a digit when typed.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 12  # 60 random bits


def new_certificate_code() -> str:
    """Return a fresh random verification code."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_certificate_code(typed: str) -> str:
    """Return a typed code without spaces or dashes, in capitals, with O read as 0, I/L as 1."""
    cleaned = "".join(ch for ch in str(typed).upper() if ch not in " -\t")[:40]
    return cleaned.translate(str.maketrans("OIL", "011"))


def certificate_issue(*, volunteer: User, organisation: Organisation) -> Certificate:
    """Return the volunteer's certificate for the hours the organisation confirmed.

    The same total gives the same certificate (and code) every time; a volunteer without
    confirmed hours gets none.
    """
    total = Participation.objects.filter(
        application__volunteer=volunteer, application__slot__mission__organisation=organisation
    ).aggregate(total=Sum("hours"))["total"] or Decimal("0")
    if total <= 0:
        raise DomainError(
            _("No certificate yet: it is offered once an organisation has confirmed your hours."),
            code="no_hours",
        )
    existing = Certificate.objects.filter(
        volunteer=volunteer, organisation=organisation, hours=total
    ).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return Certificate.objects.create(
                volunteer=volunteer,
                organisation=organisation,
                hours=total,
                code=new_certificate_code(),
                issued_on=timezone.localdate(),
            )
    except IntegrityError:
        # Issued at the same moment from another tab: that one is this certificate.
        return Certificate.objects.get(volunteer=volunteer, organisation=organisation, hours=total)
