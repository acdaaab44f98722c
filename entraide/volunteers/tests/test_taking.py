import pytest
from django.urls import reverse
from django.utils import timezone

from entraide.core.errors import DomainError
from entraide.help_requests.models import HelpRequestEvent
from entraide.help_requests.selectors import volunteer_request_room
from entraide.help_requests.services import help_request_take
from entraide.testing.factories import HelpRequestFactory


def post(client, name, help_request, data=None, follow=False):
    return client.post(reverse(name, args=[help_request.public_id]), data or {}, follow=follow)


def test_it_takes_a_request_and_shows_its_contact(client, alice):
    help_request = HelpRequestFactory.create(address="3 place du Jeu de Balle")
    client.force_login(alice)

    response = post(client, "volunteers:take", help_request, follow=True)

    help_request.refresh_from_db()
    assert help_request.status == "taken"
    assert help_request.taken_by == alice
    assert response.redirect_chain[-1][0] == reverse(
        "volunteers:request_detail", args=[help_request.public_id]
    )
    assert "3 place du Jeu de Balle" in response.content.decode()
    assert help_request.events.filter(kind=HelpRequestEvent.Kind.TAKEN, actor=alice).exists()


def test_it_tells_the_slower_volunteer_kindly_when_already_taken(client, alice, bob):
    help_request = HelpRequestFactory.create()
    client.force_login(bob)
    post(client, "volunteers:take", help_request)
    client.force_login(alice)

    response = post(client, "volunteers:take", help_request, follow=True)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Another volunteer has just taken this request" in html
    assert help_request.requester_phone not in html
    help_request.refresh_from_db()
    assert help_request.taken_by == bob


def test_it_refuses_a_request_beyond_the_volunteers_capacity(client, alice):
    profile = alice.volunteer_profile
    profile.max_open_requests = 1
    profile.save()
    HelpRequestFactory.create(status="taken", taken_by=alice, taken_at=timezone.now())
    second = HelpRequestFactory.create()
    client.force_login(alice)

    response = post(client, "volunteers:take", second, follow=True)

    assert "your maximum" in response.content.decode()
    second.refresh_from_db()
    assert second.status == "new"


def test_it_refuses_to_take_with_a_get(client, alice):
    help_request = HelpRequestFactory.create()
    client.force_login(alice)

    response = client.get(reverse("volunteers:take", args=[help_request.public_id]))

    assert response.status_code == 405
    help_request.refresh_from_db()
    assert help_request.status == "new"


def test_it_gives_a_request_back_with_a_reason(client, alice):
    help_request = HelpRequestFactory.create(
        status="taken", taken_by=alice, taken_at=timezone.now()
    )
    client.force_login(alice)

    response = post(client, "volunteers:release", help_request, {"reason": "I am ill"})

    assert response.status_code == 302
    assert response.url == reverse("volunteers:dashboard")
    help_request.refresh_from_db()
    assert help_request.status == "new"
    assert help_request.taken_by is None
    event = help_request.events.get(kind=HelpRequestEvent.Kind.RELEASED)
    assert event.reason == "I am ill"


def test_it_refuses_a_too_long_reason_and_changes_nothing(client, alice):
    help_request = HelpRequestFactory.create(
        status="taken", taken_by=alice, taken_at=timezone.now()
    )
    client.force_login(alice)

    response = post(client, "volunteers:release", help_request, {"reason": "x" * 501})

    assert response.status_code == 200
    assert 'class="error-summary"' in response.content.decode()
    help_request.refresh_from_db()
    assert help_request.taken_by == alice


def test_it_lets_nobody_else_give_back_alices_request(client, alice, bob):
    help_request = HelpRequestFactory.create(
        status="taken", taken_by=alice, taken_at=timezone.now()
    )
    client.force_login(bob)

    response = post(client, "volunteers:release", help_request, follow=True)

    assert "You no longer hold this request" in response.content.decode()
    help_request.refresh_from_db()
    assert help_request.taken_by == alice


def test_it_marks_a_request_done_with_a_report(client, alice):
    help_request = HelpRequestFactory.create(
        status="taken", taken_by=alice, taken_at=timezone.now()
    )
    client.force_login(alice)

    response = post(
        client, "volunteers:mark_done", help_request, {"report": "Delivered the groceries"}
    )

    assert response.status_code == 302
    help_request.refresh_from_db()
    assert help_request.status == "done"
    assert help_request.done_report == "Delivered the groceries"
    history = client.get(reverse("volunteers:history")).content.decode()
    assert "Delivered the groceries" in history


def test_it_lets_only_the_holder_mark_done(client, alice, bob):
    help_request = HelpRequestFactory.create(
        status="taken", taken_by=alice, taken_at=timezone.now()
    )
    client.force_login(bob)

    response = post(client, "volunteers:mark_done", help_request, follow=True)

    assert response.status_code == 403
    assert "Only the volunteer who took this request" in response.content.decode()
    help_request.refresh_from_db()
    assert help_request.status == "taken"


def test_it_answers_404_for_an_unknown_request(client, alice):
    client.force_login(alice)

    response = client.get(
        reverse("volunteers:request_detail", args=["00000000-0000-0000-0000-000000000000"])
    )

    assert response.status_code == 404


def at_the_limit(volunteer):
    """Give the volunteer as many requests as their limit (one)."""
    profile = volunteer.volunteer_profile
    profile.max_open_requests = 1
    profile.save()
    HelpRequestFactory.create(status="taken", taken_by=volunteer, taken_at=timezone.now())


def test_it_says_before_the_click_that_a_volunteer_at_the_limit_cannot_take(client, alice):
    at_the_limit(alice)
    open_request = HelpRequestFactory.create()
    client.force_login(alice)

    page = client.get(reverse("volunteers:request_detail", args=[open_request.public_id]))

    html = page.content.decode()
    assert "You hold 1 request and said you can hold 1 at once" in html
    assert reverse("volunteers:take", args=[open_request.public_id]) not in html
    assert reverse("volunteers:profile") in html


def test_it_shows_the_take_button_while_there_is_room(client, alice):
    open_request = HelpRequestFactory.create()
    client.force_login(alice)

    page = client.get(reverse("volunteers:request_detail", args=[open_request.public_id]))

    html = page.content.decode()
    assert reverse("volunteers:take", args=[open_request.public_id]) in html
    assert "said you can hold" not in html


def test_it_lists_nearby_requests_without_take_buttons_at_the_limit(client, alice):
    at_the_limit(alice)
    open_request = HelpRequestFactory.create()
    client.force_login(alice)

    html = client.get(reverse("volunteers:dashboard")).content.decode()

    assert open_request.town in html
    assert reverse("volunteers:take", args=[open_request.public_id]) not in html
    assert "You hold 1 request and said you can hold 1 at once" in html


def test_it_tells_the_page_exactly_what_the_take_refuses(alice):
    at_the_limit(alice)
    room = volunteer_request_room(alice)

    with pytest.raises(DomainError) as refused:
        help_request_take(help_request=HelpRequestFactory.create(), volunteer=alice)

    assert room is not None and room.is_full
    assert refused.value.code == "capacity"
    alice.volunteer_profile.max_open_requests = 2
    alice.volunteer_profile.save()
    room = volunteer_request_room(alice)
    assert room is not None and not room.is_full
