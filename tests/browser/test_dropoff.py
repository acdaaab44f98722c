"""Drop-off points in a browser: a donor finds the nearest point for a bag of clothes; a host
marks a point full and it drops out of the nearest results; a donor with a sofa and a wardrobe
books a free home collection."""

import re
from datetime import datetime, time, timedelta
from decimal import Decimal
from importlib import import_module

import pytest
from django.apps import apps
from django.utils import timezone, translation
from playwright.sync_api import Page, expect

from entraide.dropoff import collection_services, services
from entraide.dropoff.collection_forms import BookingForm, slot_label
from entraide.dropoff.collection_selectors import slots_with_room
from entraide.dropoff.forms import NearestForm
from entraide.dropoff.models import CollectionBooking, CollectionRule
from entraide.goods.tests.factories import category
from entraide.matching.geo import destination
from entraide.organisations.models import Membership, Organisation, Territory
from entraide.organisations.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    TerritoryFactory,
)
from entraide.testing.factories import PARIS, UserFactory
from tests.browser.helpers import assert_accessible, emails_to, link_in, log_in, tr


@pytest.fixture(autouse=True)
def categories(transactional_db) -> None:
    """Seed the catalogues again: a transactional test empties every table after it."""
    import_module("entraide.goods.migrations.0002_seed_categories").seed(apps, None)
    import_module("entraide.dropoff.migrations.0004_seed_catalogue").seed(apps, None)


def _points(host):
    """Two points open every day: the town hall at Paris's centre, a shop 1.5 km east."""
    paris = TerritoryFactory(name="Paris", country="FR", time_zone="Europe/Paris")
    mairie = OrganisationFactory.create(
        name="Mairie du 4e",
        kind="public_body",
        territory=paris,
        status=Organisation.Status.VERIFIED,
        lat=PARIS[0],
        lon=PARIS[1],
        town="Paris",
        country="FR",
    )
    MembershipFactory(organisation=mairie, user=host, role=Membership.Role.MISSION_MANAGER)
    made = []
    for name, east_km in (("Mairie du 4e — accueil", 0.0), ("Boutique Saint-Paul", 1.5)):
        point = services.point_create(
            organisation=mairie,
            territory=paris,
            name=name,
            address="2 place Baudoyer",
            postcode="75004",
            town="Paris",
            country="FR",
            categories=[category("textile"), category("books")],
            step_free=True,
            actor=host,
            channel="web",
        )
        if east_km:
            point.set_position(*destination(point.lat, point.lon, 90, east_km))
            point.save()
        services.point_set_hours(
            point=point,
            weekly=[(d, time(0), time(23, 59)) for d in range(7)],
            actor=host,
            channel="web",
        )
        made.append(point)
    return made


def _find_for_clothes(page: Page) -> None:
    page.get_by_label(tr("en", NearestForm.base_fields["category"].label)).select_option(
        label="Textile"
    )
    page.get_by_label(tr("en", "Town")).fill("Paris")
    page.get_by_label(tr("en", "Postcode")).fill("75004")
    page.get_by_role("button", name=tr("en", "Find"), exact=True).click()


def test_a_donor_finds_the_nearest_point_for_a_bag_of_clothes(
    page: Page, visit, transactional_db
) -> None:
    host = UserFactory.create(email="hana@example.org", language="en")
    mairie, shop = _points(host)
    visit(page, "/en/dropoff/")
    _find_for_clothes(page)
    nearest = page.get_by_role("region", name=tr("en", "Nearest suitable points"))
    expect(nearest.get_by_role("link", name=mairie.name)).to_be_visible()
    assert_accessible(page)
    nearest.get_by_role("link", name=mairie.name).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(mairie.name)
    expect(page.get_by_text(tr("en", "Open now"))).to_be_visible()
    assert_accessible(page)


