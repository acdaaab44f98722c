"""The employee's work-time page shows slot times in the company's territory's time zone."""

import html
from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from entraide.companies import services
from entraide.missions.models import Application
from entraide.missions.tests.factories import (
    ApplicationFactory,
    MissionFactory,
    MissionSlotFactory,
    TerritoryFactory,
)

# 08:00 UTC on a December morning: 09:00 in Paris, 08:00 in London.
STARTS = datetime(2030, 12, 2, 8, 0, tzinfo=UTC)


@pytest.fixture
def early_slot(restos, judy):
    """Return judy's accepted application to a slot starting at 08:00 UTC."""
    mission = MissionFactory.create(organisation=restos, title="Breakfast round")
    slot = MissionSlotFactory.create(
        mission=mission, starts_at=STARTS, ends_at=STARTS + timedelta(hours=2), capacity=3
    )
    return ApplicationFactory.create(
        slot=slot, volunteer=judy.user, status=Application.Status.ACCEPTED
    )


def _move(company, zone: str) -> None:
    company.territory = TerritoryFactory.create(name=zone, country="FR", time_zone=zone)
    company.save()


@pytest.mark.parametrize(("zone", "shown"), [("Europe/Paris", "09:00"), ("Europe/London", "08:00")])
def test_the_work_time_page_shows_the_slot_in_the_territorys_time(
    client, acme, judy, early_slot, zone, shown
):
    _move(acme, zone)
    services.work_time_request(employee=judy, application=early_slot, hours="2")
    client.force_login(judy.user)
    with translation.override("fr"):
        url = reverse("companies:employee", args=["acme"])

    page = html.unescape(client.get(url).content.decode())

    assert f"2 décembre 2030 {shown}" in page  # the list of requests
    assert "Breakfast round" in page


def test_the_work_time_form_offers_the_slot_in_the_territorys_time(client, acme, judy, early_slot):
    _move(acme, "Europe/Paris")
    client.force_login(judy.user)
    with translation.override("fr"):
        url = reverse("companies:employee", args=["acme"])

    page = html.unescape(client.get(url).content.decode())

    assert "Breakfast round · Les Restos du Cœur · 02/12/2030 09:00" in page


def test_the_managers_email_gives_the_slot_in_the_territorys_time(
    acme, judy, ivy, early_slot, django_capture_on_commit_callbacks
):
    _move(acme, "Europe/Paris")
    with django_capture_on_commit_callbacks(execute=True):
        services.work_time_request(employee=judy, application=early_slot, hours="2")

    [message] = [m for m in mail.outbox if m.to == [ivy.user.email]]
    assert "2030-12-02 09:00" in message.body
