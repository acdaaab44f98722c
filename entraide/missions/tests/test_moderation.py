"""Missions of organisations not yet verified wait for a moderator, who publishes or sends back."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from entraide.core.errors import ConflictError, DomainError
from entraide.missions import selectors, services
from entraide.missions.models import Mission
from entraide.missions.tests.factories import (
    MissionFactory,
    MissionSlotFactory,
    OrganisationFactory,
    TerritoryFactory,
)
from entraide.notifications.delivery import render
from entraide.notifications.models import Notification
from entraide.organisations.models import Organisation
from entraide.testing.factories import UserFactory


@pytest.fixture
def submitted(frank, restos, grace, django_capture_on_commit_callbacks):
    """Return a mission of the (now pending) association, submitted for moderation."""
    Organisation.objects.filter(pk=restos.pk).update(status=Organisation.Status.PENDING)
    restos.refresh_from_db()
    mission = MissionFactory.create(
        organisation=restos, status=Mission.Status.DRAFT, title="Sort the food parcels"
    )
    MissionSlotFactory.create(mission=mission)
    with django_capture_on_commit_callbacks(execute=True):
        services.mission_submit(mission=mission, actor=frank)
    return mission


def test_submitting_tells_the_territorys_moderators(submitted, grace):
    email = Notification.objects.get(template="mission_waiting")
    assert email.recipient == grace
    assert [m.to for m in mail.outbox if "Sort the food parcels" in m.subject] == [[grace.email]]


def test_the_moderation_page_lists_the_missions_of_the_moderators_territories(
    client, submitted, grace
):
    elsewhere = TerritoryFactory.create(name="Wallonie")
    other = MissionFactory.create(
        organisation=OrganisationFactory.create(territory=elsewhere),
        status=Mission.Status.SUBMITTED,
        title="Far away",
    )
    client.force_login(grace)
    response = client.get(reverse("organisations:moderation"))
    assert list(response.context["queues"]["missions"]) == [submitted]
    assert "Sort the food parcels" in response.content.decode()
    staff = UserFactory.create(is_staff=True)
    assert set(selectors.missions_waiting_for_moderation(staff)) == {submitted, other}


def test_the_queue_links_to_a_read_only_review_of_the_mission(client, submitted, grace):
    client.force_login(grace)
    queue = client.get(reverse("organisations:moderation")).content.decode()
    review_url = reverse("missions:review", args=[submitted.public_id])
    assert f'href="{review_url}"' in queue
    assert reverse("missions:manage", args=[submitted.public_id]) not in queue

    response = client.get(review_url)

    assert response.status_code == 200
    main = response.content.decode().split('<main id="main"')[1].split("</main>")[0]
    assert "Sort the food parcels" in main
    assert submitted.organisation.name in main
    assert submitted.description in main
    assert submitted.town in main
    assert len(response.context["slots"]) == 1
    assert "<form" not in main
    assert client.post(review_url).status_code == 405


def test_only_the_territorys_moderators_review_a_mission(client, submitted, frank):
    client.force_login(frank)

    response = client.get(reverse("missions:review", args=[submitted.public_id]))

    assert response.status_code == 404


def test_a_moderator_publishes_and_the_managers_are_told(client, submitted, grace, frank):
    client.force_login(grace)
    url = reverse("missions:moderate", args=[submitted.public_id, "publish"])

    response = client.post(url, follow=True)

    submitted.refresh_from_db()
    assert submitted.status == Mission.Status.PUBLISHED
    assert "“Sort the food parcels” is published." in response.content.decode()
    assert Notification.objects.get(template="mission_published").recipient == frank
    # Twice: the second click is told the mission changed, nothing else happens.
    again = client.post(url, follow=True)
    assert "This mission changed in the meantime." in again.content.decode()
    assert Notification.objects.filter(template="mission_published").count() == 1


def test_a_moderator_sends_a_mission_back_with_a_reason(client, submitted, grace, frank):
    client.force_login(grace)
    url = reverse("missions:moderate", args=[submitted.public_id, "send-back"])

    refused = client.post(url, {"reason": "   "}, follow=True)
    submitted.refresh_from_db()
    assert submitted.status == Mission.Status.SUBMITTED
    assert "Explain what to change" in refused.content.decode()

    client.post(url, {"reason": "Say who the volunteers will meet."})
    submitted.refresh_from_db()
    assert submitted.status == Mission.Status.DRAFT
    event = submitted.events.get(kind="sent_back")
    assert (event.actor, event.reason) == (grace, "Say who the volunteers will meet.")
    email = Notification.objects.get(template="mission_sent_back")
    assert email.recipient == frank
    assert email.context["reason"] == "Say who the volunteers will meet."

    # The organisation changes it and submits again: back in the queue, moderators told again.
    services.mission_submit(mission=submitted, actor=frank)
    assert Notification.objects.filter(template="mission_waiting").count() == 2


def test_only_the_territorys_moderators_decide(client, submitted, frank, alice):
    with pytest.raises(DomainError):
        services.mission_send_back(mission=submitted, actor=frank, reason="No")
    client.force_login(alice)
    url = reverse("missions:moderate", args=[submitted.public_id, "publish"])
    assert client.post(url).status_code == 404
    client.force_login(frank)
    assert client.post(url).status_code == 404
    submitted.refresh_from_db()
    assert submitted.status == Mission.Status.SUBMITTED


def test_only_a_submitted_mission_can_be_sent_back(grace, mission):
    with pytest.raises(ConflictError):
        services.mission_send_back(mission=mission, actor=grace, reason="Too vague")
    with pytest.raises(ValidationError):
        services.mission_send_back(mission=mission, actor=grace, reason="x" * 501)


def test_an_unknown_action_is_a_404(client, submitted, grace):
    client.force_login(grace)
    url = reverse("missions:moderate", args=[submitted.public_id, "delete"])
    assert client.post(url).status_code == 404


def _api(user) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_authenticate(user)
    return client


def test_moderators_work_through_the_api_too(submitted, grace, frank, alice):
    listed = _api(grace).get("/api/moderation/missions/")
    assert listed.status_code == 200
    assert [m["title"] for m in listed.json()["results"]] == ["Sort the food parcels"]
    assert _api(alice).get("/api/moderation/missions/").status_code == 403

    url = f"/api/missions/{submitted.public_id}/"
    assert _api(frank).post(url + "publish/").status_code == 403
    missing = _api(grace).post(url + "send-back/", {"reason": ""}, format="json")
    assert missing.status_code == 400
    sent_back = _api(grace).post(url + "send-back/", {"reason": "Add a contact."}, format="json")
    assert sent_back.status_code == 200
    assert sent_back.json()["mission"]["status"] == "draft"

    services.mission_submit(mission=submitted, actor=frank)
    published = _api(grace).post(url + "publish/")
    assert published.status_code == 200
    assert published.json()["mission"]["status"] == "published"
    assert _api(grace).post(url + "publish/").status_code == 409


def test_the_queue_is_ordered_by_submission_even_after_an_edit(submitted, frank, restos, grace):
    with time_machine.travel(timezone.now() + timedelta(hours=1)):
        later = MissionFactory.create(organisation=restos, status=Mission.Status.DRAFT)
        MissionSlotFactory.create(mission=later)
        services.mission_submit(mission=later, actor=frank)
    with time_machine.travel(timezone.now() + timedelta(hours=2)):
        services.mission_update(mission=submitted, actor=frank, title="Sort the parcels")

    waiting = list(selectors.missions_waiting_for_moderation(grace))

    assert waiting == [submitted, later]
    assert waiting[0].submitted_at < waiting[1].submitted_at  # type: ignore[attr-defined]


def test_every_moderation_email_renders_with_its_links(client, submitted, grace, frank):
    services.mission_send_back(mission=submitted, actor=grace, reason="Add a contact.")
    services.mission_submit(mission=submitted, actor=frank)
    services.mission_publish(mission=submitted, actor=grace)

    bodies = {}
    for template in ("mission_waiting", "mission_sent_back", "mission_published"):
        bodies[template] = render(Notification.objects.filter(template=template).latest("pk")).body
    assert "/organisations/moderation/" in bodies["mission_waiting"]
    assert "Add a contact." in bodies["mission_sent_back"]
    assert f"/missions/{submitted.public_id}/manage/" in bodies["mission_sent_back"]
    assert f"/missions/{submitted.public_id}/" in bodies["mission_published"]
