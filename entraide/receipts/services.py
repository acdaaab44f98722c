"""Writes for receipts: the issuer's profile, issuing with a gapless number, cancelling, sending."""

import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from entraide.accounts.models import User
from entraide.core.errors import (
    ConflictError,
    DomainError,
    PermissionDeniedError,
    clean_reason,
)
from entraide.core.events import record_event
from entraide.goods.models import Pickup, PickupStatus
from entraide.notifications.services import notify
from entraide.organisations.models import Organisation
from entraide.organisations.selectors import administrators
from entraide.receipts import permissions
from entraide.receipts.models import (
    REGIMES_BY_COUNTRY,
    DonorKind,
    IssuerProfile,
    Nature,
    Receipt,
    ReceiptEvent,
    ReceiptLine,
    ReceiptSequence,
    Regime,
)
from entraide.receipts.selectors import GOODS_PICKUP, Line, pickup_lines

# Digits a registration number has in each country (SIREN; Belgian enterprise number).
REGISTRATION_DIGITS = {"FR": 9, "BE": 10}


@dataclass(frozen=True)
class Donor:
    """Who gave, as the receipt prints it: copied in, never read again from the profile."""

    kind: str
    name: str
    address: str = ""
    registration_number: str = ""
    organisation: Organisation | None = None
    user: User | None = None


def _one_line(*parts: str) -> str:
    """Return the non-empty parts of an address on one line."""
    return ", ".join(part.strip() for part in parts if part and part.strip())


@transaction.atomic
def issuer_profile_save(
    *,
    organisation: Organisation,
    actor: User | None,
    legal_name: str,
    address: str,
    postcode: str,
    town: str,
    country: str,
    registration_number: str,
    purpose: str,
    regime: str,
    signatory_name: str,
    signatory_role: str,
) -> IssuerProfile:
    """Create or update what the association's receipts say about it."""
    if not permissions.can_issue(actor, organisation):
        raise PermissionDeniedError(_("Only the association's administrators can set this."))
    profile = IssuerProfile.objects.filter(organisation=organisation).first() or IssuerProfile(
        organisation=organisation
    )
    profile.legal_name = legal_name.strip()
    profile.address = address.strip()
    profile.postcode = postcode.strip()
    profile.town = town.strip()
    profile.country = country.strip().upper()
    profile.registration_number = registration_number.strip()
    profile.purpose = purpose.strip()
    profile.regime = regime
    profile.signatory_name = signatory_name.strip()
    profile.signatory_role = signatory_role.strip()
    profile.full_clean()
    digits = re.sub(r"[\s.]", "", profile.registration_number)
    wanted = REGISTRATION_DIGITS[profile.country]
    if not digits.isdigit() or len(digits) != wanted:
        raise ValidationError(
            {"registration_number": [_("Give %(count)s digits.") % {"count": wanted}]}
        )
    if profile.regime not in REGIMES_BY_COUNTRY[profile.country]:
        raise ValidationError(
            {"regime": [_("This regime does not exist in the organisation's country.")]}
        )
    profile.save()
    return profile


def _claim_number(issuer: IssuerProfile, year: int) -> int:
    """Take the issuer's next number for the year; the caller's transaction holds the lock.

    The number is only used if the receipt is written in the same transaction: a failure
    rolls the counter back with it, so numbers never skip.
    """
    # The first receipt of a year creates the row; a second one at once finds it (no error).
    ReceiptSequence.objects.bulk_create(
        [ReceiptSequence(issuer=issuer, year=year)], ignore_conflicts=True
    )
    sequence = ReceiptSequence.objects.select_for_update().get(issuer=issuer, year=year)
    sequence.last_number += 1
    sequence.save(update_fields=["last_number"])
    return sequence.last_number


def _issuable_profile(organisation: Organisation) -> IssuerProfile:
    """Return the organisation's issuer profile, or refuse when it may not issue receipts."""
    profile = IssuerProfile.objects.filter(organisation=organisation).first()
    if profile is None:
        raise DomainError(
            _("Set up your receipts first: legal name, number, object and signatory."),
            code="no_issuer_profile",
        )
    if profile.regime == Regime.NONE:
        raise DomainError(
            _(
                "Your organisation is set as not eligible to issue receipts. In France only "
                "organisations of general interest (articles 200 and 238 bis of the CGI) may."
            ),
            code="not_eligible",
        )
    return profile


