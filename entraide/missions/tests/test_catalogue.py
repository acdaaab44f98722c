"""The catalogue: the next open slot's places, the volunteer's own status, real distances."""

from datetime import datetime, timedelta

from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from entraide.missions.models import Mission
from entraide.missions.tests.factories import (
    ApplicationFactory,
    MissionFactory,
    MissionSlotFactory,
)
from entraide.volunteers.models import VolunteerProfile

IXELLES = (50.8333, 4.3667)
PARIS = (48.8566, 2.3522)


def _at(lat: float, lon: float, **fields) -> Mission:
    """Return a published mission at a position, with one upcoming slot."""
    mission = MissionFactory.create(
        lat=lat, lon=lon, cell=Mission.position_values(lat, lon)["cell"], **fields
    )
    MissionSlotFactory.create(mission=mission, capacity=2)
    return mission


def _live(volunteer, lat: float, lon: float) -> None:
    """Put the volunteer's home at a position, 10 km radius."""
    VolunteerProfile.objects.filter(user=volunteer).update(
        lat=lat, lon=lon, cell=VolunteerProfile.position_values(lat, lon)["cell"], radius_km=10
    )


def test_it_shows_the_next_open_slots_places_not_a_sum_over_slots(client, mission):
    soon = timezone.now() + timedelta(days=1)
    MissionSlotFactory.create(mission=mission, capacity=1, accepted_count=1, starts_at=soon)
    later = MissionSlotFactory.create(
        mission=mission, capacity=9, starts_at=soon + timedelta(days=2)
    )
    page = client.get(reverse("missions:catalogue"))
    [shown] = page.context["page"].object_list
    assert shown.places_left == 9 and shown.next_open_start == later.starts_at
    assert "Next slot full; 9 places left on" in page.content.decode()


def test_it_tells_a_volunteer_their_own_status(client, alice, bob, mission):
    slot = MissionSlotFactory.create(mission=mission, capacity=1, accepted_count=1)
    ApplicationFactory.create(slot=slot, volunteer=alice, status="accepted")
    ApplicationFactory.create(slot=slot, volunteer=bob, status="waitlisted")
    client.force_login(alice)
    assert "You are registered" in client.get(reverse("missions:catalogue")).content.decode()
    client.force_login(bob)
    page = client.get(reverse("missions:catalogue")).content.decode()
    assert "You are on the waiting list" in page and "Full: waiting list" not in page


def test_it_sorts_by_distance_from_the_volunteers_place_within_their_radius(client, alice):
    _live(alice, *IXELLES)
    paris = _at(*PARIS, town="Paris", address="Rue de Rivoli 1", title="Paris soup")
    near = _at(50.85, 4.35, address="Rue Haute 1", title="Marolles")
    nearer = _at(50.835, 4.37, address="Rue du Trône 1", title="Ixelles")
    client.force_login(alice)
    page = client.get(reverse("missions:catalogue"))
    shown = list(page.context["page"].object_list)
    assert [m.pk for m in shown] == [nearer.pk, near.pk]
    assert all(m.distance_km is not None and m.distance_km > 0 for m in shown)
    wider = client.get(reverse("missions:catalogue"), {"everywhere": "on"})
    widened = list(wider.context["page"].object_list)
    assert [m.pk for m in widened] == [nearer.pk, near.pk, paris.pk]
    assert widened[-1].distance_km > 200


def test_it_hides_a_distance_it_does_not_know_rather_than_print_zero(client, alice):
    _live(alice, 50.8467, 4.3525)
    # No street address: the mission sits at the town's centre, which is where alice is.
    _at(50.8467, 4.3525, address="")
    client.force_login(alice)
    page = client.get(reverse("missions:catalogue"))
    [shown] = page.context["page"].object_list
    assert shown.distance_km is None
    assert "0.0 km" not in page.content.decode()


def test_it_gives_the_api_the_next_open_slot_and_the_callers_status(alice, mission):
    soon = timezone.now() + timedelta(days=1)
    full = MissionSlotFactory.create(mission=mission, capacity=1, accepted_count=1, starts_at=soon)
    later = MissionSlotFactory.create(
        mission=mission, capacity=4, starts_at=soon + timedelta(days=1)
    )
    ApplicationFactory.create(slot=full, volunteer=alice, status="accepted")
    client = APIClient()
    client.force_authenticate(alice)
    [row] = client.get("/api/missions/").json()["results"]
    assert row["places_left"] == 4 and row["my_status"] == "accepted"
    assert datetime.fromisoformat(row["next_open_start"]) == later.starts_at
