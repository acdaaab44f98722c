"""Private helpers shared by the company services: permission checks, locking, amounts."""

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from entraide.accounts.models import User
from entraide.companies.models import MAX_AMOUNT_CENTS, CompanyProfile, LedgerEntry
from entraide.core.errors import DomainError, PermissionDeniedError
from entraide.core.formats import format_money
from entraide.money import services as money
from entraide.money.models import Transaction
from entraide.organisations.models import Organisation
from entraide.organisations.permissions import can_administer


def _require_company(company: Organisation) -> None:
    """Refuse organisations that are not companies."""
    if company.kind != Organisation.Kind.COMPANY:
        raise DomainError(_("This organisation is not a company."))


def _require_administrator(actor: User, company: Organisation) -> None:
    """Refuse unless the actor administers the company (its HR)."""
    if not can_administer(actor, company):
        raise PermissionDeniedError(_("Only the company's administrators can do this."))


def _lock_profile(company: Organisation) -> CompanyProfile:
    """Return the company's profile locked for this transaction (created when missing)."""
    _require_company(company)
    CompanyProfile.objects.get_or_create(organisation=company)
    return CompanyProfile.objects.select_for_update().get(organisation=company)


def _clean_cents(
    value: Any, field: str, *, allow_zero: bool = False, maximum: int = MAX_AMOUNT_CENTS
) -> int:
    """Return an amount in whole cents up to `maximum`, or raise a field error (no floats)."""
    if isinstance(value, bool | float) or not isinstance(value, int | str | Decimal):
        raise ValidationError({field: [_("Give the amount in cents, as a whole number.")]})
    try:
        cents = int(str(value).strip())
    except ValueError as exc:
        raise ValidationError({field: [_("Give the amount in cents, as a whole number.")]}) from exc
    if cents < 0 or (cents == 0 and not allow_zero):
        raise ValidationError({field: [_("The amount must be more than zero.")]})
    if cents > maximum:
        raise ValidationError(
            {
                field: [
                    _("The amount cannot be more than %(amount)s.")
                    % {"amount": format_money(maximum)}
                ]
            }
        )
    return cents


# What each of the companies' entries is in the money ledger (docs/money.md).
MONEY_KINDS = {
    LedgerEntry.Kind.ACCRUED: Transaction.Kind.TOPUP,
    LedgerEntry.Kind.PAID: Transaction.Kind.TOPUP_PAYMENT,
    LedgerEntry.Kind.REVERSED: Transaction.Kind.TOPUP_CORRECTION,
}


def _posted(entry: LedgerEntry, *, channel: str) -> LedgerEntry:
    """Post an entry about to be saved to the money ledger and link its transaction."""
    entry.transaction = money.topup_post(
        kind=MONEY_KINDS[LedgerEntry.Kind(entry.kind)],
        company=entry.company,
        association=entry.association,
        amount_cents=entry.amount_cents,
        actor=entry.created_by,
        channel=channel,
        occurred_on=entry.occurred_on,
        memo=entry.note,
    )
    return entry