def receipt_issue(
    *,
    issuer: IssuerProfile,
    donor: Donor,
    nature: str,
    gift_date: date,
    lines: Sequence[Line],
    source_kind: str,
    source_id: str,
    actor: User | None,
    channel: str,
    language: str = "fr",
) -> Receipt:
    """Issue a numbered receipt for one gift from any source (goods now, money later).

    Numbers run 1, 2, 3… per issuer and year of issue without a gap: the number is claimed
    under a lock in the same transaction as the receipt, and a cancelled receipt keeps it.
    """
    with transaction.atomic():
        if not permissions.can_issue(actor, issuer.organisation):
            raise PermissionDeniedError(_("Only the association's administrators can do this."))
        if issuer.regime == Regime.NONE:
            raise DomainError(_("This organisation may not issue receipts."), code="not_eligible")
        if not lines:
            raise DomainError(_("A receipt needs at least one line."), code="empty")
        year = timezone.localdate().year
        number = _claim_number(issuer, year)
        # Checked under the issuer's lock, so two issues for one gift at once cannot both pass.
        live = Receipt.objects.filter(
            source_kind=source_kind, source_id=source_id, cancelled_at__isnull=True
        ).first()
        if live is not None:
            raise ConflictError(
                _("This gift already has receipt %(number)s: cancel it to issue a new one.")
                % {"number": live.reference}
            )
        replaces = (
            Receipt.objects.filter(
                source_kind=source_kind,
                source_id=source_id,
                cancelled_at__isnull=False,
                replaced_by__isnull=True,
            )
            .order_by("-issued_at")
            .first()
        )
        receipt = Receipt(
            issuer=issuer,
            year=year,
            number=number,
            issuer_name=issuer.legal_name,
            issuer_address=_one_line(
                issuer.address, f"{issuer.postcode} {issuer.town}", issuer.country
            ),
            issuer_country=issuer.country,
            issuer_registration_number=issuer.registration_number,
            issuer_purpose=issuer.purpose,
            regime=issuer.regime,
            signatory_name=issuer.signatory_name,
            signatory_role=issuer.signatory_role,
            donor_kind=donor.kind,
            donor_organisation=donor.organisation,
            donor_user=donor.user,
            donor_name=donor.name[:200],
            donor_address=donor.address[:400],
            donor_registration_number=donor.registration_number[:40],
            language=language,
            nature=nature,
            gift_date=gift_date,
            value_cents=sum(line.value_cents for line in lines),
            source_kind=source_kind,
            source_id=source_id,
            replaces=replaces,
            token=secrets.token_urlsafe(18),
            issued_by=actor,
            channel=channel,
        )
        receipt.full_clean(exclude=["replaces"])
        receipt.save()
        # Lines are checked after the number was claimed: a bad one undoes the whole issue.
        for position, line in enumerate(lines):
            row = ReceiptLine(
                receipt=receipt,
                description=line.description,
                kg=line.kg,
                value_cents=line.value_cents,
                position=position,
            )
            row.full_clean()
            row.save()
        record_event(
            ReceiptEvent,
            receipt,
            "issued",
            actor=actor,
            channel=channel,
            data={"reference": receipt.reference, "replaces": replaces.pk if replaces else None},
        )
        _notify_donor(receipt)
        return receipt


def _donor_of(pickup: Pickup) -> tuple[Donor, str]:
    """Return the pickup's donor as the receipt prints it, and the language to write to them."""
    offer = pickup.offers.select_related("lot__donor_organisation", "lot__donor_user").first()
    if offer is None:
        raise DomainError(_("This pickup has no goods."), code="empty")
    lot = offer.lot
    organisation = lot.donor_organisation
    if organisation is not None:
        admins = administrators(organisation)
        donor = Donor(
            kind=DonorKind.COMPANY,
            name=organisation.name,
            address=_one_line(
                organisation.address,
                f"{organisation.postcode} {organisation.town}",
                organisation.country,
            ),
            registration_number=organisation.registration_number,
            organisation=organisation,
        )
        return donor, (admins[0].language if admins else "fr")
    person = lot.donor_user
    if person is None:
        raise DomainError(_("This pickup has no donor."), code="no_donor")
    name = person.get_full_name() or person.first_name or person.email
    return Donor(kind=DonorKind.PERSON, name=name, user=person), person.language


