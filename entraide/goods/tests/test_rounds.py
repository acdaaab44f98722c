"""Collection rounds: stops in route order, refusals that save nothing, re-plan, drive, record."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from entraide.core.errors import ConflictError, PermissionDeniedError
from entraide.goods import services
from entraide.goods.models import (
    CollectionRound,
    Offer,
    Pickup,
    PickupMode,
    PickupStatus,
    RoundStatus,
)
from entraide.goods.selectors import offers_to_plan
from entraide.goods.tests.helpers import declare, offer_for
from entraide.organisations.models import Membership
from entraide.organisations.tests.factories import MembershipFactory, OrganisationFactory
from entraide.testing.factories import BRUSSELS, UserFactory

pytestmark = pytest.mark.django_db


def _donor_offer(brussels, restos, alice, window, *, name, north_km, kg=40, lot_kg="40"):
    """Return an accepted offer to restos from a new donor north_km north of Brussels."""
    donor = OrganisationFactory.create(
        name=name, kind="company", territory=brussels, status="verified"
    )
    admin = UserFactory.create()
    MembershipFactory(organisation=donor, user=admin, role=Membership.Role.ADMINISTRATOR)
    lot = declare(
        donor,
        admin,
        window,
        kg=lot_kg,
        lat=BRUSSELS[0] + north_km / 111.2,
        lon=BRUSSELS[1],
        town="Bruxelles",
    )
    offer = offer_for(lot, restos, kg=kg)
    services.offer_accept(offer=offer, actor=alice, channel="web")
    offer.refresh_from_db()
    return offer


@pytest.fixture
def three(brussels, restos, alice, window):
    """Return accepted offers from donors 6, 2 and 4 km north of Brussels (restos is ~1 km)."""
    return [
        _donor_offer(brussels, restos, alice, window, name=name, north_km=km)
        for name, km in (("Far", 6), ("Near", 2), ("Middle", 4))
    ]


def _plan(restos, alice, offers, window, **options):
    options.setdefault("starts_at", window[0])
    options.setdefault("ends_at", window[1])
    return services.round_plan(
        organisation=restos, offers=offers, actor=alice, channel="web", **options
    )


def _stops(collection_round):
    return list(
        Pickup.objects.filter(collection_round=collection_round)
        .order_by("round_position")
        .prefetch_related("offers__lot__donor_organisation")
    )


def test_it_stores_the_stops_in_route_order_with_etas_and_the_distance(
    restos, alice, window, three
):
    collection_round = _plan(restos, alice, three, window, vehicle="Van", capacity_kg=Decimal(500))

    stops = _stops(collection_round)
    names = [s.offers.all()[0].lot.donor_organisation.name for s in stops]
    # From the association (1 km north): out to the nearest and on north, or the reverse.
    assert names in (["Near", "Middle", "Far"], ["Far", "Middle", "Near"])
    assert [s.round_position for s in stops] == [1, 2, 3]
    assert all(s.mode == PickupMode.ROUND and s.status == PickupStatus.PLANNED for s in stops)
    etas = [s.round_eta for s in stops]
    assert etas == sorted(etas) and etas[0] >= window[0]
    assert all(s.starts_at >= s.round_eta and s.ends_at > s.starts_at for s in stops)
    # Depot to depot, about 2 x 5 km of straight line.
    assert Decimal("9") < collection_round.distance_km < Decimal("11")
    assert not offers_to_plan(restos).exists()
    assert list(collection_round.events.values_list("kind", flat=True)) == ["planned"]


def test_it_groups_one_donors_offers_into_one_stop(brussels, restos, alice, window, three):
    donor = three[0].lot.donor_organisation
    admin = donor.memberships.get().user
    lot = declare(
        donor, admin, window, kg="20", code="hygiene", lat=three[0].lot.lat, lon=three[0].lot.lon
    )
    extra = offer_for(lot, restos, kg=20)
    services.offer_accept(offer=extra, actor=alice, channel="web")

    collection_round = _plan(restos, alice, [*three, extra], window)

    assert len(_stops(collection_round)) == 3
    extra.refresh_from_db()
    three[0].refresh_from_db()
    assert extra.pickup_id == three[0].pickup_id


def test_it_refuses_a_stop_it_cannot_serve_and_saves_nothing(restos, alice, window, three):
    with pytest.raises(ValidationError) as refused:
        _plan(restos, alice, three, window, capacity_kg=Decimal(30))

    assert "do not fit in the vehicle" in str(refused.value)
    assert not CollectionRound.objects.exists() and not Pickup.objects.exists()
    assert offers_to_plan(restos).count() == 3


def test_it_refuses_a_round_outside_the_donors_windows(restos, alice, window, three):
    later = (window[1] + timedelta(hours=2), window[1] + timedelta(hours=6))

    with pytest.raises(ValidationError) as refused:
        _plan(restos, alice, three, later, starts_at=later[0], ends_at=later[1])

    assert "no pickup window during this round" in str(refused.value)
    assert not CollectionRound.objects.exists()


def test_it_lets_only_one_round_have_an_offer(restos, alice, window, three):
    first = _plan(restos, alice, three[:2], window)
    stale = [Offer.objects.get(pk=three[1].pk), three[2]]
    stale[0].pickup_id = None  # as read by a second person before the first round was saved

    with pytest.raises(ConflictError):
        _plan(restos, alice, stale, window)

    assert CollectionRound.objects.get() == first
    assert Pickup.objects.filter(collection_round=first).count() == 2


def test_it_refuses_other_associations(restos, epicerie, bob, alice, window, three, olga):
    with pytest.raises(PermissionDeniedError):
        _plan(restos, bob, three, window)
    # An operator plans for the association by phone.
    assert _plan(restos, olga, three, window).organisation == restos


def test_it_replans_and_cancels_putting_offers_back_to_plan(restos, alice, window, three):
    collection_round = _plan(restos, alice, three[:2], window)

    services.round_replan(
        collection_round=collection_round, offers=three, actor=alice, channel="web"
    )
    assert len(_stops(collection_round)) == 3

    services.round_cancel(
        collection_round=collection_round, reason="Van broke down", actor=alice, channel="web"
    )
    collection_round.refresh_from_db()
    assert collection_round.status == RoundStatus.CANCELLED
    assert offers_to_plan(restos).count() == 3 and not Pickup.objects.exists()
    kinds = list(collection_round.events.order_by("pk").values_list("kind", flat=True))
    assert kinds == ["planned", "replanned", "cancelled"]


def test_a_refused_replan_changes_nothing(restos, alice, window, three):
    collection_round = _plan(restos, alice, three, window, capacity_kg=Decimal(120))
    before = [(s.pk, s.round_position) for s in _stops(collection_round)]
    extra = _donor_offer(
        collection_round.organisation.territory, restos, alice, window, name="Heavy", north_km=3
    )

    with pytest.raises(ValidationError):
        services.round_replan(
            collection_round=collection_round, offers=[*three, extra], actor=alice, channel="web"
        )

    assert [(s.pk, s.round_position) for s in _stops(collection_round)] == before


def test_the_driver_records_each_stop_and_the_round_is_done(restos, alice, window, three):
    driver = UserFactory.create(email="dan@example.org")
    collection_round = _plan(restos, alice, three, window)
    stops = _stops(collection_round)
    with pytest.raises(PermissionDeniedError):
        services.pickup_record(pickup=stops[0], collected={}, actor=driver, channel="web")

    services.round_assign_driver(
        collection_round=collection_round, email="DAN@example.org", actor=alice, channel="web"
    )
    services.pickup_record(
        pickup=stops[0], collected={"dry_food": "40"}, actor=driver, channel="web"
    )
    collection_round.refresh_from_db()
    assert collection_round.status == RoundStatus.UNDER_WAY
    with pytest.raises(ConflictError):
        services.round_cancel(
            collection_round=collection_round, reason="x", actor=alice, channel="web"
        )

    services.pickup_record(
        pickup=stops[1], collected={}, actor=driver, channel="web", reason="Shop closed"
    )
    services.pickup_record(
        pickup=stops[2], collected={"dry_food": "30"}, actor=alice, channel="web", reason="Less"
    )

    collection_round.refresh_from_db()
    assert collection_round.status == RoundStatus.DONE
    assert [s.status for s in _stops(collection_round)] == [
        PickupStatus.COLLECTED,
        PickupStatus.MISSED,
        PickupStatus.PARTIAL,
    ]
    kinds = list(collection_round.events.order_by("pk").values_list("kind", flat=True))
    assert kinds == ["planned", "driver_assigned", "started", "done"]


def test_it_names_only_a_driver_with_an_account(restos, alice, window, three):
    collection_round = _plan(restos, alice, three, window)
    with pytest.raises(ValidationError):
        services.round_assign_driver(
            collection_round=collection_round,
            email="nobody@example.org",
            actor=alice,
            channel="web",
        )


def test_the_volunteer_driver_of_a_driver_pickup_may_record_it(restos, alice, window, three):
    from entraide.help_requests.models import HelpRequest

    start = window[0] + timedelta(minutes=30)
    pickup = services.pickup_plan(
        offers=[three[0]],
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        mode=PickupMode.DRIVER,
        actor=alice,
        channel="web",
    )
    volunteer = UserFactory.create()
    with pytest.raises(PermissionDeniedError):
        services.pickup_record(
            pickup=pickup, collected={"dry_food": "40"}, actor=volunteer, channel="web"
        )
    HelpRequest.objects.filter(public_id=str(pickup.transport_request_id)).update(
        status="taken", taken_by=volunteer
    )

    services.pickup_record(
        pickup=pickup, collected={"dry_food": "40"}, actor=volunteer, channel="web"
    )
    pickup.refresh_from_db()
    assert pickup.status == PickupStatus.COLLECTED


def test_the_back_office_shows_a_round_and_its_stops_read_only(
    client, restos, alice, window, three
):
    from django.urls import reverse

    staff = UserFactory.create(is_staff=True, is_superuser=True)
    collection_round = _plan(restos, alice, three, window, vehicle="Van")
    client.force_login(staff)

    page = client.get(reverse("admin:goods_collectionround_change", args=[collection_round.pk]))

    assert page.status_code == 200
    html = page.content.decode()
    assert "Van" in html and "Stop number" in html
    assert 'name="vehicle"' not in html and 'name="stops-0-reason"' not in html


def test_the_driver_records_a_stop_through_the_api(restos, alice, window, three):
    from entraide.api.tests.conftest import basic_client

    UserFactory.create(email="dan@example.org")
    UserFactory.create(email="stranger@example.org")
    collection_round = _plan(restos, alice, three, window)
    services.round_assign_driver(
        collection_round=collection_round, email="dan@example.org", actor=alice, channel="web"
    )
    first = _stops(collection_round)[0]
    url = f"/api/goods/pickups/{first.pk}/record/"
    body = {"collected": {"dry_food": "40"}}

    assert basic_client("stranger@example.org").post(url, body, format="json").status_code == 403
    recorded = basic_client("dan@example.org").post(url, body, format="json")

    assert recorded.status_code == 200 and recorded.json()["status"] == "collected"
    collection_round.refresh_from_db()
    assert collection_round.status == RoundStatus.UNDER_WAY


def test_the_driver_named_gets_one_email_with_the_sheet_link(
    restos, alice, window, three, django_capture_on_commit_callbacks
):
    from django.core import mail
    from django.urls import reverse

    UserFactory.create(email="dan@example.org", language="en")
    collection_round = _plan(restos, alice, three, window, name="Tuesday shops")

    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(2):  # naming the same driver again sends nothing more
            services.round_assign_driver(
                collection_round=collection_round,
                email="DAN@example.org",
                actor=alice,
                channel="web",
            )

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["dan@example.org"]
    assert message.subject.startswith("You drive a collection round on ")
    assert "Les Restos du Quartier named you the driver of “Tuesday shops”" in message.body
    assert "with 3 stops." in message.body
    assert reverse("goods:round", args=[collection_round.pk]) in message.body
