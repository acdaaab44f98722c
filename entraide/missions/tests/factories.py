"""Factories for the missions tests: territories, organisations, members, missions and slots."""

from datetime import timedelta

import factory
from django.utils import timezone

from entraide.missions.models import Application, Mission, MissionSlot
from entraide.organisations.models import Membership, Organisation, Territory
from entraide.testing.factories import BRUSSELS, UserFactory


class TerritoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Territory
        django_get_or_create = ("name",)

    name = "Bruxelles-Capitale"
    country = "BE"
    time_zone = "Europe/Brussels"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Association {n}")
    slug = factory.Sequence(lambda n: f"association-{n}")
    kind = Organisation.Kind.ASSOCIATION
    town = "Bruxelles"
    postcode = "1000"
    territory = factory.SubFactory(TerritoryFactory)
    status = Organisation.Status.VERIFIED


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    organisation = factory.SubFactory(OrganisationFactory)
    user = factory.SubFactory(UserFactory)
    role = Membership.Role.MISSION_MANAGER


class MissionFactory(factory.django.DjangoModelFactory):
    """Insert a published on-site mission; use mission_create to test the real write path."""

    class Meta:
        model = Mission

    organisation = factory.SubFactory(OrganisationFactory)
    title = factory.Sequence(lambda n: f"Deliver meals {n}")
    description = "Bring hot meals to elderly people at home."
    theme = "seniors"
    town = "Bruxelles"
    lat = BRUSSELS[0]
    lon = BRUSSELS[1]
    cell = factory.LazyAttribute(lambda o: Mission.position_values(o.lat, o.lon)["cell"])
    status = Mission.Status.PUBLISHED
    practical_information = "Ring at the back door."
    contact_name = "Nadia"
    contact_phone = "+32470000000"


class MissionSlotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MissionSlot

    mission = factory.SubFactory(MissionFactory)
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=3))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=3))
    capacity = 2


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application

    slot = factory.SubFactory(MissionSlotFactory)
    volunteer = factory.SubFactory(UserFactory)
    message = "Happy to help."
