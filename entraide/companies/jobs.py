"""Periodic work for companies: accrue the top-ups their rules give."""

import logging

from entraide.companies.models import TopUpRule
from entraide.companies.services import topups_accrue
from entraide.organisations.models import Organisation

logger = logging.getLogger(__name__)


def accrue_topups() -> int:
    """Accrue top-ups for every company with a rule; return how many ledger entries were added."""
    added = 0
    companies = Organisation.objects.filter(
        kind=Organisation.Kind.COMPANY,
        pk__in=TopUpRule.objects.values("company_id"),
    ).order_by("pk")
    for company in companies:
        # One company's bad data must not stop the others' accruals.
        try:
            added += len(topups_accrue(company=company))
        except Exception:
            logger.exception("Accruing top-ups failed for company %s", company.pk)
    return added
