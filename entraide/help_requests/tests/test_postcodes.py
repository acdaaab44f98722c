"""Every domain's write path checks the postcode the same way (core.places.place_from_input)."""

import pytest
from django.core.exceptions import ValidationError

from entraide.help_requests import services
from entraide.help_requests.models import HelpRequest
from entraide.missions.services import mission_update
from entraide.missions.tests.factories import MembershipFactory, MissionFactory
from entraide.organisations.services import organisation_register
from entraide.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


def request_fields(**overrides):
    fields = {
        "kind": "pharmacy",
        "requester_name": "Jeanne",
        "requester_email": "jeanne@example.org",
        "languages": ["fr"],
        "consent": True,
        "channel": "web",
    }
    return fields | overrides


def test_it_refuses_a_request_whose_postcode_is_not_belgian():
    with pytest.raises(ValidationError) as caught:
        services.help_request_create(**request_fields(postcode="99999", town="Bruxelles"))

    assert list(caught.value.message_dict) == ["postcode"]
    assert not HelpRequest.objects.exists()


def test_it_refuses_a_pinned_request_whose_postcode_is_malformed():
    with pytest.raises(ValidationError) as caught:
        services.help_request_create(
            **request_fields(postcode="ABCDE", town="Bruxelles", lat=50.85, lon=4.35)
        )

    assert list(caught.value.message_dict) == ["postcode"]


@pytest.mark.parametrize("postcode", ["²²²²", "١٠٠٠"])
def test_it_refuses_a_postcode_of_other_digits_without_a_server_error(postcode):
    # "²".isdigit() is True but int() refuses it: the region check once crashed on it.
    with pytest.raises(ValidationError) as caught:
        services.help_request_create(**request_fields(postcode=postcode, town="Bruxelles"))

    assert list(caught.value.message_dict) == ["postcode"]
    assert not HelpRequest.objects.exists()


def test_it_stores_a_request_with_a_valid_postcode():
    help_request = services.help_request_create(**request_fields(postcode="1050", town="Ixelles"))

    assert help_request.postcode == "1050"
    assert help_request.lat == pytest.approx(50.83, abs=0.05)


def test_it_refuses_an_organisation_whose_postcode_is_not_french():
    with pytest.raises(ValidationError) as caught:
        organisation_register(
            user=UserFactory.create(),
            name="Repas Solidaires",
            kind="association",
            territory=None,
            town="Paris",
            postcode="ABCDE",
            country="FR",
        )

    assert "postcode" in caught.value.message_dict


def test_it_refuses_a_mission_moved_to_a_town_outside_its_postcodes_region():
    membership = MembershipFactory.create()
    mission = MissionFactory.create(organisation=membership.organisation, postcode="1000")

    with pytest.raises(ValidationError) as caught:
        mission_update(mission=mission, actor=membership.user, town="Gent")

    assert list(caught.value.message_dict) == ["postcode"]
