"""A volunteer's phone number: given at sign-up or on the profile, seen by operators only."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from entraide.accounts.models import User
from entraide.core.phones import display_phone
from entraide.missions.tests.factories import (
    ApplicationFactory,
    MembershipFactory,
    MissionSlotFactory,
)
from entraide.organisations.models import Membership
from entraide.testing.factories import HelpRequestFactory, UserFactory
from entraide.volunteers.models import VolunteerProfile
from entraide.volunteers.services import volunteer_profile_update, volunteer_sign_up
from entraide.volunteers.tests.test_profile import profile_data, service_arguments

PHONE_REFUSED = "This is not a phone number we can call"


@pytest.fixture
def alice(alice):
    """Return alice with the number she gave the phone line."""
    alice.phone = "+32470998877"
    alice.save(update_fields=["phone"])
    return alice


def sign_up_data(**overrides):
    data = {
        "email": "zoe@example.org",
        "password": "a-long-Secret-42",
        "password_confirm": "a-long-Secret-42",
        "first_name": "Zoé",
        "language": "fr",
        "town": "Bruxelles",
        "radius_km": "4",
        "languages": ["fr"],
        "consent": "on",
    }
    data.update(overrides)
    return data


def test_it_stores_a_belgian_number_typed_the_national_way_in_e164(alice):
    volunteer_profile_update(user=alice, **service_arguments(phone="0470 12 34 56"))

    alice.refresh_from_db()
    assert alice.phone == "+32470123456"


def test_it_reads_a_french_volunteers_number_the_french_way(alice):
    volunteer_profile_update(
        user=alice, **service_arguments(town="Paris", country="FR", phone="06 12 34 56 78")
    )

    alice.refresh_from_db()
    assert alice.phone == "+33612345678"


def test_it_keeps_the_phone_when_none_is_given_and_removes_it_when_blank(alice):
    before = alice.phone
    volunteer_profile_update(user=alice, **service_arguments())
    alice.refresh_from_db()
    assert alice.phone == before != ""

    volunteer_profile_update(user=alice, **service_arguments(phone=""))
    alice.refresh_from_db()
    assert alice.phone == ""


@pytest.mark.parametrize("typed", ["12", "0470 12", "not a number", "+999 1234 5678"])
def test_it_refuses_an_invalid_number_on_its_field_and_saves_nothing(alice, typed):
    before = (alice.phone, alice.volunteer_profile.town)

    with pytest.raises(ValidationError) as caught:
        volunteer_profile_update(user=alice, **service_arguments(phone=typed))

    assert PHONE_REFUSED in caught.value.message_dict["phone"][0]
    alice.refresh_from_db()
    assert (alice.phone, VolunteerProfile.objects.get(user=alice).town) == before


def test_it_saves_the_phone_from_the_profile_page_and_shows_it_formatted(client, db):
    user = UserFactory.create()
    client.force_login(user)

    response = client.post(reverse("volunteers:profile"), profile_data(phone="0470/12.34.56"))

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.phone == "+32470123456"
    page = client.get(reverse("volunteers:profile")).content.decode()
    assert 'value="+32 470 12 34 56"' in page
    assert 'type="tel"' in page


def test_it_shows_a_bad_number_on_the_profile_pages_field(client, alice):
    client.force_login(alice)

    response = client.post(reverse("volunteers:profile"), profile_data(phone="0470 12"))

    assert response.status_code == 200
    assert PHONE_REFUSED in response.context["form"].errors["phone"][0]
    assert VolunteerProfile.objects.get(user=alice).town == "Bruxelles"


def test_it_takes_an_optional_phone_at_sign_up(client, db):
    response = client.post(reverse("volunteers:signup"), sign_up_data(phone="0470 12 34 56"))

    assert response.status_code == 302
    assert User.objects.get(email="zoe@example.org").phone == "+32470123456"


def test_it_signs_up_without_a_phone(client, db):
    response = client.post(reverse("volunteers:signup"), sign_up_data())

    assert response.status_code == 302
    assert User.objects.get(email="zoe@example.org").phone == ""


def test_it_refuses_a_bad_phone_at_sign_up_and_creates_nothing(client, db):
    response = client.post(reverse("volunteers:signup"), sign_up_data(phone="12345"))

    assert response.status_code == 400
    assert PHONE_REFUSED in response.context["form"].errors["phone"][0]
    assert not User.objects.exists()


def test_it_reports_a_bad_phone_with_the_other_sign_up_errors(db):
    with pytest.raises(ValidationError) as caught:
        volunteer_sign_up(
            email="zoe@example.org",
            password="a-long-Secret-42",
            first_name="",
            language="fr",
            town="Bruxelles",
            radius_km=4,
            languages=["fr"],
            consent=True,
            phone="0470",
        )

    assert {"phone", "first_name"} <= set(caught.value.message_dict)


def test_it_never_shows_a_volunteers_phone_to_another_volunteer(client, alice, bob):
    held = HelpRequestFactory.create(status="taken", taken_by=alice, taken_at=timezone.now())
    client.force_login(bob)

    pages = [
        client.get(reverse("volunteers:request_detail", args=[held.public_id])),
        client.get(reverse("volunteers:dashboard")),
        client.get(reverse("operators:request_detail", args=[held.public_id])),
    ]

    assert [page.status_code for page in pages] == [200, 200, 403]
    for page in pages:
        html = page.content.decode()
        assert alice.phone not in html
        assert display_phone(alice.phone) not in html


def test_it_never_shows_a_volunteers_phone_to_an_organisation(client, alice):
    membership = MembershipFactory.create(role=Membership.Role.ADMINISTRATOR)
    manager = membership.user
    slot = MissionSlotFactory.create(mission__organisation=membership.organisation)
    ApplicationFactory.create(slot=slot, volunteer=alice, status="accepted")
    held = HelpRequestFactory.create(status="taken", taken_by=alice, taken_at=timezone.now())
    client.force_login(manager)

    manage = client.get(reverse("missions:manage", args=[slot.mission.public_id]))
    console = client.get(reverse("operators:request_detail", args=[held.public_id]))

    assert manage.status_code == 200
    assert alice.email in manage.content.decode()
    assert console.status_code == 403
    for page in (manage, console):
        html = page.content.decode()
        assert alice.phone not in html
        assert display_phone(alice.phone) not in html
