"""The phone desk: an operator finds the nearest open point with room for a caller."""

from datetime import time

import pytest
from django.urls import reverse
from django.utils import translation

from entraide.dropoff import services
from entraide.dropoff.models import FillLevel
from entraide.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator(db):
    return UserFactory(email="sophie@example.org", first_name="Sophie", is_operator=True)


def test_only_operators_and_staff_open_the_phone_desk(client, eve, staff, operator):
    url = reverse("dropoff:phone")
    assert client.get(url).status_code == 302  # to the log-in page
    client.force_login(eve)
    assert client.get(url).status_code == 403
    for user in (operator, staff):
        client.force_login(user)
        assert client.get(url).status_code == 200


def test_an_operator_finds_the_point_for_a_caller_and_why_a_full_one_is_skipped(
    client, operator, point, hana
):
    services.point_set_hours(
        point=point,
        weekly=[(d, time(0), time(23, 59)) for d in range(7)],
        actor=hana,
        channel="web",
    )
    client.force_login(operator)
    url = reverse("dropoff:phone")
    caller = {"category": "textile", "postcode": "75011", "town": "Paris", "country": "FR"}
    page = client.get(url, caller)
    assert [c.point for c in page.context["answer"].found] == [point]
    assert "12 place Léon-Blum, 75011 Paris" in page.content.decode()
    services.point_set_fill_level(point=point, level=FillLevel.FULL, actor=hana, channel="web")
    page = client.get(url, caller)
    answer = page.context["answer"]
    assert answer.found == [] and [c.point for c in answer.skipped] == [point]
    assert answer.skipped[0].reasons == ("full",)
    assert "Closer points we skipped" in page.content.decode()


def test_an_unknown_town_gets_a_translated_error(client, operator, point):
    client.force_login(operator)
    with translation.override("fr"):
        page = client.get(reverse("dropoff:phone"), {"town": "Nulle-part-sur-Mer", "country": "FR"})
    assert page.status_code == 200 and page.context["answer"] is None
    assert "Nous n&#x27;avons pas trouvé cette commune" in page.content.decode()


def test_the_operators_entry_page_links_to_the_phone_desk(client, operator):
    client.force_login(operator)
    page = client.get(reverse("operators:quick_entry"))
    assert reverse("dropoff:phone") in page.content.decode()
