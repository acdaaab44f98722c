import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from entraide.core.distance_bands import public_position
from entraide.help_requests.services import help_request_take
from entraide.testing.factories import BRUSSELS, HelpRequestFactory, UserFactory

SECRET_ADDRESS = "12 rue des Secrets"
SECRET_PHONE = "+32470999888"
SECRET_EMAIL = "hidden.requester@example.org"
SECRET_NAME = "Gertrude Mysteriousname"
# Requesters sometimes type a number or an address in the free text too.
SECRET_DETAILS_PHONE = "0470 99 98 88"
DETAILS = f"Bread and milk. Ring twice, or call my son on {SECRET_DETAILS_PHONE} ({SECRET_EMAIL})."


@pytest.fixture
def private_request(db):
    return HelpRequestFactory.create(
        lat=BRUSSELS[0] + 0.0123,
        lon=BRUSSELS[1] + 0.0071,
        address=SECRET_ADDRESS,
        postcode="1000",
        requester_phone=SECRET_PHONE,
        requester_email=SECRET_EMAIL,
        requester_name=SECRET_NAME,
        details=DETAILS,
        when_note=f"Afternoon, text {SECRET_DETAILS_PHONE} first",
    )


def assert_no_contact(html, help_request):
    for secret in (SECRET_ADDRESS, SECRET_PHONE, SECRET_EMAIL, SECRET_NAME, SECRET_DETAILS_PHONE):
        assert secret not in html
    assert str(help_request.lat) not in html
    assert str(help_request.lon) not in html


def test_it_asks_to_complete_the_profile_first(client, db):
    client.force_login(UserFactory.create())

    response = client.get(reverse("volunteers:dashboard"))

    assert response.status_code == 200
    assert response.context["needs_profile"]
    assert reverse("volunteers:profile") in response.content.decode()


def test_it_asks_to_complete_a_profile_without_a_home(client, alice):
    profile = alice.volunteer_profile
    profile.lat = profile.lon = profile.cell = None
    profile.save()
    client.force_login(alice)

    response = client.get(reverse("volunteers:dashboard"))

    assert response.context["needs_profile"]


def test_it_lists_nearby_requests_without_contact_details(client, alice, private_request):
    client.force_login(alice)

    response = client.get(reverse("volunteers:dashboard"))

    html = response.content.decode()
    assert response.status_code == 200
    assert reverse("volunteers:take", args=[private_request.public_id]) in html
    assert "Groceries" in html
    assert_no_contact(html, private_request)


def test_it_puts_rounded_positions_on_the_map(client, alice, private_request):
    client.force_login(alice)

    response = client.get(reverse("volunteers:dashboard"))

    [point] = response.context["map_points"]
    assert (point["lat"], point["lon"]) == public_position(private_request.lat, private_request.lon)
    html = response.content.decode()
    data = html.split('id="volunteer-map-data" type="application/json">')[1].split("</script>")[0]
    assert json.loads(data)[0]["lat"] == point["lat"]


def test_it_hides_contact_details_on_the_request_page_before_taking(client, alice, private_request):
    client.force_login(alice)

    response = client.get(reverse("volunteers:request_detail", args=[private_request.public_id]))

    html = response.content.decode()
    assert response.status_code == 200
    assert reverse("volunteers:take", args=[private_request.public_id]) in html
    assert_no_contact(html, private_request)
    # The rest of the free text stays, so the volunteer knows what is asked.
    assert "Bread and milk. Ring twice, or call my son on [hidden until" in html


def test_it_shows_contact_details_to_the_volunteer_holding_the_request(
    client, alice, private_request
):
    help_request_take(help_request=private_request, volunteer=alice)
    client.force_login(alice)

    dashboard = client.get(reverse("volunteers:dashboard")).content.decode()
    detail = client.get(
        reverse("volunteers:request_detail", args=[private_request.public_id])
    ).content.decode()

    for html in (dashboard, detail):
        assert SECRET_ADDRESS in html
        assert SECRET_PHONE in html
        assert SECRET_EMAIL in html
        assert SECRET_NAME in html
        assert SECRET_DETAILS_PHONE in html


def test_it_never_shows_alices_request_contact_to_bob(client, alice, bob, private_request):
    help_request_take(help_request=private_request, volunteer=alice)
    client.force_login(bob)

    dashboard = client.get(reverse("volunteers:dashboard")).content.decode()
    detail = client.get(reverse("volunteers:request_detail", args=[private_request.public_id]))

    assert_no_contact(dashboard, private_request)
    assert_no_contact(detail.content.decode(), private_request)
    assert "Another volunteer has already taken this request" in detail.content.decode()
    assert reverse("volunteers:take", args=[private_request.public_id]) not in dashboard


