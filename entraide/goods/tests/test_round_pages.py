"""Collection round pages: plan through the page, the sheet in route order, who may see it."""

from datetime import datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from entraide.goods import selectors, services
from entraide.goods.models import CollectionRound, Pickup, RoundStatus
from entraide.goods.tests.test_rounds import _donor_offer
from entraide.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def day_window():
    """Return tomorrow from 9:00 to 17:00, local time: the round's hours and the lots' window."""
    day = timezone.localdate() + timedelta(days=1)
    return tuple(timezone.make_aware(datetime.combine(day, time(hour))) for hour in (9, 17))


@pytest.fixture
def offers(brussels, restos, alice, day_window):
    """Return accepted offers from donors 6 and 2 km north of Brussels."""
    return [
        _donor_offer(brussels, restos, alice, day_window, name=name, north_km=km)
        for name, km in (("Far", 6), ("Near", 2))
    ]


def _form(day_window, chosen, **changes) -> dict[str, object]:
    data: dict[str, object] = {
        "offers": [str(o.pk) for o in chosen],
        "day": day_window[0].date().isoformat(),
        "leaves": "09:00",
        "back_by": "17:00",
        "vehicle": "Van",
        "capacity_kg": "500",
    }
    data.update(changes)
    return data


def _planned(restos, alice, offers, day_window) -> CollectionRound:
    return services.round_plan(
        organisation=restos,
        offers=offers,
        starts_at=day_window[0],
        ends_at=day_window[1],
        actor=alice,
        channel="web",
    )


def test_the_association_plans_a_round_through_the_page(client, restos, alice, offers, day_window):
    client.force_login(alice)
    page = client.get(reverse("goods:association", args=[restos.slug]))
    assert reverse("goods:round_plan", args=[restos.slug]) in page.content.decode()
    response = client.post(
        reverse("goods:round_plan", args=[restos.slug]), _form(day_window, offers)
    )
    collection_round = CollectionRound.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("goods:round", args=[collection_round.pk])
    assert collection_round.vehicle == "Van"
    assert collection_round.starts_at == day_window[0]
    assert collection_round.stops.count() == 2


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"back_by": "08:00"}, "Give a round that ends after it starts."),
        ({"capacity_kg": "30"}, "the goods do not fit in the vehicle"),
        ({"offers": []}, "This field is required."),
    ],
)
def test_a_bad_round_gets_the_error_summary_and_saves_nothing(
    client, restos, alice, offers, day_window, changes, message
):
    client.force_login(alice)
    response = client.post(
        reverse("goods:round_plan", args=[restos.slug]), _form(day_window, offers, **changes)
    )
    assert response.status_code == 200
    assert 'id="form-errors"' in response.content.decode()
    assert message in response.content.decode()
    assert not CollectionRound.objects.exists()
    assert not Pickup.objects.exists()


def test_the_sheet_lists_the_stops_in_route_order_with_a_numbered_map(
    client, restos, alice, offers, day_window
):
    collection_round = _planned(restos, alice, offers, day_window)
    client.force_login(alice)
    response = client.get(reverse("goods:round", args=[collection_round.pk]))
    content = response.content.decode()
    # From the association (~1 km north), the nearer donor comes first.
    assert content.index("Near") < content.index("Far")
    assert "40 kg" in content
    assert 'goods/round-print.css" media="print"' in content
    markers = [m["label"] for m in response.context["markers"]]
    assert markers == ["1. Near", "2. Far"]
    stop = collection_round.stops.get(round_position=1)
    assert reverse("goods:pickup", args=[stop.pk]) in content


def test_another_association_gets_404_and_the_driver_sees_the_sheet_and_the_stop(
    client, restos, epicerie, alice, bob, offers, day_window
):
    collection_round = _planned(restos, alice, offers, day_window)
    url = reverse("goods:round", args=[collection_round.pk])
    client.force_login(bob)
    assert client.get(url).status_code == 404
    driver = UserFactory(email="dan@example.org")
    client.force_login(alice)
    client.post(url, {"action": "driver", "email": "DAN@example.org"})
    collection_round.refresh_from_db()
    assert collection_round.driver == driver
    client.force_login(driver)
    assert client.get(url).status_code == 200
    # The driver reads but does not plan: no buttons, and a POST is refused.
    assert "Cancel the round" not in client.get(url).content.decode()
    assert client.post(url, {"action": "cancel", "reason": "x"}).status_code == 404
    stop = collection_round.stops.get(round_position=1)
    assert client.get(reverse("goods:pickup", args=[stop.pk])).status_code == 200
    mine = client.get(reverse("goods:my_rounds")).content.decode()
    assert url in mine


def test_the_association_cancels_a_round_through_the_page(
    client, restos, alice, offers, day_window
):
    collection_round = _planned(restos, alice, offers, day_window)
    url = reverse("goods:round", args=[collection_round.pk])
    client.force_login(alice)
    refused = client.post(url, {"action": "cancel", "reason": ""})
    assert refused.status_code == 200 and 'id="form-errors"' in refused.content.decode()
    collection_round.refresh_from_db()
    assert collection_round.status == RoundStatus.PLANNED
    assert client.post(url, {"action": "cancel", "reason": "Van broke down"}).status_code == 302
    collection_round.refresh_from_db()
    assert collection_round.status == RoundStatus.CANCELLED
    assert not collection_round.stops.exists()
    assert "Cancel the round" not in client.get(url).content.decode()


def test_the_association_plans_a_round_again_without_one_donor(
    client, restos, alice, offers, day_window
):
    collection_round = _planned(restos, alice, offers, day_window)
    url = reverse("goods:round", args=[collection_round.pk])
    client.force_login(alice)
    far = offers[0]
    response = client.post(url, {"action": "replan", "replan-offers": [str(far.pk)]})
    assert response.status_code == 302
    stops = list(collection_round.stops.all())
    assert len(stops) == 1 and list(stops[0].offers.all()) == [far]
    # The donor left out is back among the goods to plan.
    assert offers[1] in list(selectors.offers_to_plan(restos))
