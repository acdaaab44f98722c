"""Missions over the API: catalogue, management, applications and hours, per organisation.

restos  "Les Restos" (verified, Brussels); frank manages its missions
other   "Autre Asso" (verified, Brussels); gina manages its missions and never sees restos's
mission a published on-site mission of restos in Brussels; slot: an upcoming two-place slot
alice, bob (volunteers) come from the project's conftest.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from entraide.api.tests.conftest import basic_client
from entraide.matching.geo import cell_of
from entraide.missions.models import Application, Mission, Participation
from entraide.missions.tests.factories import (
    ApplicationFactory,
    MembershipFactory,
    MissionFactory,
    MissionSlotFactory,
    OrganisationFactory,
)
from entraide.organisations.models import Organisation
from entraide.testing.factories import PARIS, UserFactory

Accepted = Application.Status.ACCEPTED


@pytest.fixture
def restos(db) -> Organisation:
    """Return a verified association in Brussels."""
    return OrganisationFactory.create(name="Les Restos", slug="restos")


@pytest.fixture
def other(db) -> Organisation:
    """Return another verified association in Brussels."""
    return OrganisationFactory.create(name="Autre Asso", slug="autre")


@pytest.fixture
def frank(restos):
    """Return the mission manager of Les Restos."""
    user = UserFactory.create(email="frank@example.org", first_name="Frank", language="en")
    MembershipFactory.create(organisation=restos, user=user)
    return user


@pytest.fixture
def gina(other):
    """Return the mission manager of the other association."""
    user = UserFactory.create(email="gina@example.org", first_name="Gina", language="en")
    MembershipFactory.create(organisation=other, user=user)
    return user


@pytest.fixture
def as_frank(frank):
    """Return a client logged in as frank."""
    return basic_client(frank.email)


@pytest.fixture
def as_gina(gina):
    """Return a client logged in as gina."""
    return basic_client(gina.email)


@pytest.fixture
def mission(restos) -> Mission:
    """Return a published on-site mission of Les Restos."""
    return MissionFactory.create(organisation=restos, title="Meals on wheels", skills=["driving"])


@pytest.fixture
def slot(mission):
    """Return an upcoming two-place slot of the mission."""
    return MissionSlotFactory.create(mission=mission, capacity=2)


def murl(mission: Mission, action: str = "") -> str:
    """Return the endpoint of a mission, or of an action on it."""
    return f"/api/missions/{mission.public_id}/" + (f"{action}/" if action else "")


def aurl(application: Application, action: str) -> str:
    """Return the endpoint of an action on an application."""
    return f"/api/applications/{application.pk}/{action}/"


NEW_MISSION = {
    "title": "Phone calls to isolated seniors",
    "description": "Call three people a week for a chat.",
    "theme": "seniors",
    "is_remote": True,
    "skills": ["listening"],
}


# Catalogue ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_it_lists_published_missions_with_upcoming_slots_to_anybody(anon, mission, slot, restos):
    MissionSlotFactory.create(mission=MissionFactory.create(organisation=restos, status="draft"))
    MissionSlotFactory.create(mission=MissionFactory.create(organisation=restos, is_internal=True))

    response = anon.get("/api/missions/")

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    assert body["results"][0]["public_id"] == str(mission.public_id)
    assert body["results"][0]["places_left"] == 2
    assert "practical_information" not in body["results"][0]


@pytest.mark.django_db
def test_it_shows_internal_missions_to_the_companys_members_only(as_frank, as_gina, restos):
    internal = MissionFactory.create(organisation=restos, is_internal=True)
    MissionSlotFactory.create(mission=internal)

    assert as_frank.get("/api/missions/").json()["count"] == 1
    assert as_gina.get("/api/missions/").json()["count"] == 0
    assert as_gina.get(murl(internal)).status_code == 404


@pytest.mark.django_db
def test_it_filters_the_catalogue(anon, mission, slot, restos):
    paris = MissionFactory.create(
        organisation=restos,
        title="Tutoring",
        theme="children",
        town="Paris",
        lat=PARIS[0],
        lon=PARIS[1],
        cell=cell_of(*PARIS),
    )
    MissionSlotFactory.create(mission=paris)
    remote = MissionFactory.create(
        organisation=restos, title="Translate leaflets", is_remote=True, town="", lat=None, lon=None
    )
    MissionSlotFactory.create(mission=remote)

    def titles(**params):
        response = anon.get("/api/missions/", params)
        assert response.status_code == 200, response.json()
        return sorted(m["title"] for m in response.json()["results"])

    assert titles(theme="children") == ["Tutoring"]
    assert titles(remote="true") == ["Translate leaflets"]
    assert titles(remote="false") == ["Meals on wheels", "Tutoring"]
    assert titles(lat=50.85, lon=4.35, radius_km=10) == ["Meals on wheels", "Translate leaflets"]
    assert titles(q="wheels") == ["Meals on wheels"]
    assert titles(skills="Driving, cooking") == ["Meals on wheels"]
    assert titles(organisation="restos", date_from=timezone.localdate().isoformat()) == [
        "Meals on wheels",
        "Translate leaflets",
        "Tutoring",
    ]
    too_late = (timezone.localdate() + timedelta(days=30)).isoformat()
    assert titles(date_from=too_late) == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"lat": 50.8}, "radius_km"),
        ({"lat": 120, "lon": 4, "radius_km": 5}, "lat"),
        ({"theme": "space"}, "theme"),
        ({"date_from": "2030-02-01", "date_to": "2030-01-01"}, "date_to"),
        ({"organisation": "nobody"}, "organisation"),
    ],
)
def test_it_answers_400_with_the_field_for_bad_filters(anon, params, field):
    response = anon.get("/api/missions/", params)

    assert response.status_code == 400
    assert field in response.json()


# A mission's page --------------------------------------------------------------------------


@pytest.mark.django_db
def test_it_shows_practicalities_only_to_managers_and_accepted_volunteers(
    anon, as_alice, alice, as_frank, mission, slot
):
    public = anon.get(murl(mission))
    assert public.status_code == 200
    assert "practical_information" not in public.json()["mission"]
    assert public.json()["slots"][0]["places_left"] == 2
    assert public.json()["can_manage"] is False

    assert "practical_information" not in as_alice.get(murl(mission)).json()["mission"]
    ApplicationFactory.create(slot=slot, volunteer=alice, status=Accepted)
    accepted = as_alice.get(murl(mission)).json()["mission"]
    assert accepted["practical_information"] == "Ring at the back door."

    managed = as_frank.get(murl(mission)).json()
    assert managed["mission"]["contact_phone"] == "+32470000000"
    assert managed["can_manage"] is True


@pytest.mark.django_db
@pytest.mark.parametrize("public_id", ["3f2c1b6e-0d5a-4f8e-9b7c-2a1d0e9f8c7b", "not-a-uuid"])
def test_it_answers_404_for_an_unknown_or_malformed_mission(anon, public_id):
    response = anon.get(f"/api/missions/{public_id}/")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"


@pytest.mark.django_db
def test_it_hides_a_draft_from_everyone_but_its_managers(anon, as_gina, as_frank, restos):
    draft = MissionFactory.create(organisation=restos, status="draft")

    assert anon.get(murl(draft)).status_code == 404
    assert as_gina.get(murl(draft)).status_code == 404
    assert as_frank.get(murl(draft)).status_code == 200


# Managing missions -------------------------------------------------------------------------


@pytest.mark.django_db
def test_it_lets_a_manager_create_add_a_slot_and_publish(as_frank, frank, restos):
    created = as_frank.post("/api/organisations/restos/missions/", NEW_MISSION, format="json")

    assert created.status_code == 201, created.json()
    mission = Mission.objects.get(public_id=created.json()["mission"]["public_id"])
    assert mission.status == Mission.Status.DRAFT
    assert mission.created_by == frank
    assert mission.country == restos.country
    starts = timezone.now() + timedelta(days=2)
    slot = as_frank.post(
        murl(mission, "slots"),
        {"starts_at": starts.isoformat(), "ends_at": (starts + timedelta(hours=2)).isoformat()},
        format="json",
    )
    assert slot.status_code == 201, slot.json()

    submitted = as_frank.post(murl(mission, "submit"))

    assert submitted.status_code == 200
    assert submitted.json()["mission"]["status"] == "published"
    listed = as_frank.get("/api/organisations/restos/missions/").json()
    assert [m["title"] for m in listed["results"]] == [NEW_MISSION["title"]]


@pytest.mark.django_db
def test_it_forbids_a_manager_to_create_missions_for_another_organisation(as_gina, restos):
    response = as_gina.post("/api/organisations/restos/missions/", NEW_MISSION, format="json")

    assert response.status_code == 403
    assert not Mission.objects.exists()


@pytest.mark.django_db
def test_it_needs_an_account_to_create_a_mission(anon, restos):
    response = anon.post("/api/organisations/restos/missions/", NEW_MISSION, format="json")

    assert response.status_code == 401
    assert not Mission.objects.exists()


@pytest.mark.django_db
def test_it_refuses_a_bad_mission_with_field_errors_and_saves_nothing(as_frank, restos):
    response = as_frank.post(
        "/api/organisations/restos/missions/",
        {**NEW_MISSION, "theme": "space", "min_age": 3, "contact_email": "nope"},
        format="json",
    )

    assert response.status_code == 400
    assert {"theme", "min_age", "contact_email"} <= set(response.json())
    on_site_without_town = as_frank.post(
        "/api/organisations/restos/missions/", {**NEW_MISSION, "is_remote": False}, format="json"
    )
    assert on_site_without_town.status_code == 400
    assert "town" in on_site_without_town.json()
    assert not Mission.objects.exists()


@pytest.mark.django_db
def test_it_refuses_a_slot_in_the_past(as_frank, mission):
    starts = timezone.now() - timedelta(days=1)
    response = as_frank.post(
        murl(mission, "slots"),
        {"starts_at": starts.isoformat(), "ends_at": (starts + timedelta(hours=1)).isoformat()},
        format="json",
    )

    assert response.status_code == 400
    assert "starts_at" in response.json()
    assert not mission.slots.exists()


@pytest.mark.django_db
def test_it_lets_a_manager_change_a_mission_and_forbids_others(as_frank, as_gina, mission):
    forbidden = as_gina.patch(murl(mission), {"title": "Hijacked"}, format="json")
    assert forbidden.status_code == 403

    changed = as_frank.patch(murl(mission), {"title": "Hot meals on wheels"}, format="json")

    assert changed.status_code == 200
    mission.refresh_from_db()
    assert mission.title == "Hot meals on wheels"
    assert mission.description == "Bring hot meals to elderly people at home."


@pytest.mark.django_db
def test_it_refuses_a_bad_patch_and_changes_nothing(as_frank, mission):
    response = as_frank.patch(murl(mission), {"title": "", "skills": "driving"}, format="json")

    assert response.status_code == 400
    assert {"title", "skills"} <= set(response.json())
    mission.refresh_from_db()
    assert mission.title == "Meals on wheels"


@pytest.mark.django_db
def test_it_requires_a_reason_to_cancel_and_tells_applicants(
    as_frank, mission, slot, alice, mailoutbox, django_capture_on_commit_callbacks
):
    ApplicationFactory.create(slot=slot, volunteer=alice)
    refused = as_frank.post(murl(mission, "cancel"), {"reason": ""}, format="json")
    assert refused.status_code == 400
    assert "reason" in refused.json()

    with django_capture_on_commit_callbacks(execute=True):
        cancelled = as_frank.post(murl(mission, "cancel"), {"reason": "Rain"}, format="json")

    assert cancelled.status_code == 200
    assert cancelled.json()["mission"]["status"] == "cancelled"
    assert [m.to for m in mailoutbox] == [[alice.email]]
    assert as_frank.post(murl(mission, "close")).status_code == 409


@pytest.mark.django_db
def test_it_forbids_another_organisation_to_close_a_mission(as_gina, as_alice, mission):
    assert as_gina.post(murl(mission, "close")).status_code == 403
    assert as_alice.post(murl(mission, "submit")).status_code == 403
    mission.refresh_from_db()
    assert mission.status == Mission.Status.PUBLISHED


# Applications ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_it_lets_a_volunteer_apply_and_list_their_applications(as_alice, as_bob, alice, slot):
    response = as_alice.post(
        f"/api/missions/slots/{slot.pk}/apply/", {"message": "I drive"}, format="json"
    )

    assert response.status_code == 201
    assert response.json()["status"] == "pending"
    assert Application.objects.get().volunteer == alice
    mine = as_alice.get("/api/me/applications/").json()
    assert [a["message"] for a in mine["results"]] == ["I drive"]
    assert as_bob.get("/api/me/applications/").json()["count"] == 0


@pytest.mark.django_db
def test_it_refuses_a_second_application_to_the_same_slot(as_alice, alice, slot):
    ApplicationFactory.create(slot=slot, volunteer=alice)

    response = as_alice.post(f"/api/missions/slots/{slot.pk}/apply/")

    assert response.status_code == 400
    assert "slot" in response.json()
    assert Application.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("slot_id", ["999999", "abc", "²", "0", "9" * 30, "9" * 5000])
def test_it_answers_404_when_applying_to_an_unknown_slot(as_alice, slot_id):
    assert as_alice.post(f"/api/missions/slots/{slot_id}/apply/").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("application_id", ["abc", "²", "9" * 30])
def test_it_answers_404_to_an_application_id_that_is_not_one(as_alice, application_id):
    assert as_alice.post(f"/api/applications/{application_id}/withdraw/").status_code == 404


@pytest.mark.django_db
def test_it_answers_404_when_applying_to_a_draft(as_alice, restos):
    draft_slot = MissionSlotFactory.create(
        mission=MissionFactory.create(organisation=restos, status="draft")
    )

    assert as_alice.post(f"/api/missions/slots/{draft_slot.pk}/apply/").status_code == 404
    assert not Application.objects.exists()


@pytest.mark.django_db
def test_it_needs_an_account_to_apply(anon, slot):
    assert anon.post(f"/api/missions/slots/{slot.pk}/apply/").status_code == 401


@pytest.mark.django_db
def test_it_lets_only_the_volunteer_withdraw_their_application(as_alice, as_bob, alice, slot):
    application = ApplicationFactory.create(slot=slot, volunteer=alice)

    assert as_bob.post(aurl(application, "withdraw")).status_code == 404
    application.refresh_from_db()
    assert application.status == Application.Status.PENDING

    response = as_alice.post(aurl(application, "withdraw"))

    assert response.status_code == 200
    assert response.json()["status"] == "withdrawn"
    assert as_alice.post(aurl(application, "withdraw")).status_code == 409


@pytest.mark.django_db
def test_it_shows_a_missions_applications_to_its_managers_only(
    as_frank, as_gina, as_alice, alice, bob, slot, mission
):
    ApplicationFactory.create(slot=slot, volunteer=alice, status=Accepted)
    ApplicationFactory.create(slot=slot, volunteer=bob)

    assert as_gina.get(murl(mission, "applications")).status_code == 403
    assert as_alice.get(murl(mission, "applications")).status_code == 403

    response = as_frank.get(murl(mission, "applications"))

    assert response.status_code == 200
    emails = {a["volunteer_name"]: a["volunteer_email"] for a in response.json()["results"]}
    assert emails == {"Alice": alice.email, "Bob": None}


@pytest.mark.django_db
def test_it_lets_a_manager_accept_and_tells_the_volunteer(
    as_frank, alice, slot, mailoutbox, django_capture_on_commit_callbacks
):
    application = ApplicationFactory.create(slot=slot, volunteer=alice)

    with django_capture_on_commit_callbacks(execute=True):
        response = as_frank.post(aurl(application, "accept"))

    assert response.status_code == 200
    assert response.json()["status"] == "accepted"
    assert response.json()["volunteer_email"] == alice.email
    slot.refresh_from_db()
    assert slot.accepted_count == 1
    assert [m.to for m in mailoutbox] == [[alice.email]]


@pytest.mark.django_db
def test_it_never_lets_another_organisation_accept_or_decline(as_gina, alice, slot):
    application = ApplicationFactory.create(slot=slot, volunteer=alice)

    assert as_gina.post(aurl(application, "accept")).status_code == 404
    assert (
        as_gina.post(aurl(application, "decline"), {"reason": "No"}, format="json").status_code
        == 404
    )
    application.refresh_from_db()
    assert application.status == Application.Status.PENDING
    slot.refresh_from_db()
    assert slot.accepted_count == 0


@pytest.mark.django_db
def test_it_answers_409_when_the_last_place_was_already_given(as_frank, alice, bob, mission):
    slot = MissionSlotFactory.create(mission=mission, capacity=1)
    first = ApplicationFactory.create(slot=slot, volunteer=alice)
    second = ApplicationFactory.create(slot=slot, volunteer=bob)

    assert as_frank.post(aurl(first, "accept")).status_code == 200
    response = as_frank.post(aurl(second, "accept"))

    assert response.status_code == 409
    assert response.json()["code"] == "slot_full"
    second.refresh_from_db()
    assert second.status == Application.Status.PENDING
    slot.refresh_from_db()
    assert slot.accepted_count == 1


@pytest.mark.django_db
def test_it_requires_a_reason_to_decline(as_frank, alice, slot):
    application = ApplicationFactory.create(slot=slot, volunteer=alice)

    response = as_frank.post(aurl(application, "decline"), {"reason": ""}, format="json")

    assert response.status_code == 400
    assert "reason" in response.json()
    application.refresh_from_db()
    assert application.status == Application.Status.PENDING

    declined = as_frank.post(aurl(application, "decline"), {"reason": "Full"}, format="json")
    assert declined.status_code == 200
    assert declined.json()["decline_reason"] == "Full"


# Hours -------------------------------------------------------------------------------------


@pytest.fixture
def past_accepted(mission, alice):
    """Return alice's accepted application to a slot that took place yesterday."""
    yesterday = timezone.now() - timedelta(days=1)
    slot = MissionSlotFactory.create(mission=mission, starts_at=yesterday, accepted_count=1)
    return ApplicationFactory.create(slot=slot, volunteer=alice, status=Accepted)


