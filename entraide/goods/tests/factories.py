"""factory_boy factories for the goods tests (and the goods pages' tests)."""

import importlib
from datetime import timedelta
from decimal import Decimal

import factory
from django.apps import apps
from django.utils import timezone

from entraide.goods.models import Category, Lot, LotStatus, Need, Offer
from entraide.organisations.tests.factories import OrganisationFactory
from entraide.testing.factories import BRUSSELS


def category(code: str) -> Category:
    """Return a category of the seeded catalogue (fresh_food, chilled, frozen, dry_food…)."""
    found = Category.objects.filter(code=code).first()
    if found is None:
        # A transactional test (a race) flushes the tables, the migration's rows with them.
        seed = importlib.import_module("entraide.goods.migrations.0002_seed_categories").seed
        seed(apps, None)
        found = Category.objects.get(code=code)
    return found


class LotFactory(factory.django.DjangoModelFactory):
    """Insert a lot row directly, with no ledger row: use lot_declare for the real path."""

    class Meta:
        model = Lot

    donor_organisation = factory.SubFactory(OrganisationFactory, kind="company", status="verified")
    category = factory.LazyFunction(lambda: category("dry_food"))
    quantity = Decimal("40")
    weight_kg = Decimal("40")
    kg_open = factory.LazyAttribute(lambda o: o.weight_kg)
    status = LotStatus.OFFERED
    channel = "web"
    town = "Bruxelles"
    lat = BRUSSELS[0]
    lon = BRUSSELS[1]
    cell = factory.LazyAttribute(lambda o: Lot.position_values(o.lat, o.lon)["cell"])


class NeedFactory(factory.django.DjangoModelFactory):
    """Insert a need row directly: use need_declare for the real path."""

    class Meta:
        model = Need

    organisation = factory.SubFactory(OrganisationFactory, status="verified")
    category = factory.LazyFunction(lambda: category("dry_food"))
    kg = 30
    kg_open = factory.LazyAttribute(lambda o: o.kg)
    by_date = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=3))
    radius_km = Decimal("10")
    cold_storage = False
    channel = "web"
    town = "Bruxelles"
    lat = BRUSSELS[0]
    lon = BRUSSELS[1]
    cell = factory.LazyAttribute(lambda o: Need.position_values(o.lat, o.lon)["cell"])


class OfferFactory(factory.django.DjangoModelFactory):
    """Insert a proposed offer directly: use allocation_propose for the real path."""

    class Meta:
        model = Offer

    lot = factory.SubFactory(LotFactory)
    need = factory.SubFactory(NeedFactory)
    kg_proposed = 20
    distance_km = Decimal("1.5")
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=1))
