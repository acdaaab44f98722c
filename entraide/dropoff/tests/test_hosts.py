"""The hosts' page and services: donations logged, fill level, closing, pickup requests."""

from datetime import time
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from entraide.core.errors import ConflictError, PermissionDeniedError
from entraide.dropoff import selectors, services
from entraide.dropoff.models import DropoffDonation, DropoffPoint, PickupRequest, PointStatus
from entraide.goods.tests.factories import category

pytestmark = pytest.mark.django_db


def test_a_host_logs_a_donation_in_bags_or_m3(point, hana):
    donation = services.point_log_donation(
        point=point,
        categories=[category("textile")],
        bags=3,
        volume_m3=None,
        actor=hana,
        channel="web",
    )
    assert donation.bags == 3 and [c.code for c in donation.categories.all()] == ["textile"]
    assert point.events.last().kind == "donation"


@pytest.mark.parametrize(
    ("bags", "volume", "field"),
    [
        (None, None, "bags"),
        (0, None, "bags"),
        (None, Decimal("0"), "volume_m3"),
        (None, Decimal("10000"), "volume_m3"),
    ],
)
def test_a_donation_without_a_sensible_estimate_is_refused(point, hana, bags, volume, field):
    with pytest.raises(ValidationError) as refused:
        services.point_log_donation(
            point=point,
            categories=[category("textile")],
            bags=bags,
            volume_m3=volume,
            actor=hana,
            channel="web",
        )
    assert field in refused.value.message_dict
    assert not DropoffDonation.objects.exists()


def test_a_second_pickup_request_while_one_waits_is_a_conflict(point, hana, eve):
    services.point_request_pickup(point=point, note="Plein depuis lundi", actor=hana, channel="web")
    with pytest.raises(ConflictError):
        services.point_request_pickup(point=point, actor=hana, channel="web")
    with pytest.raises(PermissionDeniedError):
        services.point_request_pickup(point=point, actor=eve, channel="web")
    assert [r.note for r in selectors.open_pickup_requests()] == ["Plein depuis lundi"]


def test_a_host_marks_the_point_full_on_the_page_and_it_drops_out_of_the_nearest(
    client, point, hana
):
    services.point_set_hours(
        point=point,
        weekly=[(d, time(0), time(23, 59)) for d in range(7)],
        actor=hana,
        channel="web",
    )
    near = {"category": "textile", "lat": point.lat, "lon": point.lon}
    assert [
        c.point for c in client.get(reverse("dropoff:points"), near).context["answer"].found
    ] == [point]
    client.force_login(hana)
    url = reverse("dropoff:host", args=[point.pk])
    assert client.get(url).status_code == 200
    answer = client.post(url, {"action": "fill", "level": "full"})
    assert answer.status_code == 302
    assert not DropoffPoint.objects.get(pk=point.pk).has_room
    answer = client.get(reverse("dropoff:points"), near).context["answer"]
    assert answer.found == [] and [c.reasons for c in answer.skipped] == [("full",)]


def test_the_host_page_logs_closes_reopens_and_asks_for_a_pickup(client, point, hana):
    client.force_login(hana)
    url = reverse("dropoff:host", args=[point.pk])
    textile = category("textile")
    assert (
        client.post(
            url, {"action": "donation", "categories": [textile.pk], "bags": "2"}
        ).status_code
        == 302
    )
    assert client.post(url, {"action": "close", "reason": "Travaux"}).status_code == 302
    assert DropoffPoint.objects.get(pk=point.pk).status == PointStatus.CLOSED
    assert client.post(url, {"action": "reopen"}).status_code == 302
    assert DropoffPoint.objects.get(pk=point.pk).status == PointStatus.OPEN
    assert client.post(url, {"action": "pickup", "note": ""}).status_code == 302
    assert PickupRequest.objects.filter(point=point).count() == 1
    page = client.get(url)
    assert "A pickup was requested on" in page.content.decode()


def test_bad_input_on_the_host_page_gets_errors_and_saves_nothing(client, point, hana):
    client.force_login(hana)
    url = reverse("dropoff:host", args=[point.pk])
    page = client.post(url, {"action": "donation", "categories": [], "bags": "0"})
    assert page.status_code == 200 and page.context["error_summary"]
    page = client.post(url, {"action": "close", "reason": "Travaux", "until": "2001-01-01"})
    assert "The closing date is in the past." in page.content.decode()
    assert DropoffPoint.objects.get(pk=point.pk).status == PointStatus.OPEN
    assert not DropoffDonation.objects.exists()


def test_strangers_do_not_see_the_host_page_and_only_staff_see_the_requests(
    client, point, eve, staff
):
    client.force_login(eve)
    assert client.get(reverse("dropoff:host", args=[point.pk])).status_code == 404
    assert client.get(reverse("dropoff:pickup_requests")).status_code == 404
    client.force_login(staff)
    assert client.get(reverse("dropoff:pickup_requests")).status_code == 200


def test_my_organisations_links_a_host_to_the_points_page(client, point, hana, eve):
    client.force_login(hana)
    page = client.get(reverse("organisations:dashboard"))
    assert reverse("dropoff:host", args=[point.pk]) in page.content.decode()
    client.force_login(eve)
    page = client.get(reverse("organisations:dashboard"))
    assert reverse("dropoff:host", args=[point.pk]) not in page.content.decode()
