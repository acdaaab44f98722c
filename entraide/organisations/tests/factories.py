"""factory_boy factories for organisations' tests."""

import factory

from entraide.organisations.models import Membership, Organisation, Territory
from entraide.testing.factories import BRUSSELS, UserFactory


class TerritoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Territory
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Territory {n}")
    country = "BE"


class OrganisationFactory(factory.django.DjangoModelFactory):
    """Insert an organisation row directly; use organisation_register to test the real path."""

    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Association {n}")
    slug = factory.Sequence(lambda n: f"association-{n}")
    kind = Organisation.Kind.ASSOCIATION
    town = "Bruxelles"
    lat = BRUSSELS[0]
    lon = BRUSSELS[1]
    territory = factory.SubFactory(TerritoryFactory)
    status = Organisation.Status.PENDING


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    organisation = factory.SubFactory(OrganisationFactory)
    user = factory.SubFactory(UserFactory)
    role = Membership.Role.ADMINISTRATOR
