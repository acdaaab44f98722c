"""Factories for the companies tests: companies, employees, rules and donations."""

from datetime import date, timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from entraide.companies.models import CompanyProfile, Donation, Employee, TopUpRule
from entraide.missions.models import Application, Participation
from entraide.missions.tests.factories import (
    ApplicationFactory,
    MissionFactory,
    MissionSlotFactory,
    OrganisationFactory,
)
from entraide.organisations.models import Organisation
from entraide.testing.factories import UserFactory


class CompanyFactory(OrganisationFactory):
    name = factory.Sequence(lambda n: f"Company {n}")
    slug = factory.Sequence(lambda n: f"company-{n}")
    kind = Organisation.Kind.COMPANY


class CompanyProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CompanyProfile

    organisation = factory.SubFactory(CompanyFactory)
    email_domains = factory.LazyFunction(list)


class EmployeeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Employee

    company = factory.SubFactory(CompanyFactory)
    user = factory.SubFactory(UserFactory)
    site = "Paris"
    department = "Finance"


class TopUpRuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TopUpRule

    company = factory.SubFactory(CompanyFactory)
    kind = TopUpRule.Kind.PER_HOUR
    amount_cents = 1000
    valid_from = date(2020, 1, 1)


class DonationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Donation

    employee = factory.SubFactory(EmployeeFactory)
    association = factory.SubFactory(OrganisationFactory)
    amount_cents = 1000


def participate(employee, association, *, hours: str = "3.00", days_ago: int = 10):
    """Return a confirmed participation of the employee in a past slot of the association."""
    mission = MissionFactory.create(organisation=association)
    starts_at = timezone.now() - timedelta(days=days_ago)
    slot = MissionSlotFactory.create(mission=mission, starts_at=starts_at, capacity=5)
    application = ApplicationFactory.create(
        slot=slot, volunteer=employee.user, status=Application.Status.ACCEPTED
    )
    return Participation.objects.create(application=application, hours=Decimal(hours))
