"""Back office: the periodic jobs page and its "run at the next tick" action."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from entraide.core.models import ScheduledJob
from entraide.testing.factories import UserFactory

pytestmark = pytest.mark.django_db
URL = reverse("admin:core_scheduledjob_changelist")


def _jobs() -> tuple[ScheduledJob, ScheduledJob]:
    later = timezone.now() + timedelta(hours=5)
    return (
        ScheduledJob.objects.create(name="entraide.a.daily", next_run_at=later, last_error="Boom"),
        ScheduledJob.objects.create(name="entraide.b.hourly", next_run_at=later),
    )


def test_it_lists_the_jobs_and_makes_the_chosen_ones_due(client, dave):
    daily, hourly = _jobs()
    client.force_login(dave)
    page = client.get(URL)
    assert page.status_code == 200
    assert "entraide.a.daily" in page.content.decode()

    response = client.post(URL, {"action": "run_soon", "_selected_action": [daily.pk]}, follow=True)

    # In Dave's own language.
    assert "1 tâche sera lancée au prochain passage du worker." in response.content.decode()
    daily.refresh_from_db()
    hourly.refresh_from_db()
    assert daily.next_run_at <= timezone.now()
    assert hourly.next_run_at > timezone.now()


def test_a_viewer_without_change_permission_cannot_move_a_run(client):
    daily, _ = _jobs()
    viewer = UserFactory.create(is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_scheduledjob"))
    client.force_login(viewer)
    assert client.get(URL).status_code == 200
    assert client.get(reverse("admin:core_scheduledjob_change", args=[daily.pk])).status_code == 200

    response = client.post(URL, {"action": "run_soon", "_selected_action": [daily.pk]})

    assert response.status_code == 200  # the action is not offered: the list comes back
    daily.refresh_from_db()
    assert daily.next_run_at > timezone.now()
    assert client.get(reverse("admin:core_scheduledjob_add")).status_code == 403


# The only back-office forms that write: each saves through its domain's service (or is
# reference data with no rule to keep). Every other model is read-only there, so the back
# office can never skip a service's checks, geocoding or history.
WRITABLE_IN_BACK_OFFICE = {
    "auth.Group": "Django's permission groups",
    "accounts.User": "UserAdmin.save_model calls accounts.services",
    "volunteers.VolunteerProfile": "its form saves through volunteers.services",
    "organisations.Territory": "reference data: the territories moderators cover",
    "companies.TopUpRule": "TopUpRuleAdmin.save_model calls companies.services",
    "money.Fund": "FundAdmin.save_model calls money.services.fund_save (it opens the account)",
    "goods.Category": "reference data: the goods catalogue staff extend (names, factors)",
    "goods.TerritoryFactor": "reference data: a territory's own meal and CO₂ factors",
    "dropoff.CatalogueItem": "reference data: the objects donors pick, with their volumes",
    "dropoff.CollectionRule": "reference data: a territory's home-collection rules",
    "dropoff.CollectionSlot": "CollectionSlotAdmin.save_model calls dropoff.collection_services",
}


def test_the_back_office_writes_only_through_the_services(rf):
    from django.contrib import admin
    from django.contrib.auth import get_user_model

    request = rf.get("/")
    request.user = get_user_model()(is_superuser=True, is_staff=True, is_active=True)
    writable = {
        model._meta.label
        for model, model_admin in admin.site._registry.items()
        if model_admin.has_add_permission(request) or model_admin.has_change_permission(request)
    }
    assert writable == set(WRITABLE_IN_BACK_OFFICE)
