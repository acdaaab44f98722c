"""Writes for a company's profile: email domains, yearly allowance, invitation code."""

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from entraide.accounts.models import User
from entraide.companies.models import MAX_ALLOWANCE_HOURS, CompanyProfile
from entraide.companies.services._common import _lock_profile, _require_administrator
from entraide.organisations.models import Organisation

MAX_DOMAINS = 20


def _clean_domains(domains: Any) -> list[str]:
    """Return email domains lower-cased and deduplicated, or raise a field error."""
    if isinstance(domains, str):
        domains = domains.replace(",", " ").split()
    cleaned: list[str] = []
    for domain in domains or []:
        value = str(domain).strip().lower().lstrip("@")
        if not value:
            continue
        if "." not in value or " " in value or len(value) > 120 or "@" in value:
            raise ValidationError(
                {"email_domains": [_("“%(domain)s” is not an email domain.") % {"domain": value}]}
            )
        if value not in cleaned:
            cleaned.append(value)
    if len(cleaned) > MAX_DOMAINS:
        raise ValidationError({"email_domains": [_("Give at most 20 domains.")]})
    return cleaned


@transaction.atomic
def company_profile_set(
    *,
    company: Organisation,
    actor: User,
    email_domains: Any = None,
    yearly_allowance_hours: Any = None,
    new_code: bool = False,
) -> CompanyProfile:
    """Change the company's email domains, yearly allowance, or draw a new invitation code."""
    _require_administrator(actor, company)
    profile = _lock_profile(company)
    if email_domains is not None:
        profile.email_domains = _clean_domains(email_domains)
    if yearly_allowance_hours is not None:
        try:
            hours = Decimal(str(yearly_allowance_hours).strip().replace(",", "."))
        except ArithmeticError as exc:
            raise ValidationError(
                {"yearly_allowance_hours": [_("Give the hours as a number like 7.5.")]}
            ) from exc
        if isinstance(yearly_allowance_hours, float) or not hours.is_finite() or hours < 0:
            raise ValidationError(
                {"yearly_allowance_hours": [_("Give the hours as a number like 7.5.")]}
            )
        if hours > MAX_ALLOWANCE_HOURS:
            raise ValidationError(
                {
                    "yearly_allowance_hours": [
                        _("Allow at most %(hours)s hours a year (a full-time working year).")
                        % {"hours": MAX_ALLOWANCE_HOURS}
                    ]
                }
            )
        profile.yearly_allowance_hours = hours.quantize(Decimal("0.01"))
    if new_code:
        profile.invitation_code = CompanyProfile._meta.get_field("invitation_code").get_default()
    profile.full_clean()
    profile.save()
    return profile
