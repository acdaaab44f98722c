"""A shop adds a photo to its lot; the association it is offered to sees it on its page."""

import re
from datetime import timedelta
from decimal import Decimal
from importlib import import_module

import pytest
from django.apps import apps
from django.utils import timezone
from playwright.sync_api import Page, expect

from entraide.goods import services
from entraide.goods.forms import PhotoUploadForm
from entraide.goods.tests.factories import NeedFactory, OfferFactory, category
from entraide.goods.tests.photos import picture
from entraide.organisations.models import Membership, Organisation
from entraide.organisations.tests.factories import MembershipFactory, OrganisationFactory
from entraide.testing.factories import BRUSSELS, UserFactory
from tests.browser.helpers import assert_accessible, log_in, tr


@pytest.fixture(autouse=True)
def categories(transactional_db) -> None:
    """Seed the category catalogue again: a transactional test empties every table after it."""
    import_module("entraide.goods.migrations.0002_seed_categories").seed(apps, None)


def _organisation(kind: str, admin, north: float) -> Organisation:
    organisation = OrganisationFactory.create(
        kind=kind,
        status=Organisation.Status.VERIFIED,
        lat=BRUSSELS[0] + north,
        lon=BRUSSELS[1],
        town="Bruxelles",
    )
    MembershipFactory(organisation=organisation, user=admin, role=Membership.Role.ADMINISTRATOR)
    return organisation


def _loaded(page: Page, selector: str) -> None:
    """Wait until the image is decoded: the view served a real picture."""
    page.wait_for_function(
        "s => { const i = document.querySelector(s); return i && i.complete && i.naturalWidth; }",
        arg=selector,
    )


def test_a_photo_added_on_the_lot_page_shows_to_the_association(
    page: Page, second_page: Page, visit, live_server, settings, tmp_path, transactional_db
) -> None:
    settings.MEDIA_ROOT = tmp_path
    sam = UserFactory.create(email="sam@example.org", language="en")
    alice = UserFactory.create(email="alice@example.org", language="fr")
    shop = _organisation("company", sam, 0)
    restos = _organisation("association", alice, 0.01)
    now = timezone.now()
    lot = services.lot_declare(
        actor=sam,
        channel="web",
        category=category("bakery"),
        windows=[(now + timedelta(hours=1), now + timedelta(hours=4))],
        donor_organisation=shop,
        weight_kg=Decimal("12"),
        description="Pain du jour",
        propose=False,
    )
    need = NeedFactory.create(organisation=restos, category=lot.category, kg=5)
    OfferFactory.create(lot=lot, need=need, kg_proposed=5)

    path = f"/en/goods/lots/{lot.pk}/"
    visit(page, path, check=False)
    log_in(page, email=sam.email, language="en")
    expect(page).to_have_url(re.compile(re.escape(path) + "$"))
    assert_accessible(page)
    page.get_by_label(tr("en", PhotoUploadForm.base_fields["photos"].label)).set_input_files(
        {"name": "bread.png", "mimeType": "image/png", "buffer": picture("PNG", size=(900, 600))}
    )
    page.get_by_role("button", name=tr("en", "Add the photos")).click()
    photo = page.get_by_role("img", name="Photo 1 of the lot: Bread and pastries, Pain du jour")
    expect(photo).to_be_visible()
    _loaded(page, "main img")
    assert_accessible(page)

    path = f"/fr/goods/{restos.slug}/"
    visit(second_page, path, check=False)
    log_in(second_page, email=alice.email, language="fr")
    expect(second_page).to_have_url(re.compile(re.escape(path) + "$"))
    expect(second_page.locator("img.lot-thumbnail")).to_be_visible()
    _loaded(second_page, "img.lot-thumbnail")
    assert_accessible(second_page)