def test_a_host_marks_a_point_full_and_it_drops_out_of_the_nearest(
    page: Page, visit, transactional_db
) -> None:
    host = UserFactory.create(email="hana@example.org", language="en")
    mairie, shop = _points(host)
    path = f"/en/dropoff/points/{mairie.pk}/host/"
    visit(page, path, check=False)
    log_in(page, email=host.email, language="en")
    expect(page).to_have_url(re.compile(re.escape(path) + "$"))
    assert_accessible(page)
    page.get_by_label(tr("en", "Full"), exact=True).check()
    page.get_by_role("button", name=tr("en", "Save the fill level")).click()
    expect(page.get_by_text(tr("en", "Fill level:") + " " + tr("en", "Full"))).to_be_visible()
    assert_accessible(page)

    visit(page, "/en/dropoff/")
    _find_for_clothes(page)
    nearest = page.get_by_role("region", name=tr("en", "Nearest suitable points"))
    found = nearest.get_by_role("list").first
    expect(found.get_by_role("link", name=shop.name)).to_be_visible()
    expect(found.get_by_role("link", name=mairie.name)).to_have_count(0)
    expect(nearest.get_by_text(f"{mairie.name} (0.0 km): {tr('en', 'full')}")).to_be_visible()
    assert_accessible(page)


def test_an_operator_finds_the_nearest_point_for_a_caller(
    page: Page, visit, transactional_db
) -> None:
    operator = UserFactory.create(email="sophie@example.org", language="en", is_operator=True)
    mairie, shop = _points(UserFactory.create(email="hana@example.org", language="en"))
    visit(page, "/en/dropoff/phone/", check=False)
    log_in(page, email=operator.email, language="en")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        tr("en", "Drop-off point for a caller")
    )
    assert_accessible(page)
    _find_for_clothes(page)
    nearest = page.get_by_role("region", name=tr("en", "Nearest suitable points"))
    expect(nearest.get_by_role("link", name=mairie.name)).to_be_visible()
    assert_accessible(page)


def test_a_donor_with_a_sofa_and_a_wardrobe_books_a_home_collection(
    page: Page, visit, transactional_db
) -> None:
    _points(UserFactory.create(email="hana@example.org", language="en"))
    staff = UserFactory.create(email="stan@example.org", is_staff=True)
    paris = Territory.objects.get(name="Paris")
    rule = CollectionRule.objects.create(territory=paris, postcodes="75")
    rule.categories.set([category("furniture")])
    starts = datetime.combine(
        timezone.localdate(timezone.now(), paris.zone) + timedelta(days=4), time(9), paris.zone
    )
    [slot] = collection_services.slot_create(
        territory=paris,
        starts_at=starts,
        ends_at=starts + timedelta(hours=3),
        capacity=3,
        actor=staff,
        channel="web",
    )

    visit(page, "/en/dropoff/")
    page.get_by_label(tr("en", "Sofa"), exact=True).fill("1")
    page.get_by_label(tr("en", "Wardrobe"), exact=True).fill("1")
    # The total follows the quantities as they are typed (estimate.js).
    expect(page.locator("#estimate-total")).to_have_text("2.7")
    page.get_by_label(tr("en", "Town")).fill("Paris")
    page.get_by_label(tr("en", "Postcode")).fill("75011")
    page.get_by_role("button", name=tr("en", "Find"), exact=True).click()
    offer = page.get_by_role("region", name=tr("en", "Free home collection"))
    expect(offer).to_contain_text("2.7")
    expect(page.get_by_role("region", name=tr("en", "Nearest suitable points"))).to_have_count(0)
    assert_accessible(page)

    offer.get_by_role("link", name=tr("en", "Book a free home collection")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        tr("en", "Book a free home collection")
    )
    assert_accessible(page)
    with translation.override("en"):
        label = slot_label(slots_with_room(paris).get())
    page.get_by_label(label).check()
    page.get_by_label(tr("en", "Address")).fill("5 rue Oberkampf")
    page.get_by_label(tr("en", "Floor")).fill("3")
    page.get_by_label(str(BookingForm.base_fields["parking"].label)).fill("Delivery bay at 7")
    page.get_by_label(tr("en", "Your name")).fill("Nadia")
    page.get_by_label(tr("en", "Email")).fill("nadia@example.org")
    page.get_by_label(tr("en", "Phone")).fill("06 12 34 56 78")
    page.get_by_role("button", name=tr("en", "Book the collection")).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(tr("en", "Your home collection"))
    expect(page.get_by_text(tr("en", "The home collection is booked."))).to_be_visible()
    expect(page.get_by_text("1 × Wardrobe, 1 × Sofa")).to_be_visible()
    assert_accessible(page)
    booking = CollectionBooking.objects.get()
    assert (booking.slot, booking.volume_m3, booking.floor) == (slot, Decimal("2.7"), 3)
    [email] = emails_to("nadia@example.org")
    assert link_in(email.body, "/collection/") == booking.get_absolute_url()