def test_it_shows_the_history_of_requests_done(client, alice):
    HelpRequestFactory.create(
        status="done",
        taken_by=alice,
        taken_at=timezone.now(),
        done_at=timezone.now(),
        done_report="Brought bread and soup",
        town="Ixelles",
    )
    client.force_login(alice)

    dashboard = client.get(reverse("volunteers:dashboard")).content.decode()
    history = client.get(reverse("volunteers:history")).content.decode()

    for html in (dashboard, history):
        assert "Brought bread and soup" in html
        assert "Ixelles" in html


def test_it_warns_a_paused_volunteer(client, alice):
    profile = alice.volunteer_profile
    profile.is_paused = True
    profile.save()
    client.force_login(alice)

    response = client.get(reverse("volunteers:dashboard"))

    assert "You are on pause" in response.content.decode()


@pytest.mark.parametrize(
    "name", ["volunteers:dashboard", "volunteers:profile", "volunteers:history"]
)
def test_it_requires_login(client, db, name):
    response = client.get(reverse(name))

    assert response.status_code == 302
    assert "/accounts/login/" in response.url


def test_it_requires_login_for_a_request_and_its_actions(client, private_request):
    args = [private_request.public_id]

    detail = client.get(reverse("volunteers:request_detail", args=args))
    take = client.post(reverse("volunteers:take", args=args))

    assert detail.status_code == 302
    assert "/accounts/login/" in detail.url
    assert take.status_code == 302
    assert "/accounts/login/" in take.url
    private_request.refresh_from_db()
    assert private_request.status == "new"


def _dashboard_queries(client, volunteer, *, add, total):
    for _ in range(add):
        HelpRequestFactory.create()
        HelpRequestFactory.create(status="taken", taken_by=volunteer, taken_at=timezone.now())
        HelpRequestFactory.create(
            status="done", taken_by=volunteer, taken_at=timezone.now(), done_at=timezone.now()
        )
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("volunteers:dashboard"), {"all": "1"})
    assert len(response.context["nearby"]) == total
    assert response.context["counts"].held == total
    return [query["sql"] for query in queries.captured_queries]


def test_it_loads_the_dashboard_in_as_many_queries_for_many_requests(client, alice):
    alice.volunteer_profile.max_open_requests = 10
    alice.volunteer_profile.save()
    client.force_login(alice)
    few = _dashboard_queries(client, alice, add=2, total=2)
    many = _dashboard_queries(client, alice, add=4, total=6)

    assert len(many) == len(few)
    # The requests held are read once: their count comes from the list already shown.
    held_reads = [sql for sql in many if "'taken'" in sql]
    assert len(held_reads) == 1, held_reads


def test_it_filters_sorts_and_shortens_the_nearby_list_from_the_address(client, alice):
    for km in range(1, 8):
        HelpRequestFactory.create(
            kind="groceries", lat=BRUSSELS[0] + km * 0.5 / 111.2, lon=BRUSSELS[1]
        )
    pharmacy = HelpRequestFactory.create(kind="pharmacy", lat=BRUSSELS[0], lon=BRUSSELS[1])
    client.force_login(alice)
    url = reverse("volunteers:dashboard")

    first_page = client.get(url)
    assert len(first_page.context["nearby"]) == 5
    assert first_page.context["nearby_shown_count"] == 8
    assert "all=1" in first_page.context["see_all_query"]
    assert len(client.get(url, {"all": "1"}).context["nearby"]) == 8

    only_pharmacy = client.get(url, {"kind": "pharmacy"})
    assert [item.help_request for item in only_pharmacy.context["nearby"]] == [pharmacy]

    nearest = client.get(url, {"sort": "distance", "all": "1"}).context["nearby"]
    distances = [item.distance_km for item in nearest]
    assert distances == sorted(distances)


def test_it_ignores_a_filter_value_it_does_not_know(client, alice):
    HelpRequestFactory.create(lat=BRUSSELS[0], lon=BRUSSELS[1])
    client.force_login(alice)

    response = client.get(reverse("volunteers:dashboard"), {"kind": "spaceship", "sort": "x"})

    assert response.status_code == 200
    assert len(response.context["nearby"]) == 1
