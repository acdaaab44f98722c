"""The missions pages: filters, applying, managing, bad input and the certificate."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from entraide.missions.models import Application, Mission, MissionSlot, Participation
from entraide.missions.tests.factories import (
    ApplicationFactory,
    MembershipFactory,
    MissionFactory,
    MissionSlotFactory,
    OrganisationFactory,
)
from entraide.testing.factories import UserFactory


def test_it_lists_published_missions_with_filters(client, restos):
    MissionSlotFactory.create(
        mission=MissionFactory.create(organisation=restos, title="Meals in Brussels")
    )
    MissionSlotFactory.create(
        mission=MissionFactory.create(
            organisation=restos, title="Calls from home", is_remote=True, town="", theme="food"
        )
    )
    MissionSlotFactory.create(
        mission=MissionFactory.create(
            organisation=restos, title="Liège pantry", lat=50.63, lon=5.57
        )
    )
    MissionSlotFactory.create(
        mission=MissionFactory.create(organisation=restos, title="Secret", is_internal=True)
    )
    MissionSlotFactory.create(
        mission=MissionFactory.create(
            organisation=restos, title="Draft", status=Mission.Status.DRAFT
        )
    )
    url = reverse("missions:catalogue")
    titles = lambda response: [m.title for m in response.context["page"].object_list]  # noqa: E731
    assert sorted(titles(client.get(url))) == [
        "Calls from home",
        "Liège pantry",
        "Meals in Brussels",
    ]
    assert titles(client.get(url, {"where": "remote"})) == ["Calls from home"]
    assert titles(client.get(url, {"theme": "food"})) == ["Calls from home"]
    near = client.get(url, {"town": "Bruxelles", "radius_km": 10, "where": "site"})
    assert titles(near) == ["Meals in Brussels"]
    assert titles(client.get(url, {"q": "pantry"})) == ["Liège pantry"]


def test_it_shows_internal_missions_to_the_organisations_members(client, restos):
    MissionSlotFactory.create(
        mission=MissionFactory.create(organisation=restos, title="Secret", is_internal=True)
    )
    employee = UserFactory.create()
    MembershipFactory.create(organisation=restos, user=employee)
    client.force_login(employee)
    page = client.get(reverse("missions:catalogue")).context["page"]
    assert [m.title for m in page.object_list] == ["Secret"]


def test_it_filters_by_dates_and_skills(client, restos):
    soon = MissionFactory.create(organisation=restos, title="Soon", skills=["Driving"])
    MissionSlotFactory.create(mission=soon, starts_at=timezone.now() + timedelta(days=2))
    later = MissionFactory.create(organisation=restos, title="Later", skills=["cooking"])
    MissionSlotFactory.create(mission=later, starts_at=timezone.now() + timedelta(days=30))
    url = reverse("missions:catalogue")
    day = (timezone.localdate() + timedelta(days=20)).isoformat()
    response = client.get(url, {"date_from": day})
    assert [m.title for m in response.context["page"].object_list] == ["Later"]
    response = client.get(url, {"skills": "driving, gardening"})
    assert [m.title for m in response.context["page"].object_list] == ["Soon"]


def test_it_shows_filter_errors_without_failing(client):
    response = client.get(
        reverse("missions:catalogue"),
        {"radius_km": "far", "date_from": "2030-05-02", "date_to": "2030-05-01", "town": "Zzyzx"},
    )
    assert response.status_code == 200
    anchors = {error["anchor"] for error in response.context["error_summary"]}
    assert {"id_radius_km", "id_date_to"} <= anchors


def test_it_lets_a_volunteer_apply_to_a_slot(client, alice, mission, slot):
    client.force_login(alice)
    url = reverse("missions:detail", args=[mission.public_id])
    response = client.post(url, {"slot": slot.pk, "message": "I have a car"})
    assert response.status_code == 302
    assert Application.objects.get().message == "I have a car"
    again = client.post(url, {"slot": slot.pk, "message": ""}, follow=True)
    assert again.status_code == 200
    assert Application.objects.count() == 1


def test_it_shows_practical_information_to_accepted_volunteers_only(client, alice, bob, slot):
    ApplicationFactory.create(slot=slot, volunteer=alice, status="accepted")
    ApplicationFactory.create(slot=slot, volunteer=bob, status="pending")
    url = reverse("missions:detail", args=[slot.mission.public_id])
    client.force_login(bob)
    assert "Ring at the back door." not in client.get(url).content.decode()
    client.force_login(alice)
    assert "Ring at the back door." in client.get(url).content.decode()


def test_it_hides_drafts_from_the_public(client, restos):
    draft = MissionFactory.create(organisation=restos, status=Mission.Status.DRAFT)
    assert client.get(reverse("missions:detail", args=[draft.public_id])).status_code == 404


def test_it_creates_a_mission_and_shows_errors_on_bad_input(client, frank, restos):
    client.force_login(frank)
    url = reverse("missions:create", args=[restos.slug])
    bad = client.post(url, {"title": "Sort parcels", "description": "x", "theme": "food"})
    assert bad.status_code == 200
    assert [e["anchor"] for e in bad.context["error_summary"]] == ["id_town"]
    assert not Mission.objects.exists()
    good = client.post(
        url, {"title": "Sort parcels", "description": "x", "theme": "food", "town": "Namur"}
    )
    mission = Mission.objects.get()
    assert good.url == reverse("missions:manage", args=[mission.public_id])


def test_it_refuses_the_management_pages_to_outsiders(client, alice, restos, mission):
    client.force_login(alice)
    assert client.get(reverse("missions:create", args=[restos.slug])).status_code == 404
    assert client.get(reverse("missions:manage", args=[mission.public_id])).status_code == 404


def test_it_adds_a_slot_or_shows_errors(client, frank, mission):
    client.force_login(frank)
    url = reverse("missions:manage", args=[mission.public_id])
    past = {
        "action": "slot",
        "slot-starts_at": "2001-01-01T10:00",
        "slot-ends_at": "2001-01-01T12:00",
        "slot-capacity": "2",
    }
    response = client.post(url, past)
    assert response.status_code == 200
    assert response.context["error_summary"]
    assert not MissionSlot.objects.exists()
    start = timezone.localtime() + timedelta(days=2)
    good = {
        "action": "slot",
        "slot-starts_at": start.strftime("%Y-%m-%dT10:00"),
        "slot-ends_at": start.strftime("%Y-%m-%dT12:00"),
        "slot-capacity": "2",
    }
    assert client.post(url, good).status_code == 302
    assert MissionSlot.objects.get().capacity == 2


def test_it_accepts_declines_and_confirms_hours_from_the_management_page(
    client, frank, alice, bob, mission
):
    slot = MissionSlotFactory.create(mission=mission, capacity=1)
    first = ApplicationFactory.create(slot=slot, volunteer=alice)
    second = ApplicationFactory.create(slot=slot, volunteer=bob)
    client.force_login(frank)
    url = reverse("missions:manage", args=[mission.public_id])
    assert client.post(url, {"action": "accept", "application": first.pk}).status_code == 302
    full = client.post(url, {"action": "accept", "application": second.pk}, follow=True)
    assert "no place left" in full.content.decode()
    no_reason = client.post(url, {"action": "decline", "application": second.pk})
    assert no_reason.status_code == 200 and no_reason.context["error_summary"]
    client.post(url, {"action": "decline", "application": second.pk, "decline-reason": "Full"})
    second.refresh_from_db()
    assert second.status == Application.Status.DECLINED
    MissionSlot.objects.filter(pk=slot.pk).update(starts_at=timezone.now() - timedelta(hours=3))
    field = f"hours_{first.pk}"
    bad_hours = client.post(url, {"action": "hours", "slot": slot.pk, field: "30"})
    assert bad_hours.status_code == 200 and bad_hours.context["error_summary"]
    assert not Participation.objects.exists()
    client.post(url, {"action": "hours", "slot": slot.pk, field: "2,5"})
    assert Participation.objects.get().hours == Decimal("2.50")


def test_it_lets_a_volunteer_withdraw(client, alice, slot):
    application = ApplicationFactory.create(slot=slot, volunteer=alice)
    client.force_login(alice)
    response = client.post(reverse("missions:mine"), {"application": application.pk})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == Application.Status.WITHDRAWN


def test_it_downloads_the_certificate_as_pdf(client, alice, restos):
    slot = MissionSlotFactory.create(
        mission=MissionFactory.create(organisation=restos),
        starts_at=timezone.now() - timedelta(days=1),
    )
    application = ApplicationFactory.create(slot=slot, volunteer=alice, status="accepted")
    Participation.objects.create(application=application, hours=Decimal("3.5"))
    client.force_login(alice)
    mine = client.get(reverse("missions:mine"))
    assert mine.context["total_hours"] == Decimal("3.5")
    response = client.get(reverse("missions:certificate_download", args=[restos.slug]))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_it_shows_the_organisation_its_response_rate(client, frank, restos, alice, bob, slot):
    ApplicationFactory.create(slot=slot, volunteer=alice, decided_at=timezone.now())
    ApplicationFactory.create(slot=slot, volunteer=bob)
    OrganisationFactory.create()
    client.force_login(frank)
    response = client.get(reverse("missions:organisation", args=[restos.slug]))
    assert response.context["response_rate"] == 50
    assert len(response.context["to_answer"]) == 2


def test_it_keeps_the_languages_chosen_on_the_mission_form(client, frank, restos):
    client.force_login(frank)
    url = reverse("missions:create", args=[restos.slug])
    fields = {"title": "Calls", "description": "x", "theme": "seniors", "is_remote": "on"}

    client.post(url, {**fields, "languages": ["nl", "fr"]})
    bad = client.post(url, {**fields, "title": "Other", "languages": ["xx"]})

    assert sorted(Mission.objects.get(title="Calls").languages) == ["fr", "nl"]
    assert "languages" in bad.context["form"].errors
    assert not Mission.objects.filter(title="Other").exists()


def _manage_page_queries(client, mission) -> CaptureQueriesContext:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("missions:manage", args=[mission.public_id]))
    assert response.status_code == 200
    return queries


def test_it_reads_the_mission_once_and_not_per_application_on_the_management_page(
    client, frank, mission
):
    client.force_login(frank)
    for _ in range(2):
        ApplicationFactory.create(slot=MissionSlotFactory.create(mission=mission))
    few = _manage_page_queries(client, mission)
    for _ in range(4):
        ApplicationFactory.create(slot=MissionSlotFactory.create(mission=mission))
    many = _manage_page_queries(client, mission)
    assert len(many) == len(few)
    mission_reads = [
        query
        for query in many.captured_queries
        if query["sql"].startswith('SELECT "missions_mission"."id"')
    ]
    assert len(mission_reads) == 1


@pytest.mark.parametrize("value", ["²", "9" * 30, "abc"])
def test_it_answers_404_to_a_posted_or_asked_id_that_is_not_a_number(
    client, alice, frank, restos, mission, value
):
    client.force_login(frank)
    asked = client.get(reverse("missions:create", args=[restos.slug]), {"template": value})
    client.force_login(alice)
    posted = client.post(reverse("missions:detail", args=[mission.public_id]), {"slot": value})

    assert (asked.status_code, posted.status_code) == (404, 404)
    assert not Application.objects.exists()


@pytest.mark.parametrize(
    ("shift", "days"), [("7", 7), ("-7", -7), ("", None), ("--5", None), ("²", None)]
)
def test_it_duplicates_a_mission_from_its_page_whatever_the_shift_typed(
    client, frank, mission, slot, shift, days
):
    client.force_login(frank)

    response = client.post(
        reverse("missions:manage", args=[mission.public_id]),
        {"action": "duplicate", "shift_days": shift},
    )

    copy = Mission.objects.exclude(pk=mission.pk).get()
    assert response.status_code == 302
    assert response["Location"].endswith(reverse("missions:manage", args=[copy.public_id]))
    assert copy.status == "draft"
    if days is None:
        assert not copy.slots.exists()
    else:
        assert copy.slots.get().starts_at == slot.starts_at + timedelta(days=days)
