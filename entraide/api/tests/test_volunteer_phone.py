"""A volunteer's phone over the API: their own profile and the operators, nobody else."""

import pytest
from django.utils import timezone

from entraide.missions.tests.factories import (
    ApplicationFactory,
    MembershipFactory,
    MissionSlotFactory,
)
from entraide.organisations.models import Membership
from entraide.testing.factories import HelpRequestFactory

from .conftest import basic_client

PROFILE = "/api/volunteer/profile/"


@pytest.fixture
def alice(alice):
    """Return alice with the number she gave the phone line."""
    alice.phone = "+32470998877"
    alice.save(update_fields=["phone"])
    return alice


@pytest.mark.django_db
def test_it_returns_the_volunteers_own_phone_with_their_profile(as_alice):
    body = as_alice.get(PROFILE).json()

    assert (body["phone"], body["phone_display"]) == ("+32470998877", "+32 470 99 88 77")


@pytest.mark.django_db
def test_it_changes_the_phone_and_keeps_it_when_left_out(as_alice, alice):
    body = {"town": "Bruxelles", "languages": ["fr"]}
    changed = as_alice.put(PROFILE, {**body, "phone": "0470 12 34 56"}, format="json")
    kept = as_alice.put(PROFILE, body, format="json")

    assert changed.status_code == kept.status_code == 200
    assert kept.json()["phone"] == "+32470123456"
    alice.refresh_from_db()
    assert alice.phone == "+32470123456"


@pytest.mark.django_db
def test_it_refuses_a_bad_phone_with_a_message_on_the_field(as_alice, alice):
    response = as_alice.put(
        PROFILE, {"town": "Liège", "languages": ["fr"], "phone": "0470 12"}, format="json"
    )

    assert response.status_code == 400
    # In alice's language, on the field.
    assert "Ce n'est pas un numéro que nous pouvons appeler" in str(response.json()["phone"])
    alice.refresh_from_db()
    assert (alice.phone, alice.volunteer_profile.town) == ("+32470998877", "Bruxelles")


@pytest.mark.django_db
def test_it_shows_the_holders_phone_to_operators_only(as_charlie, as_bob, alice):
    held = HelpRequestFactory.create(status="taken", taken_by=alice, taken_at=timezone.now())
    url = f"/api/help-requests/{held.public_id}/"

    by_operator = as_charlie.get(url)
    by_other_volunteer = as_bob.get(url)

    assert by_operator.json()["taken_by"]["phone"] == alice.phone
    assert by_other_volunteer.status_code == 403
    assert alice.phone not in by_other_volunteer.content.decode()
    assert alice.phone not in as_bob.get(PROFILE).content.decode()


@pytest.mark.django_db
def test_it_never_gives_a_volunteers_phone_to_an_organisation(alice):
    membership = MembershipFactory.create(role=Membership.Role.ADMINISTRATOR)
    slot = MissionSlotFactory.create(mission__organisation=membership.organisation)
    ApplicationFactory.create(slot=slot, volunteer=alice, status="accepted")
    held = HelpRequestFactory.create(status="taken", taken_by=alice, taken_at=timezone.now())
    as_manager = basic_client(membership.user.email)

    applications = as_manager.get(f"/api/missions/{slot.mission.public_id}/applications/")
    request = as_manager.get(f"/api/help-requests/{held.public_id}/")

    assert applications.status_code == 200
    assert alice.email in applications.content.decode()
    assert request.status_code == 403
    for response in (applications, request):
        assert alice.phone not in response.content.decode()