@pytest.mark.django_db
def test_it_confirms_hours_as_a_decimal_string(as_frank, as_alice, past_accepted):
    response = as_frank.post(aurl(past_accepted, "participation"), {"hours": "2.5"}, format="json")

    assert response.status_code == 200
    assert response.json()["hours"] == "2.50"
    assert str(Participation.objects.get(application=past_accepted).hours) == "2.50"
    mine = as_alice.get("/api/me/applications/").json()["results"]
    assert mine[0]["hours"] == "2.50"


@pytest.mark.django_db
@pytest.mark.parametrize("hours", ["abc", "0", "25", ""])
def test_it_refuses_bad_hours_on_the_hours_field(as_frank, past_accepted, hours):
    response = as_frank.post(aurl(past_accepted, "participation"), {"hours": hours}, format="json")

    assert response.status_code == 400
    assert "hours" in response.json()
    assert not Participation.objects.exists()


@pytest.mark.django_db
def test_it_refuses_hours_before_the_slot_started(as_frank, alice, slot):
    application = ApplicationFactory.create(slot=slot, volunteer=alice, status=Accepted)

    response = as_frank.post(aurl(application, "participation"), {"hours": "2"}, format="json")

    assert response.status_code == 400
    assert "detail" in response.json()
    assert not Participation.objects.exists()


@pytest.mark.django_db
def test_it_never_lets_another_organisation_or_the_volunteer_confirm_hours(
    as_gina, as_alice, past_accepted
):
    for client in (as_gina, as_alice):
        response = client.post(aurl(past_accepted, "participation"), {"hours": "8"}, format="json")
        assert response.status_code == 404
    assert not Participation.objects.exists()