def receipt_issue_for_pickup(*, pickup: Pickup, actor: User | None, channel: str) -> Receipt:
    """Issue the receipt of a received pickup: its kilograms and the value the donor declared."""
    if not permissions.can_issue(actor, pickup.organisation):
        raise PermissionDeniedError(_("Only the association's administrators can do this."))
    if pickup.status != PickupStatus.RECEIVED:
        raise DomainError(
            _("Only goods the association confirmed it received get a receipt."),
            code="not_received",
        )
    issuer = _issuable_profile(pickup.organisation)
    lines = pickup_lines(pickup)
    if not lines:
        raise DomainError(_("Nothing was received in this pickup."), code="empty")
    if issuer.regime == Regime.FR_GENERAL_INTEREST and not any(line.value_cents for line in lines):
        raise DomainError(
            _(
                "The donor declared no value for these goods: a French receipt states the "
                "valuation the donor declared. Ask the donor to give it on the lot."
            ),
            code="no_value",
        )
    donor, language = _donor_of(pickup)
    received = pickup.collected_at or pickup.received_at or timezone.now()
    return receipt_issue(
        issuer=issuer,
        donor=donor,
        nature=Nature.IN_KIND,
        gift_date=timezone.localdate(received),
        lines=lines,
        source_kind=GOODS_PICKUP,
        source_id=str(pickup.pk),
        actor=actor,
        channel=channel,
        language=language,
    )


@transaction.atomic
def receipt_cancel(*, receipt: Receipt, reason: str, actor: User | None, channel: str) -> Receipt:
    """Cancel a mistaken receipt: it keeps its number, and the gift may get a new receipt."""
    if not permissions.can_issue(actor, receipt.issuer.organisation):
        raise PermissionDeniedError(_("Only the association's administrators can do this."))
    reason = clean_reason(reason, missing=_("Say why the receipt is cancelled."))
    updated = Receipt.objects.filter(pk=receipt.pk, cancelled_at__isnull=True).update(
        cancelled_at=timezone.now(), cancelled_by=actor, cancel_reason=reason
    )
    if updated != 1:
        raise ConflictError(_("This receipt is already cancelled."))
    receipt.refresh_from_db()
    record_event(ReceiptEvent, receipt, "cancelled", actor=actor, channel=channel, reason=reason)
    return receipt


def _donor_recipients(receipt: Receipt) -> list[User]:
    """Return who is told about a receipt: the person who gave, or the organisation's admins."""
    if receipt.donor_organisation is not None:
        return administrators(receipt.donor_organisation)
    person = receipt.donor_user
    return [person] if person is not None and person.is_active else []


def _notify_donor(receipt: Receipt, *, again: int = 0) -> int:
    """Queue the email with the receipt's link to each donor recipient; return how many."""
    sent = 0
    for person in _donor_recipients(receipt):
        queued = notify(
            template="receipts_receipt_issued",
            recipient=person,
            about=receipt,
            context={},
            dedupe_key=f"receipts:{receipt.pk}:{person.pk}:{again}",
        )
        sent += queued is not None
    return sent


@transaction.atomic
def receipt_send(*, receipt: Receipt, actor: User | None, channel: str) -> int:
    """Send the receipt's link to the donor again (an operator for a caller, say)."""
    if not permissions.can_issue(actor, receipt.issuer.organisation):
        raise PermissionDeniedError(_("Only the association's administrators can do this."))
    if receipt.is_cancelled:
        raise ConflictError(_("This receipt is cancelled."))
    count = receipt.events.filter(kind="sent").count() + 1
    sent = _notify_donor(receipt, again=count)
    if not sent:
        raise DomainError(_("The donor has nobody to write to."), code="no_recipient")
    record_event(ReceiptEvent, receipt, "sent", actor=actor, channel=channel)
    return sent
