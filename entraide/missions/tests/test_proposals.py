"""Proposing a published mission to the volunteers whose profile fits it."""

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from entraide.core.errors import DomainError
from entraide.missions.models import Mission
from entraide.missions.selectors import fitting_volunteers
from entraide.missions.services import mission_propose
from entraide.missions.tests.factories import (
    ApplicationFactory,
    MembershipFactory,
    MissionFactory,
    OrganisationFactory,
)
from entraide.testing.factories import UserFactory, VolunteerProfileFactory

# Points east of the Grand-Place (the mission), about 1.4 km and 2.8 km away.
NEAR = (50.8467, 4.3725)
FARTHER = (50.8467, 4.3925)


def volunteer(name, *, at=NEAR, radius_km=5, skills=(), languages=("fr",), **profile):
    user = UserFactory.create(first_name=name)
    VolunteerProfileFactory.create(
        user=user,
        lat=at[0],
        lon=at[1],
        radius_km=radius_km,
        skills=list(skills),
        languages=list(languages),
        **profile,
    )
    return user


def names(fits):
    return [fit.user.first_name for fit in fits]


def test_it_ranks_on_site_volunteers_by_shared_skills_then_distance(mission):
    mission.skills = ["Driving", "cooking"]
    mission.save()
    volunteer("Near", at=NEAR)
    volunteer("Far driver", at=FARTHER, skills=["driving"])
    volunteer("Near driver", at=NEAR, skills=["driving"])
    volunteer("Cook driver", at=FARTHER, skills=["cooking", "driving"])
    volunteer("Too far for them", at=FARTHER, radius_km=2, skills=["driving", "cooking"])

    fits = fitting_volunteers(mission)

    assert names(fits) == ["Cook driver", "Near driver", "Far driver", "Near"]
    assert fits[0].shared_skills == ("Driving", "cooking")
    assert fits[3].distance_km == pytest.approx(1.4, abs=0.1)


def test_it_leaves_out_paused_unverified_inactive_foreign_and_applied_volunteers(mission, slot):
    mission.languages = ["fr"]
    mission.save()
    volunteer("Fits")
    volunteer("Paused", is_paused=True)
    volunteer("Dutch only", languages=["nl"])
    unverified = volunteer("Unverified")
    unverified.email_verified_at = None
    unverified.save()
    inactive = volunteer("Inactive")
    inactive.is_active = False
    inactive.save()
    ApplicationFactory.create(slot=slot, volunteer=volunteer("Applied"))

    assert names(fitting_volunteers(mission)) == ["Fits"]


def test_it_matches_remote_missions_on_skills_and_languages_only(restos):
    remote = MissionFactory.create(
        organisation=restos,
        is_remote=True,
        town="",
        lat=None,
        lon=None,
        cell=None,
        skills=["Accounting"],
        languages=["nl"],
    )
    volunteer("Paris accountant", at=(48.8566, 2.3522), skills=["accounting"], languages=["nl"])
    volunteer("French accountant", skills=["accounting"], languages=["fr"])
    volunteer("No skill", languages=["nl"])

    assert names(fitting_volunteers(remote)) == ["Paris accountant"]


def test_it_emails_a_proposal_once_and_records_it(
    mission, frank, django_capture_on_commit_callbacks
):
    alice = volunteer("Alice")
    with django_capture_on_commit_callbacks(execute=True):
        event = mission_propose(mission=mission, volunteer=alice, actor=frank)

    assert event.kind == "proposed" and event.data == {"volunteer": alice.pk}
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [alice.email]
    assert "Meals on wheels" in mail.outbox[0].subject
    assert fitting_volunteers(mission)[0].proposed
    with pytest.raises(DomainError):
        mission_propose(mission=mission, volunteer=alice, actor=frank)
    assert mission.events.filter(kind="proposed").count() == 1


@override_settings(MISSIONS_PROPOSALS_PER_DAY=2)
def test_it_stops_at_the_daily_limit_per_mission(mission, frank):
    people = [volunteer(f"V{number}") for number in range(3)]
    mission_propose(mission=mission, volunteer=people[0], actor=frank)
    mission_propose(mission=mission, volunteer=people[1], actor=frank)

    with pytest.raises(DomainError) as refused:
        mission_propose(mission=mission, volunteer=people[2], actor=frank)

    assert refused.value.code == "limit"
    assert mission.events.filter(kind="proposed").count() == 2


def test_it_refuses_volunteers_who_do_not_fit_and_missions_not_published(mission, frank):
    far = volunteer("Far", at=(48.8566, 2.3522))
    with pytest.raises(DomainError):
        mission_propose(mission=mission, volunteer=far, actor=frank)
    Mission.objects.filter(pk=mission.pk).update(status=Mission.Status.DRAFT)
    with pytest.raises(DomainError):
        mission_propose(mission=mission, volunteer=volunteer("Near"), actor=frank)


def test_it_lets_a_manager_propose_from_the_page(client, mission, frank):
    alice = volunteer("Alice")
    client.force_login(frank)
    url = reverse("missions:propose", args=[mission.public_id])

    assert "Propose to Alice" in client.get(url).content.decode()
    assert client.post(url, {"volunteer": alice.pk}).status_code == 302
    assert mission.events.filter(kind="proposed").count() == 1
    assert client.post(url, {"volunteer": "nobody"}).status_code == 404


def test_it_hides_the_page_from_members_of_another_organisation(client, mission):
    alice = volunteer("Alice")
    outsider = UserFactory.create()
    MembershipFactory.create(organisation=OrganisationFactory.create(), user=outsider)
    client.force_login(outsider)
    url = reverse("missions:propose", args=[mission.public_id])

    assert client.get(url).status_code == 404
    assert client.post(url, {"volunteer": alice.pk}).status_code == 404
    with pytest.raises(DomainError):
        mission_propose(mission=mission, volunteer=alice, actor=outsider)
    assert not mission.events.filter(kind="proposed").exists()
