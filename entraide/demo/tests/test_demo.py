"""The demo data set loads through the services, covers every state, and loads only once."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import timezone

from entraide.accounts.models import User
from entraide.companies.models import Employee, LedgerEntry
from entraide.dropoff.models import (
    CollectionBooking,
    CollectionRule,
    CollectionSlot,
    DropoffPoint,
    FillLevel,
    OpeningRange,
    PointStatus,
)
from entraide.goods.models import (
    CollectionRound,
    Lot,
    LotPhoto,
    LotSeries,
    Need,
    Offer,
    OfferStatus,
    Pickup,
)
from entraide.goods.selectors import goods_totals
from entraide.help_requests.models import HelpRequest, Status
from entraide.missions.models import Application, Mission
from entraide.organisations.models import Organisation

pytestmark = pytest.mark.django_db


def test_it_loads_requests_in_every_state_and_is_safe_to_run_twice(
    django_capture_on_commit_callbacks,
):
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", stdout=out)
    users = User.objects.count()
    requests = HelpRequest.objects.count()

    statuses = set(HelpRequest.objects.values_list("status", flat=True))
    assert {Status.TAKEN, Status.DONE, Status.CANCELLED, Status.EXPIRED} <= statuses
    assert HelpRequest.objects.filter(confirmed_at__isnull=False).exists()
    assert HelpRequest.objects.filter(channel="phone").exists()
    assert HelpRequest.objects.filter(country="FR").exists()
    assert HelpRequest.objects.filter(country="BE").exists()
    assert User.objects.filter(is_operator=True).count() >= 2
    # Operators can call every demo volunteer.
    volunteers = User.objects.filter(volunteer_profile__isnull=False)
    assert volunteers.exists() and not volunteers.filter(phone="").exists()
    assert Organisation.objects.filter(status=Organisation.Status.VERIFIED).exists()
    assert Mission.objects.filter(status=Mission.Status.PUBLISHED).exists()
    assert Application.objects.filter(status=Application.Status.ACCEPTED).exists()
    assert LedgerEntry.objects.filter(kind="accrued").exists()
    assert LedgerEntry.objects.filter(kind="paid").exists()
    assert Employee.objects.filter(manager__isnull=False).exists()
    assert "entraide-demo" in out.getvalue()
    # Goods: shops in Brussels and Paris give, one weekly; part of a lot reached people.
    assert {"Bruxelles", "Paris"} <= set(
        Lot.objects.filter(donor_organisation__kind="company").values_list("town", flat=True)
    )
    assert LotSeries.objects.exists() and Lot.objects.filter(weight_estimated=True).exists()
    assert Need.objects.filter(channel="phone").exists()
    assert Offer.objects.filter(status=OfferStatus.PARTIAL).exists()
    assert Pickup.objects.filter(status="received").exists()
    assert sum(row.meals for row in goods_totals(by="association")) > 0
    # A round of the Paris association tomorrow: three shops in route order, Hugo drives.
    collection_round = CollectionRound.objects.get()
    assert collection_round.driver is not None
    assert collection_round.driver.email == "hugo@demo.entraide.org"
    stops = collection_round.stops.order_by("round_position")
    assert [s.round_position for s in stops] == [1, 2, 3]
    photos = list(LotPhoto.objects.all())
    assert len(photos) == 2 and all(default_storage.exists(str(p.image.name)) for p in photos)
    lots = Lot.objects.count()
    # Drop-off points: about 60 in Paris and 5 in Brussels, with hours, a few full, one closed.
    assert DropoffPoint.objects.filter(town="Paris").count() == 60
    assert DropoffPoint.objects.filter(territory__time_zone="Europe/Brussels").count() == 5
    assert DropoffPoint.objects.filter(name__startswith="Mairie").count() == 17
    assert not DropoffPoint.objects.filter(opening_ranges__isnull=True).exists()
    assert 3 <= DropoffPoint.objects.filter(fill_level=FillLevel.FULL).count() <= 6
    assert DropoffPoint.objects.filter(status=PointStatus.CLOSED).count() == 1
    assert len({(p.lat, p.lon) for p in DropoffPoint.objects.all()}) == 65
    assert User.objects.filter(email="hote@demo.entraide.org").exists()
    ranges = OpeningRange.objects.count()
    # Home collection: rules for Paris and Brussels, two weeks of slots, two bookings.
    assert set(CollectionRule.objects.values_list("territory__name", flat=True)) == {
        "Île-de-France",
        "Bruxelles-Capitale",
    }
    slots = CollectionSlot.objects.count()
    assert slots == 16  # Paris: 3 days x 2 slots, Brussels: 2 x 1, for two weeks
    assert CollectionSlot.objects.filter(starts_at__gt=timezone.now() + timedelta(days=7)).exists()
    assert sorted(CollectionBooking.objects.values_list("channel", flat=True)) == ["phone", "web"]

    call_command("load_demo", stdout=StringIO())
    assert CollectionSlot.objects.count() == slots
    assert CollectionBooking.objects.count() == 2
    assert DropoffPoint.objects.count() == 65
    assert OpeningRange.objects.count() == ranges
    assert User.objects.count() == users
    assert HelpRequest.objects.count() == requests
    assert Lot.objects.count() == lots
